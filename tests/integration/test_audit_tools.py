"""Audit tools: drafts change, published versions never do; retire; new drafts; JSON export/import."""

import io
import json

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import AuditTool, CaseAudit, ChangeLog, Question, ToolVersion, VersionStatus
from audit_app.permissions import Role
from audit_app.tools import services
from tests.conftest import get, path_for, post, sign_in_as, text_of
from tests.factories import CaseAuditFactory, ThemeFactory, user_with


def test_the_seeded_tool_is_published_with_the_seeds_domains_and_guidance(app):
    version = services.seed_tool()
    assert version.status == VersionStatus.PUBLISHED
    titles = [d.title for d in version.domains]
    assert titles == [
        "Help at the right time and drift",
        "Assessment quality",
        "Voice and lived experience of the child",
        "Plans",
        "Visits",
        "Management oversight and supervision",
        "Multi-agency work",
        "Impact for the child",
    ]
    questions = [q for d in version.domains for q in d.questions]
    assert all(q.guidance for q in questions)
    assert any("seen alone" in q.text for q in questions)
    assert services.seed_tool().id == version.id  # idempotent


def test_a_qa_lead_builds_a_tool_and_publishes_it(qa_client):
    response = post(
        qa_client, "tools.new_tool", data={"name": "Early help audit", "description": "For early help files"}
    )
    version = db.session.scalar(select(ToolVersion).join(AuditTool).where(AuditTool.name == "Early help audit"))
    assert response.headers["Location"].endswith(path_for("tools.version", version_id=version.id))
    post(qa_client, "tools.domain", version_id=version.id, data={"title": "Voice of the child"})
    domain = version.domains[0]
    response = post(
        qa_client,
        "tools.question",
        domain_id=domain.id,
        data={
            "text": "Is the child's voice recorded?",
            "guidance": "Direct work recorded",
            "response_type": "grade",
            "allow_not_applicable": "y",
            "required": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(domain)
    assert domain.questions[0].allow_not_applicable and domain.questions[0].guidance == "Direct work recorded"
    post(qa_client, "tools.change_status", version_id=version.id, action="publish")
    db.session.refresh(version)
    assert version.status == VersionStatus.PUBLISHED and version.published_at


def test_a_question_needs_text_and_the_form_keeps_what_was_typed(qa_client):
    version = services.create_tool("Blank tool")
    domain = services.save_domain(version, None, title="Plans", description=None)
    response = post(
        qa_client,
        "tools.question",
        domain_id=domain.id,
        data={"text": "", "guidance": "Keep me", "response_type": "grade"},
    )
    html = response.get_data(as_text=True)
    assert "Enter the question" in html and "Keep me</textarea>" in html


def test_a_published_version_cannot_be_changed(qa_client):
    version = services.seed_tool()
    question = version.domains[0].questions[0]
    before = services.export_version(version)
    # Through the pages: refused with a message, nothing changed.
    response = post(
        qa_client,
        "tools.question",
        domain_id=question.domain_id,
        question_id=question.id,
        data={"text": "Changed", "response_type": "text"},
    )
    assert response.status_code == 302
    assert post(qa_client, "tools.delete_question", question_id=question.id).status_code == 302
    post(qa_client, "tools.domain", version_id=version.id, domain_id=question.domain_id, data={"title": "Changed"})
    db.session.expire_all()
    assert services.export_version(db.session.get(ToolVersion, version.id)) == before
    # Through the services and even directly on the model.
    with pytest.raises(services.VersionLocked):
        services.save_question(
            question.domain,
            question,
            text="Changed",
            guidance=None,
            response_type="grade",
            allow_not_applicable=False,
            evidence_required=False,
        )
    db.session.rollback()
    question = db.session.get(Question, question.id)
    question.text = "Changed directly"
    with pytest.raises(services.VersionLocked):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Question, question.id).text != "Changed directly"


def test_audits_keep_their_version_when_a_newer_one_is_published_and_retired(qa_client):
    version = services.seed_tool()
    audit = CaseAuditFactory(tool_version=version)
    response = post(qa_client, "tools.change_status", version_id=version.id, action="new_draft")
    draft = db.session.scalar(select(ToolVersion).where(ToolVersion.status == VersionStatus.DRAFT))
    assert response.headers["Location"].endswith(path_for("tools.version", version_id=draft.id))
    assert draft.number == 2
    assert services.export_version(draft) == services.export_version(version)
    services.save_domain(draft, draft.domains[0], title="Timeliness", description=None)
    post(qa_client, "tools.change_status", version_id=draft.id, action="publish")
    post(qa_client, "tools.change_status", version_id=version.id, action="retire")
    db.session.expire_all()
    assert db.session.get(ToolVersion, version.id).status == VersionStatus.RETIRED
    assert db.session.get(CaseAudit, audit.id).tool_version_id == version.id
    assert db.session.get(CaseAudit, audit.id).tool_version.domains[0].title == "Help at the right time and drift"
    assert [v.id for v in services.published_versions()] == [draft.id]


def test_export_then_import_gives_an_identical_tool(qa_client):
    version = services.seed_tool()
    exported = post(qa_client, "tools.export", version_id=version.id)
    assert exported.headers["Content-Disposition"].startswith('attachment; filename="case_file_audit-v1.json"')
    data = json.loads(exported.data)
    # Shared with another authority: imported as a new tool of the same content.
    data["tool"] = "Case file audit (shared)"
    response = post(
        qa_client,
        "tools.import_tool",
        data={"file": (io.BytesIO(json.dumps(data).encode()), "tool.json")},
        content_type="multipart/form-data",
    )
    imported = db.session.scalar(
        select(ToolVersion).join(AuditTool).where(AuditTool.name == "Case file audit (shared)")
    )
    assert response.headers["Location"].endswith(path_for("tools.version", version_id=imported.id))
    assert imported.status == VersionStatus.DRAFT
    again = services.export_version(imported)
    assert again == data
    # The same name imports as the next version of that tool.
    second = services.import_json(exported.data)
    assert second.tool_id == version.tool_id and second.number == 2
    assert services.export_version(second) == services.export_version(version)


def test_a_broken_file_imports_nothing_and_says_why(qa_client):
    bad = {
        "format": "case-audit-tool/1",
        "tool": "Broken",
        "domains": [{"key": "a", "title": "A", "questions": [{"key": "q", "text": "Q", "response_type": "stars"}]}],
    }
    response = post(
        qa_client,
        "tools.import_tool",
        data={"file": (io.BytesIO(json.dumps(bad).encode()), "tool.json")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "The file was not imported" in html and "response type must be grade, yes_no or text" in html
    assert db.session.scalar(select(AuditTool).where(AuditTool.name == "Broken")) is None
    response = post(
        qa_client,
        "tools.import_tool",
        data={"file": (io.BytesIO(b"not json"), "tool.json")},
        content_type="multipart/form-data",
    )
    assert "must be a JSON file" in response.get_data(as_text=True)


def test_changes_to_a_questions_default_themes_are_in_the_change_log_and_the_versions_history(qa_client):
    qa = user_with(Role.QA_LEAD, display_name="Quinn Lead")
    sign_in_as(qa_client, qa)
    names = ("Voice of the child", "Drift and delay", "Fathers and wider family")
    voice, drift, fathers = (ThemeFactory(name=n) for n in names)
    version = services.create_tool("Early help audit")
    domain = services.save_domain(version, None, title="Voice of the child", description=None)
    question = {"text": "Is the child's voice recorded?", "response_type": "grade", "required": "y"}
    post(qa_client, "tools.question", domain_id=domain.id, data={**question, "default_themes": [voice.id]})
    saved = domain.questions[0]
    url = path_for("tools.question", domain_id=domain.id, question_id=saved.id)
    qa_client.post(url, data={**question, "default_themes": [drift.id, voice.id]})
    qa_client.post(url, data={**question, "default_themes": [fathers.id]})
    qa_client.post(url, data={**question, "default_themes": [fathers.id]})  # no change

    changes = db.session.execute(
        select(ChangeLog.old_value, ChangeLog.new_value, ChangeLog.user_id)
        .where(ChangeLog.record_type == "question", ChangeLog.record_id == saved.id)
        .where(ChangeLog.field == "default_themes")
        .order_by(ChangeLog.id)
    ).all()
    assert changes == [
        (None, "Voice of the child", qa.id),
        ("Voice of the child", "Drift and delay, Voice of the child", qa.id),
        ("Drift and delay, Voice of the child", "Fathers and wider family", qa.id),
    ]
    history = text_of(get(qa_client, "tools.version", version_id=version.id)).split("History of changes")[1]
    assert (
        "Quinn Lead Question “Is the child's voice recorded?”: default themes "
        "Drift and delay, Voice of the child Fathers and wider family"
    ) in history


def test_a_copied_or_imported_question_records_its_default_themes(qa_client):
    version = services.seed_tool()
    draft = services.new_draft(version)
    copied = next(q for d in draft.domains for q in d.questions if q.default_themes)
    logged = db.session.scalar(
        select(ChangeLog.new_value).where(
            ChangeLog.record_type == "question", ChangeLog.record_id == copied.id, ChangeLog.field == "default_themes"
        )
    )
    assert logged == services.theme_names(copied) and logged
