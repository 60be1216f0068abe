"""Every change made through an electronic form: saving a draft (with its files), deleting
it, and submitting it, which files a service request through the requests app.

A submission is one transaction: the submission row (whose token is unique, so a draft is
filed once however often it is posted), the service request with its attachments, and the
draft's removal. If anything fails, nothing of it stays, files included."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aspa.customers.models import Party
from aspa.eforms import answers as form_answers
from aspa.eforms import receipts
from aspa.eforms.models import Draft, DraftFile, FormDefinition, FormVersion, Submission
from aspa.eforms.schema import parse
from aspa.errors import InvalidInput
from aspa.identity.models import Role, User
from aspa.requests import notifications
from aspa.requests import operations as request_operations
from aspa.requests.attachments import check_upload
from aspa.requests.models import ServiceRequest
from aspa.requests.operations import MAX_TEXT

# The catalogue's channel of the e-service portal.
ESERVICE_CHANNEL = "web"
# Files an anonymous filer's request: the e-service itself, never a person who can sign in.
ANONYMOUS_FILER = "eforms-anonymous"


@dataclass
class Owner:
    """Who a draft belongs to: a signed-in user, or an anonymous browser session (`visitor`)."""

    user: User | None
    visitor: str = ""
    party: Party | None = None  # for whom it is filed (the acting party)

    @property
    def is_anonymous(self) -> bool:
        return self.user is None


@dataclass
class Saved:
    draft: Draft
    checked: form_answers.Checked
    file_errors: dict[str, str] = field(default_factory=dict)


def latest_version(form: FormDefinition) -> FormVersion:
    version = form.versions.order_by("-number").first()
    if version is None:
        raise InvalidInput({"form": [_("This form is not in use.")]})
    return version


def _file_descriptions(draft: Draft) -> dict[str, list[dict]]:
    described: dict[str, list[dict]] = {}
    for stored in draft.files.all():
        described.setdefault(stored.field, []).append({
            "token": str(stored.token), "name": stored.original_name, "size": stored.size,
            "content_type": stored.content_type})
    return described


def _store_files(draft: Draft, version: FormVersion, files, written: list[DraftFile]) -> dict[str, str]:
    """Check and keep the files posted for each file field; a refused file is reported, not kept."""
    errors: dict[str, str] = {}
    for form_field in version.parsed.fields():
        if form_field.type != form_answers.FILE_FIELD:
            continue
        for upload in files.getlist(f"f-{form_field.name}"):
            if not upload or not upload.name:
                continue
            try:
                checked = check_upload(upload)
            except InvalidInput as refusal:
                errors[form_field.name] = form_answers.first_message(refusal)
                continue
            stored = DraftFile(draft=draft, token=uuid.uuid4(), field=form_field.name, original_name=checked.name,
                               content_type=checked.content_type, size=len(checked.data))
            stored.file.save(checked.name, ContentFile(checked.data), save=False)
            written.append(stored)
            stored.save()
    return errors


def save_answers(owner: Owner, form: FormDefinition, draft: Draft | None, data, files,
                 remove_files: list[str] | None = None) -> Saved:
    """Keep what the resident has written so far (and the files they gave), checked or not:
    a draft may be incomplete. Returns the draft and the check of its answers."""
    written: list[DraftFile] = []
    try:
        with transaction.atomic():
            if draft is None:
                version = latest_version(form)
                draft = Draft.objects.create(
                    token=uuid.uuid4(), version=version, user=owner.user, session_key=owner.visitor,
                    party=owner.party, language=_language())
            else:
                draft = Draft.objects.select_for_update().get(pk=draft.pk)
            schema = draft.version.parsed
            raw = form_answers.read_post(schema, data)
            gone = [stored for stored in draft.files.filter(token__in=_tokens(remove_files or []))]
            for stored in gone:
                stored.delete()
                transaction.on_commit(lambda stored=stored: stored.file.delete(save=False))
            file_errors = _store_files(draft, draft.version, files, written)
            raw.update(_file_descriptions(draft))
            draft.answers = raw
            draft.language = _language()
            draft.save(update_fields=["answers", "language", "updated_at"])
    except Exception:
        for stored in written:
            stored.file.delete(save=False)
        raise
    checked = form_answers.check(schema, raw)
    checked.errors.update(file_errors)
    return Saved(draft=draft, checked=checked, file_errors=file_errors)


def _tokens(values: list[str]) -> list[uuid.UUID]:
    tokens = []
    for value in values:
        try:
            tokens.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return tokens


def _language() -> str:
    language = (translation.get_language() or "fi")[:2]
    return language if language in ("fi", "sv", "en") else "fi"


@transaction.atomic
def delete_draft(draft: Draft) -> None:
    paths = [stored.file for stored in draft.files.all()]
    draft.delete()
    for stored_file in paths:
        transaction.on_commit(lambda stored_file=stored_file: stored_file.delete(save=False))


def _anonymous_filer() -> User:
    filer, created = User.objects.get_or_create(
        username=ANONYMOUS_FILER,
        defaults={"role": Role.INTEGRATION, "first_name": "E-service", "last_name": "(anonymous filer)",
                  "is_active": False},
    )
    if created:
        filer.set_unusable_password()
        filer.save(update_fields=["password"])
    return filer


def _contact(schema, answers: dict, prefill_key: str) -> str:
    for form_field in schema.fields():
        if form_field.prefill == prefill_key and answers.get(form_field.name):
            return str(answers[form_field.name])
    return ""


def description(version: FormVersion, answers: dict, language: str) -> str:
    """The request's description: the form's name and every shown answer, in the filer's language."""
    with translation.override(language):
        label = _("form version %(number)s") % {"number": version.number}
        lines = [f"{version.form.title} ({label})"]
        # The description shows in lists and to every handler: the henkilötunnus stays in the
        # structured answers, where only roles that may see it read it whole.
        for section in form_answers.summary(version.parsed, answers, mask_identity=True):
            lines += ["", section["title"]]
            lines += [f"{row['label']}: {row['value']}" for row in section["rows"]]
    text = "\n".join(lines)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _uploads(draft: Draft) -> list[SimpleUploadedFile]:
    uploads = []
    for stored in draft.files.all():
        with stored.file.open("rb") as handle:
            uploads.append(SimpleUploadedFile(stored.original_name, handle.read(), stored.content_type))
    return uploads


def submit(owner: Owner, draft: Draft) -> Submission:
    """File the draft as a service request. A draft that was already filed (a double click, or
    the back button and submit again) gives the submission made the first time."""
    try:
        return _submit(owner, draft)
    except IntegrityError:
        existing = Submission.objects.filter(token=draft.token).first()
        if existing is None:
            raise
        return existing


def _submit(owner: Owner, draft: Draft) -> Submission:
    written_attachments: list = []
    try:
        with transaction.atomic():
            locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
            if locked is None:  # filed by a concurrent post meanwhile
                raise IntegrityError("draft already submitted")
            version = locked.version
            schema = version.parsed
            checked = form_answers.check(schema, locked.answers)
            if checked.errors:
                raise InvalidInput({name: [message] for name, message in checked.errors.items()})
            # First the unique token: a concurrent second submit stops here, before anything is filed.
            submission = Submission.objects.create(
                token=locked.token, version=version, answers=checked.answers, language=locked.language,
                submitted_by=owner.user, session_key=owner.visitor)
            form = version.form
            anonymous = owner.is_anonymous
            service_request = request_operations.file_request(
                _anonymous_filer() if anonymous else owner.user,
                type=form.request_type.code, channel=ESERVICE_CHANNEL, service=form.service.code,
                description=description(version, checked.answers, locked.language), language=locked.language,
                # For whom the draft was started (the requests app checks the mandate is still valid).
                party=None if anonymous else (locked.party_id or (owner.party.pk if owner.party else None)),
                contact_name=_contact(schema, checked.answers, "person.name") if anonymous else "",
                contact_email=_contact(schema, checked.answers, "person.email") if anonymous else "",
                contact_phone=_contact(schema, checked.answers, "person.phone") if anonymous else "",
                attachments=_uploads(locked),
                receipt=False,  # the form's own receipt, with the answers, is sent below
            )
            written_attachments = list(service_request.attachments.all())
            submission.request = service_request
            submission.save(update_fields=["request"])
            _schedule_receipt(submission, service_request, schema, checked.answers)
            delete_draft(locked)
    except Exception:
        # The database rolled back; the request's files were written to storage and must go too.
        for attachment in written_attachments:
            attachment.file.delete(save=False)
        raise
    return submission


def _schedule_receipt(submission: Submission, service_request: ServiceRequest, schema, answers: dict) -> None:
    address = _contact(schema, answers, "person.email")
    if not address:
        found = notifications.customer_address(service_request)
        address = found[0] if found else ""
    receipts.schedule_receipt(submission, service_request, address)


# ----------------------------------------------------------------- publishing


@transaction.atomic
def publish_version(form: FormDefinition, schema: dict, *, by: User | None = None) -> FormVersion:
    """Publish `schema` as the form's next version. Checked first; older versions are untouched."""
    parse(schema)
    # Locking the form serialises two administrators publishing at once.
    FormDefinition.objects.select_for_update().filter(pk=form.pk).first()
    last = form.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return FormVersion.objects.create(form=form, number=last + 1, schema=schema, created_by=by)


# ----------------------------------------------------------------- housekeeping

# An anonymous draft belongs to a browser session, which ends within a working day.
ANONYMOUS_DRAFT_DAYS = 1


def purge_drafts(*, days: int) -> int:
    """Delete drafts (and their files) not saved for `days` days; anonymous ones after a day.
    Returns how many were deleted. Run daily (`aspa forms purge-drafts`)."""
    now = timezone.now()
    stale = Draft.objects.filter(
        Q(updated_at__lt=now - datetime.timedelta(days=days))
        | Q(user__isnull=True, updated_at__lt=now - datetime.timedelta(days=ANONYMOUS_DRAFT_DAYS)))
    count = 0
    for draft in stale.iterator():
        delete_draft(draft)
        count += 1
    return count
