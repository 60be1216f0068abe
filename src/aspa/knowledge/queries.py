"""Reading the knowledge base. Staff see every active article; residents and anonymous visitors
of the portal only public ones. An article someone may not see is simply not found."""

import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.errors import NotFound
from aspa.identity.access import is_staff
from aspa.knowledge import search
from aspa.knowledge.models import Article, ArticleUse, Audience, Expert, SearchLog
from aspa.knowledge.text import is_stop_word, word_tokens, words


def audiences_for(user) -> list[str]:
    if user is not None and is_staff(user):
        return [Audience.INTERNAL, Audience.PUBLIC]
    return [Audience.PUBLIC]


def articles_visible_to(user) -> QuerySet[Article]:
    return Article.objects.filter(active=True, audience__in=audiences_for(user))


def get_article_for(user, article_id: int) -> Article:
    article = articles_visible_to(user).select_related("owner_team", "translation_of").filter(pk=article_id).first()
    if article is None:
        raise NotFound(_("No such article."))
    return article


def search_articles(text: str, *, language: str | None = None, limit: int = 10,
                    audiences: list[str] | None = None) -> list[tuple[search.Hit, Article]]:
    """The best (hit, article) pairs for a question, best first."""
    hits = search.search(text, language=language, audiences=audiences, limit=limit)
    articles = Article.objects.in_bulk([hit.article_id for hit in hits])
    return [(hit, articles[hit.article_id]) for hit in hits if hit.article_id in articles]


def search_for(user, text: str, *, language: str | None = None, limit: int = 10):
    return search_articles(text, language=language, limit=limit, audiences=audiences_for(user))


def translations_of(article: Article) -> list[Article]:
    """The other language versions of the article."""
    root = article.translation_of_id or article.pk
    return list(Article.objects.filter(Q(pk=root) | Q(translation_of_id=root), active=True)
                .exclude(pk=article.pk).order_by("language"))


def uses_on_contact(contact_id: int) -> list[ArticleUse]:
    return list(ArticleUse.objects.filter(contact_id=contact_id).select_related("article").order_by("at", "id"))


def uses_on_request(request_id: int) -> list[ArticleUse]:
    return list(ArticleUse.objects.filter(service_request_id=request_id).select_related("article")
                .order_by("at", "id"))


def overdue_reviews(today: datetime.date | None = None) -> QuerySet[Article]:
    today = today or timezone.localdate()
    return Article.objects.filter(active=True, review_by__lt=today).order_by("review_by", "id")


def gaps(days: int = 30, limit: int = 50) -> dict[str, list[dict]]:
    """Searches of the last days that found nothing, and those that found something nobody opened,
    most frequent first: what owners should write next."""
    since = timezone.now() - datetime.timedelta(days=days)
    recent = SearchLog.objects.filter(at__gte=since)

    def grouped(logs: QuerySet[SearchLog]) -> list[dict]:
        return list(logs.values("text", "language").annotate(times=Count("id"), last=Max("at"))
                    .order_by("-times", "-last")[:limit])

    return {"no_results": grouped(recent.filter(results=0)),
            "not_opened": grouped(recent.filter(results__gt=0, clicked__isnull=True))}


def most_used(days: int = 30, limit: int = 20) -> list[dict]:
    """The articles whose model answers were used most in the last days, on contacts and requests."""
    since = timezone.now() - datetime.timedelta(days=days)
    return list(ArticleUse.objects.filter(at__gte=since).values("article_id", "article__title")
                .annotate(times=Count("id"), contacts=Count("contact", distinct=True),
                          requests=Count("service_request", distinct=True))
                .order_by("-times", "article__title")[:limit])


def _expert_tokens(text: str) -> dict[str, float]:
    tokens: dict[str, float] = {}
    for word in words(text):
        for language in ("fi", "sv"):
            if is_stop_word(word, language):
                continue
            for token, weight in word_tokens(word, language, None):
                tokens[token] = max(weight, tokens.get(token, 0.0))
    return tokens


def find_experts(text: str, *, limit: int = 20) -> list[Expert]:
    """The directory's people and teams whose topics, name, title, team or department match the
    question's words in any inflected form ("kuka osaa ruoppausilmoitukset?"), best first."""
    experts = list(Expert.objects.filter(active=True).select_related("department", "team"))
    wanted = _expert_tokens(text)
    if not wanted:
        return experts[:limit]
    scored = []
    for expert in experts:
        haystack = " ".join([expert.topics, expert.name, expert.title, expert.team.name if expert.team else "",
                             expert.department.name])
        have = _expert_tokens(haystack)
        score = sum(weight for token, weight in wanted.items() if token in have)
        if score:
            scored.append((score, expert))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [expert for _score, expert in scored[:limit]]
