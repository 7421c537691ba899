"""A supervision audit's subject: instead of a child's case, the supervision records of a supervisor and a
supervisee (staff, so by name) over a period. Mixed into CaseAudit, so the form, moderation and themes are
the same for both kinds of audit."""

from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..dates import long_date

# An audit has a case, or both people (not the same one) and a period that runs forwards.
SUBJECT_CHECK = (
    "(case_id IS NOT NULL) OR (supervisor_id IS NOT NULL AND supervisee_id IS NOT NULL"
    " AND supervisor_id <> supervisee_id AND supervision_from IS NOT NULL"
    " AND supervision_to IS NOT NULL AND supervision_from <= supervision_to)"
)


class SupervisionSubject:
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    supervisee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    supervision_from: Mapped[date | None] = mapped_column(Date)
    supervision_to: Mapped[date | None] = mapped_column(Date)

    @declared_attr
    def supervisor(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship("User", foreign_keys=lambda: [cls.supervisor_id])

    @declared_attr
    def supervisee(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship("User", foreign_keys=lambda: [cls.supervisee_id])

    @property
    def is_supervision(self) -> bool:
        return self.case_id is None and self.supervisor_id is not None

    @property
    def subject_label(self) -> str:
        """What the audit is of, in a heading: the case reference, or the supervision pair."""
        if self.is_supervision:
            return f"supervision of {self.supervisee} by {self.supervisor}"
        return self.case.case_reference if self.case else ""

    @property
    def subject_detail(self) -> str:
        """The case's type, team and locality, or the period of supervision records looked at."""
        if self.is_supervision:
            return f"Supervision records from {long_date(self.supervision_from)} to {long_date(self.supervision_to)}"
        if self.case is None:
            return ""
        return f"{self.case.case_type_label}, {self.case.team.name}, {self.case.locality.name}"
