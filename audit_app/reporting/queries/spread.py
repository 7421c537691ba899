"""The spread of grades by audit domain and by practice-week lens, with the domains' names and order."""

from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import AuditStatus, CaseAudit, Domain, Judgement, LensJudgement, Observation, ToolVersion, VersionStatus
from ...models.grades import GOOD_OR_BETTER_MAX
from ...models.practice_week import LENS_LABELS
from ..filters import Filters, Period
from .counted import GRADES, ModeratorsGrade, judgements_query, observation_conditions, with_untagged
from .remembered import remembered_for_the_request
from .rolled import judgement_counts, lens_counts, served_by_rollups


class GradeShares:
    """What a spread of judgements over the grades adds up to; mixed into a dataclass holding `counts`
    ({grade: judgements}), such as a domain's row here or a lens of a practice week."""

    counts: dict[int, int]

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(n for grade, n in self.counts.items() if grade <= GOOD_OR_BETTER_MAX)

    @property
    def weak(self) -> int:
        return sum(n for grade, n in self.counts.items() if grade > GOOD_OR_BETTER_MAX)

    def share(self, count: int) -> int | None:
        """The count as a whole-number percentage of the graded judgements (None when none are)."""
        return round(100 * count / self.graded) if self.graded else None

    @property
    def good_pct(self) -> int | None:
        return self.share(self.good_or_better)

    @property
    def weak_pct(self) -> int | None:
        return self.share(self.weak)


@dataclass
class SpreadRow(GradeShares):
    key: str
    label: str
    counts: dict = field(default_factory=lambda: {g: 0 for g in GRADES})
    not_graded: int = 0

    @property
    def total(self) -> int:
        return self.graded + self.not_graded


def _reported_domains(*columns):
    """Domains of the versions audits are done on (published, or since retired), never a draft's:
    editing a draft changes no report."""
    return (
        select(*columns)
        .join(ToolVersion, ToolVersion.id == Domain.version_id)
        .where(ToolVersion.status != VersionStatus.DRAFT.value)
    )


def domain_labels() -> dict[str, str]:
    """Domain key -> title, from the newest published (or retired) tool version that uses the key (read once
    a request)."""
    return remembered_for_the_request("domain_labels", _domain_labels)


def _domain_labels() -> dict[str, str]:
    rows = db.session.execute(_reported_domains(Domain.key, Domain.title).order_by(Domain.version_id)).all()
    labels = {key: title for key, title in rows}
    for lens, label in LENS_LABELS.items():
        labels.setdefault(lens.value, label)
    return labels


def domain_label(key: str) -> str:
    return domain_labels().get(key) or key.replace("_", " ").capitalize()


def domain_order() -> dict[str, int]:
    """Domain key -> its place in the published tools, for listing domains in the tool's order (read once a
    request)."""
    return remembered_for_the_request("domain_order", _domain_order)


def _domain_order() -> dict[str, int]:
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
        judgements_query(
            filters, period, *group_columns, Judgement.grade, ModeratorsGrade.grade, func.count(), moderation=True
        )
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
    if served_by_rollups(filters):
        rows = judgement_counts(filters, period, "domain_key")
    else:
        rows = raw_domain_rows(filters, period)
    return domain_spread_of(rows)


def domain_spread_of(rows) -> list[SpreadRow]:
    """The spread of (domain key, grade or None, judgements) rows, each domain named, in the tools' order."""
    return _spread(rows, domain_labels(), domain_order())


def raw_domain_rows(filters: Filters, period: Period) -> list[tuple]:
    """(domain, grade, count) from the raw judgements, for filters the rollups cannot serve."""
    original = replace(filters, grades="original")
    query = judgements_query(original, period, Judgement.domain_key, Judgement.grade, func.count()).group_by(
        Judgement.domain_key, Judgement.grade
    )
    rows = [tuple(r) for r in db.session.execute(query)]
    if filters.grades == "moderated":
        for key, auditor, moderator, count in moderation_changes(original, period, Judgement.domain_key):
            rows += [(key, auditor, -count), (key, moderator, count)]
    return rows


def lens_spread(filters: Filters, period: Period | None = None) -> list[SpreadRow]:
    """Count of lens judgements per lens and grade (observations)."""
    return lens_figures(filters, period).spread()


LENS_NAMES = {lens.value: label for lens, label in LENS_LABELS.items()}
LENS_ORDER = {lens.value: i for i, lens in enumerate(LENS_LABELS)}


@dataclass
class LensFigures:
    """The lens judgements of a period from one read: the lens spread, and the weak ones whose observation
    carries no theme (the summary's untagged count), are both sums of these rows."""

    rows: list[tuple]  # (lens, grade or None, the observation has no theme, lens judgements)

    def spread(self) -> list[SpreadRow]:
        return _spread([(lens, grade, count) for lens, grade, _, count in self.rows], LENS_NAMES, LENS_ORDER)

    def untagged(self, weakest: int) -> int:
        """Lens judgements graded `weakest` or worse on observations with no theme."""
        return sum(count for _, grade, untagged, count in self.rows if untagged and (grade or 0) >= weakest)


def lens_figures(filters: Filters, period: Period | None = None) -> LensFigures:
    """LensFigures of the period's submitted observations, from the lens rollup when it serves the filters."""
    period = period or filters.period_obj
    if served_by_rollups(filters):
        return LensFigures(lens_counts(filters, period))
    return LensFigures(raw_lens_rows(filters, period))


def raw_lens_rows(filters: Filters, period: Period) -> list[tuple]:
    """(lens, grade or None, the observation has no theme, lens judgements) from the raw lens judgements, for
    filters the rollup cannot serve."""
    observations = with_untagged(select(Observation.id).where(*observation_conditions(filters, period)))
    columns = [LensJudgement.lens, LensJudgement.grade, observations.c.untagged]
    query = (
        select(*columns, func.count())
        .join(observations, observations.c.id == LensJudgement.observation_id)
        .group_by(*columns)
    )
    rows = db.session.execute(query)
    return [(lens, grade, bool(untagged), count) for lens, grade, untagged, count in rows]
