"""Administration: users and roles, the organisation, cases and the CSV import."""
import io
import json
import re

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import Case, ChangeLog, Locality, User
from audit_app.permissions import Role
from tests.conftest import sign_in_as
from tests.factories import CaseFactory, TeamFactory, user_with


def admin_client(app):
    client = app.test_client()
    sign_in_as(client, user_with(Role.ADMIN))
    return client


def test_an_admin_adds_a_user_with_several_roles(app):
    client = admin_client(app)
    response = client.post(
        "/admin/users/new",
        data={"email": "New.Person@Example.org", "display_name": "New Person", "roles": ["auditor", "qa_lead"],
              "is_enabled": "y", "password": "a-long-enough-password"},
    )
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert person.roles == {Role.AUDITOR, Role.QA_LEAD}
    assert person.check_password("a-long-enough-password")
    assert "New Person" in client.get("/admin/users").text


def test_user_form_errors_keep_what_was_typed(app):
    client = admin_client(app)
    existing = user_with(Role.AUDITOR)
    response = client.post(
        "/admin/users/new",
        data={"email": existing.email, "display_name": "Typed Name", "roles": [], "password": "short"},
    )
    assert response.status_code == 200
    text = response.text
    assert "govuk-error-summary" in text
    assert "Select at least one role" in text
    assert "Password must be between 12 and 200 characters" in text
    assert 'value="Typed Name"' in text


def test_duplicate_email_is_refused(app):
    client = admin_client(app)
    existing = user_with(Role.AUDITOR)
    response = client.post(
        "/admin/users/new",
        data={"email": existing.email.upper(), "display_name": "X", "roles": ["auditor"], "password": "a-long-enough-password"},
    )
    assert "A user with this email address already exists" in response.text


def test_role_changes_are_in_the_change_log(app):
    client = admin_client(app)
    person = user_with(Role.AUDITOR)
    client.post(
        f"/admin/users/{person.id}",
        data={"email": person.email, "display_name": person.display_name, "roles": ["auditor", "senior_manager"], "is_enabled": "y"},
    )
    row = db.session.scalar(select(ChangeLog).where(ChangeLog.record_type == "user", ChangeLog.field == "roles"))
    assert (row.old_value, row.new_value) == ("auditor", "auditor, senior_manager")
    assert row.user_id is not None


def test_localities_and_teams(app):
    client = admin_client(app)
    assert client.post("/admin/localities", data={"name": "West"}).status_code == 302
    response = client.post("/admin/localities", data={"name": "west"})
    assert "A locality with this name already exists" in response.text
    west = db.session.scalar(select(Locality).where(Locality.name == "West"))
    team = TeamFactory()
    response = client.post(
        "/admin/teams/new", data={"name": "West Initial Response", "locality_id": west.id, "service_id": team.service_id}
    )
    assert response.status_code == 302
    assert "West Initial Response" in client.get("/admin/teams").text
    response = client.post("/admin/teams/new", data={"name": "No Locality", "locality_id": 0, "service_id": 0})
    assert "Select a locality" in response.text and "Select a service" in response.text


def test_a_case_reference_that_looks_like_a_name_is_refused(app):
    client = admin_client(app)
    team = TeamFactory()
    response = client.post(
        "/admin/cases/new",
        data={"case_reference": "Jane Smith", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id},
    )
    assert "never a child&#39;s name" in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0
    response = client.post(
        "/admin/cases/new",
        data={"case_reference": "cms-2001", "case_type": "cin", "locality_id": team.locality_id, "team_id": team.id},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Case.case_reference)) == "CMS-2001"


def test_case_list_filters(app):
    client = admin_client(app)
    CaseFactory(case_reference="CMS500001", case_type="cp")
    CaseFactory(case_reference="CMS500002", case_type="cin")
    text = client.get("/admin/cases", query_string={"case_type": "cp"}).text
    assert "CMS500001" in text and "CMS500002" not in text
    text = client.get("/admin/cases", query_string={"reference": "500002"}).text
    assert "CMS500002" in text and "1 case" in text


def upload(client, content: str):
    return client.post(
        "/admin/cases/import",
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
    assert "Row 4: Case type &#39;Adoption&#39; is not one of" in text and "Locality &#39;Atlantis&#39; does not exist" in text
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
    assert "Imported 1 new cases and updated 1" in client.get("/admin/cases").text


def test_csv_import_header_problems(app):
    client = admin_client(app)
    assert "Row 1: The header row is missing: team" in upload(client, "case_reference,case_type,locality\nX1,CIN,North\n").text
    assert "The selected file must be a CSV" in client.post(
        "/admin/cases/import", data={"file": (io.BytesIO(b"x"), "cases.xlsx")}, content_type="multipart/form-data"
    ).text


def test_admin_home_panel_counts_what_exists(app):
    client = admin_client(app)
    CaseFactory()
    text = client.get("/").text
    assert "Administration" in text and "1 cases" in text


def test_a_person_without_roles_is_told_what_to_do(app, client):
    person = user_with()
    person.roles = []
    db.session.commit()
    sign_in_as(client, person)
    assert "Your account has no role yet" in client.get("/").text


def test_a_password_reset_is_recorded_in_the_change_log_and_the_security_log(app, caplog):
    caplog.set_level("INFO", logger="audit_app.security")
    admin = user_with(Role.ADMIN, display_name="Ada Admin")
    person = user_with(Role.AUDITOR, display_name="Pat Person")
    client = app.test_client()
    sign_in_as(client, admin)
    details = {"email": person.email, "display_name": "Pat Person", "roles": ["auditor"], "is_enabled": "y"}
    client.post(f"/admin/users/{person.id}", data=details)  # saved without a new password: no reset
    response = client.post(f"/admin/users/{person.id}", data={**details, "password": "a-brand-new-secret-1"})
    assert response.status_code == 302
    rows = db.session.scalars(select(ChangeLog).where(ChangeLog.record_type == "user", ChangeLog.record_id == person.id)).all()
    resets = [r for r in rows if r.field == "password"]
    assert [(r.user_id, r.old_value, r.new_value) for r in resets] == [(admin.id, None, "reset")]
    assert not any("a-brand-new-secret-1" in (r.new_value or "") or "scrypt" in (r.new_value or "") for r in rows)
    page = client.get(f"/admin/users/{person.id}").text
    assert "Changes to this account" in page
    assert re.search(r"Ada Admin</td>\s*<td[^>]*>password</td>\s*<td[^>]*></td>\s*<td[^>]*>Reset</td>", page)
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "audit_app.security"]
    resets = [e for e in events if e["event"] == "password_reset"]
    assert [(e["user"], e["target"], e["outcome"]) for e in resets] == [(admin.email, person.email, "success")]
    assert resets[0]["time"] and resets[0]["address"]
    assert not any("a-brand-new-secret-1" in r.getMessage() for r in caplog.records)
