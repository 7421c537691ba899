"""Re-audits: scheduled once when an Inadequate audit is submitted, shown to the auditor from a few days
before due, the previous audit beside the form, improved / same / worse, the plan's closing-the-loop
counts and the QA lead's reassignment. Runs on SQLite and PostgreSQL."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from audit_app.audits import services as audits
from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, ChangeLog, Notification
from audit_app.notifications.reminders import send_reminders
from audit_app.permissions import Role
from audit_app.reaudits import services
from audit_app.reaudits.demo import seed_reaudits
from tests.conftest import Clock, get, post, sign_in_as, statements
from tests.factories import (
    ActionFactory,
    AuditProgrammeFactory,
    CaseAuditFactory,
    FollowUpFactory,
    JudgementFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    PlanFactory,
    PriorityFactory,
    published_tool,
    user_with,
)

KEYS = ("assessment_quality", "voice_of_child", "management_oversight")


@pytest.fixture
def programme(app):
    return AuditProgrammeFactory(tool_version=published_tool(KEYS), name="October 2021 monthly audit")


def answered_audit(programme, grades, overall, *, auditor=None, case=None, reaudit_of=None, status="in_progress"):
    """An audit of the programme with one graded judgement per domain, ready to submit (with a follow-up)."""
    audit = CaseAuditFactory(
        tool_version=programme.tool_version,
        programme=programme,
        auditor=auditor or user_with(Role.AUDITOR, display_name="Alex Auditor"),
        status=status,
        overall_grade=overall,
        areas_for_improvement="Update the plan",
        audited_alongside_worker=False,
        reaudit_of=reaudit_of,
        **({"case": case} if case else {}),
    )
    for domain, grade in zip(programme.tool_version.domains, grades, strict=True):
        JudgementFactory(
            audit=audit, question=domain.questions[0], grade=grade, evidence=f"{domain.key} seen at {grade}"
        )
    FollowUpFactory(audit=audit, owner=audit.auditor)
    db.session.commit()
    db.session.refresh(audit)
    return audit


def judgement_in(audit, domain_key):
    return next(j for j in audit.judgements if j.domain_key == domain_key)


def submit(audit):
    assert audits.submit(audit, audit.version) == []
    db.session.refresh(audit)


def reaudits_of(audit):
    return db.session.scalars(select(CaseAudit).where(CaseAudit.reaudit_of_id == audit.id)).all()


def make_reaudit(
    programme, before, after=None, overall_before=4, overall_after=2, submitted_at=None, due_date=date(2022, 1, 12)
):
    """An Inadequate audit submitted on 20 October 2021 and its re-audit: not started, or answered with
    `after` and submitted."""
    original = answered_audit(programme, before, overall=overall_before, status="submitted")
    original.submitted_at = datetime(2021, 10, 20, 10, tzinfo=UTC)
    if after is None:
        reaudit = CaseAuditFactory(
            tool_version=programme.tool_version,
            programme=programme,
            case=original.case,
            auditor=original.auditor,
            reaudit_of=original,
            due_date=due_date,
        )
    else:
        reaudit = answered_audit(
            programme, after, overall_after, auditor=original.auditor, case=original.case, reaudit_of=original
        )
        reaudit.status, reaudit.submitted_at = "submitted", submitted_at or datetime(2022, 1, 12, 10, tzinfo=UTC)
    db.session.commit()
    return original, reaudit


def test_an_inadequate_domain_schedules_one_reaudit_of_the_case_twelve_weeks_on(programme):
    audit = answered_audit(programme, (2, 4, 3), overall=3)
    version = audit.version
    submit(audit)
    assert audit.version == version + 1  # one write: the submit and its re-audit together
    [reaudit] = reaudits_of(audit)
    assert (reaudit.case_id, reaudit.auditor_id, reaudit.programme_id) == (
        audit.case_id,
        audit.auditor_id,
        programme.id,
    )
    assert reaudit.status == AuditStatus.NOT_STARTED and reaudit.tool_version_id == audit.tool_version_id
    assert reaudit.due_date == audit.submitted_at.date() + timedelta(weeks=12)
    logged = db.session.scalar(
        select(ChangeLog.new_value).where(ChangeLog.record_id == audit.id, ChangeLog.field == "Re-audit")
    )
    assert logged == f"Scheduled for {reaudit.due_date:%-d %B %Y}"

    # A moderator returns it; the auditor resubmits: still one re-audit.
    audit.status = AuditStatus.RETURNED.value
    db.session.commit()
    submit(audit)
    assert audit.status == AuditStatus.SUBMITTED and len(reaudits_of(audit)) == 1


def test_reaudit_when_overall_asks_for_an_inadequate_overall_grade(app, programme, monkeypatch):
    monkeypatch.setitem(app.config, "REAUDIT_WHEN", "overall")
    domain_only = answered_audit(programme, (2, 4, 3), overall=3)
    submit(domain_only)
    overall = answered_audit(programme, (3, 3, 3), overall=4)
    submit(overall)
    good = answered_audit(programme, (2, 2, 2), overall=2)
    submit(good)
    assert [len(reaudits_of(a)) for a in (domain_only, overall, good)] == [0, 1, 0]


def test_a_reaudit_uses_the_tools_newest_published_version(programme):
    audit = answered_audit(programme, (4, 4, 4), overall=4)
    newer = published_tool(KEYS)
    newer.tool_id, newer.number = programme.tool_version.tool_id, programme.tool_version.number + 1
    db.session.commit()
    submit(audit)
    assert reaudits_of(audit)[0].tool_version_id == newer.id


def test_a_reaudit_appears_for_its_auditor_from_the_notice_days_before_it_is_due(app, client, programme, monkeypatch):
    clock = Clock(monkeypatch, "audit_app.reaudits.services.utcnow")
    original, reaudit = make_reaudit(programme, (4, 3, 3), due_date=clock.now.date() + timedelta(days=30))
    reference = original.case.case_reference
    sign_in_as(client, original.auditor)
    assert reaudit not in audits.my_audits(original.auditor).to_do
    assert "Your audits" not in get(client, "main.home").text  # nothing open yet

    qa = user_with(Role.QA_LEAD)
    sign_in_as(client, qa)
    listed = get(client, "programmes.index").text
    assert "Re-audits scheduled (1)" in listed and reference in listed
    assert f"From {reaudit.due_date - timedelta(days=14):%-d %B %Y}" in listed
    page = get(client, "programmes.programme", programme_id=programme.id).text
    assert "Audits in this programme (1)" in page  # the original only
    assert "Re-audits in this programme (1)" in page

    clock.advance(days=16)  # exactly 14 days before it is due
    assert "Re-audits scheduled" not in get(client, "programmes.index").text
    assert "Audits in this programme (2)" in get(client, "programmes.programme", programme_id=programme.id).text
    sign_in_as(client, original.auditor)
    mine = get(client, "audits.my_audits").text
    assert f'href="/audits/{reaudit.id}">{reference}</a>' in mine and "Re-audit" in mine
    assert "1 to do" in get(client, "main.home").text


def table_rows(html, table_id) -> dict[str, list[str]]:
    """The table's body rows as the person reads them: the row header -> the other cells' text."""
    table = html[html.index(f'id="{table_id}"') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd].*?</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_reaudit_form_shows_the_previous_grade_and_evidence_beside_each_question(client, programme):
    original, reaudit = make_reaudit(programme, (4, 3, 2))
    sign_in_as(client, reaudit.auditor)
    for domain, grade in zip(programme.tool_version.domains, ("Inadequate", "Requires improvement to be good", "Good")):
        html = get(client, "audits.page", audit_id=reaudit.id, page_key=domain.key).text
        assert "Previous audit, 20 October 2021" in html
        previous = html[html.index("Previous audit, 20 October 2021") :]
        assert grade in previous[:400] and f"{domain.key} seen at" in previous[:600]
    overall = get(client, "audits.page", audit_id=reaudit.id, page_key="overall").text
    assert "Previous audit, 20 October 2021" in overall and "Update the plan" in overall  # its areas for improvement
    assert "This is a re-audit of inadequate practice" in get(client, "audits.task_list", audit_id=reaudit.id).text
    check = get(client, "audits.check", audit_id=reaudit.id).text
    assert check.count("Previous audit, 20 October 2021") == 3
    # An audit that is not a re-audit shows nothing of the kind.
    assert "Previous audit" not in get(client, "audits.page", audit_id=original.id, page_key=KEYS[0]).text


def queries_for_previous_audit(reaudit_id):
    """How many statements reading the previous audit takes, and what it found."""
    db.session.expire_all()
    reaudit = db.session.get(CaseAudit, reaudit_id)
    assert reaudit.reaudit_of is not None  # loaded before counting, as the page has it
    with statements() as seen:
        previous = services.previous_audit(reaudit)
    return len(seen), previous


def test_the_previous_audit_shows_the_moderators_grades_read_in_the_same_few_queries_however_long(programme):
    original, reaudit = make_reaudit(programme, (4, 3, 2))
    original.status = "moderated"
    moderation = ModerationFactory(audit=original, outcome="changed", overall_grade=3)
    ModeratedGradeFactory(moderation=moderation, judgement=judgement_in(original, KEYS[0]), grade=3)
    db.session.commit()
    short, previous = queries_for_previous_audit(reaudit.id)
    first = programme.tool_version.domains[0]
    assert previous.answer_for(first.key, first.questions[0]).answer == "Requires improvement to be good"
    assert previous.overall.answer == "Requires improvement to be good"  # the moderator's overall grade

    longer = AuditProgrammeFactory(tool_version=published_tool(KEYS + ("plans", "visits", "impact", "multi_agency")))
    _, long_reaudit = make_reaudit(longer, (4, 3, 2, 2, 3, 4, 2))
    assert queries_for_previous_audit(long_reaudit.id)[0] == short <= 3


def test_the_result_is_improved_same_or_worse_by_domain_with_the_moderators_grades(client, programme):
    original, reaudit = make_reaudit(programme, (4, 3, 2), after=(2, 3, 3), overall_before=4, overall_after=3)
    results = {r.label: r.result for r in services.domain_results(reaudit)}
    assert results == {
        "Assessment quality": "improved",
        "Voice of child": "same",
        "Management oversight": "worse",
        "Overall grade": "improved",
    }
    # The moderator grades the re-audit's last domain Good again: it is the same, not worse.
    reaudit.status = "moderated"
    moderation = ModerationFactory(audit=reaudit, outcome="changed", overall_grade=3)
    ModeratedGradeFactory(moderation=moderation, judgement=judgement_in(reaudit, KEYS[2]), grade=2)
    db.session.commit()
    assert services.domain_results(reaudit)[2].result == "same"

    sign_in_as(client, user_with(Role.QA_LEAD))
    html = get(client, "audits.view", audit_id=reaudit.id).text
    assert "Compared with the previous audit, 20 October 2021" in html
    table = table_rows(html, "re-audit-results")
    assert table["Assessment quality"] == ["Inadequate", "Good", "Improved"]
    assert table["Voice of child"] == ["Requires improvement to be good", "Requires improvement to be good", "Same"]
    assert table["Management oversight"] == ["Good", "Good", "Same"]
    assert table["Overall grade"] == ["Inadequate", "Requires improvement to be good", "Improved"]


def test_the_closing_the_loop_panel_counts_the_plans_reaudits(client, programme):
    make_reaudit(programme, (4, 4, 4), after=(2, 2, 2), overall_before=4, overall_after=2)
    make_reaudit(programme, (4, 4, 4), after=(4, 4, 4), overall_before=4, overall_after=4)
    make_reaudit(programme, (4, 3, 3), after=(2, 2, 2), submitted_at=datetime(2022, 6, 1, tzinfo=UTC))  # after the plan
    make_reaudit(programme, (4, 3, 3))  # not done yet
    figures = services.reaudit_figures(date(2021, 9, 1), date(2022, 3, 31))
    assert (figures.completed, figures.improved, figures.same, figures.worse) == (2, 1, 1, 0)

    plan = PlanFactory(first_month=date(2021, 9, 1), last_month=date(2022, 3, 1))
    action = ActionFactory(priority=PriorityFactory(plan=plan))
    sign_in_as(client, user_with(Role.QA_LEAD))
    html = get(client, "plan.action", action_id=action.id).text
    assert "Re-audits completed from September 2021 to March 2022" in html
    assert table_rows(html, "re-audit-loop") == {
        "Completed": ["2"],
        "Improved": ["50% (1 of n = 2)"],
        "Same": ["1"],
        "Worse": ["0"],
    }


def test_a_qa_lead_gives_a_scheduled_reaudit_to_another_auditor(client, programme):
    original, reaudit = make_reaudit(programme, (4, 3, 2))
    other = user_with(Role.AUDITOR, display_name="Robin Auditor")
    sign_in_as(client, user_with(Role.QA_LEAD))
    page = get(client, "programmes.programme", programme_id=programme.id).text
    assert f'href="/re-audits/{reaudit.id}/auditor"' in page

    refused = post(client, "reaudits.reassign", audit_id=reaudit.id, data={"auditor_id": "not-a-number"})
    assert refused.status_code == 400 and "There is a problem" in refused.text and "Select an auditor" in refused.text
    done = post(client, "reaudits.reassign", audit_id=reaudit.id, data={"auditor_id": str(other.id)})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/programmes/{programme.id}#re-audits")
    db.session.refresh(reaudit)
    assert reaudit.auditor_id == other.id
    assert db.session.scalar(
        select(func.count(ChangeLog.id)).where(ChangeLog.record_id == reaudit.id, ChangeLog.field == "auditor_id")
    )
    # An audit that is not a re-audit, or a re-audit already started, is not handed over here.
    assert get(client, "reaudits.reassign", audit_id=original.id).status_code == 404
    reaudit.status = "in_progress"
    db.session.commit()
    assert get(client, "reaudits.reassign", audit_id=reaudit.id).status_code == 404


def test_reminders_for_reaudits_due_say_when_but_never_the_case(app, programme):
    original, reaudit = make_reaudit(programme, (4, 3, 2))
    reaudit.due_date = date(2022, 1, 12)
    db.session.commit()
    assert services.reaudits_due(date(2021, 12, 28)) == []  # 15 days before: not shown yet
    [(users, kind, subject, link, key)] = services.reaudits_due(date(2021, 12, 29))
    assert (users, kind, subject, link, key) == (
        [reaudit.auditor],
        "reaudit_due",
        "A re-audit is due by 12 January 2022",
        f"/audits/{reaudit.id}",
        f"reaudit-due:{reaudit.id}",
    )
    [(_, kind, subject, _, key)] = services.reaudits_due(date(2022, 1, 13))
    assert (kind, key) == ("reaudit_overdue", f"reaudit-overdue:{reaudit.id}")
    assert reaudit.case.case_reference not in subject
    reaudit.status = "submitted"
    db.session.commit()
    assert services.reaudits_due(date(2022, 1, 13)) == []


def test_send_reminders_tells_the_auditor_a_reaudit_is_due_once(app, programme):
    _, reaudit = make_reaudit(programme, (4, 3, 2))
    reaudit.due_date = date(2022, 1, 12)
    db.session.commit()
    for _ in range(2):
        send_reminders(date(2021, 12, 29))
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == reaudit.auditor_id)).all()
    assert kinds.count("reaudit_due") == 1


def test_the_demo_has_two_improved_reaudits_one_due_and_one_scheduled_once(app, programme):
    auditor = user_with(Role.AUDITOR, email="auditor@example.org")
    for grades in ((4, 4, 3), (4, 3, 3), (4, 4, 4), (4, 2, 3), (2, 2, 2)):
        original = answered_audit(programme, grades, overall=max(grades), status="submitted")
        original.submitted_at = datetime(2021, 10, 20, 10, tzinfo=UTC)
    db.session.commit()
    seed_reaudits("pw")
    seed_reaudits("pw")  # a second run adds nothing
    rows = db.session.scalars(select(CaseAudit).where(CaseAudit.reaudit_of_id.is_not(None))).all()
    assert len(rows) == 4
    done = [r for r in rows if r.status == AuditStatus.SUBMITTED]
    assert len(done) == 2
    assert all(r.result in ("improved", "same") for d in done for r in services.domain_results(d))
    assert services.reaudit_figures(date(2021, 9, 1), date(2022, 3, 31)).improved == 2
    due = audits.my_audits(auditor).to_do
    assert len(due) == 1 and due[0].reaudit_of_id and services.previous_audit(due[0]).answers
    assert len(services.scheduled_reaudits()) == 1
