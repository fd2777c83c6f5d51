"""The installed package's WSGI entry point: ``gunicorn tanggap.wsgi:app`` (deploy/systemd),
and through the checkout's ``wsgi.py`` the Procfile's.

Each gunicorn worker imports it: the app is built, then the worker's heap is settled
(``heap.settle``) before the first request.
"""

from . import create_app, heap

app = create_app()
heap.settle()
