"""The demo city's customers: about two hundred residents and organisations with valid identity
codes, contact points, segments and customerships (made by `aspa demo`, management/commands/demo.py,
with the city's seeded random numbers), and the demo resident's mandate: the resident (login
"asukas") represents one of the organisations, so the portal's "act for" choice can be tried.
`load_demo` runs on every `aspa demo`; a second run changes nothing."""

import datetime

import phonenumbers
from django.utils import timezone
from stdnum.fi import hetu, ytunnus

from aspa.catalogue.models import Segment
from aspa.customers.models import ContactPoint, Customership, Mandate, Party, fold_for_search
from aspa.identity.models import User

HISTORY_DAYS = 548  # eighteen months of history; the customers were in the register before it began
BATCH = 500  # rows a bulk write

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
# Services that are a lasting relationship (asiakkuus) rather than a one-off.
CUSTOMERSHIP_SERVICES = ["venepaikka", "viljelypalsta", "kaupunkikortti", "asukaspysakointi", "paivahoitohakemus",
                         "aamu-iltapaivatoiminta", "kirjastokortti", "uimakoulu"]


def _national_id(city, birth: datetime.date, female: bool, taken: set[str]) -> str:
    """A henkilötunnus in the test range (individual number 900-999) that the library accepts.

    ALLOW_TEST_IDENTITY_CODES gates such codes where people type them (the API); the
    loader writes them directly, so the demo works whatever that setting is."""
    sign = "-" if birth.year < 2000 else "A"
    while True:
        individual = city.random.randrange(900, 1000)
        if individual % 2 == (0 if female else 1):
            base = f"{birth:%d%m%y}{sign}{individual:03d}"
            # The check character is whichever of the 31 the library's validator accepts.
            code = next(base + c for c in "0123456789ABCDEFHJKLMNPRSTUVWXY"
                        if hetu.is_valid(base + c, allow_temporary=True))
            if code not in taken:
                taken.add(code)
                return code


def _business_id(city, taken: set[str]) -> str:
    while True:
        base = f"{city.random.randrange(1000000, 3300000):07d}"
        valid = [f"{base}-{digit}" for digit in range(10) if ytunnus.is_valid(f"{base}-{digit}")]
        # Some bases have no check digit (remainder 1 is never issued); draw another.
        if valid and valid[0] not in taken:
            taken.add(valid[0])
            return valid[0]


def _phone(city) -> str:
    prefix = city.random.choice(["40", "41", "44", "45", "50"])
    number = phonenumbers.parse(f"+358{prefix}{city.random.randrange(10**7):07d}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def create_parties(city, count: int) -> None:
    taken_national = {code for code in Party.objects.exclude(national_id=None).values_list("national_id", flat=True)
                      if code}
    taken_business = {code for code in Party.objects.exclude(business_id=None).values_list("business_id", flat=True)
                      if code}
    organisations = min(len(ORGANISATIONS), count // 7)
    parties: list[Party] = []
    for index in range(count - organisations):
        language = city.pick({"fi": 88, "sv": 10, "en": 2})
        female = city.random.random() < 0.52
        if index == 0:
            first, last, language, female = "Maija", "Meikäläinen", "fi", True  # the resident login
        elif language == "sv":
            first = city.random.choice(SWEDISH_WOMEN if female else SWEDISH_MEN)
            last = city.random.choice(SWEDISH_SURNAMES)
        elif language == "en":
            first = city.random.choice(ENGLISH_WOMEN if female else ENGLISH_MEN)
            last = city.random.choice(ENGLISH_SURNAMES)
        else:
            first = city.random.choice(FINNISH_WOMEN if female else FINNISH_MEN)
            last = city.random.choice(FINNISH_SURNAMES)
        birth = datetime.date(1938, 1, 1) + datetime.timedelta(days=city.random.randrange(25500))
        parties.append(Party(
            kind=Party.Kind.PERSON, first_name=first, last_name=last, birth_date=birth, language=language,
            national_id=_national_id(city, birth, female, taken_national),
            contact_preference=city.pick({"email": 55, "sms": 25, "letter": 12, "phone": 8}),
            non_disclosure=city.random.random() < 0.01,
        ))
    for name, language in ORGANISATIONS[:organisations]:
        parties.append(Party(kind=Party.Kind.ORGANISATION, name=name, language=language,
                             business_id=_business_id(city, taken_business),
                             contact_preference=Party.Preference.EMAIL))
    for party in parties:
        # bulk_create skips Party.save(), which keeps the search key.
        party.search_name = party.compute_search_name()
    Party.objects.bulk_create(parties, batch_size=BATCH)
    # Customers were in the register before the eighteen months of history began.
    for party in parties:
        party.created_at = party.updated_at = city.now - datetime.timedelta(days=city.random.randint(HISTORY_DAYS, 2000))
    Party.objects.bulk_update(parties, ["created_at", "updated_at"], batch_size=BATCH)
    city.parties = parties
    city.persons = [p for p in parties if p.kind == Party.Kind.PERSON]
    city.organisation_parties = [p for p in parties if p.kind == Party.Kind.ORGANISATION]
    city.report(f"residents {len(city.persons)}/{count - organisations}, "
                f"organisations {len(city.organisation_parties)}/{organisations}")
    _create_party_details(city)


def _create_party_details(city) -> None:
    points, segment_links, customerships = [], [], []
    Segments = Party.segments.through
    segment_ids = list(Segment.objects.values_list("id", flat=True))
    for number, party in enumerate(city.parties, start=1):
        city_name = CITY_NAMES[party.language]
        points.append(ContactPoint(party=party, kind=ContactPoint.Kind.ADDRESS, is_primary=True,
                                   street=f"{city.random.choice(STREETS)} {city.random.randint(1, 60)}",
                                   postal_code=city.random.choice(POSTAL_CODES), city=city_name))
        if party.kind == Party.Kind.PERSON:
            local = fold_for_search(f"{party.first_name}.{party.last_name}").replace(" ", "")
            if city.random.random() < 0.9:
                points.append(ContactPoint(party=party, kind=ContactPoint.Kind.PHONE, value=_phone(city), is_primary=True))
            if city.random.random() < 0.8:
                points.append(ContactPoint(party=party, kind=ContactPoint.Kind.EMAIL, is_primary=True,
                                           value=f"{local}{number}@example.fi"))
        else:
            local = fold_for_search(party.name).replace(" ", "-")
            points.append(ContactPoint(party=party, kind=ContactPoint.Kind.EMAIL, value=f"{local}@example.fi",
                                       is_primary=True))
            points.append(ContactPoint(party=party, kind=ContactPoint.Kind.PHONE, value=_phone(city), is_primary=True))
        for segment_id in city.random.sample(segment_ids, k=city.random.choice([0, 1, 1, 2])):
            segment_links.append(Segments(party_id=party.pk, segment_id=segment_id))
        if party.kind == Party.Kind.PERSON and city.random.random() < 0.3:
            for code in city.random.sample(CUSTOMERSHIP_SERVICES, k=city.random.choice([1, 1, 2])):
                started = city.today - datetime.timedelta(days=city.random.randint(30, 1800))
                ended = city.random.random() < 0.15
                customerships.append(Customership(
                    party=party, service=city.service_by_code[code], started_on=started,
                    status=Customership.Status.ENDED if ended else Customership.Status.ACTIVE,
                    ended_on=min(city.today, started + datetime.timedelta(days=city.random.randint(20, 365)))
                    if ended else None,
                ))
    ContactPoint.objects.bulk_create(points, batch_size=BATCH)
    Segments.objects.bulk_create(segment_links, batch_size=BATCH)
    Customership.objects.bulk_create(customerships, batch_size=BATCH)
    city.customership_count = len(customerships)


def load_demo(say) -> None:
    resident = User.objects.filter(username="asukas", party__isnull=False).select_related("party").first()
    company = (Party.objects.filter(kind=Party.Kind.ORGANISATION, business_id__isnull=False)
               .order_by("id").first())
    if resident is None or company is None:
        say("mandates … skipped (no demo resident or organisation)")
        return
    granted_by = User.objects.filter(username="neuvoja").first()
    _mandate, created = Mandate.objects.get_or_create(
        person=resident.party, organisation=company,
        defaults={"valid_from": timezone.localdate() - datetime.timedelta(days=90), "granted_by": granted_by,
                  "note": "Kaupparekisteriote (demo)"})
    say(f"mandates … {'done' if created else 'already there'} ({resident.party} acts for {company})")
