"""Themes suggested while evidence is written: the endpoint, the forms' status regions, the admin page."""

import logging
import re
from datetime import date

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import ChangeLog, Theme
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import get, post, sign_in_as
from tests.factories import CaseAuditFactory, icpc_booking, user_with
from tests.integration.test_theme_suggestions import themes, train_csv

TEXT = "No record of the child's wishes and feelings for CMS104233."


def row_counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_suggestions_come_as_a_fragment_with_a_tick_button_and_the_words_behind_each(app, client, caplog):
    named = themes()
    train_csv()
    sign_in_as(client, user_with(Role.AUDITOR))
    before = row_counts()
    with caplog.at_level(logging.DEBUG):
        response = post(client, "themes.suggest", data={"q7-evidence": TEXT}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'data-theme-id="{named["Voice of the child"].id}">Tick Voice of the child</button>' in html
    assert "because of “child”" in html or "because of “wishes”" in html
    assert "Drift and delay" not in html
    # Read, never kept: no row written, nothing logged with the text in it.
    assert row_counts() == before
    assert not [r for r in caplog.records if "wishes" in r.getMessage() or "CMS104233" in r.getMessage()]


def test_nothing_to_suggest_is_an_empty_region(app, client):
    themes()
    train_csv()
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    for data in ({"working_well": "", "needs_to_improve": "  "}, {"working_well": "Case notes are clear."}, {}):
        response = post(client, "themes.suggest", data=data, headers={"HX-Request": "true"})
        assert response.status_code == 200 and response.get_data(as_text=True) == ""  # so the box hides (:empty)


def test_before_any_model_is_trained_nothing_is_suggested(app, client):
    themes()
    sign_in_as(client, user_with(Role.AUDITOR))
    response = post(client, "themes.suggest", data={"q7-evidence": TEXT})
    assert response.status_code == 200 and "Tick" not in response.get_data(as_text=True)


def test_the_endpoint_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    sign_in_as(client, user_with(Role.AUDITOR))
    assert post(client, "themes.suggest", data={"q7-evidence": TEXT}).status_code == 400


def test_the_audit_form_has_a_suggestion_region_for_each_evidence_box(app, client):
    auditor = user_with(Role.AUDITOR)
    audit = CaseAuditFactory(tool_version=seed_tool(), auditor=auditor, due_date=date(2021, 11, 15))
    sign_in_as(client, auditor)
    page = audit.tool_version.domains[0]
    html = get(client, "audits.page", audit_id=audit.id, page_key=page.key).get_data(as_text=True)
    question = next(q for q in page.questions if q.response_type != "text")
    qid = f"q{question.id}"
    assert f'id="{qid}-theme-suggestions" class="app-theme-suggestions" role="status" aria-live="polite"' in html
    assert f'data-theme-checkboxes="{qid}-themes"' in html
    assert f'hx-trigger="input changed delay:600ms from:#{qid}-evidence"' in html
    assert f'hx-params="{qid}-evidence"' in html
    assert "js/theme_suggestions" in html


def test_the_observation_form_suggests_from_what_was_found(app, client):
    booking = icpc_booking()
    sign_in_as(client, booking.observer)
    response = post(
        client, "practice_week.start_observation", week_id=booking.week_id, data={"activity_id": booking.id}
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="observation-theme-suggestions"' in html and 'data-theme-checkboxes="theme_ids"' in html
    assert 'hx-params="working_well,needs_to_improve"' in html


def test_the_themes_page_shows_the_current_model_and_keywords_can_be_edited(app, client):
    named = themes()
    sign_in_as(client, user_with(Role.QA_LEAD))
    assert "No model has been trained yet" in get(client, "themes.manage").get_data(as_text=True)
    (trained, _) = train_csv()
    html = get(client, "themes.manage").get_data(as_text=True)
    record = trained.record
    assert f"{record.examples} texts from generated.csv, and the words of 3 themes" in html
    assert f"{record.precision_at_3:.0%} of the suggestions on the {record.held_out} texts held out" in html
    assert f"{record.recall_at_3:.0%} of the themes ticked on them were suggested" in html
    # The model's section is shown once, under the list, and the window's title is the page's own.
    assert html.count('id="suggestion-model"') == 1
    assert re.search(r"<title>\s*Manage themes – ", html)
    theme = named["Fathers and wider family"]
    response = post(
        client,
        "themes.edit",
        theme_id=theme.id,
        data={"name": theme.name, "description": "", "keywords": " dad, paternal family "},
    )
    assert response.status_code == 302
    assert db.session.get(Theme, theme.id).keywords == "dad, paternal family"
    logged = db.session.scalars(select(ChangeLog).where(ChangeLog.record_id == theme.id)).all()
    assert any(c.field == "keywords" and c.new_value == "dad, paternal family" for c in logged)
