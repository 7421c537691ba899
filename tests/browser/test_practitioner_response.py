"""The worker's response on a tablet (768x1024): the worker sees a shared audit on their home page and
disagrees with one domain (JavaScript off), a moderator resolves it, and the worker sees the outcome."""

import re
from datetime import UTC, datetime

import pytest

from audit_app.extensions import db
from audit_app.models import Case, Team
from audit_app.permissions import Role
from audit_app.practitioners.services import share_audit
from tests.browser.conftest import assert_accessible, assert_touch_targets, sign_in
from tests.factories import CaseFactory, published_tool, submitted_audit, user_with

KEYS = ("browser_plans", "browser_visits")


@pytest.fixture
def shared_audit(live_app):
    """A submitted audit of a case allocated to the demo worker (SW2001), by an auditor who moderates nothing."""
    with live_app.app_context():
        team = db.session.scalar(db.select(Team).join(Case).where(Case.allocated_worker_ref == "SW2001").limit(1))
        case = CaseFactory(team=team, locality=team.locality, allocated_worker_ref="SW2001")
        audit = submitted_audit(
            published_tool(KEYS),
            dict(zip(KEYS, (2, 3))),
            overall=3,
            case=case,
            submitted_at=datetime.now(UTC),
            auditor=user_with(Role.AUDITOR),
        )
        share_audit(audit)
        db.session.commit()
        made = audit.id, case.case_reference
        db.session.remove()
    return made


def _check(page, what: str) -> None:
    assert_accessible(page, what)
    assert_touch_targets(page, what)


def test_the_worker_disagrees_a_moderator_resolves_and_the_worker_sees_the_outcome(page, page_without_js, shared_audit):
    audit_id, reference = shared_audit
    worker = page_without_js
    sign_in(worker, "worker@example.org")
    assert worker.get_by_role("link", name=reference).is_visible()
    _check(worker, "worker's home page")
    worker.get_by_role("link", name=reference).click()
    worker.get_by_role("link", name="Respond to this audit").click()
    _check(worker, "response form")

    # Disagree without a reason: the error summary says so and nothing chosen is lost.
    worker.get_by_label("What you take from this audit").fill("I will bring my analysis into supervision.")
    worker.locator('input[name="agreement_0"][value="agree"]').check()
    worker.locator('input[name="agreement_1"][value="disagree"]').check()
    worker.get_by_role("button", name="Send your response").click()
    assert (
        "Enter why you disagree with the grades for Browser visits"
        in worker.locator(".govuk-error-summary").inner_text()
    )
    assert worker.locator('input[name="agreement_1"][value="disagree"]').is_checked()
    assert (
        worker.get_by_label("What you take from this audit").input_value()
        == "I will bring my analysis into supervision."
    )
    _check(worker, "response form with an error")
    worker.locator("#reason_1").fill("The child was seen alone at every visit.")
    worker.get_by_role("button", name="Send your response").click()
    worker.wait_for_url(re.compile(rf"/audits/{audit_id}/view"))
    assert worker.get_by_text("Awaiting moderation").is_visible()
    worker.goto("/practitioners/my-audits")
    _check(worker, "the worker's shared audits")

    sign_in(page, "manager@example.org")
    page.get_by_role("link", name="All disagreements to resolve").click()
    _check(page, "disagreements to resolve")
    page.get_by_role("link", name=re.compile(f"Resolve.*{reference}")).click()
    _check(page, "resolution form")
    page.get_by_label("Change the grade").check()
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Your reason").fill("The visit notes show the child seen alone.")
    page.get_by_role("button", name="Record the resolution").click()
    page.get_by_text("Disagreement about Browser visits resolved").wait_for()

    worker.goto(f"/audits/{audit_id}/view")
    outcome = worker.locator("#response ~ dl").first.inner_text()
    assert "grade changed to Good" in outcome and "The visit notes show the child seen alone." in outcome
    _check(worker, "the audit with the outcome")


def test_the_team_manager_sees_their_teams_audits(page):
    sign_in(page, "teammanager@example.org")
    assert page.get_by_role("heading", name="Your team's audits").first.is_visible()
    page.goto("/practitioners/team-audits")
    assert page.get_by_text("Sam Social Worker").first.is_visible()
    _check(page, "the team's shared audits")
