"""The check that warns when a family's quote may hold a person's name."""

import pytest

from audit_app.family_voice.names import looks_like_a_name, name_like_phrases


@pytest.mark.parametrize(
    "text",
    [
        "I told Jane Smith about it",
        "Mrs Khan came every week",
        "Mr. Jones listened to me",
        "she said that Tom Brown was kind",
        "My worker is great. She and Sam Patel sorted my room",
        "Nan Doreen helps me",
    ],
)
def test_names_are_flagged(text):
    assert looks_like_a_name(text)


@pytest.mark.parametrize(
    "text",
    [
        "My worker listened to me.",
        "Things got better after Christmas.",
        "Social Services helped us. School is better now.",
        "I don't know why they came",
        "Children's Services never rang back on Monday",
        "Mum said the CAMHS appointment was good",
        "Good. Really good.",
        "",
        None,
    ],
)
def test_ordinary_words_are_not_flagged(text):
    assert not looks_like_a_name(text)


def test_the_phrase_is_given_so_the_warning_can_quote_it():
    assert name_like_phrases("I told Jane Smith and Mrs Khan") == ["Mrs Khan", "Jane Smith"]


def test_no_demo_quote_looks_like_a_name():
    from audit_app.family_voice.demo import QUOTES

    assert [text for text, _ in QUOTES if looks_like_a_name(text)] == []
