"""docs/architecture.md's table from every page and API endpoint to the operations and queries it
calls is the code's: regenerate it with `python scripts/screen_map.py --write` after changing one."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _screen_map_module():
    spec = importlib.util.spec_from_file_location("screen_map", ROOT / "scripts" / "screen_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_documented_screen_map_matches_the_code():
    screen_map = _screen_map_module()
    document = screen_map.DOC.read_text(encoding="utf-8")
    assert screen_map.document_with(screen_map.screen_map()) == document, (
        "docs/architecture.md's screen map is stale: run `.venv/bin/python scripts/screen_map.py --write`")


def test_forwarding_a_request_is_found_in_the_map():
    """The newcomer's question: which endpoint forwards a request to an expert, and what does it call?"""
    table = _screen_map_module().screen_map()
    assert any("requests.operations.forward" in line and "/api/v1/requests/" in line for line in table.splitlines())
