"""practitioners and team managers: a user's worker reference and team

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker_ref", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_user_team_id"), ["team_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_user_worker_ref"), ["worker_ref"])
        batch_op.create_foreign_key(batch_op.f("fk_user_team_id_team"), "team", ["team_id"], ["id"])


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_user_team_id_team"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_user_worker_ref"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_user_team_id"))
        batch_op.drop_column("team_id")
        batch_op.drop_column("worker_ref")
