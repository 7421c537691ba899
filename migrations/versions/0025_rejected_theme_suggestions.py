"""rejected theme suggestions: a theme the model suggested for a record and a QA lead rejected

Revision ID: 0025
Revises: 0024

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rejected_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("rejected_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["rejected_by_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_type", "record_id", "theme_id"),
    )
    with op.batch_alter_table("rejected_suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_suggestion_rejected_by_id"), ["rejected_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rejected_suggestion_theme_id"), ["theme_id"], unique=False)


def downgrade():
    with op.batch_alter_table("rejected_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_suggestion_theme_id"))
        batch_op.drop_index(batch_op.f("ix_rejected_suggestion_rejected_by_id"))
    op.drop_table("rejected_suggestion")
