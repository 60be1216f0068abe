"""The demo resident's errands in progress, so that someone trying the portal as "asukas" finds
more than closed history: one being handled, one waiting for the resident's answer to a question,
and one just filed through an electronic form. Run by `aspa demo` after the forms are loaded.

Unlike the generated history, these go through the apps' own operations (a call recorded at the
desk, a request filed from it, taken, a question asked, a form sent), so their history, messages,
contacts and emails are what the real flow leaves. Each errand is looked for before it is made,
so a second run changes nothing and a run that stopped halfway is completed by the next one."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from aspa.contacts import operations as contact_operations
from aspa.contacts.operations import ContactSummary
from aspa.customers.models import Party
from aspa.eforms import operations as form_operations
from aspa.eforms import prefill
from aspa.eforms.models import FormDefinition, Submission
from aspa.identity.models import User
from aspa.requests import operations as request_operations
from aspa.requests.models import ServiceRequest

RESIDENT = "asukas"
STAFF = ("puhelin", "neuvoja", "katu", "rakennus")
PARKING_FORM = "asukaspysakointitunnus"

# What the advisors wrote down and what the expert asks, in the resident's language.
STREET_LIGHT = {
    "fi": "Asiakas soitti: katuvalo ei pala kotitalon kohdalla, ja jalkakäytävä on pimeä. "
          "Toivoo korjausta ennen syksyn pimeitä iltoja.",
    "sv": "Kunden ringde: gatubelysningen vid huset är släckt och trottoaren är mörk. "
          "Önskar att den lagas före höstens mörka kvällar.",
    "en": "The customer called: the street light outside their home is out and the pavement is dark. "
          "Hopes it is repaired before the dark autumn evenings.",
}
SHED = {
    "fi": "Asiakas kysyi palvelupisteessä, tarvitaanko 12 m² pihavarastolle rakennuslupa vai riittääkö ilmoitus.",
    "sv": "Kunden frågade på serviceställe om ett förråd på 12 m² på gården kräver bygglov eller om en anmälan räcker.",
    "en": "The customer asked at the service point whether a 12 m² garden shed needs a building permit "
          "or whether a notification is enough.",
}
SHED_QUESTION = {
    "fi": "Kiitos kysymyksestä. Kuinka lähelle tontin rajaa varasto tulisi, ja onko naapuri antanut "
          "siihen suostumuksensa? Vastauksenne perusteella kerromme, tarvitaanko lupa.",
    "sv": "Tack för frågan. Hur nära tomtgränsen skulle förrådet stå, och har grannen gett sitt samtycke? "
          "Utifrån ert svar berättar vi om det behövs tillstånd.",
    "en": "Thank you for your question. How close to the plot boundary would the shed be, and has your "
          "neighbour agreed to it? From your answer we can tell whether a permit is needed.",
}


class CannotMake(Exception):
    """An errand the demo's data does not allow; its transaction rolls back and the rest go on."""


@dataclass
class Cast:
    resident: User
    party: Party
    staff: dict[str, User]
    language: str

    def text(self, texts: dict[str, str]) -> str:
        return texts.get(self.language, texts["fi"])


def _filed_already(cast: Cast, service: str, texts: dict[str, str]) -> bool:
    return ServiceRequest.objects.filter(party=cast.party, service__code=service,
                                         description=cast.text(texts)).exists()


def _from_a_call(cast: Cast, advisor: str, channel: str, service: str, request_type: str, notes: str,
                 minutes: int) -> ServiceRequest:
    """What the desk's contact screen does: the contact is recorded, a request filed from it."""
    actor = cast.staff[advisor]
    now = timezone.now()
    contact = contact_operations.record_contact(actor, channel=channel, party=cast.party, language=cast.language,
                                                started_at=now - datetime.timedelta(minutes=minutes))
    summary = ContactSummary(channel=channel, party=cast.party.pk, topics=[service], notes=notes)
    return contact_operations.file_request_from_contact(actor, contact, summary, request_type=request_type)


@transaction.atomic
def being_handled(cast: Cast) -> ServiceRequest | None:
    """Reported by phone; the streets expert has taken it."""
    if _filed_already(cast, "katujen-kunnossapito", STREET_LIGHT):
        return None
    filed = _from_a_call(cast, "puhelin", "phone", "katujen-kunnossapito", "notification",
                         cast.text(STREET_LIGHT), minutes=4)
    return request_operations.take(cast.staff["katu"], filed, version=filed.version)


@transaction.atomic
def waiting_for_the_resident(cast: Cast) -> ServiceRequest | None:
    """Asked at the service point; building control needs more facts and has asked the resident."""
    if _filed_already(cast, "rakennuslupa-neuvonta", SHED):
        return None
    filed = _from_a_call(cast, "neuvoja", "service_point", "rakennuslupa-neuvonta", "question",
                         cast.text(SHED), minutes=7)
    expert = cast.staff["rakennus"]
    request_operations.take(expert, filed, version=filed.version)
    return request_operations.request_information(expert, filed, version=filed.version,
                                                  question=cast.text(SHED_QUESTION))


@transaction.atomic
def filed_through_a_form(cast: Cast) -> ServiceRequest | None:
    """A resident parking permit applied for in the portal: the register's details filled in,
    as the form page does, and the rest answered."""
    form = FormDefinition.objects.filter(code=PARKING_FORM).first()
    if form is None or Submission.objects.filter(submitted_by=cast.resident, version__form=form).exists():
        return None
    version = form_operations.latest_version(form)
    today = timezone.localdate()
    first_of_next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    # A generated resident may lack an email address in the register; their login has one.
    answers = {"email": cast.resident.email, **prefill.prefilled_answers(version.parsed, cast.party, None),
               "zone": "b", "registration": "ESI-123", "vehicle_holder": "self", "period": "year",
               "start_date": first_of_next_month.isoformat(), "emission_class": "low", "confirm": "on"}
    posted = QueryDict(mutable=True)
    posted.update({f"f-{name}": value for name, value in answers.items()})
    owner = form_operations.Owner(user=cast.resident, party=cast.party)
    saved = form_operations.save_answers(owner, form, None, posted, MultiValueDict())
    if saved.checked.errors:
        raise CannotMake(f"{PARKING_FORM}: {', '.join(sorted(saved.checked.errors))} missing from the register")
    return form_operations.submit(owner, saved.draft).request


def load_demo(say) -> None:
    resident = User.objects.filter(username=RESIDENT, party__isnull=False).select_related("party").first()
    staff = {user.username: user for user in User.objects.filter(username__in=STAFF, is_active=True)}
    if resident is None or len(staff) < len(STAFF):
        say("the demo resident's open errands … skipped (no demo resident or staff)")
        return
    language = resident.party.language if resident.party.language in STREET_LIGHT else "fi"
    cast = Cast(resident=resident, party=resident.party, staff=staff, language=language)
    made: list[str] = []
    with translation.override(language):  # the form is filled in the resident's language
        for errand in (being_handled, waiting_for_the_resident, filed_through_a_form):
            try:
                item = errand(cast)
            except CannotMake as reason:
                say(f"the demo resident's open errands … skipped one ({reason})")
                continue
            if item is not None:
                made.append(item.number)
    say(f"the demo resident's open errands … {', '.join(made) if made else 'already there'}")
