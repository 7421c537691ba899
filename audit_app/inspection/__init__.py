"""The inspection pack: for a chosen period, the figures an Ofsted ILACS inspection team asks for, as one
workbook and one PDF, each figure linked to the page it comes from."""

from ..navigation import NavItem, add_nav_item
from ..permissions import Permission


def init_app(app):
    from . import routes

    app.register_blueprint(routes.bp)
    add_nav_item(
        app, NavItem("Inspection pack", "inspection.index", Permission.DOWNLOAD_INSPECTION_PACK, "inspection.")
    )
