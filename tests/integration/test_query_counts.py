"""The forms people type into all day answer in a bounded number of SQL statements, whatever the size of
the tool: every statement a request runs is counted (signing the user in included), on SQLite and
PostgreSQL. An autosave at most 8, a form page at most 12; and a page with more questions costs no more
statements than one with fewer (no statement per question, domain or theme)."""

import datetime as dt

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import (
    AuditStatus,
    CaseAudit,
    ChangeLog,
    FamilyQuote,
    Judgement,
    ModerationDraft,
    Observation,
    ResponseType,
)
from audit_app.permissions import Role
from audit_app.practice_week.services import start_observation
from tests.conftest import get, post, sign_in_as, statements
from tests.factories import (
    CaseAuditFactory,
    DomainFactory,
    FamilyQuoteFactory,
    FamilyVoiceFactory,
    JudgementFactory,
    QuestionFactory,
    TeamFactory,
    ThemeFactory,
    ToolVersionFactory,
    icpc_booking,
    user_with,
)

AUTOSAVE_MAX = 8
PAGE_MAX = 12
HTMX = {"HX-Request": "true"}
KINDS = [ResponseType.GRADE, ResponseType.YES_NO, ResponseType.GRADE, ResponseType.TEXT]


def counted(send):
    """One request as the server sees it: nothing already loaded (the test's session is emptied first)."""
    db.session.commit()
    db.session.expunge_all()
    with statements() as seen:
        response = send()
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    return response, len(seen)


@pytest.fixture
def themes(app):
    return [ThemeFactory(name=f"Theme {n:02}") for n in range(12)]


@pytest.fixture
def theme_ids(themes):
    """The themes' ids: each request starts with nothing loaded, so tests hold ids, not rows."""
    return [str(theme.id) for theme in themes]


@pytest.fixture
def tool(app, themes):
    """A 9-section tool: section n has n % 4 + 2 questions (2 to 5) of every kind, each suggesting 2 themes."""
    version = ToolVersionFactory()
    for position in range(9):
        domain = DomainFactory(version=version, position=position, key=f"section_{position}")
        for number in range(position % 4 + 2):
            QuestionFactory(
                domain=domain,
                position=number,
                response_type=KINDS[number % 4].value,
                evidence_required=number == 1,
                allow_not_applicable=True,
                default_themes=[themes[(position + number) % 12], themes[(position + number + 5) % 12]],
            )
    db.session.refresh(version)
    return version


@pytest.fixture
def audit(tool, themes):
    """An audit in progress: the first section answered with themes, a family voice with quotes."""
    audit = CaseAuditFactory(tool_version=tool, auditor=user_with(Role.AUDITOR), status=AuditStatus.IN_PROGRESS.value)
    for question in tool.domains[0].questions:
        JudgementFactory(audit=audit, question=question, domain_key=question.domain.key, themes=themes[:3])
    voice = FamilyVoiceFactory(audit=audit)
    for slot in (1, 2):
        FamilyQuoteFactory(voice=voice, position=slot, themes=themes[slot : slot + 2])
    db.session.commit()
    return audit


def signed_in_auditor(client, audit):
    sign_in_as(client, audit.auditor)
    return audit.id


def version_of(audit_id) -> str:
    return str(db.session.get(CaseAudit, audit_id).version)


def save(client, audit_id, key, data):
    """An autosave of one page of the audit form: (response, statements)."""
    response, count = counted(
        lambda: post(client, "audits.page", audit_id=audit_id, page_key=key, data=data, headers=HTMX)
    )
    assert "Saved at" in response.get_data(as_text=True)
    return response, count


def show(client, audit_id, key):
    return counted(lambda: get(client, "audits.page", audit_id=audit_id, page_key=key))[1]


def page_data(audit, section, themes, grade="3"):
    """Every question of a section answered, each with evidence, two themes and good practice."""
    data = {"version": str(audit.version)}
    for question in section.questions:
        q = f"q{question.id}"
        if question.response_type == ResponseType.TEXT:
            data[f"{q}-text"] = "What the record shows."
            continue
        data[f"{q}-grade" if question.response_type == ResponseType.GRADE else f"{q}-answer"] = (
            grade if question.response_type == ResponseType.GRADE else "yes"
        )
        data[f"{q}-evidence"] = f"Seen on file for {q}."
        data[f"{q}-themes"] = themes
        data[f"{q}-good_practice"] = "yes"
    return data


def test_every_audit_page_is_drawn_in_a_bounded_number_of_statements(app, client, audit):
    audit_id = signed_in_auditor(client, audit)
    keys = [d.key for d in audit.tool_version.domains] + ["family-voice", "overall"]
    counts = {key: show(client, audit_id, key) for key in keys}
    assert max(counts.values()) <= PAGE_MAX, counts
    sections = {key: n for key, n in counts.items() if key.startswith("section_")}
    assert len(set(sections.values())) == 1, f"a section's statements depend on its questions: {sections}"


def test_an_autosave_is_a_handful_of_statements_whatever_the_section(app, client, audit, theme_ids):
    """As the auditor works through a section: a grade, its evidence, a theme ticked, another question."""
    audit_id = signed_in_auditor(client, audit)
    counts = {}
    for position in (1, 3):  # sections of 3 and 5 questions
        section = db.session.get(CaseAudit, audit_id).tool_version.domains[position]
        key, first, second = section.key, section.questions[0].id, section.questions[1].id
        steps = {
            "a grade": {f"q{first}-grade": "4"},
            "its evidence": {f"q{first}-evidence": "The plan is not linked to the risks."},
            # themes no answer of the audit has yet: each is read from the database when ticked
            "a theme": {f"q{first}-themes": [theme_ids[position + 4]]},
            "another theme": {f"q{first}-themes": [theme_ids[position + 4], theme_ids[position + 5]]},
            "another question": {f"q{second}-answer": "no", f"q{second}-themes": [theme_ids[9 + position // 3]]},
        }
        data = {}
        for step, change in steps.items():
            data |= change | {"version": version_of(audit_id)}
            _, counts[key, step] = save(client, audit_id, key, data)
    assert max(counts.values()) <= AUTOSAVE_MAX, counts
    assert all(counts["section_1", step] == counts["section_3", step] for step in steps), counts
    audit = db.session.get(CaseAudit, audit_id)
    answered = {j.question_id: j for j in audit.judgements}
    section = audit.tool_version.domains[3]
    first = answered[section.questions[0].id]
    assert (first.grade, first.evidence) == (4, "The plan is not linked to the risks.")
    assert [t.name for t in first.themes] == ["Theme 07", "Theme 08"]
    assert answered[section.questions[1].id].answer == "no"


def test_a_whole_section_saved_at_once_is_a_handful_of_statements(app, client, audit, theme_ids):
    """Every answer of a section new at once (the page saved without JavaScript), with their themes."""
    audit_id = signed_in_auditor(client, audit)
    counts = {}
    for position in (1, 3):  # 3 and 5 questions
        section = db.session.get(CaseAudit, audit_id).tool_version.domains[position]
        themes = [theme_ids[position], theme_ids[position + 4]]  # themes no answer has yet, each time
        key, data = section.key, page_data(db.session.get(CaseAudit, audit_id), section, themes)
        _, counts[key] = save(client, audit_id, key, data)
    assert max(counts.values()) <= AUTOSAVE_MAX, counts
    assert counts["section_1"] == counts["section_3"], f"statements depend on the number of questions: {counts}"
    section = db.session.get(CaseAudit, audit_id).tool_version.domains[3]
    saved = db.session.scalars(select(Judgement).where(Judgement.domain_key == section.key)).all()
    assert len(saved) == len(section.questions)
    assert all([t.name for t in j.themes] == ["Theme 03", "Theme 07"] for j in saved if j.evidence)
    logged = db.session.scalars(
        select(ChangeLog).where(ChangeLog.field == "themes", ChangeLog.record_id.in_([j.id for j in saved]))
    ).all()
    assert [c.new_value for c in logged] == ["Theme 03, Theme 07"] * sum(1 for j in saved if j.evidence)


def test_rewriting_every_answer_of_a_section_costs_the_same_whatever_its_size(app, client, audit, theme_ids):
    """Every grade, evidence and theme of a section changed at once: one statement per kind of write (and
    of question), not one per question: a bigger section costs no more."""
    audit_id = signed_in_auditor(client, audit)
    counts = {}
    for position in (2, 3):  # 4 and 5 questions, each of every kind
        for themes, grade in (([theme_ids[0]], "3"), ([theme_ids[position + 1]], "4")):  # answered, then rewritten
            audit = db.session.get(CaseAudit, audit_id)
            section = audit.tool_version.domains[position]
            key, data = section.key, page_data(audit, section, themes, grade)
            _, counts[key] = save(client, audit_id, key, data)
    assert counts["section_2"] == counts["section_3"] <= AUTOSAVE_MAX, counts
    graded = [j for j in db.session.get(CaseAudit, audit_id).judgements if j.grade and j.domain_key == "section_3"]
    assert graded and all(j.grade == 4 and [t.name for t in j.themes] == ["Theme 04"] for j in graded)


def test_an_autosave_of_the_family_voice_and_overall_pages_is_a_handful_of_statements(app, client, tool, theme_ids):
    audit = CaseAuditFactory(tool_version=tool, auditor=user_with(Role.AUDITOR))
    audit_id = signed_in_auditor(client, audit)
    voice = {  # the whole page at once, without JavaScript: the voice, two quotes and their themes
        "version": version_of(audit_id),
        "voice-contacted": ["child", "parent"],
        "voice-method": "phone",
        "voice-quote1-text": "They listened to me.",
        "voice-quote1-themes": [theme_ids[9]],
        "voice-quote2-text": "Things are better at home.",
        "voice-quote2-themes": theme_ids[10:12],
    }
    counts = {}
    _, counts["the whole page"] = save(client, audit_id, "family-voice", voice)
    voice |= {"version": version_of(audit_id), "voice-quote3-text": "I see my worker every week."}
    _, counts["a third quote"] = save(client, audit_id, "family-voice", voice)
    voice |= {"version": version_of(audit_id), "voice-quote3-themes": theme_ids[:2]}
    _, counts["its themes"] = save(client, audit_id, "family-voice", voice)
    voice |= {"version": version_of(audit_id), "voice-consent": "yes"}
    _, counts["consent"] = save(client, audit_id, "family-voice", voice)
    quotes = db.session.scalars(select(FamilyQuote).order_by(FamilyQuote.position)).all()
    assert [(q.position, [t.name for t in q.themes]) for q in quotes] == [
        (1, ["Theme 09"]),
        (2, ["Theme 10", "Theme 11"]),
        (3, ["Theme 00", "Theme 01"]),
    ]
    overall = {"version": version_of(audit_id), "overall_grade": "3", "strengths": "Knows the child well."}
    _, counts["overall"] = save(client, audit_id, "overall", overall | {"audited_alongside_worker": "yes"})
    assert max(counts.values()) <= AUTOSAVE_MAX, counts
    counts = {key: show(client, audit_id, key) for key in ("family-voice", "overall", "section_0")}
    assert max(counts.values()) <= PAGE_MAX, counts


# --- The practice-week observation form --------------------------------------------------------


@pytest.fixture
def observation(app, themes):
    """A draft started from a booking, as the observer's button makes it."""
    booking = icpc_booking()
    return start_observation(booking.observer, booking.week, booking)


def observation_data(observation, themes, grade="2"):
    from audit_app.models import Lens

    data = {
        "version": observation.version,
        "activity_type": "icpc",
        "team_id": 0,
        "observed_on": ["5", "10", "2021"],
        "case_reference": "",
        "working_well": "The children's views were shared in their own words.",
        "needs_to_improve": "The report lacked analysis of the family history.",
        "theme_ids": themes[1:4],
    }
    for n in range(3):
        data[f"quick_wins-{n}-text"] = f"Quick win {n}"
        data[f"quick_wins-{n}-theme_id"] = themes[n]
    for lens in Lens:
        data[f"grade_{lens.value}"] = grade
        data[f"note_{lens.value}"] = f"What I saw of {lens.value}."
    return data


def save_observation(client, observation_id, data):
    response, count = counted(
        lambda: post(client, "practice_week.observation", observation_id=observation_id, data=data, headers=HTMX)
    )
    assert "Saved at" in response.get_data(as_text=True)
    return count


def test_the_observation_form_and_its_autosave_are_a_handful_of_statements(app, client, observation, theme_ids):
    sign_in_as(client, observation.observer)
    observation_id = observation.id
    show = lambda: counted(lambda: get(client, "practice_week.observation", observation_id=observation_id))[1]  # noqa: E731
    data = observation_data(observation, theme_ids)
    another_team = TeamFactory().id
    pages = [show()]
    steps = {  # as the observer works down the form
        "a grade": {"grade_voice_of_child": "3"},
        "its note": {"note_voice_of_child": "The child's views were read out."},
        "a theme": {"theme_ids": theme_ids[1:2]},
        "two more themes": {"theme_ids": theme_ids[1:4]},
        "a quick win": {"quick_wins-0-text": "Send the agenda the day before."},
        "its theme": {"quick_wins-0-theme_id": theme_ids[5]},
        "a second quick win": {"quick_wins-1-text": "Book a room with a window."},
        "another team": {"team_id": another_team},
    }
    blank = {key: "" for key in data if key.startswith(("grade_", "note_", "quick_wins-"))} | {"theme_ids": []}
    blank |= {key: 0 for key in blank if key.endswith("theme_id")}
    data = {key: value for key, value in data.items() if not key.startswith(("grade_", "note_", "quick_wins-"))}
    data |= blank
    counts = {}
    for step, change in steps.items():
        data |= change | {"version": db.session.get(Observation, observation_id).version}
        counts[step] = save_observation(client, observation_id, data)
    assert max(counts.values()) <= AUTOSAVE_MAX, counts
    saved = db.session.get(Observation, observation_id)
    assert saved.team_id == another_team
    assert [(q.text, q.theme_id) for q in saved.quick_wins] == [
        ("Send the agenda the day before.", int(theme_ids[5])),
        ("Book a room with a window.", None),
    ]
    pages.append(show())
    # Without JavaScript the whole form is saved at once (then redirected): every lens, quick win and
    # theme written in one statement per kind of write; no list of teams or people read, as none is shown.
    whole = observation_data(db.session.get(Observation, observation_id), theme_ids, grade="2")
    _, at_once = counted(lambda: post(client, "practice_week.observation", observation_id=observation_id, data=whole))
    assert at_once <= AUTOSAVE_MAX
    saved = db.session.get(Observation, observation_id)
    assert {j.grade for j in saved.judgements} == {2} and len(saved.quick_wins) == 3
    assert [t.name for t in saved.themes] == ["Theme 01", "Theme 02", "Theme 03"]
    assert max(pages) <= PAGE_MAX, pages


# --- The moderation form ------------------------------------------------------------------------


@pytest.fixture
def submitted(audit, tool, themes):
    """The audit submitted with every question of every section graded."""
    for domain in tool.domains[1:]:
        for question in domain.questions:
            JudgementFactory(audit=audit, question=question, domain_key=domain.key, themes=themes[:2])
    audit.status, audit.overall_grade = AuditStatus.SUBMITTED.value, 2
    audit.submitted_at = dt.datetime(2021, 10, 20, tzinfo=dt.UTC)
    db.session.commit()
    return audit


def moderation_data(audit, version, grade="3"):
    data = {"version": str(version), "overall_grade": grade, "overall_rationale": "Weighed the evidence."}
    for j in audit.judgements:
        if j.grade:
            data[f"grade_{j.id}"] = grade
            data[f"rationale_{j.id}"] = f"Rationale {j.id}"
    return data


def save_moderation(client, audit_id, grade) -> int:
    """An autosave of the moderation form with every grade and rationale given (the first makes the draft)."""
    draft = db.session.scalar(select(ModerationDraft))
    data = moderation_data(db.session.get(CaseAudit, audit_id), draft.version if draft else 0, grade)
    response, count = counted(lambda: post(client, "moderation.moderate", audit_id=audit_id, data=data, headers=HTMX))
    assert "Saved at" in response.get_data(as_text=True)
    return count


def test_the_moderation_form_and_its_autosave_are_a_handful_of_statements(app, client, submitted):
    moderator = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, moderator)
    audit_id = submitted.id
    _, page = counted(lambda: get(client, "moderation.moderate", audit_id=audit_id))
    assert page <= PAGE_MAX
    saves = [save_moderation(client, audit_id, grade) for grade in ("3", "4")]  # the draft made, then changed
    assert max(saves) <= AUTOSAVE_MAX, saves
    assert {g.grade for g in db.session.scalar(select(ModerationDraft)).grades} == {4}
    _, page_with_draft = counted(lambda: get(client, "moderation.moderate", audit_id=audit_id))
    assert page_with_draft <= PAGE_MAX
