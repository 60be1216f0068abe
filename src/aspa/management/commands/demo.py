"""`aspa demo`: the fictional city of Esimerkkilä with eighteen months of customer service.

Loads the project's own catalogue, creates staff logins (printed at the end), about two
hundred residents and organisations, service requests with their history and the contacts
of the service centre. The data is made with a fixed random seed, so every run builds the
same city. A second run only refreshes the catalogue: it finds the demo already loaded.

This is a data loader, not a desk: it writes rows directly in bulk, because filing two
thousand requests one by one through the operations would take minutes. The rows follow the
same rules as the operations (numbers from RequestCounter, a history event per transition,
valid identity codes), and the tests of the demo check that they do.

Each app makes its own part of the city next to its `demo.py`: the customers
(`customers/demo.py`), the requests and their history (`requests/demo.py`), the contacts
(`contacts/demo.py`); this command holds the city's clock and random numbers, the catalogue and
the staff logins, and runs them in order. `DEMO_PARTS` then add what each app shows off."""

import datetime
import random
import time
from collections import defaultdict
from importlib import import_module
from zoneinfo import ZoneInfo

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from aspa.catalogue.models import Channel, Department, ExternalOrganisation, Service, Team
from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
from aspa.contacts import demo as contacts_demo
from aspa.contacts.models import Outcome
from aspa.customers import demo as customers_demo
from aspa.customers.demo import HISTORY_DAYS
from aspa.customers.models import Party
from aspa.identity.models import Role, User
from aspa.requests import demo as requests_demo
from aspa.requests.demo import LIVE_CHANNELS, Plan
from aspa.requests.workdays import is_working_day

HELSINKI = ZoneInfo("Europe/Helsinki")
# Apps that add their own demo data: each module has `load_demo(say)`, which must be safe to run
# again (a second `aspa demo` updates rather than duplicates).
DEMO_PARTS: list[str] = ["aspa.eforms.demo", "aspa.knowledge.demo", "aspa.processes.demo", "aspa.customers.demo",
                          "aspa.routing.demo", "aspa.portal.demo"]

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


def demo_is_loaded() -> bool:
    # The logins and everything else are created in one transaction; the administrator is the marker.
    return User.objects.filter(username=ADMIN_USERNAME).exists() and Party.objects.exists()


class DemoCity:
    """What every part of the city shares: its seeded random numbers and clock, the catalogue and
    the staff logins. The apps' demo modules take it as `city`, add what they make (the customers
    add `parties`, `persons`, `organisation_parties`) and draw from the same random numbers in a
    fixed order, so the same seed builds the same city."""

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
                customers_demo.create_parties(city, options["residents"])
                plans = requests_demo.create_requests(city, options["requests"])
                outcomes = contacts_demo.create_contacts(city, options["contacts"], plans)
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
        # Requests that name a product (an order, a reservation, a permit). Nothing is sold or
        # invoiced: Aspa has no payments yet, so the summary counts only the requests.
        with_product = sum(1 for p in plans if p.request.product_id)
        self.say(f"  products       {with_product} requests name a product (none invoiced: no payments yet)")

    def print_logins(self) -> None:
        self.say("")
        self.say("Demo logins (username / password / role):")
        for username, password, role, _first, _last, _department, _team, purpose in LOGINS:
            self.say(f"  {username:<12} {password:<24} {role:<11} {purpose}")
