"""The installed package's WSGI entry point: ``gunicorn tanggap.wsgi:app`` (deploy/systemd)."""

from . import create_app

app = create_app()
