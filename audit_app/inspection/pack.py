"""The inspection pack's figures for a period: each section a table whose rows link to the page they come from."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select

from ..dates import long_date
from ..extensions import db
from ..family_voice.figures import family_figures
from ..models import Action
from ..moderation.services import AgreementFilters, agreement_report
from ..programmes.services import list_programmes
from ..reaudits.services import reaudit_figures
from ..reporting import queries
from ..reporting.filters import Filters, Period


def _pct(value) -> str:
    return "–" if value is None else f"{round(value)}%"


@dataclass
class Section:
    key: str
    title: str
    head: list[str]
    source: str  # the page the section's figures come from (absolute)
    rows: list[list] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # each row's own page (absolute)
    empty: str = "None in this period."

    def add(self, cells: list, source: str | None = None) -> None:
        self.rows.append([long_date(c) if isinstance(c, date) else c for c in cells])
        self.sources.append(source or self.source)

    @property
    def lines(self) -> list[tuple[list, str]]:
        """Each row with its source."""
        return list(zip(self.rows, self.sources))


@dataclass
class InspectionPack:
    period: Period
    sections: list[Section]


def _link(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **values)


def inspection_pack(period: Period) -> InspectionPack:
    filters = Filters(period=period.key)
    return InspectionPack(
        period,
        [
            programmes_section(period),
            grades_section(filters),
            agreement_section(period),
            themes_section(filters),
            actions_section(period),
            reaudits_section(period),
            families_section(filters),
        ],
    )


def programmes_section(period: Period) -> Section:
    section = Section(
        "programmes",
        "Audit programmes run",
        ["Programme", "Kind", "Period", "Audits", "Submitted", "Completion"],
        _link("programmes.index"),
    )
    for programme, total, submitted in list_programmes():
        if programme.period_start >= period.end or programme.period_end < period.start:
            continue
        kind = f"{programme.kind_label}, supervision audits" if programme.is_supervision else programme.kind_label
        dates = f"{long_date(programme.period_start)} to {long_date(programme.period_end)}"
        completion = _pct(100 * submitted / total if total else None)
        cells = [programme.name, kind, dates, total, submitted, completion]
        section.add(cells, _link("programmes.programme", programme_id=programme.id))
    return section


def grades_section(filters: Filters) -> Section:
    grades = list(queries.GRADES.values())
    section = Section(
        "grades",
        "Grades by domain",
        ["Domain", *grades, "Not applicable", "Graded (n)", "Good or better"],
        _link("themes.summary", period=filters.period, _anchor="domains"),
    )
    # Supervision audits' domains after the case audits', labelled, never mixed into them.
    for subject, prefix in ((None, ""), ("supervision", "Supervision audits: ")):
        for row in queries.domain_spread(replace(filters, subject=subject)):
            cells = [prefix + row.label, *row.counts.values(), row.not_graded, row.graded, _pct(row.good_pct)]
            args = {"subject": subject} if subject else {}
            section.add(cells, _link("themes.evidence", period=filters.period, domain=row.key, **args))
    return section


def agreement_section(period: Period) -> Section:
    section = Section(
        "agreement",
        "Moderation agreement",
        ["Judgements", "Pairs (n)", "Exact agreement", "Weighted kappa", "Strength", "Changed", "Share changed"],
        _link("moderation.agreement"),
    )
    # Supervision audits' agreement after the case audits', labelled, never pooled with them.
    for subject, prefix in (("", ""), ("supervision", "Supervision audits: ")):
        during = AgreementFilters(
            submitted_from=period.start_datetime(), submitted_before=period.end_datetime(), subject=subject
        )
        report = agreement_report(during)
        if subject and not report.overall.n:
            continue
        for item in [report.overall, report.overall_grade, *report.by_domain]:
            kappa = item.kappa_note or f"{item.kappa:.2f}"
            share = _pct(100 * item.changed / item.n if item.n else None)
            exact = _pct(100 * item.exact if item.exact is not None else None)
            strength = item.strength if item.kappa is not None else ""
            source = _link("moderation.agreement", subject=subject) if subject else None
            section.add([prefix + item.label, item.n, exact, kappa, strength, item.changed, share], source)
    return section


def themes_section(filters: Filters) -> Section:
    previous = filters.period_obj.previous().short_label
    section = Section(
        "themes",
        "Themes raised",
        ["Theme", "Audits", "Observations", "Total", previous, "Change"],
        _link("themes.summary", period=filters.period, _anchor="themes"),
    )
    # Themes raised in supervision audits after those of case audits and observations, labelled.
    for subject, prefix in ((None, ""), ("supervision", "Supervision audits: ")):
        args = {"subject": subject} if subject else {}
        for theme in queries.theme_ranking(replace(filters, subject=subject)):
            if subject and not theme.total:
                continue
            counts = [theme.audits, theme.observations, theme.total, theme.previous_total, theme.change]
            section.add(
                [prefix + theme.name, *counts], _link("themes.evidence", period=filters.period, theme=theme.id, **args)
            )
    return section


def actions_section(period: Period) -> Section:
    section = Section(
        "actions",
        "Improvement actions raised",
        ["Action", "Priority", "Owner", "Started", "Due", "Status"],
        _link("plan.actions"),
    )
    actions = db.session.scalars(
        select(Action).where(Action.started_on >= period.start, Action.started_on < period.end).order_by(Action.id)
    )
    for action in actions:
        status = "Completed" if action.completed_on else action.rag.capitalize()
        priority = f"{action.priority.number}. {action.priority.title}"
        cells = [action.description, priority, action.owner.display_name, action.started_on, action.due_date, status]
        section.add(cells, _link("plan.action", action_id=action.id))
    return section


def reaudits_section(period: Period) -> Section:
    figures = reaudit_figures(period.start, period.end - timedelta(days=1))  # its last day, inclusive
    section = Section(
        "reaudits",
        "Re-audit outcomes",
        ["Re-audits completed", "Improved", "The same", "Worse", "Share improved"],
        _link("programmes.index", _anchor="reaudits"),
        empty="No re-audits were completed in this period.",
    )
    if figures.completed:
        section.add([figures.completed, figures.improved, figures.same, figures.worse, _pct(figures.improved_share)])
    return section


def families_section(filters: Filters) -> Section:
    figures = family_figures(filters)
    source = _link("themes.summary", period=filters.period, _anchor="family-voice")
    section = Section(
        "families",
        "What families said",
        ["Figure", "Answers (n)", "1", "2", "3", "4", "5", "Don't know", "Average or share"],
        source,
        empty="No audit in this period records what the child or family said.",
    )
    if not figures.recorded:
        return section
    blank = [""] * 6
    section.add(["Audits where the child or family were contacted", figures.audits, *blank, _pct(figures.contact_pct)])
    section.add(["Contacted with consent recorded", figures.contacted, *blank, _pct(figures.consent_pct)])
    for row in figures.scales:
        average = "–" if row.average is None else row.average
        section.add([row.question, row.n, *row.counts.values(), row.dont_know, average])
    return section
