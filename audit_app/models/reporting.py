"""Indexes and monthly rollup tables for the theme summary's aggregations (audit_app/reporting), declared
here so the models and migrations 0007, 0023, 0028, 0029, 0030, 0031 and 0032 agree without editing the models they
index.

- judgement (audit_id, domain_key, grade): the summary joins each counted audit to its
  judgements and groups by domain and grade; this index answers that from the index alone.
- judgement_rollup, theme_rollup: judgements and theme tags counted by month and filter (0023); the
  untagged judgements and the audits raising each theme (0028).
- audit_rollup, family_answer_rollup, family_quote_rollup: audits, moderated audits and what families said,
  counted by month and filter (0028).
- case (locality_id, case_type): the drill-downs' and the export's locality and case type filters (0029).
- judgement_locality_rollup, theme_locality_rollup: judgement_rollup and theme_rollup summed by month,
  locality and case type only (0030), for the views no finer filter narrows.
- judgement_month_rollup, theme_month_rollup: the same summed by month alone (0032), for the views no filter
  narrows. TWINS lists each rollup's twins, finest first.
- lens_rollup: the lens judgements of submitted observations by month and filter (0031).
"""

from sqlalchemy import Boolean, Column, Index, Integer, SmallInteger, String, Table, text

from ..extensions import db
from .audits import Judgement
from .cases import Case

ix_judgement_audit_domain_grade = Index(
    "ix_judgement_audit_domain_grade", Judgement.audit_id, Judgement.domain_key, Judgement.grade
)

# The filters every raw read shares (drill-downs, the judgements export): a locality and a case type together
# (0029), so the cases of both are read from one index rather than every case of the type.
ix_case_locality_case_type = Index("ix_case_locality_case_type", Case.locality_id, Case.case_type)


# --- Monthly rollups (audit_app/reporting/rollups.py keeps them; queries/rolled.py reads them) ------------
# One row per month and value of every summary filter that a rollup can serve. The month and the six
# dimensions after it are the key of one audit: an audit's rows are recomputed by that key. No foreign keys:
# these are counts derived from the raw rows, rebuilt at will by `flask rebuild-rollups`.
# programme_kind is "" for an audit in no programme; a grade of 0 means no grade (not applicable).
ROLLUP_KEY = ("month", "tool_version_id", "locality_id", "team_id", "service_id", "case_type", "programme_kind")


def _rollup_key_columns() -> list:
    return [
        Column("month", String(7), nullable=False),  # 'YYYY-MM' of submitted_at in UTC
        Column("tool_version_id", Integer, nullable=False),
        Column("locality_id", Integer, nullable=False),
        Column("team_id", Integer, nullable=False),
        Column("service_id", Integer, nullable=False),
        Column("case_type", String(20), nullable=False),
        Column("programme_kind", String(20), nullable=False),  # re-audits count as "reaudit" (kind_condition)
    ]


def _counts(*names: str, added_later: tuple[str, ...] = ()) -> list[Column]:
    """Counts are never NULL. One added to a table that already held rows (0028) has 0 as its server default."""
    return [
        Column(name, Integer, nullable=False, server_default=text("0") if name in added_later else None)
        for name in names
    ]


def _rollup_table(name: str, key: list[Column], grouped_by: list[Column], counts: list[Column]) -> Table:
    """One row per key and value of `grouped_by`, which the unique index `ux_<name>_key` holds to; a table grouped
    by theme also has `ix_<name>_theme`, for the theme's rows across every key."""
    unique_key = [column.name for column in (*key, *grouped_by)]
    by_theme = [Index(f"ix_{name}_theme", "theme_id")] if "theme_id" in unique_key else []
    return Table(
        name,
        db.metadata,
        Column("id", Integer, primary_key=True),
        *key,
        *grouped_by,
        *counts,
        Index(f"ux_{name}_key", *unique_key, unique=True),
        *by_theme,
    )


def _domain_and_grades() -> list[Column]:
    return [
        Column("domain_key", String(60), nullable=False),
        Column("original_grade", SmallInteger, nullable=False),  # the auditor's grade
        # The latest moderator's grade where moderated, else the same.
        Column("moderated_grade", SmallInteger, nullable=False),
    ]


def _theme() -> list[Column]:
    return [Column("theme_id", Integer, nullable=False)]


# judgements: how many; untagged: of them, with no theme.
judgement_rollup = _rollup_table(
    "judgement_rollup",
    _rollup_key_columns(),
    _domain_and_grades(),
    _counts("judgements", "untagged", added_later=("untagged",)),
)

# judgements: tagged with the theme; audits: with the theme on any judgement (an audit has one key, so these
# add up across keys).
theme_rollup = _rollup_table(
    "theme_rollup", _rollup_key_columns(), _theme(), _counts("judgements", "audits", added_later=("audits",))
)

# family_recorded: audits with a family voice record; family_contacted: of them, whose family was contacted
# (CONTACTED_METHODS); family_consent: of those, with consent recorded.
audit_rollup = _rollup_table(
    "audit_rollup",
    _rollup_key_columns(),
    [],
    _counts("audits", "moderated_audits", "family_recorded", "family_contacted", "family_consent"),
)

family_answer_rollup = _rollup_table(
    "family_answer_rollup",
    _rollup_key_columns(),
    [
        Column("question", String(40), nullable=False),  # a key of SCALED_QUESTIONS
        Column("score", SmallInteger, nullable=False),  # 1 to 5, or DONT_KNOW (0)
    ],
    _counts("answers"),
)

# quotes: families' quotes tagged with the theme.
family_quote_rollup = _rollup_table("family_quote_rollup", _rollup_key_columns(), _theme(), _counts("quotes"))


# --- The same, by month, locality and case type only (0030) --------------------------------------------
# judgement_rollup and theme_rollup summed over the rest of the key (rollups.py keeps them from those two).
# The summary and its trend filtered by locality or case type, and the comparison by either, read these: a few
# times fewer rows (with 23 teams, 1,100 a month against judgement_rollup's 6,400).
LOCALITY_KEY = ("month", "locality_id", "case_type")


def _key_columns(names: tuple[str, ...]) -> list:
    """The columns of ROLLUP_KEY a twin keeps."""
    return [column for column in _rollup_key_columns() if column.name in names]


judgement_locality_rollup = _rollup_table(
    "judgement_locality_rollup", _key_columns(LOCALITY_KEY), _domain_and_grades(), _counts("judgements", "untagged")
)

theme_locality_rollup = _rollup_table(
    "theme_locality_rollup", _key_columns(LOCALITY_KEY), _theme(), _counts("judgements", "audits")
)


# --- The same, by month alone (0032) -------------------------------------------------------------------
# The summary and its trend with no filter read these: a few hundred rows a month, where the twins by
# locality hold over a thousand.
judgement_month_rollup = _rollup_table(
    "judgement_month_rollup", _key_columns(("month",)), _domain_and_grades(), _counts("judgements", "untagged")
)

theme_month_rollup = _rollup_table(
    "theme_month_rollup", _key_columns(("month",)), _theme(), _counts("judgements", "audits")
)

# Each rollup's twins, finest first: its counts summed over fewer of its key's columns. A read takes the
# coarsest holding every column it filters or groups by (queries/rolled.py rollup_for); rollups.py sums each
# twin from the table before it.
TWINS = {
    judgement_rollup: (judgement_locality_rollup, judgement_month_rollup),
    theme_rollup: (theme_locality_rollup, theme_month_rollup),
}


# --- The observations' lens judgements by month and filter (0031) --------------------------------------
# The key of one submitted observation: the month of observed_on, its team and service (0 for none) and its
# case's type ("" for none). No locality: a team that moves locality takes its observations with it, so the
# locality is read through the team when the rollup is read (as observation_conditions does).
OBSERVATION_KEY = ("month", "team_id", "service_id", "case_type")

lens_rollup = _rollup_table(
    "lens_rollup",
    [
        Column("month", String(7), nullable=False),  # 'YYYY-MM' of observed_on
        Column("team_id", Integer, nullable=False),
        Column("service_id", Integer, nullable=False),
        Column("case_type", String(20), nullable=False),
    ],
    [
        Column("lens", String(40), nullable=False),
        Column("grade", SmallInteger, nullable=False),  # 0 for no grade
        Column("untagged", Boolean, nullable=False),  # the observation carries no theme
    ],
    _counts("judgements"),
)
