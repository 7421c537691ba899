"""Every `flask` command of the service: demo data, users, volume data for the benchmark, email and reminders,
and the theme-suggestion model."""

import json
import sys
import time
from datetime import date

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .dates import long_date
from .extensions import db
from .models import User
from .permissions import Role


def register_cli(app: Flask) -> None:
    """Every `flask` command of the service, in one place."""
    for command in (
        seed_demo_command,
        create_user_command,
        disable_inactive_command,
        generate_data_command,
        rebuild_rollups_command,
        send_notifications_command,
        send_reminders_command,
        run_schedules_command,
        train_themes_command,
        suggest_themes_command,
    ):
        app.cli.add_command(command)


def _refuse_in_production(what: str) -> None:
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise click.ClickException(f"{what} is refused in production.")


@click.command("seed-demo")
@click.option("--password", default="demo-password-2021", show_default=True, help="Password for every demo user.")
@click.option("--if-empty", is_flag=True, help="Only load demo data into a database with no users.")
@with_appcontext
def seed_demo_command(password, if_empty):
    """Load realistic demo data. Running it again changes nothing."""
    _refuse_in_production("Demo data")
    from .demo import DEMO_TOTP_SECRET, DEMO_USERS, seed_demo

    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has users: demo data not loaded.")
        click.echo(f"Demo sign-ins, if this database was seeded: {', '.join(e for e, _, _ in DEMO_USERS)}")
        return
    seed_demo(password)
    _rebuild_rollups()
    click.echo("Demo data is loaded. Sign in with:")
    for email, _, roles in DEMO_USERS:
        click.echo(f"  {email:<22} ({', '.join(r.label for r in roles)})")
    click.echo(f"  password: {password}")
    click.echo(f"  admin's second factor: add the key {DEMO_TOTP_SECRET} to an authenticator app")


@click.command("disable-inactive")
@click.option("--days", default=None, type=click.IntRange(min=1), help="Days without a sign-in (INACTIVE_DAYS).")
@with_appcontext
def disable_inactive_command(days):
    """Joiners, movers and leavers: disable accounts not used for N days (by last sign-in, or creation if
    never). Run it daily."""
    from .admin.accounts import disable_inactive

    days = days or current_app.config["INACTIVE_DAYS"]
    disabled = disable_inactive(days)
    for user in disabled:
        click.echo(f"Disabled {user.email}")
    click.echo(f"{len(disabled)} account{'' if len(disabled) == 1 else 's'} not used for {days} days disabled.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default=None, help="Display name (defaults to the email address).")
@click.password_option(help="The user's password (prompted for if not given).")
@with_appcontext
def create_user_command(email, roles, name, password):
    """Create a user with one or more roles."""
    from .admin.services import save_user

    if len(password) < 12:
        raise click.ClickException("The password must be at least 12 characters.")
    email = email.strip().lower()
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"A user with email {email} already exists.")
    save_user(
        User(),
        email=email,
        display_name=name or email,
        roles=[Role(r) for r in roles],
        is_enabled=True,
        password=password,
    )
    click.echo(f"Created {email} with roles: {', '.join(roles)}")


@click.command("generate-data")
@click.option("--audits", default=1000, show_default=True, help="Submitted audits to add.")
@click.option("--observations", default=200, show_default=True, help="Submitted observations to add.")
@click.option("--seed", default=2021, show_default=True, help="Random seed (the same seed gives the same data).")
@with_appcontext
def generate_data_command(audits, observations, seed):
    """Add volume data (audits, judgements, moderation, observations) for the benchmark."""
    _refuse_in_production("Generated data")
    from .benchmark_data import generate

    counts = generate(audits, observations, seed, echo=click.echo)
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))  # generate() rebuilt the rollups too


def _rebuild_rollups() -> None:
    from .reporting.rollups import rebuild

    started = time.perf_counter()
    rows = rebuild()
    click.echo(
        f"Rollups rebuilt in {time.perf_counter() - started:.1f}s: " + ", ".join(f"{k}: {v}" for k, v in rows.items())
    )


@click.command("rebuild-rollups")
@with_appcontext
def rebuild_rollups_command():
    """Count the theme summary's monthly rollups again from the raw rows (after a bulk load or an upgrade)."""
    _rebuild_rollups()


@click.command("send-notifications")
@click.option("--loop", is_flag=True, help="Keep going: a pass, then a pause, until stopped.")
@click.option("--interval", default=60, show_default=True, help="Seconds between passes with --loop.")
@click.option("--batch", default=None, type=click.IntRange(1, 10_000), help="At most this many a pass.")
@with_appcontext
def send_notifications_command(loop, interval, batch):
    """Email the queued notifications through EMAIL_SENDER: one pass, or --loop."""
    from .notifications.sending import send_queued

    limit = batch or current_app.config["EMAIL_BATCH_SIZE"]
    while True:
        try:
            result = send_queued(current_app.config, limit)
        except SQLAlchemyError as error:  # the database restarting: the loop waits and tries again
            db.session.rollback()
            if not loop:
                raise click.ClickException(f"The database could not be reached: {error}") from error
            click.echo(f"The database could not be reached; trying again in {interval} seconds.", err=True)
        else:
            if result.handled or result.unavailable:
                click.echo(str(result), err=bool(result.unavailable))
            if not loop:
                if result.unavailable:  # non-zero, so cron or systemd reports it
                    raise SystemExit(1)
                return
            if result.handled >= limit and not result.unavailable:
                continue  # a full batch: more may be waiting
        time.sleep(interval)


@click.command("send-reminders")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if today were this day.")
@with_appcontext
def send_reminders_command(on):
    """Queue today's reminders (audits due and overdue, plan RAG updates, and every feature's own).
    Run daily; running it again the same day adds nothing."""
    from .notifications.reminders import send_reminders

    today = on.date() if on else date.today()
    added = send_reminders(today)
    click.echo(f"Reminders for {long_date(today)}: {added} queued.")


@click.command("run-schedules")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as if today were this day.")
@with_appcontext
def run_schedules_command(on):
    """Make next month's programme of each recurring one, with its sample drawn and assigned. Run daily;
    running it again changes nothing."""
    from .programmes.schedules import run_schedules

    today = on.date() if on else date.today()
    made = run_schedules(today)
    for programme in made:
        click.echo(f"Created {programme.name}: {len(programme.audits)} audits")
    click.echo(f"Schedules for {long_date(today)}: {len(made)} programme{'' if len(made) == 1 else 's'} created.")


def _percent(value: float | None) -> str:
    return "not measured (nothing held out or nothing to find)" if value is None else f"{value:.1%}"


@click.command("train-themes")
@click.option("--evaluate", is_flag=True, help="Print precision@3 and recall@3 on the held-out fifth.")
@click.option(
    "--from-csv",
    "csv_file",
    type=click.File("r", encoding="utf-8-sig"),
    help="Learn from a CSV with columns text,themes (names separated by ';') instead of the database.",
)
@with_appcontext
def train_themes_command(evaluate, csv_file):
    """Train the theme-suggestion model on four fifths of the tagged evidence, measure it on the fifth
    held out, and store it as the current version. Run nightly."""
    from .theme_model.training import train_from_csv, train_from_database

    if csv_file is not None:
        try:
            trained, unknown = train_from_csv(csv_file, getattr(csv_file, "name", "CSV"))
        except (ValueError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{getattr(csv_file, 'name', 'The CSV')}: {error}") from error
        for name, count in sorted(unknown.items()):
            click.echo(f"Unknown theme (not in the taxonomy, ignored): {name} ({count} rows)", err=True)
    else:
        trained = train_from_database()
    record, figures = trained.record, trained.evaluation
    click.echo(
        f"Stored theme model version {record.version}: {record.themes} themes, learnt from {record.examples} "
        f"texts and the themes' own words in {trained.seconds:.1f} s; {record.held_out} held out."
    )
    if evaluate:
        click.echo(f"precision@3: {_percent(figures.precision_at_3)} ({figures.hits} of {figures.suggested} suggested)")
        click.echo(f"recall@3: {_percent(figures.recall_at_3)} ({figures.hits} of {figures.tags} tags)")


@click.command("suggest-themes")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 10), help="Themes per text at most.")
@with_appcontext
def suggest_themes_command(top):
    """Read one text per line on standard input; write one JSON object per line with its suggested themes."""
    from .theme_model import current_model, suggest_themes

    if current_model() is None:
        raise click.ClickException("No theme model has been trained yet: run flask train-themes first.")
    batch: list[str] = []

    def write(texts):
        for text, suggestions in zip(texts, suggest_themes(texts, top=top)):
            themes = [{"name": s.name, "score": s.score, "because": s.because} for s in suggestions]
            click.echo(json.dumps({"text": text, "themes": themes}, ensure_ascii=False))

    for line in sys.stdin:
        batch.append(line.rstrip("\r\n"))
        if len(batch) == 500:
            write(batch)
            batch = []
    write(batch)
