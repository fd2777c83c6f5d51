"""The office's other systems' way in: Open311 GeoReport v2 and the JSON API (``/api/v1``).

Both are faces over the features below them: complaints are filed through ``intake`` with
the web form's own validation, and every step goes through the same lifecycle as the web.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    from ..web import answer_errors_with
    from . import errors, open311, views

    app.register_blueprint(views.bp)
    app.register_blueprint(open311.bp)
    answer_errors_with(app, errors.answer)
