"""Danish working days, deadlines and calendar-month arithmetic.

Public holidays come from the ``holidays`` package (``holidays.Denmark``), which knows
that Store Bededag (the Great Prayer Day) was abolished after 2023. Weekends are never
working days.

Four days are not public holidays but are days off in most of the public sector:
24 December, 31 December, 1 May and 5 June (``holidays`` holds exactly these in its
Denmark "optional" category, and names them). Whether they count as working days is
casemigrate's policy, :class:`WorkingDays`. The default treats all four as days off.
That is the cautious choice both ways: deadlines move earlier and finishing dates later,
never the other way. ``holidays`` knows Danish public holidays from 1771 to 2100; outside
those years only weekends and the policy's days are days off.

Moving dates: a *deadline* on a day off rolls back to the previous working day
(:func:`roll_back`); a *start* rolls forward to the next one (:func:`roll_forward`).
Months are calendar months (``dateutil.relativedelta``): 2026-05-31 minus three months
is 2026-02-28.

Example:
    >>> import datetime as dt
    >>> from casemigrate.workdays import is_working_day, months_before, roll_back
    >>> is_working_day(dt.date(2026, 5, 14))  # Ascension Day
    False
    >>> roll_back(dt.date(2026, 5, 25))  # Whit Monday -> the Friday before
    datetime.date(2026, 5, 22)
    >>> months_before(dt.date(2026, 5, 31), 3)
    datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from functools import lru_cache
from typing import Final

import attrs
import holidays
from dateutil.relativedelta import relativedelta

from casemigrate import _validate as v
from casemigrate._text import check_language
from casemigrate.exceptions import InvalidArgument, InvalidType

__all__ = [
    "DEFAULT_WORKING_DAYS",
    "OptionalDayOff",
    "WorkSchedule",
    "WorkingDays",
    "add_working_days",
    "day_off_reason",
    "is_working_day",
    "months_after",
    "months_before",
    "next_working_day",
    "previous_working_day",
    "roll_back",
    "roll_forward",
    "schedule_work",
    "working_days_between",
]

_ONE_DAY: Final = dt.timedelta(days=1)
_MAX_STEPS: Final = 366 * 50  # far beyond any plan; guards against a calendar with no working day
_MAX_WORKING_DAYS: Final = 250 * 200  # a schedule longer than 200 years is a wrong input


class OptionalDayOff(enum.Enum):
    """Days that are not public holidays but are days off in much of the public sector.

    The value is the day's (month, day); its name comes from ``holidays``' Denmark
    "optional" category (:func:`day_off_reason`).
    """

    CHRISTMAS_EVE = (12, 24)
    NEW_YEARS_EVE = (12, 31)
    MAY_DAY = (5, 1)
    CONSTITUTION_DAY = (6, 5)


def _days_off(value: object) -> frozenset[OptionalDayOff]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise InvalidType("expected a set of OptionalDayOff", field="optional_days_off")
    days = frozenset(value)
    for day in days:
        if not isinstance(day, OptionalDayOff):
            raise InvalidType(
                f"expected OptionalDayOff members, got {v.type_name(day)}",
                field="optional_days_off",
            )
    return days


def _extra(value: object) -> frozenset[dt.date]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise InvalidType("expected a set of dates", field="extra_days_off")
    return frozenset(v.day("extra_days_off", day) for day in value)


@attrs.frozen(kw_only=True)
class WorkingDays:
    """The working-day policy: which days besides weekends and public holidays are off.

    Attributes:
        optional_days_off: Which of 24 Dec, 31 Dec, 1 May and 5 June are days off
            (default: all four).
        extra_days_off: Further days off, e.g. a municipality's own closing days.

    Example:
        >>> import datetime as dt
        >>> lenient = WorkingDays(optional_days_off=frozenset())
        >>> is_working_day(dt.date(2026, 6, 5)), is_working_day(dt.date(2026, 6, 5), lenient)
        (False, True)
    """

    optional_days_off: frozenset[OptionalDayOff] = attrs.field(
        default=frozenset(OptionalDayOff), converter=_days_off
    )
    extra_days_off: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_extra)


DEFAULT_WORKING_DAYS: Final = WorkingDays()
"""The default policy: all four optional days are days off."""


_HOLIDAYS_LOCALE: Final = {"en": "en_US", "da": "da"}


@lru_cache(maxsize=256)
def _public_holidays(year: int, language: str = "en_US") -> dict[dt.date, str]:
    calendar = holidays.country_holidays("DK", years=year, language=language)
    return dict(calendar.items())


def _calendar(value: object) -> WorkingDays:
    if type(value) is not WorkingDays and not isinstance(value, WorkingDays):
        raise InvalidType(f"expected WorkingDays, got {v.type_name(value)}", field="calendar")
    return value


def _in_text(name: str, locale: str) -> str:
    """A holiday's name as Danish running text writes it ("grundlovsdag").

    Only "Kristi himmelfartsdag" keeps its capital: Kristi is a name.
    """
    if locale != "da" or name.startswith("Kristi"):
        return name
    return name[:1].lower() + name[1:]


@lru_cache(maxsize=4)
def _optional_names(language: str) -> dict[tuple[int, int], str]:
    """The names ``holidays`` gives the optional days off, by (month, day).

    The four days fall on fixed dates, so one year in the package's range names them for
    every year, also those outside it.
    """
    calendar = holidays.country_holidays(
        "DK", years=2000, categories=("optional",), language=language
    )
    return {(day.month, day.day): name for day, name in calendar.items()}


def day_off_reason(
    day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS, *, language: str = "en"
) -> str | None:
    """Why ``day`` is not a working day, or ``None`` if it is one.

    Args:
        day: The day.
        calendar: The working-day policy.
        language: ``"en"`` or ``"da"``: the language of the holiday's name.

    Returns:
        The weekday or holiday's name, or ``None`` for a working day.

    Example:
        >>> import datetime as dt
        >>> day_off_reason(dt.date(2023, 5, 5)), day_off_reason(dt.date(2024, 4, 26))
        ('Great Prayer Day', None)
        >>> day_off_reason(dt.date(2026, 5, 14), language="da")
        'Kristi himmelfartsdag'
        >>> day_off_reason(dt.date(2026, 12, 24), language="da")
        'juleaftensdag'
    """
    if type(day) is not dt.date:
        day = v.day("day", day)
    if calendar is not DEFAULT_WORKING_DAYS:
        calendar = _calendar(calendar)
    locale = _HOLIDAYS_LOCALE[check_language(language)]
    weekday = day.weekday()
    if weekday >= 5:
        if locale == "da":
            return "lørdag" if weekday == 5 else "søndag"
        return "Saturday" if weekday == 5 else "Sunday"
    holiday = _public_holidays(day.year, locale).get(day)
    if holiday is not None:
        return _in_text(holiday, locale)
    month_day = (day.month, day.day)
    if any(optional.value == month_day for optional in calendar.optional_days_off):
        return _in_text(_optional_names(locale)[month_day], locale)
    if day in calendar.extra_days_off:
        return "en fridag i kalenderen" if locale == "da" else "a day off of the calendar"
    return None


def is_working_day(day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS) -> bool:
    """Whether ``day`` is a Danish working day under ``calendar``."""
    day = v.day("day", day)
    return day_off_reason(day, calendar) is None


def _step(day: dt.date, direction: int, calendar: WorkingDays) -> dt.date:
    step = _ONE_DAY if direction > 0 else -_ONE_DAY
    for _ in range(_MAX_STEPS):
        try:
            day = day + step
        except OverflowError:
            raise InvalidArgument(
                "runs past the last or first date Python can hold (9999-12-31, 0001-01-01)",
                field="day",
            ) from None
        if day_off_reason(day, calendar) is None:
            return day
    raise InvalidArgument("the calendar has no working day in fifty years", field="calendar")


def previous_working_day(day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS) -> dt.date:
    """The last working day strictly before ``day``.

    Example:
        >>> import datetime as dt
        >>> previous_working_day(dt.date(2026, 4, 7))  # Tuesday after Easter Monday
        datetime.date(2026, 4, 1)
    """
    return _step(v.day("day", day), -1, calendar)


def next_working_day(day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS) -> dt.date:
    """The first working day strictly after ``day``.

    Example:
        >>> import datetime as dt
        >>> next_working_day(dt.date(2026, 12, 23))  # skips 24-27 Dec
        datetime.date(2026, 12, 28)
    """
    return _step(v.day("day", day), +1, calendar)


def roll_back(day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS) -> dt.date:
    """``day`` if it is a working day, else the previous working day.

    Deadlines roll back: work due on a day off is due on the working day before.

    Example:
        >>> import datetime as dt
        >>> roll_back(dt.date(2026, 4, 6))  # Easter Monday -> the Wednesday before
        datetime.date(2026, 4, 1)
    """
    return day if is_working_day(day, calendar) else previous_working_day(day, calendar)


def roll_forward(day: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS) -> dt.date:
    """``day`` if it is a working day, else the next working day.

    Starts roll forward: work cannot begin on a day off.

    Example:
        >>> import datetime as dt
        >>> roll_forward(dt.date(2026, 4, 6))  # Easter Monday -> Tuesday
        datetime.date(2026, 4, 7)
    """
    return day if is_working_day(day, calendar) else next_working_day(day, calendar)


def add_working_days(
    day: dt.date, count: int, calendar: WorkingDays = DEFAULT_WORKING_DAYS
) -> dt.date:
    """Move ``count`` working days from ``day`` (back when ``count`` is negative).

    ``day`` itself need not be a working day: ``add_working_days(saturday, 1)`` is the
    Monday after (a normal week), and ``count == 0`` returns ``day`` unchanged.

    Example:
        >>> import datetime as dt
        >>> add_working_days(dt.date(2026, 3, 27), 3)  # Friday + 3 = Wednesday
        datetime.date(2026, 4, 1)
        >>> add_working_days(dt.date(2026, 4, 1), 1)  # over Easter
        datetime.date(2026, 4, 7)
    """
    day = v.day("day", day)
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidType(f"expected a whole number, got {v.type_name(count)}", field="count")
    direction = 1 if count > 0 else -1
    for _ in range(abs(count)):
        day = _step(day, direction, calendar)
    return day


def working_days_between(
    first: dt.date, last: dt.date, calendar: WorkingDays = DEFAULT_WORKING_DAYS
) -> int:
    """How many working days lie from ``first`` to ``last``, both included.

    Example:
        >>> import datetime as dt
        >>> working_days_between(dt.date(2026, 3, 30), dt.date(2026, 4, 10))
        7
    """
    first = v.day("first", first)
    last = v.day("last", last)
    if last < first:
        return 0
    days = (last - first).days + 1
    return sum(
        1 for offset in range(days)
        if day_off_reason(first + dt.timedelta(days=offset), calendar) is None
    )


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` minus ``months`` calendar months (clamped to the month's last day)."""
    return months_after(day, -months)


def months_after(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (clamped to the month's last day).

    Example:
        >>> import datetime as dt
        >>> months_after(dt.date(2026, 1, 31), 1)
        datetime.date(2026, 2, 28)
    """
    first = v.day("day", day)
    try:
        moved: dt.date = first + relativedelta(months=months)
    except (OverflowError, ValueError):
        raise InvalidArgument(
            f"{first} moved by {months} months is outside the years 1-9999", field="day"
        ) from None
    return moved


@attrs.frozen
class WorkSchedule:
    """When a piece of work would finish with given staff, as a range.

    Attributes:
        start: The first working day of the work.
        earliest_finish: The finishing working day if every case takes its low time.
        latest_finish: The finishing working day if every case takes its high time.
        working_days_low: Working days needed at the low end.
        working_days_high: Working days needed at the high end.
    """

    start: dt.date
    earliest_finish: dt.date
    latest_finish: dt.date
    working_days_low: int
    working_days_high: int


def schedule_work(
    low_minutes: int,
    high_minutes: int,
    *,
    staff: float,
    hours_per_day: float,
    start: dt.date,
    calendar: WorkingDays = DEFAULT_WORKING_DAYS,
) -> WorkSchedule:
    """Working days and finishing days for a range of minutes of work.

    The work starts on ``start`` (or the next working day if it is a day off), and that
    day counts as the first. A part day counts as a whole day. No work at all needs zero
    days and "finishes" on the first day.

    Args:
        low_minutes: The work at the low end, in person-minutes.
        high_minutes: The work at the high end, in person-minutes.
        staff: People on the work (a fraction is a part-time share); above zero.
        hours_per_day: Hours each works on it per working day; above zero, at most 24.
        start: The first day of the work.
        calendar: The working-day policy.

    Returns:
        The :class:`WorkSchedule`.

    Raises:
        InvalidArgument: ``staff`` or ``hours_per_day`` is zero or negative, or
            ``hours_per_day`` is above 24.

    Example:
        >>> import datetime as dt
        >>> s = schedule_work(600, 900, staff=1, hours_per_day=5, start=dt.date(2026, 3, 28))
        >>> s.start, s.earliest_finish, s.latest_finish
        (datetime.date(2026, 3, 30), datetime.date(2026, 3, 31), datetime.date(2026, 4, 1))
    """
    staff = v.positive_number("staff", staff)
    hours_per_day = v.positive_number("hours_per_day", hours_per_day)
    if hours_per_day > 24:
        raise InvalidArgument(f"must be at most 24, got {hours_per_day}", field="hours_per_day")
    first = v.day("start", start)
    calendar = _calendar(calendar)
    low_minutes = v.count("low_minutes", low_minutes)
    high_minutes = v.count("high_minutes", high_minutes)
    if day_off_reason(first, calendar) is not None:
        first = next_working_day(first, calendar)
    per_day = staff * hours_per_day * 60

    def finish(minutes: int) -> tuple[int, dt.date]:
        try:
            ratio = minutes / per_day if minutes > 0 else 0.0
        except OverflowError:
            ratio = math.inf
        if not ratio <= _MAX_WORKING_DAYS:  # inf and nan too
            raise InvalidArgument(
                f"the work would take more than {_MAX_WORKING_DAYS:,} working days (about "
                "200 years); check the staff and hours", field="staff",
            )
        days = math.ceil(ratio - 1e-9) if minutes > 0 else 0
        return days, add_working_days(first, max(days - 1, 0), calendar)

    days_low, earliest = finish(low_minutes)
    days_high, latest = finish(high_minutes)
    return WorkSchedule(first, earliest, latest, days_low, days_high)
