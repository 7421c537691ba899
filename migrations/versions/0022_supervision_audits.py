"""supervision audits: a tool's subject (case or supervision); an audit of supervision records has a
supervisor, a supervisee and a period instead of a case

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

SUBJECT_CHECK = (
    "(case_id IS NOT NULL) OR (supervisor_id IS NOT NULL AND supervisee_id IS NOT NULL"
    " AND supervisor_id <> supervisee_id AND supervision_from IS NOT NULL"
    " AND supervision_to IS NOT NULL AND supervision_from <= supervision_to)"
)


def upgrade():
    with op.batch_alter_table("audit_tool", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=16), server_default="case", nullable=False))
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supervisor_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("supervisee_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("supervision_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("supervision_to", sa.Date(), nullable=True))
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_case_audit_supervisor_id"), ["supervisor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_audit_supervisee_id"), ["supervisee_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_case_audit_supervisor_id_user"), "user", ["supervisor_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_case_audit_supervisee_id_user"), "user", ["supervisee_id"], ["id"])
        batch_op.create_check_constraint("has_subject", SUBJECT_CHECK)


def downgrade():
    op.execute("DELETE FROM case_audit WHERE case_id IS NULL")
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_case_audit_has_subject"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_case_audit_supervisee_id_user"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_case_audit_supervisor_id_user"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_case_audit_supervisee_id"))
        batch_op.drop_index(batch_op.f("ix_case_audit_supervisor_id"))
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("supervision_to")
        batch_op.drop_column("supervision_from")
        batch_op.drop_column("supervisee_id")
        batch_op.drop_column("supervisor_id")
    with op.batch_alter_table("audit_tool", schema=None) as batch_op:
        batch_op.drop_column("subject")
