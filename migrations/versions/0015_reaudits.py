"""re-audits: a case audit that re-audits an earlier one (one per audit)

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reaudit_of_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_case_audit_reaudit_of_id"), ["reaudit_of_id"], unique=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_case_audit_reaudit_of_id_case_audit"),
            "case_audit",
            ["reaudit_of_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("case_audit", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_case_audit_reaudit_of_id_case_audit"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_case_audit_reaudit_of_id"))
        batch_op.drop_column("reaudit_of_id")
