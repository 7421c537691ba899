"""How long each free-text field of the audit form may be: one limit per field, read by its character count,
by the page's errors and by the checks before submitting. A draft keeps everything typed, however long:
text over its limit is flagged, never cut."""

from dataclasses import dataclass

from ...autosave import Problem
from ...forms import too_long

EVIDENCE_MAX = 3000
# A text question's answer, and the overall page's strengths, areas for improvement and what the family said.
TEXT_MAX = 5000
QUOTE_MAX = 500
NOT_CONTACTED_REASON_MAX = 2000  # the family's voice: why no one was contacted
# Why a section does not apply: not a draft but one step (mark_not_applicable), so refused when longer.
NOT_APPLICABLE_REASON_MAX = 2000
OVERALL_TEXT = ("strengths", "areas_for_improvement", "child_and_family_feedback")


@dataclass
class TooLong(Problem):
    """Text over its field's limit: kept in the draft, shown as the field's error wherever the page is shown
    (not only when checking), and it stops the audit being submitted."""


def limit_for(name: str) -> int | None:
    """The longest the audit form's field `name` may be (None: not free text)."""
    if name.endswith("-evidence"):
        return EVIDENCE_MAX
    if name.startswith("voice-quote") and name.endswith("-text"):
        return QUOTE_MAX
    if name == "voice-not_contacted_reason":
        return NOT_CONTACTED_REASON_MAX
    if name.endswith("-text") or name in OVERALL_TEXT:
        return TEXT_MAX
    return None


def over_limit(page: str, field: str, value: str | None, subject: str) -> list[TooLong]:
    """The problem with `value` when it is longer than its field's limit, `subject` naming the field."""
    limit = limit_for(field)
    return [TooLong(page, field, too_long(subject, limit))] if len(value or "") > limit else []
