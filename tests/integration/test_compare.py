"""The compare page: units against the rest of the authority, on SQLite and PostgreSQL.

The scene, Quarter 4 2021: North has 30 audits, 27 raising Drift and delay and every voice-of-the-child
judgement Good; South has 30, 3 raising it and every voice judgement Requires improvement; Exeter has 5, all
raising it, too few to be judged.
"""

import re
from datetime import UTC, datetime

import pytest
from flask import g
from sqlalchemy import select

from audit_app.compare import services
from audit_app.extensions import db
from audit_app.models import Action, AuditStatus
from audit_app.permissions import Role
from audit_app.reporting import findings
from audit_app.reporting.filters import Filters
from tests.conftest import get, path_for, post, sign_in_as, statements, text_of
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    LocalityFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    PlanFactory,
    PriorityFactory,
    ServiceFactory,
    TeamFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

Q4 = "2021-Q4"


def _audits(version, team, count, drift, voice, theme, case_type="cp", programme=None):
    """`count` audits in the team, the first `drift` tagged with the theme, every voice judgement graded `voice`."""
    audits = []
    for i in range(count):
        audit = submitted_audit(
            version,
            {"voice_of_child": voice, "assessment_quality": 2},
            submitted_at=datetime(2021, 10 + i % 3, 10, tzinfo=UTC),
            case=CaseFactory(team=team, case_type=case_type),
            programme=programme,
        )
        if i < drift:
            audit.judgements[0].themes.append(theme)
        audits.append(audit)
    db.session.commit()
    return audits


@pytest.fixture
def scene(app):
    version = published_tool(("voice_of_child", "assessment_quality"))
    drift = ThemeFactory(name="Drift and delay")
    service = ServiceFactory(name="Children & Families")
    north, south, exeter = (LocalityFactory(name=n) for n in ("North", "South", "Exeter"))
    teams = {
        loc.name: TeamFactory(name=f"{loc.name} team", locality=loc, service=service) for loc in (north, south, exeter)
    }
    programme = AuditProgrammeFactory(tool_version=version)
    audits = {
        "North": _audits(version, teams["North"], 30, 27, 2, drift, programme=programme),
        "South": _audits(version, teams["South"], 30, 3, 3, drift, case_type="cin", programme=programme),
        "Exeter": _audits(version, teams["Exeter"], 5, 5, 2, drift, programme=programme),
    }
    return {"drift": drift, "north": north, "south": south, "exeter": exeter, "audits": audits, "version": version}


def test_a_theme_raised_far_more_often_in_one_locality_is_flagged_and_said_in_words(scene):
    comparison = services.build(Filters(period=Q4), "locality")
    row = comparison.row(f"theme:{scene['drift'].id}")
    north, south, exeter = (row.point(str(scene[k].id)) for k in ("north", "south", "exeter"))
    assert (row.funnel.count, row.funnel.n) == (35, 65)
    assert (north.count, north.n, north.side, north.limit) == (27, 30, "above", "99.8 %")
    assert (south.count, south.n, south.side, south.limit) == (3, 30, "below", "99.8 %")
    # Exeter's 5 of 5 is further from the authority than anyone, but 5 audits are under the minimum of 10.
    assert (exeter.count, exeter.n, exeter.side, exeter.flagged) == (5, 5, "too_few", False)

    sentences = [f.sentence for f in findings.pattern_findings(comparison)]
    assert (
        "Drift and delay was recorded in 90% of audits in North against 23% elsewhere (n = 30); "
        "higher than expected, outside the 99.8 % limit of the funnel plot."
    ) in sentences
    assert not any("Exeter" in s for s in sentences)


def test_good_or_better_by_domain_uses_moderated_grades_unless_asked_for_the_original(scene):
    audit = scene["audits"]["South"][0]
    judgement = next(j for j in audit.judgements if j.domain_key == "voice_of_child")
    audit.status = AuditStatus.MODERATED.value
    ModeratedGradeFactory(moderation=ModerationFactory(audit=audit), judgement=judgement, grade=2)
    db.session.commit()
    south = str(scene["south"].id)
    moderated = services.build(Filters(period=Q4), "locality").row("domain:voice_of_child").point(south)
    original = services.build(Filters(period=Q4, grades="original"), "locality").row("domain:voice_of_child")
    assert (moderated.count, moderated.n) == (1, 30)
    assert (original.point(south).count, original.point(south).n) == (0, 30)
    assert original.point(str(scene["north"].id)).share == 1


def test_every_dimension_compares_and_filters_still_apply(scene):
    for by in services.DIMENSIONS:
        comparison = services.build(Filters(period=Q4), by)
        assert sum(u.audits for u in comparison.units) == 65, by
    by_case_type = services.build(Filters(period=Q4), "case_type")
    assert sorted((u.label, u.audits) for u in by_case_type.units) == [("Child Protection", 35), ("Child in Need", 30)]
    # A filter narrows what is compared; the compared dimension's own filter is set aside.
    only_cin = services.build(Filters(period=Q4, case_type="cin"), "locality")
    assert [(u.label, u.audits) for u in only_cin.units] == [("South", 30)]
    north_filter = services.build(Filters(period=Q4, locality=scene["north"].id), "locality")
    assert len(north_filter.units) == 3
    assert services.build(Filters(period="2021-Q3"), "locality").units == []
    # An audit in no programme is still compared, as a kind of its own.
    team = scene["audits"]["North"][0].case.team
    submitted_audit(
        scene["version"],
        {"voice_of_child": 2},
        submitted_at=datetime(2021, 11, 1, tzinfo=UTC),
        case=CaseFactory(team=team),
    )
    kinds = services.build(Filters(period=Q4), "programme_kind").units
    assert ("Not in a programme", 1) in [(u.label, u.audits) for u in kinds]


def test_the_number_of_queries_does_not_grow_with_the_number_of_units(scene, app):
    def statements_for(by):
        for name in list(vars(g)):  # each count is a request of its own, which starts with an empty g
            delattr(g, name)
        with statements() as seen:
            services.page(Filters(period=Q4), by, None)
        return len(seen)

    with app.test_request_context():
        three = statements_for("locality")
        for name in ("Mid", "East", "West", "Central"):
            team = TeamFactory(name=f"{name} team", locality=LocalityFactory(name=name))
            _audits(scene["version"], team, 12, 2, 2, scene["drift"])
        seven = statements_for("locality")
    assert three == seven
    assert seven <= 12


def test_the_page_shows_the_funnel_the_table_and_the_minimum(client, scene):
    sign_in_as(client, user_with(Role.QA_LEAD))
    response = get(client, "compare.index", period=Q4, by="locality", measure=f"theme:{scene['drift'].id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "A locality is flagged only from 10 records" in page
    assert "Drift and delay was recorded in 90% of audits in North against 23% elsewhere (n = 30)" in page
    assert '<svg class="app-chart" id="funnel-chart" role="img"' in html
    assert '<title id="funnel-chart-title">Funnel plot: Drift and delay' in html
    assert "<script" not in html.split('id="results"')[1]
    north_row = re.search(
        rf'<tr class="govuk-table__row" data-unit="{scene["north"].id}" data-side="above">.*?</tr>', html, re.S
    )
    assert north_row and "Above the 99.8 % limit" in north_row.group(0)
    exeter_row = re.search(rf'data-unit="{scene["exeter"].id}" data-side="too_few">.*?</tr>', html, re.S)
    assert "Too few to judge (under 10)" in exeter_row.group(0)
    assert html.count('class="app-small-multiple__chart"') == 3
    assert 'id="table-measures"' in html and 'id="table-trend"' in html


def test_htmx_gets_only_the_results_and_bad_input_still_opens_the_page(client, scene):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    fragment = get(client, "compare.index", period=Q4, by="team", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Teams, Quarter 4 2021" in text_of(fragment)
    for args in (
        {"by": "nonsense", "measure": "theme:abc"},
        {"measure": "domain:" + "x" * 500},
        {"measure": "theme:99999999999999999999"},
        {"period": "9999-Q9", "locality": "-1", "by": "service"},
    ):
        assert get(client, "compare.index", **args).status_code == 200, args


def test_a_qa_lead_raises_a_plan_action_from_a_pattern_and_it_links_back(client, scene):
    priority = PriorityFactory(plan=PlanFactory(), number=1, title="Timely help")
    qa = user_with(Role.QA_LEAD)
    sign_in_as(client, qa)
    page = get(client, "compare.index", period=Q4).get_data(as_text=True)
    reference = f"locality|{scene['north'].id}|theme:{scene['drift'].id}|{Q4}"
    new_action = path_for("plan.new_action", theme_id=scene["drift"].id, comparison=reference)
    assert new_action.replace("&", "&amp;") in page
    response = client.get(new_action)
    form = text_of(response)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert "Comparison: Drift and delay, audits in North against the rest of the authority, Q4 2021" in form
    assert "Drift and delay was recorded in 90% of audits in North against 23% elsewhere" in form  # prefilled

    data = {"priority_id": f"priority-{priority.id}", "description": "Review drift in North", "owner_id": str(qa.id)}
    data.update(due_date=["31", "3", "2022"], form_token=token)
    assert client.post(new_action, data=data).status_code == 302
    assert client.post(new_action, data=data).status_code == 302  # a second tap: still one action
    action = db.session.scalar(select(Action))
    assert db.session.query(Action).count() == 1
    assert sorted((link.kind, link.source_id, link.source_key) for link in action.links) == [
        ("comparison", None, reference),
        ("theme", scene["drift"].id, None),
    ]
    shown = get(client, "plan.action", action_id=action.id).get_data(as_text=True)
    back = path_for("compare.index", by="locality", period=Q4, measure=f"theme:{scene['drift'].id}", _anchor="funnel")
    assert f'href="{back.replace("&", "&amp;")}"' in shown


def test_a_reference_that_names_nothing_is_refused(client, scene):
    sign_in_as(client, user_with(Role.QA_LEAD))
    PriorityFactory(plan=PlanFactory(), number=1)
    for reference in ("nonsense", "locality|999|theme:1|2021-Q4", "galaxy|1|theme:1|2021-Q4", "locality|1|theme:x|Q4"):
        assert get(client, "plan.new_action", comparison=reference).status_code == 404, reference


def test_who_may_compare(client, scene):
    for role, status in (
        (Role.AUDITOR, 403),
        (Role.PRACTITIONER, 403),
        (Role.SENIOR_MANAGER, 200),
        (Role.QA_LEAD, 200),
    ):
        sign_in_as(client, user_with(role))
        assert get(client, "compare.index").status_code == status, role
    assert post(client, "compare.index").status_code == 405


def test_the_theme_summary_key_findings_gain_the_patterns(client, scene):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    page = text_of(get(client, "themes.summary", period=Q4))
    patterns = page.split("Patterns across localities")[1]
    assert "Drift and delay was recorded in 90% of audits in North against 23% elsewhere (n = 30)" in patterns
    assert "Add an action to the plan" not in patterns  # senior managers do not raise plan actions
    assert "Compare localities, services, teams" in page


def test_with_too_few_audits_the_page_says_nothing_can_be_flagged(client, scene):
    sign_in_as(client, user_with(Role.QA_LEAD))
    exeter_team = scene["audits"]["Exeter"][0].case.team
    page = text_of(get(client, "compare.index", period=Q4, team=exeter_team.id))
    assert "1 of the 1 localities had fewer than 10 audits in this period." in page
    assert (
        "No locality is outside the limits on any measure in this period: none has enough audits to be judged." in page
    )
    assert "A longer period (a year) compares more audits." in page
    assert "No locality differs from the rest of the authority beyond the 99.8 % limits" in page
