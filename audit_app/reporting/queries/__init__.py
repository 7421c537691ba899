"""The figures of the theme summary, each counted by the database (GROUP BY), never in Python.

Which records count: audits whose status is submitted or moderated, dated by submitted_at; and
submitted observations, dated by observed_on. A judgement's grade is the moderator's grade where
the audit was moderated (the grades="moderated" view, the default) or the auditor's own grade
(grades="original"). Grades: 1 Outstanding, 2 Good, 3 Requires improvement, 4 Inadequate, NULL not
applicable (audits) or not observed (observations).
"""

from .choices import (  # noqa: F401
    count_distinct_audits,
    default_period_key,
    earliest_activity_date,
    latest_activity_date,
    month_choices,
    period_choices,
    practice_week_choices,
    programme_choices,
)
from .counted import (  # noqa: F401
    COUNTED_AUDIT_STATUSES,
    GRADES,
    LatestModeration,
    ModeratorsGrade,
    NewerModeration,
    applies_to_audit,
    audit_conditions,
    grade_expression,
    judgements_query,
    month_of,
    observation_conditions,
)
from .drill_down import (  # noqa: F401
    EXPORT_BATCH,
    Selection,
    WithThemes,
    evidence_audits,
    evidence_observations,
    judgement_batches,
    judgements_after,
    lens_judgement_batches,
    lens_judgements_after,
)
from .moderation import (  # noqa: F401
    ModerationFigures,
    moderation_figures,
)
from .rolled import (  # noqa: F401
    DIMENSIONS,
    JudgementFigures,
    changed_judgement_count,
    good_or_better_counts,
    judgement_counts,
    judgement_figures,
    served_by_rollups,
    theme_counts,
    theme_counts_query,
)
from .spread import (  # noqa: F401
    LensFigures,
    SpreadRow,
    domain_label,
    domain_labels,
    domain_order,
    domain_spread,
    domain_spread_of,
    lens_figures,
    lens_spread,
    moderation_changes,
)
from .themes import (  # noqa: F401
    ThemeRow,
    theme_ranking,
)
from .trend import (  # noqa: F401
    TREND_MONTHS,
    Trend,
    good_or_better_by_month,
    trend_window,
)
