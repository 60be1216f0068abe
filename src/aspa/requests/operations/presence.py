"""Who has a request open now (the desk's "also open now by"): not history, only the time."""


from django.utils import timezone

from aspa.identity.models import User
from aspa.requests.models import RequestViewer, ServiceRequest
from aspa.requests.operations.shared import _require_staff


def note_viewer(actor: User, service_request: ServiceRequest) -> None:
    """Remember that `actor` has the request's page open now (the desk's heartbeat).

    Not history: nothing is recorded but the time, and the row is overwritten each time."""
    _require_staff(actor)
    RequestViewer.objects.update_or_create(request=service_request, user=actor,
                                           defaults={"last_seen": timezone.now()})

