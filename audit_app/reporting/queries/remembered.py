"""Figures that do not change while a page is drawn, read once a request however many parts of the page ask."""

from flask import g, has_request_context


def remembered_for_the_request(name: str, read):
    """What `read()` returns, read on the first call in a request and remembered in `g` for the rest of it;
    read afresh on every call outside a request (a command, a test calling a service)."""
    if not has_request_context():
        return read()
    key = f"remembered_{name}"
    if key not in g:
        setattr(g, key, read())
    return g.get(key)
