"""Actions: what raised them, creating and updating them, who may see them, and listing them."""

from dataclasses import dataclass
from datetime import date

from flask import abort, url_for
from sqlalchemy import func, select

from ...changelog import log_change
from ...dates import long_date
from ...extensions import db
from ...models import (
    Action,
    ActionLink,
    CaseAudit,
    Domain,
    Judgement,
    LinkKind,
    Observation,
    Outcome,
    Plan,
    Priority,
    QuickWin,
    Rag,
    Theme,
    User,
)
from ...notifications.services import notify
from ...parsing import parse_id
from ...permissions import Permission
from ...reporting import queries

# Query arguments of plan.new_action -> the kind of link they make.
LINK_ARGUMENTS = {
    "theme_id": LinkKind.THEME,
    "domain_key": LinkKind.DOMAIN,
    "judgement_id": LinkKind.JUDGEMENT,
    "audit_id": LinkKind.AUDIT,
    "observation_id": LinkKind.OBSERVATION,
    "quick_win_id": LinkKind.QUICK_WIN,
    "comparison": LinkKind.COMPARISON,
}


LINK_KIND_LABELS = {
    LinkKind.THEME: "Theme",
    LinkKind.DOMAIN: "Audit domain",
    LinkKind.JUDGEMENT: "Audit finding",
    LinkKind.AUDIT: "Case audit",
    LinkKind.OBSERVATION: "Practice-week observation",
    LinkKind.QUICK_WIN: "Quick win",
    LinkKind.COMPARISON: "Comparison",
}


@dataclass
class LinkSource:
    kind: LinkKind
    source_id: int | None
    source_key: str | None
    label: str  # what a person reads: "Theme: Voice of the child"
    suggestion: str  # a starting description for the action
    url: str | None = None  # where to see what raised it (the comparison)


def _domain_link(value) -> LinkSource | None:
    """A link to an audit domain, by key: one a tool has or a judgement was given under."""
    key = str(value or "").strip()
    known = key and (
        db.session.scalar(select(Domain.id).where(Domain.key == key).limit(1))
        or db.session.scalar(select(Judgement.id).where(Judgement.domain_key == key).limit(1))
    )
    if not known:
        return None
    title = queries.domain_label(key)
    return LinkSource(LinkKind.DOMAIN, None, key, f"Audit domain: {title}", f"Improve practice in {title.lower()}.")


def _judgement_words(judgement: Judgement) -> tuple[str | None, str, str]:
    title = queries.domain_label(judgement.domain_key)
    finding = judgement.evidence or judgement.text or ""
    label = f"Audit finding: {title} in the audit of {judgement.audit.subject_label}"
    return judgement.domain_key, label, f"{title}: {finding}".strip().rstrip(":")


# The records a link names by id: the model, and the record's (source key, label, suggestion).
_RECORD_LINKS = {
    LinkKind.THEME: (Theme, lambda theme: (None, f"Theme: {theme.name}", f"Improve practice on {theme.name.lower()}.")),
    LinkKind.JUDGEMENT: (Judgement, _judgement_words),
    LinkKind.AUDIT: (
        CaseAudit,
        lambda audit: (
            None,
            f"{'Audit' if audit.is_supervision else 'Case audit'} of {audit.subject_label}",
            audit.areas_for_improvement or "",
        ),
    ),
    LinkKind.OBSERVATION: (
        Observation,
        lambda observation: (
            None,
            f"Observation on {long_date(observation.observed_on)}",
            observation.needs_to_improve or "",
        ),
    ),
    LinkKind.QUICK_WIN: (QuickWin, lambda quick_win: (None, f"Quick win: {quick_win.text}", quick_win.text)),
}


def _comparison_link(value) -> LinkSource | None:
    from ...compare.links import describe  # the comparison reads the plan's links, not the other way round

    found = describe(value)
    if found is None:
        return None
    return LinkSource(LinkKind.COMPARISON, None, str(value), found.label, found.suggestion, found.url)


def resolve_link(kind: LinkKind, value) -> LinkSource | None:
    """The record a link points at, described; None when there is no such record."""
    kind = LinkKind(kind)
    if kind == LinkKind.DOMAIN:
        return _domain_link(value)
    if kind == LinkKind.COMPARISON:
        return _comparison_link(value)
    source_id = parse_id(value)
    if source_id is None or kind not in _RECORD_LINKS:
        return None
    model, describe = _RECORD_LINKS[kind]
    record = db.session.get(model, source_id)
    return LinkSource(kind, source_id, *describe(record)) if record is not None else None


def resolve_link_arguments(arguments) -> tuple[list[LinkSource], list[str]]:
    """The links named by plan.new_action's query arguments, and the names of those that match nothing."""
    sources, missing = [], []
    for name, kind in LINK_ARGUMENTS.items():
        value = arguments.get(name)
        if value in (None, ""):
            continue
        source = resolve_link(kind, value)
        if source is None:
            missing.append(name)
        else:
            sources.append(source)
    return sources, missing


def suggested_description(sources: list[LinkSource]) -> str:
    return "\n".join(s.suggestion for s in sources if s.suggestion)


def create_action(
    priority_or_outcome: Priority | Outcome,
    description: str,
    owner: User,
    due_date: date,
    links=(),
    rag: str = Rag.GREEN.value,
    started_on: date | None = None,
    created_by: User | None = None,
    tell_owner: bool = True,
) -> Action:
    """A new action under a priority (or one of its expected outcomes), keeping what raised it. An owner
    other than the person creating it is told (unless tell_owner is False, as for demo data).

    `links` is a mapping of new_action's query arguments ({"theme_id": 3, "domain_key": "voice_of_child"})
    or a list of LinkSource. A link to a record that does not exist raises ValueError.
    """
    if isinstance(priority_or_outcome, Outcome):
        priority, outcome = priority_or_outcome.priority, priority_or_outcome
    else:
        priority, outcome = priority_or_outcome, None
    if isinstance(links, dict):
        sources, missing = resolve_link_arguments(links)
        if missing:
            raise ValueError(f"No record for {', '.join(missing)}")
    else:
        sources = list(links)
    action = Action(
        priority=priority,
        outcome=outcome,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        started_on=started_on or date.today(),
        rag=Rag(rag).value,
        created_by_id=created_by.id if created_by else None,
    )
    if action.rag == Rag.COMPLETE.value:
        action.completed_on = date.today()
    db.session.add(action)
    db.session.flush()
    for source in sources:
        action.links.append(
            ActionLink(kind=source.kind.value, source_id=source.source_id, source_key=source.source_key)
        )
        log_change(db.session, action, "link", None, source.label)
    if tell_owner and created_by is not None:
        _tell_owner(action, owner, created_by)
    db.session.commit()
    return action


def _tell_owner(action: Action, owner: User, by: User) -> None:
    """In the same transaction as the save: the email goes later, from `flask send-notifications`."""
    if owner.id != by.id:
        link = url_for("plan.action", action_id=action.id)
        subject = "An improvement plan action has been assigned to you"
        notify([owner], "plan_action_assigned", subject, link, dedupe_key=f"plan-action-owner:{action.id}:{owner.id}")


def link_labels(action: Action) -> list[tuple[str, str, str | None]]:
    """(kind label, description, address or None) of each record that raised the action."""
    result = []
    for link in action.links:
        by_key = link.kind in (LinkKind.DOMAIN, LinkKind.COMPARISON)
        source = resolve_link(LinkKind(link.kind), link.source_key if by_key else link.source_id)
        label = source.label if source else "(since removed)"
        result.append((LINK_KIND_LABELS[LinkKind(link.kind)], label, source.url if source else None))
    return result


def can_view_action(user, action: Action) -> bool:
    return user.can(Permission.VIEW_PLAN) or action.owner_id == user.id


def can_update_progress(user, action: Action) -> bool:
    return user.can(Permission.MANAGE_PLAN) or action.owner_id == user.id


def action_for(user, action_id: int, update: bool = False) -> Action:
    """The action, if this person may see it (or update its progress); 404 or 403 otherwise."""
    action = db.get_or_404(Action, action_id)
    allowed = can_update_progress(user, action) if update else can_view_action(user, action)
    if not allowed:
        abort(403)
    return action


def update_progress(action: Action, rag: str, note: str | None) -> Action:
    action.rag = Rag(rag).value
    action.progress_note = (note or "").strip() or None
    action.completed_on = (action.completed_on or date.today()) if action.rag == Rag.COMPLETE.value else None
    db.session.commit()
    return action


def update_action(
    action: Action, *, description, owner_id, due_date, priority_id, outcome_id, changed_by: User | None = None
) -> Action:
    """Saves the action; a new owner is told (when the change is someone's, not a script's)."""
    if changed_by is not None and owner_id != action.owner_id:
        _tell_owner(action, db.session.get(User, owner_id), changed_by)
    action.description = description.strip()
    action.owner_id = owner_id
    action.due_date = due_date
    action.priority_id = priority_id
    action.outcome_id = outcome_id or None
    db.session.commit()
    return action


@dataclass
class ActionFilters:
    priority_id: int | None = None
    rag: str | None = None
    owner_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None


def actions(
    plan: Plan,
    filters: ActionFilters | None = None,
    owner: User | None = None,
    open_only=False,
    as_of: date | None = None,
):
    """Actions with their effective RAG (today's, or as it stood on `as_of`), overdue first, then by due
    date. Filtering by RAG uses the effective RAG, in SQL."""
    filters = filters or ActionFilters()
    overdue = Action.overdue_on(as_of) if as_of else Action.is_overdue
    effective_rag = Action.effective_rag_on(as_of) if as_of else Action.effective_rag
    query = (
        select(Action, effective_rag.label("effective_rag"), overdue.label("overdue"))
        .join(Priority, Action.priority_id == Priority.id)
        .where(Priority.plan_id == plan.id)
        .order_by(overdue.desc(), Action.due_date, Action.id)
    )
    if owner is not None:
        query = query.where(Action.owner_id == owner.id)
    if open_only:
        query = query.where(Action.rag != Rag.COMPLETE.value)
    if filters.priority_id:
        query = query.where(Action.priority_id == filters.priority_id)
    if filters.rag:
        query = query.where(effective_rag == filters.rag)
    if filters.owner_id:
        query = query.where(Action.owner_id == filters.owner_id)
    if filters.due_from:
        query = query.where(Action.due_date >= filters.due_from)
    if filters.due_to:
        query = query.where(Action.due_date <= filters.due_to)
    return db.session.execute(query).all()


def my_actions(user: User):
    """The person's open actions in any plan, overdue first."""
    query = (
        select(Action, Action.effective_rag.label("effective_rag"), Action.is_overdue.label("overdue"))
        .where(Action.owner_id == user.id, Action.rag != Rag.COMPLETE.value)
        .order_by(Action.is_overdue.desc(), Action.due_date, Action.id)
    )
    return db.session.execute(query).all()


def action_owners(plan: Plan) -> list[User]:
    return db.session.scalars(
        select(User)
        .where(User.id.in_(select(Action.owner_id).join(Priority).where(Priority.plan_id == plan.id)))
        .order_by(User.display_name)
    ).all()


def rag_counts(plan: Plan) -> dict[str, int]:
    """Actions by effective RAG, counted in SQL."""
    effective = (
        select(Action.effective_rag.label("rag"))
        .join(Priority, Action.priority_id == Priority.id)
        .where(Priority.plan_id == plan.id)
        .subquery()
    )
    rows = db.session.execute(select(effective.c.rag, func.count()).group_by(effective.c.rag)).all()
    return {rag: count for rag, count in rows}


def assignable_users() -> list[User]:
    return db.session.scalars(select(User).where(User.is_enabled.is_(True)).order_by(User.display_name)).all()
