"""monthly rollups for the theme summary: judgements and theme tags by month and filter

Revision ID: 0023
Revises: 0022

The tables start empty: run `flask rebuild-rollups` once after upgrading a database that holds audits
(from then on every change keeps them up to date).
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

KEY = ("month", "tool_version_id", "locality_id", "team_id", "service_id", "case_type", "programme_kind")


def _key_columns():
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("tool_version_id", sa.Integer(), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("case_type", sa.String(length=20), nullable=False),
        sa.Column("programme_kind", sa.String(length=20), nullable=False),
    ]


def upgrade():
    op.create_table(
        "judgement_rollup",
        *_key_columns(),
        sa.Column("domain_key", sa.String(length=60), nullable=False),
        sa.Column("original_grade", sa.SmallInteger(), nullable=False),
        sa.Column("moderated_grade", sa.SmallInteger(), nullable=False),
        sa.Column("judgements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgement_rollup")),
    )
    op.create_index(
        "ux_judgement_rollup_key",
        "judgement_rollup",
        [*KEY, "domain_key", "original_grade", "moderated_grade"],
        unique=True,
    )
    op.create_table(
        "theme_rollup",
        *_key_columns(),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("judgements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme_rollup")),
    )
    op.create_index("ux_theme_rollup_key", "theme_rollup", [*KEY, "theme_id"], unique=True)
    op.create_index("ix_theme_rollup_theme", "theme_rollup", ["theme_id"], unique=False)


def downgrade():
    op.drop_index("ix_theme_rollup_theme", table_name="theme_rollup")
    op.drop_index("ux_theme_rollup_key", table_name="theme_rollup")
    op.drop_table("theme_rollup")
    op.drop_index("ux_judgement_rollup_key", table_name="judgement_rollup")
    op.drop_table("judgement_rollup")
