"""Every feature is registered one way: a package listed in FEATURES whose init_app(app) adds its blueprints,
navigation, home panels and demo seeder to the app being built; nothing registers itself when imported."""

import ast
import importlib
import re
from pathlib import Path

from audit_app import FEATURES, create_app

PACKAGE = Path(__file__).resolve().parents[2] / "audit_app"


def _endpoints(app, key):
    return [f"{f.__module__}.{f.__name__}" for f in app.extensions[key]]


def test_every_feature_package_says_what_it_is_for_and_has_init_app():
    features = {p.parent.name for p in PACKAGE.glob("*/routes.py")}
    assert features == {f.__name__.rsplit(".", 1)[1] for f in FEATURES}
    for feature in FEATURES:
        assert ast.get_docstring(ast.parse(Path(feature.__file__).read_text())), feature.__name__
        assert callable(feature.init_app), feature.__name__


def test_the_navigation_is_in_the_order_of_features_and_built_afresh_for_each_app():
    expected = [
        "main.home",
        "admin.cases",
        "admin.index",
        "programmes.index",
        "audits.my_audits",
        "tools.index",
        "practice_week.index",
        "moderation.index",
        "practitioners.my_audits",
        "practitioners.team_audits",
        "plan.index",
        "themes.summary",
        "compare.index",
        "briefings.index",
        "inspection.index",
    ]
    first, second = create_app("testing"), create_app("testing")
    assert [i.endpoint for i in first.extensions["nav_items"]] == expected
    assert [i.endpoint for i in second.extensions["nav_items"]] == expected
    assert _endpoints(second, "home_panels") == [
        "audit_app.notifications.routes.notifications_panel",
        "audit_app.admin.routes.admin_panel",
        "audit_app.audits.routes.my_audits_panel",
        "audit_app.followups.routes.follow_ups_panel",
        "audit_app.practice_week.routes.my_practice_week_panel",
        "audit_app.moderation.routes.moderation_panel",
        "audit_app.practitioners.routes.worker_panel",
        "audit_app.practitioners.routes.team_panel",
        "audit_app.practitioners.routes.disagreements_panel",
        "audit_app.child_actions.routes.overdue_panel",
        "audit_app.plan.routes.my_actions_panel",
        "audit_app.briefings.routes.briefings_panel",
    ]


def test_demo_seeders_run_organisation_and_audits_before_the_features_that_build_on_them():
    # Importing a feature's modules in another order (as tests do) changes nothing.
    for module in ("audit_app.plan.demo", "audit_app.moderation.demo", "audit_app.tools.demo"):
        importlib.import_module(module)
    app = create_app("testing")
    assert _endpoints(app, "demo_seeders") == [
        "audit_app.demo.seed_organisation",
        "audit_app.programmes.demo.seed_programmes",  # a recurring dip sample and a multi-agency programme
        "audit_app.audits.demo.seed_audits",
        "audit_app.family_voice.demo.seed_family_voice",
        "audit_app.audits.demo_sections.seed_case_type_sections",
        "audit_app.practice_week.demo.seed_practice_weeks",
        "audit_app.moderation.demo.seed_moderation",
        "audit_app.audits.demo_supervision.seed_supervision_audits",  # its moderation sample after the case audits'
        "audit_app.reaudits.demo.seed_reaudits",
        "audit_app.practitioners.demo.seed_responses",
        "audit_app.child_actions.demo.seed_child_actions",
        "audit_app.plan.demo.seed_plan",
        "audit_app.theme_model.demo.seed_theme_model",  # a first model, trained on the demo's tagged evidence
        "audit_app.briefings.demo.seed_briefings",
    ]
    assert {"seed-demo", "create-user", "generate-data"} <= set(app.cli.commands)


def test_create_app_is_a_few_short_steps():
    source = ast.parse((PACKAGE / "__init__.py").read_text())
    create = next(n for n in source.body if isinstance(n, ast.FunctionDef) and n.name == "create_app")
    assert create.end_lineno - create.lineno < 40


def test_the_contributing_map_matches_the_tree():
    text = (PACKAGE.parent / "CONTRIBUTING.md").read_text()
    table = text[text.index("### Where code lives") : text.index("### A new feature, to copy")]
    paths = set(re.findall(r"`((?:audit_app|tests|templates|migrations)/[^`<N]*?|config\.py)`", table))
    assert paths and all((PACKAGE.parent / p.split(" ")[0]).exists() for p in paths), paths
    features = table[table.index("a feature: routes") :].split("\n", 1)[0]
    for item in PACKAGE.iterdir():
        if item.name.startswith("__") or (item.is_dir() and not (item / "__init__.py").exists()):
            continue
        assert f"`audit_app/{item.name}" in table or (item.is_dir() and item.name in features), item.name
