from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from aspa.outbox.queries import readiness


@never_cache
def healthz(request):
    """Readiness: 200 while the database answers, the task worker's heartbeat is fresh and the
    outbox keeps up; otherwise 503 with the reason, and load balancers take the node out.
    The thresholds are ASPA_HEALTH_WORKER_STALE_SECONDS and ASPA_HEALTH_OUTBOX_LAG_SECONDS."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state = readiness()
    except DatabaseError as error:
        return JsonResponse({"status": "unavailable", "reason": f"the database does not answer: {error}"[:300]},
                            status=503)
    if not state.ready:
        return JsonResponse({"status": "unavailable", "reason": state.reason}, status=503)
    return JsonResponse({"status": "ok"})
