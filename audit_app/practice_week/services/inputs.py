"""What an observer typed (ObservationInput), as stored, and as the changes the optimistic-locking save compares."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ...autosave import normalise
from ...dates import long_date
from ...extensions import db
from ...models import ActivityType, Lens, LensJudgement, Observation, Team, Theme
from ...models.grades import Grade

LENS_KEYS = [lens.value for lens in Lens]


NOT_OBSERVED = "not_observed"


@dataclass
class QuickWinInput:
    text: str
    theme_id: int | None = None


@dataclass
class ObservationInput:
    """What the observer typed. Grades are '1'..'4', 'not_observed' or None (not yet answered)."""

    activity_type: str | None = None
    team_id: int | None = None
    observed_on: date | None = None
    case_reference: str | None = None
    grades: dict[str, str | None] = field(default_factory=dict)
    notes: dict[str, str | None] = field(default_factory=dict)
    working_well: str | None = None
    needs_to_improve: str | None = None
    quick_wins: list[QuickWinInput] = field(default_factory=list)
    theme_ids: list[int] = field(default_factory=list)
    immediate_concern: bool = False
    good_practice: bool = False
    last_section: str | None = None


def values_from(observation: Observation) -> ObservationInput:
    """What is stored, in the shape the form edits (to check a stored draft before submitting)."""
    return ObservationInput(
        activity_type=observation.activity_type,
        team_id=observation.team_id,
        observed_on=observation.observed_on,
        case_reference=observation.case.case_reference if observation.case else None,
        grades={j.lens: grade_choice(j) for j in observation.judgements},
        notes={j.lens: j.note for j in observation.judgements},
        working_well=observation.working_well,
        needs_to_improve=observation.needs_to_improve,
        quick_wins=[QuickWinInput(q.text, q.theme_id) for q in observation.quick_wins],
        theme_ids=[t.id for t in observation.themes],
        immediate_concern=observation.immediate_concern,
        good_practice=bool(observation.good_practice),
        last_section=observation.last_section,
    )


def grade_choice(judgement: LensJudgement | None) -> str | None:
    if judgement is None or not judgement.answered:
        return None
    return NOT_OBSERVED if judgement.grade is None else str(judgement.grade)


def input_as_changes(values: ObservationInput) -> dict:
    changes = {
        "activity_type": values.activity_type,
        "team_id": values.team_id,
        "observed_on": values.observed_on,
        "case_reference": values.case_reference,
        "working_well": values.working_well,
        "needs_to_improve": values.needs_to_improve,
        "quick_wins": [f"{(q.text or '').strip()} [{q.theme_id or ''}]" for q in values.quick_wins],
        "theme_ids": values.theme_ids,
        "immediate_concern": values.immediate_concern,
        "good_practice": values.good_practice,
        "last_section": values.last_section,
    }
    for lens in LENS_KEYS:
        changes[f"grade_{lens}"] = values.grades.get(lens)
        changes[f"note_{lens}"] = values.notes.get(lens)
    return changes


CHANGE_LABELS = (
    {
        "activity_type": "Activity",
        "team_id": "Team",
        "observed_on": "Date of the activity",
        "case_reference": "Case reference",
        "working_well": "What is working well",
        "needs_to_improve": "What needs to improve",
        "quick_wins": "Quick wins",
        "theme_ids": "Themes",
        "immediate_concern": "Immediate concern",
        "good_practice": "Good practice to share",
        "last_section": "Section you were working on",
    }
    | {f"grade_{lens.value}": f"{lens.label}: judgement" for lens in Lens}
    | {f"note_{lens.value}": f"{lens.label}: note" for lens in Lens}
)


def display_change(name: str, value) -> str:
    """A value as a person reads it, for the conflict panel."""
    if value in (None, "", []):
        return ""
    if name.startswith("grade_"):
        return "Not observed" if value == NOT_OBSERVED else Grade(int(value)).label
    if name == "activity_type":
        return ActivityType(value).label
    if name == "team_id":
        team = db.session.get(Team, int(value))
        return team.name if team else ""
    if name == "theme_ids":
        return ", ".join(db.session.scalars(select(Theme.name).where(Theme.id.in_(value)).order_by(Theme.name)))
    if name == "observed_on":
        return long_date(value)
    if name == "quick_wins":
        return "; ".join(str(v).rsplit(" [", 1)[0] for v in value)
    return normalise(value)
