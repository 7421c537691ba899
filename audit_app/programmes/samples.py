"""A programme's sample: which cases are eligible, the draw previewed and confirmed (its rule and seed
recorded on the programme), audits shared among the chosen auditors, a drawn case swapped with a reason,
and each auditor's load."""

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import cycle

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..changelog import log_change
from ..dates import long_date
from ..extensions import db
from ..models import AuditProgramme, AuditStatus, Case, CaseAudit, Locality, Team, User
from ..models.cases import CASE_TYPE_LABELS
from . import sampling
from .sampling import METHODS, STRATA, EligibleCase

DEFAULT_EXCLUDE_MONTHS = 12
MAX_SAMPLE = 500
OPEN_STATUSES = [AuditStatus.NOT_STARTED.value, AuditStatus.IN_PROGRESS.value, AuditStatus.RETURNED.value]
DONE_STATUSES = [AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value]
ASSIGN_BY = {"round_robin": "Round-robin across the auditors", "team": "By team (an auditor of the case's team first)"}


@dataclass(frozen=True)
class SampleRule:
    method: str
    size: int
    seed: int
    exclude_months: int = DEFAULT_EXCLUDE_MONTHS
    stratify_by: str | None = None

    @classmethod
    def of(cls, programme: AuditProgramme) -> "SampleRule | None":
        """The rule recorded on the programme, or None when its cases were picked by hand."""
        if programme.sample_seed is None:
            return None
        return cls(
            programme.sample_method,
            programme.sample_size,
            programme.sample_seed,
            programme.sample_exclude_months,
            programme.sample_stratify_by,
        )

    def audited_since(self, today: date) -> date:
        return months_before(today, self.exclude_months)

    def describe(self, since: date) -> str:
        """The draw explained: "Stratified by team, 20 cases, seed 48213, leaving out cases audited since ..."."""
        how = f"Stratified by {STRATA[self.stratify_by]}" if self.stratify_by else METHODS[self.method]
        return (
            f"{how}, {self.size} {'case' if self.size == 1 else 'cases'}, seed {self.seed}, leaving out cases "
            f"audited since {long_date(since)} and cases already in an open programme"
        )


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def eligible_cases(programme: AuditProgramme, audited_since: date) -> list[EligibleCase]:
    """Cases not in this programme, not audited (submitted) since the date, and not in an open programme
    (one of their audits in any programme still to be done)."""
    # Only audits of a case: one NULL (a supervision audit) in a NOT IN list would make every case ineligible.
    of_cases = select(CaseAudit.case_id).where(CaseAudit.case_id.is_not(None))
    recently_audited = of_cases.where(
        CaseAudit.status.in_(DONE_STATUSES), func.date(CaseAudit.submitted_at) >= audited_since
    )
    in_open_programme = of_cases.where(CaseAudit.programme_id.is_not(None), CaseAudit.status.in_(OPEN_STATUSES))
    in_this = of_cases.where(CaseAudit.programme_id == programme.id)
    rows = db.session.execute(
        select(Case.id, Team.name, Locality.name, Case.case_type, Case.allocated_worker_ref)
        .join(Team, Team.id == Case.team_id)
        .join(Locality, Locality.id == Case.locality_id)
        .where(Case.id.not_in(recently_audited), Case.id.not_in(in_open_programme), Case.id.not_in(in_this))
    ).all()
    return [
        EligibleCase(id, team, locality, CASE_TYPE_LABELS.get(case_type, case_type), worker or "Unallocated")
        for id, team, locality, case_type, worker in rows
    ]


def preview(programme: AuditProgramme, rule: SampleRule, today: date) -> list[Case]:
    """The cases the rule would draw today, by reference (nothing saved)."""
    ids = sampling.draw(eligible_cases(programme, rule.audited_since(today)), rule.size, rule.seed, rule.stratify_by)
    return list(
        db.session.scalars(
            select(Case).where(Case.id.in_(ids or [0])).options(selectinload(Case.team)).order_by(Case.case_reference)
        )
    )


def confirm(programme: AuditProgramme, rule: SampleRule, auditor_ids: list[int], assign_by: str, today: date) -> int:
    """Record the rule on the programme and add an audit for each case drawn, shared among the auditors.
    A programme's sample is drawn once: confirming again (a second tap) changes nothing. Returns how many."""
    if programme.sample_seed is not None:
        return 0
    auditors = list(db.session.scalars(select(User).where(User.id.in_(auditor_ids or [0])).order_by(User.display_name)))
    if not auditors:
        raise ValueError("Choose at least one auditor")
    cases = preview(programme, rule, today)
    programme.sample_method, programme.sample_stratify_by = rule.method, rule.stratify_by
    programme.sample_size, programme.sample_seed = rule.size, rule.seed
    programme.sample_exclude_months, programme.sample_audited_since = rule.exclude_months, rule.audited_since(today)
    programme.assign_by = assign_by
    programme.auditors = auditors
    for drawn, auditor in assignments(cases, auditors, assign_by):
        db.session.add(
            CaseAudit(
                case_id=drawn.id,
                tool_version_id=programme.tool_version_id,
                programme_id=programme.id,
                auditor_id=auditor.id,
                status=AuditStatus.NOT_STARTED.value,
                due_date=programme.due_date,
            )
        )
    db.session.commit()
    return len(cases)


def assignments(cases: list[Case], auditors: list[User], assign_by: str) -> list[tuple[Case, User]]:
    """Each case with its auditor: round-robin across the auditors, or (by team) round-robin across the
    auditors of the case's team when it has any, else across all of them."""
    everyone = cycle(auditors)
    by_team: dict[int, cycle] = {}
    if assign_by == "team":
        for team_id in {a.team_id for a in auditors if a.team_id}:
            by_team[team_id] = cycle([a for a in auditors if a.team_id == team_id])
    return [(case, next(by_team.get(case.team_id, everyone))) for case in cases]


def can_swap(audit: CaseAudit) -> bool:
    return (
        audit.case_id is not None
        and audit.programme.sample_seed is not None
        and audit.status == AuditStatus.NOT_STARTED.value
    )


def swap(audit: CaseAudit, reason: str, today: date) -> Case | None:
    """Swap a drawn case that is not started for another eligible one (the same stratum where stratified),
    recording the reason in the change log. None when no other case is eligible."""
    programme, rule = audit.programme, SampleRule.of(audit.programme)
    if not can_swap(audit):
        raise ValueError("Only a case drawn by rule and not yet started can be swapped")
    eligible = eligible_cases(programme, rule.audited_since(today))
    leaving = _as_eligible(audit.case)
    chosen = sampling.replacement(eligible, leaving, f"{rule.seed}-{audit.id}-{audit.case_id}", rule.stratify_by)
    if chosen is None:
        return None
    old_reference = audit.case.case_reference
    audit.case = db.session.get(Case, chosen.id)
    log_change(db.session, audit, "case swapped in the sample", old_reference, f"{audit.case.case_reference}: {reason}")
    db.session.commit()
    return audit.case


def _as_eligible(case: Case) -> EligibleCase:
    worker = case.allocated_worker_ref or "Unallocated"
    return EligibleCase(case.id, case.team.name, case.locality.name, case.case_type_label, worker)


def auditor_loads(programme: AuditProgramme) -> list[tuple[str, int, int]]:
    """Each auditor of the programme (chosen, or with an audit in it): their open audits in this programme
    and in all programmes, by name."""
    in_programme = select(CaseAudit.auditor_id).where(CaseAudit.programme_id == programme.id)
    chosen = [a.id for a in programme.auditors]
    here = func.count(case((CaseAudit.programme_id == programme.id, CaseAudit.id)))
    rows = db.session.execute(
        select(User.display_name, here, func.count(CaseAudit.id))
        .outerjoin(CaseAudit, (CaseAudit.auditor_id == User.id) & CaseAudit.status.in_(OPEN_STATUSES))
        .where(User.id.in_(in_programme) | User.id.in_(chosen or [0]))
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    return [(name, here_count, total) for name, here_count, total in rows]
