"""What a case reference looks like: the shape the admin pages accept, and finding one inside free text."""

import re

# A reference from the case-management system: letters, digits, '-', '/', '_', with at
# least one digit, so a child's name cannot be typed in by mistake.
CASE_REFERENCE_PATTERN = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9_/-]{2,39}$")

# Inside prose the same shape is too wide ("2023", "S47", "Covid-19" all fit it), so text is searched for the
# two forms references take in practice: letters then at least three digits ("CMS100234", "LA-20431") and a
# bare number of six or more digits. Years, section numbers and counts stay clear.
_REFERENCE_IN_TEXT = re.compile(r"(?<![\w/-])(?:[A-Za-z]{1,8}[-_/]?\d{3,}[A-Za-z0-9]*|\d{6,})(?![\w/-])")


def case_references_in(text: str | None) -> list[str]:
    """Every word of `text` shaped like a case reference, in order, each once."""
    found = _REFERENCE_IN_TEXT.findall(text or "")
    return list(dict.fromkeys(found))
