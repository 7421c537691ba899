"""The API's pages: admins create, list and revoke tokens; admins and QA leads read how to connect a tool."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..idempotency import save_from_form
from ..models import ApiToken
from ..permissions import Permission, requires
from . import tokens
from .forms import TokenForm

bp = Blueprint("api_tokens", __name__)


@bp.get("/admin/api-tokens")
@requires(Permission.MANAGE_API_TOKENS)
def index():
    return render_template("api/tokens.html", rows=tokens.token_list())


@bp.route("/admin/api-tokens/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_API_TOKENS)
def new():
    form = TokenForm()
    if form.validate_on_submit() and (
        saved := save_from_form(
            form,
            ApiToken,
            lambda: tokens.create_token(
                form.purpose.data, form.scopes.data, int(form.lifetime.data), created_by_id=current_user.id
            ),
            field="purpose",
            message="This token could not be created: try again",
        )
    ):
        # Shown here, once: only its hash is kept. A repeated post gets the token back without its secret.
        token, created = saved
        return render_template(
            "api/created.html", token=token, secret=getattr(token, "secret", None) if created else None
        )
    return render_template("api/new_token.html", form=form)


@bp.post("/admin/api-tokens/<int:token_id>/revoke")
@requires(Permission.MANAGE_API_TOKENS)
def revoke(token_id):
    token = db.get_or_404(ApiToken, token_id)
    tokens.revoke_token(token)
    flash(f"Revoked the token for {token.purpose}. Tools using it are refused from now on.")
    return redirect(url_for("api_tokens.index"))


@bp.get("/reporting-api")
@requires(Permission.VIEW_API_GUIDE)
def guide():
    return render_template(
        "api/guide.html",
        base_url=url_for("api.judgements", _external=True).rsplit("/", 1)[0],
        openapi_url=url_for("api.openapi_document", _external=True),
        scopes=tokens.SCOPES,
        can_manage_tokens=current_user.can(Permission.MANAGE_API_TOKENS),
    )
