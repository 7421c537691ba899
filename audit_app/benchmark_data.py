"""Volume data for the benchmark (benchmarks/), loaded by `flask generate-data --audits N --observations M`.

Rows go in with bulk statements (PostgreSQL COPY; executemany on SQLite), not through the ORM,
so 100,000 audits with their judgements load in a minute or two rather than hours. Generated
records bypass the change log on purpose: they are test volume, not anyone's work. Audits are
spread over the 36 months to today; about 10% are moderated, with a moderator's grade that
differs from the auditor's on about one judgement in five. Cases are "GEN" references.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, text

from .extensions import db
from .models import (
    AuditTool,
    Case,
    CaseAudit,
    Domain,
    Judgement,
    LensJudgement,
    ModeratedGrade,
    Moderation,
    Observation,
    PracticeWeek,
    Question,
    Team,
    Theme,
    ToolVersion,
    User,
)
from .models.audits import judgement_theme
from .models.practice_week import Lens, observation_theme

# Domain key, title, and the grade weights (Outstanding, Good, RI, Inadequate, not applicable).
GENERATED_DOMAINS = [
    ("timeliness", "Timeliness and help at the right time", (8, 52, 30, 8, 2)),
    ("assessment_quality", "Assessment quality", (6, 48, 36, 10, 0)),
    ("voice_of_child", "Voice and lived experience of the child", (5, 40, 40, 15, 0)),
    ("safety_planning", "Plans and safety planning", (6, 50, 34, 8, 2)),
    ("purposeful_visits", "Visits", (10, 55, 27, 6, 2)),
    ("management_oversight", "Management oversight and supervision", (4, 44, 40, 12, 0)),
    ("multi_agency", "Multi-agency work", (12, 60, 22, 4, 2)),
    ("impact", "Impact for the child", (8, 52, 32, 8, 0)),
]
LENS_WEIGHTS = (8, 50, 30, 8, 4)
MONTHS = 36
BATCH = 20000


def _bulk(table, columns, rows) -> int:
    """Insert rows (tuples in column order) as fast as the database allows."""
    count = 0
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = []
    statement = table.insert()
    for row in rows:
        batch.append(dict(zip(columns, row)))
        if len(batch) >= BATCH:
            connection.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(statement, batch)
        count += len(batch)
    return count


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _fix_sequences(*models) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        # Built with SQLAlchemy expressions: the table name is a bound value, never SQL text.
        highest = select(func.coalesce(func.max(model.id), 1)).scalar_subquery()
        db.session.execute(select(func.setval(func.pg_get_serial_sequence(f'"{model.__tablename__}"', "id"), highest)))


def _tool() -> tuple[ToolVersion, dict[str, int]]:
    tool = db.session.scalar(select(AuditTool).where(AuditTool.name == "Generated case audit tool"))
    if tool is None:
        tool = AuditTool(name="Generated case audit tool", description="Volume data for the benchmark")
        version = ToolVersion(tool=tool, number=1, status="published", published_at=datetime.now(UTC))
        for position, (key, title, _) in enumerate(GENERATED_DOMAINS):
            domain = Domain(version=version, position=position, key=key, title=title)
            Question(
                domain=domain,
                position=0,
                key=f"{key}_grade",
                text=f"Grade for {title.lower()}",
                response_type="grade",
                allow_not_applicable=True,
            )
            db.session.add(domain)
        db.session.add(tool)
        db.session.flush()
    version = tool.versions[0]
    questions = {d.key: d.questions[0].id for d in version.domains}
    return version, questions


def generate(audits: int, observations: int, seed: int = 2021, echo=lambda message: None) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    from .demo import seed_organisation

    seed_organisation("generated-data-password")
    version, questions = _tool()
    teams = db.session.execute(select(Team.id, Team.locality_id, Team.service_id)).all()
    themes = db.session.scalars(select(Theme.id).where(Theme.is_active.is_(True))).all()
    people = db.session.scalars(select(User.id).order_by(User.id)).all()
    today = date.today()
    first_day = today - timedelta(days=MONTHS * 30)
    span_seconds = int(
        (datetime.now(UTC) - datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)).total_seconds()
    )
    start_moment = datetime.now(UTC) - timedelta(seconds=span_seconds)
    case_types = ["early_help", "cin", "cp", "child_in_care", "care_leaver"]
    now = datetime.now(UTC)

    # Practice weeks, one a quarter, for observations and for record audits done in them.
    week_ids = []
    day = first_day
    while day < today:
        week = PracticeWeek(
            title=f"Generated practice week {day:%B %Y}",
            starts_on=day,
            ends_on=day + timedelta(days=4),
            focus="Generated",
        )
        db.session.add(week)
        db.session.flush()
        week_ids.append((week.id, day))
        day += timedelta(days=91)

    case_start, audit_start = _next_id(Case), _next_id(CaseAudit)
    judgement_start, moderation_start = _next_id(Judgement), _next_id(Moderation)
    moderated_grade_start = _next_id(ModeratedGrade)
    offset = db.session.scalar(select(func.count(Case.id))) or 0

    cases, audit_rows, judgement_rows, tag_rows, moderation_rows, moderated_rows = [], [], [], [], [], []
    judgement_id, moderation_id, moderated_id = judgement_start, moderation_start, moderated_grade_start
    for i in range(audits):
        case_id, audit_id = case_start + i, audit_start + i
        team_id, locality_id, _ = rng.choice(teams)
        cases.append(
            (
                case_id,
                f"GEN{offset + i + 1:07d}",
                rng.choice(case_types),
                locality_id,
                team_id,
                f"SW{rng.randint(1000, 9999)}",
                now,
            )
        )
        submitted = start_moment + timedelta(seconds=rng.randrange(span_seconds))
        moderated = rng.random() < 0.10
        audit_rows.append(
            (
                audit_id,
                case_id,
                version.id,
                None,
                None,
                rng.choice(people),
                "moderated" if moderated else "submitted",
                submitted,
                submitted,
                rng.choice((1, 2, 2, 2, 3, 3, 4)),
                False,
                1,
                now,
                now,
            )
        )
        if moderated:
            moderation_rows.append(
                (moderation_id, audit_id, rng.choice(people), "changed", submitted + timedelta(days=7), now)
            )
        for key, _, weights in GENERATED_DOMAINS:
            grade = rng.choices((1, 2, 3, 4, None), weights)[0]
            judgement_rows.append(
                (
                    judgement_id,
                    audit_id,
                    questions[key],
                    key,
                    grade,
                    f"Generated evidence for {key.replace('_', ' ')} on case {offset + i + 1}.",
                )
            )
            if themes and rng.random() < 0.25:
                tag_rows.append((judgement_id, rng.choice(themes)))
            if moderated:
                moderated_grade = grade
                if grade is not None and rng.random() < 0.2:
                    moderated_grade = max(1, min(4, grade + rng.choice((-1, 1))))
                moderated_rows.append((moderated_id, moderation_id, judgement_id, moderated_grade))
                moderated_id += 1
            judgement_id += 1
        if moderated:
            moderation_id += 1

    counts = {}
    counts["cases"] = _bulk(
        Case.__table__,
        ["id", "case_reference", "case_type", "locality_id", "team_id", "allocated_worker_ref", "created_at"],
        cases,
    )
    counts["audits"] = _bulk(
        CaseAudit.__table__,
        [
            "id",
            "case_id",
            "tool_version_id",
            "programme_id",
            "practice_week_id",
            "auditor_id",
            "status",
            "started_at",
            "submitted_at",
            "overall_grade",
            "child_not_safe",
            "version",
            "created_at",
            "updated_at",
        ],
        audit_rows,
    )
    counts["judgements"] = _bulk(
        Judgement.__table__, ["id", "audit_id", "question_id", "domain_key", "grade", "evidence"], judgement_rows
    )
    _bulk(judgement_theme, ["judgement_id", "theme_id"], {pair: None for pair in tag_rows}.keys())
    counts["moderations"] = _bulk(
        Moderation.__table__,
        ["id", "audit_id", "moderator_id", "outcome", "completed_at", "created_at"],
        moderation_rows,
    )
    _bulk(ModeratedGrade.__table__, ["id", "moderation_id", "judgement_id", "grade"], moderated_rows)
    echo(f"Audits generated in {time.perf_counter() - started:.1f}s")

    observation_start, lens_start = _next_id(Observation), _next_id(LensJudgement)
    observation_rows, lens_rows, observation_tags = [], [], []
    lens_id = lens_start
    for i in range(observations):
        observation_id = observation_start + i
        week_id, week_day = rng.choice(week_ids) if week_ids else (None, today)
        team_id, _, service_id = rng.choice(teams)
        observed_on = week_day + timedelta(days=rng.randrange(5))
        observation_rows.append(
            (
                observation_id,
                week_id,
                rng.choice(people),
                "strategy_meeting",
                team_id,
                service_id,
                observed_on,
                "submitted",
                "Generated: what is working well.",
                "Generated: what needs to improve.",
                False,
                datetime(observed_on.year, observed_on.month, observed_on.day, 17, tzinfo=UTC),
                1,
                now,
                now,
            )
        )
        for lens in Lens:
            lens_rows.append((lens_id, observation_id, lens.value, rng.choices((1, 2, 3, 4, None), LENS_WEIGHTS)[0]))
            lens_id += 1
        if themes:
            for theme_id in set(rng.sample(themes, k=min(len(themes), rng.randint(0, 2)))):
                observation_tags.append((observation_id, theme_id))
    counts["observations"] = _bulk(
        Observation.__table__,
        [
            "id",
            "practice_week_id",
            "observer_id",
            "activity_type",
            "team_id",
            "service_id",
            "observed_on",
            "status",
            "working_well",
            "needs_to_improve",
            "immediate_concern",
            "submitted_at",
            "version",
            "created_at",
            "updated_at",
        ],
        observation_rows,
    )
    _bulk(LensJudgement.__table__, ["id", "observation_id", "lens", "grade"], lens_rows)
    _bulk(observation_theme, ["observation_id", "theme_id"], observation_tags)
    _fix_sequences(Case, CaseAudit, Judgement, Moderation, ModeratedGrade, Observation, LensJudgement)
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
