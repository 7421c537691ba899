"""The theme taxonomy: QA leads add, rename, merge and retire themes, with history."""

from datetime import UTC, date

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChangeLog, Theme
from audit_app.permissions import Role
from audit_app.themes import services
from tests.conftest import get, post, sign_in_as
from tests.factories import (
    ObservationFactory,
    QuickWinFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)


@pytest.fixture
def qa(app):
    return user_with(Role.QA_LEAD, display_name="Quinn QA")


@pytest.fixture
def qa_client(client, qa):
    sign_in_as(client, qa)
    return client


def history(record_type, record_id):
    return db.session.execute(
        select(ChangeLog.field, ChangeLog.old_value, ChangeLog.new_value)
        .where(ChangeLog.record_type == record_type, ChangeLog.record_id == record_id)
        .order_by(ChangeLog.id)
    ).all()


def test_a_qa_lead_adds_a_theme_and_errors_keep_what_was_typed(app, qa_client):
    ThemeFactory(name="Drift and delay")
    response = post(qa_client, "themes.manage", data={"name": "drift and delay", "description": "Plans progress"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "A theme with this name already exists" in page
    assert 'value="drift and delay"' in page and "Plans progress" in page
    response = post(qa_client, "themes.manage", data={"name": ""})
    assert "Enter the name of the theme" in response.get_data(as_text=True)
    data = {"name": "Safety planning", "description": "Clear safety plans"}
    response = post(qa_client, "themes.manage", data=data, follow_redirects=True)
    assert "Added the theme Safety planning." in response.get_data(as_text=True)
    assert db.session.scalar(select(Theme).where(Theme.name == "Safety planning")).description == "Clear safety plans"


def test_renaming_a_theme_is_recorded_in_its_history(app, qa_client):
    theme = ThemeFactory(name="Voice of child")
    data = {"name": "Voice of the child", "description": ""}
    response = post(qa_client, "themes.edit", data=data, follow_redirects=True, theme_id=theme.id)
    page = response.get_data(as_text=True)
    assert "Saved the theme Voice of the child." in page
    assert ("name", "Voice of child", "Voice of the child") in history("theme", theme.id)
    assert "Quinn QA" in page and "Voice of child" in page  # who and the old name, in the history table


def test_a_theme_saved_under_its_own_name_is_not_refused_as_taken(app, qa_client):
    theme = ThemeFactory(name="Voice of the child")
    data = {"name": "voice of the child ", "description": "The child's wishes and feelings"}
    response = post(qa_client, "themes.edit", data=data, follow_redirects=True, theme_id=theme.id)
    page = response.get_data(as_text=True)
    assert "Saved the theme" in page and "already exists" not in page
    assert db.session.get(Theme, theme.id).description == "The child's wishes and feelings"


def test_merging_moves_every_judgement_observation_and_quick_win_and_records_it(app, qa_client):
    version = published_tool(("voice_of_child",))
    source, target = ThemeFactory(name="Child's voice"), ThemeFactory(name="Voice of the child")
    audit = submitted_audit(version, {"voice_of_child": 3})
    both = submitted_audit(version, {"voice_of_child": 2})
    judgement, already = audit.judgements[0], both.judgements[0]
    judgement.themes.append(source)
    already.themes.extend([source, target])  # tagged with both: stays tagged once
    observation = ObservationFactory(observed_on=date(2021, 10, 5))
    observation.themes.append(source)
    quick_win = QuickWinFactory(observation=observation, theme=source)
    db.session.commit()

    response = post(qa_client, "themes.merge", data={"target": target.id}, follow_redirects=True, theme_id=source.id)
    page = response.get_data(as_text=True)
    assert (
        "Merged Child&#39;s voice into Voice of the child: 2 judgements, 1 observations and 1 quick wins moved." in page
        or "Merged Child's voice into Voice of the child: 2 judgements, 1 observations and 1 quick wins moved." in page
    )
    db.session.expire_all()
    assert [t.name for t in db.session.get(type(judgement), judgement.id).themes] == ["Voice of the child"]
    assert [t.name for t in db.session.get(type(already), already.id).themes] == ["Voice of the child"]
    assert [t.name for t in db.session.get(type(observation), observation.id).themes] == ["Voice of the child"]
    assert db.session.get(type(quick_win), quick_win.id).theme_id == target.id
    source = db.session.get(Theme, source.id)
    assert not source.is_active and source.merged_into_id == target.id
    assert ("themes", "Child's voice", "Voice of the child") in history("judgement", judgement.id)
    assert ("themes", "Child's voice", "Voice of the child") in history("observation", observation.id)
    assert ("theme_id", str(source.id), str(target.id)) in history("quick_win", quick_win.id)
    assert ("merged in", None, "Child's voice (2 judgements, 1 observations, 1 quick wins)") in history(
        "theme", target.id
    )
    assert ("merged_into_id", None, str(target.id)) in history("theme", source.id)
    # The merged theme cannot be merged again, nor into itself.
    again = post(qa_client, "themes.merge", data={"target": target.id}, theme_id=source.id)
    assert "no longer in use" in again.get_data(as_text=True)
    with pytest.raises(ValueError):
        services.merge_themes(target, target)


def test_a_merge_needs_a_target(app, qa_client):
    theme = ThemeFactory()
    response = post(qa_client, "themes.merge", data={"target": "0"}, theme_id=theme.id)
    assert "Select the theme to merge into" in response.get_data(as_text=True)
    assert db.session.get(Theme, theme.id).is_active


def test_retiring_and_reinstating_a_theme(app, qa_client):
    theme = ThemeFactory(name="Thresholds")
    post(qa_client, "themes.retire", theme_id=theme.id, action="retire")
    db.session.expire_all()
    assert not db.session.get(Theme, theme.id).is_active
    page = get(qa_client, "themes.manage").get_data(as_text=True)
    assert "Retired" in page
    post(qa_client, "themes.retire", theme_id=theme.id, action="reinstate")
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).is_active
    assert [h for h in history("theme", theme.id) if h[0] == "is_active"][-2:] == [
        ("is_active", "yes", "no"),
        ("is_active", "no", "yes"),
    ]


def test_taxonomy_forms_need_the_csrf_token(csrf_app, qa):
    theme = ThemeFactory(name="Supervision")
    client = csrf_app.test_client()
    sign_in_as(client, qa)
    assert post(client, "themes.manage", data={"name": "New"}).status_code == 400
    assert post(client, "themes.edit", data={"name": "Changed"}, theme_id=theme.id).status_code == 400
    assert post(client, "themes.retire", theme_id=theme.id, action="retire").status_code == 400
    assert post(client, "themes.merge", data={"target": ThemeFactory().id}, theme_id=theme.id).status_code == 400
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).name == "Supervision" and db.session.get(Theme, theme.id).is_active


def test_senior_managers_cannot_change_themes(app, client):
    theme = ThemeFactory()
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    assert post(client, "themes.edit", data={"name": "Changed"}, theme_id=theme.id).status_code == 403
    assert post(client, "themes.retire", theme_id=theme.id, action="retire").status_code == 403


def test_a_merge_dates_every_moved_record_like_the_rest_of_its_history(app, qa):
    """The moved judgements' history goes through the change log's one path: the same person and the same
    moment as the theme's own 'merged in' row (demo data dated in the past included)."""
    from datetime import datetime

    from audit_app.changelog import acting_as, stamped_at

    version = published_tool(("voice_of_child",))
    source, target = ThemeFactory(name="Child's voice"), ThemeFactory(name="Voice of the child")
    judgement = submitted_audit(version, {"voice_of_child": 3}).judgements[0]
    judgement.themes.append(source)
    db.session.commit()
    when = datetime(2021, 3, 4, 10, 30, tzinfo=UTC)
    with acting_as(qa), stamped_at(when):
        services.merge_themes(source, target)
    rows = db.session.execute(
        select(ChangeLog.record_type, ChangeLog.user_id, ChangeLog.changed_at).where(
            ChangeLog.field.in_(["themes", "merged in"])
        )
    ).all()
    assert sorted(r.record_type for r in rows) == ["judgement", "theme"]
    assert {(r.user_id, r.changed_at.replace(tzinfo=UTC)) for r in rows} == {(qa.id, when)}
