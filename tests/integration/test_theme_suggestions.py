"""Theme suggestions (audit_app/theme_model/): what the model learns from, what it suggests and why."""

import io
import itertools
import pickle

from audit_app.extensions import db
from audit_app.models import ThemeModel
from audit_app.models.audits import AuditStatus
from audit_app.models.practice_week import ObservationStatus
from audit_app.theme_model import MIN_SCORE, suggest_themes
from audit_app.theme_model import examples as sources
from audit_app.theme_model.classifier import Example
from audit_app.theme_model.training import evaluate, split, train_from_csv, train_from_database
from tests.factories import (
    CaseAuditFactory,
    JudgementFactory,
    LensJudgementFactory,
    ObservationFactory,
    QuickWinFactory,
    ThemeFactory,
)

PHRASES = {
    "Voice of the child": [
        "the child's wishes and feelings are recorded",
        "the child was seen alone and their views shape the plan",
        "no record of what the child said about home",
        "direct work captured the child's lived experience",
    ],
    "Drift and delay": [
        "drift in the plan with no progress for months",
        "actions overdue and the case has drifted since the review",
        "delay in convening the strategy meeting",
        "the plan has stalled and nothing moved for weeks",
    ],
    "Fathers and wider family": [
        "the father was not contacted",
        "paternal family not explored as carers",
        "no work with dad or the wider family network",
        "grandparents and father left out of the assessment",
    ],
}
NEUTRAL = ["the file is up to date", "records are typed promptly", "case notes are clear", "the chronology is current"]


def themes():
    return {name: ThemeFactory(name=name) for name in PHRASES}


def csv_rows(repeat: int = 6) -> str:
    """Generated texts: each theme's phrases in several sentences, and untagged ones."""
    lines = ["text,themes"]
    fillers = itertools.cycle(NEUTRAL)
    for _ in range(repeat):
        for name, phrases in PHRASES.items():
            for phrase in phrases:
                lines.append(f'"{phrase}; {next(fillers)}",{name}')
        lines += [f"{text} and seen by the manager," for text in NEUTRAL]
        for (a, pa), (b, pb) in itertools.combinations(PHRASES.items(), 2):  # texts that carry two themes
            lines += [f'"{x}. {y}",{a};{b}' for x, y in zip(pa, pb)]
    return "\n".join(lines) + "\n"


def train_csv(text: str | None = None):
    return train_from_csv(io.StringIO(text or csv_rows()), "generated.csv")


def test_no_model_yet_means_no_suggestions(app):
    themes()
    assert suggest_themes(["No record of what the child said", ""]) == [[], []]


def test_suggests_the_theme_of_the_text_with_the_words_that_led_to_it(app):
    named = themes()
    (trained, unknown) = train_csv()
    assert unknown == {}
    [[first, *_], [drift, *_], nothing] = suggest_themes(
        ["We found no record of the child's wishes or views.", "Months of drift: the plan has stalled.", ""]
    )
    assert (first.theme_id, first.name) == (named["Voice of the child"].id, "Voice of the child")
    assert first.score >= MIN_SCORE and {"child", "wishes", "views"} & set(first.because)
    assert drift.name == "Drift and delay" and {"drift", "stalled", "plan stalled"} & set(drift.because)
    assert nothing == []
    assert trained.record.version == 1 and trained.record.themes == 3


def test_at_most_top_themes_each_above_the_threshold_best_first(app):
    themes()
    train_csv()
    text = "The father was not contacted. The child's wishes and feelings are recorded."
    [both] = suggest_themes([text])
    assert [s.name for s in both] == ["Voice of the child", "Fathers and wider family"]
    assert both[0].score >= both[1].score >= MIN_SCORE
    assert "father" in both[1].because and "not" not in both[1].because  # a negation alone explains nothing
    [one] = suggest_themes([text], top=1)
    assert one == both[:1]
    assert suggest_themes(["Records are typed promptly."]) == [[]]


def test_retired_themes_are_not_suggested_and_renames_show(app):
    named = themes()
    train_csv()
    named["Drift and delay"].is_active = False
    named["Voice of the child"].name = "Child's voice"
    db.session.commit()
    [suggested] = suggest_themes(["Drift and delay; the child's wishes are not recorded."])
    assert [s.name for s in suggested] == ["Child's voice"]


def test_the_newest_version_is_the_one_used(app):
    themes()
    train_csv()
    # Version 2 learns that "manager" means drift: the cached version 1 must not answer any more.
    text = "text,themes\n" + "".join(f"the manager saw it {i},Drift and delay\nthe file {i},\n" for i in range(30))
    (trained, _) = train_csv(text)
    assert trained.record.version == 2
    [[first, *_]] = suggest_themes(["The manager saw it."])
    assert first.name == "Drift and delay" and "manager" in first.because


def test_csv_names_match_the_taxonomy_ignoring_case_and_unknown_ones_are_reported(app):
    themes()
    text = csv_rows() + "the plan is late,drift and DELAY;Neglect;Neglect\nthe dad was seen,Housing\n"
    read = sources.from_csv(io.StringIO(text), sources.taxonomy())
    assert read.unknown == {"Neglect": 2, "Housing": 1}
    late = next(e for e in read.examples if e.text == "the plan is late")
    assert len(late.theme_ids) == 1


def test_theme_words_alone_start_the_model(app):
    """Before anything is tagged, a theme's name, description and keywords are what it is known by."""
    ThemeFactory(
        name="Fathers and wider family", description="Fathers are seen and assessed.", keywords="dad, paternal"
    )
    ThemeFactory(name="Drift and delay", description="Plans progress without delay.", keywords="stalled, overdue")
    ThemeFactory(name="Voice of the child", keywords="wishes and feelings; seen alone")
    trained = train_from_database()
    assert (trained.record.examples, trained.record.held_out, trained.record.themes) == (0, 0, 3)
    assert trained.record.precision_at_3 is None and trained.record.recall_at_3 is None
    [[first, *_]] = suggest_themes(["Dad has not been contacted."])
    assert first.name == "Fathers and wider family" and first.because == ["dad"]


def test_learns_from_submitted_judgements_observations_and_quick_wins(app):
    named = themes()
    voice, drift = named["Voice of the child"], named["Drift and delay"]
    retired = ThemeFactory(name="Old theme", is_active=False)
    submitted = CaseAuditFactory(status=AuditStatus.SUBMITTED.value)
    JudgementFactory(audit=submitted, evidence="Wishes recorded.", themes=[voice, retired])
    JudgementFactory(audit=submitted, evidence="Nothing of note.")
    JudgementFactory(audit=submitted, evidence="   ")
    JudgementFactory(audit=CaseAuditFactory(status=AuditStatus.IN_PROGRESS.value), evidence="Draft.", themes=[drift])
    observation = ObservationFactory(working_well="Warm visit.", needs_to_improve="Plan stalled.", themes=[drift])
    LensJudgementFactory(observation=observation, note="Child seen alone.")
    ObservationFactory(status=ObservationStatus.DRAFT.value, working_well="Not yet submitted.")
    QuickWinFactory(observation=observation, text="Chase the overdue actions.", theme=drift)
    found = {(e.text, e.theme_ids) for e in sources.from_database(sources.taxonomy())}
    assert found == {
        ("Wishes recorded.", frozenset({voice.id})),
        ("Nothing of note.", frozenset()),
        ("Warm visit. Plan stalled. Child seen alone.", frozenset({drift.id})),
        ("Chase the overdue actions.", frozenset({drift.id})),
    }


def test_the_held_out_fifth_and_the_figures_on_it(app):
    examples = [Example(f"text {i}", frozenset({i % 3})) for i in range(10)]
    learn, held_out = split(examples)
    assert len(held_out) == 2 and not set(map(id, learn)) & set(map(id, held_out))
    assert split(examples) == (learn, held_out)  # the same every run

    class Fixed:
        """Suggests themes 0 and 1 for every text."""

        def top(self, texts, top, min_score):
            return [[(0, 0.9, ["text"]), (1, 0.5, ["text"])] for _ in texts]

    three = [Example("a", frozenset({0})), Example("b", frozenset({1, 2})), Example("c", frozenset())]
    figures = evaluate(Fixed(), three)
    assert (figures.suggested, figures.tags, figures.hits) == (6, 3, 2)
    assert (figures.precision_at_3, figures.recall_at_3) == (2 / 6, 2 / 3)


def test_training_stores_the_figures_with_the_model(app):
    themes()
    (trained, _) = train_csv()
    stored = db.session.get(ThemeModel, trained.record.id)
    assert stored.source == "generated.csv" and stored.held_out == trained.evaluation.held_out > 0
    assert stored.examples + stored.held_out == csv_rows().count("\n") - 1
    assert stored.precision_at_3 == trained.evaluation.precision_at_3 > 0.5
    assert stored.recall_at_3 == trained.evaluation.recall_at_3 > 0.5


def test_with_many_texts_one_off_words_are_dropped_but_never_a_themes_own(app, monkeypatch):
    from audit_app.theme_model import classifier

    monkeypatch.setattr(classifier, "RARE_WORDS_FROM", 10)
    ThemeFactory(name="Domestic abuse practice", keywords="MARAC")
    ThemeFactory(name="Drift and delay")
    texts = "".join(f"the plan is late {i},Drift and delay\nthe file is tidy,\nzyxwv{'q' * i},\n" for i in range(20))
    (trained, _) = train_csv("text,themes\n" + texts)
    model = pickle.loads(trained.record.model)
    assert "marac" in model.feature_names and "plan late" in model.feature_names
    assert not any(name.startswith("zyxwv") for name in model.feature_names)  # each seen once
    [[first]] = suggest_themes(["A MARAC referral was made."])
    assert first.name == "Domestic abuse practice" and first.because == ["marac"]


def test_a_stored_model_that_cannot_be_loaded_means_no_suggestions_not_an_error(app, caplog):
    themes()
    (trained, _) = train_csv()
    trained.record.model = b"not a pickle"
    db.session.commit()
    assert suggest_themes(["The father was not contacted."]) == [[]]
    assert "Theme model version 1 cannot be loaded" in caplog.text
