"""The theme summary: every figure against data made here, on SQLite and PostgreSQL.

The scene: Quarter 4 2021 (October to December) against Quarter 3 2021, two teams in two
localities, one audit moderated, observations through the lenses, and themes on both.
"""

import csv
import html as html_lib
import io
import re
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, text

from audit_app.extensions import db
from audit_app.models import AuditStatus
from audit_app.permissions import Role
from audit_app.reporting import findings, queries
from audit_app.reporting.exports import JUDGEMENT_COLUMNS
from audit_app.reporting.filters import Filters
from tests.conftest import get, path_for, sign_in_as
from tests.factories import (
    AuditProgrammeFactory,
    CaseFactory,
    LensJudgementFactory,
    LocalityFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    ObservationFactory,
    PlanFactory,
    PracticeWeekFactory,
    PriorityFactory,
    ServiceFactory,
    TeamFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

Q4 = "2021-Q4"


def when(month, day=15):
    return datetime(2021, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def organisation(app):
    """The tool, two localities with a team each, a programme, a practice week and two themes."""
    version = published_tool(("assessment_quality", "voice_of_child", "management_oversight"))
    north, south = LocalityFactory(name="North"), LocalityFactory(name="South")
    front_door, children = ServiceFactory(name="Initial Response"), ServiceFactory(name="Children & Families")
    team_a = TeamFactory(name="North Initial Response", locality=north, service=front_door)
    team_b = TeamFactory(name="South Children & Families 1", locality=south, service=children)
    programme = AuditProgrammeFactory(tool_version=version, name="November 2021 monthly audit")
    week = PracticeWeekFactory(title="Front door practice week", starts_on=date(2021, 11, 1), ends_on=date(2021, 11, 5))
    voice, oversight = ThemeFactory(name="Voice of the child"), ThemeFactory(name="Management oversight")
    return {
        "version": version,
        "north": north,
        "south": south,
        "team_a": team_a,
        "team_b": team_b,
        "front_door": front_door,
        "children": children,
        "programme": programme,
        "week": week,
        "voice": voice,
        "oversight": oversight,
    }


@pytest.fixture
def quarter_four_audits(organisation):
    """Team A (North, Initial Response, Child Protection): 10 audits in the programme; team B (South,
    Children & Families, Child in Need): 4 audits in the practice week."""
    o = organisation
    audits = [
        submitted_audit(
            o["version"],
            {
                "assessment_quality": 2,
                "voice_of_child": 3 if i < 6 else 2,
                "management_oversight": None if i < 2 else 4,
            },
            submitted_at=when(10 + i % 3),
            case=CaseFactory(team=o["team_a"], case_type="cp"),
            programme=o["programme"],
        )
        for i in range(10)
    ]
    for _ in range(4):
        audits.append(
            submitted_audit(
                o["version"],
                {"assessment_quality": 1, "voice_of_child": 2, "management_oversight": 3},
                submitted_at=when(11),
                case=CaseFactory(team=o["team_b"], case_type="cin"),
                practice_week_id=o["week"].id,
            )
        )
    return audits


@pytest.fixture
def other_audits(organisation, quarter_four_audits):
    """Quarter 3: 10 audits in team A, three with the voice of the child requiring improvement; neither a
    draft audit nor one outside both quarters counts."""
    version, team_a = organisation["version"], organisation["team_a"]
    previous = [
        submitted_audit(
            version,
            {"assessment_quality": 2, "voice_of_child": 3 if i < 3 else 2, "management_oversight": 2},
            submitted_at=when(8),
            case=CaseFactory(team=team_a, case_type="cp"),
        )
        for i in range(10)
    ]
    draft = submitted_audit(
        version, {"voice_of_child": 4}, submitted_at=when(11), case=CaseFactory(team=team_a, case_type="cp")
    )
    draft.status = AuditStatus.IN_PROGRESS.value
    submitted_audit(
        version,
        {"voice_of_child": 4},
        submitted_at=datetime(2022, 1, 5, tzinfo=UTC),
        case=CaseFactory(team=team_a),
    )
    return previous


def _judgement(audit, domain_key):
    return next(j for j in audit.judgements if j.domain_key == domain_key)


@pytest.fixture
def themes_and_moderation(organisation, quarter_four_audits, other_audits):
    """Voice on 5 Q4 judgements and 2 Q3 ones; oversight on 1 Q4 judgement. The first audit is moderated:
    the moderator grades the voice of the child Good, not RI."""
    voice, audits = organisation["voice"], quarter_four_audits
    for audit in audits[:5] + other_audits[:2]:
        _judgement(audit, "voice_of_child").themes.append(voice)
    _judgement(audits[0], "management_oversight").themes.append(organisation["oversight"])
    moderated = audits[0]
    moderated.status = AuditStatus.MODERATED.value
    moderation = ModerationFactory(audit=moderated, completed_at=when(12, 1))
    ModeratedGradeFactory(moderation=moderation, judgement=_judgement(moderated, "voice_of_child"), grade=2)
    ModeratedGradeFactory(moderation=moderation, judgement=_judgement(moderated, "assessment_quality"), grade=2)
    return moderated


@pytest.fixture
def observations(organisation):
    """Observations in Quarter 4: three submitted in team A, one draft (does not count)."""
    team_a, week = organisation["team_a"], organisation["week"]
    for grade in (3, 4, 2):
        observation = ObservationFactory(
            team=team_a,
            service=organisation["front_door"],
            week=week,
            observed_on=date(2021, 11, 2),
            needs_to_improve="The child's views were not in the plan.",
        )
        LensJudgementFactory(observation=observation, lens="voice_of_child", grade=grade)
        LensJudgementFactory(observation=observation, lens="safety_planning", grade=None)
        observation.themes.append(organisation["voice"])
    draft_observation = ObservationFactory(team=team_a, week=week, observed_on=date(2021, 11, 3), status="draft")
    LensJudgementFactory(observation=draft_observation, lens="voice_of_child", grade=4)


@pytest.fixture
def scene(organisation, quarter_four_audits, themes_and_moderation, observations):
    db.session.commit()
    return {**organisation, "moderated": themes_and_moderation, "audits": quarter_four_audits}


def spread(filters, key):
    return {r.key: r for r in queries.domain_spread(filters)}.get(key)


def row_cells(page: str, table_id: str, key: str) -> dict:
    """The cells of one row of a summary table, by their data-grade/data-col/data-month."""
    table = page[page.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    row = re.search(rf'<tr class="govuk-table__row" data-(?:key|theme)="{key}">(.*?)</tr>', table, re.S)
    assert row, f"no row {key} in {table_id}"
    cells = {}
    for name, content in re.findall(
        r'<td [^>]*data-(?:grade|col|month|good)(?:="([^"]*)")?[^>]*>(.*?)</td>', row[1], re.S
    ):
        cells[name or "good"] = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", content)).split())
    return cells


# --- Grade spread -------------------------------------------------------------------------------


def test_grade_spread_counts_each_domain_by_grade_with_moderated_grades(app, scene, qa_client):
    voice = spread(Filters(period=Q4), "voice_of_child")
    # 14 audits in Q4: 6 RI in team A less the one moderated to Good; 4 + 4 + 1 Good.
    assert voice.counts == {1: 0, 2: 9, 3: 5, 4: 0}
    assert voice.good_pct == 64
    oversight = spread(Filters(period=Q4), "management_oversight")
    assert oversight.counts == {1: 0, 2: 0, 3: 4, 4: 8} and oversight.not_graded == 2

    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert row_cells(page, "table-domains", "voice_of_child") == {
        "1": "0",
        "2": "9",
        "3": "5",
        "4": "0",
        "na": "0",
        "good": "64% of 14",
    }
    assert row_cells(page, "table-domains", "management_oversight")["na"] == "2"


def test_the_switch_shows_auditors_original_grades(app, scene, qa_client):
    assert spread(Filters(period=Q4, grades="original"), "voice_of_child").counts == {1: 0, 2: 8, 3: 6, 4: 0}
    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert "1 of 14 audits in this period were moderated" in page
    assert "the moderator changed 1 judgement." in page
    assert "grades=original" in page
    original = get(qa_client, "themes.summary", period=Q4, grades="original").get_data(as_text=True)
    assert row_cells(original, "table-domains", "voice_of_child")["3"] == "6"
    assert (
        "Figures use the auditors&#39; original grades." in original
        or "Figures use the auditors' original grades." in original
    )


def test_draft_audits_and_other_periods_do_not_count(app, scene):
    total = sum(r.total for r in queries.domain_spread(Filters(period=Q4)) if r.key == "voice_of_child")
    assert total == 14
    assert spread(Filters(period="2021-Q3"), "voice_of_child").counts == {1: 0, 2: 7, 3: 3, 4: 0}


@pytest.mark.parametrize(
    "filter_args, voice_counts",
    [
        ({"locality": "south"}, {1: 0, 2: 4, 3: 0, 4: 0}),
        ({"locality": "north"}, {1: 0, 2: 5, 3: 5, 4: 0}),
        ({"service": "children"}, {1: 0, 2: 4, 3: 0, 4: 0}),
        ({"team": "team_a"}, {1: 0, 2: 5, 3: 5, 4: 0}),
        ({"case_type": "cin"}, {1: 0, 2: 4, 3: 0, 4: 0}),
        ({"programme": "programme"}, {1: 0, 2: 5, 3: 5, 4: 0}),
        ({"practice_week": "week"}, {1: 0, 2: 4, 3: 0, 4: 0}),
        ({"programme_kind": "monthly_dip_sample"}, {1: 0, 2: 5, 3: 5, 4: 0}),
    ],
)
def test_each_filter_narrows_the_figures_on_the_page(app, scene, qa_client, filter_args, voice_counts):
    args = {name: (scene[value].id if value in scene else value) for name, value in filter_args.items()}
    filters = Filters.from_args({"period": Q4, **{k: str(v) for k, v in args.items()}})
    assert spread(filters, "voice_of_child").counts == voice_counts
    page = get(qa_client, "themes.summary", period=Q4, **args).get_data(as_text=True)
    cells = row_cells(page, "table-domains", "voice_of_child")
    assert [cells[str(g)] for g in range(1, 5)] == [str(voice_counts[g]) for g in range(1, 5)]


def test_lens_spread_counts_submitted_observations_only(app, scene, qa_client):
    lenses = {r.key: r for r in queries.lens_spread(Filters(period=Q4))}
    assert lenses["voice_of_child"].counts == {1: 0, 2: 1, 3: 1, 4: 1}
    assert lenses["safety_planning"].not_graded == 3
    page = get(qa_client, "themes.summary", period=Q4, source="observations").get_data(as_text=True)
    assert row_cells(page, "table-lenses", "voice_of_child") == {
        "1": "0",
        "2": "1",
        "3": "1",
        "4": "1",
        "na": "0",
        "good": "33% of 3",
    }
    assert 'id="table-domains"' not in page  # observations only: no audit figures
    # Observations belong to no programme: a programme filter leaves only audits.
    assert not Filters(period=Q4, programme=scene["programme"].id).include_observations
    # A locality filter applies to observations through their team.
    assert queries.lens_spread(Filters(period=Q4, locality=scene["south"].id)) == []


# --- Trend -----------------------------------------------------------------------------------------


def test_good_or_better_month_by_month(app, scene, qa_client):
    trend = queries.good_or_better_by_month(Filters(period=Q4))
    assert trend.months[0] == "2021-01" and trend.months[-1] == "2021-12" and len(trend.months) == 12
    voice = next(r for r in trend.rows if r["key"] == "voice_of_child")
    # October: audits 0, 3, 6, 9 in team A (0 moderated to Good; 3 RI; 6 and 9 Good).
    assert voice["cells"]["2021-10"] == (3, 4)
    # November: audits 1, 4, 7 in team A (1 and 4 RI) and the 4 in team B (Good).
    assert voice["cells"]["2021-11"] == (5, 7)
    assert voice["cells"]["2021-08"] == (7, 10)
    page = get(qa_client, "themes.trend", period=Q4).get_data(as_text=True)
    cells = row_cells(page, "table-trend", "voice_of_child")
    assert cells["2021-10"] == "75% (4)" and cells["2021-11"] == "71% (7)" and cells["2021-08"] == "70% (10)"
    assert cells["2021-09"] == "–"
    # The summary page loads it (htmx) or links to it (no JavaScript).
    summary = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert f'hx-get="{path_for("themes.trend", period=Q4)}' in summary


# --- Themes and the previous period -------------------------------------------------------------------


def test_themes_ranked_with_sources_and_change_on_the_previous_period(app, scene, qa_client):
    ranking = queries.theme_ranking(Filters(period=Q4))
    assert [t.name for t in ranking] == ["Voice of the child", "Management oversight"]
    voice = ranking[0]
    assert (voice.audits, voice.observations, voice.total, voice.previous_total, voice.change) == (5, 3, 8, 2, 6)
    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert row_cells(page, "table-themes", scene["voice"].id) == {
        "audits": "5",
        "observations": "3",
        "total": "8",
        "previous": "2",
        "change": "+6",
    }
    audits_only = {t.name: t for t in queries.theme_ranking(Filters(period=Q4, source="audits"))}
    assert audits_only["Voice of the child"].total == 5


# --- Key findings ---------------------------------------------------------------------------------------


def test_key_findings_state_figures_change_and_observations(app, scene, qa_client):
    result = findings.key_findings(Filters(period=Q4, grades="original"))
    areas = {f.key: f for f in result["areas"]}
    # Voice: 6 of 14 RI (43%), Q3 3 of 10 (30%): up 13 points; 2 observations RI or inadequate.
    assert areas["voice_of_child"].sentence == (
        "Voice of child: 43% of 14 audited cases require improvement or are inadequate, up 13 points on the "
        "previous quarter; seen as requiring improvement or inadequate in 2 practice-week observations."
    )
    strengths = {f.key: f for f in result["strengths"]}
    assert strengths["assessment_quality"].sentence.startswith(
        "Assessment quality: 100% of 14 audited cases are good or outstanding, the same as the previous quarter"
    )
    page = get(qa_client, "themes.summary", period=Q4, grades="original").get_data(as_text=True)
    assert "43% of 14 audited cases require improvement or are inadequate" in page


def test_no_finding_from_fewer_than_the_minimum(app, scene):
    # South has 4 audits: below the minimum, so no finding however the grades fall.
    result = findings.key_findings(Filters(period=Q4, locality=scene["south"].id))
    assert findings.MIN_N == 10
    assert result == {"strengths": [], "areas": []}


# --- Drill-down ---------------------------------------------------------------------------------------------


def test_every_figure_links_to_the_judgements_behind_it(app, scene, qa_client):
    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    evidence_page = re.escape(path_for("themes.evidence"))
    link = re.search(rf'href="({evidence_page}\?[^"]*domain=voice_of_child[^"]*grade=3[^"]*)"', page)
    assert link
    evidence = qa_client.get(html_lib.unescape(link[1])).get_data(as_text=True)
    assert "5 judgements from audits" in evidence
    references = {a.case.case_reference for a in scene["audits"][1:6]}
    assert all(ref in evidence for ref in references)
    assert scene["audits"][0].case.case_reference not in evidence  # moderated to Good
    assert path_for("audits.view", audit_id=scene["audits"][1].id) in evidence  # the audit's own page
    # Under the original grades the moderated audit is behind the RI figure, with both grades shown.
    original = get(
        qa_client, "themes.evidence", period=Q4, grades="original", domain="voice_of_child", grade="3"
    ).get_data(as_text=True)
    assert "6 judgements from audits" in original


def test_drill_down_into_a_theme_shows_audits_and_observations(app, scene, qa_client):
    evidence = get(qa_client, "themes.evidence", period=Q4, theme=scene["voice"].id).get_data(as_text=True)
    assert "5 judgements from audits and 3 from practice-week observations" in evidence
    assert (
        "The child&#39;s views were not in the plan." in evidence
        or "The child's views were not in the plan." in evidence
    )
    previous = get(qa_client, "themes.evidence", period=Q4, theme=scene["voice"].id, previous="1").get_data(
        as_text=True
    )
    assert "2 judgements from audits and 0 from practice-week observations" in previous


def test_a_drill_downs_total_is_the_judgements_its_pages_list(app, scene):
    """The total is read from the monthly rollups where they hold it (and counted from the raw rows where
    they do not, as for a programme): either way it is what the pages go on to list."""
    voice = scene["voice"].id
    selections = [
        queries.Selection(domain="voice_of_child", grade="3"),
        queries.Selection(domain="voice_of_child", grade="good"),
        queries.Selection(domain="management_oversight", grade="na"),
        queries.Selection(grade="weak"),
        queries.Selection(grade="2", month="2021-11"),
        queries.Selection(theme=voice),
        queries.Selection(theme=voice, previous=True),
        queries.Selection(theme=voice, domain="voice_of_child", grade="3"),
        queries.Selection(domain="assessment_quality", good_practice=True),
    ]
    filters = [
        Filters(period=Q4),
        Filters(period=Q4, grades="original"),
        Filters(period=Q4, locality=scene["north"].id, case_type="cp"),
        Filters(period=Q4, service=scene["children"].id),
        Filters(period=Q4, programme=scene["programme"].id),
    ]
    totals = {}
    for f in filters:
        for selection in selections:
            rows, total = queries.evidence_audits(f, selection, limit=1000)
            assert total == len(rows), (f, selection)
            # Page by page (small pages are read from a window of the newest audits): the same rows in order.
            for size in (1, 4):
                listed, page = [], 0
                while found := queries.evidence_audits(f, selection, limit=size, offset=size * page)[0]:
                    listed += [row.id for row in found]
                    page += 1
                assert listed == [row.id for row in rows], (f, selection, size)
            totals[f, selection] = total
    # The moderator's Good counts under the moderated grades, the auditor's RI under the original ones.
    assert totals[filters[0], selections[1]] == totals[filters[1], selections[1]] + 1 == 9
    assert totals[filters[2], selections[5]] == 5 and totals[filters[3], selections[5]] == 0


def test_a_page_walked_back_from_the_newest_audit_is_read_by_one_process(app, scene):
    """On PostgreSQL, without parallel workers: they walk ahead of the page (benchmarks/RESULTS.md). The rest of
    the transaction keeps the database's setting."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    show = "SHOW max_parallel_workers_per_gather"
    default = db.session.execute(text(show)).scalar()
    while_paged = []

    def note_workers(connection, cursor, statement, *_):
        if "ORDER BY case_audit.submitted_at DESC" in statement:
            while_paged.append(cursor.connection.execute(show).fetchone()[0])

    event.listen(db.engine, "before_cursor_execute", note_workers)
    try:
        in_the_north = Filters(period=Q4, locality=scene["north"].id, case_type="cp")
        rows, total = queries.evidence_audits(in_the_north, queries.Selection(theme=scene["voice"].id))
    finally:
        event.remove(db.engine, "before_cursor_execute", note_workers)
    assert len(rows) == total == 5
    assert while_paged == ["0"]
    assert db.session.execute(text(show)).scalar() == default != "0"


# --- Exports -------------------------------------------------------------------------------------------------


def test_exports_open_in_openpyxl_with_the_filters_and_the_page_figures(app, scene, qa_client):
    response = get(qa_client, "themes.export", table="domains", fmt="xlsx", period=Q4, locality=scene["north"].id)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert list(rows[1][:2]) == ["Filter: Period", "Quarter 4 2021 (October to December 2021)"]
    assert ("Filter: Locality", "North") in [tuple(r[:2]) for r in rows]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Domain")
    body = {r[0]: r for r in rows[header_at + 1 :]}
    assert list(body["Voice of child"][1:5]) == [0, 5, 5, 0]

    csv_text = get(qa_client, "themes.export", table="themes", fmt="csv", period=Q4).get_data(as_text=True)
    table = list(csv.reader(io.StringIO(csv_text)))
    assert ["Filter: Source", "Audits and observations"] in table
    assert ["Voice of the child", "5", "3", "8", "2", "6"] in table

    judgements = list(
        csv.reader(
            io.StringIO(
                get(qa_client, "themes.export", table="judgements", fmt="csv", period=Q4).get_data(as_text=True)
            )
        )
    )
    header_at = judgements.index(JUDGEMENT_COLUMNS)
    assert len(judgements) - header_at - 1 == 14 * 3 + 3 * 2  # the audits' judgements, the observations' lenses
    moderated = scene["moderated"]
    assert [
        "Audit",
        moderated.case.case_reference,
        "2021-10-15",
        "Moderated",
        "Voice of child",
        "Grade for Voice of child",
        moderated.auditor.display_name,
        "North Initial Response",
        "Requires improvement",
        "Good",
        "Voice of the child",
        "Evidence seen on the file.",
    ] in judgements
    trend_book = load_workbook(
        io.BytesIO(get(qa_client, "themes.export", table="trend", fmt="xlsx", period=Q4).data)
    ).active
    assert any(row[0] == "Voice of child" for row in trend_book.iter_rows(values_only=True))


def test_exports_neutralise_formulas_in_free_text(app, scene, qa_client):
    judgement = scene["audits"][2].judgements[0]
    judgement.evidence = '=HYPERLINK("http://example.org")'
    db.session.commit()
    text = get(qa_client, "themes.export", table="judgements", fmt="csv", period=Q4).get_data(as_text=True)
    assert "'=HYPERLINK" in text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_cells(client, table: str, fmt: str, **filters) -> list[str]:
    """Every text cell of one export, as a spreadsheet would read it (formulas kept as formulas)."""
    response = get(client, "themes.export", table=table, fmt=fmt, **filters)
    assert response.status_code == 200, (table, fmt)
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row if cell]
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"], (table, "formula cells")
    return [c.value for c in cells if isinstance(c.value, str)]


def test_exports_neutralise_formulas_in_filter_rows_headers_and_data(app, scene, qa_client):
    scene["team_a"].name = '=HYPERLINK("http://example.org/steal","Click")'
    scene["north"].name = "+1+cmd|' /C calc'!A0"
    scene["programme"].name = "@SUM(1+1)*cmd|' /C calc'!A0"
    scene["week"].title = "-2+3+cmd|' /C calc'!A0"
    scene["voice"].name = "\t=1+1"
    audits = scene["audits"]
    audits[1].judgements[0].evidence = "\r=1+1"
    audits[2].judgements[0].evidence = "Seen on file\x0b with a control character"
    db.session.commit()
    filters = {
        "period": Q4,
        "locality": scene["north"].id,
        "team": scene["team_a"].id,
        "programme": scene["programme"].id,
        "practice_week": scene["week"].id,
        "source": "audits",
    }
    for table in ("judgements", "domains", "lenses", "trend", "themes"):
        for fmt in ("csv", "xlsx"):
            cells = export_cells(qa_client, table, fmt, **filters)
            assert not [c for c in cells if c.startswith(FORMULA_STARTS)], (table, fmt)
            # The filter rows say which team, locality, programme and week, as text.
            assert '\'=HYPERLINK("http://example.org/steal","Click")' in cells, (table, fmt)
            assert "'+1+cmd|' /C calc'!A0" in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
            assert "'-2+3+cmd|' /C calc'!A0" in cells
    everything = export_cells(qa_client, "judgements", "xlsx", period=Q4)
    assert "'\n=1+1" in everything  # XML reads a carriage return as a line feed
    assert "Seen on file with a control character" in everything
    assert "'\r=1+1" in export_cells(qa_client, "judgements", "csv", period=Q4)
    assert "'\t=1+1" in export_cells(qa_client, "themes", "xlsx", period=Q4)
    assert "'\t=1+1" in export_cells(qa_client, "themes", "csv", period=Q4)
    # Numbers stay numbers.
    sheet = load_workbook(
        io.BytesIO(get(qa_client, "themes.export", table="domains", fmt="xlsx", period=Q4).data)
    ).active
    assert any(isinstance(c, int) for row in sheet.iter_rows(values_only=True) for c in row)


def test_renaming_a_domain_in_a_draft_changes_no_report(app, scene, qa_client, client):
    from audit_app.moderation import services as moderation
    from audit_app.tools import services as tools

    draft = tools.new_draft(scene["version"])
    voice = next(d for d in draft.domains if d.key == "voice_of_child")
    tools.save_domain(draft, voice, title="Lived experience (draft wording)", description=None)
    assessment = next(d for d in draft.domains if d.key == "assessment_quality")
    tools.save_domain(draft, assessment, title="Draft assessment", description=None)
    # The draft also moves the domain to the top: the reports keep the published order.
    voice.position, draft.domains[0].position = -1, voice.position
    db.session.commit()

    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    trend = get(qa_client, "themes.trend", period=Q4).get_data(as_text=True)
    chart = get(qa_client, "themes.chart", kind="domains", period=Q4).get_data(as_text=True)
    trend_chart = get(qa_client, "themes.chart", kind="trend", period=Q4).get_data(as_text=True)
    exported = [
        get(qa_client, "themes.export", table=table, fmt="csv", period=Q4).get_data(as_text=True)
        for table in ("domains", "trend", "judgements")
    ]
    workbook = load_workbook(
        io.BytesIO(get(qa_client, "themes.export", table="domains", fmt="xlsx", period=Q4).data)
    ).active
    book_labels = [row[0] for row in workbook.iter_rows(values_only=True)]
    for shown in (page, trend, chart, trend_chart, *exported):
        assert "Voice of child" in shown and "Assessment quality" in shown
        assert "draft wording" not in shown and "Draft assessment" not in shown
    assert book_labels[-3:] == ["Assessment quality", "Voice of child", "Management oversight"]

    report = moderation.agreement_report(moderation.AgreementFilters(period="year"))
    assert [a.label for a in report.by_domain][:2] == ["Assessment quality", "Voice of child"]
    PriorityFactory(plan=PlanFactory(), number=1, title="Voice and influence of children")
    action_form = get(qa_client, "plan.new_action", domain_key="voice_of_child").get_data(as_text=True)
    assert "Audit domain: Voice of child" in action_form and "draft wording" not in action_form

    # Once published, the new titles are the tool's and the reports use them.
    tools.publish(draft)
    assert "Lived experience (draft wording)" in get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)


# --- Page behaviour ------------------------------------------------------------------------------------------


def test_htmx_requests_get_only_the_results_fragment(app, scene, qa_client):
    full = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    fragment = get(qa_client, "themes.summary", period=Q4, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and 'hx-push-url="true"' in full
    assert "<html" not in fragment and 'id="table-domains"' in fragment


def test_the_summary_page_asks_the_database_nothing_twice(app, scene, qa_client):
    """Domain names and order, the first and latest activity and the lens figures are read once a request,
    however many parts of the page use them."""
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, str(parameters)))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert get(qa_client, "themes.summary", period="2021").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    repeated = [statement for statement, times in Counter(sent).items() if times > 1]
    assert repeated == []


def test_the_default_period_is_the_quarter_of_the_latest_record_and_bad_values_are_ignored(app, scene, qa_client):
    assert queries.default_period_key() == "2022-Q1"  # the January 2022 audit
    page = get(qa_client, "themes.summary", period="nonsense", locality="abc", source="everything").get_data(
        as_text=True
    )
    assert "Quarter 1 2022 (January to March 2022)" in page


def test_charts_are_svg_images_without_script(app, scene, qa_client):
    for kind in ("domains", "lenses", "trend", "themes"):
        response = get(qa_client, "themes.chart", kind=kind, period=Q4)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data and b"<script" not in response.data
    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert 'alt="Chart of the share of each grade by domain. The same figures are in the table that follows."' in page


def test_senior_managers_read_the_summary_but_auditors_cannot(app, scene, client):
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))
    assert get(client, "themes.summary").status_code == 200
    assert get(client, "themes.manage").status_code == 403
    sign_in_as(client, user_with(Role.AUDITOR))
    assert get(client, "themes.summary").status_code == 403


def test_qa_leads_raise_a_plan_action_from_a_theme_or_a_finding(app, scene, qa_client, client):
    page = get(qa_client, "themes.summary", period=Q4).get_data(as_text=True)
    assert f'href="{path_for("plan.new_action", theme_id=scene["voice"].id)}"' in page
    assert f'href="{path_for("plan.new_action", domain_key="voice_of_child")}"' in page
    sign_in_as(client, user_with(Role.SENIOR_MANAGER))  # reads the plan, cannot add to it
    assert path_for("plan.new_action") not in get(client, "themes.summary", period=Q4).get_data(as_text=True)


# --- Exports and evidence follow every filter ------------------------------------------------------------------


def export_rows(client, **filters) -> list[list[str]]:
    rows = list(
        csv.reader(
            io.StringIO(get(client, "themes.export", table="judgements", fmt="csv", **filters).get_data(as_text=True))
        )
    )
    return rows[rows.index(JUDGEMENT_COLUMNS) + 1 :]


def test_the_judgements_export_follows_the_source_filter(app, scene, qa_client):
    observations = export_rows(qa_client, period=Q4, source="observations")
    assert len(observations) == 3 * 2 and {row[0] for row in observations} == {"Observation"}
    assert all(row[6].startswith("Person ") for row in observations) and {row[7] for row in observations} == {
        "North Initial Response"
    }
    assert sorted({row[10] for row in observations}) == ["Voice of the child"]
    assert {(row[4], row[8]) for row in observations} == {
        ("Voice of child", "Requires improvement"),
        ("Voice of child", "Inadequate"),
        ("Voice of child", "Good"),
        ("Safety planning", "Not observed"),
    }
    audits = export_rows(qa_client, period=Q4, source="audits")
    assert len(audits) == 14 * 3 and {row[0] for row in audits} == {"Audit"}
    # Every other filter still narrows both kinds of row.
    south = export_rows(qa_client, period=Q4, team=scene["team_b"].id)
    assert len(south) == 4 * 3 and {row[7] for row in south} == {"South Children & Families 1"}


def test_two_judgements_on_one_case_and_domain_are_told_apart_by_question_auditor_and_themes(app, scene, qa_client):
    from tests.factories import QuestionFactory

    audit = scene["audits"][1]
    voice = next(j for j in audit.judgements if j.domain_key == "voice_of_child")
    second_question = QuestionFactory(
        domain=voice.question.domain, position=1, key="voice_seen_alone", text="Was the child seen alone?"
    )
    audit.judgements.append(
        type(voice)(
            question=second_question, domain_key="voice_of_child", grade=4, evidence="Seen with the parent present."
        )
    )
    db.session.commit()
    rows = [
        r
        for r in export_rows(qa_client, period=Q4, source="audits")
        if r[1] == audit.case.case_reference and r[4] == "Voice of child"
    ]
    assert sorted((r[5], r[8], r[10]) for r in rows) == [
        ("Grade for Voice of child", "Requires improvement", "Voice of the child"),
        ("Was the child seen alone?", "Inadequate", ""),
    ]
    assert {r[6] for r in rows} == {audit.auditor.display_name}
    page = html_lib.unescape(
        get(qa_client, "themes.evidence", period=Q4, source="audits", domain="voice_of_child", grade="4").get_data(
            as_text=True
        )
    )
    table = page[page.index('id="evidence-audits"') :]
    assert "Was the child seen alone?" in table and audit.auditor.display_name in table
    assert "North Initial Response" in table and "Audited by" in table and "Themes: none" in table


def test_the_evidence_page_names_the_observer_and_the_themes(app, scene, qa_client):
    page = html_lib.unescape(
        get(qa_client, "themes.evidence", period=Q4, source="observations", lens="voice_of_child").get_data(
            as_text=True
        )
    )
    table = page[page.index('id="evidence-observations"') :]
    assert "Observed by Person " in table and "Themes: Voice of the child" in table
    assert 'id="evidence-audits"' not in page
