"""The one clock: the office's calendar at the hours where it and UTC disagree."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanggap import clock

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


def test_now_is_utc_and_follows_the_frozen_clock(travel):
    travel(datetime(2027, 4, 1, 0, 30, tzinfo=ZoneInfo(WIB)))
    assert clock.now().replace(second=0, microsecond=0) == datetime(2027, 3, 31, 17, 30, tzinfo=timezone.utc)
    assert clock.now().utcoffset() == timedelta(0)


def test_half_past_midnight_wib_on_the_first_is_the_new_month(travel):
    travel(datetime(2027, 4, 1, 0, 30, tzinfo=ZoneInfo(WIB)))
    assert clock.now().date() == date(2027, 3, 31)  # UTC is still in March
    assert clock.office_today(WIB) == date(2027, 4, 1)
    assert clock.office_month(WIB) == (date(2027, 4, 1), date(2027, 4, 30))
    assert clock.office_today(WIT) == date(2027, 4, 1)


def test_half_past_eleven_wit_on_new_years_eve_is_the_new_year(travel):
    travel(datetime(2027, 12, 31, 23, 30, tzinfo=ZoneInfo(WIT)))
    assert clock.office_year(WIT) == 2027 and clock.office_today(WIT) == date(2027, 12, 31)
    travel(datetime(2028, 1, 1, 0, 10, tzinfo=ZoneInfo(WIT)))
    assert clock.office_year(WIT) == 2028 and clock.office_year(WIB) == 2027  # WIB is still at 22:10
    assert clock.office_year_span(WIT) == (date(2028, 1, 1), date(2028, 12, 31))


def test_the_twenty_ninth_of_february(travel):
    travel(datetime(2028, 2, 29, 1, 30, tzinfo=ZoneInfo(WITA)))
    assert clock.office_today(WITA) == date(2028, 2, 29)
    assert clock.office_today(WIB) == date(2028, 2, 29)  # 00:30 WIB
    assert clock.now().date() == date(2028, 2, 28)
    assert clock.office_month(WITA) == (date(2028, 2, 1), date(2028, 2, 29))


def test_an_office_is_anything_with_a_time_zone():
    class Office:
        timezone = WIT

    moment = datetime(2027, 6, 30, 15, 30, tzinfo=timezone.utc)
    assert clock.office_date(Office(), moment) == clock.office_date(WIT, moment) == date(2027, 7, 1)
    assert clock.utc_offset_hours(Office()) == 9 and clock.utc_offset_hours(WITA) == 8


@pytest.mark.parametrize("zone", [WIB, WITA, WIT])
@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_day_is_twenty_four_hours_between_the_office_midnights(zone, day):
    start, end = clock.start_of(day, zone), clock.end_of(day, zone)
    assert end - start == timedelta(hours=24)  # Indonesia keeps no summer time
    assert clock.office_date(zone, start) == day and clock.office_date(zone, end - timedelta(microseconds=1)) == day
    first, last = clock.month_of(day)
    assert first.day == 1 and first <= day <= last and (last + timedelta(days=1)).day == 1
