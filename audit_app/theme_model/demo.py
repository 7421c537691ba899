"""Demo: keywords for the demo themes, and a first model trained on the demo evidence."""

from sqlalchemy import select

from ..extensions import db
from ..models import Theme, ThemeModel

# Words practitioners use for each demo theme: what the model starts from before much is tagged.
KEYWORDS = {
    "Voice of the child": "wishes and feelings, views, lived experience, direct work, what the child said",
    "Management oversight": "manager, direction, oversight, management decision, case direction",
    "Supervision quality": "supervision, reflective, supervisor, supervision record",
    "Analysis in assessments": "analysis, assessment, risk analysis, descriptive, so what",
    "History and chronology": "history, chronology, previous referrals, pattern, genogram",
    "Fathers and wider family": "father, dad, paternal, wider family, grandparents, family network",
    "Safety planning": "safety plan, safety network, contingency, safe adults",
    "SMART plans": "SMART, plan, outcomes, timescales, measurable, actions",
    "Drift and delay": "drift, delay, overdue, stalled, no progress, waiting",
    "Purposeful visits": "visits, visit, home visit, seen at home, purposeful",
    "Early help timeliness": "early help, step down, timely, family support, waiting list",
    "Domestic abuse practice": "domestic abuse, domestic violence, MARAC, perpetrator, coercive control",
    "Parental participation": "parents, parental engagement, participation, meeting, consent",
    "Multi-agency working": "school, health, police, partners, multi-agency, information sharing, GP",
    "Child seen and seen alone": "seen alone, child seen, bedroom, spoke alone",
    "Thresholds and step-down": "threshold, step-down, front door, MASH, referral, contact",
}


def seed_theme_model(password: str) -> None:
    """Keywords on demo themes that have none, then a first model if none is stored. Running it again
    changes nothing (the nightly `flask train-themes` makes the next versions)."""
    for theme in db.session.scalars(select(Theme).where(Theme.name.in_(KEYWORDS), Theme.keywords.is_(None))):
        theme.keywords = KEYWORDS[theme.name]
    db.session.commit()
    if db.session.scalar(select(ThemeModel.id).limit(1)) is None:
        from .training import train_from_database

        train_from_database()
