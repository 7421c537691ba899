"""Schemathesis tests the API against its own OpenAPI document, through the WSGI app on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL: with a token holding every scope, no operation answers 500 and every answer
(status, content type, headers, body) is one the document describes; without a token, or with an expired,
revoked or out-of-scope one, every operation is refused."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit_app.extensions import db
from audit_app.models import AuditStatus, IndicatorValue
from tests.factories import (
    ActionFactory,
    CaseFactory,
    IndicatorFactory,
    LensJudgementFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    ObservationFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
)
from tests.permission_matrix import API_TOKENS, make_api_token_headers

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation: four operations in well under a minute on each database
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@pytest.fixture
def api_data(app):
    """A little of everything the API reads: audits (one moderated, with a theme), observations, an action
    and an indicator with a value and a note, in Quarter 4 2021."""
    version = published_tool(("assessment_quality", "voice_of_child"))
    theme = ThemeFactory(name="Voice of the child")
    audits = [
        submitted_audit(
            version,
            {"assessment_quality": 2, "voice_of_child": 3 if i else None},
            submitted_at=datetime(2021, 10 + i, 12, tzinfo=UTC),
            case=CaseFactory(),
        )
        for i in range(3)
    ]
    audits[1].judgements[0].themes.append(theme)
    audits[1].status = AuditStatus.MODERATED.value
    moderation = ModerationFactory(audit=audits[1])
    ModeratedGradeFactory(moderation=moderation, judgement=audits[1].judgements[1], grade=2)
    observation = ObservationFactory(observed_on=date(2021, 11, 2), case=audits[0].case)
    LensJudgementFactory(observation=observation, grade=None)
    observation.themes.append(theme)
    ActionFactory(completed_on=date(2021, 12, 1), rag="complete")
    indicator = IndicatorFactory()
    db.session.add_all(
        [
            IndicatorValue(indicator=indicator, month=date(2021, 10, 1), value=Decimal("12.50")),
            IndicatorValue(indicator=indicator, month=date(2021, 11, 1), note="Data being developed"),
        ]
    )
    db.session.commit()


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    return operations


def _run(operation, headers: dict, examples: int, then=lambda response: None) -> None:
    """Schemathesis's requests to one operation, each answer checked against the document, then by `then`."""

    @settings(SETTINGS, max_examples=examples)
    @given(case=operation.as_strategy())
    def check(case):
        then(case.call_and_validate(headers=headers, checks=CHECKS))

    check()


def test_every_operation_answers_as_its_schema_says_with_a_valid_token(app, api_data):
    headers = make_api_token_headers()["every scope"]
    statuses = []
    for operation in _operations(app):
        _run(operation, headers, EXAMPLES, lambda response: statuses.append(response.status_code))
    # Most generated requests are valid ones: the data itself was checked, not only the 400s.
    assert statuses.count(200) > len(statuses) / 2, statuses


@pytest.mark.parametrize("kind", ["none", "unknown", "expired", "revoked", "themes"])
def test_every_operation_is_refused_without_a_live_token_in_scope(app, api_data, kind):
    headers = make_api_token_headers()[kind]
    refused = 401 if API_TOKENS[kind][1] != "live" else 403
    for operation in _operations(app):
        if kind == "themes" and operation.path == "/themes":
            continue  # the one operation this token may use
        statuses = set()
        _run(operation, headers, 5, lambda response, seen=statuses: seen.add(response.status_code))
        assert statuses == {refused}, (operation.path, kind, statuses)
