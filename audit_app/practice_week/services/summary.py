"""The week's summary: progress, judgements by lens, findings, quick wins, and the comparison with the week before."""

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, select, union_all

from ...extensions import db
from ...models import (
    Activity,
    ActivityStatus,
    ActivityType,
    AuditStatus,
    CaseAudit,
    Judgement,
    Lens,
    LensJudgement,
    Observation,
    ObservationStatus,
    PracticeWeek,
    QuickWin,
    Theme,
    User,
)
from ...models.grades import GOOD_OR_BETTER_MAX, Grade
from ...reporting.queries import applies_to_audit
from ...reporting.queries.spread import GradeShares
from .inputs import LENS_KEYS
from .schedule import previous_week

SUBMITTED = ObservationStatus.SUBMITTED.value


AUDIT_COUNTED = (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)


def _submitted_in(week_id: int):
    return and_(Observation.practice_week_id == week_id, Observation.status == SUBMITTED)


@dataclass
class ProgressRow:
    label: str
    booked: int
    observed: int

    @property
    def percent(self) -> int:
        return round(100 * self.observed / self.booked) if self.booked else 0


def progress(week: PracticeWeek) -> dict:
    """Observed against booked (cancelled bookings left out), overall, by observer and by activity type."""
    booked = func.sum(case((Activity.status != ActivityStatus.CANCELLED.value, 1), else_=0))
    observed = func.sum(case((Activity.status == ActivityStatus.OBSERVED.value, 1), else_=0))
    cancelled = func.sum(case((Activity.status == ActivityStatus.CANCELLED.value, 1), else_=0))
    in_week = Activity.week_id == week.id
    total = db.session.execute(select(booked, observed, cancelled).where(in_week)).one()
    by_observer = db.session.execute(
        select(User.display_name, booked, observed)
        .join(User, User.id == Activity.observer_id)
        .where(in_week)
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    by_type = db.session.execute(
        select(Activity.activity_type, booked, observed).where(in_week).group_by(Activity.activity_type)
    ).all()
    order = {t.value: i for i, t in enumerate(ActivityType)}
    return {
        "total": ProgressRow("All activities", int(total[0] or 0), int(total[1] or 0)),
        "cancelled": int(total[2] or 0),
        "by_observer": [ProgressRow(name, int(b or 0), int(o or 0)) for name, b, o in by_observer],
        "by_type": [
            ProgressRow(ActivityType(t).label, int(b or 0), int(o or 0))
            for t, b, o in sorted(by_type, key=lambda r: order.get(r[0], 99))
        ],
        "submitted_observations": db.session.scalar(select(func.count(Observation.id)).where(_submitted_in(week.id)))
        or 0,
        "draft_observations": db.session.scalar(
            select(func.count(Observation.id)).where(
                Observation.practice_week_id == week.id, Observation.status == ObservationStatus.DRAFT.value
            )
        )
        or 0,
        "record_audits": db.session.scalar(
            select(func.count(CaseAudit.id)).where(
                CaseAudit.practice_week_id == week.id, CaseAudit.status.in_(AUDIT_COUNTED)
            )
        )
        or 0,
    }


def _graded_rows(week_id: int):
    """(activity_type, lens, grade) for every judgement in the week: submitted observations' lens
    judgements, and the graded judgements of record audits done during the week (their domain keys
    match the lens keys), which count as 'record audit' activity."""
    observed = (
        select(
            Observation.activity_type.label("activity_type"),
            LensJudgement.lens.label("lens"),
            LensJudgement.grade.label("grade"),
        )
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(_submitted_in(week_id))
    )
    audited = (
        select(
            literal(ActivityType.RECORD_AUDIT.value).label("activity_type"),
            Judgement.domain_key.label("lens"),
            Judgement.grade.label("grade"),
        )
        .join(CaseAudit, CaseAudit.id == Judgement.audit_id)
        .where(
            CaseAudit.practice_week_id == week_id,
            CaseAudit.status.in_(AUDIT_COUNTED),
            Judgement.domain_key.in_(LENS_KEYS),
            Judgement.grade.is_not(None),
            applies_to_audit(),
        )
    )
    return union_all(observed, audited).subquery()


@dataclass
class Spread(GradeShares):
    """How many judgements fell on each grade, and how many lenses were not observed."""

    counts: dict[int, int] = field(default_factory=lambda: {g.value: 0 for g in Grade})
    not_observed: int = 0


def lens_spread(week: PracticeWeek) -> dict:
    """{'by_type': {activity_type: {lens: Spread}}, 'by_lens': {lens: Spread}}, counted in SQL."""
    rows_ = _graded_rows(week.id)
    by_type_rows = db.session.execute(
        select(rows_.c.activity_type, rows_.c.lens, rows_.c.grade, func.count()).group_by(
            rows_.c.activity_type, rows_.c.lens, rows_.c.grade
        )
    ).all()
    by_lens_rows = db.session.execute(
        select(rows_.c.lens, rows_.c.grade, func.count()).group_by(rows_.c.lens, rows_.c.grade)
    ).all()
    by_type: dict[str, dict[str, Spread]] = {}
    for activity_type, lens, grade, n in by_type_rows:
        spread = by_type.setdefault(activity_type, {k: Spread() for k in LENS_KEYS}).setdefault(lens, Spread())
        _add(spread, grade, n)
    by_lens = {k: Spread() for k in LENS_KEYS}
    for lens, grade, n in by_lens_rows:
        _add(by_lens.setdefault(lens, Spread()), grade, n)
    order = [t.value for t in ActivityType]
    return {
        "by_type": {t: by_type[t] for t in order if t in by_type},
        "by_lens": by_lens,
    }


def _add(spread: Spread, grade, n) -> None:
    if grade is None:
        spread.not_observed += int(n)
    else:
        spread.counts[int(grade)] = spread.counts.get(int(grade), 0) + int(n)


@dataclass
class Quote:
    text: str
    observation_id: int | None = None
    audit_id: int | None = None
    grade: int | None = None


def findings(week: PracticeWeek) -> dict:
    """Strengths and areas for improvement with the observers' own words: per activity type (what is
    working well / needs to improve, and record audits' strengths / areas for improvement) and per
    activity type and lens (notes on judgements good or better / requiring improvement or worse)."""
    result: dict[str, dict] = {}

    def slot(activity_type):
        return result.setdefault(activity_type, {"strengths": [], "improvements": [], "lenses": {}})

    for activity_type, working_well, needs_to_improve, obs_id in db.session.execute(
        select(Observation.activity_type, Observation.working_well, Observation.needs_to_improve, Observation.id)
        .where(_submitted_in(week.id))
        .order_by(Observation.observed_on, Observation.id)
    ):
        if working_well:
            slot(activity_type)["strengths"].append(Quote(working_well, observation_id=obs_id))
        if needs_to_improve:
            slot(activity_type)["improvements"].append(Quote(needs_to_improve, observation_id=obs_id))
    for strengths, areas, audit_id in db.session.execute(
        select(CaseAudit.strengths, CaseAudit.areas_for_improvement, CaseAudit.id)
        .where(CaseAudit.practice_week_id == week.id, CaseAudit.status.in_(AUDIT_COUNTED))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
    ):
        if strengths:
            slot(ActivityType.RECORD_AUDIT.value)["strengths"].append(Quote(strengths, audit_id=audit_id))
        if areas:
            slot(ActivityType.RECORD_AUDIT.value)["improvements"].append(Quote(areas, audit_id=audit_id))
    for activity_type, lens, grade, note, obs_id in db.session.execute(
        select(Observation.activity_type, LensJudgement.lens, LensJudgement.grade, LensJudgement.note, Observation.id)
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(_submitted_in(week.id), LensJudgement.grade.is_not(None), LensJudgement.note.is_not(None))
        .order_by(LensJudgement.grade, Observation.observed_on, Observation.id)
    ):
        lenses = slot(activity_type)["lenses"].setdefault(lens, {"strengths": [], "improvements": []})
        kind = "strengths" if grade <= GOOD_OR_BETTER_MAX else "improvements"
        lenses[kind].append(Quote(note, observation_id=obs_id, grade=grade))
    order = [t.value for t in ActivityType]
    return {t: result[t] for t in order if t in result}


@dataclass
class QuickWinGroup:
    theme_id: int | None
    name: str
    count: int
    items: list = field(default_factory=list)


def quick_win_groups(week: PracticeWeek) -> list[QuickWinGroup]:
    """Quick wins from submitted observations grouped by theme, largest group first, counted in SQL."""
    counts = db.session.execute(
        select(QuickWin.theme_id, Theme.name, func.count(QuickWin.id))
        .join(Observation, Observation.id == QuickWin.observation_id)
        .outerjoin(Theme, Theme.id == QuickWin.theme_id)
        .where(_submitted_in(week.id))
        .group_by(QuickWin.theme_id, Theme.name)
    ).all()
    groups = {
        theme_id: QuickWinGroup(theme_id, name or "Not linked to a theme", int(n)) for theme_id, name, n in counts
    }
    for quick_win in db.session.scalars(
        select(QuickWin)
        .join(Observation, Observation.id == QuickWin.observation_id)
        .where(_submitted_in(week.id))
        .order_by(QuickWin.id)
    ):
        groups[quick_win.theme_id].items.append(quick_win)
    return sorted(groups.values(), key=lambda g: (g.theme_id is None, -g.count, g.name))


def headline_quick_wins(week: PracticeWeek) -> list[tuple[str, str | None, int]]:
    """Distinct quick wins with how often each was suggested, most suggested first (counted in SQL)."""
    rows = db.session.execute(
        select(QuickWin.text, Theme.name, func.count(QuickWin.id), func.min(QuickWin.id))
        .join(Observation, Observation.id == QuickWin.observation_id)
        .outerjoin(Theme, Theme.id == QuickWin.theme_id)
        .where(_submitted_in(week.id))
        .group_by(QuickWin.text, Theme.name)
        .order_by(func.count(QuickWin.id).desc(), func.min(QuickWin.id))
    ).all()
    return [(text, theme, int(n)) for text, theme, n, _ in rows]


@dataclass
class ComparisonRow:
    label: str
    this_week: Spread
    last_week: Spread

    @property
    def change(self) -> int | None:
        if self.this_week.good_pct is None or self.last_week.good_pct is None:
            return None
        return self.this_week.good_pct - self.last_week.good_pct


def comparison(week: PracticeWeek) -> dict | None:
    """This week against the previous practice week: share of judgements good or better per lens,
    observations, and quick wins."""
    before = previous_week(week)
    if before is None:
        return None
    this_spread, last_spread = lens_spread(week)["by_lens"], lens_spread(before)["by_lens"]
    rows = [ComparisonRow(lens.label, this_spread[lens.value], last_spread[lens.value]) for lens in Lens]

    def totals(by_lens):
        total = Spread()
        for spread in by_lens.values():
            for grade, n in spread.counts.items():
                total.counts[grade] += n
            total.not_observed += spread.not_observed
        return total

    def submitted(w):
        return db.session.scalar(select(func.count(Observation.id)).where(_submitted_in(w.id))) or 0

    def quick_wins(w):
        return (
            db.session.scalar(
                select(func.count(QuickWin.id))
                .join(Observation, Observation.id == QuickWin.observation_id)
                .where(_submitted_in(w.id))
            )
            or 0
        )

    return {
        "week": before,
        "rows": rows,
        "overall": ComparisonRow("All lenses", totals(this_spread), totals(last_spread)),
        "observations": (submitted(week), submitted(before)),
        "quick_wins": (quick_wins(week), quick_wins(before)),
    }


def headline_findings(week: PracticeWeek, spread: dict | None = None) -> list[str]:
    """Sentences in the style of the seed's headline findings, one per activity type observed."""
    spread = spread or lens_spread(week)
    lines = []
    for activity_type, lenses in spread["by_type"].items():
        graded = {k: s for k, s in lenses.items() if s.graded}
        if not graded:
            continue
        good = sum(s.good_or_better for s in graded.values())
        total = sum(s.graded for s in graded.values())
        strongest = [Lens(k).label.lower() for k, s in graded.items() if s.good_or_better == s.graded]
        weakest = [Lens(k).label.lower() for k, s in graded.items() if s.good_or_better == 0]
        sentence = f"{ActivityType(activity_type).label}: {good} of {total} judgements good or better."
        if strongest:
            sentence += f" Good practice in {_join(strongest)}."
        if weakest:
            sentence += f" {_join(weakest).capitalize()} {'requires' if len(weakest) == 1 else 'require'} improvement."
        lines.append(sentence)
    return lines


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
