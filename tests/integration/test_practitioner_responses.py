"""Audits shared with the allocated social worker and their team manager: notifications, home panels and
lists, and the worker's response. SQLite and PostgreSQL."""

import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from audit_app.audits import services as audit_services
from audit_app.extensions import db
from audit_app.models import (
    ChangeLog,
    DomainResponse,
    User,
)
from audit_app.moderation import services as moderation
from audit_app.practitioners import services
from tests.conftest import get, path_for, post
from tests.factories import (
    CaseFactory,
    submitted_audit,
)
from tests.practitioner_scene import client_for, notified, ready_to_submit, response_form


def test_working_days_skip_weekends():
    assert services.add_working_days(date(2021, 10, 22), 1) == date(2021, 10, 25)  # Friday -> Monday
    assert services.add_working_days(date(2021, 10, 20), 10) == date(2021, 11, 3)
    assert services.add_working_days(date(2021, 10, 23), 1) == date(2021, 10, 25)  # Saturday -> Monday


def test_submitting_tells_the_worker_and_team_manager_once_and_the_response_falls_due(app, scene):
    audit = ready_to_submit(scene)
    assert audit_services.submit(audit, audit.version) == []
    assert audit_services.submit(audit, audit.version) == []  # a second submit tells no one twice
    for person in ("worker", "manager"):
        [message] = notified(scene[person], "audit_shared", audit)
        assert message.link == f"/audits/{audit.id}/view"
        assert "CMS700001" not in message.subject
    assert notified(scene["colleague"], "audit_shared", audit) == []
    assert notified(scene["other_manager"], "audit_shared", audit) == []
    response = services.response_for(audit)
    assert response.due_on == services.add_working_days(audit.submitted_at.date(), 10)


def test_when_sharing_waits_for_moderation_the_moderation_tells_them(app, scene, monkeypatch):
    monkeypatch.setitem(app.config, "SHARE_AUDITS_WHEN", "moderated")
    audit = ready_to_submit(scene)
    audit_services.submit(audit, audit.version)
    assert notified(scene["worker"], "audit_shared", audit) == []
    assert services.response_for(audit) is None
    decisions = {j.id: moderation.GradeDecision(j.grade) for j in moderation.graded_judgements(audit)}
    moderation.moderate(audit, scene["moderator"], decisions, moderation.GradeDecision(audit.overall_grade))
    [message] = notified(scene["worker"], "audit_shared", audit)
    assert message.link == f"/audits/{audit.id}/view"
    assert services.response_for(audit) is not None


def test_home_panels_show_the_worker_their_audits_and_the_manager_who_has_responded(app, scene):
    worker_home = get(client_for(app, scene["worker"]), "main.home").text
    assert "Audits of your cases" in worker_home and "CMS700001" in worker_home
    assert "Response overdue" in worker_home  # due 3 November 2021
    services.submit_response(
        scene["audit"], scene["worker"], "Reflection", {"plans": ("agree", ""), "visits": ("agree", "")}
    )
    manager_home = get(client_for(app, scene["manager"]), "main.home").text
    assert "Your team&#39;s audits" in manager_home
    assert "Sam Worker" in manager_home and "Responded" in manager_home
    assert "Audits of your cases" not in manager_home


def test_the_lists_page_through_shared_audits(app, scene):
    for n in range(25):
        case = CaseFactory(team=scene["team"], allocated_worker_ref="SW7002", case_reference=f"CMS71{n:04d}")
        submitted_audit(scene["version"], {"plans": 2}, case=case, submitted_at=datetime(2021, 9, 1, tzinfo=UTC))
    client = client_for(app, scene["manager"])
    first = get(client, "practitioners.team_audits").text
    second = get(client, "practitioners.team_audits", page=2).text
    assert "CMS700001" in first and "CMS700001" not in second  # newest first
    assert second.count("/view") == 1
    assert get(client, "practitioners.team_audits", page="99999999999").status_code == 200
    htmx = {"HX-Request": "true", "HX-Target": "shared-audits"}
    fragment = get(client, "practitioners.team_audits", page=2, headers=htmx).text
    assert "<html" not in fragment and "CMS71" in fragment and 'hx-target="#shared-audits"' in fragment
    mine = get(client_for(app, scene["worker"]), "practitioners.my_audits").text
    assert "CMS700001" in mine and "CMS710000" not in mine


def test_the_worker_responds_once_without_javascript_and_it_shows_on_the_audit(app, scene):
    audit, client = scene["audit"], client_for(app, scene["worker"])
    form_page = get(client, "practitioners.respond", audit_id=audit.id).text
    assert "Plans" in form_page and "Requires improvement" in form_page
    back = path_for("audits.view", audit_id=audit.id)
    assert "Send your response" in form_page and f'href="{back}">Cancel</a>' in form_page  # leaving saves nothing
    response = post(client, "practitioners.respond", data=response_form(), audit_id=audit.id)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/audits/{audit.id}/view#response")
    again = post(client, "practitioners.respond", data=response_form(), audit_id=audit.id)
    assert again.status_code == 302
    assert db.session.scalar(select(func.count(DomainResponse.id))) == 2
    view = get(client, "audits.view", audit_id=audit.id).text
    assert "I will bring the analysis into supervision." in view
    assert "The child was seen alone at every visit." in view and "Awaiting moderation" in view
    logged = db.session.scalars(select(ChangeLog.field).where(ChangeLog.record_type == "audit_response")).all()
    assert "reflection" in logged
    assert "Social worker&#39;s response on a domain" in view  # in the audit's history


def test_a_response_with_problems_says_so_and_keeps_what_was_typed(app, scene):
    client = client_for(app, scene["worker"])
    form = response_form(reflection="", reason_1="", agreement_0="partly", reason_0="   ")
    response = post(client, "practitioners.respond", data=form, audit_id=scene["audit"].id)
    page = response.text
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter what you take from this audit" in page
    assert "Enter why you disagree with the grades for Visits" in page
    assert "Enter why you only partly agree with the grades for Plans" in page
    assert re.search(r'value="partly"\s+checked', page)  # what was chosen and typed is kept
    assert services.response_for(scene["audit"]).submitted_at is None
    kept = post(client, "practitioners.respond", data=response_form(reflection=""), audit_id=scene["audit"].id)
    assert "The child was seen alone at every visit." in kept.text and re.search(
        r'value="disagree"\s+checked', kept.text
    )


def test_only_the_allocated_worker_responds(app, scene):
    audit = scene["audit"]
    assert get(client_for(app, scene["colleague"]), "practitioners.respond", audit_id=audit.id).status_code == 403
    assert (
        post(
            client_for(app, scene["colleague"]), "practitioners.respond", data=response_form(), audit_id=audit.id
        ).status_code
        == 403
    )
    assert get(client_for(app, scene["manager"]), "practitioners.respond", audit_id=audit.id).status_code == 403
    assert services.response_for(audit).submitted_at is None


def test_responses_due_lists_the_awaited_ones_for_reminders(app, scene):
    audit = scene["audit"]
    [(due_audit, worker, due_on)] = services.responses_due(date.today())
    assert (due_audit, worker, due_on) == (audit, scene["worker"], services.response_for(audit).due_on)
    services.submit_response(audit, scene["worker"], "Reflection", {"plans": ("agree", ""), "visits": ("agree", "")})
    assert services.responses_due(date.today()) == []


def test_the_response_is_made_once_however_often_the_service_is_asked(app, scene):
    answers = {"plans": ("agree", ""), "visits": ("disagree", "Seen alone.")}
    first, created = services.submit_response(scene["audit"], scene["worker"], "Reflection", answers, token="a" * 20)
    again, created_again = services.submit_response(scene["audit"], scene["worker"], "Other", answers, token="b" * 20)
    assert (created, created_again) == (True, False) and again.id == first.id
    assert db.session.scalar(select(func.count(DomainResponse.id))) == 2
    assert len(notified(scene["moderator"], "disagreement")) == 1


def test_the_demo_worker_has_responses_a_resolved_and_an_open_disagreement_and_one_overdue(app):
    from audit_app.demo import seed_demo

    seed_demo("demo-password-2021")
    worker = _demo("worker@example.org")
    _, rows = services.shared_audit_rows(worker)
    assert sorted(row.state() for row in rows) == ["due", "overdue", "responded", "responded", "responded"]
    disagreements = db.session.scalars(select(DomainResponse).where(DomainResponse.agreement == "disagree")).all()
    assert sorted(d.resolution or "awaiting" for d in disagreements) == ["awaiting", "changed"]
    home = get(client_for(app, worker), "main.home").text
    assert "Response overdue" in home and "Response due" in home and "Responded" in home
    assert "Your team&#39;s audits" in get(client_for(app, _demo("teammanager@example.org")), "main.home").text


def _demo(email):
    return db.session.scalar(select(User).where(User.email == email))
