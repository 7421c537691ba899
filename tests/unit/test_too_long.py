"""The message for text over its limit, as GOV.UK writes it: the number from the limit, a comma over 999."""

import pytest

from audit_app.forms import too_long


@pytest.mark.parametrize(
    ("subject", "limit", "message"),
    [
        ("What must happen", 2000, "What must happen must be 2,000 characters or fewer"),
        ("Next step", 8000, "Next step must be 8,000 characters or fewer"),
        ("Description", 1000, "Description must be 1,000 characters or fewer"),
        ("Question", 999, "Question must be 999 characters or fewer"),
        ("Worker reference", 40, "Worker reference must be 40 characters or fewer"),
    ],
)
def test_the_number_has_a_comma_from_a_thousand_and_none_below(subject, limit, message):
    assert too_long(subject, limit) == message
