"""Issue 14, done when 2: a social worker opens only the audits of cases allocated to them, a team manager
only their team's, by URL or by export. SQLite and PostgreSQL."""

import pytest

from audit_app.permissions import Role
from tests.conftest import get, post
from tests.factories import (
    CaseFactory,
    submitted_audit,
    user_with,
)
from tests.practitioner_scene import client_for, response_form


def test_a_worker_cannot_open_an_audit_of_a_case_not_allocated_to_them(app, scene):
    other = submitted_audit(
        scene["version"], {"plans": 2}, case=CaseFactory(team=scene["team"], allocated_worker_ref="SW7002")
    )
    client = client_for(app, scene["worker"])
    assert get(client, "audits.view", audit_id=other.id).status_code == 403
    assert get(client, "audits.task_list", audit_id=other.id).status_code == 403
    assert get(client, "practitioners.respond", audit_id=other.id).status_code == 403
    assert other.case.case_reference not in get(client, "practitioners.my_audits").text
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 200


def test_a_team_manager_cannot_open_another_teams_audit(app, scene):
    other = submitted_audit(scene["version"], {"plans": 2}, case=CaseFactory(allocated_worker_ref="SW7101"))
    client = client_for(app, scene["other_manager"])
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 403
    assert "CMS700001" not in get(client, "practitioners.team_audits").text
    own = client_for(app, scene["manager"])
    assert get(own, "audits.view", audit_id=other.id).status_code == 403
    assert get(own, "audits.view", audit_id=scene["audit"].id).status_code == 200


@pytest.mark.parametrize("person", ["worker", "manager"])
def test_workers_and_managers_reach_no_export_summary_or_moderation(app, scene, person):
    client = client_for(app, scene[person])
    refused = [
        ("themes.export", {"table": "judgements", "fmt": "csv"}),
        ("themes.export", {"table": "domains", "fmt": "xlsx"}),
        ("themes.summary", {}),
        ("themes.evidence", {}),
        ("tools.export", {"version_id": scene["version"].id}),
        ("moderation.index", {}),
        ("moderation.agreement", {}),
        ("practitioners.disagreements", {}),
        ("plan.board_report", {}),
        ("audits.my_audits", {}),
    ]
    for endpoint, values in refused:
        method = post if endpoint == "tools.export" else get
        assert method(client, endpoint, **values).status_code == 403, endpoint


def test_a_manager_who_also_carries_cases_cannot_respond_for_a_colleague(app, scene):
    both = user_with(Role.PRACTITIONER, Role.TEAM_MANAGER, worker_ref="SW7003", team=scene["team"])
    client = client_for(app, both)
    assert get(client, "audits.view", audit_id=scene["audit"].id).status_code == 200  # their team's audit
    assert post(client, "practitioners.respond", data=response_form(), audit_id=scene["audit"].id).status_code == 403
