"""What families said on the theme summary and in the key findings, counted in SQL. SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest

from audit_app.family_voice.figures import family_figures
from audit_app.permissions import Role
from audit_app.reporting import findings
from audit_app.reporting.filters import Filters
from tests.conftest import get, sign_in_as
from tests.factories import (
    FamilyQuoteFactory,
    FamilyVoiceFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

Q4 = "2021-Q4"
OCTOBER = datetime(2021, 10, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def voices(app):
    """Four submitted audits in Q4 2021: three with the family's voice, one of them not contacted."""
    version = published_tool()
    theme = ThemeFactory(name="Listening to families")
    audits = [submitted_audit(version, {"voice_of_child": 2}, submitted_at=OCTOBER) for _ in range(4)]
    first = FamilyVoiceFactory(audit=audits[0], worker_listened=5, understands_involvement=4, things_better=0)
    FamilyVoiceFactory(audit=audits[1], worker_listened=3, understands_involvement=2, consent_recorded=False)
    FamilyVoiceFactory(audit=audits[2], contacted_child=False, contact_method="not_contacted", consent_recorded=None)
    quote = FamilyQuoteFactory(voice=first, position=1, text="She always rang me back.")
    quote.themes = [theme]
    FamilyQuoteFactory(voice=first, position=2, text="Untagged words.")
    return {"audits": audits, "theme": theme}


def test_contact_rate_consent_and_scores_are_counted(voices):
    figures = family_figures(Filters(period=Q4))
    assert (figures.audits, figures.recorded, figures.contacted, figures.consent) == (4, 3, 2, 1)
    assert figures.contact_pct == 50
    listened = next(r for r in figures.scales if r.key == "worker_listened")
    assert (listened.n, listened.counts[5], listened.counts[3], listened.average) == (2, 1, 1, 4.0)
    better = next(r for r in figures.scales if r.key == "things_better")
    assert (better.n, better.dont_know, better.average) == (0, 1, None)
    assert figures.quote_themes == [(voices["theme"].id, "Listening to families", 1)]
    # Another period counts nothing.
    assert family_figures(Filters(period="2021-Q3")).recorded == 0


def test_the_theme_summary_shows_what_families_said_and_the_quotes_for_a_theme(client, voices):
    sign_in_as(client, user_with(Role.QA_LEAD))
    page = get(client, "themes.summary", period=Q4).get_data(as_text=True)
    assert "What families said" in page
    assert "contacted in 2 of 4 audits (50%)" in page
    assert "Did your worker listen to you?" in page
    assert "She always rang me back." not in page  # quotes only once a theme is chosen
    page = get(client, "themes.summary", period=Q4, quote_theme=voices["theme"].id).get_data(as_text=True)
    assert "Quotes tagged Listening to families" in page and "She always rang me back." in page
    assert "Untagged words." not in page


def test_a_finding_comes_from_what_families_said_only_with_enough_answers(app):
    version = published_tool()
    for index in range(findings.MIN_N):
        audit = submitted_audit(version, {"voice_of_child": 2}, submitted_at=OCTOBER)
        FamilyVoiceFactory(audit=audit, worker_listened=5 if index else 2)
    filters = Filters(period=Q4)
    found = findings.key_findings(filters)
    sentences = [f.sentence for f in found["strengths"] if f.source == "families"]
    assert sentences == [
        "What families said: 90% of 10 answers to “Did your worker listen to you?” were 4 or 5 out of 5 (average 4.7)."
    ]
    figures = family_figures(filters)
    figures.scales[1].counts[5] -= 1  # one answer fewer than the minimum: no sentence
    assert findings.family_findings(figures) == []


def test_merging_a_theme_moves_the_quotes_tagged_with_it(voices):
    from audit_app.themes.services import merge_themes

    target = ThemeFactory(name="Families heard")
    merge_themes(voices["theme"], target)
    assert family_figures(Filters(period=Q4)).quote_themes == [(target.id, "Families heard", 1)]
