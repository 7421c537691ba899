"""Theme suggestions: how long training takes on the generated data, and how long a suggestion takes.

    .venv/bin/python benchmarks/suggestions.py                       # PostgreSQL database "bench_suggestions"
    .venv/bin/python benchmarks/suggestions.py --url postgresql+psycopg://postgres@127.0.0.1:5432/other --audits 20000

The database is emptied, upgraded and filled with `flask generate-data` unless it already holds at least
--audits generated audits (benchmarks/bench.py's prepare). Then, in this process: `train_from_database()`
timed end to end (reading the examples, fitting, the held-out fifth, storing), and the latency of
`suggest_themes([text])` and of the whole `POST /themes/suggest` request (Flask test client, signed in as
the QA lead, CSRF checks off for the client) over realistic evidence sentences, after one warm-up call that
loads the model. Prints Markdown for RESULTS.md.
"""

import itertools
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_suggestions"

# Evidence as auditors write it: the demo's sentences and freer ones (no names, case references only).
TEXTS = [
    "No evidence of the child's voice on the file for several months.",
    "Limited evidence of management oversight; not updated after the strategy meeting.",
    "Father not contacted; no supervision recorded since June.",
    "The plan is not SMART and there is drift: actions overdue since the review.",
    "Mum disclosed domestic abuse; no MARAC referral was made and no safety plan is in place.",
    "Good recorded evidence of purposeful visits; the plan reflects it.",
    "The assessment describes the family but does not analyse the risks or the history.",
    "CMS104233 was seen alone at school and spoke about what life is like at home.",
    "Partner agencies did not attend the core group and health information was not shared.",
    "Early help was offered three months after the contact; the family waited without support.",
    "Strong recorded evidence of timely help; could be shared as practice example.",
    "Supervision is task-focused and does not test the analysis or the plan.",
]


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]


def _time_requests(app, repeat: int) -> tuple[float, float]:
    from sqlalchemy import select

    from audit_app.extensions import db
    from audit_app.models import User

    app.config["WTF_CSRF_ENABLED"] = False  # the client posts no token; the check is not what is timed
    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == "qa@example.org"))
    client = app.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": token, "_fresh": True, "last_seen": time.time()})
    timings = []
    for i, text in zip(range(repeat + 1), itertools.cycle(TEXTS)):
        started = time.perf_counter()
        response = client.post("/themes/suggest", data={"q1-evidence": text}, headers={"HX-Request": "true"})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if i:
            timings.append(elapsed)
    return _percentiles(timings)


def measure(url: str, repeat: int) -> dict:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import func, select

    from audit_app import create_app
    from audit_app.extensions import db
    from audit_app.models import Judgement
    from audit_app.theme_model import suggest_themes
    from audit_app.theme_model.training import train_from_database

    app = create_app("development")
    figures = {}
    with app.app_context():
        figures["judgements"] = db.session.scalar(select(func.count()).select_from(Judgement))
        started = time.perf_counter()
        trained = train_from_database()
        figures["train_seconds"] = time.perf_counter() - started
        figures["fit_seconds"] = trained.seconds
        figures["record"] = (trained.record.version, trained.record.examples, trained.record.held_out)
        figures["evaluation"] = trained.evaluation
        started = time.perf_counter()
        suggest_themes([TEXTS[0]])
        figures["first_ms"] = (time.perf_counter() - started) * 1000
        timings = []
        for text in itertools.islice(itertools.cycle(TEXTS), repeat):
            started = time.perf_counter()
            suggest_themes([text])
            timings.append((time.perf_counter() - started) * 1000)
        figures["function_ms"] = _percentiles(timings)
        db.session.remove()
    figures["request_ms"] = _time_requests(app, repeat)
    return figures


def report(url: str, args, figures: dict) -> None:
    version, examples, held_out = figures["record"]
    evaluation = figures["evaluation"]
    print(f"- Database: {url.rsplit('/', 1)[-1]}, {figures['judgements']:,} judgements; --audits {args.audits}")
    print(
        f"- Training (`train_from_database`, version {version}): {figures['train_seconds']:.1f} s in all: "
        f"{figures['train_seconds'] - figures['fit_seconds']:.1f} s reading the examples, "
        f"{figures['fit_seconds']:.1f} s fitting, measuring and storing; learnt from {examples:,} texts, "
        f"{held_out:,} held out; precision@3 {evaluation.precision_at_3}, recall@3 {evaluation.recall_at_3}"
    )
    print(f"- First suggestion (loads the model from the database): {figures['first_ms']:.1f} ms\n")
    print("| scenario | median ms | p95 ms |")
    print("|---|---:|---:|")
    for name, key in (("`suggest_themes([text])`", "function_ms"), ("`POST /themes/suggest`", "request_ms")):
        median, p95 = figures[key]
        print(f"| {name}, {args.repeat} texts | {median:.1f} | {p95:.1f} |")


def main():
    from benchmarks.bench import machine_line, volume_parser

    parser = volume_parser(__doc__, repeat=200)
    parser.add_argument("--url", default=os.environ.get("BENCH_SUGGESTIONS_URL", DEFAULT_URL))
    args = parser.parse_args()

    print(machine_line())
    print(f"Load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    if not args.skip_generate:
        from benchmarks.bench import prepare

        prepare(args.url, args.audits, args.observations)
    report(args.url, args, measure(args.url, args.repeat))


if __name__ == "__main__":
    main()
