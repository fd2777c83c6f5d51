"""The WSGI entry point: ``gunicorn wsgi:app`` and ``flask --app wsgi ...``: the installed
package's (``tanggap.wsgi``)."""

from tanggap.wsgi import app

__all__ = ["app"]
