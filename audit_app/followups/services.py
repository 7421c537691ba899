"""Immediate follow-ups of inadequate practice or a child not safe, from an audit OR an observation.

Stable interface (the practice-week observation form calls these too):

    from audit_app.followups import services as followups
    from audit_app.followups.forms import FollowUpForm      # fields: action_required, owner_id, due_date

    followups.needs_follow_up(source) -> bool
        True when the source cannot be submitted without an open or done follow-up:
        an audit with an Inadequate judgement, an Inadequate overall grade or the child flagged as
        not safe; an observation with an Inadequate lens judgement or an immediate concern.
    followups.missing_follow_up(source) -> bool      needs_follow_up(source) and none recorded yet
    followups.follow_ups_for(source) -> list[FollowUp]
    followups.add_follow_up(source, action_required=..., owner_id=..., due_date=..., created_by=user) -> FollowUp
        Records one follow-up for the source (case copied from it). Idempotent: the same action, owner
        and due date for the same source returns the existing follow-up (a double tap creates one).
    followups.owner_choices() -> [(user id, name)]   enabled senior managers and QA leads, then others
    followups.open_follow_ups(user) -> list[FollowUp] senior managers / QA leads: every open one;
                                                     everyone else: the ones they own. Oldest due first.
    followups.is_overdue(follow_up, today=None) -> bool
    followups.mark_done(follow_up, user, note=None)  only the owner or someone who sees all (else PermissionError)

Templates:
    templates/followups/_fields.html   the form's fields; include with `follow_up_form` in context
                                       inside your own <form> (it does not render the <form> tag)
    templates/followups/_list.html     a table of follow-ups (`follow_ups`), overdue marked, with
                                       "Mark as done" buttons posting to followups.mark_done
Routes: followups.index (GET /follow-ups) and followups.mark_done (POST /follow-ups/<id>/done,
with `next` to come back). The home panel is registered here.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..idempotency import create_once
from ..models import CaseAudit, FollowUp, FollowUpStatus, Grade, User
from ..models.base import utcnow
from ..models.users import UserRole
from ..permissions import Permission, Role


def _is_audit(source) -> bool:
    return isinstance(source, CaseAudit)


def needs_follow_up(source) -> bool:
    if _is_audit(source):
        return bool(
            source.child_not_safe
            or source.overall_grade == Grade.INADEQUATE
            or any(j.grade == Grade.INADEQUATE for j in source.judgements)
        )
    return bool(
        getattr(source, "immediate_concern", False)
        or any(getattr(j, "grade", None) == Grade.INADEQUATE for j in getattr(source, "judgements", []))
    )


def _source_filter(source):
    return FollowUp.audit_id == source.id if _is_audit(source) else FollowUp.observation_id == source.id


# What a list of follow-ups shows of each: loaded with the list, a few queries whatever its length.
LISTED = (
    selectinload(FollowUp.owner),
    selectinload(FollowUp.case),
    selectinload(FollowUp.audit).options(
        selectinload(CaseAudit.case), selectinload(CaseAudit.supervisor), selectinload(CaseAudit.supervisee)
    ),
)


def follow_ups_for(source) -> list[FollowUp]:
    query = select(FollowUp).where(_source_filter(source)).options(*LISTED).order_by(FollowUp.id)
    return list(db.session.scalars(query))


def missing_follow_up(source) -> bool:
    return needs_follow_up(source) and not follow_ups_for(source)


def add_follow_up(
    source, *, action_required: str, owner_id: int, due_date: date, created_by=None, form_token=None
) -> FollowUp:
    """The follow-up, once: the same one posted again (a double tap, a reload, its form's token seen
    before, two requests at once) is the one already recorded."""
    action_required = action_required.strip()

    def existing():
        return db.session.scalar(
            select(FollowUp).where(
                _source_filter(source),
                FollowUp.action_required == action_required,
                FollowUp.owner_id == owner_id,
                FollowUp.due_date == due_date,
            )
        )

    def create():
        follow_up = FollowUp(
            action_required=action_required,
            owner_id=owner_id,
            due_date=due_date,
            case_id=getattr(source, "case_id", None),
            created_by_id=created_by.id if created_by is not None else None,
            status=FollowUpStatus.OPEN.value,
        )
        if _is_audit(source):
            follow_up.audit_id = source.id
        else:
            follow_up.observation_id = source.id
        db.session.add(follow_up)
        db.session.commit()
        return follow_up

    return create_once(FollowUp, create, token=form_token, find_existing=existing)[0]


def owner_choices() -> list[tuple[int, str]]:
    managers = (
        select(UserRole.user_id)
        .where(UserRole.role.in_([Role.SENIOR_MANAGER.value, Role.QA_LEAD.value]))
        .scalar_subquery()
    )
    people = db.session.execute(
        select(User.id, User.display_name, User.id.in_(managers).label("manager"))
        .where(User.is_enabled.is_(True))
        .order_by(User.id.in_(managers).desc(), User.display_name)
    ).all()
    return [(p.id, p.display_name) for p in people]


def sees_all(user) -> bool:
    return user.can(Permission.VIEW_ALL_FOLLOW_UPS)


def open_follow_ups(user, limit: int | None = None) -> list[FollowUp]:
    query = select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN.value).options(*LISTED)
    if not sees_all(user):
        query = query.where(FollowUp.owner_id == user.id)
    query = query.order_by(FollowUp.due_date, FollowUp.id)
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def count_open(user) -> tuple[int, int]:
    """(open, overdue) follow-ups the person sees, counted in SQL."""
    from sqlalchemy import case, func

    query = select(
        func.count(FollowUp.id), func.coalesce(func.sum(case((FollowUp.due_date < date.today(), 1), else_=0)), 0)
    ).where(FollowUp.status == FollowUpStatus.OPEN.value)
    if not sees_all(user):
        query = query.where(FollowUp.owner_id == user.id)
    total, overdue = db.session.execute(query).one()
    return int(total), int(overdue)


def is_overdue(follow_up: FollowUp, today: date | None = None) -> bool:
    return follow_up.status == FollowUpStatus.OPEN and follow_up.due_date < (today or date.today())


def mark_done(follow_up: FollowUp, user, note: str | None = None) -> None:
    if follow_up.owner_id != user.id and not sees_all(user):
        raise PermissionError("Only the owner or a senior manager can mark this follow-up as done")
    if follow_up.status == FollowUpStatus.DONE:
        return  # a repeated tap changes nothing
    follow_up.status = FollowUpStatus.DONE.value
    follow_up.done_at = utcnow()
    follow_up.done_note = (note or "").strip() or None
    db.session.commit()
