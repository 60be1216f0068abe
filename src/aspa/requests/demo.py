"""The demo city's service requests: eighteen months of them, each walked through the statuses a
real one takes, with its history, written in bulk by `aspa demo` (management/commands/demo.py).

The rows follow the same rules as the operations (numbers from RequestCounter, a history event per
transition, due dates in working days), and the tests of the demo check that they do."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from aspa.catalogue.models import Service
from aspa.customers.demo import BATCH
from aspa.identity.models import User
from aspa.requests.models import RequestCounter, RequestEvent, ServiceRequest, Status
from aspa.requests.workdays import add_working_days

# How often each channel carries a request or a contact: phone and the service point most.
REQUEST_CHANNELS = {"phone": 30, "service_point": 25, "web": 25, "email": 12, "chat": 4, "remote": 2, "letter": 2}
# Channels where a person is met or heard at once (a contact has a length of its own).
LIVE_CHANNELS = {"phone", "service_point", "chat", "remote"}
# How much more often than an average service each is asked about.
POPULARITY = {
    "yleisneuvonta": 8, "katujen-kunnossapito": 8, "palaute": 6, "kaupunkikortti": 5, "paivahoitohakemus": 5,
    "rakennuslupa-neuvonta": 5, "laskutus": 4, "venepaikka": 4, "pysakointivirhemaksu": 4, "asukaspysakointi": 4,
    "puistot": 4, "sahkoisen-asioinnin-opastus": 4, "viljelypalsta": 3, "ymparistohaitta": 3, "liikuntapaikkavaraus": 3,
    "seniorineuvonta": 3, "kouluun-ilmoittautuminen": 3, "kassapalvelu": 3, "kirjastokortti": 3, "tapahtumat-liput": 3,
    "jatevesi-haja-asutus": 2, "tilavaraus": 2, "uimakoulu": 2, "matkailuneuvonta": 2, "kalastuslupa": 2,
}
# Services an organisation rather than a person usually files.
ORGANISATION_SERVICES = {"kohdeavustus", "kulttuuriavustus", "tilavaraus", "meluilmoitus", "tilapainen-viitoituslupa",
                         "liikuntapaikkavaraus", "ruoppausilmoitus"}
# Request types a customer may file without giving a name.
ANONYMOUS_TYPES = {"feedback", "notification", "question"}
# Where the centre sends what it does not handle.
FORWARD_ORGANISATIONS = {"seniorineuvonta": "hyvinvointialue", "maksukatto": "hyvinvointialue",
                         "katujen-kunnossapito": "ely", "tyollistaminen": "kela", "ymparistohaitta": "ely"}

DESCRIPTIONS = {
    "fi": {
        "question": "Asiakas kysyy: {service}. Toivoo vastausta sähköpostilla.",
        "feedback": "Palaute aiheesta {service}: asiakas toivoo parannusta ja vastausta.",
        "initiative": "Kuntalaisaloite: {service}. Allekirjoittajia on useita.",
        "application": "Hakemus: {service}. Liitteet toimitetaan tarvittaessa.",
        "notification": "Ilmoitus: {service}. Kohde on merkitty karttaan.",
        "permit": "Lupahakemus: {service}. Ajankohta on lomakkeessa.",
        "appeal": "Oikaisuvaatimus: {service}. Asiakas pitää päätöstä virheellisenä.",
        "order": "Tilaus: {service}.",
        "reservation": "Varaus: {service}. Toivottu ajankohta on lomakkeessa.",
        "contact_request": "Yhteydenottopyyntö: {service}. Asiakas toivoo soittoa arkipäivänä.",
        "document_request": "Asiakirjapyyntö: {service}. Pyydetään kopiot sähköisesti.",
    },
    "sv": {
        "question": "Kunden frågar: {service}. Önskar svar per e-post.",
        "feedback": "Respons om {service}: kunden önskar en förbättring och ett svar.",
        "initiative": "Invånarinitiativ: {service}. Flera har undertecknat.",
        "application": "Ansökan: {service}. Bilagor lämnas vid behov.",
        "notification": "Anmälan: {service}. Platsen är markerad på kartan.",
        "permit": "Tillståndsansökan: {service}. Tidpunkten framgår av blanketten.",
        "appeal": "Begäran om omprövning: {service}. Kunden anser att beslutet är felaktigt.",
        "order": "Beställning: {service}.",
        "reservation": "Bokning: {service}. Önskad tid framgår av blanketten.",
        "contact_request": "Kontaktbegäran: {service}. Kunden önskar ett samtal på en vardag.",
        "document_request": "Begäran om handlingar: {service}. Kopior önskas elektroniskt.",
    },
    "en": {
        "question": "The customer asks about: {service}. Would like an answer by email.",
        "feedback": "Feedback on {service}: the customer hopes for an improvement and an answer.",
        "initiative": "Residents' initiative: {service}. Several people have signed it.",
        "application": "Application: {service}. Attachments will be sent if needed.",
        "notification": "Notification: {service}. The place is marked on the map.",
        "permit": "Permit application: {service}. The dates are on the form.",
        "appeal": "Rectification request: {service}. The customer considers the decision wrong.",
        "order": "Order: {service}.",
        "reservation": "Reservation: {service}. The preferred time is on the form.",
        "contact_request": "Contact request: {service}. The customer would like a call on a weekday.",
        "document_request": "Document request: {service}. Electronic copies requested.",
    },
}
RESOLUTIONS = {"fi": "Asia on käsitelty ja asiakkaalle on vastattu.",
               "sv": "Ärendet har behandlats och kunden har fått svar.",
               "en": "The matter has been handled and the customer has been answered."}


@dataclass
class Plan:
    """One service request to be written, with its history."""

    request: ServiceRequest
    events: list[RequestEvent] = field(default_factory=list)
    # What the contact in which it was filed achieved: "filed", "resolved" (at first contact),
    # "forwarded" or "redirected" (the contacts' demo turns it into the contact's outcome).
    first_contact: str = "filed"


def plan_request(city) -> Plan:
    service = city.random.choices(city.services, weights=[POPULARITY.get(s.code, 1) for s in city.services])[0]
    request_type = city.random.choice(list(service.request_types.all()))
    accepted = {c.code for c in service.channels.all()} or set(REQUEST_CHANNELS)
    channel = city.pick({code: weight for code, weight in REQUEST_CHANNELS.items() if code in accepted})
    party = None
    if request_type.code not in ANONYMOUS_TYPES or city.random.random() < 0.85:
        wants_organisation = service.code in ORGANISATION_SERVICES and city.random.random() < 0.6
        party = city.random.choice(city.organisation_parties if wants_organisation and city.organisation_parties
                                   else city.persons)
    language = party.language if party else city.pick({"fi": 90, "sv": 8, "en": 2})
    products = list(service.products.all())
    product = None
    if products and request_type.code in {"order", "reservation", "application", "permit"} and city.random.random() < 0.7:
        product = city.random.choice(products)
    created_at = city.moment(channel)
    staff = None
    if channel in LIVE_CHANNELS or channel in {"email", "letter"}:
        staff = city.users["neuvoja"] if channel == "service_point" else city.random.choice(city.advisors)
    service_name = getattr(service, f"name_{language}") or service.name_fi
    request = ServiceRequest(
        status=Status.RECEIVED, type=request_type, service=service, product=product, department=service.department,
        channel=city.channels[channel], party=party, language=language,
        description=DESCRIPTIONS[language][request_type.code].format(service=service_name),
        due_date=add_working_days(timezone.localdate(created_at), service.target_days),
        created_by=staff, created_at=created_at,
    )
    if party is None and city.random.random() < 0.5:
        request.contact_name = "Nimetön asiakas" if language == "fi" else "Anonymous customer"
        request.contact_email = f"palaute{city.random.randrange(10000)}@example.fi"
    plan = Plan(request)
    plan.events.append(RequestEvent(kind="filed", at=created_at, actor=staff, actor_label=city.label(staff, party),
                                    channel=channel, to_status=Status.RECEIVED,
                                    data={"type": request_type.code, "service": service.code,
                                          "department": service.department.code,
                                          "due_date": request.due_date.isoformat()}))
    _plan_history(city, plan, service, staff or city.users["neuvoja"])
    return plan


def _plan_history(city, plan: Plan, service: Service, advisor: User) -> None:
    """Walk the request through the statuses a real one would take, up to a status fitting its age."""
    request = plan.request
    age_days = (city.now - request.created_at).days
    open_chance = 0.7 if age_days < 7 else 0.35 if age_days < 30 else 0.08 if age_days < 90 else 0.015
    stays_open = city.random.random() < open_chance
    handler = city.experts.get(request.department_id) or advisor
    teams = city.teams.get(request.department_id)
    at = request.created_at
    # Calendar time the whole errand takes: around its service-level target.
    span = datetime.timedelta(days=service.target_days * 1.4 * city.random.uniform(0.2, 1.2), hours=1)
    end = min(request.created_at + span, city.now - datetime.timedelta(minutes=30))
    if end <= at:
        end = at + datetime.timedelta(minutes=5)

    def step(kind: str, to_status: str, actor: User | None, data: dict | None = None, when=None, label=None):
        nonlocal at
        # History runs forward and never past the present.
        at = max(at, min(when or city.between(at, end), city.now))
        plan.events.append(RequestEvent(kind=kind, at=at, actor=actor, actor_label=label or city.label(actor),
                                        from_status=request.status, to_status=to_status, data=data or {}))
        request.status = to_status

    live = request.channel.code in LIVE_CHANNELS
    if not stays_open and live and request.type.code in {"question", "order", "reservation"} and city.random.random() < 0.6:
        # Handled to the end while the customer was there: resolved at first contact.
        step("resolve", Status.RESOLVED, advisor, {"first_contact": True},
             when=request.created_at + datetime.timedelta(minutes=city.random.randint(1, 6)))
        request.resolved_at, request.resolved_at_first_contact = at, True
        request.resolution = RESOLUTIONS[request.language]
        plan.first_contact = "resolved"
    elif not stays_open and city.random.random() < 0.06:
        organisation = city.random.choice(list(city.organisations.values()))
        step("redirect", Status.REDIRECTED, advisor, {"organisation": organisation.code},
             when=request.created_at + datetime.timedelta(minutes=city.random.randint(1, 10)))
        request.redirected_to = organisation
        request.guidance = getattr(organisation, f"guidance_{request.language}") or organisation.guidance_fi
        request.resolved_at_first_contact = False
        plan.first_contact = "redirected"
        return
    else:
        if request.department_id != city.centre.pk and city.random.random() < 0.5:
            team = city.random.choice(teams) if teams else None
            external = FORWARD_ORGANISATIONS.get(service.code) if city.random.random() < 0.25 else None
            data = {"to_department": service.department.code, "to_team": team.code if team else None}
            if external:
                request.forwarded_to = city.organisations[external]
                data = {"to_organisation": external}
            step("forward", Status.FORWARDED, advisor, data,
                 when=request.created_at + datetime.timedelta(minutes=city.random.randint(1, 10)))
            # The centre forwarded it and keeps following it to closure.
            request.team, request.forwarded_at, request.followed_by = team, at, city.centre
            plan.first_contact = "forwarded"
            if stays_open and city.random.random() < 0.6:
                return
        if request.status == Status.RECEIVED and stays_open and city.random.random() < 0.3:
            return
        if request.status != Status.FORWARDED or request.forwarded_to is None:
            request.assignee = handler
            request.team = request.team or (city.random.choice(teams) if teams else None)
            step("take", Status.IN_PROGRESS, handler)
            if city.random.random() < 0.2:
                step("request_information", Status.WAITING, handler)
                request.waiting_since, request.status_before_waiting = at, Status.IN_PROGRESS
                if stays_open:
                    return
                step("provide_information", Status.IN_PROGRESS, None, label=city.label(None, request.party))
                request.waiting_since, request.status_before_waiting = None, ""
            if stays_open:
                return
        step("resolve", Status.RESOLVED, handler if request.forwarded_to is None else advisor,
             {"first_contact": False})
        request.resolved_at, request.resolved_at_first_contact = at, False
        request.resolution = RESOLUTIONS[request.language]
    if request.status == Status.RESOLVED and city.random.random() < 0.85:
        closed = at + datetime.timedelta(days=city.random.randint(1, 10))
        if closed < city.now:
            step("close", Status.CLOSED, None, when=closed)
            request.closed_at = at


def create_requests(city, count: int) -> list[Plan]:
    plans = sorted((plan_request(city) for _ in range(count)), key=lambda p: p.request.created_at)
    prefix = settings.REQUEST_NUMBER_PREFIX
    years = {timezone.localtime(p.request.created_at).year for p in plans}
    counters = {c.year: c for c in RequestCounter.objects.select_for_update().filter(year__in=years)}
    for year in years - set(counters):
        counters[year] = RequestCounter.objects.create(year=year, last=0)
    for plan in plans:
        counter = counters[timezone.localtime(plan.request.created_at).year]
        counter.last += 1
        plan.request.number = f"{prefix}-{counter.year}-{counter.last:06d}"
        plan.events[0].data["number"] = plan.request.number
    for counter in counters.values():
        counter.save(update_fields=["last"])
    written = 0
    for start in range(0, len(plans), BATCH):
        chunk = plans[start:start + BATCH]
        ServiceRequest.objects.bulk_create([p.request for p in chunk])
        events = []
        for plan in chunk:
            for event in plan.events:
                event.request = plan.request
                events.append(event)
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
        # updated_at is set by the database clock on insert; the history knows the real time.
        last_event = RequestEvent.objects.filter(request=OuterRef("pk")).order_by("-at").values("at")[:1]
        ServiceRequest.objects.filter(pk__in=[p.request.pk for p in chunk]).update(updated_at=Subquery(last_event))
        written += len(chunk)
        city.report(f"requests {written}/{count}")
    return plans
