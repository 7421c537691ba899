"""Audit programmes, case audits and their judgements, moderation, and immediate follow-ups."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..labelled_enum import LabelledEnum
from .base import Audited, InsertedInBatches, Timestamped, link_key, link_table, owned_rows, owner_key, utcnow
from .cases import Case
from .grades import grade_scale_check
from .supervision import SUBJECT_CHECK, SupervisionSubject
from .themes import Theme, theme_link_table
from .tools import Question, ToolVersion
from .users import User


class AuditStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"  # sent back by a moderator; the auditor edits and resubmits
    SUBMITTED = "submitted"
    MODERATED = "moderated"


class ProgrammeKind(LabelledEnum):
    MONTHLY_DIP_SAMPLE = "monthly_dip_sample", "Monthly dip sample"
    THEMATIC = "thematic", "Thematic (deep dive)"
    COMPLIANCE_CHECK = "compliance_check", "Compliance check"
    MULTI_AGENCY = "multi_agency", "Multi-agency"
    REAUDIT = "reaudit", "Re-audit"


PROGRAMME_KIND_LABELS = ProgrammeKind.labels()

# The auditors a programme's sample is shared among (and the external auditors of a multi-agency one).
programme_auditor = link_table("programme_auditor", link_key("audit_programme", "programme_id"), link_key("user"))


class AuditProgramme(Audited, Timestamped, db.Model):
    """A cycle of audits, e.g. "October 2021 monthly audit", focus "Front Door"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(
        String(24), default=ProgrammeKind.MONTHLY_DIP_SAMPLE.value, server_default="monthly_dip_sample", index=True
    )
    focus: Mapped[str | None] = mapped_column(String(160))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    tool_version_id: Mapped[int] = mapped_column(ForeignKey("tool_version.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The rule the sample was drawn by, so the draw can be repeated and explained (None: picked by hand).
    sample_method: Mapped[str | None] = mapped_column(String(16))  # random / stratified
    sample_stratify_by: Mapped[str | None] = mapped_column(String(16))  # team / locality / case_type / worker
    sample_size: Mapped[int | None] = mapped_column(Integer)
    sample_seed: Mapped[int | None] = mapped_column(Integer)
    sample_exclude_months: Mapped[int | None] = mapped_column(SmallInteger)
    sample_audited_since: Mapped[date | None] = mapped_column(Date)
    # A recurring monthly programme makes next month's; the one it came from is unique, so only once.
    recurs_monthly: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    assign_by: Mapped[str | None] = mapped_column(String(16))  # round_robin / team
    recurrence_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_programme.id", ondelete="SET NULL"), unique=True
    )

    tool_version: Mapped[ToolVersion] = relationship()
    audits: Mapped[list["CaseAudit"]] = relationship(back_populates="programme")
    auditors: Mapped[list[User]] = relationship(secondary=programme_auditor, order_by="User.display_name")

    @property
    def kind_label(self) -> str:
        return ProgrammeKind(self.kind).label

    @property
    def is_supervision(self) -> bool:
        """A programme of supervision audits: it lists supervisor-supervisee pairs, not cases."""
        return self.tool_version.tool.is_supervision

    @property
    def name_and_kind(self) -> str:
        """How a list of programmes to choose from names each one: every list shows the kind."""
        return f"{self.name} ({self.kind_label})"

    def __str__(self) -> str:
        return self.name


class CaseAudit(SupervisionSubject, Audited, Timestamped, db.Model):
    """An audit of a child's case file, or of a supervision pair's records (SupervisionSubject)."""

    __table_args__ = (
        Index("ix_case_audit_auditor_status", "auditor_id", "status"),
        Index("ix_case_audit_status_submitted", "status", "submitted_at"),
        # The judgements export reads audits in date order, a batch at a time, from where the last batch ended.
        Index("ix_case_audit_submitted_at", "submitted_at"),
        grade_scale_check("overall_grade"),
        CheckConstraint(SUBJECT_CHECK, name="has_subject"),
    )
    __audit_exclude__ = frozenset({"created_at", "updated_at", "version"})

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    tool_version_id: Mapped[int] = mapped_column(ForeignKey("tool_version.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("audit_programme.id"), index=True)
    # A record audit done during a practice week counts in that week's findings.
    practice_week_id: Mapped[int | None] = mapped_column(ForeignKey("practice_week.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[str] = mapped_column(String(16), default=AuditStatus.NOT_STARTED.value)
    due_date: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    overall_grade: Mapped[int | None] = mapped_column(SmallInteger)
    strengths: Mapped[str | None] = mapped_column(Text)
    areas_for_improvement: Mapped[str | None] = mapped_column(Text)
    audited_alongside_worker: Mapped[bool | None] = mapped_column(Boolean)
    # When the auditor and the worker talked the audit through (required when done alongside them).
    alongside_conversation_on: Mapped[date | None] = mapped_column(Date)
    child_and_family_feedback: Mapped[str | None] = mapped_column(Text)
    child_not_safe: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the auditor was, so closing the tab and coming back resumes there.
    last_domain_key: Mapped[str | None] = mapped_column(String(60))
    # A re-audit of inadequate practice points at the audit it follows up; unique: one re-audit per audit.
    reaudit_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_audit.id", ondelete="SET NULL"), unique=True, index=True
    )

    # Optimistic locking: a save based on an older version is refused, never silently applied.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case | None] = relationship()
    tool_version: Mapped[ToolVersion] = relationship()
    programme: Mapped[AuditProgramme | None] = relationship(back_populates="audits")
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])

    judgements: Mapped[list["Judgement"]] = owned_rows("audit")
    reaudit_of: Mapped["CaseAudit | None"] = relationship(remote_side=[id], foreign_keys=[reaudit_of_id])
    sections_not_applicable: Mapped[list["SectionNotApplicable"]] = owned_rows("audit")

    def __str__(self) -> str:
        return f"Audit of {self.subject_label}" if self.case or self.supervisor_id else f"Audit {self.id}"


judgement_theme = theme_link_table("judgement_theme", "judgement")


class Judgement(InsertedInBatches, Audited, db.Model):
    """The auditor's answer to one question. domain_key is copied from the question's domain so
    summaries group across tool versions without a join."""

    __table_args__ = (
        UniqueConstraint("audit_id", "question_id"),
        Index("ix_judgement_domain_grade", "domain_key", "grade"),
        grade_scale_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit")
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(60))
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    answer: Mapped[str | None] = mapped_column(String(16))  # yes / no / not_applicable
    text: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    # Flagged by the auditor as an example of good practice worth sharing (the evidence says why).
    good_practice: Mapped[bool] = mapped_column(Boolean, server_default=false())

    audit: Mapped[CaseAudit] = relationship(back_populates="judgements")
    question: Mapped[Question] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=judgement_theme, order_by="Theme.name")

    def __str__(self) -> str:
        return f"Judgement {self.domain_key}"


class SectionNotApplicable(Audited, Timestamped, db.Model):
    """An auditor's decision that a section (domain) that applies to the case type does not apply to
    this audit, with the reason: its questions are then not asked, validated or counted."""

    __table_args__ = (UniqueConstraint("audit_id", "domain_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit")
    domain_key: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    audit: Mapped[CaseAudit] = relationship(back_populates="sections_not_applicable")

    def __str__(self) -> str:
        return f"Section {self.domain_key} not applicable"


class ModerationOutcome(enum.StrEnum):
    AGREED = "agreed"
    CHANGED = "changed"
    RETURNED = "returned"


class Moderation(Audited, Timestamped, db.Model):
    """A senior manager's or QA lead's moderation of one submitted audit. The moderator's grades sit
    alongside the auditor's, never over them."""

    __table_args__ = (grade_scale_check("overall_grade"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit")
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_sample.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(12))
    overall_grade: Mapped[int | None] = mapped_column(SmallInteger)
    overall_rationale: Mapped[str | None] = mapped_column(Text)
    comments_for_auditor: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    audit: Mapped[CaseAudit] = relationship()
    moderator: Mapped[User] = relationship()
    grades: Mapped[list["ModeratedGrade"]] = owned_rows("moderation")

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id}"


class ModeratorsGrade:
    """A moderator's grade for one of the audit's judgements, and why: a moderation's and its draft's, one per
    judgement in each. Declarative puts a mixin's columns after the class's own (id, the parent's key), so the
    tables keep their order."""

    _parent_key: str  # the column naming the moderation or draft the grade belongs to
    _described_as: str  # how the change log and history name one

    judgement_id: Mapped[int] = owner_key("judgement")
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    rationale: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint(cls._parent_key, "judgement_id"), grade_scale_check())

    @declared_attr
    def judgement(cls) -> Mapped[Judgement]:
        return relationship(Judgement)

    def __str__(self) -> str:
        return f"{self._described_as} {self.judgement_id}"


class ModeratedGrade(ModeratorsGrade, Audited, db.Model):
    _parent_key, _described_as = "moderation_id", "Moderated grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = owner_key("moderation")

    moderation: Mapped[Moderation] = relationship(back_populates="grades")


class ModerationDraft(Audited, Timestamped, db.Model):
    """A moderation being typed: one per audit and moderator, saved by autosave (and "Save and come back
    later") with optimistic locking, like the audit form. Never counted anywhere: submitting it makes the
    Moderation and deletes the draft."""

    __table_args__ = (
        UniqueConstraint("audit_id", "moderator_id"),
        grade_scale_check("overall_grade"),
    )
    __audit_exclude__ = frozenset({"created_at", "updated_at", "version"})

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = owner_key("case_audit")
    moderator_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    overall_grade: Mapped[int | None] = mapped_column(SmallInteger)
    overall_rationale: Mapped[str | None] = mapped_column(Text)
    comments_for_auditor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # Optimistic locking: a save based on an older version is refused, never silently applied.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    audit: Mapped[CaseAudit] = relationship()
    moderator: Mapped[User] = relationship()
    grades: Mapped[list["ModerationDraftGrade"]] = owned_rows("draft", order_by="ModerationDraftGrade.judgement_id")

    def __str__(self) -> str:
        return f"Draft moderation of audit {self.audit_id}"


class ModerationDraftGrade(ModeratorsGrade, InsertedInBatches, Audited, db.Model):
    _parent_key, _described_as = "draft_id", "Draft moderated grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = owner_key("moderation_draft")

    draft: Mapped[ModerationDraft] = relationship(back_populates="grades")


class ModerationSample(Audited, Timestamped, db.Model):
    """A random sample of submitted audits for moderation: the share, the seed and who drew it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("audit_programme.id"), index=True)
    share_percent: Mapped[int] = mapped_column(Integer)
    random_seed: Mapped[int] = mapped_column(Integer)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    drawn_by: Mapped[User] = relationship()
    # Which audits were drawn (recorded once, when the sample is taken).
    audits: Mapped[list[CaseAudit]] = relationship(secondary="moderation_sample_audit", order_by="CaseAudit.id")

    def __str__(self) -> str:
        return f"{self.share_percent}% sample"


moderation_sample_audit = link_table(
    "moderation_sample_audit",
    link_key("moderation_sample", "sample_id"),
    link_key("case_audit", "audit_id", index=True),
)


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class FollowUp(Audited, Timestamped, db.Model):
    """Immediate follow-up of inadequate practice or a child not safe, from an audit or an observation."""

    __table_args__ = (
        Index("ix_follow_up_owner_status", "owner_id", "status"),
        Index("ix_follow_up_status_due", "status", "due_date"),
        CheckConstraint("(audit_id IS NOT NULL) OR (observation_id IS NOT NULL)", name="has_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int | None] = owner_key("case_audit")
    observation_id: Mapped[int | None] = owner_key("observation")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    action_required: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default=FollowUpStatus.OPEN.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_note: Mapped[str | None] = mapped_column(Text)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    case: Mapped[Case | None] = relationship()
    audit: Mapped["CaseAudit | None"] = relationship()
    observation: Mapped["Observation | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return f"Follow-up {self.id}"
