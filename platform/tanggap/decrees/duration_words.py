"""Durations in the reader's words: the ``duration`` template filter and the editor's fields.

The words come from ``durations.describe_duration`` with Flask-Babel's ``ngettext``, so a
delay reads "1 hari 12 jam" on an Indonesian page and "1 day 12 hours" on an English one,
and the one parser reads either back.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_babel import ngettext

from .durations import describe_duration


def duration_words(value: int | timedelta | None) -> str:
    """A duration (whole minutes, or a timedelta) in words of the current language; "" for None."""
    if value is None:
        return ""
    delta = value if isinstance(value, timedelta) else timedelta(minutes=value)
    return describe_duration(delta, ngettext)


def init_app(app: Flask) -> None:
    """Register ``|duration`` for every template: tiers, delays, the assessment."""
    app.add_template_filter(duration_words, "duration")
