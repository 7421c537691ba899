"""The figures of the theme summary, each counted by the database (GROUP BY), never in Python.

Which records count: audits whose status is submitted or moderated, dated by submitted_at; and
submitted observations, dated by observed_on. A judgement's grade is the moderator's grade where
the audit was moderated (the grades="moderated" view, the default) or the auditor's own grade
(grades="original"). Grades: 1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate, NULL not
applicable (audits) or not observed (observations).
"""
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, case, distinct, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    Domain,
    Judgement,
    LensJudgement,
    ModeratedGrade,
    Moderation,
    Observation,
    ObservationStatus,
    PracticeWeek,
    Question,
    Team,
    Theme,
    ToolVersion,
    User,
    VersionStatus,
)
from ..models.audits import judgement_theme
from ..models.practice_week import LENS_LABELS, observation_theme
from ..parsing import parse_id
from .filters import Filters, Period, add_months, parse_month, parse_period, quarter_of

GRADES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
COUNTED_AUDIT_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)
TREND_MONTHS = 12


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def month_of(column):
    """'YYYY-MM' of a UTC timestamp or a date, in SQL."""
    if _dialect() == "postgresql":
        if isinstance(column.type, db.DateTime):
            return func.to_char(func.timezone("UTC", column), "YYYY-MM")
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


# The latest moderation of a moderated audit, and its grade for each judgement: outer-joined, so
# a judgement without a moderator's grade keeps the auditor's.
LatestModeration = aliased(Moderation, name="latest_moderation")
NewerModeration = aliased(Moderation, name="newer_moderation")
ModeratorsGrade = aliased(ModeratedGrade, name="moderators_grade")


def grade_expression(filters: Filters):
    """The grade a judgement counts with: the moderator's on a moderated audit, unless the
    filters ask for the auditors' original grades. Use inside judgements_query(), which joins."""
    if filters.grades == "original":
        return Judgement.grade
    return func.coalesce(ModeratorsGrade.grade, Judgement.grade)


def _join_moderation(query):
    return query.outerjoin(
        LatestModeration,
        and_(
            LatestModeration.audit_id == CaseAudit.id,
            CaseAudit.status == AuditStatus.MODERATED.value,
            ~select(NewerModeration.id)
            .where(NewerModeration.audit_id == LatestModeration.audit_id, NewerModeration.id > LatestModeration.id)
            .exists(),
        ),
    ).outerjoin(
        ModeratorsGrade,
        and_(ModeratorsGrade.moderation_id == LatestModeration.id, ModeratorsGrade.judgement_id == Judgement.id),
    )


def audit_conditions(filters: Filters, period: Period | None) -> list:
    """WHERE clauses on CaseAudit (and Case, joined by the caller) for the filters."""
    conditions = [CaseAudit.status.in_(COUNTED_AUDIT_STATUSES)]
    if period is not None:
        conditions += [
            CaseAudit.submitted_at >= period.start_datetime(),
            CaseAudit.submitted_at < period.end_datetime(),
        ]
    if filters.programme:
        conditions.append(CaseAudit.programme_id == filters.programme)
    if filters.practice_week:
        conditions.append(CaseAudit.practice_week_id == filters.practice_week)
    case_conditions = []
    if filters.locality:
        case_conditions.append(Case.locality_id == filters.locality)
    if filters.team:
        case_conditions.append(Case.team_id == filters.team)
    if filters.service:
        case_conditions.append(Case.team_id.in_(select(Team.id).where(Team.service_id == filters.service)))
    if filters.case_type:
        case_conditions.append(Case.case_type == filters.case_type)
    if case_conditions:
        conditions.append(CaseAudit.case_id.in_(select(Case.id).where(*case_conditions)))
    return conditions


def observation_conditions(filters: Filters, period: Period | None) -> list:
    conditions = [Observation.status == ObservationStatus.SUBMITTED.value]
    if period is not None:
        conditions += [Observation.observed_on >= period.start, Observation.observed_on < period.end]
    if filters.practice_week:
        conditions.append(Observation.practice_week_id == filters.practice_week)
    if filters.team:
        conditions.append(Observation.team_id == filters.team)
    if filters.service:
        conditions.append(Observation.service_id == filters.service)
    if filters.locality:
        conditions.append(Observation.team_id.in_(select(Team.id).where(Team.locality_id == filters.locality)))
    if filters.case_type:
        conditions.append(Observation.case_id.in_(select(Case.id).where(Case.case_type == filters.case_type)))
    return conditions


def judgements_query(filters: Filters, period: Period | None, *columns, moderation: bool | None = None):
    """Judgements of the audits the filters select; joins the moderator's grades when needed."""
    query = select(*columns).select_from(Judgement).join(CaseAudit, CaseAudit.id == Judgement.audit_id)
    if filters.grades == "moderated" if moderation is None else moderation:
        query = _join_moderation(query)
    return query.where(*audit_conditions(filters, period))


# --- Grade spread -------------------------------------------------------------------------


@dataclass
class SpreadRow:
    key: str
    label: str
    counts: dict = field(default_factory=lambda: {g: 0 for g in GRADES})
    not_graded: int = 0

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.graded + self.not_graded

    @property
    def good_or_better(self) -> int:
        return self.counts[1] + self.counts[2]

    @property
    def weak(self) -> int:
        return self.counts[3] + self.counts[4]

    def share(self, count: int) -> int | None:
        return round(100 * count / self.graded) if self.graded else None

    @property
    def good_pct(self) -> int | None:
        return self.share(self.good_or_better)

    @property
    def weak_pct(self) -> int | None:
        return self.share(self.weak)


def _reported_domains(*columns):
    """Domains of the versions audits are done on (published, or since retired), never a draft's:
    editing a draft changes no report."""
    return (
        select(*columns)
        .join(ToolVersion, ToolVersion.id == Domain.version_id)
        .where(ToolVersion.status != VersionStatus.DRAFT.value)
    )


def domain_labels() -> dict[str, str]:
    """Domain key -> title, from the newest published (or retired) tool version that uses the key."""
    rows = db.session.execute(_reported_domains(Domain.key, Domain.title).order_by(Domain.version_id)).all()
    labels = {key: title for key, title in rows}
    for lens, label in LENS_LABELS.items():
        labels.setdefault(lens.value, label)
    return labels


def domain_label(key: str) -> str:
    return domain_labels().get(key) or key.replace("_", " ").capitalize()


def domain_order() -> dict[str, int]:
    """Domain key -> its place in the published tools, for listing domains in the tool's order."""
    return dict(db.session.execute(_reported_domains(Domain.key, func.min(Domain.position)).group_by(Domain.key)).all())


def _spread(rows, labels, order) -> list[SpreadRow]:
    result: dict[str, SpreadRow] = {}
    for key, grade, count in rows:
        row = result.setdefault(key, SpreadRow(key, labels.get(key, key.replace("_", " ").capitalize())))
        if grade in GRADES:
            row.counts[grade] += count
        else:
            row.not_graded += count
    return sorted(result.values(), key=lambda r: (order.get(r.key, 999), r.label))


def moderation_changes(filters: Filters, period: Period, *group_columns):
    """(group..., auditor's grade, moderator's grade, count) for the judgements of moderated audits
    whose latest moderator's grade differs from the auditor's. Moderated audits are a small share,
    so counting the auditors' grades and then applying these changes is much cheaper than joining
    every judgement to the moderation tables."""
    query = (
        judgements_query(filters, period, *group_columns, Judgement.grade, ModeratorsGrade.grade, func.count(), moderation=True)
        .where(
            CaseAudit.status == AuditStatus.MODERATED.value,
            ModeratorsGrade.grade.is_not(None),
            or_(Judgement.grade.is_(None), ModeratorsGrade.grade != Judgement.grade),
        )
        .group_by(*group_columns, Judgement.grade, ModeratorsGrade.grade)
    )
    return db.session.execute(query).all()


def domain_spread(filters: Filters, period: Period | None = None) -> list[SpreadRow]:
    """Count of judgements per domain and grade (audits), moderated grades applied unless the
    filters ask for the auditors' original grades."""
    period = period or filters.period_obj
    original = replace(filters, grades="original")
    query = judgements_query(original, period, Judgement.domain_key, Judgement.grade, func.count()).group_by(
        Judgement.domain_key, Judgement.grade
    )
    rows = [tuple(r) for r in db.session.execute(query)]
    if filters.grades == "moderated":
        for key, auditor, moderator, count in moderation_changes(original, period, Judgement.domain_key):
            rows += [(key, auditor, -count), (key, moderator, count)]
    return _spread(rows, domain_labels(), domain_order())


def lens_spread(filters: Filters, period: Period | None = None) -> list[SpreadRow]:
    """Count of lens judgements per lens and grade (observations)."""
    period = period or filters.period_obj
    query = (
        select(LensJudgement.lens, LensJudgement.grade, func.count())
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(*observation_conditions(filters, period))
        .group_by(LensJudgement.lens, LensJudgement.grade)
    )
    order = {lens.value: i for i, lens in enumerate(LENS_LABELS)}
    return _spread(db.session.execute(query).all(), {k.value: v for k, v in LENS_LABELS.items()}, order)


# --- Good or better, month by month --------------------------------------------------------


@dataclass
class Trend:
    months: list[str]
    rows: list[dict]  # {"key", "label", "cells": {month: (good, graded)}}

    @staticmethod
    def month_label(month: str) -> str:
        return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def trend_window(filters: Filters) -> Period:
    period = filters.period_obj
    months = max(period.months, TREND_MONTHS)
    return Period(key="trend", start=add_months(period.end, -months), end=period.end)


def good_or_better_by_month(filters: Filters) -> Trend:
    """Share of graded judgements Good or better per domain and month, over the year to the period end."""
    window = trend_window(filters)
    original = replace(filters, grades="original")
    month = month_of(CaseAudit.submitted_at).label("month")
    query = judgements_query(
        original,
        window,
        Judgement.domain_key,
        month,
        func.count(case((Judgement.grade <= 2, 1))),
        func.count(Judgement.grade),
    ).group_by(Judgement.domain_key, month)
    rows = [tuple(r) for r in db.session.execute(query)]
    if filters.grades == "moderated":
        for key, month_value, auditor, moderator, count in moderation_changes(original, window, Judgement.domain_key, month):
            good = (1 if moderator <= 2 else 0) - (1 if auditor is not None and auditor <= 2 else 0)
            graded = 0 if auditor is not None else 1
            rows.append((key, month_value, good * count, graded * count))
    months = [f"{add_months(window.start, i):%Y-%m}" for i in range(window.months)]
    labels, order = domain_labels(), domain_order()
    result: dict[str, dict] = {}
    for key, month_value, good, graded in rows:
        row = result.setdefault(key, {"key": key, "label": labels.get(key, key), "cells": {}})
        before = row["cells"].get(month_value, (0, 0))
        row["cells"][month_value] = (before[0] + good, before[1] + graded)
    ordered = sorted(result.values(), key=lambda r: (order.get(r["key"], 999), r["label"]))
    return Trend(months=months, rows=ordered)


# --- Recurring themes --------------------------------------------------------------------------


@dataclass
class ThemeRow:
    id: int
    name: str
    is_active: bool
    audits: int = 0
    observations: int = 0
    previous_audits: int = 0
    previous_observations: int = 0

    @property
    def total(self) -> int:
        return self.audits + self.observations

    @property
    def previous_total(self) -> int:
        return self.previous_audits + self.previous_observations

    @property
    def change(self) -> int:
        return self.total - self.previous_total


def _theme_counts(filters: Filters, period: Period):
    """(theme_id, source, is_previous, count) for the period and the one before, in one pass."""
    previous = period.previous()
    both = Period(key="both", start=previous.start, end=period.end)
    parts = []
    if filters.include_audits:
        is_previous = case((CaseAudit.submitted_at < period.start_datetime(), 1), else_=0).label("is_previous")
        parts.append(
            judgements_query(filters, both, judgement_theme.c.theme_id, literal("audits").label("source"), is_previous, func.count(),
                        moderation=False)
            .join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
            .group_by(judgement_theme.c.theme_id, is_previous)
        )
    if filters.include_observations:
        is_previous = case((Observation.observed_on < period.start, 1), else_=0).label("is_previous")
        parts.append(
            select(observation_theme.c.theme_id, literal("observations").label("source"), is_previous, func.count())
            .join(Observation, Observation.id == observation_theme.c.observation_id)
            .where(*observation_conditions(filters, both))
            .group_by(observation_theme.c.theme_id, is_previous)
        )
    if not parts:
        return []
    return db.session.execute(union_all(*parts) if len(parts) > 1 else parts[0]).all()


def theme_ranking(filters: Filters) -> list[ThemeRow]:
    """Themes by how often they were raised in the period, split by source, with the previous period."""
    period = filters.period_obj
    themes = {t.id: ThemeRow(t.id, t.name, t.is_active) for t in db.session.execute(select(Theme.id, Theme.name, Theme.is_active))}
    for theme_id, source, is_previous, count in _theme_counts(filters, period):
        setattr(themes[theme_id], f"previous_{source}" if is_previous else source, count)
    raised = [t for t in themes.values() if t.total or t.previous_total]
    return sorted(raised, key=lambda t: (-t.total, -t.previous_total, t.name))


# --- Moderation ------------------------------------------------------------------------------


@dataclass
class ModerationFigures:
    audits: int  # audits counted in the period
    moderated_audits: int
    changed_judgements: int  # judgements whose moderated grade differs from the auditor's


def moderation_figures(filters: Filters) -> ModerationFigures:
    period = filters.period_obj
    audits, moderated = db.session.execute(
        select(func.count(), func.count(case((CaseAudit.status == AuditStatus.MODERATED.value, 1)))).where(
            *audit_conditions(filters, period)
        )
    ).one()
    changed = db.session.scalar(
        judgements_query(filters, period, func.count(), moderation=True).where(
            ModeratorsGrade.grade.is_not(None),
            or_(Judgement.grade.is_(None), ModeratorsGrade.grade != Judgement.grade),
        )
    )
    return ModerationFigures(audits or 0, moderated or 0, changed or 0)


# --- Drill-down ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which figure a drill-down explains: a domain or lens, a grade, a theme, a month."""

    domain: str | None = None
    lens: str | None = None
    grade: str | None = None  # "1".."4", "na", or "good" (1 or 2), "weak" (3 or 4)
    theme: int | None = None
    month: str | None = None  # YYYY-MM, for the trend
    previous: bool = False

    @classmethod
    def from_args(cls, args) -> "Selection":
        grade = args.get("grade") if args.get("grade") in ("1", "2", "3", "4", "na", "good", "weak") else None
        month = parse_month(args.get("month"))
        return cls(
            domain=(args.get("domain") or "").strip() or None,
            lens=(args.get("lens") or "").strip() or None,
            grade=grade,
            theme=parse_id(args.get("theme")),
            month=month.key if month else None,
            previous=args.get("previous") == "1",
        )

    def as_args(self) -> dict:
        values = {"domain": self.domain, "lens": self.lens, "grade": self.grade, "theme": self.theme, "month": self.month}
        if self.previous:
            values["previous"] = "1"
        return {k: v for k, v in values.items() if v is not None}


def _grade_condition(grade_column, grade: str | None):
    if grade is None:
        return None
    if grade == "na":
        return grade_column.is_(None)
    if grade == "good":
        return grade_column <= 2
    if grade == "weak":
        return grade_column >= 3
    return grade_column == int(grade)


def _selection_period(filters: Filters, selection: Selection) -> Period:
    if month := parse_month(selection.month):
        return month
    period = filters.period_obj
    return period.previous() if selection.previous else period


def evidence_audits(filters: Filters, selection: Selection, limit: int = 50, offset: int = 0):
    """The judgements behind a figure, newest first, with the total count."""
    if not filters.include_audits or selection.lens:
        return [], 0
    period = _selection_period(filters, selection)
    grade = grade_expression(filters)
    conditions = []
    if selection.domain:
        conditions.append(Judgement.domain_key == selection.domain)
    if (condition := _grade_condition(grade, selection.grade)) is not None:
        conditions.append(condition)
    if selection.theme:
        # EXISTS, not IN: SQLite would otherwise probe every tagged judgement for every audit.
        conditions.append(
            select(judgement_theme.c.judgement_id)
            .where(judgement_theme.c.judgement_id == Judgement.id, judgement_theme.c.theme_id == selection.theme)
            .exists()
        )
    base = judgements_query(filters, period, Judgement.id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        _judgement_rows(filters, period)
        .where(*conditions)
        .order_by(CaseAudit.submitted_at.desc(), Judgement.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return _with_themes(rows, judgement_theme.c.judgement_id), total or 0


def _judgement_rows(filters: Filters, period: Period | None):
    """A judgement as a person reads it: case, date, domain and question, who audited, the case's team."""
    return (
        judgements_query(
            filters,
            period,
            Judgement.id,
            Judgement.audit_id,
            Judgement.domain_key,
            grade_expression(filters).label("grade"),
            Judgement.grade.label("original_grade"),
            Judgement.evidence,
            CaseAudit.submitted_at,
            CaseAudit.status,
            Case.case_reference,
            Question.text.label("question"),
            User.display_name.label("auditor"),
            Team.name.label("team"),
        )
        .join(Case, Case.id == CaseAudit.case_id)
        .join(Question, Question.id == Judgement.question_id)
        .join(User, User.id == CaseAudit.auditor_id)
        .join(Team, Team.id == Case.team_id)
    )


@dataclass(frozen=True)
class WithThemes:
    """A result row and the names of the themes on its record, "; "-separated."""

    row: object
    themes: str

    def __getattr__(self, name):
        return getattr(self.row, name)


def _with_themes(rows, record_column) -> list[WithThemes]:
    """The rows, each with its record's themes (one query for the lot; the rows' first column is the id)."""
    link = record_column.table
    names: dict[int, list[str]] = {}
    ids = [row[0] for row in rows]
    if ids:
        found = db.session.execute(
            select(record_column, Theme.name)
            .join(Theme, Theme.id == link.c.theme_id)
            .where(record_column.in_(ids))
            .order_by(Theme.name)
        )
        for record_id, name in found:
            names.setdefault(record_id, []).append(name)
    return [WithThemes(row, "; ".join(names.get(row[0], []))) for row in rows]


def evidence_observations(filters: Filters, selection: Selection, limit: int = 50, offset: int = 0):
    """The observations behind a figure (one row per lens judgement, or per tagged observation)."""
    if not filters.include_observations or (selection.domain and not selection.lens and not selection.theme) or selection.month:
        return [], 0
    period = _selection_period(filters, selection)
    conditions = observation_conditions(filters, period)
    if selection.theme:
        conditions.append(
            select(observation_theme.c.observation_id)
            .where(observation_theme.c.observation_id == Observation.id, observation_theme.c.theme_id == selection.theme)
            .exists()
        )
    if selection.lens:
        lens_conditions = [LensJudgement.observation_id == Observation.id, LensJudgement.lens == selection.lens]
        if (condition := _grade_condition(LensJudgement.grade, selection.grade)) is not None:
            lens_conditions.append(condition)
        columns = (LensJudgement.lens, LensJudgement.grade, LensJudgement.note.label("note"))
        query = select(Observation.id).join(LensJudgement, and_(*lens_conditions))
    else:
        columns = (literal(None).label("lens"), literal(None).label("grade"), Observation.needs_to_improve.label("note"))
        query = select(Observation.id)
    query = query.where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        _observation_rows(query, *columns)
        .order_by(Observation.observed_on.desc(), Observation.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return _with_themes(rows, observation_theme.c.observation_id), total or 0


def _observation_rows(query, *columns):
    """An observation as a person reads it: date, activity, team, who observed, the case if any."""
    return (
        query.add_columns(
            Observation.observed_on,
            Observation.activity_type,
            Team.name.label("team"),
            Case.case_reference,
            User.display_name.label("observer"),
            *columns,
        )
        .join(User, User.id == Observation.observer_id)
        .outerjoin(Team, Team.id == Observation.team_id)
        .outerjoin(Case, Case.id == Observation.case_id)
    )


EXPORT_BATCH = 1000


def all_judgements(filters: Filters):
    """Every audit judgement the filters select, with its themes, for the export (in batches, so a
    large export never holds every row at once)."""
    if not filters.include_audits:
        return
    query = _judgement_rows(filters, filters.period_obj).order_by(CaseAudit.submitted_at, Judgement.id)
    yield from _batched_with_themes(query, judgement_theme.c.judgement_id)


def all_lens_judgements(filters: Filters):
    """Every lens judgement of the observations the filters select, with the observation's themes."""
    if not filters.include_observations:
        return
    query = _observation_rows(
        select(Observation.id).join(LensJudgement, LensJudgement.observation_id == Observation.id),
        LensJudgement.lens,
        LensJudgement.grade,
        LensJudgement.note.label("note"),
    ).where(*observation_conditions(filters, filters.period_obj))
    yield from _batched_with_themes(query.order_by(Observation.observed_on, Observation.id, LensJudgement.id),
                                    observation_theme.c.observation_id)


def _batched_with_themes(query, record_column):
    result = db.session.execute(query.execution_options(yield_per=EXPORT_BATCH))
    for batch in result.partitions():
        yield from _with_themes(batch, record_column)


# --- The default period and the filter choices ---------------------------------------------------


def latest_activity_date() -> date | None:
    """The newest submitted audit or observation (remembered for the rest of the request)."""
    from flask import g, has_app_context

    if has_app_context() and "themes_latest_activity" in g:
        return g.themes_latest_activity
    latest = _latest_activity_date()
    if has_app_context():
        g.themes_latest_activity = latest
    return latest


def _latest_activity_date() -> date | None:
    latest_audit = db.session.scalar(
        select(func.max(CaseAudit.submitted_at)).where(CaseAudit.status.in_(COUNTED_AUDIT_STATUSES))
    )
    latest_observation = db.session.scalar(
        select(func.max(Observation.observed_on)).where(Observation.status == ObservationStatus.SUBMITTED.value)
    )
    return _earliest_or_latest(max, latest_audit, latest_observation)


def _earliest_or_latest(pick, *values) -> date | None:
    days = [d.date() if hasattr(d, "date") else d for d in values if d is not None]
    days = [d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in days]
    return pick(days) if days else None


def default_period_key() -> str:
    latest = latest_activity_date() or date.today()
    return quarter_of(latest).key


def earliest_activity_date() -> date | None:
    """The oldest submitted audit or observation."""
    earliest_audit = db.session.scalar(
        select(func.min(CaseAudit.submitted_at)).where(CaseAudit.status.in_(COUNTED_AUDIT_STATUSES))
    )
    earliest_observation = db.session.scalar(
        select(func.min(Observation.observed_on)).where(Observation.status == ObservationStatus.SUBMITTED.value)
    )
    return _earliest_or_latest(min, earliest_audit, earliest_observation)


def month_choices(period: Period | None = None) -> list[tuple[str, str]]:
    """Every month from the first record to the latest, and those of the period shown, newest first."""
    latest = latest_activity_date() or date.today()
    earliest = min(earliest_activity_date() or latest, latest)
    if period:
        earliest, latest = min(earliest, period.start), max(latest, add_months(period.end, -1))
    month, first, months = date(latest.year, latest.month, 1), date(earliest.year, earliest.month, 1), []
    while month >= first:
        months.append((f"{month:%Y-%m}", f"{month:%B %Y}"))
        month = add_months(month, -1)
    return months


def period_choices(selected: str, months: list[tuple[str, str]] | None = None) -> list[tuple[str, list]]:
    """Every quarter, year and month from the first record to the latest, newest first, in groups;
    a selected period outside them (a range, or a shared link to a quiet time) comes first."""
    latest = latest_activity_date() or date.today()
    earliest = min(earliest_activity_date() or latest, latest)
    quarters, current = [], quarter_of(latest)
    while current.end > earliest:
        quarters.append((current.key, current.short_label))
        current = current.previous()
    years = [(str(year), f"The year {year}") for year in range(latest.year, earliest.year - 1, -1)]
    groups = [("Quarters", quarters), ("Years", years), ("Months", month_choices() if months is None else months)]
    if selected and selected not in {key for _, choices in groups for key, _ in choices}:
        period = parse_period(selected)
        groups.insert(0, ("Chosen", [(selected, period.short_label if period else selected)]))
    return groups


def programme_choices():
    return db.session.execute(select(AuditProgramme.id, AuditProgramme.name).order_by(AuditProgramme.period_start.desc())).all()


def practice_week_choices():
    return db.session.execute(select(PracticeWeek.id, PracticeWeek.title).order_by(PracticeWeek.starts_on.desc())).all()


def count_distinct_audits(filters: Filters, domain: str, period: Period) -> int:
    return db.session.scalar(
        judgements_query(filters, period, func.count(distinct(Judgement.audit_id))).where(
            Judgement.domain_key == domain, grade_expression(filters).is_not(None)
        )
    ) or 0
