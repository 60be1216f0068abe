"""The portal's FAQ: residents search the public articles without signing in."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from aspa.errors import NotFound
from aspa.knowledge import operations, queries, search

MAX_LENGTH = 200


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_LENGTH]
    language = (get_language() or "fi")[:2]
    # Whoever asks, the portal shows only public articles.
    found = queries.search_articles(text, language=language, limit=10, audiences=["public"]) if text else []
    confident = sum(1 for hit, _article in found if hit.confidence >= search.CONFIDENT)
    marked = search.snippets([article for _hit, article in found], text)
    log = operations.log_search(text, language, "portal", confident) if text else None
    return render(request, "knowledge/faq.html", {
        "current": "faq", "query": text, "max_length": MAX_LENGTH, "search_id": log.pk if log else "",
        "results": [{"article": article, "snippet": marked[article.pk]} for _hit, article in found],
    })


@require_GET
def faq_article(request: HttpRequest, article_id: int) -> HttpResponse:
    try:
        article = queries.get_article_for(None, article_id)  # None: whoever asks, a public article
    except NotFound as missing:
        raise Http404 from missing
    operations.record_view(article)
    search_id = request.GET.get("search", "")
    if search_id.isdigit():  # opened from a logged search result
        operations.record_click(int(search_id), article)
    translations = [other for other in queries.translations_of(article) if other.audience == "public"]
    return render(request, "knowledge/faq_article.html", {"current": "faq", "article": article,
                                                           "translations": translations})
