"""Theme taxonomy and the summary page's data: plain functions over db.session."""

from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select

from ..changelog import log_change, log_changes
from ..compare import services as compare
from ..extensions import db
from ..family_voice.figures import FamilyFigures, family_figures
from ..history import HistoryRow, field_words, record_history
from ..models import Locality, PracticeWeek, QuickWin, Service, Team, Theme
from ..models.audits import PROGRAMME_KIND_LABELS, AuditProgramme, judgement_theme
from ..models.cases import CASE_TYPE_LABELS
from ..models.family_voice import family_quote_theme
from ..models.practice_week import observation_theme
from ..reporting import findings as findings_module
from ..reporting import queries, rollups
from ..reporting.filters import GRADE_VIEWS, SOURCES, SUBJECTS, Filters
from .untagged import UntaggedCounts, untagged_counts

# --- Taxonomy ------------------------------------------------------------------------------------


def themes_for_management():
    """Every theme with how many judgements, observations and quick wins carry it."""
    judgements = (
        select(judgement_theme.c.theme_id, func.count().label("n")).group_by(judgement_theme.c.theme_id).subquery()
    )
    observations = (
        select(observation_theme.c.theme_id, func.count().label("n")).group_by(observation_theme.c.theme_id).subquery()
    )
    quick_wins = select(QuickWin.theme_id, func.count().label("n")).group_by(QuickWin.theme_id).subquery()
    return db.session.execute(
        select(
            Theme,
            func.coalesce(judgements.c.n, 0).label("judgements"),
            func.coalesce(observations.c.n, 0).label("observations"),
            func.coalesce(quick_wins.c.n, 0).label("quick_wins"),
        )
        .outerjoin(judgements, judgements.c.theme_id == Theme.id)
        .outerjoin(observations, observations.c.theme_id == Theme.id)
        .outerjoin(quick_wins, quick_wins.c.theme_id == Theme.id)
        .order_by(Theme.is_active.desc(), Theme.name)
    ).all()


def new_theme(name: str, description: str | None = None, keywords: str | None = None) -> Theme:
    """A theme in use, its words trimmed, added to the session (not committed)."""
    theme = Theme(
        name=name.strip(),
        description=(description or "").strip() or None,
        keywords=(keywords or "").strip() or None,
        is_active=True,
    )
    db.session.add(theme)
    return theme


def add_theme(name: str, description: str | None = None, keywords: str | None = None) -> Theme:
    theme = new_theme(name, description, keywords)
    db.session.commit()
    return theme


def update_theme(theme: Theme, name: str, description: str | None, keywords: str | None = None) -> Theme:
    theme.name = name.strip()
    theme.description = (description or "").strip() or None
    theme.keywords = (keywords or "").strip() or None
    db.session.commit()
    return theme


def set_retired(theme: Theme, retired: bool) -> None:
    """A retired theme stays on the records that carry it but cannot be chosen for new ones."""
    theme.is_active = not retired
    db.session.commit()


@dataclass
class MergeResult:
    judgements: int
    observations: int
    quick_wins: int


def merge_themes(source: Theme, target: Theme) -> MergeResult:
    """Move every judgement, observation and quick win tagged `source` to `target`, retire `source`
    and record the move in the history of both themes and of every record moved."""
    if source.id == target.id:
        raise ValueError("A theme cannot be merged into itself")
    session = db.session
    result = MergeResult(0, 0, 0)
    for table, key, record_type in (
        (judgement_theme, "judgement_id", "judgement"),
        (observation_theme, "observation_id", "observation"),
        (family_quote_theme, "family_quote_id", "family_quote"),  # families' quotes move too, not counted
    ):
        record_column = table.c[key]
        moved = session.scalars(select(record_column).where(table.c.theme_id == source.id)).all()
        already = (
            set(
                session.scalars(
                    select(record_column).where(table.c.theme_id == target.id, record_column.in_(moved))
                ).all()
            )
            if moved
            else set()
        )
        to_add = [record_id for record_id in moved if record_id not in already]
        if to_add:
            session.execute(insert(table), [{key: record_id, "theme_id": target.id} for record_id in to_add])
        session.execute(delete(table).where(table.c.theme_id == source.id))
        log_changes(session, record_type, moved, "themes", source.name, target.name)
        if record_type in ("judgement", "observation"):
            setattr(result, f"{record_type}s", len(moved))
    quick_wins = session.scalars(select(QuickWin).where(QuickWin.theme_id == source.id)).all()
    for quick_win in quick_wins:
        quick_win.theme_id = target.id  # QuickWin is Audited: the change log records it
    result.quick_wins = len(quick_wins)
    source.is_active = False
    source.merged_into_id = target.id
    session.flush()
    rollups.refresh_themes([source.id, target.id])  # the tags moved in SQL, unseen by the rollups' flush hook
    log_change(
        session,
        target,
        "merged in",
        None,
        f"{source.name} ({result.judgements} judgements, {result.observations} observations, "
        f"{result.quick_wins} quick wins)",
    )
    session.commit()
    return result


THEME_FIELD_LABELS = {"is_active": "Active", "merged_into_id": "Merged into"}


def _theme_names(ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.id.in_(ids))).all())


def theme_history(theme: Theme) -> list[HistoryRow]:
    return record_history(
        [("theme", theme.id)],
        lambda change: THEME_FIELD_LABELS.get(change.field, field_words(change).capitalize()),
        names={"merged_into_id": _theme_names},
    )


def merge_targets(theme: Theme):
    return db.session.scalars(
        select(Theme).where(Theme.id != theme.id, Theme.is_active.is_(True)).order_by(Theme.name)
    ).all()


# --- The summary page ----------------------------------------------------------------------------


def filters_from(args) -> Filters:
    return Filters.from_args(args, default_period=queries.default_period_key())


def filter_choices(filters: Filters) -> dict:
    def named(model, label="name"):
        return db.session.execute(select(model.id, getattr(model, label)).order_by(getattr(model, label))).all()

    months = queries.month_choices(filters.period_obj)
    return {
        "period": queries.period_choices(filters.period, months),
        "month": months,
        "locality": named(Locality),
        "service": named(Service),
        "team": named(Team),
        "case_type": [(k.value, v) for k, v in CASE_TYPE_LABELS.items()],
        "programme": queries.programme_choices(),
        "programme_kind": [(kind.value, label) for kind, label in PROGRAMME_KIND_LABELS.items()],
        "practice_week": queries.practice_week_choices(),
        "source": list(SOURCES.items()),
        "subject": list(SUBJECTS.items()),
        "grades": list(GRADE_VIEWS.items()),
    }


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """The filters in words, as written into exports and shown above the figures."""
    period = filters.period_obj

    def name_of(model, value, label="name"):
        if not value:
            return "All"
        return db.session.scalar(select(getattr(model, label)).where(model.id == value)) or f"Unknown ({value})"

    return [
        ("Period", period.label),
        ("Compared with", period.previous().label),
        ("Locality", name_of(Locality, filters.locality)),
        ("Service", name_of(Service, filters.service)),
        ("Team", name_of(Team, filters.team)),
        (
            "Case type",
            dict((k.value, v) for k, v in CASE_TYPE_LABELS.items()).get(filters.case_type, "All")
            if filters.case_type
            else "All",
        ),
        ("Audit programme", name_of(AuditProgramme, filters.programme)),
        ("Kind of audit", PROGRAMME_KIND_LABELS[filters.programme_kind] if filters.programme_kind else "All"),
        ("Practice week", name_of(PracticeWeek, filters.practice_week, "title")),
        ("Source", SOURCES[filters.source]),
        ("Audits of", SUBJECTS[filters.subject or ""]),
        ("Grades", GRADE_VIEWS[filters.grades]),
    ]


@dataclass
class Summary:
    filters: Filters
    domains: list
    lenses: list
    trend: queries.Trend | None
    themes: list
    moderation: queries.ModerationFigures | None
    findings: dict
    families: FamilyFigures | None = None
    patterns: list | None = None  # findings.Pattern: localities that differ from the rest (the compare page)
    untagged: UntaggedCounts | None = None


def summary(filters: Filters) -> Summary:
    """Everything on the summary page except the month-by-month trend, which the page loads
    separately (trend() below) because it reads a year of judgements."""
    audits = filters.include_audits
    # Every judgement figure of the period and the one before from one read, when the rollups serve the filters.
    judgements = (
        queries.judgement_figures(filters, filters.period_obj)
        if audits and queries.served_by_rollups(filters)
        else None
    )
    if judgements is not None:
        domains, before = (queries.domain_spread_of(judgements.domain_rows(previous)) for previous in (False, True))
    else:
        domains, before = queries.domain_spread(filters) if audits else [], None
    # The lens spread and the untagged lens count from one read of the observations.
    lens_figures = queries.lens_figures(filters) if filters.include_observations else None
    lenses = lens_figures.spread() if lens_figures is not None else []
    families = family_figures(filters) if audits and not filters.supervision else None
    return Summary(
        filters=filters,
        domains=domains,
        lenses=lenses,
        trend=None,
        themes=queries.theme_ranking(filters),
        moderation=queries.moderation_figures(filters, judgements) if audits else None,
        findings=findings_module.key_findings(filters, domains, lenses, families, before),
        families=families,
        patterns=findings_module.pattern_findings(compare.build(filters, "locality")) if audits else [],
        untagged=untagged_counts(filters, judgements, lens_figures),
    )


def trend(filters: Filters) -> queries.Trend:
    return queries.good_or_better_by_month(filters) if filters.include_audits else queries.Trend([], [])


def describe_selection(selection: queries.Selection) -> str:
    """The figure a drill-down explains, in words."""
    parts = []
    labels = queries.domain_labels()
    if selection.domain:
        parts.append(labels.get(selection.domain, selection.domain))
    if selection.lens:
        parts.append(f"{labels.get(selection.lens, selection.lens)} (practice-week lens)")
    if selection.grade:
        parts.append(
            {
                "na": "not applicable or not observed",
                "good": "good or outstanding",
                "weak": "requires improvement or inadequate",
            }.get(selection.grade)
            or queries.GRADES[int(selection.grade)]
        )
    if selection.theme:
        name = db.session.scalar(select(Theme.name).where(Theme.id == selection.theme))
        parts.append(f"theme {name or 'unknown'}")
    if selection.month:
        parts.append(queries.Trend.month_label(selection.month))
    if selection.previous:
        parts.append("previous period")
    if selection.good_practice:
        parts.insert(0, "Good practice to share")
    return ", ".join(parts) or "All judgements and observations"


EVIDENCE_PAGE_SIZE = 50


def evidence_page(filters: Filters, selection: queries.Selection, page: int) -> dict:
    """A page of the judgements and of the observations behind one figure of the summary, with their totals."""
    offset = (page - 1) * EVIDENCE_PAGE_SIZE
    audit_rows, audit_total = queries.evidence_audits(filters, selection, EVIDENCE_PAGE_SIZE, offset)
    observation_rows, observation_total = queries.evidence_observations(filters, selection, EVIDENCE_PAGE_SIZE, offset)
    return {
        "selection": selection,
        "selection_text": describe_selection(selection),
        "audit_rows": audit_rows,
        "audit_total": audit_total,
        "observation_rows": observation_rows,
        "observation_total": observation_total,
        "page": page,
        "page_size": EVIDENCE_PAGE_SIZE,
        "labels": queries.domain_labels(),
        "good_practice_themes": _theme_choices() if selection.good_practice else None,
    }


def _theme_choices() -> list[tuple[int, str]]:
    return db.session.execute(
        select(Theme.id, Theme.name).where(Theme.merged_into_id.is_(None)).order_by(Theme.name)
    ).all()


def export_table(filters: Filters, table: str):
    from ..reporting import exports

    period = filters.period_obj
    if table == "judgements":
        return exports.judgements_table(filters)
    if table == "domains":
        return exports.spread_table(queries.domain_spread(filters) if filters.include_audits else [], "Domain")
    if table == "lenses":
        return exports.spread_table(queries.lens_spread(filters) if filters.include_observations else [], "Lens")
    if table == "trend":
        return exports.trend_table(
            queries.good_or_better_by_month(filters) if filters.include_audits else queries.Trend([], [])
        )
    return exports.themes_table(queries.theme_ranking(filters), period.short_label, period.previous().short_label)
