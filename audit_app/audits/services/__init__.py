"""Case audits: My audits, the audit form (one domain per page, autosaved), check your answers,
submit, and the audit's history. Plain functions over db.session; routes call them.

Form field names (the same in the page, the autosave POST and the conflict message):
    q<question id>-grade     "1".."4" or "na"          (grade questions)
    q<question id>-answer    "yes" / "no" / "not_applicable"
    q<question id>-text      free text                 (text questions)
    q<question id>-evidence  the evidence behind the judgement
    q<question id>-themes    theme ids (checkboxes)
    and on the last page ("overall"): overall_grade, strengths, areas_for_improvement,
    audited_alongside_worker, alongside_conversation_on-day/-month/-year (when they talked it through),
    child_and_family_feedback, child_not_safe
"""

from .access import (  # noqa: F401
    NotEditable,
    get_audit,
    is_editable,
    is_overdue,
    my_audits,
    status_counts,
)
from .applicability import (  # noqa: F401
    answered_sections,
    mark_not_applicable,
    sections,
    unmark_not_applicable,
)
from .audit_history import (  # noqa: F401
    history,
)
from .fields import (  # noqa: F401
    GRADE_DESCRIPTORS,
    OVERALL,
    _judgements,
    answers,
    changes_from_form,
    current_values,
    date_boxes,
    load_default_themes,
    themes_for_form,
)
from .limits import (  # noqa: F401
    EVIDENCE_MAX,
    NOT_APPLICABLE_REASON_MAX,
    NOT_CONTACTED_REASON_MAX,
    QUOTE_MAX,
    TEXT_MAX,
    TooLong,
    limit_for,
)
from .pages import (  # noqa: F401
    next_page_key,
    page_for,
    pages,
    remember_page,
    resume_page_key,
    save_page,
)
from .sharing import (  # noqa: F401
    is_shared_with,
    shared_audits,
    shared_statuses,
    sharing_condition,
)
from .submission import (  # noqa: F401
    answered_page_problems,
    inline_hint_fields,
    returned_about,
    returned_comments,
    submit,
    too_long_on_page,
    validate,
)
