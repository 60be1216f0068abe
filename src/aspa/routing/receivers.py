"""The routing app listens to the requests app: a filed or reclassified request is routed inside
the same transaction (see aspa.requests.signals)."""

from django.dispatch import receiver

from aspa.requests.signals import request_classified, request_filed
from aspa.routing import operations


@receiver(request_filed, dispatch_uid="routing.request_filed")
def route_filed_request(sender, service_request, actor, **kwargs):
    operations.route_request(service_request, trigger="filed")


@receiver(request_classified, dispatch_uid="routing.request_classified")
def route_reclassified_request(sender, service_request, actor, changed, **kwargs):
    # Routing's own changes do not send this signal, so a rule cannot trigger itself.
    if changed & {"service", "product"}:
        operations.route_request(service_request, trigger="classified")
