"""The floor under any Flask app on the peer harness (``compare.py --floor``): the public
form's exchange answered by Flask alone, with nothing behind it.

The GET answers a page as long as Tanggap's form page, holding the two hidden fields the
citizens' load test reads; the POST checks both came back and answers 303 to a receipt's
address. No database, session, template, CSRF check, rate limit, audit entry or message:
what is left is gunicorn, Werkzeug and Flask, and the load generator beside them on the
same two cores. Whatever Tanggap does, its filing rate cannot pass this one's.
"""

from __future__ import annotations

import secrets

from flask import Flask, abort, redirect, request
from werkzeug.wrappers import Response

app = Flask(__name__)

#: About the length of Tanggap's form page (11 kB), so that the load generator reads as much.
PADDING = "<p>" + "Layanan publik yang melewati standar pelayanan berhak atas kompensasi. " * 150 + "</p>"
PAGE = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Pengaduan</title></head><body>'
        '<form method="post"><input id="csrf_token" name="csrf_token" type="hidden" value="{token}">'
        '<input id="submission_key" name="submission_key" type="hidden" value="{key}">'
        "{padding}</form></body></html>")


@app.get("/<office>/pengaduan/baru")
def form(office: str) -> str:
    return PAGE.format(token=secrets.token_urlsafe(32), key=secrets.token_urlsafe(16), padding=PADDING)


@app.post("/<office>/pengaduan/baru")
def file(office: str) -> Response:
    if not (request.form.get("csrf_token") and request.form.get("submission_key")):
        abort(400)
    return redirect(f"/{office}/pengaduan/{secrets.token_hex(8)}/", 303)
