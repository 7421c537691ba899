"""Property-based fuzzing of every route in the permission matrix: no input makes a 500, and every
answer (errors included) carries the security headers.

For each endpoint, Hypothesis generates requests signed in as each role that may use it, as the
record's own author where there is one (the audit's auditor, the observation's observer, the action's
owner, the follow-up's owner) and as anonymous, with generated values for:
- every path parameter: a valid record, or huge, negative, zero, Unicode-digit ("²", "١"),
  5,000-digit or non-numeric values;
- the query parameters the route reads (QUERY_PARAMETERS) and arbitrary extra ones;
- for POSTs, every form field: the valid form from tests/permission_matrix.py POST_DATA, the fields the
  page itself renders and those the route reads from request.form, each kept, dropped, repeated, or
  replaced by text with NUL and other control characters, 100 KB strings or Unicode; files replaced
  by binary or malformed content.

Profiles (HYPOTHESIS_PROFILE, default "ci"): "ci" is reproducible (derandomize) and keeps the whole file
to a few minutes on both databases; "deep" tries many more inputs:
    HYPOTHESIS_PROFILE=deep ./scripts/test tests/integration/test_fuzz_routes.py
Every distinct failure (route, method, role, input, status, exception) is listed in one message.
"""

import io
import logging
import os
import re
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import InvalidRequestError

from audit_app.extensions import db
from audit_app.permissions import Role
from tests.conftest import sign_in_as
from tests.factories import user_with
from tests.permission_matrix import (
    POST_DATA,
    PUBLIC,
    ROUTES,
    make_route_objects,
    url_values,
)

_COMMON = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
    # Failures are collected, not raised, so every distinct cause is reported; nothing to shrink.
    "phases": [Phase.explicit, Phase.generate],
}
settings.register_profile("ci", max_examples=15, derandomize=True, **_COMMON)
settings.register_profile("deep", max_examples=400, derandomize=False, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options")

# Figures for the terminal summary (tests/conftest.py prints them).
STATS: Counter = Counter()
FUZZED: set = set()  # (endpoint, persona)

# --- Generated values ----------------------------------------------------------------------------------

NASTY_STRINGS = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    "²",
    "١",
    "١٢",
    "𝟙𝟚",
    "Ⅻ",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 5000,
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "1\x00",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\u200b",
    "😀",
    "𝕏",
    "ǅ",
    "ﬀ",
    "' OR 1=1 --",
    "%s%s%n",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "../../etc/passwd",
    "%00",
    "%",
    "\\",
    "//evil.example",
    "2021-13-45",
    "2021-02-30",
    "0000-00-00",
    "9999-12-31",
    "31/12/99999",
    "24:61",
    "25:00",
    "-0",
    "1 000",
    "٣١",
    "CMS\x00001",
    "a" * 5000,
]
# Long ones, drawn less often: 100 KB of ASCII, of NULs and of two-byte characters.
HUGE_STRINGS = ["x" * 100_000, "\x00" * 100_000, "é" * 50_000, "9" * 100_000]

# NUL is the one databases refuse, so it comes up far more often than the other control characters.
control_text = st.one_of(
    st.sampled_from(["\x00", "\x00", "a\x00", "\x01\x00\x1f", "\x1b", "\x7f", "\x85", "\r", "\x0b\x0c", "\x08"]),
    st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1, max_size=20),
)
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60)
nasty_text = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    any_text,
    control_text,
    st.builds(lambda a, b: a + b, any_text, control_text),
    st.integers().map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
nasty_value = st.one_of(nasty_text, nasty_text, nasty_text, st.sampled_from(HUGE_STRINGS))
nasty_id = st.one_of(
    st.sampled_from(
        ["0", "00", "1", "2", "-1", "²", "١", "١٢", "𝟙", "9" * 5000, "2147483648", "9223372036854775808", "abc"]
    ),
    st.integers(min_value=0, max_value=2**80).map(str),
    nasty_text.filter(lambda s: s not in ("", ".", "..")),
)

# Query parameters each route reads (request.args, request.values and the services' from_args).
THEME_FILTERS = [
    "period",
    "locality",
    "service",
    "team",
    "case_type",
    "programme",
    "practice_week",
    "subject",
    "source",
    "grades",
]
QUERY_PARAMETERS = {
    "auth.sign_in": ["next"],
    "admin.cases": ["reference", "case_type", "locality_id", "page", "per_page"],
    "moderation.index": ["status", "programme_id", "locality_id", "auditor_id", "sampled", "page", "per_page"],
    "moderation.new_sample": ["programme_id", "locality_id"],
    "moderation.agreement": ["period", "programme_id", "locality_id"],
    "programmes.programme": ["case_type", "locality_id", "team_id", "reference"],
    "followups.mark_done": ["next"],
    "audits.page": ["check"],
    "plan.index": ["month"],
    "plan.actions": ["priority_id", "rag", "owner_id", "due_from", "due_to"],
    "plan.new_action": ["theme_id", "domain_key", "judgement_id", "audit_id", "observation_id", "quick_win_id"],
    "plan.priority": ["month"],
    "plan.priority_month": ["month"],
    "plan.outcome_month": ["month"],
    "plan.plan_month": ["month"],
    "plan.indicators": ["month"],
    "plan.board_report": ["month", "format"],
    "themes.summary": THEME_FILTERS,
    "themes.trend": THEME_FILTERS,
    "themes.evidence": THEME_FILTERS + ["theme", "grade", "month", "domain", "lens", "previous", "page"],
    "themes.chart": THEME_FILTERS,
    "themes.export": THEME_FILTERS,
    "practitioners.my_audits": ["page"],
    "practitioners.team_audits": ["page"],
    "practitioners.disagreements": ["page"],
    "briefings.new": THEME_FILTERS + ["findings"],
}
# Form fields a route reads from request.form that its page may not render.
EXTRA_FORM_FIELDS = {
    "audits.page": ["version", "keep_mine", "action"],
    "audits.submit": ["version"],
    "practice_week.observation": [
        "version",
        "keep_mine",
        "submit_observation",
        "save",
        "follow_up-action_required",
        "follow_up-owner_id",
        "follow_up-due_date",
        "quick_wins-0-text",
        "quick_wins-0-theme_id",
    ],
    "practice_week.start_observation": ["activity_id"],
    "followups.mark_done": ["note", "next"],
    "programmes.programme": ["case_ids", "auditor_id", "due_date"],
}
# The record's own author, who may use routes none of the roles may.
OWNERS = {
    "audits.task_list": lambda o: o["audit"].auditor,
    "audits.page": lambda o: o["audit"].auditor,
    "audits.check": lambda o: o["audit"].auditor,
    "audits.add_follow_up": lambda o: o["audit"].auditor,
    "audits.submit": lambda o: o["audit"].auditor,
    "audits.view": lambda o: o["audit"].auditor,
    "practice_week.observation": lambda o: o["observation"].observer,
    "practice_week.view_observation": lambda o: o["observation"].observer,
    "plan.action": lambda o: o["plan_action"].owner,
    "plan.action_progress": lambda o: o["plan_action"].owner,
    "followups.mark_done": lambda o: o["follow_up"].owner,
}

MISSING = object()
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
_FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname="([^"]+)\"""")


def _path(rule, values: dict) -> str:
    return _ARGUMENT.sub(lambda m: quote(str(values[m.group(3)]), safe=""), rule.rule)


def _segment(converter: str | None, options: str | None, valid):
    """A path value: the valid one, another allowed one, or rubbish."""
    choices = [st.just(valid)]
    if converter == "any":
        choices.append(st.sampled_from([o.strip() for o in options.split(",")]))
    return st.one_of(*choices, nasty_id)


def _file_value():
    contents = st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"",
                b"\x00" * 50,
                b"\xff\xfe\x00",
                b"a,b\n\x00,\x01\n",
                b'"unterminated\n',
                b"{",
                b"[]",
                b"null",
                b'{"tool": null}',
                b'{"tool": "\x00", "domains": [{}]}',
                "é,ü\n".encode("latin-1"),
                b"case_reference,case_type,locality,team\n" + b"x," * 2000 + b"\n",
            ]
        ),
        nasty_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    )
    names = st.sampled_from(["data.csv", "tool.json", "", "x.exe", "\x00.csv", "a" * 300 + ".csv"])
    return st.builds(lambda c, n: (io.BytesIO(c), n), contents, names)


def _form(data, base: dict, names: list[str]) -> dict:
    """The valid form with one or two fields changed (so the rest passes validation and the change reaches
    the service), or with every field kept, dropped, repeated or replaced; and sometimes extra fields."""
    every = sorted(set(base) | set(names))
    if data.draw(st.booleans(), label="change one or two fields only") and every:
        changed = set(data.draw(st.lists(st.sampled_from(every), min_size=1, max_size=2), label="changed fields"))
        form = {name: value for name, value in base.items() if name not in changed}
    else:
        changed, form = every, {}
    for name in sorted(changed):
        valid = base.get(name, MISSING)
        kinds = ["replace", "replace", "drop", "list"] + (["keep", "keep"] if valid is not MISSING else [])
        kinds += ["insert", "insert"] if isinstance(valid, str) and valid else []
        kind = data.draw(st.sampled_from(kinds), label=f"{name} kind")
        if kind == "keep":
            form[name] = valid
        elif kind == "insert":  # control characters inside an otherwise valid value
            at = data.draw(st.integers(0, len(valid)), label=f"{name} at")
            form[name] = valid[:at] + data.draw(control_text, label=name) + valid[at:]
        elif kind == "replace":
            form[name] = data.draw(_file_value() if isinstance(valid, tuple) else nasty_value, label=name)
        elif kind == "list":
            form[name] = data.draw(st.lists(nasty_text, min_size=2, max_size=4), label=name)
    form.update(data.draw(st.dictionaries(nasty_text.filter(bool), nasty_text, max_size=2), label="extra fields"))
    return form


def _describe(value) -> str:
    if isinstance(value, tuple):
        content = value[0]
        return f"file {value[1]!r} ({len(content)} bytes: {content[:60]!r})"
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}... ({len(text)} chars)"


class _LastError(logging.Handler):
    """Keeps the exception the error page logged, for the failure message."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.error = None

    def emit(self, record):
        if record.exc_info:
            self.error = record.exc_info[1]


def _cause(error) -> tuple[str, str]:
    """The exception's type and where it was raised (the last line of the app's own code), and a message."""
    if error is None:
        return "no exception logged", "no exception logged"
    tb, where = error.__traceback__, ""
    while tb is not None:
        if "audit_app" in tb.tb_frame.f_code.co_filename or not where:
            where = f"{os.path.relpath(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
        tb = tb.tb_next
    key = f"{type(error).__name__} at {where}"
    text = " ".join(str(error).split())
    return key, f"{key}: {text[:300]}"


@pytest.fixture
def fuzz_app(app):
    """Unhandled exceptions answer with the 500 page (as in production) instead of reaching the test."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    handler, kept = _LastError(), (app.logger.handlers[:], app.logger.propagate)
    app.logger.handlers[:], app.logger.propagate = [handler], False  # the failure message says it all
    yield app, handler
    app.logger.handlers[:], app.logger.propagate = kept
    app.config["PROPAGATE_EXCEPTIONS"] = None


BLUEPRINTS = sorted({endpoint.split(".")[0] for endpoint in ROUTES})


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_no_input_makes_a_500(fuzz_app, blueprint):
    """Every endpoint of the blueprint (one set of records for them all, so the set-up stays cheap)."""
    app, errors = fuzz_app
    objects = make_route_objects()
    users = {role: user_with(role) for role in Role}
    failures = []
    for endpoint in sorted(e for e in ROUTES if e.split(".")[0] == blueprint):
        allowed = ROUTES[endpoint]
        personas = {"anonymous": None} | {r.value: u for r, u in users.items() if allowed == PUBLIC or r in allowed}
        if endpoint in OWNERS:
            personas["owner"] = OWNERS[endpoint](objects)
        failures += _fuzz(app, errors, endpoint, objects, personas)
    assert not failures, (
        f"{len(failures)} distinct failures (method, path, role, input, status, cause):\n  " + "\n  ".join(failures)
    )


def _fuzz(app, errors, endpoint, objects, personas) -> list[str]:
    """The probes, then Hypothesis's requests, to one endpoint: the shortest example of each distinct failure."""
    rules = sorted((r for r in app.url_map.iter_rules(endpoint)), key=lambda r: r.rule)
    valid = {}
    with app.test_request_context():
        for rule in rules:
            valid[rule.rule] = url_values(endpoint, rule.arguments, objects)
    fields = _rendered_fields(app, rules, valid, personas) + EXTRA_FORM_FIELDS.get(endpoint, [])
    failures: dict[tuple, str] = {}

    def send(rule, method, persona, values, query, form, headers):
        url = _path(rule, values) + ("?" + urlencode(query) if query else "")
        client = app.test_client()
        if personas[persona] is not None:
            sign_in_as(client, personas[persona])
        sent_form = {
            k: (v[0].getvalue(), v[1]) if isinstance(v, tuple) else v for k, v in form.items()
        }  # files get closed
        errors.error = escaped = None
        try:
            response = client.open(url, method=method, data=form, headers=headers)
            status, missing = response.status_code, [h for h in SECURITY_HEADERS if h not in response.headers]
        except Exception as error:  # noqa: BLE001 - the error page itself failed: the server sends a bare 500
            escaped, status, missing = error, 500, list(SECURITY_HEADERS)
        db.session.rollback()  # as at the end of a real request: nothing half-done carries over
        STATS["requests"] += 1
        STATS["form fields"] += len(form)
        STATS["query parameters"] += len(query)
        FUZZED.add((endpoint, persona))
        if status >= 500 or missing:
            cause_key, cause = _cause(errors.error) if status >= 500 else (f"missing {missing}",) * 2
            if escaped is not None:
                cause_key += " (then the error page raised)"
                cause += f"; then the error page raised {_cause(escaped)[1]}, so no page and no security headers"
            key = (rule.rule, status, cause_key)
            message = f"{method} {_describe(_path(rule, values))} as {persona} -> {status}; {cause}"
            for label, sent in (("query", query), ("form", sent_form), ("headers", headers)):
                if sent:
                    message += f"\n      {label}: " + ", ".join(
                        f"{k!r}={_describe(v)}" for k, v in sorted(sent.items())
                    )
            if key not in failures or len(message) < len(failures[key]):
                failures[key] = message

    # Probes: the inputs known to break things, in every parameter at once, as one who may use the route.
    user = "owner" if "owner" in personas else max(personas, key=lambda name: personas[name] is not None)
    names = QUERY_PARAMETERS.get(endpoint, [])
    for rule in rules:
        for method in sorted(rule.methods & {"GET", "POST"}):
            base = _valid_form(endpoint, objects, valid[rule.rule]) if method == "POST" else {}
            for conv, _, name in _ARGUMENT.findall(rule.rule):
                for value in PROBE_IDS if conv == "int" else []:
                    send(rule, method, user, {**valid[rule.rule], name: value}, {}, _fresh(base), {})
            for value in PROBE_VALUES:
                query = dict.fromkeys(names, value)
                form = (
                    {}
                    if method == "GET"
                    else _probe_form(_valid_form(endpoint, objects, valid[rule.rule]), fields, value)
                )
                if query or form:
                    send(rule, method, user, valid[rule.rule], query, form, {})

    @PROFILE
    @given(data=st.data())
    def request_anything(data):
        rule = data.draw(st.sampled_from(rules), label="rule")
        methods = sorted(rule.methods & {"GET", "POST"})
        method = data.draw(st.sampled_from(methods + (["POST"] if "POST" in methods else [])), label="method")
        # Mostly people who may use the route (anonymous people only ever get the sign-in redirect).
        choices = ["anonymous"] + [name for name in sorted(personas) if name != "anonymous"] * 3
        persona = data.draw(st.sampled_from(choices), label="persona")
        values = {
            name: data.draw(_segment(conv, opts, valid[rule.rule][name]), label=name)
            for conv, opts, name in _ARGUMENT.findall(rule.rule)
        }
        query = data.draw(
            st.dictionaries(st.sampled_from(names), nasty_value, max_size=len(names)) if names else st.just({}),
            label="query",
        )
        query.update(data.draw(st.dictionaries(nasty_text.filter(bool), nasty_text, max_size=2), label="extra query"))
        form = _form(data, _valid_form(endpoint, objects, valid[rule.rule]), fields) if method == "POST" else {}
        headers = data.draw(
            st.sampled_from(
                [{}, {}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "moderation-results"}]
            ),
            label="headers",
        )
        send(rule, method, persona, values, query, form, headers)

    request_anything()
    return [f"{endpoint}: {message}" for message in failures.values()]


PROBE_IDS = ["2147483648", "9223372036854775808", "9" * 5000, "²", "١"]
PROBE_VALUES = ["\x00", "2147483648", "9" * 5000]


def _fresh(form: dict) -> dict:
    return {k: (io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v for k, v in form.items()}


def _probe_form(base: dict, fields: list[str], value: str) -> dict:
    """The valid form with `value` added to every text (NUL inside valid text), and as every other field."""
    form = dict.fromkeys(fields, value)
    for name, valid in base.items():
        if isinstance(valid, str):
            form[name] = (valid + value) if value == "\x00" else value
        elif isinstance(valid, list):
            form[name] = [value]  # a date's three boxes, a list of ids: one rubbish value
        else:
            form[name] = valid
    return form


def _valid_form(endpoint, objects, values) -> dict:
    if endpoint not in POST_DATA:
        return {}
    try:
        return POST_DATA[endpoint](objects, values)
    except InvalidRequestError:  # a record the fuzzing has deleted (a removed question, say): no valid form left
        db.session.rollback()
        return {}


def _rendered_fields(app, rules, valid, personas) -> list[str]:
    """The form fields the page renders for the first persona who gets it."""
    names = set()
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        for person in personas.values():
            client = app.test_client()
            if person is not None:
                sign_in_as(client, person)
            response = client.get(_path(rule, valid[rule.rule]))
            db.session.rollback()
            if response.status_code == 200 and response.mimetype == "text/html":
                names |= set(_FIELD_NAME.findall(response.get_data(as_text=True)))
                break
    return sorted(names - {"csrf_token"})
