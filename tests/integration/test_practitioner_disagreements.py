"""A worker's disagreement goes to the moderators, who keep or change the grade; a changed grade counts
in every figure and the worker sees the outcome. SQLite and PostgreSQL."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from audit_app.extensions import db
from audit_app.models import (
    AuditStatus,
    DomainResponse,
    Judgement,
)
from audit_app.practitioners import services
from audit_app.reporting.filters import Filters
from audit_app.reporting.queries.counted import grade_expression, judgements_query
from tests.conftest import get, post
from tests.practitioner_scene import client_for, notified, response_form


def _disagree(app, scene):
    post(client_for(app, scene["worker"]), "practitioners.respond", data=response_form(), audit_id=scene["audit"].id)
    return db.session.scalar(select(DomainResponse).where(DomainResponse.agreement == "disagree"))


def _resolve(client, disagreement, **form):
    return post(client, "practitioners.resolve", data=form, disagreement_id=disagreement.id)


def _counted_grades(audit) -> dict[str, int]:
    filters = Filters()
    rows = db.session.execute(
        judgements_query(filters, None, Judgement.domain_key, grade_expression(filters)).where(
            Judgement.audit_id == audit.id
        )
    ).all()
    return dict(rows)


def test_a_disagreement_goes_to_the_moderators_and_a_changed_grade_counts(app, scene):
    disagreement = _disagree(app, scene)
    assert [n.link for n in notified(scene["moderator"], "disagreement")] == ["/practitioners/disagreements"]
    assert notified(scene["auditor"], "disagreement") == []
    client = client_for(app, scene["moderator"])
    queue = get(client, "practitioners.disagreements").text
    assert "CMS700001" in queue and "Visits" in queue
    assert "Disagreements to resolve" in get(client, "main.home").text
    unchosen = _resolve(client, disagreement, reason="Seen alone.")
    assert unchosen.status_code == 400 and "Select whether the grade is kept or changed" in unchosen.text
    refused = _resolve(client, disagreement, resolution="changed", reason="Seen alone.")
    assert refused.status_code == 400 and "Select the new grade" in refused.text
    done = _resolve(client, disagreement, resolution="changed", grade="2", reason="Seen alone on file.")
    assert done.status_code == 302
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 2}
    assert scene["audit"].status == AuditStatus.MODERATED
    assert "CMS700001" not in get(client, "practitioners.disagreements").text
    [told] = notified(scene["worker"], "disagreement_resolved")
    assert told.link == f"/audits/{scene['audit'].id}/view#response"
    view = get(client_for(app, scene["worker"]), "audits.view", audit_id=scene["audit"].id).text
    assert "grade changed to <strong>Good</strong>" in view and "Seen alone on file." in view


def test_a_kept_grade_changes_no_figure_and_a_second_resolution_changes_nothing(app, scene):
    disagreement = _disagree(app, scene)
    client = client_for(app, scene["qa"])
    _resolve(client, disagreement, resolution="kept", reason="Not recorded.")
    again = _resolve(client, disagreement, resolution="changed", grade="1", reason="x")
    assert again.status_code == 302
    db.session.refresh(disagreement)
    assert disagreement.resolution == "kept" and disagreement.resolution_reason == "Not recorded."
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 3}
    assert "grade kept" in get(client_for(app, scene["worker"]), "audits.view", audit_id=scene["audit"].id).get_data(
        as_text=True
    )


def test_the_auditor_cannot_resolve_a_disagreement_with_their_own_audit(app, scene):
    scene["audit"].auditor = scene["moderator"]
    db.session.commit()
    disagreement = _disagree(app, scene)
    client = client_for(app, scene["moderator"])
    assert get(client, "practitioners.resolve", disagreement_id=disagreement.id).status_code == 403


def test_a_disagreement_waits_while_the_audit_is_back_with_its_auditor(app, scene):
    disagreement = _disagree(app, scene)
    scene["audit"].status = AuditStatus.RETURNED.value
    db.session.commit()
    response = _resolve(client_for(app, scene["qa"]), disagreement, resolution="changed", grade="1", reason="Seen.")
    assert response.status_code == 302
    db.session.refresh(disagreement)
    assert disagreement.resolved_at is None and scene["audit"].status == AuditStatus.RETURNED


def test_two_moderators_resolving_at_once_cannot_both_succeed(app, scene):
    disagreement = _disagree(app, scene)
    with db.engine.begin() as other:  # another moderator's resolution lands first
        other.execute(
            DomainResponse.__table__.update()
            .where(DomainResponse.id == disagreement.id)
            .values(version=DomainResponse.version + 1, resolution="kept", resolution_reason="Theirs.")
        )
    with pytest.raises(StaleDataError):
        services.resolve(disagreement, scene["qa"], "changed", 1, "Mine.")
    db.session.rollback()
    db.session.refresh(disagreement)
    assert disagreement.resolution_reason == "Theirs."
    assert _counted_grades(scene["audit"]) == {"plans": 2, "visits": 3}
