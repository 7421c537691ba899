"""The week's summary: every figure checked against data created here."""

import datetime as dt

import pytest

from audit_app.extensions import db
from audit_app.models import AuditStatus
from audit_app.permissions import Role
from audit_app.practice_week import services
from tests.conftest import get, sign_in_as, text_of
from tests.factories import (
    ActivityFactory,
    LensJudgementFactory,
    ObservationFactory,
    PracticeWeekFactory,
    QuickWinFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)


def observe(week, observer, activity_type, grades, *, activity=None, status="submitted", notes=None, **kwargs):
    observation = ObservationFactory(
        week=week, observer=observer, activity=activity, activity_type=activity_type, status=status, **kwargs
    )
    for lens, grade in grades.items():
        LensJudgementFactory(
            observation=observation, lens=lens, grade=grade, note=(notes or {}).get(lens, f"Note on {lens}")
        )
    return observation


@pytest.fixture
def week_people():
    """The May and October weeks, their two observers and two themes."""
    may = PracticeWeekFactory(title="First practice week", starts_on=dt.date(2021, 5, 17), ends_on=dt.date(2021, 5, 21))
    october = PracticeWeekFactory(
        title="Second practice week", starts_on=dt.date(2021, 10, 4), ends_on=dt.date(2021, 10, 8)
    )
    morgan = user_with(Role.SENIOR_MANAGER, display_name="Morgan Manager")
    quinn = user_with(Role.QA_LEAD, display_name="Quinn QA Lead")
    voice, theme_mo = ThemeFactory(name="Voice of the child"), ThemeFactory(name="Management oversight")
    return may, october, morgan, quinn, voice, theme_mo


@pytest.fixture
def may_observations(week_people):
    """May: voice of the child 1 of 2 good or better; management oversight 0 of 2."""
    may, _, morgan, quinn, voice, _ = week_people
    observe(may, morgan, "strategy_meeting", {"voice_of_child": 2, "management_oversight": 3})
    first = observe(may, quinn, "icpc", {"voice_of_child": 3, "management_oversight": 4})
    QuickWinFactory(observation=first, text="Share reports with parents early", theme=voice)


@pytest.fixture
def october_bookings(week_people, may_observations):
    """Five bookings in October: three observed, one still booked, one cancelled."""
    _, october, morgan, quinn, _, _ = week_people

    def book(observer, activity_type, hour, status):
        starts_at = dt.datetime(2021, 10, 4, hour, 0, tzinfo=dt.UTC)
        return ActivityFactory(
            week=october, observer=observer, activity_type=activity_type, status=status, starts_at=starts_at
        )

    observed = book(morgan, "strategy_meeting", 9, "observed"), book(morgan, "strategy_meeting", 11, "observed")
    observed += (book(quinn, "mash_triage", 10, "observed"),)
    book(quinn, "icpc", 14, "booked")
    book(morgan, "icpc", 15, "cancelled")
    return observed


@pytest.fixture
def october_observations(week_people, october_bookings):
    """The three observed bookings' submitted observations, and a draft that never counts."""
    _, october, morgan, quinn, _, _ = week_people
    a1, a2, a3 = october_bookings
    lenses = ("voice_of_child", "management_oversight", "safety_planning")
    s1 = observe(
        october,
        morgan,
        "strategy_meeting",
        dict(zip(lenses, (2, 4, None))),
        activity=a1,
        working_well="Police and school shared information promptly.",
        needs_to_improve="No clear next steps from the chair.",
    )
    s2_notes = {"management_oversight": "No timescales were set."}
    s2 = observe(october, morgan, "strategy_meeting", dict(zip(lenses, (1, 3, 2))), activity=a2, notes=s2_notes)
    m1 = observe(october, quinn, "mash_triage", dict(zip(lenses, (3, 2, None))), activity=a3)
    observe(october, quinn, "icpc", {"voice_of_child": 4, "management_oversight": 4}, status="draft")
    return s1, s2, m1


@pytest.fixture
def october_quick_wins(week_people, october_observations):
    _, _, _, _, voice, theme_mo = week_people
    s1, s2, m1 = october_observations
    QuickWinFactory(observation=s1, text="Business support for strategy meeting chairs", theme=theme_mo)
    QuickWinFactory(observation=s2, text="Business support for strategy meeting chairs", theme=theme_mo)
    QuickWinFactory(observation=m1, text="Record the child's words in every contact", theme=voice)
    QuickWinFactory(observation=m1, text="MASH Guardian access for the Emergency Duty Service")


@pytest.fixture
def october_record_audits(week_people, october_quick_wins):
    """A record audit during the week counts as 'record audit' activity; domains outside the lenses do not.
    A record audit still in progress does not count."""
    october = week_people[1]
    tool = published_tool(domain_keys=("voice_of_child", "management_oversight", "timeliness"))
    submitted_audit(
        tool,
        {"voice_of_child": 2, "management_oversight": 3, "timeliness": 4},
        practice_week_id=october.id,
        strengths="The child was seen alone.",
    )
    draft_audit = submitted_audit(tool, {"voice_of_child": 4}, practice_week_id=october.id)
    draft_audit.status = AuditStatus.IN_PROGRESS.value
    db.session.commit()


@pytest.fixture
def weeks(week_people, october_observations, october_record_audits):
    """Two weeks. May: two observations. October: four bookings by two observers (three observed,
    one still booked, one more cancelled), three submitted observations, one draft, one record audit."""
    may, october = week_people[:2]
    s1, _, m1 = october_observations
    return {"may": may, "october": october, "s1": s1, "m1": m1}


def test_progress_counts_observed_against_booked_by_observer_and_activity(app, weeks):
    progress = services.progress(weeks["october"])
    assert (progress["total"].observed, progress["total"].booked, progress["total"].percent) == (3, 4, 75)
    assert progress["cancelled"] == 1
    assert [(r.label, r.observed, r.booked) for r in progress["by_observer"]] == [
        ("Morgan Manager", 2, 2),
        ("Quinn QA Lead", 1, 2),
    ]
    assert [(r.label, r.observed, r.booked) for r in progress["by_type"]] == [
        ("Strategy meeting", 2, 2),
        ("Initial child protection conference", 0, 1),
        ("MASH triage", 1, 1),
    ]
    assert progress["submitted_observations"] == 3
    assert progress["draft_observations"] == 1
    assert progress["record_audits"] == 1


def test_each_lens_spread_by_activity_type_counts_submitted_judgements_and_record_audits(app, weeks):
    spread = services.lens_spread(weeks["october"])
    assert list(spread["by_type"]) == ["strategy_meeting", "mash_triage", "record_audit"]
    strategy = spread["by_type"]["strategy_meeting"]
    assert strategy["voice_of_child"].counts == {1: 1, 2: 1, 3: 0, 4: 0}
    assert strategy["management_oversight"].counts == {1: 0, 2: 0, 3: 1, 4: 1}
    assert (strategy["safety_planning"].counts[2], strategy["safety_planning"].not_observed) == (1, 1)
    assert strategy["voice_of_child"].good_pct == 100
    mash = spread["by_type"]["mash_triage"]
    assert mash["voice_of_child"].counts[3] == 1 and mash["management_oversight"].counts[2] == 1
    assert mash["safety_planning"].not_observed == 1
    audit = spread["by_type"]["record_audit"]
    assert audit["voice_of_child"].counts[2] == 1 and audit["management_oversight"].counts[3] == 1
    assert "timeliness" not in audit
    by_lens = spread["by_lens"]
    # Voice of the child: 1, 2 (strategy), 3 (MASH), 2 (audit); the draft's 4 is left out.
    assert by_lens["voice_of_child"].counts == {1: 1, 2: 2, 3: 1, 4: 0}
    assert (by_lens["voice_of_child"].good_or_better, by_lens["voice_of_child"].graded) == (3, 4)
    assert by_lens["management_oversight"].counts == {1: 0, 2: 1, 3: 2, 4: 1}
    assert by_lens["safety_planning"].not_observed == 2


def test_strengths_and_areas_for_improvement_quote_the_notes(app, weeks):
    found = services.findings(weeks["october"])
    strategy = found["strategy_meeting"]
    assert [q.text for q in strategy["strengths"]] == ["Police and school shared information promptly."]
    assert [q.text for q in strategy["improvements"]] == ["No clear next steps from the chair."]
    oversight = strategy["lenses"]["management_oversight"]
    assert {q.text for q in oversight["improvements"]} == {"No timescales were set.", "Note on management_oversight"}
    assert oversight["strengths"] == []
    assert [q.text for q in found["record_audit"]["strengths"]] == ["The child was seen alone."]


def test_quick_wins_are_grouped_by_theme_and_counted(app, weeks):
    groups = services.quick_win_groups(weeks["october"])
    assert [(g.name, g.count) for g in groups] == [
        ("Management oversight", 2),
        ("Voice of the child", 1),
        ("Not linked to a theme", 1),
    ]
    assert [q.text for q in groups[0].items] == ["Business support for strategy meeting chairs"] * 2
    distinct = services.headline_quick_wins(weeks["october"])
    assert distinct[0] == ("Business support for strategy meeting chairs", "Management oversight", 2)
    assert len(distinct) == 3


def test_comparison_with_the_previous_week(app, weeks):
    comparison = services.comparison(weeks["october"])
    assert comparison["week"].title == "First practice week"
    rows = {r.label: r for r in comparison["rows"]}
    voice = rows["Voice of the child"]
    assert (voice.last_week.good_or_better, voice.last_week.graded, voice.last_week.good_pct) == (1, 2, 50)
    assert (voice.this_week.good_or_better, voice.this_week.graded, voice.this_week.good_pct) == (3, 4, 75)
    assert voice.change == 25
    oversight = rows["Management oversight and direction"]
    assert (oversight.last_week.good_pct, oversight.this_week.good_pct, oversight.change) == (0, 25, 25)
    assert comparison["observations"] == (3, 2)
    assert comparison["quick_wins"] == (4, 1)
    # All lenses: May 1 of 4; October voice 3/4 + oversight 1/4 + safety 1/1 = 5 of 9.
    assert (comparison["overall"].last_week.good_pct, comparison["overall"].this_week.good_pct) == (25, 56)
    assert services.comparison(weeks["may"]) is None


def test_summary_page_shows_the_figures(app, client, weeks):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    page = get(client, "practice_week.summary", week_id=weeks["october"].id)
    assert page.status_code == 200
    text = text_of(page)
    assert "3 of 4 booked activities observed (75%)" in text
    assert (
        "3 observations submitted, 1 in draft, 1 record audits completed during the week, 1 bookings cancelled" in text
    )
    assert "Final" in text  # the week is over
    assert "Management oversight 2 suggested" in text
    assert "Voice of the child 1 2 1 0 0 3 of 4 (75%)" in text  # all activities: 1 outstanding, 2 good, 1 RI
    assert "Voice of the child 50% of 2 75% of 4 +25 points" in text
    assert "Quick wins suggested 1 4 +3" in text
    assert "No timescales were set." in text


def test_headline_findings_follow_the_seed_layout(app, client, weeks):
    sign_in_as(client, user_with(Role.QA_LEAD))
    text = text_of(get(client, "practice_week.headline_findings", week_id=weeks["october"].id))
    assert "Second practice week took place 4–8 October 2021" in text
    assert "Three quick wins" in text
    assert "Business support for strategy meeting chairs (suggested 2 times)" in text
    assert (
        "Strategy meeting: 3 of 5 judgements good or better. Good practice in voice of the child and safety planning. "
        "Management oversight and direction requires improvement."
    ) in text


def test_the_summary_is_live_during_the_week(app, client):
    today = dt.date.today()
    week = PracticeWeekFactory(starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=3))
    assert not services.is_final(week)
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    text = text_of(get(client, "practice_week.summary", week_id=week.id))
    assert "Live" in text and "0 of 0 booked activities observed" in text
    assert "This is the first practice week" in text


def test_findings_link_to_the_improvement_plan_once_it_exists(app, client, weeks):
    sign_in_as(client, user_with(Role.QA_LEAD))
    html = get(client, "practice_week.summary", week_id=weeks["october"].id).get_data(as_text=True)
    has_plan = "plan.new_action" in app.view_functions
    assert ("Raise as an improvement-plan action" in html) == has_plan
    if has_plan:
        assert "quick_win_id=" in html and f"observation_id={weeks['s1'].id}" in html
