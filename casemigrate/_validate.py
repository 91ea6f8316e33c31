"""Small validators shared by the constructors: each names the field it checks.

Private: the public types call these so that every error message has one shape,
``<field>: <what is wrong>``, and every error is a casemigrate exception.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Final, TypeVar

from casemigrate.exceptions import CaseMigrateError, InvalidArgument, InvalidRecord, InvalidType

_MAX_ID = 200
_MONEY_LIMIT: Final = Decimal(10) ** 15  # a thousand billion kroner: room for øre in 28 digits
# Symbols (emoji among them), unassigned, private-use and surrogate code points: no
# case system issues such ids, so they are taken as a broken extract.
_NOT_IN_IDS = frozenset({"So", "Sk", "Cn", "Co", "Cs"})
T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def type_name(value: object) -> str:
    """Name a value's type without showing the value (it may be personal data)."""
    return type(value).__name__


# ---- values from tables --------------------------------------------------------
# A frame read with pandas holds numpy and pandas scalars: NaN, NA and NaT where a
# cell is empty, numpy integers and booleans, Timestamps for dates. The validators
# below read them as the Python values they stand for, on their slow path only: a
# plain str, int or date never reaches this code. pandas and numpy are never imported
# here; a value of theirs proves its module is loaded already.

_FOREIGN: Final = ("numpy", "pandas")
_MIDNIGHT: Final = dt.time(0, 0)


def _foreign(value: object) -> bool:
    return type(value).__module__.partition(".")[0] in _FOREIGN


def is_missing(value: object) -> bool:
    """Whether ``value`` stands for an empty cell: None, NaN, pandas NA or NaT, numpy NaT."""
    if value is None:
        return True
    if isinstance(value, float):  # numpy.float64 too
        return math.isnan(value)
    if _foreign(value):
        name = type(value).__name__
        if name in ("NAType", "NaTType"):
            return True
        if name in ("datetime64", "timedelta64") or name.startswith("float"):
            return bool(value != value)  # noqa: PLR0124  # NaT, NaN: unequal to themselves
    return False


def native(value: object) -> object:
    """A numpy scalar as the Python value it holds; any other value unchanged.

    numpy booleans become ``bool``, integers ``int``, floats ``float``, strings
    ``str`` and datetime64 a ``datetime`` (``None`` for NaT).
    """
    if type(value).__module__.partition(".")[0] != "numpy":
        return value
    np = sys.modules.get("numpy")
    if np is None:  # pragma: no cover - a numpy value means numpy is loaded
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.str_):
        return str(value)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        item = value.astype("datetime64[us]").item()
        return item if isinstance(item, dt.datetime) else value  # beyond year 9999: as is
    return value


def required(field: str, value: object) -> InvalidRecord:
    """The error for a missing value in a field that must have one."""
    return InvalidRecord(f"is required, got a missing value ({type_name(value)})", field=field)


def choice(
    field: str, kind: type[E], value: object, error: type[CaseMigrateError] = InvalidRecord
) -> E:
    """A member of the enum ``kind``, or its value; else ``error`` naming the field.

    Looked up without raising inside casemigrate, so no exception carries the value
    given in its context.
    """
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
        shown = repr(value[:20])
    elif is_missing(value):
        raise required(field, value)
    else:
        shown = f"a {type_name(value)}"
    raise error(f"expected one of {[member.value for member in kind]}, got {shown}",
                field=field)


def one_of(
    field: str, options: tuple[str, ...], value: object,
    error: type[CaseMigrateError] = InvalidArgument,
) -> str:
    """One of the strings ``options``; else ``error`` naming the field.

    Any value may come in (an array, a dict): only a string is compared, so nothing
    raises inside casemigrate, and a string is shown cut short (masked, as every
    message is).
    """
    if isinstance(value, str):
        if value in options:
            return value
        shown = repr(value[:20])
    else:
        shown = f"a {type_name(value)}"
    listed = [repr(option) for option in options]
    expected = f"{', '.join(listed[:-1])} or {listed[-1]}" if len(listed) > 1 else listed[0]
    raise error(f"expected {expected}, got {shown}", field=field)


def flag(field: str, value: object) -> bool:
    """``True`` or ``False`` (a numpy boolean too); nothing else, not even ``"False"``."""
    if value is True or value is False:
        return value
    if type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
        return bool(value)
    raise InvalidType(f"expected True or False, got {type_name(value)}", field=field)


def text(field: str, value: object, *, max_length: int = _MAX_ID) -> str:
    """A non-empty id or name, at most ``max_length`` long.

    Letters (Danish included), digits, punctuation and spaces; not blank.
    """
    if type(value) is not str:
        if isinstance(value, str):
            value = str(value)
        elif is_missing(value):
            raise required(field, value)
        else:
            raise InvalidType(f"expected a string, got {type_name(value)}", field=field)
    if not value or value.isspace():
        raise InvalidRecord("must not be empty", field=field)
    if len(value) > max_length:
        raise InvalidRecord(
            f"is {len(value)} characters long; at most {max_length} allowed", field=field
        )
    if not value.isprintable():
        raise InvalidRecord("contains control characters", field=field)
    if not value.isascii():
        for char in value:
            if unicodedata.category(char) in _NOT_IN_IDS:
                raise InvalidRecord(
                    "may hold letters, digits, punctuation and spaces only, "
                    f"not {unicodedata.name(char, 'an unnamed character').lower()}",
                    field=field,
                )
    return value


def optional_text(field: str, value: object, *, max_length: int = 1000) -> str | None:
    """Like :func:`text`, but a missing value (and an empty string) mean "not given"."""
    if value is None or (isinstance(value, str) and not value) or is_missing(value):
        return None
    return text(field, value, max_length=max_length)


def free_text(field: str, value: object, *, max_length: int = 10_000) -> str:
    """Any string (possibly empty), at most ``max_length`` long; a missing value is ``""``."""
    if value is None or is_missing(value):
        return ""
    if not isinstance(value, str):
        raise InvalidType(f"expected a string, got {type_name(value)}", field=field)
    if len(value) > max_length:
        raise InvalidRecord(
            f"is {len(value)} characters long; at most {max_length} allowed", field=field
        )
    return str(value)


def day(field: str, value: object) -> dt.date:
    """A calendar date.

    A ``datetime`` (a pandas ``Timestamp`` or numpy ``datetime64`` too) at midnight is
    its date; one with a time of day is refused: the rules work on days.
    """
    if type(value) is dt.date:
        return value
    if is_missing(value):
        raise required(field, value)
    value = native(value)
    if isinstance(value, dt.datetime):
        if has_time_of_day(value):
            raise InvalidType("expected a date, got a datetime with a time of day; pass "
                              ".date() if the day is what is meant", field=field)
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    raise InvalidType(f"expected a date, got {type_name(value)}", field=field)


def has_time_of_day(moment: dt.datetime) -> bool:
    """Whether ``moment`` is past midnight (a pandas ``Timestamp``: to the nanosecond).

    The one test of "a day, or a day and a time" for the constructors and the table
    readers alike.
    """
    return moment.time() != _MIDNIGHT or bool(getattr(moment, "nanosecond", 0))


def optional_day(field: str, value: object) -> dt.date | None:
    """Like :func:`day`, but a missing value means "not given"."""
    return None if is_missing(value) else day(field, value)


def count(field: str, value: object) -> int:
    """A whole number of zero or more (``bool`` is refused; a numpy integer is an int)."""
    value = native(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(f"expected a whole number, got {type_name(value)}", field=field)
    if value < 0:
        raise InvalidArgument(f"must be zero or more, got {value}", field=field)
    return int(value)


def positive_number(field: str, value: object) -> float:
    """A finite number greater than zero (``bool`` is refused)."""
    value = native(value)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidType(f"expected a number, got {type_name(value)}", field=field)
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidArgument("must be a finite number above zero", field=field)
    try:
        number = float(value)
    except OverflowError:
        raise InvalidArgument("must be a finite number above zero", field=field) from None
    if not number > 0 or number == float("inf"):
        raise InvalidArgument(f"must be a finite number above zero, got {value}", field=field)
    return number


def money(field: str, value: object) -> Decimal:
    """An amount of money as a finite ``Decimal`` (int, Decimal or a numeric string)."""
    value = native(value)
    if isinstance(value, bool | float):
        raise InvalidType(
            f"expected a Decimal, an int or a numeric string, got {type_name(value)} "
            "(floats cannot hold kroner and øre exactly)",
            field=field,
        )
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip().replace(" ", ""))
        except InvalidOperation:
            raise InvalidArgument("is not a number", field=field) from None
    else:
        raise InvalidType(f"expected a Decimal, got {type_name(value)}", field=field)
    if not amount.is_finite():
        raise InvalidArgument("must be a finite amount", field=field)
    if abs(amount) >= _MONEY_LIMIT:
        raise InvalidArgument("is out of range: at most 999,999,999,999,999 kroner",
                              field=field)
    return amount


def instances(field: str, values: object, kind: type[T]) -> tuple[T, ...]:
    """A tuple of ``kind`` from any iterable (a lone string or mapping is refused)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidType(
            f"expected an iterable of {kind.__name__}, got {type_name(values)}", field=field
        )
    items = tuple(values)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvalidType(
                f"item {index} is a {type_name(item)}, expected {kind.__name__}", field=field
            )
    return items


def instance(field: str, value: object, kind: type[T]) -> T:
    """``value`` itself, if it is a ``kind``; else an error naming the field."""
    if not isinstance(value, kind):
        raise InvalidType(f"expected a {kind.__name__}, got {type_name(value)}", field=field)
    return value


def iterable(field: str, values: object) -> Iterable[object]:
    """An iterable of records (a lone string or bytes is refused)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidType(f"expected an iterable, got {type_name(values)}", field=field)
    return values


def each(field: str, values: object, kind: type[T]) -> Iterator[T]:
    """The items of an iterable, each checked to be a ``kind`` as it comes."""
    for item in iterable(field, values):
        if not isinstance(item, kind):
            raise InvalidType(
                f"expected {kind.__name__} items, got {type_name(item)}", field=field
            )
        yield item
