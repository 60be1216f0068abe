"""How long one routing suggestion takes on the CPU: the classifier alone, the query the desk and
filing use (which also asks the database for the current model), and the whole API call
`POST /api/v1/routing/suggest` through Django's middleware with a bearer token.

    .venv/bin/python benchmarks/routing.py --train /work/shared/eval/routing/train.jsonl

    .venv/bin/python benchmarks/routing.py --history 100000 --services 400

With --history, it times training instead (issue 13): a generated long-tailed history of that many
requests over that many services (made-up words, Zipf-like sizes, fixed seed) is trained on as
`aspa routing train` does, with its progress, the seconds and the peak memory printed.

Goal (issue 5): p95 ≤ 30 ms. The script uses its own SQLite database in a temporary data folder
(or --database-url), loads the demo catalogue, trains the classifier on the given labelled file
(JSON lines with text, lang, service, department) and then asks for suggestions for texts of the
same file in random order: only the time is measured here, not accuracy. The figures are printed
and written to benchmarks/results/routing-<time>.json.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, machine, percentile  # noqa: E402

GOAL_MS = 30.0


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", help="labelled JSON lines to train on")
    parser.add_argument("--history", type=int, default=0, help="time training on this many generated requests")
    parser.add_argument("--services", type=int, default=400, help="services of the generated history")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds when training the history")
    parser.add_argument("--calls", type=int, default=500, help="timed suggestions per measure")
    parser.add_argument("--database-url", default="", help="a PostgreSQL database (default: a temporary SQLite)")
    return parser.parse_args(argv)


def setup_django(database_url: str) -> None:
    os.environ.setdefault("ASPA_DATA_DIR", tempfile.mkdtemp(prefix="aspa-routing-bench-"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aspa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(function, items: list, warm_up: int = 20, before=lambda: None) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time of each call, `before` run untimed ahead of each. On a
    shared machine the wall time includes waiting for a core; the CPU time is what the call itself costs."""
    for item in items[:warm_up]:
        function(item)
    wall, cpu = [], []
    for item in items:
        before()
        started, started_cpu = time.perf_counter(), time.process_time()
        function(item)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def summary(measured: tuple[list[float], list[float]]) -> dict:
    wall, cpu = measured
    return {"count": len(wall), "p50_ms": round(percentile(wall, 0.5) * 1000, 2),
            "p95_ms": round(percentile(wall, 0.95) * 1000, 2), "p99_ms": round(percentile(wall, 0.99) * 1000, 2),
            "cpu_p50_ms": round(percentile(cpu, 0.5) * 1000, 2), "cpu_p95_ms": round(percentile(cpu, 0.95) * 1000, 2)}


def generated_history(count: int, services: int, seed: int = 13) -> list:
    """Requests over `services` services whose sizes fall as 1/rank (a long tail of services with one
    or two), each text five of its service's own thirty words among fifteen common ones."""
    from aspa.routing.classifier import Example

    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "va", "ju", "hy", "ös", "är", "le", "mo", "ti"]
    vocabulary = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 5))) for _ in range(30_000)]
    own = [rng.sample(vocabulary, 30) for _ in range(services)]
    weights = [1 / (1 + number) ** 1.1 for number in range(services)]
    history = []
    for _ in range(count):
        number = rng.choices(range(services), weights)[0]
        words = rng.sample(own[number], 5) + rng.sample(vocabulary, 15)
        rng.shuffle(words)
        history.append(Example(" ".join(words), rng.choice(["fi", "fi", "fi", "sv", "en"]), f"palvelu-{number}",
                               f"osasto-{number % 20}"))
    return history


def time_training(options) -> None:
    import resource

    from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
    from aspa.routing import operations

    load_catalogue(ESIMERKKILA)
    history = generated_history(options.history, options.services)
    print(f"Training on {len(history)} generated requests over {options.services} services …", flush=True)
    started = time.monotonic()
    model = operations.train_classifier(
        history, source="generated history", trained_by="benchmarks/routing.py", keep_unknown=True,
        folds=options.folds, progress=lambda step: print(f"  {time.monotonic() - started:7.0f} s  {step}", flush=True))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"trained in {time.monotonic() - started:.0f} s, peak memory {peak:.0f} MiB, "
          f"{model.summary['services']} services, figures {model.figures or '(not cross-validated)'}; "
          f"load average {[round(value, 2) for value in os.getloadavg()]}")


def main(argv=None) -> None:
    options = parse_arguments(argv)
    setup_django(options.database_url)
    if options.history:
        time_training(options)
        return
    if not options.train:
        raise SystemExit("Give --train FILE (suggestion times) or --history N (training time).")
    from django.test import Client

    from aspa.catalogue.operations import ESIMERKKILA, load_catalogue
    from aspa.identity.models import Role
    from aspa.identity.operations import create_token
    from aspa.routing import operations, queries
    from aspa.routing.management.commands.routing import read_examples

    load_catalogue(ESIMERKKILA)
    examples = read_examples(options.train)
    print(f"Training on {len(examples)} examples …", flush=True)
    started = time.monotonic()
    operations.train_classifier(examples, source=Path(options.train).name, trained_by="benchmarks/routing.py")
    training_seconds = round(time.monotonic() - started, 1)
    classifier = queries.current_classifier()

    rng = random.Random(5)
    texts = [(example.text, example.language) for example in examples]
    items = [rng.choice(texts) for _ in range(options.calls)]
    _token, key = create_token(role=Role.ADVISOR, name=f"routing-bench-{time.time_ns()}")
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}

    def over_api(item):
        response = client.post("/api/v1/routing/suggest", {"text": item[0], "language": item[1], "channel": "email"},
                               content_type="application/json", headers=headers)
        assert response.status_code == 200, response.content

    print(f"Timing {options.calls} suggestions per measure …", flush=True)
    load_before = os.getloadavg()
    results = {
        "classifier": summary(timed(lambda item: classifier.suggest(item[0], item[1]), items)),
        # The texts repeat; each worker remembers its latest answers, so that memory is emptied before
        # every call: these figures are for a text not asked before.
        "query (desk, filing)": summary(timed(lambda item: queries.suggest(item[0], item[1]), items,
                                              before=queries._answers.clear)),
        "API call in-process": summary(timed(over_api, items, before=queries._answers.clear)),
    }
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), "machine": machine(),
        "load_average": {"before": [round(value, 2) for value in load_before],
                         "after": [round(value, 2) for value in os.getloadavg()]},
        "examples": len(examples), "training_seconds": training_seconds, "results": results, "goal_p95_ms": GOAL_MS,
    }
    print(f"{'measure':<24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    for name, figures in results.items():
        print(f"{name:<24} {figures['p50_ms']:>8} {figures['p95_ms']:>8} {figures['p99_ms']:>8} "
              f"{figures['cpu_p50_ms']:>8} {figures['cpu_p95_ms']:>8}")
    print(f"training: {training_seconds} s; load average before {report['load_average']['before']}, "
          f"after {report['load_average']['after']}")
    out = ROOT / "benchmarks" / "results" / f"routing-{datetime.datetime.now(datetime.UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
