"""moderation additions: which audits each moderation sample drew

Revision ID: 0006
Revises: 0005
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "moderation_sample_audit",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["case_audit.id"], name=op.f("fk_moderation_sample_audit_audit_id_case_audit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["moderation_sample.id"],
            name=op.f("fk_moderation_sample_audit_sample_id_moderation_sample"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sample_id", "audit_id", name=op.f("pk_moderation_sample_audit")),
    )
    with op.batch_alter_table("moderation_sample_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moderation_sample_audit_audit_id"), ["audit_id"], unique=False)


def downgrade():
    with op.batch_alter_table("moderation_sample_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_sample_audit_audit_id"))
    op.drop_table("moderation_sample_audit")
