"""Who may use each route. Every rule in the URL map must be listed here; the permission-matrix
test (tests/integration/test_permission_matrix.py) requests each one as anonymous and as each role.

Add an entry for every new endpoint, and add to make_route_objects() and URL_VALUES whatever its
URL needs.
"""
from audit_app.permissions import Role

PUBLIC = "public"  # no sign-in needed
ALL_ROLES = frozenset(Role)
AUDITOR, MANAGER, QA, ADMIN = Role.AUDITOR, Role.SENIOR_MANAGER, Role.QA_LEAD, Role.ADMIN

ROUTES: dict[str, object] = {
    "main.healthz": PUBLIC,
    "auth.sign_in": PUBLIC,
    "main.home": ALL_ROLES,
    "auth.sign_out": ALL_ROLES,
    "admin.index": {ADMIN},
    "admin.users": {ADMIN},
    "admin.user": {ADMIN},
    "admin.named_list": {ADMIN},
    "admin.named_item": {ADMIN},
    "admin.teams": {ADMIN},
    "admin.team": {ADMIN},
    "admin.cases": {ADMIN, QA},
    "admin.case": {ADMIN, QA},
    "admin.import_cases": {ADMIN, QA},
    # Practice weeks
    "practice_week.index": {MANAGER, QA},
    "practice_week.mine": {MANAGER, QA},
    "practice_week.week": {MANAGER, QA},
    "practice_week.edit_week": {QA},
    "practice_week.activity": {QA},
    "practice_week.start_observation": {MANAGER, QA},
    # The matrix's observation is a draft by an observer who is none of the personas: a draft is private
    # to its observer (tests/integration/test_practice_week_observations.py covers the observer and submitted ones).
    "practice_week.observation": frozenset(),
    "practice_week.view_observation": frozenset(),
    "practice_week.summary": {MANAGER, QA},
    "practice_week.headline_findings": {MANAGER, QA},
    # Moderation and agreement
    "moderation.index": {MANAGER, QA},
    "moderation.new_sample": {MANAGER, QA},
    "moderation.samples": {MANAGER, QA},
    "moderation.sample": {MANAGER, QA},
    "moderation.moderate": {MANAGER, QA},
    "moderation.return_audit": {MANAGER, QA},
    "moderation.agreement": {MANAGER, QA},
    # Case audits. The audit form is only for the audit's own auditor, who is none of the personas
    # here (so every role gets 403); tests/integration/test_audit_form.py and the browser tests cover them.
    "audits.my_audits": {AUDITOR, MANAGER},
    "audits.task_list": {MANAGER, QA},  # they are sent on to the read-only audit
    "audits.page": frozenset(),
    "audits.check": frozenset(),
    "audits.add_follow_up": frozenset(),
    "audits.submit": frozenset(),
    "audits.view": {MANAGER, QA},
    "programmes.index": {QA},
    "programmes.new": {QA},
    "programmes.programme": {QA},
    "programmes.import_assignments": {QA},
    "tools.index": {QA},
    "tools.new_tool": {QA},
    "tools.version": {QA},
    "tools.domain": {QA},
    "tools.question": {QA},
    "tools.delete_question": {QA},
    "tools.change_status": {QA},
    "tools.export": {QA},
    "tools.import_tool": {QA},
    "followups.index": {AUDITOR, MANAGER, QA},
    "followups.mark_done": {MANAGER, QA},
    # Improvement plan. Action owners also open their own actions (tests/integration/test_plan.py);
    # the matrix's action is owned by none of the personas.
    "plan.index": {MANAGER, QA},
    "plan.actions": {MANAGER, QA},
    "plan.new_action": {QA},
    "plan.action": {MANAGER, QA},
    "plan.action_progress": {QA},
    "plan.edit_action": {QA},
    "plan.priority": {MANAGER, QA},
    "plan.priority_month": {QA},
    "plan.outcome_month": {QA},
    "plan.plan_month": {QA},
    "plan.indicators": {MANAGER, QA},
    "plan.indicator": {QA},
    "plan.import_indicators": {QA},
    "plan.board_report": {MANAGER, QA},
    # Theme summaries (QA leads and senior managers) and the theme taxonomy (QA leads)
    "themes.summary": {MANAGER, QA},
    "themes.evidence": {MANAGER, QA},
    "themes.trend": {MANAGER, QA},
    "themes.chart": {MANAGER, QA},
    "themes.export": {MANAGER, QA},
    "themes.manage": {QA},
    "themes.edit": {QA},
    "themes.merge": {QA},
    "themes.retire": {QA},
}

# Routes that answer with a file (JSON, SVG, CSV, XLSX), not a page: the axe-core walk skips them.
DOWNLOADS = {"tools.export", "themes.chart", "themes.export"}


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
    from tests.factories import ThemeFactory

    objects["theme"] = ThemeFactory()
    return objects


def _plan_objects() -> dict:
    """The plan already there (the demo plan in the browser tests) or a new one, with a priority,
    an expected outcome, an indicator and an action owned by none of the personas."""
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import Plan
    from tests.factories import ActionFactory, IndicatorFactory, OutcomeFactory, PlanFactory, PriorityFactory, user_with

    plan = db.session.scalar(select(Plan).order_by(Plan.id.desc()).limit(1)) or PlanFactory()
    priority = plan.priorities[0] if plan.priorities else PriorityFactory(plan=plan)
    outcome = priority.outcomes[0] if priority.outcomes else OutcomeFactory(priority=priority)
    indicator = plan.indicators[0] if plan.indicators else IndicatorFactory(plan=plan)
    action = ActionFactory(priority=priority, outcome=outcome, owner=user_with(AUDITOR),
                           description="Check every plan has the child's own words.")
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
    return {
        "audit": audit,
        "programme": programme,
        "follow_up": follow_up,
        "draft_version": draft,
        "draft_domain": domain,
        "draft_question": question,
        "spare_question": spare,
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
    return {"moderation_audit": audit, "moderation_sample": sample}


# URL argument name -> function(objects) giving its value. Per-endpoint values win.
URL_VALUES = {
    "user_id": lambda o: o["user"].id,
    "case_id": lambda o: o["case"].id,
    "team_id": lambda o: o["team"].id,
    "kind": lambda o: "localities",
    "item_id": lambda o: o["locality"].id,
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
ENDPOINT_URL_VALUES["tools.delete_question"] = {"question_id": lambda o: o["spare_question"].id}
for _endpoint in ("week", "edit_week", "activity", "start_observation", "summary", "headline_findings"):
    ENDPOINT_URL_VALUES[f"practice_week.{_endpoint}"] = {
        "week_id": lambda o: o["practice_week"].id,
        "activity_id": lambda o: o["practice_week_activity"].id,
    }
for _endpoint in ("observation", "view_observation"):
    ENDPOINT_URL_VALUES[f"practice_week.{_endpoint}"] = {"observation_id": lambda o: o["observation"].id}
ENDPOINT_URL_VALUES["moderation.moderate"] = {"audit_id": lambda o: o["moderation_audit"].id}
ENDPOINT_URL_VALUES["moderation.return_audit"] = {"audit_id": lambda o: o["moderation_audit"].id}
ENDPOINT_URL_VALUES["moderation.sample"] = {"sample_id": lambda o: o["moderation_sample"].id}

for _endpoint in ("action", "action_progress", "edit_action"):
    ENDPOINT_URL_VALUES[f"plan.{_endpoint}"] = {"action_id": lambda o: o["plan_action"].id}
for _endpoint in ("priority", "priority_month"):
    ENDPOINT_URL_VALUES[f"plan.{_endpoint}"] = {"priority_id": lambda o: o["plan_priority"].id}
ENDPOINT_URL_VALUES["plan.outcome_month"] = {"outcome_id": lambda o: o["plan_outcome"].id}
ENDPOINT_URL_VALUES["plan.indicator"] = {"indicator_id": lambda o: o["plan_indicator"].id}
ENDPOINT_URL_VALUES["themes.chart"] = {"kind": lambda o: "domains"}
ENDPOINT_URL_VALUES["themes.export"] = {"table": lambda o: "domains", "fmt": lambda o: "xlsx"}
ENDPOINT_URL_VALUES["themes.retire"] = {"action": lambda o: "retire"}
for _endpoint in ("edit", "merge", "retire"):
    ENDPOINT_URL_VALUES[f"themes.{_endpoint}"] = {**ENDPOINT_URL_VALUES.get(f"themes.{_endpoint}", {}), "theme_id": lambda o: o["theme"].id}



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
