"""Double posts and races on "add" forms: one record, and a clear answer to the second request.

A form posted twice (a double tap, a reload that re-posts) carries the same one-time token, so the
second post is sent to the record the first one made. Two different forms adding the same unique thing
at once get one record and a form error, never a 500. Runs on SQLite and PostgreSQL; the two-thread
races use a database session per request, as the real server does.
"""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from audit_app import idempotency
from audit_app.admin import services as admin_services
from audit_app.extensions import db
from audit_app.models import (
    Action,
    AuditProgramme,
    AuditTool,
    Case,
    Domain,
    FollowUp,
    Locality,
    Observation,
    PracticeWeek,
    PriorityMonth,
    Question,
    Service,
    Team,
    Theme,
    User,
)
from audit_app.models import Activity as Booking
from audit_app.permissions import Role
from audit_app.plan import services as plan_services
from audit_app.practice_week import services as practice_week_services
from audit_app.tools.services import seed_tool
from tests.conftest import path_for, post, race, sign_in_as
from tests.factories import (
    ActivityFactory,
    CaseAuditFactory,
    OutcomeFactory,
    PracticeWeekFactory,
    PriorityFactory,
    TeamFactory,
    ToolVersionFactory,
    user_with,
)
from tests.integration.test_programmes import programme_form


def form_token(html: str) -> str:
    match = re.search(r'name="(?:[\w-]*)form_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="(?:[\w-]*)form_token"', html
    )
    assert match, "the form has no one-time token"
    return match.group(1)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def signed_in(app, *roles):
    client = app.test_client()
    person = user_with(*roles)
    sign_in_as(client, person)
    return client, person


# Each add form: (who, the page showing the form, the URL it posts to, the data, the record it makes).
def _theme(app):
    url = path_for("themes.manage")
    return (Role.QA_LEAD,), url, url, {"name": "Drift and delay", "description": ""}, Theme


def _user(app):
    data = {
        "email": "new.person@example.org",
        "display_name": "New Person",
        "roles": ["auditor"],
        "is_enabled": "y",
        "password": "a-long-enough-password",
    }
    return (Role.ADMIN,), path_for("admin.user"), path_for("admin.user"), data, User


def _locality(app):
    url = path_for("admin.named_list", kind="localities")
    return (Role.ADMIN,), url, url, {"name": "West"}, Locality


def _service(app):
    url = path_for("admin.named_list", kind="services")
    return (Role.ADMIN,), url, url, {"name": "Edge of Care"}, Service


def _team(app):
    other = TeamFactory()
    data = {"name": "West Initial Response", "locality_id": other.locality_id, "service_id": other.service_id}
    return (Role.ADMIN,), path_for("admin.team"), path_for("admin.team"), data, Team


def _case(app):
    team = TeamFactory()
    data = {"case_reference": "CMS-2001", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id}
    return (Role.ADMIN,), path_for("admin.case"), path_for("admin.case"), data, Case


def _week(app):
    data = {
        "title": "Spring practice week",
        "starts_on": ["7", "3", "2022"],
        "ends_on": ["11", "3", "2022"],
        "focus": "",
    }
    return (Role.QA_LEAD,), path_for("practice_week.edit_week"), path_for("practice_week.edit_week"), data, PracticeWeek


def _booking(app):
    week = PracticeWeekFactory()
    observer = user_with(Role.SENIOR_MANAGER)
    data = {
        "day": [str(week.starts_on.day), str(week.starts_on.month), str(week.starts_on.year)],
        "at": "10:00",
        "activity_type": "icpc",
        "team_id": 0,
        "observer_id": observer.id,
        "description": "",
        "status": "booked",
    }
    url = path_for("practice_week.activity", week_id=week.id)
    return (Role.QA_LEAD,), url, url, data, Booking


def _unscheduled_observation(app):
    week = PracticeWeekFactory()
    return (
        (Role.SENIOR_MANAGER,),
        path_for("practice_week.week", week_id=week.id),
        path_for("practice_week.start_observation", week_id=week.id),
        {},
        Observation,
    )


def _tool(app):
    url = path_for("tools.new_tool")
    return (Role.QA_LEAD,), url, url, {"name": "Care leavers audit", "description": ""}, AuditTool


def _domain(app):
    version = ToolVersionFactory(status="draft")
    url = path_for("tools.domain", version_id=version.id)
    return (Role.QA_LEAD,), url, url, {"title": "Pathway plans", "description": ""}, Domain


def _question(app):
    version = ToolVersionFactory(status="draft")
    domain = Domain(version=version, key="plans", title="Plans", position=1)
    db.session.add(domain)
    db.session.commit()
    url = path_for("tools.question", domain_id=domain.id)
    data = {"text": "Is the plan SMART?", "guidance": "", "response_type": "grade", "required": "y"}
    return (Role.QA_LEAD,), url, url, data, Question


def _programme(app):
    march = (date(2022, 3, 1), date(2022, 3, 31))
    data = programme_form(seed_tool(), "March 2022 monthly audit", march, date(2022, 4, 15))
    return (Role.QA_LEAD,), path_for("programmes.new"), path_for("programmes.new"), data, AuditProgramme


def _action(app):
    outcome = OutcomeFactory()
    owner = user_with(Role.SENIOR_MANAGER)
    data = {
        "priority_id": f"outcome-{outcome.id}",
        "description": "Re-audit voice of the child in March.",
        "owner_id": owner.id,
        "due_date": ["31", "3", "2030"],
    }
    return (Role.QA_LEAD,), path_for("plan.new_action"), path_for("plan.new_action"), data, Action


ADD_FORMS = [
    _theme,
    _user,
    _locality,
    _service,
    _team,
    _case,
    _week,
    _booking,
    _unscheduled_observation,
    _tool,
    _domain,
    _question,
    _programme,
    _action,
]


@pytest.mark.parametrize("add_form", ADD_FORMS, ids=lambda f: f.__name__.strip("_"))
def test_an_add_form_posted_twice_makes_one_record_and_both_posts_lead_to_it(app, add_form):
    roles, page, url, data, model = add_form(app)
    client, _ = signed_in(app, *roles)
    before = count(model)
    shown = client.get(page)
    assert shown.status_code == 200
    data = dict(data, form_token=form_token(shown.get_data(as_text=True)))
    first = client.post(url, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)
    second = client.post(url, data=data)  # the reload, or the second tap
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert count(model) == before + 1
    if model is not Observation:  # said on the page the second post leads to (a new draft says nothing)
        told = client.get(second.headers["Location"]).get_data(as_text=True)
        assert "You had already sent this form, so it was saved once" in told

    fresh = dict(data, form_token=form_token(client.get(page).get_data(as_text=True)))
    assert fresh["form_token"] != data["form_token"]  # a new form is a new token


def test_starting_an_observation_of_one_booking_twice_at_once_makes_one(app):
    """Two "Record observation" posts of one booking race (no token in that form): one observation per
    booking and observer in the database, and both answers lead to it."""
    booking = ActivityFactory(observer=user_with(Role.SENIOR_MANAGER))
    url = path_for("practice_week.start_observation", week_id=booking.week_id)
    responses = race(app, booking.observer, [(url, {"activity_id": booking.id})] * 2)
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert count(Observation) == 1


def test_the_same_follow_up_posted_twice_at_once_is_recorded_once(app):
    audit = CaseAuditFactory(tool_version=seed_tool(), auditor=user_with(Role.AUDITOR))
    manager = user_with(Role.SENIOR_MANAGER)
    data = {
        "follow_up-action_required": "Team manager to see the child today.",
        "follow_up-owner_id": manager.id,
        "follow_up-due_date": ["22", "10", "2030"],
        "follow_up-form_token": "t" * 32,
    }
    responses = race(app, audit.auditor, [(path_for("audits.add_follow_up", audit_id=audit.id), data)] * 2)
    assert [r.status_code for r in responses] == [302, 302]
    assert count(FollowUp) == 1


def test_one_theme_form_posted_twice_at_once_makes_one_theme(app):
    qa = user_with(Role.QA_LEAD)
    data = {"name": "Drift and delay", "description": "", "form_token": "x" * 32}
    responses = race(app, qa, [(path_for("themes.manage"), data)] * 2)
    assert [r.status_code for r in responses] == [302, 302]
    assert count(Theme) == 1


def test_two_people_adding_the_same_theme_at_once_get_one_theme_and_a_clear_error(app):
    qa = user_with(Role.QA_LEAD)
    posts = [
        (path_for("themes.manage"), {"name": "Drift and delay", "description": "", "form_token": c * 32}) for c in "ab"
    ]
    responses = race(app, qa, posts)
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
    assert "There is a problem" in refused and "A theme with this name already exists" in refused
    assert 'value="Drift and delay"' in refused  # what was typed is still there
    assert count(Theme) == 1


@pytest.mark.parametrize(
    ("module", "check", "endpoint", "data", "message"),
    [
        (
            idempotency,
            "name_taken",
            ("themes.manage", {}),
            {"name": "Drift and delay"},
            "A theme with this name already exists",
        ),
        (
            idempotency,
            "name_taken",
            ("admin.named_list", {"kind": "localities"}),
            {"name": "Drift and delay"},
            "A locality with this name already exists",
        ),
        (
            admin_services,
            "email_taken",
            ("admin.user", {}),
            {
                "email": "same@example.org",
                "display_name": "Same",
                "roles": ["auditor"],
                "password": "a-long-enough-password",
            },
            "A user with this email address already exists",
        ),
    ],
    ids=["theme", "locality", "user"],
)
def test_a_unique_value_taken_after_the_check_is_a_form_error_not_a_500(
    app, monkeypatch, module, check, endpoint, data, message
):
    """The moment of a race, made certain: another request added the same name after this one checked."""
    name, values = endpoint
    url = path_for(name, **values)
    roles = (Role.QA_LEAD,) if name.startswith("themes.") else (Role.ADMIN,)
    client, _ = signed_in(app, *roles)
    assert client.post(url, data=data).status_code == 302
    monkeypatch.setattr(module, check, lambda *args, **kwargs: False)
    response = client.post(url, data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html


def test_a_record_the_database_still_refuses_asks_for_the_save_again_not_a_500(app, monkeypatch):
    """Nothing typed in a practice week is unique: a refusal can only come from the database, and says so."""
    roles, _, url, data, _ = _week(app)
    client, _ = signed_in(app, *roles)

    def refused(*args, **kwargs):
        raise idempotency.AlreadyExists("UNIQUE constraint failed")

    monkeypatch.setattr(practice_week_services, "save_week", refused)
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert "This practice week could not be saved: check it and save again" in response.get_data(as_text=True)
    assert count(PracticeWeek) == 0


@pytest.mark.parametrize("kind", ["theme", "locality"])
def test_renaming_to_a_name_taken_at_the_same_moment_is_a_form_error_not_a_500(app, monkeypatch, kind):
    if kind == "theme":
        client, _ = signed_in(app, Role.QA_LEAD)
        taken, other = Theme(name="Drift and delay", is_active=True), Theme(name="Voice of the child", is_active=True)
        endpoint, values = "themes.edit", {}
    else:
        client, _ = signed_in(app, Role.ADMIN)
        taken, other = Locality(name="North"), Locality(name="South")
        endpoint, values = "admin.named_item", {"kind": "localities"}
    db.session.add_all([taken, other])
    db.session.commit()
    monkeypatch.setattr(
        idempotency, "name_taken", lambda *args, **kwargs: False
    )  # the other rename landed after the check
    id_name = "theme_id" if kind == "theme" else "item_id"
    response = post(client, endpoint, data={"name": taken.name, "description": ""}, **values, **{id_name: other.id})
    assert response.status_code == 200
    assert "with this name already exists" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(other), other.id).name == other.name


def test_a_month_saved_for_the_first_time_by_two_people_at_once_keeps_both_saves_in_order(app, monkeypatch):
    """The moment of a race, made certain: another request records the same priority's month between this
    save's look-up and its insert. The second save is applied to that row (as if one came after the
    other), never a 500 and never a second row for the month."""
    priority = PriorityFactory()
    month = date(2021, 11, 1)
    look_up = db.session.scalar
    others = []

    def look_up_then_someone_else_saves(*args, **kwargs):
        found = look_up(*args, **kwargs)
        if not others:
            others.append("saved")
            with db.engine.begin() as connection:
                connection.execute(
                    PriorityMonth.__table__.insert().values(
                        priority_id=priority.id, month=month, rag="red", board_update="Theirs"
                    )
                )
        return found

    monkeypatch.setattr(db.session, "scalar", look_up_then_someone_else_saves)
    row = plan_services.record_priority_month(priority, month, "green", "Ours")
    monkeypatch.undo()
    assert others == ["saved"]
    db.session.expire_all()
    rows = db.session.scalars(select(PriorityMonth).where(PriorityMonth.priority_id == priority.id)).all()
    assert [(r.rag, r.board_update) for r in rows] == [("green", "Ours")] and rows[0].id == row.id


def test_a_case_reference_added_by_someone_else_after_the_check_is_a_form_error_not_a_500(app, monkeypatch):
    client, _ = signed_in(app, Role.ADMIN)
    team = TeamFactory()
    data = {"case_reference": "CMS-2001", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id}
    assert post(client, "admin.case", data=data).status_code == 302
    monkeypatch.setattr(admin_services, "reference_taken", lambda *args, **kwargs: False)
    response = post(client, "admin.case", data=data)
    assert response.status_code == 200
    assert "A case with this reference already exists" in response.get_data(as_text=True)
    assert count(Case) == 1
