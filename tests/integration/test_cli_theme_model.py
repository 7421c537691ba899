"""The theme model's command line: flask train-themes and flask suggest-themes."""

import json

from sqlalchemy import func, select

from audit_app.extensions import db
from audit_app.models import ThemeModel
from audit_app.models.audits import AuditStatus
from tests.factories import CaseAuditFactory, JudgementFactory, ThemeFactory
from tests.integration.test_theme_suggestions import csv_rows, themes


def test_train_themes_learns_from_the_database_and_evaluate_prints_the_figures(app):
    voice = ThemeFactory(name="Voice of the child", keywords="wishes and feelings")
    ThemeFactory(name="Drift and delay")
    audit = CaseAuditFactory(status=AuditStatus.SUBMITTED.value)
    for i in range(20):
        JudgementFactory(audit=audit, evidence=f"The child's wishes were not recorded ({i}).", themes=[voice])
        JudgementFactory(audit=audit, evidence=f"The file was tidy ({i}).")
    result = app.test_cli_runner().invoke(args=["train-themes", "--evaluate"])
    assert result.exit_code == 0, result.output
    stored = db.session.scalar(select(ThemeModel))
    assert (stored.version, stored.source, stored.examples, stored.held_out) == (1, "the database", 32, 8)
    assert "Stored theme model version 1: 2 themes, learnt from 32 texts" in result.output
    assert f"precision@3: {stored.precision_at_3:.1%}" in result.output
    assert f"recall@3: {stored.recall_at_3:.1%}" in result.output
    assert stored.recall_at_3 == 1.0


def test_without_evaluate_it_trains_and_stores_but_prints_no_figures(app):
    themes()
    result = app.test_cli_runner().invoke(args=["train-themes"])
    assert result.exit_code == 0, result.output
    assert "precision@3" not in result.output
    assert db.session.scalar(select(func.count()).select_from(ThemeModel)) == 1


def test_train_from_csv_becomes_the_current_model_and_reports_unknown_themes(app, tmp_path):
    themes()
    path = tmp_path / "tagged.csv"
    path.write_text(csv_rows() + "the plan is late,Drift and delay;Neglect\n", encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["train-themes"]).exit_code == 0
    result = runner.invoke(args=["train-themes", "--from-csv", str(path), "--evaluate"])
    assert result.exit_code == 0, result.output
    assert "Unknown theme (not in the taxonomy, ignored): Neglect (1 rows)" in result.output
    assert "Stored theme model version 2" in result.output
    current = db.session.scalar(select(ThemeModel).order_by(ThemeModel.version.desc()))
    assert current.source == str(path) and current.examples + current.held_out == 169
    answered = runner.invoke(args=["suggest-themes"], input="No dad or wider family network.\n")
    assert json.loads(answered.output)["themes"][0]["name"] == "Fathers and wider family"


def test_a_csv_without_the_columns_is_refused(app, tmp_path):
    themes()
    path = tmp_path / "wrong.csv"
    path.write_text("evidence,tags\nsome text,Drift and delay\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["train-themes", "--from-csv", str(path)])
    assert result.exit_code == 1
    assert "needs a header row with the columns text and themes" in result.output
    assert db.session.scalar(select(ThemeModel)) is None


def test_suggest_themes_writes_one_json_object_per_line(app, tmp_path):
    themes()
    path = tmp_path / "tagged.csv"
    path.write_text(csv_rows(), encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["train-themes", "--from-csv", str(path)]).exit_code == 0
    texts = ["The father was not contacted. The child's wishes and feelings are recorded.", "", "Case notes are clear."]
    result = runner.invoke(args=["suggest-themes", "--top", "1"], input="\n".join(texts) + "\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["text"] for line in lines] == texts
    [first] = lines[0]["themes"]
    assert first["name"] == "Voice of the child" and 0 < first["score"] <= 1 and "child" in first["because"]
    assert lines[1]["themes"] == [] and lines[2]["themes"] == []


def test_suggest_themes_before_any_training_says_what_to_do(app):
    result = app.test_cli_runner().invoke(args=["suggest-themes"], input="Some text\n")
    assert result.exit_code == 1 and "run flask train-themes first" in result.output
