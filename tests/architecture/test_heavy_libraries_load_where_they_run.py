"""scikit-learn, SpiffWorkflow, pysaml2 and fpdf2 are loaded only where they run.

Together they are about 250 MiB and several seconds of CPU per process. Importing the URL map, the
modules behind every page and the worker's command must not load them: the classifier loads
scikit-learn when it ranks or trains, a process SpiffWorkflow when it starts or steps, a sign-in
pysaml2, the PDF copy of a form fpdf2 (docs/benchmarks.md, "Serving: workers, threads, preload").
Checked in a fresh interpreter, because the test run itself has long since imported them all."""

import json
import os
import subprocess
import sys

HEAVY = ("saml2", "sklearn", "SpiffWorkflow", "fpdf", "numpy", "scipy")

LOADED_BY = """
import json, pkgutil, sys
import django
django.setup()
import aspa.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
from django.template import engines
engines["django"].engine.template_libraries  # every {% load %} library: the desk's too
import aspa.desk.views, aspa.portal.views
for package in (aspa.desk.views, aspa.portal.views):
    for module in pkgutil.iter_modules(package.__path__):
        __import__(f"{package.__name__}.{module.name}")
import aspa.management.commands.worker
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def _loaded_in_a_fresh_interpreter(tmp_path) -> list[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "aspa.settings", "ASPA_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", LOADED_BY, *HEAVY], env=environment, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_pages_and_the_worker_import_none_of_the_heavy_libraries(tmp_path):
    assert _loaded_in_a_fresh_interpreter(tmp_path) == []
