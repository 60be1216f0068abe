"""Generate a synthetic city for the benchmark: persons and organisations with contact
points, service requests with their history, and contacts on every channel.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/generate_city.py \
        --persons 200000 --requests 1000000 --contacts 3000000 --reset

Everything is fake but valid: henkilötunnus codes use the test individual numbers 900-999
(never a real person's code) with a correct check character, business IDs have a correct
check digit, phone numbers are Finnish mobile numbers in E.164 form, email addresses are
on example.fi / example.com. Rows go straight into the Django tables with PostgreSQL's
COPY, so a million requests load in minutes; the column list is read from the models, so
a field another app adds later gets its default without a change here.
"""

import argparse
import bisect
import datetime
import os
import random
import sys
import time
import unicodedata
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aspa.settings")

import django  # noqa: E402

django.setup()

# The city's own helpers, next to this file (Django is set up above, before they import the models).
from city_setup import ensure_catalogue, ensure_staff, reset  # noqa: E402
from city_tables import Loader, log, next_id, sync_sequence  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from faker import Faker  # noqa: E402
from faker.providers.address.fi_FI import Provider as FinnishAddresses  # noqa: E402
from faker.providers.person.fi_FI import Provider as FinnishNames  # noqa: E402
from stdnum.fi import hetu, ytunnus  # noqa: E402

from aspa.catalogue.models import Channel, ExternalOrganisation, RequestType, Service, Team  # noqa: E402
from aspa.contacts.models import Contact  # noqa: E402
from aspa.customers.models import ContactPoint, Party  # noqa: E402
from aspa.requests.models import RequestCounter, RequestEvent, ServiceRequest  # noqa: E402

HISTORY_DAYS = 548  # 18 months of requests and contacts
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

try:
    from aspa.customers.models import fold_for_search
except ImportError:  # an older tree: fold the same way the model does
    def fold_for_search(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text or "")
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
        return " ".join(plain.lower().split())


# ---------------------------------------------------------------------------------------
# Identifiers


def henkilotunnus(birth: datetime.date, individual: int) -> str:
    """A test henkilötunnus (individual number 900-999), checked by python-stdnum."""
    digits = f"{birth:%d%m%y}{individual:03d}"
    calculate = getattr(hetu, "_calc_checksum", None)
    candidates = [calculate(digits)] if calculate else list(CHECK_CHARACTERS)
    century = "-" if birth.year < 2000 else "A"
    for check in candidates:
        code = f"{birth:%d%m%y}{century}{individual:03d}{check}"
        if hetu.is_valid(code, allow_temporary=True):
            return code
    raise AssertionError(f"no valid check character for {digits}")


def business_id(rng: random.Random) -> str:
    while True:
        body = f"{rng.randrange(1_000_000, 3_400_000):07d}"
        for check in "0123456789":
            if ytunnus.is_valid(f"{body}-{check}"):
                return f"{body}-{check}"


def weighted(rng: random.Random, choices: dict) -> Callable[[], object]:
    values, weights = list(choices), list(choices.values())
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    def pick():
        return values[bisect.bisect(cumulative, rng.random() * total)]
    return pick


# ---------------------------------------------------------------------------------------
# The city


class City:
    def __init__(self, arguments: argparse.Namespace, loader: Loader):
        self.arguments = arguments
        self.loader = loader
        self.rng = random.Random(arguments.seed)
        self.now = loader.now
        self.start = self.now - datetime.timedelta(days=HISTORY_DAYS)
        self.party_ids: list[int] = []
        self.party_language: list[str] = []
        self.person_count = 0

    def random_moment(self) -> datetime.datetime:
        """A moment in the last 18 months, mostly in office hours on weekdays."""
        rng = self.rng
        day = self.start + datetime.timedelta(days=rng.randrange(HISTORY_DAYS))
        if day.weekday() >= 5 and rng.random() < 0.7:
            day -= datetime.timedelta(days=day.weekday() - 4)
        if rng.random() < 0.85:
            seconds = rng.randrange(6 * 3600, 14 * 3600)  # 8-16 Finnish time is 6-14 UTC (roughly)
        else:
            seconds = rng.randrange(86_400)
        moment = day.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(seconds=seconds)
        return min(moment, self.now - datetime.timedelta(minutes=1))

    # -- parties ---------------------------------------------------------------------
    def parties(self) -> None:
        rng = self.rng
        persons = self.arguments.persons
        organisations = round(persons * 5 / 95)
        female = list(FinnishNames.first_names_female)
        male = list(FinnishNames.first_names_male)
        last_names = list(FinnishNames.last_names)
        streets = [prefix.strip() for prefix in FinnishAddresses.street_prefixes]
        street_suffixes = list(FinnishAddresses.street_suffixes)
        faker = Faker("fi_FI")
        faker.seed_instance(self.arguments.seed)
        language = weighted(rng, {"fi": 88, "sv": 6, "en": 6})
        preference = weighted(rng, {"email": 55, "sms": 25, "letter": 15, "phone": 5})
        first_party = next_id(Party)
        first_point = next_id(ContactPoint)
        used_codes: set[str] = set()
        used_phones: set[str] = set()
        used_business_ids: set[str] = set()
        contact_points: list[tuple] = []
        point_id = first_point
        today = self.now.date()
        self.search_samples: list[str] = []

        def phone() -> str:
            while True:
                number = f"+358{rng.choice(('40', '41', '44', '45', '46', '50'))}{rng.randrange(10_000_000):07d}"
                if number not in used_phones:
                    used_phones.add(number)
                    return number

        def add_points(party_id: int, email_name: str, with_phone: float, with_email: float) -> None:
            nonlocal point_id
            if rng.random() < with_phone:
                contact_points.append((point_id, party_id, "phone", phone(), "", "", "", "", "FI", True))
                point_id += 1
            if rng.random() < with_email:
                domain = rng.choice(("example.fi", "example.com"))
                contact_points.append((point_id, party_id, "email", f"{email_name}{rng.randrange(1000)}@{domain}", "",
                                       "", "", "", "FI", True))
                point_id += 1
            if rng.random() < 0.95:
                street = f"{rng.choice(streets)}{rng.choice(street_suffixes)} {rng.randrange(1, 120)}"
                contact_points.append((point_id, party_id, "address", "", "", street,
                                       f"{rng.randrange(90100, 90990, 10)}", "Esimerkkilä", "FI", True))
                point_id += 1

        def person_rows():
            party_id = first_party
            for _ in range(persons):
                while True:
                    birth = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(28_500))
                    code = henkilotunnus(birth, rng.randrange(900, 1000))
                    if code not in used_codes:
                        used_codes.add(code)
                        break
                first = rng.choice(female if rng.random() < 0.5 else male)
                last = rng.choice(last_names)
                spoken = language()
                created = self.now - datetime.timedelta(days=rng.randrange(5 * 365), seconds=rng.randrange(86_400))
                self.party_ids.append(party_id)
                self.party_language.append(spoken)
                add_points(party_id, fold_for_search(f"{first}.{last}").replace(" ", "-"), 0.85, 0.7)
                yield (party_id, "person", first, last, "", code, None, birth, spoken, preference(),
                       rng.random() < 0.005, fold_for_search(f"{last} {first}")[:300], created, created, 1)
                party_id += 1
                if birth > today:
                    raise AssertionError("birth date in the future")

        def organisation_rows():
            party_id = first_party + persons
            for _ in range(organisations):
                while True:
                    identifier = business_id(rng)
                    if identifier not in used_business_ids:
                        used_business_ids.add(identifier)
                        break
                name = faker.company()
                created = self.now - datetime.timedelta(days=rng.randrange(5 * 365), seconds=rng.randrange(86_400))
                self.party_ids.append(party_id)
                self.party_language.append("fi")
                add_points(party_id, "info", 1.0, 0.9)
                yield (party_id, "organisation", "", "", name, None, identifier, None, "fi", "email", False,
                       fold_for_search(name)[:300], created, created, 1)
                party_id += 1

        fields = ["id", "kind", "first_name", "last_name", "name", "national_id", "business_id", "birth_date",
                  "language", "contact_preference", "non_disclosure", "search_name", "created_at", "updated_at",
                  "version"]
        self.loader.copy(Party, fields, person_rows(), label="parties (persons)")
        self.loader.copy(Party, fields, organisation_rows(), label="parties (organisations)")
        self.person_count = persons
        sync_sequence(Party._meta.db_table)
        point_fields = ["id", "party_id", "kind", "value", "label", "street", "postal_code", "city", "country",
                        "is_primary"]
        self.loader.copy(ContactPoint, point_fields, contact_points, label="contact points")
        sync_sequence(ContactPoint._meta.db_table)

    def pick_party(self) -> int:
        """A party, some far more often than others (a few customers file many requests)."""
        index = int(len(self.party_ids) * self.rng.random() ** 2)
        return index

    # -- requests --------------------------------------------------------------------
    def requests(self) -> None:
        rng = self.rng
        count = self.arguments.requests
        services = list(Service.objects.filter(active=True).values("id", "code", "department_id", "target_days",
                                                                    "name_fi"))
        if not services:
            raise SystemExit("The catalogue has no active services.")
        types = list(RequestType.objects.values_list("id", "code"))
        type_weights = {type_id: {"question": 50, "application": 20, "feedback": 15, "notification": 10}.get(code, 5)
                        for type_id, code in types}
        pick_type = weighted(rng, type_weights)
        channel_codes = dict(Channel.objects.values_list("code", "id"))
        channel_weights = {channel_id: {"phone": 35, "web": 30, "email": 15, "service_point": 15}.get(code, 5)
                           for code, channel_id in channel_codes.items()}
        pick_channel = weighted(rng, channel_weights)
        self.channel_codes = {channel_id: code for code, channel_id in channel_codes.items()}
        teams: dict[int, list[int]] = {}
        for team_id, department_id in Team.objects.values_list("id", "department_id"):
            teams.setdefault(department_id, []).append(team_id)
        external = list(ExternalOrganisation.objects.values_list("id", flat=True))
        service_weights = {index: (30 if service["code"] in ("yleisneuvonta",) else 10)
                           for index, service in enumerate(services)}
        pick_service = weighted(rng, service_weights)
        phrases = ["Kysyn neuvoa asiassa", "Haluan ilmoittaa", "Pyydän tietoa", "Hakemus koskien",
                   "Palautetta palvelusta", "Ongelma koskien", "Tiedustelen käsittelyaikaa", "Pyydän yhteydenottoa"]
        status_mix = [
            (3, weighted(rng, {"received": 60, "in_progress": 25, "resolved": 10, "redirected": 5})),
            (30, weighted(rng, {"received": 15, "in_progress": 30, "waiting": 10, "forwarded": 20, "resolved": 15,
                                "redirected": 5, "closed": 5})),
            (90, weighted(rng, {"received": 3, "in_progress": 10, "waiting": 5, "forwarded": 10, "resolved": 20,
                                "redirected": 5, "closed": 47})),
            (10**6, weighted(rng, {"received": 0.5, "in_progress": 1, "waiting": 1, "forwarded": 2, "resolved": 5,
                                   "redirected": 5, "closed": 85.5})),
        ]
        log(f"  drawing {count:,} filing moments")
        moments = sorted(self.random_moment() for _ in range(count))
        first_request = next_id(ServiceRequest)
        prefix = settings.REQUEST_NUMBER_PREFIX
        counters: dict[int, int] = dict(RequestCounter.objects.values_list("year", "last"))
        local_zone = timezone.get_default_timezone()
        # (request id, party id or None, channel id, filed at, status, changed at) for the history and contacts
        self.filed: list[tuple] = []
        advisors, experts = self.advisors, self.experts

        def rows():
            request_id = first_request
            for moment in moments:
                year = moment.astimezone(local_zone).year
                counters[year] = counters.get(year, 0) + 1
                number = f"{prefix}-{year}-{counters[year]:06d}"
                service = services[pick_service()]
                department_id = service["department_id"]
                age = (self.now - moment).days
                status = next(pick for limit, pick in status_mix if age < limit)()
                anonymous = rng.random() < 0.03
                party_index = None if anonymous else self.pick_party()
                party_id = None if party_index is None else self.party_ids[party_index]
                spoken = "fi" if party_index is None else self.party_language[party_index]
                channel_id = pick_channel()
                due = moment.date() + datetime.timedelta(days=round(service["target_days"] * 7 / 5))
                resolved_at = closed_at = waiting_since = None
                assignee = None
                first_contact = None
                changed_at = moment
                if status in ("resolved", "closed", "redirected"):
                    resolved_at = min(moment + datetime.timedelta(hours=rng.expovariate(1 / 72)), self.now)
                    first_contact = resolved_at - moment < datetime.timedelta(hours=1)
                    changed_at = resolved_at
                    if status == "closed":
                        closed_at = min(resolved_at + datetime.timedelta(hours=rng.expovariate(1 / 48)), self.now)
                        changed_at = closed_at
                elif status != "received":
                    changed_at = min(moment + datetime.timedelta(hours=rng.expovariate(1 / 24)), self.now)
                    if status == "waiting":
                        waiting_since = changed_at
                if status not in ("received", "redirected"):
                    pool = experts.get(department_id) or advisors
                    assignee = rng.choice(pool)
                team = rng.choice(teams[department_id]) if department_id in teams and rng.random() < 0.5 else None
                forwarded_to = rng.choice(external) if status == "forwarded" and external and rng.random() < 0.2 \
                    else None
                redirected_to = rng.choice(external) if status == "redirected" and external else None
                self.filed.append((request_id, party_id, channel_id, moment, status, changed_at))
                yield (request_id, number, status, pick_type(), service["id"], None, department_id, channel_id,
                       party_id, "Anonyymi" if anonymous else "", "", "",
                       f"{rng.choice(phrases)}: {service['name_fi'].lower()}.", spoken, due, waiting_since, assignee,
                       team, forwarded_to, redirected_to, "", "", first_contact,
                       rng.choice(advisors) if channel_id != channel_codes.get("web") else None,
                       moment, changed_at, resolved_at, closed_at, 1)
                request_id += 1

        fields = ["id", "number", "status", "type_id", "service_id", "product_id", "department_id", "channel_id",
                  "party_id", "contact_name", "contact_email", "contact_phone", "description", "language", "due_date",
                  "waiting_since", "assignee_id", "team_id", "forwarded_to_id", "redirected_to_id", "guidance",
                  "resolution", "resolved_at_first_contact", "created_by_id", "created_at", "updated_at",
                  "resolved_at", "closed_at", "version"]
        self.loader.copy(ServiceRequest, fields, rows(), label="service requests")
        sync_sequence(ServiceRequest._meta.db_table)
        for year, last in counters.items():
            RequestCounter.objects.update_or_create(year=year, defaults={"last": last})
        log(f"  request counters: {', '.join(f'{year}: {last:,}' for year, last in sorted(counters.items()))}")

    def events(self) -> None:
        first_event = next_id(RequestEvent)

        def rows():
            event_id = first_event
            for request_id, _party, channel_id, filed_at, status, changed_at in self.filed:
                yield (event_id, request_id, "filed", filed_at, None, "Asiakaspalvelu",
                       self.channel_codes.get(channel_id, ""), "", "received", "{}")
                event_id += 1
                if status != "received":
                    yield (event_id, request_id, "status_changed", changed_at, None, "Käsittelijä", "",
                           "received", status, "{}")
                    event_id += 1

        fields = ["id", "request_id", "kind", "at", "actor_id", "actor_label", "channel", "from_status", "to_status",
                  "data"]
        self.loader.copy(RequestEvent, fields, rows(), label="request events")
        sync_sequence(RequestEvent._meta.db_table)

    # -- contacts --------------------------------------------------------------------
    def contacts(self) -> None:
        rng = self.rng
        count = self.arguments.contacts
        channel_ids = list(self.channel_codes)
        pick_channel = weighted(rng, {channel_id: {"phone": 45, "service_point": 20, "email": 15, "web": 10}.get(
            self.channel_codes[channel_id], 5) for channel_id in channel_ids})
        pick_outcome = weighted(rng, {"answered": 70, "forwarded": 12, "redirected": 10, "no_answer": 8})
        notes = ["", "", "", "Neuvottu puhelimessa.", "Ohjattu verkkoasiointiin.", "Asiakas soittaa uudelleen."]
        first_contact = next_id(Contact)
        # The requests filed during a contact (not on the web) get their contact, the rest are other errands.
        with_contact = [filed for filed in self.filed if self.channel_codes.get(filed[2]) != "web"]
        with_contact = with_contact[:count]
        links: list[tuple[int, int]] = []
        advisors = self.advisors

        def rows():
            contact_id = first_contact
            for request_id, party_id, channel_id, filed_at, _status, _changed in with_contact:
                started = filed_at - datetime.timedelta(minutes=rng.randrange(2, 15))
                ended = filed_at
                links.append((contact_id, request_id))
                yield (contact_id, channel_id, party_id, rng.choice(advisors), started, ended,
                       "fi", "request_filed", "", ended)
                contact_id += 1
            for _ in range(count - len(with_contact)):
                started = self.random_moment()
                ended = started + datetime.timedelta(seconds=rng.randrange(60, 1200))
                party_index = self.pick_party() if rng.random() < 0.9 else None
                party_id = None if party_index is None else self.party_ids[party_index]
                spoken = "fi" if party_index is None else self.party_language[party_index]
                yield (contact_id, pick_channel(), party_id, rng.choice(advisors), started, ended, spoken,
                       pick_outcome(), rng.choice(notes), ended)
                contact_id += 1

        fields = ["id", "channel_id", "party_id", "staff_id", "started_at", "ended_at", "language", "outcome",
                  "notes", "created_at"]
        self.loader.copy(Contact, fields, rows(), label="contacts")
        sync_sequence(Contact._meta.db_table)
        through = Contact.requests.through
        self.loader.copy(through, ["contact_id", "servicerequest_id"], links, label="contacts ↔ requests")
        sync_sequence(through._meta.db_table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=20_000, help="persons (organisations are ~5 %% on top)")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=300_000)
    parser.add_argument("--reset", action="store_true", help="empty the customer, request and contact tables first")
    parser.add_argument("--no-events", action="store_true", help="skip the request history (faster)")
    parser.add_argument("--seed", type=int, default=2026)
    arguments = parser.parse_args(argv)

    if connection.vendor != "postgresql":
        raise SystemExit("The city generator writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    started = time.monotonic()
    log(f"Database: {connection.settings_dict['NAME']} on {connection.settings_dict['HOST'] or 'local socket'}")
    call_command("migrate", interactive=False, verbosity=0)
    if arguments.reset:
        reset()
    elif Party.objects.exists() or ServiceRequest.objects.exists():
        raise SystemExit("The database already has customers or requests: add --reset to replace them.")
    ensure_catalogue()
    with connection.cursor() as cursor:
        # This session only: a bulk load need not wait for each commit to reach the disk.
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    summary: dict[str, tuple[int, float]] = {}
    loader = Loader(summary)
    city = City(arguments, loader)
    city.advisors, city.experts = ensure_staff()

    log(f"Generating {arguments.persons:,} persons (+ ~5 % organisations) ...")
    city.parties()
    log(f"Generating {arguments.requests:,} service requests ...")
    city.requests()
    if not arguments.no_events:
        log("Generating the request history ...")
        city.events()
    log(f"Generating {arguments.contacts:,} contacts ...")
    city.contacts()

    log("VACUUM ANALYZE ...")
    analyse_started = time.monotonic()
    with connection.cursor() as cursor:
        # VACUUM as well as ANALYZE: it sets the visibility map, so counts and lookups can be
        # answered from the indexes alone, as on a city's database that has run for a while.
        for model in (Party, ContactPoint, ServiceRequest, RequestEvent, Contact, Contact.requests.through):
            cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        cursor.execute("ANALYZE")
    summary["VACUUM ANALYZE"] = (0, time.monotonic() - analyse_started)
    total = time.monotonic() - started
    log("")
    log(f"{'table':<28}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
    for label, (rows, seconds) in summary.items():
        rate = f"{rows / seconds:,.0f}" if rows and seconds else ""
        log(f"{label:<28}{rows:>12,}{seconds:>10.1f}{rate:>12}")
    log(f"{'total':<28}{sum(rows for rows, _ in summary.values()):>12,}{total:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
