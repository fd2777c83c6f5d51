"""The installed package's WSGI entry point: ``gunicorn tanggap.wsgi:app`` (deploy/systemd),
and through the checkout's ``wsgi.py`` the Procfile's.

gunicorn imports it once, in its master (``preload_app`` in ``deploy/gunicorn.conf.py``):
the app is built and made ready to fork (``prefork.ready``: templates compiled, heap
settled), and each worker forked from it starts serving at once (``prefork.forked``, from
the config's ``post_fork``). Imported by a worker itself (gunicorn without preloading), it
does the same for that one worker.
"""

from . import create_app, prefork

app = create_app()
prefork.ready(app)
