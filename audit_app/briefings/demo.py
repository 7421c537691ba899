"""Demo briefings: one published to the demo practice team, read and acknowledged by some of it; one draft."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ..demo import DEMO_PRACTICE_TEAM, add_dated, demo_user, ensure_demo_user
from ..extensions import db
from ..models import Briefing, BriefingReceipt, Team
from ..permissions import Role

PUBLISHED_TITLE = "10 key tips for engaging children and families"
PUBLISHED = {
    "key_findings": (
        "There is a need to ensure that the voice of the child is always present in assessments and plans.\n\n"
        "The voice of the child is at times absent: social workers can say what the child's views are, "
        "but they are less adept at recording them.\n\n"
        "Visits, assessments and direct work need to be meaningful and purposeful, and the records need to show it."
    ),
    "what_good_looks_like": (
        "1. See the child, and see them alone.\n\n2. Record the child's views in their own words.\n\n"
        "3. Explain the plan to the child in a way they understand: a child friendly plan or letter.\n\n"
        "4. Include fathers and grandparents in assessment and planning.\n\n"
        "5. Say why each visit happens and what it is for.\n\n6. Record direct work and what it changed.\n\n"
        "7. Link the plan directly to the risks the assessment found.\n\n"
        "8. Debrief the child after meetings about them.\n\n9. Check with other local authorities where needed.\n\n"
        "10. Ask your manager for clear guidance and next steps, and record them."
    ),
    "good_practice_examples": (
        "Family Group Conference now debriefs children after each meeting so they understand the family plan, "
        "and produces a separate child friendly plan just for the child.\n\n"
        "Independent reviewing officers send child friendly letters to children after child protection meetings."
    ),
}
DRAFT_TITLE = "Strategy meetings: clear next steps for practitioners"
DRAFT = {
    "key_findings": (
        "Strategy meetings: good practice was observed. Managers need to give much clearer guidance and next steps "
        "to practitioners, including expectations to see children."
    ),
    "what_good_looks_like": "Every strategy meeting ends with who will do what, by when, recorded on the child's file.",
}
# More social workers in the demo team, so the counts read like a team's: (email, name, worker ref).
TEAM_WORKERS = [
    ("worker2@example.org", "Robin Social Worker", "SW2002"),
    ("worker3@example.org", "Jordan Social Worker", "SW2003"),
]


def seed_briefings(password: str) -> None:
    author = demo_user("qa@example.org")
    team = db.session.scalar(select(Team).where(Team.name == DEMO_PRACTICE_TEAM))
    if author is None or team is None or db.session.scalar(select(Briefing.id).limit(1)) is not None:
        return
    for email, name, worker_ref in TEAM_WORKERS:
        worker = ensure_demo_user(email, name, [Role.PRACTITIONER], password)
        if worker.team_id is None:
            worker.team, worker.worker_ref = team, worker_ref
    published_at = datetime.now(UTC) - timedelta(days=14)
    briefing = add_dated(
        Briefing(
            title=PUBLISHED_TITLE,
            created_by_id=author.id,
            status="published",
            published_at=published_at,
            teams=[team],
            **PUBLISHED,
        ),
        published_at,
    )
    # The team manager and one worker have acknowledged it; the demo worker opened it; the third has not yet.
    readers = [("teammanager@example.org", True), ("worker2@example.org", True), ("worker@example.org", False)]
    for days, (email, acknowledged) in enumerate(readers, start=1):
        read_at = published_at + timedelta(days=days)
        db.session.add(
            BriefingReceipt(
                briefing_id=briefing.id,
                user_id=demo_user(email).id,
                read_at=read_at,
                acknowledged_at=read_at if acknowledged else None,
            )
        )
    add_dated(Briefing(title=DRAFT_TITLE, created_by_id=author.id, status="draft", **DRAFT), None)
    db.session.commit()
