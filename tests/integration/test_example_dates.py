"""Date hints and errors give an example near today (two weeks on), never a date years in the past."""

from datetime import date, timedelta

from audit_app.dates import example_date
from audit_app.extensions import db
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import user_with
from tests.integration.test_audit_form import audit  # noqa: F401  (fixture)

OLD_EXAMPLES = ("27 10 2021", "1 10 2021", "31 10 2021", "15 11 2021", "31 3 2022", "4 10 2021", "8 10 2021")


def test_the_example_date_is_two_weeks_from_today():
    assert example_date(date(2026, 11, 26)) == "10 12 2026"
    soon = date.today() + timedelta(days=14)
    assert example_date() == f"{soon.day} {soon.month} {soon.year}"


def test_the_follow_up_date_hint_and_error_use_a_date_near_today(client, audit):  # noqa: F811
    audit.child_not_safe = True  # so the check page asks for a follow-up
    db.session.commit()
    sign_in_as(client, audit.auditor)
    page = get(client, "audits.check", audit_id=audit.id).text
    assert f"For example, {example_date()}" in page
    data = {"follow_up-action_required": "Visit the family.", "follow_up-due_date": ["", "", ""]}
    response = post(client, "audits.add_follow_up", audit_id=audit.id, data=data)
    text = response.text
    assert "Enter the date it must happen by" in text
    assert f"For example, {example_date()}" in text
    assert not any(old in page or old in text for old in OLD_EXAMPLES)


def test_programme_and_practice_week_date_hints_use_a_date_near_today(client):
    sign_in_as(client, user_with(Role.QA_LEAD, Role.SENIOR_MANAGER, Role.ADMIN))
    empty_dates = {name: ["", "", ""] for name in ("period_start", "period_end", "due_date")}
    programme = post(client, "programmes.new", data={"name": "December audit", **empty_dates}).text
    assert programme.count(f"For example, {example_date()}") == 3
    assert "Enter the start of the period" in programme
    assert "Enter the date audits are due" in programme
    week = get(client, "practice_week.edit_week").text
    assert week.count(f"For example, {example_date()}") == 2
    assert not any(old in programme or old in week for old in OLD_EXAMPLES)
