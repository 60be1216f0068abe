"""Aspa's benchmark: filing requests and the lookups advisors make all day, over HTTP
against the production server set-up (`aspa serve`: gunicorn), on a generated city.

    make bench BENCH_ARGS="--database-url postgres://postgres@127.0.0.1:5432/aspa_bench \
        --generate --persons 200000 --requests 1000000 --contacts 3000000"

All load goes to 127.0.0.1 only, bounded in count and time; the server is stopped at the end.
The figures are printed as a table and written to benchmarks/results/<date>.json.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL database to measure (default: $DATABASE_URL)")
    parser.add_argument("--generate", action="store_true", help="generate the city first (replaces its data)")
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=3_000_000)
    parser.add_argument("--no-events", action="store_true", help="generate without the request history")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=8,
                        help="gunicorn worker processes (8 filed the most on 2 cores, see docs/benchmarks.md)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients filing requests")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to file requests")
    parser.add_argument("--max-filings", type=int, default=50_000, help="upper bound on requests filed")
    parser.add_argument("--lookups", type=int, default=500, help="lookups of each kind")
    parser.add_argument("--skip-filing", action="store_true")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE of the slowest SQL behind each lookup")
    parser.add_argument("--pg-options", default="",
                        help="PostgreSQL settings for the server's sessions, as PGOPTIONS (e.g. '-c geqo_threshold=8')")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------
# Measuring


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(latencies: list[float], statuses: dict[int, int], seconds: float | None = None) -> dict:
    result = {
        "count": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
    }
    if seconds:
        ok = sum(count for code, count in statuses.items() if 200 <= code < 300)
        result["seconds"] = round(seconds, 2)
        result["per_second"] = round(ok / seconds, 1)
    return result


class Client:
    """One keep-alive HTTP connection to a server (it reconnects when gunicorn closes it). Aspa's
    bearer token by default; other servers (Open Klant) give their own headers."""

    def __init__(self, port: int, token: str = "", host: str = HOST, headers: dict[str, str] | None = None):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.headers = headers if headers is not None else {"Authorization": f"Bearer {token}",
                                                            "Accept-Language": "en"}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
        headers = dict(self.headers)
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            return 0, b"", time.perf_counter() - started
        return response.status, content, time.perf_counter() - started


def measure_sequential(port: int, token: str, paths: list[str]) -> tuple[dict, list[tuple[int, bytes]]]:
    client = Client(port, token)
    client.call("GET", paths[0])  # warm the connection and the worker
    latencies, statuses, failures = [], {}, []
    for path in paths:
        status, content, elapsed = client.call("GET", path)
        latencies.append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
        if status != 200 and len(failures) < 3:
            failures.append((status, content[:300]))
    return summarise(latencies, statuses), failures


def measure_posts(make_client: Callable[[], Client], path: str, bodies: list[dict], clients: int,
                  seconds: float, max_posts: int,
                  progress: Callable[[int, float], None] | None = None,
                  latencies: list[float] | None = None) -> tuple[dict, list[tuple[int, bytes]]]:
    """`clients` threads, each with its own connection, POST to `path` back to back for `seconds`
    (and at most max_posts in all); `progress(done, elapsed)` is called every 5 seconds. Each
    call's time in seconds is added to `latencies` when given."""
    latencies = [] if latencies is None else latencies
    statuses: dict[int, int] = {}
    failures: list[tuple[int, bytes]] = []
    lock = threading.Lock()
    counter = iter(range(max_posts))
    done = [0]
    finished = threading.Event()
    deadline = time.perf_counter() + seconds

    def work(seed: int) -> None:
        rng = random.Random(seed)
        client = make_client()
        mine: list[float] = []
        codes: dict[int, int] = {}
        while time.perf_counter() < deadline:
            with lock:
                if next(counter, None) is None:
                    break
            status, content, elapsed = client.call("POST", path, rng.choice(bodies))
            mine.append(elapsed)
            codes[status] = codes.get(status, 0) + 1
            with lock:
                done[0] += 1
                if not 200 <= status < 300 and len(failures) < 3:
                    failures.append((status, content[:300]))
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    def report() -> None:
        while not finished.wait(5.0):
            progress(done[0], time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(number,)) for number in range(clients)]
    if progress:
        threading.Thread(target=report, daemon=True).start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    finished.set()
    return summarise(latencies, statuses, time.perf_counter() - started), failures


def measure_filing(port: int, token: str, bodies: list[dict], clients: int, seconds: float,
                   max_filings: int) -> tuple[dict, list[tuple[int, bytes]]]:
    """`clients` threads POST requests back to back for `seconds` (and at most max_filings)."""
    return measure_posts(lambda: Client(port, token), "/api/v1/requests", bodies, clients, seconds, max_filings)


# ---------------------------------------------------------------------------------------
# The server


def run_aspa(arguments: list[str], environment: dict) -> str:
    done = subprocess.run([str(VENV_BIN / "aspa"), *arguments], env=environment, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"aspa {' '.join(arguments)} failed:\n{done.stderr}")
    return done.stdout


def start_server(port: int, environment: dict, log_file: Path, workers: int | None = None,
                 task_worker: bool = False, timeout: float = 60.0) -> subprocess.Popen:
    """`aspa serve` on 127.0.0.1:port (gunicorn; its default worker count unless `workers`; the
    task worker only if `task_worker`), once it answers /healthz (within `timeout` seconds)."""
    command = [str(VENV_BIN / "aspa"), "serve", "--host", HOST, "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if not task_worker:
        command.append("--no-worker")
    log = log_file.open("w")
    # A session of its own, so the whole group (serve and its gunicorn) stops together.
    server = subprocess.Popen(command, env=environment, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                              start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped at start; see {log_file}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"The server did not answer /healthz within {timeout:.0f} s; see {log_file}")


def stop_server(server: subprocess.Popen) -> None:
    """Stop `aspa serve` and everything it started (its process group)."""
    import signal

    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    # A task worker that `aspa serve` restarted while it was stopping is still in the group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)


# ---------------------------------------------------------------------------------------
# What to ask for: random existing values from the city


def samples(count: int, seed: int = 7) -> dict:
    from django.db.models import Count

    from aspa.catalogue.models import Department, Service
    from aspa.customers.models import ContactPoint, Party

    rng = random.Random(seed)
    last_party = Party.objects.order_by("-id").values_list("id", flat=True).first()
    if not last_party:
        raise SystemExit("The database has no customers: run with --generate.")

    def random_rows(queryset, field: str, wanted: int) -> list:
        # Random ids are much cheaper than ORDER BY random() on hundreds of thousands of rows.
        found: list = []
        first = queryset.order_by("id").values_list("id", flat=True).first()
        last = queryset.order_by("-id").values_list("id", flat=True).first()
        while len(found) < wanted:
            ids = [rng.randint(first, last) for _ in range(wanted * 2)]
            found += list(queryset.filter(id__in=ids).values_list(field, flat=True))
        rng.shuffle(found)
        return found[:wanted]

    persons = Party.objects.filter(kind="person")
    national_ids = random_rows(persons.exclude(national_id=None), "national_id", count)
    phones = random_rows(ContactPoint.objects.filter(kind="phone"), "value", count)
    last_names = random_rows(persons, "last_name", count)
    # Three to five letters, as an advisor types before the list is short enough.
    prefixes = [name[: rng.randint(3, 5)] for name in last_names]
    party_ids = random_rows(Party.objects.all(), "id", 2000)
    departments = list(Department.objects.values_list("code", flat=True))
    services = list(
        Service.objects.filter(active=True, request_types__code="question", channels__code="phone")
        .values_list("code", flat=True).distinct()
    ) or list(Service.objects.filter(active=True).values_list("code", flat=True))
    busiest = dict(
        Department.objects.annotate(n=Count("id")).values_list("code", "n")
    )
    return {"national_ids": national_ids, "phones": phones, "prefixes": prefixes, "party_ids": party_ids,
            "departments": departments, "services": services, "department_count": len(busiest)}


def filing_bodies(values: dict) -> list[dict]:
    rng = random.Random(11)
    texts = ["Katuvalo ei toimi kotikadullani.", "Kysyn rakennusluvan käsittelyajasta.",
             "Haluan tietää jätehuollon tyhjennysvälin.", "Pyydän neuvoa pysäköintitunnuksen hakemiseen."]
    return [{"type": "question", "service": rng.choice(values["services"]), "channel": "phone",
             "description": rng.choice(texts), "language": "fi", "party": party_id}
            for party_id in values["party_ids"]]


# ---------------------------------------------------------------------------------------
# In-process: the same lookups through Django without HTTP, with the SQL they run


def in_process(token: str, paths: dict[str, list[str]], explain: bool) -> dict:
    from django.db import connection
    from django.test import Client as DjangoClient

    client = DjangoClient(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    results = {}
    for name, urls in paths.items():
        handler_times, sql_times, query_counts = [], [], []
        slowest: tuple[float, str, tuple] = (0.0, "", ())

        def timed(execute, sql, params, many, context):
            nonlocal slowest, sql_spent, queries
            queries += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = time.perf_counter() - started
                sql_spent += spent
                if spent > slowest[0] and sql.lstrip().upper().startswith("SELECT"):
                    slowest = (spent, sql, params)

        client.get(urls[0])
        for url in urls[:200]:
            sql_spent, queries = 0.0, 0
            with connection.execute_wrapper(timed):
                started = time.perf_counter()
                client.get(url)
                handler_times.append(time.perf_counter() - started)
            sql_times.append(sql_spent)
            query_counts.append(queries)
        results[name] = {
            "handler_p50_ms": round(percentile(handler_times, 0.5) * 1000, 2),
            "handler_p95_ms": round(percentile(handler_times, 0.95) * 1000, 2),
            "sql_p50_ms": round(percentile(sql_times, 0.5) * 1000, 2),
            "sql_p95_ms": round(percentile(sql_times, 0.95) * 1000, 2),
            "queries_per_call": round(statistics.median(query_counts), 1),
            "slowest_sql_ms": round(slowest[0] * 1000, 2),
            "slowest_sql": slowest[1],
        }
        if explain and slowest[1]:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[1], slowest[2])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            results[name]["plan"] = plan
    return results


# ---------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory": memory, "python": platform.python_version(),
            "system": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    options = parse_arguments(argv)
    if not options.database_url or not options.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Give a PostgreSQL database with --database-url or DATABASE_URL.")
    environment = {**os.environ, "DATABASE_URL": options.database_url}
    os.environ["DATABASE_URL"] = options.database_url
    data_dir = Path(environment.setdefault("ASPA_DATA_DIR", str(ROOT / "var")))
    data_dir.mkdir(parents=True, exist_ok=True)

    if options.generate:
        command = [sys.executable, str(ROOT / "benchmarks/generate_city.py"), "--reset", "--persons",
                   str(options.persons), "--requests", str(options.requests), "--contacts", str(options.contacts)]
        if options.no_events:
            command.append("--no-events")
        subprocess.run(command, env=environment, check=True)  # noqa: S603

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aspa.settings")
    os.environ["ASPA_DATA_DIR"] = str(data_dir)
    import django

    django.setup()
    from django.db import connection

    from aspa.contacts.models import Contact
    from aspa.customers.models import Party
    from aspa.requests.models import ServiceRequest

    run_aspa(["migrate", "--no-input", "-v", "0"], environment)
    token = run_aspa(["token", "create", "--role", "integration", "--name",
                      f"bench-{uuid.uuid4().hex[:8]}"], environment).strip().splitlines()[-1]
    size = {"parties": Party.objects.count(), "requests": ServiceRequest.objects.count(),
            "contacts": Contact.objects.count()}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    print(f"City: {size['parties']:,} parties, {size['requests']:,} requests, {size['contacts']:,} contacts; "
          f"PostgreSQL {postgres} (shared_buffers {shared_buffers})", flush=True)
    values = samples(options.lookups)
    rng = random.Random(3)
    lookup_paths = {
        "party by henkilötunnus": [f"/api/v1/parties?{urlencode({'national_id': code})}"
                                   for code in values["national_ids"]],
        "party by phone": [f"/api/v1/parties?{urlencode({'phone': phone})}" for phone in values["phones"]],
        "party by name prefix": [f"/api/v1/parties?{urlencode({'name': prefix})}" for prefix in values["prefixes"]],
        "requests by status and department": [
            f"/api/v1/requests?{urlencode({'status': 'received', 'department': rng.choice(values['departments']),
                                            'page': 1})}"
            for _ in range(options.lookups)],
    }

    server_environment = dict(environment)
    if options.pg_options:
        server_environment["PGOPTIONS"] = options.pg_options
    log_file = data_dir / "bench-server.log"
    print(f"Starting `aspa serve` with {options.workers} gunicorn workers on {HOST}:{options.port} "
          f"(log: {log_file}) ...", flush=True)
    server = start_server(options.port, server_environment, log_file, workers=options.workers, timeout=300)
    results: dict = {"date": datetime.date.today().isoformat(), "machine": machine(),
                     "postgresql": postgres, "shared_buffers": shared_buffers, "size": size,
                     "server": f"aspa serve (gunicorn sync) --workers {options.workers}",
                     "pg_options": options.pg_options, "note": options.note, "http": {}}
    try:
        if not options.skip_filing:
            print(f"Filing requests with {options.clients} clients for {options.seconds:.0f} s ...", flush=True)
            filing, failures = measure_filing(options.port, token, filing_bodies(values), options.clients,
                                              options.seconds, options.max_filings)
            results["http"]["filing"] = filing
            for status, content in failures:
                print(f"  filing failed: HTTP {status}: {content.decode(errors='replace')}")
        for name, paths in lookup_paths.items():
            print(f"Measuring {name} ({len(paths)} lookups) ...", flush=True)
            summary, failures = measure_sequential(options.port, token, paths)
            results["http"][name] = summary
            for status, content in failures:
                print(f"  {name} failed: HTTP {status}: {content.decode(errors='replace')}")
    finally:
        stop_server(server)
    print("In-process (Django without HTTP), with the SQL time ...", flush=True)
    results["in_process"] = in_process(token, lookup_paths, options.explain)

    print_table(results)
    if options.explain:
        for name, found in results["in_process"].items():
            print(f"\n--- {name}: slowest SQL ({found['slowest_sql_ms']} ms)\n{found['slowest_sql']}\n"
                  f"{found.get('plan', '')}")
    out = ROOT / "benchmarks/results" / f"{datetime.datetime.now():%Y-%m-%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nWritten to {out.relative_to(ROOT)}")
    return 0


def print_table(results: dict) -> None:
    goals = {"filing": "≥ 500 /s"}
    print(f"\n{'measure':<36}{'n':>7}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  {'statuses':<18}{'goal'}")
    for name, found in results["http"].items():
        goal = goals.get(name, "p95 ≤ 20 ms")
        reached = (found.get("per_second", 0) >= 500) if name == "filing" else found["p95_ms"] <= 20
        rate = f"{found['per_second']:.0f}" if "per_second" in found else ""
        statuses = ",".join(f"{code}×{count}" for code, count in found["statuses"].items())
        print(f"{name:<36}{found['count']:>7}{rate:>9}{found['p50_ms']:>9.1f}{found['p95_ms']:>9.1f}"
              f"{found['p99_ms']:>9.1f}  {statuses:<18}{goal} {'reached' if reached else 'NOT reached'}")
    print(f"\n{'in-process (no HTTP)':<36}{'handler p50':>12}{'p95':>8}{'SQL p50':>10}{'p95':>8}{'queries':>9}{'slowest SQL':>13}")
    for name, found in results.get("in_process", {}).items():
        print(f"{name:<36}{found['handler_p50_ms']:>12.1f}{found['handler_p95_ms']:>8.1f}{found['sql_p50_ms']:>10.1f}"
              f"{found['sql_p95_ms']:>8.1f}{found['queries_per_call']:>9.0f}{found['slowest_sql_ms']:>13.1f}")


if __name__ == "__main__":
    sys.exit(main())
