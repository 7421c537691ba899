"""Weak evidence no theme covers: the count on the summary, the review that tags it, and emerging themes
(grouped with TF-IDF and NMF) that a QA lead names, adds to the taxonomy and tags in bulk."""

import pytest
from sqlalchemy import select

from audit_app.extensions import db
from audit_app.models import ChangeLog, Judgement, RejectedSuggestion, Theme
from audit_app.permissions import Role
from audit_app.reporting.filters import Filters
from audit_app.themes import emerging
from audit_app.themes.untagged import untagged_counts
from tests.conftest import get, post, sign_in_as, statements
from tests.factories import (
    LensJudgementFactory,
    ObservationFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

PERIOD = "2021-Q4"
FATHERS = [
    "The father was not contacted and his views on the assessment were not sought.",
    "No contact with the father; the assessment does not consider his role.",
    "Father not seen and the assessment misses his views and history.",
    "The assessment ignores the father and his family; his views are missing.",
    "Father was never contacted, so the assessment lacks his views.",
    "The father's history is not in the assessment and he was not contacted.",
]
DRIFT = [
    "The plan has drifted: no review date and actions are overdue.",
    "Drift in the plan, overdue actions and no review date set.",
    "Overdue actions on the plan with no review date; drift since March.",
    "Plan drifted for months, actions overdue, no review date recorded.",
    "No review date on the plan and the actions are overdue: drift.",
    "Actions overdue and the plan has drifted without a review date.",
]


@pytest.fixture
def qa(app, client):
    """A QA lead, signed in on `client`."""
    lead = user_with(Role.QA_LEAD, display_name="Quinn QA")
    sign_in_as(client, lead)
    return lead


def weak_judgements(texts, grade=3) -> list[Judgement]:
    version = published_tool(("assessment_quality",))
    judgements = []
    for text in texts:
        audit = submitted_audit(version, {"assessment_quality": grade})
        audit.judgements[0].evidence = text
        judgements.append(audit.judgements[0])
    db.session.commit()
    return judgements


def changes(record_type, record_id):
    return db.session.execute(
        select(ChangeLog.field, ChangeLog.old_value, ChangeLog.new_value, ChangeLog.user_id)
        .where(ChangeLog.record_type == record_type, ChangeLog.record_id == record_id, ChangeLog.field != "created")
        .where(ChangeLog.field.in_(["themes", "theme suggestion"]))
        .order_by(ChangeLog.id)
    ).all()


def test_the_summary_counts_weak_evidence_with_no_theme(app, qa, client):
    theme = ThemeFactory(name="Drift and delay")
    tagged, untagged = weak_judgements(["Drift.", "Also drift."])
    tagged.themes = [theme]
    weak_judgements(["Good work."], grade=2)  # good practice is not weak
    weak_judgements(["Inadequate, and nobody tagged it."], grade=4)
    observation = ObservationFactory()
    LensJudgementFactory(observation=observation, grade=4, note="The child was not spoken to.")
    LensJudgementFactory(observation=observation, lens="management_oversight", grade=2)  # good practice
    LensJudgementFactory(observation=observation, lens="assessment_quality", grade=None)  # not observed
    LensJudgementFactory(observation=ObservationFactory(themes=[theme]), grade=3)  # its observation has a theme
    db.session.commit()
    counts = untagged_counts(Filters(period=PERIOD))
    assert (counts.judgements, counts.lens_judgements) == (2, 1)
    assert untagged_counts(Filters(period=PERIOD, source="audits")).lens_judgements == 0
    page = get(client, "themes.summary", period=PERIOD).get_data(as_text=True)
    assert "2 audit judgements and\n    1 observation lens judgement that require improvement" in page
    assert "Review the 3 and tag their themes" in page


def test_a_qa_lead_tags_untagged_evidence_and_each_tag_is_in_the_change_log(app, qa, client):
    theme = ThemeFactory(name="Fathers and wider family")
    first, second = weak_judgements(FATHERS[:2])
    observation = ObservationFactory()
    LensJudgementFactory(observation=observation, grade=3, note="Father not invited to the meeting.")
    db.session.commit()
    page = get(client, "themes.untagged", period=PERIOD).get_data(as_text=True)
    assert FATHERS[0] in page and "Father not invited to the meeting." in page
    data = {f"tag-judgement-{first.id}": str(theme.id), f"tag-observation-{observation.id}": str(theme.id)}
    data[f"tag-judgement-{second.id}"] = "0"  # left for now
    response = post(client, "themes.untagged", data=data, period=PERIOD, follow_redirects=True)
    assert "Tagged 2 records." in response.get_data(as_text=True)
    assert [t.name for t in db.session.get(Judgement, first.id).themes] == ["Fathers and wider family"]
    assert db.session.get(Judgement, second.id).themes == []
    assert changes("judgement", first.id) == [("themes", None, "Fathers and wider family", qa.id)]
    assert changes("observation", observation.id) == [("themes", None, "Fathers and wider family", qa.id)]
    post(client, "themes.untagged", data=data, period=PERIOD)  # sent twice: nothing new
    assert len(changes("judgement", first.id)) == 1
    assert untagged_counts(Filters(period=PERIOD)).total == 1


def test_odd_choices_on_the_review_are_refused_on_their_row_and_the_rest_saved(app, qa, client):
    theme = ThemeFactory(name="Voice of the child")
    retired = ThemeFactory(name="Old theme", is_active=False)
    (judgement,) = weak_judgements(["The child's voice is absent."])
    data = {
        f"tag-judgement-{judgement.id}": str(theme.id),
        "tag-judgement-99999999": str(theme.id),  # no such judgement: nothing to tag
        "tag-observation-x": str(theme.id),
        f"tag-judgement-{judgement.id}x": str(retired.id),
        "tag-nonsense-1": "abc",
    }
    response = post(client, "themes.untagged", data=data, period=PERIOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Choose a theme from the list" in page
    assert [t.name for t in db.session.get(Judgement, judgement.id).themes] == ["Voice of the child"]
    assert get(client, "themes.untagged", period="not-a-period", page="-3").status_code == 200


def test_htmx_gets_the_review_list_back_in_place(app, qa, client):
    theme = ThemeFactory(name="Safety planning")
    (judgement,) = weak_judgements(["No safety plan."])
    response = post(
        client,
        "themes.untagged",
        data={f"tag-judgement-{judgement.id}": str(theme.id)},
        headers={"HX-Request": "true"},
        period=PERIOD,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in page
    assert "Tagged 1 record." in page and "Nothing to review" in page


def test_emerging_themes_group_evidence_by_its_words_and_repeat(app):
    weak_judgements(FATHERS + DRIFT)
    found = emerging.emerging_themes(Filters(period=PERIOD))
    assert found.grouped == 12 and not found.capped
    groups = {frozenset(m.evidence.text for m in c.members) for c in found.candidates}
    assert groups == {frozenset(FATHERS), frozenset(DRIFT)}
    words = {c.number: c.words for c in found.candidates}
    assert any("father" in w for w in words.values()) and any("overdue" in w for w in words.values())
    assert all(len(c.examples) == 3 for c in found.candidates)
    again = emerging.group(emerging.evidence_pool(Filters(period=PERIOD))[0])
    assert [(c.words, [m.key for m in c.members]) for c in again] == [
        (c.words, [m.key for m in c.members]) for c in found.candidates
    ]


def test_examples_leave_out_names_and_case_references_are_never_words(app):
    text = "Told Jane Smith the plan AB12345 was overdue."
    assert emerging.excerpt(text) == "Told [name removed] the plan AB12345 was overdue."
    weak_judgements([t + " AB12345" for t in FATHERS + DRIFT])
    found = emerging.emerging_themes(Filters(period=PERIOD))
    assert found.candidates and not any("ab" in w or "12345" in w for c in found.candidates for w in c.words)


def test_the_number_of_texts_grouped_is_capped_and_the_page_says_so(app, qa, client, monkeypatch):
    weak_judgements(FATHERS + DRIFT)
    monkeypatch.setattr(emerging, "MAX_TEXTS", 8)
    found = emerging.emerging_themes(Filters(period=PERIOD))
    assert found.grouped == 8 and found.capped
    page = get(client, "themes.emerging_themes", period=PERIOD).get_data(as_text=True)
    assert "only the 8 most recent pieces are grouped" in page


def test_too_little_evidence_gives_no_candidates_rather_than_an_error(app, qa, client):
    weak_judgements(["Plan overdue.", "Plan overdue too."])
    page = get(client, "themes.emerging_themes", period=PERIOD).get_data(as_text=True)
    assert "No candidate themes" in page
    assert get(client, "themes.emerging_candidate", number=1, period=PERIOD).status_code == 404


def _candidate_with(found, text):
    return next(c for c in found.candidates if any(m.evidence.text == text for m in c.members))


def test_a_qa_lead_names_an_emerging_theme_and_tags_its_evidence(app, qa, client):
    judgements = weak_judgements(FATHERS + DRIFT)
    found = emerging.emerging_themes(Filters(period=PERIOD))
    candidate = _candidate_with(found, FATHERS[0])
    page = get(
        client, "themes.emerging_candidate", number=candidate.number, version=found.version, period=PERIOD
    ).get_data(as_text=True)
    assert FATHERS[1] in page and "checked" in page and "father" in page.split('name="keywords"')[1][:300]
    untick = next(j for j in judgements if j.evidence == FATHERS[5])
    keys = [k for k in candidate.record_keys if k != f"judgement-{untick.id}"]
    data = {
        "name": "Fathers' voices",
        "description": "Fathers are contacted and their views shape the assessment.",
        "keywords": "father, father's views",
        "version": found.version,
        "member": keys + ["judgement-99999999", "garbage"],
        "form_token": "emerging-token-000000000001",
    }
    response = post(client, "themes.emerging_candidate", data=data, number=candidate.number, period=PERIOD)
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.name == "Fathers' voices"))
    assert theme.description.startswith("Fathers are contacted") and theme.keywords == "father, father's views"
    tagged = db.session.scalars(select(Judgement).where(Judgement.themes.contains(theme))).all()
    assert sorted(j.evidence for j in tagged) == sorted(FATHERS[:5])
    for judgement in tagged:
        assert changes("judgement", judgement.id) == [("themes", None, "Fathers' voices", qa.id)]
    assert db.session.scalar(
        select(ChangeLog.id).where(ChangeLog.record_type == "theme", ChangeLog.record_id == theme.id)
    )
    again = post(client, "themes.emerging_candidate", data=data, number=candidate.number, period=PERIOD)
    assert again.status_code in (200, 302)  # the same form sent twice: one theme, no tag twice
    assert len(db.session.scalars(select(Theme).where(Theme.name == "Fathers' voices")).all()) == 1
    assert all(len(changes("judgement", j.id)) == 1 for j in tagged)
    left = emerging.emerging_themes(Filters(period=PERIOD))
    assert all(FATHERS[0] not in [m.evidence.text for m in c.members] for c in left.candidates)


def test_naming_against_changed_evidence_keeps_what_was_typed_and_saves_nothing(app, qa, client):
    weak_judgements(FATHERS + DRIFT)
    found = emerging.emerging_themes(Filters(period=PERIOD))
    candidate = _candidate_with(found, DRIFT[0])
    data = {"name": "Plans that drift", "version": "stale-version", "member": candidate.record_keys}
    response = post(client, "themes.emerging_candidate", data=data, number=candidate.number, period=PERIOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The evidence changed since this group was shown" in page
    assert 'value="Plans that drift"' in page and f'value="{found.version}"' in page
    assert db.session.scalar(select(Theme).where(Theme.name == "Plans that drift")) is None
    data = {"name": "", "version": found.version, "member": candidate.record_keys}
    page = post(client, "themes.emerging_candidate", data=data, number=candidate.number, period=PERIOD)
    assert "Enter the name of the theme" in page.get_data(as_text=True)
    ThemeFactory(name="Taken")
    data = {"name": "taken", "version": found.version, "member": candidate.record_keys}
    page = post(client, "themes.emerging_candidate", data=data, number=candidate.number, period=PERIOD)
    assert "A theme with this name already exists" in page.get_data(as_text=True)
    response = post(client, "themes.emerging_candidate", data=data, number=99, period=PERIOD)
    assert response.status_code == 200 and "no longer a candidate" in response.get_data(as_text=True)


def test_a_qa_lead_accepts_and_rejects_suggested_themes_and_rejections_are_remembered(app, qa, client):
    from tests.integration.test_theme_suggestions import themes, train_csv

    named = themes()
    train_csv()
    drift, voice = weak_judgements(
        [
            "Drift in the plan with no progress for months; actions overdue since the review.",
            "No record of the child's wishes and feelings; the child was not seen alone.",
        ]
    )
    page = get(client, "themes.untagged", period=PERIOD).get_data(as_text=True)
    drift_theme, voice_theme = named["Drift and delay"].id, named["Voice of the child"].id
    assert f'name="suggestion-judgement-{drift.id}-{drift_theme}"' in page and "Suggested: Drift and delay" in page
    data = {
        f"suggestion-judgement-{drift.id}-{drift_theme}": "accept",
        f"suggestion-judgement-{voice.id}-{voice_theme}": "reject",
    }
    response = post(client, "themes.untagged", data=data, period=PERIOD, follow_redirects=True)
    assert "Tagged 1 record; 1 suggestion rejected." in response.get_data(as_text=True)
    assert [t.name for t in db.session.get(Judgement, drift.id).themes] == ["Drift and delay"]
    assert changes("judgement", drift.id) == [
        ("themes", None, "Drift and delay", qa.id),
        ("theme suggestion", None, "Drift and delay: suggested by the model and accepted by Quinn QA", qa.id),
    ]
    assert db.session.get(Judgement, voice.id).themes == []
    page = get(client, "themes.untagged", period=PERIOD).get_data(as_text=True)
    assert f"judgement-{voice.id}" in page and f"suggestion-judgement-{voice.id}-{voice_theme}" not in page
    post(client, "themes.untagged", data=data, period=PERIOD)  # sent again: nothing twice, no error
    assert len(changes("judgement", drift.id)) == 2
    rejected = db.session.scalars(select(RejectedSuggestion)).all()
    assert [(r.record_id, r.theme_id, r.rejected_by_id) for r in rejected] == [(voice.id, voice_theme, qa.id)]


def test_evidence_the_model_places_in_an_existing_theme_is_left_out_of_emerging_themes(app, qa, client):
    from tests.integration.test_theme_suggestions import themes, train_csv

    themes()
    train_csv()
    weak_judgements(FATHERS + DRIFT)
    found = emerging.emerging_themes(Filters(period=PERIOD))
    assert found.covered > 0 and found.grouped == 12
    members = {m.evidence.text for c in found.candidates for m in c.members}
    covered = [text for text in FATHERS + DRIFT if text not in members]
    assert covered
    page = get(client, "themes.emerging_themes", period=PERIOD).get_data(as_text=True)
    assert f"{found.covered} of them are left out" in page


def _queries(client, endpoint, **values) -> int:
    with statements() as seen:
        assert get(client, endpoint, **values).status_code == 200
    return len(seen)


def test_the_review_and_emerging_pages_cost_the_same_queries_for_more_evidence(app, qa, client):
    from tests.integration.test_theme_suggestions import themes, train_csv

    themes()
    train_csv()
    weak_judgements(FATHERS[:2])
    LensJudgementFactory(observation=ObservationFactory(), grade=3, note=DRIFT[0])
    db.session.commit()
    get(client, "themes.untagged", period=PERIOD)  # the model is read from the database once per process
    few = [_queries(client, endpoint, period=PERIOD) for endpoint in ("themes.untagged", "themes.emerging_themes")]
    weak_judgements(FATHERS[2:] + DRIFT)
    for _ in range(3):
        LensJudgementFactory(observation=ObservationFactory(), grade=4, note=FATHERS[0])
    db.session.commit()
    more = [_queries(client, endpoint, period=PERIOD) for endpoint in ("themes.untagged", "themes.emerging_themes")]
    assert few == more and max(more) <= 40, (few, more)


def test_only_a_theme_the_model_suggests_can_be_accepted_as_its_suggestion(app, qa, client):
    from tests.integration.test_theme_suggestions import themes, train_csv

    named = themes()
    train_csv()
    (drift,) = weak_judgements(["Drift in the plan with no progress for months; actions overdue since the review."])
    fathers = named["Fathers and wider family"].id
    data = {f"suggestion-judgement-{drift.id}-{fathers}": "accept"}  # never suggested for this evidence
    page = post(client, "themes.untagged", data=data, period=PERIOD).get_data(as_text=True)
    assert "This theme is no longer suggested: choose it from the list instead" in page
    assert db.session.get(Judgement, drift.id).themes == []
    assert changes("judgement", drift.id) == []


def test_a_senior_manager_sees_the_count_but_not_the_review(app, client):
    weak_judgements(["Nobody tagged this weak judgement."])
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    page = get(client, "themes.summary", period=PERIOD).get_data(as_text=True)
    assert "1 audit judgement and" in page and "Review the 1" not in page
    assert get(client, "themes.untagged", period=PERIOD).status_code == 403
