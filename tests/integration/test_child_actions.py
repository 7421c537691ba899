"""Actions for the child: the team manager adds them on a shared audit and marks them done; the worker is told;
overdue ones show on the manager's, the worker's and the QA lead's home pages; QA leads see them by theme."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from audit_app.child_actions import services
from audit_app.extensions import db
from audit_app.models import ChangeLog, ChildAction, Notification
from audit_app.notifications.reminders import send_reminders
from audit_app.permissions import Role
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import CaseAuditFactory, CaseFactory, ChildActionFactory, TeamFactory, ThemeFactory, user_with

TODAY = date.today()


@pytest.fixture
def team(app):
    """A team with its manager and a worker, and a submitted audit of one of the worker's cases."""
    team = TeamFactory()
    manager = user_with(Role.TEAM_MANAGER, team=team, display_name="Taylor Manager")
    worker = user_with(Role.PRACTITIONER, team=team, worker_ref="SW7001", display_name="Sam Worker")
    case = CaseFactory(team=team, allocated_worker_ref="SW7001", case_reference="CR-7001")
    audit = CaseAuditFactory(case=case, status="submitted")
    return {"team": team, "manager": manager, "worker": worker, "audit": audit}


def _form(owner_id=0, owner_name="", due=None, **extra):
    due = due or TODAY + timedelta(days=14)
    return {
        "description": "Review the safety plan with the child.",
        "owner_id": str(owner_id),
        "owner_name": owner_name,
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "agreed_with_worker": "yes",
        "form_token": "t" * 32,
        **extra,
    }


def _count() -> int:
    return db.session.scalar(select(func.count(ChildAction.id)))


def test_the_team_manager_adds_an_action_once_and_the_worker_is_told_without_case_text(client, team):
    sign_in_as(client, team["manager"])
    audit = team["audit"]
    form = get(client, "child_actions.new", audit_id=audit.id).get_data(as_text=True)
    assert "Sam Worker" in form and "Taylor Manager" in form  # the team's people to choose from
    response = post(client, "child_actions.new", audit_id=audit.id, data=_form(owner_id=team["worker"].id))
    assert response.headers["Location"] == path_for("audits.view", audit_id=audit.id, _anchor="child-actions")
    again = post(client, "child_actions.new", audit_id=audit.id, data=_form(owner_id=team["worker"].id))
    assert again.status_code == 302 and _count() == 1  # a double submit makes one action
    action = db.session.scalar(select(ChildAction))
    assert (action.who, action.agreed_with_worker, action.status) == ("Sam Worker", True, "open")
    told = db.session.scalars(select(Notification).where(Notification.user_id == team["worker"].id)).all()
    assert len(told) == 1 and told[0].link == path_for("audits.view", audit_id=audit.id)
    assert "CR-7001" not in told[0].subject and "safety plan" not in told[0].subject
    page = get(client, "audits.view", audit_id=audit.id).get_data(as_text=True)
    assert "Review the safety plan with the child." in page and "Add an action for the child" in page


def test_someone_outside_the_team_is_named_in_words(client, team):
    sign_in_as(client, team["manager"])
    post(client, "child_actions.new", audit_id=team["audit"].id, data=_form(owner_name="IRO"))
    assert db.session.scalar(select(ChildAction.owner_name)) == "IRO"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": ""}, "Enter what will be done for the child"),
        ({"owner_id": "0", "owner_name": ""}, "Select who will do it, or enter who will"),
        ({"owner_name": "IRO"}, "Select who will do it, or enter who will"),  # both a person and a name
        ({"due_date": ["", "", ""]}, "Enter the date it will be done by"),
        ({"agreed_with_worker": ""}, "Select whether it was agreed with the social worker"),
    ],
)
def test_a_form_with_a_problem_says_so_and_keeps_what_was_typed(client, team, data, message):
    sign_in_as(client, team["manager"])
    form = {**_form(owner_id=team["worker"].id, description="See the child at school."), **data}
    response = post(client, "child_actions.new", audit_id=team["audit"].id, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in page and message in page
    if data.get("description") is None:
        assert "See the child at school." in page
    assert _count() == 0


def test_a_description_over_2000_characters_is_refused_in_the_summary_and_by_the_field(client, team):
    sign_in_as(client, team["manager"])
    too_long = _form(owner_id=team["worker"].id, description="d" * 2001)
    response = post(client, "child_actions.new", audit_id=team["audit"].id, data=too_long)
    page = response.get_data(as_text=True)
    message = "What will be done must be 2,000 characters or fewer"
    summary = page.split('govuk-error-summary__list"')[1].split("</ul>")[0]
    by_the_field = page.split('id="description-error"')[1].split("</p>")[0]
    assert response.status_code == 400 and _count() == 0
    assert f'<a href="#description">{message}</a>' in summary and message in by_the_field
    at_the_limit = _form(owner_id=team["worker"].id, description="d" * 2000)
    assert post(client, "child_actions.new", audit_id=team["audit"].id, data=at_the_limit).status_code == 302
    assert _count() == 1


def test_a_date_in_the_past_is_refused(client, team):
    sign_in_as(client, team["manager"])
    response = post(
        client, "child_actions.new", audit_id=team["audit"].id, data=_form(owner_name="IRO", due=TODAY - timedelta(1))
    )
    assert response.status_code == 400 and "must be today or in the future" in response.get_data(as_text=True)


def test_only_the_team_manager_of_the_case_adds_or_completes(client, team):
    action = ChildActionFactory(audit=team["audit"])
    other_manager = user_with(Role.TEAM_MANAGER, team=TeamFactory())
    # Another team's manager who is also a senior manager reads every audit, but manages only their team's.
    also_senior = user_with(Role.TEAM_MANAGER, Role.SENIOR_MANAGER, team=TeamFactory())
    sign_in_as(client, also_senior)
    assert "Add an action for the child" not in get(client, "audits.view", audit_id=team["audit"].id).get_data(True)
    for person in (other_manager, also_senior, team["worker"], user_with(Role.QA_LEAD)):
        sign_in_as(client, person)
        assert (
            post(client, "child_actions.new", audit_id=team["audit"].id, data=_form(owner_name="IRO")).status_code
            == 403
        )
        assert post(client, "child_actions.complete", action_id=action.id, data={"done_note": "x"}).status_code == 403
    # The worker reads the audit's actions, without the buttons to change them.
    sign_in_as(client, team["worker"])
    page = get(client, "audits.view", audit_id=team["audit"].id).get_data(as_text=True)
    assert action.description in page and "Add an action for the child" not in page
    assert get(client, "child_actions.action", action_id=action.id).status_code == 200
    sign_in_as(client, other_manager)
    assert get(client, "child_actions.action", action_id=action.id).status_code == 403
    assert _count() == 1


def test_marking_done_needs_a_note_and_is_in_the_history_in_words(client, team):
    action = ChildActionFactory(audit=team["audit"])
    sign_in_as(client, team["manager"])
    refused = post(client, "child_actions.complete", action_id=action.id, data={"done_note": ""})
    assert refused.status_code == 400 and "Enter what was done" in refused.get_data(as_text=True)
    done = post(client, "child_actions.complete", action_id=action.id, data={"done_note": "Reviewed at a home visit."})
    assert done.status_code == 302
    db.session.refresh(action)
    assert action.status == "done" and action.done_note == "Reviewed at a home visit." and action.done_at
    page = get(client, "child_actions.action", action_id=action.id).get_data(as_text=True)
    assert "Reviewed at a home visit." in page and "Mark as done" not in page
    assert "Taylor Manager" in page and "Open" in page and "Done" in page  # who changed the status, from and to
    changes = db.session.execute(
        select(ChangeLog.old_value, ChangeLog.new_value).where(
            ChangeLog.record_type == "child_action", ChangeLog.field == "status"
        )
    ).all()
    assert ("open", "done") in [tuple(c) for c in changes]


def test_overdue_actions_show_on_the_managers_the_workers_and_the_qa_leads_home_pages(client, team):
    ChildActionFactory(
        audit=team["audit"], description="Ask the IRO to bring the review forward.", due_date=TODAY - timedelta(days=3)
    )
    ChildActionFactory(audit=team["audit"], description="Not due yet.")
    ChildActionFactory(audit=team["audit"], description="Done late.", due_date=TODAY - timedelta(days=9), status="done")
    for person in (team["manager"], team["worker"], user_with(Role.QA_LEAD)):
        sign_in_as(client, person)
        home = get(client, "main.home").get_data(as_text=True)
        assert "Overdue actions for children" in home and "1 overdue" in home and "CR-7001" in home
        assert "Was due" in home
    sign_in_as(client, user_with(Role.TEAM_MANAGER, team=TeamFactory()))
    assert "Overdue actions for children" not in get(client, "main.home").get_data(as_text=True)
    assert services.count_overdue(team["manager"], TODAY) == 1
    assert services.count_overdue(team["manager"], TODAY - timedelta(days=5)) == 0


def test_the_daily_reminder_of_an_overdue_action_goes_once_a_day_to_the_team(app, team):
    owner = user_with(Role.PRACTITIONER, team=team["team"], worker_ref="SW7002")
    ChildActionFactory(audit=team["audit"], owner=owner, owner_name=None, due_date=TODAY - timedelta(days=1))
    ChildActionFactory(audit=team["audit"], due_date=TODAY + timedelta(days=1))
    assert send_reminders(TODAY) == 3  # the owner, the allocated worker and the team manager
    assert send_reminders(TODAY) == 0
    told = db.session.scalars(select(Notification).where(Notification.kind == "child_action_overdue")).all()
    assert {n.user_id for n in told} == {owner.id, team["worker"].id, team["manager"].id}
    assert all("CR-7001" not in n.subject for n in told)
    assert send_reminders(TODAY + timedelta(days=1)) == 3
    # The owner, a colleague whose case it is not, opens the reminder's link but not the audit.
    client = app.test_client()
    sign_in_as(client, owner)
    link = next(n.link for n in told if n.user_id == owner.id)
    assert client.get(link).status_code == 200
    assert get(client, "audits.view", audit_id=team["audit"].id).status_code == 403


def test_qa_leads_see_actions_by_theme_and_raise_a_plan_action_from_one(client, team):
    from tests.factories import JudgementFactory

    theme, quiet = ThemeFactory(name="Voice of the child"), ThemeFactory(name="Quiet theme")
    JudgementFactory(audit=team["audit"], themes=[theme])
    JudgementFactory(audit=team["audit"], themes=[theme])  # two judgements, each action counted once
    ChildActionFactory(audit=team["audit"], due_date=TODAY - timedelta(days=2))
    ChildActionFactory(audit=team["audit"])
    ChildActionFactory(audit=team["audit"], status="done")
    assert [(t.name, t.open, t.overdue, t.done) for t in services.actions_by_theme(TODAY)] == [
        ("Voice of the child", 2, 1, 1)
    ]
    sign_in_as(client, user_with(Role.QA_LEAD))
    page = get(client, "child_actions.themes").get_data(as_text=True)
    assert "Voice of the child" in page and quiet.name not in page
    link = path_for("plan.new_action", theme_id=theme.id)
    assert f'href="{link}"' in page


def test_the_demo_gives_the_demo_worker_actions_done_and_overdue_once(app):
    from audit_app.demo import DEMO_WORKER_REF, demo_user, seed_demo

    seed_demo("demo-password-2021")
    seed_demo("demo-password-2021")
    actions = db.session.scalars(select(ChildAction)).all()
    assert len(actions) == 3 and all(a.case.allocated_worker_ref == DEMO_WORKER_REF for a in actions)
    assert [a.status for a in actions].count("done") == 1
    manager, worker = demo_user("teammanager@example.org"), demo_user("worker@example.org")
    assert services.count_overdue(manager, TODAY) == services.count_overdue(worker, TODAY) == 1
    assert all(services.can_manage(manager, a.audit) for a in actions)
