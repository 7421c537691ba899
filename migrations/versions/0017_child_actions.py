"""actions for the child: recorded by the team manager on a shared audit

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "child_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=160), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("agreed_with_worker", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(owner_id IS NOT NULL) OR (owner_name IS NOT NULL)", name=op.f("ck_child_action_has_owner")
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_child_action_audit_id_case_audit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_child_action_case_id_case")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], name=op.f("fk_child_action_created_by_id_user")),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_child_action_owner_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_action")),
    )
    with op.batch_alter_table("child_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_action_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_action_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_child_action_status_due", ["status", "due_date"], unique=False)


def downgrade():
    with op.batch_alter_table("child_action", schema=None) as batch_op:
        batch_op.drop_index("ix_child_action_status_due")
        batch_op.drop_index(batch_op.f("ix_child_action_case_id"))
        batch_op.drop_index(batch_op.f("ix_child_action_audit_id"))
    op.drop_table("child_action")
