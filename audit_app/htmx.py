"""The one htmx idiom: a page whose parts htmx refreshes returns only the part when htmx asks for it.

Fragments are `templates/<feature>/_name.html`, included by the full page: never two copies of markup.
"""

from flask import render_template, request


def is_htmx() -> bool:
    """True for a request htmx made (it sends `HX-Request: true`); a plain form post or link is not one."""
    return request.headers.get("HX-Request") == "true"


def render_page_or_fragment(page_template: str, fragment_template: str, /, target: str | None = None, **context) -> str:
    """The fragment for an htmx request (aimed at the element `target`, when the page has several that htmx
    refreshes), the whole page otherwise."""
    if is_htmx() and (target is None or request.headers.get("HX-Target") == target):
        return render_template(fragment_template, **context)
    return render_template(page_template, **context)
