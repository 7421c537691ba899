"""The drill-down behind a figure: the audits and observations it counts, and the exports of every judgement."""

from dataclasses import dataclass

from sqlalchemy import ARRAY, Integer, String, and_, any_, bindparam, cast, func, literal, select

from ...extensions import db
from ...models import Case, CaseAudit, Judgement, LensJudgement, Observation, Question, Team, Theme, User
from ...models.audits import judgement_theme
from ...models.practice_week import observation_theme
from ...parsing import parse_id
from ..filters import Filters, Period, parse_month
from ..read_ahead import read_ahead
from .counted import audit_conditions, grade_expression, judgements_query, observation_conditions
from .rolled import judgement_counts, served_by_rollups, theme_counts

SUPERVISION_LABEL = "Supervision audit"  # in place of a case reference, in drill-downs and exports


@dataclass(frozen=True)
class Selection:
    """Which figure a drill-down explains: a domain or lens, a grade, a theme, a month."""

    domain: str | None = None
    lens: str | None = None
    grade: str | None = None  # "1".."4", "na", or "good" (1 or 2), "weak" (3 or 4)
    theme: int | None = None
    month: str | None = None  # YYYY-MM, for the trend
    previous: bool = False
    good_practice: bool = False  # only what auditors and observers flagged as good practice to share

    @classmethod
    def from_args(cls, args) -> "Selection":
        grade = args.get("grade") if args.get("grade") in ("1", "2", "3", "4", "na", "good", "weak") else None
        month = parse_month(args.get("month"))
        return cls(
            domain=(args.get("domain") or "").strip() or None,
            lens=(args.get("lens") or "").strip() or None,
            grade=grade,
            theme=parse_id(args.get("theme")),
            month=month.key if month else None,
            previous=args.get("previous") == "1",
            good_practice=args.get("good_practice") == "1",
        )

    def as_args(self) -> dict:
        values = {
            "domain": self.domain,
            "lens": self.lens,
            "grade": self.grade,
            "theme": self.theme,
            "month": self.month,
        }
        if self.previous:
            values["previous"] = "1"
        if self.good_practice:
            values["good_practice"] = "1"
        return {k: v for k, v in values.items() if v is not None}


def _grade_condition(grade_column, grade: str | None):
    if grade is None:
        return None
    if grade == "na":
        return grade_column.is_(None)
    if grade == "good":
        return grade_column <= 2
    if grade == "weak":
        return grade_column >= 3
    return grade_column == int(grade)


def _selection_period(filters: Filters, selection: Selection) -> Period:
    if month := parse_month(selection.month):
        return month
    period = filters.period_obj
    return period.previous() if selection.previous else period


def evidence_audits(filters: Filters, selection: Selection, limit: int = 50, offset: int = 0):
    """The judgements behind a figure, newest first, with the total count."""
    if not filters.include_audits or selection.lens:
        return [], 0
    period = _selection_period(filters, selection)
    grade = grade_expression(filters)
    conditions = []
    if selection.domain:
        conditions.append(Judgement.domain_key == selection.domain)
    if (condition := _grade_condition(grade, selection.grade)) is not None:
        conditions.append(condition)
    if selection.good_practice:
        conditions.append(Judgement.good_practice.is_(True))
    if selection.theme:
        # EXISTS, not IN: SQLite would otherwise probe every tagged judgement for every audit.
        conditions.append(
            select(judgement_theme.c.judgement_id)
            .where(judgement_theme.c.judgement_id == Judgement.id, judgement_theme.c.theme_id == selection.theme)
            .exists()
        )
    total = _rolled_total(filters, selection, period)
    if total is None:
        base = judgements_query(filters, period, Judgement.id, joined=True).where(*conditions)
        total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    query = _judgement_rows(filters, period).where(*conditions)
    # A window of the newest audits is for a grade, which PostgreSQL misjudges (see _newest_first); anything else
    # it walks back from the newest audit itself, in one query (a theme in a locality at a million audits: one walk
    # of 7,500 audits, not four windows). So does a page that needs (nearly) every row the figure counts.
    whole_period = selection.grade is None or (total or 0) <= 2 * (offset + limit)
    rows = _newest_first(query, filters, period, limit, offset, whole_period=whole_period)
    return _with_themes(rows, judgement_theme.c.judgement_id), total or 0


def _newest_first(query, filters: Filters, period: Period, limit: int, offset: int, whole_period=False) -> list:
    """A page of the judgements `query` selects, newest audit first, read from the newest audits only. PostgreSQL
    cannot tell how many judgements a grade (the moderator's or else the auditor's) leaves, guesses a handful,
    and so reads and sorts every judgement of the period (seconds at a million audits). Given a window of
    the newest audits it walks the submitted_at index back from the end instead. The window grows until it
    holds the page or is the whole period; whole moments only (> cutoff), so it is exactly the page."""
    newest = 4 * (offset + limit)
    page = query.order_by(CaseAudit.submitted_at.desc(), Judgement.id).limit(limit).offset(offset)
    while True:
        cutoff = None if whole_period else _submitted_before_newest(filters, period, newest)
        if cutoff is None:
            return _walked_in_one_process(page)
        rows = db.session.execute(page.where(CaseAudit.submitted_at > cutoff)).all()
        if len(rows) == limit:
            return rows
        newest *= 4


def _walked_in_one_process(query) -> list:
    """The rows of a page walked back from the newest audit, read on PostgreSQL without parallel workers: they
    walk ahead of the rows the page takes from them (19,500 audits for the 7,500 a filtered theme's first page
    needs at a million), each a process started, on CPUs every request shares. A window's read is bounded and
    keeps them (no faster without). The setting is for this query only; an error rolls it back with the transaction."""
    connection = db.session.connection(bind_arguments={"clause": query})
    if connection.dialect.name != "postgresql":
        return db.session.execute(query).all()
    connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    rows = db.session.execute(query).all()
    connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")
    return rows


def _submitted_before_newest(filters: Filters, period: Period, newest: int):
    """When the audit after the `newest` newest the filters select was submitted; None if there are no more."""
    return db.session.scalar(
        select(CaseAudit.submitted_at)
        .outerjoin(Case, Case.id == CaseAudit.case_id)
        .where(*audit_conditions(filters, period, case_joined=True))
        .order_by(CaseAudit.submitted_at.desc())
        .offset(newest)
        .limit(1)
    )


def _rolled_total(filters: Filters, selection: Selection, period: Period) -> int | None:
    """How many judgements a drill-down lists, from the monthly rollups where they hold that figure (the one
    the summary showed); None where they do not. Counting the raw rows of a quarter at a million audits
    takes seconds; the rollups, which say what the raw rows say (tests/integration/test_rollups.py), a few ms."""
    if not served_by_rollups(filters) or selection.good_practice:
        return None
    if selection.theme:
        if selection.domain or selection.grade:
            return None  # the theme rollup holds neither
        return sum(n for theme_id, n in theme_counts(filters, period) if theme_id == selection.theme)
    chosen = selection.grade
    wanted = _GRADES_CHOSEN[chosen] if chosen in _GRADES_CHOSEN else (int(chosen),)
    return sum(
        n
        for domain_key, grade, n in judgement_counts(filters, period, "domain_key")
        if selection.domain in (None, domain_key) and (chosen is None or grade in wanted)
    )


# The grades a drill-down's grade choice takes (None: not applicable), as _grade_condition says in SQL.
_GRADES_CHOSEN = {None: (), "na": (None,), "good": (1, 2), "weak": (3, 4)}


def _judgement_rows(filters: Filters, period: Period | None):
    """A judgement as a person reads it: case, date, domain and question, who audited, the case's team."""
    return (
        judgements_query(
            filters,
            period,
            Judgement.id,
            Judgement.audit_id,
            Judgement.domain_key,
            grade_expression(filters).label("grade"),
            Judgement.grade.label("original_grade"),
            Judgement.evidence,
            CaseAudit.submitted_at,
            CaseAudit.status,
            # A supervision audit has no case or team: labelled as such, never dropped.
            func.coalesce(Case.case_reference, literal(SUPERVISION_LABEL)).label("case_reference"),
            CaseAudit.case_id.is_(None).label("is_supervision"),
            Question.text.label("question"),
            User.display_name.label("auditor"),
            func.coalesce(Team.name, literal("")).label("team"),
            joined=True,
        )
        .join(User, User.id == CaseAudit.auditor_id)
        .outerjoin(Team, Team.id == Case.team_id)
    )


@dataclass(frozen=True)
class WithThemes:
    """A result row and the names of the themes on its record, "; "-separated."""

    row: object
    themes: str

    def __getattr__(self, name):
        return getattr(self.row, name)


def _with_themes(rows, record_column) -> list[WithThemes]:
    """The rows, each with its record's themes ("; "-separated, by name): one query for the lot, the rows' first
    column being the record's id."""
    connection = db.session.connection(bind_arguments={"clause": select(record_column)})
    names: dict[int, list[str]] = {}
    if ids := [row[0] for row in rows]:
        link = record_column.table
        query = select(record_column, Theme.name).join(Theme, Theme.id == link.c.theme_id).order_by(Theme.name)
        for record_id, name in connection.execute(query.where(_among(record_column, ids, connection.dialect.name))):
            names.setdefault(record_id, []).append(name)
    return [WithThemes(row, "; ".join(names.get(row[0], []))) for row in rows]


def _among(column, ids: list[int], dialect: str):
    """column IN ids. On PostgreSQL one array parameter: a thousand bound parameters cost more to send than the
    query to run, and writing them into the SQL cost more than the query (7 us an id). The dialect
    is that of the database the query goes to (the replica's, for a read-only request)."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    return column.in_(bindparam("ids", ids, expanding=True, literal_execute=True))


def evidence_observations(filters: Filters, selection: Selection, limit: int = 50, offset: int = 0):
    """The observations behind a figure (one row per lens judgement, or per tagged observation)."""
    if (
        not filters.include_observations
        or (selection.domain and not selection.lens and not selection.theme)
        or selection.month
    ):
        return [], 0
    period = _selection_period(filters, selection)
    conditions = observation_conditions(filters, period)
    if selection.good_practice:
        conditions.append(Observation.good_practice.is_(True))
    if selection.theme:
        conditions.append(
            select(observation_theme.c.observation_id)
            .where(
                observation_theme.c.observation_id == Observation.id, observation_theme.c.theme_id == selection.theme
            )
            .exists()
        )
    if selection.lens:
        lens_conditions = [LensJudgement.observation_id == Observation.id, LensJudgement.lens == selection.lens]
        if (condition := _grade_condition(LensJudgement.grade, selection.grade)) is not None:
            lens_conditions.append(condition)
        columns = (LensJudgement.lens, LensJudgement.grade, LensJudgement.note.label("note"))
        query = select(Observation.id).join(LensJudgement, and_(*lens_conditions))
    else:
        columns = (
            literal(None).label("lens"),
            literal(None).label("grade"),
            # Good practice is said under "working well"; anything else under "needs to improve".
            (Observation.working_well if selection.good_practice else Observation.needs_to_improve).label("note"),
        )
        query = select(Observation.id)
    query = query.where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        _observation_rows(query, *columns)
        .order_by(Observation.observed_on.desc(), Observation.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return _with_themes(rows, observation_theme.c.observation_id), total or 0


def _observation_rows(query, *columns):
    """An observation as a person reads it: date, activity, team, who observed, the case if any."""
    return (
        query.add_columns(
            Observation.observed_on,
            Observation.activity_type,
            Team.name.label("team"),
            Case.case_reference,
            User.display_name.label("observer"),
            *columns,
        )
        .join(User, User.id == Observation.observer_id)
        .outerjoin(Team, Team.id == Observation.team_id)
        .outerjoin(Case, Case.id == Observation.case_id)
    )


# Rows an export reads from its cursor at a time: each batch is one fetch of the cursor's rows.
EXPORT_BATCH = 5000


def judgement_batches(filters: Filters):
    """Every audit judgement the filters select, for the export, by date submitted then id: batches of plain
    rows (the columns of _judgement_rows, in order, then the ids of the judgement's themes), each with a
    ThemeNames that names them."""
    if not filters.include_audits:
        return
    query = _judgement_rows(filters, filters.period_obj).order_by(CaseAudit.submitted_at, Judgement.id)
    yield from _batches(query, judgement_theme.c.judgement_id, Judgement.id)


def lens_judgement_batches(filters: Filters):
    """Every lens judgement of the observations the filters select, in batches (the columns of _observation_rows,
    then lens, grade, note, the lens judgement's id and the ids of the observation's themes), as above."""
    if not filters.include_observations:
        return
    query = (
        _observation_rows(
            select(Observation.id).join(LensJudgement, LensJudgement.observation_id == Observation.id),
            LensJudgement.lens,
            LensJudgement.grade,
            LensJudgement.note.label("note"),
            LensJudgement.id.label("lens_judgement_id"),
        )
        .where(*observation_conditions(filters, filters.period_obj))
        .order_by(Observation.observed_on, Observation.id, LensJudgement.id)
    )
    yield from _batches(query, observation_theme.c.observation_id, Observation.id)


def _batches(query, link_column, record_id):
    """The rows of `query`, each with its record's theme ids as a last column, read through one cursor
    EXPORT_BATCH at a time. One statement, planned once (on PostgreSQL a server-side cursor, so memory stays flat
    whatever the period holds), run as plain Core: the ORM's handling of each row cost more than the database's.
    Read ahead in a thread, on a connection of its own held to the last batch (a streamed response outlives the
    request's session): the database reads the next batch while this one is written."""
    return read_ahead(_read(db.session.get_bind(clause=query), query, link_column, record_id))


def _read(engine, query, link_column, record_id):
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # A cursor's plan is costed for every row, enough for PostgreSQL to compile it first (JIT): a second
            # before the first row at a million audits, for no faster walk of the indexes.
            connection.exec_driver_sql("SET LOCAL jit = off")
        names = ThemeNames(connection.execute(select(Theme.id, Theme.name).order_by(Theme.name)).all())
        # The theme ids as one more column: an index-only probe a row. A query a batch for the names of the
        # batch's themes (5,000 ids) took as long as the batch's rows, and a join to the names in the column
        # sorted them again on every row (a second more of the database's time for a million-audit quarter).
        ids = select(func.aggregate_strings(cast(link_column.table.c.theme_id, String), ","))
        query = query.add_columns(ids.where(link_column == record_id).scalar_subquery())
        result = connection.execute(query, execution_options={"yield_per": EXPORT_BATCH})
        for rows in result.partitions():
            yield rows, names


class ThemeNames(dict):
    """The names of the themes whose ids a row lists ("3,7"), "; "-separated in the database's order by name,
    the order a query sorting them would give; "" for none. Each distinct list worked out once, and bounded."""

    def __init__(self, themes):
        super().__init__()
        self.names = {theme_id: name for theme_id, name in themes}
        self.rank = {theme_id: n for n, theme_id in enumerate(self.names)}

    def __missing__(self, ids: str | None) -> str:
        if len(self) >= 1024:
            self.clear()
        found = sorted((int(i) for i in ids.split(",")), key=self.rank.__getitem__) if ids else []
        self[ids] = named = "; ".join(self.names[i] for i in found)
        return named


def judgements_after(filters: Filters, after_id: int, limit: int, *conditions) -> list[WithThemes]:
    """Up to `limit` audit judgements the filters select with an id above `after_id`, by id (the API's
    pages: a cursor that never skips or repeats a row while new ones are added), with their themes."""
    query = _judgement_rows(filters, filters.period_obj).where(Judgement.id > after_id, *conditions)
    rows = db.session.execute(query.order_by(Judgement.id).limit(limit)).all()
    return _with_themes(rows, judgement_theme.c.judgement_id)


def lens_judgements_after(filters: Filters, after_id: int, limit: int, *conditions) -> list[WithThemes]:
    """The same for the lens judgements of the observations the filters select, by lens judgement id."""
    query = _observation_rows(
        select(Observation.id).join(LensJudgement, LensJudgement.observation_id == Observation.id),
        LensJudgement.id.label("lens_judgement_id"),
        LensJudgement.lens,
        LensJudgement.grade,
    ).where(*observation_conditions(filters, filters.period_obj), LensJudgement.id > after_id, *conditions)
    rows = db.session.execute(query.order_by(LensJudgement.id).limit(limit)).all()
    return _with_themes(rows, observation_theme.c.observation_id)
