"""Bad input never becomes a 500: control characters, ids and page numbers out of range, periods that make
no sense, and error pages that render whatever went wrong before them. Runs on SQLite and PostgreSQL."""

import pytest
from flask import abort
from sqlalchemy import func, select, text

from audit_app import create_app
from audit_app.audits import services as audit_services
from audit_app.extensions import db
from audit_app.models import Activity, Case, Judgement
from audit_app.permissions import Role
from audit_app.tools.services import seed_tool
from tests.conftest import path_for, post, sign_in_as
from tests.factories import (
    ActivityFactory,
    AuditProgrammeFactory,
    CaseAuditFactory,
    CaseFactory,
    ObservationFactory,
    PlanFactory,
    PracticeWeekFactory,
    PriorityFactory,
    ThemeFactory,
    user_with,
)
from tests.integration.test_security import assert_security_headers

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"


@pytest.fixture
def audit(app):
    version = seed_tool()
    auditor = user_with(Role.AUDITOR)
    programme = AuditProgrammeFactory(tool_version=version)
    return CaseAuditFactory(tool_version=version, programme=programme, auditor=auditor)


# --- 1. Control characters are removed before anything sees them -------------------------------------


def test_sign_in_with_a_nul_in_the_email_is_an_ordinary_failed_sign_in(client):
    response = post(client, "auth.sign_in", data={"email": "a\x00b@example.org", "password": "wrong"})
    assert response.status_code in (200, 400)  # the sign-in page again, with its error
    assert "Sign in" in response.text and "Sorry, there is a problem" not in response.text


def test_autosave_with_a_nul_saves_the_text_without_it(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    page = audit_services.page_for(audit, key)
    question = page.questions[0]
    data = {"version": str(audit.version), f"q{question.id}-evidence": "ab\x00cd\x07\tef\r\ngh"}
    if question.response_type == "grade":
        data[f"q{question.id}-grade"] = "2"
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Saved" in response.text
    judgement = db.session.scalar(
        select(Judgement).where(Judgement.audit_id == audit.id, Judgement.question_id == question.id)
    )
    assert judgement.evidence == "abcd\tef\ngh"  # tab and new line kept


def test_query_parameters_lose_their_control_characters(client):
    admin = user_with(Role.ADMIN)
    CaseFactory(case_reference="CMS424242")
    sign_in_as(client, admin)
    response = client.get("/admin/cases?reference=CMS42%004242")  # literal: a NUL escaped as a browser sends it
    assert response.status_code == 200 and "CMS424242" in response.text


def test_text_saved_through_the_orm_never_carries_a_nul(app):
    case = CaseFactory(allocated_worker_ref="SW\x001\x1f2")
    db.session.expire_all()
    assert db.session.get(Case, case.id).allocated_worker_ref == "SW12"
    db.session.get(Case, case.id).allocated_worker_ref = "SW\x003"  # a loaded record changed
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Case, case.id).allocated_worker_ref == "SW3"


def case_form(case, worker_ref):
    """The admin's form for an existing case, with the allocated worker's reference given."""
    fields = ("case_reference", "case_type", "locality_id", "team_id")
    return {**{field: getattr(case, field) for field in fields}, "allocated_worker_ref": worker_ref}


def test_a_case_saved_with_a_nul_in_the_worker_reference_is_saved_without_it(client):
    case = CaseFactory()
    sign_in_as(client, user_with(Role.ADMIN))
    response = post(client, "admin.case", case_id=case.id, data=case_form(case, "W\x00X"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).allocated_worker_ref == "WX"


# --- 2. Error pages always render, with the security headers -------------------------------------------


def test_a_failed_statement_still_gets_the_service_error_page(app, client, monkeypatch):
    """A database error leaves the session needing a rollback; the error page must roll back before it
    loads the signed-in person for the header, and must carry the security headers."""
    admin = user_with(Role.ADMIN, display_name="Ada Admin")
    case = CaseFactory()
    sign_in_as(client, admin)

    def failing_commit():
        db.session.add(Case(case_reference=None))  # a row the database refuses (NOT NULL), as NUL was
        db.session.flush()

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(db.session, "commit", failing_commit)
    try:
        response = post(client, "admin.case", case_id=case.id, data=case_form(case, "WX"))
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text
    assert "Ada Admin" in response.text  # the header still knows who is signed in
    assert_security_headers(response, "500 after a database error")


# Literal URLs: a path no endpoint has and an id past the database's range cannot come from url_for.
@pytest.mark.parametrize(
    "method, path, data, code, words",
    [
        ("get", "/no-such-page", None, 404, "Page not found"),
        ("get", "/admin/users", None, 403, "You do not have permission"),
        ("delete", "/sign-in", None, 405, "That action is not allowed"),
        ("get", "/audits/2147483648/view", None, 404, "Page not found"),
    ],
)
def test_every_error_code_renders_the_service_page_with_security_headers(client, method, path, data, code, words):
    sign_in_as(client, user_with(Role.AUDITOR))
    response = getattr(client, method)(path, data=data)
    assert response.status_code == code
    assert words in response.text and "Traceback" not in response.text
    assert_security_headers(response, path)


def test_a_body_too_large_gets_the_413_page(client):
    response = post(client, "auth.sign_in", data={"email": "x" * (6 * 1024 * 1024), "password": "x"})
    assert response.status_code == 413 and "upload one smaller than 5 MB" in response.text
    assert_security_headers(response, "413")


def test_one_answer_too_long_to_save_is_told_to_go_back_and_shorten_it(client):
    # Over the 5 MB a request may be (MAX_CONTENT_LENGTH): refused before anything is read.
    audit = CaseAuditFactory(auditor=user_with(Role.AUDITOR))
    sign_in_as(client, audit.auditor)
    data = {"version": "0", "strengths": "Seen on the file. " * 300_000}
    response = post(client, "audits.page", audit_id=audit.id, page_key="overall", data=data)
    assert response.status_code == 413 and "What you sent is too large" in response.text
    assert "what you typed is still on that page. Shorten the longest answer" in response.text
    assert_security_headers(response, "413")


def test_a_forged_csrf_token_gets_the_400_page(client):
    sign_in_as(client, user_with(Role.QA_LEAD))
    theme = ThemeFactory()
    client.application.config["WTF_CSRF_ENABLED"] = True
    try:
        response = post(client, "themes.retire", theme_id=theme.id, action="retire", headers={"X-CSRFToken": "forged"})
    finally:
        client.application.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and "The form could not be accepted" in response.text
    assert_security_headers(response, "CSRF 400")


@pytest.mark.parametrize(
    "failure, code, words",
    [
        (lambda: abort(400), 400, "There is a problem with your request"),
        (lambda: abort(503), 503, "Sorry, the service is unavailable"),
        (lambda: 1 / 0, 500, "Sorry, there is a problem with the service"),
        (lambda: db.session.execute(text("SELECT 1")), 503, "Sorry, the service is unavailable"),
    ],
    ids=["400", "503", "500", "database unreachable"],
)
def test_error_pages_render_with_security_headers_whatever_failed(failure, code, words):
    """A fresh app whose database cannot be reached: the error page still renders (as to someone
    signed out), with the security headers, and an unreachable database is a 503 to try again."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=UNREACHABLE, PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/fail", "fail", lambda: failure())
    with app.app_context():
        response = app.test_client().get("/fail")
    assert response.status_code == code
    assert words in response.text and "Traceback" not in response.text
    assert "govuk-footer" in response.text  # the service's own page, not a bare one
    assert_security_headers(response, f"{code} page")
    if code == 503:
        assert response.headers["Retry-After"] == "30"


# --- 3. Ids and numbers: ASCII digits, within range, of records that exist ------------------------------

HUGE = "9" * 5000


# Literal URLs: the point is the malformed id exactly as a browser would send it.
@pytest.mark.parametrize(
    "path", ["/audits/2147483648/view", "/audits/%C2%B3/view", f"/audits/{HUGE}/view", "/audits/0/view"]
)
def test_an_id_in_a_path_that_cannot_exist_is_404(client, path):
    sign_in_as(client, user_with(*Role))
    assert client.get(path).status_code == 404


# Literal URLs: the point is the malformed query string exactly as a browser would send it.
@pytest.mark.parametrize(
    "role, path",
    [
        (Role.SENIOR_MANAGER, "/moderation/?auditor_id=2147483648&programme_id=%C2%B2&locality_id=" + HUGE),
        (Role.SENIOR_MANAGER, "/moderation/?page=99999999999999999999"),
        (Role.SENIOR_MANAGER, "/moderation/agreement?programme_id=2147483648&locality_id=%C2%B2"),
        (Role.ADMIN, "/admin/cases?page=99999999999999999999&locality_id=2147483648"),
        (Role.ADMIN, "/admin/cases?page=%C2%B2"),
        (Role.QA_LEAD, "/themes/?team=2147483648&locality=%C2%B2&service=" + HUGE),
        (Role.QA_LEAD, "/themes/evidence?theme=2147483648&page=99999999999999999999"),
        (Role.QA_LEAD, "/plan/actions?priority_id=%C2%B2&owner_id=2147483648"),
    ],
)
def test_numbers_out_of_range_in_a_query_string_are_ignored(client, role, path):
    PriorityFactory(plan=PlanFactory(), number=1)
    sign_in_as(client, user_with(role))
    response = client.get(path)
    assert response.status_code == 200, path
    assert "Sorry, there is a problem" not in response.text


def test_an_audit_theme_that_is_not_a_number_is_left_out_of_the_autosave(client, audit):
    sign_in_as(client, audit.auditor)
    key = audit.tool_version.domains[0].key
    question = audit_services.page_for(audit, key).questions[0]
    data = {
        "version": str(audit.version),
        f"q{question.id}-evidence": "Seen on file.",
        f"q{question.id}-themes": ["²", "2147483648"],
    }
    response = post(client, "audits.page", audit_id=audit.id, page_key=key, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Saved" in response.text


def test_a_booking_id_that_is_not_a_number_is_404(client):
    activity = ActivityFactory(observer=user_with(Role.SENIOR_MANAGER))
    sign_in_as(client, activity.observer)
    response = post(client, "practice_week.start_observation", week_id=activity.week_id, data={"activity_id": "²"})
    assert response.status_code == 404


def test_programme_case_ids_that_are_not_numbers_ask_for_a_case(client):
    programme = AuditProgrammeFactory(tool_version=seed_tool())
    auditor = user_with(Role.AUDITOR)
    sign_in_as(client, user_with(Role.QA_LEAD, Role.ADMIN))
    data = {"case_ids": ["²", HUGE], "auditor_id": auditor.id}
    response = post(client, "programmes.programme", programme_id=programme.id, data=data)
    assert response.status_code == 400  # the page again, with its error summary
    assert "Select at least one case to assign" in response.text


def test_a_select_given_an_id_that_is_not_a_choice_is_a_field_error(client):
    sign_in_as(client, user_with(Role.ADMIN))
    response = post(
        client,
        "admin.case",
        data={"case_reference": "CMS777777", "case_type": "cin", "locality_id": "²", "team_id": "2147483648"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text and 'value="CMS777777"' in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_an_activity_for_a_team_that_does_not_exist_is_a_field_error(client):
    week = PracticeWeekFactory()
    manager = user_with(Role.SENIOR_MANAGER)
    sign_in_as(client, user_with(Role.QA_LEAD))
    for team_id, observer_id in [("-1", manager.id), ("999999", manager.id), ("0", "²")]:
        response = post(
            client,
            "practice_week.activity",
            week_id=week.id,
            data={
                "day": ["5", "10", "2021"],
                "at": "10:00",
                "activity_type": "strategy_meeting",
                "team_id": team_id,
                "observer_id": observer_id,
                "status": "booked",
            },
        )
        assert response.status_code == 200, (team_id, observer_id)
        assert "govuk-error-summary" in response.text
        assert 'value="10:00"' in response.text  # nothing typed is lost
    assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_a_quick_win_theme_that_does_not_exist_is_not_saved_and_says_so(client):
    observer = user_with(Role.SENIOR_MANAGER)
    observation = ObservationFactory(observer=observer, status="draft")
    sign_in_as(client, observer)
    data = {
        "version": observation.version,
        "working_well": "Clear chronology.",
        "quick_wins-0-text": "Share the agenda early.",
        "quick_wins-0-theme_id": "999999",
        "theme_ids": ["999999"],
    }
    url = path_for("practice_week.observation", observation_id=observation.id)
    response = client.post(url, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    db.session.refresh(observation)
    assert observation.working_well == "Clear chronology."  # the rest of the page is saved
    assert observation.quick_wins == [] and observation.themes == []
    response = client.post(url, data={**data, "version": observation.version})
    assert response.status_code == 200 and "Select a theme from the list" in response.text


# --- 4. Periods: between 2000 and 2100 -------------------------------------------------------------------


# Literal URLs, as the test's name: the parameters are read at collection, before any app exists.
@pytest.mark.parametrize(
    "path",
    [
        "/themes/?period=9999-Q4",
        "/themes/?period=0000-Q1",
        "/themes/?period=0001",
        "/themes/chart/trend.svg?period=0001",
        "/themes/chart/trend.svg?period=9999-12",
        "/themes/trend?period=0001-01",
        "/themes/evidence?month=2021-13",
        "/themes/evidence?month=0001-01&domain=assessment_quality",
        "/themes/evidence?month=9999-12&previous=1",
        "/themes/export/judgements.csv?period=0001-Q1",
        "/themes/export/trend.xlsx?period=9999",
        "/themes/chart/domains.svg?period=0000-Q1",
    ],
)
def test_periods_out_of_range_fall_back_to_the_default(client, path):
    sign_in_as(client, user_with(Role.QA_LEAD))
    response = client.get(path)
    assert response.status_code == 200, path
    assert b"Sorry, there is a problem" not in response.data


# --- Every page, with every query parameter the service reads set to something it cannot use -------------

QUERY_PARAMETERS = [
    "auditor_id",
    "case_type",
    "domain",
    "format",
    "grade",
    "grades",
    "lens",
    "locality",
    "locality_id",
    "month",
    "next",
    "owner_id",
    "page",
    "period",
    "practice_week",
    "previous",
    "priority_id",
    "programme",
    "programme_id",
    "rag",
    "reference",
    "sampled",
    "service",
    "source",
    "status",
    "team",
    "team_id",
    "theme",
]
BAD_VALUES = ["a\x00b", "²", "٣", "2147483648", "-1", HUGE, "9999-Q4", "0001-01"]


def test_no_page_fails_on_bad_query_parameters(app, client):
    from tests.permission_matrix import get_urls, make_route_objects

    urls = get_urls(app, make_route_objects())
    sign_in_as(client, user_with(*Role))
    checked = 0
    for url in urls:
        for value in BAD_VALUES:
            response = client.get(url, query_string={name: value for name in QUERY_PARAMETERS})
            assert response.status_code < 500, (url, value)
            checked += 1
    assert checked > 100


def test_when_even_the_error_template_fails_a_plain_page_still_carries_the_security_headers(monkeypatch):
    import audit_app.errors

    def broken_template(*args, **kwargs):
        raise RuntimeError("template broken")

    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/fail", "fail", lambda: 1 / 0)
    monkeypatch.setattr(audit_app.errors, "render_template", broken_template)
    response = app.test_client().get("/fail")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text and "template broken" not in response.text
    assert_security_headers(response, "fallback 500")
