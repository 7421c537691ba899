"""Rules the models declare once and every table shares: the grade scale and the RAG ratings the database
enforces, one record a month, one key per parent, how the change log names a month's record, and a parent's
rows coming back in their own order. SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from audit_app.extensions import db
from audit_app.models import ChangeLog, IndicatorValue, OutcomeMonth, Plan, PlanMonth, PriorityMonth
from tests.factories import (
    DomainFactory,
    IndicatorFactory,
    JudgementFactory,
    OutcomeFactory,
    PlanFactory,
    PriorityFactory,
    QuestionFactory,
)

JANUARY = date(2021, 1, 1)


def refused(*records) -> bool:
    """Whether the database refuses to save the records (rolled back either way)."""
    db.session.add_all(records)
    try:
        db.session.flush()
    except IntegrityError:
        return True
    finally:
        db.session.rollback()
    return False


@pytest.mark.parametrize("grade", [0, 5])
def test_the_database_refuses_a_grade_off_the_scale(app, grade):
    with pytest.raises(IntegrityError):
        JudgementFactory(grade=grade)
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("grade", [1, 4, None])
def test_the_database_takes_every_grade_on_the_scale_and_none(app, grade):
    assert JudgementFactory(grade=grade).id is not None


def test_a_plans_priorities_come_back_in_their_numbers_order(app):
    plan = PlanFactory()
    for number in (3, 1, 2):
        PriorityFactory(plan=plan, number=number)
    plan_id = plan.id
    db.session.commit()
    db.session.expunge_all()
    assert [p.number for p in db.session.get(Plan, plan_id).priorities] == [1, 2, 3]


@pytest.mark.parametrize("rag", ["purple", "Green"])
def test_the_database_refuses_a_months_rag_that_is_not_a_rating(app, rag):
    assert refused(PriorityMonth(priority=PriorityFactory(), month=JANUARY, rag=rag))
    assert refused(OutcomeMonth(outcome=OutcomeFactory(), month=JANUARY, rag=rag))
    assert refused(PlanMonth(plan_id=PlanFactory().id, month=JANUARY, overall_rag=rag))


def test_the_plans_overall_rag_for_a_month_may_be_left_empty_but_a_priority_rag_may_not(app):
    assert not refused(PlanMonth(plan_id=PlanFactory().id, month=JANUARY, overall_rag=None))
    assert refused(PriorityMonth(priority=PriorityFactory(), month=JANUARY, rag=None))


def test_a_priority_an_outcome_and_an_indicator_each_have_one_record_a_month(app):
    priority, outcome, indicator = PriorityFactory(), OutcomeFactory(), IndicatorFactory()
    assert refused(*(PriorityMonth(priority=priority, month=JANUARY, rag=rag) for rag in ("green", "red")))
    assert refused(*(OutcomeMonth(outcome=outcome, month=JANUARY, rag=rag) for rag in ("green", "red")))
    assert refused(*(IndicatorValue(indicator=indicator, month=JANUARY, value=value) for value in (1, 2)))
    assert not refused(*(IndicatorValue(indicator=indicator, month=date(2021, m, 1), value=1) for m in (1, 2)))


def test_the_change_log_names_a_months_record_by_its_parent_and_the_month(app):
    priority, indicator = PriorityFactory(), IndicatorFactory()
    db.session.add_all(
        [
            PriorityMonth(priority=priority, month=JANUARY, rag="green"),
            IndicatorValue(indicator=indicator, month=JANUARY, note="Data being developed"),
            PlanMonth(plan_id=priority.plan_id, month=JANUARY),
        ]
    )
    db.session.commit()
    created = db.session.scalars(select(ChangeLog.new_value).where(ChangeLog.field == "created")).all()
    assert f"Priority {priority.id} January 2021" in created
    assert f"Indicator {indicator.id} January 2021" in created
    assert "Plan January 2021" in created


def test_a_domain_holds_one_question_of_each_key_and_a_version_one_domain_of_each_key(app):
    domain = DomainFactory()
    QuestionFactory(domain=domain, key="voice_heard")
    assert refused(QuestionFactory.build(domain=domain, key="voice_heard"))
    assert refused(DomainFactory.build(version=domain.version, key=domain.key))
    assert not refused(QuestionFactory.build(domain=DomainFactory(version=domain.version), key="voice_heard"))
