"""Changing the knowledge base: writing and importing articles, recording their use, feedback
and searches, reminding owners of reviews. Each function holds its own transaction."""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aspa.catalogue.models import Service
from aspa.errors import Forbidden, InvalidInput
from aspa.identity.access import STAFF, require_role
from aspa.identity.models import Role, User
from aspa.knowledge import index, learning
from aspa.knowledge.models import (
    Article,
    ArticleUse,
    ArticleVersion,
    Audience,
    Feedback,
    SearchLog,
    Synonym,
)
from aspa.notifications import send_email

LANGUAGE_CODES = ("fi", "sv", "en")
# Formatting an article may use; anything else (scripts, styles, images, forms) is removed.
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote",
                "table", "thead", "tbody", "tr", "th", "td", "code"}
EDITORS = (Role.EXPERT, Role.SUPERVISOR, Role.ADMIN)
# Owners hear about an article this many days before its review is due, and again weekly.
REMIND_BEFORE = datetime.timedelta(days=14)
REMIND_AGAIN = datetime.timedelta(days=7)
CONTENT_FIELDS = ("title", "body", "model_answer", "keywords", "audience")


def sanitise(body: str) -> str:
    """The body as safe HTML; plain text becomes paragraphs."""
    if "<" not in body:
        paragraphs = [part.strip() for part in body.split("\n\n") if part.strip()]
        body = "".join(f"<p>{nh3.clean_text(part)}</p>" for part in paragraphs)
    return nh3.clean(body, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer")


def _snapshot(article: Article, user: User | None) -> None:
    ArticleVersion.objects.create(article=article, version=article.version, title=article.title, body=article.body,
                                  model_answer=article.model_answer, keywords=article.keywords,
                                  audience=article.audience, changed_by=user)


def _apply(article: Article, values: dict, user: User | None) -> bool:
    """Set the content; keep the previous content as a version when it changes. True if changed."""
    values = {**values, "body": sanitise(values["body"])} if "body" in values else values
    changed = article.pk is None or any(getattr(article, name) != values[name] for name in CONTENT_FIELDS
                                        if name in values)
    if article.pk is not None and changed:
        _snapshot(article, user)
        article.version += 1
    for name, value in values.items():
        setattr(article, name, value)
    return changed


@transaction.atomic
def save_article(user: User | None, article: Article, *, services: Iterable[Service] | None = None,
                 **values) -> Article:
    """Create or change an article: history kept, index brought up to date."""
    if user is not None and user.role not in EDITORS:
        raise Forbidden()
    _apply(article, values, user)
    article.save()
    if services is not None:
        article.services.set(services)
    index.index_articles([article])
    return article


# ----------------------------------------------------------------- import


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    warnings: list[str]


def _parse_line(number: int, line: str, problems: list[str]) -> dict | None:
    def problem(message: str) -> None:
        problems.append(_("Line %(line)s: %(problem)s") % {"line": number, "problem": message})

    try:
        data = json.loads(line)
    except ValueError:
        problem(_("not valid JSON."))
        return None
    if not isinstance(data, dict):
        problem(_("not a JSON object."))
        return None
    external_id = data.get("id")
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > 100:
        problem(_("\"id\" must be a text of 1–100 characters."))
        return None
    language = data.get("lang", "fi")
    if language not in LANGUAGE_CODES:
        problem(_("\"lang\" must be fi, sv or en."))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        problem(_("\"title\" must be a text of 1–300 characters."))
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        problem(_("\"body\" is missing."))
    keywords = data.get("keywords", [])
    if isinstance(keywords, str):
        keywords = [part for part in keywords.split(",")]
    if not isinstance(keywords, list) or not all(isinstance(word, str) for word in keywords):
        problem(_("\"keywords\" must be a list of texts."))
        keywords = []
    audience = data.get("audience", Audience.INTERNAL)
    if audience not in Audience.values:
        problem(_("\"audience\" must be internal or public."))
    services = data.get("service", data.get("services", []))
    services = [services] if isinstance(services, str) else services
    if not isinstance(services, list) or not all(isinstance(code, str) for code in services):
        problem(_("\"service\" must be a service code or a list of them."))
        services = []
    answer = data.get("model_answer", "")
    if not isinstance(answer, str):
        problem(_("\"model_answer\" must be a text."))
    review_by = data.get("review_by")
    if review_by is not None:
        try:
            review_by = datetime.date.fromisoformat(review_by)
        except (TypeError, ValueError):
            problem(_("\"review_by\" must be a date as YYYY-MM-DD."))
    return {"external_id": external_id.strip(), "language": language, "title": (title or "").strip(),
            "body": body or "", "keywords": ", ".join(word.strip() for word in keywords if word.strip()),
            "audience": audience, "services": services, "model_answer": (answer or "").strip(),
            "review_by": review_by, "translation_of": data.get("translation_of")}


def _base_id(item: dict) -> str | None:
    """The article this one translates: named, or implied by a language suffix (KB-001-sv → KB-001)."""
    if isinstance(item["translation_of"], str):
        return item["translation_of"]
    suffix = f"-{item['language']}"
    if item["external_id"].endswith(suffix):
        return item["external_id"][: -len(suffix)]
    return None


def import_articles(lines: Iterable[str]) -> ImportResult:
    """Import JSON lines; an article whose id is known is updated. If any line is bad, nothing is
    imported and InvalidInput lists every bad line by number."""
    problems: list[str] = []
    items: list[dict] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = _parse_line(number, line, problems)
        if item is None:
            continue
        if item["external_id"] in seen:
            problems.append(_("Line %(line)s: the id %(id)s is already on line %(first)s.")
                            % {"line": number, "id": item["external_id"], "first": seen[item["external_id"]]})
        seen[item["external_id"]] = number
        items.append(item)
    if problems:
        raise InvalidInput({"lines": problems}, message=_("Nothing was imported: some lines are not valid."))
    return _store(items)


@transaction.atomic
def _store(items: list[dict]) -> ImportResult:
    codes = {code for item in items for code in item["services"]}
    services = {service.code: service for service in Service.objects.filter(code__in=codes)}
    warnings = [_("Unknown service code: %(code)s.") % {"code": code} for code in sorted(codes - set(services))]
    existing = {article.external_id: article for article in
                Article.objects.filter(external_id__in=[item["external_id"] for item in items])}
    created = updated = unchanged = 0
    changed_articles = []
    for item in items:
        article = existing.get(item["external_id"]) or Article(external_id=item["external_id"])
        is_new = article.pk is None
        values = {name: item[name] for name in ("language", "title", "body", "keywords", "audience", "model_answer")}
        if item["review_by"] is not None:
            values["review_by"] = item["review_by"]
        changed = _apply(article, values, None) or article.language != item["language"]
        if is_new or changed:
            article.save()
            changed_articles.append(article)
            created += is_new
            updated += not is_new
        else:
            unchanged += 1
        article.services.set([services[code] for code in item["services"] if code in services])
        existing[item["external_id"]] = article
    for item in items:
        base = _base_id(item)
        article = existing[item["external_id"]]
        original = existing.get(base) if base else None
        if original is None and base:
            original = Article.objects.filter(external_id=base).first()
        if original is not None and original.pk != article.pk and article.translation_of_id != original.pk:
            article.translation_of = original
            article.save(update_fields=["translation_of"])
    index.index_articles(changed_articles)
    return ImportResult(created, updated, unchanged, warnings)


# ----------------------------------------------------------------- use, feedback, searches


@transaction.atomic
def record_use(user: User, article: Article, *, contact=None, service_request=None) -> ArticleUse:
    """The advisor put the article's model answer into a reply on a contact or a request."""
    require_role(user, STAFF)
    if contact is None and service_request is None:
        raise InvalidInput({"contact": [_("Name the contact or the service request.")]})
    use = ArticleUse.objects.create(article=article, contact=contact, service_request=service_request, user=user)
    Article.objects.filter(pk=article.pk).update(uses=F("uses") + 1)
    return use


@transaction.atomic
def give_feedback(user: User, article: Article, *, helpful: bool, search_id: int | None = None) -> None:
    """Helpful or not; a second vote by the same person replaces the first. A new helpful vote
    given on a search's results teaches the search (`learning`)."""
    require_role(user, STAFF)
    previous = Feedback.objects.select_for_update().filter(article=article, user=user).first()
    if previous is not None and previous.helpful == helpful:
        return
    if helpful:
        learning.learn_from_search(search_id, article)
    change = {"helpful": F("helpful") + (1 if helpful else 0), "not_helpful": F("not_helpful") + (0 if helpful else 1)}
    if previous is not None:
        change["helpful"] -= 0 if helpful else 1
        change["not_helpful"] -= 1 if helpful else 0
        previous.helpful = helpful
        previous.save(update_fields=["helpful", "at"])
    else:
        Feedback.objects.create(article=article, user=user, helpful=helpful)
    Article.objects.filter(pk=article.pk).update(**change)


def record_view(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


def log_search(text: str, language: str, where: str, results: int) -> SearchLog | None:
    text = " ".join(text.split())[:300]
    if len(text) < 3:
        return None
    return SearchLog.objects.create(text=text, language=language, where=where, results=results)


def update_search(search_id: int, text: str, results: int) -> int | None:
    """The advisor typed on: the logged search becomes what they have typed now."""
    text = " ".join(text.split())[:300]
    updated = SearchLog.objects.filter(pk=search_id).update(text=text, results=results)
    return search_id if updated else None


def record_click(search_id: int | None, article: Article) -> None:
    """The article was opened (or its answer used) from a search's results: the first such
    article of a search is the search's click, and the search learns from it (`learning`)."""
    if search_id and SearchLog.objects.filter(pk=search_id, clicked__isnull=True).update(clicked=article):
        learning.learn_from_search(search_id, article)


# ----------------------------------------------------------------- synonyms


@transaction.atomic
def save_synonym(synonym: Synonym) -> Synonym:
    """Store a synonym group; searches use it at once (the index needs no rebuilding)."""
    synonym.save()
    index.vocabulary_changed()
    return synonym


@transaction.atomic
def delete_synonym(synonym: Synonym) -> None:
    synonym.delete()
    index.vocabulary_changed()


# ----------------------------------------------------------------- reviews


def _owners(article: Article) -> list[User]:
    if article.owner_team_id is None:
        return []
    return list(User.objects.filter(team_id=article.owner_team_id, is_active=True, role__in=EDITORS)
                .exclude(email=""))


def remind_reviewers(today: datetime.date | None = None) -> int:
    """Email each owner of articles whose review is due within two weeks or overdue (once a week
    per article at most). Returns how many emails are sent. Run daily by cron or the worker:
    `aspa kb remind`."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (Article.objects.filter(active=True, review_by__lte=today + REMIND_BEFORE, owner_team__isnull=False)
           .exclude(reminded_at__gte=now - REMIND_AGAIN).order_by("review_by", "id"))
    by_owner: dict[int, tuple[User, list[Article]]] = {}
    for article in due:
        for owner in _owners(article):
            by_owner.setdefault(owner.pk, (owner, []))[1].append(article)
    sent = 0
    with transaction.atomic():
        for owner, articles in by_owner.values():
            with translation.override(owner.language or "fi"):
                lines = [(_("%(title)s – review by %(date)s (overdue)") if article.review_by < today
                          else _("%(title)s – review by %(date)s"))
                         % {"title": article.title, "date": article.review_by.isoformat()} for article in articles]
                subject = _("Knowledge base articles to review")
                body = "\n".join([_("These articles of your expert group are due for review:"), "", *lines])
            send_email(owner.email, subject, body)
            sent += 1
        Article.objects.filter(pk__in=[article.pk for article in due]).update(reminded_at=now)
    return sent
