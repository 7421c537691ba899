"""Finding a case reference inside free text: the shapes references take, and the ordinary words that are not."""

import pytest

from audit_app.case_references import CASE_REFERENCE_PATTERN, case_references_in


@pytest.mark.parametrize(
    "text, found",
    [
        ("The plan for CMS104233 was reviewed.", ["CMS104233"]),
        ("cms104233 and CMS-104233 and LA/20431", ["cms104233", "CMS-104233", "LA/20431"]),
        ("Number 1234567 on the file", ["1234567"]),
        ("CMS104233 twice: CMS104233.", ["CMS104233"]),
    ],
)
def test_references_are_found(text, found):
    assert case_references_in(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "In 2021 and 2021/22, and from 2019-2020, audits improved.",
        "10 key tips for engaging children and families",
        "Section 47 enquiries, S47 and S17, Covid-19, KS2, Year 10, 84% of 292 plans",
        "Visits every 10 working days; 12 weeks; 48 hours",
        "",
        None,
    ],
)
def test_ordinary_text_and_years_are_not_flagged(text):
    assert case_references_in(text) == []


def test_the_admin_pages_accept_the_shape_found_in_text():
    assert all(CASE_REFERENCE_PATTERN.match(r) for r in case_references_in("CMS104233 LA-20431 1234567"))
