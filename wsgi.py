"""Entry point for gunicorn: gunicorn wsgi:app"""

from audit_app import create_app

app = create_app()
