"""Moderation's domain logic: plain functions over db.session that routes and tests call directly.

The queue of submitted audits and its filters, random samples, moderating or returning one audit and the
moderator's draft, and the agreement figures between auditors and moderators.
"""

from .agreement_report import (  # noqa: F401
    MONTHS,
    PERIODS,
    AgreementFilters,
    AgreementReport,
    ChangedGrade,
    agreement_report,
    changed_grades,
    period_label,
)
from .drafts import (  # noqa: F401
    DRAFT_FIELDS,
    draft_changes,
    draft_for,
    draft_labels,
    draft_values,
    save_draft,
)
from .moderating import (  # noqa: F401
    GradeDecision,
    ModerationConflict,
    audit_to_moderate,
    check_may_moderate,
    check_open_to,
    completed_moderation,
    graded_judgements,
    is_open_to,
    moderate,
    moderation_errors,
    moderations_of,
    return_to_auditor,
)
from .queue import (  # noqa: F401
    STATUS_FILTERS,
    AuditFilters,
    audits_for_moderation,
    filter_options,
    sampled_audit_ids,
)
from .sampling import (  # noqa: F401
    SampleError,
    awaiting_in_samples,
    sample_audits,
    sample_preview,
    sample_size,
    samples,
    take_sample,
)
