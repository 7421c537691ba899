"""lens_rollup: the lens judgements of submitted observations by month and filter

Revision ID: 0031
Revises: 0030

The summary's lens spread and untagged lens count, and key findings' previous period, read this rather than
every lens judgement of the period. It is filled here from the raw rows (from then on every change keeps it
up to date, and `flask rebuild-rollups` counts it again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

# Every column after the id, none nullable: the key, then the count.
COLUMNS = (
    ("month", sa.String(length=7)),
    ("team_id", sa.Integer()),
    ("service_id", sa.Integer()),
    ("case_type", sa.String(length=20)),
    ("lens", sa.String(length=40)),
    ("grade", sa.SmallInteger()),
    ("untagged", sa.Boolean()),
    ("judgements", sa.Integer()),
)
KEY = [name for name, _ in COLUMNS[:-1]]


def upgrade():
    columns = [sa.Column(name, column_type, nullable=False) for name, column_type in COLUMNS]
    op.create_table(
        "lens_rollup",
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lens_rollup")),
    )
    op.create_index("ux_lens_rollup_key", "lens_rollup", KEY, unique=True)
    postgresql = op.get_bind().dialect.name == "postgresql"
    month = "to_char(o.observed_on, 'YYYY-MM')" if postgresql else "strftime('%Y-%m', o.observed_on)"
    # As rollups._lens_counts counts them: fixed SQL, nothing typed.
    op.execute(
        f"INSERT INTO lens_rollup ({', '.join(KEY)}, judgements) "
        f"SELECT {month}, COALESCE(o.team_id, 0), COALESCE(o.service_id, 0), COALESCE(c.case_type, ''), "
        "j.lens, COALESCE(j.grade, 0), t.observation_id IS NULL, COUNT(*) "
        "FROM observation o "
        'LEFT OUTER JOIN "case" c ON c.id = o.case_id '
        "JOIN lens_judgement j ON j.observation_id = o.id "
        "LEFT OUTER JOIN (SELECT DISTINCT observation_id FROM observation_theme) t ON t.observation_id = o.id "
        "WHERE o.status = 'submitted' "
        f"GROUP BY {month}, COALESCE(o.team_id, 0), COALESCE(o.service_id, 0), COALESCE(c.case_type, ''), "
        "j.lens, COALESCE(j.grade, 0), t.observation_id IS NULL"
    )


def downgrade():
    op.drop_index("ux_lens_rollup_key", table_name="lens_rollup")
    op.drop_table("lens_rollup")
