"""Small validators shared by the constructors: each names the field it checks.

Private: the public types call these so that every error message has one shape,
``<field>: <what is wrong>``, and every error is a casemigrate exception.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from casemigrate.exceptions import InvalidArgument, InvalidRecord, InvalidType

_MAX_ID = 200
# Symbols (emoji among them), unassigned, private-use and surrogate code points: no
# case system issues such ids, so they are taken as a broken extract.
_NOT_IN_IDS = frozenset({"So", "Sk", "Cn", "Co", "Cs"})
T = TypeVar("T")


def type_name(value: object) -> str:
    """Name a value's type without showing the value (it may be personal data)."""
    return type(value).__name__


def text(field: str, value: object, *, max_length: int = _MAX_ID) -> str:
    """A non-empty id or name, at most ``max_length`` long.

    Letters (Danish included), digits, punctuation and spaces; not blank.
    """
    if type(value) is not str:
        if isinstance(value, str):
            value = str(value)
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
    """Like :func:`text`, but ``None`` (and an empty string) mean "not given"."""
    if value is None or value == "":
        return None
    return text(field, value, max_length=max_length)


def free_text(field: str, value: object, *, max_length: int = 10_000) -> str:
    """Any string (possibly empty), at most ``max_length`` long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidType(f"expected a string, got {type_name(value)}", field=field)
    if len(value) > max_length:
        raise InvalidRecord(
            f"is {len(value)} characters long; at most {max_length} allowed", field=field
        )
    return str(value)


def day(field: str, value: object) -> dt.date:
    """A calendar date; a ``datetime`` is refused (the rules work on days)."""
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        raise InvalidType("expected a date, got a datetime; pass .date()", field=field)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    raise InvalidType(f"expected a date, got {type_name(value)}", field=field)


def optional_day(field: str, value: object) -> dt.date | None:
    """Like :func:`day`, but ``None`` means "not given"."""
    return None if value is None else day(field, value)


def count(field: str, value: object) -> int:
    """A whole number of zero or more (``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidType(f"expected a whole number, got {type_name(value)}", field=field)
    if value < 0:
        raise InvalidArgument(f"must be zero or more, got {value}", field=field)
    return int(value)


def positive_number(field: str, value: object) -> float:
    """A finite number greater than zero (``bool`` is refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidType(f"expected a number, got {type_name(value)}", field=field)
    number = float(value)
    if not number > 0 or number == float("inf"):
        raise InvalidArgument(f"must be a finite number above zero, got {value}", field=field)
    return number


def money(field: str, value: object) -> Decimal:
    """An amount of money as a finite ``Decimal`` (int, Decimal or a numeric string)."""
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
