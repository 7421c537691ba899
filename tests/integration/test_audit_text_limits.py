"""The audit form's free text over its limit: kept in full in the draft (autosave and save and continue), said
beside the field and in the autosave's status, and the audit not submitted until it is shortened. Each field's
character count shows the same limit. SQLite and PostgreSQL."""

import re

from audit_app.audits import services
from audit_app.extensions import db
from tests.conftest import get, post, sign_in_as
from tests.factories import QuestionFactory
from tests.integration.test_audit_form import audit, check_link, complete, page_form  # noqa: F401
from tests.integration.test_family_voice import VOICE, save_voice, submit

HTMX = {"HX-Request": "true"}


def typed(length: int) -> str:
    """Words as a person types them, exactly `length` characters (none dropped as trailing space)."""
    return ("Seen on the file. " * length)[: length - 1] + "."


def counter_limit(page: str, name: str) -> int:
    """The limit the field's character count tells the person (its message before JavaScript counts)."""
    found = re.search(rf'id="{re.escape(name)}-info"[^>]*>\s*You can enter up to (\d+) characters', page)
    return int(found.group(1))


def overall(**fields) -> dict:
    """Every field of the overall page, as complete() answers them, with `fields` changed."""
    return {
        "overall_grade": "2",
        "audited_alongside_worker": "yes",
        "alongside_conversation_on-day": "19",
        "alongside_conversation_on-month": "10",
        "alongside_conversation_on-year": "2021",
        "strengths": "Knows the child well",
        "areas_for_improvement": "Update the plan",
    } | fields


def save_overall(client, case_audit, headers=None, **fields):
    db.session.refresh(case_audit)
    data = {"version": case_audit.version, **overall(**fields)}
    return post(client, "audits.page", audit_id=case_audit.id, page_key="overall", data=data, headers=headers)


def submitted(client, case_audit):
    db.session.refresh(case_audit)
    return post(client, "audits.submit", audit_id=case_audit.id, data={"version": case_audit.version})


def test_autosaved_evidence_over_its_limit_is_kept_in_full_and_said_beside_it(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    domain = audit.tool_version.domains[0]
    field = f"q{domain.questions[0].id}-evidence"
    message = f"{domain.title}: evidence must be 3,000 characters or fewer"
    evidence = typed(3001)
    page = get(client, "audits.page", audit_id=audit.id, page_key=domain.key).text
    assert counter_limit(page, field) == 3000
    data = page_form(audit, domain.key, extra={field: evidence})
    status = post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data, headers=HTMX).text
    assert "Saved at" in status and message in status
    assert re.search(rf'id="{field}-needs" hx-swap-oob="true">.*?{re.escape(message)}', status, re.S)  # beside it
    page = get(client, "audits.page", audit_id=audit.id, page_key=domain.key).text  # coming back to it
    assert evidence in page and f'id="{field}-error"' in page and message in page
    response = submitted(client, audit)
    assert response.status_code == 400 and message in response.text
    assert check_link(audit, domain.key, field) in response.text


def test_the_overall_pages_text_has_one_limit_for_its_count_its_save_and_submitting(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    page = get(client, "audits.page", audit_id=audit.id, page_key="overall").text
    fields = ("strengths", "areas_for_improvement", "child_and_family_feedback")
    assert {name: counter_limit(page, name) for name in fields} == dict.fromkeys(fields, services.TEXT_MAX)
    # More than the 3,000 the counter used to show, less than the 5,000 the save cut at: fine.
    assert save_overall(client, audit, strengths=typed(4000)).status_code == 302
    too_long = typed(5001)
    response = save_overall(client, audit, strengths=too_long, child_and_family_feedback=too_long)
    assert response.status_code == 200  # saved, and the page says what is wrong rather than moving on
    assert "Strengths must be 5,000 characters or fewer" in response.text
    assert "What the child and family said must be 5,000 characters or fewer" in response.text
    db.session.refresh(audit)
    assert audit.strengths == too_long and audit.child_and_family_feedback == too_long
    status = save_overall(client, audit, headers=HTMX, strengths=too_long, child_and_family_feedback=too_long).text
    assert "Strengths must be 5,000 characters or fewer" in status
    page = get(client, "audits.page", audit_id=audit.id, page_key="overall").text
    assert page.count(too_long) == 2 and 'id="strengths-error"' in page
    response = submitted(client, audit)
    assert response.status_code == 400 and check_link(audit, "overall", "strengths") in response.text
    assert save_overall(client, audit, strengths=typed(5000), child_and_family_feedback="").status_code == 302
    assert submitted(client, audit).status_code == 302


def test_a_text_answer_over_its_limit_is_kept_and_stops_the_submit(client, audit):  # noqa: F811
    domain = audit.tool_version.domains[0]
    question = QuestionFactory(domain=domain, response_type="text", position=99, text="What else did you see?")
    db.session.expire(domain)
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    field, answer = f"q{question.id}-text", typed(5001)
    db.session.refresh(audit)
    data = page_form(audit, domain.key, extra={field: answer})
    response = post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data)
    assert counter_limit(response.text, field) == 5000
    assert answer in response.text and f'id="{field}-error"' in response.text
    db.session.refresh(audit)
    assert next(j for j in audit.judgements if j.question_id == question.id).text == answer
    response = submitted(client, audit)
    message = f"{domain.title}: the answer to “What else did you see” must be 5,000 characters or fewer"
    assert response.status_code == 400 and message in response.text


def test_a_long_quote_and_reason_are_kept_and_must_be_shortened_to_submit(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    quote, reason = typed(501), typed(2001)
    fields = {"voice-method": "not_contacted", "voice-contacted": [], "voice-not_contacted_reason": reason}
    status = save_voice(client, audit, headers=HTMX, **fields, **{"voice-quote1-text": quote}).text
    assert "Family voice: quote 1 must be 500 characters or fewer" in status
    assert "Family voice: the reason no one was contacted must be 2,000 characters or fewer" in status
    db.session.refresh(audit)
    assert audit.family_voice.quotes[0].text == quote and audit.family_voice.not_contacted_reason == reason
    page = get(client, "audits.page", audit_id=audit.id, page_key=VOICE).text
    assert quote in page and reason in page
    assert 'id="voice-quote1-text-error"' in page and 'id="voice-not_contacted_reason-error"' in page
    assert counter_limit(page, "voice-quote1-text") == 500
    assert counter_limit(page, "voice-not_contacted_reason") == 2000
    assert submit(client, audit).status_code == 400
    save_voice(
        client, audit, **fields | {"voice-not_contacted_reason": typed(2000)}, **{"voice-quote1-text": typed(500)}
    )
    assert submit(client, audit).status_code == 302
