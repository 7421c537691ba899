"""moderation drafts: the moderation form autosaves into a draft per audit and moderator

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "moderation_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("overall_grade", sa.SmallInteger(), nullable=True),
        sa.Column("overall_rationale", sa.Text(), nullable=True),
        sa.Column("comments_for_auditor", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("overall_grade BETWEEN 1 AND 4", name=op.f("ck_moderation_draft_overall_grade_scale")),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_moderation_draft_audit_id_case_audit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["moderator_id"], ["user.id"], name=op.f("fk_moderation_draft_moderator_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_draft")),
        sa.UniqueConstraint("audit_id", "moderator_id", name=op.f("uq_moderation_draft_audit_id")),
    )
    with op.batch_alter_table("moderation_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_draft_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_draft_moderator_id"), ["moderator_id"], unique=False)

    op.create_table(
        "moderation_draft_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("judgement_id", sa.Integer(), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.CheckConstraint("grade BETWEEN 1 AND 4", name=op.f("ck_moderation_draft_grade_grade_scale")),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["moderation_draft.id"],
            name=op.f("fk_moderation_draft_grade_draft_id_moderation_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["judgement_id"],
            ["judgement.id"],
            name=op.f("fk_moderation_draft_grade_judgement_id_judgement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_draft_grade")),
        sa.UniqueConstraint("draft_id", "judgement_id", name=op.f("uq_moderation_draft_grade_draft_id")),
    )
    with op.batch_alter_table("moderation_draft_grade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_draft_grade_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_moderation_draft_grade_judgement_id"), ["judgement_id"], unique=False)


def downgrade():
    with op.batch_alter_table("moderation_draft_grade", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_draft_grade_judgement_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_draft_grade_draft_id"))

    op.drop_table("moderation_draft_grade")
    with op.batch_alter_table("moderation_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_draft_moderator_id"))
        batch_op.drop_index(batch_op.f("ix_moderation_draft_audit_id"))

    op.drop_table("moderation_draft")
