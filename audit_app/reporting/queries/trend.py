"""The share of judgements graded good or better, month by month."""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import case, func

from ...extensions import db
from ...models import CaseAudit, Judgement
from ..filters import Filters, Period, add_months
from .counted import judgements_query, month_of
from .rolled import good_or_better_counts, served_by_rollups
from .spread import domain_labels, domain_order, moderation_changes

TREND_MONTHS = 12


@dataclass
class Trend:
    months: list[str]
    rows: list[dict]  # {"key", "label", "cells": {month: (good, graded)}}

    @staticmethod
    def month_label(month: str) -> str:
        return date(int(month[:4]), int(month[5:]), 1).strftime("%b %Y")


def trend_window(filters: Filters) -> Period:
    period = filters.period_obj
    months = max(period.months, TREND_MONTHS)
    return Period(key="trend", start=add_months(period.end, -months), end=period.end)


def good_or_better_by_month(filters: Filters) -> Trend:
    """Share of graded judgements Good or better per domain and month, over the year to the period end."""
    window = trend_window(filters)
    if served_by_rollups(filters):
        rows = good_or_better_counts(filters, window, "domain_key", "month")
    else:
        rows = raw_trend_rows(filters, window)
    months = [f"{add_months(window.start, i):%Y-%m}" for i in range(window.months)]
    labels, order = domain_labels(), domain_order()
    result: dict[str, dict] = {}
    for key, month_value, good, graded in rows:
        row = result.setdefault(key, {"key": key, "label": labels.get(key, key), "cells": {}})
        before = row["cells"].get(month_value, (0, 0))
        row["cells"][month_value] = (before[0] + good, before[1] + graded)
    ordered = sorted(result.values(), key=lambda r: (order.get(r["key"], 999), r["label"]))
    return Trend(months=months, rows=ordered)


def raw_trend_rows(filters: Filters, window: Period) -> list[tuple]:
    """(domain, month, good, graded) from the raw judgements, for filters the rollups cannot serve."""
    original = replace(filters, grades="original")
    month = month_of(CaseAudit.submitted_at).label("month")
    query = judgements_query(
        original,
        window,
        Judgement.domain_key,
        month,
        func.count(case((Judgement.grade <= 2, 1))),
        func.count(Judgement.grade),
    ).group_by(Judgement.domain_key, month)
    rows = [tuple(r) for r in db.session.execute(query)]
    if filters.grades == "moderated":
        for key, month_value, auditor, moderator, count in moderation_changes(
            original, window, Judgement.domain_key, month
        ):
            good = (1 if moderator <= 2 else 0) - (1 if auditor is not None and auditor <= 2 else 0)
            graded = 0 if auditor is not None else 1
            rows.append((key, month_value, good * count, graded * count))
    return rows
