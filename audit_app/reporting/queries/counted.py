"""Which records count and with which grade: the conditions and joins every figure shares."""

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    Domain,
    Judgement,
    ModeratedGrade,
    Moderation,
    Observation,
    ObservationStatus,
    ProgrammeKind,
    Question,
    SectionNotApplicable,
    Team,
    User,
)
from ...models.practice_week import observation_theme
from ..filters import Filters, Period

GRADES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
COUNTED_AUDIT_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def month_of(column):
    """'YYYY-MM' of a UTC timestamp or a date, in SQL."""
    if _dialect() == "postgresql":
        if isinstance(column.type, db.DateTime):
            return func.to_char(func.timezone("UTC", column), "YYYY-MM")
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


# The latest moderation of a moderated audit, and its grade for each judgement: outer-joined, so
# a judgement without a moderator's grade keeps the auditor's.
LatestModeration = aliased(Moderation, name="latest_moderation")
NewerModeration = aliased(Moderation, name="newer_moderation")
ModeratorsGrade = aliased(ModeratedGrade, name="moderators_grade")


def grade_expression(filters: Filters):
    """The grade a judgement counts with: the moderator's on a moderated audit, unless the
    filters ask for the auditors' original grades. Use inside judgements_query(), which joins."""
    if filters.grades == "original":
        return Judgement.grade
    return func.coalesce(ModeratorsGrade.grade, Judgement.grade)


def _join_moderation(query):
    return query.outerjoin(
        LatestModeration,
        and_(
            LatestModeration.audit_id == CaseAudit.id,
            CaseAudit.status == AuditStatus.MODERATED.value,
            ~select(NewerModeration.id)
            .where(NewerModeration.audit_id == LatestModeration.audit_id, NewerModeration.id > LatestModeration.id)
            .exists(),
        ),
    ).outerjoin(
        ModeratorsGrade,
        and_(ModeratorsGrade.moderation_id == LatestModeration.id, ModeratorsGrade.judgement_id == Judgement.id),
    )


def _of_chosen(*pairs) -> list:
    """The conditions of the filters that are chosen, from pairs (the filter's value, its condition)."""
    return [condition for value, condition in pairs if value]


def kind_condition(kind: str):
    """Audits of a kind of programme. A re-audit (reaudit_of_id) counts as kind re-audit whatever its
    programme, and never as its programme's kind; other audits count as their programme's kind."""
    in_kind = CaseAudit.programme_id.in_(select(AuditProgramme.id).where(AuditProgramme.kind == kind))
    if kind == ProgrammeKind.REAUDIT:
        return or_(CaseAudit.reaudit_of_id.is_not(None), in_kind)
    return and_(CaseAudit.reaudit_of_id.is_(None), in_kind)


def audit_conditions(filters: Filters, period: Period | None, case_joined: bool = False) -> list:
    """WHERE clauses on CaseAudit for the filters; `case_joined`: the query joins the audit's Case, so its
    filters are plain conditions on it (else an IN list of every matching case, tens of thousands at scale)."""
    conditions = [CaseAudit.status.in_(COUNTED_AUDIT_STATUSES)]
    if period is not None:
        conditions += [
            CaseAudit.submitted_at >= period.start_datetime(),
            CaseAudit.submitted_at < period.end_datetime(),
        ]
    # Case audits and supervision audits are never counted together: their domains differ.
    conditions.append(CaseAudit.case_id.is_(None) if filters.supervision else CaseAudit.case_id.is_not(None))
    conditions += _of_chosen(
        (filters.programme, CaseAudit.programme_id == filters.programme),
        (filters.programme_kind, kind_condition(filters.programme_kind)),
        (filters.practice_week, CaseAudit.practice_week_id == filters.practice_week),
    )
    if filters.supervision:
        return conditions + _supervisee_team_conditions(filters)
    case_conditions = _of_chosen(
        (filters.locality, Case.locality_id == filters.locality),
        (filters.team, Case.team_id == filters.team),
        (filters.service, Case.team_id.in_(select(Team.id).where(Team.service_id == filters.service))),
        (filters.case_type, Case.case_type == filters.case_type),
    )
    if case_conditions and case_joined:
        return conditions + case_conditions
    if case_conditions:
        conditions.append(CaseAudit.case_id.in_(select(Case.id).where(*case_conditions)))
    return conditions


def _supervisee_team_conditions(filters: Filters) -> list:
    """A supervision audit has no case: its team, locality and service are the supervisee's team's (case type
    does not apply). Two indexed IN lists, so still one query."""
    team_conditions = _of_chosen(
        (filters.team, Team.id == filters.team),
        (filters.locality, Team.locality_id == filters.locality),
        (filters.service, Team.service_id == filters.service),
    )
    if not team_conditions:
        return []
    teams = select(Team.id).where(*team_conditions)
    return [CaseAudit.supervisee_id.in_(select(User.id).where(User.team_id.in_(teams)))]


def with_untagged(observations):
    """A select over Observation, with "untagged" (the observation carries no theme) added, as a subquery for
    joining to its lens judgements. OFFSET 0 keeps PostgreSQL from folding it into that join, so it asks
    whether an observation has a theme once an observation (a few thousand a year), not once a lens judgement
    (half the read's time at scale)."""
    themed = select(observation_theme.c.observation_id).where(observation_theme.c.observation_id == Observation.id)
    return observations.add_columns((~themed.exists()).label("untagged")).offset(0).subquery()


def observation_conditions(filters: Filters, period: Period | None) -> list:
    conditions = [Observation.status == ObservationStatus.SUBMITTED.value]
    if period is not None:
        conditions += [Observation.observed_on >= period.start, Observation.observed_on < period.end]
    return conditions + _of_chosen(
        (filters.practice_week, Observation.practice_week_id == filters.practice_week),
        (filters.team, Observation.team_id == filters.team),
        (filters.service, Observation.service_id == filters.service),
        (filters.locality, Observation.team_id.in_(select(Team.id).where(Team.locality_id == filters.locality))),
        (filters.case_type, Observation.case_id.in_(select(Case.id).where(Case.case_type == filters.case_type))),
    )


def _for_case_type(column):
    """A domain's or question's case types (",cp,care_leaver,", empty for all) take in the audit's case."""
    return or_(column.is_(None), column.like(literal("%,") + Case.case_type + literal(",%")))


def _marked_not_applicable():
    return (
        select(SectionNotApplicable.id)
        .where(
            SectionNotApplicable.audit_id == Judgement.audit_id,
            SectionNotApplicable.domain_key == Judgement.domain_key,
        )
        .exists()
    )


def applies_to_audit():
    """A judgement counts only where its question and section apply to its audit's case type (every one
    does in a supervision audit, which has no case) and its auditor did not mark the section not
    applicable. Correlated to Judgement and CaseAudit."""
    for_case_type = (
        select(Question.id)
        .join(Domain, Domain.id == Question.domain_id)
        .where(
            Question.id == Judgement.question_id,
            Case.id == CaseAudit.case_id,
            _for_case_type(Question.case_types),
            _for_case_type(Domain.case_types),
        )
        .exists()
    )
    return and_(or_(CaseAudit.case_id.is_(None), for_case_type), ~_marked_not_applicable())


def _applies_to_joined_audit():
    """applies_to_audit() as plain conditions on a query that joins each judgement's Question and Domain and
    outer-joins its audit's Case: the EXISTS probes two indexes a judgement, most of a large read's time."""
    for_case_type = and_(_for_case_type(Question.case_types), _for_case_type(Domain.case_types))
    return and_(or_(CaseAudit.case_id.is_(None), for_case_type), ~_marked_not_applicable())


def judgements_query(
    filters: Filters, period: Period | None, *columns, moderation: bool | None = None, joined: bool = False
):
    """Judgements of the audits the filters select, of what applies to each audit; joins the moderator's
    grades when needed. `joined`: also joins each judgement's Question and Domain and outer-joins the
    audit's Case (None for a supervision audit), for reads of raw rows that show them."""
    query = select(*columns).select_from(Judgement).join(CaseAudit, CaseAudit.id == Judgement.audit_id)
    if joined:
        query = (
            query.join(Question, Question.id == Judgement.question_id)
            .join(Domain, Domain.id == Question.domain_id)
            .outerjoin(Case, Case.id == CaseAudit.case_id)
        )
    if filters.grades == "moderated" if moderation is None else moderation:
        query = _join_moderation(query)
    applies = _applies_to_joined_audit() if joined else applies_to_audit()
    return query.where(*audit_conditions(filters, period, case_joined=joined), applies)
