"""A request's process starts when the request is filed for a service that has one, or when it is
classified under such a service later. The receivers only call the operation: the signal is sent
inside the filing's transaction, so the started process commits or rolls back with the request;
a broken process never stops the filing (see operations.start_or_note_failure)."""

from django.dispatch import receiver

from aspa.processes import operations
from aspa.requests.signals import request_classified, request_filed


@receiver(request_filed, dispatch_uid="aspa.processes.start_on_filing")
def start_on_filing(sender, service_request, actor, **kwargs):
    operations.start_or_note_failure(service_request, actor)


@receiver(request_classified, dispatch_uid="aspa.processes.start_on_classification")
def start_on_classification(sender, service_request, actor, changed, **kwargs):
    if "service" in changed:
        operations.start_or_note_failure(service_request, actor)
