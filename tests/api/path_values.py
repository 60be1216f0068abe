"""Real values for the path parameters of the OpenAPI document, taken from the security tests'
world, so that fuzzed requests reach the handlers' own checks and not only their 404.

One set of values per side of the world, each consistent within itself: an attachment is one of
that request's attachments, a customership one of that party's. Request "a" is named by its
number and request "b" by its id, because every endpoint with a request_id takes either."""

from tests.security.world import Side, World


def path_parameters_of(document: dict) -> dict[str, set[str]]:
    """Every path parameter the document names → the paths that use it."""
    found: dict[str, set[str]] = {}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    found.setdefault(parameter["name"], set()).add(path)
    return found


def _side_values(side: Side, request_id: str, world: World, article_pk: int) -> dict:
    form_version = side.submission.version
    return {
        "party_id": side.party.pk,
        "customership_id": side.customership.pk,
        "request_id": request_id,
        "attachment_id": side.attachment.pk,
        "contact_id": side.contact.pk,
        "article_id": article_pk,
        "code": form_version.form.code,
        "number": form_version.number,
        # Only request "a" starts a process; its task is the one open task of the world.
        "task_id": world.a.task.pk,
    }


def real_path_values(world: World) -> list[dict]:
    """A dict of parameter name → an existing object's identifier, once per side of the world."""
    return [
        _side_values(world.a, world.a.request.number, world, world.public_article.pk),
        _side_values(world.b, str(world.b.request.pk), world, world.internal_article.pk),
    ]
