"""Practitioners' services: sharing an audit, the worker's response and its due date, the lists for the
worker and the team manager, and disagreements resolved by moderators."""

from .disagreements import (  # noqa: F401
    disagreement_for_moderator,
    open_disagreements,
    resolvable,
    resolve,
)
from .lists import (  # noqa: F401
    SharedAuditRow,
    shared_audit_rows,
)
from .responses import (  # noqa: F401
    graded_domains,
    may_respond,
    response_for,
    response_summary,
    submit_response,
)
from .sharing import (  # noqa: F401
    add_working_days,
    response_due_on,
    responses_due,
    share_audit,
)
