"""factory-boy factories for every model. Objects are committed, as the app would commit them."""

from datetime import UTC, datetime

import factory
import pyotp
from factory.alchemy import SQLAlchemyModelFactory

from audit_app.extensions import db
from audit_app.models import (
    Case,
    CaseType,
    FamilyQuote,
    FamilyVoice,
    Locality,
    Notification,
    Service,
    Team,
    Theme,
    User,
)
from audit_app.permissions import Role

PASSWORD = "correct-horse-battery"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class LocalityFactory(BaseFactory):
    class Meta:
        model = Locality

    name = factory.Sequence(lambda n: f"Locality {n}")


class ServiceFactory(BaseFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service {n}")


class TeamFactory(BaseFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    locality = factory.SubFactory(LocalityFactory)
    service = factory.SubFactory(ServiceFactory)


class CaseFactory(BaseFactory):
    class Meta:
        model = Case

    case_reference = factory.Sequence(lambda n: f"CMS{100000 + n}")
    case_type = CaseType.CIN.value
    team = factory.SubFactory(TeamFactory)
    locality = factory.SelfAttribute("team.locality")
    allocated_worker_ref = factory.Sequence(lambda n: f"SW{1000 + n}")


class ThemeFactory(BaseFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    is_enabled = True
    password_hash = factory.LazyFunction(lambda: _password_hash())

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        user.roles = extracted or [Role.AUDITOR]
        if Role.ADMIN in user.roles:
            # Administrators must have a second factor (audit_app/auth/mfa.py), as they would in production.
            user.totp_secret = pyotp.random_base32()
            user.totp_confirmed_at = datetime.now(UTC)
        if create:
            db.session.commit()


_HASH_CACHE: dict[str, str] = {}


def _password_hash() -> str:
    # Hashing is deliberately slow; one hash serves every test user.
    if PASSWORD not in _HASH_CACHE:
        from werkzeug.security import generate_password_hash

        _HASH_CACHE[PASSWORD] = generate_password_hash(PASSWORD)
    return _HASH_CACHE[PASSWORD]


def user_with(*roles: Role, **kwargs) -> User:
    return UserFactory(roles=list(roles), **kwargs)


# --- Audit tools, audits, moderation, follow-ups --------------------------------------------

import datetime as _dt  # noqa: E402

from audit_app.models import (  # noqa: E402
    Activity,
    ActivityType,
    AuditProgramme,
    AuditStatus,
    AuditTool,
    CaseAudit,
    ChildAction,
    Domain,
    FollowUp,
    Judgement,
    LensJudgement,
    ModeratedGrade,
    Moderation,
    Observation,
    ObservationStatus,
    PracticeWeek,
    Question,
    QuickWin,
    ResponseType,
    ToolVersion,
    VersionStatus,
)


class AuditToolFactory(BaseFactory):
    class Meta:
        model = AuditTool

    name = factory.Sequence(lambda n: f"Case audit tool {n}")


class ToolVersionFactory(BaseFactory):
    class Meta:
        model = ToolVersion

    tool = factory.SubFactory(AuditToolFactory)
    number = 1
    status = VersionStatus.PUBLISHED.value


class DomainFactory(BaseFactory):
    class Meta:
        model = Domain

    version = factory.SubFactory(ToolVersionFactory)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"domain_{n}")
    title = factory.Sequence(lambda n: f"Domain {n}")


class QuestionFactory(BaseFactory):
    class Meta:
        model = Question

    domain = factory.SubFactory(DomainFactory)
    position = factory.Sequence(lambda n: n)
    key = factory.Sequence(lambda n: f"question_{n}")
    text = factory.Sequence(lambda n: f"How good is practice {n}?")
    response_type = ResponseType.GRADE.value


def published_tool(domain_keys=("assessment_quality", "voice_of_child", "management_oversight")) -> ToolVersion:
    """A published version with one grade question per domain, keys as given."""
    version = ToolVersionFactory()
    for position, key in enumerate(domain_keys):
        domain = DomainFactory(version=version, position=position, key=key, title=key.replace("_", " ").capitalize())
        QuestionFactory(domain=domain, position=0, key=f"{key}_grade", text=f"Grade for {domain.title}")
    db.session.refresh(version)
    return version


class AuditProgrammeFactory(BaseFactory):
    class Meta:
        model = AuditProgramme

    name = factory.Sequence(lambda n: f"Monthly audit {n}")
    focus = "Front Door"
    period_start = _dt.date(2021, 10, 1)
    period_end = _dt.date(2021, 10, 31)
    due_date = _dt.date(2021, 11, 15)
    tool_version = factory.SubFactory(ToolVersionFactory)


class CaseAuditFactory(BaseFactory):
    class Meta:
        model = CaseAudit

    case = factory.SubFactory(CaseFactory)
    tool_version = factory.SubFactory(ToolVersionFactory)
    auditor = factory.SubFactory(UserFactory)
    status = AuditStatus.NOT_STARTED.value
    due_date = _dt.date(2021, 11, 15)


class JudgementFactory(BaseFactory):
    class Meta:
        model = Judgement

    audit = factory.SubFactory(CaseAuditFactory)
    question = factory.SubFactory(QuestionFactory)
    domain_key = factory.LazyAttribute(lambda j: j.question.domain.key)
    grade = 2
    evidence = "Evidence seen on the file."


def submitted_audit(
    version: ToolVersion, grades: dict[str, int | None], overall: int = 2, submitted_at=None, **kwargs
) -> CaseAudit:
    """A submitted audit of `version` with the given grade per domain key."""
    audit = CaseAuditFactory(
        tool_version=version,
        status=AuditStatus.SUBMITTED.value,
        overall_grade=overall,
        submitted_at=submitted_at or _dt.datetime(2021, 10, 20, 10, 0, tzinfo=_dt.UTC),
        **kwargs,
    )
    questions = {d.key: d.questions[0] for d in version.domains}
    for key, grade in grades.items():
        JudgementFactory(audit=audit, question=questions[key], domain_key=key, grade=grade)
    db.session.refresh(audit)
    return audit


class ModerationFactory(BaseFactory):
    class Meta:
        model = Moderation

    audit = factory.SubFactory(CaseAuditFactory)
    moderator = factory.SubFactory(UserFactory)


class ModeratedGradeFactory(BaseFactory):
    class Meta:
        model = ModeratedGrade

    moderation = factory.SubFactory(ModerationFactory)
    judgement = factory.SubFactory(JudgementFactory)
    grade = 2


class FollowUpFactory(BaseFactory):
    class Meta:
        model = FollowUp

    audit = factory.SubFactory(CaseAuditFactory)
    case = factory.SelfAttribute("audit.case")
    action_required = "Team manager to review the safety plan today."
    owner = factory.SubFactory(UserFactory)
    due_date = _dt.date(2021, 10, 22)


class ChildActionFactory(BaseFactory):
    """An open action for the child on a submitted audit, by a person named in words unless an owner is given."""

    class Meta:
        model = ChildAction

    audit = factory.SubFactory(CaseAuditFactory, status=AuditStatus.SUBMITTED.value)
    case = factory.SelfAttribute("audit.case")
    description = "Review the safety plan with the child and their carer."
    owner_name = "IRO"
    due_date = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=14))
    agreed_with_worker = True


# --- Practice weeks and observations -------------------------------------------------------


class PracticeWeekFactory(BaseFactory):
    class Meta:
        model = PracticeWeek

    title = factory.Sequence(lambda n: f"Practice week {n}")
    starts_on = _dt.date(2021, 10, 4)
    ends_on = _dt.date(2021, 10, 8)
    focus = "The Front Door"


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    week = factory.SubFactory(PracticeWeekFactory)
    starts_at = _dt.datetime(2021, 10, 4, 10, 0, tzinfo=_dt.UTC)
    activity_type = ActivityType.STRATEGY_MEETING.value
    team = factory.SubFactory(TeamFactory)
    observer = factory.SubFactory(UserFactory)


def icpc_booking() -> Activity:
    """An ICPC on 5 October 2021 in the second practice week, booked for a senior manager to observe."""
    week = PracticeWeekFactory(title="Second practice week")
    observer = user_with(Role.SENIOR_MANAGER, display_name="Morgan Manager")
    starts_at = _dt.datetime(2021, 10, 5, 9, 0, tzinfo=_dt.UTC)
    return ActivityFactory(week=week, observer=observer, activity_type="icpc", starts_at=starts_at)


class ObservationFactory(BaseFactory):
    class Meta:
        model = Observation

    week = factory.SubFactory(PracticeWeekFactory)
    observer = factory.SubFactory(UserFactory)
    activity_type = ActivityType.STRATEGY_MEETING.value
    team = factory.SubFactory(TeamFactory)
    service = factory.SelfAttribute("team.service")
    observed_on = _dt.date(2021, 10, 5)
    status = ObservationStatus.SUBMITTED.value


class LensJudgementFactory(BaseFactory):
    class Meta:
        model = LensJudgement

    observation = factory.SubFactory(ObservationFactory)
    lens = "voice_of_child"
    grade = 2
    note = "The child's views were sought before the meeting."


class QuickWinFactory(BaseFactory):
    class Meta:
        model = QuickWin

    observation = factory.SubFactory(ObservationFactory)
    text = "Share the meeting agenda with parents the day before."


# --- Improvement plan ------------------------------------------------------------------------

from audit_app.models import Action, Indicator, Outcome, Plan, Priority  # noqa: E402


class PlanFactory(BaseFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    first_month = _dt.date(2021, 9, 1)
    last_month = _dt.date(2022, 3, 1)


class PriorityFactory(BaseFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")
    sponsor = "Sponsor Name"
    lead = "Lead Name"
    vision = "Every child is heard."


class OutcomeFactory(BaseFactory):
    class Meta:
        model = Outcome

    priority = factory.SubFactory(PriorityFactory)
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Expected outcome {n}")


class ActionFactory(BaseFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=30))
    started_on = _dt.date(2021, 10, 1)
    rag = "green"


class IndicatorFactory(BaseFactory):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n)
    area = "Child Protection"
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "%"
    polarity = "higher"
    england_average = "83%"
    good_la_comparator = "91%"


class NotificationFactory(BaseFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "audit_shared"
    subject = "An audit of a case allocated to you has been shared with you"
    link = "/"


class FamilyVoiceFactory(BaseFactory):
    class Meta:
        model = FamilyVoice

    contacted_child = True
    contact_method = "visit"
    consent_recorded = True


class FamilyQuoteFactory(BaseFactory):
    class Meta:
        model = FamilyQuote

    position = factory.Sequence(lambda n: n % 3 + 1)
    text = "My worker listened to me."
