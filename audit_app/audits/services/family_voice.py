"""The audit form's page for the child and family's voice: its fields, saving them, checking them."""

from sqlalchemy import select

from ...autosave import Problem
from ...changelog import log_change_on_flush
from ...extensions import db
from ...family_voice.names import name_like_phrases
from ...models import CaseAudit, FamilyQuote, FamilyVoice, Theme
from ...models.family_voice import CONTACT_METHODS, CONTACTED_PEOPLE, DONT_KNOW, QUOTE_SLOTS, SCALED_QUESTIONS
from ...parsing import parse_ids
from .limits import over_limit

FAMILY_VOICE = "family-voice"
SCALE_LABELS = {"1": "1 – Not at all", "2": "2", "3": "3", "4": "4", "5": "5 – Completely", "dont_know": "Don't know"}
YES_NO = {"yes": "Yes", "no": "No"}


def quote_field(slot: int, kind: str) -> str:
    return f"voice-quote{slot}-{kind}"


LABELS = {
    "voice-contacted": "Who was contacted",
    "voice-method": "How they were contacted",
    "voice-not_contacted_reason": "Why they were not contacted",
    "voice-consent": "Consent recorded",
    **{f"voice-{key}": text for key, text in SCALED_QUESTIONS.items()},
    **{quote_field(n, "text"): f"Quote {n}" for n in range(1, QUOTE_SLOTS + 1)},
    **{quote_field(n, "themes"): f"Quote {n} (themes)" for n in range(1, QUOTE_SLOTS + 1)},
    "voice-names_checked": "Quotes checked for names",
}
FIELD_NAMES = list(LABELS)
LIST_FIELDS = {"voice-contacted"} | {quote_field(n, "themes") for n in range(1, QUOTE_SLOTS + 1)}


def choices() -> dict:
    """What the page offers, for its template."""
    return {
        "people": list(CONTACTED_PEOPLE.items()),
        "methods": list(CONTACT_METHODS.items()),
        "questions": list(SCALED_QUESTIONS.items()),
        "scale": list(SCALE_LABELS.items()),
        "slots": QUOTE_SLOTS,
    }


def _scale_value(score: int | None) -> str:
    return "" if score is None else ("dont_know" if score == DONT_KNOW else str(score))


def current_values(audit: CaseAudit) -> dict:
    voice = audit.family_voice
    values = {name: [] if name in LIST_FIELDS else "" for name in FIELD_NAMES}
    if voice is None:
        return values
    values["voice-contacted"] = [who for who in CONTACTED_PEOPLE if getattr(voice, f"contacted_{who}")]
    values["voice-method"] = voice.contact_method or ""
    values["voice-not_contacted_reason"] = voice.not_contacted_reason or ""
    values["voice-consent"] = "" if voice.consent_recorded is None else ("yes" if voice.consent_recorded else "no")
    for key in SCALED_QUESTIONS:
        values[f"voice-{key}"] = _scale_value(getattr(voice, key))
    for quote in voice.quotes:
        values[quote_field(quote.position, "text")] = quote.text
        values[quote_field(quote.position, "themes")] = [str(t.id) for t in quote.themes]
    values["voice-names_checked"] = "yes" if voice.names_checked else ""
    return values


def changes_from_form(form) -> dict:
    changes = {}
    for name in FIELD_NAMES:
        if name == "voice-contacted":
            changes[name] = [who for who in form.getlist(name) if who in CONTACTED_PEOPLE]
        elif name in LIST_FIELDS:
            changes[name] = [str(v) for v in parse_ids(form.getlist(name))]
        else:
            changes[name] = (form.get(name) or "").replace("\r\n", "\n").strip()
    return changes


def _voice_for(audit: CaseAudit) -> FamilyVoice:
    if audit.family_voice is None:
        audit.family_voice = FamilyVoice(audit=audit)
        db.session.add(audit.family_voice)
    return audit.family_voice


def apply_changes(audit: CaseAudit, changes: dict) -> None:
    """Store the page's fields; nothing is created for a page left empty."""
    if audit.family_voice is None and not any(changes.values()):
        return
    voice = _voice_for(audit)
    for name, value in changes.items():
        field = name.removeprefix("voice-")
        if field == "contacted":
            for who in CONTACTED_PEOPLE:
                setattr(voice, f"contacted_{who}", who in value)
        elif field == "method":
            voice.contact_method = value if value in CONTACT_METHODS else None
        elif field == "not_contacted_reason":
            voice.not_contacted_reason = value or None  # all of it: too long is flagged (problems)
        elif field == "consent":
            voice.consent_recorded = {"yes": True, "no": False}.get(value)
        elif field in SCALED_QUESTIONS:
            score = DONT_KNOW if value == "dont_know" else (int(value) if value in {"1", "2", "3", "4", "5"} else None)
            setattr(voice, field, score)
        elif field == "names_checked":
            voice.names_checked = value == "yes"
    slots = [slot for slot in range(1, QUOTE_SLOTS + 1) if quote_field(slot, "text") in changes]
    ids = {v for slot in slots for v in parse_ids(changes.get(quote_field(slot, "themes"), []))}
    themes = {t.id: t for quote in voice.quotes for t in quote.themes}  # a statement only for themes new here
    if missing := ids - set(themes):
        themes |= {t.id: t for t in db.session.scalars(select(Theme).where(Theme.id.in_(missing)))}
    for slot in slots:  # every quote's themes from the one statement above
        _apply_quote(
            voice, slot, changes[quote_field(slot, "text")], changes.get(quote_field(slot, "themes"), []), themes
        )


def _apply_quote(voice: FamilyVoice, slot: int, text: str, theme_values: list, themes: dict) -> None:
    quote = next((q for q in voice.quotes if q.position == slot), None)
    if not text:
        if quote is not None:
            voice.quotes.remove(quote)
        return
    if quote is None:
        quote = FamilyQuote(position=slot, text="")
        voice.quotes.append(quote)
    quote.text = text  # all of it: too long is flagged (problems)
    wanted = sorted((themes[v] for v in set(parse_ids(theme_values)) if v in themes), key=lambda t: t.name)
    old, new = ", ".join(sorted(t.name for t in quote.themes)), ", ".join(t.name for t in wanted)
    if old != new:  # written with the flush's other change-log rows, once the quote has its id
        log_change_on_flush(db.session, quote, "themes", old or None, new or None)
        quote.themes = wanted


def display_value(name: str, value) -> str:
    if name == "voice-contacted":
        return ", ".join(CONTACTED_PEOPLE[v] for v in value if v in CONTACTED_PEOPLE) or "(none)"
    if name.endswith("-themes"):
        names = db.session.scalars(select(Theme.name).where(Theme.id.in_(parse_ids(value) or [0])).order_by(Theme.name))
        return ", ".join(names) or "(none)"
    if name == "voice-method":
        return CONTACT_METHODS.get(value, "(blank)")
    if name == "voice-consent":
        return YES_NO.get(value, "(blank)")
    if name.removeprefix("voice-") in SCALED_QUESTIONS:
        return SCALE_LABELS.get(value, "(blank)")
    if name == "voice-names_checked":
        return "Checked: no names" if value == "yes" else "Not checked"
    return str(value or "") or "(blank)"


def problems(audit: CaseAudit) -> list[Problem]:
    """What the page still needs once started: how, who or why not, and no names in quotes unless confirmed."""
    voice = audit.family_voice
    if voice is None:
        return []
    found = []
    if not voice.contact_method:
        found.append(Problem(FAMILY_VOICE, "voice-method", "Family voice: select how the family were contacted"))
    elif voice.contact_method == "not_contacted":
        if not (voice.not_contacted_reason or "").strip():
            message = "Family voice: enter why the child and family were not contacted"
            found.append(Problem(FAMILY_VOICE, "voice-not_contacted_reason", message))
    elif not any(getattr(voice, f"contacted_{who}") for who in CONTACTED_PEOPLE):
        found.append(Problem(FAMILY_VOICE, "voice-contacted", "Family voice: select who was contacted"))
    if not voice.names_checked:
        for quote in voice.quotes:
            phrases = name_like_phrases(quote.text)
            if phrases:
                message = (
                    f"Family voice: quote {quote.position} may hold a name (“{phrases[0]}”): "
                    "remove it, or confirm the quotes hold no names"
                )
                found.append(Problem(FAMILY_VOICE, quote_field(quote.position, "text"), message))
    return found + _too_long(voice)


def _too_long(voice: FamilyVoice) -> list[Problem]:
    """The reason and quotes kept over their limits (limits.py)."""
    reason = voice.not_contacted_reason
    found = over_limit(
        FAMILY_VOICE, "voice-not_contacted_reason", reason, "Family voice: the reason no one was contacted"
    )
    for quote in voice.quotes:
        found += over_limit(
            FAMILY_VOICE, quote_field(quote.position, "text"), quote.text, f"Family voice: quote {quote.position}"
        )
    return found


def says_inline(name: str) -> bool:
    return name.startswith("voice-quote") or name == "voice-not_contacted_reason"


def summary_rows(audit: CaseAudit) -> list[tuple[str, str, str]]:
    """(label, answer, field) for check your answers and the read-only audit."""
    values = current_values(audit)
    rows = []
    for name in ["voice-contacted", "voice-method", "voice-not_contacted_reason", "voice-consent"] + [
        f"voice-{key}" for key in SCALED_QUESTIONS
    ]:
        if name == "voice-not_contacted_reason" and values["voice-method"] != "not_contacted":
            continue
        rows.append((LABELS[name], display_value(name, values[name]) if values[name] else "Not answered", name))
    voice = audit.family_voice
    for quote in voice.quotes if voice else []:
        themes = ", ".join(t.name for t in quote.themes)
        text = f"“{quote.text}”" + (f" (themes: {themes})" if themes else "")
        rows.append((f"Quote {quote.position}", text, quote_field(quote.position, "text")))
    return rows
