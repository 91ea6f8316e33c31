"""Identifiers: CPR numbers, municipality codes, KLE numbers and action facets.

Each is an immutable value type usable as a dict key, and each rejects malformed
input with a casemigrate exception (a :class:`ValueError`) naming the field.

CPR numbers are personal data. A :class:`CPR` never shows its serial part: its
``str``, ``repr`` and ``format`` and every message about it give the birth date and
four asterisks, e.g. ``211062-****``. The full number is available only through the
explicitly named :meth:`CPR.unmasked`, for writing results back to the caller's data.

The CPR rules followed here (CPR-kontoret, "Personnummeret i CPR-systemet"):

* ten digits, ``DDMMYY`` followed by a four-digit serial number ``SSSS``;
* the 7th digit (the first of the serial) gives the century of the birth year;
* the modulus-11 check is *not* required: numbers without it have been issued since
  2007 because some birth dates ran out of numbers that pass it.

Example:
    >>> from casemigrate import CPR, municipality, KLE
    >>> cpr = CPR("211062-1234")
    >>> cpr
    CPR('211062-****')
    >>> print(cpr, cpr.birth_date)
    211062-**** 1962-10-21
    >>> municipality(607)
    Municipality(code=607, name='Fredericia')
    >>> KLE("27.60.00").main_group
    '27'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any, Final, TypeVar

import attrs

from casemigrate._municipalities import MUNICIPALITIES
from casemigrate._validate import is_missing, native, required, type_name
from casemigrate.exceptions import InvalidCPR, InvalidKLE, InvalidMunicipality, InvalidType

__all__ = [
    "CPR",
    "KLE",
    "MUNICIPALITY_CODES",
    "Facet",
    "Municipality",
    "facet",
    "kle_number",
    "municipality",
]

_MONTH_DAYS: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DIGITS: Final = frozenset("0123456789")


def _century(yy: int, seventh: int) -> int:
    """The century of a birth year from the 7th digit (CPR-kontoret's table)."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if yy <= 36 else 1900
    # 5, 6, 7, 8
    return 2000 if yy <= 57 else 1800


_BORN: dict[str, dt.date | str] = {}
_BORN_LIMIT: Final = 1 << 17


def _birth_date(prefix: str) -> dt.date | str:
    """Birth date of the 7-digit prefix ``DDMMYYC``, or why it is not a date.

    Cached: a municipality's records share a few tens of thousands of birth dates,
    and the prefix holds no serial number, so the cache holds no CPR number. The
    cache is bounded; when full it starts over.
    """
    found = _BORN.get(prefix)
    if found is not None:
        return found
    day, month, yy, seventh = int(prefix[0:2]), int(prefix[2:4]), int(prefix[4:6]), int(prefix[6])
    year = _century(yy, seventh) + yy
    result: dt.date | str
    if not 1 <= month <= 12:
        result = f"month {month:02d} does not exist"
    else:
        last = _MONTH_DAYS[month]
        if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
            last = 29
        if not 1 <= day <= last:
            result = f"day {day:02d} does not exist in {month:02d}/{year}"
        else:
            result = dt.date(year, month, day)
    if len(_BORN) >= _BORN_LIMIT:
        _BORN.clear()
    _BORN[prefix] = result
    return result


def _mask(raw: str) -> str:
    """Show at most the birth-date part of something that may be a CPR number."""
    digits = "".join(ch for ch in raw[:32] if ch in _DIGITS)
    if len(digits) >= 6:
        return f"{digits[:6]}-****"
    return "<" + ("*" * len(digits)) + ">"


class CPR:
    """A Danish CPR number (personnummer), validated and always shown masked.

    Accepts ``DDMMYY-SSSS`` or ten digits; spaces and a single hyphen are tolerated.
    The date part must be a real date in the century the 7th digit gives. Modulus
    11 is not required (see the module documentation).

    Args:
        value: The number as a string.

    Raises:
        InvalidCPR: The string is not a CPR number (the message shows it masked).
        InvalidType: ``value`` is not a string.

    Example:
        >>> cpr = CPR("0101001234")
        >>> cpr.birth_date, f"{cpr}", cpr == CPR("010100-1234")
        (datetime.date(1900, 1, 1), '010100-****', True)
        >>> CPR("010140-4234").birth_date  # 7th digit 4: 1937-1999 or 2000-2036
        datetime.date(1940, 1, 1)
    """

    __slots__ = ("_digits", "_hash")
    _digits: str
    _hash: int

    def __init__(self, value: str) -> None:
        if type(value) is not str:
            if isinstance(value, CPR):
                value = value._digits
            elif isinstance(value, str):
                value = str(value)
            else:
                raise InvalidType(f"expected a string, got {type_name(value)}", field="cpr")
        digits = value
        if len(digits) == 11 and digits[6] == "-":
            digits = digits[:6] + digits[7:]
        if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
            digits = value.strip().replace(" ", "")
            if len(digits) == 11 and digits[6] == "-":
                digits = digits[:6] + digits[7:]
            if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
                raise InvalidCPR(
                    f"{_mask(value)} is not a valid CPR number: expected DDMMYY-SSSS "
                    "or ten digits",
                    field="cpr",
                )
        born = _BORN.get(digits[:7]) or _birth_date(digits[:7])
        if type(born) is str:
            raise InvalidCPR(
                f"{digits[:6]}-**** is not a valid CPR number: {born}", field="cpr"
            )
        _SET_DIGITS(self, digits)

    @classmethod
    def is_valid(cls, value: object) -> bool:
        """Whether ``value`` is a valid CPR number; never raises.

        Example:
            >>> CPR.is_valid("211062-1234"), CPR.is_valid("999999-9999"), CPR.is_valid(None)
            (True, False, False)
        """
        try:
            cls(value)  # type: ignore[arg-type]
        except (InvalidCPR, InvalidType):
            return False
        return True

    @property
    def birth_date(self) -> dt.date:
        """The birth date, with the century from the 7th digit."""
        born = _birth_date(self._digits[:7])
        assert isinstance(born, dt.date)  # validated on construction
        return born

    @property
    def masked(self) -> str:
        """The number as ``DDMMYY-****``: the only form casemigrate ever shows."""
        return f"{self._digits[:6]}-****"

    @property
    def passes_modulus_11(self) -> bool:
        """Whether the old modulus-11 check holds (informative; not required)."""
        weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
        return sum(w * int(d) for w, d in zip(weights, self._digits, strict=True)) % 11 == 0

    def unmasked(self) -> str:
        """The full ten digits, for writing results back to the caller's own data.

        This is the only way to read the serial part. Do not log it.
        """
        return self._digits

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"CPR({self.masked!r})"

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __eq__(self, other: object) -> bool:
        if type(other) is CPR:
            return self._digits == other._digits
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if type(other) is CPR:
            return self._digits != other._digits
        return NotImplemented

    # Ordered by birth date, then serial number: a stable order for sorted output.
    # It tells which of two numbers of one birth date has the higher serial, never
    # what the serials are (docs/privacy.md).
    def __lt__(self, other: CPR) -> bool:
        if type(other) is CPR:
            return _order(self) < _order(other)
        return NotImplemented

    def __le__(self, other: CPR) -> bool:
        if type(other) is CPR:
            return _order(self) <= _order(other)
        return NotImplemented

    def __gt__(self, other: CPR) -> bool:
        if type(other) is CPR:
            return _order(self) > _order(other)
        return NotImplemented

    def __ge__(self, other: CPR) -> bool:
        if type(other) is CPR:
            return _order(self) >= _order(other)
        return NotImplemented

    def __hash__(self) -> int:
        # A keyed hash with a key drawn once per process: unlike hash(digits), it does
        # not reveal the number to someone who knows PYTHONHASHSEED (docs/privacy.md).
        # Equal numbers hash alike within a process, as hash() promises; across
        # processes they differ, as str hashes do without a fixed seed.
        try:
            return self._hash
        except AttributeError:
            found = int.from_bytes(
                hashlib.blake2b(self._digits.encode(), digest_size=8, key=_HASH_KEY).digest(),
                "little", signed=True,
            )
            _SET_HASH(self, found)
            return found

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __reduce__(self) -> tuple[type[CPR], tuple[str]]:
        return (CPR, (self._digits,))

    def __copy__(self) -> CPR:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> CPR:
        return self


_SET_DIGITS: Final = CPR.__dict__["_digits"].__set__
_HASH_KEY: Final = secrets.token_bytes(32)
_SET_HASH: Final = CPR.__dict__["_hash"].__set__


def _order(cpr: CPR) -> tuple[dt.date, str]:
    return (cpr.birth_date, cpr._digits[6:])


def cpr_key(cpr: CPR) -> str:
    """The ten digits of ``cpr``, as a key for grouping inside casemigrate.

    Package-private: rule functions group a million records by citizen, and a ``str``
    key hashes in C. Never shown, never returned to a caller.
    """
    return cpr._digits


@attrs.frozen(order=True)
class Municipality:
    """One of the 98 Danish municipalities.

    Build one with :func:`municipality`, which returns a shared instance per code.

    Attributes:
        code: The three-digit municipality code (kommunekode), e.g. 607.
        name: The municipality's name, e.g. ``"Fredericia"``.
    """

    code: int
    name: str = attrs.field(eq=False, order=False)

    def __str__(self) -> str:
        return f"{self.code:03d} {self.name}"


_BY_CODE: Final[dict[int, Municipality]] = {
    code: Municipality(code, name) for code, name in MUNICIPALITIES.items()
}
MUNICIPALITY_CODES: Final[frozenset[int]] = frozenset(_BY_CODE)
"""The 98 municipality codes."""


def municipality(code: int | str | Municipality) -> Municipality:
    """The municipality with the given code.

    Accepts an ``int`` (``607``), a string of digits (``"607"``, or DST's four-digit
    ``"0607"``) or a :class:`Municipality` (returned as is). Instances are shared, so
    a million records cost one object per municipality.

    Args:
        code: The municipality code.

    Returns:
        The shared :class:`Municipality`.

    Raises:
        InvalidMunicipality: The code is not one of the 98.
        InvalidType: ``code`` is neither an int, a string nor a Municipality.

    Example:
        >>> municipality("0101").name
        'København'
        >>> try:
        ...     municipality(411)  # Christiansø is not a municipality
        ... except InvalidMunicipality as error:
        ...     print(error)
        municipality: 411 is not a Danish municipality code
    """
    if type(code) is Municipality:
        return code
    if type(code) is int:
        found = _BY_CODE.get(code)
        if found is not None:
            return found
        raise InvalidMunicipality(
            f"{code} is not a Danish municipality code", field="municipality"
        )
    if isinstance(code, str):
        stripped = code.strip()
        if 1 <= len(stripped) <= 4 and stripped.isascii() and stripped.isdigit():
            return municipality(int(stripped))
        raise InvalidMunicipality(
            f"{stripped[:8]!r} is not a Danish municipality code", field="municipality"
        )
    if is_missing(code):
        raise required("municipality", code)
    plain = native(code)
    if type(plain) is int:
        return municipality(plain)
    raise InvalidType(
        f"expected a municipality code (int or str), got {type_name(code)}",
        field="municipality",
    )


_KLE_RE: Final = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")
_FACET_RE: Final = re.compile(r"[A-Z](?:[0-9]{2})?")


def _kle_value(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidType(
            f"expected a string like '27.60.00', got {type_name(value)}", field="kle"
        )
    text = value.strip()
    if not _KLE_RE.fullmatch(text):
        raise InvalidKLE(
            f"{text[:20]!r} is not a KLE number of the form HH.GG.EE (e.g. '27.60.00')",
            field="kle",
        )
    return text


@attrs.frozen(order=True)
class KLE:
    """A KLE number ``HH.GG.EE``: main group, group and topic (emne).

    Args:
        value: The number, e.g. ``"27.60.00"``; surrounding spaces are removed.

    Raises:
        InvalidKLE: Not of the form ``HH.GG.EE``.

    Example:
        >>> kle = KLE("27.60.00")
        >>> kle.main_group, kle.group, kle.topic, str(kle)
        ('27', '60', '00', '27.60.00')
    """

    value: str = attrs.field(converter=_kle_value)

    @property
    def main_group(self) -> str:
        """The first two digits (hovedgruppe)."""
        return self.value[0:2]

    @property
    def group(self) -> str:
        """The middle two digits (gruppe)."""
        return self.value[3:5]

    @property
    def topic(self) -> str:
        """The last two digits (emne)."""
        return self.value[6:8]

    def __str__(self) -> str:
        return self.value


def _facet_value(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidType(
            f"expected a string like 'G01', got {type_name(value)}", field="facet"
        )
    text = value.strip().upper()
    if not _FACET_RE.fullmatch(text):
        raise InvalidKLE(
            f"{text[:20]!r} is not a KLE action facet (a letter, optionally with two "
            "digits, e.g. 'G01' or 'K')",
            field="facet",
        )
    return text


@attrs.frozen(order=True)
class Facet:
    """A KLE action facet (handlingsfacet), e.g. ``G01`` (general) or ``K``.

    Args:
        value: The facet; upper-cased and stripped.

    Raises:
        InvalidKLE: Not a letter optionally followed by two digits.

    Example:
        >>> Facet("g01"), Facet("K").is_group
        (Facet(value='G01'), True)
    """

    value: str = attrs.field(converter=_facet_value)

    @property
    def is_group(self) -> bool:
        """Whether this is a facet group (a letter alone) rather than one facet."""
        return len(self.value) == 1

    def __str__(self) -> str:
        return self.value


_SHARED_LIMIT: Final = 100_000
_KLES: dict[str, KLE] = {}
_FACETS: dict[str, Facet] = {}


_Shared = TypeVar("_Shared", KLE, Facet)


def _shared(cache: dict[str, _Shared], kind: type[_Shared], value: _Shared | str) -> _Shared:
    """One instance per value: built (and validated) once, then looked up."""
    if type(value) is kind:
        return value
    if type(value) is str:
        found = cache.get(value)
        if found is not None:
            return found
    made = kind(value)
    shared = cache.setdefault(made.value, made)
    if type(value) is str and len(cache) < _SHARED_LIMIT:
        cache[value] = shared
    return shared


def kle_number(value: KLE | str) -> KLE:
    """A shared :class:`KLE` for ``value``: a million cases hold a few hundred numbers.

    Example:
        >>> kle_number("27.60.00") is kle_number("27.60.00")
        True
    """
    return _shared(_KLES, KLE, value)


def facet(value: Facet | str) -> Facet:
    """A shared :class:`Facet` for ``value``.

    Example:
        >>> facet("g01") is facet("G01")
        True
    """
    return _shared(_FACETS, Facet, value)
