"""The API's query parameters: the theme summary's filters (read by reporting/filters.py, as the page reads
them), but refused with a 400 when a value does not parse, since a reporting tool should hear about a typo
rather than get a quarter it did not ask for; the page size; and the opaque cursor."""

import base64
import binascii
import json

from ..models.audits import PROGRAMME_KIND_LABELS
from ..models.cases import CASE_TYPE_LABELS
from ..parsing import parse_id, parse_int
from ..reporting.filters import GRADE_VIEWS, SOURCES, Filters, parse_period, range_key
from ..reporting.queries import default_period_key

ID_FILTERS = ("locality", "service", "team", "programme", "practice_week", "tool")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MAX_KEY_LENGTH = 60


class BadParameter(Exception):
    """A query parameter that does not parse: the message says which and why."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise BadParameter(message)


def _check_filters(args) -> None:
    for name in ID_FILTERS:
        if name in args:
            _check(parse_id(args[name]) is not None, f"{name} must be a record id (a whole number from 1)")
    if "period" in args:
        _check(
            parse_period(args["period"]) is not None, "period must be like 2021-Q4, 2021-10, 2021 or 2021-03..2021-08"
        )
    if "period_from" in args or "period_to" in args:
        both = range_key(args.get("period_from"), args.get("period_to"))
        _check(both is not None, "period_from and period_to must both be months, like 2021-03")
    _check(args.get("source", "both") in SOURCES, f"source must be one of {', '.join(SOURCES)}")
    _check(args.get("grades", "moderated") in GRADE_VIEWS, f"grades must be one of {', '.join(GRADE_VIEWS)}")
    if "case_type" in args:
        _check(args["case_type"] in CASE_TYPE_LABELS, f"case_type must be one of {', '.join(CASE_TYPE_LABELS)}")
    if "programme_kind" in args:
        _check(
            args["programme_kind"] in PROGRAMME_KIND_LABELS,
            f"programme_kind must be one of {', '.join(PROGRAMME_KIND_LABELS)}",
        )
    if "domain" in args:
        _check(0 < len(args["domain"]) <= MAX_KEY_LENGTH, "domain must be a domain or lens key")


def parse_filters(args) -> tuple[Filters, dict]:
    """The summary's Filters (default period: the quarter of the latest activity, as on the page) and the
    API's own: the audit tool and the domain or lens."""
    _check_filters(args)
    filters = Filters.from_args(args, default_period=default_period_key())
    extra = {"tool": parse_id(args.get("tool")), "domain": args.get("domain") or None}
    return filters, {k: v for k, v in extra.items() if v is not None}


def parse_limit(args) -> int:
    if "limit" not in args:
        return DEFAULT_LIMIT
    limit = parse_int(args["limit"], 1, MAX_LIMIT)
    _check(limit is not None, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return limit


def encode_cursor(position: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def parse_cursor(args, parts: tuple[str, ...]) -> dict:
    """The position a cursor stands for: {"part": one of `parts`, "after": an id}; the start when absent."""
    if "cursor" not in args:
        return {"part": parts[0], "after": 0}
    text = args["cursor"]
    try:
        _check(len(text) <= 200, "")
        position = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, BadParameter, UnicodeDecodeError):
        raise BadParameter("cursor is not one this API gave out: start again without it") from None
    valid = (
        isinstance(position, dict)
        and position.get("part") in parts
        and parse_int(position.get("after"), 0, 2**31 - 1) is not None
    )
    _check(valid, "cursor is not one this API gave out: start again without it")
    return {"part": position["part"], "after": position["after"]}
