"""The practitioners' loop on a tablet (768x1024), through the pages alone: an auditor submits an audit with an
Inadequate domain; the allocated worker sees it on their home page and disagrees with one domain; a moderator
resolves it; the team manager adds two actions for the child and completes one; when the re-audit falls due
it is in the auditor's list with the previous grades beside each question; and the plan's closing-the-loop
panel counts it. axe-core and the touch-target check run on every page the walk opens.

Everyone in it, their team, the case and a plan running now are the test's own, so neither the demo data
nor other tests' records change what it sees."""

import re
from contextlib import ExitStack
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from audit_app.dates import long_date
from audit_app.extensions import db
from audit_app.models import Action, CaseAudit, DomainResponse, Locality, Plan, Priority, Service
from audit_app.permissions import Role
from audit_app.reaudits import services as reaudits
from tests.browser.conftest import _new_page, assert_accessible, assert_touch_targets, goto, live_path, sign_in
from tests.factories import (
    PASSWORD,
    ActionFactory,
    CaseAuditFactory,
    CaseFactory,
    PlanFactory,
    PriorityFactory,
    TeamFactory,
    published_tool,
    user_with,
)

DOMAINS = ("loop_plans", "loop_visits", "loop_oversight")
EVIDENCE = "No visit for nine weeks; the plan has not moved since the review."
IN_A_MONTH = date.today() + timedelta(days=30)
RI = "Requires improvement to be good"


def _first(model):
    return db.session.scalars(select(model).order_by(model.id)).first()


def _remove_plan(plan_id: int) -> None:
    plan = db.session.get(Plan, plan_id)
    for priority in db.session.scalars(select(Priority).where(Priority.plan_id == plan_id)):
        for action in db.session.scalars(select(Action).where(Action.priority_id == priority.id)):
            db.session.delete(action)
        db.session.delete(priority)
    db.session.delete(plan)
    db.session.commit()


@pytest.fixture
def loop(live_app):
    """The people, a team of their own (in a demo locality and service), a case allocated to the worker, its
    audit assigned to the auditor, and an improvement plan running now with one action. The plan goes
    afterwards: the plan pages open the newest plan, and later tests expect the demo's."""
    with live_app.app_context():
        team = TeamFactory(name="Practitioner loop team", locality=_first(Locality), service=_first(Service))
        people = {
            "worker": user_with(Role.PRACTITIONER, display_name="Loop Worker", worker_ref="LOOPSW1", team=team),
            "manager": user_with(Role.TEAM_MANAGER, display_name="Loop Team Manager", team=team),
            "auditor": user_with(Role.AUDITOR, display_name="Loop Auditor"),
            "moderator": user_with(Role.SENIOR_MANAGER, display_name="Loop Moderator"),
            "qa_lead": user_with(Role.QA_LEAD, display_name="Loop QA Lead"),
        }
        case = CaseFactory(
            case_reference="LOOP00001", team=team, locality=team.locality, allocated_worker_ref="LOOPSW1"
        )
        version = published_tool(DOMAINS)
        audit = CaseAuditFactory(
            case=case, tool_version=version, auditor=people["auditor"], due_date=date.today() + timedelta(days=7)
        )
        month = date.today().replace(day=1)
        plan = PlanFactory(first_month=month, last_month=(month + timedelta(days=190)).replace(day=1))
        action = ActionFactory(priority=PriorityFactory(plan=plan), owner=people["qa_lead"], started_on=date.today())
        scene = {
            "audit_id": audit.id,
            "reference": case.case_reference,
            "questions": [(d.key, d.title, d.questions[0].id) for d in version.domains],
            "action_id": action.id,
            "emails": {name: user.email for name, user in people.items()},
        }
        plan_id = plan.id
        db.session.remove()
    yield scene
    with live_app.app_context():
        _remove_plan(plan_id)
        db.session.remove()


def _check(page, what: str) -> None:
    assert_accessible(page, what)
    assert_touch_targets(page, what)


def _by_href(page, endpoint: str, **values):
    return page.locator(f'a[href="{live_path(endpoint, **values)}"]').first


def _in_db(live_app, query):
    with live_app.app_context():
        result = query()
        db.session.remove()
    return result


def _complete_audit(page, questions, grades, overall: str, look=None) -> None:
    """With JavaScript off: each section graded (with evidence) and saved, the family's voice, the overall.
    `look(key)` checks each section's page first."""
    for key, _, question_id in questions:
        assert page.url.endswith(f"/domains/{key}")
        if look:
            look(key)
        page.locator(f'input[name="q{question_id}-grade"][value="{grades[key]}"]').check()
        page.locator(f"#q{question_id}-evidence").fill(EVIDENCE)
        page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith("/domains/family-voice")
    page.get_by_label("Not contacted", exact=True).check()
    page.get_by_label("Why were they not contacted?").fill("The family declined.")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(f'input[name="overall_grade"][value="{overall}"]').check()
    page.locator('input[name="audited_alongside_worker"][value="no"]').check()
    page.locator("#areas_for_improvement").fill("Visit at the frequency the plan sets.")
    page.get_by_role("button", name="Save and check your answers").click()
    assert page.url.endswith("/check")


def _completed_reaudits(page) -> int:
    """The closing-the-loop panel's count of re-audits completed in the plan's period."""
    table = page.locator("#re-audit-loop")
    if not table.count():
        assert page.get_by_text("No re-audits were completed").is_visible()
        return 0
    return int(table.locator("tr", has=page.get_by_text("Completed", exact=True)).locator("td").inner_text())


def test_the_loop_from_audit_to_reaudit_through_the_pages(browser, live_server, live_app, loop, monkeypatch):
    audit_id, reference, questions = loop["audit_id"], loop["reference"], loop["questions"]
    pages = []
    with ExitStack() as stack:

        def person(name: str, javascript: bool = True):
            """A browser of their own for each person, signed in."""
            context, page = _new_page(browser, live_server, java_script_enabled=javascript)
            stack.callback(context.close)
            pages.append(page)
            sign_in(page, loop["emails"][name], PASSWORD)
            return page

        # The plan's panel before: re-audits completed in its period (this month on) by anyone so far.
        qa_lead = person("qa_lead")
        goto(qa_lead, "plan.action", action_id=loop["action_id"])
        _check(qa_lead, "a plan action's closing-the-loop panel")
        completed_before = _completed_reaudits(qa_lead)

        # 1. The auditor submits the audit, Visits Inadequate, with the immediate follow-up it needs.
        auditor = person("auditor", javascript=False)
        goto(auditor, "audits.my_audits")
        _check(auditor, "the auditor's audits")
        _by_href(auditor, "audits.task_list", audit_id=audit_id).click()
        _check(auditor, "the audit's task list")
        auditor.get_by_role("link", name=questions[0][1]).click()
        _check(auditor, "the audit's first section")
        _complete_audit(auditor, questions, {"loop_plans": "2", "loop_visits": "4", "loop_oversight": "3"}, "3")
        _check(auditor, "check your answers")
        auditor.get_by_label("What must happen").fill("Team manager to visit the family this week.")
        auditor.get_by_label("Who will make sure it happens").select_option(index=1)
        auditor.get_by_label("Day").fill(str(IN_A_MONTH.day))
        auditor.get_by_label("Month").fill(str(IN_A_MONTH.month))
        auditor.get_by_label("Year").fill(str(IN_A_MONTH.year))
        auditor.get_by_role("button", name="Add follow-up").click()
        auditor.get_by_role("button", name="Submit audit").click()
        assert auditor.get_by_text(f"Audit of {reference} submitted.").is_visible()

        # 2. The worker sees it on their home page and disagrees with the Inadequate for Visits.
        worker = person("worker")
        assert worker.get_by_role("heading", name="Audits of your cases").is_visible()
        _check(worker, "the worker's home page with the shared audit")
        worker.get_by_role("link", name=reference, exact=True).click()
        worker.get_by_role("link", name="Respond to this audit").click()
        _check(worker, "the worker's response form")
        worker.get_by_label("What you take from this audit").fill("I will plan visits with my manager.")
        worker.locator('input[name="agreement_0"][value="agree"]').check()
        worker.locator('input[name="agreement_1"][value="disagree"]').check()
        worker.locator("#reason_1").fill("I visited twice in those weeks; the notes were late.")
        worker.locator('input[name="agreement_2"][value="partly"]').check()
        worker.locator("#reason_2").fill("Supervision happened but was not recorded.")
        worker.get_by_role("button", name="Send your response").click()
        worker.wait_for_url(re.compile(rf"/audits/{audit_id}/view"))
        assert worker.get_by_text("Awaiting moderation").is_visible()
        _check(worker, "the audit with the worker's response")

        # 3. A moderator resolves the disagreement: Visits becomes Requires improvement.
        disagreement_id = _in_db(
            live_app,
            lambda: db.session.scalar(
                select(DomainResponse.id).where(
                    DomainResponse.agreement == "disagree", DomainResponse.domain_key == "loop_visits"
                )
            ),
        )
        moderator = person("moderator")
        assert moderator.get_by_role("heading", name="Disagreements to resolve").is_visible()
        goto(moderator, "practitioners.disagreements")
        _check(moderator, "the disagreements to resolve")
        _by_href(moderator, "practitioners.resolve", disagreement_id=disagreement_id).click()
        _check(moderator, "resolving the disagreement")
        moderator.get_by_label("Your reason").fill("Two visits are recorded, late; not inadequate.")
        moderator.get_by_label("Change the grade").check()
        moderator.get_by_label(RI, exact=True).check()
        moderator.get_by_role("button", name="Record the resolution").click()
        moderator.get_by_text("Disagreement about Loop visits resolved").wait_for()
        worker.reload()
        assert f"grade changed to {RI}" in worker.locator("#response ~ dl").first.inner_text()

        # 4. The team manager adds two actions for the child and completes one.
        manager = person("manager")
        _check(manager, "the team manager's home page")
        manager.get_by_role("link", name=reference, exact=True).click()
        for description, whom in (
            ("Visit the child at school to hear their views.", "Loop Worker"),
            ("Ask the IRO to review the care plan.", None),
        ):
            manager.get_by_role("link", name="Add an action for the child").click()
            manager.get_by_label("What will be done for the child").fill(description)
            if whom:
                manager.get_by_label("By whom, in the team").select_option(label=whom)
            else:
                manager.get_by_label("Or someone outside the team").fill("IRO")
            manager.get_by_label("Day").fill(str(IN_A_MONTH.day))
            manager.get_by_label("Month").fill(str(IN_A_MONTH.month))
            manager.get_by_label("Year").fill(str(IN_A_MONTH.year))
            manager.get_by_label("Yes").check()
            _check(manager, "adding an action for the child")
            manager.get_by_role("button", name="Add action").click()
            manager.get_by_text("Action for the child added.").wait_for()
        manager.get_by_role("link", name="Visit the child at school to hear their views.").click()
        manager.get_by_role("link", name="Mark as done").click()
        _check(manager, "marking an action for the child done")
        manager.get_by_label("What was done").fill("Visited at school; the child's views are in the plan.")
        manager.get_by_role("button", name="Mark as done").click()
        manager.get_by_text("Action for the child marked as done.").wait_for()
        actions = manager.locator(".app-child-actions")
        assert (
            actions.locator("tr", has=manager.get_by_text("Visit the child at school"))
            .get_by_text("Done", exact=True)
            .is_visible()
        )
        assert (
            actions.locator("tr", has=manager.get_by_text("Ask the IRO")).get_by_text("Open", exact=True).is_visible()
        )
        _check(manager, "the audit with its actions for the child")

        # 5. The re-audit: scheduled twelve weeks on, so not in the auditor's list today.
        reaudit_id, due_on = _in_db(
            live_app,
            lambda: db.session.execute(
                select(CaseAudit.id, CaseAudit.due_date).where(CaseAudit.reaudit_of_id == audit_id)
            ).one(),
        )
        assert due_on == date.today() + timedelta(weeks=12)
        goto(auditor, "audits.my_audits")
        assert not _by_href(auditor, "audits.task_list", audit_id=reaudit_id).count()
        # Simulated: twelve weeks pass. The re-audits' clock (reaudits.services.today, which decides what
        # the auditors' lists show) moves to the due date; everything else, sessions included, keeps the real
        # time, so the re-audit is submitted today and counts in a plan running now.
        monkeypatch.setattr(reaudits, "today", lambda: due_on)
        goto(auditor, "audits.my_audits")
        row = auditor.locator("tr", has=_by_href(auditor, "audits.task_list", audit_id=reaudit_id))
        assert row.get_by_text("Re-audit").is_visible()
        _check(auditor, "the auditor's audits with the re-audit due")
        _by_href(auditor, "audits.task_list", audit_id=reaudit_id).click()
        auditor.get_by_role("link", name=questions[0][1]).click()
        previous = {"loop_plans": "Good", "loop_visits": RI, "loop_oversight": RI}  # the moderator's for Visits
        on = f"Previous audit, {long_date(date.today())}"

        def previous_grade_beside_the_question(key: str) -> None:
            beside = auditor.locator(".app-previous")
            assert beside.count() == 1 and on in beside.inner_text()
            assert beside.get_by_text(previous[key], exact=True).is_visible()
            _check(auditor, f"the re-audit's {key} section")

        _complete_audit(auditor, questions, dict.fromkeys(DOMAINS, "2"), "2", previous_grade_beside_the_question)
        _check(auditor, "checking the re-audit")
        auditor.get_by_role("button", name="Submit audit").click()
        assert auditor.get_by_text(f"Audit of {reference} submitted.").is_visible()

        # 6. The plan's closing-the-loop panel counts it, improved (Requires improvement overall, now Good).
        qa_lead.reload()
        assert _completed_reaudits(qa_lead) == completed_before + 1
        assert qa_lead.locator("#re-audit-loop").get_by_text(re.compile(r"\d+% \(\d+ of n = \d+\)")).is_visible()
        _check(qa_lead, "the closing-the-loop panel with the re-audit")
    assert not [v for page in pages for v in page.csp_violations], "Content-Security-Policy violations"
