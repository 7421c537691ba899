"""Learning briefings: a QA lead writes and publishes one; the teams it goes to are told, read and acknowledge it."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from audit_app.briefings import demo as briefings_demo
from audit_app.demo import seed_organisation
from audit_app.extensions import db
from audit_app.models import Briefing, BriefingReceipt, Notification
from audit_app.permissions import Role
from tests.conftest import get, path_for, post, sign_in_as
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    ServiceFactory,
    TeamFactory,
    published_tool,
    submitted_audit,
    user_with,
)

TEXT = {
    "title": "Plans that say what will change",
    "key_findings": "Plans do not always say what will change for the child.\n\nThe child's words are often missing.",
    "what_good_looks_like": "Every plan says what will change, by when, and who will do it.",
    "good_practice_examples": "One team reads the plan with the child at each visit.",
}


@pytest.fixture
def people(app):
    service = ServiceFactory(name="Children & Families")
    north = TeamFactory(name="North Children & Families 1", service=service)
    south = TeamFactory(name="South Children & Families 1", service=service)
    front_door = TeamFactory(name="Initial Response")
    return {
        "qa": user_with(Role.QA_LEAD, display_name="Quinn QA"),
        "worker": user_with(Role.PRACTITIONER, team_id=north.id, display_name="Sam Worker"),
        "manager": user_with(Role.TEAM_MANAGER, team_id=north.id, display_name="Taylor Manager"),
        "south_worker": user_with(Role.PRACTITIONER, team_id=south.id, display_name="Robin South"),
        "front_door_worker": user_with(Role.PRACTITIONER, team_id=front_door.id, display_name="Jo Front"),
        "north": north,
        "south": south,
        "front_door": front_door,
        "service": service,
    }


def as_user(client, user):
    sign_in_as(client, user)
    return client


def write(client, **changes):
    return post(client, "briefings.new", data={**TEXT, "form_token": "token-" + "a" * 30, **changes})


def draft(people) -> Briefing:
    return Briefing(title=TEXT["title"], key_findings="Findings.", what_good_looks_like="Good.", status="draft")


def saved_draft(people) -> Briefing:
    briefing = draft(people)
    db.session.add(briefing)
    db.session.commit()
    return briefing


def published_to(briefing, *, teams=(), services=()):
    """Publish through the service, as the publish page does (it builds the notification's link)."""
    from flask import current_app

    from audit_app.briefings import services as briefing_services

    db.session.add(briefing)
    db.session.flush()
    with current_app.test_request_context():
        briefing_services.publish(briefing, services=list(services), teams=list(teams))
    return briefing


def test_a_qa_lead_saves_a_draft_once_however_often_the_form_is_sent(client, people):
    as_user(client, people["qa"])
    first, again = write(client), write(client)
    briefing = db.session.scalar(select(Briefing))
    assert (
        first.headers["Location"]
        == again.headers["Location"]
        == path_for("briefings.briefing", briefing_id=briefing.id)
    )
    assert db.session.scalar(select(func.count(Briefing.id))) == 1
    assert briefing.status == "draft" and briefing.key_findings == TEXT["key_findings"]
    page = get(client, "briefings.briefing", briefing_id=briefing.id).get_data(as_text=True)
    assert "The child&#39;s words are often missing." in page and "(draft)" in page


def test_a_case_reference_is_refused_on_its_field_and_nothing_typed_is_lost(client, people):
    as_user(client, people["qa"])
    findings = "Seen on CMS104233: the plan did not say what would change. In 2021, 10 key tips were shared."
    response = write(client, key_findings=findings)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Key findings must not hold a case reference: remove CMS104233" in page
    assert 'href="#key_findings"' in page  # the GOV.UK error summary links to the field
    assert findings in page and TEXT["what_good_looks_like"] in page  # what was typed is still there
    assert db.session.scalar(select(func.count(Briefing.id))) == 0
    # Years and counts alone are fine.
    assert write(client, key_findings="In 2021, 10 key tips were shared.").status_code == 302


def test_editing_a_briefing_checks_references_too_and_records_the_change(client, people):
    briefing = saved_draft(people)
    as_user(client, people["qa"])
    data = {**TEXT, "version": str(briefing.version)}
    refused = post(client, "briefings.edit", briefing_id=briefing.id, data={**data, "title": "About LA-20431"})
    assert "The title must not hold a case reference: remove LA-20431" in refused.get_data(as_text=True)
    assert post(client, "briefings.edit", briefing_id=briefing.id, data=data).status_code == 302
    page = get(client, "briefings.briefing", briefing_id=briefing.id).get_data(as_text=True)
    assert "The child&#39;s words are often missing." in page
    history = page[page.index('id="history"') :]
    assert "key findings" in history and "Findings." in history and "Quinn QA" in history


def test_publishing_tells_the_teams_it_reaches_once_and_no_one_else(client, people):
    briefing = saved_draft(people)
    as_user(client, people["qa"])
    data = {"services": [str(people["service"].id)], "teams": []}
    response = post(client, "briefings.publish", briefing_id=briefing.id, data=data)
    assert response.headers["Location"] == path_for("briefings.readers", briefing_id=briefing.id)
    post(client, "briefings.publish", briefing_id=briefing.id, data=data)  # sent again: nobody is told twice
    told = {n.user.display_name: n for n in db.session.scalars(select(Notification))}
    assert db.session.scalar(select(func.count(Notification.id))) == len(told)
    assert set(told) == {"Sam Worker", "Taylor Manager", "Robin South"}  # the service's two teams, not the front door
    notice = told["Sam Worker"]
    assert notice.link == path_for("briefings.briefing", briefing_id=briefing.id)
    assert TEXT["title"] not in notice.subject and not re.search(r"\d{3}", notice.subject)
    db.session.refresh(briefing)
    assert briefing.status == "published" and briefing.published_at is not None
    history = get(client, "briefings.briefing", briefing_id=briefing.id).get_data(as_text=True)
    assert "audience" in history and "Children &amp; Families" in history and "published" in history


def test_publishing_needs_a_service_or_a_team(client, people):
    briefing = saved_draft(people)
    as_user(client, people["qa"])
    page = post(client, "briefings.publish", briefing_id=briefing.id, data={}).get_data(as_text=True)
    assert "Select at least one service or team" in page and 'href="#services"' in page
    assert db.session.get(Briefing, briefing.id).status == "draft"


def test_the_worker_sees_it_at_home_unread_first_opens_it_and_acknowledges_it_once(client, people):
    older = published_to(draft(people), teams=[people["north"]])
    newer = published_to(
        Briefing(title="Seeing children alone", key_findings="F.", what_good_looks_like="G."), teams=[people["north"]]
    )
    as_user(client, people["worker"])
    get(client, "briefings.briefing", briefing_id=newer.id)  # read: goes below the unread one
    home = get(client, "main.home").get_data(as_text=True)
    assert home.index(TEXT["title"]) < home.index("Seeing children alone")
    page = get(client, "briefings.briefing", briefing_id=older.id).get_data(as_text=True)
    assert "I have read this and will use it in my practice" in page
    post(client, "briefings.acknowledge", briefing_id=older.id)
    first = db.session.scalar(select(BriefingReceipt.acknowledged_at).where(BriefingReceipt.briefing_id == older.id))
    post(client, "briefings.acknowledge", briefing_id=older.id)
    receipts = db.session.scalars(select(BriefingReceipt).where(BriefingReceipt.briefing_id == older.id)).all()
    assert len(receipts) == 1 and receipts[0].acknowledged_at == first is not None
    page = get(client, "briefings.briefing", briefing_id=older.id).get_data(as_text=True)
    assert "You acknowledged this briefing on" in page and "will use it in my practice" not in page


def test_the_home_page_has_a_briefings_panel_only_for_people_a_briefing_went_to(client, people):
    published_to(draft(people), teams=[people["north"]])
    as_user(client, people["worker"])
    assert "Learning briefings from audit" in get(client, "main.home").get_data(as_text=True)
    as_user(client, people["front_door_worker"])
    assert "Learning briefings from audit" not in get(client, "main.home").get_data(as_text=True)


def test_a_briefing_is_only_for_the_teams_it_went_to_and_drafts_only_for_qa_leads(client, people):
    briefing = published_to(draft(people), teams=[people["north"]])
    unpublished = draft(people)
    db.session.add(unpublished)
    db.session.commit()
    as_user(client, people["front_door_worker"])
    assert get(client, "briefings.briefing", briefing_id=briefing.id).status_code == 403
    assert post(client, "briefings.acknowledge", briefing_id=briefing.id).status_code == 403
    assert TEXT["title"] not in get(client, "main.home").get_data(as_text=True)
    as_user(client, people["worker"])
    assert get(client, "briefings.briefing", briefing_id=unpublished.id).status_code == 403
    index = get(client, "briefings.index").get_data(as_text=True)
    assert index.count(TEXT["title"]) == 1  # the published one only
    # Senior managers read every published briefing, without an acknowledge button.
    as_user(client, user_with(Role.SENIOR_MANAGER))
    page = get(client, "briefings.briefing", briefing_id=briefing.id).get_data(as_text=True)
    assert TEXT["title"] in page and "will use it in my practice" not in page


def test_the_qa_lead_sees_read_and_acknowledged_by_team_and_who_has_not(client, people):
    briefing = published_to(draft(people), services=[people["service"]])
    for person, acknowledge in [(people["worker"], True), (people["manager"], False)]:
        as_user(client, person)
        get(client, "briefings.briefing", briefing_id=briefing.id)
        if acknowledge:
            post(client, "briefings.acknowledge", briefing_id=briefing.id)
    as_user(client, people["qa"])
    page = get(client, "briefings.readers", briefing_id=briefing.id).get_data(as_text=True)
    north = re.search(r"North Children &amp; Families 1</th>(.*?)</tr>", page, re.S).group(1)
    south = re.search(r"South Children &amp; Families 1</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">\s*(\d+ of \d+)\s*<", north) == ["2 of 2", "1 of 2"]
    assert re.findall(r">\s*(\d+ of \d+)\s*<", south) == ["0 of 1", "0 of 1"]
    waiting = page[page.index('id="waiting"') :]
    assert "Taylor Manager" in waiting and "Robin South" in waiting and "Sam Worker" not in waiting
    assert "Initial Response" not in page


@pytest.fixture
def findings_scene(app):
    """Ten audits in a Q4 2021 programme, all Inadequate for assessment: an area for improvement."""
    version = published_tool(("assessment_quality", "voice_of_child"))
    programme = AuditProgrammeFactory(
        tool_version=version, name="Q4 audits", period_start=date(2021, 10, 1), period_end=date(2021, 12, 31)
    )
    for _ in range(10):
        submitted_audit(
            version, {"assessment_quality": 4, "voice_of_child": 1}, case=CaseFactory(), programme=programme
        )
    return programme


def test_a_briefing_starts_from_the_theme_summarys_findings_or_a_programmes(client, people, findings_scene):
    as_user(client, people["qa"])
    summary = get(client, "themes.summary", period="2021-Q4", grades="original").get_data(as_text=True)
    link = re.search(r'id="write-briefing" href="([^"]+)"', summary).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert "Area for improvement:" in page and "Strength:" in page and "100%" in page
    from_programme = get(client, "briefings.new", programme=findings_scene.id).get_data(as_text=True)
    assert "Q4 audits" in from_programme and "Area for improvement:" in from_programme
    saved = client.post(link, data={**TEXT, "form_token": "token-" + "b" * 30})
    assert saved.status_code == 302
    programme_page = get(client, "programmes.programme", programme_id=findings_scene.id).get_data(as_text=True)
    assert "Write a briefing from this programme" in programme_page


def test_the_demo_has_a_published_briefing_with_acknowledgements_and_a_draft_once(app):
    seed_organisation("demo-password")
    briefings_demo.seed_briefings("demo-password")
    briefings_demo.seed_briefings("demo-password")
    briefings = {b.title: b for b in db.session.scalars(select(Briefing))}
    assert set(briefings) == {briefings_demo.PUBLISHED_TITLE, briefings_demo.DRAFT_TITLE}
    published = briefings[briefings_demo.PUBLISHED_TITLE]
    assert published.is_published and briefings[briefings_demo.DRAFT_TITLE].status == "draft"
    receipts = db.session.scalars(select(BriefingReceipt).where(BriefingReceipt.briefing_id == published.id)).all()
    assert len(receipts) == 3 and sum(r.acknowledged_at is not None for r in receipts) == 2


def test_an_edit_from_an_older_copy_is_refused_with_both_texts_until_the_person_keeps_theirs(client, people):
    briefing = saved_draft(people)
    opened = str(briefing.version)
    as_user(client, people["qa"])
    first = {**TEXT, "version": opened}
    assert post(client, "briefings.edit", briefing_id=briefing.id, data=first).status_code == 302
    mine = {**TEXT, "what_good_looks_like": "Plans name who does what, by when.", "version": opened}
    refused = post(client, "briefings.edit", briefing_id=briefing.id, data=mine)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Your latest changes have not been saved" in page
    assert TEXT["what_good_looks_like"] in page and "Plans name who does what, by when." in page
    db.session.refresh(briefing)
    assert briefing.what_good_looks_like == TEXT["what_good_looks_like"]  # nothing overwritten
    keep = re.search(r'name="keep_mine" value="(\d+)"', page).group(1)
    assert post(client, "briefings.edit", briefing_id=briefing.id, data={**mine, "keep_mine": keep}).status_code == 302
    db.session.refresh(briefing)
    assert briefing.what_good_looks_like == "Plans name who does what, by when."
