"""Time the audit form's autosave and page, and count their SQL statements, in process.

    .venv/bin/python benchmarks/autosave.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench

The database is emptied and given the seeded audit tool, one auditor and one audit. Each request goes
through the Flask test client (routing, sign-in, every statement, template), starting with nothing
loaded, as on the server. An autosave changes one grade and its evidence (alternating, so every save
writes); the page is the section's GET. Prints statements per request, the median and 95th
percentile of --repeat requests after a warm-up, and the median of this process's CPU time per request
(the server is CPU-bound: wall time on a shared machine says less), for RESULTS.md.
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTMX = {"HX-Request": "true"}
sys.path.insert(0, str(ROOT))


def build(app):
    """The seeded tool, an auditor and an audit in progress: (auditor, audit id, section key, question id)."""
    from audit_app.extensions import db
    from audit_app.permissions import Role
    from audit_app.tools.services import seed_tool
    from tests.factories import CaseAuditFactory, ThemeFactory, user_with

    with app.app_context():
        db.drop_all()
        db.create_all()
        for n in range(12):
            ThemeFactory(name=f"Theme {n:02}")
        version = seed_tool()
        auditor = user_with(Role.AUDITOR)
        audit = CaseAuditFactory(tool_version=version, auditor=auditor, status="in_progress")
        db.session.commit()
        section = version.domains[1]
        return auditor.id, audit.id, section.key, section.questions[0].id


def measure(app, repeat: int) -> dict:
    from sqlalchemy import event

    from audit_app.extensions import db
    from audit_app.models import CaseAudit, User
    from tests.conftest import FreshRequestClient, get, post, sign_in_as

    app.test_client_class = FreshRequestClient
    auditor_id, audit_id, key, question_id = build(app)
    seen = []
    with app.app_context():
        client = app.test_client()
        sign_in_as(client, db.session.get(User, auditor_id))

        def page():
            return get(client, "audits.page", audit_id=audit_id, page_key=key)

        version = [db.session.get(CaseAudit, audit_id).version]

        def autosave(n):  # the version comes back in the save status, as the page's script reads it
            data = {"version": version[0], f"q{question_id}-grade": str(2 + n % 2), f"q{question_id}-evidence": f"{n}"}
            response = post(client, "audits.page", audit_id=audit_id, page_key=key, data=data, headers=HTMX)
            version[0] = re.search(r'id="autosave-version" value="(\d+)"', response.get_data(as_text=True)).group(1)
            return response

        def timed(send) -> tuple[float, int, float]:
            db.session.commit()
            db.session.expunge_all()  # a request starts with nothing loaded
            seen.clear()
            start, cpu = time.perf_counter(), time.process_time()
            response = send()
            elapsed, cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
            assert response.status_code == 200, response.status_code
            return elapsed, len(seen), cpu

        event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
        results = {}
        for name, send in (("page", lambda n: page()), ("autosave", autosave)):
            for n in range(5):  # warm up
                timed(lambda n=n, send=send: send(n))
            runs = [timed(lambda n=n, send=send: send(n)) for n in range(repeat)]
            times = sorted(t for t, _, _ in runs)
            results[name] = {
                "statements": max(c for _, c, _ in runs),
                "median": statistics.median(times),
                "p95": times[int(0.95 * (len(times) - 1))],
                "cpu": statistics.median(cpu for _, _, cpu in runs),
            }
        return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a database to empty and fill")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    from audit_app import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=args.database)
    print("| request | SQL statements | median ms | p95 ms | process CPU ms (median) |\n|---|---:|---:|---:|---:|")
    for name, r in measure(app, args.repeat).items():
        print(f"| {name} | {r['statements']} | {r['median']:.1f} | {r['p95']:.1f} | {r['cpu']:.1f} |")


if __name__ == "__main__":
    main()
