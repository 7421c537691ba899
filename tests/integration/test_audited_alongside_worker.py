"""An audit done alongside the worker records the date they talked it through: required, a real date, not
in the future, and shown on the audit. SQLite and PostgreSQL."""

import re
from datetime import date

from audit_app.audits import services as audit_services
from audit_app.extensions import db
from tests.conftest import get, post
from tests.practitioner_scene import client_for, ready_to_submit


def _overall(audit, **fields) -> dict:
    return {"version": str(audit.version), "overall_grade": "2", "audited_alongside_worker": "yes"} | fields


def _date_boxes(day: date) -> dict:
    return {
        "alongside_conversation_on-day": str(day.day),
        "alongside_conversation_on-month": str(day.month),
        "alongside_conversation_on-year": str(day.year),
    }


def test_an_audit_done_alongside_the_worker_needs_the_date_of_the_conversation(app, scene):
    audit = ready_to_submit(scene)
    client = client_for(app, scene["auditor"])
    post(client, "audits.page", data=_overall(audit), audit_id=audit.id, page_key="overall")
    db.session.refresh(audit)
    problems = {p.field: p.message for p in audit_services.validate(audit)}
    assert "talked the audit through" in problems["alongside_conversation_on"]
    assert audit_services.submit(audit, audit.version) != []
    future = _overall(audit, **_date_boxes(date.today().replace(year=date.today().year + 1)))
    post(client, "audits.page", data=future, audit_id=audit.id, page_key="overall")
    db.session.refresh(audit)
    assert (
        "today or in the past"
        in {p.field: p.message for p in audit_services.validate(audit)}["alongside_conversation_on"]
    )
    post(
        client,
        "audits.page",
        data=_overall(audit, **_date_boxes(date(2021, 10, 19))),
        audit_id=audit.id,
        page_key="overall",
    )
    db.session.refresh(audit)
    assert audit.alongside_conversation_on == date(2021, 10, 19)
    assert audit_services.submit(audit, audit.version) == []
    view = get(client_for(app, scene["worker"]), "audits.view", audit_id=audit.id).text
    assert "Talked through with the worker on" in view and "19 October 2021" in view


def test_the_overall_page_shows_the_conversation_date_in_its_boxes(app, scene):
    audit = ready_to_submit(scene)
    audit.alongside_conversation_on = date(2021, 10, 19)
    db.session.commit()
    page = get(client_for(app, scene["auditor"]), "audits.page", audit_id=audit.id, page_key="overall").text
    assert re.search(r'name="alongside_conversation_on-day"[^>]*value="19"', page)
    assert re.search(r'name="alongside_conversation_on-year"[^>]*value="2021"', page)
