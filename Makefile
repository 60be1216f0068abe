# Two commands set everything up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Django 6 needs Python 3.12 or newer: use the first one found.
PYTHON ?= $(shell for p in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test venv test-deps lint architecture messages translations bench bench-deps clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Aspa needs Python 3.12 or newer"; exit 1; }
	@# pysaml2 signs and verifies SAML messages with the xmlsec1 program (Debian package xmlsec1).
	@command -v xmlsec1 >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends xmlsec1 >/dev/null; } \
	  || echo "warning: install xmlsec1 (apt-get install xmlsec1) for strong identification (SAML)"
	@# Finnish base forms and compound words for search and routing (libvoikko); without it they fall back to Snowball.
	@[ -e /usr/share/voikko ] || [ -e /usr/lib/voikko ] || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends libvoikko1 voikko-fi >/dev/null; } \
	  || echo "warning: install libvoikko1 and voikko-fi (apt-get) for Finnish base forms and compounds"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

venv: $(VENV)/.installed

messages: venv
	@$(PY) -m aspa.cli compilemessages --ignore=.venv -v 0

# Refresh the fi/sv/en catalogues from the source after changing user-facing strings.
translations: venv
	cd src/aspa && ../../$(VENV)/bin/aspa makemessages -l fi -l sv -l en --no-obsolete --add-location file --ignore 'tests/*' -v 0

# The local demo: plain HTTP on 127.0.0.1, test identity codes, demo logins.
run: export ASPA_DEMO ?= true
run: venv messages
	$(VENV)/bin/aspa migrate --no-input -v 0
	$(VENV)/bin/aspa demo
	$(VENV)/bin/aspa serve --host 127.0.0.1 --port $(PORT)

$(VENV)/.test-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

test-deps: $(VENV)/.test-installed
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@command -v xmlsec1 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends xmlsec1 >/dev/null; }
	@[ -e /usr/share/voikko ] || [ -e /usr/lib/voikko ] || { apt-get update -qq && apt-get install -y -qq --no-install-recommends libvoikko1 voikko-fi >/dev/null; }

lint: test-deps
	$(VENV)/bin/ruff check src tests benchmarks

# The layer map (pyproject.toml [tool.importlinter]) and the type check (pyproject.toml [tool.mypy]).
architecture: test-deps
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy

test: test-deps messages lint architecture
	$(VENV)/bin/aspa makemigrations --check --dry-run -v 0
	@$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest: no tests were collected"; exit 1; fi; exit $$rc

$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[bench]'
	@touch $@

bench-deps: $(VENV)/.bench-installed

bench: bench-deps
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
