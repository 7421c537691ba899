"""Sections and questions for some case types in the tool editor: saved with the draft, shown on the
version, part of the version (copied to a new draft, exported and imported). SQLite and PostgreSQL."""

import json

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import Domain
from audit_app.tools import services
from audit_app.tools.services.transfer import ImportProblem
from tests.conftest import get, post


@pytest.fixture
def draft(qa_client):
    version = services.create_tool("Care leavers audit")
    post(qa_client, "tools.domain", version_id=version.id, data={"title": "Assessment"})
    post(
        qa_client,
        "tools.domain",
        version_id=version.id,
        data={"title": "Pathway planning", "applies_to": ["care_leaver"]},
    )
    for domain in version.domains:
        post(
            qa_client,
            "tools.question",
            domain_id=domain.id,
            data={"text": f"How good is {domain.title}?", "response_type": "grade", "required": "y"},
        )
    post(
        qa_client,
        "tools.question",
        domain_id=version.domains[0].id,
        data={"text": "Is the care plan up to date?", "response_type": "grade", "applies_to": ["child_in_care", "cp"]},
    )
    db.session.expire_all()
    return version


def test_a_domain_and_a_question_for_some_case_types_only(qa_client, draft):
    assessment, pathway = draft.domains
    assert assessment.case_type_list == [] and pathway.case_type_list == ["care_leaver"]
    assert [q.case_type_list for q in assessment.questions] == [[], ["cp", "child_in_care"]]
    page = get(qa_client, "tools.version", version_id=draft.id).get_data(as_text=True)
    assert "For: Care Leaver" in page and "Child Protection, Child in Care" in page and "For: Every case type" in page
    form = get(qa_client, "tools.domain", version_id=draft.id, domain_id=pathway.id).get_data(as_text=True)
    assert 'value="care_leaver" checked' in form


def test_every_case_type_ticked_is_the_same_as_none(qa_client, draft):
    pathway = draft.domains[1]
    every = ["early_help", "cin", "cp", "child_in_care", "care_leaver"]
    post(
        qa_client,
        "tools.domain",
        version_id=draft.id,
        domain_id=pathway.id,
        data={"title": "Pathway planning", "applies_to": every},
    )
    db.session.expire_all()
    assert pathway.case_types is None and pathway.applies_to("cin")


def test_an_unknown_case_type_is_a_form_error(qa_client, draft):
    response = post(qa_client, "tools.domain", version_id=draft.id, data={"title": "New", "applies_to": ["adult"]})
    assert response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(Domain).where(Domain.title == "New")) is None


def test_case_types_are_part_of_the_version_copied_exported_and_imported(qa_client, draft):
    post(qa_client, "tools.change_status", version_id=draft.id, action="publish")
    copy = services.new_draft(draft)
    assert [d.case_type_list for d in copy.domains] == [[], ["care_leaver"]]
    assert copy.domains[0].questions[1].case_type_list == ["cp", "child_in_care"]
    data = json.loads(post(qa_client, "tools.export", version_id=draft.id).data)
    assert data["domains"][1]["case_types"] == ["care_leaver"]
    data["tool"] = "Shared care leavers audit"
    imported = services.import_json(json.dumps(data))
    assert services.export_version(imported)["domains"] == data["domains"]
    data["domains"][1]["case_types"] = ["adult"]
    data["tool"] = "Broken"
    with pytest.raises(ImportProblem, match="Domain 2: case_types must be a list of case types"):
        services.import_json(json.dumps(data))
