"""Practice weeks: the week and its schedule, observers' bookings, observations, and the week's summary.

Plain functions over db.session; routes and tests call them alike. Every figure in the summary is
counted by the database (GROUP BY), never by looping over rows in Python.
"""

from ...templating import UK, local_time  # noqa: F401
from .form_mapping import (  # noqa: F401
    GRADE_VALUES,
    grade_problems,
    values_from_form,
    without_invalid,
)
from .inputs import (  # noqa: F401
    CHANGE_LABELS,
    LENS_KEYS,
    NOT_OBSERVED,
    ObservationInput,
    QuickWinInput,
    display_change,
    grade_choice,
    input_as_changes,
    values_from,
)
from .observations import (  # noqa: F401
    FOLLOW_UP_FIELD,
    RECORD_LABELS,
    active_themes,
    answered_problems,
    apply_input,
    can_edit,
    can_read,
    find_case,
    input_problems,
    observation_for_form,
    observation_history,
    save_observation,
    start_observation,
    submission_problems,
    submit,
    week_observations,
)
from .schedule import (  # noqa: F401
    Booking,
    all_weeks,
    is_final,
    my_bookings,
    observers,
    open_bookings_count,
    previous_week,
    save_activity,
    save_week,
    schedule,
    teams,
    uk_datetime,
    week_counts,
    week_dates,
)
from .summary import (  # noqa: F401
    AUDIT_COUNTED,
    SUBMITTED,
    ComparisonRow,
    ProgressRow,
    QuickWinGroup,
    Quote,
    Spread,
    comparison,
    findings,
    headline_findings,
    headline_quick_wins,
    lens_spread,
    progress,
    quick_win_groups,
)
