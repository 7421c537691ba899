"""Reporting reads from a replica: with DATABASE_REPLICA_URL set, the SELECTs of a view marked
`@read_only` (summaries, trend, drill-downs, exports, the inspection pack, the API's reads) go to a
read-only copy of the database, so heavy reporting does not slow the primary that every autosave writes to.

Everything else goes to the primary: every request not marked, every flush (a change log line or an
API use record written during a marked request), every INSERT, UPDATE, DELETE or SELECT ... FOR UPDATE,
and the sign-in and permission checks, which run before the view. This is SQLAlchemy's documented
read-replica pattern (a Session whose get_bind chooses the engine) on a Flask-SQLAlchemy bind.
"""

from functools import wraps

from flask import Flask, g, has_app_context, stream_with_context
from flask_sqlalchemy.session import Session

REPLICA = "replica"
_FLAG = "_read_only_request"


def engine_options(url: str, options: dict, connect_timeout: int) -> dict:
    """The engine options for one database URL: pool sizes for PostgreSQL only, and its connect timeout."""
    if url.startswith("sqlite"):
        # Pool sizing is for PostgreSQL; SQLite connections are cheap and local.
        return {k: v for k, v in options.items() if k not in ("pool_size", "max_overflow", "pool_timeout")}
    if url.startswith("postgresql"):
        return {**options, "connect_args": {"connect_timeout": connect_timeout, **options.get("connect_args", {})}}
    return dict(options)


def init_replica(app: Flask, settings: dict) -> None:
    """Add the replica as a Flask-SQLAlchemy bind when it is set, with the engine settings of the
    primary (SQLALCHEMY_ENGINE_OPTIONS as configured). Call before db.init_app."""
    url = app.config.get("DATABASE_REPLICA_URL")
    if url:
        options = engine_options(url, settings, app.config["DATABASE_CONNECT_TIMEOUT"])
        app.config["SQLALCHEMY_BINDS"] = {**app.config.get("SQLALCHEMY_BINDS", {}), REPLICA: {"url": url, **options}}

    @app.teardown_request
    def _end_read_only(_error=None):
        # Flask runs this when the view returns and, for a streamed answer, again once it is sent.
        g.pop(_FLAG, None)


def read_only(view):
    """Mark a view whose queries only read: with a replica set, they are answered from it. Put it under
    @requires, so who the person is and what they may do is read from the primary."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.setdefault(_FLAG, True)
        return view(*args, **kwargs)

    return wrapped


def stream_read_only(chunks):
    """A streamed response body (stream_with_context) that keeps the request's choice of database while it
    is sent: Flask tears the request down when the view returns, before the body is read, which clears the
    read-only mark, so the body marks the request again as it starts, if the view was marked."""
    marked = bool(g.get(_FLAG))

    def body():
        if marked:
            g.setdefault(_FLAG, True)
        yield from chunks

    return stream_with_context(body())


def _is_plain_read(clause) -> bool:
    return (
        clause is not None and getattr(clause, "is_select", False) and getattr(clause, "_for_update_arg", None) is None
    )


class RoutingSession(Session):
    """Flask-SQLAlchemy's session, sending plain SELECTs of a read-only request to the replica."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and _is_plain_read(clause) and has_app_context() and g.get(_FLAG):
            replica = self._db.engines.get(REPLICA)
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)
