"""Hooks for the apps that act on requests without the requests app knowing them.

Both are sent inside the transaction of the change, so a receiver's writes (a routing
decision, a started process) commit or roll back together with the request. A receiver that
raises undoes the filing: receivers must only raise for a reason the filer should see."""

from django.dispatch import Signal

# sender=ServiceRequest, service_request=..., actor=User
request_filed = Signal()
# sender=ServiceRequest, service_request=..., actor=User, changed=set of field names
request_classified = Signal()
