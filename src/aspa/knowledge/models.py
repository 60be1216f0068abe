from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aspa.knowledge.text import plain_text

LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


class Audience(models.TextChoices):
    INTERNAL = "internal", _("staff only")
    PUBLIC = "public", _("public, in the portal's FAQ")


class Article(models.Model):
    """One language version of a knowledge base article with its model answer (mallivastaus).

    The versions of one article in other languages point at the same `translation_of` (the first
    version, which points at nothing)."""

    external_id = models.CharField(_("external id"), max_length=100, unique=True, null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    translation_of = models.ForeignKey("self", verbose_name=_("translation of"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="translations")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), help_text=_("Sanitised HTML."))
    model_answer = models.TextField(_("model answer"), blank=True,
                                    help_text=_("The text an advisor sends to the customer."))
    services = models.ManyToManyField("catalogue.Service", verbose_name=_("services"), blank=True,
                                      related_name="+")
    keywords = models.CharField(_("keywords"), max_length=1000, blank=True,
                                help_text=_("Separated by commas."))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    owner_team = models.ForeignKey("catalogue.Team", verbose_name=_("owning expert group"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    review_by = models.DateField(_("review by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("owners last reminded"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    views = models.PositiveIntegerField(_("views"), default=0)
    uses = models.PositiveIntegerField(_("times used in an answer"), default=0)
    helpful = models.PositiveIntegerField(_("helpful"), default=0)
    not_helpful = models.PositiveIntegerField(_("not helpful"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["review_by"])]

    def __str__(self) -> str:
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def answer_text(self) -> str:
        """What "use this answer" puts into the reply: the model answer, or the body as plain text."""
        if self.model_answer.strip():
            return self.model_answer.strip()
        return " ".join(plain_text(self.body).split())


class ArticleVersion(models.Model):
    """The article as it was before a change: its version history."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    model_answer = models.TextField(_("model answer"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=1000, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class SearchDocument(models.Model):
    """The analysed tokens of one article, which the full-text index of the database covers:
    an FTS5 table on SQLite, a generated 'simple' tsvector column on PostgreSQL (both made by
    the migration `search_index`)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="search_document")
    language = models.CharField(max_length=2)
    audience = models.CharField(max_length=10)
    title_tokens = models.TextField(blank=True)
    keyword_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    # The tokens of the body's rarest words: with the title and keywords they make the small
    # vector PostgreSQL orders candidates by (static index pruning), so that the large body
    # vector is never read for thousands of matching rows.
    summary_tokens = models.TextField(blank=True)

    # No index on language and audience: the full-text index picks the rows, and a bitmap of
    # every row of a language would only cost time.

    def __str__(self) -> str:
        return f"{self.article_id}"


class Term(models.Model):
    """The vocabulary of the index: a stem token with the number of articles that have it
    (`kind` "t"), a folded word as written (`kind` "w"), which compound splitting and typo
    correction look words up in, or a language with its number of articles (`kind` "l")."""

    kind = models.CharField(max_length=1)
    text = models.CharField(max_length=100)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "text"], name="knowledge_term_unique")]

    def __str__(self) -> str:
        return self.text


class IndexState(models.Model):
    """One row: bumped whenever the vocabulary changes, so each process reloads its copy."""

    generation = models.PositiveBigIntegerField(default=0)
    # For BM25: how many articles are indexed and their summed (field-weighted) token count.
    documents = models.PositiveIntegerField(default=0)
    total_length = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.generation)


class Synonym(models.Model):
    """Words an administrator declares to mean the same (pysäköintisakko ↔ pysäköintivirhemaksu)."""

    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    words = models.CharField(_("words"), max_length=500,
                             help_text=_("Words or phrases that mean the same, separated by commas."))

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["language", "words"]

    def __str__(self) -> str:
        return self.words

    @property
    def word_list(self) -> list[str]:
        return [word.strip() for word in self.words.split(",") if word.strip()]


class ArticleUse(models.Model):
    """An advisor used the article's model answer on a contact or a service request."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="used")
    contact = models.ForeignKey("contacts.Contact", verbose_name=_("contact"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="article_uses")
    service_request = models.ForeignKey("requests.ServiceRequest", verbose_name=_("service request"), null=True,
                                        blank=True, on_delete=models.CASCADE, related_name="article_uses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("used by"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(
            name="article_use_has_target",
            condition=models.Q(contact__isnull=False) | models.Q(service_request__isnull=False))]

    def __str__(self) -> str:
        return f"{self.article_id} {self.at:%Y-%m-%d %H:%M}"


class Feedback(models.Model):
    """Helpful or not, from a staff member (once per person per article: the last vote counts)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="knowledge_feedback_once")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.helpful}"


class SearchLog(models.Model):
    """A search and whether anything was found or opened: the gaps report reads these."""

    text = models.CharField(_("search"), max_length=300)
    language = models.CharField(_("language"), max_length=2)
    where = models.CharField(_("where"), max_length=10)
    # Confident results only: a search that found only weak matches is a gap too.
    results = models.PositiveIntegerField(_("results"))
    clicked = models.ForeignKey(Article, verbose_name=_("article opened"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("searched"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.text


class Expert(models.Model):
    """An entry of the expert directory (asiantuntijahakemisto): a person or a team, who knows what."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        TEAM = "team", _("team")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("catalogue.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("catalogue.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="+")
    topics = models.TextField(_("topics and keywords"), help_text=_("Separated by commas."))
    languages = models.CharField(_("languages"), max_length=20, default="fi",
                                 help_text=_("Language codes separated by commas, e.g. fi, sv."))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    duty_times = models.CharField(_("phone duty times"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("expert directory")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def topic_list(self) -> list[str]:
        return [topic.strip() for topic in self.topics.split(",") if topic.strip()]


class LearnedTerm(models.Model):
    """What the search has learned from use: how often people who searched with a word opened the
    article from the results, used its answer or found it helpful (`learning`). Deleting rows in
    the admin resets what was learned."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="learned_terms")
    token = models.CharField(_("search word (stem)"), max_length=100, db_index=True)
    language = models.CharField(_("language"), max_length=2)
    positives = models.PositiveIntegerField(_("opened, used or found helpful"), default=0)
    updated_at = models.DateTimeField(_("last learned"), auto_now=True)

    class Meta:
        verbose_name = _("learned search word")
        verbose_name_plural = _("learned search words")
        ordering = ["-positives", "token"]
        constraints = [models.UniqueConstraint(fields=["article", "token", "language"],
                                               name="knowledge_learned_term_once")]

    def __str__(self) -> str:
        return f"{self.token} → {self.article_id}"
