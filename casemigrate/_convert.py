"""attrs converters that name the field they convert: one per kind of value.

Private. A record's field takes one of these as its ``converter``; attrs hands it the
field (``attrs.Converter(..., takes_field=True)``), so an error names the field
without a one-line wrapper per field. The checks themselves are those of
:mod:`casemigrate._validate`.

For the type checker each converter is declared as a function of the values it
accepts: mypy's attrs plugin and editors take a constructor's parameter types from the
converter's first parameter, and cannot read them from an ``attrs.Converter``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import attrs

from casemigrate import _validate as v
from casemigrate.exceptions import InvalidType
from casemigrate.identifiers import MUNICIPALITY_CODES, Municipality, municipality

__all__ = ["MUNICIPALITIES", "count", "day", "flag_or_unknown", "identifier",
           "optional_day", "place", "system_text", "to_municipality"]

MUNICIPALITIES: Final = {m.code: m for m in map(municipality, MUNICIPALITY_CODES)}
"""The shared municipalities by code, for the constructors' fast path."""


def to_municipality(value: object) -> Municipality:
    """The shared municipality for a code (an int, a string of digits) or itself."""
    if type(value) is Municipality:
        return value
    found = MUNICIPALITIES.get(value) if type(value) is int else None
    return found if found is not None else municipality(value)  # type: ignore[arg-type]


def _place(value: object, field: Any) -> Municipality:
    del field  # municipality() names its own field
    return to_municipality(value)


def _identifier(value: object, field: Any) -> str:
    return v.text(field.name, value)


def _system_text(value: object, field: Any) -> str:
    return v.text(field.name, value, max_length=100)


def _day(value: object, field: Any) -> dt.date:
    if type(value) is dt.date:
        return value
    return v.day(field.name, value)


def _optional_day(value: object, field: Any) -> dt.date | None:
    if value is None or type(value) is dt.date:
        return value
    return v.optional_day(field.name, value)


def _count(value: object, field: Any) -> int:
    return v.count(field.name, value)


def _flag_or_unknown(value: object, field: Any) -> bool | None:
    """``True``, ``False`` or ``None`` (not known; a missing value too)."""
    if value is None or value is True or value is False:
        return value
    if v.is_missing(value):
        return None
    try:
        return v.flag(field.name, value)
    except InvalidType:
        failure = InvalidType(
            f"expected True, False or None (unknown), got {v.type_name(value)}",
            field=field.name,
        )
    raise failure


if TYPE_CHECKING:
    def place(value: Municipality | int | str) -> Municipality:
        """A municipality, from its code."""

    def identifier(value: str) -> str:
        """A non-empty id of at most 200 characters."""

    def system_text(value: str) -> str:
        """A non-empty name of at most 100 characters."""

    def day(value: dt.date) -> dt.date:
        """A calendar date."""

    def optional_day(value: dt.date | None) -> dt.date | None:
        """A calendar date, or ``None``."""

    def count(value: int) -> int:
        """A whole number of zero or more."""

    def flag_or_unknown(value: bool | None) -> bool | None:
        """``True``, ``False`` or ``None`` (not known)."""
else:
    place = attrs.Converter(_place, takes_field=True)
    identifier = attrs.Converter(_identifier, takes_field=True)
    system_text = attrs.Converter(_system_text, takes_field=True)
    day = attrs.Converter(_day, takes_field=True)
    optional_day = attrs.Converter(_optional_day, takes_field=True)
    count = attrs.Converter(_count, takes_field=True)
    flag_or_unknown = attrs.Converter(_flag_or_unknown, takes_field=True)
