"""Creating a practice week and its schedule, "My practice week", the home panel and the demo weeks."""

import datetime as dt

from sqlalchemy import func, select

from audit_app.demo import seed_demo
from audit_app.extensions import db
from audit_app.models import Activity, ChangeLog, Observation, PracticeWeek, User
from audit_app.permissions import Role
from audit_app.practice_week import services
from tests.conftest import get, post, sign_in_as, text_of
from tests.factories import (
    ActivityFactory,
    ObservationFactory,
    PracticeWeekFactory,
    ServiceFactory,
    TeamFactory,
    user_with,
)


def new_week(client, title, first_day, last_day, focus, service_ids=None):
    """Post the new-week form: the days as (day, month) in 2021, as typed into the date boxes."""
    data = {"title": title, "starts_on": [*first_day, "2021"], "ends_on": [*last_day, "2021"], "focus": focus}
    if service_ids is not None:
        data["service_ids"] = service_ids
    return post(client, "practice_week.edit_week", data=data)


def test_a_qa_lead_creates_a_week_with_services_in_scope(app, client):
    mash, initial = ServiceFactory(name="MASH"), ServiceFactory(name="Initial Response")
    ServiceFactory(name="Care Leavers")
    qa = user_with(Role.QA_LEAD)
    sign_in_as(client, qa)
    response = new_week(
        client, "Second practice week", ("4", "10"), ("8", "10"), "Practice at the Front Door", [mash.id, initial.id]
    )
    assert response.status_code == 302
    week = db.session.scalar(select(PracticeWeek))
    assert (week.title, week.starts_on, week.ends_on) == (
        "Second practice week",
        dt.date(2021, 10, 4),
        dt.date(2021, 10, 8),
    )
    assert [s.name for s in week.services] == ["Initial Response", "MASH"]
    assert week.created_by_id == qa.id
    assert (
        db.session.scalar(
            select(ChangeLog.new_value).where(ChangeLog.record_type == "practice_week", ChangeLog.field == "services")
        )
        == "Initial Response, MASH"
    )
    page = text_of(client.get(response.headers["Location"]))
    assert "4–8 October 2021" in page and "Initial Response, MASH" in page


def test_week_form_errors_keep_what_was_typed(app, client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    response = new_week(client, "Third practice week", ("8", "10"), ("4", "10"), "Front Door")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and "The last day must be the same as or after the first day" in page
    assert 'value="Third practice week"' in page and 'value="Front Door"' in page
    response = post(
        client, "practice_week.edit_week", data={"title": "", "starts_on": ["31", "2", "2021"], "ends_on": ["", "", ""]}
    )
    page = response.get_data(as_text=True)
    assert "Enter a title" in page and "The first day of the week must be a real date" in page
    assert "Enter the last day of the week" in page
    assert db.session.scalar(select(func.count(PracticeWeek.id))) == 0


def test_a_qa_lead_books_an_observer_and_they_see_it_in_my_practice_week_in_order(app, client):
    week = PracticeWeekFactory(title="Second practice week")
    team = TeamFactory(name="MASH")
    manager = user_with(Role.SENIOR_MANAGER, display_name="Morgan Manager")
    user_with(Role.AUDITOR, display_name="Alex Auditor")
    sign_in_as(client, user_with(Role.QA_LEAD))
    form = get(client, "practice_week.activity", week_id=week.id).get_data(as_text=True)
    assert "Morgan Manager" in form and "Alex Auditor" not in form  # only senior managers and QA leads observe
    for day, at, activity_type in [("5", "14:00", "strategy_meeting"), ("4", "09.30", "mash_triage")]:
        response = post(
            client,
            "practice_week.activity",
            week_id=week.id,
            data={
                "day": [day, "10", "2021"],
                "at": at,
                "activity_type": activity_type,
                "team_id": team.id,
                "observer_id": manager.id,
                "description": "MASH daily triage",
                "status": "booked",
            },
        )
        assert response.status_code == 302
    first = db.session.scalar(select(Activity).order_by(Activity.starts_at))
    # 09:30 in the UK in October is 08:30 UTC.
    assert first.starts_at.replace(tzinfo=None) == dt.datetime(2021, 10, 4, 8, 30)

    refused = post(
        client, "practice_week.activity", week_id=week.id, data={"day": ["", "", ""], "at": "25:00", "observer_id": 0}
    )
    page = refused.get_data(as_text=True)
    assert "Enter the date of the activity" in page and "Enter the start time in 24-hour time" in page
    assert "Select the observer" in page and "Select the activity" in page

    mine = app.test_client()
    sign_in_as(mine, manager)
    text = text_of(get(mine, "practice_week.mine"))
    assert text.index("Mon 4 October, 09:30") < text.index("Tue 5 October, 14:00")
    assert "MASH triage" in text and "Record observation" in text
    home = text_of(get(mine, "main.home"))
    assert "My practice week" in home and "Mon 4 October, 09:30" in home


def test_schedule_changes_are_recorded_and_cancelled_bookings_leave_the_count(app, client):
    activity = ActivityFactory()
    sign_in_as(client, user_with(Role.QA_LEAD))
    response = post(
        client,
        "practice_week.activity",
        week_id=activity.week_id,
        activity_id=activity.id,
        data={
            "day": ["4", "10", "2021"],
            "at": "11:00",
            "activity_type": activity.activity_type,
            "team_id": 0,
            "observer_id": activity.observer_id,
            "status": "cancelled",
        },
    )
    assert response.status_code == 302
    assert services.progress(activity.week)["total"].booked == 0
    assert (
        db.session.scalar(
            select(ChangeLog.new_value).where(
                ChangeLog.record_type == "activity", ChangeLog.field == "status", ChangeLog.old_value == "booked"
            )
        )
        == "cancelled"
    )


def test_a_senior_manager_cannot_manage_weeks(app, client):
    week = PracticeWeekFactory()
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    assert get(client, "practice_week.edit_week", week_id=week.id).status_code == 403
    assert post(client, "practice_week.activity", week_id=week.id, data={}).status_code == 403
    page = get(client, "practice_week.week", week_id=week.id).get_data(as_text=True)
    assert "Add an activity" not in page and "The week&#39;s summary" in page


def test_drafts_by_others_stay_private_on_the_week_page(app, client):
    week = PracticeWeekFactory()
    ObservationFactory(week=week, status="draft", activity_type="shadowing")
    ObservationFactory(week=week, status="submitted", activity_type="cla_review")
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    text = text_of(get(client, "practice_week.week", week_id=week.id))
    assert "Child looked after review" in text and "Shadowing a practitioner" not in text


def test_demo_data_adds_two_practice_weeks_the_second_modelled_on_october(app):
    seed_demo("demo-password-2021")
    seed_demo("demo-password-2021")  # idempotent
    weeks = db.session.scalars(select(PracticeWeek).order_by(PracticeWeek.starts_on)).all()
    assert [w.title for w in weeks] == ["First practice week", "Second practice week"]
    october = weeks[1]
    assert (october.starts_on, october.ends_on) == (dt.date(2021, 10, 4), dt.date(2021, 10, 8))
    assert "Front Door" in october.focus
    manager = db.session.scalar(select(User).where(User.email == "manager@example.org"))
    by_manager = db.session.scalars(
        select(Observation).where(Observation.practice_week_id == october.id, Observation.observer_id == manager.id)
    ).all()
    assert {o.status for o in by_manager} == {"submitted", "draft"}
    assert services.comparison(october)["week"].title == "First practice week"
    wins = services.headline_quick_wins(october)
    assert any("MASH Guardian" in text for text, _, _ in wins)
    assert services.progress(october)["total"].booked == 11
