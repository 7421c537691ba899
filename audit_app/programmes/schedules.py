"""Recurring programmes: `flask run-schedules` (daily) makes next month's programme of each monthly one
once its month has begun, draws its sample by the recorded rule with a new recorded seed and shares the
audits among the same auditors. The programme it came from is unique, so running it again changes nothing."""

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import AuditProgramme, AuditTool, ToolSubject, ToolVersion
from ..reporting.filters import add_months
from . import samples
from .sampling import new_seed

MAX_MONTHS_CAUGHT_UP = 24  # a schedule missed for a while catches up, within reason


def due_recurrences(today: date) -> list[AuditProgramme]:
    """Monthly programmes with no next programme yet, whose next month has begun. Never a supervision
    programme (one ticked to recur before that was refused): no rule draws its pairs, so it would be empty."""
    followed = select(AuditProgramme.recurrence_of_id).where(AuditProgramme.recurrence_of_id.is_not(None))
    supervision = (
        select(ToolVersion.id)
        .join(AuditTool, AuditTool.id == ToolVersion.tool_id)
        .where(AuditTool.subject == ToolSubject.SUPERVISION.value)
    )
    candidates = db.session.scalars(
        select(AuditProgramme)
        .where(
            AuditProgramme.recurs_monthly.is_(True),
            AuditProgramme.id.not_in(followed),
            AuditProgramme.tool_version_id.not_in(supervision),
        )
        .order_by(AuditProgramme.id)
    )
    return [p for p in candidates if add_months(p.period_start, 1) <= today]


def run_schedules(today: date) -> list[AuditProgramme]:
    """Every programme made today (next month's of each recurring one, catching up missed months)."""
    made: list[AuditProgramme] = []
    for _ in range(MAX_MONTHS_CAUGHT_UP):
        due = due_recurrences(today)
        if not due:
            break
        made += [next_month(programme, today) for programme in due]
    return made


def next_month(programme: AuditProgramme, today: date) -> AuditProgramme:
    start = add_months(programme.period_start, 1)
    following = AuditProgramme(
        name=_name_for(programme, start),
        kind=programme.kind,
        focus=programme.focus,
        period_start=start,
        period_end=samples.last_day_of_month(start),
        due_date=samples.months_before(programme.due_date, -1),  # a month on, the same day
        tool_version_id=programme.tool_version_id,
        recurs_monthly=True,
        assign_by=programme.assign_by,
        recurrence_of_id=programme.id,
        auditors=list(programme.auditors),
    )
    db.session.add(following)
    db.session.commit()
    rule = samples.SampleRule.of(programme)
    if rule is not None and following.auditors:
        auditor_ids = [a.id for a in following.auditors]
        samples.confirm(following, replace(rule, seed=new_seed()), auditor_ids, programme.assign_by, today)
    return following


def _name_for(programme: AuditProgramme, start: date) -> str:
    """The name with its month moved on ("Dip sample October 2026" -> "Dip sample November 2026")."""
    old_month, new_month = f"{programme.period_start:%B %Y}", f"{start:%B %Y}"
    if old_month in programme.name:
        return programme.name.replace(old_month, new_month)
    return f"{programme.name} ({new_month})"[:160]
