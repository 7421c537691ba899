"""The moderation form saves as the audit form does: a draft per audit and moderator, autosaved with the
same optimistic locking and conflict handling, kept across a reload, and turned into the moderation on submit."""

import re

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditStatus, ChangeLog, Moderation, ModerationDraft
from audit_app.moderation import services
from audit_app.permissions import Role
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import published_tool, user_with
from tests.integration.test_moderation import KEYS, audit_for, form_for

HTMX = {"HX-Request": "true"}


@pytest.fixture
def version(app):
    return published_tool(KEYS)


def page_version(text: str) -> str:
    return re.search(r'id="autosave-version" value="([^"]*)"', text).group(1)


def checked_grade(text: str, name: str) -> str | None:
    for tag in re.findall(r"<input[^>]*>", text):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]+)"', tag).group(1)
    return None


def draft_of(audit, moderator):
    db.session.expire_all()
    return db.session.scalar(
        select(ModerationDraft).where(
            ModerationDraft.audit_id == audit.id, ModerationDraft.moderator_id == moderator.id
        )
    )


def sign_in_to_moderate(client, audit, role):
    """Sign in a new moderator with `role`; their user and the audit's moderation page."""
    moderator = user_with(role)
    sign_in_as(client, moderator)
    return moderator, path_for("moderation.moderate", audit_id=audit.id)


def first_judgement(audit):
    return min(audit.judgements, key=lambda j: j.id)


def test_autosave_saves_a_draft_that_a_reload_shows_and_that_counts_nowhere(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 3, 2))
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)
    judgement = first_judgement(audit)
    page = get(client, "moderation.moderate", audit_id=audit.id)
    assert "data-autosave" in page.text and page_version(page.text) == "0"
    assert "Save and come back later" in page.text

    typed = {judgement.domain_key: (4, "Drift since the strategy meeting")}
    saved = post(
        client,
        "moderation.moderate",
        audit_id=audit.id,
        data=form_for(audit, typed, version=page_version(page.text)),
        headers=HTMX,
    )
    assert saved.status_code == 200 and "Saved at" in saved.text
    assert 'id="autosave-version" value="1" hx-swap-oob="true"' in saved.text

    draft = draft_of(audit, manager)
    assert draft.version == 1  # made with what was typed, in one write
    assert {g.judgement_id: (g.grade, g.rationale) for g in draft.grades}[judgement.id] == (
        4,
        "Drift since the strategy meeting",
    )
    # A reload shows the draft's values, not the auditor's, and the draft's version.
    again = get(client, "moderation.moderate", audit_id=audit.id)
    assert "Drift since the strategy meeting" in again.text
    assert checked_grade(again.text, f"grade_{judgement.id}") == "4"
    assert page_version(again.text) == "1"

    # A draft is not a moderation: the audit still awaits moderation and counts in no figure.
    assert db.session.get(type(audit), audit.id).status == AuditStatus.SUBMITTED
    assert db.session.scalar(select(func.count(Moderation.id))) == 0
    report = services.agreement_report(services.AgreementFilters())
    assert report.audits_moderated == 0 and report.overall.n == 0 and report.overall_grade.n == 0
    assert services.changed_grades(services.AgreementFilters()) == []
    waiting = services.audits_for_moderation(services.AuditFilters(status="submitted"))
    assert audit.id in {a.id for a in waiting.items}
    # ...and it is in the change log.
    logged = db.session.scalars(
        select(ChangeLog.new_value).where(
            ChangeLog.record_type == "moderation_draft_grade", ChangeLog.field == "rationale"
        )
    ).all()
    assert "Drift since the strategy meeting" in logged


def test_a_stale_save_is_refused_with_both_values_until_keep_mine(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    lead, url = sign_in_to_moderate(client, audit, Role.QA_LEAD)
    judgement = first_judgement(audit)
    # Two tabs opened before any draft; the first saves.
    first = client.post(url, data=form_for(audit, {judgement.domain_key: (3, "First tab")}, version="0"), headers=HTMX)
    assert "Saved at" in first.text

    # The second tab, still on version 0, is refused and shows both values; nothing is overwritten.
    stale = form_for(audit, {judgement.domain_key: (4, "Second tab")}, version="0")
    refused = client.post(url, data=stale, headers=HTMX)
    assert "Your latest changes have not been saved" in refused.text
    assert "First tab" in refused.text and "Second tab" in refused.text
    assert "Requires improvement to be good" in refused.text and "Inadequate" in refused.text
    assert 'name="keep_mine" value="1"' in refused.text
    assert "hx-swap-oob" not in refused.text  # the version stays what the form was based on
    without_js = client.post(url, data=stale)
    assert without_js.status_code == 409 and "Second tab" in without_js.text and "First tab" in without_js.text
    assert page_version(without_js.text) == "0"
    draft = draft_of(audit, lead)
    assert (draft.version, draft.grades[0].rationale) == (1, "First tab")

    # Keep mine: the second tab's values replace the first's.
    kept = client.post(url, data=stale | {"keep_mine": "1"}, follow_redirects=True)
    assert "Your answers have replaced the ones saved before." in kept.text
    assert "Second tab" in kept.text and "First tab" not in kept.text
    draft = draft_of(audit, lead)
    assert (draft.version, draft.grades[0].grade, draft.grades[0].rationale) == (2, 4, "Second tab")
    assert db.session.get(type(audit), audit.id).status == AuditStatus.SUBMITTED


def test_save_and_come_back_later_without_javascript(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), overall=2)
    manager, url = sign_in_to_moderate(client, audit, Role.SENIOR_MANAGER)
    data = form_for(audit, overall=(3, "Plans are not SMART"), comments_for_auditor="See the plan", version="0")
    response = client.post(url, data=data | {"save_draft": "1"})
    assert response.status_code == 302
    page = client.get(url)
    assert "Your moderation is saved." in page.text
    assert "Plans are not SMART" in page.text and "See the plan" in page.text
    assert checked_grade(page.text, "overall_grade") == "3"
    assert db.session.scalar(select(func.count(Moderation.id))) == 0


def test_submitting_turns_the_draft_into_the_moderation(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 2, 2))
    manager, url = sign_in_to_moderate(client, audit, Role.SENIOR_MANAGER)
    judgement = first_judgement(audit)
    typed = {judgement.domain_key: (3, "Risks not analysed")}
    client.post(url, data=form_for(audit, typed, version="0"), headers=HTMX)
    assert draft_of(audit, manager) is not None

    response = client.post(url, data=form_for(audit, typed, version="1"), follow_redirects=True)
    assert "Moderation recorded: grades changed." in response.text
    db.session.expire_all()
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation.outcome == "changed" and moderation.completed_at is not None
    assert {g.judgement_id: (g.grade, g.rationale) for g in moderation.grades}[judgement.id] == (
        3,
        "Risks not analysed",
    )
    assert draft_of(audit, manager) is None  # the draft became the moderation
    assert (
        db.session.scalar(
            select(func.count(ChangeLog.id)).where(
                ChangeLog.record_type == "moderation_draft", ChangeLog.field == "deleted"
            )
        )
        == 1
    )
    report = services.agreement_report(services.AgreementFilters())
    assert report.audits_moderated == 1


def test_a_submit_refused_for_a_missing_rationale_goes_through_once_corrected(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 2, 2))
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)
    key = first_judgement(audit).domain_key
    url = f"/moderation/audits/{audit.id}"
    client.post(url, data=form_for(audit, version="0") | {"save_draft": "1"})  # saved earlier, without JavaScript
    refused = client.post(url, data=form_for(audit, {key: (3, "")}, version=page_version(client.get(url).text)))
    assert "Explain why you changed the grade" in refused.text
    corrected = form_for(audit, {key: (3, "Risks not analysed")}, version=page_version(refused.text))
    assert "Moderation recorded: grades changed." in client.post(url, data=corrected, follow_redirects=True).text


def test_a_rationale_over_its_limit_is_kept_in_the_draft_said_at_once_and_refused_on_confirming(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 2, 2))
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)
    judgement = first_judgement(audit)
    rationale = "Risks not analysed. " * 200 + "x"  # 4,001 characters
    data = form_for(audit, {judgement.domain_key: (3, rationale)}, version="0")
    saved = post(client, "moderation.moderate", audit_id=audit.id, data=data, headers=HTMX).text
    assert "Saved at" in saved and "Rationale must be 4,000 characters or fewer" in saved
    assert f'href="#rationale_{judgement.id}"' in saved
    assert {g.judgement_id: g.rationale for g in draft_of(audit, manager).grades}[judgement.id] == rationale
    refused = post(client, "moderation.moderate", audit_id=audit.id, data=data | {"version": "1"}).text
    assert "Rationale must be 4,000 characters or fewer" in refused and rationale in refused
    assert db.session.scalar(select(func.count(Moderation.id))) == 0


def test_a_stale_submit_is_refused_like_a_stale_save(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    manager, url = sign_in_to_moderate(client, audit, Role.SENIOR_MANAGER)
    judgement = first_judgement(audit)
    client.post(url, data=form_for(audit, {judgement.domain_key: (3, "Other tab")}, version="0"), headers=HTMX)
    response = client.post(url, data=form_for(audit, {judgement.domain_key: (4, "This tab")}, version="0"))
    assert response.status_code == 409 and "Other tab" in response.text and "This tab" in response.text
    assert db.session.scalar(select(func.count(Moderation.id))) == 0


def test_autosave_after_another_moderator_finished_says_so_and_saves_nothing(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    other, manager = user_with(Role.QA_LEAD), user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)
    url = path_for("moderation.moderate", audit_id=audit.id)
    client.post(url, data=form_for(audit, version="0"), headers=HTMX)
    assert draft_of(audit, manager) is not None
    judgements = services.graded_judgements(audit)
    services.moderate(
        audit,
        other,
        {j.id: services.GradeDecision(j.grade) for j in judgements},
        services.GradeDecision(audit.overall_grade),
    )
    assert draft_of(audit, manager) is None  # every draft of a moderated audit goes

    response = client.post(url, data=form_for(audit, version="1"), headers=HTMX)
    assert response.status_code == 200 and "This audit has already been moderated." in response.text
    assert "not saved" in response.text
    assert draft_of(audit, manager) is None
