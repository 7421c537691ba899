"""Practice weeks: the schedule of activities, and senior managers' observations through the lenses."""

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labelled_enum import LabelledEnum
from .base import Audited, InsertedInBatches, Timestamped, link_key, link_table, owned_rows, owner_key, utcnow
from .cases import Case
from .grades import grade_scale_check
from .org import Service, Team
from .themes import Theme, theme_link_table
from .users import User


class ActivityType(LabelledEnum):
    STRATEGY_MEETING = "strategy_meeting", "Strategy meeting"
    ICPC = "icpc", "Initial child protection conference"
    CLA_REVIEW = "cla_review", "Child looked after review"
    MASH_TRIAGE = "mash_triage", "MASH triage"
    SHADOWING = "shadowing", "Shadowing a practitioner"
    RECORD_AUDIT = "record_audit", "Record audit"
    FAMILY_CONVERSATION = "family_conversation", "Conversation with a family"
    STAFF_FOCUS_GROUP = "staff_focus_group", "Staff focus group"


ACTIVITY_TYPE_LABELS = ActivityType.labels()


class Lens(LabelledEnum):
    """What observers look through; keys match audit domain keys where the subject is the same."""

    ASSESSMENT_QUALITY = "assessment_quality", "Assessment quality"
    VOICE_OF_CHILD = "voice_of_child", "Voice of the child"
    MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight and direction"
    PARENTAL_PARTICIPATION = "parental_participation", "Parental participation"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    MULTI_AGENCY = "multi_agency", "Multi-agency work"


LENS_LABELS = Lens.labels()

practice_week_service = link_table(
    "practice_week_service", link_key("practice_week"), link_key("service", cascade=False)
)


class PracticeWeek(Audited, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    focus: Mapped[str | None] = mapped_column(String(160))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    services: Mapped[list[Service]] = relationship(secondary=practice_week_service, order_by="Service.name")
    activities: Mapped[list["Activity"]] = owned_rows("week", order_by="Activity.starts_at")

    def __str__(self) -> str:
        return self.title


class ActivityStatus(enum.StrEnum):
    BOOKED = "booked"
    OBSERVED = "observed"
    CANCELLED = "cancelled"


class Activity(Audited, Timestamped, db.Model):
    """One booked activity in a practice week's schedule."""

    __table_args__ = (Index("ix_activity_observer_starts", "observer_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = owner_key("practice_week")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    activity_type: Mapped[str] = mapped_column(String(24))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    description: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=ActivityStatus.BOOKED.value)

    week: Mapped[PracticeWeek] = relationship(back_populates="activities")
    team: Mapped[Team | None] = relationship()
    observer: Mapped[User] = relationship()

    def __str__(self) -> str:
        return f"{ActivityType(self.activity_type).label} at {self.starts_at:%H:%M %d/%m}"


class ObservationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


observation_theme = theme_link_table("observation_theme", "observation")


class Observation(Audited, Timestamped, db.Model):
    __table_args__ = (
        Index("ix_observation_week_status", "practice_week_id", "status"),
        Index("ix_observation_observed_on", "observed_on"),
        UniqueConstraint("activity_id", "observer_id"),  # one observation per booking and observer
    )
    __audit_exclude__ = frozenset({"created_at", "updated_at", "version"})

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_week_id: Mapped[int | None] = mapped_column(ForeignKey("practice_week.id"))
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    observer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    activity_type: Mapped[str] = mapped_column(String(24))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    observed_on: Mapped[date] = mapped_column(Date)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ObservationStatus.DRAFT.value)
    working_well: Mapped[str | None] = mapped_column(Text)
    needs_to_improve: Mapped[str | None] = mapped_column(Text)
    immediate_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    # Flagged by the observer as an example of good practice worth sharing ("working well" says why).
    good_practice: Mapped[bool] = mapped_column(Boolean, server_default=sa_false())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    last_section: Mapped[str | None] = mapped_column(String(60))

    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    week: Mapped["PracticeWeek | None"] = relationship()
    activity: Mapped[Activity | None] = relationship()
    observer: Mapped[User] = relationship()
    team: Mapped[Team | None] = relationship()
    service: Mapped[Service | None] = relationship()
    case: Mapped[Case | None] = relationship()
    judgements: Mapped[list["LensJudgement"]] = owned_rows("observation")
    quick_wins: Mapped[list["QuickWin"]] = owned_rows("observation", order_by="QuickWin.id")  # as written
    themes: Mapped[list[Theme]] = relationship(secondary=observation_theme, order_by="Theme.name")

    def __str__(self) -> str:
        return f"Observation {self.id}"


class LensJudgement(Audited, db.Model):
    """A judgement through one lens: a grade on the Ofsted scale, or NULL for "not observed"."""

    __table_args__ = (
        UniqueConstraint("observation_id", "lens"),
        Index("ix_lens_judgement_lens_grade", "lens", "grade"),
        grade_scale_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = owner_key("observation", index=False)
    lens: Mapped[str] = mapped_column(String(40))
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
    # A draft's lens may not be answered yet; once answered, grade NULL means "not observed".
    answered: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())

    observation: Mapped[Observation] = relationship(back_populates="judgements")

    def __str__(self) -> str:
        return f"{self.lens} judgement"


class QuickWin(InsertedInBatches, Audited, Timestamped, db.Model):
    """A quick win suggested in an observation; theme_id groups them in the week's summary."""

    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = owner_key("observation")
    text: Mapped[str] = mapped_column(Text)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)

    observation: Mapped[Observation] = relationship(back_populates="quick_wins")
    theme: Mapped[Theme | None] = relationship()

    def __str__(self) -> str:
        return self.text[:60]
