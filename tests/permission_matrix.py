"""Who may use each route. Every rule in the URL map must be listed here; the permission-matrix
test (tests/integration/test_permission_matrix.py) requests each one as anonymous and as each role.

Add a row to permission_matrix.txt for every new endpoint (what each role gets), and add to make_route_objects() and
URL_VALUES whatever its URL needs.
"""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from audit_app.permissions import Role
from tests.factories import PASSWORD

PUBLIC = "public"  # no sign-in needed


class ApiScope(frozenset):
    """An API route: a cookie session authorises nobody (every persona, signed in or not, gets a JSON 401);
    a live token whose scopes include `scope` gets 200 (see API_TOKENS and api_expected below)."""

    def __new__(cls, scope: str):
        routes = super().__new__(cls)
        routes.scope = scope
        return routes


AUDITOR, MANAGER, QA, ADMIN = Role.AUDITOR, Role.SENIOR_MANAGER, Role.QA_LEAD, Role.ADMIN
WORKER, TEAM_MANAGER, EXTERNAL = Role.PRACTITIONER, Role.TEAM_MANAGER, Role.EXTERNAL_AUDITOR

# Who may use each route: the table in permission_matrix.txt, a row an endpoint and a column a role (its header
# names them as ROLE_COLUMNS does). Kept as data, so every row stays one line that reads across.
ROLE_COLUMNS = {
    "aud": AUDITOR,
    "mgr": MANAGER,
    "qa": QA,
    "adm": ADMIN,
    "wkr": WORKER,
    "tm": TEAM_MANAGER,
    "ext": EXTERNAL,
}
MATRIX = Path(__file__).with_name("permission_matrix.txt").read_text()


def routes_from(table: str) -> dict[str, object]:
    """Each endpoint of the table -> PUBLIC, its ApiScope, or the set of roles that may use it."""
    header, *rows = [line.split("#")[0].split() for line in table.splitlines() if line.split("#")[0].strip()]
    roles = [ROLE_COLUMNS[name] for name in header[1:]]
    routes = {}
    for endpoint, *cells in rows:
        if endpoint in routes:
            raise ValueError(f"{endpoint} is in the permission matrix twice")
        if cells == ["public"]:
            routes[endpoint] = PUBLIC
        elif len(cells) == 1 and cells[0].startswith("token:"):
            routes[endpoint] = ApiScope(cells[0].removeprefix("token:"))
        elif len(cells) == len(roles) and set(cells) <= {"ok", "403"}:
            routes[endpoint] = frozenset(role for role, cell in zip(roles, cells) if cell == "ok")
        else:
            raise ValueError(f"{endpoint}: {' '.join(cells)} is not a row of the permission matrix")
    return routes


ROUTES = routes_from(MATRIX)

# The tokens the API routes are tried with: one per scope, one with every scope, and the ones refused
# whatever their scope. Each maps to the scopes it holds and whether it is live.
API_TOKENS = {
    "judgements": ({"judgements"}, "live"),
    "themes": ({"themes"}, "live"),
    "plan": ({"plan"}, "live"),
    "indicators": ({"indicators"}, "live"),
    "every scope": ({"judgements", "themes", "plan", "indicators"}, "live"),
    "expired": ({"judgements", "themes", "plan", "indicators"}, "expired"),
    "revoked": ({"judgements", "themes", "plan", "indicators"}, "revoked"),
    "unknown": (set(), "unknown"),  # well formed, but never issued
    "none": (set(), "none"),  # no Authorization header
}


def make_api_token_headers() -> dict[str, dict]:
    """The Authorization header of each kind of token in API_TOKENS."""
    from datetime import UTC, datetime

    from audit_app.api.tokens import SECRET_PREFIX, create_token, revoke_token
    from audit_app.extensions import db

    headers = {}
    for kind, (scopes, state) in API_TOKENS.items():
        if state == "none":
            headers[kind] = {}
            continue
        secret = SECRET_PREFIX + "never-issued-" + "x" * 30
        if state != "unknown":
            token = create_token(f"Matrix {kind}", sorted(scopes), 30, created_by_id=None)
            secret = token.secret
            if state == "expired":
                token.expires_at = datetime(2021, 1, 1, tzinfo=UTC)
                db.session.commit()
            elif state == "revoked":
                revoke_token(token)
        headers[kind] = {"Authorization": f"Bearer {secret}"}
    return headers


def api_expected(route: ApiScope, token_kind: str) -> int:
    scopes, state = API_TOKENS[token_kind]
    if state != "live":
        return 401
    return 200 if route.scope in scopes else 403


# Routes that answer with a file (JSON, SVG, CSV, XLSX), not a page: the axe-core walk skips them.
DOWNLOADS = {
    "tools.export",
    "themes.chart",
    "themes.export",
    "inspection.download",
    "api.openapi_document",
    "api.unknown",
}


def make_route_objects() -> dict:
    """One of each record a URL can point at, keyed by name."""
    from tests.factories import CaseFactory, UserFactory

    case = CaseFactory()
    objects = {
        "user": UserFactory(),
        "case": case,
        "team": case.team,
        "locality": case.locality,
    }
    objects.update(_moderation_objects())
    objects.update(_practice_week_objects())
    objects.update(_audit_objects())
    objects.update(_plan_objects())
    objects.update(_sample_objects(objects["audit"]))
    objects.update(_supervision_objects())
    from tests.factories import NotificationFactory, ThemeFactory

    objects["theme"] = ThemeFactory()
    objects["other_theme"] = ThemeFactory()
    objects["import_case"] = CaseFactory(team=case.team)
    objects["notification"] = NotificationFactory(user=objects["user"])
    objects["api_token"] = _api_token()
    objects["disagreement"] = _disagreement()
    objects["child_action"] = _child_action(objects["moderation_audit"])
    objects["briefing"] = _briefing(case.team)
    return objects


def _child_action(audit):
    """An open action for the child on the submitted audit, owned by someone named in words."""
    from tests.factories import ChildActionFactory

    return ChildActionFactory(audit=audit, owner_name="IRO")


def _briefing(team):
    from audit_app.extensions import db
    from audit_app.models import Briefing
    from audit_app.models.base import utcnow

    briefing = Briefing(
        title="Matrix briefing",
        key_findings="Plans do not always say what will change for the child.",
        what_good_looks_like="Every plan says what will change, by when.",
        status="published",
        published_at=utcnow(),
        teams=[team],
    )
    db.session.add(briefing)
    db.session.commit()
    return briefing


def _api_token():
    from audit_app.api.tokens import create_token

    return create_token("Matrix dashboard", ["judgements"], 30, created_by_id=None)


def _disagreement():
    """A worker's disagreement with a submitted audit by an auditor who is none of the personas."""
    from audit_app.extensions import db
    from audit_app.models import AuditResponse, DomainResponse
    from tests.factories import published_tool, submitted_audit

    audit = submitted_audit(published_tool(domain_keys=("matrix_plans",)), {"matrix_plans": 3}, overall=3)
    response = AuditResponse(audit=audit, due_on=date(2021, 11, 3), reflection="I will record visits sooner.")
    response.domains.append(
        DomainResponse(domain_key="matrix_plans", domain_title="Plans", agreement="disagree", reason="It is SMART.")
    )
    response.submitted_at = audit.submitted_at
    db.session.add(response)
    db.session.commit()
    return response.domains[0]


def _plan_objects() -> dict:
    """The plan already there (the demo plan in the browser tests) or a new one, with a priority,
    an expected outcome, an indicator and an action owned by none of the personas."""
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import Plan
    from tests.factories import (
        ActionFactory,
        IndicatorFactory,
        OutcomeFactory,
        PlanFactory,
        PriorityFactory,
        user_with,
    )

    plan = db.session.scalar(select(Plan).order_by(Plan.id.desc()).limit(1)) or PlanFactory()
    priority = plan.priorities[0] if plan.priorities else PriorityFactory(plan=plan)
    outcome = priority.outcomes[0] if priority.outcomes else OutcomeFactory(priority=priority)
    indicator = plan.indicators[0] if plan.indicators else IndicatorFactory(plan=plan)
    action = ActionFactory(
        priority=priority,
        outcome=outcome,
        owner=user_with(AUDITOR),
        description="Check every plan has the child's own words.",
    )
    return {"plan_priority": priority, "plan_outcome": outcome, "plan_indicator": indicator, "plan_action": action}


def _audit_objects() -> dict:
    """An in-progress audit in a programme, by an auditor who is none of the personas, with a
    follow-up; and a draft tool version with a domain and two questions."""
    from tests.factories import (
        AuditProgrammeFactory,
        CaseAuditFactory,
        DomainFactory,
        FollowUpFactory,
        QuestionFactory,
        ToolVersionFactory,
        published_tool,
        user_with,
    )

    version = published_tool(domain_keys=("matrix_plans", "matrix_visits"))
    programme = AuditProgrammeFactory(tool_version=version)
    audit = CaseAuditFactory(tool_version=version, programme=programme, status="in_progress")
    follow_up = FollowUpFactory(audit=audit, owner=user_with(MANAGER))
    draft = ToolVersionFactory(status="draft")
    domain = DomainFactory(version=draft)
    question = QuestionFactory(domain=domain)
    spare = QuestionFactory(domain=domain)
    # A re-audit of it, scheduled for later (the QA lead may give it to another auditor).
    reaudit = CaseAuditFactory(
        tool_version=version,
        programme=programme,
        case=audit.case,
        reaudit_of=audit,
        due_date=date.today() + timedelta(days=60),
    )
    return {
        "reaudit": reaudit,
        "audit": audit,
        "programme": programme,
        "follow_up": follow_up,
        "draft_version": draft,
        "draft_domain": domain,
        "draft_question": question,
        "spare_question": spare,
    }


def _sample_objects(audit) -> dict:
    """A programme whose sample was drawn by rule, with a drawn audit not yet started (the QA lead may swap
    it), and two cases no programme holds, eligible to take its place."""
    from tests.factories import AuditProgrammeFactory, CaseAuditFactory, CaseFactory

    sampled = AuditProgrammeFactory(
        tool_version=audit.tool_version,
        sample_method="random",
        sample_size=1,
        sample_seed=4821,
        sample_exclude_months=12,
        sample_audited_since=date.today() - timedelta(days=365),
    )
    drawn = CaseAuditFactory(tool_version=audit.tool_version, programme=sampled, auditor=audit.auditor)
    CaseFactory(team=drawn.case.team), CaseFactory(team=drawn.case.team)
    return {"sampled_programme": sampled, "sampled_audit": drawn}


def _supervision_objects() -> dict:
    """A programme of supervision audits, and a supervisor and a supervisee who are none of the personas."""
    from audit_app.extensions import db
    from audit_app.permissions import Role
    from tests.factories import AuditProgrammeFactory, published_tool, user_with

    version = published_tool(domain_keys=("matrix_supervision",))
    version.tool.subject = "supervision"
    db.session.commit()
    return {
        "supervision_programme": AuditProgrammeFactory(tool_version=version),
        "supervisor": user_with(Role.TEAM_MANAGER),
        "supervisee": user_with(Role.PRACTITIONER),
    }


def _practice_week_objects() -> dict:
    """A week with one booking and a draft observation by an observer who is none of the personas
    (so it is private to that observer: everyone else gets 403)."""
    from tests.factories import (
        ActivityFactory,
        LensJudgementFactory,
        ObservationFactory,
        PracticeWeekFactory,
        QuickWinFactory,
        user_with,
    )

    week = PracticeWeekFactory()
    activity = ActivityFactory(week=week, observer=user_with(MANAGER))
    observation = ObservationFactory(week=week, activity=activity, observer=activity.observer, status="draft")
    LensJudgementFactory(observation=observation)
    QuickWinFactory(observation=observation)
    return {"practice_week": week, "practice_week_activity": activity, "observation": observation}


def _moderation_objects() -> dict:
    """A submitted audit in a moderation sample, by an auditor who is none of the personas."""
    from audit_app.extensions import db
    from audit_app.models import ModerationSample
    from tests.factories import published_tool, submitted_audit, user_with

    version = published_tool(domain_keys=("matrix_assessment", "matrix_voice"))
    audit = submitted_audit(version, {"matrix_assessment": 2, "matrix_voice": 3}, overall=3)
    sample = ModerationSample(share_percent=10, random_seed=1, drawn_by_id=user_with(QA).id, audits=[audit])
    db.session.add(sample)
    db.session.commit()
    # A second submitted audit, not in a sample: new_sample draws it and return_audit returns it.
    returnable = submitted_audit(version, {"matrix_assessment": 3, "matrix_voice": 3}, overall=3)
    return {"moderation_audit": audit, "moderation_sample": sample, "returnable_audit": returnable}


# URL argument name -> function(objects) giving its value. Per-endpoint values win.
URL_VALUES = {
    "user_id": lambda o: o["user"].id,
    "case_id": lambda o: o["case"].id,
    "team_id": lambda o: o["team"].id,
    "kind": lambda o: "localities",
    "item_id": lambda o: o["locality"].id,
    "notification_id": lambda o: o["notification"].id,
}
ENDPOINT_URL_VALUES: dict[str, dict] = {}
URL_VALUES.update(
    {
        "audit_id": lambda o: o["audit"].id,
        "page_key": lambda o: o["audit"].tool_version.domains[0].key,
        "programme_id": lambda o: o["programme"].id,
        "version_id": lambda o: o["draft_version"].id,
        "domain_id": lambda o: o["draft_domain"].id,
        "question_id": lambda o: o["draft_question"].id,
        "action": lambda o: "new_draft",
        "follow_up_id": lambda o: o["follow_up"].id,
    }
)
ENDPOINT_URL_VALUES["inspection.download"] = {"fmt": lambda o: "xlsx"}
ENDPOINT_URL_VALUES["reaudits.reassign"] = {"audit_id": lambda o: o["reaudit"].id}
ENDPOINT_URL_VALUES["child_actions.new"] = {"audit_id": lambda o: o["moderation_audit"].id}
for _endpoint in ("action", "complete"):
    ENDPOINT_URL_VALUES[f"child_actions.{_endpoint}"] = {"action_id": lambda o: o["child_action"].id}
ENDPOINT_URL_VALUES["programmes.swap"] = {
    "programme_id": lambda o: o["sampled_programme"].id,
    "audit_id": lambda o: o["sampled_audit"].id,
}
ENDPOINT_URL_VALUES["programmes.add_pair"] = {"programme_id": lambda o: o["supervision_programme"].id}
ENDPOINT_URL_VALUES["tools.delete_question"] = {"question_id": lambda o: o["spare_question"].id}
# A new draft of the published tool the audits use (a draft's own "new draft" would only return itself).
ENDPOINT_URL_VALUES["tools.change_status"] = {"version_id": lambda o: o["audit"].tool_version.id}
for _endpoint in ("week", "edit_week", "activity", "start_observation", "summary", "headline_findings"):
    ENDPOINT_URL_VALUES[f"practice_week.{_endpoint}"] = {
        "week_id": lambda o: o["practice_week"].id,
        "activity_id": lambda o: o["practice_week_activity"].id,
    }
for _endpoint in ("observation", "view_observation"):
    ENDPOINT_URL_VALUES[f"practice_week.{_endpoint}"] = {"observation_id": lambda o: o["observation"].id}
URL_VALUES["disagreement_id"] = lambda o: o["disagreement"].id
ENDPOINT_URL_VALUES["moderation.moderate"] = {"audit_id": lambda o: o["moderation_audit"].id}
ENDPOINT_URL_VALUES["moderation.return_audit"] = {"audit_id": lambda o: o["returnable_audit"].id}
ENDPOINT_URL_VALUES["moderation.sample"] = {"sample_id": lambda o: o["moderation_sample"].id}

for _endpoint in ("action", "action_progress", "edit_action"):
    ENDPOINT_URL_VALUES[f"plan.{_endpoint}"] = {"action_id": lambda o: o["plan_action"].id}
for _endpoint in ("priority", "priority_month"):
    ENDPOINT_URL_VALUES[f"plan.{_endpoint}"] = {"priority_id": lambda o: o["plan_priority"].id}
ENDPOINT_URL_VALUES["plan.outcome_month"] = {"outcome_id": lambda o: o["plan_outcome"].id}
ENDPOINT_URL_VALUES["plan.indicator"] = {"indicator_id": lambda o: o["plan_indicator"].id}
URL_VALUES["briefing_id"] = lambda o: o["briefing"].id
URL_VALUES["token_id"] = lambda o: o["api_token"].id
URL_VALUES["anything"] = lambda o: "no-such-data"
ENDPOINT_URL_VALUES["themes.chart"] = {"kind": lambda o: "domains"}
ENDPOINT_URL_VALUES["themes.export"] = {"table": lambda o: "domains", "fmt": lambda o: "xlsx"}
ENDPOINT_URL_VALUES["themes.retire"] = {"action": lambda o: "retire"}
ENDPOINT_URL_VALUES["themes.emerging_candidate"] = {"number": lambda o: 1}
for _endpoint in ("edit", "merge", "retire"):
    ENDPOINT_URL_VALUES[f"themes.{_endpoint}"] = {
        **ENDPOINT_URL_VALUES.get(f"themes.{_endpoint}", {}),
        "theme_id": lambda o: o["theme"].id,
    }


def url_values(endpoint: str, arguments, objects) -> dict:
    specific = ENDPOINT_URL_VALUES.get(endpoint, {})
    return {name: (specific.get(name) or URL_VALUES[name])(objects) for name in arguments}


def get_urls(app, objects) -> list[str]:
    """The URL of every GET route, pointing at the records make_route_objects() made."""
    from flask import url_for

    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and "GET" in rule.methods:
            with app.test_request_context():
                urls.append(url_for(rule.endpoint, **url_values(rule.endpoint, rule.arguments, objects)))
    return urls


# --- What an allowed role gets back -----------------------------------------------------------------
#
# POST_DATA: endpoint -> function(objects, url_values) giving a form that passes validation, so the POST
# does its real work. EXPECTED: (endpoint, method) -> 200, or To(...) for a redirect; a GET not listed
# expects 200. Every POST rule needs both (the matrix test says which are missing).

NEW = object()  # an id the request itself creates


def _default_period(o) -> str:
    from audit_app.reporting.queries import default_period_key

    return default_period_key()


def _both(o) -> str:
    return "both"


def _moderated(o) -> str:
    return "moderated"


@dataclass(frozen=True)
class To:
    """A redirect to `endpoint`. `values` are functions of the objects (or NEW); the anchor is a string,
    which may hold {new}, or a function of the objects."""

    endpoint: str
    values: dict = field(default_factory=dict)
    anchor: object = ""

    def pattern(self, objects) -> re.Pattern:
        from flask import url_for

        placeholder = 987654321
        values = {k: placeholder if v is NEW else v(objects) for k, v in self.values.items()}
        anchor = self.anchor(objects) if callable(self.anchor) else self.anchor.format(new=placeholder)
        url = url_for(self.endpoint, **values) + anchor
        return re.compile(re.escape(url).replace(str(placeholder), r"\d+") + "$")


def _date(day: date) -> list[str]:
    """A GOV.UK date input's three boxes."""
    return [str(day.day), str(day.month), str(day.year)]


def _file(content: str, name: str):
    return (io.BytesIO(content.encode()), name)


def _moderation_agrees(o) -> dict:
    """The auditor's own grades, so no rationale is needed."""
    from audit_app.moderation.services import graded_judgements

    audit = o["moderation_audit"]
    return {f"grade_{j.id}": str(j.grade) for j in graded_judgements(audit)} | {
        "overall_grade": str(audit.overall_grade)
    }


def _tool_file(o) -> tuple:
    from audit_app.tools.services import export_json

    data = json.loads(export_json(o["audit"].tool_version))
    data["tool"] = "Imported matrix tool"
    return _file(json.dumps(data), "tool.json")


def _month(o) -> str:
    return o["plan_priority"].plan.first_month.strftime("%Y-%m")


def _action_form(o, v) -> dict:
    return {
        "priority_id": f"priority-{o['plan_priority'].id}",
        "description": "Audit every plan for the child's own words.",
        "owner_id": str(o["user"].id),
        "due_date": _date(date.today() + timedelta(days=60)),
    }


def _fresh(record):
    from audit_app.extensions import db

    db.session.refresh(record)
    return record


def _briefing_form() -> dict:
    return {
        "title": "Plans that say what will change",
        "key_findings": "Plans do not always say what will change for the child.",
        "what_good_looks_like": "Every plan says what will change, by when, and who will do it.",
    }


POST_DATA: dict[str, object] = {
    "auth.sign_in": lambda o, v: {"email": o["user"].email, "password": PASSWORD},
    "auth.sign_out": lambda o, v: {},
    "notifications.mark_all_read": lambda o, v: {},
    "auth.second_factor": lambda o, v: {"code": "123456"},
    # A wrong code: the right one depends on a secret made when the page is opened (tests/integration/test_mfa.py).
    "auth.set_up_second_factor": lambda o, v: {"code": "123456"},
    "admin.user": lambda o, v: {
        "email": o["user"].email if v else "new.person@example.org",
        "display_name": "Matrix Person",
        "roles": ["auditor"],
        "is_enabled": "y",
        "password": "a-long-enough-password",
    },
    "admin.reset_second_factor": lambda o, v: {},
    "admin.named_list": lambda o, v: {"name": "New matrix locality"},
    "admin.named_item": lambda o, v: {"name": "Renamed matrix locality"},
    "admin.team": lambda o, v: {
        "name": o["team"].name if v else "New matrix team",
        "locality_id": str(o["team"].locality_id),
        "service_id": str(o["team"].service_id),
    },
    "admin.case": lambda o, v: {
        "case_reference": o["case"].case_reference if v else "CMS900001",
        "case_type": "cp",
        "locality_id": str(o["case"].locality_id),
        "team_id": str(o["case"].team_id),
    },
    "admin.import_cases": lambda o, v: {
        "file": _file(
            f"case_reference,case_type,locality,team\nCMS900002,cin,{o['team'].locality.name},{o['team'].name}\n",
            "cases.csv",
        )
    },
    "practice_week.edit_week": lambda o, v: {
        "title": "Matrix practice week",
        "starts_on": _date(date(2021, 10, 4)),
        "ends_on": _date(date(2021, 10, 8)),
        "focus": "The Front Door",
    },
    "practice_week.activity": lambda o, v: {
        "day": _date(date(2021, 10, 5)),
        "at": "09:30",
        "activity_type": "icpc",
        "team_id": "0",
        "observer_id": str(o["practice_week_activity"].observer_id),
        "status": "booked",
    },
    "practice_week.start_observation": lambda o, v: {},
    "practice_week.observation": lambda o, v: {"working_well": "The chair made sure the child's views were heard."},
    "moderation.new_sample": lambda o, v: {"share_percent": "100", "programme_id": "0", "locality_id": "0"},
    "moderation.moderate": lambda o, v: _moderation_agrees(o),
    "moderation.return_audit": lambda o, v: {"comments": "Add the evidence for the voice of the child."},
    "programmes.new": lambda o, v: {
        "name": "Matrix programme",
        "kind": "monthly_dip_sample",
        "period_start": _date(date(2021, 10, 1)),
        "period_end": _date(date(2021, 10, 31)),
        "due_date": _date(date(2021, 11, 15)),
        "tool_version_id": str(o["audit"].tool_version_id),
    },
    "programmes.programme": lambda o, v: {
        "case_ids": [str(o["case"].id)],
        "auditor_id": str(o["audit"].auditor_id),
        "due_date": _date(date(2021, 11, 20)),
    },
    "programmes.import_assignments": lambda o, v: {
        "file": _file(
            f"case_reference,auditor_email\n{o['import_case'].case_reference},{o['audit'].auditor.email}\n", "a.csv"
        )
    },
    "reaudits.reassign": lambda o, v: {"auditor_id": str(o["audit"].auditor_id)},
    "programmes.sample": lambda o, v: {
        "method": "random",
        "size": "1",
        "exclude_months": "12",
        "auditor_ids": [str(o["audit"].auditor_id)],
        "assign_by": "round_robin",
        "seed": "4821",
        "confirm": "yes",
    },
    "programmes.swap": lambda o, v: {"reason": "The case closed before the audit period."},
    "programmes.add_pair": lambda o, v: {
        "supervisor_id": str(o["supervisor"].id),
        "supervisee_id": str(o["supervisee"].id),
        "supervision_from": _date(date(2021, 7, 1)),
        "supervision_to": _date(date(2021, 9, 30)),
        "auditor_id": str(o["audit"].auditor_id),
    },
    "tools.new_tool": lambda o, v: {"name": "Matrix tool", "description": "A tool made by the matrix."},
    "tools.domain": lambda o, v: {"title": "Matrix domain"},
    "tools.question": lambda o, v: {"text": "Is the plan SMART?", "response_type": "grade", "required": "y"},
    "tools.delete_question": lambda o, v: {},
    "tools.change_status": lambda o, v: {},
    "tools.export": lambda o, v: {},
    "tools.import_tool": lambda o, v: {"file": _tool_file(o)},
    "followups.mark_done": lambda o, v: {"note": "Seen by the team manager."},
    "plan.new_action": _action_form,
    "plan.edit_action": _action_form,
    "plan.action_progress": lambda o, v: {"rag": "amber", "progress_note": "Half the plans checked."},
    "plan.priority_month": lambda o, v: {"month": _month(o), "rag": "amber", "board_update": "On track."},
    "plan.outcome_month": lambda o, v: {"month": _month(o), "rag": "green", "where_now": "Started."},
    "plan.plan_month": lambda o, v: {"month": _month(o), "overall_rag": "amber", "key_achievements": "Plans."},
    "plan.indicator": lambda o, v: {"month": _month(o), "value": "26%"},
    "plan.import_indicators": lambda o, v: {
        "file": _file(f"indicator,month,value\n{o['plan_indicator'].name},{_month(o)},31%\n", "values.csv")
    },
    "themes.manage": lambda o, v: {"name": "Matrix theme", "description": "What good looks like."},
    "themes.edit": lambda o, v: {"name": "Renamed matrix theme"},
    "themes.merge": lambda o, v: {"target": str(o["other_theme"].id)},
    "themes.retire": lambda o, v: {},
    "themes.untagged": lambda o, v: {f"tag-judgement-{o['disagreement'].response.audit.judgements[0].id}": "0"},
    "themes.emerging_candidate": lambda o, v: {"name": "Matrix emerging theme", "version": "none", "member": []},
    "themes.suggest": lambda o, v: {"q1-evidence": "No record of the child's wishes and feelings."},
    "api.unknown": lambda o, v: {},
    "briefings.new": lambda o, v: _briefing_form(),
    "briefings.edit": lambda o, v: _briefing_form() | {"version": str(_fresh(o["briefing"]).version)},
    "briefings.publish": lambda o, v: {"teams": [str(o["team"].id)]},
    "briefings.acknowledge": lambda o, v: {},
    "api_tokens.new": lambda o, v: {"purpose": "Power BI: QA dashboard", "scopes": ["themes"], "lifetime": "90"},
    "api_tokens.revoke": lambda o, v: {},
    "practitioners.resolve": lambda o, v: {"resolution": "changed", "grade": "2", "reason": "The plan is SMART."},
}


def _week(o):
    return o["practice_week"].id


EXPECTED: dict[tuple[str, str], object] = {
    ("auth.sign_in", "GET"): To("main.home"),  # signed in already
    ("auth.sign_in", "POST"): To("main.home"),
    ("auth.sign_out", "POST"): To("auth.sign_in"),
    ("notifications.follow", "GET"): 404,
    ("notifications.mark_all_read", "POST"): To("notifications.index"),
    ("auth.second_factor", "GET"): To("main.home"),
    ("auth.second_factor", "POST"): To("main.home"),
    ("auth.set_up_second_factor", "POST"): 200,
    ("auth.sso_start", "GET"): 404,
    ("auth.sso_callback", "GET"): 404,
    ("admin.user", "POST"): To("admin.users"),
    ("admin.reset_second_factor", "POST"): To("admin.user", {"user_id": lambda o: o["user"].id}),
    ("admin.named_list", "POST"): To("admin.named_list", {"kind": lambda o: "localities"}),
    ("admin.named_item", "POST"): To("admin.named_list", {"kind": lambda o: "localities"}),
    ("admin.team", "POST"): To("admin.teams"),
    ("admin.case", "POST"): To("admin.cases"),
    ("admin.import_cases", "POST"): To("admin.cases"),
    ("audits.task_list", "GET"): To("audits.view", {"audit_id": lambda o: o["audit"].id}),
    ("practice_week.edit_week", "POST"): To("practice_week.week", {"week_id": NEW}),
    ("practice_week.activity", "POST"): To("practice_week.week", {"week_id": _week}, anchor="#schedule"),
    ("practice_week.start_observation", "POST"): To("practice_week.observation", {"observation_id": NEW}),
    # The draft observation is by none of the personas: its form sends them to its read-only page.
    ("practice_week.observation", "GET"): To(
        "practice_week.view_observation", {"observation_id": lambda o: o["observation"].id}
    ),
    ("practice_week.observation", "POST"): To(
        "practice_week.view_observation", {"observation_id": lambda o: o["observation"].id}
    ),
    ("moderation.new_sample", "POST"): To("moderation.sample", {"sample_id": NEW}),
    ("moderation.moderate", "POST"): To("moderation.moderate", {"audit_id": lambda o: o["moderation_audit"].id}),
    ("moderation.return_audit", "POST"): To("moderation.index"),
    ("programmes.new", "POST"): To("programmes.programme", {"programme_id": NEW}),
    ("programmes.programme", "POST"): To("programmes.programme", {"programme_id": lambda o: o["programme"].id}),
    ("reaudits.reassign", "POST"): To(
        "programmes.programme", {"programme_id": lambda o: o["programme"].id}, anchor="#re-audits"
    ),
    ("programmes.sample", "POST"): To("programmes.programme", {"programme_id": lambda o: o["programme"].id}),
    ("programmes.swap", "POST"): To("programmes.programme", {"programme_id": lambda o: o["sampled_programme"].id}),
    ("programmes.add_pair", "POST"): To(
        "programmes.programme", {"programme_id": lambda o: o["supervision_programme"].id}
    ),
    ("programmes.import_assignments", "POST"): To(
        "programmes.programme", {"programme_id": lambda o: o["programme"].id}
    ),
    ("tools.new_tool", "POST"): To("tools.version", {"version_id": NEW}),
    ("tools.domain", "POST"): To(
        "tools.version", {"version_id": lambda o: o["draft_version"].id}, anchor="#domain-{new}"
    ),
    ("tools.question", "POST"): To(
        "tools.version",
        {"version_id": lambda o: o["draft_version"].id},
        anchor=lambda o: f"#domain-{o['draft_domain'].id}",
    ),
    ("tools.delete_question", "POST"): To("tools.version", {"version_id": lambda o: o["draft_version"].id}),
    ("tools.change_status", "POST"): To("tools.version", {"version_id": NEW}),
    ("tools.export", "POST"): 200,
    ("tools.import_tool", "POST"): To("tools.version", {"version_id": NEW}),
    ("followups.mark_done", "POST"): To("followups.index"),
    ("plan.new_action", "POST"): To("plan.action", {"action_id": NEW}),
    ("plan.edit_action", "POST"): To("plan.action", {"action_id": lambda o: o["plan_action"].id}),
    ("plan.action_progress", "POST"): To("plan.action", {"action_id": lambda o: o["plan_action"].id}),
    ("plan.priority_month", "POST"): To(
        "plan.priority", {"priority_id": lambda o: o["plan_priority"].id, "month": _month}
    ),
    ("plan.outcome_month", "POST"): To(
        "plan.priority", {"priority_id": lambda o: o["plan_outcome"].priority_id, "month": _month}
    ),
    ("plan.plan_month", "POST"): To("plan.index", {"month": _month}),
    ("plan.indicator", "POST"): To("plan.indicator", {"indicator_id": lambda o: o["plan_indicator"].id}),
    ("plan.import_indicators", "POST"): To("plan.indicators"),
    ("themes.manage", "POST"): To("themes.manage"),
    ("themes.edit", "POST"): To("themes.edit", {"theme_id": lambda o: o["theme"].id}),
    ("themes.merge", "POST"): To("themes.edit", {"theme_id": lambda o: o["other_theme"].id}),
    ("themes.retire", "POST"): To("themes.edit", {"theme_id": lambda o: o["theme"].id}),
    ("themes.untagged", "POST"): To(
        "themes.untagged", {"period": _default_period, "source": _both, "grades": _moderated}
    ),
    ("themes.emerging_candidate", "GET"): 404,
    ("themes.emerging_candidate", "POST"): 200,  # the form again: candidate 1 is not found in the matrix's data
    ("themes.suggest", "POST"): 200,  # a fragment for the form's status region
    ("api.unknown", "GET"): 404,
    ("api.unknown", "POST"): 404,
    ("briefings.new", "POST"): To("briefings.briefing", {"briefing_id": NEW}),
    ("briefings.edit", "POST"): To("briefings.briefing", {"briefing_id": lambda o: o["briefing"].id}),
    ("briefings.publish", "POST"): To("briefings.readers", {"briefing_id": lambda o: o["briefing"].id}),
    ("briefings.acknowledge", "POST"): To("briefings.briefing", {"briefing_id": lambda o: o["briefing"].id}),
    ("api_tokens.new", "POST"): 200,  # the page that shows the new token, once
    ("api_tokens.revoke", "POST"): To("api_tokens.index"),
    ("practitioners.resolve", "POST"): To("practitioners.disagreements"),
}
# Anonymous people on the public routes get what a signed-in person gets (expected()), except here.
EXPECTED_ANONYMOUS: dict[tuple[str, str], object] = {
    ("auth.sign_in", "GET"): 200,
    ("auth.second_factor", "GET"): To("auth.sign_in"),
    ("auth.second_factor", "POST"): To("auth.sign_in"),
}


def expected(endpoint: str, method: str):
    return EXPECTED.get((endpoint, method), 200 if method == "GET" else None)


def expected_anonymous(endpoint: str, method: str):
    """What an anonymous person gets from a public route."""
    return EXPECTED_ANONYMOUS.get((endpoint, method), expected(endpoint, method))
