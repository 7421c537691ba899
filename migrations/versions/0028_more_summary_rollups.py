"""more monthly rollups, so the theme summary, the comparison and key findings read no raw rows

Revision ID: 0028
Revises: 0027

judgement_rollup gains the untagged judgements, theme_rollup the audits raising each theme; audit_rollup
(audits, moderated audits, family voice records), family_answer_rollup and family_quote_rollup are new.
Run `flask rebuild-rollups` once after upgrading a database that holds audits: the new columns start at 0
and the new tables empty (from then on every change keeps them up to date).
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

# The rollup key as 0023 made it: (name, length of a text column, or None for an integer).
KEY_COLUMNS = (
    ("month", 7),
    ("tool_version_id", None),
    ("locality_id", None),
    ("team_id", None),
    ("service_id", None),
    ("case_type", 20),
    ("programme_kind", 20),
)
KEY = [name for name, _ in KEY_COLUMNS]


def _key_columns():
    columns = [sa.Column("id", sa.Integer(), nullable=False)]
    return columns + [
        sa.Column(name, sa.String(length=length) if length else sa.Integer(), nullable=False)
        for name, length in KEY_COLUMNS
    ]


def _counts(*names):
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


# The new rollups: (table, columns after the key, the key's columns after ROLLUP_KEY, indexed by theme).
ROLLUPS = (
    (
        "audit_rollup",
        _counts("audits", "moderated_audits", "family_recorded", "family_contacted", "family_consent"),
        [],
        False,
    ),
    (
        "family_answer_rollup",
        [
            sa.Column("question", sa.String(length=40), nullable=False),
            sa.Column("score", sa.SmallInteger(), nullable=False),
            *_counts("answers"),
        ],
        ["question", "score"],
        False,
    ),
    ("family_quote_rollup", _counts("theme_id", "quotes"), ["theme_id"], True),
)


def upgrade():
    op.add_column("judgement_rollup", sa.Column("untagged", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.add_column("theme_rollup", sa.Column("audits", sa.Integer(), server_default=sa.text("0"), nullable=False))
    for name, columns, key, by_theme in ROLLUPS:
        op.create_table(name, *_key_columns(), *columns, sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")))
        op.create_index(f"ux_{name}_key", name, [*KEY, *key], unique=True)
        if by_theme:
            op.create_index(f"ix_{name}_theme", name, ["theme_id"], unique=False)


def downgrade():
    for name, _, _, by_theme in reversed(ROLLUPS):
        if by_theme:
            op.drop_index(f"ix_{name}_theme", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
    with op.batch_alter_table("theme_rollup") as batch:
        batch.drop_column("audits")
    with op.batch_alter_table("judgement_rollup") as batch:
        batch.drop_column("untagged")
