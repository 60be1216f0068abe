"""No module grows past 600 lines: a file that long holds more than one thing to name."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 600


def test_no_module_is_over_600_lines():
    too_long = {}
    for folder in ("src/aspa", "benchmarks", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                too_long[str(path.relative_to(ROOT))] = lines
    assert too_long == {}
