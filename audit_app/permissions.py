"""Roles, permissions and the one way a route declares what it needs.

Each feature adds its permissions to Permission and grants them in ROLE_PERMISSIONS.
"""
import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


class Role(enum.StrEnum):
    AUDITOR = "auditor"
    SENIOR_MANAGER = "senior_manager"
    QA_LEAD = "qa_lead"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.AUDITOR: "Auditor",
    Role.SENIOR_MANAGER: "Senior manager",
    Role.QA_LEAD: "QA lead",
    Role.ADMIN: "Administrator",
}


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_CASES = "manage_cases"
    VIEW_CASES = "view_cases"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AUDITOR: frozenset({Permission.VIEW_CASES}),
    Role.SENIOR_MANAGER: frozenset({Permission.VIEW_CASES}),
    Role.QA_LEAD: frozenset({Permission.VIEW_CASES, Permission.MANAGE_CASES}),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_ORGANISATION,
            Permission.MANAGE_CASES,
            Permission.VIEW_CASES,
        }
    ),
}


def permissions_for(roles) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(granted)


def requires(*permissions: Permission):
    """Route decorator: signed in, and holding every permission named (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not all(current_user.can(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permissions = permissions
        return wrapped

    return decorator
