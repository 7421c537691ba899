"""Every GOV.UK date input (day, month, year boxes) in the service, posted with boxes missing, blank
or impossible: the page answers with the error summary and the field's own message, and keeps what
was typed in the boxes. Never a 500. Runs on SQLite and PostgreSQL."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Action, AuditProgramme, CaseAudit, FollowUp, PracticeWeek
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import path_for, sign_in_as
from tests.factories import (
    ActionFactory,
    AuditProgrammeFactory,
    CaseAuditFactory,
    CaseFactory,
    ObservationFactory,
    PlanFactory,
    PracticeWeekFactory,
    PriorityFactory,
    user_with,
)

# A follow-up's date field, how its error names it, and the record it makes (on an audit or an observation).
FOLLOW_UP_DUE = ("follow_up-due_date", "the date it must happen by", FollowUp)


def box(html: str, field: str, part: str) -> str:
    tag = re.search(rf'<input[^>]*id="{re.escape(field)}-{part}"[^>]*>', html)
    assert tag, f"no {part} box for {field}"
    return tag.group(0)


def box_value(html: str, field: str, part: str) -> str | None:
    """What the page shows in one box of a date input."""
    value = re.search(r'value="([^"]*)"', box(html, field, part))
    return value.group(1) if value else None


def boxes_in_error(html: str, field: str) -> tuple[str, ...]:
    return tuple(part for part in ("day", "month", "year") if "govuk-input--error" in box(html, field, part))


def setting(name, client):
    """(url, other form data, date field name, subject in messages, what must not have been saved)."""
    qa = user_with(Role.QA_LEAD, display_name="Quinn Lead")
    if name == "programme":
        version = seed_tool()
        sign_in_as(client, qa)
        data = {
            "name": "October 2021 monthly audit",
            "period_start": ["1", "10", "2021"],
            "period_end": ["31", "10", "2021"],
            "tool_version_id": version.id,
        }
        return path_for("programmes.new"), data, "due_date", "the date audits are due", AuditProgramme
    if name == "assignment":
        programme = AuditProgrammeFactory(tool_version=seed_tool())
        auditor = user_with(Role.AUDITOR)
        case = CaseFactory()
        sign_in_as(client, qa)
        return (
            path_for("programmes.programme", programme_id=programme.id),
            {"case_ids": [case.id], "auditor_id": auditor.id},
            "due_date",
            "the due date",
            CaseAudit,
        )
    if name in ("new_action", "edit_action"):
        priority = PriorityFactory(plan=PlanFactory(), number=1, title="Voice and influence of children")
        sign_in_as(client, qa)
        data = {
            "priority_id": f"priority-{priority.id}",
            "description": "Refresh the voice toolkit",
            "owner_id": str(qa.id),
        }
        if name == "new_action":
            return path_for("plan.new_action"), data, "due_date", "the due date", Action
        action = ActionFactory(priority=priority, owner=qa, due_date=date(2030, 1, 31))
        return path_for("plan.edit_action", action_id=action.id), data, "due_date", "the due date", None
    if name == "audit_follow_up":
        version = seed_tool()
        auditor = user_with(Role.AUDITOR)
        audit = CaseAuditFactory(
            tool_version=version,
            programme=AuditProgrammeFactory(tool_version=version),
            auditor=auditor,
            child_not_safe=True,
        )  # so the check page asks for a follow-up
        sign_in_as(client, auditor)
        data = {"follow_up-action_required": "See the child today", "follow_up-owner_id": qa.id}
        return path_for("audits.add_follow_up", audit_id=audit.id), data, *FOLLOW_UP_DUE
    if name == "observation_follow_up":
        manager = user_with(Role.SENIOR_MANAGER)
        observation = ObservationFactory(observer=manager, status="draft")
        sign_in_as(client, manager)

        def data():  # the observation's version moves on with every save
            db.session.refresh(observation)
            return {
                "version": observation.version,
                "follow_up-action_required": "See the child today",
                "follow_up-owner_id": qa.id,
            }

        return path_for("practice_week.observation", observation_id=observation.id), data, *FOLLOW_UP_DUE
    if name == "practice_week":
        sign_in_as(client, qa)
        data = {"title": "Third practice week", "starts_on": ["4", "10", "2021"]}
        return path_for("practice_week.edit_week"), data, "ends_on", "the last day of the week", PracticeWeek
    if name == "activity":
        week = PracticeWeekFactory(starts_on=date(2021, 10, 4), ends_on=date(2021, 10, 8))
        manager = user_with(Role.SENIOR_MANAGER)
        sign_in_as(client, qa)
        data = {"at": "14:00", "activity_type": "strategy_meeting", "observer_id": manager.id, "status": "booked"}
        return path_for("practice_week.activity", week_id=week.id), data, "day", "the date of the activity", None
    raise AssertionError(name)


FORMS = [
    "programme",
    "assignment",
    "new_action",
    "edit_action",
    "audit_follow_up",
    "observation_follow_up",
    "practice_week",
    "activity",
]

# (what is posted for the date, the message, what the three boxes show afterwards)
POSTS = [
    (None, "Enter {subject}", ("", "", "")),
    (["", "", ""], "Enter {subject}", ("", "", "")),
    (["31", "3"], "{Subject} must include a year", ("31", "3", "")),
    (["31"], "{Subject} must include a month and year", ("31", "", "")),
    (["31", "", "2022"], "{Subject} must include a month", ("31", "", "2022")),
    (["", "", "2022"], "{Subject} must include a day and month", ("", "", "2022")),
    (["31", "2", "2022"], "{Subject} must be a real date", ("31", "2", "2022")),
    (["thirty", "2", "2022"], "{Subject} must be a real date", ("thirty", "2", "2022")),
    (["1", "13", "2022"], "{Subject} must be a real date", ("1", "13", "2022")),
    (["1", "3", "22"], "{Subject} must be a real date", ("1", "3", "22")),
    (["1", "3", "99999999999999999999"], "{Subject} must be a real date", ("1", "3", "99999999999999999999")),
]


@pytest.mark.parametrize("form_name", FORMS)
def test_a_date_posted_with_boxes_missing_blank_or_impossible_is_explained_and_kept(app, client, form_name):
    url, data, field, subject, model = setting(form_name, client)
    before = db.session.scalar(select(func.count()).select_from(model)) if model else None
    for posted, message, boxes in POSTS:
        if form_name == "assignment" and message.startswith("Enter"):
            continue  # optional: left blank, the programme's due date is used
        body = data() if callable(data) else dict(data)
        if posted is not None:
            body[field] = posted
        response = client.post(url, data=body)
        html = response.get_data(as_text=True)
        expected = message.format(subject=subject, Subject=subject[0].upper() + subject[1:])
        assert response.status_code in (200, 400), (posted, response.status_code)
        assert "There is a problem" in html, posted
        summary = html.split('class="govuk-error-summary"')[1].split("</div>")[0]
        assert expected in summary, (posted, expected)
        assert f"Error:</span> {expected}" in html, (posted, expected)  # beside the boxes too
        assert tuple(box_value(html, field, part) or "" for part in ("day", "month", "year")) == boxes, posted
        missing = tuple(part for part, typed in zip(("day", "month", "year"), boxes) if not typed)
        in_error = missing if "must include" in expected else ("day", "month", "year")
        assert boxes_in_error(html, field) == in_error, posted
        # The summary links to the first box to correct, and the page has one element with that id.
        assert f'<a href="#{field}-{in_error[0]}">{expected}</a>' in html, posted
        assert len(re.findall(rf'id="{re.escape(field)}-{in_error[0]}"', html)) == 1, posted
    if model:
        assert db.session.scalar(select(func.count()).select_from(model)) == before


def test_a_whole_date_still_saves(app, client):
    url, data, field, _, _ = setting("edit_action", client)
    response = client.post(url, data={**data, field: [" 5 ", "04", "2031"]})
    assert response.status_code == 302
    assert db.session.scalar(select(Action.due_date)) == date(2031, 4, 5)


def test_cases_assigned_with_a_due_date_or_without_one(app, client):
    url, data, field, _, _ = setting("assignment", client)
    assert client.post(url, data={**data, field: ["", "", ""]}).status_code == 302
    programme_due = db.session.scalar(select(CaseAudit.due_date))
    db.session.execute(CaseAudit.__table__.delete())
    db.session.commit()
    assert client.post(url, data={**data, field: ["20", "11", "2021"]}).status_code == 302
    assert (programme_due, db.session.scalar(select(CaseAudit.due_date))) == (date(2021, 11, 15), date(2021, 11, 20))
