"""Alert points on a deadline: when each one's moment comes, and which are due."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tanggap.alerts.points import DEFAULT_POINTS, AlertPoint, due_now, next_moment

FILED = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
DUE = FILED + timedelta(hours=72)  # 3 x 24 jam


def _codes(points) -> list[str]:
    return [p.code for p in points]


def test_default_moments_on_a_three_day_deadline():
    moments = {p.code: p.moment(FILED, DUE) for p in DEFAULT_POINTS}
    assert moments == {"half": FILED + timedelta(hours=36), "12h_left": DUE - timedelta(hours=12),
                       "due": DUE, "escalation": DUE + timedelta(hours=24)}
    assert [p.code for p in DEFAULT_POINTS if p.escalates] == ["escalation"]


def test_due_points_follow_the_clock_and_never_repeat():
    assert due_now(DEFAULT_POINTS, FILED, DUE, FILED + timedelta(hours=35)) == []
    assert _codes(due_now(DEFAULT_POINTS, FILED, DUE, FILED + timedelta(hours=36))) == ["half"]
    assert _codes(due_now(DEFAULT_POINTS, FILED, DUE, DUE, fired={"half"})) == ["12h_left", "due"]
    assert due_now(DEFAULT_POINTS, FILED, DUE, DUE + timedelta(days=9), fired=_codes(DEFAULT_POINTS)) == []


def test_next_moment_is_the_earliest_unfired_point():
    assert next_moment(DEFAULT_POINTS, FILED, DUE, fired=()) == FILED + timedelta(hours=36)
    assert next_moment(DEFAULT_POINTS, FILED, DUE, fired={"half", "12h_left"}) == DUE
    assert next_moment(DEFAULT_POINTS, FILED, DUE, fired=_codes(DEFAULT_POINTS)) is None


def test_a_point_before_submission_never_fires():
    short = FILED + timedelta(hours=6)  # a six-hour deadline: "12 hours left" was never true
    assert "12h_left" not in _codes(due_now(DEFAULT_POINTS, FILED, short, short))
    assert next_moment(DEFAULT_POINTS, FILED, short, fired={"half", "due", "escalation"}) is None


def test_points_round_trip_through_json():
    point = AlertPoint("two_days_over", "deadline", 2880.0, ("assignee", "leaders", "head"))
    assert AlertPoint.from_json(point.as_json()) == point and point.escalates
