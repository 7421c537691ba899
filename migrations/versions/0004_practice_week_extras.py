"""practice week additions: whether a draft's lens has been answered

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("lens_judgement") as batch_op:
        batch_op.add_column(sa.Column("answered", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table("lens_judgement") as batch_op:
        batch_op.drop_column("answered")
