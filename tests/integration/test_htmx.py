"""One htmx idiom (audit_app/htmx.py): a list page answers htmx with its fragment and everyone else with
the whole page, chosen by the HX-Request header the same way in every feature."""

from pathlib import Path

from audit_app.permissions import Role
from tests.conftest import get, sign_in_as
from tests.factories import ActionFactory, PlanFactory, PriorityFactory, user_with

HTMX = {"HX-Request": "true"}


def test_only_the_htmx_module_reads_htmx_headers():
    package = Path(__file__).resolve().parents[2] / "audit_app"
    readers = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py") if '"HX-' in p.read_text())
    assert readers == ["htmx.py"]


def test_the_plan_actions_list_is_a_whole_page_unless_htmx_asks_for_the_table(app, client):
    priority = PriorityFactory(plan=PlanFactory(), number=1, title="Voice and influence of children")
    ActionFactory(priority=priority, description="Audit voice of the child in CP plans")
    sign_in_as(client, user_with(Role.QA_LEAD))
    fragment = get(client, "plan.actions", headers=HTMX).text
    assert "<html" not in fragment and "Audit voice of the child in CP plans" in fragment
    # Anything but htmx's own "true" (a proxy or a crawler sending the header) gets the page with its layout.
    for headers in (None, {"HX-Request": "false"}):
        page = get(client, "plan.actions", headers=headers).text
        assert "<html" in page and "Audit voice of the child in CP plans" in page


def test_moderation_sends_the_fragment_only_to_its_results_target(app, client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    assert "<html" not in get(client, "moderation.index", headers={**HTMX, "HX-Target": "moderation-results"}).text
    assert "<html" in get(client, "moderation.index", headers={**HTMX, "HX-Target": "elsewhere"}).text
