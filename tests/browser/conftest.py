"""Browser tests drive the Debian Chromium (/usr/bin/chromium) with Playwright; no browser is
ever downloaded. One browser serves the whole session; each test gets a fresh context."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run
# next to it (SynchronousOnlyOperation) although the calls really are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The test database is SQLite in memory, whose one connection the live server shares with the
# test. Two requests of one page at once (the page and an htmx panel it loads) would use that
# connection together, which SQLite refuses ("bad parameter or other API misuse"): the server
# keeps its threads (a browser's keep-alive connections need them) but answers one request at a
# time, the whole answer inside the lock.
import threading  # noqa: E402

from django.core.servers.basehttp import ThreadedWSGIServer  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402


class OneRequestAtATimeServer(ThreadedWSGIServer):
    _lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self._lock:
                return list(application(environ, start_response))
        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Anything the Content-Security-Policy blocked, or any script error, fails the test.
    page.problems = []
    page.on("console", lambda message: page.problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
