"""idempotent creates: one-time form tokens, one observation per booking and observer

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("record_type", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submission")),
        sa.UniqueConstraint("token", name=op.f("uq_form_submission_token")),
    )
    # Observations started twice for one booking before this constraint: the later ones are kept, as
    # unscheduled observations of the same week, so nothing anyone wrote is lost.
    op.execute(
        "UPDATE observation SET activity_id = NULL WHERE activity_id IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM observation AS first WHERE first.activity_id = observation.activity_id"
        " AND first.observer_id = observation.observer_id AND first.id < observation.id)"
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_observation_activity_id"), ["activity_id", "observer_id"])


def downgrade():
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_observation_activity_id"), type_="unique")
    op.drop_table("form_submission")
