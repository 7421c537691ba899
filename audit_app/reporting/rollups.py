"""The monthly rollups (judgement_rollup, theme_rollup, audit_rollup, family_answer_rollup,
family_quote_rollup and the observations' lens_rollup in models/reporting.py), counted from the raw rows.

Counts are never adjusted by one: refresh(keys) deletes the rows of some keys (a month and the audit's
dimensions, ROLLUP_KEY) and inserts them again with INSERT ... SELECT ... GROUP BY over every counted audit
with that key, so the rollups say what the raw queries (reporting/queries/counted.py) would say. rebuild()
does the same for every key. rollup_events.py calls refresh from the flush of every change that moves a
count, in the change's own transaction. Each rollup's twins (TWIN_SUMS: by month, locality and case type,
then by month alone) are then summed again, finest first, each from the table before it, for the refreshed
keys' part of the twin's key. On PostgreSQL a refresh first waits for any open transaction that refreshed the same
months (_lock_months): two changes of one month share its twin rows, two observations of one team and month
their lens rows. A theme merge and the audits' refreshes wait for each other whatever their months (_lock_merges).
"""

from itertools import pairwise

from sqlalchemy import (
    case,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    true,
    tuple_,
    union_all,
)

from ..extensions import db
from ..family_voice.figures import CONTACTED_METHODS
from ..models import (
    AuditProgramme,
    AuditStatus,
    Case,
    CaseAudit,
    FamilyQuote,
    FamilyVoice,
    Judgement,
    LensJudgement,
    Observation,
    ObservationStatus,
    ProgrammeKind,
    Team,
)
from ..models.audits import judgement_theme
from ..models.family_voice import SCALED_QUESTIONS, family_quote_theme
from ..models.reporting import (
    OBSERVATION_KEY,
    ROLLUP_KEY,
    TWINS,
    audit_rollup,
    family_answer_rollup,
    family_quote_rollup,
    judgement_rollup,
    lens_rollup,
    theme_rollup,
)
from .filters import Filters, parse_month
from .queries.counted import COUNTED_AUDIT_STATUSES, ModeratorsGrade, judgements_query, month_of, with_untagged


def _dimensions() -> list:
    """The key of a counted audit, in ROLLUP_KEY's order. A re-audit counts as kind re-audit whatever its
    programme (as kind_condition says); an audit in no programme has kind ""."""
    kind = case(
        (CaseAudit.reaudit_of_id.is_not(None), literal(ProgrammeKind.REAUDIT.value)),
        else_=func.coalesce(AuditProgramme.kind, literal("")),
    )
    return [
        month_of(CaseAudit.submitted_at),
        CaseAudit.tool_version_id,
        Case.locality_id,
        Case.team_id,
        Team.service_id,
        Case.case_type,
        kind,
    ]


def _labelled(columns, names) -> list:
    # Labels unlike any column name: PostgreSQL reads a GROUP BY name as an input column first.
    return [column.label(f"rollup_{name}") for column, name in zip(columns, names, strict=True)]


def _with_dimensions(query):
    return (
        query.join(Case, Case.id == CaseAudit.case_id)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(AuditProgramme, AuditProgramme.id == CaseAudit.programme_id)
    )


def _judgement_counts(*where):
    """Judgements of counted audits by key, domain, auditor's grade and moderated grade (0 for none), and
    how many of them carry no theme."""
    columns = _labelled(
        [
            *_dimensions(),
            Judgement.domain_key,
            func.coalesce(Judgement.grade, 0),
            func.coalesce(ModeratorsGrade.grade, Judgement.grade, 0),
        ],
        [*ROLLUP_KEY, "domain_key", "original_grade", "moderated_grade"],
    )
    untagged = ~select(judgement_theme.c.judgement_id).where(judgement_theme.c.judgement_id == Judgement.id).exists()
    query = judgements_query(
        Filters(), None, *columns, func.count(), func.sum(case((untagged, 1), else_=0)), moderation=True
    )
    # In key order: a month's rows then sit together on disk, and a period reads few pages.
    return _with_dimensions(query).where(*where).group_by(*columns).order_by(*columns)


def _theme_counts(*where):
    """Theme tags on the judgements of counted audits by key and theme, and the audits they are on."""
    columns = _labelled([*_dimensions(), judgement_theme.c.theme_id], [*ROLLUP_KEY, "theme_id"])
    query = judgements_query(
        Filters(), None, *columns, func.count(), func.count(distinct(Judgement.audit_id)), moderation=False
    ).join(judgement_theme, judgement_theme.c.judgement_id == Judgement.id)
    return _with_dimensions(query).where(*where).group_by(*columns).order_by(*columns)


def _counted_audits(*columns):
    """SELECT columns FROM the counted case audits, their dimensions joined (as judgements_query counts them)."""
    query = _with_dimensions(select(*columns).select_from(CaseAudit))
    return query.where(CaseAudit.status.in_(COUNTED_AUDIT_STATUSES), CaseAudit.submitted_at.is_not(None))


def _audit_counts(*where):
    """Counted audits by key: how many, how many moderated, and their family voice records."""
    columns = _labelled(_dimensions(), ROLLUP_KEY)
    contacted = FamilyVoice.contact_method.in_(CONTACTED_METHODS)
    query = _counted_audits(
        *columns,
        func.count(),
        func.sum(case((CaseAudit.status == AuditStatus.MODERATED.value, 1), else_=0)),
        func.count(FamilyVoice.id),
        func.sum(case((contacted, 1), else_=0)),
        func.sum(case((contacted & FamilyVoice.consent_recorded.is_(True), 1), else_=0)),
    ).outerjoin(FamilyVoice, FamilyVoice.audit_id == CaseAudit.id)
    return query.where(*where).group_by(*columns).order_by(*columns)


def _family_answer_counts(*where):
    """Families' answers to each scaled question by key and score (a question left blank is not counted)."""
    parts = []
    for question in SCALED_QUESTIONS:  # keys written into the SQL: fixed names, and no parameter to group by
        score, columns = getattr(FamilyVoice, question), _labelled(_dimensions(), ROLLUP_KEY)
        query = _counted_audits(*columns, literal_column(f"'{question}'"), score, func.count())
        query = query.join(FamilyVoice, FamilyVoice.audit_id == CaseAudit.id).where(score.is_not(None), *where)
        parts.append(query.group_by(*columns, score))
    return union_all(*parts)


def _family_quote_counts(*where):
    """Families' quotes tagged with each theme, by key and theme."""
    columns = _labelled([*_dimensions(), family_quote_theme.c.theme_id], [*ROLLUP_KEY, "theme_id"])
    query = (
        _counted_audits(*columns, func.count())
        .join(FamilyVoice, FamilyVoice.audit_id == CaseAudit.id)
        .join(FamilyQuote, FamilyQuote.voice_id == FamilyVoice.id)
        .join(family_quote_theme, family_quote_theme.c.family_quote_id == FamilyQuote.id)
    )
    return query.where(*where).group_by(*columns).order_by(*columns)


def _observation_dimensions() -> list:
    """The key of a submitted observation, in OBSERVATION_KEY's order (0 or "" for no team, service or case)."""
    return [
        month_of(Observation.observed_on),
        func.coalesce(Observation.team_id, 0),
        func.coalesce(Observation.service_id, 0),
        func.coalesce(Case.case_type, literal("")),
    ]


def _submitted_observations(*columns):
    """SELECT columns FROM the submitted observations, each outer-joined to its case (observation_conditions)."""
    query = select(*columns).select_from(Observation).outerjoin(Case, Case.id == Observation.case_id)
    return query.where(Observation.status == ObservationStatus.SUBMITTED.value)


def _lens_counts(*where):
    """Lens judgements of submitted observations by key, lens and grade (0 for none), and whether their
    observation carries no theme."""
    observations = with_untagged(
        _submitted_observations(Observation.id, *_labelled(_observation_dimensions(), OBSERVATION_KEY)).where(*where)
    )
    key = [observations.c[f"rollup_{name}"] for name in OBSERVATION_KEY]
    columns = _labelled(
        [*key, LensJudgement.lens, func.coalesce(LensJudgement.grade, 0), observations.c.untagged],
        [*OBSERVATION_KEY, "lens", "grade", "untagged"],
    )
    query = select(*columns, func.count()).join(LensJudgement, LensJudgement.observation_id == observations.c.id)
    return query.group_by(*columns).order_by(*columns)


# Each rollup: its table, the query counting it, and the columns that query fills, in order.
TABLES = (
    (
        judgement_rollup,
        _judgement_counts,
        [*ROLLUP_KEY, "domain_key", "original_grade", "moderated_grade", "judgements", "untagged"],
    ),
    (theme_rollup, _theme_counts, [*ROLLUP_KEY, "theme_id", "judgements", "audits"]),
    (
        audit_rollup,
        _audit_counts,
        [*ROLLUP_KEY, "audits", "moderated_audits", "family_recorded", "family_contacted", "family_consent"],
    ),
    (family_answer_rollup, _family_answer_counts, [*ROLLUP_KEY, "question", "score", "answers"]),
    (family_quote_rollup, _family_quote_counts, [*ROLLUP_KEY, "theme_id", "quotes"]),
)
# The rollups counting theme tags, with their link table's theme column (refresh_themes).
THEMED = ((theme_rollup, judgement_theme.c.theme_id), (family_quote_rollup, family_quote_theme.c.theme_id))
# Each twin, finest first, with the table it is summed from (its rollup, or the finer twin before it: fewer
# rows to sum) and the columns it sums (the rest are its key).
TWIN_SUMS = tuple(
    (twin, source, sums)
    for rollup, sums in ((judgement_rollup, ("judgements", "untagged")), (theme_rollup, ("judgements", "audits")))
    for source, twin in pairwise((rollup, *TWINS[rollup]))
)
# The observations' rollup, keyed by OBSERVATION_KEY rather than ROLLUP_KEY.
LENS_TABLE = (lens_rollup, _lens_counts, [*OBSERVATION_KEY, "lens", "grade", "untagged", "judgements"])
# Every rollup table, the twins last (rebuild, and the tests comparing rows).
ALL_TABLES = [table for table, _, _ in (*TABLES, LENS_TABLE)] + [twin for twin, _, _ in TWIN_SUMS]


def keys_of(audit_ids, connection=None) -> set[tuple]:
    """The rollup keys the given audits count under now (none for an audit not counted)."""
    if not audit_ids:
        return set()
    query = _with_dimensions(select(*_dimensions()).select_from(CaseAudit)).where(
        CaseAudit.id.in_(sorted(audit_ids)),
        CaseAudit.status.in_(COUNTED_AUDIT_STATUSES),
        CaseAudit.submitted_at.is_not(None),
    )
    return {tuple(row) for row in (connection or db.session).execute(query.distinct())}


def observation_keys_of(observation_ids, connection=None) -> set[tuple]:
    """The lens rollup keys the given observations count under now (none for an observation not submitted)."""
    if not observation_ids:
        return set()
    query = _submitted_observations(*_observation_dimensions()).where(Observation.id.in_(sorted(observation_ids)))
    return {tuple(row) for row in (connection or db.session).execute(query.distinct())}


def _months_of(keys) -> list:
    return [month for month in (parse_month(key[0]) for key in keys) if month is not None]


def _key_conditions(keys) -> list:
    """Counted audits with one of the keys; the submitted_at range lets the database use its index."""
    months = _months_of(keys)
    if not months:
        return [literal(False)]
    return [
        CaseAudit.submitted_at >= min(month.start_datetime() for month in months),
        CaseAudit.submitted_at < max(month.end_datetime() for month in months),
        tuple_(*_dimensions()).in_(sorted(keys)),
    ]


def _observation_key_conditions(keys) -> list:
    """Submitted observations with one of the keys, within the keys' months."""
    months = _months_of(keys)
    if not months:
        return [literal(False)]
    return [
        Observation.observed_on >= min(month.start for month in months),
        Observation.observed_on < max(month.end for month in months),
        tuple_(*_observation_dimensions()).in_(sorted(keys)),
    ]


def _count_again(run, rollup, keys, key_conditions) -> None:
    """Delete the rows of these keys from one rollup (table, counting query, columns) and count them again."""
    table, counts, names = rollup
    key = OBSERVATION_KEY if table is lens_rollup else ROLLUP_KEY
    run(delete(table).where(tuple_(*(table.c[name] for name in key)).in_(keys)))
    run(insert(table).from_select(names, counts(*key_conditions(keys))))


def _sum_twins(run, rows_of=lambda table, key: true(), twins=TWIN_SUMS) -> None:
    """Sum again each twin's rows that `rows_of(table, key)` picks, `key` being the twin's part of ROLLUP_KEY
    (columns of both the twin and the table it is summed from, as theme_id is): delete them, insert them
    summed from that table. Finest first, so a coarser twin sums rows already summed again."""
    for twin, source, sums in twins:
        key = [name for name in ROLLUP_KEY if name in twin.c]
        grouped = [source.c[column.name] for column in twin.c if column.name != "id" and column.name not in sums]
        summed = select(*grouped, *(func.sum(source.c[name]) for name in sums)).where(rows_of(source, key))
        run(delete(twin).where(rows_of(twin, key)))
        run(insert(twin).from_select([column.name for column in grouped] + list(sums), summed.group_by(*grouped)))


# pg_advisory_xact_lock's first key for a month of the audits' rollups, and of the observations' lens rollup
# (the second is the month as YYYYMM); and the key a theme merge holds alone and every refresh of audits shares.
_MONTH_LOCK = 18
_LENS_MONTH_LOCK = 19
_THEME_MERGE_LOCK = 20


def _lock_months(connection, keys, lock: int = _MONTH_LOCK) -> None:
    """On PostgreSQL, wait until no other transaction that refreshed these months is open: two changes of one
    month share rows (its twin rows; two observations of one team, their lens rows), and a DELETE that waited
    for another transaction's does not see the rows that one inserted again, so the INSERT after it would repeat
    them (a unique key violation). In order, so no two transactions wait for each other. SQLite lets one
    transaction write at a time already."""
    if connection.dialect.name == "postgresql":
        for month in sorted({key[0] for key in keys}):
            connection.execute(select(func.pg_advisory_xact_lock(lock, int(month.replace("-", "")))))


def _lock_merges(connection, lock) -> None:
    """On PostgreSQL, a theme merge waits for every open transaction that refreshed audits' rollups, and they for
    it. Months cannot tell which meet: a draft tagged with the merged theme and submitted at the same moment, in a
    month neither theme has a row in, was counted under the old theme by the submit (not seeing the moved tag) and
    not at all by the merge (not seeing the submit), until a rebuild."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(lock(_THEME_MERGE_LOCK, 0)))


def refresh(keys, connection=None) -> None:
    """Count again, from the raw rows, the rollup rows of these keys: delete them, insert them by key; then
    sum again each twin's rows of these keys' part of its key (their months, localities and case types; their
    months)."""
    keys = sorted(set(keys))
    if not keys:
        return
    _lock_merges(connection or db.session.connection(), func.pg_advisory_xact_lock_shared)
    _lock_months(connection or db.session.connection(), keys)
    run = (connection or db.session).execute
    for rollup in TABLES:
        _count_again(run, rollup, keys, _key_conditions)

    def of_keys(table, twin_key):
        projected = sorted({tuple(key[ROLLUP_KEY.index(name)] for name in twin_key) for key in keys})
        return tuple_(*(table.c[name] for name in twin_key)).in_(projected)

    _sum_twins(run, of_keys)


def refresh_observations(keys, connection=None) -> None:
    """Count again, from the raw rows, the lens rollup rows of these observation keys (OBSERVATION_KEY)."""
    if keys := sorted(set(keys)):
        _lock_months(connection or db.session.connection(), keys, _LENS_MONTH_LOCK)
        _count_again((connection or db.session).execute, LENS_TABLE, keys, _observation_key_conditions)


def refresh_themes(theme_ids, connection=None) -> None:
    """Count again every tag of these themes (after a merge moved tags in SQL, unseen by the flush hook):
    the judgements' and the families' quotes'; whether a judgement or an observation has a theme at all
    does not change, so the lens rollup (which counts only that) stays as it is. First waits for every open
    refresh of audits (_lock_merges); counted after that, each statement sees what they committed."""
    theme_ids = sorted(set(theme_ids))
    run = (connection or db.session).execute
    _lock_merges(connection or db.session.connection(), func.pg_advisory_xact_lock)
    for table, counts, names in TABLES:
        theme_column = dict(THEMED).get(table)
        if theme_column is not None:
            run(delete(table).where(table.c.theme_id.in_(theme_ids)))
            run(insert(table).from_select(names, counts(theme_column.in_(theme_ids))))
    themed_twins = [twin for twin in TWIN_SUMS if "theme_id" in twin[0].c]
    _sum_twins(run, lambda table, _key: table.c.theme_id.in_(theme_ids), themed_twins)


def rebuild() -> dict[str, int]:
    """Every rollup row counted again from scratch, in one transaction; running it twice gives the same rows."""
    for table, counts, names in (*TABLES, LENS_TABLE):
        db.session.execute(delete(table))
        db.session.execute(insert(table).from_select(names, counts()))
    _sum_twins(db.session.execute)
    if db.session.get_bind().dialect.name == "postgresql":
        for table in ALL_TABLES:
            db.session.execute(text(f"ANALYZE {table.name}"))  # the planner learns the new row counts
    db.session.commit()
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in ALL_TABLES}
