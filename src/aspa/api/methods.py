"""A method an endpoint lacks (PUT where only GET exists) gets the API's JSON error shape.

django-ninja answers such calls with Django's plain-text 405 before any of the API's
exception handlers run, so the answer is rewritten here, keeping the Allow header."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from aspa.errors import DomainError

API_PREFIX = "/api/v1/"


class JsonMethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code == 405 and request.path.startswith(API_PREFIX)
                and not response.get("Content-Type", "").startswith("application/json")):
            error = DomainError(_("The method %(method)s is not allowed here.") % {"method": request.method},
                                code="method_not_allowed", status=405)
            rewritten = JsonResponse(error.as_dict(), status=405)
            if response.has_header("Allow"):
                rewritten["Allow"] = response["Allow"]
            return rewritten
        return response
