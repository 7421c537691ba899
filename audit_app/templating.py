import re
from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from .dates import example_date, long_date
from .htmx import is_htmx
from .navigation import nav_for


def init_templating(app: Flask) -> None:
    @app.context_processor
    def layout_context():
        return {
            "org_name": app.config["ORG_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "is_htmx": is_htmx(),
        }

    # Called by base.html, so a fragment (an autosave's status) asks no permission for each navigation item.
    app.add_template_global(nav_for)
    app.add_template_global(example_date)  # "10 12 2026": two weeks on, for date hints
    add_govuk_components(app)
    add_table_cell_filters(app)

    @app.template_filter("datetime")
    def format_datetime(value, fmt=None):
        if not value:
            return ""
        return local_time(value).strftime(fmt) if fmt else long_datetime(value)

    @app.template_filter("date")
    def format_date(value, fmt=None):
        """A date, or a time's day in UK time: "5 October 2021", unless another format is given."""
        if not value:
            return ""
        if isinstance(value, datetime):
            value = local_time(value)
        return value.strftime(fmt) if fmt else long_date(value)


# The GOV.UK Frontend components pages use, callable in every template without an import line each.
GOVUK_COMPONENTS = [
    "govukAccordion", "govukBackLink", "govukBreadcrumbs", "govukButton", "govukCharacterCount", "govukCheckboxes",
    "govukDateInput", "govukDetails", "govukErrorMessage", "govukErrorSummary", "govukFieldset", "govukFileUpload",
    "govukHint", "govukInput", "govukInsetText", "govukLabel", "govukNotificationBanner", "govukPagination",
    "govukPanel", "govukPasswordInput", "govukRadios", "govukSelect", "govukSummaryList", "govukTable", "govukTabs",
    "govukTag", "govukTaskList", "govukTextarea", "govukWarningText",
]  # fmt: skip


def add_govuk_components(app: Flask) -> None:
    for name in GOVUK_COMPONENTS:
        folder = re.sub(r"(?<!^)(?=[A-Z])", "-", name.removeprefix("govuk")).lower()  # govukBackLink: back-link
        app.add_template_global(_component(app, f"govuk_frontend_jinja/components/{folder}/macro.html", name), name)


def _component(app: Flask, path: str, name: str):
    def render(*args, **kwargs):  # the template is loaded on first use, then cached by Jinja
        return getattr(app.jinja_env.get_template(path).module, name)(*args, **kwargs)

    return render


def add_table_cell_filters(app: Flask) -> None:
    """The pieces of each cell of data_table (components/table.html). A year's summary has hundreds of cells:
    a Python call each costs a tiny part of a macro call each. A cell is a value or {"text", "href", "hidden",
    "classes", "attributes", "colspan"}; what they return is escaped when the template writes it."""
    app.add_template_filter(cell_text)
    app.add_template_filter(cell_classes)
    app.add_template_filter(cell_attributes)
    app.add_template_filter(html_attributes)
    app.add_template_global(table_link)


def cell_text(cell):
    """The cell's value, or a link to its "href" when it has one."""
    if not isinstance(cell, Mapping):
        return "" if cell is None else cell
    if cell.get("href"):
        return table_link(cell.get("text"), cell["href"], cell.get("hidden"))
    value = cell.get("text")
    return "" if value is None else value


def table_link(text, href, hidden=None) -> Markup:
    """A link in a cell; hidden: words for screen readers only, after the text (which row it belongs to)."""
    hidden_html = Markup('<span class="govuk-visually-hidden">{}</span>').format(hidden) if hidden else ""
    return Markup('<a class="govuk-link" href="{}">{}{}</a>').format(href, text, hidden_html)


def cell_classes(cell) -> Markup | str:
    """The cell's own classes, after the table's."""
    classes = cell.get("classes") if isinstance(cell, Mapping) else None
    return Markup(" {}").format(classes) if classes else ""


def cell_attributes(cell) -> Markup:
    if not isinstance(cell, Mapping):
        return Markup("")
    colspan = Markup(' colspan="{}"').format(cell["colspan"]) if cell.get("colspan") else Markup("")
    return colspan + html_attributes(cell.get("attributes"))


def html_attributes(attributes: Mapping | None) -> Markup:
    """Each as ` name="value"`, escaped; True stands alone (data-good)."""
    return Markup("").join(
        Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value)
        for name, value in (attributes or {}).items()
    )


UK = ZoneInfo("Europe/London")


def local_time(value: datetime) -> datetime:
    """Times are stored in UTC (SQLite returns them naive); people read them in UK time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UK)


def long_datetime(value: datetime) -> str:
    """A time as people read it, in UK time: 5 October 2021 at 14:30."""
    local = local_time(value)
    return f"{long_date(local)} at {local:%H:%M}"
