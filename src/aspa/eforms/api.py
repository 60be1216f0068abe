"""The electronic forms for other systems: which forms exist, a version's questions, and the
structured answers a request was filed with (for case management and reporting)."""

import datetime

from ninja import Router, Schema

from aspa.audit.reads import Reader
from aspa.eforms import queries
from aspa.identity.access import SEES_FULL_IDENTITY, STAFF, mask_national_id, require_role

router = Router(tags=["forms"])


class FormOut(Schema):
    code: str
    titles: dict[str, str]
    service: str
    request_type: str
    allow_anonymous: bool
    version: int


class VersionOut(Schema):
    form: str
    number: int
    published_at: datetime.datetime
    questions: dict


class SubmissionOut(Schema):
    request: str
    form: str
    version: int
    language: str
    submitted_at: datetime.datetime
    answers: dict


@router.get("", response=list[FormOut], summary="Electronic forms in use")
def list_forms(request):
    require_role(request.auth, STAFF)
    forms = queries.active_forms().prefetch_related("versions")
    return [{"code": form.code, "titles": form.titles(), "service": form.service.code,
             "request_type": form.request_type.code, "allow_anonymous": form.allow_anonymous,
             "version": max(version.number for version in form.versions.all())} for form in forms]


@router.get("/{code}/versions/{number}", response=VersionOut, summary="The questions of one version of a form")
def get_version(request, code: str, number: int):
    require_role(request.auth, STAFF)
    version = queries.get_version(code, number)
    return {"form": version.form.code, "number": version.number, "published_at": version.created_at,
            "questions": version.schema}


@router.get("/submissions/{request_id}", response=SubmissionOut,
            summary="The answers a request was filed with, by the request's id or number")
def get_submission(request, request_id: str):
    require_role(request.auth, STAFF)
    submission = queries.submission_of_request(Reader.of(request), request_id)
    answers = dict(submission.answers)
    if request.auth.role not in SEES_FULL_IDENTITY:
        identity_fields = [field.name for field in submission.version.parsed.fields() if field.type == "national_id"]
        for name in identity_fields:
            if answers.get(name):
                answers[name] = mask_national_id(answers[name])
    return {"request": submission.request.number, "form": submission.version.form.code,
            "version": submission.version.number, "language": submission.language,
            "submitted_at": submission.created_at, "answers": answers}
