"""The simulated residents of benchmarks/portal_load.py (Locust). Not run on its own: the driver
prepares the residents' sessions and the pages to open, and passes them in PORTAL_BENCH_PLAN.

Each resident, signed in with their own session cookie, opens their errands, one of their
errands, the service finder (home, a search, a service), an electronic form and their details,
with a pause between pages as a person would."""

import itertools
import json
import os
import random
import threading

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["PORTAL_BENCH_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)

_next_resident = itertools.count()
_lock = threading.Lock()
THINK = (float(os.environ.get("PORTAL_BENCH_THINK_MIN", "1")), float(os.environ.get("PORTAL_BENCH_THINK_MAX", "3")))


class Resident(FastHttpUser):
    """The lighter of Locust's two clients: the load generator shares the server's CPUs."""

    wait_time = between(*THINK)

    def on_start(self):
        with _lock:
            self.me = PLAN["residents"][next(_next_resident) % len(PLAN["residents"])]
        self.headers = {"Cookie": f"{PLAN['session_cookie']}={self.me['session']}",
                        "Accept-Language": random.choice(["fi", "fi", "fi", "sv", "en"])}  # noqa: S311

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    @task(3)
    def my_errands(self):
        self._get("/portal/", "my errands")

    @task(3)
    def an_errand(self):
        self._get(f"/portal/requests/{random.choice(self.me['requests'])}/", "an errand")  # noqa: S311

    @task(2)
    def finder_home(self):
        self._get("/portal/services/", "service finder")

    @task(2)
    def search(self):
        self._get(f"/portal/services/search/?q={random.choice(PLAN['searches'])}", "service search")  # noqa: S311

    @task(2)
    def service(self):
        self._get(f"/portal/services/{random.choice(PLAN['services'])}/", "service page")  # noqa: S311

    @task(1)
    def form(self):
        if PLAN["forms"]:
            self._get(f"/forms/{random.choice(PLAN['forms'])}/", "form page")  # noqa: S311

    @task(1)
    def my_details(self):
        self._get("/portal/me/", "my details")
