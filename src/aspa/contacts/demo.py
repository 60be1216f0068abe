"""The demo city's contacts: the one in which each request was filed, and thousands more on every
channel (advice, follow-ups, calls that dropped), written in bulk by `aspa demo`
(management/commands/demo.py)."""

import datetime
from collections import defaultdict

from django.db.models.functions import Coalesce

from aspa.contacts.models import Contact, Outcome
from aspa.customers.demo import BATCH
from aspa.requests.demo import POPULARITY, Plan

# How often each channel carries a request or a contact: phone and the service point most.
CONTACT_CHANNELS = {"phone": 40, "service_point": 32, "email": 10, "chat": 7, "web": 4, "remote": 4, "letter": 3}
# Minutes a contact takes, from-to, per channel.
CONTACT_MINUTES = {"phone": (1, 15), "service_point": (3, 25), "remote": (10, 40), "chat": (4, 20),
                   "email": (2, 15), "web": (2, 10), "letter": (3, 15)}
# The outcome of the contact in which a request was filed, by what happened to the request there.
FIRST_CONTACT_OUTCOMES = {"filed": Outcome.REQUEST_FILED, "resolved": Outcome.ANSWERED,
                          "forwarded": Outcome.FORWARDED, "redirected": Outcome.REDIRECTED}
NOTES: dict[str, dict[str, str]] = {
    Outcome.ANSWERED: {"fi": "Neuvottu: {service}.", "sv": "Rådgivning: {service}.", "en": "Advised on: {service}."},
    Outcome.REQUEST_FILED: {"fi": "Kirjattu palvelupyyntö: {service}.", "sv": "Serviceförfrågan registrerad: {service}.",
                            "en": "Service request filed: {service}."},
    Outcome.FORWARDED: {"fi": "Välitetty asiantuntijalle: {service}.", "sv": "Förmedlat till en expert: {service}.",
                        "en": "Forwarded to an expert: {service}."},
    Outcome.REDIRECTED: {"fi": "Ohjattu oikeaan paikkaan: {service}.", "sv": "Hänvisad till rätt instans: {service}.",
                         "en": "Redirected to the right place: {service}."},
    Outcome.NO_ANSWER: {"fi": "Puhelu katkesi, ei tavoitettu.", "sv": "Samtalet bröts, nåddes inte.",
                        "en": "The call dropped; not reached."},
}


def _contact_times(city, channel: str, around: datetime.datetime | None = None):
    low, high = CONTACT_MINUTES[channel]
    minutes = city.random.randint(low, high)
    started = around - datetime.timedelta(minutes=city.random.randint(1, minutes)) if around else city.moment(channel)
    return started, min(started + datetime.timedelta(minutes=minutes, seconds=city.random.randrange(60)), city.now)


def _notes(outcome: str, language: str, service) -> str:
    name = getattr(service, f"name_{language}") or service.name_fi
    return NOTES[outcome][language].format(service=name)


def create_contacts(city, count: int, plans: list[Plan]) -> dict:
    rows: list[tuple[Contact, list, list]] = []
    # The contact in which each request was filed (not for requests filed online).
    for plan in plans:
        request = plan.request
        if len(rows) >= count or request.channel.code == "web":
            continue
        started, ended = _contact_times(city, request.channel.code, around=request.created_at)
        outcome = FIRST_CONTACT_OUTCOMES[plan.first_contact]
        contact = Contact(channel=request.channel, party=request.party, staff=request.created_by,
                          started_at=started, ended_at=ended, language=request.language,
                          outcome=outcome, notes=_notes(outcome, request.language, request.service))
        rows.append((contact, [request.service_id], [request.pk]))
    by_party = defaultdict(list)
    for plan in plans:
        if plan.request.party_id:
            by_party[plan.request.party_id].append(plan.request)
    weights = [POPULARITY.get(s.code, 1) for s in city.services]
    while len(rows) < count:
        channel = city.pick(CONTACT_CHANNELS)
        started, ended = _contact_times(city, channel)
        party = city.random.choice(city.parties) if city.random.random() < 0.7 else None
        language = party.language if party else city.pick({"fi": 90, "sv": 8, "en": 2})
        topics = list({s.pk: s for s in city.random.choices(city.services, weights=weights, k=city.random.choice([1, 1, 2]))}.values())
        staff = city.users["neuvoja"] if channel == "service_point" else city.random.choice(city.advisors)
        outcome = city.pick({Outcome.ANSWERED: 91, Outcome.REDIRECTED: 5, Outcome.NO_ANSWER: 4})
        if outcome == Outcome.NO_ANSWER and channel not in {"phone", "chat"}:
            outcome = Outcome.ANSWERED
        if outcome == Outcome.NO_ANSWER:
            ended = min(started + datetime.timedelta(seconds=city.random.randint(5, 50)), city.now)
        linked: list[int] = []
        earlier = [r for r in by_party.get(party.pk, []) if r.created_at < started] if party else []
        if earlier and outcome == Outcome.ANSWERED and city.random.random() < 0.3:
            # A follow-up: the customer asks how their request is doing; now and then the expert calls back.
            request = city.random.choice(earlier)
            linked, topics = [request.pk], [request.service]
            expert = city.experts.get(request.department_id)
            if expert is not None and city.random.random() < 0.3:
                staff, channel = expert, "phone"
        contact = Contact(channel=city.channels[channel], party=party, staff=staff, started_at=started,
                          ended_at=ended, language=language, outcome=outcome,
                          notes=_notes(outcome, language, topics[0]))
        rows.append((contact, [s.pk for s in topics], linked))
    rows.sort(key=lambda row: row[0].started_at)

    Topics, Requests = Contact.topics.through, Contact.requests.through
    written = 0
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        contacts = Contact.objects.bulk_create([contact for contact, _topics, _requests in chunk])
        # A contact is recorded when it ends, not when the demo was loaded.
        Contact.objects.filter(pk__in=[c.pk for c in contacts]).update(created_at=Coalesce("ended_at", "started_at"))
        Topics.objects.bulk_create([Topics(contact_id=contact.pk, service_id=service_id)
                                    for contact, topics, _requests in chunk for service_id in topics])
        Requests.objects.bulk_create([Requests(contact_id=contact.pk, servicerequest_id=request_id)
                                      for contact, _topics, requests in chunk for request_id in requests])
        written += len(chunk)
        city.report(f"contacts {written}/{count}")
    outcomes: dict[str, int] = defaultdict(int)
    for contact, _topics, _requests in rows:
        outcomes[contact.outcome] += 1
    return outcomes
