"""Good practice: an auditor flags a judgement (autosaved with the page, change-logged) and an observer an
observation; QA leads list what was flagged by theme and period, each row leading to its audit or
observation. Runs on SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChangeLog
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import (
    CaseAuditFactory,
    CaseFactory,
    JudgementFactory,
    ObservationFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)


def test_an_auditor_flags_a_judgement_as_good_practice(client):
    version = seed_tool()
    audit = CaseAuditFactory(tool_version=version)
    sign_in_as(client, audit.auditor)
    domain = version.domains[0]
    q = domain.questions[0]
    data = {
        "version": audit.version,
        f"q{q.id}-grade": "1",
        f"q{q.id}-evidence": "Plan written with the family.",
        f"q{q.id}-good_practice": "yes",
    }
    assert post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data).status_code == 302
    db.session.refresh(audit)
    assert [j.good_practice for j in audit.judgements] == [True]
    logged = db.session.scalar(select(ChangeLog).where(ChangeLog.field == "good_practice"))
    assert logged.user_id == audit.auditor_id and logged.new_value == "yes"
    page = get(client, "audits.page", audit_id=audit.id, page_key=domain.key).get_data(as_text=True)
    assert re.search(rf'name="q{q.id}-good_practice"[^>]*value="yes"[^>]*checked', page)
    assert "Good practice to share" in get(client, "audits.check", audit_id=audit.id).get_data(as_text=True)
    # Unticked and saved again: no longer flagged (a missing checkbox is "no").
    data.pop(f"q{q.id}-good_practice")
    data["version"] = audit.version
    post(client, "audits.page", audit_id=audit.id, page_key=domain.key, data=data)
    db.session.refresh(audit)
    assert [j.good_practice for j in audit.judgements] == [False]


@pytest.fixture
def flagged(app):
    version = published_tool()
    voice, plans = ThemeFactory(name="Voice of the child"), ThemeFactory(name="SMART plans")
    shared = submitted_audit(version, {}, case=CaseFactory(case_reference="CMS900001"))
    other = submitted_audit(version, {}, case=CaseFactory(case_reference="CMS900002"))
    not_flagged = submitted_audit(version, {}, case=CaseFactory(case_reference="CMS900003"))
    questions = [d.questions[0] for d in version.domains]
    JudgementFactory(
        audit=shared,
        question=questions[0],
        grade=1,
        evidence="Direct work recorded.",
        good_practice=True,
        themes=[voice],
    )
    JudgementFactory(
        audit=other, question=questions[1], grade=2, evidence="Plan is SMART.", good_practice=True, themes=[plans]
    )
    JudgementFactory(audit=not_flagged, question=questions[0], grade=1, evidence="Not flagged.", themes=[voice])
    observation = ObservationFactory(
        good_practice=True, working_well="Chair let the young person lead.", themes=[voice]
    )
    ObservationFactory(good_practice=False, working_well="Ordinary meeting.", themes=[voice])
    db.session.commit()
    return {"voice": voice, "shared": shared, "other": other, "observation": observation}


def test_qa_leads_see_good_practice_by_theme_and_period(client, flagged):
    sign_in_as(client, user_with(Role.QA_LEAD))
    response = get(client, "themes.evidence", good_practice="1", theme=flagged["voice"].id, period="2021-Q4")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Good practice to share, theme Voice of the child" in page
    assert "CMS900001" in page and "Direct work recorded." in page
    assert "CMS900002" not in page  # another theme
    assert "CMS900003" not in page  # not flagged
    assert path_for("audits.view", audit_id=flagged["shared"].id) in page
    assert "Chair let the young person lead." in page and "Ordinary meeting." not in page
    assert path_for("practice_week.view_observation", observation_id=flagged["observation"].id) in page
    every_theme = get(client, "themes.evidence", good_practice="1", period="2021-Q4").get_data(as_text=True)
    assert "CMS900001" in every_theme and "CMS900002" in every_theme and "CMS900003" not in every_theme
    earlier = get(client, "themes.evidence", good_practice="1", period="2021-Q1").get_data(as_text=True)
    assert "CMS900001" not in earlier


def test_an_observer_flags_an_observation_as_good_practice(client):
    from audit_app.models import Observation
    from tests.factories import icpc_booking
    from tests.integration.test_practice_week_observations import complete_form, start_as_observer

    booking = icpc_booking()
    observation = start_as_observer(client, booking)
    data = complete_form(observation, good_practice="y", submit_observation="Submit observation")
    assert post(client, "practice_week.observation", observation_id=observation.id, data=data).status_code == 302
    observation = db.session.get(Observation, observation.id)
    db.session.refresh(observation)
    assert observation.good_practice is True
    logged = db.session.scalar(
        select(ChangeLog).where(
            ChangeLog.record_type == "observation", ChangeLog.field == "good_practice", ChangeLog.new_value == "yes"
        )
    )
    assert logged.user_id == booking.observer_id
    view = get(client, "practice_week.view_observation", observation_id=observation.id).get_data(as_text=True)
    assert re.search(r"Good practice to share\s*</dt>\s*<dd[^>]*>\s*Yes", view)
