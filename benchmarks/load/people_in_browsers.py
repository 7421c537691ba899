"""What a simulated person's browser does: sign in, read a page's autosave form, autosave it as htmx
would (the form's fields, HX-Request, the CSRF token in a header, the version from the last answer).
Shared by locustfile.py and throughput.py; runs in benchmarks/load/.venv (Locust), not the app's."""

import json
import os
import random
import re
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

PEOPLE = json.loads(Path(os.environ.get("LOAD_PEOPLE", Path(__file__).with_name("people.json"))).read_text())
_next = {kind: count() for kind in ("auditors", "managers", "qa_leads")}
VERSION = re.compile(r'id="autosave-version" value="(\d+)"')
HTMX = {"HX-Request": "true"}


def next_person(kind: str):
    """Each simulated user is a different person (and so has an audit or observation of their own)."""
    people = PEOPLE[kind]
    return people[next(_next[kind]) % len(people)]


class AutosaveForm(HTMLParser):
    """The fields of the page's form marked data-autosave, as the browser would send them."""

    def __init__(self, page: str):
        super().__init__()
        self.action, self.inside, self.select = None, False, None
        self.values, self.radios, self.texts, self.csrf = {}, {}, [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body" and a.get("hx-headers"):
            self.csrf = json.loads(a["hx-headers"]).get("X-CSRFToken")
        if tag == "form" and "data-autosave" in a:
            self.inside, self.action = True, a.get("action")
        if not self.inside:
            return
        name, kind = a.get("name"), a.get("type", "text")
        if tag == "input" and name and kind == "radio":
            self.radios.setdefault(name, []).append(a.get("value"))
        elif tag == "input" and name and kind not in ("checkbox", "submit", "button"):
            self.values.setdefault(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self.texts.append(name)
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and (self.select not in self.values or "selected" in a):
            self.values[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None

    def fields(self, typed: int) -> dict:
        """What the browser sends after some typing: a grade or answer picked, the text areas written."""
        data = dict(self.values)
        for name, options in self.radios.items():
            data[name] = random.choice(options)
        for name in self.texts:
            data[name] = f"Seen on the file during the load test, note {typed}: the plan was reviewed."
        return data


def sign_in(client, email: str, password: str) -> None:
    page = client.get("/sign-in", name="sign in (page)")
    # Every page carries the session's CSRF token in <body hx-headers>, for htmx: the form takes it too.
    data = {"email": email, "password": password, "csrf_token": AutosaveForm(page.text).csrf}
    with client.post("/sign-in", data=data, name="sign in", allow_redirects=False, catch_response=True) as answer:
        if answer.status_code != 302:
            answer.failure(f"sign-in answered {answer.status_code}")


class Autosaver:
    """One person's form: read it once, then autosave it again and again, carrying the version."""

    def __init__(self, client, path: str, name: str):
        self.client, self.name, self.typed = client, name, 0
        self.form = AutosaveForm(client.get(path, name=f"{name} (page)").text)

    def save(self) -> None:
        self.typed += 1
        data = self.form.fields(self.typed)
        headers = HTMX | {"X-CSRFToken": self.form.csrf or ""}
        with self.client.post(self.form.action, data=data, headers=headers, name=self.name, catch_response=True) as a:
            found = VERSION.search(a.text or "")
            if a.status_code != 200 or found is None:
                a.failure(f"autosave answered {a.status_code} without a new version")
            else:
                self.form.values["version"] = found.group(1)
