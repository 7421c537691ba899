"""While the database restarts, autosave answers 503: the page says so, keeps what was typed and saves
it by itself when the service is back (the server side is in tests/integration/test_database_outage.py)."""

import re

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, User
from tests.browser.conftest import assert_accessible, open_as
from tests.browser.test_audits import audit_state
from tests.factories import CaseAuditFactory


def new_audit(live_app, email):
    """A not-started audit of the demo's published tool for the person: other tests use up the demo's."""
    with live_app.app_context():
        auditor = db.session.scalar(select(User).where(User.email == email))
        tool_version = db.session.scalar(select(CaseAudit).where(CaseAudit.auditor_id == auditor.id)).tool_version
        audit = CaseAuditFactory(auditor=auditor, tool_version=tool_version, status=AuditStatus.NOT_STARTED.value)
        domain = tool_version.domains[0]
        found = audit.id, domain.key, next(q.id for q in domain.questions if q.response_type == "grade")
        db.session.remove()
    return found


def test_a_503_during_autosave_keeps_the_answer_says_so_and_retries_until_saved(page, live_app):
    audit_id, key, question_id = new_audit(live_app, "auditor@example.org")
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    unavailable = {"left": 2}

    def database_restarting(route):
        if route.request.method == "POST" and unavailable["left"] > 0:
            unavailable["left"] -= 1
            route.fulfill(status=503, headers={"Retry-After": "30"}, body="Sorry, the service is unavailable")
        else:
            route.continue_()

    page.route(re.compile(rf"/audits/{audit_id}/domains/{key}$"), database_restarting)
    page.locator(f"#q{question_id}-evidence").fill("Typed while the database restarted.")
    status = page.locator("#autosave-status")
    status.get_by_text("the service is unavailable for a moment").wait_for()
    assert "Everything is still on this page. We will keep trying." in status.inner_text()
    assert page.locator(f"#q{question_id}-evidence").input_value() == "Typed while the database restarted."
    assert_accessible(page, "autosave while the service is unavailable")
    status.get_by_text(re.compile(r"Saved at")).wait_for(timeout=20000)  # retried after 2s, then 5s
    assert unavailable["left"] == 0
    _, judgements, _ = audit_state(live_app, audit_id)
    assert judgements[question_id][2] == "Typed while the database restarted."
