"""Throughput on one server (benchmarks/load/run): auditors saving flat out, with no pause, against
/healthz (routing, headers and compression with no database) flat out. The ratio of the two rates says
how much of the server an autosave uses beyond the framework itself (target: at least 0.40)."""

import time
from collections import Counter

from locust import HttpUser, constant, events, task
from people_in_browsers import PEOPLE, Autosaver, next_person, sign_in

AUTOSAVE = "autosave: audit section"
_first, _last, _done = {}, {}, Counter()


class AutosaveFlatOut(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        person = next_person("auditors")
        sign_in(self.client, person["email"], PEOPLE["password"])
        self.saver = Autosaver(self.client, f"/audits/{person['audit']}/domains/{person['pages'][0]}", AUTOSAVE)

    @task
    def save(self):
        self.saver.save()


class HealthzFlatOut(HttpUser):
    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="healthz")


@events.request.add_listener
def _record(name, exception=None, **_):
    """Rates from the first answer on, so signing in and opening the page are not counted as time saving."""
    if exception is None and name in (AUTOSAVE, "healthz"):
        now = time.time()
        _first.setdefault(name, now)
        _last[name] = now
        _done[name] += 1


@events.quitting.add_listener
def _report(**_):
    for name, done in _done.items():
        span = _last[name] - _first[name]
        print(f"RATE {name}: {(done - 1) / span if span else 0:.1f}/s ({done} answers in {span:.1f} s)")
