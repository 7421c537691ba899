"""The audit form: autosave, save and continue without JavaScript, conflicts, validation, follow-ups,
submit, resume and history. Runs on SQLite and PostgreSQL."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from audit_app.audits import services
from audit_app.extensions import db
from audit_app.history import record_history
from audit_app.models import AuditStatus, CaseAudit, ChangeLog, FollowUp, ModerationOutcome
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import get, path_for, post, race, sign_in_as, statements
from tests.factories import AuditProgrammeFactory, CaseAuditFactory, ModerationFactory, user_with


@pytest.fixture
def audit(app):
    version = seed_tool()
    auditor = user_with(Role.AUDITOR, display_name="Alex Auditor")
    programme = AuditProgrammeFactory(tool_version=version, name="October 2021 monthly audit")
    return CaseAuditFactory(tool_version=version, programme=programme, auditor=auditor, due_date=date(2021, 11, 15))


def page_form(audit, key, grade="2", evidence="Seen on file.", extra=None):
    """Every field of one page answered with `grade` (yes for yes/no questions)."""
    page = services.page_for(audit, key)
    data = {"version": str(audit.version)}
    for q in page.questions:
        if q.response_type == "grade":
            data[f"q{q.id}-grade"] = grade
        elif q.response_type == "yes_no":
            data[f"q{q.id}-answer"] = "yes"
        else:
            data[f"q{q.id}-text"] = "An answer"
        data[f"q{q.id}-evidence"] = evidence
    data.update(extra or {})
    return data


def check_link(audit, page_key, anchor):
    """The check page's link to an answer to fix: the section in check mode, at the field."""
    return path_for("audits.page", audit_id=audit.id, page_key=page_key, check=1, _anchor=anchor)


def save_overall(client, audit, headers=None, **fields):
    """Post the overall page with the audit's current version and the fields given."""
    data = {"version": audit.version, **fields}
    return post(client, "audits.page", audit_id=audit.id, page_key="overall", data=data, headers=headers)


def complete(client, audit, grade="2", overall="2"):
    for domain in audit.tool_version.domains:
        db.session.refresh(audit)
        response = post(
            client, "audits.page", audit_id=audit.id, page_key=domain.key, data=page_form(audit, domain.key, grade)
        )
        assert response.status_code == 302
    db.session.refresh(audit)
    response = save_overall(
        client,
        audit,
        overall_grade=overall,
        audited_alongside_worker="yes",
        **{
            "alongside_conversation_on-day": "19",
            "alongside_conversation_on-month": "10",
            "alongside_conversation_on-year": "2021",
        },
        strengths="Knows the child well",
        areas_for_improvement="Update the plan",
    )
    assert response.headers["Location"].endswith(path_for("audits.check", audit_id=audit.id))
    db.session.refresh(audit)


def test_save_and_continue_without_javascript_saves_and_moves_on(client, audit):
    sign_in_as(client, audit.auditor)
    first, second = audit.tool_version.domains[:2]
    response = post(
        client,
        "audits.page",
        audit_id=audit.id,
        page_key=first.key,
        data=page_form(audit, first.key, "3", "No chronology on file."),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(path_for("audits.page", audit_id=audit.id, page_key=second.key))
    db.session.refresh(audit)
    assert audit.status == AuditStatus.IN_PROGRESS
    assert {j.grade for j in audit.judgements} == {3}
    assert {j.evidence for j in audit.judgements} == {"No chronology on file."}
    page = get(client, "audits.page", audit_id=audit.id, page_key=first.key).get_data(as_text=True)
    assert "No chronology on file." in page
    assert re.search(r'value="3"\s+checked', page)


def test_autosave_answers_with_saved_time_and_new_version(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    response = post(
        client,
        "audits.page",
        audit_id=audit.id,
        page_key=key,
        data=page_form(audit, key),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"Saved at \d\d:\d\d", html)
    db.session.refresh(audit)
    assert f'id="autosave-version" value="{audit.version}" hx-swap-oob="true"' in html
    assert "<html" not in html  # only the fragment


def test_autosave_says_at_once_when_a_grade_needs_evidence(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    question = audit.tool_version.domains[0].questions[0]
    data = page_form(audit, key, grade="4", evidence="")
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert re.search(r"Saved at \d\d:\d\d", html)  # saved all the same: nothing is lost
    # Beside the evidence box (replaced out of band), and counted in the one-line status.
    placeholder = rf'<p class="govuk-body app-field-needs" id="q{question.id}-evidence-needs" hx-swap-oob="true">'
    placeholder += "(.*?)</p>"
    need = re.search(placeholder, html, re.DOTALL)
    assert need and "enter the evidence for the grade given to" in need.group(1)
    count = rf'href="#q{question.id}-evidence" data-autosave-hints>\d+ things? needed before you can submit'
    assert re.search(count, html)
    db.session.refresh(audit)
    data = page_form(audit, key, grade="4", evidence="The plan has no contingency.")
    html = post(
        client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "needed before you can submit" not in html
    assert f'id="q{question.id}-evidence-needs" hx-swap-oob="true"></p>' in html  # the need beside the box goes


def test_a_repeated_autosave_changes_nothing_twice(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    data = page_form(audit, key)
    post(client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"})
    db.session.refresh(audit)
    version, judgements = audit.version, len(audit.judgements)
    # The same request again (a retry after a dropped answer), with the version it was sent with.
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"})
    assert "Saved at" in response.get_data(as_text=True)
    db.session.refresh(audit)
    assert (audit.version, len(audit.judgements)) == (version, judgements)


def test_two_saves_of_one_version_end_in_a_conflict_showing_both_values(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    first_question = audit.tool_version.domains[0].questions[0]
    tab_one = page_form(audit, key, "2", "Tab one evidence")
    tab_two = page_form(audit, key, "4", "Tab two evidence")  # opened at the same version
    assert post(client, "audits.page", audit_id=audit.id, page_key=key, data=tab_one).status_code == 302
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=tab_two)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Your latest changes have not been saved" in html
    assert "Tab one evidence" in html and "Tab two evidence" in html  # both values shown
    assert "Inadequate" in html and "Good" in html
    assert (
        f'name="q{first_question.id}-evidence"' in html and ">Tab two evidence</textarea>" in html
    )  # nothing typed lost
    db.session.refresh(audit)
    assert {j.evidence for j in audit.judgements} == {"Tab one evidence"}  # nothing overwritten
    # Choosing to keep theirs... or keep mine: sending again with the version shown replaces it.
    keep = re.search(r'name="keep_mine" value="(\d+)"', html).group(1)
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=dict(tab_two, keep_mine=keep))
    assert response.headers["Location"].endswith(path_for("audits.page", audit_id=audit.id, page_key=key))
    db.session.refresh(audit)
    assert {j.evidence for j in audit.judgements} == {"Tab two evidence"}


def test_autosave_conflict_keeps_the_version_so_autosave_pauses(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    stale = page_form(audit, key, "3", "Stale")
    post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key, "2", "Fresh"))
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=stale, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert 'data-autosave-state="conflict"' in html
    assert "hx-swap-oob" not in html


def test_an_autosave_conflict_in_a_request_starting_with_nothing_loaded_shows_both_values(client, audit):
    """As on the server, where each request has its own session: the audit is loaded by the save itself."""
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    stale, audit_id = page_form(audit, key, "3", "Stale evidence"), audit.id
    post(client, "audits.page", audit_id=audit_id, page_key=key, data=page_form(audit, key, "2", "Fresh evidence"))
    db.session.commit()
    db.session.expunge_all()
    response = post(client, "audits.page", audit_id=audit_id, page_key=key, data=stale, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-autosave-state="conflict"' in html
    assert "Fresh evidence" in html and "Stale evidence" in html


def test_two_tabs_saving_the_same_page_at_the_same_moment_end_in_one_save_and_one_conflict(app, audit):
    """Two requests, each in its own thread with its own database session, post the same version
    at once: the database lets one through and the other is a conflict showing both values, on
    SQLite and PostgreSQL alike. Nothing is lost whichever request wins."""
    key = audit.tool_version.domains[0].key
    tabs = [page_form(audit, key, "2", "Tab one evidence"), page_form(audit, key, "4", "Tab two evidence")]
    assert_one_save_and_one_conflict(app, audit, key, tabs)


def test_two_tabs_changing_saved_answers_at_the_same_moment_end_in_one_save_and_one_conflict(app, client, audit):
    """Answers already saved, so each tab changes the answers alone (not the audit's own columns): still
    only one tab's save goes through, and the other sees both values."""
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key, "2", "First evidence"))
    db.session.refresh(audit)
    tabs = [page_form(audit, key, "2", "Tab one evidence"), page_form(audit, key, "2", "Tab two evidence")]
    assert_one_save_and_one_conflict(app, audit, key, tabs)


def assert_one_save_and_one_conflict(app, audit, key, tabs):
    """Post each tab's form at the same moment, each from its own thread with its own database session."""
    url, audit_id = path_for("audits.page", audit_id=audit.id, page_key=key), audit.id
    responses = race(app, audit.auditor, [(url, tab) for tab in tabs])
    assert sorted(r.status_code for r in responses) == [302, 409]
    saved = next(i for i, r in enumerate(responses) if r.status_code == 302)
    conflict = responses[1 - saved].get_data(as_text=True)
    assert "Your latest changes have not been saved" in conflict
    assert "Tab one evidence" in conflict and "Tab two evidence" in conflict
    db.session.expire_all()
    stored = db.session.get(CaseAudit, audit_id)
    assert {j.evidence for j in stored.judgements} == {tabs[saved][k] for k in tabs[saved] if k.endswith("-evidence")}


def test_only_the_assigned_auditor_may_open_the_audit_form(client, audit):
    other = user_with(Role.AUDITOR)
    manager = user_with(Role.SENIOR_MANAGER)
    key = audit.tool_version.domains[0].key
    sign_in_as(client, other)
    assert get(client, "audits.page", audit_id=audit.id, page_key=key).status_code == 403
    assert post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key)).status_code == 403
    assert get(client, "audits.view", audit_id=audit.id).status_code == 403
    sign_in_as(client, manager)
    assert get(client, "audits.page", audit_id=audit.id, page_key=key).status_code == 403
    assert get(client, "audits.view", audit_id=audit.id).status_code == 200  # managers read any audit
    db.session.refresh(audit)
    assert audit.judgements == []


def test_check_your_answers_lists_every_problem_with_links_to_the_fields(client, audit):
    sign_in_as(client, audit.auditor)
    first = audit.tool_version.domains[0]
    grade_question = first.questions[0]
    data = page_form(audit, first.key, "3", "")  # Requires improvement with no evidence
    post(client, "audits.page", audit_id=audit.id, page_key=first.key, data=data)
    db.session.refresh(audit)
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert check_link(audit, first.key, f"q{grade_question.id}-evidence") in html
    assert "enter the evidence for the grade" in html
    second = audit.tool_version.domains[1]
    assert check_link(audit, second.key, f"q{second.questions[0].id}-grade") in html
    assert check_link(audit, "overall", "overall_grade") in html
    # The linked page shows the error beside the field.
    page = get(client, "audits.page", audit_id=audit.id, page_key=first.key, check="1").get_data(as_text=True)
    assert f'id="q{grade_question.id}-evidence-error"' in page
    db.session.refresh(audit)
    assert audit.status == AuditStatus.IN_PROGRESS


def test_an_inadequate_judgement_cannot_be_submitted_without_a_follow_up(client, audit):
    manager = user_with(Role.SENIOR_MANAGER, display_name="Morgan Manager")
    sign_in_as(client, audit.auditor)
    complete(client, audit, grade="2", overall="4")  # Inadequate overall, evidence everywhere
    check = get(client, "audits.check", audit_id=audit.id).get_data(as_text=True)
    assert "Add a follow-up before you submit" in check
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.status_code == 400
    assert "#follow_up-action_required" in response.get_data(as_text=True)
    db.session.refresh(audit)
    assert audit.status == AuditStatus.IN_PROGRESS

    follow_up = {
        "follow_up-action_required": "Team manager to review the safety plan and see the child today.",
        "follow_up-owner_id": manager.id,
        "follow_up-due_date": ["22", "10", "2021"],
    }
    assert post(client, "audits.add_follow_up", audit_id=audit.id, data=follow_up).status_code == 302
    assert post(client, "audits.add_follow_up", audit_id=audit.id, data=follow_up).status_code == 302  # a double tap
    assert db.session.scalar(select(db.func.count(FollowUp.id))) == 1
    db.session.refresh(audit)
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.status_code == 302
    db.session.refresh(audit)
    assert audit.status == AuditStatus.SUBMITTED and audit.submitted_at is not None
    # A repeated submit changes nothing.
    assert post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version}).status_code == 302

    sign_in_as(client, manager)
    home = get(client, "main.home").get_data(as_text=True)
    assert "Open follow-ups" in home
    assert "Team manager to review the safety plan and see the child today." in home
    assert audit.case.case_reference in home
    assert "Overdue" in home  # due 22 October 2021


def test_a_follow_up_form_with_errors_keeps_what_was_typed(client, audit):
    sign_in_as(client, audit.auditor)
    complete(client, audit, overall="4")
    response = post(
        client,
        "audits.add_follow_up",
        audit_id=audit.id,
        data={
            "follow_up-action_required": "See the child today",
            "follow_up-owner_id": "0",
            "follow_up-due_date": ["", "", ""],
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Select who owns the follow-up" in html and "Enter the date it must happen by" in html
    assert "See the child today</textarea>" in html


def test_a_child_flagged_not_safe_needs_a_follow_up(client, audit):
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    db.session.refresh(audit)
    save_overall(client, audit, overall_grade="2", audited_alongside_worker="no", child_not_safe="yes")
    db.session.refresh(audit)
    assert audit.child_not_safe
    problems = services.validate(audit)
    assert [p.page for p in problems] == ["follow_up"]


def test_a_good_audit_submits_and_appears_as_submitted_in_my_audits(client, audit):
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.headers["Location"].endswith(path_for("audits.my_audits"))
    mine = get(client, "audits.my_audits").get_data(as_text=True)
    assert "Submitted (1)" in mine and audit.case.case_reference in mine
    # Submitted audits can no longer be changed by the auditor.
    response = get(client, "audits.page", audit_id=audit.id, page_key="overall")
    assert response.headers["Location"].endswith(path_for("audits.view", audit_id=audit.id))
    before = audit.version
    save_overall(client, audit, overall_grade="4")
    db.session.refresh(audit)
    assert (audit.overall_grade, audit.version) == (2, before)


def test_my_audits_costs_the_same_queries_for_three_audits_as_for_one(client, audit):
    """The list loads cases, teams, programmes and tools with the audits, not one by one."""
    sign_in_as(client, audit.auditor)

    def queries_for_my_audits():
        with statements() as seen:
            assert get(client, "audits.my_audits").status_code == 200
        return len(seen)

    one = queries_for_my_audits()
    for _ in range(2):  # two more audits, each of another case, team and programme
        CaseAuditFactory(
            tool_version=audit.tool_version,
            auditor=audit.auditor,
            programme=AuditProgrammeFactory(tool_version=audit.tool_version),
        )
    db.session.commit()
    assert queries_for_my_audits() == one


def resume_link(client, audit):
    mine = get(client, "audits.my_audits").get_data(as_text=True)
    audit_pages = re.escape(path_for("audits.task_list", audit_id=audit.id))
    return re.search(rf'href="({audit_pages}[^"]*)">{audit.case.case_reference}</a>', mine).group(1), mine


def test_coming_back_resumes_at_the_first_section_not_yet_completed(client, audit):
    sign_in_as(client, audit.auditor)
    first, second, third = (d.key for d in audit.tool_version.domains[:3])
    for key in (first, second):
        db.session.refresh(audit)
        post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key))
    get(client, "audits.page", audit_id=audit.id, page_key=first)  # the auditor looked back at the first section last
    link, mine = resume_link(client, audit)
    assert link == path_for(
        "audits.page", audit_id=audit.id, page_key=third
    )  # not the last section visited or finished
    assert "In progress (1)" in mine
    assert "Overdue" in mine  # due 15 November 2021
    # A section started but not finished is where to carry on.
    db.session.refresh(audit)
    post(client, "audits.page", audit_id=audit.id, page_key=third, data=page_form(audit, third, grade="4", evidence=""))
    get(client, "audits.page", audit_id=audit.id, page_key=first)
    assert resume_link(client, audit)[0] == path_for("audits.page", audit_id=audit.id, page_key=third)
    # Every section done: check your answers.
    complete(client, audit)
    assert resume_link(client, audit)[0] == path_for("audits.check", audit_id=audit.id)


def test_my_audits_shows_a_returned_audit_with_the_moderators_comments(client, audit):
    audit.status = AuditStatus.RETURNED.value
    db.session.commit()
    ModerationFactory(
        audit=audit,
        outcome=ModerationOutcome.RETURNED.value,
        comments_for_auditor="Please add the evidence for the safety plan grade.",
    )
    sign_in_as(client, audit.auditor)
    mine = get(client, "audits.my_audits").get_data(as_text=True)
    assert "Returned to you" in mine
    task_list = get(client, "audits.task_list", audit_id=audit.id).get_data(as_text=True)
    assert "Please add the evidence for the safety plan grade." in task_list
    key = audit.tool_version.domains[0].key
    assert post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key)).status_code == 302


def test_the_audit_shows_its_history(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key, "2", "First"))
    db.session.refresh(audit)
    theme = audit.tool_version.domains[0].questions[0].default_themes[0]
    data = page_form(audit, key, "3", "Second")
    data[f"q{audit.tool_version.domains[0].questions[0].id}-themes"] = str(theme.id)
    post(client, "audits.page", audit_id=audit.id, page_key=key, data=data)
    fields = set(db.session.scalars(select(ChangeLog.field).where(ChangeLog.record_type == "judgement")))
    assert {"grade", "evidence", "themes"} <= fields
    # The second save changed answers already saved: each change is logged with its old and new value.
    first = next(j for j in audit.judgements if j.question_id == audit.tool_version.domains[0].questions[0].id)
    changes = {(row.what, row.old, row.new) for row in record_history([("judgement", first.id)])}
    assert {("grade", "Good", "Requires improvement to be good"), ("evidence", "First", "Second")} <= changes, changes
    html = get(client, "audits.view", audit_id=audit.id).get_data(as_text=True)
    assert "History" in html and "Alex Auditor" in html
    assert "Good" in html and "Requires improvement to be good" in html  # old and new grade
    assert theme.name in html


def test_audit_form_posts_need_the_csrf_token(csrf_app, audit):
    client = csrf_app.test_client()
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=page_form(audit, key))
    assert response.status_code == 400
    db.session.refresh(audit)
    assert audit.judgements == []


def test_autosave_from_a_page_left_open_after_submitting_saves_nothing_and_says_so(client, audit):
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    db.session.refresh(audit)
    response = save_overall(client, audit, headers={"HX-Request": "true"}, overall_grade="4")
    assert response.status_code == 200
    assert "This audit has been submitted, so this change was not saved." in response.get_data(as_text=True)
    db.session.refresh(audit)
    assert audit.overall_grade == 2


def add_follow_up(client, audit, owner):
    follow_up = {
        "follow_up-action_required": "Team manager to see the child and review the plan today.",
        "follow_up-owner_id": owner.id,
        "follow_up-due_date": ["22", "10", "2021"],
    }
    assert post(client, "audits.add_follow_up", audit_id=audit.id, data=follow_up).status_code == 302


def test_an_inadequate_domain_judgement_needs_a_follow_up_even_with_a_good_overall_grade(client, audit):
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, audit.auditor)
    complete(client, audit, grade="2", overall="2")  # Good overall...
    domain = audit.tool_version.domains[2]
    db.session.refresh(audit)
    data = page_form(audit, domain.key, "4", "No safety plan on file after the strategy meeting.")
    assert (
        post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data).status_code == 302
    )  # ...one domain Inadequate
    db.session.refresh(audit)
    assert "Add a follow-up before you submit" in get(client, "audits.check", audit_id=audit.id).text
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.status_code == 400
    assert "#follow_up-action_required" in response.text
    assert "an Inadequate judgement or a child not safe cannot be submitted without one" in response.text
    db.session.refresh(audit)
    assert audit.status == AuditStatus.IN_PROGRESS
    add_follow_up(client, audit, manager)
    db.session.refresh(audit)
    assert post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version}).status_code == 302
    db.session.refresh(audit)
    assert audit.status == AuditStatus.SUBMITTED


def test_evidence_longer_than_the_limit_is_kept_but_cannot_be_submitted(client, audit):
    sign_in_as(client, audit.auditor)
    complete(client, audit)
    domain = audit.tool_version.domains[0]
    question = domain.questions[0]
    too_long = "Seen on file. " * 214 + "x" * 5  # 3,001 characters
    assert len(too_long) == services.EVIDENCE_MAX + 1
    db.session.refresh(audit)
    data = page_form(audit, domain.key, "2", "Seen on file.", extra={f"q{question.id}-evidence": too_long})
    # Without JavaScript: saved in full, and the page stays, saying so, rather than moving on.
    saved = post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data).text
    assert "Saved at" in saved and f'id="q{question.id}-evidence-error"' in saved and too_long in saved
    assert f"{domain.title}: evidence must be 3,000 characters or fewer" in saved
    db.session.refresh(audit)
    assert next(j for j in audit.judgements if j.question_id == question.id).evidence == too_long
    response = post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version})
    assert response.status_code == 400
    assert f"{domain.title}: evidence must be 3,000 characters or fewer" in response.text
    assert check_link(audit, domain.key, f"q{question.id}-evidence") in response.text
    page = get(client, "audits.page", audit_id=audit.id, page_key=domain.key, check="1").text
    assert f'id="q{question.id}-evidence-error"' in page and too_long in page  # nothing typed is lost
    db.session.refresh(audit)
    assert audit.status == AuditStatus.IN_PROGRESS
    data[f"q{question.id}-evidence"] = too_long[:-1]  # exactly at the limit
    data["version"] = str(audit.version)
    assert post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data).status_code == 302
    db.session.refresh(audit)
    assert post(client, "audits.submit", audit_id=audit.id, data={"version": audit.version}).status_code == 302
