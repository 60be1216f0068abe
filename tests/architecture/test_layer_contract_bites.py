"""The layer map in pyproject.toml is enforced: `lint-imports` passes on the code as it is, and
fails, naming the import, when an allowed direction is taken out of the contract."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is installed by `make test-deps`")


def _contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _run(config: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    """lint-imports with a config file of its own (the same root package and contract shape)."""
    lines = ["[importlinter]", f"root_package = {config['root_package']}", ""]
    for contract in config["contracts"]:
        lines += [f"[importlinter:contract:{contract['id']}]", f"name = {contract['name']}",
                  f"type = {contract['type']}", "containers =", *[f"    {c}" for c in contract["containers"]],
                  "layers =", *[f"    {layer}" for layer in contract["layers"]], ""]
    path = tmp_path / "importlinter.ini"
    path.write_text("\n".join(lines))
    return subprocess.run([LINT_IMPORTS, "--config", str(path), "--no-cache", "--no-logo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def _layer_index(layers: list[str], module: str) -> int:
    return next(i for i, layer in enumerate(layers) if module in [m.strip(" ()") for m in layer.split(":")])


def test_the_code_keeps_the_layer_map(tmp_path):
    result = _run(_contract(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_taking_away_an_allowed_direction_breaks_the_contract(tmp_path):
    """Customers may import the catalogue (a customer's segments are catalogue codes). Put the
    catalogue above the customers and that import, the same code, is reported."""
    config = _contract()
    layers = config["contracts"][0]["layers"]
    customers, catalogue = _layer_index(layers, "customers"), _layer_index(layers, "catalogue")
    assert customers < catalogue, "the map lists the customers above the catalogue"
    layers[customers], layers[catalogue] = layers[catalogue], layers[customers]

    result = _run(config, tmp_path)

    assert result.returncode == 1
    assert "aspa.customers is not allowed to import aspa.catalogue" in result.stdout
