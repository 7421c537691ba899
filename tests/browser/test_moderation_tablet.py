"""Moderators on a tablet (768x1024): their home page and the moderation form's labels."""

import re
from datetime import UTC, datetime

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import CaseAudit, ModerationSample
from tests.browser.conftest import assert_accessible, open_as, sign_in
from tests.browser.test_audit_tablet import new_audit, submit_section


def test_a_moderators_own_audit_is_not_offered_to_them_on_their_home_page(page, live_app):
    audit_id, domains = new_audit(live_app, "manager@example.org")
    submit_section(live_app, audit_id, *domains[0], submitted_at=datetime(2019, 1, 2, 9, tzinfo=UTC))
    with live_app.app_context():  # in a sample, and older than anything other tests submit: first in anyone's list
        sample = db.session.scalars(select(ModerationSample)).first()
        sample.audits.append(db.session.get(CaseAudit, audit_id))
        reference = db.session.get(CaseAudit, audit_id).case.case_reference
        db.session.commit()
        db.session.remove()
    sign_in(page, "manager@example.org")
    panel = page.locator("section", has=page.get_by_role("heading", name="Audits awaiting moderation"))
    assert panel.is_visible()
    assert panel.get_by_role("link", name=f"Moderate the audit of {reference}").count() == 0
    assert "by Morgan Manager" not in panel.inner_text()
    assert_accessible(page, "a moderator's home page")
    page.get_by_role("button", name="Sign out").click()
    # Anyone else who moderates is offered it.
    sign_in(page, "qa@example.org")
    panel = page.locator("section", has=page.get_by_role("heading", name="Audits awaiting moderation"))
    assert panel.get_by_role("link", name=f"Moderate the audit of {reference}").is_visible()


def test_each_grade_on_the_moderation_form_names_its_question(page, live_app):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]  # Help at the right time and drift: two questions
    submit_section(live_app, audit_id, key, questions)
    open_as(page, "manager@example.org", "moderation.moderate", audit_id=audit_id)
    legends = [text.strip() for text in page.locator(".app-moderation-row fieldset legend").all_inner_texts()]
    assert legends == [
        "Your grade for Help at the right time and drift: “Did the child and family receive help at the right time?”",
        "Your grade for Help at the right time and drift: “Does the work progress without drift or delay?”",
        "Your overall grade",
    ]
    rationale = re.compile("Rationale for .*“Does the work progress without drift or delay\\?”")
    assert page.get_by_label(rationale).is_visible()
    assert_accessible(page, "moderation form")
