"""Auditors on a tablet (768x1024): the seeded tool completed with autosave, a reload in the middle
losing nothing, the connection dropping, evidence pasted over its limit kept and flagged, and the same
audit completed with JavaScript off."""

import re
from contextlib import contextmanager

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, User
from tests.browser.conftest import assert_accessible, goto, live_path, open_as, sign_in

EVIDENCE = "Assessment updated after the strategy meeting; child seen alone on 4 October."


def not_started_audits(live_app, email):
    """The ids, and each page's questions, of the person's not-started demo audits."""
    with live_app.app_context():
        audits = db.session.scalars(
            select(CaseAudit)
            .join(User, CaseAudit.auditor_id == User.id)
            .where(User.email == email, CaseAudit.status == AuditStatus.NOT_STARTED.value)
            .order_by(CaseAudit.id)
        ).all()
        result = [
            (
                a.id,
                a.case.case_reference,
                [(d.key, [(q.id, q.response_type) for q in d.questions]) for d in a.tool_version.domains],
            )
            for a in audits
        ]
        db.session.remove()
    return result


def audit_state(live_app, audit_id):
    with live_app.app_context():
        audit = db.session.get(CaseAudit, audit_id)
        state = (
            audit.status,
            {j.question_id: (j.grade, j.answer, j.evidence) for j in audit.judgements},
            audit.overall_grade,
        )
        db.session.remove()
    return state


def answer_page(page, questions, grade="2"):
    for question_id, kind in questions:
        if kind == "grade":
            page.locator(f'input[name="q{question_id}-grade"][value="{grade}"]').check()
        elif kind == "yes_no":
            page.locator(f'input[name="q{question_id}-answer"][value="yes"]').check()
        else:
            page.locator(f"#q{question_id}-text").fill("An answer")
            continue
        page.locator(f"#q{question_id}-evidence").fill(EVIDENCE)


def wait_until_saved(page):
    page.wait_for_timeout(1200)  # autosave waits for a 1 second pause in typing
    page.wait_for_function("() => !document.querySelector('form[data-autosave]').hasAttribute('aria-busy')")
    status = page.locator("#autosave-status")
    status.get_by_text(re.compile(r"Saved at \d\d:\d\d")).wait_for()


def test_auditor_completes_the_seeded_tool_with_autosave_and_a_reload_loses_nothing(page, live_app):
    page.on("dialog", lambda dialog: dialog.accept())
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[0]
    open_as(page, "auditor@example.org", "audits.my_audits")
    assert_accessible(page, "My audits")
    # The link to this audit (the same case may also be listed with an earlier, submitted audit of it).
    page.locator(f'a[href="{live_path("audits.task_list", audit_id=audit_id)}"]').click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit of {reference}"
    assert_accessible(page, "task list")
    page.get_by_role("link", name=re.compile("Help at the right time")).click()
    assert_accessible(page, "first domain")
    # Choosing Inadequate with no evidence yet: the autosave says at once what the grade needs.
    first_question = domains[0][1][0][0]
    page.locator(f'input[name="q{first_question}-grade"][value="4"]').check()
    need = page.locator(f"#q{first_question}-evidence-needs")  # beside the evidence box
    need.get_by_text(re.compile("enter the evidence for the grade given")).wait_for()
    assert_accessible(page, "first domain with a hint from the autosave")
    for number, (key, questions) in enumerate(domains):
        goto(page, "audits.page", audit_id=audit_id, page_key=key)
        answer_page(page, questions)
        wait_until_saved(page)
        if number == 3:
            # Reload in the middle of the audit: everything answered so far is still there.
            page.reload()
            for question_id, kind in questions:
                if kind != "text":
                    assert page.locator(f"#q{question_id}-evidence").input_value() == EVIDENCE
            goto(page, "audits.task_list", audit_id=audit_id)
            assert page.get_by_text("You have completed 4 of 10 sections").is_visible()
            # Submitting now lists what is missing, each linked to its field.
            goto(page, "audits.check", audit_id=audit_id)
            page.get_by_role("button", name="Submit audit").click()
            summary = page.locator(".govuk-error-summary")
            summary.get_by_text("Select an overall grade").wait_for()
            assert_accessible(page, "check your answers with errors")
            summary.get_by_role("link", name="Select an overall grade").click()
            page.wait_for_url(re.compile(r"/domains/overall\?check=1#overall_grade$"))
            assert page.locator("#overall_grade-error").is_visible()
    # Autosave alone, no button pressed: every judgement is on the server.
    status, judgements, _ = audit_state(live_app, audit_id)
    assert status == AuditStatus.IN_PROGRESS
    assert len(judgements) == sum(len(q) for _, q in domains)
    assert all(e == EVIDENCE for _, _, e in judgements.values())

    goto(page, "audits.page", audit_id=audit_id, page_key="overall")
    page.locator('input[name="overall_grade"][value="2"]').check()
    page.locator('input[name="audited_alongside_worker"][value="yes"]').check()
    page.locator("#alongside_conversation_on-day").fill("19")
    page.locator("#alongside_conversation_on-month").fill("10")
    page.locator("#alongside_conversation_on-year").fill("2021")
    page.locator("#strengths").fill("The worker knows the child well.")
    wait_until_saved(page)
    assert_accessible(page, "overall page")
    page.get_by_role("button", name="Save and check your answers").click()
    page.wait_for_url(re.compile(r"/check$"))
    assert_accessible(page, "check your answers")
    page.get_by_role("button", name="Submit audit").click()
    page.wait_for_url(re.compile(r"/audits/$"))
    assert page.get_by_text(f"Audit of {reference} submitted.").is_visible()
    status, _, overall = audit_state(live_app, audit_id)
    assert (status, overall) == (AuditStatus.SUBMITTED, 2)


def test_when_the_connection_drops_the_page_says_so_keeps_the_answer_and_saves_it_later(page, live_app):
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[0]
    key, questions = domains[1]
    question_id = next(q for q, kind in questions if kind == "grade")
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    page.context.set_offline(True)
    page.locator(f"#q{question_id}-evidence").fill("Written while offline.")
    page.locator("#autosave-status").get_by_text("You are offline").wait_for()
    assert page.locator(f"#q{question_id}-evidence").input_value() == "Written while offline."
    assert_accessible(page, "offline message")
    page.context.set_offline(False)
    page.locator("#autosave-status").get_by_text(re.compile(r"Saved at")).wait_for(timeout=15000)
    _, judgements, _ = audit_state(live_app, audit_id)
    assert judgements[question_id][2] == "Written while offline."


def test_an_audit_can_be_completed_with_javascript_off(page_without_js, live_app):
    page = page_without_js
    audit_id, reference, domains = not_started_audits(live_app, "manager@example.org")[0]
    open_as(page, "manager@example.org", "audits.task_list", audit_id=audit_id)
    page.get_by_role("link", name=re.compile("Help at the right time")).click()
    for key, questions in domains:
        assert page.url.endswith(f"/domains/{key}")
        answer_page(page, questions, grade="3")
        page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/domains/family-voice")  # the family's voice comes before the overall judgement
    page.get_by_label("Not contacted", exact=True).check()
    page.get_by_label("Why were they not contacted?").fill("The family declined.")
    page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/domains/overall")
    page.locator('input[name="overall_grade"][value="3"]').check()
    page.locator('input[name="audited_alongside_worker"][value="no"]').check()
    page.locator("#areas_for_improvement").fill("Make the plan SMART.")
    page.get_by_role("button", name="Save and check your answers").click()
    assert page.url.endswith("/check")
    page.get_by_role("button", name="Submit audit").click()
    assert page.url.endswith("/audits/")
    status, judgements, overall = audit_state(live_app, audit_id)
    assert (status, overall) == (AuditStatus.SUBMITTED, 3)
    assert {g for g, a, e in judgements.values() if a is None} == {3}


@contextmanager
def two_tabs(browser, live_server, url, email="auditor@example.org"):
    """The same page open in two signed-in browsers (two tabs, or two devices), closed afterwards."""
    from tests.browser.conftest import _new_page

    contexts, tabs = [], []
    try:
        for _ in range(2):
            context, tab = _new_page(browser, live_server)
            contexts.append(context)
            sign_in(tab, email)
            tab.goto(url)
            tabs.append(tab)
        yield tabs
        assert not any(tab.csp_violations for tab in tabs)
    finally:
        for context in contexts:
            context.close()


def test_two_tabs_editing_one_audit_end_in_a_conflict_that_shows_both_values(browser, live_server, live_app):
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[-1]
    key, questions = domains[2]
    question_id = next(q for q, kind in questions if kind != "text")
    with two_tabs(browser, live_server, live_path("audits.page", audit_id=audit_id, page_key=key)) as (one, two):
        one.locator(f"#q{question_id}-evidence").fill("Written in the first tab.")
        wait_until_saved(one)
        two.locator(f"#q{question_id}-evidence").fill("Written in the second tab.")
        two.wait_for_timeout(1200)
        panel = two.locator("[data-autosave-state='conflict']")
        panel.wait_for()
        panel.get_by_text(re.compile("Compare the two versions")).click()
        assert panel.get_by_text("Written in the first tab.").is_visible()
        assert panel.get_by_text("Written in the second tab.").is_visible()
        assert two.locator(f"#q{question_id}-evidence").input_value() == "Written in the second tab."
        assert_accessible(two, "conflict")
        assert audit_state(live_app, audit_id)[1][question_id][2] == "Written in the first tab."
        # The second tab keeps its answers on purpose.
        two.get_by_role("button", name="Keep my answers").click()
        two.get_by_text("Your answers have replaced the ones saved before.").wait_for()
        assert two.locator(f"#q{question_id}-evidence").input_value() == "Written in the second tab."
        assert audit_state(live_app, audit_id)[1][question_id][2] == "Written in the second tab."


def test_evidence_pasted_over_its_limit_is_saved_in_full_and_said_beside_it(page, live_app):
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[-1]
    key, questions = domains[0]
    question_id = next(q for q, kind in questions if kind != "text")
    evidence = ("Seen on the file. " * 200)[:2999] + "."  # 3,000 characters
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    box = page.locator(f"#q{question_id}-evidence")
    box.fill(evidence + "!")  # pasted: one character over
    wait_until_saved(page)
    page.locator(f"#q{question_id}-evidence-needs").get_by_text("evidence must be 3,000 characters or fewer").wait_for()
    assert page.get_by_text("You have 1 character too many").first.is_visible()
    assert audit_state(live_app, audit_id)[1][question_id][2] == evidence + "!"
    page.reload()
    assert page.locator(f"#q{question_id}-evidence").input_value() == evidence + "!"  # nothing typed is lost
    assert page.locator(f"#q{question_id}-evidence-error").is_visible()
    assert_accessible(page, "evidence over its limit")


def test_an_answer_too_large_to_send_is_kept_on_the_page_and_the_status_says_to_shorten_it(page, live_app):
    audit_id, reference, domains = not_started_audits(live_app, "auditor@example.org")[-1]
    key, questions = domains[0]
    question_id = next(q for q, kind in questions if kind != "text")
    pasted = "Seen on the file. " * 300_000  # over the 5 MB a request may be: the server refuses it (413)
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    box = page.locator(f"#q{question_id}-evidence")
    box.fill(pasted)
    page.locator("#autosave-status").get_by_text("one answer is far too long to save").wait_for()
    assert box.input_value() == pasted  # nothing typed is lost, nothing saved (the audit stays not started)
    assert audit_state(live_app, audit_id)[:2] == ("not_started", {})
