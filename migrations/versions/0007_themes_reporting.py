"""theme taxonomy and reporting indexes

Revision ID: 0007
Revises: 0006
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # The theme summary joins counted audits to their judgements, grouped by domain and grade.
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.create_index("ix_judgement_audit_domain_grade", ["audit_id", "domain_key", "grade"], unique=False)


def downgrade():
    with op.batch_alter_table("judgement", schema=None) as batch_op:
        batch_op.drop_index("ix_judgement_audit_domain_grade")
