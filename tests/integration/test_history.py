"""The one change history every page shows: names rather than ids, grade labels, newest first."""

from datetime import date

from flask import render_template_string
from sqlalchemy import select

from audit_app.changelog import acting_as
from audit_app.extensions import db
from audit_app.history import HistoryRow, readable, record_history
from audit_app.models import Action
from audit_app.permissions import Role
from tests.conftest import statements
from tests.factories import ActionFactory, AuditProgrammeFactory, CaseAuditFactory, JudgementFactory, user_with


def test_history_shows_grades_and_people_by_name_newest_first(app):
    ash, bea = user_with(Role.AUDITOR, display_name="Ash Owner"), user_with(Role.AUDITOR, display_name="Bea Owner")
    editor = user_with(Role.QA_LEAD, display_name="Quinn QA")
    judgement = JudgementFactory(grade=2)
    action = ActionFactory(owner=ash)
    for record in (judgement, action):
        db.session.refresh(record)  # loaded, as a service finds them, so the old value is known
    with acting_as(editor):
        judgement.grade = 4
        action.owner_id = bea.id
        action.due_date = date(2021, 10, 5)
        db.session.commit()

    rows = record_history(
        [("judgement", judgement.id), ("action", select(Action.id).where(Action.id == action.id))],
        describe=lambda change: f"{change.record_type}: {change.field}",
    )
    assert ("Quinn QA", "judgement: grade", "Good", "Inadequate") in [(r.who, r.what, r.old, r.new) for r in rows]
    assert ("Quinn QA", "action: owner_id", "Ash Owner", "Bea Owner") in [(r.who, r.what, r.old, r.new) for r in rows]
    assert ("action: due_date", "5 October 2021") in [(r.what, r.new) for r in rows]
    assert [r.changed_at for r in rows] == sorted((r.changed_at for r in rows), reverse=True)
    assert rows[0].who == "Quinn QA" and rows[-1].who == "System"  # the factories acted as nobody
    assert record_history([]) == []


def test_stored_values_read_as_the_rest_of_the_service_shows_them():
    assert readable("2021-10-05") == "5 October 2021"
    assert readable("2021-07-30T09:00:00+00:00") == "30 July 2021 at 10:00"  # UK summer time
    assert readable("in_progress") == "In progress" and readable("green") == "Green"
    assert readable("The plan has no contingency.") == "The plan has no contingency."


def test_case_and_programme_ids_show_as_their_reference_and_name(app):
    audit = CaseAuditFactory(programme=AuditProgrammeFactory(name="October 2021 monthly audit"))
    rows = record_history([("case_audit", audit.id)])
    shown = {r.what: r.new for r in rows}
    assert shown["case"] == audit.case.case_reference and shown["programme"] == "October 2021 monthly audit"


def _statements_run_by(fn) -> int:
    with statements() as seen:
        fn()
    return len(seen)


def test_history_costs_the_same_few_queries_however_many_changes(app):
    owners = [user_with(Role.AUDITOR) for _ in range(4)]
    action = ActionFactory(owner=owners[0])
    action_id = action.id

    def change_owner(owner):
        with acting_as(owner):
            db.session.get(Action, action_id).owner_id = owner.id
            db.session.commit()

    change_owner(owners[1])
    one_change = _statements_run_by(lambda: record_history([("action", action_id)]))
    change_owner(owners[2])
    change_owner(owners[3])
    rows = []
    three_changes = _statements_run_by(lambda: rows.extend(record_history([("action", action_id)])))
    assert [r.new for r in rows if r.what == "owner"] == [o.display_name for o in reversed(owners)]
    assert three_changes == one_change  # not a query per row or per person


def test_a_record_with_no_changes_says_so(app):
    with app.test_request_context():
        empty = render_template_string(
            '{% from "components/macros.html" import history_table %}{{ history_table([]) }}'
        )
        row = HistoryRow(changed_at=None, who="Quinn QA", what="Evidence", old="x" * 500, new=None)
        long = render_template_string(
            '{% from "components/macros.html" import history_table %}{{ history_table(rows) }}', rows=[row]
        )
    assert "No changes recorded." in empty
    assert "x" * 200 not in long and "Quinn QA" in long  # long values are cut short


def test_history_hides_bookkeeping_and_names_what_a_link_points_at(app):
    from audit_app.practice_week.services import observation_history
    from tests.factories import QuickWinFactory, ThemeFactory

    judgement = JudgementFactory(grade=2)
    judgement_rows = record_history([("judgement", judgement.id)])
    fields = {r.what for r in judgement_rows}
    assert {"created", "grade"} <= fields
    assert not fields & {"question id", "audit id", "domain key", "question", "audit"}
    audit_fields = {r.what for r in record_history([("case_audit", judgement.audit_id)])}
    assert not audit_fields & {"tool version id", "tool version", "last domain key", "version"}

    theme = ThemeFactory(name="Early help timeliness")
    quick_win = QuickWinFactory(theme=theme)
    db.session.commit()
    rows = observation_history(quick_win.observation)
    assert ("Quick win: theme", "Early help timeliness") in {(r.what, r.new) for r in rows}
    assert not {r.what for r in rows} & {
        "Quick win: theme id",
        "Quick win: observation id",
        "Observation: last section",
    }


def test_demo_history_carries_the_dates_of_the_seeded_events(app):
    from audit_app.demo import seed_demo
    from audit_app.models import CaseAudit, ChangeLog, Observation

    seed_demo("demo-password-2021")
    audit = db.session.scalar(select(CaseAudit).where(CaseAudit.submitted_at.is_not(None)).order_by(CaseAudit.id))
    stamps = db.session.scalars(
        select(ChangeLog.changed_at).where(ChangeLog.record_type == "case_audit", ChangeLog.record_id == audit.id)
    ).all()
    assert stamps and max(stamps).date() == audit.submitted_at.date() < date.today()
    observation = db.session.scalar(
        select(Observation).where(Observation.submitted_at.is_not(None)).order_by(Observation.id)
    )
    observed = db.session.scalars(
        select(ChangeLog.changed_at).where(
            ChangeLog.record_type == "observation", ChangeLog.record_id == observation.id
        )
    ).all()
    assert {stamp.date() for stamp in observed} == {observation.observed_on}
    assert not db.session.scalar(
        select(ChangeLog.id)
        .where(
            ChangeLog.record_type.in_(("judgement", "moderation", "lens_judgement")),
            ChangeLog.changed_at >= date.today(),
        )
        .limit(1)
    )
