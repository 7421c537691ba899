"""sections by case type: domains and questions for some case types, sections marked not applicable;
good practice flagged on judgements and observations

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "section_not_applicable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("domain_key", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["case_audit.id"],
            name=op.f("fk_section_not_applicable_audit_id_case_audit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["user.id"], name=op.f("fk_section_not_applicable_marked_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_section_not_applicable")),
        sa.UniqueConstraint("audit_id", "domain_key", name=op.f("uq_section_not_applicable_audit_id")),
    )
    with op.batch_alter_table("section_not_applicable", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_section_not_applicable_audit_id"), ["audit_id"], unique=False)
    for table in ("domain", "question"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("case_types", sa.String(length=120), nullable=True))
    for table in ("judgement", "observation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("good_practice", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    for table in ("judgement", "observation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("good_practice")
    for table in ("domain", "question"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("case_types")
    with op.batch_alter_table("section_not_applicable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_section_not_applicable_audit_id"))
    op.drop_table("section_not_applicable")
