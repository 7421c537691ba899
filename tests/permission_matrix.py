"""Who may use each route. Every rule in the URL map must be listed here; the permission-matrix
test (tests/integration/test_permission_matrix.py) requests each one as anonymous and as each role.

Add an entry for every new endpoint, and add to make_route_objects() and URL_VALUES whatever its
URL needs.
"""
from audit_app.permissions import Role

PUBLIC = "public"  # no sign-in needed
ALL_ROLES = frozenset(Role)
AUDITOR, MANAGER, QA, ADMIN = Role.AUDITOR, Role.SENIOR_MANAGER, Role.QA_LEAD, Role.ADMIN

ROUTES: dict[str, object] = {
    "main.healthz": PUBLIC,
    "auth.sign_in": PUBLIC,
    "main.home": ALL_ROLES,
    "auth.sign_out": ALL_ROLES,
    "admin.index": {ADMIN},
    "admin.users": {ADMIN},
    "admin.user": {ADMIN},
    "admin.named_list": {ADMIN},
    "admin.named_item": {ADMIN},
    "admin.teams": {ADMIN},
    "admin.team": {ADMIN},
    "admin.cases": {ADMIN, QA},
    "admin.case": {ADMIN, QA},
    "admin.import_cases": {ADMIN, QA},
}


def make_route_objects() -> dict:
    """One of each record a URL can point at, keyed by name."""
    from tests.factories import CaseFactory, UserFactory

    case = CaseFactory()
    return {
        "user": UserFactory(),
        "case": case,
        "team": case.team,
        "locality": case.locality,
    }


# URL argument name -> function(objects) giving its value. Per-endpoint values win.
URL_VALUES = {
    "user_id": lambda o: o["user"].id,
    "case_id": lambda o: o["case"].id,
    "team_id": lambda o: o["team"].id,
    "kind": lambda o: "localities",
    "item_id": lambda o: o["locality"].id,
}
ENDPOINT_URL_VALUES: dict[str, dict] = {}


def url_values(endpoint: str, arguments, objects) -> dict:
    specific = ENDPOINT_URL_VALUES.get(endpoint, {})
    return {name: (specific.get(name) or URL_VALUES[name])(objects) for name in arguments}
