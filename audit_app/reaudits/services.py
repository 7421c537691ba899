"""Re-audits of inadequate practice: scheduled when an audit is submitted, shown to the auditor from a few
days before they are due, the previous audit beside the form, and how the case fared by domain."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..changelog import log_change
from ..dates import long_date
from ..extensions import db
from ..models import AuditStatus, CaseAudit, Judgement, Moderation, ModerationOutcome, Question, ToolVersion
from ..models.base import utcnow
from ..models.grades import GRADE_LABELS, Grade
from ..models.tools import VersionStatus
from ..reporting import queries
from ..reporting.filters import Filters

COUNTED = queries.COUNTED_AUDIT_STATUSES
MODERATED_GRADES = Filters(grades="moderated")
IMPROVED, SAME, WORSE = "improved", "same", "worse"
RESULT_LABELS = {IMPROVED: "Improved", SAME: "Same", WORSE: "Worse"}


def today() -> date:
    return utcnow().date()


def _notice() -> timedelta:
    return timedelta(days=current_app.config["REAUDIT_NOTICE_DAYS"])


def needs_reaudit(audit: CaseAudit) -> bool:
    """An Inadequate overall grade, or (REAUDIT_WHEN=any, the default) an Inadequate judgement in any domain."""
    if audit.case_id is None:  # a re-audit follows a case; supervision is audited again in the next programme
        return False
    if audit.overall_grade == Grade.INADEQUATE:
        return True
    return current_app.config["REAUDIT_WHEN"] == "any" and any(j.grade == Grade.INADEQUATE for j in audit.judgements)


def _current_version_id(audit: CaseAudit) -> int:
    """The tool's newest published version (the audit's own when none is published any more)."""
    newest = db.session.scalar(
        select(ToolVersion.id)
        .where(ToolVersion.tool_id == audit.tool_version.tool_id, ToolVersion.status == VersionStatus.PUBLISHED.value)
        .order_by(ToolVersion.number.desc())
        .limit(1)
    )
    return newest or audit.tool_version_id


def schedule_reaudit(audit: CaseAudit) -> CaseAudit | None:
    """Called as an audit is submitted, in its transaction: a re-audit of the case, due REAUDIT_WEEKS later,
    for the same auditor. Once only: a resubmission (after moderation returned it) schedules nothing more."""
    # Nothing here flushes: the submit's own flush writes the audit, checking its version, and this with it.
    with db.session.no_autoflush:
        if not needs_reaudit(audit) or db.session.scalar(
            select(CaseAudit.id).where(CaseAudit.reaudit_of_id == audit.id)
        ):
            return None
        due = (audit.submitted_at or utcnow()).date() + timedelta(weeks=current_app.config["REAUDIT_WEEKS"])
        reaudit = CaseAudit(
            case_id=audit.case_id,
            tool_version_id=_current_version_id(audit),
            programme_id=audit.programme_id,
            auditor_id=audit.auditor_id,
            status=AuditStatus.NOT_STARTED.value,
            due_date=due,
            reaudit_of_id=audit.id,
        )
        db.session.add(reaudit)
        log_change(db.session, audit, "Re-audit", None, f"Scheduled for {long_date(due)}")
    return reaudit


def shows_from(reaudit: CaseAudit) -> date:
    return reaudit.due_date - _notice()


def visible_condition(on: date | None = None):
    """SQL on CaseAudit: every audit an auditor or a programme lists now, which leaves out re-audits still
    scheduled (not started, and more than REAUDIT_NOTICE_DAYS before they are due)."""
    return or_(
        CaseAudit.reaudit_of_id.is_(None),
        CaseAudit.status != AuditStatus.NOT_STARTED.value,
        CaseAudit.due_date <= (on or today()) + _notice(),
    )


def scheduled_reaudits(on: date | None = None) -> list[CaseAudit]:
    """Re-audits not yet shown to their auditor, soonest first: the QA lead's list on the programmes page."""
    return list(
        db.session.scalars(
            select(CaseAudit)
            .where(CaseAudit.reaudit_of_id.is_not(None), ~visible_condition(on))
            .options(selectinload(CaseAudit.case), selectinload(CaseAudit.auditor), selectinload(CaseAudit.programme))
            .order_by(CaseAudit.due_date, CaseAudit.id)
        )
    )


def programme_reaudits(programme_id: int) -> list[CaseAudit]:
    """Every re-audit in the programme, scheduled or not, soonest first (the programme page's own table)."""
    return list(
        db.session.scalars(
            select(CaseAudit)
            .where(CaseAudit.reaudit_of_id.is_not(None), CaseAudit.programme_id == programme_id)
            .options(selectinload(CaseAudit.case), selectinload(CaseAudit.auditor))
            .order_by(CaseAudit.due_date, CaseAudit.id)
        )
    )


def reassign(reaudit: CaseAudit, auditor_id: int) -> None:
    """Give a re-audit not yet started to another auditor (the change log records who had it)."""
    reaudit.auditor_id = auditor_id
    db.session.commit()


# --- The previous audit beside the form ------------------------------------------------------------------


@dataclass
class PreviousAnswer:
    answer: str  # the grade (the moderator's where moderated) or the answer, as people read it
    evidence: str | None


@dataclass
class PreviousAudit:
    audit: CaseAudit
    on: date  # when it was submitted
    answers: dict[tuple[str, str], PreviousAnswer]  # (domain key, question key) -> answer
    overall: PreviousAnswer  # the overall grade and the areas for improvement behind it

    def answer_for(self, domain_key: str, question: Question) -> PreviousAnswer | None:
        return self.answers.get((domain_key, question.key))


ANSWER_LABELS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}


def previous_audit(audit: CaseAudit) -> PreviousAudit | None:
    """What the audit this one re-audits found, question by question, in one query. Questions are matched by
    domain and question key, so a re-audit on a newer version of the tool still finds them."""
    original = audit.reaudit_of
    if original is None:
        return None
    grade = queries.grade_expression(MODERATED_GRADES)
    rows = db.session.execute(
        queries.judgements_query(
            MODERATED_GRADES, None, Judgement.domain_key, Question.key, grade, Judgement.answer, Judgement.text
        )
        .add_columns(Judgement.evidence)
        .join(Question, Question.id == Judgement.question_id)
        .where(Judgement.audit_id == original.id)
    ).all()
    answers = {}
    for domain_key, question_key, counted_grade, answer, text, evidence in rows:
        shown = GRADE_LABELS.get(counted_grade) or ANSWER_LABELS.get(answer) or text or "Not answered"
        answers[(domain_key, question_key)] = PreviousAnswer(shown, evidence)
    on = (original.submitted_at or original.updated_at).date()
    overall_grade = overall_grades([original.id]).get(original.id)
    overall = PreviousAnswer(GRADE_LABELS.get(overall_grade, "Not answered"), original.areas_for_improvement)
    return PreviousAudit(original, on, answers, overall)


# --- How the case fared ---------------------------------------------------------------------------------


def compare(before: int | None, after: int | None) -> str | None:
    """Grades run 1 (Outstanding) to 4 (Inadequate): a lower grade is better."""
    if before is None or after is None:
        return None
    return IMPROVED if after < before else WORSE if after > before else SAME


@dataclass
class DomainResult:
    label: str
    before: int | None
    after: int | None

    @property
    def result(self) -> str | None:
        return compare(self.before, self.after)


def _domain_grades(audit_ids: list[int]) -> dict[tuple[int, str], int]:
    """Each audit's grade for each domain: its weakest graded judgement, the moderator's grade where moderated."""
    grade = queries.grade_expression(MODERATED_GRADES)
    rows = db.session.execute(
        queries.judgements_query(MODERATED_GRADES, None, Judgement.audit_id, Judgement.domain_key, func.max(grade))
        .where(Judgement.audit_id.in_(audit_ids))
        .group_by(Judgement.audit_id, Judgement.domain_key)
    ).all()
    return {(audit_id, key): worst for audit_id, key, worst in rows if worst is not None}


def overall_grades(audit_ids) -> dict[int, int | None]:
    """Each audit's overall grade as counted: the latest moderation's where it was moderated."""
    audits = db.session.execute(
        select(CaseAudit.id, CaseAudit.overall_grade, CaseAudit.status).where(CaseAudit.id.in_(audit_ids))
    ).all()
    result = {audit_id: grade for audit_id, grade, _ in audits}
    moderated = [audit_id for audit_id, _, status in audits if status == AuditStatus.MODERATED.value]
    for audit_id, grade in db.session.execute(
        select(Moderation.audit_id, Moderation.overall_grade)
        .where(Moderation.audit_id.in_(moderated), Moderation.outcome != ModerationOutcome.RETURNED.value)
        .order_by(Moderation.id)
    ):
        result[audit_id] = grade or result[audit_id]
    return result


def domain_results(reaudit: CaseAudit) -> list[DomainResult]:
    """Improved / same / worse for each domain of a submitted re-audit, and overall, against the audit it follows."""
    if reaudit.reaudit_of_id is None or reaudit.status not in COUNTED:
        return []
    before_id, after_id = reaudit.reaudit_of_id, reaudit.id
    grades = _domain_grades([before_id, after_id])
    keys = list(dict.fromkeys(d.key for d in reaudit.tool_version.domains))
    keys += sorted({key for (_, key) in grades if key not in keys})
    labels = {d.key: d.title for d in reaudit.tool_version.domains}
    result = [
        DomainResult(
            labels.get(key) or queries.domain_label(key), grades.get((before_id, key)), grades.get((after_id, key))
        )
        for key in keys
        if (before_id, key) in grades or (after_id, key) in grades
    ]
    overall = overall_grades([before_id, after_id])
    result.append(DomainResult("Overall grade", overall.get(before_id), overall.get(after_id)))
    return result


@dataclass
class ReauditFigures:
    completed: int = 0
    improved: int = 0
    same: int = 0
    worse: int = 0

    @property
    def improved_share(self) -> int | None:
        return round(100 * self.improved / self.completed) if self.completed else None


def reaudit_figures(first_day: date, last_day: date) -> ReauditFigures:
    """Re-audits submitted between the two days (inclusive), each counted improved / same / worse on its
    overall grade (moderated where there is one) against the audit it followed."""
    start = datetime.combine(first_day, time.min, tzinfo=UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC)
    pairs = db.session.execute(
        select(CaseAudit.id, CaseAudit.reaudit_of_id).where(
            CaseAudit.reaudit_of_id.is_not(None),
            CaseAudit.status.in_(COUNTED),
            CaseAudit.submitted_at >= start,
            CaseAudit.submitted_at < end,
        )
    ).all()
    grades = overall_grades([i for pair in pairs for i in pair])
    counts = Counter(compare(grades.get(before), grades.get(after)) for after, before in pairs)
    return ReauditFigures(len(pairs), counts[IMPROVED], counts[SAME], counts[WORSE])


# --- Reminders ------------------------------------------------------------------------------------------


def reaudits_due(on: date | None = None) -> list[tuple]:
    """Reminders for `flask send-reminders`: (users, kind, subject, link, dedupe_key) for each re-audit
    not yet submitted that is now shown to its auditor (once), and once more when it is overdue.
    The subject says what is due and when, never the case."""
    on = on or today()
    rows = db.session.scalars(
        select(CaseAudit)
        .where(
            CaseAudit.reaudit_of_id.is_not(None),
            CaseAudit.status.in_([AuditStatus.NOT_STARTED.value, AuditStatus.IN_PROGRESS.value]),
            CaseAudit.due_date <= on + _notice(),
        )
        .options(selectinload(CaseAudit.auditor))
        .order_by(CaseAudit.due_date, CaseAudit.id)
    ).all()
    reminders = []
    with current_app.test_request_context():  # a path of this service, built without a request
        for reaudit in rows:
            link = url_for("audits.task_list", audit_id=reaudit.id)
            due = long_date(reaudit.due_date)
            if reaudit.due_date < on:
                reminders.append(
                    (
                        [reaudit.auditor],
                        "reaudit_overdue",
                        f"A re-audit was due on {due}",
                        link,
                        f"reaudit-overdue:{reaudit.id}",
                    )
                )
            else:
                reminders.append(
                    ([reaudit.auditor], "reaudit_due", f"A re-audit is due by {due}", link, f"reaudit-due:{reaudit.id}")
                )
    return reminders
