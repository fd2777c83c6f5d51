"""The installed package's WSGI entry point: ``gunicorn tanggap.wsgi:app`` (deploy/systemd),
and through the checkout's ``wsgi.py`` the Procfile's and ``flask --app wsgi``'s.

The app is built, then the process's heap is settled (``heap.settle``). Under the shipped
gunicorn settings this happens once, in the master (``preload_app``), whose ``when_ready``
hook also compiles every template before the first worker is forked (``tanggap.prefork``);
a command run with ``flask`` compiles only the templates it renders.
"""

from . import create_app, heap

app = create_app()
heap.settle()
