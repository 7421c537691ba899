"""Many rows in one statement (audit_app/many_rows.py) write what they are given, all of it, on both databases."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError

from audit_app.extensions import db
from audit_app.many_rows import insert_many, update_many
from audit_app.models import ChangeLog, Judgement
from tests.factories import CaseAuditFactory, published_tool


def test_each_row_gets_its_own_values_and_text_of_any_length(app):
    tool_version = published_tool()
    audit = CaseAuditFactory(tool_version=tool_version)
    questions = [domain.questions[0] for domain in tool_version.domains]
    answers = [Judgement(audit=audit, question=q, domain_key=q.domain.key, good_practice=False) for q in questions]
    db.session.add_all(answers)
    db.session.flush()
    long_text = "Seen on the file. " * 1000
    rows = [{"id": j.id, "grade": grade, "evidence": f"{grade}: {long_text}"} for j, grade in zip(answers, (1, 3, 4))]
    update_many(db.session.connection(), Judgement.__table__, rows)
    saved = db.session.execute(select(Judgement.id, Judgement.grade, Judgement.evidence).order_by(Judgement.id)).all()
    assert [tuple(row) for row in saved] == [(r["id"], r["grade"], r["evidence"]) for r in rows]


def test_text_longer_than_its_column_is_never_cut(app):
    row = {"record_type": "judgement", "record_id": 1, "field": "f" * 81, "old_value": None, "new_value": "x"}
    if app.config["DATABASE_NAME"] == "postgresql":  # refused, as a row written on its own would be
        with pytest.raises(DataError, match="too long"):
            insert_many(db.session.connection(), ChangeLog.__table__, [row])
        db.session.rollback()
    else:  # SQLite keeps text of any length
        insert_many(db.session.connection(), ChangeLog.__table__, [row])
        assert db.session.scalar(select(ChangeLog.field)) == "f" * 81
