"""The inspection pack: its page, its workbook (openpyxl) and its PDF (pypdf), every section with figures
from data made here, each linking to its source. SQLite and PostgreSQL."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from audit_app.extensions import db
from audit_app.permissions import Role
from tests.conftest import get
from tests.factories import (
    ActionFactory,
    AuditProgrammeFactory,
    FamilyQuoteFactory,
    FamilyVoiceFactory,
    ModeratedGradeFactory,
    ModerationFactory,
    ThemeFactory,
    published_tool,
    submitted_audit,
    user_with,
)

Q4 = "2021-Q4"
SECTIONS = [
    "Audit programmes run",
    "Grades by domain",
    "Moderation agreement",
    "Themes raised",
    "Improvement actions raised",
    "Re-audit outcomes",
    "What families said",
]


@pytest.fixture
def scene(app):
    version = published_tool()
    programme = AuditProgrammeFactory(tool_version=version, name="October 2021 dip sample")
    october = datetime(2021, 10, 20, 10, 0, tzinfo=UTC)
    first = submitted_audit(version, {"voice_of_child": 4}, overall=4, programme=programme, submitted_at=october)
    second = submitted_audit(version, {"voice_of_child": 2}, programme=programme, submitted_at=october)
    theme = ThemeFactory(name="Hearing the child")
    second.judgements[0].themes = [theme]
    moderation = ModerationFactory(
        audit=second, outcome="changed", completed_at=october, overall_grade=2, moderator=user_with(Role.QA_LEAD)
    )
    ModeratedGradeFactory(moderation=moderation, judgement=second.judgements[0], grade=3)
    reaudit = submitted_audit(
        version, {"voice_of_child": 2}, overall=2, reaudit_of=first, submitted_at=datetime(2021, 12, 1, tzinfo=UTC)
    )
    voice = FamilyVoiceFactory(audit=second, worker_listened=4)
    FamilyQuoteFactory(voice=voice, position=1, text="They came when they said they would.")
    ActionFactory(description="Hear every child in every plan", started_on=date(2021, 11, 2))
    db.session.commit()
    return {"programme": programme, "reaudit": reaudit, "theme": theme}


def test_the_page_offers_the_period_and_both_files(qa_client, scene):
    page = get(qa_client, "inspection.index", period=Q4).get_data(as_text=True)
    for title in SECTIONS:
        assert title in page
    assert "October 2021 dip sample" in page and "Hearing the child" in page
    assert "download/xlsx?period=2021-Q4" in page and "download/pdf?period=2021-Q4" in page


def test_the_workbook_opens_and_holds_every_section_with_its_source(qa_client, scene):
    response = get(qa_client, "inspection.download", fmt="xlsx", period=Q4)
    assert 'filename="inspection-pack-2021-Q4.xlsx"' in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Contents", *SECTIONS]
    rows = {name: [list(r) for r in workbook[name].iter_rows(values_only=True)] for name in SECTIONS}
    for name in SECTIONS:
        assert rows[name][0][-1] == "Source"
        assert all(str(r[-1]).startswith("http://localhost/") for r in rows[name][1:]), name
    programme = rows["Audit programmes run"][1]
    assert programme[:2] == ["October 2021 dip sample", "Monthly dip sample"] and programme[3:6] == [2, 2, "100%"]
    assert programme[-1].endswith(f"/programmes/{scene['programme'].id}")
    agreement = rows["Moderation agreement"][1]
    assert agreement[:2] == ["All graded judgements", 1] and agreement[5:7] == [1, "100%"]
    assert rows["Themes raised"][1][:4] == ["Hearing the child", 1, 0, 1]
    assert rows["Improvement actions raised"][1][0] == "Hear every child in every plan"
    assert rows["Re-audit outcomes"][1][:5] == [1, 1, 0, 0, "100%"]
    families = rows["What families said"]
    assert families[1][0] == "Audits where the child or family were contacted" and families[1][-2] == "33%"
    assert families[1][-1].endswith("/themes/?period=2021-Q4#family-voice")


def test_the_pdf_holds_every_section(qa_client, scene):
    response = get(qa_client, "inspection.download", fmt="pdf", period=Q4)
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Inspection pack: Quarter 4 2021" in text
    for title in SECTIONS:
        assert title in text, title
    assert "October 2021 dip sample" in text and "Did your worker listen to you?" in text
    links = {a["/A"]["/URI"] for page in reader.pages for a in (page.get("/Annots") or []) if "/A" in a.get_object()}
    assert any(u.endswith(f"/programmes/{scene['programme'].id}") for u in links)


def test_a_period_that_does_not_parse_falls_back_and_an_unknown_format_is_not_found(qa_client, scene):
    assert get(qa_client, "inspection.index", period="not-a-period").status_code == 200
    assert get(qa_client, "inspection.download", fmt="docx", period=Q4).status_code == 404
