"""Filing side by side with the database's own speed: N loopback clients file service requests
(`POST /api/v1/requests`) against `aspa serve` for a fixed time, in rounds that alternate with a
reference measured in the same run on the same database with the same number of clients:

- PostgreSQL's own single-row insert rate: `pgbench` with a custom script that INSERTs one row
  of the request table's width into a scratch table (bench_insert_reference, dropped at the end);
- where OPEN_KLANT_URL (its klantinteracties API root, e.g.
  http://127.0.0.1:8000/klantinteracties/api/v1) and OPEN_KLANT_TOKEN are given, Open Klant's
  `POST klantcontacten`, with the same client code as Aspa's filing.

    .venv/bin/python benchmarks/filing.py --database-url postgres://postgres@127.0.0.1:5432/aspa_bench

It needs a city from generate_city.py. It starts `aspa serve` with its defaults (gunicorn's
default workers and the task worker) on a free port of 127.0.0.1, or measures a running one
(--url, --token). Where the outbox exists (an OutboxEvent model), its lag for the filings made is
read every second during each filing round (the oldest pending row's age) and after it (the time
until no row is pending); otherwise it prints "outbox: not present". Every figure is printed with
the date, the machine, the load average and the commit; the results go to
benchmarks/results/filing-<time>.json.
"""

import argparse
import datetime
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from run import (
    HOST,
    ROOT,
    Client,
    filing_bodies,
    machine,
    measure_posts,
    percentile,
    run_aspa,
    samples,
    start_server,
    stop_server,
)

SCRATCH_TABLE = "bench_insert_reference"
FILING_PATH = "/api/v1/requests"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="the PostgreSQL database with the benchmark city (default: $DATABASE_URL)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients, for every workload")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each workload in each round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds; each runs every workload once, the order alternating round by round")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of untimed filing before the rounds")
    parser.add_argument("--max-filings", type=int, default=100_000, help="upper bound on filings per round")
    parser.add_argument("--drain-timeout", type=float, default=120.0,
                        help="how long to wait after a filing round for the outbox to empty")
    parser.add_argument("--port", type=int, default=0, help="port for `aspa serve` (default: a free one)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: aspa serve's own default)")
    parser.add_argument("--url", help="measure an `aspa serve` already running here instead of starting one")
    parser.add_argument("--token", help="with --url: an integration token (default: one is created)")
    parser.add_argument("--open-klant-url", default=os.environ.get("OPEN_KLANT_URL"),
                        help="Open Klant's klantinteracties API root (default: $OPEN_KLANT_URL)")
    parser.add_argument("--open-klant-token", default=os.environ.get("OPEN_KLANT_TOKEN"),
                        help="Open Klant's API token (default: $OPEN_KLANT_TOKEN)")
    parser.add_argument("--no-pgbench", action="store_true", help="leave out the pgbench reference")
    parser.add_argument("--note", default="", help="a remark stored with the results")
    return parser.parse_args(argv)


# ---------------------------------------------------------------------------------------
# Where and when: every figure carries these


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def commit() -> str:
    """The commit of the Aspa being measured: the checkout its `aspa` package is imported from
    (PYTHONPATH=<another checkout>/src measures another commit with these tools)."""
    import aspa

    source = Path(aspa.__file__).resolve().parent

    def git(*arguments: str) -> str:
        done = subprocess.run(["git", "-C", str(source), *arguments], capture_output=True, text=True,  # noqa: S607
                              check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=all", "--", ".")
    return (git("rev-parse", "--short", "HEAD") or "unknown") + (" + uncommitted changes" if changed else "")


def now() -> str:
    return f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------
# The reference: PostgreSQL's own single-row insert rate


def connection_options(database_url: str) -> tuple[list[str], dict[str, str]]:
    """pgbench's connection options and environment (the password) for a postgres:// URL."""
    parts = urlsplit(database_url)
    options = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        options += ["-U", parts.username]
    environment = {**os.environ}
    if parts.password:
        environment["PGPASSWORD"] = parts.password
    return [*options, parts.path.lstrip("/")], environment


class InsertReference:
    """pgbench, the same number of clients, one INSERT per transaction into a scratch table whose
    rows are as wide as the request table's on average (about the same WAL and heap work per row,
    but one index where the request table has about twenty)."""

    def __init__(self, database_url: str, clients: int, seconds: float, folder: Path):
        self.options, self.environment = connection_options(database_url)
        self.clients = clients
        self.seconds = seconds
        self.folder = folder
        self.script = folder / "insert.sql"
        self.row_width = 0

    def prepare(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            # A sample of the whole table (the newest rows are the benchmark's own, shorter filings).
            cursor.execute('SELECT avg(pg_column_size(sample.*))::int FROM (SELECT * FROM '
                           '"requests_servicerequest" TABLESAMPLE SYSTEM (1) LIMIT 5000) AS sample')
            target = cursor.fetchone()[0] or 300
            cursor.execute(f'DROP TABLE IF EXISTS "{SCRATCH_TABLE}"')
            cursor.execute(f'CREATE TABLE "{SCRATCH_TABLE}" (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, '
                           "number varchar(30) NOT NULL, status varchar(20) NOT NULL, party_id bigint, "
                           "description text NOT NULL, created_at timestamptz NOT NULL, padding text NOT NULL)")
            cursor.execute(f'INSERT INTO "{SCRATCH_TABLE}" (number, status, party_id, description, created_at, padding) '
                           "VALUES ('ESI-2026-000001', 'received', 1, 'Katuvalo ei toimi kotikadullani.', now(), '') "
                           "RETURNING pg_column_size(\"" + SCRATCH_TABLE + "\".*)")
            base = cursor.fetchone()[0]
            cursor.execute(f'TRUNCATE "{SCRATCH_TABLE}"')
        padding = max(0, target - base)
        self.row_width = base + padding
        self.script.write_text(
            "\\set party random(1, 200000)\n"
            f"INSERT INTO {SCRATCH_TABLE} (number, status, party_id, description, created_at, padding) "
            "VALUES ('ESI-2026-' || :party, 'received', :party, 'Katuvalo ei toimi kotikadullani.', now(), "
            f"repeat('x', {padding}));\n")

    def measure(self, label: str) -> dict:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f'TRUNCATE "{SCRATCH_TABLE}"')
        logs = self.folder / label
        logs.mkdir()
        command = ["pgbench", "--no-vacuum", "--file", str(self.script), "--client", str(self.clients),
                   "--time", str(round(self.seconds)), "--progress", "5", "--log",
                   "--log-prefix", str(logs / "pgbench"), *self.options]
        done = subprocess.run(command, env=self.environment, capture_output=True, text=True, check=False)  # noqa: S603
        for line in done.stderr.splitlines():
            if line.startswith("progress:"):
                log(f"    pgbench {line}")
        if done.returncode != 0:
            raise SystemExit(f"pgbench failed:\n{done.stderr}\n{done.stdout}")
        latencies = []
        for path in logs.glob("pgbench*"):
            for line in path.read_text().splitlines():
                fields = line.split()
                latencies.append(int(fields[2]) / 1_000_000)
        per_second = failed = None
        for line in done.stdout.splitlines():
            if line.startswith("tps ="):
                per_second = float(line.split()[2])
            elif line.startswith("number of failed transactions:"):
                failed = int(line.split(":")[1].split()[0])
        return {"count": len(latencies), "per_second": round(per_second or 0.0, 1), "errors": failed or 0,
                "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 2)}

    def drop(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{SCRATCH_TABLE}"')


# ---------------------------------------------------------------------------------------
# The outbox: how far behind the filings the worker's steps are


def outbox_model():
    """The outbox's events (aspa.outbox: created_at, done_at, failed_at), or None where this Aspa
    has no outbox yet."""
    from django.apps import apps

    try:
        return apps.get_model("outbox", "OutboxEvent")
    except LookupError:
        return None


class OutboxWatch:
    """Every second, the age of the oldest pending outbox event created since `since` (in a thread
    with its own database connection); after the round, the time until none is pending. Pending:
    neither done nor given up (failed_at), which is what the relay's partial index holds."""

    def __init__(self, model, since: datetime.datetime):
        self.model = model
        self.since = since
        self.ages: list[float] = []
        self.pending: list[int] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def oldest_pending(self) -> tuple[int, float]:
        from django.db.models import Count, Min
        from django.utils import timezone

        pending = self.model.objects.filter(created_at__gte=self.since, done_at__isnull=True, failed_at__isnull=True)
        found = pending.aggregate(count=Count("pk"), oldest=Min("created_at"))
        age = (timezone.now() - found["oldest"]).total_seconds() if found["oldest"] else 0.0
        return found["count"], age

    def given_up(self) -> int:
        return self.model.objects.filter(created_at__gte=self.since, failed_at__isnull=False).count()

    def _poll(self) -> None:
        from django.db import connection

        try:
            while not self.stopping.wait(1.0):
                count, age = self.oldest_pending()
                self.pending.append(count)
                self.ages.append(age)
        finally:
            connection.close()

    def start(self) -> "OutboxWatch":
        self.thread.start()
        return self

    def stop_and_drain(self, timeout: float) -> dict:
        self.stopping.set()
        if self.thread.ident is not None:
            self.thread.join()
        started = time.monotonic()
        count, age = self.oldest_pending()
        while count and time.monotonic() - started < timeout:
            time.sleep(0.2)
            count, age = self.oldest_pending()
        drained = round(time.monotonic() - started, 1) if not count else None
        return {"max_lag_s": round(max(self.ages, default=0.0), 2), "max_pending": max(self.pending, default=0),
                "empty_after_s": drained, "left_pending": count, "given_up": self.given_up()}


# ---------------------------------------------------------------------------------------
# Server CPU: what the filings cost `aspa serve` (its gunicorn workers and task worker)


def session_cpu_seconds(session: int) -> dict[str, float]:
    """User and system CPU of the processes in the session, with their waited-for children: the
    task worker (`aspa.cli worker`) and the rest (`aspa serve` and gunicorn: the web)."""
    ticks = {"web": 0, "worker": 0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[3]) == session:
            part = "worker" if b"aspa.cli\x00worker" in command else "web"
            ticks[part] += sum(int(value) for value in fields[11:15])
    return {part: count / os.sysconf("SC_CLK_TCK") for part, count in ticks.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------------------------------


def open_klant_bodies() -> list[dict]:
    """A klantcontact as a KCC agent records a phone call (the fields Open Klant 2 requires)."""
    subjects = ["Straatverlichting defect", "Vraag over omgevingsvergunning", "Ophaaldagen afval",
                "Parkeervergunning aanvragen"]
    return [{"kanaal": "telefoon", "onderwerp": subject, "inhoud": f"{subject}: de klant belde.",
             "indicatieContactGelukt": True, "taal": "nld", "vertrouwelijk": False,
             "plaatsgevondenOp": datetime.datetime.now(datetime.UTC).isoformat()} for subject in subjects]


def round_line(name: str, found: dict) -> str:
    rate = found.get("per_second", 0.0)
    return (f"{name:<26}{found['count']:>8}{rate:>10.1f}{found['p50_ms']:>9.1f}{found['p95_ms']:>9.1f}"
            f"{found['p99_ms']:>9.1f}{found['errors']:>8}   load {found['load_after']}")


def geometric_mean(values: list[float]) -> float | None:
    values = [value for value in values if value > 0]
    return math.exp(sum(math.log(value) for value in values) / len(values)) if values else None


def main(argv: list[str] | None = None) -> int:  # noqa: C901, PLR0912, PLR0915
    options = parse_arguments(argv)
    if not options.database_url or not options.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Give the benchmark city's PostgreSQL database with --database-url or DATABASE_URL.")
    environment = {**os.environ, "DATABASE_URL": options.database_url}
    os.environ["DATABASE_URL"] = options.database_url
    data_dir = Path(environment.setdefault("ASPA_DATA_DIR", str(ROOT / "var")))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ASPA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aspa.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from aspa.customers.models import Party
    from aspa.requests.models import ServiceRequest

    where = machine()
    header = (f"{now()} · {where['cpus']} × {where['cpu']}, {where['memory']} · commit {commit()} · "
              f"load {load_average()}")
    log(f"Filing side by side: {header}")
    run_aspa(["migrate", "--no-input", "-v", "0"], environment)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    city = {"parties": Party.objects.count(), "requests": ServiceRequest.objects.count()}
    log(f"City: {city['parties']:,} parties, {city['requests']:,} requests; PostgreSQL {postgres}")
    bodies = filing_bodies(samples(20))
    token = options.token or run_aspa(["token", "create", "--role", "integration", "--name",
                                       f"bench-filing-{uuid.uuid4().hex[:8]}"], environment).strip().splitlines()[-1]

    server = None
    if options.url:
        parts = urlsplit(options.url)
        host, port = parts.hostname or HOST, parts.port or 80
        log(f"Measuring the server at {options.url}")
    else:
        host, port = HOST, options.port or free_port()
        log_file = data_dir / "bench-filing-server.log"
        log(f"Starting `aspa serve` (its default workers and the task worker) on {host}:{port}, log {log_file} ...")
        server = start_server(port, environment, log_file, workers=options.workers, task_worker=True, timeout=300)

    workloads: dict[str, tuple] = {
        "aspa filing": (lambda: Client(port, token, host=host), FILING_PATH, bodies)}
    folder = Path(tempfile.mkdtemp(prefix="aspa-filing-"))
    reference = None
    if not options.no_pgbench:
        reference = InsertReference(options.database_url, options.clients, options.seconds, folder)
        reference.prepare()
        log(f"pgbench reference: INSERT of one {reference.row_width}-byte row (the request table's average) "
            f"into {SCRATCH_TABLE}, {options.clients} clients")
    if options.open_klant_url and options.open_klant_token:
        klant = urlsplit(options.open_klant_url.rstrip("/"))
        klant_headers = {"Authorization": f"Token {options.open_klant_token}", "Accept-Crs": "EPSG:4326"}
        workloads["open klant klantcontact"] = (
            lambda: Client(klant.port or 80, host=klant.hostname or HOST, headers=klant_headers),
            f"{klant.path}/klantcontacten", open_klant_bodies())
        log(f"Open Klant reference: POST {options.open_klant_url.rstrip('/')}/klantcontacten")
    else:
        log("Open Klant reference: not given (set OPEN_KLANT_URL and OPEN_KLANT_TOKEN)")
    outbox = outbox_model()
    log(f"outbox: {outbox._meta.db_table}, lag read every second" if outbox else "outbox: not present")

    results: dict = {"started": now(), "machine": where, "commit": commit(), "postgresql": postgres, "city": city,
                     "clients": options.clients, "seconds": options.seconds, "note": options.note,
                     "server": options.url or f"aspa serve on {host}:{port}, workers "
                                              f"{options.workers or 'default'}, task worker on",
                     "pgbench_row_width": reference.row_width if reference else None, "rounds": []}
    filing_latencies: list[float] = []

    def run_workload(name: str, round_number: int) -> dict:
        log(f"  {name}, round {round_number}: {options.clients} clients for {options.seconds:.0f} s "
            f"(load {load_average()}) ...")
        load_before = load_average()
        if name == "pgbench insert":
            found = reference.measure(f"round-{round_number}")
        else:
            make_client, path, workload_bodies = workloads[name]
            since = timezone.now()
            watch = OutboxWatch(outbox, since).start() if outbox and name == "aspa filing" else None
            cpu_before = session_cpu_seconds(server.pid) if server and name == "aspa filing" else None
            latencies: list[float] = []

            def progress(done: int, elapsed: float) -> None:
                lag = f", outbox lag {watch.ages[-1]:.1f} s" if watch and watch.ages else ""
                log(f"    {elapsed:4.0f} s: {done:,} done, {done / elapsed:.1f}/s{lag}, load {load_average()}")

            found, failures = measure_posts(make_client, path, workload_bodies, options.clients, options.seconds,
                                            options.max_filings, progress=progress, latencies=latencies)
            found["errors"] = sum(count for code, count in found["statuses"].items() if not code.startswith("2"))
            for status, content in failures:
                log(f"    failed: HTTP {status}: {content.decode(errors='replace')}")
            if cpu_before is not None:
                # The worker's share includes what it did for earlier filings in this round's time.
                cpu_after = session_cpu_seconds(server.pid)
                spent = {part: (cpu_after[part] - cpu_before[part]) * 1000 / max(found["count"], 1)
                         for part in cpu_after}
                found["server_cpu_ms_per_request"] = round(sum(spent.values()), 2)
                found["web_cpu_ms_per_request"] = round(spent["web"], 2)
                found["worker_cpu_ms_per_request"] = round(spent["worker"], 2)
            if name == "aspa filing":
                filing_latencies.extend(latencies)
            if watch:
                worker_before = session_cpu_seconds(server.pid)["worker"] if server else None
                found["outbox"] = watch.stop_and_drain(options.drain_timeout)
                if worker_before is not None:
                    # What the worker spent per event: in the round and while it emptied the outbox.
                    spent = found["worker_cpu_ms_per_request"] * found["count"] / 1000
                    spent += session_cpu_seconds(server.pid)["worker"] - worker_before
                    found["outbox"]["worker_cpu_ms_per_event"] = round(spent * 1000 / max(found["count"], 1), 2)
        found["load_before"], found["load_after"], found["at"] = load_before, load_average(), now()
        log("    " + round_line(name, found))
        return found

    try:
        if options.warmup:
            log(f"Warming up: {options.warmup:.0f} s of filing, not counted ...")
            measure_posts(workloads["aspa filing"][0], FILING_PATH, bodies, options.clients, options.warmup,
                          options.max_filings)
            if outbox:
                drained = OutboxWatch(outbox, timezone.now() - datetime.timedelta(minutes=5)).stop_and_drain(
                    options.drain_timeout)
                log(f"  outbox empty after the warm-up in {drained['empty_after_s']} s")
        order = [*(["pgbench insert"] if reference else []), *workloads]
        for round_number in range(1, options.rounds + 1):
            log(f"Round {round_number} of {options.rounds}:")
            # Alternate the order, so that neither side always runs on a machine the other just warmed.
            this_round = order if round_number % 2 else list(reversed(order))
            results["rounds"].append({name: run_workload(name, round_number) for name in this_round})
    finally:
        if server:
            stop_server(server)
        if reference:
            reference.drop()

    summary = summarise(results, filing_latencies, outbox is not None)
    results["summary"] = summary
    results["finished"] = now()
    print_summary(results, header)
    out = ROOT / "benchmarks/results" / f"filing-{datetime.datetime.now():%Y-%m-%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    log(f"\nWritten to {out.relative_to(ROOT)}")
    return 0


def summarise(results: dict, filing_latencies: list[float], with_outbox: bool) -> dict:
    rounds = results["rounds"]
    filing = [found["aspa filing"] for found in rounds]
    summary: dict = {
        "filing_per_second_mean": round(sum(found["per_second"] for found in filing) / len(filing), 1),
        "filing_p50_ms": round(percentile(filing_latencies, 0.50) * 1000, 2),
        "filing_p95_ms": round(percentile(filing_latencies, 0.95) * 1000, 2),
        "filing_p99_ms": round(percentile(filing_latencies, 0.99) * 1000, 2),
        "filing_errors": sum(found["errors"] for found in filing),
    }
    for reference, key in (("pgbench insert", "share_of_pgbench"), ("open klant klantcontact", "times_open_klant")):
        ratios = [found["aspa filing"]["per_second"] / found[reference]["per_second"]
                  for found in rounds if reference in found and found[reference]["per_second"]]
        if ratios:
            summary[key] = {"geometric_mean": round(geometric_mean(ratios), 5),
                            "rounds": [round(ratio, 5) for ratio in ratios]}
            summary[f"{key}_reference_per_second_mean"] = round(
                sum(found[reference]["per_second"] for found in rounds) / len(rounds), 1)
    if with_outbox:
        summary["outbox_max_lag_s"] = max(found["outbox"]["max_lag_s"] for found in filing)
        drained = [found["outbox"]["empty_after_s"] for found in filing]
        summary["outbox_empty_after_s"] = None if None in drained else max(drained)
        summary["outbox_given_up"] = sum(found["outbox"]["given_up"] for found in filing)
    return summary


def print_summary(results: dict, header: str) -> None:
    summary = results["summary"]
    log(f"\nSummary: {header.split(' · load')[0]} · load at the end {load_average()}")
    log(f"{results['clients']} clients, {results['seconds']:.0f} s per workload, {len(results['rounds'])} rounds; "
        f"city {results['city']['parties']:,} parties, {results['city']['requests']:,} requests; "
        f"PostgreSQL {results['postgresql']}")
    log(f"\n{'round / workload':<30}{'n':>8}{'per s':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for number, found in enumerate(results["rounds"], start=1):
        for name, figures in found.items():
            log(f"{number}  " + round_line(name, figures))
    log("")
    log(f"Aspa filing: {summary['filing_per_second_mean']:.1f}/s on average, p50 {summary['filing_p50_ms']:.1f} ms, "
        f"p95 {summary['filing_p95_ms']:.1f} ms, p99 {summary['filing_p99_ms']:.1f} ms over all rounds, "
        f"{summary['filing_errors']} errors")
    filing = [found["aspa filing"] for found in results["rounds"]]
    if all("server_cpu_ms_per_request" in found for found in filing):
        log("  server CPU per filing in the round, web + task worker: "
            + ", ".join(f"{found['web_cpu_ms_per_request']:.1f} + {found['worker_cpu_ms_per_request']:.1f} ms"
                        for found in filing) + " by round")
    if all("worker_cpu_ms_per_event" in found.get("outbox", {}) for found in filing):
        log("  task worker CPU per outbox event (in the round and while it emptied the outbox): "
            + ", ".join(f"{found['outbox']['worker_cpu_ms_per_event']:.1f}" for found in filing) + " ms by round")
    share = summary.get("share_of_pgbench")
    if share:
        log(f"  share of pgbench's single-row insert rate ({summary['share_of_pgbench_reference_per_second_mean']:,.0f}"
            f"/s on average): {share['geometric_mean'] * 100:.2f} % (geometric mean; rounds "
            f"{', '.join(f'{ratio * 100:.2f}' for ratio in share['rounds'])} %); target ≥ 2.5 % and p95 ≤ 50 ms: "
            f"{'met' if share['geometric_mean'] >= 0.025 and summary['filing_p95_ms'] <= 50 else 'NOT met'}")
    times = summary.get("times_open_klant")
    if times:
        log(f"  Aspa / Open Klant klantcontact: {times['geometric_mean']:.2f}× (geometric mean; rounds "
            f"{', '.join(f'{ratio:.2f}' for ratio in times['rounds'])}); target ≥ 5×")
    if "outbox_max_lag_s" in summary:
        empty = summary["outbox_empty_after_s"]
        log(f"  outbox: lag at most {summary['outbox_max_lag_s']:.1f} s during the rounds; empty "
            + (f"{empty:.1f} s after each round at the latest" if empty is not None else "NOT within the timeout")
            + f"; {summary['outbox_given_up']} events given up")
    else:
        log("  outbox: not present")


if __name__ == "__main__":
    sys.exit(main())
