"""Demo programmes of two kinds beside the audits feature's monthly ones: this month's dip sample, drawn by
rule and recurring every month, and a multi-agency programme audited by an external auditor."""

from datetime import date

from sqlalchemy import select

from ..changelog import acting_as
from ..demo import demo_user
from ..extensions import db
from ..models import AuditProgramme, ProgrammeKind
from ..tools.services import seed_tool
from . import samples
from .samples import SampleRule

RECURRING = ("Dip sample", ProgrammeKind.MONTHLY_DIP_SAMPLE, SampleRule("stratified", 4, 48213, 12, "team"))
MULTI_AGENCY = ("Multi-agency MASH review", ProgrammeKind.MULTI_AGENCY, SampleRule("random", 3, 30517, 12, None))


def seed_programmes(password: str) -> None:
    today = date.today()
    names = {kind: f"{name} {today:%B %Y}" for name, kind, _ in (RECURRING, MULTI_AGENCY)}
    if db.session.scalar(select(AuditProgramme.id).where(AuditProgramme.name.in_(names.values()))):
        return
    qa, auditor, manager = (demo_user(f"{who}@example.org") for who in ("qa", "auditor", "manager"))
    external = demo_user("external@example.org")
    if None in (qa, auditor, manager, external):
        return
    version = seed_tool()
    start = today.replace(day=1)
    with acting_as(qa):
        for (_, kind, rule), auditors in ((RECURRING, [auditor, manager]), (MULTI_AGENCY, [external])):
            programme = AuditProgramme(
                name=names[kind],
                kind=kind.value,
                period_start=start,
                period_end=samples.last_day_of_month(start),
                due_date=samples.months_before(start, -1).replace(day=14),
                tool_version_id=version.id,
                recurs_monthly=kind == ProgrammeKind.MONTHLY_DIP_SAMPLE,
                created_by_id=qa.id,
            )
            db.session.add(programme)
            db.session.flush()
            samples.confirm(programme, rule, [a.id for a in auditors], "round_robin", today)
