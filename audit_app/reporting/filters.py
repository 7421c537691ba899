"""The filters of the theme summary: parsed from the query string, so a view is a URL.

Period is a quarter ("2021-Q4"), a month ("2021-10"), a year ("2021") or a range of whole months
("2021-03..2021-08", first and last month included), between MIN_YEAR and MAX_YEAR: every period typed in
a URL (the summary, charts, exports, the evidence `month`) is read by parse_period, so a year like 0001 or
9999 is ignored rather than overflowing the date arithmetic. The previous period is the period of the same
length just before it. When no period is given, the quarter holding the most
recent submitted audit or observation is used, so the page opens on data, not on an empty quarter.
"""

import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime

from ..models.audits import PROGRAMME_KIND_LABELS
from ..parsing import parse_id

SOURCES = {"both": "Audits and observations", "audits": "Audits only", "observations": "Observations only"}
SUBJECTS = {"": "Case files", "supervision": "Supervision"}  # what the audits counted looked at
GRADE_VIEWS = {"moderated": "Moderated grades where moderated", "original": "Auditors' original grades"}

MIN_YEAR, MAX_YEAR = 2000, 2100  # years this service can hold; far from date's limits either side
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^([0-9]{4})$")
RANGE_SEPARATOR = ".."


@dataclass(frozen=True)
class Period:
    key: str
    start: date  # first day, inclusive
    end: date  # first day after the period

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    @property
    def label(self) -> str:
        if _QUARTER.match(self.key):
            year, q = self.key.split("-Q")
            return f"Quarter {q} {year} ({self.start:%B} to {_last_month(self)})"
        if _MONTH.match(self.key):
            return f"{self.start:%B %Y}"
        if self.kind == "range":
            return f"{self.start:%B %Y} to {_last_month(self)}"
        return f"{self.key}"

    @property
    def short_label(self) -> str:
        if _QUARTER.match(self.key):
            year, q = self.key.split("-Q")
            return f"Q{q} {year}"
        if self.kind == "range":
            return f"{self.start:%b %Y} to {add_months(self.end, -1):%b %Y}"
        return self.label

    @property
    def first_and_last_month(self) -> tuple[str, str]:
        return f"{self.start:%Y-%m}", f"{add_months(self.end, -1):%Y-%m}"

    @property
    def kind(self) -> str:
        """month, quarter, year or range: what the period is called in a sentence."""
        if _QUARTER.match(self.key):
            return "quarter"
        if _MONTH.match(self.key):
            return "month"
        return "range" if RANGE_SEPARATOR in self.key else "year"

    def previous(self) -> "Period":
        months = self.months
        start = add_months(self.start, -months)
        return Period(key=period_key(start, months), start=start, end=self.start)

    def start_datetime(self) -> datetime:
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)

    def end_datetime(self) -> datetime:
        return datetime(self.end.year, self.end.month, self.end.day, tzinfo=UTC)


def _last_month(period: Period) -> str:
    return f"{add_months(period.end, -1):%B %Y}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_key(start: date, months: int) -> str:
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if months == 12 and start.month == 1:
        return f"{start.year}"
    if months == 1:
        return f"{start.year}-{start.month:02d}"
    return f"{start:%Y-%m}{RANGE_SEPARATOR}{add_months(start, months - 1):%Y-%m}"


def range_key(first_month: str | None, last_month: str | None) -> str | None:
    """The key of the months from one to the other, either way round; None unless both are months."""
    first, last = parse_period(first_month), parse_period(last_month)
    if not (first and last and first.kind == "month" and last.kind == "month"):
        return None
    first, last = sorted((first, last), key=lambda period: period.start)
    return period_key(first.start, Period(first.key, first.start, last.end).months)


def parse_period(key: str | None) -> Period | None:
    """The period a key names, or None when it is not a period between MIN_YEAR and MAX_YEAR."""
    key = (key or "").strip()
    if key.count(RANGE_SEPARATOR) == 1:
        first, last = (parse_period(part) for part in key.split(RANGE_SEPARATOR))
        if first and last and first.kind == last.kind == "month" and first.start < last.start:
            return Period(key, first.start, last.end)
        return None
    if m := _QUARTER.fullmatch(key):
        year, first_month, months = int(m[1]), (int(m[2]) - 1) * 3 + 1, 3
    elif m := _MONTH.fullmatch(key):
        year, first_month, months = int(m[1]), int(m[2]), 1
    elif m := _YEAR.fullmatch(key):
        year, first_month, months = int(m[1]), 1, 12
    else:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    start = date(year, first_month, 1)
    return Period(key, start, add_months(start, months))


def parse_month(key: str | None) -> Period | None:
    """A single month ("2021-10") within the same bounds, or None."""
    period = parse_period(key)
    return period if period and period.months == 1 else None


def quarter_of(day: date) -> Period:
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


@dataclass(frozen=True)
class Filters:
    period: str = ""
    locality: int | None = None
    service: int | None = None
    team: int | None = None
    case_type: str | None = None
    programme: int | None = None
    programme_kind: str | None = None  # of audit programme (ProgrammeKind); re-audits by reaudit_of_id
    practice_week: int | None = None
    subject: str | None = None  # None: case audits; "supervision": supervision audits (never both at once)
    source: str = "both"
    grades: str = "moderated"

    @classmethod
    def from_args(cls, args, default_period: str = "") -> "Filters":
        """Read the query string. Values that do not parse are ignored rather than refused: a
        shared link with a stale team still opens the page."""

        period = range_key(args.get("period_from"), args.get("period_to")) or (args.get("period") or "").strip()
        source = args.get("source") if args.get("source") in SOURCES else "both"
        grades = args.get("grades") if args.get("grades") in GRADE_VIEWS else "moderated"
        subject = "supervision" if args.get("subject") == "supervision" else None
        return cls(
            period=period if parse_period(period) else default_period,
            locality=parse_id(args.get("locality")),
            service=parse_id(args.get("service")),
            team=parse_id(args.get("team")),
            case_type=None if subject else (args.get("case_type") or "").strip() or None,  # no case: no type
            programme=parse_id(args.get("programme")),
            programme_kind=args.get("programme_kind") if args.get("programme_kind") in PROGRAMME_KIND_LABELS else None,
            practice_week=parse_id(args.get("practice_week")),
            subject=subject,
            source=source,
            grades=grades,
        )

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period) or quarter_of(date.today())

    @property
    def supervision(self) -> bool:
        return self.subject == "supervision"

    @property
    def include_audits(self) -> bool:
        return self.source in ("both", "audits")

    @property
    def include_observations(self) -> bool:
        # Observations belong to no audit programme and look at no supervision records: audits only then.
        return (
            self.source in ("both", "observations")
            and self.programme is None
            and self.programme_kind is None
            and not self.supervision
        )

    def as_args(self, **changes) -> dict:
        """The filters as query-string arguments (empty values left out), for url_for."""
        values = asdict(replace(self, **changes)) if changes else asdict(self)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def with_period(self, period: Period) -> "Filters":
        return replace(self, period=period.key)

    @staticmethod
    def names() -> list[str]:
        return [f.name for f in fields(Filters)]
