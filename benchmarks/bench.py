"""Time the theme summary page and its drill-down, with and without filters.

    benchmarks/run                      # both databases, 100,000 audits, 20,000 observations
    benchmarks/run --databases postgresql --audits 100000 --repeat 30
    benchmarks/run --databases postgresql --audits 1000000     # a regional deployment: a few minutes to load

Each database is emptied, upgraded to the latest migration and filled with `flask generate-data`
(skipped when it already holds at least --audits generated audits), then vacuumed. Every theme page
is timed: the summary (several filters), trend, drill-downs, charts and exports; the export of every
judgement of a period is timed three times and its rows a second given. Requests go through the
Flask test client (the whole request: routing, permission check, queries, template), signed in
as a QA lead; each URL is requested once to warm up and then --repeat times. Prints a Markdown
table of median and 95th-percentile times, which RESULTS.md records.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URLS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/bench",
    "sqlite": "sqlite:////tmp/qa-bench.db",
}


def scenarios(app):
    """(name, path, most timed requests) for every theme page; filter values are picked from the generated data."""
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import Locality, Theme
    from audit_app.reporting.queries import default_period_key

    with app.app_context():
        period = default_period_key()
        locality = db.session.scalar(select(Locality.id).order_by(Locality.name).limit(1))
        theme = db.session.scalar(select(Theme.id).order_by(Theme.name).limit(1))
    filtered = f"period={period}&locality={locality}&case_type=cp"
    pages = [
        ("Summary, default (latest quarter, both sources)", "/themes/"),
        ("Summary, a whole year", f"/themes/?period={period[:4]}"),
        ("Summary, filtered (locality, case type)", f"/themes/?{filtered}"),
        ("Summary, auditors' original grades", "/themes/?grades=original"),
        ("Summary fragment (htmx request), filtered", f"/themes/?{filtered}&hx=1"),
        ("Month-by-month trend (loaded after the page)", "/themes/trend?hx=1"),
        ("Drill-down, a domain and grade", "/themes/evidence?domain=voice_of_child&grade=3"),
        ("Drill-down, filtered, a theme", f"/themes/evidence?{filtered}&theme={theme}"),
        ("Drill-down, a domain and grade, page 20", "/themes/evidence?domain=voice_of_child&grade=3&page=20"),
    ]
    pages += [(f"Chart: {kind}", f"/themes/chart/{kind}.svg") for kind in ("domains", "lenses", "themes", "trend")]
    pages += [(f"Export: {table} (CSV)", f"/themes/export/{table}.csv") for table in ("domains", "lenses", "themes")]
    pages += [
        ("Export: trend (CSV)", "/themes/export/trend.csv"),
        ("Export: domains (XLSX)", "/themes/export/domains.xlsx"),
    ]
    # Every judgement of the period: a few timings are enough, and rows/s is reported too.
    exports = [
        ("Export: every judgement, latest quarter (CSV)", "/themes/export/judgements.csv"),
        ("Export: every judgement, filtered (CSV)", f"/themes/export/judgements.csv?{filtered}"),
    ]
    return [(name, path, None) for name, path in pages] + [(name, path, 3) for name, path in exports]


def prepare(url: str, audits: int, observations: int, demo: bool = False) -> None:
    """Fill the database unless it holds enough generated audits; `demo`: the demo data first (it is
    quick on an empty database, slow on one with the volume data already in)."""
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi.py")
    flask = [str(ROOT / ".venv/bin/flask")]
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql"):
        _create_database_if_missing(url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            have = connection.execute(
                text(
                    "SELECT count(*) FROM case_audit c JOIN \"case\" k ON k.id = c.case_id WHERE k.case_reference LIKE 'GEN%'"
                )
            ).scalar()
    except Exception:
        have = 0
    engine.dispose()
    if have >= audits:
        print(f"{url}: {have} generated audits already there", file=sys.stderr)
        return
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run(flask + ["db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    if demo:
        subprocess.run(flask + ["seed-demo"], env=env, check=True, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        flask + ["generate-data", "--audits", str(audits), "--observations", str(observations)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    print(f"generated in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if url.startswith("postgresql"):
        # As autovacuum would soon after a bulk load: the visibility map lets the counts use index-only scans.
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        engine.dispose()


def _create_database_if_missing(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        ).scalar()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


def measure(url: str, repeat: int):
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import User

    app = create_app("development")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "qa@example.org"))
        token = user.session_token
    client = app.test_client()
    return [_time_page(client, token, name, path, min(repeat, most or repeat)) for name, path, most in scenarios(app)]


def signed_in(client, token: str) -> None:
    """Sign the test client in as the user whose session token this is, fresh enough for every page."""
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session["last_seen"] = time.time()


def _time_page(client, token, name, path, repeat):
    """Warm up once, then time `repeat` requests: (name, path, median ms, p95 ms, rows a second or None)."""
    headers = {"HX-Request": "true"} if path.endswith("&hx=1") else {}
    timings, rows = [], 0
    for i in range(repeat + 1):
        signed_in(client, token)
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        body = response.get_data()  # the whole answer, streamed or not
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        if i:
            timings.append(elapsed)
            rows = body.count(b"\nAudit,") + body.count(b"\nObservation,")
    print(f"{name}: {statistics.median(timings):.0f} ms median", file=sys.stderr, flush=True)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
    median = statistics.median(timings)
    per_second = rows / (median / 1000) if "judgements.csv" in path else None
    return name, path, median, p95, per_second


def machine_line() -> str:
    """What the figures were measured on, printed at the top of every benchmark's output."""
    return (
        f"Machine: {platform.node()}, {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )


def volume_parser(doc: str, repeat: int) -> argparse.ArgumentParser:
    """The arguments of a benchmark whose database `prepare` fills: how much (--audits, --observations),
    --skip-generate to time what is already there, and how many timed requests (--repeat)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--audits", type=int, default=100000)
    parser.add_argument("--observations", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--skip-generate", action="store_true")
    return parser


def main():
    parser = volume_parser(__doc__, repeat=20)
    parser.add_argument("--databases", default="postgresql,sqlite")
    args = parser.parse_args()
    print(machine_line())
    print(
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {args.audits} audits, {args.observations} observations, {args.repeat} timed requests each\n"
    )
    for name in args.databases.split(","):
        url = os.environ.get(f"BENCH_{name.upper()}_URL", DEFAULT_URLS[name])
        if not args.skip_generate:
            prepare(url, args.audits, args.observations)
        # Each database in a fresh process, so settings and pools do not leak between them.
        code = (
            "import sys; sys.argv=['x']; from benchmarks.bench import measure, report; "
            f"report({name!r}, measure({url!r}, {args.repeat}))"
        )
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def report(name, results):
    print(f"### {name}\n")
    print("| scenario | median ms | p95 ms | rows/s |")
    print("|---|---:|---:|---:|")
    for scenario, path, median, p95, per_second in results:
        rate = f"{per_second:,.0f}" if per_second is not None else ""
        print(f"| {scenario} (`{path}`) | {median:.0f} | {p95:.0f} | {rate} |")
    print()


if __name__ == "__main__":
    main()
