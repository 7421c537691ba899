"""A supervision audit on a tablet (768x1024): a QA lead adds a supervisor-supervisee pair to a supervision
programme, the auditor completes and submits it with autosave, a moderator agrees it, and the theme summary
shows it with its own figures, apart from case audits'. axe-core on each new or changed page."""

import re
import uuid
from datetime import date

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, User
from audit_app.permissions import Role
from tests.browser.conftest import assert_accessible, goto, live_path, open_as, sign_in
from tests.browser.test_audits import wait_until_saved
from tests.factories import AuditProgrammeFactory, published_tool, user_with

EVIDENCE = "Supervision notes for July to September show reflective discussion; direction for CR-100231 recorded."


def supervision_scene(live_app) -> dict:
    """Its own tool (unique domain keys, so no other test's data is counted), programme and pair of staff."""
    tag = uuid.uuid4().hex[:8]
    with live_app.app_context():
        version = published_tool((f"reflective_discussion_{tag}", f"oversight_on_files_{tag}"))
        version.tool.subject = "supervision"
        programme = AuditProgrammeFactory(tool_version=version, name=f"Supervision audit {tag}")
        supervisor = user_with(Role.TEAM_MANAGER, display_name=f"Tina Supervisor {tag}")
        supervisee = user_with(Role.PRACTITIONER, display_name=f"Sol Supervisee {tag}")
        db.session.commit()
        scene = {
            "programme_id": programme.id,
            "keys": [d.key for d in version.domains],
            "titles": [d.title for d in version.domains],
            "questions": [d.questions[0].id for d in version.domains],
            "supervisor": (supervisor.id, supervisor.display_name),
            "supervisee": (supervisee.id, supervisee.display_name),
            "auditor_id": db.session.scalar(select(User.id).where(User.email == "auditor@example.org")),
        }
        db.session.remove()
    return scene


def the_audit(live_app, programme_id) -> tuple[int, str]:
    with live_app.app_context():
        audit = db.session.scalar(select(CaseAudit).where(CaseAudit.programme_id == programme_id))
        result = (audit.id, audit.status)
        db.session.remove()
    return result


def sign_in_afresh(page, email):
    """Another person on the same tablet: the last one's session goes first."""
    page.context.clear_cookies()
    sign_in(page, email)


def test_a_supervision_audit_goes_through_the_form_moderation_and_the_summary(page, live_app):
    scene = supervision_scene(live_app)
    pair = f"supervision of {scene['supervisee'][1]} by {scene['supervisor'][1]}"

    # The QA lead adds the pair: both people, the period of records and the auditor.
    open_as(page, "qa@example.org", "programmes.programme", programme_id=scene["programme_id"])
    assert page.get_by_text("No supervision pairs added yet.").is_visible()
    assert_accessible(page, "supervision programme")
    page.get_by_role("button", name="Add a supervision pair").click()
    assert_accessible(page, "add a supervision pair")
    page.get_by_label("Supervisor").select_option(str(scene["supervisor"][0]))
    page.get_by_label("Supervisee").select_option(str(scene["supervisor"][0]))  # the same person, by mistake
    for name, day in (("supervision_from", date(2026, 9, 30)), ("supervision_to", date(2026, 7, 1))):
        for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
            page.locator(f"#{name}-{part}").fill(str(value))
    page.get_by_label("Auditor").select_option(str(scene["auditor_id"]))
    page.get_by_role("button", name="Add the pair").click()
    summary = page.locator(".govuk-error-summary")
    summary.get_by_text("The supervisee must be someone other than the supervisor").wait_for()
    assert summary.get_by_text("The end of the supervision period must be on or after its start").is_visible()
    assert page.locator("#supervision_from-day").input_value() == "30"  # what was typed is kept
    assert_accessible(page, "add a supervision pair with errors")
    page.get_by_label("Supervisee").select_option(str(scene["supervisee"][0]))
    page.locator("#supervision_from-day").fill("1")
    page.locator("#supervision_from-month").fill("7")
    page.locator("#supervision_to-day").fill("30")
    page.locator("#supervision_to-month").fill("9")
    page.get_by_role("button", name="Add the pair").click()
    page.get_by_text(f"Added the audit of {pair}.").wait_for()
    assert page.get_by_text("Supervision records from 1 July 2026 to 30 September 2026").is_visible()
    audit_id, _ = the_audit(live_app, scene["programme_id"])

    # The auditor completes it on the same form as a case audit, with autosave, and submits it.
    sign_in_afresh(page, "auditor@example.org")
    goto(page, "audits.my_audits")
    page.locator(f'a[href="{live_path("audits.task_list", audit_id=audit_id)}"]').click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit of {pair}"
    assert_accessible(page, "supervision task list")
    for key, question_id in zip(scene["keys"], scene["questions"]):
        goto(page, "audits.page", audit_id=audit_id, page_key=key)
        page.locator(f'input[name="q{question_id}-grade"][value="2"]').check()
        page.locator(f"#q{question_id}-evidence").fill(EVIDENCE)
        wait_until_saved(page)
    assert_accessible(page, "supervision audit page")
    goto(page, "audits.page", audit_id=audit_id, page_key="overall")
    assert page.locator('input[name="audited_alongside_worker"]').count() == 0  # nothing about a child or worker
    page.locator('input[name="overall_grade"][value="2"]').check()
    page.locator("#strengths").fill("Regular, reflective supervision.")
    wait_until_saved(page)
    assert_accessible(page, "supervision overall page")
    page.get_by_role("button", name="Save and check your answers").click()
    page.wait_for_url(re.compile(r"/check$"))
    check = page.locator("main")
    assert check.get_by_text("Regular, reflective supervision.").is_visible()
    assert check.get_by_text("The child and family's voice").count() == 0
    assert_accessible(page, "supervision check your answers")
    page.get_by_role("button", name="Submit audit").click()
    page.wait_for_url(re.compile(r"/audits/$"))
    assert page.get_by_text(f"Audit of {pair} submitted.").is_visible()
    assert the_audit(live_app, scene["programme_id"])[1] == AuditStatus.SUBMITTED

    # A moderator agrees it on the same moderation form.
    sign_in_afresh(page, "qa@example.org")
    goto(page, "moderation.moderate", audit_id=audit_id)
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit of {pair}"
    assert_accessible(page, "supervision moderation")
    page.get_by_role("button", name="Confirm moderation").click()
    page.get_by_text("Moderation recorded: grades agreed.").wait_for()
    assert the_audit(live_app, scene["programme_id"])[1] == AuditStatus.MODERATED

    # The summary shows it among supervision audits only, with its own figures.
    today = date.today()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    goto(page, "themes.summary", period=quarter)
    assert page.locator(f'#table-domains tr[data-key="{scene["keys"][0]}"]').count() == 0
    page.locator("#subject-switch").get_by_role("link", name="see the figures of supervision audits").click()
    page.get_by_role("heading", name="Grades by domain (supervision audits)").wait_for()
    assert_accessible(page, "supervision figures")
    for key in scene["keys"]:
        row = page.locator(f'#table-domains tr[data-key="{key}"]')
        assert row.locator('td[data-grade="2"]').inner_text().strip() == "1"  # its one Good judgement
    assert page.locator("#table-domains").get_by_text(scene["titles"][0]).is_visible()
