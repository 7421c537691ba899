"""Indexes for the theme summary's aggregations (audit_app/reporting), declared here so the
models and migration 0007 agree without editing the models they index.

- judgement (audit_id, domain_key, grade): the summary joins each counted audit to its
  judgements and groups by domain and grade; this index answers that from the index alone.
"""

from sqlalchemy import Index

from .audits import Judgement

ix_judgement_audit_domain_grade = Index(
    "ix_judgement_audit_domain_grade", Judgement.audit_id, Judgement.domain_key, Judgement.grade
)
