"""The child and family's voice: what families said on each audit (the audit form's page lives in
audits/services/family_voice.py), counted for the theme summary and the inspection pack, and its demo data."""

from ..demo import add_demo_seeder


def init_app(app):
    from . import demo

    add_demo_seeder(app, demo.seed_family_voice)
