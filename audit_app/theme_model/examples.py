"""What the model learns from: the authority's tagged evidence, each theme's own words, or a CSV file."""

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select

from ..extensions import db
from ..models import CaseAudit, Judgement, LensJudgement, Observation, QuickWin, Theme
from ..models.audits import AuditStatus, judgement_theme
from ..models.practice_week import ObservationStatus, observation_theme
from .classifier import Example

# The newest judgements of each kind (tagged, untagged) learnt from: enough for a stable model, and
# bounded so a nightly run on years of audits takes minutes, not hours.
JUDGEMENT_LIMIT = 40_000
KEYWORD_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass
class ThemeWords:
    id: int
    name: str
    description: str | None
    keywords: str | None

    def examples(self) -> list[Example]:
        """The theme's name, description and each keyword, as texts that carry it."""
        texts = [self.name, self.description or ""]
        texts += KEYWORD_SEPARATORS.split(self.keywords or "")
        return [Example(text.strip(), frozenset({self.id}), seed=True) for text in texts if text.strip()]


def taxonomy() -> list[ThemeWords]:
    """The themes that can be suggested: active ones, not merged away."""
    rows = db.session.execute(
        select(Theme.id, Theme.name, Theme.description, Theme.keywords)
        .where(Theme.is_active.is_(True), Theme.merged_into_id.is_(None))
        .order_by(Theme.id)
    ).all()
    return [ThemeWords(*row) for row in rows]


def _judgements(tagged: bool, active: set[int]) -> list[Example]:
    has_theme = exists().where(judgement_theme.c.judgement_id == Judgement.id)
    chosen = (
        select(Judgement.id, Judgement.evidence)
        .join(CaseAudit, CaseAudit.id == Judgement.audit_id)
        .where(
            CaseAudit.status.in_([AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value]),
            func.length(func.trim(Judgement.evidence)) > 0,
            has_theme if tagged else ~has_theme,
        )
        .order_by(Judgement.id.desc())
        .limit(JUDGEMENT_LIMIT)
        .subquery()
    )
    rows = db.session.execute(select(chosen.c.id, chosen.c.evidence)).all()
    tags = defaultdict(set)
    if tagged:
        for judgement_id, theme_id in db.session.execute(
            select(judgement_theme.c.judgement_id, judgement_theme.c.theme_id).join(
                chosen, chosen.c.id == judgement_theme.c.judgement_id
            )
        ):
            if theme_id in active:
                tags[judgement_id].add(theme_id)
    return [Example(text, frozenset(tags[judgement_id])) for judgement_id, text in rows]


def _observations(active: set[int]) -> list[Example]:
    """Each submitted observation's findings and lens notes as one text, with the observation's themes;
    each quick win with its theme."""
    submitted = Observation.status == ObservationStatus.SUBMITTED.value
    texts = defaultdict(list)
    for observation_id, working_well, needs_to_improve in db.session.execute(
        select(Observation.id, Observation.working_well, Observation.needs_to_improve).where(submitted)
    ):
        texts[observation_id] += [working_well or "", needs_to_improve or ""]
    for observation_id, note in db.session.execute(
        select(LensJudgement.observation_id, LensJudgement.note)
        .join(Observation, Observation.id == LensJudgement.observation_id)
        .where(submitted, LensJudgement.note.is_not(None))
    ):
        texts[observation_id].append(note)
    tags = defaultdict(set)
    for observation_id, theme_id in db.session.execute(
        select(observation_theme.c.observation_id, observation_theme.c.theme_id)
    ):
        if theme_id in active:
            tags[observation_id].add(theme_id)
    examples = [Example(" ".join(t).strip(), frozenset(tags[o])) for o, t in texts.items()]
    quick_wins = db.session.execute(
        select(QuickWin.text, QuickWin.theme_id)
        .join(Observation, Observation.id == QuickWin.observation_id)
        .where(submitted, QuickWin.theme_id.is_not(None))
    )
    examples += [Example(text, frozenset({theme_id})) for text, theme_id in quick_wins if theme_id in active]
    return [e for e in examples if e.text]


def from_database(themes: list[ThemeWords]) -> list[Example]:
    """The authority's evidence: tagged and untagged judgements of submitted audits, submitted
    observations and quick wins. Untagged text teaches each theme what it is not."""
    active = {t.id for t in themes}
    return _judgements(True, active) + _judgements(False, active) + _observations(active)


@dataclass
class CsvExamples:
    examples: list[Example]
    unknown: dict[str, int] = field(default_factory=dict)  # theme names not in the taxonomy, and how often


def from_csv(stream, themes: list[ThemeWords]) -> CsvExamples:
    """Rows of a CSV with columns text,themes (names separated by ";", matched to the taxonomy by name,
    ignoring case)."""
    by_name = {t.name.strip().casefold(): t.id for t in themes}
    reader = csv.DictReader(stream)
    if not reader.fieldnames or not {"text", "themes"} <= {(f or "").strip() for f in reader.fieldnames}:
        raise ValueError("The CSV needs a header row with the columns text and themes")
    result = CsvExamples([])
    for row in reader:
        row = {(k or "").strip(): v for k, v in row.items()}
        text = (row.get("text") or "").strip()
        if not text:
            continue
        ids = set()
        for name in (row.get("themes") or "").split(";"):
            if not name.strip():
                continue
            if (theme_id := by_name.get(name.strip().casefold())) is None:
                result.unknown[name.strip()] = result.unknown.get(name.strip(), 0) + 1
            else:
                ids.add(theme_id)
        result.examples.append(Example(text, frozenset(ids)))
    return result
