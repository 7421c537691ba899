"""The improvement plan's domain logic: plain functions over db.session that tests call directly.

The effective RAG of an action (an open action past its due date is Red whatever was entered) is
decided in one place, Action.effective_rag (models/plan.py), in Python and in SQL alike.
"""

from .actions import (  # noqa: F401
    LINK_ARGUMENTS,
    LINK_KIND_LABELS,
    ActionFilters,
    LinkSource,
    action_for,
    action_owners,
    actions,
    assignable_users,
    can_update_progress,
    can_view_action,
    create_action,
    link_labels,
    my_actions,
    rag_counts,
    resolve_link,
    resolve_link_arguments,
    suggested_description,
    update_action,
    update_progress,
)
from .board import (  # noqa: F401
    BoardReport,
    board_report,
)
from .closing_the_loop import (  # noqa: F401
    MODERATED_GRADES,
    SMALL_N,
    LoopComparison,
    PeriodFigures,
    closing_the_loop,
    domain_comparison,
    reaudit_loop,
    theme_comparison,
)
from .indicators import (  # noqa: F401
    NOTE_MAX,
    Direction,
    IndicatorRow,
    direction_of_travel,
    format_value,
    import_indicator_values,
    indicator_table,
    parse_indicator_value,
    set_indicator_value,
)
from .months import (  # noqa: F401
    add_months,
    current_plan,
    current_plan_or_404,
    first_of_month,
    latest_reported_month,
    month_choices,
    parse_month,
    plan_months,
)
from .rag import (  # noqa: F401
    FIELD_LABELS,
    change_history,
    outcome_month,
    outcome_rows,
    plan_month,
    priority_history,
    priority_month,
    priority_rags,
    record_outcome_month,
    record_plan_month,
    record_priority_month,
    suggested_overall_rag,
)
