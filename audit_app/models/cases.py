from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labelled_enum import LabelledEnum
from .base import Audited, Timestamped
from .org import Locality, Team


class CaseType(LabelledEnum):
    EARLY_HELP = "early_help", "Early Help"
    CIN = "cin", "Child in Need"
    CP = "cp", "Child Protection"
    CHILD_IN_CARE = "child_in_care", "Child in Care"
    CARE_LEAVER = "care_leaver", "Care Leaver"


CASE_TYPE_LABELS = CaseType.labels()


class Case(Audited, Timestamped, db.Model):
    """A child's case, known only by its reference in the case-management system: never a name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_type: Mapped[str] = mapped_column(String(20), index=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    allocated_worker_ref: Mapped[str | None] = mapped_column(String(40))

    locality: Mapped[Locality] = relationship()
    team: Mapped[Team] = relationship()

    def __str__(self) -> str:
        return self.case_reference

    @property
    def case_type_label(self) -> str:
        return CaseType(self.case_type).label
