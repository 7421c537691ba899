"""From the observation form to an ObservationInput, keeping what is stored where the form found a field wrong."""

from collections.abc import Iterable

from ...models import Lens, Observation
from ...models.grades import Grade
from .inputs import LENS_KEYS, NOT_OBSERVED, ObservationInput, QuickWinInput, values_from


def values_from_form(form, observation: Observation) -> ObservationInput:
    """What the observer typed; a quick win the form found wrong is what is stored in its place (see _quick_wins)."""
    return ObservationInput(
        activity_type=form.activity_type.data or None,
        team_id=form.team_id.data or None,
        observed_on=form.observed_on.data,
        case_reference=(form.case_reference.data or "").strip().upper() or None,
        grades={lens: form[f"grade_{lens}"].data or None for lens in LENS_KEYS},
        notes={lens: form[f"note_{lens}"].data for lens in LENS_KEYS},
        working_well=form.working_well.data,
        needs_to_improve=form.needs_to_improve.data,
        quick_wins=_quick_wins(form.quick_wins.entries, observation.quick_wins),
        theme_ids=[int(t) for t in (form.theme_ids.data or [])],
        immediate_concern=bool(form.immediate_concern.data),
        good_practice=bool(form.good_practice.data),
        last_section=form.last_section.data or None,
    )


def _quick_wins(entries, stored) -> list[QuickWinInput]:
    """The quick wins typed, blanks left out. One the form found wrong (too long, a theme no longer offered) is
    the one stored in its place, or none, so the others still save: the form is drawn from the stored ones in
    order, and the person keeps what they typed on the page, with its error."""
    kept = []
    for index, entry in enumerate(entries):
        if entry.errors:
            kept += [QuickWinInput(q.text, q.theme_id) for q in stored[index : index + 1]]
        elif (entry.form.text.data or "").strip():
            kept.append(QuickWinInput(entry.form.text.data, entry.form.theme_id.data or None))
    return kept


GRADE_VALUES = {str(g.value) for g in Grade} | {NOT_OBSERVED}


def grade_problems(values: ObservationInput) -> dict[str, str]:
    """Field name -> message for each lens whose grade is none of the form's choices (a stale or altered post)."""
    return {
        f"grade_{lens}": f"Select a judgement for {Lens(lens).label.lower()}"
        for lens in LENS_KEYS
        if values.grades.get(lens) not in GRADE_VALUES | {None}
    }


def without_invalid(
    values: ObservationInput, invalid_fields: Iterable[str], observation: Observation
) -> ObservationInput:
    """The same input with every field found wrong (the form's errors and the services' problems, by
    field name) put back to what is stored, so an autosave never writes a half-typed date or an unknown
    case reference, and never loses the rest."""
    stored = values_from(observation)
    for name in list(invalid_fields):
        if name.startswith("grade_"):
            values.grades[name.removeprefix("grade_")] = stored.grades.get(name.removeprefix("grade_"))
        elif name.startswith("note_"):
            values.notes[name.removeprefix("note_")] = stored.notes.get(name.removeprefix("note_"))
        elif hasattr(values, name) and name not in ("csrf_token", "version", "quick_wins"):  # one by one: _quick_wins
            setattr(values, name, getattr(stored, name))
    return values
