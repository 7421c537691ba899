"""Weak evidence no theme covers, on a tablet: naming an emerging theme, and tagging untagged evidence with
htmx and without JavaScript. Each test puts its own evidence in a quarter the demo does not use."""

import itertools
from datetime import UTC, datetime

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import CaseAudit, Team
from tests.browser.conftest import assert_accessible, assert_touch_targets, goto, open_as, sign_in
from tests.factories import CaseAuditFactory, CaseFactory, JudgementFactory
from tests.integration.test_emerging_themes import DRIFT, FATHERS

_references = itertools.count(1)


def weak_evidence(live_app, texts, when: datetime) -> None:
    """Submitted audits of the demo tool with one judgement each that requires improvement, untagged."""
    with live_app.app_context():
        version = db.session.scalars(select(CaseAudit).order_by(CaseAudit.id)).first().tool_version
        domain = next(d for d in version.domains if not d.case_types)
        question = next(q for q in domain.questions if q.response_type == "grade" and not q.case_types)
        team = db.session.scalars(select(Team)).first()
        for text in texts:
            case = CaseFactory(case_reference=f"EMG{next(_references):05d}", team=team)
            audit = CaseAuditFactory(case=case, tool_version=version, status="submitted", submitted_at=when)
            JudgementFactory(audit=audit, question=question, domain_key=domain.key, grade=3, evidence=text)
        db.session.remove()


def test_a_qa_lead_names_an_emerging_theme_on_a_tablet(page, live_app):
    weak_evidence(live_app, FATHERS + DRIFT, datetime(2019, 2, 12, 10, tzinfo=UTC))
    open_as(page, "qa@example.org", "themes.emerging_themes", period="2019-Q1")
    assert page.locator(".app-candidate").count() == 2
    assert_accessible(page, "emerging themes")
    assert_touch_targets(page, "emerging themes")
    fathers = page.locator(".app-candidate").filter(has_text="father")
    fathers.get_by_role("link", name="Name this theme and tag its evidence").click()
    page.wait_for_url(lambda url: "/themes/emerging/" in url)
    assert page.locator("input[name=member]:checked").count() == 6
    assert_accessible(page, "naming an emerging theme")
    assert_touch_targets(page, "naming an emerging theme")
    page.get_by_label("Name of the new theme").fill("Fathers' views in assessments")
    page.get_by_role("button", name="Add the theme and tag the evidence ticked").click()
    assert page.get_by_text("Added the theme Fathers' views in assessments and tagged 6 records with it.").is_visible()
    assert page.locator(".app-candidate").filter(has_text="father").count() == 0


def test_untagged_evidence_is_tagged_in_place_with_htmx_and_without_javascript(page, page_without_js, live_app):
    weak_evidence(live_app, DRIFT[:2], datetime(2019, 5, 14, 10, tzinfo=UTC))
    open_as(page, "qa@example.org", "themes.untagged", period="2019-Q2")
    assert page.locator(".app-review-item").count() == 2
    assert_accessible(page, "untagged evidence")
    assert_touch_targets(page, "untagged evidence")
    page.evaluate("window.stillTheSamePage = true")
    first = page.locator(".app-review-item select").first
    first.select_option(label=first.locator("option").nth(1).inner_text())
    with page.expect_response(lambda r: "/themes/untagged" in r.url and r.request.method == "POST"):
        page.get_by_role("button", name="Save these decisions").click()
    assert page.get_by_role("status").filter(has_text="Tagged 1 record.").is_visible()
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by htmx, not reloaded
    assert page.locator(".app-review-item").count() == 1

    plain = page_without_js
    sign_in(plain, "qa@example.org")
    goto(plain, "themes.untagged", period="2019-Q2")
    select = plain.locator(".app-review-item select").first
    select.select_option(label=select.locator("option").nth(1).inner_text())
    plain.get_by_role("button", name="Save these decisions").click()
    assert plain.get_by_text("Tagged 1 record.").is_visible()
    assert plain.get_by_text("Nothing to review").is_visible()
