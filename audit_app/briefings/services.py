"""Learning briefings: drafts, publication to services and teams, and who has read and acknowledged them."""

from flask import abort, url_for
from sqlalchemy import Select, and_, case, exists, false, func, or_, select, true

from ..autosave import SaveResult, save_with_version
from ..case_references import case_references_in
from ..changelog import log_change
from ..extensions import db
from ..history import record_history
from ..models import Briefing, BriefingReceipt, Service, Team, User, UserRole
from ..models.base import utcnow
from ..models.briefings import briefing_service, briefing_team
from ..notifications.services import notify
from ..permissions import Permission, Role
from ..reporting.filters import Filters
from ..reporting.findings import key_findings

TEXT_FIELDS = ("title", "key_findings", "what_good_looks_like", "good_practice_examples")
FIELD_NAMES = {
    "title": "The title",
    "key_findings": "Key findings",
    "what_good_looks_like": "What good looks like",
    "good_practice_examples": "Examples of good practice",
}
# The people a briefing is published to: social workers and team managers, through their team.
AUDIENCE_ROLES = (Role.PRACTITIONER.value, Role.TEAM_MANAGER.value)


def manages(user) -> bool:
    return user.can(Permission.MANAGE_BRIEFINGS)


def _in_audience_roles():
    return exists().where(UserRole.user_id == User.id, UserRole.role.in_(AUDIENCE_ROLES))


def _reaches_team(team_id_column):
    """The briefing (correlated) is published to this team, or to the team's service."""
    to_team = exists().where(briefing_team.c.briefing_id == Briefing.id, briefing_team.c.team_id == team_id_column)
    to_service = exists().where(
        briefing_service.c.briefing_id == Briefing.id,
        briefing_service.c.service_id == Team.service_id,
        Team.id == team_id_column,
    )
    return or_(to_team, to_service)


def _sees_every_published(user) -> bool:
    """The QA team and senior managers read every published briefing, whoever it was for."""
    return bool(user.roles & {Role.QA_LEAD, Role.SENIOR_MANAGER, Role.AUDITOR})


def visible_condition(user):
    if manages(user):
        return true()
    published = Briefing.status == "published"
    if _sees_every_published(user):
        return published
    if user.team_id is None or not (user.roles & {Role.PRACTITIONER, Role.TEAM_MANAGER}):
        return false()
    return and_(published, _reaches_team(user.team_id))


def visible_briefings(user) -> list[Briefing]:
    """Newest first; drafts only for those who write briefings."""
    query = select(Briefing).where(visible_condition(user))
    return list(db.session.scalars(query.order_by(Briefing.published_at.desc().nulls_first(), Briefing.id.desc())))


def briefing_for(briefing_id: int, user) -> Briefing:
    """The briefing if this person may read it: 404 when there is none, 403 when it is not for them."""
    found = db.get_or_404(Briefing, briefing_id)
    if not db.session.scalar(select(Briefing.id).where(Briefing.id == briefing_id, visible_condition(user))):
        abort(403)
    return found


def briefings_for_home(user, limit: int = 5) -> list[tuple[Briefing, bool]]:
    """The published briefings meant for this person's team, unread first, with whether they have read each."""
    if user.team_id is None or not (user.roles & {Role.PRACTITIONER, Role.TEAM_MANAGER}):
        return []
    read = exists().where(BriefingReceipt.briefing_id == Briefing.id, BriefingReceipt.user_id == user.id)
    query = (
        select(Briefing, read)
        .where(Briefing.status == "published", _reaches_team(user.team_id))
        .order_by(read, Briefing.published_at.desc(), Briefing.id.desc())
        .limit(limit)
    )
    return [(briefing, bool(was_read)) for briefing, was_read in db.session.execute(query)]


def case_reference_problems(fields: dict) -> list[tuple[str, str]]:
    """(field, message) for each field holding something shaped like a case reference."""
    problems = []
    for name in TEXT_FIELDS:
        found = case_references_in(fields.get(name))
        if found:
            shown = ", ".join(found[:3])
            problems.append(
                (
                    name,
                    f"{FIELD_NAMES[name]} must not hold a case reference: remove {shown}. "
                    "A briefing goes to many staff, so describe the practice, not the case",
                )
            )
    return problems


def create_briefing(*, created_by: User, programme_id: int | None = None, **fields) -> Briefing:
    briefing = Briefing(created_by_id=created_by.id, programme_id=programme_id, status="draft")
    _set_text(briefing, fields)
    db.session.add(briefing)
    return briefing


def update_briefing(briefing: Briefing, client_version, **fields) -> SaveResult:
    """Save an edit made on the copy at `client_version`; an older copy is refused with both texts, so
    neither person's words are lost (audit_app/autosave.py)."""
    changes = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    return save_with_version(
        briefing,
        client_version,
        changes,
        apply=_set_text,
        current=lambda record: {name: getattr(record, name) or "" for name in TEXT_FIELDS},
        labels=FIELD_NAMES,
    )


def _set_text(briefing: Briefing, fields: dict) -> None:
    for name in TEXT_FIELDS:
        value = (fields.get(name) or "").strip()
        setattr(briefing, name, value or None if name == "good_practice_examples" else value)


def audience_names(briefing: Briefing) -> str:
    return ", ".join([str(s) for s in briefing.services] + [str(t) for t in briefing.teams]) or "nobody"


def publish(briefing: Briefing, *, services: list[Service], teams: list[Team]) -> int:
    """Publish (or widen the audience of) a briefing, and tell everyone it now reaches; returns how many were told.
    Each person is told once per briefing, however often it is published."""
    old_audience = audience_names(briefing)
    briefing.services, briefing.teams = services, teams
    db.session.flush()
    log_change(db.session, briefing, "audience", old_audience, audience_names(briefing))
    if not briefing.is_published:
        briefing.status, briefing.published_at = "published", utcnow()
    told = notify(
        audience(briefing),
        "briefing",
        "A learning briefing from audit has been published for your team",
        url_for("briefings.briefing", briefing_id=briefing.id),
        dedupe_key=f"briefing-{briefing.id}",
    )
    db.session.commit()
    return told


def _audience_query(briefing: Briefing) -> Select:
    reaches = or_(
        User.team_id.in_(select(briefing_team.c.team_id).where(briefing_team.c.briefing_id == briefing.id)),
        User.team_id.in_(
            select(Team.id)
            .join(briefing_service, briefing_service.c.service_id == Team.service_id)
            .where(briefing_service.c.briefing_id == briefing.id)
        ),
    )
    return select(User).where(User.is_enabled, _in_audience_roles(), reaches)


def audience(briefing: Briefing) -> list[User]:
    return list(db.session.scalars(_audience_query(briefing)))


def receipt_of(briefing: Briefing, user) -> BriefingReceipt | None:
    return db.session.scalar(
        select(BriefingReceipt).where(BriefingReceipt.briefing_id == briefing.id, BriefingReceipt.user_id == user.id)
    )


def is_for(briefing: Briefing, user) -> bool:
    """Whether the briefing was published to this person's team (they may acknowledge it)."""
    if not briefing.is_published:
        return False
    return bool(db.session.scalar(select(_audience_query(briefing).where(User.id == user.id).exists())))


def mark_read(briefing: Briefing, user) -> BriefingReceipt | None:
    """Note the first time someone it was published to opens it."""
    receipt = receipt_of(briefing, user)
    if receipt is None and is_for(briefing, user):
        receipt = BriefingReceipt(briefing_id=briefing.id, user_id=user.id, read_at=utcnow())
        db.session.add(receipt)
        db.session.commit()
    return receipt


def acknowledge(briefing: Briefing, user) -> bool:
    """Record that they have read it and will use it; once only. False when it was not for them."""
    receipt = mark_read(briefing, user)
    if receipt is None:
        return False
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at = utcnow()
        db.session.commit()
    return True


def _audience_and_receipt(briefing: Briefing):
    """The people a briefing reaches (a subquery) and the condition joining each to their receipt."""
    people = _audience_query(briefing).subquery()
    return people, and_(BriefingReceipt.briefing_id == briefing.id, BriefingReceipt.user_id == people.c.id)


def readers_by_team(briefing: Briefing) -> list:
    """Per team the briefing reaches: audience, read and acknowledged, counted in SQL."""
    people, receipt = _audience_and_receipt(briefing)
    query = (
        select(
            Team.name.label("team"),
            func.count(people.c.id).label("audience"),
            func.count(BriefingReceipt.read_at).label("read"),
            func.count(BriefingReceipt.acknowledged_at).label("acknowledged"),
        )
        .join(people, people.c.team_id == Team.id)
        .outerjoin(BriefingReceipt, receipt)
        .group_by(Team.name)
        .order_by(Team.name)
    )
    return list(db.session.execute(query))


def not_acknowledged(briefing: Briefing) -> list:
    """The people it reaches who have not acknowledged it, by team, with whether they have opened it."""
    people, receipt = _audience_and_receipt(briefing)
    query = (
        select(
            Team.name.label("team"),
            people.c.display_name.label("name"),
            case((BriefingReceipt.id.is_(None), False), else_=True).label("opened"),
        )
        .join(people, people.c.team_id == Team.id)
        .outerjoin(BriefingReceipt, receipt)
        .where(BriefingReceipt.acknowledged_at.is_(None))
        .order_by(Team.name, people.c.display_name)
    )
    return list(db.session.execute(query))


def findings_text(filters: Filters) -> str:
    """The theme summary's key findings for these filters, as paragraphs to start a briefing from."""
    found = key_findings(filters)
    lines = [f"Strength: {f.sentence}" for f in found["strengths"]]
    lines += [f"Area for improvement: {f.sentence}" for f in found["areas"]]
    return "\n\n".join(lines)


def history(briefing: Briefing):
    return record_history([("briefing", briefing.id)])
