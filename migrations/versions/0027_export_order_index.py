"""an index on case_audit.submitted_at: the judgements export reads audits in date order, a batch at a time

Revision ID: 0027
Revises: 0026
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_case_audit_submitted_at", "case_audit", ["submitted_at"])


def downgrade():
    op.drop_index("ix_case_audit_submitted_at", table_name="case_audit")
