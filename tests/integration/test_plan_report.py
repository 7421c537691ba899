"""The demo board report for December holds the seed plan: every priority, outcome row, RAG and
indicator row, in the print-ready page and in the PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from audit_app.demo import seed_organisation
from audit_app.models.plan import RAG_DEFINITIONS
from audit_app.permissions import Role
from audit_app.plan.demo import INDICATORS, KEY_ACHIEVEMENTS, KEY_CHALLENGES, PRIORITIES, seed_plan
from tests.conftest import get, sign_in_as
from tests.factories import user_with
from tests.integration.test_plan import text_of


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00ad", "")).strip()


def expected_value(text: str, unit: str) -> str:
    return text if not text[0].isdigit() else f"{text}{unit}"


@pytest.fixture
def report_client(app, client):
    seed_organisation("demo-password-2021")
    seed_plan("demo-password-2021")
    seed_plan("demo-password-2021")  # idempotent
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    return client


def test_the_december_board_report_page_holds_the_whole_seed_plan(report_client):
    response = get(report_client, "plan.board_report", month="2020-12")
    assert response.status_code == 200
    page = normalise(text_of(response))
    assert "Progress update – December 2020" in page
    assert "Overall RAG status October November December Amber Amber Amber" in page
    for number, title, sponsor, lead, rag, vision, update, outcomes in PRIORITIES:
        assert f"{number}. {title} {rag.capitalize()}" in page  # the overview
        assert f"{number}. {title} RAG: {rag.capitalize()}" in page  # the priority's own section
        if sponsor:
            assert f"Sponsor {sponsor} Lead {lead}" in page
        assert normalise(vision) in page and normalise(update) in page
        for text, where_now, next_step, outcome_rag in outcomes:
            row = " ".join([text, *where_now, *next_step, outcome_rag.capitalize()])
            assert normalise(row) in page, text
    for item in KEY_ACHIEVEMENTS + KEY_CHALLENGES:
        assert normalise(item) in page
    assert page.count("Voice and influence of children, young people and families") == 2
    for _area, name, unit, _polarity, values, england, good in INDICATORS:
        row = " ".join([name, *(expected_value(v, unit) for v in values), england, good])
        assert normalise(row) in page, name
    # Directions of travel from November to December, with polarity.
    assert "% of initial assessments completed in 45 days 77% 77% 77% 68% 88% 95% ↓ Worsening" in page
    assert "% children becoming subject to CPP for 2nd or subsequent time 25% 31% 39% 31% 22% 20% ↓ Improving" in page
    assert "Referrals to children's social care (per 10,000) 492 472 410 414 494 347 ↑ Up" in page
    assert (
        "Turnover rate Data being developed Data being developed Data being developed Data being developed Not benchmarked Not benchmarked Not enough data"
        in page
    )
    for rag, definition in RAG_DEFINITIONS.items():
        assert f"{rag.label} {definition}" in page


def test_the_december_board_report_pdf_holds_the_whole_seed_plan(report_client):
    response = get(report_client, "plan.board_report", month="2020-12", format="pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="improvement-plan-2020-12.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = normalise(" ".join(page.extract_text() for page in reader.pages))
    squashed = text.replace(" ", "")  # words wrapped inside a table cell can lose or gain a space

    def present(value):
        return normalise(value).replace(" ", "") in squashed

    assert "Progress update – December 2020" in text
    assert present("October November December Amber Amber Amber")
    for number, title, _sponsor, _lead, rag, _vision, update, outcomes in PRIORITIES:
        assert present(f"{number}. {title}"), title
        assert present(f"RAG: {rag.capitalize()}")
        assert present(update[:200])
        for text_, where_now, next_step, _outcome_rag in outcomes:
            assert present(text_), text_
            for item in where_now + next_step:
                assert present(item), item
    assert squashed.count("Amber") >= 3 + 3 + 9  # overall months, priorities 2-4, and the amber outcomes
    for _area, name, unit, _polarity, values, england, good in INDICATORS:
        assert present(name), name
        assert present(" ".join([*(expected_value(v, unit) for v in values), england, good])), name
    for definition in RAG_DEFINITIONS.values():
        assert present(definition)


def test_the_report_for_a_month_without_updates_says_so(report_client):
    page = normalise(text_of(get(report_client, "plan.board_report", month="2021-02")))
    assert "Progress update – February 2021" in page
    assert "Overall RAG status December January February Amber Not recorded Not recorded" in page
    assert "No update recorded for February 2021." in page
