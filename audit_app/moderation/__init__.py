"""Moderation of submitted audits, random samples, and agreement between auditors and moderators."""
from . import demo  # noqa: F401  (registers the demo seeder; import after the audits feature)
