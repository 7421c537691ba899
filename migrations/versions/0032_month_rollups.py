"""judgement_month_rollup and theme_month_rollup: the twins by locality summed by month alone

Revision ID: 0032
Revises: 0031

The summary's views no filter narrows read these: a few hundred rows a month, where the twins by locality
hold over a thousand. They are filled here from the twins by locality (0030), which sum the rollups and are
kept up to date (from then on every change keeps these too, and `flask rebuild-rollups` sums them again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

# (twin, the twin by locality it sums, its columns after the month, the columns of them it sums, indexed by theme)
TWINS = (
    (
        "judgement_month_rollup",
        "judgement_locality_rollup",
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
        "theme_month_rollup",
        "theme_locality_rollup",
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
    for name, source, columns, sums, by_theme in TWINS:
        key = ["month", *(column.name for column in columns if column.name not in sums)]
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("month", sa.String(length=7), nullable=False),
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
            f"SELECT {', '.join(key)}, {summed} FROM {source} GROUP BY {', '.join(key)}"
        )


def downgrade():
    for name, _, _, _, by_theme in reversed(TWINS):
        if by_theme:
            op.drop_index(f"ix_{name}_theme", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
