"""Audits shared with the allocated social worker and their team manager: notifications, home panels and
lists, the worker's response, and disagreements resolved by moderators. SQLite and PostgreSQL."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from audit_app.audits import services as audit_services
from audit_app.extensions import db
from audit_app.models import (
    AuditStatus,
    ChangeLog,
    DomainResponse,
    Judgement,
    Notification,
    User,
)
from audit_app.moderation import services as moderation
from audit_app.permissions import Role
from audit_app.practitioners import services
from audit_app.reporting.filters import Filters
from audit_app.reporting.queries.counted import grade_expression, judgements_query
from tests.conftest import get, post, sign_in_as
from tests.factories import (
    CaseAuditFactory,
    CaseFactory,
    JudgementFactory,
    TeamFactory,
    published_tool,
    submitted_audit,
    user_with,
)

SUBMITTED = datetime(2021, 10, 20, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def scene(app):
    team = TeamFactory(name="North Children & Families 1")
    version = published_tool(domain_keys=("plans", "visits"))
    people = {
        "worker": user_with(Role.PRACTITIONER, worker_ref="SW7001", team=team, display_name="Sam Worker"),
        "colleague": user_with(Role.PRACTITIONER, worker_ref="SW7002", team=team, display_name="Kit Colleague"),
        "manager": user_with(Role.TEAM_MANAGER, team=team, display_name="Tam Manager"),
        "other_manager": user_with(Role.TEAM_MANAGER, team=TeamFactory()),
        "auditor": user_with(Role.AUDITOR, display_name="Alex Auditor"),
        "moderator": user_with(Role.SENIOR_MANAGER, display_name="Mo Moderator"),
        "qa": user_with(Role.QA_LEAD),
    }
    case = CaseFactory(team=team, allocated_worker_ref="SW7001", case_reference="CMS700001")
    audit = submitted_audit(version, {"plans": 2, "visits": 3}, overall=3, case=case, auditor=people["auditor"])
    services.share_audit(audit)
    db.session.commit()
    return {"team": team, "version": version, "audit": audit, **people}


def _client(app, user):
    client = app.test_client()
    sign_in_as(client, user)
    return client


def _response_form(**overrides) -> dict:
    form = {
        "reflection": "I will bring the analysis into supervision.",
        "agreement_0": "agree",
        "reason_0": "",
        "agreement_1": "disagree",
        "reason_1": "The child was seen alone at every visit.",
        "form_token": "respond-token-0123456789",
    }
    return form | overrides


def _notified(user, kind, link_to=None) -> list[Notification]:
    """The person's notifications of this kind (about one audit, when given)."""
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    if link_to is not None:
        query = query.where(Notification.link.startswith(f"/audits/{link_to.id}/"))
    return list(db.session.scalars(query))


def test_working_days_skip_weekends():
    assert services.add_working_days(date(2021, 10, 22), 1) == date(2021, 10, 25)  # Friday -> Monday
    assert services.add_working_days(date(2021, 10, 20), 10) == date(2021, 11, 3)
    assert services.add_working_days(date(2021, 10, 23), 1) == date(2021, 10, 25)  # Saturday -> Monday


def _ready_to_submit(scene):
    audit = CaseAuditFactory(
        case=scene["audit"].case,
        tool_version=scene["version"],
        auditor=scene["auditor"],
        status=AuditStatus.IN_PROGRESS.value,
        overall_grade=2,
        audited_alongside_worker=False,
    )
    for domain in scene["version"].domains:
        JudgementFactory(audit=audit, question=domain.questions[0], domain_key=domain.key, grade=2)
    db.session.commit()
    db.session.refresh(audit)
    return audit


def test_submitting_tells_the_worker_and_team_manager_once_and_the_response_falls_due(app, scene):
    audit = _ready_to_submit(scene)
    assert audit_services.submit(audit, audit.version) == []
    assert audit_services.submit(audit, audit.version) == []  # a second submit tells no one twice
    for person in ("worker", "manager"):
        [message] = _notified(scene[person], "audit_shared", audit)
        assert message.link == f"/audits/{audit.id}/view"
        assert "CMS700001" not in message.subject
    assert _notified(scene["colleague"], "audit_shared", audit) == []
    assert _notified(scene["other_manager"], "audit_shared", audit) == []
    response = services.response_for(audit)
    assert response.due_on == services.add_working_days(audit.submitted_at.date(), 10)


def test_when_sharing_waits_for_moderation_the_moderation_tells_them(app, scene):
    app.config["SHARE_AUDITS_WHEN"] = "moderated"
    try:
        audit = _ready_to_submit(scene)
        audit_services.submit(audit, audit.version)
        assert _notified(scene["worker"], "audit_shared", audit) == []
        assert services.response_for(audit) is None
        decisions = {j.id: moderation.GradeDecision(j.grade) for j in moderation.graded_judgements(audit)}
        moderation.moderate(audit, scene["moderator"], decisions, moderation.GradeDecision(audit.overall_grade))
        [message] = _notified(scene["worker"], "audit_shared", audit)
        assert message.link == f"/audits/{audit.id}/view"
        assert services.response_for(audit) is not None
    finally:
        app.config["SHARE_AUDITS_WHEN"] = "submitted"


def test_home_panels_show_the_worker_their_audits_and_the_manager_who_has_responded(app, scene):
    worker_home = get(_client(app, scene["worker"]), "main.home").text
    assert "Audits of your cases" in worker_home and "CMS700001" in worker_home
    assert "Response overdue" in worker_home  # due 3 November 2021
    services.submit_response(
        scene["audit"], scene["worker"], "Reflection", {"plans": ("agree", ""), "visits": ("agree", "")}
    )
    manager_home = get(_client(app, scene["manager"]), "main.home").text
    assert "Your team&#39;s audits" in manager_home
    assert "Sam Worker" in manager_home and "Responded" in manager_home
    assert "Audits of your cases" not in manager_home


def test_the_lists_page_through_shared_audits(app, scene):
    for n in range(25):
        case = CaseFactory(team=scene["team"], allocated_worker_ref="SW7002", case_reference=f"CMS71{n:04d}")
        submitted_audit(scene["version"], {"plans": 2}, case=case, submitted_at=datetime(2021, 9, 1, tzinfo=UTC))
    client = _client(app, scene["manager"])
    first = get(client, "practitioners.team_audits").text
    second = get(client, "practitioners.team_audits", page=2).text
    assert "CMS700001" in first and "CMS700001" not in second  # newest first
    assert second.count("/view") == 1
    assert get(client, "practitioners.team_audits", page="99999999999").status_code == 200
    mine = get(_client(app, scene["worker"]), "practitioners.my_audits").text
    assert "CMS700001" in mine and "CMS710000" not in mine


def test_the_worker_responds_once_without_javascript_and_it_shows_on_the_audit(app, scene):
    audit, client = scene["audit"], _client(app, scene["worker"])
    form_page = get(client, "practitioners.respond", audit_id=audit.id).text
    assert "Plans" in form_page and "Requires improvement" in form_page
    response = post(client, "practitioners.respond", data=_response_form(), audit_id=audit.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/audits/{audit.id}/view#response")
    again = post(client, "practitioners.respond", data=_response_form(), audit_id=audit.id)
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(DomainResponse.id))) == 2
    view = get(client, "audits.view", audit_id=audit.id).text
    assert "I will bring the analysis into supervision." in view
    assert "The child was seen alone at every visit." in view and "Awaiting moderation" in view
    logged = db.session.scalars(select(ChangeLog.field).where(ChangeLog.record_type == "audit_response")).all()
    assert "reflection" in logged
    assert "Social worker&#39;s response on a domain" in view  # in the audit's history


def test_a_response_with_problems_says_so_and_keeps_what_was_typed(app, scene):
    client = _client(app, scene["worker"])
    form = _response_form(reflection="", reason_1="", agreement_0="partly", reason_0="   ")
    response = post(client, "practitioners.respond", data=form, audit_id=scene["audit"].id)
    page = response.text
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter what you take from this audit" in page
    assert "Enter why you disagree with the grades for Visits" in page
    assert "Enter why you only partly agree with the grades for Plans" in page
    assert re.search(r'value="partly"\s+checked', page)  # what was chosen and typed is kept
    assert services.response_for(scene["audit"]).submitted_at is None
    kept = post(client, "practitioners.respond", data=_response_form(reflection=""), audit_id=scene["audit"].id)
    assert "The child was seen alone at every visit." in kept.text and re.search(
        r'value="disagree"\s+checked', kept.text
    )


def test_only_the_allocated_worker_responds(app, scene):
    audit = scene["audit"]
    assert get(_client(app, scene["colleague"]), "practitioners.respond", audit_id=audit.id).status_code == 403
    assert (
        post(
            _client(app, scene["colleague"]), "practitioners.respond", data=_response_form(), audit_id=audit.id
        ).status_code
        == 403
    )
    assert get(_client(app, scene["manager"]), "practitioners.respond", audit_id=audit.id).status_code == 403
    assert services.response_for(audit).submitted_at is None


def _disagree(app, scene):
    post(_client(app, scene["worker"]), "practitioners.respond", data=_response_form(), audit_id=scene["audit"].id)
    return db.session.scalar(select(DomainResponse).where(DomainResponse.agreement == "disagree"))


def _resolve(client, disagreement, **form):
    return post(client, "practitioners.resolve", data=form, disagreement_id=disagreement.id)


def _counted_grades(audit) -> dict[str, int]:
    filters = Filters()
    rows = db.session.execute(
        judgements_query(filters, None, Judgement.domain_key, grade_expression(filters)).where(
            Judgement.audit_id == audit.id
        )
    ).all()
    return dict(rows)


def test_a_disagreement_goes_to_the_moderators_and_a_changed_grade_counts(app, scene):
    disagreement = _disagree(app, scene)
    assert [n.link for n in _notified(scene["moderator"], "disagreement")] == ["/practitioners/disagreements"]
    assert _notified(scene["auditor"], "disagreement") == []
    client = _client(app, scene["moderator"])
    queue = get(client, "practitioners.disagreements").text
    assert "CMS700001" in queue and "Visits" in queue
    assert "Disagreements to resolve" in get(client, "main.home").text
    refused = _resolve(client, disagreement, resolution="changed", reason="Seen alone.")
    assert refused.status_code == 400 and "Select the new grade" in refused.text
    done = _resolve(client, disagreement, resolution="changed", grade="2", reason="Seen alone on file.")
    assert done.status_code == 302
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 2}
    assert scene["audit"].status == AuditStatus.MODERATED
    assert "CMS700001" not in get(client, "practitioners.disagreements").text
    [told] = _notified(scene["worker"], "disagreement_resolved")
    assert told.link == f"/audits/{scene['audit'].id}/view#response"
    view = get(_client(app, scene["worker"]), "audits.view", audit_id=scene["audit"].id).text
    assert "grade changed to <strong>Good</strong>" in view and "Seen alone on file." in view


def test_a_kept_grade_changes_no_figure_and_a_second_resolution_changes_nothing(app, scene):
    disagreement = _disagree(app, scene)
    client = _client(app, scene["qa"])
    _resolve(client, disagreement, resolution="kept", reason="Not recorded.")
    again = _resolve(client, disagreement, resolution="changed", grade="1", reason="x")
    assert again.status_code == 302
    db.session.refresh(disagreement)
    assert disagreement.resolution == "kept" and disagreement.resolution_reason == "Not recorded."
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 3}
    assert "grade kept" in get(_client(app, scene["worker"]), "audits.view", audit_id=scene["audit"].id).get_data(
        as_text=True
    )


def test_the_auditor_cannot_resolve_a_disagreement_with_their_own_audit(app, scene):
    scene["audit"].auditor = scene["moderator"]
    db.session.commit()
    disagreement = _disagree(app, scene)
    client = _client(app, scene["moderator"])
    assert get(client, "practitioners.resolve", disagreement_id=disagreement.id).status_code == 403


def test_responses_due_lists_the_awaited_ones_for_reminders(app, scene):
    audit = scene["audit"]
    [(due_audit, worker, due_on)] = services.responses_due(date.today())
    assert (due_audit, worker, due_on) == (audit, scene["worker"], services.response_for(audit).due_on)
    services.submit_response(audit, scene["worker"], "Reflection", {"plans": ("agree", ""), "visits": ("agree", "")})
    assert services.responses_due(date.today()) == []


# --- Done when: practitioners and team managers see only their own (issue 14, item 2) ---------------


def test_a_worker_cannot_open_an_audit_of_a_case_not_allocated_to_them(app, scene):
    other = submitted_audit(
        scene["version"], {"plans": 2}, case=CaseFactory(team=scene["team"], allocated_worker_ref="SW7002")
    )
    client = _client(app, scene["worker"])
    assert get(client, "audits.view", audit_id=other.id).status_code == 403
    assert get(client, "audits.task_list", audit_id=other.id).status_code == 403
    assert get(client, "practitioners.respond", audit_id=other.id).status_code == 403
    assert other.case.case_reference not in get(client, "practitioners.my_audits").text
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 200


def test_a_team_manager_cannot_open_another_teams_audit(app, scene):
    other = submitted_audit(scene["version"], {"plans": 2}, case=CaseFactory(allocated_worker_ref="SW7101"))
    client = _client(app, scene["other_manager"])
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 403
    assert "CMS700001" not in get(client, "practitioners.team_audits").text
    own = _client(app, scene["manager"])
    assert get(own, "audits.view", audit_id=other.id).status_code == 403
    assert get(own, "audits.view", audit_id=scene["audit"].id).status_code == 200


@pytest.mark.parametrize("person", ["worker", "manager"])
def test_workers_and_managers_reach_no_export_summary_or_moderation(app, scene, person):
    client = _client(app, scene[person])
    refused = [
        ("themes.export", {"table": "judgements", "fmt": "csv"}),
        ("themes.export", {"table": "domains", "fmt": "xlsx"}),
        ("themes.summary", {}),
        ("themes.evidence", {}),
        ("tools.export", {"version_id": scene["version"].id}),
        ("moderation.index", {}),
        ("moderation.agreement", {}),
        ("practitioners.disagreements", {}),
        ("plan.board_report", {}),
        ("audits.my_audits", {}),
    ]
    for endpoint, values in refused:
        method = post if endpoint == "tools.export" else get
        assert method(client, endpoint, **values).status_code == 403, endpoint


def test_a_manager_who_also_carries_cases_cannot_respond_for_a_colleague(app, scene):
    both = user_with(Role.PRACTITIONER, Role.TEAM_MANAGER, worker_ref="SW7003", team=scene["team"])
    client = _client(app, both)
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 200  # their team's audit
    assert post(client, "practitioners.respond", data=_response_form(), audit_id=scene["audit"].id).status_code == 403


def test_the_response_is_made_once_however_often_the_service_is_asked(app, scene):
    answers = {"plans": ("agree", ""), "visits": ("disagree", "Seen alone.")}
    first, created = services.submit_response(scene["audit"], scene["worker"], "Reflection", answers, token="a" * 20)
    again, created_again = services.submit_response(scene["audit"], scene["worker"], "Other", answers, token="b" * 20)
    assert (created, created_again) == (True, False) and again.id == first.id
    assert db.session.scalar(select(func.count(DomainResponse.id))) == 2
    assert len(_notified(scene["moderator"], "disagreement")) == 1


# --- Audited alongside the worker: the date of the conversation -------------------------------------


def _overall(audit, **fields) -> dict:
    return {"version": str(audit.version), "overall_grade": "2", "audited_alongside_worker": "yes"} | fields


def _date_boxes(day: date) -> dict:
    return {
        "alongside_conversation_on-day": str(day.day),
        "alongside_conversation_on-month": str(day.month),
        "alongside_conversation_on-year": str(day.year),
    }


def test_an_audit_done_alongside_the_worker_needs_the_date_of_the_conversation(app, scene):
    audit = _ready_to_submit(scene)
    client = _client(app, scene["auditor"])
    post(client, "audits.page", data=_overall(audit), audit_id=audit.id, page_key="overall")
    db.session.refresh(audit)
    problems = {p.field: p.message for p in audit_services.validate(audit)}
    assert "talked the audit through" in problems["alongside_conversation_on"]
    assert audit_services.submit(audit, audit.version) != []
    future = _overall(audit, **_date_boxes(date.today().replace(year=date.today().year + 1)))
    post(client, "audits.page", data=future, audit_id=audit.id, page_key="overall")
    db.session.refresh(audit)
    assert (
        "today or in the past"
        in {p.field: p.message for p in audit_services.validate(audit)}["alongside_conversation_on"]
    )
    post(
        client,
        "audits.page",
        data=_overall(audit, **_date_boxes(date(2021, 10, 19))),
        audit_id=audit.id,
        page_key="overall",
    )
    db.session.refresh(audit)
    assert audit.alongside_conversation_on == date(2021, 10, 19)
    assert audit_services.submit(audit, audit.version) == []
    view = get(_client(app, scene["worker"]), "audits.view", audit_id=audit.id).text
    assert "Talked through with the worker on" in view and "19 October 2021" in view


def test_the_overall_page_shows_the_conversation_date_in_its_boxes(app, scene):
    audit = _ready_to_submit(scene)
    audit.alongside_conversation_on = date(2021, 10, 19)
    db.session.commit()
    page = get(_client(app, scene["auditor"]), "audits.page", audit_id=audit.id, page_key="overall").text
    assert re.search(r'name="alongside_conversation_on-day"[^>]*value="19"', page)
    assert re.search(r'name="alongside_conversation_on-year"[^>]*value="2021"', page)


def test_a_disagreement_waits_while_the_audit_is_back_with_its_auditor(app, scene):
    disagreement = _disagree(app, scene)
    scene["audit"].status = AuditStatus.RETURNED.value
    db.session.commit()
    response = _resolve(_client(app, scene["qa"]), disagreement, resolution="changed", grade="1", reason="Seen.")
    assert response.status_code == 302
    db.session.refresh(disagreement)
    assert disagreement.resolved_at is None and scene["audit"].status == AuditStatus.RETURNED


def test_two_moderators_resolving_at_once_cannot_both_succeed(app, scene):
    disagreement = _disagree(app, scene)
    with db.engine.begin() as other:  # another moderator's resolution lands first
        other.execute(
            DomainResponse.__table__.update()
            .where(DomainResponse.id == disagreement.id)
            .values(version=DomainResponse.version + 1, resolution="kept", resolution_reason="Theirs.")
        )
    with pytest.raises(StaleDataError):
        services.resolve(disagreement, scene["qa"], "changed", 1, "Mine.")
    db.session.rollback()
    db.session.refresh(disagreement)
    assert disagreement.resolution_reason == "Theirs."
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 3}


def test_the_demo_worker_has_responses_a_resolved_and_an_open_disagreement_and_one_overdue(app):
    from audit_app.demo import seed_demo

    seed_demo("demo-password-2021")
    worker = _demo("worker@example.org")
    _, rows = services.shared_audit_rows(worker)
    assert sorted(row.state() for row in rows) == ["due", "overdue", "responded", "responded", "responded"]
    disagreements = db.session.scalars(select(DomainResponse).where(DomainResponse.agreement == "disagree")).all()
    assert sorted(d.resolution or "awaiting" for d in disagreements) == ["awaiting", "changed"]
    home = get(_client(app, worker), "main.home").text
    assert "Response overdue" in home and "Response due" in home and "Responded" in home
    assert "Your team&#39;s audits" in get(_client(app, _demo("teammanager@example.org")), "main.home").text


def _demo(email):
    return db.session.scalar(select(User).where(User.email == email))
