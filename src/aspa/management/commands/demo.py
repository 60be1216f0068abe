"""`aspa demo`: the fictional city of Esimerkkilä with eighteen months of customer service.

Loads the project's own catalogue, creates staff logins (printed at the end), about two
hundred residents and organisations, service requests with their history and the contacts
of the service centre. The data is made with a fixed random seed, so every run builds the
same city. A second run only refreshes the catalogue: it finds the demo already loaded.

This is a data loader, not a desk: it writes rows directly in bulk, because filing two
thousand requests one by one through the operations would take minutes. The rows follow the
same rules as the operations (numbers from RequestCounter, a history event per transition,
valid identity codes), and the tests of the demo check that they do."""

import datetime
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import import_module
from zoneinfo import ZoneInfo

import holidays
import phonenumbers
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from stdnum.fi import hetu, ytunnus

from aspa.catalogue.models import Channel, Department, ExternalOrganisation, Segment, Service, Team
from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
from aspa.contacts.models import Contact, Outcome
from aspa.customers.models import ContactPoint, Customership, Party, fold_for_search
from aspa.identity.models import Role, User
from aspa.requests.models import RequestCounter, RequestEvent, ServiceRequest, Status

HELSINKI = ZoneInfo("Europe/Helsinki")
# Apps that add their own demo data: each module has `load_demo(say)`, which must be safe to run
# again (a second `aspa demo` updates rather than duplicates).
DEMO_PARTS: list[str] = ["aspa.eforms.demo", "aspa.knowledge.demo", "aspa.processes.demo", "aspa.customers.demo",
                          "aspa.routing.demo", "aspa.portal.demo"]
HISTORY_DAYS = 548  # eighteen months
BATCH = 500

# username, password, role, first name, last name, department, team, what they are for
LOGINS = [
    ("neuvoja", "neuvoja-esimerkkila", Role.ADVISOR, "Aino", "Virtanen", "aspa", "aspa-palvelupiste",
     "service advisor at the service point"),
    ("puhelin", "puhelin-esimerkkila", Role.ADVISOR, "Mikko", "Korhonen", "aspa", "aspa-puhelinneuvonta",
     "phone advisor (contact centre)"),
    ("rakennus", "rakennus-esimerkkila", Role.EXPERT, "Pekka", "Lehtonen", "rakennusvalvonta", "rakennusvalvonta-luvat",
     "expert, building control"),
    ("ymparisto", "ymparisto-esimerkkila", Role.EXPERT, "Sanna", "Heikkinen", "ymparisto", "ymparisto-valvonta",
     "expert, environmental services"),
    ("katu", "katu-esimerkkila", Role.EXPERT, "Jari", "Mäkinen", "katu", "katu-kunnossapito",
     "expert, streets and parks"),
    ("kasvatus", "kasvatus-esimerkkila", Role.EXPERT, "Leena", "Nieminen", "kasvatus", "kasvatus-palveluohjaus",
     "expert, early childhood education"),
    ("satama", "satama-esimerkkila", Role.EXPERT, "Tomas", "Lindqvist", "satama", "satama-venepaikat",
     "expert, marinas and allotments (Swedish)"),
    ("esimies", "esimies-esimerkkila", Role.SUPERVISOR, "Riitta", "Laine", "aspa", None,
     "supervisor of the service centre"),
    ("paakayttaja", "paakayttaja-esimerkkila", Role.ADMIN, "Olli", "Salo", None, None,
     "administrator (also Django admin)"),
    ("asukas", "asukas-esimerkkila", Role.RESIDENT, "Maija", "Meikäläinen", None, None,
     "resident with a customer record"),
]
ADMIN_USERNAME = "paakayttaja"
LANGUAGE_BY_USERNAME = {"satama": "sv", "paakayttaja": "en"}

FINNISH_WOMEN = ["Aino", "Anna", "Eeva", "Elina", "Emilia", "Helmi", "Johanna", "Kaisa", "Katja", "Laura", "Leena",
                 "Liisa", "Maria", "Marjatta", "Minna", "Noora", "Oona", "Päivi", "Riikka", "Sari", "Satu", "Siiri",
                 "Sofia", "Tiina", "Tuula", "Ulla", "Venla", "Veera"]
FINNISH_MEN = ["Antti", "Eero", "Eino", "Heikki", "Ilkka", "Janne", "Jari", "Juha", "Jukka", "Kalle", "Kari", "Lauri",
               "Markku", "Matti", "Mikko", "Onni", "Pekka", "Pentti", "Petri", "Risto", "Sami", "Timo", "Toni", "Tuomas",
               "Väinö", "Ville"]
FINNISH_SURNAMES = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
                    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
                    "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
                    "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen", "Kärkkäinen", "Hyvönen"]
SWEDISH_WOMEN = ["Anna", "Ebba", "Elin", "Ida", "Linnea", "Maja", "Sara", "Stina", "Ulrika", "Wilma"]
SWEDISH_MEN = ["Anders", "Björn", "Erik", "Fredrik", "Gustav", "Henrik", "Johan", "Mats", "Nils", "Tomas"]
SWEDISH_SURNAMES = ["Lindqvist", "Sjöberg", "Holmström", "Eklund", "Lindholm", "Nyberg", "Forsman", "Wikström",
                    "Åberg", "Grönroos", "Blomqvist", "Söderlund"]
ENGLISH_WOMEN = ["Emily", "Grace", "Olivia", "Sarah"]
ENGLISH_MEN = ["Daniel", "James", "Oliver", "Thomas"]
ENGLISH_SURNAMES = ["Brown", "Clarke", "Taylor", "Wilson", "Evans"]
ORGANISATIONS = [
    ("Esimerkkilän Urheiluseura ry", "fi"), ("Esimerkkilän Venekerho ry", "fi"), ("Kotiseutuyhdistys Esimerkkilä ry", "fi"),
    ("Rakennuspalvelu Niemi Oy", "fi"), ("Kahvila Kanerva Oy", "fi"), ("Skärgårdens Båtservice Ab", "sv"),
    ("Esimerkkilän Teatteriyhdistys ry", "fi"), ("Tilitoimisto Laine Oy", "fi"), ("Lumityö Mäkinen Ky", "fi"),
    ("Asunto Oy Esimerkkilän Rantakatu 5", "fi"), ("Kiinteistöhuolto Salonen Oy", "fi"), ("Svenska Pensionärer i Exempelby rf", "sv"),
    ("Esimerkkilän Yrittäjät ry", "fi"), ("Maansiirto Heikkilä Oy", "fi"), ("Tapahtumatoimisto Kesäyö Oy", "fi"),
    ("Esimerkkilän Partiolaiset ry", "fi"), ("Puutarhayhdistys Omena ry", "fi"), ("Bändiyhdistys Kellari ry", "fi"),
    ("Konsulttitoimisto Saarinen Oy", "fi"), ("Taksi Jokinen Ky", "fi"), ("Esimerkkilän Hiihtoseura ry", "fi"),
    ("Kuljetus Rantanen Oy", "fi"), ("Ravintola Satama Oy", "fi"), ("Exempelby Segelsällskap rf", "sv"),
    ("Metsäpalvelu Kinnunen Oy", "fi"), ("Esimerkkilän Eläkeläiset ry", "fi"), ("Sähköasennus Turunen Oy", "fi"),
    ("Taideyhdistys Sinivuokko ry", "fi"), ("Siivous Ahonen Ky", "fi"), ("Esimerkkilän Kalastusseura ry", "fi"),
]
STREETS = ["Kirkkokatu", "Rantatie", "Koulukatu", "Myllytie", "Satamakatu", "Puistokatu", "Kauppakatu", "Koivukuja",
           "Pajutie", "Mäntytie", "Asemakatu", "Torikatu", "Kalliopolku", "Niittytie", "Harjukatu", "Lähteenkatu"]
POSTAL_CODES = ["99100", "99110", "99120", "99130", "99140", "99150", "99160", "99170"]
CITY_NAMES = {"fi": "Esimerkkilä", "sv": "Exempelby", "en": "Esimerkkilä"}

# How often each channel carries a request or a contact: phone and the service point most.
REQUEST_CHANNELS = {"phone": 30, "service_point": 25, "web": 25, "email": 12, "chat": 4, "remote": 2, "letter": 2}
CONTACT_CHANNELS = {"phone": 40, "service_point": 32, "email": 10, "chat": 7, "web": 4, "remote": 4, "letter": 3}
# Channels where a person is met or heard at once (a contact has a length of its own).
LIVE_CHANNELS = {"phone", "service_point", "chat", "remote"}
# Minutes a contact takes, from-to, per channel.
CONTACT_MINUTES = {"phone": (1, 15), "service_point": (3, 25), "remote": (10, 40), "chat": (4, 20),
                   "email": (2, 15), "web": (2, 10), "letter": (3, 15)}
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
# Services that are a lasting relationship (asiakkuus) rather than a one-off.
CUSTOMERSHIP_SERVICES = ["venepaikka", "viljelypalsta", "kaupunkikortti", "asukaspysakointi", "paivahoitohakemus",
                         "aamu-iltapaivatoiminta", "kirjastokortti", "uimakoulu"]
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
NOTES = {
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


@lru_cache(maxsize=16)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Finland(years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def demo_is_loaded() -> bool:
    # The logins and everything else are created in one transaction; the administrator is the marker.
    return User.objects.filter(username=ADMIN_USERNAME).exists() and Party.objects.exists()


@dataclass
class Plan:
    """One service request to be written, with its history."""

    request: ServiceRequest
    events: list[RequestEvent] = field(default_factory=list)
    first_contact_outcome: str = Outcome.REQUEST_FILED


class DemoCity:
    def __init__(self, seed: int, report) -> None:
        self.random = random.Random(seed)
        self.report = report
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)

    # ------------------------------------------------------------ helpers

    def pick(self, weights: dict):
        return self.random.choices(list(weights), weights=list(weights.values()))[0]

    def moment(self, channel: str, days_back: int | None = None) -> datetime.datetime:
        """A time in the last eighteen months: office hours on working days for the live channels."""
        day = self.today - datetime.timedelta(days=self.random.randrange(HISTORY_DAYS) if days_back is None else days_back)
        if channel in LIVE_CHANNELS:
            while not is_working_day(day):
                day -= datetime.timedelta(days=1)
            hour = self.random.randint(8, 15)
        else:
            hour = self.random.choice([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22])
        at = datetime.datetime.combine(day, datetime.time(hour, self.random.randrange(60), self.random.randrange(60)),
                                       tzinfo=HELSINKI)
        if at > self.now:
            at = self.now - datetime.timedelta(minutes=self.random.randint(2, 240))
        return at

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        seconds = max(60, int((end - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.random.randint(60, seconds) if seconds > 60 else 60)

    @staticmethod
    def label(user: User | None, party: Party | None = None) -> str:
        if user is not None:
            return user.get_full_name() or user.username
        return party.display_name if party is not None else "system"

    # ------------------------------------------------------------ catalogue and logins

    def load_catalogue(self) -> dict:
        counts = load_catalogue(ESIMERKKILA)
        self.services = list(Service.objects.select_related("department").prefetch_related("channels", "request_types",
                                                                                           "products"))
        self.service_by_code = {s.code: s for s in self.services}
        self.channels = {c.code: c for c in Channel.objects.all()}
        self.organisations = {o.code: o for o in ExternalOrganisation.objects.all()}
        self.teams = defaultdict(list)
        for team in Team.objects.all():
            self.teams[team.department_id].append(team)
        self.centre = Department.objects.get(code="aspa")
        return counts

    def create_logins(self) -> None:
        departments = {d.code: d for d in Department.objects.all()}
        teams = {t.code: t for t in Team.objects.all()}
        self.users: dict[str, User] = {}
        for username, password, role, first, last, department, team, _purpose in LOGINS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name, user.last_name, user.role = first, last, role
            user.email = f"{username}@esimerkkila.fi"
            user.department = departments.get(department) if department else None
            user.team = teams.get(team) if team else None
            user.language = LANGUAGE_BY_USERNAME.get(username, "fi")
            user.is_staff = user.is_superuser = role == Role.ADMIN
            validate_password(password, user)
            user.set_password(password)
            user.save()
            self.users[username] = user
        self.experts = {u.department_id: u for u in self.users.values() if u.role == Role.EXPERT}
        self.advisors = [self.users["neuvoja"], self.users["puhelin"]]

    # ------------------------------------------------------------ customers

    def national_id(self, birth: datetime.date, female: bool, taken: set[str]) -> str:
        """A henkilötunnus in the test range (individual number 900-999) that the library accepts.

        ALLOW_TEST_IDENTITY_CODES gates such codes where people type them (the API); the
        loader writes them directly, so the demo works whatever that setting is."""
        sign = "-" if birth.year < 2000 else "A"
        while True:
            individual = self.random.randrange(900, 1000)
            if individual % 2 == (0 if female else 1):
                base = f"{birth:%d%m%y}{sign}{individual:03d}"
                # The check character is whichever of the 31 the library's validator accepts.
                code = next(base + c for c in "0123456789ABCDEFHJKLMNPRSTUVWXY"
                            if hetu.is_valid(base + c, allow_temporary=True))
                if code not in taken:
                    taken.add(code)
                    return code

    def business_id(self, taken: set[str]) -> str:
        while True:
            base = f"{self.random.randrange(1000000, 3300000):07d}"
            valid = [f"{base}-{digit}" for digit in range(10) if ytunnus.is_valid(f"{base}-{digit}")]
            # Some bases have no check digit (remainder 1 is never issued); draw another.
            if valid and valid[0] not in taken:
                taken.add(valid[0])
                return valid[0]

    def phone(self) -> str:
        prefix = self.random.choice(["40", "41", "44", "45", "50"])
        number = phonenumbers.parse(f"+358{prefix}{self.random.randrange(10**7):07d}")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def create_parties(self, count: int) -> None:
        taken_national = set(Party.objects.exclude(national_id=None).values_list("national_id", flat=True))
        taken_business = set(Party.objects.exclude(business_id=None).values_list("business_id", flat=True))
        organisations = min(len(ORGANISATIONS), count // 7)
        parties: list[Party] = []
        for index in range(count - organisations):
            language = self.pick({"fi": 88, "sv": 10, "en": 2})
            female = self.random.random() < 0.52
            if index == 0:
                first, last, language, female = "Maija", "Meikäläinen", "fi", True  # the resident login
            elif language == "sv":
                first = self.random.choice(SWEDISH_WOMEN if female else SWEDISH_MEN)
                last = self.random.choice(SWEDISH_SURNAMES)
            elif language == "en":
                first = self.random.choice(ENGLISH_WOMEN if female else ENGLISH_MEN)
                last = self.random.choice(ENGLISH_SURNAMES)
            else:
                first = self.random.choice(FINNISH_WOMEN if female else FINNISH_MEN)
                last = self.random.choice(FINNISH_SURNAMES)
            birth = datetime.date(1938, 1, 1) + datetime.timedelta(days=self.random.randrange(25500))
            parties.append(Party(
                kind=Party.Kind.PERSON, first_name=first, last_name=last, birth_date=birth, language=language,
                national_id=self.national_id(birth, female, taken_national),
                contact_preference=self.pick({"email": 55, "sms": 25, "letter": 12, "phone": 8}),
                non_disclosure=self.random.random() < 0.01,
            ))
        for name, language in ORGANISATIONS[:organisations]:
            parties.append(Party(kind=Party.Kind.ORGANISATION, name=name, language=language,
                                 business_id=self.business_id(taken_business),
                                 contact_preference=Party.Preference.EMAIL))
        for party in parties:
            # bulk_create skips Party.save(), which keeps the search key.
            party.search_name = party.compute_search_name()
        Party.objects.bulk_create(parties, batch_size=BATCH)
        # Customers were in the register before the eighteen months of history began.
        for party in parties:
            party.created_at = party.updated_at = self.now - datetime.timedelta(days=self.random.randint(HISTORY_DAYS, 2000))
        Party.objects.bulk_update(parties, ["created_at", "updated_at"], batch_size=BATCH)
        self.parties = parties
        self.persons = [p for p in parties if p.kind == Party.Kind.PERSON]
        self.organisation_parties = [p for p in parties if p.kind == Party.Kind.ORGANISATION]
        self.report(f"residents {len(self.persons)}/{count - organisations}, "
                    f"organisations {len(self.organisation_parties)}/{organisations}")
        self.create_party_details()

    def create_party_details(self) -> None:
        points, segment_links, customerships = [], [], []
        Segments = Party.segments.through
        segment_ids = list(Segment.objects.values_list("id", flat=True))
        for number, party in enumerate(self.parties, start=1):
            city = CITY_NAMES[party.language]
            points.append(ContactPoint(party=party, kind=ContactPoint.Kind.ADDRESS, is_primary=True,
                                       street=f"{self.random.choice(STREETS)} {self.random.randint(1, 60)}",
                                       postal_code=self.random.choice(POSTAL_CODES), city=city))
            if party.kind == Party.Kind.PERSON:
                local = fold_for_search(f"{party.first_name}.{party.last_name}").replace(" ", "")
                if self.random.random() < 0.9:
                    points.append(ContactPoint(party=party, kind=ContactPoint.Kind.PHONE, value=self.phone(), is_primary=True))
                if self.random.random() < 0.8:
                    points.append(ContactPoint(party=party, kind=ContactPoint.Kind.EMAIL, is_primary=True,
                                               value=f"{local}{number}@example.fi"))
            else:
                local = fold_for_search(party.name).replace(" ", "-")
                points.append(ContactPoint(party=party, kind=ContactPoint.Kind.EMAIL, value=f"{local}@example.fi",
                                           is_primary=True))
                points.append(ContactPoint(party=party, kind=ContactPoint.Kind.PHONE, value=self.phone(), is_primary=True))
            for segment_id in self.random.sample(segment_ids, k=self.random.choice([0, 1, 1, 2])):
                segment_links.append(Segments(party_id=party.pk, segment_id=segment_id))
            if party.kind == Party.Kind.PERSON and self.random.random() < 0.3:
                for code in self.random.sample(CUSTOMERSHIP_SERVICES, k=self.random.choice([1, 1, 2])):
                    started = self.today - datetime.timedelta(days=self.random.randint(30, 1800))
                    ended = self.random.random() < 0.15
                    customerships.append(Customership(
                        party=party, service=self.service_by_code[code], started_on=started,
                        status=Customership.Status.ENDED if ended else Customership.Status.ACTIVE,
                        ended_on=min(self.today, started + datetime.timedelta(days=self.random.randint(20, 365)))
                        if ended else None,
                    ))
        ContactPoint.objects.bulk_create(points, batch_size=BATCH)
        Segments.objects.bulk_create(segment_links, batch_size=BATCH)
        Customership.objects.bulk_create(customerships, batch_size=BATCH)
        self.customership_count = len(customerships)

    # ------------------------------------------------------------ service requests

    def plan_request(self) -> Plan:
        service = self.random.choices(self.services, weights=[POPULARITY.get(s.code, 1) for s in self.services])[0]
        request_type = self.random.choice(list(service.request_types.all()))
        accepted = {c.code for c in service.channels.all()} or set(REQUEST_CHANNELS)
        channel = self.pick({code: weight for code, weight in REQUEST_CHANNELS.items() if code in accepted})
        party = None
        if request_type.code not in ANONYMOUS_TYPES or self.random.random() < 0.85:
            wants_organisation = service.code in ORGANISATION_SERVICES and self.random.random() < 0.6
            party = self.random.choice(self.organisation_parties if wants_organisation and self.organisation_parties
                                       else self.persons)
        language = party.language if party else self.pick({"fi": 90, "sv": 8, "en": 2})
        products = list(service.products.all())
        product = None
        if products and request_type.code in {"order", "reservation", "application", "permit"} and self.random.random() < 0.7:
            product = self.random.choice(products)
        created_at = self.moment(channel)
        staff = None
        if channel in LIVE_CHANNELS or channel in {"email", "letter"}:
            staff = self.users["neuvoja"] if channel == "service_point" else self.random.choice(self.advisors)
        service_name = getattr(service, f"name_{language}") or service.name_fi
        request = ServiceRequest(
            status=Status.RECEIVED, type=request_type, service=service, product=product, department=service.department,
            channel=self.channels[channel], party=party, language=language,
            description=DESCRIPTIONS[language][request_type.code].format(service=service_name),
            due_date=add_working_days(timezone.localdate(created_at), service.target_days),
            created_by=staff, created_at=created_at,
        )
        if party is None and self.random.random() < 0.5:
            request.contact_name = "Nimetön asiakas" if language == "fi" else "Anonymous customer"
            request.contact_email = f"palaute{self.random.randrange(10000)}@example.fi"
        plan = Plan(request)
        plan.events.append(RequestEvent(kind="filed", at=created_at, actor=staff, actor_label=self.label(staff, party),
                                        channel=channel, to_status=Status.RECEIVED,
                                        data={"type": request_type.code, "service": service.code,
                                              "department": service.department.code,
                                              "due_date": request.due_date.isoformat()}))
        self.plan_history(plan, service, staff or self.users["neuvoja"])
        return plan

    def plan_history(self, plan: Plan, service: Service, advisor: User) -> None:
        """Walk the request through the statuses a real one would take, up to a status fitting its age."""
        request = plan.request
        age_days = (self.now - request.created_at).days
        open_chance = 0.7 if age_days < 7 else 0.35 if age_days < 30 else 0.08 if age_days < 90 else 0.015
        stays_open = self.random.random() < open_chance
        handler = self.experts.get(request.department_id) or advisor
        teams = self.teams.get(request.department_id)
        at = request.created_at
        # Calendar time the whole errand takes: around its service-level target.
        span = datetime.timedelta(days=service.target_days * 1.4 * self.random.uniform(0.2, 1.2), hours=1)
        end = min(request.created_at + span, self.now - datetime.timedelta(minutes=30))
        if end <= at:
            end = at + datetime.timedelta(minutes=5)

        def step(kind: str, to_status: str, actor: User | None, data: dict | None = None, when=None, label=None):
            nonlocal at
            # History runs forward and never past the present.
            at = max(at, min(when or self.between(at, end), self.now))
            plan.events.append(RequestEvent(kind=kind, at=at, actor=actor, actor_label=label or self.label(actor),
                                            from_status=request.status, to_status=to_status, data=data or {}))
            request.status = to_status

        live = request.channel.code in LIVE_CHANNELS
        if not stays_open and live and request.type.code in {"question", "order", "reservation"} and self.random.random() < 0.6:
            # Handled to the end while the customer was there: resolved at first contact.
            step("resolve", Status.RESOLVED, advisor, {"first_contact": True},
                 when=request.created_at + datetime.timedelta(minutes=self.random.randint(1, 6)))
            request.resolved_at, request.resolved_at_first_contact = at, True
            request.resolution = RESOLUTIONS[request.language]
            plan.first_contact_outcome = Outcome.ANSWERED
        elif not stays_open and self.random.random() < 0.06:
            organisation = self.random.choice(list(self.organisations.values()))
            step("redirect", Status.REDIRECTED, advisor, {"organisation": organisation.code},
                 when=request.created_at + datetime.timedelta(minutes=self.random.randint(1, 10)))
            request.redirected_to = organisation
            request.guidance = getattr(organisation, f"guidance_{request.language}") or organisation.guidance_fi
            request.resolved_at_first_contact = False
            plan.first_contact_outcome = Outcome.REDIRECTED
            return
        else:
            if request.department_id != self.centre.pk and self.random.random() < 0.5:
                team = self.random.choice(teams) if teams else None
                external = FORWARD_ORGANISATIONS.get(service.code) if self.random.random() < 0.25 else None
                data = {"to_department": service.department.code, "to_team": team.code if team else None}
                if external:
                    request.forwarded_to = self.organisations[external]
                    data = {"to_organisation": external}
                step("forward", Status.FORWARDED, advisor, data,
                     when=request.created_at + datetime.timedelta(minutes=self.random.randint(1, 10)))
                # The centre forwarded it and keeps following it to closure.
                request.team, request.forwarded_at, request.followed_by = team, at, self.centre
                plan.first_contact_outcome = Outcome.FORWARDED
                if stays_open and self.random.random() < 0.6:
                    return
            if request.status == Status.RECEIVED and stays_open and self.random.random() < 0.3:
                return
            if request.status != Status.FORWARDED or request.forwarded_to is None:
                request.assignee = handler
                request.team = request.team or (self.random.choice(teams) if teams else None)
                step("take", Status.IN_PROGRESS, handler)
                if self.random.random() < 0.2:
                    step("request_information", Status.WAITING, handler)
                    request.waiting_since, request.status_before_waiting = at, Status.IN_PROGRESS
                    if stays_open:
                        return
                    step("provide_information", Status.IN_PROGRESS, None, label=self.label(None, request.party))
                    request.waiting_since, request.status_before_waiting = None, ""
                if stays_open:
                    return
            step("resolve", Status.RESOLVED, handler if request.forwarded_to is None else advisor,
                 {"first_contact": False})
            request.resolved_at, request.resolved_at_first_contact = at, False
            request.resolution = RESOLUTIONS[request.language]
        if request.status == Status.RESOLVED and self.random.random() < 0.85:
            closed = at + datetime.timedelta(days=self.random.randint(1, 10))
            if closed < self.now:
                step("close", Status.CLOSED, None, when=closed)
                request.closed_at = at

    def create_requests(self, count: int) -> list[Plan]:
        plans = sorted((self.plan_request() for _ in range(count)), key=lambda p: p.request.created_at)
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
            self.report(f"requests {written}/{count}")
        return plans

    # ------------------------------------------------------------ contacts

    def contact_times(self, channel: str, around: datetime.datetime | None = None):
        low, high = CONTACT_MINUTES[channel]
        minutes = self.random.randint(low, high)
        started = around - datetime.timedelta(minutes=self.random.randint(1, minutes)) if around else self.moment(channel)
        return started, min(started + datetime.timedelta(minutes=minutes, seconds=self.random.randrange(60)), self.now)

    def notes(self, outcome: str, language: str, service: Service) -> str:
        name = getattr(service, f"name_{language}") or service.name_fi
        return NOTES[outcome][language].format(service=name)

    def create_contacts(self, count: int, plans: list[Plan]) -> dict:
        rows: list[tuple[Contact, list[int], list[int]]] = []
        # The contact in which each request was filed (not for requests filed online).
        for plan in plans:
            request = plan.request
            if len(rows) >= count or request.channel.code == "web":
                continue
            started, ended = self.contact_times(request.channel.code, around=request.created_at)
            contact = Contact(channel=request.channel, party=request.party, staff=request.created_by,
                              started_at=started, ended_at=ended, language=request.language,
                              outcome=plan.first_contact_outcome,
                              notes=self.notes(plan.first_contact_outcome, request.language, request.service))
            rows.append((contact, [request.service_id], [request.pk]))
        by_party = defaultdict(list)
        for plan in plans:
            if plan.request.party_id:
                by_party[plan.request.party_id].append(plan.request)
        weights = [POPULARITY.get(s.code, 1) for s in self.services]
        while len(rows) < count:
            channel = self.pick(CONTACT_CHANNELS)
            started, ended = self.contact_times(channel)
            party = self.random.choice(self.parties) if self.random.random() < 0.7 else None
            language = party.language if party else self.pick({"fi": 90, "sv": 8, "en": 2})
            topics = list({s.pk: s for s in self.random.choices(self.services, weights=weights, k=self.random.choice([1, 1, 2]))}.values())
            staff = self.users["neuvoja"] if channel == "service_point" else self.random.choice(self.advisors)
            outcome = self.pick({Outcome.ANSWERED: 91, Outcome.REDIRECTED: 5, Outcome.NO_ANSWER: 4})
            if outcome == Outcome.NO_ANSWER and channel not in {"phone", "chat"}:
                outcome = Outcome.ANSWERED
            if outcome == Outcome.NO_ANSWER:
                ended = min(started + datetime.timedelta(seconds=self.random.randint(5, 50)), self.now)
            linked: list[int] = []
            earlier = [r for r in by_party.get(party.pk, []) if r.created_at < started] if party else []
            if earlier and outcome == Outcome.ANSWERED and self.random.random() < 0.3:
                # A follow-up: the customer asks how their request is doing; now and then the expert calls back.
                request = self.random.choice(earlier)
                linked, topics = [request.pk], [request.service]
                expert = self.experts.get(request.department_id)
                if expert is not None and self.random.random() < 0.3:
                    staff, channel = expert, "phone"
            contact = Contact(channel=self.channels[channel], party=party, staff=staff, started_at=started,
                              ended_at=ended, language=language, outcome=outcome,
                              notes=self.notes(outcome, language, topics[0]))
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
            self.report(f"contacts {written}/{count}")
        outcomes = defaultdict(int)
        for contact, _topics, _requests in rows:
            outcomes[contact.outcome] += 1
        return outcomes

    def link_resident_login(self) -> None:
        resident = self.users["asukas"]
        resident.party = self.persons[0]
        resident.save(update_fields=["party"])


class Command(BaseCommand):
    help = ("Load the demo city Esimerkkilä: its service catalogue, staff logins, customers, service requests "
            "and contacts of the last eighteen months. Running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=200, help="Customers to create (about 1 in 7 an organisation).")
        parser.add_argument("--requests", type=int, default=2000, help="Service requests to create.")
        parser.add_argument("--contacts", type=int, default=5000, help="Contacts to create.")
        parser.add_argument("--seed", type=int, default=2024, help="Random seed; the same seed builds the same city.")

    def handle(self, *args, **options):
        if options["residents"] < 10 or options["requests"] < 0 or options["contacts"] < 0:
            raise CommandError("--residents must be at least 10; --requests and --contacts not negative.")
        began = time.monotonic()
        city = DemoCity(options["seed"], self.say)
        with transaction.atomic():
            counts = city.load_catalogue()
        self.say(f"catalogue … done ({counts['departments']} departments, {counts['teams']} teams, "
                 f"{counts['services']} services, {counts['products']} products, {counts['channels']} channels, "
                 f"{counts['segments']} segments)")
        if demo_is_loaded():
            self.say("The demo is already loaded: nothing else to do.")
        else:
            with transaction.atomic():
                city.create_logins()
                self.say(f"staff logins {len(LOGINS)}/{len(LOGINS)}")
                city.create_parties(options["residents"])
                plans = city.create_requests(options["requests"])
                outcomes = city.create_contacts(options["contacts"], plans)
                city.link_resident_login()
            self.summary(city, plans, outcomes)
        for module in DEMO_PARTS:
            import_module(module).load_demo(self.say)
        self.say(f"Took {time.monotonic() - began:.1f} s.")
        self.print_logins()

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def summary(self, city: DemoCity, plans: list[Plan], outcomes: dict) -> None:
        statuses = defaultdict(int)
        for plan in plans:
            statuses[plan.request.status] += 1
        contacts = sum(outcomes.values()) or 1
        answered = outcomes.get(Outcome.ANSWERED, 0)
        numbers = [p.request.number for p in plans]
        self.say("")
        self.say("Esimerkkilä is ready:")
        self.say(f"  customers      {len(city.parties)} ({len(city.persons)} persons, "
                 f"{len(city.organisation_parties)} organisations), {city.customership_count} customerships")
        self.say(f"  requests       {len(plans)}" + (f" ({numbers[0]} … {numbers[-1]})" if numbers else ""))
        self.say("                 " + ", ".join(f"{status} {n}" for status, n in sorted(statuses.items())))
        self.say(f"  history events {sum(len(p.events) for p in plans)}")
        self.say(f"  contacts       {sum(outcomes.values())}, answered at first contact {100 * answered / contacts:.0f} %")
        revenue = sum((p.request.product.price or Decimal(0)) for p in plans if p.request.product)
        self.say(f"  products sold  {sum(1 for p in plans if p.request.product)} for {revenue} EUR")

    def print_logins(self) -> None:
        self.say("")
        self.say("Demo logins (username / password / role):")
        for username, password, role, _first, _last, _department, _team, purpose in LOGINS:
            self.say(f"  {username:<12} {password:<24} {role:<11} {purpose}")
