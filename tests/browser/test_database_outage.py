"""While the database restarts, autosave answers 503: the page says so, keeps what was typed and saves
it by itself when the service is back (the server side is in tests/integration/test_database_outage.py)."""
import re

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_audits import audit_state, not_started_audits


def test_a_503_during_autosave_keeps_the_answer_says_so_and_retries_until_saved(page, live_app):
    audit_id, _, domains = not_started_audits(live_app, "auditor@example.org")[-1]
    key, questions = domains[2]
    question_id = next(q for q, kind in questions if kind == "grade")
    sign_in(page, "auditor@example.org")
    page.goto(f"/audits/{audit_id}/domains/{key}")
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
