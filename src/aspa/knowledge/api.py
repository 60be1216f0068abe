"""/api/v1/knowledge: searching and reading the knowledge base, and the expert directory.

Staff see every article; a signed-in resident only the public ones (the portal's FAQ)."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from aspa.errors import Forbidden, InvalidInput
from aspa.identity.access import STAFF, require_role
from aspa.identity.models import Role
from aspa.knowledge import queries, search

router = Router(tags=["knowledge"])
MAX_LIMIT = 50


class SearchHitOut(Schema):
    id: int
    external_id: str | None
    title: str
    snippet: str
    score: float


class SearchOut(Schema):
    results: list[SearchHitOut]


class SearchQuery(Schema):
    q: str
    lang: Literal["fi", "sv", "en"] | None = None
    limit: int = 10


class TranslationOut(Schema):
    id: int
    language: str
    title: str


class ArticleOut(Schema):
    id: int
    external_id: str | None
    language: str
    title: str
    body: str
    model_answer: str
    keywords: list[str]
    services: list[str]
    audience: str
    review_by: datetime.date | None
    version: int
    translations: list[TranslationOut]


class ExpertOut(Schema):
    id: int
    kind: str
    name: str
    title: str
    department: str
    team: str | None
    topics: list[str]
    languages: list[str]
    phone: str
    email: str
    duty_times: str


def _reader(request):
    user = request.auth
    if not getattr(user, "is_authenticated", False) or not user.is_active \
            or user.role not in (*STAFF, Role.RESIDENT):
        raise Forbidden()
    return user


@router.get("/search", response=SearchOut, summary="Search articles, best first")
def search_articles(request, params: Query[SearchQuery]):
    """Articles for a question in Finnish, Swedish or English: inflected forms, compounds, synonyms,
    text without ä and ö and typos are understood. `snippet` is HTML with the matching words in
    `<mark>`. `score` is the relevance (higher is better; comparable only within one answer)."""
    user = _reader(request)
    if not params.q.strip():
        raise InvalidInput({"q": [_("This field is required.")]})
    if not 1 <= params.limit <= MAX_LIMIT:
        raise InvalidInput({"limit": [_("Enter a number from 1 to %(max)s.") % {"max": MAX_LIMIT}]})
    found = queries.search_for(user, params.q[:500], language=params.lang, limit=params.limit)
    marked = search.snippets([article for _hit, article in found], params.q[:500])
    return {"results": [{"id": article.pk, "external_id": article.external_id, "title": article.title,
                         "snippet": marked[article.pk], "score": round(hit.score, 4)}
                        for hit, article in found]}


@router.get("/articles/{article_id}", response=ArticleOut, summary="One article with its model answer")
def article(request, article_id: int):
    user = _reader(request)
    item = queries.get_article_for(user, article_id)
    visible = set(queries.audiences_for(user))
    return {
        "id": item.pk, "external_id": item.external_id, "language": item.language, "title": item.title,
        "body": item.body, "model_answer": item.model_answer, "keywords": item.keyword_list,
        "services": [service.code for service in item.services.all()], "audience": item.audience,
        "review_by": item.review_by, "version": item.version,
        "translations": [{"id": other.pk, "language": other.language, "title": other.title}
                         for other in queries.translations_of(item) if other.audience in visible],
    }


@router.get("/experts", response=list[ExpertOut], summary="The expert directory, by topic")
def experts(request, q: str = ""):
    require_role(request.auth, STAFF)
    return [{"id": expert.pk, "kind": expert.kind, "name": expert.name, "title": expert.title,
             "department": expert.department.code, "team": expert.team.code if expert.team else None,
             "topics": expert.topic_list, "languages": [code.strip() for code in expert.languages.split(",")
                                                        if code.strip()],
             "phone": expert.phone, "email": expert.email, "duty_times": expert.duty_times}
            for expert in queries.find_experts(q[:300])]
