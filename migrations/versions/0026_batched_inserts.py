"""a sentinel column on the rows a save adds several of (judgements, family quotes, quick wins, a
moderator's draft grades), so SQLite inserts them in one statement as PostgreSQL does

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TABLES = ("judgement", "family_quote", "quick_win", "moderation_draft_grade")


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("_sentinel", sa.Integer(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("_sentinel")
