"""When compensation is due: point 8 of both seeds, and the working hours a decree may count."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tanggap.decrees.deadlines import due_at, is_working_day
from tanggap.decrees.rules import Deadline

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
LAMPUNG = Deadline(hours=48)  # 2 x 24 jam: point 8 of the Lampung attachment
METRO = Deadline(hours=72)  # 3 x 24 jam: point 8 of Metro's Lampiran I


def working(hours: int, **changes: object) -> Deadline:
    """Working hours 08:00-16:00, Monday to Friday, Indonesian holidays: the common office week."""
    return Deadline(hours=hours, counting="working", **changes)  # type: ignore[arg-type]


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_lampung_counts_two_times_24_calendar_hours() -> None:
    assert due_at(LAMPUNG, wib(2024, 5, 2, 9), "Asia/Jakarta") == datetime(
        2024, 5, 4, 2, tzinfo=UTC
    )


def test_metro_counts_three_times_24_calendar_hours() -> None:
    # The example of `decree simulate --json` in DESIGN.md.
    submitted = datetime.fromisoformat("2024-05-02T09:00:00+07:00")
    assert due_at(METRO, submitted, "Asia/Jakarta") == datetime.fromisoformat(
        "2024-05-05T02:00:00+00:00"
    )


def test_calendar_hours_run_through_weekends_and_holidays() -> None:
    # Friday before Independence Day (Saturday 17 August 2024).
    assert due_at(LAMPUNG, wib(2024, 8, 16, 10), WIB) == wib(2024, 8, 18, 10)


def test_due_at_is_utc() -> None:
    assert due_at(METRO, wib(2024, 5, 2, 9), WIB).tzinfo is UTC
    assert due_at(working(3), wib(2024, 5, 2, 9), WIB).tzinfo is UTC


@pytest.mark.parametrize(
    ("submitted", "hours", "expected", "why"),
    [
        (wib(2024, 5, 7, 14), 4, wib(2024, 5, 8, 10), "two hours today, two tomorrow"),
        (wib(2024, 5, 7, 6, 30), 1, wib(2024, 5, 7, 9), "before opening: counts from opening"),
        (wib(2024, 5, 7, 17), 1, wib(2024, 5, 8, 9), "after closing: counts from next opening"),
        (wib(2024, 5, 7, 16), 1, wib(2024, 5, 8, 9), "exactly at closing: nothing left today"),
        (wib(2024, 5, 6, 8), 8, wib(2024, 5, 6, 16), "a deadline at closing time stays there"),
        (wib(2024, 5, 6, 8), 16, wib(2024, 5, 7, 16), "two full days end at the second closing"),
        (wib(2024, 5, 4, 10), 8, wib(2024, 5, 6, 16), "Saturday: starts at Monday's opening"),
        (wib(2024, 5, 5, 23, 59), 1, wib(2024, 5, 6, 9), "Sunday night: Monday's opening"),
        (wib(2024, 5, 10, 15), 2, wib(2024, 5, 13, 9), "Friday afternoon runs into Monday"),
        (
            wib(2024, 5, 8, 15),
            2,
            wib(2024, 5, 10, 9),
            "Ascension Day, Thursday 9 May 2024, skipped",
        ),
        (wib(2024, 12, 24, 15), 2, wib(2024, 12, 26, 9), "Christmas Day skipped"),
    ],
)
def test_working_hours_deadlines(
    submitted: datetime, hours: int, expected: datetime, why: str
) -> None:
    assert due_at(working(hours), submitted, WIB) == expected, why


def test_independence_day_is_skipped_by_an_office_open_on_saturdays() -> None:
    # 17 August 2024 is a Saturday; an office working Monday to Saturday still closes.
    deadline = working(2, working_days=(1, 2, 3, 4, 5, 6))
    assert due_at(deadline, wib(2024, 8, 16, 15), WIB) == wib(2024, 8, 19, 9)


def test_without_a_holiday_calendar_national_holidays_count() -> None:
    assert due_at(working(2, holidays=""), wib(2024, 5, 8, 15), WIB) == wib(2024, 5, 9, 9)


def test_office_days_off_are_skipped_besides_national_holidays() -> None:
    # Idul Fitri 2024: 10-11 April are national holidays; cuti bersama 8, 9, 12 and 15 April
    # are the office's own days off.
    cuti_bersama = (date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 12), date(2024, 4, 15))
    deadline = working(2, days_off=cuti_bersama)
    assert due_at(deadline, wib(2024, 4, 5, 15), WIB) == wib(2024, 4, 16, 9)


def test_working_hours_follow_the_office_setting() -> None:
    deadline = working(3, working_hours=(time(7, 30), time(15, 30)))
    assert due_at(deadline, wib(2024, 5, 7, 14, 30), WIB) == wib(2024, 5, 8, 9, 30)


@pytest.mark.parametrize(("zone", "utc_hour"), [(WIB, 2), (WITA, 1), (WIT, 0)])
def test_working_hours_are_local_to_each_indonesian_time_zone(
    zone: ZoneInfo, utc_hour: int
) -> None:
    submitted = datetime(2024, 5, 6, 15, tzinfo=zone)
    assert due_at(working(2), submitted, zone.key) == datetime(2024, 5, 7, utc_hour, tzinfo=UTC)


def test_the_local_date_decides_not_the_utc_date() -> None:
    # Sunday 23:30 UTC is Monday 06:30 in Jakarta: counting starts at Monday's opening.
    assert due_at(working(1), datetime(2024, 5, 5, 23, 30, tzinfo=UTC), WIB) == wib(2024, 5, 6, 9)


def test_large_hours_walk_day_by_day_to_the_exact_end() -> None:
    # 500 weeks of 5 x 8 hours from Monday's opening end at a Friday's closing.
    deadline = working(500 * 40, holidays="")
    start = wib(2024, 1, 1, 8)
    assert due_at(deadline, start, WIB) == wib(2024, 1, 1, 16) + timedelta(weeks=499, days=4)


def test_naive_submission_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(METRO, datetime(2024, 5, 2, 9), WIB)


def test_unknown_time_zones_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        due_at(working(1), wib(2024, 5, 2, 9), "Asia/Atlantis")


def test_is_working_day_knows_weekends_holidays_and_days_off() -> None:
    deadline = working(8, days_off=(date(2024, 4, 8),))
    assert is_working_day(deadline, date(2024, 5, 6))
    assert not is_working_day(deadline, date(2024, 5, 4))  # Saturday
    assert not is_working_day(deadline, date(2024, 5, 9))  # Ascension Day
    assert not is_working_day(deadline, date(2024, 4, 8))  # cuti bersama


# Properties --------------------------------------------------------------------------------

ZONES = st.sampled_from([WIB, WITA, WIT])
SUBMITTED = st.datetimes(
    min_value=datetime(2023, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@st.composite
def deadlines(draw: st.DrawFn) -> Deadline:
    # At least an hour a day, so a draw cannot ask for centuries of one-minute days.
    opening = draw(st.integers(min_value=0, max_value=22 * 60))
    closing = draw(st.integers(min_value=opening + 60, max_value=23 * 60 + 59))
    return Deadline(
        hours=draw(st.integers(min_value=1, max_value=200)),
        counting=draw(st.sampled_from(["calendar", "working"])),
        working_days=tuple(
            draw(
                st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=7, unique=True)
            )
        ),
        working_hours=(time(*divmod(opening, 60)), time(*divmod(closing, 60))),
        holidays=draw(st.sampled_from(["ID", ""])),
        days_off=tuple(
            draw(
                st.lists(
                    st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31)), max_size=30
                )
            )
        ),
    )


@settings(max_examples=150, deadline=None)
@given(deadlines(), SUBMITTED, ZONES)
def test_due_at_is_never_before_submission(
    deadline: Deadline, submitted: datetime, zone: ZoneInfo
) -> None:
    assert due_at(deadline, submitted, zone) > submitted


@settings(max_examples=150, deadline=None)
@given(
    deadlines(),
    SUBMITTED,
    st.timedeltas(min_value=timedelta(), max_value=timedelta(days=20)),
    ZONES,
)
def test_a_later_submission_is_never_due_earlier(
    deadline: Deadline, submitted: datetime, later_by: timedelta, zone: ZoneInfo
) -> None:
    assert due_at(deadline, submitted, zone) <= due_at(deadline, submitted + later_by, zone)


@settings(max_examples=150, deadline=None)
@given(deadlines(), SUBMITTED, ZONES)
def test_calendar_deadlines_are_exactly_the_hours(
    deadline: Deadline, submitted: datetime, zone: ZoneInfo
) -> None:
    calendar = Deadline(hours=deadline.hours)
    assert due_at(calendar, submitted, zone) - submitted == timedelta(hours=deadline.hours)


@settings(max_examples=150, deadline=None)
@given(deadlines(), SUBMITTED, ZONES)
def test_working_deadlines_end_inside_working_time(
    deadline: Deadline, submitted: datetime, zone: ZoneInfo
) -> None:
    deadline = replace(deadline, counting="working")
    local = due_at(deadline, submitted, zone).astimezone(zone)
    national = holidays.country_holidays("ID", years=local.year) if deadline.holidays else {}
    opening, closing = deadline.working_hours
    assert local.isoweekday() in deadline.working_days
    assert local.date() not in national
    assert local.date() not in deadline.days_off
    assert opening < local.time() <= closing
