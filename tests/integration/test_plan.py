"""The improvement plan: actions and their effective RAG, links to what raised them, monthly RAG,
direction of travel, closing the loop and indicator imports."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Action, ActionLink, AuditStatus, ChangeLog, IndicatorValue, PlanMonth, Rag
from audit_app.permissions import Role
from audit_app.plan import services
from tests.conftest import get, path_for, post, sign_in_as, text_of
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    ObservationFactory,
    OutcomeFactory,
    PlanFactory,
    PriorityFactory,
    QuickWinFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

TODAY = date.today()


@pytest.fixture
def qa(app):
    return user_with(Role.QA_LEAD)


@pytest.fixture
def priority(app):
    return PriorityFactory(plan=PlanFactory(), number=1, title="Voice and influence of children")


# --- The effective RAG -----------------------------------------------------------------------


def test_an_open_action_past_its_due_date_is_red_in_python_and_sql(app, priority):
    overdue = ActionFactory(priority=priority, rag="green", due_date=TODAY - timedelta(days=1))
    due_today = ActionFactory(priority=priority, rag="amber", due_date=TODAY)
    finished_late = ActionFactory(priority=priority, rag="complete", due_date=TODAY - timedelta(days=30))

    assert (overdue.effective_rag, overdue.is_overdue) == ("red", True)
    assert (due_today.effective_rag, finished_late.effective_rag) == ("amber", "complete")
    plan = priority.plan
    red = [row.Action.id for row in services.actions(plan, services.ActionFilters(rag="red"))]
    green = [row.Action.id for row in services.actions(plan, services.ActionFilters(rag="green"))]
    assert red == [overdue.id] and green == []
    assert services.rag_counts(plan) == {"red": 1, "amber": 1, "complete": 1}


def test_an_overdue_action_shows_red_and_says_so_on_every_page_and_in_the_report(app, client, priority, qa):
    owner = user_with(Role.AUDITOR, display_name="Olive Owner")
    action = ActionFactory(
        priority=priority, owner=owner, rag="green", due_date=date(2021, 10, 5), description="Refresh the voice toolkit"
    )
    sign_in_as(client, qa)
    pages = {
        "action": path_for("plan.action", action_id=action.id),
        "actions": path_for("plan.actions"),
        "red filter": path_for("plan.actions", rag="red"),
        "priority": path_for("plan.priority", priority_id=priority.id),
        "board report": path_for("plan.board_report", month="2021-12"),
    }
    for name, url in pages.items():
        page = text_of(client.get(url))
        assert "Refresh the voice toolkit" in page, name
        assert "Red Overdue: due 5 October 2021 (entered as Green)" in page, name
    assert "Refresh the voice toolkit" not in text_of(get(client, "plan.actions", rag="green"))

    sign_in_as(client, owner)
    home = text_of(get(client, "main.home"))
    assert "My actions" in home and "Red Overdue: due 5 October 2021" in home


def test_my_actions_lists_the_owners_open_actions_overdue_first(app, client, priority):
    owner = user_with(Role.AUDITOR)
    ActionFactory(priority=priority, owner=owner, description="Due next month", due_date=TODAY + timedelta(days=30))
    ActionFactory(priority=priority, owner=owner, description="Long overdue", due_date=TODAY - timedelta(days=3))
    ActionFactory(priority=priority, owner=owner, description="Already done", rag="complete")
    ActionFactory(priority=priority, description="Someone else's")
    sign_in_as(client, owner)
    home = text_of(get(client, "main.home"))
    assert home.index("Long overdue") < home.index("Due next month")
    assert "Already done" not in home and "Someone else's" not in home


def test_someone_with_no_open_actions_has_no_my_actions_panel(app, client, priority):
    owner = user_with(Role.AUDITOR)
    ActionFactory(priority=priority, owner=owner, description="Already done", rag="complete")
    sign_in_as(client, owner)
    assert "My actions" not in text_of(get(client, "main.home"))


# --- Who may see and change actions ----------------------------------------------------------


def test_owners_see_and_update_their_own_actions_only(app, client, priority):
    owner, other = user_with(Role.AUDITOR), user_with(Role.AUDITOR)
    action = ActionFactory(priority=priority, owner=owner, rag="green")
    sign_in_as(client, other)
    assert get(client, "plan.action", action_id=action.id).status_code == 403
    assert post(client, "plan.action_progress", action_id=action.id, data={"rag": "amber"}).status_code == 403

    sign_in_as(client, owner)
    page = text_of(get(client, "plan.action", action_id=action.id))
    assert "Update progress" in page and "Change the action" not in page
    response = post(
        client,
        "plan.action_progress",
        action_id=action.id,
        data={"rag": "complete", "progress_note": "Toolkit relaunched."},
    )
    assert response.status_code == 302
    db.session.refresh(action)
    assert (action.rag, action.completed_on, action.progress_note) == ("complete", TODAY, "Toolkit relaunched.")
    history = text_of(get(client, "plan.action", action_id=action.id))
    assert "RAG Green Complete" in history


def test_a_senior_manager_reads_the_plan_but_cannot_change_it(app, client, priority):
    action = ActionFactory(priority=priority)
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    assert "Update progress" not in text_of(get(client, "plan.action", action_id=action.id))
    assert post(client, "plan.action_progress", action_id=action.id, data={"rag": "red"}).status_code == 403
    assert get(client, "plan.new_action").status_code == 403


# --- New actions keep what raised them -------------------------------------------------------


def _new_action_form(priority, owner, description="Do the thing"):
    return {
        "priority_id": f"priority-{priority.id}",
        "description": description,
        "owner_id": str(owner.id),
        "due_date": ["31", "3", "2022"],
    }


def test_a_theme_becomes_an_action_that_keeps_its_link(app, client, priority, qa):
    theme = ThemeFactory(name="Fathers and wider family")
    sign_in_as(client, qa)
    form = text_of(get(client, "plan.new_action", theme_id=theme.id))
    assert "Theme: Fathers and wider family" in form
    assert "Improve practice on fathers and wider family." in form  # the description, prefilled

    response = post(client, "plan.new_action", theme_id=theme.id, data=_new_action_form(priority, qa))
    assert response.status_code == 302, text_of(response)[:3000]
    action = db.session.scalar(select(Action))
    assert [(link.kind, link.source_id) for link in action.links] == [("theme", theme.id)]
    page = text_of(client.get(response.headers["Location"]))
    assert "Raised by Theme: Fathers and wider family" in page
    assert "Raised by Theme: Fathers and wider family" in page.split("History of changes")[1]


def test_a_quick_win_becomes_an_action_that_keeps_its_link(app, client, priority, qa):
    theme = ThemeFactory(name="Parental participation")
    quick_win = QuickWinFactory(text="Send parents the agenda the day before.", theme=theme)
    sign_in_as(client, qa)
    assert "Send parents the agenda the day before." in text_of(
        get(client, "plan.new_action", quick_win_id=quick_win.id)
    )
    post(client, "plan.new_action", quick_win_id=quick_win.id, data=_new_action_form(priority, qa))
    action = db.session.scalar(select(Action))
    assert [(link.kind, link.source_id) for link in action.links] == [("quick_win", quick_win.id)]
    page = text_of(get(client, "plan.action", action_id=action.id))
    assert "Quick win: Send parents the agenda the day before." in page
    assert "Theme: Parental participation" in page  # closing the loop through the quick win's theme


def test_an_audit_finding_becomes_an_action_that_keeps_its_links(app, client, priority, qa):
    version = published_tool(domain_keys=("voice_of_child",))
    audit = submitted_audit(version, {"voice_of_child": 4})
    judgement = audit.judgements[0]
    judgement.evidence = "No record of the child's wishes since March."
    db.session.commit()
    sign_in_as(client, qa)
    url = path_for("plan.new_action", judgement_id=judgement.id, audit_id=audit.id, domain_key="voice_of_child")
    form = text_of(client.get(url))
    assert f"Audit finding: Voice of child in the audit of {audit.case.case_reference}" in form
    assert "No record of the child's wishes since March." in form
    client.post(url, data=_new_action_form(priority, qa))
    action = db.session.scalar(select(Action))
    kinds = sorted((link.kind, link.source_id, link.source_key) for link in action.links)
    assert kinds == [
        ("audit", audit.id, None),
        ("domain", None, "voice_of_child"),
        ("judgement", judgement.id, "voice_of_child"),
    ]
    assert "Audit domain: Voice of child" in text_of(get(client, "plan.action", action_id=action.id))


def test_an_observation_link_is_kept(app, priority, qa):
    observation = ObservationFactory(needs_to_improve="Parents were not given the reports in advance.")
    action = services.create_action(priority, "Share reports", qa, TODAY, links={"observation_id": observation.id})
    assert [(link.kind, link.source_id) for link in action.links] == [("observation", observation.id)]
    with pytest.raises(ValueError):
        services.create_action(priority, "Nothing there", qa, TODAY, links={"theme_id": 999999})


def test_a_link_to_nothing_is_not_found(app, client, priority, qa):
    sign_in_as(client, qa)
    assert get(client, "plan.new_action", theme_id="999999").status_code == 404
    assert get(client, "plan.new_action", domain_key="no_such_domain").status_code == 404
    assert get(client, "plan.new_action", quick_win_id="abc").status_code == 404


def test_a_new_action_with_errors_keeps_what_was_typed(app, client, priority, qa):
    sign_in_as(client, qa)
    response = post(
        client,
        "plan.new_action",
        data={"priority_id": "", "description": "Typed carefully", "owner_id": "0", "due_date": ["31", "2", "2022"]},
    )
    page = text_of(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Select the priority or expected outcome this action is for" in page
    assert "The due date must be a real date" in page
    assert "Typed carefully" in page
    assert db.session.scalar(select(Action)) is None


def test_an_action_can_be_created_under_an_outcome(app, priority, qa):
    outcome = OutcomeFactory(priority=priority)
    action = services.create_action(outcome, " Trim me ", qa, TODAY + timedelta(days=1))
    assert (action.priority_id, action.outcome_id, action.description) == (priority.id, outcome.id, "Trim me")


# --- Monthly RAG, the overall RAG and history ------------------------------------------------


def test_each_priority_keeps_one_rag_and_update_per_month_with_history(app, client, priority, qa):
    sign_in_as(client, qa)
    form = text_of(get(client, "plan.priority_month", priority_id=priority.id, month="2021-11"))
    assert Rag.AMBER.definition in form and Rag.COMPLETE.definition in form
    assert "Update for the improvement board" in form and "Save the month's RAG and update" in form
    for rag in ("green", "amber"):
        post(
            client,
            "plan.priority_month",
            priority_id=priority.id,
            data={"month": "2021-11", "rag": rag, "board_update": f"Now {rag}"},
        )
    post(
        client,
        "plan.priority_month",
        priority_id=priority.id,
        data={"month": "2021-12", "rag": "red", "board_update": "Slipping"},
    )
    months = services.priority_history(priority)
    assert [(m.month, m.rag, m.board_update) for m in months] == [
        (date(2021, 12, 1), "red", "Slipping"),
        (date(2021, 11, 1), "amber", "Now amber"),
    ]
    page = text_of(get(client, "plan.priority", priority_id=priority.id, month="2021-11"))
    assert "RAG (November 2021) Green Amber" in page


def test_the_overall_rag_suggests_the_worst_priority_rag(app, client, priority, qa):
    plan = priority.plan
    second = PriorityFactory(plan=plan, number=2)
    month = date(2021, 12, 1)
    services.record_priority_month(priority, month, "green", None)
    services.record_priority_month(second, month, "amber", None)
    assert services.suggested_overall_rag(plan, month) == Rag.AMBER
    services.record_priority_month(second, month, "red", None)
    assert services.suggested_overall_rag(plan, month) == Rag.RED
    assert services.suggested_overall_rag(plan, date(2021, 11, 1)) is None

    sign_in_as(client, qa)
    page = get(client, "plan.plan_month", month="2021-12").get_data(as_text=True)
    assert re.search(r'value="red"\s+checked', page), "the worst priority RAG is preselected"
    post(
        client,
        "plan.plan_month",
        data={
            "month": "2021-12",
            "overall_rag": "amber",
            "key_achievements": "Front door timescales\nCAMHS agreement",
            "key_challenges": "Turnover",
        },
    )
    recorded = db.session.scalar(select(PlanMonth))
    assert (recorded.overall_rag, recorded.recorded_by_id) == ("amber", qa.id)
    report = text_of(get(client, "plan.board_report", month="2021-12"))
    assert "Front door timescales" in report and "CAMHS agreement" in report and "Turnover" in report


def test_a_rag_form_without_a_rating_shows_the_error_and_keeps_the_update(app, client, priority, qa):
    sign_in_as(client, qa)
    page = text_of(
        post(
            client,
            "plan.priority_month",
            priority_id=priority.id,
            data={"month": "2021-12", "board_update": "Kept text"},
        )
    )
    assert "There is a problem" in page and "Select a RAG rating" in page and "Kept text" in page


# --- Direction of travel ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "previous, latest, polarity, expected",
    [
        (77, 68, "higher", "Worsening"),
        (49, 60, "higher", "Improving"),
        (39, 31, "lower", "Improving"),
        (8, 12, "lower", "Worsening"),
        (410, 414, "neutral", "Up"),
        (20, 20, "lower", "No change"),
        (None, 5, "lower", "Not enough data"),
    ],
)
def test_direction_of_travel_takes_polarity_into_account(previous, latest, polarity, expected):
    assert services.direction_of_travel(previous, latest, polarity).text == expected


def test_the_scorecard_works_out_the_direction_from_the_last_two_months_with_figures(app):
    plan = PlanFactory()
    timely = IndicatorFactory(plan=plan, name="ICPCs within 15 days", polarity="higher")
    repeat = IndicatorFactory(plan=plan, name="Repeat referrals", polarity="lower")
    turnover = IndicatorFactory(plan=plan, name="Turnover rate", polarity="lower")
    for indicator, values in [
        (timely, {9: "65", 10: "50", 11: "49%", 12: "60%"}),
        (repeat, {9: "26", 10: "21", 11: "23", 12: "Data being developed"}),  # no December figure: Oct -> Nov
        (turnover, {12: "Data being developed"}),
    ]:
        for month, value in values.items():
            services.set_indicator_value(indicator, date(2021, month, 1), value)
    months, rows = services.indicator_table(plan, date(2021, 12, 1))
    assert months == [date(2021, m, 1) for m in (9, 10, 11, 12)]
    by_name = {row.indicator.name: row for row in rows}
    assert by_name["ICPCs within 15 days"].direction.text == "Improving"
    assert by_name["ICPCs within 15 days"].values[date(2021, 12, 1)] == "60%"
    assert by_name["Repeat referrals"].direction.text == "Worsening"
    assert by_name["Repeat referrals"].values[date(2021, 12, 1)] == "Data being developed"
    assert by_name["Turnover rate"].direction.text == "Not enough data"
    # As at November, the ICPC figure had fallen 50 -> 49: worsening.
    _, rows = services.indicator_table(plan, date(2021, 11, 1))
    assert {r.indicator.name: r.direction.text for r in rows}["ICPCs within 15 days"] == "Worsening"


# --- Indicator values: entered or imported ---------------------------------------------------


def upload_values(client, csv_text):
    """Upload a CSV of indicator values, as the import page's file box does."""
    data = {"file": (io.BytesIO(csv_text.encode()), "values.csv")}
    return post(client, "plan.import_indicators", data=data, content_type="multipart/form-data")


def test_an_indicator_csv_with_errors_imports_nothing_and_lists_each_row(app, client, qa):
    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan, name="% Care Leavers in EET")
    sign_in_as(client, qa)
    bad = "indicator,month,value\n% Care Leavers in EET,2021-11,49%\nNo such indicator,2021-12,5\n% Care Leavers in EET,December,50\n% Care Leavers in EET,2021-11,50\n"
    response = upload_values(client, bad)
    page = text_of(response)
    assert "Row 3: There is no indicator called 'No such indicator' in this plan" in page
    assert "Row 4: Month 'December' must be written like 2021-12" in page
    assert "Row 5: The same indicator and month are also on row 2" in page
    assert db.session.scalar(select(IndicatorValue)) is None

    good = "indicator,month,value\n% care leavers in eet,2021-11,49%\n% Care Leavers in EET,2021-12,50\n"
    response = upload_values(client, good)
    assert response.status_code == 302
    values = db.session.execute(select(IndicatorValue.month, IndicatorValue.value).order_by(IndicatorValue.month)).all()
    assert values == [(date(2021, 11, 1), Decimal("49.00")), (date(2021, 12, 1), Decimal("50.00"))]
    assert "Improving" in text_of(get(client, "plan.indicators", month="2021-12"))
    assert indicator.id


def test_an_indicator_value_is_entered_by_hand(app, client, qa):
    indicator = IndicatorFactory(plan=PlanFactory(), name="Average caseloads", unit="")
    sign_in_as(client, qa)
    page = text_of(
        post(client, "plan.indicator", indicator_id=indicator.id, data={"month": "2021-12", "value": "12abc"})
    )
    assert "'12abc' is not a number" in page
    post(client, "plan.indicator", indicator_id=indicator.id, data={"month": "2021-12", "value": "18.7"})
    assert "December 2021 18.7" in text_of(get(client, "plan.indicator", indicator_id=indicator.id))


# --- Closing the loop ------------------------------------------------------------------------


def _at(day):
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_closing_the_loop_compares_the_domain_before_the_action_and_since(app, client, priority, qa):
    version = published_tool(domain_keys=("voice_of_child", "visits"))
    started = date(2021, 10, 1)
    before = [4, 3, 3, 2]  # 1 of 4 Good or better
    since = [2, 2, 1, 3, 2]  # 4 of 5
    for grade in before:
        submitted_audit(version, {"voice_of_child": grade, "visits": 2}, submitted_at=_at(started - timedelta(days=10)))
    for grade in since:
        submitted_audit(version, {"voice_of_child": grade, "visits": 4}, submitted_at=_at(started + timedelta(days=10)))
    submitted_audit(version, {"voice_of_child": None}, submitted_at=_at(started))  # not graded: not counted
    action = services.create_action(
        priority, "Voice", qa, TODAY, links={"domain_key": "voice_of_child"}, started_on=started
    )

    [comparison] = services.closing_the_loop(action)
    assert (comparison.before.graded, comparison.before.good, comparison.before.good_share) == (4, 1, 25)
    assert (comparison.since.graded, comparison.since.good, comparison.since.good_share) == (5, 4, 80)
    assert comparison.before.small and comparison.since.small

    sign_in_as(client, qa)
    page = text_of(get(client, "plan.action", action_id=action.id))
    assert "25% (1 of n = 4)" in page and "80% (4 of n = 5)" in page
    assert "Caution: fewer than 10 graded judgements before and since the action started" in page


def test_closing_the_loop_counts_the_moderators_grade_as_the_theme_summary_does(app, priority, qa):
    theme = ThemeFactory(name="Voice of the child")
    version = published_tool(domain_keys=("voice_of_child",))
    started = date(2021, 10, 1)
    moderated = submitted_audit(version, {"voice_of_child": 4}, submitted_at=_at(started + timedelta(days=3)))
    moderated.judgements[0].themes = [theme]
    submitted_audit(version, {"voice_of_child": 3}, submitted_at=_at(started + timedelta(days=4)))  # not moderated
    moderated.status = AuditStatus.MODERATED.value
    ModeratedGradeFactory(moderation=ModerationFactory(audit=moderated), judgement=moderated.judgements[0], grade=2)
    db.session.commit()
    action = services.create_action(
        priority, "Voice", qa, TODAY, links={"domain_key": "voice_of_child", "theme_id": theme.id}, started_on=started
    )

    themed, domain = services.closing_the_loop(action)  # themes first, then audit domains
    assert (themed.is_theme, domain.is_theme) == (True, False)
    # The auditor said Inadequate; the moderator's Good counts. The other audit stays Requires improvement.
    assert (domain.since.graded, domain.since.good) == (2, 1)
    assert (themed.since.graded, themed.since.good, themed.since.audits_raising) == (1, 1, 1)


def test_closing_the_loop_for_a_theme_counts_how_often_it_was_raised(app, priority, qa):
    theme = ThemeFactory(name="Drift and delay")
    version = published_tool(domain_keys=("plans",))
    started = date(2021, 10, 1)
    for n in range(12):  # before: 12 audits, 6 raise the theme, graded 4 / 3 alternately
        audit = submitted_audit(version, {"plans": 4 if n % 2 else 3}, submitted_at=_at(started - timedelta(days=5)))
        if n % 2 == 0:
            audit.judgements[0].themes = [theme]
    for n in range(10):  # since: 10 audits, 2 raise it, both graded Good
        audit = submitted_audit(version, {"plans": 2}, submitted_at=_at(started + timedelta(days=5)))
        if n < 2:
            audit.judgements[0].themes = [theme]
    observation = ObservationFactory(observed_on=started + timedelta(days=1))
    observation.themes = [theme]
    ObservationFactory(observed_on=started - timedelta(days=1))
    db.session.commit()
    action = services.create_action(priority, "Drift", qa, TODAY, links={"theme_id": theme.id}, started_on=started)

    [comparison] = services.closing_the_loop(action)
    assert comparison.is_theme
    before, since = comparison.before, comparison.since
    assert (before.audits, before.audits_raising, before.graded, before.good) == (12, 6, 6, 0)
    assert (since.audits, since.audits_raising, since.graded, since.good_share) == (10, 2, 2, 100)
    assert (before.observations, before.observations_raising, since.observations, since.observations_raising) == (
        1,
        0,
        1,
        1,
    )
    assert before.small and since.small


def test_closing_the_loop_without_enough_judgements_is_not_flagged_when_n_is_large(app, priority, qa):
    version = published_tool(domain_keys=("visits",))
    started = date(2021, 10, 1)
    for _n in range(services.SMALL_N):
        submitted_audit(version, {"visits": 2}, submitted_at=_at(started - timedelta(days=3)))
        submitted_audit(version, {"visits": 3}, submitted_at=_at(started + timedelta(days=3)))
    action = services.create_action(priority, "Visits", qa, TODAY, links={"domain_key": "visits"}, started_on=started)
    [comparison] = services.closing_the_loop(action)
    assert (comparison.before.good_share, comparison.since.good_share) == (100, 0)
    assert not comparison.before.small and not comparison.since.small


# --- Every change is recorded ----------------------------------------------------------------


def test_changing_an_action_is_recorded_with_old_and_new_values(app, client, priority, qa):
    action = ActionFactory(priority=priority, owner=qa, due_date=date(2030, 1, 31))
    old_description = action.description
    sign_in_as(client, qa)
    data = _new_action_form(priority, qa, description="A clearer description")
    post(client, "plan.edit_action", action_id=action.id, data=data)
    changes = db.session.execute(
        select(ChangeLog.field, ChangeLog.old_value, ChangeLog.new_value, ChangeLog.user_id)
        .where(
            ChangeLog.record_type == "action",
            ChangeLog.record_id == action.id,
            ChangeLog.field.in_(["description", "due_date"]),
        )
        .order_by(ChangeLog.id)
    ).all()
    assert changes[-2:] == [
        ("description", old_description, "A clearer description", qa.id),
        ("due_date", "2030-01-31", "2022-03-31", qa.id),
    ]
    assert db.session.scalar(select(ActionLink)) is None


# --- CSRF ------------------------------------------------------------------------------------


def test_plan_forms_refuse_a_post_without_the_csrf_token(csrf_app, priority, qa):
    client = csrf_app.test_client()
    sign_in_as(client, qa)
    action = ActionFactory(priority=priority, owner=qa)
    for url, data in [
        (path_for("plan.new_action"), _new_action_form(priority, qa)),
        (path_for("plan.action_progress", action_id=action.id), {"rag": "red"}),
        (path_for("plan.priority_month", priority_id=priority.id), {"month": "2021-12", "rag": "red"}),
        (path_for("plan.plan_month"), {"month": "2021-12", "overall_rag": "red"}),
    ]:
        assert client.post(url, data=data).status_code == 400, url
    db.session.refresh(action)
    assert action.rag == "green"
    assert db.session.scalar(select(PlanMonth)) is None


# --- Issue 12: the month the plan opens on, and a month's report judged at that month's end ------------------


def test_the_plan_opens_on_the_latest_month_with_anything_recorded(app, client, priority, qa):
    plan = priority.plan  # September 2021 to March 2022
    db.session.add(PlanMonth(plan_id=plan.id, month=date(2021, 10, 1), overall_rag="amber"))
    ActionFactory(priority=priority, started_on=date(2021, 9, 20))
    db.session.commit()
    sign_in_as(client, qa)
    assert "Progress update – October 2021" in text_of(get(client, "plan.index"))

    # A priority's RAG for December, with no overall RAG yet, is data: the plan opens there.
    services.record_priority_month(priority, date(2022, 1, 1), "green", "On track.")
    db.session.commit()
    assert "Progress update – January 2022" in text_of(get(client, "plan.index"))
    # Nothing outside the plan's months moves it (an action finished long after the plan ended).
    ActionFactory(priority=priority, rag="complete", completed_on=date(2026, 1, 5))
    db.session.commit()
    assert "Progress update – January 2022" in text_of(get(client, "plan.index"))


def test_a_months_board_report_judges_overdue_at_the_end_of_that_month_not_today(app, client, priority, qa):
    ActionFactory(priority=priority, rag="green", due_date=date(2021, 12, 14), description="Due in December")
    ActionFactory(priority=priority, rag="amber", due_date=date(2021, 11, 2), description="Due in November")
    ActionFactory(
        priority=priority,
        rag="complete",
        due_date=date(2021, 11, 20),
        completed_on=date(2022, 2, 1),
        description="Finished late in February",
    )
    sign_in_as(client, qa)
    november = text_of(get(client, "plan.board_report", month="2021-11"))
    assert re.search(r"Due in December Person \d+ 14 December 2021 Green", november)
    assert "Overdue: due 14 December 2021" not in november
    assert "Red Overdue: due 2 November 2021 (entered as Amber)" in november
    assert "Red Overdue: due 20 November 2021 (entered as Complete)" in november  # still open at the end of November
    march = text_of(get(client, "plan.board_report", month="2022-03"))
    assert "Red Overdue: due 14 December 2021 (entered as Green)" in march
    assert "Overdue: due 20 November 2021" not in march  # complete by then
    # Today's pages still judge against today.
    assert "Red Overdue: due 14 December 2021" in text_of(get(client, "plan.actions"))
