"""Does free text look as if it holds a person's name? Quotes must identify no one."""

import calendar
import re

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Nan|Nanny|Grandad|Auntie|Aunty|Uncle)"
TITLED_NAME = re.compile(rf"\b{TITLES}\.?\s+[A-Z][a-z'’-]+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|[.!?]")
# Capitalised words that name places, services and times rather than people.
NOT_NAMES = (
    frozenset(
        [
            "I",
            "I'm",
            "I've",
            "I'd",
            "I'll",
            "Social",
            "Services",
            "Service",
            "Children's",
            "Child",
            "Children",
            "Protection",
            "Plan",
            "Conference",
            "Court",
            "Council",
            "School",
            "College",
            "Police",
            "Health",
            "Hospital",
            "GP",
            "CAMHS",
            "Team",
            "Worker",
            "Family",
            "Early",
            "Help",
            "Care",
            "Leaver",
            "Looked",
            "After",
            "Christmas",
            "Easter",
            "Mum",
            "Mam",
            "Dad",
        ]
    )
    | frozenset(calendar.month_name[1:])
    | frozenset(calendar.day_name)
)


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word not in NOT_NAMES and not word.isupper()


def name_like_phrases(text: str | None) -> list[str]:
    """The phrases in `text` that look like a person's name: a title and a name ("Mrs Khan"), or two
    capitalised words together other than at the start of a sentence ("told Jane Smith")."""
    if not text:
        return []
    found = [m.group(0) for m in TITLED_NAME.finditer(text)]
    words = WORD.findall(text)
    for index in range(1, len(words) - 1):
        before, first, second = words[index - 1], words[index], words[index + 1]
        if before in ".!?" or first in ".!?" or second in ".!?":
            continue
        if _capitalised(first) and _capitalised(second):
            phrase = f"{first} {second}"
            if not any(phrase in f for f in found):
                found.append(phrase)
    return found


def looks_like_a_name(text: str | None) -> bool:
    return bool(name_like_phrases(text))
