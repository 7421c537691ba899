# ruff: noqa: F811 (the supervision tests' fixtures are imported and used as arguments)
"""Supervision audits beside case audits: moderation agreement kept apart, no empty recurring programmes,
no case types on a supervision tool, each list naming the pair, and the summary's filters that apply to
supervision. SQLite and PostgreSQL."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import AuditProgramme
from audit_app.moderation import services as moderation
from audit_app.moderation.services import AgreementFilters
from audit_app.permissions import Role
from audit_app.programmes.services import create_programme
from audit_app.reporting import queries
from audit_app.reporting.filters import Filters
from tests.conftest import get, post, sign_in_as
from tests.factories import (
    FollowUpFactory,
    LocalityFactory,
    TeamFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)
from tests.integration.test_agreement_page import moderate
from tests.integration.test_api_data import api  # noqa: F401 (a fixture)
from tests.integration.test_supervision_audits import (  # noqa: F401 (fixtures)
    KEYS,
    OCTOBER,
    Q4,
    pair_of,
    people,
    programme,
    supervision_audit,
    tool,
)

PAIR = "supervision of Sam Supervisee by Taylor Supervisor"


@pytest.fixture
def moderated_both(tool, people):
    """A case audit the moderator agreed and a supervision audit whose grade the moderator changed."""
    moderator = user_with(Role.SENIOR_MANAGER, display_name="Mo Moderator")
    case_audit = submitted_audit(published_tool(KEYS), {"management_oversight": 2}, submitted_at=OCTOBER)
    moderate(case_audit, moderator, {"management_oversight": 2})
    supervision = supervision_audit(tool, people, {"management_oversight": 1}, submitted_at=OCTOBER)
    moderate(supervision, moderator, {"management_oversight": 3})
    return case_audit, supervision


# --- 1. Moderation agreement ----------------------------------------------------------------------


def test_agreement_counts_case_audits_by_default_and_supervision_on_its_own(moderated_both):
    cases = moderation.agreement_report(AgreementFilters())
    assert (cases.overall.n, cases.overall.changed, cases.audits_moderated) == (1, 0, 1)
    supervision = moderation.agreement_report(AgreementFilters(subject="supervision"))
    assert (supervision.overall.n, supervision.overall.changed, supervision.audits_moderated) == (1, 1, 1)
    assert moderation.changed_grades(AgreementFilters()) == []
    changed = moderation.changed_grades(AgreementFilters(subject="supervision"))
    assert [(c.case_reference, c.domain) for c in changed] == [(PAIR, "Management oversight")]


def test_the_agreement_page_has_the_subject_filter(client, moderated_both, people):
    sign_in_as(client, people["qa"])
    cases = get(client, "moderation.agreement").text
    assert "case file audits" in cases and PAIR not in cases
    assert "No grades have been changed in moderation." in cases
    supervision = get(client, "moderation.agreement", subject="supervision").text
    assert PAIR in supervision and "Supervision and domain" in supervision
    assert get(client, "moderation.agreement", subject="anything").text.count(PAIR) == 0


def test_the_inspection_pack_gives_supervision_agreement_its_own_rows(client, moderated_both, people):
    sign_in_as(client, people["qa"])
    response = get(client, "inspection.download", fmt="xlsx", period=Q4)
    sheet = load_workbook(BytesIO(response.data))["Moderation agreement"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["All graded judgements"][:1] == (1,)
    assert rows["Supervision audits: All graded judgements"][:1] == (1,)
    assert rows["Supervision audits: Management oversight"][4] == 1  # changed


# --- 3. No case types on a supervision tool -------------------------------------------------------


def test_a_supervision_tools_sections_and_questions_ask_no_case_types(client, people):
    from audit_app.tools import services as tools

    sign_in_as(client, user_with(Role.QA_LEAD))
    draft = tools.create_tool("Supervision audit 2023", subject="supervision")
    assert "Which case types" not in get(client, "tools.domain", version_id=draft.id).text
    data = {"title": "Reflective discussion", "applies_to": ["care_leaver"]}  # posted anyway: ignored
    assert post(client, "tools.domain", version_id=draft.id, data=data).status_code == 302
    db.session.expire_all()
    domain = draft.domains[0]
    assert domain.case_types is None
    assert "Which case types" not in get(client, "tools.question", domain_id=domain.id).text
    question = {"text": "Is it reflective?", "response_type": "grade", "applies_to": ["cp"]}
    assert post(client, "tools.question", domain_id=domain.id, data=question).status_code == 302
    db.session.expire_all()
    assert domain.questions[0].case_types is None
    assert "For:" not in get(client, "tools.version", version_id=draft.id).text
    case_draft = tools.create_tool("Case audit 2023")
    assert "Which case types" in get(client, "tools.domain", version_id=case_draft.id).text


# --- 2. A supervision programme does not recur ----------------------------------------------------


def programme_form(tool, **changes) -> dict:
    return {
        "form_token": "programme-token-number-one",
        "name": "Supervision audit November 2021",
        "kind": "thematic",
        **dict(
            zip(
                ("period_start", "period_end", "due_date"),
                (["1", "11", "2021"], ["30", "11", "2021"], ["15", "12", "2021"]),
            )
        ),
        "tool_version_id": str(tool.id),
        "recurs_monthly": "y",
    } | changes


def test_a_supervision_programme_ticked_to_recur_is_refused_with_the_reason(client, tool, people):
    sign_in_as(client, people["qa"])
    response = post(client, "programmes.new", data=programme_form(tool))
    assert response.status_code == 200 and "A supervision programme cannot recur" in response.text
    assert 'href="#recurs_monthly"' in response.text  # in the error summary, linked to the box
    assert "Supervision audit November 2021" in response.text  # what was typed is kept
    assert db.session.scalar(select(func.count(AuditProgramme.id))) == 0
    unticked = programme_form(tool, recurs_monthly="")
    assert post(client, "programmes.new", data=unticked).status_code == 302
    assert db.session.scalar(select(AuditProgramme.recurs_monthly)) is False


def test_run_schedules_makes_no_empty_programme_of_a_supervision_one(app, programme, people):
    programme.recurs_monthly = True  # ticked before recurrence was refused
    db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["run-schedules", "--date", "2021-12-01"])
        assert result.exit_code == 0 and "0 programmes created" in result.output
    assert db.session.scalar(select(func.count(AuditProgramme.id))) == 1
    with pytest.raises(ValueError, match="cannot recur"):
        day = OCTOBER.date()
        create_programme(
            name="Again",
            focus=None,
            period_start=day,
            period_end=day,
            due_date=day,
            tool_version_id=programme.tool_version_id,
            recurs_monthly=True,
        )


# --- 4. Every list names a supervision audit by its pair ------------------------------------------


@pytest.fixture
def inadequate(tool, people):
    """A submitted supervision audit graded inadequate, its judgement tagged with nothing yet."""
    return supervision_audit(tool, people, {"management_oversight": 4}, overall=4, submitted_at=OCTOBER)


def test_the_follow_ups_list_names_the_pair(client, inadequate, people):
    FollowUpFactory(audit=inadequate, owner=people["manager"], action_required="Supervise monthly")
    sign_in_as(client, people["manager"])
    page = get(client, "followups.index").text
    assert PAIR in page and f"Audit {inadequate.id}<" not in page


def test_the_auditors_list_names_the_pair(client, inadequate, people):
    sign_in_as(client, people["auditor"])
    assert PAIR in get(client, "audits.my_audits").text


def test_a_plan_action_raised_from_a_supervision_audit_names_the_pair(inadequate):
    from audit_app.models import LinkKind
    from audit_app.plan.services.actions import resolve_link

    assert resolve_link(LinkKind.AUDIT, str(inadequate.id)).label == f"Audit of {PAIR}"
    judgement = inadequate.judgements[0]
    assert resolve_link(LinkKind.JUDGEMENT, str(judgement.id)).label.endswith(f"in the audit of {PAIR}")


def test_the_api_gives_a_supervision_judgement_no_case_reference(api, inadequate):
    rows = api("api.judgements", period=Q4, subject="supervision")["data"]
    assert [(r["case_reference"], r["subject"], r["record_id"]) for r in rows] == [(None, "supervision", inadequate.id)]
    assert all(r["subject"] == "case" for r in api("api.judgements", period=Q4)["data"])


def test_weak_untagged_evidence_of_supervision_audits_is_listed(inadequate):
    from audit_app.themes.untagged import untagged_judgements

    found = untagged_judgements(Filters(period=Q4, subject="supervision"), limit=10)
    assert [(e.record_id, e.case_reference) for e in found] == [(inadequate.judgements[0].id, "Supervision audit")]


def test_a_supervision_audit_cannot_be_swapped_or_responded_to(client, inadequate, people, programme):
    from audit_app.practitioners.services import may_respond

    inadequate.programme_id = programme.id
    db.session.commit()
    sign_in_as(client, people["qa"])
    response = get(client, "programmes.swap", programme_id=programme.id, audit_id=inadequate.id)
    assert response.status_code == 302
    assert not may_respond(inadequate, people["supervisee"])  # a practitioner with a worker reference


def test_the_inspection_pack_lists_themes_of_supervision_audits(client, inadequate, people):
    theme = ThemeFactory(name="Reflective supervision")
    inadequate.judgements[0].themes.append(theme)
    db.session.commit()
    sign_in_as(client, people["qa"])
    sheet = load_workbook(BytesIO(get(client, "inspection.download", fmt="xlsx", period=Q4).data))["Themes raised"]
    rows = {row[0]: row[1:4] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert rows["Supervision audits: Reflective supervision"] == (1, 0, 1)


# --- 5. The summary's filters for supervision audits ----------------------------------------------


@pytest.fixture
def two_teams(tool, people):
    """Supervision audits of a supervisee in a North team and of one in a South team."""
    north = TeamFactory(name="North assessment", locality=LocalityFactory(name="North"))
    south = TeamFactory(name="South assessment", locality=LocalityFactory(name="South"))
    people["supervisee"].team_id = north.id
    in_south = user_with(Role.PRACTITIONER, display_name="Sky Supervisee", team=south)
    supervision_audit(tool, people, {"management_oversight": 1}, submitted_at=OCTOBER)
    submitted_audit(
        tool,
        {"management_oversight": 3},
        case=None,
        auditor=people["auditor"],
        submitted_at=OCTOBER,
        **{**pair_of(people), "supervisee_id": in_south.id},
    )
    return north, south


def supervision_spread(**filters) -> dict:
    rows = queries.domain_spread(Filters(period=Q4, subject="supervision", **filters))
    return {r.key: {g: n for g, n in r.counts.items() if n} for r in rows}


def test_team_locality_and_service_filter_supervision_audits_by_the_supervisees_team(two_teams):
    north, south = two_teams
    assert supervision_spread() == {"management_oversight": {1: 1, 3: 1}}
    assert supervision_spread(team=north.id) == {"management_oversight": {1: 1}}
    assert supervision_spread(locality=south.locality_id) == {"management_oversight": {3: 1}}
    assert supervision_spread(service=south.service_id) == {"management_oversight": {3: 1}}
    assert supervision_spread(team=north.id, locality=south.locality_id) == {}


def test_case_type_does_not_apply_to_supervision_audits(client, two_teams, people):
    chosen = Filters.from_args({"period": Q4, "subject": "supervision", "case_type": "cp"})
    assert chosen.case_type is None
    sign_in_as(client, people["qa"])
    page = get(client, "themes.summary", period=Q4, subject="supervision", case_type="cp").text
    assert 'name="case_type"' not in page and "case type does not apply" in page
    assert 'name="case_type"' in get(client, "themes.summary", period=Q4).text
