"""Moderation: samples, moderating side by side, returning an audit, history, the home panel and CSRF."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import (
    AuditStatus,
    CaseAudit,
    ChangeLog,
    Judgement,
    ModeratedGrade,
    Moderation,
    ModerationSample,
)
from audit_app.moderation import services
from audit_app.permissions import Role
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import CaseFactory, LocalityFactory, TeamFactory, published_tool, submitted_audit, user_with

KEYS = ("assessment_quality", "voice_of_child", "management_oversight")


@pytest.fixture
def version(app):
    return published_tool(KEYS)


def audit_for(version, auditor, grades=(2, 3, 2), overall=2, **kwargs):
    return submitted_audit(version, dict(zip(KEYS, grades)), overall=overall, auditor=auditor, **kwargs)


def form_for(audit, changes=None, overall=None, **extra):
    """The moderation form as a browser posts it: the auditor's grades unless changed."""
    data = {}
    for j in sorted(audit.judgements, key=lambda j: j.id):
        grade, rationale = (changes or {}).get(j.domain_key, (j.grade, ""))
        data[f"grade_{j.id}"] = str(grade)
        data[f"rationale_{j.id}"] = rationale
    grade, rationale = overall or (audit.overall_grade, "")
    data["overall_grade"] = str(grade)
    data["overall_rationale"] = rationale
    data.update(extra)
    return data


# --- Samples ---------------------------------------------------------------------------------


def test_a_sample_draws_the_share_of_each_auditors_audits_and_records_it(version):
    busy, quiet = user_with(Role.AUDITOR), user_with(Role.AUDITOR)
    busy_audits = [audit_for(version, busy) for _ in range(10)]
    quiet_audits = [audit_for(version, quiet) for _ in range(3)]
    lead = user_with(Role.QA_LEAD)

    sample = services.take_sample(20, lead, services.AuditFilters(), seed=42)

    drawn = {a.id for a in sample.audits}
    assert len(drawn & {a.id for a in busy_audits}) == 2  # 20% of 10
    assert len(drawn & {a.id for a in quiet_audits}) == 1  # 20% of 3, rounded up
    stored = db.session.get(ModerationSample, sample.id)
    assert (stored.share_percent, stored.random_seed, stored.drawn_by_id) == (20, 42, lead.id)
    logged = db.session.scalar(
        select(ChangeLog.new_value).where(ChangeLog.record_type == "moderation_sample", ChangeLog.field == "audits")
    )
    assert all(a.case.case_reference in logged for a in sample.audits)

    # The same seed over the same audits draws the same sample again.
    db.session.delete(stored)
    db.session.commit()
    again = services.take_sample(20, lead, services.AuditFilters(), seed=42)
    assert {a.id for a in again.audits} == drawn

    # A second sample draws only from audits not sampled before.
    third = services.take_sample(100, lead, services.AuditFilters(), seed=7)
    assert not ({a.id for a in third.audits} & drawn)
    assert len(third.audits) == 10


def test_a_sample_respects_the_filters_and_refuses_an_empty_draw(version):
    north, south = LocalityFactory(name="North"), LocalityFactory(name="South")
    auditor = user_with(Role.AUDITOR)
    in_north = audit_for(version, auditor, case=CaseFactory(team=TeamFactory(locality=north)))
    audit_for(version, auditor, case=CaseFactory(team=TeamFactory(locality=south)))
    lead = user_with(Role.QA_LEAD)
    sample = services.take_sample(100, lead, services.AuditFilters(locality_id=north.id), seed=1)
    assert [a.id for a in sample.audits] == [in_north.id]
    with pytest.raises(services.SampleError):
        services.take_sample(100, lead, services.AuditFilters(locality_id=north.id), seed=1)


def test_taking_a_sample_in_the_browser(client, version):
    auditor = user_with(Role.AUDITOR, display_name="Ada Auditor")
    audits = [audit_for(version, auditor) for _ in range(4)]
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)

    page = get(client, "moderation.new_sample")
    assert "Ada Auditor" in page.text and re.search(r">\s*4\s*<", page.text)

    response = post(
        client, "moderation.new_sample", data={"share_percent": "abc", "programme_id": "0", "locality_id": "0"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and 'value="abc"' in response.text

    response = post(
        client,
        "moderation.new_sample",
        data={"share_percent": "50", "programme_id": "0", "locality_id": "0"},
        follow_redirects=True,
    )
    assert "Sample taken: 2 audits to moderate." in response.text
    assert "Random seed" in response.text
    shown = [a for a in audits if a.case.case_reference in response.text]
    assert len(shown) == 2


# --- The list ----------------------------------------------------------------------------------


def test_the_list_filters_by_auditor_without_javascript_and_with_htmx(client, version):
    ada, ben = user_with(Role.AUDITOR, display_name="Ada Auditor"), user_with(Role.AUDITOR, display_name="Ben Auditor")
    adas, bens = audit_for(version, ada), audit_for(version, ben)
    sign_in_as(client, user_with(Role.QA_LEAD))

    everything = get(client, "moderation.index")
    assert adas.case.case_reference in everything.text and bens.case.case_reference in everything.text

    filtered = get(client, "moderation.index", auditor_id=ada.id)
    assert adas.case.case_reference in filtered.text and bens.case.case_reference not in filtered.text
    assert "<html" in filtered.text

    fragment = get(
        client, "moderation.index", auditor_id=ben.id, headers={"HX-Request": "true", "HX-Target": "moderation-results"}
    )
    assert "<html" not in fragment.text
    assert bens.case.case_reference in fragment.text and adas.case.case_reference not in fragment.text
    assert "1 audit" in fragment.text


def test_the_next_page_of_the_list_keeps_the_filters(client, version):
    auditor = user_with(Role.AUDITOR)
    for _ in range(51):  # one more than a page
        audit_for(version, auditor)
    lead = user_with(Role.QA_LEAD)
    services.take_sample(100, lead, services.AuditFilters(), seed=1)
    sign_in_as(client, lead)

    first = client.get(f"/moderation/?auditor_id={auditor.id}&status=all&sampled=yes")
    assert "Page 1 of 2" in first.text
    next_link = html.unescape(re.search(r'href="([^"]+)" rel="next"', first.text).group(1))
    assert parse_qs(urlsplit(next_link).query) == {
        "auditor_id": [str(auditor.id)],
        "status": ["all"],
        "sampled": ["yes"],
        "page": ["2"],
    }
    assert "Page 2 of 2" in client.get(next_link).text


# --- Moderating ----------------------------------------------------------------------------------


def test_agreeing_with_every_grade_moderates_the_audit(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, manager)

    page = get(client, "moderation.moderate", audit_id=audit.id)
    assert "Evidence seen on the file." in page.text  # the auditor's evidence beside the moderator's choice
    assert page.text.count('type="radio"') == 4 * (len(KEYS) + 1)

    response = post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit), follow_redirects=True)
    assert "Moderation recorded: grades agreed." in response.text
    db.session.expire_all()
    assert audit.status == AuditStatus.MODERATED
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation.outcome == "agreed" and moderation.moderator_id == manager.id
    assert moderation.completed_at is not None and moderation.overall_grade == 2
    assert sorted(g.grade for g in moderation.grades) == sorted(j.grade for j in audit.judgements)
    # The moderated page shows both grades, and the history of the change.
    assert "Moderated by" in response.text
    assert "Audit: status" in response.text and "Moderated" in response.text


def test_a_changed_grade_needs_a_rationale_and_is_kept_beside_the_auditors(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 2, 2))
    sign_in_as(client, user_with(Role.QA_LEAD))
    voice = next(j for j in audit.judgements if j.domain_key == "voice_of_child")

    data = form_for(audit, changes={"voice_of_child": (3, "")}, comments_for_auditor="Thanks, clear evidence.")
    response = post(client, "moderation.moderate", audit_id=audit.id, data=data)
    assert response.status_code == 200
    assert "Explain why you changed the grade for Voice of child" in response.text
    assert f'href="#rationale_{voice.id}"' in response.text  # the error summary links to the field
    assert re.search(r'value="3"[^>]*checked|checked[^>]*value="3"', response.text)  # the choice is kept
    assert "Thanks, clear evidence." in response.text
    assert db.session.scalar(select(func.count(Moderation.id))) == 0

    data = form_for(audit, changes={"voice_of_child": (3, "The child's views are recorded once only.")})
    response = post(client, "moderation.moderate", audit_id=audit.id, data=data, follow_redirects=True)
    assert "grades changed" in response.text
    db.session.expire_all()
    moderated = db.session.scalar(select(ModeratedGrade).where(ModeratedGrade.judgement_id == voice.id))
    assert moderated.grade == 3 and moderated.rationale == "The child's views are recorded once only."
    assert db.session.get(Judgement, voice.id).grade == 2  # the auditor's grade is never overwritten
    assert db.session.scalar(select(Moderation.outcome)) == "changed"
    assert "Changed" in response.text and "The child&#39;s views are recorded once only." in response.text


def test_changing_the_overall_grade_needs_a_rationale(version):
    audit = audit_for(version, user_with(Role.AUDITOR), overall=2)
    decisions = {j.id: services.GradeDecision(j.grade) for j in audit.judgements}
    errors = services.moderation_errors(audit, decisions, services.GradeDecision(3))
    assert errors == {"overall_rationale": "Explain why you changed the overall grade"}
    assert services.moderation_errors(audit, decisions, services.GradeDecision(None)) == {
        "overall_grade": "Select your overall grade"
    }


def test_nobody_moderates_their_own_audit(client, version):
    manager = user_with(Role.SENIOR_MANAGER, Role.AUDITOR)
    audit = audit_for(version, manager)
    sign_in_as(client, manager)
    page = get(client, "moderation.moderate", audit_id=audit.id)
    assert "You audited this case" in page.text and 'type="radio"' not in page.text
    assert post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit)).status_code == 403
    assert post(client, "moderation.return_audit", audit_id=audit.id, data={"comments": "x"}).status_code == 403
    db.session.expire_all()
    assert audit.status == AuditStatus.SUBMITTED


def test_an_audit_is_moderated_once(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    first, second = user_with(Role.SENIOR_MANAGER), user_with(Role.QA_LEAD)
    services.moderate(
        audit, first, {j.id: services.GradeDecision(j.grade) for j in audit.judgements}, services.GradeDecision(2)
    )
    sign_in_as(client, second)
    response = post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit), follow_redirects=True)
    assert "This audit has already been moderated." in response.text
    assert db.session.scalar(select(func.count(Moderation.id))) == 1
    with pytest.raises(services.ModerationConflict):
        services.return_to_auditor(audit, second, "Too late")


def test_returning_an_audit_sends_it_back_with_comments(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR))
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))

    response = post(client, "moderation.return_audit", audit_id=audit.id, data={"comments": "  "})
    assert response.status_code == 200 and "Tell the auditor what to change" in response.text
    db.session.expire_all()
    assert audit.status == AuditStatus.SUBMITTED

    response = post(
        client,
        "moderation.return_audit",
        audit_id=audit.id,
        data={"comments": "Add evidence for the plan."},
        follow_redirects=True,
    )
    assert f"Returned the audit of {audit.case.case_reference}" in response.text
    db.session.expire_all()
    assert audit.status == AuditStatus.RETURNED
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation.outcome == "returned" and moderation.comments_for_auditor == "Add evidence for the plan."
    page = get(client, "moderation.moderate", audit_id=audit.id)
    assert "Add evidence for the plan." in page.text and 'type="radio"' not in page.text


def test_history_shows_who_changed_what(client, version):
    audit = audit_for(version, user_with(Role.AUDITOR), grades=(2, 2, 2))
    moderator = user_with(Role.QA_LEAD, display_name="Quinn Moderator")
    sign_in_as(client, moderator)
    post(
        client,
        "moderation.moderate",
        audit_id=audit.id,
        data=form_for(audit, changes={"assessment_quality": (4, "No analysis of risk at all.")}),
    )
    page = get(client, "moderation.moderate", audit_id=audit.id)
    history = page.text[page.text.index('id="history"') :]
    assert "Quinn Moderator" in history
    assert "Moderated grade: grade" in history and "Inadequate" in history
    assert "Moderation: outcome" in history and "changed" in history
    assert "Audit: status" in history and "Submitted" in history and "Moderated" in history


# --- Home panel, permissions, CSRF ---------------------------------------------------------------------


def test_the_home_panel_lists_sampled_audits_awaiting_moderation(client, version):
    auditor = user_with(Role.AUDITOR)
    audits = [audit_for(version, auditor) for _ in range(2)]
    lead = user_with(Role.QA_LEAD)
    services.take_sample(50, lead, services.AuditFilters(), seed=3)
    sign_in_as(client, lead)
    home = get(client, "main.home")
    assert "Audits awaiting moderation" in home.text
    assert "1 sampled audit is waiting for moderation." in home.text
    assert sum(a.case.case_reference in home.text for a in audits) == 1

    sign_in_as(client, auditor)
    assert "Audits awaiting moderation" not in get(client, "main.home").text


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_auditors_and_administrators_cannot_moderate(client, version, role):
    audit = audit_for(version, user_with(Role.AUDITOR))
    sign_in_as(client, user_with(role))
    for url in [
        path_for("moderation.index"),
        path_for("moderation.moderate", audit_id=audit.id),
        path_for("moderation.agreement"),
        path_for("moderation.new_sample"),
    ]:
        assert client.get(url).status_code == 403
    assert post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit)).status_code == 403


def test_every_moderation_form_needs_a_csrf_token(csrf_app, version):
    client = csrf_app.test_client()
    audit = audit_for(version, user_with(Role.AUDITOR))
    sign_in_as(client, user_with(Role.QA_LEAD))
    assert post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit)).status_code == 400
    assert post(client, "moderation.return_audit", audit_id=audit.id, data={"comments": "x"}).status_code == 400
    assert post(client, "moderation.new_sample", data={"share_percent": "10"}).status_code == 400
    db.session.expire_all()
    assert audit.status == AuditStatus.SUBMITTED
    assert db.session.scalar(select(func.count(ModerationSample.id))) == 0

    page = get(client, "moderation.moderate", audit_id=audit.id)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.text
    )
    response = post(client, "moderation.moderate", audit_id=audit.id, data=form_for(audit, csrf_token=token.group(1)))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseAudit, audit.id).status == AuditStatus.MODERATED


def test_the_sample_page_names_each_programme_with_its_kind(client, version):
    from tests.factories import AuditProgrammeFactory

    AuditProgrammeFactory(tool_version=version, name="Front Door deep dive", kind="thematic")
    sign_in_as(client, user_with(Role.QA_LEAD))
    for endpoint in ("moderation.new_sample", "moderation.index"):
        page = get(client, endpoint)
        assert re.search(r"<option[^>]*>\s*Front Door deep dive \(Thematic \(deep dive\)\)\s*</option>", page.text)
