"""Themes suggested while writing evidence, on a tablet (768x1024): in the audit form and the observation
form the status region suggests themes with the words behind them, and a press ticks the theme's box."""

import itertools

from playwright.sync_api import expect
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Judgement, Observation, PracticeWeek, Team, User
from audit_app.models.practice_week import ObservationStatus
from tests.browser.conftest import assert_accessible, assert_touch_targets, open_as
from tests.browser.test_audit_tablet import new_audit
from tests.browser.test_audits import wait_until_saved
from tests.factories import ObservationFactory

_made = itertools.count(1)


def suggestion_response(page):
    return page.expect_response(lambda r: r.url.endswith("/themes/suggest") and r.request.method == "POST")


def test_typing_evidence_in_the_audit_form_suggests_themes_and_a_press_ticks_one(page, live_app):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]
    question_id = next(q for q, kind in questions if kind != "text")
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    region = page.locator(f"#q{question_id}-theme-suggestions")
    expect(region).to_be_empty()
    with suggestion_response(page):
        page.locator(f"#q{question_id}-evidence").fill("No evidence of the child's voice on the file for months.")
    expect(region).to_contain_text("because of “voice”")
    box = page.locator(f'input[name="q{question_id}-themes"]').and_(page.get_by_label("Voice of the child"))
    expect(box).not_to_be_checked()  # suggested, never ticked for the person
    assert_accessible(page, "audit form with suggestions")
    assert_touch_targets(page, "audit form with suggestions")
    region.get_by_role("button", name="Tick Voice of the child").click()
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    wait_until_saved(page)
    with suggestion_response(page):
        page.locator(f"#q{question_id}-evidence").fill("Case notes are typed promptly.")
    expect(region).to_be_empty()  # nothing to suggest: no box at all
    expect(box).to_be_checked()  # and what the person ticked stays ticked
    with live_app.app_context():
        judgement = db.session.scalar(
            select(Judgement).where(Judgement.audit_id == audit_id, Judgement.question_id == question_id)
        )
        assert [t.name for t in judgement.themes] == ["Voice of the child"]
        db.session.remove()


def new_observation(live_app, email="qa@example.org") -> int:
    """A draft observation of the person's own (the demo's bookings are left to the other browser tests)."""
    with live_app.app_context():
        observation = ObservationFactory(
            week=db.session.scalars(select(PracticeWeek).order_by(PracticeWeek.id)).first(),
            observer=db.session.scalar(select(User).where(User.email == email)),
            team=db.session.scalars(select(Team).order_by(Team.id)).first(),
            status=ObservationStatus.DRAFT.value,
            working_well=f"Suggestions test {next(_made)}",
        )
        observation_id = observation.id
        db.session.remove()
    return observation_id


def test_typing_what_needs_to_improve_in_an_observation_suggests_themes_and_a_press_ticks_one(page, live_app):
    observation_id = new_observation(live_app)
    open_as(page, "qa@example.org", "practice_week.observation", observation_id=observation_id)
    region = page.locator("#observation-theme-suggestions")
    with suggestion_response(page):
        page.get_by_label("What needs to improve").fill("Mum disclosed domestic abuse; no MARAC referral was made.")
    expect(region).to_contain_text("Domestic abuse practice")
    themes = page.get_by_role("group", name="Which themes did this activity show?")
    expect(themes.get_by_label("Domestic abuse practice")).not_to_be_checked()
    assert_accessible(page, "observation form with suggestions")
    region.get_by_role("button", name="Tick Domestic abuse practice").click()
    expect(themes.get_by_label("Domestic abuse practice")).to_be_checked()
    wait_until_saved(page)
    assert saved_themes(live_app, observation_id) == ["Domestic abuse practice"]


def saved_themes(live_app, observation_id):
    with live_app.app_context():
        names = [t.name for t in db.session.get(Observation, observation_id).themes]
        db.session.remove()
    return names
