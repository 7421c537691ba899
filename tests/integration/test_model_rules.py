"""Rules the models declare once and every table shares: the grade scale the database enforces, and a
parent's rows coming back in their own order. SQLite and PostgreSQL."""

import pytest
from sqlalchemy.exc import IntegrityError

from audit_app.extensions import db
from audit_app.models import Plan
from tests.factories import JudgementFactory, PlanFactory, PriorityFactory


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
