"""Roles, permissions and the one way a route declares what it needs.

Each feature adds its permissions to Permission and grants them in the one ROLE_PERMISSIONS literal.
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
    PRACTITIONER = "practitioner"  # a social worker whose cases are audited
    TEAM_MANAGER = "team_manager"  # manages a team of practitioners
    # Police, health or education: conducts only their audits in multi-agency programmes (audits/services/access.py)
    EXTERNAL_AUDITOR = "external_auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.AUDITOR: "Auditor",
    Role.SENIOR_MANAGER: "Senior manager",
    Role.QA_LEAD: "QA lead",
    Role.ADMIN: "Administrator",
    Role.PRACTITIONER: "Social worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.EXTERNAL_AUDITOR: "External auditor (multi-agency)",
}


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_CASES = "manage_cases"
    VIEW_CASES = "view_cases"
    # Practice weeks
    MANAGE_PRACTICE_WEEKS = "manage_practice_weeks"
    RECORD_OBSERVATIONS = "record_observations"
    VIEW_PRACTICE_WEEK_SUMMARY = "view_practice_week_summary"
    # Moderation
    MODERATE_AUDITS = "moderate_audits"
    VIEW_AGREEMENT = "view_agreement"
    # Case audits, audit tools, programmes and follow-ups
    CONDUCT_AUDITS = "conduct_audits"  # an auditor may open only the audits assigned to them
    VIEW_ALL_AUDITS = "view_all_audits"  # read any audit and its history
    MANAGE_AUDIT_TOOLS = "manage_audit_tools"
    MANAGE_PROGRAMMES = "manage_programmes"
    VIEW_FOLLOW_UPS = "view_follow_ups"  # the follow-ups a person owns
    VIEW_ALL_FOLLOW_UPS = "view_all_follow_ups"  # every open follow-up (senior managers, QA leads)
    # Improvement plan (action owners also see their own actions, checked in plan/services.py)
    VIEW_PLAN = "view_plan"
    MANAGE_PLAN = "manage_plan"
    # Theme summaries and the theme taxonomy
    VIEW_THEME_SUMMARIES = "view_theme_summaries"
    MANAGE_THEMES = "manage_themes"
    # Themes suggested for the evidence being written (whoever writes audits or observations)
    SUGGEST_THEMES = "suggest_themes"
    # The inspection pack (workbook and PDF) for Ofsted
    DOWNLOAD_INSPECTION_PACK = "download_inspection_pack"
    # Practitioners' loop: audits shared with the allocated worker (their own cases) and the team manager
    # (their team's cases), checked case by case in the service layer
    VIEW_SHARED_AUDITS = "view_shared_audits"
    RESPOND_TO_AUDITS = "respond_to_audits"  # the allocated worker's reflection and agreement
    MANAGE_CHILD_ACTIONS = "manage_child_actions"  # the team manager's actions for the child
    VIEW_ALL_CHILD_ACTIONS = "view_all_child_actions"  # every action for the child, by theme (QA leads)
    # Learning briefings: messages from audit (QA leads write and publish; the rest read those meant for them)
    MANAGE_BRIEFINGS = "manage_briefings"
    READ_BRIEFINGS = "read_briefings"
    # The reporting API: its tokens (admins) and the guide to connecting Power BI, Excel and R
    MANAGE_API_TOKENS = "manage_api_tokens"
    VIEW_API_GUIDE = "view_api_guide"


# Who may do what, at a glance. Finer checks (an auditor's own audits, an action's owner) live in services.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.AUDITOR: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.CONDUCT_AUDITS,
            Permission.SUGGEST_THEMES,
            Permission.VIEW_FOLLOW_UPS,
            Permission.READ_BRIEFINGS,
        }
    ),
    Role.SENIOR_MANAGER: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.RECORD_OBSERVATIONS,
            Permission.VIEW_PRACTICE_WEEK_SUMMARY,
            Permission.MODERATE_AUDITS,
            Permission.VIEW_AGREEMENT,
            Permission.CONDUCT_AUDITS,
            Permission.VIEW_ALL_AUDITS,
            Permission.VIEW_FOLLOW_UPS,
            Permission.VIEW_ALL_FOLLOW_UPS,
            Permission.VIEW_PLAN,
            Permission.VIEW_THEME_SUMMARIES,
            Permission.SUGGEST_THEMES,
            Permission.READ_BRIEFINGS,
            Permission.DOWNLOAD_INSPECTION_PACK,
        }
    ),
    Role.QA_LEAD: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.MANAGE_CASES,
            Permission.MANAGE_PRACTICE_WEEKS,
            Permission.RECORD_OBSERVATIONS,
            Permission.VIEW_PRACTICE_WEEK_SUMMARY,
            Permission.MODERATE_AUDITS,
            Permission.VIEW_AGREEMENT,
            Permission.MANAGE_AUDIT_TOOLS,
            Permission.MANAGE_PROGRAMMES,
            Permission.VIEW_ALL_AUDITS,
            Permission.VIEW_FOLLOW_UPS,
            Permission.VIEW_ALL_FOLLOW_UPS,
            Permission.VIEW_PLAN,
            Permission.MANAGE_PLAN,
            Permission.VIEW_THEME_SUMMARIES,
            Permission.MANAGE_THEMES,
            Permission.SUGGEST_THEMES,
            Permission.VIEW_ALL_CHILD_ACTIONS,
            Permission.VIEW_API_GUIDE,
            Permission.READ_BRIEFINGS,
            Permission.MANAGE_BRIEFINGS,
            Permission.DOWNLOAD_INSPECTION_PACK,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_ORGANISATION,
            Permission.MANAGE_CASES,
            Permission.VIEW_CASES,
            Permission.MANAGE_API_TOKENS,
            Permission.VIEW_API_GUIDE,
        }
    ),
    Role.PRACTITIONER: frozenset(
        {
            Permission.VIEW_SHARED_AUDITS,
            Permission.RESPOND_TO_AUDITS,
            Permission.READ_BRIEFINGS,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            Permission.VIEW_SHARED_AUDITS,
            Permission.MANAGE_CHILD_ACTIONS,
            Permission.READ_BRIEFINGS,
        }
    ),
    Role.EXTERNAL_AUDITOR: frozenset({Permission.CONDUCT_AUDITS, Permission.SUGGEST_THEMES}),
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
