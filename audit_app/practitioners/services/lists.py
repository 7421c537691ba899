"""The worker's and the team manager's lists of shared audits, with where each response stands."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...audits.services.sharing import shared_audits, sharing_condition
from ...extensions import db
from ...models import AuditResponse, Case, CaseAudit, User
from .sharing import response_due_on, shared_on

PER_PAGE = 25
PANEL_SIZE = 5


@dataclass
class SharedAuditRow:
    audit: CaseAudit
    response: AuditResponse | None
    due_on: date
    worker: User | None  # the case's allocated worker, when they use the service

    @property
    def responded(self) -> bool:
        return self.response is not None and self.response.submitted_at is not None

    def state(self, today: date | None = None) -> str:
        """ "responded", "overdue" or "due"."""
        if self.responded:
            return "responded"
        return "overdue" if self.due_on < (today or date.today()) else "due"


def _rows(audits: list[CaseAudit]) -> list[SharedAuditRow]:
    ids = [a.id for a in audits] or [0]
    responses = {
        r.audit_id: r for r in db.session.scalars(select(AuditResponse).where(AuditResponse.audit_id.in_(ids)))
    }
    refs = {a.case.allocated_worker_ref for a in audits if a.case.allocated_worker_ref} or {""}
    workers = {u.worker_ref: u for u in db.session.scalars(select(User).where(User.worker_ref.in_(refs)))}
    rows = []
    for audit in audits:
        response = responses.get(audit.id)
        due_on = response.due_on if response else response_due_on(shared_on(audit))
        rows.append(SharedAuditRow(audit, response, due_on, workers.get(audit.case.allocated_worker_ref)))
    return rows


def shared_audit_rows(user: User, page: int = 1, per_page: int = PER_PAGE):
    """A page of the audits shared with this person (pagination) and its rows."""
    query = shared_audits(user).options(joinedload(CaseAudit.case))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return pagination, _rows(list(pagination.items))


def awaiting_counts(user: User, today: date | None = None) -> tuple[int, int]:
    """(responses awaited, of which overdue) among the audits shared with this person."""
    base = (
        select(func.count(CaseAudit.id))
        .join(Case, Case.id == CaseAudit.case_id)
        .join(AuditResponse, AuditResponse.audit_id == CaseAudit.id)
        .where(sharing_condition(user), AuditResponse.submitted_at.is_(None))
    )
    awaited = db.session.scalar(base)
    overdue = db.session.scalar(base.where(AuditResponse.due_on < (today or date.today())))
    return awaited, overdue
