"""Random samples of each auditor's submitted audits, drawn with a recorded seed, and what waits in them."""

import math
import random
import secrets

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ...changelog import log_change
from ...extensions import db
from ...models import AuditStatus, CaseAudit, ModerationSample, User
from ...models.audits import moderation_sample_audit
from .queue import AuditFilters, filtered, in_a_sample


class SampleError(ValueError):
    pass


def _eligible_query(filters: AuditFilters):
    """Submitted audits not yet in any sample, within the filters."""
    return filtered(select(CaseAudit.id, CaseAudit.auditor_id), filters, [AuditStatus.SUBMITTED.value]).where(
        ~in_a_sample()
    )


def sample_size(count: int, share_percent: int) -> int:
    """How many of an auditor's audits a share draws: rounded up, so every auditor is moderated."""
    return min(count, math.ceil(count * share_percent / 100)) if count else 0


def sample_preview(filters: AuditFilters, share_percent: int) -> list[dict]:
    """Per auditor: how many submitted audits could be drawn, and how many the share would draw."""
    eligible = _eligible_query(filters).subquery()
    rows = db.session.execute(
        select(User.id, User.display_name, func.count(eligible.c.id))
        .join(eligible, eligible.c.auditor_id == User.id)
        .group_by(User.id, User.display_name)
        .order_by(User.display_name)
    ).all()
    return [
        {"auditor_id": uid, "auditor": name, "eligible": count, "drawn": sample_size(count, share_percent)}
        for uid, name, count in rows
    ]


def take_sample(share_percent: int, drawn_by: User, filters: AuditFilters, seed: int | None = None) -> ModerationSample:
    """Draw share_percent of each auditor's submitted, unsampled audits at random, and record
    the seed, the share, who drew it and which audits. The same seed over the same audits draws
    the same sample again."""
    if not 1 <= share_percent <= 100:
        raise SampleError("Enter a share between 1 and 100")
    candidates = db.session.execute(_eligible_query(filters).order_by(CaseAudit.auditor_id, CaseAudit.id)).all()
    if not candidates:
        raise SampleError("There are no submitted audits waiting for a sample with these filters")
    seed = secrets.randbelow(2**31) if seed is None else seed
    rng = random.Random(seed)
    by_auditor: dict[int, list[int]] = {}
    for audit_id, auditor_id in candidates:
        by_auditor.setdefault(auditor_id, []).append(audit_id)
    chosen: list[int] = []
    for auditor_id in sorted(by_auditor):
        ids = by_auditor[auditor_id]
        chosen += rng.sample(ids, sample_size(len(ids), share_percent))
    sample = ModerationSample(
        share_percent=share_percent, random_seed=seed, drawn_by_id=drawn_by.id, programme_id=filters.programme_id
    )
    sample.audits = db.session.scalars(select(CaseAudit).where(CaseAudit.id.in_(chosen))).all()
    db.session.add(sample)
    db.session.flush()
    log_change(db.session, sample, "audits", None, ", ".join(str(a) for a in sample.audits))
    db.session.commit()
    return sample


def samples() -> list:
    """Every sample with how many of its audits are still awaiting moderation (counted in SQL)."""
    counts = (
        select(
            moderation_sample_audit.c.sample_id,
            func.count().label("drawn"),
            func.sum(case((CaseAudit.status == AuditStatus.SUBMITTED.value, 1), else_=0)).label("waiting"),
        )
        .join(CaseAudit, CaseAudit.id == moderation_sample_audit.c.audit_id)
        .group_by(moderation_sample_audit.c.sample_id)
        .subquery()
    )
    return db.session.execute(
        select(ModerationSample, counts.c.drawn, counts.c.waiting)
        .outerjoin(counts, counts.c.sample_id == ModerationSample.id)
        .options(joinedload(ModerationSample.drawn_by))
        .order_by(ModerationSample.created_at.desc(), ModerationSample.id.desc())
    ).all()


def sample_audits(sample: ModerationSample) -> list[CaseAudit]:
    return db.session.scalars(
        select(CaseAudit)
        .join(moderation_sample_audit, moderation_sample_audit.c.audit_id == CaseAudit.id)
        .where(moderation_sample_audit.c.sample_id == sample.id)
        .options(joinedload(CaseAudit.case), joinedload(CaseAudit.auditor))
        .order_by(CaseAudit.id)
    ).all()


def awaiting_in_samples(user: User, limit: int = 5):
    """Sampled audits still waiting for moderation by this person: how many, and the oldest few. Their own
    audits are left out: moderators never moderate their own (check_may_moderate)."""
    query = select(CaseAudit).where(
        CaseAudit.status == AuditStatus.SUBMITTED.value, in_a_sample(), CaseAudit.auditor_id != user.id
    )
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    first = db.session.scalars(
        query.options(joinedload(CaseAudit.case), joinedload(CaseAudit.auditor))
        .order_by(CaseAudit.submitted_at, CaseAudit.id)
        .limit(limit)
    ).all()
    return count, first
