import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def fold_for_search(text: str) -> str:
    """Lower case without accents and extra spaces: "Hämäläinen  Matti" → "hamalainen matti".

    Advisors type names without ä and ö on foreign keyboards and over the phone, so both
    the stored search key and the query are folded the same way."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.lower().split())


class Party(models.Model):
    """A customer: a person or an organisation (company, association, community)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    class Preference(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("text message")
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    first_name = models.CharField(_("first names"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    name = models.CharField(_("organisation name"), max_length=200, blank=True)
    # Unique where given; NULL for a person without a henkilötunnus.
    national_id = models.CharField(_("personal identity code"), max_length=11, unique=True, null=True, blank=True)
    business_id = models.CharField(_("business ID"), max_length=9, unique=True, null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fi")
    contact_preference = models.CharField(_("preferred contact channel"), max_length=10,
                                          choices=Preference.choices, default=Preference.EMAIL)
    non_disclosure = models.BooleanField(
        _("non-disclosure for personal safety"), default=False,
        help_text=_("The address is hidden from everyone but the roles that must see it."),
    )
    segments = models.ManyToManyField("catalogue.Segment", verbose_name=_("segments"),
                                      related_name="parties", blank=True)
    # Lower-cased, accent-folded "last first" or organisation name, for prefix search.
    search_name = models.CharField(max_length=300, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["search_name", "id"]
        # Name searches read the first page in this order straight from the index.
        indexes = [models.Index(fields=["search_name", "id"], name="party_name_order")]
        constraints = [
            models.CheckConstraint(
                name="party_person_or_organisation_named",
                condition=(models.Q(kind="person") & ~models.Q(last_name=""))
                | (models.Q(kind="organisation") & ~models.Q(name="")),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    # The search key is derived from the names, so it is kept right wherever a party is saved
    # (operations, admin, factories), not only where someone remembers to fill it.
    _NAME_FIELDS = frozenset({"kind", "first_name", "last_name", "name"})

    def save(self, *args, **kwargs):
        self.search_name = self.compute_search_name()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self._NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def compute_search_name(self) -> str:
        if self.kind == self.Kind.ORGANISATION:
            return fold_for_search(self.name)[:300]
        return fold_for_search(f"{self.last_name} {self.first_name}")[:300]

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.ORGANISATION:
            return self.name
        return f"{self.first_name} {self.last_name}".strip()


class ContactPoint(models.Model):
    """An address, phone number or email address of a party."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("email")
        ADDRESS = "address", _("address")

    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.CASCADE,
                              related_name="contact_points")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Phone in E.164 form, email lower-cased; empty for an address.
    value = models.CharField(_("value"), max_length=254, blank=True)
    label = models.CharField(_("label"), max_length=40, blank=True)
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("post office"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FI")
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.ADDRESS:
            return f"{self.street}, {self.postal_code} {self.city}"
        return self.value


class OrganisationContact(models.Model):
    """A person who acts for an organisation."""

    organisation = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contact_persons")
    person = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="organisations")
    title = models.CharField(_("title or role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [models.UniqueConstraint(fields=["organisation", "person"], name="one_contact_role_per_person")]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class Consent(models.Model):
    """What the customer has allowed (for example email notifications, surveys)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    purpose = models.SlugField(_("purpose"), max_length=60)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["party", "purpose"], name="one_consent_per_purpose")]

    def __str__(self) -> str:
        return f"{self.purpose}: {'yes' if self.granted else 'no'}"


class Customership(models.Model):
    """Which services a party uses, since when (asiakkuus)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        SUSPENDED = "suspended", _("suspended")

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="customerships")
    service = models.ForeignKey("catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="customerships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("customership")
        verbose_name_plural = _("customerships")
        ordering = ["-started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["party", "service", "started_on"], name="one_customership_per_start")]

    def __str__(self) -> str:
        return f"{self.service} ({self.started_on:%Y-%m-%d}–)"


class Mandate(models.Model):
    """A person's authority to act for an organisation in the e-service (a business representative).

    The city maintains these from the documents the organisation gives (a trade register extract,
    a power of attorney). A national mandate service (Suomi.fi-valtuudet) can replace this list
    later: everything that asks goes through aspa.customers.mandates."""

    class Scope(models.TextChoices):
        ALL_ERRANDS = "all", _("all errands")

    person = models.ForeignKey(Party, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="mandates_held", limit_choices_to={"kind": Party.Kind.PERSON})
    organisation = models.ForeignKey(Party, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="mandates_given",
                                     limit_choices_to={"kind": Party.Kind.ORGANISATION})
    scope = models.CharField(_("covers"), max_length=10, choices=Scope.choices, default=Scope.ALL_ERRANDS)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Leave empty for a mandate that is valid until revoked."))
    granted_by = models.ForeignKey("identity.User", verbose_name=_("granted by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("For example the document the mandate is based on."))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey("identity.User", verbose_name=_("revoked by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["-valid_from", "id"]
        indexes = [models.Index(fields=["person", "organisation"], name="mandate_person_organisation")]
        constraints = [
            models.CheckConstraint(
                name="mandate_ends_after_it_starts",
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation}"
