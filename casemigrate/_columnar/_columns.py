"""Validate a table in bulk into typed columns: ``validate → columns``.

A table with the record's field names (``case_id``, ``municipality``, ``citizen``,
...) is checked column by column with the same rules as the record constructors, and
what passes is held as compact columns:

* ids as an Arrow string array (they only leave the engine as finding subjects);
* the municipality as its code (``int16``), the CPR number as its ten digits read as
  one ``int64`` (``-1``: no citizen);
* systems and service codes dictionary-encoded (``int32`` indices into a list of the
  distinct values; ``-1``: no code);
* dates as ``int32`` day numbers since 1970-01-01 (``date32``), so 0001-01-01 and
  9999-12-31 are ordinary values. A missing end or closing date is :data:`OPEN`, a
  number above every real day; a missing start is :data:`MISSING`, below every real day.

Each value is judged by the validator the constructor uses, once per distinct value
where the value can repeat (municipalities, CPR numbers, systems, codes), so a table
is refused exactly where its records would be. The error names the row and the field
as :meth:`casemigrate.Case.from_rows` does (``rows[17].citizen``); of several bad
values, the one the records would meet first (lowest row, then field order) is
reported.

Columns other than the record's fields are not read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate import _validate as v
from casemigrate import model
from casemigrate.exceptions import CaseMigrateError, InvalidRecord, InvalidType
from casemigrate.identifiers import (
    CPR,
    KLE,
    MUNICIPALITY_CODES,
    Facet,
    cpr_key,
    facet,
    kle_number,
)

Array = Any  # numpy arrays: typed loosely so the core type-checks without numpy

OPEN: Final = int(np.iinfo(np.int32).max)
"""The day number of an end or closing date that is not given (still open)."""
MISSING: Final = int(np.iinfo(np.int32).min)
"""The day number of a start date that is not given."""
NO_CITIZEN: Final = -1
NO_CODE: Final = -1
_EPOCH: Final = dt.date(1970, 1, 1).toordinal()
_KNOWN: Final = np.zeros(max(MUNICIPALITY_CODES) + 1, dtype=bool)
_KNOWN[sorted(MUNICIPALITY_CODES)] = True  # a lookup table: _KNOWN[code]


def day_of(number: int) -> dt.date:
    """The date of a day number."""
    return dt.date.fromordinal(number + _EPOCH)


def day_number(day: dt.date) -> int:
    """The day number of a date."""
    return day.toordinal() - _EPOCH


class CaseColumns:
    """Validated cases as columns (see the module documentation)."""

    __slots__ = ("case_id", "citizen", "closed", "municipality", "opened", "system",
                 "systems")

    def __init__(self, *, case_id: pa.Array, municipality: Array, citizen: Array,
                 system: Array, systems: list[str], opened: Array, closed: Array) -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.citizen = citizen
        self.system = system
        self.systems = systems
        self.opened = opened
        self.closed = closed

    def __len__(self) -> int:
        return len(self.opened)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        return int(self.case_id.nbytes + sum(
            getattr(self, name).nbytes
            for name in ("municipality", "citizen", "system", "opened", "closed")))


class ServiceColumns:
    """Validated services as columns (see the module documentation)."""

    __slots__ = ("citizen", "code", "codes", "end", "municipality", "service_id", "start",
                 "system", "systems")

    def __init__(self, *, service_id: pa.Array, municipality: Array, citizen: Array,
                 code: Array, codes: list[str], start: Array, end: Array, system: Array,
                 systems: list[str]) -> None:
        self.service_id = service_id
        self.municipality = municipality
        self.citizen = citizen
        self.code = code
        self.codes = codes
        self.start = start
        self.end = end
        self.system = system
        self.systems = systems

    def __len__(self) -> int:
        return len(self.start)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        return int(self.service_id.nbytes + sum(
            getattr(self, name).nbytes
            for name in ("municipality", "citizen", "code", "start", "end", "system")))


# ---- reading the table --------------------------------------------------------------

def as_arrow(table: object) -> pa.Table:
    """An Arrow table from a pyarrow, pandas or polars table (or any Arrow stream)."""
    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    module = type(table).__module__.partition(".")[0]
    try:
        if module == "pandas":
            return pa.Table.from_pandas(table, preserve_index=False)
        if module == "polars":
            return table.to_arrow()  # type: ignore[attr-defined]
        return pa.table(table)
    except (pa.ArrowException, TypeError, ValueError) as error:
        raise InvalidType(f"cannot read the {v.type_name(table)} as a table: {error}",
                          field="table") from None


class _Errors:
    """The first error the records would meet: lowest row, then field order."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.order = {name: index for index, name in enumerate(fields)}
        self.first: tuple[int, int, CaseMigrateError] | None = None

    def add(self, row: int, field: str, error: CaseMigrateError) -> None:
        key = (row, self.order[field])
        if self.first is None or key < self.first[:2]:
            self.first = (row, key[1], error)

    def raise_first(self) -> None:
        if self.first is not None:
            row, _, error = self.first
            raise error.with_field(f"rows[{row}]" + (f".{error.field}" if error.field else ""))


def _column(table: pa.Table, name: str, *, required: bool = True) -> pa.Array | None:
    if name not in table.column_names:
        if required:
            raise InvalidRecord(f"the table has no column {name!r}", field=name)
        return None
    column = table.column(name)
    array = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
        array = array.cast(pa.string())
    return array


def _call(check: Callable[[Any], Any], value: object, field: str) -> CaseMigrateError | None:
    """The error ``check`` raises for ``value``, named for ``field``, or ``None``."""
    try:
        check(value)
    except CaseMigrateError as error:
        return error if error.field else error.with_field(field)
    return None


def _first_true(mask: Array) -> int:
    return int(np.argmax(mask))


def _null_mask(array: pa.Array) -> Array:
    if array.null_count == 0:
        return np.zeros(len(array), dtype=bool)
    return np.asarray(array.is_null().to_numpy(zero_copy_only=False))


def _wrong_type(array: pa.Array, field: str, check: Callable[[Any], Any],
                errors: _Errors) -> None:
    """A column of a type the field does not take: the first row's own error."""
    for row in range(len(array)):
        error = _call(check, array[row].as_py(), field)
        if error is not None:
            errors.add(row, field, error)
            return


def _ids(array: pa.Array, field: str, errors: _Errors) -> pa.Array:
    """Non-empty printable ids of at most 200 characters, as the constructors want."""
    def check(value: object) -> None:
        model._id(field, value)

    if not pa.types.is_string(array.type):
        _wrong_type(array, field, check, errors)
        return array
    length = pc.binary_length(array)
    fast = pc.and_(pc.and_(pc.ascii_is_printable(array), pc.invert(pc.ascii_is_space(array))),
                   pc.and_(pc.greater(length, 0), pc.less_equal(length, 200)))
    slow = np.flatnonzero(~fast.fill_null(False).to_numpy(zero_copy_only=False))
    for row in slow:  # non-ASCII ids (Danish letters), nulls and the refused
        error = _call(check, array[int(row)].as_py(), field)
        if error is not None:
            errors.add(int(row), field, error)
            break
    return array


def _municipalities(array: pa.Array, errors: _Errors) -> Array:
    field = "municipality"
    out = np.zeros(len(array), dtype=np.int16)
    if pa.types.is_integer(array.type):
        values = np.asarray(array.fill_null(0).to_numpy(zero_copy_only=False))
        inside = (values > 0) & (values < len(_KNOWN))
        good = inside & _KNOWN[np.where(inside, values, 0)] & ~_null_mask(array)
        out[good] = values[good]
        if not good.all():
            row = _first_true(~good)
            error = _call(model._municipality, array[row].as_py(), field)
            assert error is not None
            errors.add(row, field, error)
        return out
    if pa.types.is_string(array.type):
        encoded = array.dictionary_encode()
        codes = np.zeros(len(encoded.dictionary), dtype=np.int16)
        bad = np.zeros(len(codes), dtype=bool)
        for index, text in enumerate(encoded.dictionary.to_pylist()):
            try:
                codes[index] = model._municipality(text).code
            except CaseMigrateError:
                bad[index] = True
        indices = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
        out = codes[indices]
        rows_bad = bad[indices] | _null_mask(array)
        if rows_bad.any():
            row = _first_true(rows_bad)
            error = _call(model._municipality, array[row].as_py(), field)
            assert error is not None
            errors.add(row, field, error)
        return out
    _wrong_type(array, field, model._municipality, errors)
    return out




def _plain_cpr_digits(array: pa.Array) -> tuple[Array, Array]:
    """``DDMMYY-SSSS`` or ten digits, read straight from the Arrow string buffers.

    Returns the ten digits as one ``int64``, and where the value had one of the two
    plain forms and a real birth date. Anything else (spaces, say, or no such day)
    goes through :class:`CPR` one by one, for its own error.
    """
    size = len(array)
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset:array.offset + size + 1]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    starts, lengths = offsets[:-1], np.diff(offsets)
    plain = ((lengths == 10) | (lengths == 11)) & (starts + lengths <= len(data))
    plain &= len(data) > 0
    if not plain.any():
        return np.zeros(size, dtype=np.int64), plain
    where = np.flatnonzero(plain)
    first = starts[where]
    eleven = lengths[where] == 11
    good = ~eleven | (data[np.where(eleven, first + 6, first)] == ord("-"))
    number = np.zeros(len(where), dtype=np.int64)
    parts = []
    for place in range(10):  # one pass per digit: no (n, 10) temporaries
        digit = data[first + place + (eleven if place >= 6 else 0)] - np.uint8(48)
        good &= digit <= 9  # unsigned: a byte below "0" wraps round to above 9
        number = number * 10 + digit
        if place < 7:
            parts.append(digit.astype(np.int16))
    day, month, yy = (parts[0] * 10 + parts[1], parts[2] * 10 + parts[3],
                      parts[4] * 10 + parts[5])
    good &= _real_dates(day, month, yy, parts[6])
    plain[where] = good
    values = np.zeros(size, dtype=np.int64)
    values[where] = number
    return values, plain


def _citizens(array: pa.Array, errors: _Errors) -> Array:
    """CPR numbers as their ten digits in one ``int64``; ``-1`` where there is none."""
    field = "citizen"

    def check(value: object) -> None:
        model._batch_cpr({}, value)

    out = np.full(len(array), NO_CITIZEN, dtype=np.int64)
    if pa.types.is_null(array.type):
        return out
    if not pa.types.is_string(array.type):
        for row in np.flatnonzero(~_null_mask(array)):
            errors.add(int(row), field, _call(check, array[int(row)].as_py(), field)
                       or InvalidType("expected a string", field=field))
            break
        return out
    present = ~_null_mask(array)
    values, fast_mask = _plain_cpr_digits(array)
    fast_mask &= present
    out[fast_mask] = values[fast_mask]
    slow = np.flatnonzero(present & ~fast_mask)
    cache: dict[str, CPR] = {}
    for row in slow:  # spaces, or not a CPR number at all
        value = array[int(row)].as_py()
        try:
            out[row] = int(cpr_key(model._batch_cpr(cache, value)))  # type: ignore[arg-type]
        except CaseMigrateError as error:
            errors.add(int(row), field, error)
            break
    return out


_MONTH_DAYS: Final = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _real_birth_dates(digits: Array) -> Array:
    """Whether each CPR number (ten digits as one integer) starts with a real birth date."""
    prefix = digits // 1000
    return _real_dates(prefix // 100_000, (prefix // 1000) % 100, (prefix // 10) % 100,
                       prefix % 10)


def _real_dates(day: Array, month: Array, yy: Array, seventh: Array) -> Array:
    """Whether each (day, month, two-digit year, 7th digit) is a real birth date.

    :func:`casemigrate.identifiers._birth_date` over arrays, with the century from the
    7th digit (CPR-kontoret's table).
    """
    century = np.where(seventh <= 3, 1900, np.where(
        (seventh == 4) | (seventh == 9), np.where(yy <= 36, 2000, 1900),
        np.where(yy <= 57, 2000, 1800)))
    year = century + yy
    good_month = (month >= 1) & (month <= 12)
    last = _MONTH_DAYS[np.where(good_month, month, 0)]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = np.where((month == 2) & leap, 29, last)
    return np.asarray(good_month & (day >= 1) & (day <= last))


def _dictionary(array: pa.Array, field: str, check: Callable[[Any], str | None],
                errors: _Errors, *, nullable: bool) -> tuple[Array, list[str]]:
    """Indices into the list of distinct valid values; ``-1`` for a missing value."""
    if pa.types.is_null(array.type) and nullable:
        return np.full(len(array), -1, dtype=np.int32), []
    if not pa.types.is_string(array.type):
        _wrong_type(array, field, check, errors)
        return np.full(len(array), -1, dtype=np.int32), []
    encoded = array.dictionary_encode()
    names: list[str] = []
    position: dict[str, int] = {}
    mapping = np.full(len(encoded.dictionary) + 1, -1, dtype=np.int32)
    bad = np.zeros(len(mapping), dtype=bool)
    for index, text in enumerate(encoded.dictionary.to_pylist()):
        try:
            name = check(text)
        except CaseMigrateError:
            bad[index] = True
            continue
        if name is not None:
            mapping[index] = position.setdefault(name, len(names))
            if mapping[index] == len(names):
                names.append(name)
    indices = encoded.indices.fill_null(len(mapping) - 1).to_numpy(zero_copy_only=False)
    nulls = _null_mask(array)
    rows_bad = bad[indices] | (nulls if not nullable else False)
    if np.any(rows_bad):
        row = _first_true(rows_bad)
        error = _call(check, array[row].as_py(), field)
        assert error is not None
        errors.add(row, field, error)
    return mapping[indices], names


def _days(array: pa.Array, field: str, errors: _Errors, *, missing: int | None) -> Array:
    """Day numbers; ``missing`` for a null (``None``: a null is refused)."""
    def check(value: object) -> None:
        v.day(field, value)

    if pa.types.is_date64(array.type):
        array = array.cast(pa.date32())
    elif pa.types.is_timestamp(array.type) and array.type.tz is None:
        # Timestamps at midnight are days, as the records read them (_validate.day); with
        # a time of day the column stays, and the row's own error is found below.
        days = array.cast(pa.date32())
        if pc.all(pc.equal(days.cast(array.type), array)).as_py() is not False:
            array = days
    if pa.types.is_null(array.type) and missing is not None:
        return np.full(len(array), missing, dtype=np.int32)
    if not pa.types.is_date32(array.type):
        _wrong_type(array, field, check, errors)
        return np.zeros(len(array), dtype=np.int32)
    days = array.view(pa.int32())
    if array.null_count:
        if missing is None:
            row = _first_true(_null_mask(array))
            errors.add(row, field, InvalidType("expected a date, got NoneType", field=field))
            return np.zeros(len(array), dtype=np.int32)
        days = days.fill_null(missing)
    return np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.int32)


def _before(earlier: Array, later: Array, field: str, other: str, errors: _Errors,
            *, missing: int | None = None) -> None:
    """``later`` before ``earlier`` (where both are given) is refused, as in the records."""
    given = later != OPEN
    if missing is not None:
        given &= earlier != missing
    wrong = given & (later < earlier)
    if wrong.any():
        row = _first_true(wrong)
        errors.add(row, field, InvalidRecord(
            f"{day_of(int(later[row]))} is before {other} {day_of(int(earlier[row]))}",
            field=field))


_CASE_FIELDS: Final = ("case_id", "municipality", "citizen", "system", "opened", "closed",
                       "kle", "facet", "origin", "title", "caseworker", "organisation")
_CASE_EXTRAS: Final[dict[str, Callable[[Any], Any]]] = {
    "kle": lambda x: None if x is None or type(x) is KLE else kle_number(x),
    "facet": lambda x: None if x is None or type(x) is Facet else facet(x),
    "origin": model._origin,
    "title": model._title,
    "caseworker": model._caseworker,
    "organisation": model._organisation,
}


def cases(table: object) -> CaseColumns:
    """Validate a table of cases into :class:`CaseColumns`.

    Raises:
        CaseMigrateError: A row cannot be a case (``field`` names the row and the
            field, e.g. ``rows[17].citizen``), or a column is missing.
    """
    arrow = as_arrow(table)
    errors = _Errors(_CASE_FIELDS)
    case_id = _ids(_column(arrow, "case_id"), "case_id", errors)
    where = _municipalities(_column(arrow, "municipality"), errors)
    citizen = _citizens(_column(arrow, "citizen"), errors)
    system, systems = _dictionary(_column(arrow, "system"), "system", model._system_name,
                                  errors, nullable=False)
    opened = _days(_column(arrow, "opened"), "opened", errors, missing=None)
    closed_column = _column(arrow, "closed", required=False)
    closed = (np.full(len(arrow), OPEN, dtype=np.int32) if closed_column is None
              else _days(closed_column, "closed", errors, missing=OPEN))
    _before(opened, closed, "closed", "opened", errors)
    for name, check in _CASE_EXTRAS.items():
        column = _column(arrow, name, required=False)
        if column is not None:
            _each_distinct(column, name, check, errors)
    errors.raise_first()
    return CaseColumns(case_id=case_id, municipality=where, citizen=citizen, system=system,
                       systems=systems, opened=opened, closed=closed)


def _each_distinct(array: pa.Array, field: str, check: Callable[[Any], Any],
                   errors: _Errors) -> None:
    """Every distinct value through the constructor's own converter."""
    try:
        encoded = array.dictionary_encode()
    except pa.ArrowException:  # a type Arrow cannot hash: judge row by row
        _wrong_type(array, field, check, errors)
        return
    for index, value in enumerate(encoded.dictionary.to_pylist()):
        error = _call(check, value, field)
        if error is not None:
            rows = np.flatnonzero(encoded.indices.fill_null(-1).to_numpy(
                zero_copy_only=False) == index)
            errors.add(int(rows[0]), field, error)
    if array.null_count:
        error = _call(check, None, field)
        if error is not None:
            errors.add(_first_true(_null_mask(array)), field, error)


_SERVICE_FIELDS: Final = ("service_id", "municipality", "citizen", "code", "target_groups",
                          "start", "end", "system")


def _target_groups(array: pa.Array, errors: _Errors) -> None:
    field = "target_groups"
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        _wrong_type(array, field, model._target_groups, errors)
        return
    if array.null_count:
        row = _first_true(_null_mask(array))
        errors.add(row, field, _call(model._target_groups, None, field)
                   or InvalidType("expected a set", field=field))
    items = array.flatten()
    parents = pc.list_parent_indices(array).to_numpy(zero_copy_only=False)
    if not pa.types.is_string(items.type) and not pa.types.is_large_string(items.type):
        if len(items):
            _wrong_type(array, field, model._target_groups, errors)
        return
    wrong = _null_mask(items) | (pc.utf8_length(items).fill_null(0).to_numpy(
        zero_copy_only=False) > 50)
    if wrong.any():
        row = int(parents[_first_true(wrong)])
        error = _call(model._target_groups, array[row].as_py(), field)
        assert error is not None
        errors.add(row, field, error)


def services(table: object) -> ServiceColumns:
    """Validate a table of services into :class:`ServiceColumns`.

    Raises:
        CaseMigrateError: A row cannot be a service (``field`` names the row and the
            field, e.g. ``rows[3].end``), or a column is missing.
    """
    arrow = as_arrow(table)
    errors = _Errors(_SERVICE_FIELDS)
    service_id = _ids(_column(arrow, "service_id"), "service_id", errors)
    where = _municipalities(_column(arrow, "municipality"), errors)
    citizen = _citizens(_column(arrow, "citizen"), errors)
    code, codes = _dictionary(_column(arrow, "code"), "code", model._code, errors,
                              nullable=True)
    _target_groups(_column(arrow, "target_groups"), errors)
    start = _days(_column(arrow, "start"), "start", errors, missing=MISSING)
    end_column = _column(arrow, "end", required=False)
    end = (np.full(len(arrow), OPEN, dtype=np.int32) if end_column is None
           else _days(end_column, "end", errors, missing=OPEN))
    _before(start, end, "end", "start", errors, missing=MISSING)
    system, systems = _dictionary(_column(arrow, "system"), "system", model._system_name,
                                  errors, nullable=False)
    errors.raise_first()
    return ServiceColumns(service_id=service_id, municipality=where, citizen=citizen,
                          code=code, codes=codes, start=start, end=end, system=system,
                          systems=systems)
