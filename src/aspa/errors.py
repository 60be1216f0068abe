"""The domain's errors, raised by operations and queries of every layer.

One shape for every interface: the API renders them as {"error": {"code", "message", "fields"}}
in the language of the request's Accept-Language; pages show the message beside the field."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message, *, code: str | None = None, fields: dict | None = None, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        if status:
            self.status_code = status

    def as_dict(self) -> dict:
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "fields": {name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                           for name, msgs in self.fields.items()},
            }
        }


class InvalidInput(DomainError):
    status_code = 422
    code = "invalid"

    def __init__(self, fields: dict, message=None, **kwargs):
        super().__init__(message or _("Some fields are not valid."), fields=fields, **kwargs)


class NotFound(DomainError):
    status_code = 404
    code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Not found."), **kwargs)


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You do not have permission to do this."), **kwargs)


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
