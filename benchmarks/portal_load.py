"""The residents' portal under load: 50 simulated residents (Locust) signed in at once, each
opening their errands, an errand, the service finder, a form and their details, against a real
server (`aspa serve`, gunicorn) with the demo city loaded.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/portal_load.py --data-dir /tmp/aspa-portal-bench --port 8767

Goal (issue 4): p95 ≤ 150 ms server time for every portal page. Server time is gunicorn's own
measure of each request (the access log's %(D)s, from the request read to the response sent),
so the load generator's share of the CPU does not count against the server; Locust's own
client-side figures are printed beside it. The command migrates the database, loads the demo
city (idempotent), makes the residents `bench-resident-NN` (each linked to a demo customer with
errands) with a session each, as strong identification would, warms the server up, runs Locust
headless, stops the server and prints p50/p95 per page, with the server's CPU time per request
(which, unlike the wall-clock figures, other programs on the machine do not inflate) and each
page timed alone in-process. The figures are also written to benchmarks/results/portal-<time>.json.
All load goes to 127.0.0.1.
"""

import argparse
import csv
import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, VENV_BIN, machine, percentile, run_aspa, start_server, stop_server  # noqa: E402

GOAL_MS = 150.0
SEARCHES = ["venepaikka", "paivahoito", "rakennuslupa", "kirjastokortti", "pysäköinti", "uimakoulu",
            "båtplats", "bibliotekskort", "parking", "day care"]
# Server paths → the page they are (the access log has the path, not Locust's name).
PAGES = [
    ("my errands", re.compile(r"^/portal/$")),
    ("an errand", re.compile(r"^/portal/requests/[^/]+/$")),
    ("service search", re.compile(r"^/portal/services/search/$")),
    ("service finder", re.compile(r"^/portal/services/$")),
    ("service page", re.compile(r"^/portal/services/[^/]+/$")),
    ("form page", re.compile(r"^/forms/[^/]+/$")),
    ("my details", re.compile(r"^/portal/me/$")),
]
LOG_LINE = re.compile(r"^ASPA-BENCH (?P<method>\S+) (?P<path>\S+) (?P<status>\d{3}) (?P<micros>\d+)$")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="/tmp/aspa-portal-bench",
                        help="ASPA_DATA_DIR of the benchmark (its SQLite database, uploads, secret key)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL instead of SQLite in --data-dir (default: $DATABASE_URL)")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (sync)")
    parser.add_argument("--residents", type=int, default=50, help="simulated residents at once")
    parser.add_argument("--spawn-rate", type=float, default=10, help="residents started per second")
    parser.add_argument("--seconds", type=int, default=120, help="how long the residents browse")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a resident pauses between pages")
    parser.add_argument("--alone", type=int, default=30,
                        help="calls of each page timed in-process, one at a time, after the load (0: none)")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    return parser.parse_args(argv)


def environment(options: argparse.Namespace) -> dict:
    env = {**os.environ, "ASPA_DATA_DIR": options.data_dir, "DJANGO_SETTINGS_MODULE": "aspa.settings"}
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    else:
        env.pop("DATABASE_URL", None)
    # The request line, the status and gunicorn's own time in microseconds, one request a line.
    env["GUNICORN_CMD_ARGS"] = "--access-logformat 'ASPA-BENCH %(m)s %(U)s %(s)s %(D)s'"
    return env


# ---------------------------------------------------------------------------------------
# The residents and what they open


def prepare_plan(count: int) -> dict:
    """Residents linked to demo customers that have errands, each with a fresh session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from aspa.catalogue.models import Service
    from aspa.customers.models import Party
    from aspa.identity.models import Role, User
    from aspa.requests.models import ServiceRequest

    parties = list(Party.objects.filter(kind=Party.Kind.PERSON).annotate(errands=Count("service_requests"))
                   .filter(errands__gte=2).order_by("-errands", "pk")[:count])
    if len(parties) < count:
        raise SystemExit(f"The demo city has only {len(parties)} persons with errands; {count} are needed.")
    residents = []
    for index, party in enumerate(parties, start=1):
        user, _created = User.objects.update_or_create(
            username=f"bench-resident-{index:02d}",
            defaults={"role": Role.RESIDENT, "party": party, "is_active": True,
                      "first_name": party.first_name, "last_name": party.last_name})
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        numbers = list(ServiceRequest.objects.filter(party=party).order_by("-created_at")
                       .values_list("number", flat=True)[:10])
        residents.append({"username": user.username, "session": session.session_key, "requests": numbers,
                          "errands": party.errands})
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "residents": residents,
        "services": list(Service.objects.filter(active=True).values_list("code", flat=True)),
        "searches": SEARCHES,
        "forms": _form_codes(),
    }


def _form_codes() -> list[str]:
    # The electronic forms, where the forms app has them (the page is left out otherwise).
    try:
        from aspa.eforms.models import FormDefinition
    except ImportError:
        return []
    return list(FormDefinition.objects.filter(active=True).values_list("code", flat=True))


def warm_up(port: int, plan: dict, workers: int) -> None:
    """Every page a few times per worker, so that no first-request cost lands in the figures."""
    resident = plan["residents"][0]
    paths = ["/portal/", f"/portal/requests/{resident['requests'][0]}/", "/portal/services/",
             "/portal/services/search/?q=venepaikka", f"/portal/services/{plan['services'][0]}/", "/portal/me/"]
    if plan["forms"]:
        paths.append(f"/forms/{plan['forms'][0]}/")
    cookie = f"{plan['session_cookie']}={resident['session']}"
    for _round in range(workers * 3):
        for path in paths:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "fi"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"Warm-up: {path} answered {response.status}")
            connection.close()


# ---------------------------------------------------------------------------------------
# Running Locust and reading the figures


def run_locust(options: argparse.Namespace, env: dict, plan_path: Path, csv_prefix: Path) -> None:
    command = [str(VENV_BIN / "locust"), "-f", str(Path(__file__).with_name("portal_locustfile.py")),
               "--headless", "--users", str(options.residents), "--spawn-rate", str(options.spawn_rate),
               "--run-time", f"{options.seconds}s", "--host", f"http://127.0.0.1:{options.port}",
               "--csv", str(csv_prefix), "--stop-timeout", "10", "--loglevel", "WARNING"]
    locust_env = {**env, "PORTAL_BENCH_PLAN": str(plan_path),
                  "PORTAL_BENCH_THINK_MIN": str(options.think[0]), "PORTAL_BENCH_THINK_MAX": str(options.think[1])}
    # Locust prints its running table every few seconds: that is the progress output.
    done = subprocess.run(command, env=locust_env, cwd=ROOT, check=False)  # noqa: S603
    if done.returncode not in (0, 1):  # 1: some requests failed; the summary says which
        raise SystemExit(f"Locust stopped with {done.returncode}")


def timed_alone(plan: dict, calls: int) -> dict[str, float]:
    """Each page through the whole Django stack in this process, one call at a time: the page's
    own cost without the other residents (median milliseconds)."""
    from django.test import Client

    from aspa.identity.models import User

    resident = plan["residents"][0]
    client = Client(headers={"Accept-Language": "fi"})
    client.force_login(User.objects.get(username=resident["username"]))
    paths = {"my errands": "/portal/", "an errand": f"/portal/requests/{resident['requests'][0]}/",
             "service search": "/portal/services/search/?q=venepaikka", "service finder": "/portal/services/",
             "service page": f"/portal/services/{plan['services'][0]}/", "my details": "/portal/me/"}
    if plan["forms"]:
        paths["form page"] = f"/forms/{plan['forms'][0]}/"
    medians = {}
    for name, path in paths.items():
        client.get(path)
        spent = []
        for _call in range(calls):
            started = time.perf_counter()
            client.get(path)
            spent.append((time.perf_counter() - started) * 1000)
        medians[name] = round(percentile(spent, 0.5), 1)
    return medians


def server_cpu_seconds(group: int) -> float:
    """User and system CPU time of every process of the server's group (serve and its gunicorn).

    Unlike the wall-clock server time, this does not grow when other programs share the CPUs."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, …; utime and stime are fields 14 and 15 of the line.
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def server_times(log_file: Path, start_offset: int) -> tuple[dict[str, list[float]], dict[str, dict[str, int]]]:
    times: dict[str, list[float]] = {name: [] for name, _pattern in PAGES}
    statuses: dict[str, dict[str, int]] = {name: {} for name, _pattern in PAGES}
    with log_file.open(encoding="utf-8", errors="replace") as log:
        log.seek(start_offset)
        for line in log:
            found = LOG_LINE.match(line.strip())
            if not found:
                continue
            page = next((name for name, pattern in PAGES if pattern.match(found["path"])), None)
            if page is None:
                continue
            times[page].append(int(found["micros"]) / 1000)
            statuses[page][found["status"]] = statuses[page].get(found["status"], 0) + 1
    return times, statuses


def client_times(csv_prefix: Path) -> dict[str, dict]:
    path = Path(f"{csv_prefix}_stats.csv")
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as stats:
        return {row["Name"]: {"count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                              "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
                              "rps": round(float(row["Requests/s"] or 0), 1)}
                for row in csv.DictReader(stats)}


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    data_dir = Path(options.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(options)
    print(f"Database: {options.database_url or data_dir / 'aspa.sqlite3'}", flush=True)
    print("Migrating and loading the demo city (idempotent) …", flush=True)
    run_aspa(["migrate", "--no-input", "-v", "0"], env)
    run_aspa(["demo"], env)

    os.environ.update({key: env[key] for key in ("ASPA_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
    if options.database_url:
        os.environ["DATABASE_URL"] = options.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    plan = prepare_plan(options.residents)
    plan_path = data_dir / "portal-bench-plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    errands = sorted(resident["errands"] for resident in plan["residents"])
    print(f"{len(plan['residents'])} residents with {errands[0]}–{errands[-1]} errands each; "
          f"{len(plan['services'])} services, {len(plan['forms'])} forms", flush=True)

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_dir = ROOT / "benchmarks" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    log_file = results_dir / f"portal-{stamp}-server.log"
    server = start_server(argparse.Namespace(port=options.port, workers=options.workers), env, log_file)
    try:
        print(f"Server up on 127.0.0.1:{options.port} ({options.workers} workers); warming up …", flush=True)
        warm_up(options.port, plan, options.workers)
        time.sleep(1)  # gunicorn writes the access log line after the response
        offset = log_file.stat().st_size
        cpu_before, load_before = server_cpu_seconds(server.pid), os.getloadavg()[0]
        print(f"{options.residents} residents browse for {options.seconds} s "
              f"(pauses {options.think[0]:g}–{options.think[1]:g} s) …", flush=True)
        started = time.monotonic()
        run_locust(options, env, plan_path, results_dir / f"portal-{stamp}-locust")
        elapsed = time.monotonic() - started
        time.sleep(1)
        cpu_used, load_after = server_cpu_seconds(server.pid) - cpu_before, os.getloadavg()[0]
    finally:
        stop_server(server)

    times, statuses = server_times(log_file, offset)
    alone = timed_alone(plan, options.alone) if options.alone else {}
    clients = client_times(results_dir / f"portal-{stamp}-locust")
    pages = {}
    for name, _pattern in PAGES:
        values = times[name]
        if not values:
            continue
        pages[name] = {"count": len(values), "p50_ms": round(percentile(values, 0.5), 1),
                       "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1),
                       "statuses": statuses[name], "client": clients.get(name, {}), "alone_p50_ms": alone.get(name)}
    everything = [value for values in times.values() for value in values]
    results = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
        "database": "postgresql" if options.database_url else "sqlite",
        "options": {"residents": options.residents, "seconds": options.seconds, "workers": options.workers,
                    "think": list(options.think), "spawn_rate": options.spawn_rate},
        "note": options.note, "seconds": round(elapsed, 1),
        "requests_per_second": round(len(everything) / elapsed, 1) if elapsed else None,
        "all": {"count": len(everything), "p50_ms": round(percentile(everything, 0.5), 1),
                "p95_ms": round(percentile(everything, 0.95), 1)} if everything else {},
        # The whole machine's 1-minute load average: other programs' share of the CPUs shows here.
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "server_cpu_ms_per_request": round(cpu_used * 1000 / len(everything), 1) if everything else None,
        "pages": pages, "goal_p95_ms": GOAL_MS,
    }
    out = results_dir / f"portal-{stamp}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print_summary(results)
    print(f"\nFigures: {out}\nServer log: {log_file}")
    return 0 if all(page["p95_ms"] <= GOAL_MS for page in pages.values()) else 1


def print_summary(results: dict) -> None:
    machine_info = results["machine"]
    print(f"\nPortal under load — {results['date']}, {results['database']}, "
          f"{machine_info['cpus']} CPUs ({machine_info['cpu']}), {machine_info['memory']}")
    options = results["options"]
    print(f"{options['residents']} residents, {options['workers']} gunicorn workers, "
          f"{results['seconds']} s, {results['requests_per_second']} requests/s")
    print(f"load average {results['load_average'][0]} before, {results['load_average'][1]} after; "
          f"server CPU {results['server_cpu_ms_per_request']} ms per request\n")
    print(f"{'page':<16} {'count':>6} {'server p50':>11} {'server p95':>11} {'max':>8} {'client p95':>11} "
          f"{'alone p50':>10}  goal")
    for name, page in results["pages"].items():
        verdict = "ok" if page["p95_ms"] <= results["goal_p95_ms"] else "OVER"
        client = page["client"].get("p95_ms", "")
        failed = {status: n for status, n in page["statuses"].items() if status != "200"}
        alone = page.get("alone_p50_ms") or ""
        print(f"{name:<16} {page['count']:>6} {page['p50_ms']:>9.1f}ms {page['p95_ms']:>9.1f}ms "
              f"{page['max_ms']:>6.0f}ms {client!s:>9}ms {alone!s:>8}ms  {verdict}"
              + (f"  (other answers: {failed})" if failed else ""))
    if results["all"]:
        print(f"{'all pages':<16} {results['all']['count']:>6} {results['all']['p50_ms']:>9.1f}ms "
              f"{results['all']['p95_ms']:>9.1f}ms")


if __name__ == "__main__":
    raise SystemExit(main())
