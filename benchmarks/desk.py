"""The advisor's desk at city size: search-as-you-type, the customer view of a customer
with 500 past requests and contacts, and the request page (action forms, routing suggestions,
history), timed in-process (the server's own time) and over HTTP against `aspa serve`
(gunicorn), on the benchmark city in PostgreSQL.

    .venv/bin/python benchmarks/desk.py --database-url postgres://postgres@127.0.0.1:5432/aspa_bench

Goals (issue 3): search p95 ≤ 50 ms server time, customer view p95 ≤ 100 ms. The city comes
from benchmarks/generate_city.py. The command makes the staff user `bench-advisor` if it is
missing and, only if no customer already has 500 past requests and 500 contacts, gives one
customer that history (copies of other requests and contacts); later runs reuse it. The
request pages are the city's newest open requests in turn, each opened several times, as an
advisor opens a request again after each action on it. All load goes to 127.0.0.1, bounded in
count; the server is stopped at the end. The figures are printed and written to
benchmarks/results/desk-<time>.json.
"""

import argparse
import cProfile
import datetime
import http.client
import io
import json
import os
import pstats
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, machine, percentile, run_aspa, start_server, stop_server  # noqa: E402

ADVISOR = "bench-advisor"
# A local benchmark account on a generated city, never a real site's.
ADVISOR_PASSWORD = "bench-advisor-desk-2026"  # noqa: S105
HISTORY = 500
GOALS_MS = {"search": 50.0, "customer view": 100.0}


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL database holding the benchmark city (default: $DATABASE_URL)")
    parser.add_argument("--searches", type=int, default=400, help="search requests (a mix of kinds)")
    parser.add_argument("--views", type=int, default=200, help="openings of the customer view")
    parser.add_argument("--party", type=int, help="the customer to open (default: picked, see above)")
    parser.add_argument("--request-views", type=int, default=200, help="openings of request pages")
    parser.add_argument("--open-requests", type=int, default=20,
                        help="how many of the newest open requests the request pages are shared among")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the client asks one at a time)")
    parser.add_argument("--skip-http", action="store_true", help="only the in-process measures")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN (ANALYZE, BUFFERS) of the slowest SQL of each measure")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of each in-process measure")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------
# The advisor and the customer


def ensure_advisor():
    from aspa.identity.models import Role, User

    user, created = User.objects.get_or_create(
        username=ADVISOR, defaults={"role": Role.ADVISOR, "first_name": "Bench", "last_name": "Advisor",
                                    "language": "fi", "is_active": True})
    if created or not user.check_password(ADVISOR_PASSWORD) or user.role != Role.ADVISOR or not user.is_active:
        user.role, user.is_active = Role.ADVISOR, True
        user.set_password(ADVISOR_PASSWORD)
        user.save()
    return user


def pick_customer(wanted: int) -> int | None:
    """The customer with the fewest past requests among those with at least `wanted` past
    requests and `wanted` contacts: the issue's "500 past requests and contacts", no more."""
    from django.db import connection

    from aspa.requests.models import OPEN_STATUSES

    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH history AS (
                SELECT party_id, count(*) AS past FROM requests_servicerequest
                WHERE party_id IS NOT NULL AND NOT (status = ANY(%s))
                GROUP BY party_id HAVING count(*) >= %s)
            SELECT history.party_id FROM history
            WHERE (SELECT count(*) FROM contacts_contact WHERE contacts_contact.party_id = history.party_id) >= %s
            ORDER BY history.past, history.party_id LIMIT 1
            """,
            [[str(status) for status in OPEN_STATUSES], wanted, wanted],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def give_history(wanted: int) -> int:
    """Copy `wanted` closed requests and contacts of other customers to one person, in bulk."""
    from django.db import transaction

    from aspa.contacts.models import Contact
    from aspa.customers.models import Party
    from aspa.requests.models import ServiceRequest, Status

    # The newest person: in the generated city the first ones already have the longest histories.
    party = Party.objects.filter(kind=Party.Kind.PERSON).order_by("-id").first()
    if party is None:
        raise SystemExit("The database has no customers: generate the city first (benchmarks/generate_city.py).")
    with transaction.atomic():
        copies = []
        for number, item in enumerate(ServiceRequest.objects.filter(status=Status.CLOSED)
                                      .exclude(party=party).order_by("-id")[:wanted], start=1):
            item.pk, item.party_id = None, party.pk
            # A prefix of its own, so the copies never collide with the city's numbering.
            item.number = f"BENCH-{item.created_at:%Y}-{number:06d}"
            copies.append(item)
        ServiceRequest.objects.bulk_create(copies, batch_size=500)
        contacts = []
        for contact in Contact.objects.exclude(party=party).order_by("-id")[:wanted]:
            contact.pk, contact.party_id = None, party.pk
            contacts.append(contact)
        Contact.objects.bulk_create(contacts, batch_size=500)
    print(f"Gave customer {party.pk} {len(copies)} past requests and {len(contacts)} contacts.", flush=True)
    return party.pk


def describe_customer(party_id: int) -> dict:
    from aspa.contacts.models import Contact
    from aspa.requests.models import OPEN_STATUSES, Attachment, ServiceRequest

    requests = ServiceRequest.objects.filter(party_id=party_id)
    return {"id": party_id, "past_requests": requests.exclude(status__in=OPEN_STATUSES).count(),
            "open_requests": requests.filter(status__in=OPEN_STATUSES).count(),
            "contacts": Contact.objects.filter(party_id=party_id).count(),
            "documents": Attachment.objects.filter(request__party_id=party_id).count()}


def newest_open_requests(count: int) -> list[str]:
    from aspa.requests.models import OPEN_STATUSES, ServiceRequest

    return list(ServiceRequest.objects.filter(status__in=OPEN_STATUSES).order_by("-id")
                .values_list("number", flat=True)[:count])


# ---------------------------------------------------------------------------------------
# What an advisor types


def spaced_phone(e164: str, rng: random.Random) -> str:
    """+358401234567 as people say it: "040 123 4567" or "+358 40 123 4567"."""
    national = "0" + e164.removeprefix("+358")
    if not e164.startswith("+358") or len(national) < 8:
        return e164
    if rng.random() < 0.5:
        return f"{national[:3]} {national[3:6]} {national[6:]}"
    return f"+358 {national[1:3]} {national[3:6]} {national[6:]}"


def short_number(number: str, rng: random.Random) -> str:
    """ESI-2026-000123 as typed: whole, in lower case, or "2026-123"."""
    _prefix, year, serial = number.split("-")
    choice = rng.random()
    if choice < 0.4:
        return number
    if choice < 0.6:
        return number.lower()
    return f"{year}-{int(serial)}"


def search_queries(count: int, seed: int = 5) -> list[tuple[str, str]]:
    """(kind, text): 40 % name prefixes of 2-6 letters of real last names, 20 % each phones
    in spaced formats, henkilötunnus and request numbers."""
    from aspa.customers.models import ContactPoint, Party
    from aspa.requests.models import ServiceRequest

    rng = random.Random(seed)

    def random_values(queryset, field: str, wanted: int) -> list:
        # Random ids are much cheaper than ORDER BY random() on a million rows.
        first = queryset.order_by("id").values_list("id", flat=True).first()
        last = queryset.order_by("-id").values_list("id", flat=True).first()
        found: list = []
        while len(found) < wanted and first is not None:
            ids = [rng.randint(first, last) for _ in range(wanted * 3)]
            found += [value for value in queryset.filter(id__in=ids).values_list(field, flat=True) if value]
        rng.shuffle(found)
        return found[:wanted]

    names = count * 2 // 5
    others = (count - names) // 3
    persons = Party.objects.filter(kind=Party.Kind.PERSON)
    chosen = [("name prefix", name[:rng.randint(2, 6)]) for name in random_values(persons, "last_name", names)]
    chosen += [("phone", spaced_phone(value, rng))
               for value in random_values(ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE), "value", others)]
    chosen += [("henkilötunnus", value) for value in random_values(persons, "national_id", others)]
    chosen += [("request number", short_number(value, rng))
               for value in random_values(ServiceRequest.objects.all(), "number", count - len(chosen))]
    rng.shuffle(chosen)
    return chosen


# ---------------------------------------------------------------------------------------
# In-process: Django's test client, no HTTP, with the SQL each call runs


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


def summary(milliseconds: list[float]) -> dict:
    return {"count": len(milliseconds), "p50_ms": round(percentile(milliseconds, 0.5), 2),
            "p95_ms": round(percentile(milliseconds, 0.95), 2), "max_ms": round(max(milliseconds), 2)}


def in_process(user, calls: list[tuple[str, str]], headers: dict, *, explain: bool, profile: bool) -> dict:
    """Time each (kind, url) through the whole Django stack (middleware, session, audit rows)."""
    from django.db import connection
    from django.test import Client

    client = Client(headers={"Accept-Language": "fi", **headers})
    client.force_login(user)
    for _kind, url in calls[:10]:  # warm the templates, the catalogue and the connection
        client.get(url)
    load_before = loadavg()
    by_kind: dict[str, dict[str, list]] = {}
    statuses: dict[str, int] = {}
    slowest = (0.0, "", ())
    profiler = cProfile.Profile() if profile else None
    for kind, url in calls:
        spent = {"sql": 0.0, "queries": 0}

        def timed(execute, sql, params, many, context, spent=spent):
            nonlocal slowest
            spent["queries"] += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                elapsed = time.perf_counter() - started
                spent["sql"] += elapsed
                if elapsed > slowest[0] and sql.lstrip().upper().startswith("SELECT"):
                    slowest = (elapsed, sql, params)

        with connection.execute_wrapper(timed):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if profiler:
                profiler.disable()
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
        rows = by_kind.setdefault(kind, {"handler": [], "sql": [], "queries": []})
        rows["handler"].append(elapsed * 1000)
        rows["sql"].append(spent["sql"] * 1000)
        rows["queries"].append(spent["queries"])
    everything = {name: [value for rows in by_kind.values() for value in rows[name]]
                  for name in ("handler", "sql", "queries")}
    result = {"all": _in_process_summary(everything),
              "by_kind": {kind: _in_process_summary(rows) for kind, rows in by_kind.items()},
              "statuses": statuses, "load_average": [load_before, loadavg()],
              "slowest_sql_ms": round(slowest[0] * 1000, 2), "slowest_sql": slowest[1]}
    if explain and slowest[1]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1], slowest[2])
            result["plan"] = "\n".join(row[0] for row in cursor.fetchall())
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        result["profile"] = out.getvalue()
    return result


def _in_process_summary(rows: dict[str, list]) -> dict:
    queries = sorted(rows["queries"])
    return {**summary(rows["handler"]), "sql_p50_ms": round(percentile(rows["sql"], 0.5), 2),
            "sql_p95_ms": round(percentile(rows["sql"], 0.95), 2),
            "queries_min": queries[0], "queries_max": queries[-1]}


# ---------------------------------------------------------------------------------------
# Over HTTP: signed in with a session cookie, as a browser is


class Browser:
    """One signed-in HTTP client of the local server, keeping its cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body: str | None = None,
             headers: dict | None = None) -> tuple[int, bytes, float]:
        sent = {"Accept-Language": "fi", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                # gunicorn's sync workers close the connection after each response.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    return 0, b"", time.perf_counter() - started
                started = time.perf_counter()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, content, elapsed

    def sign_in(self, username: str, password: str) -> None:
        status, page, _ = self.call("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"GET /login/ answered {status} without a CSRF token")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()})
        status, _, _ = self.call("POST", "/login/", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                           "Referer": f"http://127.0.0.1:{self.port}/login/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Signing in as {username} failed (HTTP {status})")


def over_http(browser: Browser, calls: list[tuple[str, str]], headers: dict) -> dict:
    for _kind, url in calls[:5]:
        browser.call("GET", url, headers=headers)
    load_before = loadavg()
    by_kind: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    for kind, url in calls:
        status, _, elapsed = browser.call("GET", url, headers=headers)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        by_kind.setdefault(kind, []).append(elapsed * 1000)
    return {"all": summary([value for values in by_kind.values() for value in values]),
            "by_kind": {kind: summary(values) for kind, values in by_kind.items()},
            "statuses": statuses, "load_average": [load_before, loadavg()]}


# ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if not options.database_url or not options.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Give a PostgreSQL database with --database-url or DATABASE_URL.")
    environment = {**os.environ, "DATABASE_URL": options.database_url}
    data_dir = Path(environment.setdefault("ASPA_DATA_DIR", str(ROOT / "var")))
    # The static folder exists in production (collectstatic); without it WhiteNoise warns.
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ.update({"DATABASE_URL": options.database_url, "ASPA_DATA_DIR": str(data_dir),
                       "DJANGO_SETTINGS_MODULE": "aspa.settings"})
    run_aspa(["migrate", "--no-input", "-v", "0"], environment)
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'customers_party'")
        parties = cursor.fetchone()[0]
    advisor = ensure_advisor()
    party_id = options.party or pick_customer(HISTORY) or give_history(HISTORY)
    customer = describe_customer(party_id)
    print(f"PostgreSQL {postgres}, ~{parties:,} parties. Customer {party_id}: {customer['past_requests']} past and "
          f"{customer['open_requests']} open requests, {customer['contacts']} contacts, "
          f"{customer['documents']} documents.", flush=True)

    searches = [(kind, f"/desk/search/?{urlencode({'q': text})}") for kind, text in search_queries(options.searches)]
    views = [("customer view", f"/desk/customers/{party_id}/")] * options.views
    open_requests = newest_open_requests(options.open_requests)
    request_pages = [("request page", f"/desk/requests/{open_requests[index % len(open_requests)]}/")
                     for index in range(options.request_views if open_requests else 0)]
    htmx = {"HX-Request": "true"}
    results: dict = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
                     "postgresql": postgres, "customer": customer, "open_requests": open_requests,
                     "note": options.note,
                     "in_process": {}, "http": {}}

    print(f"In-process: {len(searches)} searches, {len(views)} customer views, {len(request_pages)} request pages "
          f"({len(open_requests)} requests) ...", flush=True)
    results["in_process"]["search"] = in_process(advisor, searches, htmx, explain=options.explain,
                                                 profile=options.profile)
    results["in_process"]["customer view"] = in_process(advisor, views, {}, explain=options.explain,
                                                        profile=options.profile)
    if request_pages:
        results["in_process"]["request page"] = in_process(advisor, request_pages, {}, explain=options.explain,
                                                           profile=options.profile)
    if not options.skip_http:
        log_file = data_dir / "bench-desk-server.log"
        print(f"Over HTTP: `aspa serve --no-worker` with {options.workers} workers on 127.0.0.1:{options.port} "
              f"(log: {log_file}) ...", flush=True)
        server = start_server(options, environment, log_file)
        try:
            browser = Browser(options.port)
            browser.sign_in(ADVISOR, ADVISOR_PASSWORD)
            results["http"]["search"] = over_http(browser, searches, htmx)
            results["http"]["customer view"] = over_http(browser, views, {})
            if request_pages:
                results["http"]["request page"] = over_http(browser, request_pages, {})
        finally:
            stop_server(server)
        results["http"]["server"] = f"aspa serve (gunicorn sync) --workers {options.workers}"

    print_report(results)
    for name, found in results["in_process"].items():
        if options.explain and found.get("plan"):
            print(f"\n--- {name}: slowest SQL ({found['slowest_sql_ms']} ms)\n{found['slowest_sql']}\n{found['plan']}")
        if options.profile:
            print(f"\n--- {name}: cProfile, in-process\n{found['profile']}")
    out = ROOT / "benchmarks/results" / f"desk-{datetime.datetime.now():%Y-%m-%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nWritten to {out.relative_to(ROOT)}")
    return 0


def print_report(results: dict) -> None:
    print(f"\n{'measure':<34}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'SQL p50':>9}{'SQL p95':>9}"
          f"{'queries':>9}  load")
    for where in ("in_process", "http"):
        for name, found in results[where].items():
            if not isinstance(found, dict):
                continue
            rows = [(name, found["all"])] + [(f"  {kind}", row) for kind, row in found["by_kind"].items()
                                             if len(found["by_kind"]) > 1]
            for label, row in rows:
                sql = (f"{row['sql_p50_ms']:>9.1f}{row['sql_p95_ms']:>9.1f}{row['queries_min']:>5}–{row['queries_max']:<3}"
                       if "sql_p50_ms" in row else " " * 27)
                load = "–".join(f"{value:.1f}" for value in found["load_average"]) if label == name else ""
                prefix = "in-process " if where == "in_process" else "HTTP "
                print(f"{(prefix + label if label == name else label):<34}{row['count']:>5}{row['p50_ms']:>9.1f}"
                      f"{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}{sql}  {load}")
    print()
    for where in ("in_process", "http"):
        for name, found in results[where].items():
            if not isinstance(found, dict):
                continue
            failed = {code: count for code, count in found["statuses"].items() if code != "200"}
            if failed:
                print(f"WARNING: {where} {name} answered {failed} besides 200: the figures do not measure the page.")
    for name, goal in GOALS_MS.items():
        server = results["in_process"][name]["all"]["p95_ms"]
        http = results["http"].get(name, {}).get("all", {}).get("p95_ms")
        verdict = "reached" if server <= goal else "NOT reached"
        over = f"; over HTTP p95 {http:.1f} ms" if http is not None else ""
        print(f"{name}: goal p95 ≤ {goal:.0f} ms server time — in-process p95 {server:.1f} ms, {verdict}{over}.")


if __name__ == "__main__":
    sys.exit(main())
