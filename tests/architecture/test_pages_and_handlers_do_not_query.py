"""Pages, API handlers and the desk and portal read through the apps' queries modules (access
helpers that fetch, authorise and audit in one call), never with a bare `Model.objects` query."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "src" / "aspa"
QUERY = re.compile(r"\bobjects\.")


def _edge_modules() -> set[Path]:
    modules = set(ROOT.glob("*/views*.py")) | set(ROOT.glob("*/api.py"))
    for app in ("desk", "portal"):
        modules |= set((ROOT / app).rglob("*.py"))
    # The demo loaders (`aspa demo`) are management commands in all but name.
    return {path for path in modules if not path.stem.endswith("queries") and path.stem != "demo"
            and path.parent.name != "queries"}


def test_no_page_or_handler_queries_a_model_directly():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted(_edge_modules())
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if QUERY.search(line)]
    assert found == []
