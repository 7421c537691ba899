"""The Ofsted scale, shared by audits, moderation and observations.

Grades are stored as small integers so SQL can count, compare and average them:
1 Outstanding, 2 Good, 3 Requires improvement to be good, 4 Inadequate. NULL means no grade
(not applicable, not observed, or not yet answered).
"""

import enum


class Grade(enum.IntEnum):
    OUTSTANDING = 1
    GOOD = 2
    REQUIRES_IMPROVEMENT = 3
    INADEQUATE = 4

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def short_label(self) -> str:
        return GRADE_SHORT_LABELS[self]

    @property
    def is_good_or_better(self) -> bool:
        return self <= Grade.GOOD


GRADE_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
}

GRADE_SHORT_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
    Grade.INADEQUATE: "Inadequate",
}

GOOD_OR_BETTER_MAX = Grade.GOOD  # grade <= 2 in SQL
