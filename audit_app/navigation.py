"""The navigation and the home page: each feature registers what it contributes."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, current_app

from .permissions import Permission


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    permission: Permission | None = None
    # Endpoint prefixes that mark this item as the current section.
    section: str = ""


# Each feature's init_app(app) adds its items and panels to the app being built (app.extensions),
# in the order of FEATURES in audit_app/__init__.py: that order is the order on screen.


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("nav_items", []).append(item)


def add_home_panel(app: Flask, panel: Callable) -> None:
    """A home panel is a function(user) -> Panel, or None when the panel does not apply to that person."""
    app.extensions.setdefault("home_panels", []).append(panel)


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = current_app.extensions.get("nav_items", [])
    return [i for i in items if i.permission is None or user.can(i.permission)]


def panels_for(user) -> list["Panel"]:
    panels = (panel(user) for panel in current_app.extensions.get("home_panels", []))
    return [p for p in panels if p]


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


def list_panel(title: str, template: str, name: str, items) -> Panel | None:
    """A panel listing `items` (called `name` in its template), or None when there are none: the home page
    shows no empty list."""
    return Panel(title, template, {name: items}) if items else None
