"""The body of every error the API answers, as its OpenAPI document describes it:
`{"error": {"code", "message", "fields"}}` (`aspa.errors.DomainError.as_dict`, and the API's
handlers for validation errors). At the bottom of the layers so that every app's API declares
its error answers with the same schema."""

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail
