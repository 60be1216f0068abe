"""Reading forms, drafts and submissions, always through who may see them: a draft or a
receipt belongs to the signed-in user who wrote it, or to the anonymous browser session that
did; the printable copy follows the request's own visibility. Anything else is 404."""

import uuid

from django.db.models import Exists, OuterRef, QuerySet

from aspa.audit.reads import Reader
from aspa.catalogue.models import Service
from aspa.eforms.models import Draft, FormDefinition, FormVersion, Submission
from aspa.eforms.operations import Owner
from aspa.errors import NotFound
from aspa.requests import queries as request_queries


def active_forms() -> QuerySet[FormDefinition]:
    """Forms residents can fill: in use, with at least one published version."""
    published = FormVersion.objects.filter(form=OuterRef("pk"))
    return (FormDefinition.objects.filter(active=True, service__active=True).filter(Exists(published))
            .select_related("service", "request_type"))


def forms_for_service(service: Service) -> list[FormDefinition]:
    """The active forms that file under `service`, by title in the current language."""
    return sorted(active_forms().filter(service=service), key=lambda form: form.title.casefold())


def forms_by_service() -> list[tuple[Service, list[FormDefinition]]]:
    """Every active form, grouped under its service; services and forms by name."""
    groups: dict[int, tuple[Service, list[FormDefinition]]] = {}
    for form in active_forms():
        groups.setdefault(form.service_id, (form.service, []))[1].append(form)
    result = sorted(groups.values(), key=lambda group: group[0].name.casefold())
    return [(service, sorted(forms, key=lambda form: form.title.casefold())) for service, forms in result]


def get_form(code: str) -> FormDefinition:
    form = active_forms().filter(code=code).first()
    if form is None:
        raise NotFound()
    return form


def get_version(code: str, number: int) -> FormVersion:
    version = FormVersion.objects.filter(form__code=code, number=number).select_related("form").first()
    if version is None:
        raise NotFound()
    return version


def _parse_token(token) -> uuid.UUID:
    try:
        return uuid.UUID(str(token))
    except ValueError:
        raise NotFound() from None


def _owned(queryset, owner: Owner):
    if owner.user is not None:
        return queryset.filter(user=owner.user) if queryset.model is Draft else queryset.filter(
            submitted_by=owner.user)
    if not owner.visitor:
        return queryset.none()
    queryset = queryset.filter(session_key=owner.visitor)
    return queryset.filter(user__isnull=True) if queryset.model is Draft else queryset.filter(
        submitted_by__isnull=True)


def drafts_of(owner: Owner) -> QuerySet[Draft]:
    return _owned(Draft.objects.select_related("version__form"), owner)


def get_draft_for(owner: Owner, token) -> Draft:
    found = drafts_of(owner).filter(token=_parse_token(token)).first()
    if found is None:
        raise NotFound()
    return found


def find_submission_for(owner: Owner, token) -> Submission | None:
    return (_owned(Submission.objects.select_related("request__service", "version__form__service"), owner)
            .filter(token=_parse_token(token), request__isnull=False).first())


def get_submission_for(owner: Owner, token) -> Submission:
    found = find_submission_for(owner, token)
    if found is None:
        raise NotFound()
    return found


def submission_of_request(reader: Reader, number: str) -> Submission:
    """The form behind a request the reader may see (its own visibility rules), or 404. A staff
    reader's read of the answers is written to the audit log, as the form submission's."""
    # What is shown is the form's answers, logged below; the request is only looked up.
    service_request = request_queries.get_request_for(Reader.unaudited(reader.user), number)
    found = (Submission.objects.select_related("version__form__service", "request__service")
             .filter(request=service_request).first())
    if found is None:
        raise NotFound()
    reader.read("form_submission", [found], lambda submission: (submission.pk, submission.request.party_id))
    return found
