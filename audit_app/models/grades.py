"""The Ofsted scale, shared by audits, moderation and observations.

Grades are stored as small integers so SQL can count, compare and average them:
1 Outstanding, 2 Good, 3 Requires improvement to be good, 4 Inadequate. NULL means no grade
(not applicable, not observed, or not yet answered).
"""

import enum

from sqlalchemy import CheckConstraint


class Grade(enum.IntEnum):
    """Members are declared `MEMBER = value, "Label", "Short label"`."""

    label: str
    short_label: str

    OUTSTANDING = 1, "Outstanding", "Outstanding"
    GOOD = 2, "Good", "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good", "Requires improvement"
    INADEQUATE = 4, "Inadequate", "Inadequate"

    def __new__(cls, value: int, label: str, short_label: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.short_label = short_label
        return member

    @property
    def is_good_or_better(self) -> bool:
        return self <= Grade.GOOD


GRADE_LABELS = {grade: grade.label for grade in Grade}

GOOD_OR_BETTER_MAX = Grade.GOOD  # grade <= 2 in SQL


def grade_scale_check(column: str = "grade") -> CheckConstraint:
    """The rule for every column that holds a grade: one on the scale, or NULL."""
    return CheckConstraint(f"{column} BETWEEN {min(Grade):d} AND {max(Grade):d}", name=f"{column}_scale")
