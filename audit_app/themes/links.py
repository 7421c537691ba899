"""Links that keep the summary's filters. A year's summary holds a hundred and fifty of them (every figure
links to its evidence), so the filters' query string is encoded once and each page address is built once a
request: a link is then that address, the filters and its own few arguments, as url_for would write it."""

from functools import lru_cache
from urllib.parse import quote, urlencode

from flask import current_app, g, url_for

from ..reporting.filters import Filters

# What werkzeug leaves unquoted in a query string (url_for's own rule), and flask in an anchor.
QUERY_SAFE = "!$'()*,/:;?@"
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def filtered_url(endpoint: str, filters: Filters, extra: dict | None = None, **values) -> str:
    """A URL that keeps the filters, plus the figure's own arguments: the same URL as
    url_for(endpoint, **filters.as_args(), **extra, **values)."""
    own = {**(extra or {}), **values}
    anchor = own.pop("_anchor", None)
    filter_args, filter_query = _filter_query(filters)
    if not _plain(own) or own.keys() & filter_args.keys():
        # Lists, url_for's own options or a filter given again: url_for itself, rarely and slower.
        return url_for(endpoint, **{**filter_args, **own}, _anchor=anchor)
    path_names = _path_arguments(endpoint)
    path_values = {name: own.pop(name) for name in path_names if name in own}
    query = "&".join(part for part in (filter_query, _encode(own)) if part)
    url = _page_url(endpoint, path_values) + (f"?{query}" if query else "")
    return f"{url}#{quote(anchor, safe=ANCHOR_SAFE)}" if anchor is not None else url


def drill_cell(filters: Filters, count: int | None, selection: dict, attributes: dict) -> dict:
    """A figure's cell for data_table: the count, a link to the judgements behind it when there are any."""
    href = filtered_url("themes.evidence", filters, selection) if count else None
    return {"text": count or 0, "href": href, "attributes": attributes}


@lru_cache(maxsize=256)
def _filter_query(filters: Filters) -> tuple[dict, str]:
    """The filters as arguments and as an encoded query string (Filters are frozen, so this never goes stale)."""
    args = filters.as_args()
    return args, _encode(args)


def _encode(args: dict) -> str:
    return urlencode([(name, value) for name, value in args.items() if value is not None], safe=QUERY_SAFE)


def _plain(args: dict) -> bool:
    return not any(name.startswith("_") or isinstance(value, list | tuple | dict) for name, value in args.items())


def _path_arguments(endpoint: str) -> set[str]:
    return set().union(*(rule.arguments for rule in current_app.url_map.iter_rules(endpoint)))


def _page_url(endpoint: str, path_values: dict) -> str:
    """url_for(endpoint, **path_values), built once a request (the address depends on the request's root)."""
    built = g.setdefault("_filtered_page_urls", {})
    key = (endpoint, *sorted(path_values.items()))
    if key not in built:
        built[key] = url_for(endpoint, **path_values)
    return built[key]
