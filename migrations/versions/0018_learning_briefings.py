"""learning briefings: messages from audit, the services and teams they go to, who read and acknowledged them

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("key_findings", sa.Text(), nullable=False),
        sa.Column("what_good_looks_like", sa.Text(), nullable=False),
        sa.Column("good_practice_examples", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_briefing_created_by_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["audit_programme.id"],
            name=op.f("fk_briefing_programme_id_audit_programme"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing")),
    )
    op.create_table(
        "briefing_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["briefing_id"], ["briefing.id"], name=op.f("fk_briefing_receipt_briefing_id_briefing"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_briefing_receipt_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_receipt")),
        sa.UniqueConstraint("briefing_id", "user_id", name=op.f("uq_briefing_receipt_briefing_id")),
    )
    with op.batch_alter_table("briefing_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_briefing_receipt_briefing_id"), ["briefing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_briefing_receipt_user_id"), ["user_id"], unique=False)

    op.create_table(
        "briefing_service",
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"], ["briefing.id"], name=op.f("fk_briefing_service_briefing_id_briefing"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_briefing_service_service_id_service"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("briefing_id", "service_id", name=op.f("pk_briefing_service")),
    )
    op.create_table(
        "briefing_team",
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"], ["briefing.id"], name=op.f("fk_briefing_team_briefing_id_briefing"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_briefing_team_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("briefing_id", "team_id", name=op.f("pk_briefing_team")),
    )


def downgrade():
    op.drop_table("briefing_team")
    op.drop_table("briefing_service")
    with op.batch_alter_table("briefing_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_receipt_user_id"))
        batch_op.drop_index(batch_op.f("ix_briefing_receipt_briefing_id"))

    op.drop_table("briefing_receipt")
    op.drop_table("briefing")
