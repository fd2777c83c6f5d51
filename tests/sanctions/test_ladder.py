"""The suggestion ladder, as a table: which sanction an officer's record points to."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tanggap.sanctions.ladder import DEFAULT, Ladder, Step, count_in_window, months_before, problems, suggest

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("history", "expected"), [
    ([TODAY], ("reprimand", 1)),                                         # the first in twelve months
    ([date(2026, 3, 1), TODAY], ("coaching", 2)),                        # a further one
    ([date(2025, 11, 23), TODAY], ("reprimand", 1)),                     # exactly twelve months ago: out
    ([date(2025, 11, 24), TODAY], ("coaching", 2)),                      # a day inside the window: in
    ([date(2026, 1, 1), date(2026, 5, 1), TODAY], ("coaching", 3)),      # coaching stays the top step
    ([date(2026, 12, 1), TODAY], ("reprimand", 1)),                      # later decisions do not count
    ([], (None, 0)),
])
def test_default_ladder(history, expected):
    assert suggest(DEFAULT, history, TODAY) == expected


def test_an_office_can_write_its_own_ladder():
    strict = Ladder.from_json(6, [{"from": 3, "sanction": "coaching"}, {"from": 1, "sanction": "reprimand"}])
    assert strict.steps == (Step(1, "reprimand"), Step(3, "coaching"))
    assert suggest(strict, [date(2026, 10, 1), TODAY], TODAY) == ("reprimand", 2)
    assert suggest(strict, [date(2026, 4, 1), date(2026, 10, 1), TODAY], TODAY) == ("reprimand", 2)
    assert suggest(strict, [date(2026, 6, 1), date(2026, 10, 1), TODAY], TODAY) == ("coaching", 3)
    assert strict.as_json() == [{"from": 1, "sanction": "reprimand"}, {"from": 3, "sanction": "coaching"}]


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_problems_of_a_written_ladder():
    assert problems(DEFAULT, ["reprimand", "coaching"]) == []
    assert problems(Ladder(0, ()), []) == ["window"]
    assert problems(Ladder(12, (Step(1, "reprimand"), Step(1, "coaching"))), ["reprimand", "coaching"]) == ["starts"]
    assert problems(Ladder(12, (Step(1, "demotion"),)), ["reprimand"]) == ["unknown"]


@given(st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), max_size=20),
       st.integers(min_value=1, max_value=60))
def test_more_history_never_suggests_less(history, months):
    ladder = Ladder(months, DEFAULT.steps)
    on = date(2026, 6, 15)
    count = count_in_window(history, on, months)
    assert 0 <= count <= len(history)
    code, counted = suggest(ladder, [*history, on], on)
    assert counted == count + 1 and code == ("reprimand" if counted == 1 else "coaching")
