"""The external auditor (police, health, education): only their audits in multi-agency programmes."""

import pytest

from audit_app.models import ProgrammeKind
from audit_app.permissions import Role
from audit_app.programmes import services as programmes
from audit_app.tools.services import seed_tool
from tests.conftest import get, post, sign_in_as
from tests.factories import AuditProgrammeFactory, CaseAuditFactory, CaseFactory, user_with


def test_an_external_auditor_reaches_only_their_multi_agency_audits(client):
    version = seed_tool()
    external = user_with(Role.EXTERNAL_AUDITOR, display_name="Pat Police")
    multi = AuditProgrammeFactory(tool_version=version, kind=ProgrammeKind.MULTI_AGENCY.value, name="MASH review")
    dip = AuditProgrammeFactory(tool_version=version, name="Dip sample")
    theirs = CaseAuditFactory(tool_version=version, programme=multi, auditor=external)
    # Given to them by mistake in a programme of another kind: still out of reach.
    stray = CaseAuditFactory(tool_version=version, programme=dip, auditor=external)
    colleague = CaseAuditFactory(tool_version=version, programme=multi)
    sign_in_as(client, external)

    mine = get(client, "audits.my_audits").get_data(as_text=True)
    assert theirs.case.case_reference in mine and stray.case.case_reference not in mine
    assert colleague.case.case_reference not in mine
    assert get(client, "audits.task_list", audit_id=theirs.id).status_code == 200
    key = version.domains[0].key
    assert get(client, "audits.page", audit_id=theirs.id, page_key=key).status_code == 200
    assert get(client, "audits.task_list", audit_id=stray.id).status_code == 403
    assert get(client, "audits.page", audit_id=stray.id, page_key=key).status_code == 403
    assert get(client, "audits.view", audit_id=colleague.id).status_code == 403
    for endpoint in ("programmes.index", "themes.summary", "admin.cases", "moderation.index", "followups.index"):
        assert get(client, endpoint).status_code == 403, endpoint
    assert post(client, "audits.submit", audit_id=stray.id).status_code == 403
    home = get(client, "main.home").get_data(as_text=True)
    assert "Programmes" not in home and "Theme summary" not in home


def test_external_auditors_are_offered_only_on_multi_agency_programmes(app):
    version = seed_tool()
    external = user_with(Role.EXTERNAL_AUDITOR)
    auditor = user_with(Role.AUDITOR)
    multi = AuditProgrammeFactory(tool_version=version, kind=ProgrammeKind.MULTI_AGENCY.value)
    dip = AuditProgrammeFactory(tool_version=version)
    assert {external.id, auditor.id} <= {i for i, _ in programmes.auditor_choices(multi)}
    assert external.id not in {i for i, _ in programmes.auditor_choices(dip)}
    case = CaseFactory()
    with pytest.raises(ValueError):
        programmes.assign(dip, [case.id], external.id)
    assert programmes.assign(multi, [case.id], external.id) == 1
