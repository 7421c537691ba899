"""All models, imported here so Alembic and the app see one metadata."""

from . import reporting  # noqa: F401,E402  (indexes for the theme summary)
from .api import ApiToken, ApiTokenUse  # noqa: F401
from .audits import (  # noqa: F401
    AuditProgramme,
    AuditStatus,
    CaseAudit,
    FollowUp,
    FollowUpStatus,
    Judgement,
    ModeratedGrade,
    Moderation,
    ModerationDraft,
    ModerationDraftGrade,
    ModerationOutcome,
    ModerationSample,
    ProgrammeKind,
    SectionNotApplicable,
)
from .briefings import Briefing, BriefingReceipt  # noqa: F401
from .cases import Case, CaseType  # noqa: F401
from .changelog import ChangeLog  # noqa: F401
from .child_actions import ChildAction, ChildActionStatus  # noqa: F401
from .family_voice import FamilyQuote, FamilyVoice  # noqa: F401
from .form_submissions import FormSubmission  # noqa: F401
from .grades import Grade  # noqa: F401
from .notifications import EmailStatus, Notification  # noqa: F401
from .org import Locality, Service, Team  # noqa: F401
from .plan import (  # noqa: F401
    Action,
    ActionLink,
    Indicator,
    IndicatorValue,
    LinkKind,
    Outcome,
    OutcomeMonth,
    Plan,
    PlanMonth,
    Polarity,
    Priority,
    PriorityMonth,
    Rag,
)
from .practice_week import (  # noqa: F401
    Activity,
    ActivityStatus,
    ActivityType,
    Lens,
    LensJudgement,
    Observation,
    ObservationStatus,
    PracticeWeek,
    QuickWin,
)
from .responses import Agreement, AuditResponse, DomainResponse, Resolution  # noqa: F401
from .themes import RejectedSuggestion, Theme, ThemeModel  # noqa: F401
from .tools import AuditTool, Domain, Question, ResponseType, ToolSubject, ToolVersion, VersionStatus  # noqa: F401
from .users import LoginAttempt, RecoveryCode, User, UserRole  # noqa: F401
