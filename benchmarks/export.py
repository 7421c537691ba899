"""Time the judgements export of a whole period and measure the memory it takes, in process.

    .venv/bin/python benchmarks/export.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench --period 2025

The database must already hold generated data (`flask generate-data`, see bench.py) and the demo QA lead.
Each request goes through the Flask test client (routing, sign-in, permission check, every statement),
signed in as qa@example.org, and the answer is read chunk by chunk as a server would send it, never held
whole. Prints, for each run: rows, seconds, rows a second, statements, chunks, the wait for the first
chunk, and the most memory Python
allocated during the request (tracemalloc, in a separate run, as tracing slows the request down) and the
process's peak resident memory.
"""

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def export(client, token: str, path: str) -> tuple[int, int, int, float]:
    """(rows, bytes, chunks, seconds to the first chunk) of one export, read chunk by chunk."""
    from benchmarks.bench import signed_in

    signed_in(client, token)
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    rows = size = chunks = 0
    last, first = b"", None
    for chunk in response.response:
        first = first or time.perf_counter() - started
        chunk = chunk.encode() if isinstance(chunk, str) else chunk
        # A row starts after a line break, which may end the chunk before.
        rows += (last + chunk).count(b"\nAudit,") + (last + chunk).count(b"\nObservation,")
        last = chunk[-1:]
        size += len(chunk)
        chunks += 1
    response.close()
    return rows, size, chunks, first or 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True)
    parser.add_argument("--period", default="2025", help="a year (2025), a quarter (2025-Q4) or a month")
    parser.add_argument("--source", default="", help="audits or observations (default: both)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import os

    os.environ["DATABASE_URL"] = args.database
    from sqlalchemy import event, select

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import User

    app = create_app("development")
    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == "qa@example.org"))
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
    client = app.test_client()
    path = f"/themes/export/judgements.csv?period={args.period}" + (f"&source={args.source}" if args.source else "")
    export(client, token, path)  # warm up
    timings = []
    for _ in range(args.repeat):
        statements.clear()
        started = time.perf_counter()
        rows, size, chunks, first = export(client, token, path)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        print(
            f"{rows} rows, {size / 1e6:.1f} MB in {chunks} chunks, {elapsed:.2f} s, {rows / elapsed:,.0f} rows/s, "
            f"{len(statements)} statements, first chunk after {first * 1000:.0f} ms",
            flush=True,
        )
    median = statistics.median(timings)
    print(f"median {median:.2f} s: {rows / median:,.0f} rows/s")
    tracemalloc.start()
    export(client, token, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python allocation during one export (tracemalloc): {peak / 1e6:.1f} MB")
    print(f"peak resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
