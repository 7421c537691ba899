"""The child and family's voice on the audit form: entered, checked for names, shown back. SQLite and PostgreSQL."""

from audit_app.extensions import db
from audit_app.models import ChangeLog
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import ThemeFactory
from tests.integration.test_audit_form import audit, complete  # noqa: F401  (the fixture and a helper)

VOICE = "family-voice"


def voice_form(case_audit, **fields):
    data = {
        "version": str(case_audit.version),
        "voice-contacted": ["child", "parent"],
        "voice-method": "visit",
        "voice-consent": "yes",
        "voice-understands_involvement": "4",
        "voice-worker_listened": "5",
        "voice-things_better": "dont_know",
        "voice-quote1-text": "My worker listened to me and things at school are better.",
    }
    return data | fields


def save_voice(client, case_audit, headers=None, **fields):
    db.session.refresh(case_audit)
    data = voice_form(case_audit, **fields)
    return post(client, "audits.page", audit_id=case_audit.id, page_key=VOICE, data=data, headers=headers)


def submit(client, case_audit):
    db.session.refresh(case_audit)
    return post(client, "audits.submit", audit_id=case_audit.id, data={"version": case_audit.version})


def test_the_familys_voice_is_saved_and_shown_in_check_your_answers_and_the_audit(client, audit):  # noqa: F811
    theme = ThemeFactory(name="Hearing the family")
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    response = save_voice(client, audit, **{"voice-quote1-themes": [str(theme.id)]})
    assert response.headers["Location"].endswith(path_for("audits.page", audit_id=audit.id, page_key="overall"))
    db.session.refresh(audit)
    voice = audit.family_voice
    assert (voice.contacted_child, voice.contacted_parent, voice.contacted_carer) == (True, True, False)
    assert (voice.worker_listened, voice.things_better) == (5, 0)
    assert [t.name for t in voice.quotes[0].themes] == ["Hearing the family"]
    check = get(client, "audits.check", audit_id=audit.id).get_data(as_text=True)
    assert "family's voice" in check and "The child, A parent" in check
    assert "Don&#39;t know" in check and "Hearing the family" in check
    assert "My worker listened to me" in check
    response = submit(client, audit)
    assert response.status_code == 302
    shown = get(client, "audits.view", audit_id=audit.id).get_data(as_text=True)
    assert "My worker listened to me" in shown and "5 – Completely" in shown
    # Every change is in the change log, and in the audit's history in words.
    assert db.session.query(ChangeLog).filter_by(record_type="family_voice", field="worker_listened").count() == 1
    assert "The child and family&#39;s voice: worker listened" in shown
    assert "A family&#39;s quote: themes" in shown


def test_not_contacted_needs_a_reason_before_submitting(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    save_voice(client, audit, **{"voice-method": "not_contacted", "voice-contacted": []})
    response = submit(client, audit)
    assert response.status_code == 400
    assert "enter why the child and family were not contacted" in response.get_data(as_text=True)
    save_voice(client, audit, **{"voice-method": "not_contacted", "voice-not_contacted_reason": "Family declined."})
    assert submit(client, audit).status_code == 302


def test_a_quote_that_looks_like_a_name_must_be_changed_or_confirmed(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    save_voice(client, audit, **{"voice-quote1-text": "I told Jane Smith everything."})
    response = submit(client, audit)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "quote 1 may hold a name (“Jane Smith”)" in text
    # Said as the auditor saves too: in the autosave's answer, and on the page in check mode.
    response = save_voice(client, audit, headers={"HX-Request": "true"}, **{"voice-quote1-text": "Mrs Khan was kind."})
    assert "quote 1 may hold a name (“Mrs Khan”)" in response.get_data(as_text=True)
    page = get(client, "audits.page", audit_id=audit.id, page_key=VOICE, check=1).get_data(as_text=True)
    assert "govuk-error-summary" in page and "“Mrs Khan”" in page
    # Confirmed by the auditor: it can be submitted.
    save_voice(client, audit, **{"voice-quote1-text": "Mrs Khan was kind.", "voice-names_checked": "yes"})
    assert submit(client, audit).status_code == 302


def test_an_empty_quote_removes_the_quote(client, audit):  # noqa: F811
    sign_in_as(client, audit.auditor)
    save_voice(client, audit)
    db.session.refresh(audit)
    assert len(audit.family_voice.quotes) == 1
    save_voice(client, audit, **{"voice-quote1-text": ""})
    db.session.refresh(audit)
    assert audit.family_voice.quotes == []
