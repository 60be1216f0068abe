"""Running axe-core (bundled with axe-playwright-python) on a page, WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_axe = Axe()


def violations(page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                      "resultTypes": ["violations"]})
    return results.response["violations"]


def readable(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"[{violation.get('impact')}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, what: str) -> None:
    found = violations(page)
    assert not found, f"axe found WCAG 2.1 AA violations on {what} ({page.url}):\n{readable(found)}"
