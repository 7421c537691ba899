"""The child and family's voice: whether a quote looks like a name, what families said counted for the theme
summary, the findings and the inspection pack, and its demo data. Not a feature of its own: the audit form's page
is in audits/services/family_voice.py and the audits feature registers the demo seeder."""
