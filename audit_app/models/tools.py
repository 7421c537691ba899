"""Audit tools: versioned templates. A published version never changes; audits point at it."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from .base import ID_ORDER, MIXIN_LEADING, PARENT_KEY_ORDER, Audited, Timestamped, owned_rows, owner_key
from .cases import CaseType
from .themes import Theme, theme_link_table


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class ResponseType(enum.StrEnum):
    GRADE = "grade"  # the Ofsted scale, with "not applicable" where allowed
    YES_NO = "yes_no"  # yes / no / not applicable
    TEXT = "text"


class ToolSubject(enum.StrEnum):
    """What a tool audits: a child's case file, or a supervisor-supervisee pair's supervision records."""

    CASE = "case"
    SUPERVISION = "supervision"

    @property
    def label(self) -> str:
        return TOOL_SUBJECT_LABELS[self]


TOOL_SUBJECT_LABELS = {ToolSubject.CASE: "A child's case file", ToolSubject.SUPERVISION: "Supervision records"}


class AuditTool(Audited, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(16), default=ToolSubject.CASE.value, server_default="case")

    versions: Mapped[list["ToolVersion"]] = owned_rows("tool", order_by="ToolVersion.number")

    def __str__(self) -> str:
        return self.name

    @property
    def is_supervision(self) -> bool:
        return self.subject == ToolSubject.SUPERVISION

    @property
    def subject_label(self) -> str:
        return ToolSubject(self.subject).label


class ToolVersion(Audited, Timestamped, db.Model):
    __table_args__ = (UniqueConstraint("tool_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("audit_tool.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=VersionStatus.DRAFT.value)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tool: Mapped[AuditTool] = relationship(back_populates="versions")
    domains: Mapped[list["Domain"]] = owned_rows("version", order_by="Domain.position")

    def __str__(self) -> str:
        return f"{self.tool.name} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


question_default_theme = theme_link_table("question_default_theme", "question")


class AppliesToCaseTypes:
    """A domain or question that may apply to some case types only: `case_types` holds them as
    ",cp,care_leaver," (so one LIKE finds a type in SQL); empty means every case type."""

    case_types: Mapped[str | None] = mapped_column(String(120))

    @property
    def case_type_list(self) -> list[str]:
        return [t for t in (self.case_types or "").split(",") if t]

    @case_type_list.setter
    def case_type_list(self, values) -> None:
        wanted = [t.value for t in CaseType if t.value in set(values or ())]
        self.case_types = f",{','.join(wanted)}," if wanted and len(wanted) < len(CaseType) else None

    @property
    def case_types_label(self) -> str:
        return ", ".join(CaseType(t).label for t in self.case_type_list) or "Every case type"

    def applies_to(self, case_type: str) -> bool:
        return not self.case_types or f",{case_type}," in self.case_types


class ToolItem(AppliesToCaseTypes):
    """A domain of a tool version, or a question of a domain: in `position` order within its parent (the row
    `_parent_key` names), with a `key` that is stable across versions and unique within the parent. The table
    starts id, the key to the parent (PARENT_KEY_ORDER), position, key, and ends with case_types."""

    _parent_key: str

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=ID_ORDER)
    position: Mapped[int] = mapped_column(Integer, sort_order=MIXIN_LEADING)
    key: Mapped[str] = mapped_column(String(60), sort_order=MIXIN_LEADING)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint(cls._parent_key, "key"),)


class Domain(ToolItem, Audited, db.Model):
    """A domain of practice. `key` is stable across versions, so summaries group by it."""

    _parent_key = "version_id"

    version_id: Mapped[int] = owner_key("tool_version", sort_order=PARENT_KEY_ORDER)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)

    version: Mapped[ToolVersion] = relationship(back_populates="domains")
    questions: Mapped[list["Question"]] = owned_rows("domain", order_by="Question.position")

    def __str__(self) -> str:
        return self.title


class Question(ToolItem, Audited, db.Model):
    _parent_key = "domain_id"

    domain_id: Mapped[int] = owner_key("domain", sort_order=PARENT_KEY_ORDER)
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)  # "what good looks like"
    response_type: Mapped[str] = mapped_column(String(12), default=ResponseType.GRADE.value)
    allow_not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    # Evidence is always required for Requires improvement and Inadequate; this asks for it always.
    evidence_required: Mapped[bool] = mapped_column(Boolean, default=False)

    domain: Mapped[Domain] = relationship(back_populates="questions")
    default_themes: Mapped[list[Theme]] = relationship(secondary=question_default_theme, order_by="Theme.name")

    def __str__(self) -> str:
        return self.text
