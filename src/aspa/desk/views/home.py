"""The desk's front page: the user's queues with their first requests (the contacts panel and
the process tasks load into it after the page)."""

from django.http import HttpRequest, HttpResponse

from aspa.audit.reads import Reader
from aspa.desk import queries
from aspa.desk.access import desk_user_required
from aspa.desk.views.requests import render_desk_page, request_rows

# How many requests each queue shows on the desk's front page.
PREVIEW_SIZE = 5


@desk_user_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    counts = queries.queue_counts(user)
    queues = []
    for queue in queries.QUEUES:
        # An empty queue needs no second query for its (empty) list. Not audited, as before: the
        # preview shows each request's number, service, status and due date, not the customer.
        preview = (list(queries.queue_requests(Reader.unaudited(user), queue.key)[:PREVIEW_SIZE])
                   if counts[queue.key.value] else [])
        queues.append({"queue": queue, "count": counts[queue.key.value], "rows": request_rows(preview)})
    return render_desk_page(request, "desk/home.html", {"queues": queues, "current": "home"})
