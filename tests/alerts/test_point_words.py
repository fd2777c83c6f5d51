"""Alert points written in words, in either language, and written back in words that read
again as the same point."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tanggap.alerts.messages import describe
from tanggap.alerts.points import DEFAULT_POINTS, AlertPoint, PointError, code_for, parse


@pytest.mark.parametrize(("words", "point"), [
    ("3 jam sebelum", ("deadline", -180)),
    ("3 hours before", ("deadline", -180)),
    ("3 jam sebelum batas waktu", ("deadline", -180)),
    ("3 hours before the deadline", ("deadline", -180)),
    ("12 hours left", ("deadline", -720)),
    ("30 menit sebelum", ("deadline", -30)),
    ("3h before", ("deadline", -180)),
    ("separuh waktu", ("share", 0.5)),
    ("Setengah waktu", ("share", 0.5)),
    ("half time", ("share", 0.5)),
    ("25% waktu", ("share", 0.25)),
    ("25% of the time", ("share", 0.25)),
    ("saat batas waktu", ("deadline", 0)),
    ("at the deadline", ("deadline", 0)),
    ("12 jam setelah", ("deadline", 720)),
    # Amounts add up, as the decrees' durations are written.
    ("1 hari 12 jam sebelum", ("deadline", -2160)), ("1 day and 12 hours after", ("deadline", 2160)),
    ("3 jam 2 menit sebelum", ("deadline", -182)),
    ("12 hours after", ("deadline", 720)),
    ("1 hari setelah batas waktu", ("deadline", 1440)),
    ("3x24 jam setelah", ("deadline", 4320)),
    ("2 days overdue", ("deadline", 2880)),
    ("-6 jam", ("deadline", -360)),
])
def test_points_in_words_in_both_languages(words, point):
    assert parse(words) == point


@pytest.mark.parametrize(("words", "reason"), [
    ("", "unreadable"), ("besok pagi", "unreadable"), ("3 jam", "direction"), ("3 hours", "direction"),
    ("3 jam sebelum dan setelah", "direction"), ("150%", "share"), ("0%", "share"), ("31 hari setelah", "far"),
    ("3 jam 2 sebelum", "unreadable"), ("jam 3 sebelum", "unreadable"),
])
def test_what_cannot_be_read_says_why(words, reason):
    with pytest.raises(PointError) as refused:
        parse(words)
    assert refused.value.reason == reason


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_point_written_in_words_reads_back_as_itself(app, locale):
    points = [*DEFAULT_POINTS, AlertPoint(code_for("deadline", -180), "deadline", -180),
              AlertPoint(code_for("share", 0.25), "share", 0.25), AlertPoint(code_for("deadline", 90), "deadline", 90),
              AlertPoint(code_for("deadline", 10080), "deadline", 10080)]
    with app.test_request_context(), force_locale(locale):
        for point in points:
            words = describe(point)
            assert "_" not in words
            assert parse(words) == (point.anchor, point.value), words
            assert code_for(*parse(words)) == point.code


def test_points_read_in_each_language(app):
    with app.test_request_context():
        with force_locale("id"):
            assert [describe(p) for p in DEFAULT_POINTS] == [
                "separuh waktu", "12 jam sebelum batas waktu", "saat batas waktu", "1 hari setelah batas waktu"]
        with force_locale("en"):
            assert [describe(p) for p in DEFAULT_POINTS] == [
                "half time", "12 hours before the deadline", "at the deadline", "1 day after the deadline"]


def test_the_first_defaults_keep_their_codes():
    assert [code_for(p.anchor, p.value) for p in DEFAULT_POINTS] == [p.code for p in DEFAULT_POINTS]
    assert code_for("deadline", -180) == "before_180m" and code_for("share", 0.25) == "share_25"
