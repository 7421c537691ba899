"""/api/v1/: read-only JSON for reporting tools, authorised by a bearer token (never a cookie session)."""

from functools import wraps

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from ..errors import _reset_session, database_unavailable
from ..replica import read_only
from ..security import log_security_event
from . import data, openapi, tokens
from .params import BadParameter, encode_cursor, parse_cursor, parse_filters, parse_limit

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def requires_scope(scope: str):
    """A live token (401 otherwise) whose scopes include `scope` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = tokens.find_token(bearer_secret())
            g.api_token_id = token.id if token else None
            if token is None or not tokens.is_live(token):
                log_security_event("api_token", "refused", token=g.api_token_id, scope=scope)
                abort(401)
            if scope not in token.scope_list:
                log_security_event("api_token", "out_of_scope", token=token.id, scope=scope)
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.after_request
def log_use(response):
    if request.endpoint == "api.openapi_document":
        return response
    try:
        tokens.log_use(g.get("api_token_id"), request.endpoint or request.path, response.status_code)
    except Exception:  # noqa: BLE001  (a database that cannot take the log line must not change the answer)
        _reset_session()
        current_app.logger.warning("Could not log an API request", exc_info=True)
    return response


PROBLEM_TITLES = {400: "Bad request", 401: "Unauthorised", 403: "Forbidden", 404: "Not found", 405: "Not allowed"}
PROBLEM_DETAILS = {
    401: "Send a valid, unexpired API token as 'Authorization: Bearer <token>'.",
    403: "This token's scope does not include this data. Ask an administrator for a token that does.",
    404: "There is no such API address. The OpenAPI document lists every one.",
}


def problem(status: int, detail: str | None = None):
    """An RFC 9457 problem as JSON, never the HTML error page."""
    title = PROBLEM_TITLES.get(status, "Server error" if status >= 500 else "Bad request")
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail or PROBLEM_DETAILS.get(status)}
    response = jsonify({k: v for k, v in body.items() if v is not None})
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(BadParameter)
def bad_parameter(error):
    return problem(400, str(error))


@bp.errorhandler(HTTPException)
def http_error(error):
    response = problem(error.code or 500)
    if error.code == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


@bp.errorhandler(Exception)
def unexpected_error(error):
    _reset_session()
    if database_unavailable(error):
        return problem(503, "The database is unavailable: try again shortly.")
    current_app.logger.exception("Unhandled API error")
    return problem(500)


def _next_link(position: dict | None, **resolved) -> str | None:
    if position is None:
        return None
    args = {k: v for k, v in request.args.items() if k != "cursor"} | resolved
    return url_for(request.endpoint, **args, cursor=encode_cursor(position), _external=True)


def _period(period) -> dict:
    return {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat()}


@bp.get("/judgements")
@requires_scope("judgements")
@read_only
def judgements():
    filters, extra = parse_filters(request.args)
    limit, position = parse_limit(request.args), parse_cursor(request.args, data.JUDGEMENT_PARTS)
    page = data.judgements_page(filters, extra, position, limit)
    # The next link names the period, so a walk keeps the same one even if the default moves.
    resolved = {} if "period_from" in request.args else {"period": filters.period}
    return jsonify(data=page.rows, period=_period(filters.period_obj), next=_next_link(page.next_position, **resolved))


@bp.get("/themes")
@requires_scope("themes")
@read_only
def themes():
    filters, _ = parse_filters(request.args)
    period = filters.period_obj
    return jsonify(
        data=data.theme_counts(filters), period=_period(period), previous_period=_period(period.previous()), next=None
    )


def _plan_page(fetch):
    """A page of the plan's rows (actions or indicators): no filters, a cursor and a page size."""
    page = fetch(parse_cursor(request.args, data.SINGLE_PART), parse_limit(request.args))
    return jsonify(data=page.rows, next=_next_link(page.next_position))


@bp.get("/actions")
@requires_scope("plan")
@read_only
def actions():
    return _plan_page(data.actions_page)


@bp.get("/indicators")
@requires_scope("indicators")
@read_only
def indicators():
    return _plan_page(data.indicators_page)


@bp.get("/openapi.json")
def openapi_document():
    """Public: it describes the API and holds no data."""
    return jsonify(openapi.document())


@bp.route("/", defaults={"anything": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(anything):
    """Any other address under /api/v1/ is a JSON 404, not the HTML page."""
    abort(404)
