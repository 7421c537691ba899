"""Administration: users and roles, the organisation, cases and the CSV import."""

import io
import json
import re

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Case, ChangeLog, Locality, User
from audit_app.permissions import Role
from tests.conftest import get, post, sign_in_as
from tests.factories import CaseFactory, TeamFactory, user_with


def admin_client(app):
    client = app.test_client()
    sign_in_as(client, user_with(Role.ADMIN))
    return client


def add_user(client, **fields):
    """Post the new-user form with the fields given."""
    return post(client, "admin.user", data=fields)


def test_an_admin_adds_a_user_with_several_roles(app):
    client = admin_client(app)
    response = add_user(
        client,
        email="New.Person@Example.org",
        display_name="New Person",
        roles=["auditor", "qa_lead"],
        is_enabled="y",
        password="a-long-enough-password",
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert person.roles == {Role.AUDITOR, Role.QA_LEAD}
    assert person.check_password("a-long-enough-password")
    assert "New Person" in get(client, "admin.users").text


def test_user_form_errors_keep_what_was_typed(app):
    client = admin_client(app)
    existing = user_with(Role.AUDITOR)
    response = add_user(client, email=existing.email, display_name="Typed Name", roles=[], password="short")
    assert response.status_code == 200
    text = response.text
    assert "govuk-error-summary" in text
    assert "Select at least one role" in text
    assert "Password must be between 12 and 200 characters" in text
    assert 'value="Typed Name"' in text


def test_duplicate_email_is_refused(app):
    client = admin_client(app)
    existing = user_with(Role.AUDITOR)
    response = add_user(
        client, email=existing.email.upper(), display_name="X", roles=["auditor"], password="a-long-enough-password"
    )
    assert "A user with this email address already exists" in response.text


def test_role_changes_are_in_the_change_log(app):
    client = admin_client(app)
    person = user_with(Role.AUDITOR)
    post(
        client,
        "admin.user",
        data={
            "email": person.email,
            "display_name": person.display_name,
            "roles": ["auditor", "senior_manager"],
            "is_enabled": "y",
        },
        user_id=person.id,
    )
    row = db.session.scalar(select(ChangeLog).where(ChangeLog.record_type == "user", ChangeLog.field == "roles"))
    assert (row.old_value, row.new_value) == ("auditor", "auditor, senior_manager")
    assert row.user_id is not None


def test_localities_and_teams(app):
    client = admin_client(app)
    assert post(client, "admin.named_list", data={"name": "West"}, kind="localities").status_code == 302
    response = post(client, "admin.named_list", data={"name": "west"}, kind="localities")
    assert "A locality with this name already exists" in response.text
    west = db.session.scalar(select(Locality).where(Locality.name == "West"))
    team = TeamFactory()
    response = post(
        client,
        "admin.team",
        data={"name": "West Initial Response", "locality_id": west.id, "service_id": team.service_id},
    )
    assert response.status_code == 302
    assert "West Initial Response" in get(client, "admin.teams").text
    response = post(client, "admin.team", data={"name": "No Locality", "locality_id": 0, "service_id": 0})
    assert "Select a locality" in response.text and "Select a service" in response.text


def test_a_case_reference_that_looks_like_a_name_is_refused(app):
    client = admin_client(app)
    team = TeamFactory()
    response = post(
        client,
        "admin.case",
        data={"case_reference": "Jane Smith", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id},
    )
    assert "never a child&#39;s name" in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0
    response = post(
        client,
        "admin.case",
        data={"case_reference": "cms-2001", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Case.case_reference)) == "CMS-2001"


def test_case_list_filters(app):
    client = admin_client(app)
    CaseFactory(case_reference="CMS500001", case_type="cp")
    CaseFactory(case_reference="CMS500002", case_type="cin")
    text = get(client, "admin.cases", case_type="cp").text
    assert "CMS500001" in text and "CMS500002" not in text
    text = get(client, "admin.cases", reference="500002").text
    assert "CMS500002" in text and "1 case" in text


def upload(client, content: str):
    return post(
        client,
        "admin.import_cases",
        data={"file": (io.BytesIO(content.encode()), "cases.csv")},
        content_type="multipart/form-data",
    )


def test_csv_import_reports_every_bad_row_and_imports_nothing(app):
    client = admin_client(app)
    team = TeamFactory(name="North Initial Response", locality__name="North")
    other = TeamFactory(name="South Team", locality__name="South")
    content = (
        "case_reference,case_type,locality,team,allocated_worker_ref\n"
        "CMS900001,Child in Need,North,North Initial Response,SW1\n"
        "Jane Smith,CIN,North,North Initial Response,\n"
        "CMS900003,Adoption,Atlantis,North Initial Response,\n"
        "CMS900001,CP,North,North Initial Response,\n"
        "CMS900005,CP,North,South Team,\n"
    )
    response = upload(client, content)
    text = response.text
    assert "Nothing was imported" in text
    assert "Row 3: Case reference must be the reference" in text
    assert (
        "Row 4: Case type &#39;Adoption&#39; is not one of" in text
        and "Locality &#39;Atlantis&#39; does not exist" in text
    )
    assert "Row 5: Case reference CMS900001 is also on row 2" in text
    assert "Row 6: Team &#39;South Team&#39; is not in North" in text
    assert "Row 2" not in text
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert other.id and team.id


def test_csv_import_adds_new_cases_and_updates_existing_ones(app):
    client = admin_client(app)
    TeamFactory(name="North Initial Response", locality__name="North")
    CaseFactory(case_reference="CMS900001", case_type="cin")
    response = upload(
        client,
        "\ufeffCase_Reference,case_type,locality,team\n"
        "CMS900001,Child Protection,North,North Initial Response\n"
        "cms900002,Care Leaver,north,north initial response\n\n",
    )
    assert response.status_code == 302
    cases = {c.case_reference: c.case_type for c in db.session.scalars(select(Case))}
    assert cases == {"CMS900001": "cp", "CMS900002": "care_leaver"}
    assert "Imported 1 new cases and updated 1" in get(client, "admin.cases").text


def test_csv_import_header_problems(app):
    client = admin_client(app)
    assert (
        "Row 1: The header row is missing: team"
        in upload(client, "case_reference,case_type,locality\nX1,CIN,North\n").text
    )
    assert (
        "The selected file must be a CSV"
        in post(
            client,
            "admin.import_cases",
            data={"file": (io.BytesIO(b"x"), "cases.xlsx")},
            content_type="multipart/form-data",
        ).text
    )


def test_admin_home_panel_counts_what_exists(app):
    client = admin_client(app)
    CaseFactory()
    text = get(client, "main.home").text
    assert "Administration" in text and "1 cases" in text


def test_a_person_without_roles_is_told_what_to_do(app, client):
    person = user_with()
    person.roles = []
    db.session.commit()
    sign_in_as(client, person)
    assert "Your account has no role yet" in get(client, "main.home").text


def test_a_password_reset_is_recorded_in_the_change_log_and_the_security_log(app, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    admin = user_with(Role.ADMIN, display_name="Ada Admin")
    person = user_with(Role.AUDITOR, display_name="Pat Person")
    client = app.test_client()
    sign_in_as(client, admin)
    details = {"email": person.email, "display_name": "Pat Person", "roles": ["auditor"], "is_enabled": "y"}
    post(client, "admin.user", data=details, user_id=person.id)  # saved without a new password: no reset
    response = post(client, "admin.user", data={**details, "password": "a-brand-new-secret-1"}, user_id=person.id)
    assert response.status_code == 302
    rows = db.session.scalars(
        select(ChangeLog).where(ChangeLog.record_type == "user", ChangeLog.record_id == person.id)
    ).all()
    resets = [r for r in rows if r.field == "password"]
    assert [(r.user_id, r.old_value, r.new_value) for r in resets] == [(admin.id, None, "reset")]
    assert not any("a-brand-new-secret-1" in (r.new_value or "") or "scrypt" in (r.new_value or "") for r in rows)
    page = get(client, "admin.user", user_id=person.id).text
    assert "Changes to this account" in page
    assert re.search(r"Ada Admin</td>\s*<td[^>]*>password</td>\s*<td[^>]*></td>\s*<td[^>]*>Reset</td>", page)
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]
    resets = [e for e in events if e["event"] == "password_reset"]
    assert [(e["user"], e["target"], e["outcome"]) for e in resets] == [(admin.email, person.email, "success")]
    assert resets[0]["time"] and resets[0]["address"]
    assert not any("a-brand-new-secret-1" in r.getMessage() for r in caplog.records)


def test_case_search_and_team_checks_are_services_the_routes_call(app):
    """Routes parse, call a service and render: the admin queries live in admin/services.py."""
    from pathlib import Path

    from audit_app.admin import services

    routes = (Path(services.__file__).parent / "routes.py").read_text()
    assert "select(" not in routes and "db.session" not in routes
    north, south = TeamFactory(), TeamFactory()
    CaseFactory(case_reference="CMS500001", case_type="cp", team=north, locality=north.locality)
    CaseFactory(case_reference="CMS500002", case_type="cin", team=south, locality=south.locality)
    found = services.find_cases("5000", "", south.locality_id, page=1, per_page=50)
    assert [c.case_reference for c in found.items] == ["CMS500002"]
    assert [c.case_reference for c in services.find_cases("", "cp", None, page=1, per_page=50).items] == ["CMS500001"]
    assert services.case_team_problem(north.locality_id, None) == "Select a team"
    problem = services.case_team_problem(south.locality_id, north.id)
    assert problem == f"{north.name} is not in the locality you selected"
    assert services.case_team_problem(north.locality_id, north.id) is None


def _practice_user(client, roles, **fields):
    data = {"email": "sw@example.org", "display_name": "Sam Worker", "roles": roles, "is_enabled": "y"}
    return post(client, "admin.user", data={**data, "password": "a-long-enough-password", **fields})


def test_a_social_worker_needs_a_worker_reference_and_a_team_manager_a_team(app):
    client = admin_client(app)
    text = _practice_user(client, ["practitioner", "team_manager"]).text
    assert "govuk-error-summary" in text
    assert "Enter the social worker&#39;s worker reference" in text
    assert "Select the team this team manager manages" in text
    assert db.session.scalar(select(User).where(User.email == "sw@example.org")) is None


def test_a_social_worker_is_saved_with_their_worker_reference_and_team(app):
    client = admin_client(app)
    team = TeamFactory()
    response = _practice_user(client, ["practitioner"], worker_ref=" sw1042 ", team_id=str(team.id))
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "sw@example.org"))
    assert (person.roles, person.worker_ref, person.team_id) == ({Role.PRACTITIONER}, "SW1042", team.id)
    page = get(client, "admin.user", user_id=person.id).text
    assert 'value="SW1042"' in page


def test_two_people_cannot_share_a_worker_reference(app):
    client = admin_client(app)
    user_with(Role.PRACTITIONER, worker_ref="SW1042")
    text = _practice_user(client, ["practitioner"], worker_ref="SW1042").text
    assert "Another user has this worker reference" in text
    assert db.session.scalar(select(User).where(User.email == "sw@example.org")) is None
