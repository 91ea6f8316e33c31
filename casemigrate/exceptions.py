"""The exceptions casemigrate raises.

Every exception derives from :class:`CaseMigrateError`. Where a value is at fault
the exception is also a :class:`ValueError`; where its type is, a :class:`TypeError`.
Each names the field or argument at fault in :attr:`CaseMigrateError.field`, so a
caller can map it back to a column of their own data.

Messages never carry a full CPR number: a value that might be one is shown masked.

Example:
    >>> from casemigrate import CPR, InvalidCPR
    >>> try:
    ...     CPR("320162-1234")
    ... except InvalidCPR as error:
    ...     print(error.field, "|", error)
    cpr | cpr: 320162-**** is not a valid CPR number: day 32 does not exist in 01/1962
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CaseMigrateError",
    "InvalidArgument",
    "InvalidCPR",
    "InvalidKLE",
    "InvalidMunicipality",
    "InvalidPlan",
    "InvalidRecord",
    "InvalidType",
    "InvalidValue",
    "MissingDependency",
    "UnknownRuleCode",
    "mask_cpr_id",
    "mask_numbers",
]


# Six digits, an optional hyphen or space, and four or more digits: what a CPR number
# looks like, wherever it was given (a shifted column puts one in any field). Nine digits
# alone are one whose leading zero a numeric column dropped (0101001234 -> 101001234).
_CPR_LIKE: Final = re.compile(r"(?<!\d)(\d{6})[- ]?\d{4,}|(?<!\d)(\d{5})\d{4}(?!\d)")


def mask_numbers(text: str) -> str:
    """``text`` with every run of digits that may be a CPR number masked.

    Ten or more digits, optionally split after the sixth by a hyphen or a space, keep
    their first six (the birth date) and lose the rest: ``211062-****``. Nine digits
    alone (a CPR number whose leading zero a numeric column dropped) keep five.

    Example:
        >>> mask_numbers("'x2110621234' is not a KLE number; 2026-03-01 is a date")
        "'x211062-****' is not a KLE number; 2026-03-01 is a date"
        >>> mask_numbers("101001234 is not a CPR number")  # 0101001234, its zero lost
        '10100-**** is not a CPR number'
    """
    return _CPR_LIKE.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    return f"{match.group(1) or match.group(2)}-****"


_WHOLE_CPR: Final = re.compile(r"\d{6}-?\d{4}")


def mask_cpr_id(text: str) -> str:
    """``text`` masked if it is, as a whole, a CPR number (a record id some systems use).

    Record ids are shown in full so a person can find the record; one that is a CPR
    number is shown as one: ``211062-****``.

    Example:
        >>> mask_cpr_id("2110621234"), mask_cpr_id("SAG-2024-0001")
        ('211062-****', 'SAG-2024-0001')
    """
    if 10 <= len(text) <= 11 and _WHOLE_CPR.fullmatch(text):
        return f"{text[:6]}-****"
    return text


class CaseMigrateError(Exception):
    """Base class of every exception raised by casemigrate.

    Messages are masked: anything in them that looks like a CPR number (ten digits,
    split after the sixth or not) shows only its birth date, whatever field it was
    given in.

    Attributes:
        field: The name of the field or argument at fault, or ``None`` when no
            single field is.
    """

    field: str | None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        message = mask_numbers(message)
        if field is not None:
            field = mask_numbers(field)
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}" if field else message)

    def with_field(self, field: str) -> CaseMigrateError:
        """Return a copy of this error that names ``field`` as the one at fault.

        Used when a value validated on its own (a CPR, a KLE number) turns out to be
        the value of a record's field: the caller learns which column was wrong.
        """
        return type(self)(self.reason, field=field)


class InvalidValue(CaseMigrateError, ValueError):
    """A value has the right type but cannot be what the field needs."""


class InvalidType(CaseMigrateError, TypeError):
    """A value has a type the field does not accept."""


class InvalidCPR(InvalidValue):
    """A string is not a valid CPR number (its message shows it masked)."""


class InvalidMunicipality(InvalidValue):
    """A code is not one of the 98 Danish municipality codes."""


class InvalidKLE(InvalidValue):
    """A KLE number or action facet is malformed."""


class InvalidRecord(InvalidValue):
    """A record (case, service, delivery) is inconsistent, e.g. ends before it starts."""


class InvalidPlan(InvalidValue):
    """A cutover plan cannot be a plan, e.g. its new system is its old system."""


class InvalidArgument(InvalidValue):
    """An argument to a rule function is out of its range (a negative count, staff=0)."""


class UnknownRuleCode(InvalidValue):
    """A finding code that is not in the catalogue was asked for."""


class MissingDependency(CaseMigrateError, ImportError):
    """An optional feature needs a package that is not installed (e.g. pandas)."""
