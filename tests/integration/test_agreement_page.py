"""The agreement page: figures counted in SQL from moderated grades, overall and by domain,
auditor and period, each with its n; and the list of changed grades."""

import datetime as dt
import re

import pytest

from audit_app.moderation import services
from audit_app.moderation.agreement import quadratic_weighted_kappa
from audit_app.permissions import Role
from tests.conftest import get, sign_in_as
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    LocalityFactory,
    TeamFactory,
    published_tool,
    submitted_audit,
    user_with,
)

KEYS = ("assessment_quality", "voice_of_child", "management_oversight")
UTC = dt.UTC


def moderate(audit, moderator, moderator_grades, overall=None):
    by_key = {j.domain_key: j for j in audit.judgements}
    decisions = {}
    for key, grade in moderator_grades.items():
        judgement = by_key[key]
        decisions[judgement.id] = services.GradeDecision(
            grade, None if grade == judgement.grade else f"Moderator: {key} is {grade}"
        )
    overall = overall or services.GradeDecision(audit.overall_grade)
    return services.moderate(audit, moderator, decisions, overall)


def audit_in(version, grades, auditor, submitted_on, programme, team, **extra):
    """A submitted audit of a new case in `team`, in `programme`, submitted on the date given."""
    submitted_at = dt.datetime(*submitted_on, tzinfo=UTC)
    case = CaseFactory(team=team)
    return submitted_audit(
        version, grades, auditor=auditor, submitted_at=submitted_at, programme=programme, case=case, **extra
    )


@pytest.fixture
def agreement_people_and_places(app):
    """The tool, two auditors and a moderator, the October and November programmes, a team in North and in South."""
    version = published_tool(KEYS)
    xavier = user_with(Role.AUDITOR, display_name="Xavier Auditor")
    yasmin = user_with(Role.AUDITOR, display_name="Yasmin Auditor")
    moderator = user_with(Role.SENIOR_MANAGER, display_name="Mo Moderator")
    october = AuditProgrammeFactory(tool_version=version, name="October 2021 monthly audit")
    november = AuditProgrammeFactory(tool_version=version, name="November 2021 monthly audit")
    north, south = LocalityFactory(name="North"), LocalityFactory(name="South")
    north_team, south_team = TeamFactory(locality=north), TeamFactory(locality=south)
    return version, (xavier, yasmin, moderator), (october, november), (north, south), (north_team, south_team)


@pytest.fixture
def moderated(agreement_people_and_places):
    """Ten pairs whose matrix is the hand-worked example in tests/unit/test_agreement.py (kappa 0.84375).

    Audits one and two are in the October programme, three and four in November's; one and three
    are of cases in North, two and four in South."""
    version, (xavier, yasmin, moderator), (october, november), localities, (north_team, south_team) = (
        agreement_people_and_places
    )
    a, v, m = KEYS
    one = audit_in(version, {a: 1, v: 2, m: 2}, xavier, (2021, 10, 4), october, north_team)
    two = audit_in(version, {a: 2, v: 2, m: 2}, xavier, (2021, 10, 20), october, south_team)
    three = audit_in(version, {a: 3, v: 3, m: 3}, yasmin, (2021, 11, 9), november, north_team)
    four = audit_in(version, {a: 4}, yasmin, (2022, 1, 12), november, south_team, overall=4)
    unmoderated = submitted_audit(version, {a: 1, v: 1, m: 1}, auditor=yasmin)
    moderate(one, moderator, {a: 1, v: 2, m: 2})
    moderate(two, moderator, {a: 2, v: 2, m: 3})
    moderate(three, moderator, {a: 2, v: 3, m: 3}, overall=services.GradeDecision(3, "Risks are not analysed."))
    moderate(four, moderator, {a: 4})
    return {
        "audits": [one, two, three, four],
        "unmoderated": unmoderated,
        "programmes": (october, november),
        "localities": localities,
    }


def by_label(rows):
    return {row.label: row for row in rows}


def test_the_figures_match_the_worked_example(moderated):
    report = services.agreement_report(services.AgreementFilters())
    assert report.overall.matrix == ((1, 0, 0, 0), (0, 4, 1, 0), (0, 1, 2, 0), (0, 0, 0, 1))
    assert report.overall.n == 10
    assert report.overall.exact == 0.8 and report.overall.within_one == 1.0
    assert report.overall.kappa == pytest.approx(0.84375)
    assert report.audits_moderated == 4

    auditors = by_label(report.by_auditor)
    assert auditors["Xavier Auditor"].n == 6 and auditors["Xavier Auditor"].exact == pytest.approx(5 / 6)
    assert auditors["Yasmin Auditor"].n == 4 and auditors["Yasmin Auditor"].exact == 0.75

    domains = by_label(report.by_domain)
    assert [d.n for d in report.by_domain] == [4, 3, 3]  # in the tool's order
    assert domains["Assessment quality"].matrix == ((1, 0, 0, 0), (0, 1, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1))
    assert domains["Assessment quality"].kappa == pytest.approx(
        quadratic_weighted_kappa([[1, 0, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
    )
    assert domains["Voice of child"].kappa == 1.0 and domains["Voice of child"].n == 3
    assert report.overall_grade.n == 4 and report.overall_grade.exact == 0.75


def test_figures_by_month_and_by_quarter(moderated):
    months = services.agreement_report(services.AgreementFilters(period="month")).by_period
    assert [(p.label, p.n) for p in months] == [("October 2021", 6), ("November 2021", 3), ("January 2022", 1)]
    quarters = services.agreement_report(services.AgreementFilters(period="quarter")).by_period
    assert [(p.label, p.n) for p in quarters] == [("October to December 2021", 9), ("January to March 2022", 1)]


def test_changed_grades_are_listed_with_their_rationale(moderated):
    changes = services.changed_grades(services.AgreementFilters())
    described = {(c.domain, c.auditor_grade, c.moderator_grade, c.rationale) for c in changes}
    assert described == {
        ("Management oversight", 2, 3, "Moderator: management_oversight is 3"),
        ("Assessment quality", 3, 2, "Moderator: assessment_quality is 2"),
        ("Overall grade", 2, 3, "Risks are not analysed."),
    }


def test_the_agreement_page_shows_the_figures_with_their_n(client, moderated):
    sign_in_as(client, user_with(Role.QA_LEAD))
    page = get(client, "moderation.agreement").text
    assert "0.84" in page and "80%" in page and "100%" in page
    assert "Xavier Auditor" in page and "Yasmin Auditor" in page
    assert "October to December 2021" in page
    assert "Risks are not analysed." in page
    by_month = get(client, "moderation.agreement", period="month").text
    assert "November 2021" in by_month


def test_with_no_moderation_the_page_says_there_is_not_enough_data(client, app):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    page = get(client, "moderation.agreement")
    assert page.status_code == 200
    assert "Not enough data" in page.text
    assert "No grades have been changed in moderation." in page.text


def changed(filters):
    return {(c.case_reference, c.domain, c.auditor_grade, c.moderator_grade) for c in services.changed_grades(filters)}


def test_the_programme_filter_counts_only_that_programmes_audits(moderated):
    october, november = moderated["programmes"]
    _, two, three, _ = moderated["audits"]
    filters = services.AgreementFilters(programme_id=october.id)
    report = services.agreement_report(filters)
    assert report.overall.n == 6 and report.overall.exact == pytest.approx(5 / 6)
    assert report.audits_moderated == 2 and report.overall_grade.n == 2
    assert [a.label for a in report.by_auditor] == ["Xavier Auditor"]
    assert changed(filters) == {(two.case.case_reference, "Management oversight", 2, 3)}
    november_only = services.AgreementFilters(programme_id=november.id)
    assert services.agreement_report(november_only).overall.n == 4
    assert changed(november_only) == {
        (three.case.case_reference, "Assessment quality", 3, 2),
        (three.case.case_reference, "Overall grade", 2, 3),
    }


def test_the_locality_filter_counts_only_audits_of_cases_there(moderated):
    north, south = moderated["localities"]
    three = moderated["audits"][2]
    filters = services.AgreementFilters(locality_id=north.id)
    report = services.agreement_report(filters)
    assert report.overall.n == 6 and report.overall.exact == pytest.approx(5 / 6)
    assert report.audits_moderated == 2
    assert [(a.label, a.n) for a in report.by_auditor] == [("Xavier Auditor", 3), ("Yasmin Auditor", 3)]
    assert {ref for ref, *_ in changed(filters)} == {three.case.case_reference}
    south_only = services.agreement_report(services.AgreementFilters(locality_id=south.id))
    assert (south_only.overall.n, south_only.audits_moderated) == (4, 2)


def test_the_agreement_page_filters_by_programme_and_locality_together(client, moderated):
    october, november = moderated["programmes"]
    north, south = moderated["localities"]
    sign_in_as(client, user_with(Role.QA_LEAD))
    north_november = get(client, "moderation.agreement", programme_id=november.id, locality_id=north.id).text
    assert "Risks are not analysed." in north_november
    assert "Moderator: management_oversight is 3" not in north_november
    assert "Xavier Auditor" not in north_november
    south_october = get(client, "moderation.agreement", programme_id=october.id, locality_id=south.id).text
    assert "Moderator: management_oversight is 3" in south_october
    assert "Risks are not analysed." not in south_october and "Yasmin Auditor" not in south_october
    assert (
        "No grades have been changed in moderation."
        in get(client, "moderation.agreement", programme_id=october.id, locality_id=north.id).text
    )


def test_a_returned_audit_is_not_counted_among_the_audits_moderated(client, app):
    version = published_tool(KEYS)
    auditor, moderator = user_with(Role.AUDITOR), user_with(Role.SENIOR_MANAGER)
    grades = dict.fromkeys(KEYS, 2)
    agreed = submitted_audit(version, grades, overall=2, auditor=auditor)
    returned = submitted_audit(version, grades, overall=2, auditor=auditor)
    moderate(agreed, moderator, grades)
    services.return_to_auditor(returned, moderator, "Add the chronology")
    sign_in_as(client, moderator)
    page = client.get("/moderation/agreement").text
    assert re.search(r"in 1 audit\s*</p>", page)
