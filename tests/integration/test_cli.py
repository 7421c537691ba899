"""The command line: demo data and creating users."""

from sqlalchemy import func, select

from audit_app import create_app
from audit_app.extensions import db
from audit_app.models import Case, CaseType, Locality, User
from audit_app.permissions import Role


def table_counts():
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name != "change_log"
    }


def test_seed_demo_loads_realistic_data_and_running_it_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "a-demo-password"])
    assert result.exit_code == 0, result.output
    assert "auditor@example.org" in result.output
    first = table_counts()
    assert {l.name for l in db.session.scalars(select(Locality))} >= {"North", "South", "Mid & East", "Exeter"}
    assert first["case"] >= 300
    by_type = dict(db.session.execute(select(Case.case_type, func.count()).group_by(Case.case_type)).all())
    assert set(by_type) == {t.value for t in CaseType}
    for email in ("auditor@example.org", "manager@example.org", "qa@example.org", "admin@example.org"):
        assert db.session.scalar(select(User).where(User.email == email)).check_password("a-demo-password")
    result = runner.invoke(args=["seed-demo", "--password", "a-demo-password"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert table_counts() == first


def test_seed_demo_if_empty_leaves_a_database_with_users_alone(app):
    from tests.factories import user_with

    user_with(Role.ADMIN)
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "already has users" in result.output
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_seed_demo_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "z" * 48)
    app = create_app("production")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "refused in production" in result.output


def test_create_user(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "Lead@Council.gov.uk",
            "--role",
            "qa_lead",
            "--role",
            "admin",
            "--password",
            "a-long-password-1",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "lead@council.gov.uk"))
    assert user.roles == {Role.QA_LEAD, Role.ADMIN}
    result = runner.invoke(
        args=["create-user", "lead@council.gov.uk", "--role", "admin", "--password", "a-long-password-1"]
    )
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(
        args=["create-user", "x@council.gov.uk", "--role", "wizard", "--password", "a-long-password-1"]
    )
    assert result.exit_code != 0
