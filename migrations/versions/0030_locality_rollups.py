"""judgement_rollup and theme_rollup summed by month, locality and case type only, for the summary's views

Revision ID: 0030
Revises: 0029

The views no team, service or kind of audit narrows read these: a few times fewer rows. They are filled
here from the rollups they sum (from then on every change keeps them up to date).
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

KEY = ("month", "locality_id", "case_type")

# (twin, the rollup it sums, its columns after KEY, the columns of them it sums, indexed by theme)
TWINS = (
    (
        "judgement_locality_rollup",
        "judgement_rollup",
        [
            sa.Column("domain_key", sa.String(length=60), nullable=False),
            sa.Column("original_grade", sa.SmallInteger(), nullable=False),
            sa.Column("moderated_grade", sa.SmallInteger(), nullable=False),
            sa.Column("judgements", sa.Integer(), nullable=False),
            sa.Column("untagged", sa.Integer(), nullable=False),
        ],
        ("judgements", "untagged"),
        False,
    ),
    (
        "theme_locality_rollup",
        "theme_rollup",
        [
            sa.Column("theme_id", sa.Integer(), nullable=False),
            sa.Column("judgements", sa.Integer(), nullable=False),
            sa.Column("audits", sa.Integer(), nullable=False),
        ],
        ("judgements", "audits"),
        True,
    ),
)


def upgrade():
    for name, rollup, columns, sums, by_theme in TWINS:
        key = [*KEY, *(column.name for column in columns if column.name not in sums)]
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("month", sa.String(length=7), nullable=False),
            sa.Column("locality_id", sa.Integer(), nullable=False),
            sa.Column("case_type", sa.String(length=20), nullable=False),
            *columns,
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        )
        op.create_index(f"ux_{name}_key", name, key, unique=True)
        if by_theme:
            op.create_index(f"ix_{name}_theme", name, ["theme_id"], unique=False)
        # Names written into the SQL: fixed table and column names, nothing typed.
        summed = ", ".join(f"SUM({column})" for column in sums)
        op.execute(
            f"INSERT INTO {name} ({', '.join(key)}, {', '.join(sums)}) "
            f"SELECT {', '.join(key)}, {summed} FROM {rollup} GROUP BY {', '.join(key)}"
        )


def downgrade():
    for name, _, _, _, by_theme in reversed(TWINS):
        if by_theme:
            op.drop_index(f"ix_{name}_theme", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
