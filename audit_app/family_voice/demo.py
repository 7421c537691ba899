"""Demo family feedback on two in three of the demo's submitted audits, with quotes (never a name).
Idempotent: nothing is added once any family feedback exists."""

from sqlalchemy import select

from ..changelog import acting_as, stamped_at
from ..extensions import db
from ..models import AuditStatus, CaseAudit, FamilyQuote, FamilyVoice, Theme

# (quote, theme it is tagged with)
QUOTES = [
    ("My worker listened to me and wrote down what I said.", "Voice of the child"),
    ("I see my worker on my own now, which I like.", "Child seen and seen alone"),
    ("We waited months before anything happened.", "Drift and delay"),
    ("Nobody asked my dad what he thought.", "Fathers and wider family"),
    ("The plan says what everyone has to do and by when.", "SMART plans"),
    ("School, the nurse and my worker all talk to each other now.", "Multi-agency working"),
    ("Every time it was a different worker, so I had to start again.", "Drift and delay"),
    ("They explained why they were worried and what would help.", "Voice of the child"),
]
METHODS = ["visit", "phone", "visit", "survey", "phone", "not_contacted"]
# (understands involvement, worker listened, things better); 0 is "don't know"
SCORES = [(5, 5, 4), (4, 5, 4), (3, 4, 3), (4, 4, 0), (2, 3, 2), (5, 4, 5), (4, 5, 3), (1, 2, 0)]


def seed_family_voice(password: str) -> None:
    if db.session.scalar(select(FamilyVoice.id).limit(1)):
        return
    audits = db.session.scalars(
        select(CaseAudit)
        .where(CaseAudit.status.in_([AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value]))
        .order_by(CaseAudit.id)
    ).all()
    themes = {t.name: t for t in db.session.scalars(select(Theme).where(Theme.is_active.is_(True)))}
    for index, audit in enumerate(audits):
        if index % 3 != 2:
            with acting_as(audit.auditor), stamped_at(audit.submitted_at):
                _voice(audit, index, themes)
    db.session.commit()


def _voice(audit: CaseAudit, index: int, themes: dict) -> None:
    method = METHODS[index % len(METHODS)]
    voice = FamilyVoice(audit=audit, contact_method=method, names_checked=False)
    db.session.add(voice)
    if method == "not_contacted":
        voice.not_contacted_reason = "The family did not answer three calls and a letter."
        db.session.flush()
        return
    voice.contacted_child = index % 2 == 0
    voice.contacted_parent = True
    voice.contacted_carer = index % 5 == 0
    voice.consent_recorded = index % 4 != 3
    voice.understands_involvement, voice.worker_listened, voice.things_better = SCORES[index % len(SCORES)]
    for position in range(1, 3 if index % 2 else 2):
        text, theme_name = QUOTES[(index + position) % len(QUOTES)]
        quote = FamilyQuote(position=position, text=text)
        voice.quotes.append(quote)
        quote.themes = [themes[theme_name]] if theme_name in themes else []
    db.session.flush()
