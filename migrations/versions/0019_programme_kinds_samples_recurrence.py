"""programme kinds (existing programmes become monthly dip samples), the rule a sample was drawn by,
monthly recurrence and the auditors a programme's audits are shared among

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_auditor",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["audit_programme.id"],
            name=op.f("fk_programme_auditor_programme_id_audit_programme"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_programme_auditor_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("programme_id", "user_id", name=op.f("pk_programme_auditor")),
    )
    with op.batch_alter_table("audit_programme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=24), server_default="monthly_dip_sample", nullable=False)
        )
        batch_op.add_column(sa.Column("sample_method", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sample_stratify_by", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("sample_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sample_seed", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sample_exclude_months", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("sample_audited_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recurs_monthly", sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("assign_by", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("recurrence_of_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_programme_kind"), ["kind"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_programme_recurrence_of_id"), ["recurrence_of_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_programme_recurrence_of_id_audit_programme"),
            "audit_programme",
            ["recurrence_of_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("audit_programme", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_programme_recurrence_of_id_audit_programme"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_audit_programme_recurrence_of_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_audit_programme_kind"))
        batch_op.drop_column("recurrence_of_id")
        batch_op.drop_column("assign_by")
        batch_op.drop_column("recurs_monthly")
        batch_op.drop_column("sample_audited_since")
        batch_op.drop_column("sample_exclude_months")
        batch_op.drop_column("sample_seed")
        batch_op.drop_column("sample_size")
        batch_op.drop_column("sample_stratify_by")
        batch_op.drop_column("sample_method")
        batch_op.drop_column("kind")

    op.drop_table("programme_auditor")
