"""The navigation and the home page: each feature registers what it contributes."""
from dataclasses import dataclass, field
from typing import Callable

from .permissions import Permission


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    permission: Permission | None = None
    # Endpoint prefixes that mark this item as the current section.
    section: str = ""


NAV_ITEMS: list[NavItem] = [NavItem("Home", "main.home", None, "main.")]

# A home panel is a function(user) -> Panel, or None when the panel does not apply to
# that person. Order of registration is order on the page.
HOME_PANELS: list[Callable] = []


def add_nav_item(item: NavItem, position: int | None = None) -> None:
    if item.endpoint not in {i.endpoint for i in NAV_ITEMS}:
        NAV_ITEMS.insert(len(NAV_ITEMS) if position is None else position, item)


def home_panel(func: Callable) -> Callable:
    if func.__qualname__ not in {f.__qualname__ for f in HOME_PANELS}:
        HOME_PANELS.append(func)
    return func


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [i for i in NAV_ITEMS if i.permission is None or user.can(i.permission)]


def panels_for(user) -> list["Panel"]:
    panels = (panel(user) for panel in HOME_PANELS)
    return [p for p in panels if p]


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
