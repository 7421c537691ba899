"""an index on case (locality_id, case_type): drill-downs and the judgements export filtered by both

Revision ID: 0029
Revises: 0028
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_case_locality_case_type", "case", ["locality_id", "case_type"])


def downgrade():
    op.drop_index("ix_case_locality_case_type", table_name="case")
