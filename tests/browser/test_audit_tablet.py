"""What an auditor sees on a tablet (768x1024) while filling in an audit: error links that land on the
field below the sticky status bar, what the page still needs shown beside its field, a conflict shown where
the person is typing, theme lists that fit, resuming at the next section to do, and check your answers."""

import itertools
import re
from datetime import date, timedelta

from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditStatus, CaseAudit, Judgement, Team, User
from audit_app.models.base import utcnow
from tests.browser.conftest import assert_accessible, goto, live_path, open_as, sign_in
from tests.browser.test_audits import two_tabs, wait_until_saved
from tests.factories import CaseAuditFactory, CaseFactory

_references = itertools.count(1)


def new_audit(live_app, email="auditor@example.org"):
    """A not-started audit of the demo tool for the person, on a case of its own (the demo's audits are
    left to the other browser tests): its id and each section's questions."""
    with live_app.app_context():
        version = db.session.scalars(select(CaseAudit).order_by(CaseAudit.id)).first().tool_version
        case = CaseFactory(case_reference=f"TAB{next(_references):05d}", team=db.session.scalars(select(Team)).first())
        auditor = db.session.scalar(select(User).where(User.email == email))
        due = date.today() + timedelta(days=14)
        audit = CaseAuditFactory(case=case, tool_version=version, auditor=auditor, due_date=due)
        result = audit.id, [(d.key, [(q.id, q.response_type) for q in d.questions]) for d in version.domains]
        db.session.remove()
    return result


# Every sticky or fixed element's box, and the field's legend (or label) and error message boxes.
FIELD_IN_VIEW_JS = """(id) => {
  const field = document.getElementById(id);
  const group = field.closest('.govuk-form-group');
  const fieldset = field.closest('fieldset');
  const legend = fieldset ? fieldset.querySelector('legend') : document.querySelector(`label[for="${id}"]`);
  const error = group.querySelector('.govuk-error-message');
  const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
  const sticky = [...document.querySelectorAll('body *')]
    .filter((el) => ['sticky', 'fixed'].includes(getComputedStyle(el).position))
    .filter((el) => el.getBoundingClientRect().height > 0)
    .map(box);
  return {legend: box(legend), error: error && box(error), sticky, height: window.innerHeight,
          focused: document.activeElement && document.activeElement.id};
}"""


def assert_field_in_view(page, field_id, where):
    boxes = page.evaluate(FIELD_IN_VIEW_JS, field_id)
    assert boxes["error"], f"{where}: no error message by {field_id}"
    covered_to = max([s["bottom"] for s in boxes["sticky"] if s["top"] <= 0.5] + [0])
    for name in ("legend", "error"):
        box = boxes[name]
        assert box["top"] >= covered_to - 0.5 and box["bottom"] <= boxes["height"], (
            f"{where}: the {name} of {field_id} is at {box}, "
            f"the sticky bar covers 0-{covered_to}px, the screen is {boxes['height']}px"
        )
    if getattr(page, "javascript_enabled", True):  # GOV.UK's behaviour: the field focused
        assert boxes["focused"] == field_id, f"{where}: focus is on {boxes['focused']}, not {field_id}"


def test_every_error_link_lands_with_the_question_and_its_error_in_view_below_the_sticky_bar(page, live_app):
    audit_id, domains = new_audit(live_app)
    sign_in(page, "auditor@example.org")
    # Inadequate without evidence on the first question; everything else left unanswered.
    key, questions = domains[0]
    goto(page, "audits.page", audit_id=audit_id, page_key=key)
    page.locator(f'input[name="q{questions[0][0]}-grade"][value="4"]').check()
    page.locator("#autosave-status [data-autosave-hints], #autosave-status").first.wait_for()
    wait_until_saved(page)
    goto(page, "audits.check", audit_id=audit_id)
    page.get_by_role("button", name="Submit audit").click()
    links = page.locator(".govuk-error-summary a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    domain_links = [h for h in hrefs if "/domains/" in h]
    assert len(domain_links) >= 10
    for href in domain_links:
        # From check your answers to the section's page: a new page, opened at the field.
        goto(page, "audits.check", audit_id=audit_id)
        page.get_by_role("button", name="Submit audit").click()
        page.locator(f'.govuk-error-summary a[href="{href}"]').click()
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)
        field_id = href.split("#", 1)[1]
        assert_field_in_view(page, field_id, f"following {href}")
        if href == domain_links[0]:
            page.screenshot(path="/tmp/uia/error-link.png", caret="initial")
        # The section's own error summary: links within the page.
        for other in page.locator(".govuk-error-summary a").all():
            other_id = other.get_attribute("href").split("#", 1)[1]
            page.evaluate("window.scrollTo(0, 0)")
            other.click()
            page.wait_for_timeout(150)
            assert_field_in_view(page, other_id, f"{page.url}: the summary link to #{other_id}")
    assert_accessible(page, "a section opened at an error")


def test_without_javascript_error_links_land_with_the_question_and_its_error_in_view(page_without_js, live_app):
    page = page_without_js
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    page.locator(f'input[name="q{questions[0][0]}-grade"][value="4"]').check()
    page.get_by_role("button", name="Save and continue").click()
    goto(page, "audits.check", audit_id=audit_id)
    page.get_by_role("button", name="Submit audit").click()
    links = page.locator(".govuk-error-summary a")
    hrefs = [h for h in (links.nth(i).get_attribute("href") for i in range(links.count())) if "/domains/" in h]
    assert len(hrefs) >= 10
    for href in hrefs:
        page.goto(href)  # the error summary's own link is the point
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # the browser's jump to the #fragment follows the page's layout
        assert_field_in_view(page, href.split("#", 1)[1], f"following {href} without JavaScript")


def submit_section(live_app, audit_id, key, questions, submitted_at=None):
    """The section's questions graded Requires improvement then Good, with evidence, and the audit submitted."""
    with live_app.app_context():
        audit = db.session.get(CaseAudit, audit_id)
        for number, (question_id, _) in enumerate(questions):
            db.session.add(
                Judgement(
                    audit=audit,
                    question_id=question_id,
                    domain_key=key,
                    grade=3 - number,
                    evidence="The plan has no timescales.",
                )
            )
        audit.status = AuditStatus.SUBMITTED.value
        audit.submitted_at = submitted_at or utcnow()
        db.session.commit()
        db.session.remove()


def sticky_bar_bottom(page):
    return page.evaluate("() => document.querySelector('#autosave-status').getBoundingClientRect().bottom")


def test_what_a_section_still_needs_shows_beside_its_field_and_the_sticky_bar_stays_one_line(page, live_app):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]
    first, second = questions[0][0], questions[1][0]
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    page.locator(f'input[name="q{first}-grade"][value="4"]').check()
    page.locator(f'input[name="q{second}-grade"][value="3"]').check()
    wait_until_saved(page)
    status = page.locator("#autosave-status")
    status.get_by_role("link", name="2 things needed before you can submit").wait_for()
    assert status.bounding_box()["height"] <= 50  # one line: it covers no checkbox or radio
    for question_id in (first, second):
        need = page.locator(f"#q{question_id}-evidence-needs")
        assert need.get_by_text(re.compile("enter the evidence for the grade given")).is_visible()
        # Beside the evidence box it is about: between its label and the box.
        assert 0 <= page.locator(f"#q{question_id}-evidence").bounding_box()["y"] - need.bounding_box()["y"] <= 120
    page.locator(f"#q{second}-evidence").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/uia/needs.png", caret="initial")
    assert_accessible(page, "a section with what it needs beside the fields")
    # The link in the bar takes the auditor to the first field, legend in view below the bar.
    status.get_by_role("link").click()
    assert page.evaluate("() => document.activeElement.id") == f"q{first}-evidence"
    assert page.locator(f"label[for=q{first}-evidence]").bounding_box()["y"] >= sticky_bar_bottom(page)
    page.locator(f"#q{first}-evidence").fill("Strategy meeting held late.")
    page.locator(f"#q{second}-evidence").fill("No plan review for twelve weeks.")
    wait_until_saved(page)
    assert not page.locator(f"#q{first}-evidence-needs").is_visible()
    assert not status.get_by_text("needed before you can submit").is_visible()


def audit_evidence(live_app, audit_id):
    with live_app.app_context():
        evidence = {j.question_id: j.evidence for j in db.session.get(CaseAudit, audit_id).judgements}
        db.session.remove()
    return evidence


def test_a_conflict_from_another_tab_shows_where_the_person_types_and_follows_their_typing(
    browser, live_server, live_app
):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[1]  # Assessment quality: three questions, a long page
    top, bottom = questions[0][0], questions[-1][0]
    with two_tabs(browser, live_server, live_path("audits.page", audit_id=audit_id, page_key=key)) as (one, two):
        one.locator(f"#q{top}-evidence").fill("Written in the first tab.")
        wait_until_saved(one)
        saved_at = one.locator("#autosave-status").inner_text()[len("Saved at ") :][:5]
        field = two.locator(f"#q{bottom}-evidence")
        field.fill("Typed in the second tab")
        panel = two.locator("[data-autosave-state='conflict']")
        panel.wait_for()
        # The panel is where the person is typing, with the field they type in still in view.
        panel_box, field_box = panel.bounding_box(), field.bounding_box()
        assert panel_box["y"] >= -0.5 and panel_box["y"] + panel_box["height"] <= 400
        assert panel_box["y"] + panel_box["height"] <= field_box["y"] and field_box["y"] + field_box["height"] <= 1024
        assert panel.get_by_text(f"This was saved elsewhere (another tab or device) at {saved_at}").is_visible()
        two.screenshot(path="/tmp/uia/conflict.png", caret="initial")
        assert_accessible(two, "conflict in the sticky bar")
        # Later typing: "Yours, not saved" follows it, and the comparison stays open.
        panel.get_by_text(re.compile("Compare the two versions")).click()
        field.press_sequentially(", and more typed later.")
        two.wait_for_timeout(1300)
        two.wait_for_function("() => !document.querySelector('form[data-autosave]').hasAttribute('aria-busy')")
        assert panel.get_by_text("Yours, not saved: Typed in the second tab, and more typed later.").is_visible()
        assert panel.get_by_text("Saved elsewhere: Written in the first tab.").is_visible()
        assert audit_evidence(live_app, audit_id) == {top: "Written in the first tab."}
        # It stays in view as the person scrolls on, until they choose.
        two.mouse.wheel(0, 600)
        two.wait_for_timeout(200)
        assert -0.5 <= panel.bounding_box()["y"] <= 50
        two.screenshot(path="/tmp/uia/conflict-open.png", caret="initial")
        panel.get_by_role("button", name="Keep my answers").click()
        two.get_by_text("Your answers have replaced the ones saved before.").wait_for()
        assert audit_evidence(live_app, audit_id)[bottom] == "Typed in the second tab, and more typed later."


def visible_themes(page, question_id):
    boxes = page.locator(f'input[name="q{question_id}-themes"]')
    return [
        boxes.nth(i).evaluate("(el) => el.labels[0].innerText.trim()")
        for i in range(boxes.count())
        if boxes.nth(i).is_visible()
    ]


def test_each_question_shows_its_suggested_themes_and_folds_the_others_away(page, live_app):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[1]  # Assessment quality: three questions
    with live_app.app_context():
        from audit_app.models import Question

        suggested = {q: [t.name for t in db.session.get(Question, q).default_themes] for q, _ in questions}
        db.session.remove()
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"assessment quality page height at 768x1024: {height}px")
    # 6,100 px with every theme listed under each question; 4,450 px now (with its good-practice box each)
    assert height < 4800
    for question_id, _ in questions:
        assert visible_themes(page, question_id) == suggested[question_id]
    first = questions[0][0]
    other = page.locator(f".app-other-themes:below(#q{first}-evidence)").first
    other.locator("summary").click()
    page.screenshot(path="/tmp/uia/themes.png", caret="initial")
    assert_accessible(page, "other themes open")
    other.get_by_label("Voice of the child").check()
    wait_until_saved(page)
    # Back on the page, what is ticked is in view without opening anything.
    page.reload()
    assert visible_themes(page, first) == sorted(suggested[first] + ["Voice of the child"])
    first_group = page.locator(f"#q{first}-themes").locator("xpath=ancestor::fieldset")
    assert first_group.get_by_label("Voice of the child").is_checked()


def test_check_your_answers_uses_the_tablets_width_and_adding_a_follow_up_returns_to_it(page, live_app):
    audit_id, domains = new_audit(live_app)
    key, questions = domains[0]
    open_as(page, "auditor@example.org", "audits.page", audit_id=audit_id, page_key=key)
    page.locator(f'input[name="q{questions[0][0]}-grade"][value="4"]').check()
    page.locator(f"#q{questions[0][0]}-evidence").fill("No visit for nine weeks; the plan has not moved.")
    wait_until_saved(page)
    goto(page, "audits.check", audit_id=audit_id)
    evidence = page.get_by_text("No visit for nine weeks; the plan has not moved.")
    column = page.locator("main .govuk-grid-row > div").first
    assert column.bounding_box()["width"] >= 700  # 738 px; it was 492 px, two thirds of the tablet's width
    value = evidence.locator("xpath=ancestor::dd").bounding_box()
    widths = f"column {column.bounding_box()['width']:.0f} px, answer {value['width']:.0f} px"
    print(f"check your answers at 768 px: {widths}")
    assert value["width"] >= 300  # the answer and its evidence: 334 px
    page.get_by_label("What must happen").fill("Team manager to visit the family this week.")
    page.get_by_label("Who will make sure it happens").select_option(index=1)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill(str(date.today().year + 1))
    page.get_by_role("button", name="Add follow-up").click()
    page.wait_for_url(re.compile(r"/check#follow-up$"))
    page.wait_for_timeout(200)
    heading = page.get_by_role("heading", name="Immediate follow-up").bounding_box()
    assert 0 <= heading["y"] <= 100  # back at the follow-up, not 3,500 px above it at the top of the page
    assert page.get_by_text("Team manager to visit the family this week.").is_visible()
    page.screenshot(path="/tmp/uia/check-follow-up.png", caret="initial")
    assert_accessible(page, "check your answers after adding a follow-up")


def test_a_returned_audit_shows_which_sections_and_questions_the_comments_are_about(browser, live_server, live_app):
    from tests.browser.conftest import _new_page

    audit_id, domains = new_audit(live_app)
    key, questions = domains[3]  # Plans
    submit_section(live_app, audit_id, key, questions)
    context, moderator = _new_page(browser, live_server)
    try:
        sign_in(moderator, "qa@example.org")
        goto(moderator, "moderation.return_audit", audit_id=audit_id)
        moderator.get_by_label("What the auditor needs to change").fill("Say what the plan's timescales are.")
        moderator.get_by_label(re.compile(r"Plans: Is there an up-to-date SMART plan .*Requires improvement")).check()
        assert_accessible(moderator, "return form with the judgements to mark")
        moderator.get_by_role("button", name=re.compile("Return")).click()
        moderator.wait_for_url(re.compile(r"/moderation/?$"))
    finally:
        context.close()

    page = _new_page(browser, live_server)[1]
    open_as(page, "auditor@example.org", "audits.task_list", audit_id=audit_id)
    returned = page.locator(".app-returned")
    assert returned.get_by_text("Say what the plan's timescales are.").is_visible()
    link = returned.get_by_role("link", name="Plans: Is there an up-to-date SMART plan linked to the assessed risk?")
    assert link.is_visible()
    plans = page.locator(".govuk-task-list__item", has_text="Plans")
    assert plans.get_by_text("See the comments").is_visible()  # not "Completed"
    assert page.locator(".govuk-task-list__item", has_text="Visits").get_by_text("See the comments").count() == 0
    page.screenshot(path="/tmp/uia/returned.png", caret="initial")
    assert_accessible(page, "task list of a returned audit")
    link.click()
    page.wait_for_url(re.compile(rf"/domains/{key}#q{questions[0][0]}-grade$"))
    notice = page.locator(f".app-question:has(#q{questions[0][0]}-grade) .app-returned")
    assert notice.get_by_text("comments are about this question").is_visible()
    assert page.locator(f".app-question:has(#q{questions[1][0]}-grade) .app-returned").count() == 0
    page.context.close()
