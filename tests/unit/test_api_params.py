"""The reporting API's pure parts: cursors, page sizes and an action's RAG month by month."""

from datetime import UTC, date, datetime

import pytest

from audit_app.api.data import rag_by_month
from audit_app.api.params import BadParameter, encode_cursor, parse_cursor, parse_limit

PARTS = ("audits", "observations")


def test_a_cursor_given_out_comes_back_as_the_same_position():
    position = {"part": "observations", "after": 2147483647}
    assert parse_cursor({"cursor": encode_cursor(position)}, PARTS) == position
    assert parse_cursor({}, PARTS) == {"part": "audits", "after": 0}


@pytest.mark.parametrize(
    "position",
    [
        {"part": "secrets", "after": 1},
        {"part": "audits", "after": -1},
        {"part": "audits", "after": 2**31},
        {"part": "audits", "after": "1 OR 1=1"},
        {"part": "audits"},
        ["audits", 1],
    ],
)
def test_a_cursor_this_api_did_not_give_out_is_refused(position):
    with pytest.raises(BadParameter):
        parse_cursor({"cursor": encode_cursor(position)}, PARTS)


@pytest.mark.parametrize("text", ["", "!!!", "e30", "x" * 201, "eyJwYXJ0Ijo"])
def test_a_cursor_that_is_not_one_at_all_is_refused(text):
    with pytest.raises(BadParameter):
        parse_cursor({"cursor": text}, PARTS)


def test_the_page_size_is_bounded():
    assert parse_limit({}) == 100
    assert parse_limit({"limit": "1000"}) == 1000
    for bad in ("0", "1001", "-5", "ten", "٣"):
        with pytest.raises(BadParameter):
            parse_limit({"limit": bad})


def test_the_rag_by_month_is_the_rag_at_each_months_end_carried_on_to_the_last_month():
    changes = [
        (datetime(2021, 10, 5, tzinfo=UTC), "green"),
        (datetime(2021, 12, 3, tzinfo=UTC), "amber"),
        (datetime(2021, 12, 20, tzinfo=UTC), "red"),
        (datetime(2022, 2, 1, tzinfo=UTC), "complete"),
    ]
    assert rag_by_month(changes, date(2022, 3, 9)) == [
        {"month": "2021-10", "rag": "green"},
        {"month": "2021-11", "rag": "green"},
        {"month": "2021-12", "rag": "red"},
        {"month": "2022-01", "rag": "red"},
        {"month": "2022-02", "rag": "complete"},
        {"month": "2022-03", "rag": "complete"},
    ]
    assert rag_by_month([], date(2022, 3, 9)) == []
