"""The load test (benchmarks/load/run starts it): simulated people on one server, stepped up until it breaks.

- Auditors (6 in 9) type into an audit section: an autosave after each pause of 2 to 6 seconds, now and
  then the next section.
- Senior managers (2 in 9) record a practice-week observation the same way, with longer pauses.
- QA leads (1 in 9) move between the theme summary's filters (htmx fragments), the trend and drill-downs,
  reading for 5 to 15 seconds between clicks.

Users are added in steps (LOAD_STEP_USERS every LOAD_STEP_SECONDS, for LOAD_SECONDS, LOAD_ARRIVALS signing in a
second: by default 50 users every 20 s for 180 s, up to 450, every simulated person once). At the end a table
gives each step's errors and 95th percentiles, and the most users held with no errors and autosave p95
under LOAD_P95_MS (250) ms; the same figures go to LOAD_RESULTS as JSON.
"""

import json
import os
import random
import re
import time
from collections import defaultdict

from locust import HttpUser, LoadTestShape, between, events, task
from people_in_browsers import HTMX, PEOPLE, Autosaver, next_person, sign_in

STEP_USERS = int(os.environ.get("LOAD_STEP_USERS", "50"))
ARRIVALS = float(os.environ.get("LOAD_ARRIVALS", "3"))  # people signing in a second
STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "20"))
RUN_SECONDS = int(os.environ.get("LOAD_SECONDS", "180"))
P95_MS = float(os.environ.get("LOAD_P95_MS", "250"))
AUTOSAVE, OBSERVATION = "autosave: audit section", "autosave: observation"


class Typist(HttpUser):
    """Someone writing into a form that autosaves (self.saver) after each pause in their typing."""

    abstract = True

    def sign_in_as_next(self, people: str) -> dict:
        person = next_person(people)
        sign_in(self.client, person["email"], PEOPLE["password"])
        return person

    @task(12)
    def pause_in_typing(self):
        self.saver.save()


class Auditor(Typist):
    weight = 6
    wait_time = between(2, 6)

    def on_start(self):
        person = self.sign_in_as_next("auditors")
        self.audit, self.pages = person["audit"], person["pages"]
        self.open_section()

    def open_section(self):
        self.saver = Autosaver(self.client, f"/audits/{self.audit}/domains/{random.choice(self.pages)}", AUTOSAVE)

    @task(1)
    def next_section(self):
        self.open_section()


class SeniorManager(Typist):
    weight = 2
    wait_time = between(3, 8)

    def on_start(self):
        person = self.sign_in_as_next("managers")
        self.path = f"/practice-weeks/observations/{person['observation']}"
        self.saver = Autosaver(self.client, self.path, OBSERVATION)

    @task(1)
    def come_back_to_it(self):
        self.saver = Autosaver(self.client, self.path, OBSERVATION)


def _choices(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    return [v for v in re.findall(r'value="([^"]*)"', select.group(1)) if v] if select else []


class QALead(HttpUser):
    weight = 1
    wait_time = between(5, 15)

    def on_start(self):
        sign_in(self.client, next_person("qa_leads"), PEOPLE["password"])
        page = self.client.get("/themes/", name="summary (page)").text
        self.periods = _choices(page, "period")[:8] or [""]
        self.localities, self.case_types = _choices(page, "locality"), _choices(page, "case_type")

    @task(6)
    def change_a_filter(self):
        query = {"period": random.choice(self.periods)}
        if self.localities and random.random() < 0.5:
            query["locality"] = random.choice(self.localities)
        if self.case_types and random.random() < 0.3:
            query["case_type"] = random.choice(self.case_types)
        if random.random() < 0.2:
            query["grades"] = "original"
        self.client.get("/themes/", params=query, headers=HTMX, name="summary (filter changed)")

    @task(1)
    def trend(self):
        self.client.get("/themes/trend", headers=HTMX, name="trend")

    @task(2)
    def drill_down(self):
        query = {"period": random.choice(self.periods), "domain": "voice_of_child", "grade": random.randint(1, 4)}
        self.client.get("/themes/evidence", params=query, name="drill-down")


class Steps(LoadTestShape):
    """LOAD_STEP_USERS more users every LOAD_STEP_SECONDS, until LOAD_SECONDS, arriving LOAD_ARRIVALS a second:
    people sign in a few at a time, and a whole step's password checks in the same second would hold every worker
    and queue the autosaves behind them, which no morning at a council looks like."""

    def tick(self):
        elapsed = self.get_run_time()
        if elapsed >= RUN_SECONDS:
            return None
        return (int(elapsed // STEP_SECONDS) + 1) * STEP_USERS, ARRIVALS


_seen = defaultdict(lambda: {"times": defaultdict(list), "failures": 0, "requests": 0})
_started = [time.time()]


@events.test_start.add_listener
def _start(**_):
    _started[0] = time.time()


@events.request.add_listener
def _record(name, response_time, exception=None, **_):
    elapsed = time.time() - _started[0]
    if elapsed >= RUN_SECONDS:  # answered while stopping: no step of more users ever ran
        return
    step = _seen[int(elapsed // STEP_SECONDS)]
    step["requests"] += 1
    step["failures"] += exception is not None
    step["times"][name].append(response_time)


def _p95(times: list) -> float | None:
    return sorted(times)[int(0.95 * (len(times) - 1))] if times else None


def step_table() -> list[dict]:
    rows = []
    for index in sorted(_seen):
        step = _seen[index]
        everything = [t for times in step["times"].values() for t in times]
        rows.append(
            {
                "users": (index + 1) * STEP_USERS,
                "requests": step["requests"],
                "per_second": round(step["requests"] / STEP_SECONDS, 1),
                "failures": step["failures"],
                "autosave_p95_ms": _p95(step["times"][AUTOSAVE]),
                "observation_p95_ms": _p95(step["times"][OBSERVATION]),
                "summary_p95_ms": _p95(step["times"]["summary (filter changed)"]),
                "all_p95_ms": _p95(everything),
            }
        )
    return rows


@events.quitting.add_listener
def _report(**_):
    rows = step_table()
    most = 0
    for r in rows:  # held: every step up to this one had no error and a fast enough autosave
        if r["failures"] or (r["autosave_p95_ms"] or 1e9) >= P95_MS:
            break
        most = r["users"]
    print("\n| users | requests/s | errors | autosave p95 ms | observation p95 ms | summary p95 ms | all p95 ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        cells = [r["users"], r["per_second"], r["failures"], r["autosave_p95_ms"], r["observation_p95_ms"]]
        cells += [r["summary_p95_ms"], r["all_p95_ms"]]
        print("| " + " | ".join("" if c is None else f"{c:.0f}" for c in cells) + " |")
    print(f"\nMost users held with no errors and autosave p95 under {P95_MS:.0f} ms: {most}")
    if os.environ.get("LOAD_RESULTS"):
        with open(os.environ["LOAD_RESULTS"], "w") as out:
            json.dump({"steps": rows, "most_users_held": most, "p95_target_ms": P95_MS}, out, indent=1)
