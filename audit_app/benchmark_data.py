"""Volume data for the benchmark (benchmarks/), loaded by `flask generate-data --audits N --observations M`.

Rows go in with bulk statements (PostgreSQL COPY; executemany on SQLite), not through the ORM,
so 100,000 audits with their judgements load in a minute or two rather than hours. They are made
and written in batches of AUDITS_PER_BATCH audits, so memory stays the same whether one asks for a
thousand audits or a million (a million, with 8 million judgements, loads on PostgreSQL in minutes). Generated
records bypass the change log on purpose: they are test volume, not anyone's work. Audits are
spread over the 36 months to today; about 10% are moderated, with a moderator's grade that
differs from the auditor's on about one judgement in five. Cases are "GEN" references.
"""

import random
import time
from dataclasses import dataclass
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
from .reporting import rollups

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
AUDITS_PER_BATCH = 5000
CASE_TYPES = ["early_help", "cin", "cp", "child_in_care", "care_leaver"]

# The columns each bulk insert fills, in the order of the generated rows' values.
CASE_COLUMNS = ["id", "case_reference", "case_type", "locality_id", "team_id", "allocated_worker_ref", "created_at"]
AUDIT_COLUMNS = [
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
]
JUDGEMENT_COLUMNS = ["id", "audit_id", "question_id", "domain_key", "grade", "evidence"]
MODERATION_COLUMNS = ["id", "audit_id", "moderator_id", "outcome", "completed_at", "created_at"]
OBSERVATION_COLUMNS = [
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
]


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


@dataclass
class _Setting:
    """What every generated row draws on: the random sequence, the organisation and the span of time."""

    rng: random.Random
    version: ToolVersion
    questions: dict[str, int]
    teams: list
    themes: list[int]
    people: list[int]
    now: datetime
    today: date
    first_day: date


def _setting(rng: random.Random) -> _Setting:
    version, questions = _tool()
    today = date.today()
    return _Setting(
        rng=rng,
        version=version,
        questions=questions,
        teams=db.session.execute(select(Team.id, Team.locality_id, Team.service_id)).all(),
        themes=db.session.scalars(select(Theme.id).where(Theme.is_active.is_(True))).all(),
        people=db.session.scalars(select(User.id).order_by(User.id)).all(),
        now=datetime.now(UTC),
        today=today,
        first_day=today - timedelta(days=MONTHS * 30),
    )


def _add_practice_weeks(first_day: date, today: date) -> list[tuple[int, date]]:
    """Practice weeks, one a quarter, for observations and for record audits done in them."""
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
    return week_ids


class _AuditRows:
    """Generated cases with one submitted audit each, their judgements and themes, and moderations of some."""

    def __init__(self, setting: _Setting):
        self.setting = setting
        self.case_start, self.audit_start = _next_id(Case), _next_id(CaseAudit)
        self.judgement_id, self.moderation_id = _next_id(Judgement), _next_id(Moderation)
        self.moderated_id = _next_id(ModeratedGrade)
        self.offset = db.session.scalar(select(func.count(Case.id))) or 0
        first = setting.first_day
        # Submitted at a random second between the first day and now.
        self.span_seconds = int(
            (setting.now - datetime(first.year, first.month, first.day, tzinfo=UTC)).total_seconds()
        )
        self.start_moment = setting.now - timedelta(seconds=self.span_seconds)
        self.counts = {"cases": 0, "audits": 0, "judgements": 0, "moderations": 0}
        self._clear()

    def _clear(self) -> None:
        self.cases, self.audits, self.judgements, self.tags, self.moderations, self.moderated = [], [], [], [], [], []

    def add(self, i: int) -> None:
        setting, rng, now = self.setting, self.setting.rng, self.setting.now
        case_id, audit_id = self.case_start + i, self.audit_start + i
        team_id, locality_id, _ = rng.choice(setting.teams)
        reference = f"GEN{self.offset + i + 1:07d}"
        self.cases.append(
            (case_id, reference, rng.choice(CASE_TYPES), locality_id, team_id, f"SW{rng.randint(1000, 9999)}", now)
        )
        submitted = self.start_moment + timedelta(seconds=rng.randrange(self.span_seconds))
        moderated = rng.random() < 0.10
        status = "moderated" if moderated else "submitted"
        auditor, grade = rng.choice(setting.people), rng.choice((1, 2, 2, 2, 3, 3, 4))
        self.audits.append(
            (audit_id, case_id, setting.version.id, None, None, auditor, status, submitted, submitted, grade)
            + (False, 1, now, now)
        )
        if moderated:
            moderation = (self.moderation_id, audit_id, rng.choice(setting.people), "changed")
            self.moderations.append(moderation + (submitted + timedelta(days=7), now))
        for key, _, weights in GENERATED_DOMAINS:
            self._add_judgement(audit_id, key, weights, self.offset + i + 1, moderated)
        if moderated:
            self.moderation_id += 1

    def _add_judgement(self, audit_id: int, key: str, weights, case_number: int, moderated: bool) -> None:
        rng, themes = self.setting.rng, self.setting.themes
        grade = rng.choices((1, 2, 3, 4, None), weights)[0]
        evidence = f"Generated evidence for {key.replace('_', ' ')} on case {case_number}."
        self.judgements.append((self.judgement_id, audit_id, self.setting.questions[key], key, grade, evidence))
        if themes and rng.random() < 0.25:
            self.tags.append((self.judgement_id, rng.choice(themes)))
        if moderated:
            # The moderator differs from the auditor on about one judgement in five.
            moderated_grade = grade
            if grade is not None and rng.random() < 0.2:
                moderated_grade = max(1, min(4, grade + rng.choice((-1, 1))))
            self.moderated.append((self.moderated_id, self.moderation_id, self.judgement_id, moderated_grade))
            self.moderated_id += 1
        self.judgement_id += 1

    def flush(self) -> None:
        """Write the batch made so far (parents before children, for the foreign keys) and forget it."""
        self.counts["cases"] += _bulk(Case.__table__, CASE_COLUMNS, self.cases)
        self.counts["audits"] += _bulk(CaseAudit.__table__, AUDIT_COLUMNS, self.audits)
        self.counts["judgements"] += _bulk(Judgement.__table__, JUDGEMENT_COLUMNS, self.judgements)
        _bulk(judgement_theme, ["judgement_id", "theme_id"], {pair: None for pair in self.tags}.keys())
        self.counts["moderations"] += _bulk(Moderation.__table__, MODERATION_COLUMNS, self.moderations)
        _bulk(ModeratedGrade.__table__, ["id", "moderation_id", "judgement_id", "grade"], self.moderated)
        self._clear()


def _insert_audits(setting: _Setting, count: int, echo) -> dict:
    """Make and write the audits batch by batch, saying how far it has gone every 100,000."""
    audit_rows = _AuditRows(setting)
    for i in range(count):
        audit_rows.add(i)
        if (i + 1) % AUDITS_PER_BATCH == 0:
            audit_rows.flush()
            if (i + 1) % 100_000 == 0:
                echo(f"{i + 1} audits written")
    audit_rows.flush()
    return audit_rows.counts


def _insert_observations(setting: _Setting, count: int, week_ids: list[tuple[int, date]]) -> int:
    """Submitted observations in the generated practice weeks, with a grade for every lens and a theme or two."""
    rng, now = setting.rng, setting.now
    observation_start, lens_id = _next_id(Observation), _next_id(LensJudgement)
    observation_rows, lens_rows, observation_tags = [], [], []
    inserted = 0
    for i in range(count):
        observation_id = observation_start + i
        week_id, week_day = rng.choice(week_ids) if week_ids else (None, setting.today)
        team_id, _, service_id = rng.choice(setting.teams)
        observed_on = week_day + timedelta(days=rng.randrange(5))
        evening = datetime(observed_on.year, observed_on.month, observed_on.day, 17, tzinfo=UTC)
        observation_rows.append(
            (observation_id, week_id, rng.choice(setting.people), "strategy_meeting", team_id, service_id, observed_on)
            + ("submitted", "Generated: what is working well.", "Generated: what needs to improve.", False, evening)
            + (1, now, now)
        )
        for lens in Lens:
            lens_rows.append((lens_id, observation_id, lens.value, rng.choices((1, 2, 3, 4, None), LENS_WEIGHTS)[0]))
            lens_id += 1
        if setting.themes:
            picked = rng.sample(setting.themes, k=min(len(setting.themes), rng.randint(0, 2)))
            observation_tags.extend((observation_id, theme_id) for theme_id in set(picked))
        if len(observation_rows) >= AUDITS_PER_BATCH or i == count - 1:
            inserted += _bulk(Observation.__table__, OBSERVATION_COLUMNS, observation_rows)
            _bulk(LensJudgement.__table__, ["id", "observation_id", "lens", "grade"], lens_rows)
            _bulk(observation_theme, ["observation_id", "theme_id"], observation_tags)
            observation_rows, lens_rows, observation_tags = [], [], []
    return inserted


def generate(audits: int, observations: int, seed: int = 2021, echo=lambda message: None) -> dict:
    rng = random.Random(seed)
    started = time.perf_counter()
    from .demo import seed_organisation

    seed_organisation("generated-data-password")
    setting = _setting(rng)
    week_ids = _add_practice_weeks(setting.first_day, setting.today)
    counts = _insert_audits(setting, audits, echo)
    echo(f"Audits generated in {time.perf_counter() - started:.1f}s")
    counts["observations"] = _insert_observations(setting, observations, week_ids)
    _fix_sequences(Case, CaseAudit, Judgement, Moderation, ModeratedGrade, Observation, LensJudgement)
    db.session.commit()
    # The bulk insert wrote past the flush that keeps the summary's rollups: count them again.
    rollup_started = time.perf_counter()
    counts |= rollups.rebuild()
    echo(f"Rollups rebuilt in {time.perf_counter() - rollup_started:.1f}s")
    if db.session.get_bind().dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
