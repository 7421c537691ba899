"""One htmx idiom (audit_app/htmx.py): a list page answers htmx with its fragment and everyone else with
the whole page, chosen by the HX-Request header the same way in every feature."""

import re
from pathlib import Path

from audit_app.permissions import Role
from tests.conftest import get, path_for, sign_in_as
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


def test_the_navigation_shows_what_a_person_may_use_and_a_fragment_builds_none(app, client, monkeypatch):
    priority = PriorityFactory(plan=PlanFactory(), number=1, title="Voice and influence of children")
    ActionFactory(priority=priority, description="Audit voice of the child in CP plans")
    sign_in_as(client, user_with(Role.QA_LEAD))
    built = []

    class NavItems(list):  # counts each time the navigation is worked out
        def __iter__(self):
            built.append(1)
            return super().__iter__()

    monkeypatch.setitem(app.extensions, "nav_items", NavItems(app.extensions["nav_items"]))
    get(client, "plan.actions", headers=HTMX)
    assert built == []  # a fragment has no layout: no permission asked for each navigation item
    page = get(client, "plan.actions").text
    assert len(built) == 1
    links = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', page)
    assert path_for("themes.summary") in links and path_for("admin.index") not in links
