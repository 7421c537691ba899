"""Actions for the child: recording them, who sees which, overdue counts, reminders and themes."""

from .actions import (  # noqa: F401
    actions_for,
    add_child_action,
    can_manage,
    history,
    is_overdue,
    mark_done,
    owner_choices,
    workers_of,
)
from .overdue import count_overdue, overdue_actions, overdue_child_actions, sees_all, visible_actions  # noqa: F401
from .themes import ThemeCounts, actions_by_theme  # noqa: F401
