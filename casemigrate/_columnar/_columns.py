"""The table reader's array back end: a table to the engine's typed columns.

:func:`read` takes what :func:`casemigrate.tables.read_columns` takes (``columns=``,
``errors=``, ``extra=``, ``date_format=``, ``dayfirst=``) and reads a table exactly as
it does: the same column mapping, the same values accepted and coerced, the same
refusals with the same codes and messages, the same first error with
``errors="raise"``. Only where the values go differs: not into Python objects but
into compact columns,

* ids as an Arrow string array (they only leave the engine as finding subjects);
* the municipality as its code (``int16``), the CPR number as its ten digits read as
  one ``int64`` (``-1``: no citizen);
* systems and service codes dictionary-encoded (``int32`` indices into a list of the
  distinct values; ``-1``: no code);
* dates as ``int32`` day numbers since 1970-01-01 (``date32``), so 0001-01-01 and
  9999-12-31 are ordinary values. A missing end or closing date is :data:`OPEN`, a
  number above every real day; a missing start is :data:`MISSING`, below every real day.

One reader, two walks over a column. Everything but the walk is the reader's own
(``casemigrate.tables``): the options, the mapping, the required and extra columns,
the value parsers, the collector of refusals, the refusals table. The walk here reads
a column as one Arrow array and judges each *distinct* value with the reader's parser
(dictionary encoding finds them). Two kinds of value are proven good in bulk instead,
because they are mostly distinct: an id of printable ASCII, and a CPR number of one of
the two plain forms with a real birth date; a date column and a timestamp at
midnight are days as they stand. Every other value, and every value that is refused,
goes through the parser: a refusal is always the reader's. A column Arrow cannot
hold (mixed Python objects) is walked by the reader's own list walk and then packed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate import tables as t
from casemigrate._frame_in import Frame
from casemigrate.exceptions import CaseMigrateError, InvalidArgument
from casemigrate.identifiers import cpr_key
from casemigrate.model import Case, Service
from casemigrate.tables import Refusals

if TYPE_CHECKING:
    from casemigrate.plan import CutoverPlan

Array = Any  # numpy arrays: typed loosely so the core type-checks without numpy

OPEN: Final = int(np.iinfo(np.int32).max)
"""The day number of an end or closing date that is not given (still open)."""
MISSING: Final = int(np.iinfo(np.int32).min)
"""The day number of a start date that is not given."""
NO_CITIZEN: Final = -1
NO_CODE: Final = -1
_EPOCH: Final = dt.date(1970, 1, 1).toordinal()
_NOT_GIVEN: Final = {"closed": OPEN, "end": OPEN, "start": MISSING}
_RAW: Final = object()  # a refused value: read from the table when the refusals are made


def day_of(number: int) -> dt.date:
    """The date of a day number."""
    return dt.date.fromordinal(number + _EPOCH)


def day_number(day: dt.date) -> int:
    """The day number of a date."""
    return day.toordinal() - _EPOCH


class _Read:
    """What every read holds beside its columns: rows, refusals, extra columns."""

    __slots__ = ()
    rows: Array
    refusals: Refusals
    extra_columns: tuple[str, ...]


class CaseColumns(_Read):
    """Validated cases as columns (see the module documentation).

    Attributes:
        rows: The input position of each good row (the columns are aligned with it).
        refusals: The refused rows, as :func:`casemigrate.read_cases` reports them.
        extra_columns: The table's columns that are no field.
    """

    __slots__ = ("_system", "_systems", "case_id", "citizen", "closed", "extra_columns",
                 "municipality", "opened", "refusals", "rows")

    def __init__(self, *, case_id: pa.Array, municipality: Array, citizen: Array,
                 system: Array, systems: list[str], opened: Array, closed: Array,
                 rows: Array, refusals: Refusals, extra_columns: tuple[str, ...] = ()
                 ) -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.citizen = citizen
        self._system = system  # or a _Names the reader validated, encoded on first read
        self._systems = systems
        self.opened = opened
        self.closed = closed
        self.rows = rows
        self.refusals = refusals
        self.extra_columns = extra_columns

    def __len__(self) -> int:
        return len(self.opened)

    @property
    def system(self) -> Array:
        """Each case's system, an index into :attr:`systems`.

        A system column the reader proved good in bulk is encoded here, when first
        read: a rule that never reads it (duplicates, but for the findings' details)
        does not pay for it.
        """
        if isinstance(self._system, _Names):
            self._system, self._systems = self._system.encoded()
        return self._system

    @system.setter
    def system(self, value: Array) -> None:
        self._system = value

    @property
    def systems(self) -> list[str]:
        """The distinct system names."""
        self.system  # noqa: B018  # encoded first, if it is not yet
        return self._systems

    @systems.setter
    def systems(self, value: list[str]) -> None:
        self.system  # noqa: B018
        self._systems = value

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        return int(self.case_id.nbytes + sum(
            getattr(self, name).nbytes
            for name in ("municipality", "citizen", "system", "opened", "closed")))


class ServiceColumns(_Read):
    """Validated services as columns (see the module documentation and :class:`CaseColumns`)."""

    __slots__ = ("citizen", "code", "codes", "end", "extra_columns", "municipality",
                 "refusals", "rows", "service_id", "start", "system", "systems")

    def __init__(self, *, service_id: pa.Array, municipality: Array, citizen: Array,
                 code: Array, codes: list[str], start: Array, end: Array, system: Array,
                 systems: list[str], rows: Array, refusals: Refusals,
                 extra_columns: tuple[str, ...] = ()) -> None:
        self.service_id = service_id
        self.municipality = municipality
        self.citizen = citizen
        self.code = code
        self.codes = codes
        self.start = start
        self.end = end
        self.system = system
        self.systems = systems
        self.rows = rows
        self.refusals = refusals
        self.extra_columns = extra_columns

    def __len__(self) -> int:
        return len(self.start)

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        return int(self.service_id.nbytes + sum(
            getattr(self, name).nbytes
            for name in ("municipality", "citizen", "code", "start", "end", "system")))


# ---- the read ----------------------------------------------------------------------

def read(kind: type, table: object, *, columns: Any = None, errors: Any = "raise",
         extra: Any = "ignore", date_format: Any = None, dayfirst: Any = None,
         arrays: dict[str, Any] | None = None) -> CaseColumns | ServiceColumns:
    """Read a table of cases or services into columns, as ``read_columns`` reads it.

    Args:
        kind: :class:`~casemigrate.Case` or :class:`~casemigrate.Service`.
        table: A pandas, polars or pyarrow table.
        columns: As :func:`casemigrate.read_cases`; so are the other arguments.
        errors: ``"raise"`` or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"``.
        date_format: A ``strptime`` format for date strings.
        dayfirst: How to read a date string that is not ISO.
        arrays: If given, the fields named by its keys get as value their column as
            the Arrow array read (``None`` where Arrow cannot hold it): a caller that
            needs a raw column again (the target groups of records made later) does
            not convert a pandas column a second time.

    Returns:
        The good rows' columns, with their input positions and the refusals.

    Raises:
        CaseMigrateError: The reader's errors, the same ones: a column missing or
            mapped wrongly, and with ``errors="raise"`` the first bad row's error
            naming the row and field (``rows[17].citizen``).
    """
    if kind is not Case and kind is not Service:
        raise InvalidArgument("expected Case or Service", field="kind")
    options = t._options(date_format, dayfirst, errors, extra)
    wanted = t._mapping(kind, columns)
    with t._no_collection():
        frame, sources, extras = t._open(kind, table, wanted, extra)
        walk = _Walk(kind, frame, sources, options)
        if arrays is not None:
            walk.arrays = arrays
        packed = {name: walk.field(name) for name in sources}
        walk.check_ends(packed)
        if errors == "raise":
            walk.found.raise_first()
        refusals = walk.refusals()
    good = np.ones(frame.height, dtype=bool)
    good[[row for row, *_ in walk.found.found]] = False
    rows = np.flatnonzero(good) if not good.all() else np.arange(frame.height)
    keep = None if good.all() else pa.array(good)

    def column(name: str, fill: int, dtype: Any) -> Array:
        values = packed.get(name)
        if values is None:
            return np.full(len(rows), fill, dtype=dtype)
        if isinstance(values, _Names):
            values.good = None if keep is None else good
            return values
        return values if keep is None else values[good]

    ids = packed[t._SPECS[kind][0].name]
    ids = ids if keep is None else ids.filter(keep)
    common = {"municipality": column("municipality", 0, np.int16),
              "citizen": column("citizen", NO_CITIZEN, np.int64),
              "system": column("system", -1, np.int32), "systems": walk.names["system"],
              "rows": rows, "refusals": refusals, "extra_columns": extras}
    if kind is Case:
        return CaseColumns(case_id=ids, opened=column("opened", 0, np.int32),
                           closed=column("closed", OPEN, np.int32), **common)
    return ServiceColumns(service_id=ids, code=column("code", NO_CODE, np.int32),
                          codes=walk.names["code"], start=column("start", MISSING, np.int32),
                          end=column("end", OPEN, np.int32), **common)


def cases(table: object, **options: Any) -> CaseColumns:
    """A table of cases as :class:`CaseColumns` (see :func:`read`)."""
    found = read(Case, table, **options)
    assert isinstance(found, CaseColumns)
    return found


def services(table: object, **options: Any) -> ServiceColumns:
    """A table of services as :class:`ServiceColumns` (see :func:`read`)."""
    found = read(Service, table, **options)
    assert isinstance(found, ServiceColumns)
    return found


class _Walk:
    """One read of one table: its fields walked one by one, the refusals collected."""

    def __init__(self, kind: type, frame: Frame, sources: dict[str, str],
                 options: Any) -> None:
        self.kind = kind
        self.frame = frame
        self.sources = sources
        self.options = options
        self.height = frame.height
        self.specs = {spec.name: (order, spec) for order, spec in enumerate(t._SPECS[kind])}
        self.found = t._Collector()
        self.refused: dict[str, Array] = {}
        self.lists: dict[str, list[Any]] = {}
        self.names: dict[str, list[str]] = {"system": [], "code": []}
        self.arrays: dict[str, Any] = {}  # the Arrow arrays read of the fields named

    def field(self, name: str) -> Any:
        """The field's column, validated and packed."""
        self.refused[name] = np.zeros(self.height, dtype=bool)
        _, spec = self.specs[name]
        array = self.frame.arrow(self.sources[name], spec.kind)
        if name in self.arrays:
            self.arrays[name] = array
        walker: Callable[[_Walk, str, Any], Any] = _WALKERS.get(spec.kind, _checked)
        packed = None if array is None else walker(self, name, array)
        if packed is None:
            packer: Callable[[_Walk, str, list[Any]], Any] = _PACKERS.get(spec.kind, _unpacked)
            packed = packer(self, name, self.listed(name))
        return packed

    def add(self, row: int, name: str, error: CaseMigrateError, value: Any = _RAW) -> None:
        """A refusal of field ``name`` in ``row``, made by the reader's parser."""
        order, _ = self.specs[name]
        self.found.add(row, order, name, value, error)
        self.refused[name][row] = True

    def parse(self, name: str, value: Any) -> Any:
        """The reader's parser for field ``name``; raises its refusal, naming the field."""
        _, spec = self.specs[name]
        try:
            return t._parse(spec, value, self.options)
        except CaseMigrateError as error:
            raise error.with_field(name) from None

    def listed(self, name: str) -> list[Any]:
        """The field walked as the record back end walks it, as a list of parsed values."""
        order, spec = self.specs[name]
        values = self.frame.column(self.sources[name], spec.kind)
        self.lists[name] = values
        before = len(self.found.found)
        parsed = t._validate(spec, order, values, self.options, self.found)
        for row, *_ in self.found.found[before:]:
            self.refused[name][row] = True
        return parsed

    def check_ends(self, packed: dict[str, Any]) -> None:
        """An end or closing date before its start, where both were read, is refused."""
        start_name, end_name = t._ENDS[self.kind]
        if end_name not in packed:
            return
        start, end = packed[start_name], packed[end_name]
        wrong = end < start  # never where either is not given: OPEN and MISSING are extremes
        if bool(wrong.any()):
            wrong &= ((end != OPEN) & (start != MISSING)
                      & ~self.refused[start_name] & ~self.refused[end_name])
        for row in np.flatnonzero(wrong).tolist():
            self.add(row, end_name, t._ends_before(start_name, day_of(int(start[row])),
                                                   end_name, day_of(int(end[row]))))

    def refusals(self) -> Refusals:
        """The refusals table; refused values are read from the table as the reader reads them."""
        found = self.found.found
        raw: dict[str, list[Any]] = {}
        if found:
            wanted = {t._SPECS[self.kind][0].name} | {
                name for _, _, name, value, _ in found if value is _RAW}
            for name in wanted:
                raw[name] = self.lists.get(name) or self.frame.column(
                    self.sources[name], self.specs[name][1].kind)
            self.found.found = [(row, order, name, raw[name][row] if value is _RAW else value,
                                 error) for row, order, name, value, error in found]
        return t._refusals(self.kind, self.height, raw, self.sources, self.found)


# ---- walking one column: each returns the packed column, or None to walk it as a list

def _by_distinct(walk: _Walk, name: str, array: pa.Array, pack: Callable[[Any], int],
                 dtype: Any) -> Array | None:
    """Each distinct value through the reader's parser once, packed; rows mapped in bulk."""
    try:
        encoded = array.dictionary_encode()
    except (pa.ArrowException, NotImplementedError):
        return None  # a type Arrow cannot hash
    values = encoded.dictionary.to_pylist()
    size = len(values)
    results = np.zeros(size + 1, dtype=dtype)
    errors: dict[int, CaseMigrateError] = {}
    for index, value in enumerate(values + ([None] if array.null_count else [])):
        try:
            results[index] = pack(walk.parse(name, value))
        except CaseMigrateError as error:
            errors[index] = error
    indices = encoded.indices
    indices = np.asarray((indices.fill_null(size) if indices.null_count else indices)
                         .to_numpy(zero_copy_only=False))
    if errors:
        failed = np.zeros(size + 1, dtype=bool)
        failed[list(errors)] = True
        for row in np.flatnonzero(failed[indices]).tolist():
            walk.add(row, name, errors[int(indices[row])])
    out: Array = results[indices]
    return out


def _is_text(array: pa.Array) -> bool:
    kind = array.type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_string_view(kind))


def _ids(walk: _Walk, name: str, array: pa.Array) -> pa.Array | None:
    """Ids of printable ASCII, not starting with a space, at most 200 long: good at once.

    Every other id (Danish letters, nulls, a leading space, the refused) goes through
    the reader's parser.
    """
    if not _is_text(array):
        return None
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    _parse_slow(walk, name, array, _plain_texts(array, 200))
    return array


def _plain_texts(array: pa.Array, longest: int) -> Array:
    """Where a string array holds printable ASCII, not starting with a space, 1 to ``longest`` long.

    Such a value is a good id or name as :func:`casemigrate._validate.text` judges it
    (printable ASCII has no letter it refuses; a printable value that is all spaces
    starts with one). Read from the Arrow buffers: the bytes' least and greatest say
    whether any is not printable ASCII (rare: those values are found by position)
    or may be a space (only then is each value's first byte read).
    """
    size = len(array)
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset:array.offset + size + 1]
    lengths = np.diff(offsets)
    fast = (lengths > 0) & (lengths <= longest)
    first, last = (int(offsets[0]), int(offsets[-1])) if size else (0, 0)
    if data_buffer is not None and last > first:
        data = np.frombuffer(data_buffer, dtype=np.uint8)
        text = data[first:last]
        low, high = int(text.min()), int(text.max())
        if low < ord(" ") or high > ord("~"):
            odd = np.flatnonzero((text - np.uint8(32)) > 94)  # below " " or above "~"
            fast[np.searchsorted(offsets, odd + first, side="right") - 1] = False
        if low <= ord(" ") and bool((text == ord(" ")).any()):
            fast &= data[np.minimum(offsets[:-1], len(data) - 1)] != ord(" ")
    if array.null_count:
        fast &= ~_nulls(array)
    return fast


def _parse_slow(walk: _Walk, name: str, array: pa.Array, fast: Array) -> None:
    """Every value not proven good in bulk through the reader's parser; refusals added."""
    if bool(fast.all()):
        return
    for row in np.flatnonzero(~fast).tolist():
        try:
            walk.parse(name, array[row].as_py())
        except CaseMigrateError as error:
            walk.add(row, name, error)


def _municipalities(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """Municipality codes; a column of one integer (one municipality's extract) at once."""
    if len(array) and not array.null_count and pa.types.is_integer(array.type):
        low, high = pc.min_max(array).values()
        if low == high:  # the parser judges the one value, for every row, as below
            try:
                code = walk.parse(name, low.as_py()).code
            except CaseMigrateError as error:
                for row in range(len(array)):
                    walk.add(row, name, error)
                return np.zeros(len(array), dtype=np.int16)
            return np.full(len(array), code, dtype=np.int16)
    return _by_distinct(walk, name, array, lambda found: found.code, np.int16)


class _Names:
    """A system column of cases proven good in bulk, not yet encoded.

    Encoded as :func:`_names` encodes it when :attr:`CaseColumns.system` is first read.
    """

    __slots__ = ("array", "good")

    def __init__(self, array: pa.Array) -> None:
        self.array = array
        self.good: Array | None = None  # the rows kept, if some were refused

    def encoded(self) -> tuple[Array, list[str]]:
        """The indices of the good rows and the distinct names, as :func:`_names` gives them.

        Every value was proven good (:func:`_plain_texts`): the reader's parser gives
        each back as it is, so the distinct values, in the order they first appear, are
        the names.
        """
        found = self.array.dictionary_encode()
        indices = np.asarray(found.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
        return (indices if self.good is None else indices[self.good],
                found.dictionary.to_pylist())


_NAME_LENGTH: Final = 100  # a system's name, at most (casemigrate.model._system)


def _systems(walk: _Walk, name: str, array: pa.Array) -> Any:
    """Systems: of cases, proven good in bulk and encoded when first read (:class:`_Names`)."""
    if walk.kind is Case and _is_text(array) and not array.null_count:
        plain = array
        if not pa.types.is_string(plain.type):  # a pandas column: large strings, say
            try:
                plain = plain.cast(pa.string())
            except pa.ArrowException:  # pragma: no cover - over 2 GiB of names
                return _names(walk, name, array)
        if bool(_plain_texts(plain, _NAME_LENGTH).all()):
            return _Names(plain)
    return _names(walk, name, array)


def _names(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """Systems and service codes: indices into the list of the distinct names."""
    names = walk.names[name]
    position: dict[str, int] = {name: index for index, name in enumerate(names)}

    def pack(found: str | None) -> int:
        if found is None:
            return NO_CODE
        index = position.setdefault(found, len(names))
        if index == len(names):
            names.append(found)
        return index

    return _by_distinct(walk, name, array, pack, np.int32)


def _citizens(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """CPR numbers of a plain form with a real birth date at once; the others parsed."""
    if not _is_text(array):  # no citizen at all (nulls), or numbers: refused one by one
        return _by_distinct(walk, name, array, _cpr_digits, np.int64)
    if not pa.types.is_string(array.type):
        array = array.cast(pa.string())
    out, fast = _plain_cpr_digits(array)
    if array.null_count:
        fast &= ~_nulls(array)
    if bool(fast.all()):
        return out
    out[~fast] = NO_CITIZEN
    cache: dict[Any, int | CaseMigrateError] = {}
    for row in np.flatnonzero(~fast).tolist():  # spaces, blanks, nulls, the refused
        value = array[row].as_py()
        found = cache.get(value)
        if found is None:
            try:
                found = _cpr_digits(walk.parse(name, value))
            except CaseMigrateError as error:
                found = error
            cache[value] = found
        if isinstance(found, CaseMigrateError):
            walk.add(row, name, found)
        else:
            out[row] = found
    return out


def _cpr_digits(cpr: Any) -> int:
    return NO_CITIZEN if cpr is None else int(cpr_key(cpr))


def _days(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """Day numbers: a date column as it stands, a timestamp at midnight its day."""
    kind = array.type
    if pa.types.is_date64(kind):
        array = array.cast(pa.date32())
    if pa.types.is_date32(array.type):
        # The values buffer as it stands (a null's slot holds any number: replaced).
        values = array.buffers()[1]
        days = (np.zeros(len(array), dtype=np.int32) if values is None else np.frombuffer(
            values, dtype=np.int32)[array.offset:array.offset + len(array)].copy())
        _not_given(walk, name, array, days)
        return days
    if pa.types.is_timestamp(kind) and kind.tz is None:
        per_day = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                   "ns": 86_400_000_000_000}[kind.unit]
        ticks = np.asarray(array.view(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False))
        number = ticks // per_day
        days = number.astype(np.int32)
        with_time = np.flatnonzero((ticks != number * per_day) & ~_nulls(array))
        if len(with_time):  # refused as the reader refuses them, read as it reads them
            exact = array.take(pa.array(with_time)).cast(pa.timestamp("us"), safe=False)
            for row, moment in zip(with_time.tolist(), exact.to_pylist(), strict=True):
                try:
                    days[row] = day_number(walk.parse(name, moment))
                except CaseMigrateError as error:
                    walk.add(row, name, error)
        _not_given(walk, name, array, days)
        return days
    given = _NOT_GIVEN.get(name, 0)
    return _by_distinct(walk, name, array,
                        lambda day: given if day is None else day_number(day), np.int32)


def _not_given(walk: _Walk, name: str, array: pa.Array, days: Array) -> None:
    """The null rows of a date column: the field's marker, or the reader's refusal."""
    if not array.null_count:
        return
    nulls = _nulls(array)
    try:
        walk.parse(name, None)
    except CaseMigrateError as error:
        for row in np.flatnonzero(nulls).tolist():
            walk.add(row, name, error)
        return
    np.putmask(days, nulls, _NOT_GIVEN[name])


def _nulls(array: pa.Array) -> Array:
    """Where ``array`` is null; read from its validity bitmap where it has a plain one."""
    size = len(array)
    if array.null_count == 0:
        return np.zeros(size, dtype=bool)
    kind = array.type
    bitmap = array.buffers()[0]
    if bitmap is not None and (pa.types.is_date(kind) or pa.types.is_timestamp(kind)
                               or pa.types.is_integer(kind) or pa.types.is_string(kind)):
        valid = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little",
                              count=array.offset + size)[array.offset:]
        return valid == 0
    return np.array(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)


def _groups(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """Target groups, validated only: a list of texts of at most 50 characters at once."""
    kind = array.type
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return _checked(walk, name, array)
    items = array.flatten()
    if not _is_text(items) and len(items):
        return None  # lists of numbers, say: refused as the reader refuses them
    slow = _nulls(array)  # a missing list: the field's default, as the parser says
    if len(items):
        wrong = _nulls(items) | (np.asarray(pc.utf8_length(items).fill_null(0).to_numpy(
            zero_copy_only=False)) > 50)
        parents = np.asarray(pc.list_parent_indices(array).to_numpy(zero_copy_only=False))
        slow[parents[wrong]] = True
    for row in np.flatnonzero(slow).tolist():
        try:
            walk.parse(name, array[row].as_py())
        except CaseMigrateError as error:
            walk.add(row, name, error)
    return np.zeros(0)


def _checked(walk: _Walk, name: str, array: pa.Array) -> Array | None:
    """A field the rules do not read (KLE number, title, ...): validated only."""
    return _by_distinct(walk, name, array, lambda _: 0, np.int8)


_WALKERS: Final[dict[str, Callable[[_Walk, str, pa.Array], Any]]] = {
    "id": _ids, "municipality": _municipalities, "cpr": _citizens, "system": _systems,
    "code": _names, "date": _days, "groups": _groups,
}


# ---- packing a column the reader walked as a list ----------------------------------

def _unpacked(walk: _Walk, name: str, values: list[Any]) -> Array:
    return np.zeros(0)


def _pack_ids(walk: _Walk, name: str, values: list[Any]) -> pa.Array:
    return pa.array(values, type=pa.string())


def _pack(pack: Callable[[Any], int], dtype: Any
          ) -> Callable[[_Walk, str, list[Any]], Array]:
    def packer(walk: _Walk, name: str, values: list[Any]) -> Array:
        refused = walk.refused[name]
        return np.array([0 if refused[row] else pack(value)
                         for row, value in enumerate(values)], dtype=dtype)
    return packer


def _pack_names(walk: _Walk, name: str, values: list[Any]) -> Array:
    names = walk.names[name]
    position = {found: index for index, found in enumerate(names)}
    for value in values:
        if value is not None and value not in position:
            position[value] = len(names)
            names.append(value)
    return np.array([NO_CODE if value is None else position[value] for value in values],
                    dtype=np.int32)


def _pack_days(walk: _Walk, name: str, values: list[Any]) -> Array:
    given = _NOT_GIVEN.get(name, 0)
    return np.array([given if value is None else day_number(value) for value in values],
                    dtype=np.int32)


_PACKERS: Final[dict[str, Callable[[_Walk, str, list[Any]], Any]]] = {
    "id": _pack_ids,
    "municipality": _pack(lambda found: found.code, np.int16),
    "cpr": _pack(_cpr_digits, np.int64),
    "system": _pack_names, "code": _pack_names, "date": _pack_days,
}


# ---- CPR numbers and birth dates in bulk -------------------------------------------

def _plain_cpr_digits(array: pa.Array) -> tuple[Array, Array]:
    """``DDMMYY-SSSS`` or ten digits, read straight from the Arrow string buffers.

    Returns the ten digits as one ``int64``, and where the value had one of the two
    plain forms and a real birth date. Anything else (spaces, say, or no such day)
    goes through :class:`CPR` one by one, for its own error.

    Where every value has the same plain length (the common case; nulls are set
    aside first), the bytes are one ``(n, 10)`` or ``(n, 11)`` block read in place;
    otherwise each value is read at its own offset.
    """
    size = len(array)
    if array.null_count and array.null_count < size:
        present = np.flatnonzero(~_nulls(array))
        found, plain = _plain_cpr_digits(pc.drop_null(array))
        values = np.zeros(size, dtype=np.int64)
        values[present] = found
        everywhere = np.zeros(size, dtype=bool)
        everywhere[present] = plain
        return values, everywhere
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[array.offset:array.offset + size + 1]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    starts, lengths = offsets[:-1], np.diff(offsets)
    if size and array.null_count == 0 and int(lengths[0]) in (10, 11) and bool(
            (lengths == lengths[0]).all()):
        return _block_cpr_digits(data_buffer, int(offsets[0]), size, int(lengths[0]))
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
    good &= _real_digit_dates(parts[0] * 10 + parts[1], parts[2] * 10 + parts[3],
                              parts[4] * 10 + parts[5], parts[6])
    plain[where] = good
    values = np.zeros(size, dtype=np.int64)
    values[where] = number
    return values, plain


def _block_cpr_digits(buffer: Any, start: int, size: int, width: int) -> tuple[Array, Array]:
    """:func:`_plain_cpr_digits` over ``size`` values of ``width`` (10 or 11) bytes each.

    Read in place, two bytes at a time: each pair of bytes (``DD``, ``MM``, ``YY``, and
    the serial's two halves) is looked up in a table of the 100 pairs of ASCII digits
    (-1 for any other pair), so five lookups per value read and check all ten digits.
    Where every byte of the block but the hyphens is a digit (a clean export; one
    count over the bytes says so), :func:`_digit_block_cpr_digits` reads the pairs by
    arithmetic instead.
    """
    block = np.ndarray((size, width), dtype=np.uint8, buffer=buffer, offset=start,
                       strides=(width, 1))
    # Every byte at most "9", and the only ones below "0" the hyphens, one per value.
    below = int(np.count_nonzero(block < ord("0")))
    hyphens = size if width == 11 else 0
    if int(block.max()) <= ord("9") and below == hyphens and (
            not hyphens or int(np.count_nonzero(block[:, 6] == ord("-"))) == hyphens):
        return _digit_block_cpr_digits(buffer, start, size, width)
    global _PAIRS  # noqa: PLW0603  # built once, on first use
    if _PAIRS is None:
        _PAIRS = np.full(65_536, -1, dtype=np.int16)
        for high in range(10):
            for low in range(10):  # little-endian: the first character is the low byte
                _PAIRS[(48 + high) | (48 + low) << 8] = high * 10 + low
    pairs_table = _PAIRS

    def pairs(at: int) -> Array:
        view = np.ndarray((size,), dtype="<u2", buffer=buffer, offset=start + at,
                          strides=(width,))
        return pairs_table[view]

    skip = width - 10  # the hyphen of DDMMYY-SSSS
    day, month, year = pairs(0), pairs(2), pairs(4)
    serial_high, serial_low = pairs(6 + skip), pairs(8 + skip)
    good = np.minimum(np.minimum(np.minimum(day, month), np.minimum(year, serial_high)),
                      serial_low) >= 0
    if skip:
        hyphen = np.ndarray((size,), dtype=np.uint8, buffer=buffer, offset=start + 6,
                            strides=(width,))
        good &= hyphen == ord("-")
    good &= _real_digit_dates(day, month, year, serial_high // 10)
    number = ((day.astype(np.int64) * 100 + month) * 100 + year) * 10_000 \
        + serial_high.astype(np.int64) * 100 + serial_low
    return number, good


_PAIRS: Array | None = None


def _digit_block_cpr_digits(buffer: Any, start: int, size: int, width: int
                            ) -> tuple[Array, Array]:
    """:func:`_block_cpr_digits` of a block whose bytes are digits (and the hyphens).

    Each pair of digits is read as one little-endian ``uint16`` (the first digit the
    low byte): its low nibbles are the digits, so ``10 * first + second`` is a few
    operations on the pairs in place. The birth date is looked up by ``DDMM`` (and
    29 February by century) in the tables of :func:`_real_digit_dates`.
    """
    global _DATE_TABLES  # noqa: PLW0603  # built once, on first use
    if _DATE_TABLES is None:
        _DATE_TABLES = _date_tables()
    by_day_month, leap = _DATE_TABLES
    skip = width - 10  # the hyphen of DDMMYY-SSSS

    def pair(at: int) -> Array:
        raw = np.ndarray((size,), dtype="<u2", buffer=buffer, offset=start + at,
                         strides=(width,))
        digits = raw & np.uint16(0x0F0F)
        return (digits * np.uint16(10) + (digits >> np.uint16(8))) & np.uint16(0xFF)

    day_month = pair(0) * np.uint16(100) + pair(2)
    year = pair(4)
    high, low = pair(6 + skip), pair(8 + skip)
    good = by_day_month[day_month]
    february = np.flatnonzero(day_month == 2902)
    if len(february):
        good[february] &= leap[(high[february] // 10).astype(np.int32) * 100 + year[february]]
    number = day_month.astype(np.int64)  # then in place: no other temporary of int64s
    number *= 100
    number += year
    number *= 10_000
    number += high * np.uint16(100) + low
    return number, np.asarray(good)


def _date_tables() -> tuple[Array, Array]:
    """Lookup tables of :func:`_real_dates`, built from it.

    Whether ``DDMM`` is a real day in a leap year, by ``DDMM``; and whether 29 February
    is real, by ``7th digit * 100 + YY``.
    """
    day_month = np.arange(10_000)
    by_day_month = _real_dates(day_month // 100, day_month % 100, np.zeros(10_000, dtype=int),
                               np.full(10_000, 4))  # 2000: a leap year
    seventh_year = np.arange(1000)
    leap = _real_dates(np.full(1000, 29), np.full(1000, 2), seventh_year % 100,
                       seventh_year // 100)
    return by_day_month, leap


def _real_digit_dates(day: Array, month: Array, yy: Array, seventh: Array) -> Array:
    """:func:`_real_dates` by lookup; a value out of range (a non-digit) is no date."""
    global _DATE_TABLES  # noqa: PLW0603  # built once, on first use
    if _DATE_TABLES is None:
        _DATE_TABLES = _date_tables()
    by_day_month, leap = _DATE_TABLES
    day_month = day.astype(np.int32) * 100 + month
    good = by_day_month[np.clip(day_month, 0, 9999)]
    february = np.flatnonzero(day_month == 2902)
    if len(february):
        seventh_year = seventh[february].astype(np.int32) * 100 + yy[february]
        good[february] &= leap[np.clip(seventh_year, 0, 999)]
    return np.asarray(good)


_DATE_TABLES: tuple[Array, Array] | None = None


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


OUTSIDE: Final = 0  # another municipality's record, or a system not in the plan
OLD: Final = 1  # the plan's old system, in its municipality
NEW: Final = 2  # the plan's new system, in its municipality


def plan_roles(columns: CaseColumns | ServiceColumns, plan: CutoverPlan) -> Array:
    """Each row's role in ``plan``: :data:`OLD`, :data:`NEW` or :data:`OUTSIDE` (int8).

    The record path's ``plan.system_role(record.system)`` for a record of the plan's
    municipality, decided once per distinct system name.
    """
    by_name = {"old": OLD, "new": NEW}
    of_system = np.array([by_name.get(plan.system_role(name) or "", OUTSIDE)
                          for name in columns.systems] + [OUTSIDE],
                         dtype=np.int8)  # the last entry: index -1, no system
    return np.where(columns.municipality == plan.municipality.code,
                    of_system[columns.system], OUTSIDE).astype(np.int8, copy=False)
