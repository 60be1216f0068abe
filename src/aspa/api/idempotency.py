"""Idempotency-Key on every API POST: a retry with the same key gets the first answer and
creates nothing new. The handler and the stored answer commit in one transaction, so a
crash leaves either both or neither."""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from aspa.api.models import IdempotentResponse

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > 200:
            return _error(400, "invalid_idempotency_key", _("The Idempotency-Key header is longer than 200 characters."))
        # The key belongs to the caller: the same key from another token is another key.
        credentials = request.META.get("HTTP_AUTHORIZATION") or request.COOKIES.get("sessionid", "")
        scope = hashlib.sha256(credentials.encode()).hexdigest()
        body_hash = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()

        previous = IdempotentResponse.objects.filter(scope=scope, key=key).first()
        if previous is not None:
            return self._replay(previous, body_hash)
        try:
            with transaction.atomic():
                record = IdempotentResponse.objects.create(scope=scope, key=key, request_hash=body_hash)
                response = self.get_response(request)
                if response.status_code >= 500 or response.streaming:
                    # Nothing to replay: roll back so that a retry runs again.
                    transaction.set_rollback(True)
                    return response
                record.status_code = response.status_code
                record.content_type = response.get("Content-Type", "")
                record.body = response.content
                record.save(update_fields=["status_code", "content_type", "body"])
                return response
        except IntegrityError:
            # Another request with the same key committed first.
            previous = IdempotentResponse.objects.filter(scope=scope, key=key).first()
            if previous is None:
                raise
            return self._replay(previous, body_hash)

    @staticmethod
    def _replay(previous: IdempotentResponse, body_hash: str) -> HttpResponse:
        if previous.request_hash != body_hash:
            return _error(422, "idempotency_key_reused",
                          _("This Idempotency-Key was already used for a different request."))
        response = HttpResponse(bytes(previous.body), status=previous.status_code,
                                content_type=previous.content_type or "application/json")
        response["Idempotent-Replayed"] = "true"
        return response


