from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import InvalidArgument, InvalidType, OptionalDayOff, WorkingDays
from casemigrate.workdays import (
    add_working_days,
    day_off_reason,
    is_working_day,
    months_after,
    months_before,
    next_working_day,
    previous_working_day,
    roll_back,
    roll_forward,
    working_days_between,
)

D = dt.date


def test_store_bededag_ends_with_2023() -> None:
    assert not is_working_day(D(2023, 5, 5))  # 4th Friday after Easter 2023
    assert day_off_reason(D(2023, 5, 5)) == "Great Prayer Day"
    assert is_working_day(D(2024, 4, 26))  # would have been Store Bededag 2024


@pytest.mark.parametrize(
    "day",
    [D(2026, 1, 1), D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 14),
     D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26), D(2026, 3, 7), D(2026, 3, 8)],
)
def test_public_holidays_and_weekends_are_days_off(day: dt.date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [D(2026, 12, 24), D(2026, 12, 31), D(2026, 5, 1), D(2026, 6, 5)])
def test_optional_days_are_off_by_default_and_overridable(day: dt.date) -> None:
    assert not is_working_day(day)
    assert is_working_day(day, WorkingDays(optional_days_off=frozenset()))
    only_christmas = WorkingDays(optional_days_off={OptionalDayOff.CHRISTMAS_EVE})
    assert is_working_day(day, only_christmas) is (day != D(2026, 12, 24))


def test_extra_days_off() -> None:
    calendar = WorkingDays(extra_days_off={D(2026, 3, 10)})
    assert not is_working_day(D(2026, 3, 10), calendar)
    assert next_working_day(D(2026, 3, 9), calendar) == D(2026, 3, 11)


def test_moving_deadlines_back_and_starts_forward() -> None:
    assert roll_back(D(2026, 5, 25)) == D(2026, 5, 22)  # Whit Monday -> Friday
    assert roll_forward(D(2026, 5, 25)) == D(2026, 5, 26)
    assert roll_back(D(2026, 3, 4)) == D(2026, 3, 4) == roll_forward(D(2026, 3, 4))
    assert previous_working_day(D(2026, 4, 7)) == D(2026, 4, 1)  # over Easter
    assert next_working_day(D(2026, 12, 23)) == D(2026, 12, 28)
    assert previous_working_day(D(2027, 1, 4)) == D(2026, 12, 30)  # 31 Dec off, 1 Jan


def test_add_working_days() -> None:
    assert add_working_days(D(2026, 3, 27), 3) == D(2026, 4, 1)
    assert add_working_days(D(2026, 4, 1), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 1)
    assert add_working_days(D(2026, 3, 28), 0) == D(2026, 3, 28)
    with pytest.raises(InvalidType):
        add_working_days(D(2026, 3, 28), 1.5)  # type: ignore[arg-type]


def test_calendar_months() -> None:
    assert months_before(D(2026, 5, 31), 3) == D(2026, 2, 28)
    assert months_before(D(2024, 5, 31), 3) == D(2024, 2, 29)
    assert months_after(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert months_before(D(2026, 6, 1), 2) == D(2026, 4, 1)


def test_working_days_between() -> None:
    assert working_days_between(D(2026, 3, 30), D(2026, 4, 10)) == 7
    assert working_days_between(D(2026, 4, 10), D(2026, 3, 30)) == 0


@given(st.dates(D(2000, 1, 1), D(2060, 12, 31)), st.integers(-30, 30))
def test_add_working_days_lands_on_working_days_and_counts_them(day: dt.date, n: int) -> None:
    moved = add_working_days(day, n)
    if n == 0:
        assert moved == day
        return
    assert is_working_day(moved)
    first, last = (day, moved) if n > 0 else (moved, day)
    counted = working_days_between(first, last)
    # The end point counts, the start point counts only if it is a working day.
    assert counted - (1 if is_working_day(day) else 0) == abs(n)


@given(st.dates(D(2000, 1, 1), D(2060, 12, 31)))
def test_deadline_and_start_bracket_the_day(day: dt.date) -> None:
    assert roll_back(day) <= day <= roll_forward(day)
    assert is_working_day(roll_back(day))
    assert is_working_day(roll_forward(day))


def test_holidays_names_the_optional_days_off_in_both_languages() -> None:
    names = {day: day_off_reason(day) for day in
             (D(2026, 12, 24), D(2026, 12, 31), D(2026, 5, 1), D(2026, 6, 5))}
    assert names == {D(2026, 12, 24): "Christmas Eve", D(2026, 12, 31): "New Year's Eve",
                     D(2026, 5, 1): "Workers' Day", D(2026, 6, 5): "Constitution Day"}
    assert day_off_reason(D(2026, 6, 5), language="da") == "grundlovsdag"
    assert day_off_reason(D(2026, 4, 6), language="da") == "anden påskedag"
    assert day_off_reason(D(2026, 5, 14), language="da") == "Kristi himmelfartsdag"
    assert day_off_reason(D(2026, 3, 7), language="da") == "lørdag"


def test_optional_days_are_named_outside_the_holiday_packages_years() -> None:
    # holidays knows Danish public holidays 1771-2100; the optional days are fixed dates,
    # so the policy still applies, and names them, after 2100.
    assert day_off_reason(D(2103, 12, 24)) == "Christmas Eve"  # a Monday
    # ... but 2nd Christmas Day 2101, a Monday, is no public holiday the package knows.
    assert day_off_reason(D(2101, 12, 26)) is None


def test_day_off_reason_refuses_an_unknown_language() -> None:
    with pytest.raises(InvalidArgument) as error:
        day_off_reason(D(2026, 1, 1), language="xx")
    assert error.value.field == "language"
