"""Tables in: a dataframe or rows become validated records, every bad row reported.

:func:`read_cases`, :func:`read_services` and :func:`read_deliveries` take a pandas,
polars or pyarrow table (through narwhals, with the ``tables`` extra), or an iterable
of rows (tuples in field order) or mappings, as :meth:`Case.from_rows` does. A
``columns`` mapping renames the table's columns to the record's fields.

Reading is two steps, and each can be called alone:

1. :func:`read_columns`: table to *validated columns*. Every needed column is read
   as a whole, converted by its type (dates and timestamps, missing values, numpy
   integers), and each of its values validated exactly as the record's constructor
   would, once per distinct value where that is possible. Every bad field of every
   row becomes a :class:`Refusal`; the good rows' values stay in columns.
2. :meth:`ValidatedColumns.to_records`: those columns to records, without checking
   anything again.

Values are read as a table carries them (``docs/tables.md`` states the policy):

* a date column, or a timestamp at midnight, is a date; a timestamp with a time of
  day is refused for a date field;
* ``None``, ``NaN``, ``NaT``, ``pd.NA`` and a blank string are missing: ``None``
  where the field may be missing, the field's default where it has one, and a
  ``missing-value`` refusal where it must be given;
* numpy integers are integers; a whole number in a float column (pandas turns an
  integer column with a blank into floats) is accepted for the municipality;
* a date string is read if it is ISO (``2022-09-02``); any other only with
  ``date_format=`` or ``dayfirst=``: ``02-09-2022`` is never guessed.

``errors="raise"`` raises the first bad row's error, naming the row and field
(``rows[17].citizen``). ``errors="collect"`` returns the good records and a table of
the refused ones; every input row is either a record or refused, never dropped.

Example:
    >>> import datetime as dt
    >>> from casemigrate.tables import read_cases
    >>> read = read_cases(
    ...     [{"sagsnr": "S-1", "kommune": 607, "cpr": "211062-1234", "system": "Old",
    ...       "opened": "2020-01-06"},
    ...      {"sagsnr": "S-2", "kommune": 999, "cpr": "321062-1234", "system": "Old",
    ...       "opened": "06-01-2020"}],
    ...     columns={"sagsnr": "case_id", "kommune": "municipality", "cpr": "citizen"},
    ...     errors="collect")
    >>> [case.case_id for case in read.records], read.refusals.refused_rows
    (['S-1'], 1)
    >>> for refusal in read.refusals:
    ...     print(refusal.row, refusal.record_id, refusal.column, refusal.value, refusal.error)
    1 S-2 kommune 999 invalid-municipality
    1 S-2 cpr 321062-**** invalid-cpr
    1 S-2 opened 06-01-2020 date-format-needed
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from typing import Any, Final, Generic, Literal, TypeVar

import attrs

from casemigrate import _text
from casemigrate import _validate as v
from casemigrate import model as m
from casemigrate._frame_in import Frame, is_frame, open_frame, plain
from casemigrate._frozen import FrozenMap, frozen_map
from casemigrate._slots import slots_maker
from casemigrate._text import Phrase, Term
from casemigrate.exceptions import (
    CaseMigrateError,
    InvalidArgument,
    InvalidCPR,
    InvalidKLE,
    InvalidMunicipality,
    InvalidRecord,
    InvalidType,
    mask_numbers,
)
from casemigrate.findings import Finding, Rule, Severity
from casemigrate.identifiers import CPR, kle_number, municipality
from casemigrate.identifiers import facet as facet_of
from casemigrate.model import Case, Delivery, Origin, Service
from casemigrate.sources import POLICY

__all__ = [
    "REFUSAL_CODES",
    "ROWS_REFUSED",
    "Refusal",
    "Refusals",
    "TableRead",
    "ValidatedColumns",
    "find_refused_rows",
    "read_cases",
    "read_columns",
    "read_deliveries",
    "read_services",
]

R = TypeVar("R", Case, Service, Delivery)
Errors = Literal["raise", "collect"]
Extra = Literal["ignore", "refuse"]

REFUSAL_CODES: Final[Mapping[str, str]] = {
    "missing-value": "a field that must be given is missing (blank, None, NaN, NaT, NA)",
    "invalid-type": "a value of a type the field does not accept",
    "invalid-value": "a value of the right type that cannot be the field's",
    "invalid-cpr": "not a CPR number",
    "invalid-municipality": "not one of the 98 municipality codes",
    "invalid-kle": "a malformed KLE number or action facet",
    "date-format-needed": "a date string that is not ISO, read without date_format= or dayfirst=",
    "invalid-date": "a date string that does not match the format, or is not a real day",
    "time-of-day": "a timestamp with a time of day, for a field that holds a day",
    "ends-before-start": "an end or closing date before its start",
    "not-a-row": "a row that is neither a tuple, a list nor a mapping",
    "too-many-values": "a tuple row with more values than the record has fields",
    "unknown-column": "a column that is no field, with extra='refuse'",
}
"""The error code of every refusal, with what it means."""

_MISSING: Final = object()
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
# Day, month and year as digits, and the time of day exports often add ("01-02-2024
# 10:30", "01.02.2024 00.00.00").
_NUMERIC_DATE: Final = re.compile(
    r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")
_SHOWN_LENGTH: Final = 60


def mask(text: str) -> str:
    """``text`` with anything shaped like a CPR number shown as ``DDMMYY-****``.

    The masking of every exception message (:func:`casemigrate.exceptions.mask_numbers`),
    so a refusal's value and message mask what its exception masks.
    """
    return mask_numbers(text)


class _Refused(CaseMigrateError, ValueError):
    """A refusal with its own error code (private: raised by the readers' parsers)."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        self.code = code
        super().__init__(message, field=field)

    def with_field(self, field: str) -> CaseMigrateError:
        return _Refused(self.code, self.reason, field=field)


def _code_of(error: CaseMigrateError) -> str:
    if isinstance(error, _Refused):
        return error.code
    if isinstance(error, InvalidCPR):
        return "invalid-cpr"
    if isinstance(error, InvalidMunicipality):
        return "invalid-municipality"
    if isinstance(error, InvalidKLE):
        return "invalid-kle"
    if isinstance(error, InvalidType):
        return "invalid-type"
    return "invalid-value"


def _public(error: CaseMigrateError) -> CaseMigrateError:
    """The error a caller sees when it is raised: a public casemigrate exception."""
    if isinstance(error, _Refused):
        return InvalidRecord(error.reason, field=error.field)
    return error


# ---- refusals ----------------------------------------------------------------------

@attrs.frozen
class Refusal:
    """One bad field of one input row.

    Attributes:
        row: The row's position in the input, from 0 (a CSV file's line is
            ``row + 2`` with a header line).
        record_id: The row's record id, where it could be read, else ``None``.
        column: The table's column (the user's name), or ``None`` for a row that
            could not be read at all.
        field: The record's field.
        value: The value as text (dates ISO), a CPR number masked, cut at 60
            characters; ``None`` when missing.
        error: The error code, a key of :data:`REFUSAL_CODES`.
        message: What is wrong, in English; never a full CPR number.
    """

    row: int
    record_id: str | None
    column: str | None
    field: str | None
    value: str | None
    error: str
    message: str

    def to_row(self) -> dict[str, Any]:
        """The refusal as a dict of plain values."""
        return {"row": self.row, "record_id": self.record_id, "column": self.column,
                "field": self.field, "value": self.value, "error": self.error,
                "message": self.message}


REFUSAL_COLUMNS: Final = ("row", "record_id", "column", "field", "value", "error", "message")


@attrs.frozen
class Refusals(Sequence[Refusal]):
    """The refused rows of one read: one :class:`Refusal` per bad field.

    Attributes:
        table: What was read: ``"cases"``, ``"services"`` or ``"deliveries"``.
        rows_in: How many rows the input had.
        items: The refusals, by row and then in field order.
    """

    table: str
    rows_in: int
    items: tuple[Refusal, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __iter__(self) -> Iterator[Refusal]:
        return iter(self.items)

    @property
    def rows(self) -> tuple[int, ...]:
        """The refused rows' positions, each once, in order."""
        return tuple(sorted({refusal.row for refusal in self.items}))

    @property
    def refused_rows(self) -> int:
        """How many rows were refused (a row with two bad fields counts once)."""
        return len({refusal.row for refusal in self.items})

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per refusal, with the keys of :data:`REFUSAL_COLUMNS`."""
        return [refusal.to_row() for refusal in self.items]

    def to_frame(self, library: str = "pandas") -> Any:
        """The refusals as a pandas or polars DataFrame, one row per bad field."""
        from casemigrate.frames import to_frame  # noqa: PLC0415  # frames imports this module

        return to_frame(self, library=library)


ROWS_REFUSED: Final = Rule(
    code="CM002",
    name="rows-refused",
    severity=Severity.ERROR,
    summary="Rows of an input table were refused when read, so no check saw them.",
    summary_da="Rækker i en inddatatabel blev afvist ved indlæsningen, så ingen kontrol "
               "har set dem.",
    message="{rows:# row|# rows} of {table} {rows:was|were} refused {where} ({error}); "
            "{rows:row|first row} {first_row} (counted from 0)",
    message_da="{rows:# række|# rækker} med {table} blev afvist {where} ({error}); "
               "{rows:række|første række} {first_row} (talt fra 0)",
    hint="Correct the rows in the system or export they come from (see the refusals "
         "table), then read the table again.",
    hint_da="Ret rækkerne i det system eller udtræk, de kommer fra (se tabellen over "
            "afviste rækker), og indlæs tabellen igen.",
    citations=POLICY.cite("refused-rows", "Nothing is dropped without being counted."),
    checks="That every row of the tables the records were read from became a record. "
           "Give the refusals of a read to `check_readiness(..., refusals=read.refusals)` "
           "(or to `find_refused_rows`): each table, column and error code of refused "
           "rows becomes one finding, with the number of rows, the first row and the "
           "record ids as subjects (`rows[17]` where no id could be read). Rows are "
           "counted from 0, the first data row being row 0, as in the refusals table, "
           "a pandas frame's default index and `rows[17]`: in a CSV file with one "
           "header line, row 37 is line 39.",
    why="A refused row is a case or service no check has seen. A report that says "
        "\"ready\" while 80 cases were never read is wrong by 80 cases: nothing may be "
        "dropped without being counted.",
    example="A cases table of 1,000 rows in which 3 rows hold `320162-1234` (no 32nd of "
            "January) in the CPR column `cpr`: one CM002 with `rows=3`, `column=\"cpr\"`, "
            "`error=\"invalid-cpr\"`.",
    sample={"rows": 3, "table": Term("cases", da="sager"),
            "where": Phrase(en="in column {column}", da="i kolonnen {column}", column="cpr"),
            "error": "invalid-cpr", "first_row": 17},
    checks_da="At hver række i de tabeller, posterne blev læst fra, blev til en post. Giv en "
              "indlæsnings afviste rækker til `check_readiness(..., refusals=read.refusals)` "
              "(eller til `find_refused_rows`): hver kombination af tabel, kolonne og fejlkode "
              "for afviste rækker bliver ét fund med antallet af rækker, den første række og "
              "postens id'er, som fundet vedrører (`rows[17]`, hvor der ikke kunne læses et id). "
              "Rækkerne tælles fra 0, så den første datarække er række 0, som i tabellen over "
              "afviste rækker, i et pandas-datasæts standardindeks og i `rows[17]`: i en CSV-fil "
              "med én overskriftslinje er række 37 linje 39.",
    why_da="En afvist række er en sag eller ydelse, som ingen kontrol har set. En rapport, der "
           "siger \"klar\", mens 80 sager aldrig blev læst, tager fejl med 80 sager: intet må "
           "udelades uden at blive talt med.",
    example_da="En sagstabel på 1.000 rækker, hvor 3 rækker har `320162-1234` (der er ingen 32. "
               "januar) i CPR-kolonnen `cpr`: ét CM002 med `rows=3`, `column=\"cpr\"`, "
               "`error=\"invalid-cpr\"`.",
)

_TABLE_TERMS: Final = {
    "cases": Term("cases", da="sager"),
    "services": Term("services", da="ydelser"),
    "deliveries": Term("deliveries", da="leverancer"),
}
_WHOLE_ROW: Final = Term("as a whole", da="som helhed")


def find_refused_rows(refusals: Refusals | Iterable[Refusals]) -> tuple[Finding, ...]:
    """One CM002 finding per table, column and error code of refused rows.

    :func:`~casemigrate.check_readiness` calls it with its ``refusals=``, so that the
    report counts every row no check saw.

    Args:
        refusals: The refusals of one read (:attr:`TableRead.refusals`) or of several.

    Returns:
        The findings, one per table, column and error code. Their details hold
        ``rows`` (how many), ``table``, ``column`` (``None`` for a row refused as a
        whole), ``error`` (a key of :data:`REFUSAL_CODES`) and ``first_row``; the
        subjects are the record ids, or ``rows[17]`` where no id could be read.

    Raises:
        InvalidType: ``refusals`` is not refusals.

    Example:
        >>> read = read_cases([("S-1", 999, None, "Old", "2020-01-06"),
        ...                    ("S-2", 998, None, "Old", "2020-01-06")], errors="collect")
        >>> [finding] = find_refused_rows(read.refusals)
        >>> finding.code, finding.subjects, finding.details["column"]
        ('CM002', ('S-1', 'S-2'), 'municipality')
        >>> print(finding.message_in("da"))
        2 rækker med sager blev afvist i kolonnen municipality (invalid-municipality);
        første række 0 (talt fra 0)
    """
    tables = v.instances(
        "refusals", (refusals,) if isinstance(refusals, Refusals) else refusals, Refusals)
    groups: dict[tuple[str, str, str], list[Refusal]] = {}
    for table in tables:
        for refusal in table:
            key = (table.table, refusal.column or "", refusal.error)
            groups.setdefault(key, []).append(refusal)
    found = []
    for (table_name, column, error), items in sorted(groups.items()):
        rows = sorted({item.row for item in items})
        subjects = {item.record_id or f"rows[{item.row}]" for item in items}
        where = (Phrase(en="in column {column}", da="i kolonnen {column}", column=column)
                 if column else _WHOLE_ROW)
        found.append(Finding.of(
            ROWS_REFUSED, subjects, rows=len(rows),
            table=_TABLE_TERMS.get(table_name, table_name), column=column or None,
            where=where, error=error, first_row=rows[0]))
    return tuple(found)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million records are made.

    Records hold no cycles, yet every collection walks all of them: with the collector
    running, making a million cases costs four times as much (see
    ``docs/performance.md``). The collector's state is restored afterwards, also on
    error; reference counting frees memory as usual meanwhile.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---- field specifications ----------------------------------------------------------

@attrs.frozen
class _Field:
    name: str
    kind: str
    required_column: bool
    nullable: bool
    default: Any = None


def _fields(*specs: tuple[str, str, bool, bool, Any]) -> tuple[_Field, ...]:
    return tuple(_Field(*spec) for spec in specs)


# name, kind, column required (the constructor has no default), may be missing, default
_SPECS: Final[Mapping[type, tuple[_Field, ...]]] = {
    Case: _fields(
        ("case_id", "id", True, False, None),
        ("municipality", "municipality", True, False, None),
        ("citizen", "cpr", True, True, None),
        ("system", "system", True, False, None),
        ("opened", "date", True, False, None),
        ("closed", "date", False, True, None),
        ("kle", "kle", False, True, None),
        ("facet", "facet", False, True, None),
        ("origin", "origin", False, True, Origin.SYSTEM),
        ("title", "free_text", False, True, ""),
        ("caseworker", "optional_text", False, True, None),
        ("organisation", "optional_text", False, True, None),
    ),
    Service: _fields(
        ("service_id", "id", True, False, None),
        ("municipality", "municipality", True, False, None),
        ("citizen", "cpr", True, True, None),
        ("code", "code", True, True, None),
        ("target_groups", "groups", True, True, frozenset()),
        ("start", "date", True, True, None),
        ("end", "date", False, True, None),
        ("system", "system", True, False, None),
    ),
    Delivery: _fields(
        ("delivery_id", "id", True, False, None),
        ("name", "delivery_name", True, False, None),
        ("system", "system", True, False, None),
        ("municipality", "municipality", True, False, None),
        ("sent", "datetime", True, False, None),
    ),
}
_MAKERS: Final[Mapping[type, Any]] = {kind: slots_maker(kind, *(spec.name for spec in _SPECS[kind]))
                  for kind in (Case, Service)}
_TABLE_NAMES: Final = {Case: "cases", Service: "services", Delivery: "deliveries"}
_ENDS: Final = {Case: ("opened", "closed"), Service: ("start", "end")}


# ---- value parsers (one per kind; each raises a casemigrate exception) --------------

@attrs.frozen
class _Options:
    date_format: str | None
    dayfirst: bool | None


def _date_text(text: str, options: _Options, *, moment: bool) -> dt.date:
    """A date (or, with ``moment``, a datetime) from a string, never guessed."""
    value = text.strip()
    if options.date_format is not None:
        try:
            parsed = dt.datetime.strptime(value, options.date_format)
        except ValueError:
            raise _Refused("invalid-date", f"{_quoted(value)} does not match date_format="
                           f"{options.date_format!r}") from None
        return parsed if moment else _midnight(parsed)
    if _ISO_DATE.match(value):
        try:
            parsed = (dt.datetime.fromisoformat(value) if len(value) > 10
                      else dt.datetime.combine(dt.date.fromisoformat(value), dt.time()))
        except ValueError:
            raise _Refused("invalid-date", f"{_quoted(value)} is not a real day or time") from None
        if moment:
            return parsed
        return _midnight(parsed)
    if options.dayfirst is None:
        raise _Refused(
            "date-format-needed",
            f"{_quoted(value)} is not an ISO date (YYYY-MM-DD); say how to read it with "
            "dayfirst=True (02-09-2022 is 2 September) or date_format='%d-%m-%Y'")
    match = _NUMERIC_DATE.fullmatch(value)
    if match is None:
        raise _Refused("invalid-date", f"{_quoted(value)} is neither ISO nor day, month and year "
                       "as digits; pass date_format=")
    first, second, year = (int(part) for part in match.groups()[:3])
    hour, minute, second_of_minute = (int(part or 0) for part in match.groups()[3:])
    day, month = (first, second) if options.dayfirst else (second, first)
    try:
        found = dt.datetime(year, month, day, hour, minute, second_of_minute)
    except ValueError:
        raise _Refused("invalid-date", f"{_quoted(value)} is not a real day or time") from None
    return found if moment else _midnight(found)


def _quoted(value: str) -> str:
    """A date string as an error shows it: cut short, anything like a CPR number masked."""
    return repr(mask(value)[:_SHOWN_LENGTH])  # masked first: a cut keeps no digits


def _midnight(moment: dt.datetime) -> dt.date:
    if v.has_time_of_day(moment):
        raise _Refused("time-of-day", f"{moment.isoformat()} has a time of day; this field "
                       "holds a day")
    return dt.date(moment.year, moment.month, moment.day)


def _to_day(value: Any, options: _Options) -> dt.date:
    if isinstance(value, dt.datetime):
        return _midnight(value)
    if isinstance(value, str):
        return _date_text(value, options, moment=False)
    return v.day("", value)  # a date as the constructor takes it, or its InvalidType


def _to_moment(value: Any, options: _Options) -> dt.datetime:
    if isinstance(value, dt.datetime):  # a pandas Timestamp becomes a plain datetime
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                           value.second, value.microsecond, tzinfo=value.tzinfo)
    if isinstance(value, str):
        moment = _date_text(value, options, moment=True)
        assert isinstance(moment, dt.datetime)
        return moment
    return m._sent(value)  # a date at midnight, as the constructor takes it


def _to_municipality(value: Any, options: _Options) -> Any:
    if type(value) is float and value.is_integer():
        value = int(value)
    return municipality(value)


def _to_id(value: Any, options: _Options) -> str:
    if type(value) is int:  # an id column a CSV reader took for numbers
        value = str(value)
    return v.text("", value)


def _to_cpr(value: Any, options: _Options) -> CPR:
    if type(value) is int:
        raise InvalidType("expected a CPR number as text, got an int: read the column as "
                          "text (dtype=str), as a number it loses its leading zero")
    return CPR(value)


def _to_groups(value: Any, options: _Options) -> frozenset[str]:
    if isinstance(value, str):
        value = tuple(part for part in re.split(r"[,;|\s]+", value) if part)
    elif isinstance(value, list):
        value = tuple(value)
    elif hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = tuple(value.tolist())
    return m._shared_groups(value)


_PARSERS: Final[Mapping[str, Callable[[Any, _Options], Any]]] = {
    "id": _to_id,
    "municipality": _to_municipality,
    "cpr": _to_cpr,
    "system": lambda value, _: m._system_name(value),
    "date": _to_day,
    "datetime": _to_moment,
    "kle": lambda value, _: kle_number(value),
    "facet": lambda value, _: facet_of(value),
    "origin": lambda value, _: m._origin(value),
    "free_text": lambda value, _: v.free_text("", value, max_length=1000),
    "optional_text": lambda value, _: v.text("", value, max_length=1000),
    "code": lambda value, _: m._code(value),
    "groups": _to_groups,
    "delivery_name": lambda value, _: m._delivery_name(value),
}


# The parser of a non-blank string, called directly for the kinds whose columns hold
# many distinct strings (a CPR column of a million cases holds half a million).
_DIRECT: Final[Mapping[str, Callable[[str], Any]]] = {
    "cpr": CPR, "system": m._system_name, "code": m._code,
}


def _is_missing(value: Any) -> bool:
    """Missing as the constructors read it (``_validate.is_missing``), or a blank cell."""
    if type(value) is str:
        return not value or value.isspace()
    return v.is_missing(value)


# ---- validated columns ---------------------------------------------------------------

@attrs.frozen
class ValidatedColumns(Generic[R]):
    """A table's good rows as validated columns, and its refusals (step 1 of 2).

    Each column holds the validated values of the good rows, in input order: a
    :class:`~casemigrate.CPR` (or ``None``), a shared
    :class:`~casemigrate.Municipality`, ``datetime.date`` values, interned system
    names. A field the table lacks (and may lack) has no column: its default holds.

    Attributes:
        kind: The record type: :class:`~casemigrate.Case`, :class:`~casemigrate.Service`
            or :class:`~casemigrate.Delivery`.
        columns: Field name to the list of its validated values.
        rows: The input positions of the good rows (``columns`` is aligned with it).
        refusals: Every bad field of every refused row.
        extra_columns: The table's columns that are no field and were not read.
        column_names: Field name to the table's column it was read from.
    """

    kind: type[R]
    columns: Mapping[str, list[Any]]
    rows: Sequence[int]
    refusals: Refusals
    extra_columns: tuple[str, ...] = ()
    column_names: Mapping[str, str] = attrs.field(factory=FrozenMap, converter=frozen_map)

    def __len__(self) -> int:
        return len(self.rows)

    def to_records(self) -> tuple[R, ...]:
        """The records of the good rows (step 2 of 2), without validating again."""
        if self.kind is Delivery:
            return tuple(self._deliveries())
        specs = _SPECS[self.kind]
        values = [self.columns[spec.name] if spec.name in self.columns
                  else repeat(spec.default, len(self.rows)) for spec in specs]
        with _no_collection():
            return tuple(map(_MAKERS[self.kind], *values))

    def _deliveries(self) -> Iterator[Any]:
        names = [spec.name for spec in _SPECS[Delivery]]
        for row in zip(*(self.columns[name] for name in names), strict=True):
            yield Delivery(**dict(zip(names, row, strict=True)))


@attrs.frozen
class TableRead(Generic[R]):
    """What a read gives: the good records, the refusals, the columns not read.

    Attributes:
        records: The records of the good rows, in input order.
        rows: The input position of each record (to join results back to the table).
        refusals: One :class:`Refusal` per bad field; ``len(records) +
            refusals.refused_rows`` is always the number of input rows.
        extra_columns: The table's columns that are no field (ignored).
    """

    records: tuple[R, ...]
    rows: Sequence[int]
    refusals: Refusals
    extra_columns: tuple[str, ...] = ()

    @property
    def rows_in(self) -> int:
        """How many rows the input had."""
        return self.refusals.rows_in


# ---- step 1: a table to validated columns ------------------------------------------

def _mapping(kind: type, columns: Mapping[str, str] | None) -> dict[str, str]:
    """The user's column name for each field given in ``columns`` (field -> column)."""
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise InvalidType(f"expected a mapping of column name to field, got "
                          f"{v.type_name(columns)}", field="columns")
    names = {spec.name for spec in _SPECS[kind]}
    by_field: dict[str, str] = {}
    for column, field in columns.items():
        if not isinstance(column, str) or not isinstance(field, str):
            raise InvalidType("expected column and field names as strings", field="columns")
        if field not in names:
            raise InvalidArgument(f"{field!r} is not a field of {kind.__name__}; the fields "
                                  f"are {', '.join(sorted(names))}", field="columns")
        if field in by_field:
            raise InvalidArgument(f"two columns map to {field!r}: {by_field[field]!r} and "
                                  f"{column!r}", field="columns")
        by_field[field] = column
    return by_field


def _options(date_format: object, dayfirst: object, errors: object, extra: object) -> _Options:
    v.one_of("errors", ("raise", "collect"), errors)
    v.one_of("extra", ("ignore", "refuse"), extra)
    if date_format is not None and not isinstance(date_format, str):
        raise InvalidType(f"expected a strptime format, got {v.type_name(date_format)}",
                          field="date_format")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise InvalidType(f"expected True, False or None, got {v.type_name(dayfirst)}",
                          field="dayfirst")
    if date_format is not None and dayfirst is not None:
        raise InvalidArgument("give date_format or dayfirst, not both", field="dayfirst")
    return _Options(date_format, dayfirst)


class _Collector:
    """The refusals of one read, as they are found, column by column."""

    def __init__(self) -> None:
        self.found: list[tuple[int, int, str, Any, CaseMigrateError]] = []

    def add(self, row: int, order: int, field: str, value: Any, error: CaseMigrateError
            ) -> None:
        self.found.append((row, order, field, value, error))

    def raise_first(self) -> None:
        """Raise the error the records would meet first: lowest row, then field order.

        The error names the row and the field (``rows[17].citizen``).
        """
        if not self.found:
            return
        row, _, field, _, error = min(self.found, key=lambda item: (item[0], item[1]))
        where = f"rows[{row}]" + (f".{field}" if field else "")
        raise _public(error).with_field(where) from None


def _shown(value: Any, field: str | None = None) -> str | None:
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, CPR):
        return value.masked
    text = value if isinstance(value, str) else str(value)
    shown = mask(text)
    if field == "citizen" and shown == text and len(text.strip()) > 6:
        # A citizen's value is a CPR number gone astray, even where it does not look like
        # one (a letter typed in it, digits lost): never shown past the birth date.
        shown = text.strip()[:6] + "****"
    return shown[:_SHOWN_LENGTH]


def _validate(spec: _Field, order: int, values: list[Any], options: _Options,
              found: _Collector) -> list[Any]:
    """The column's validated values (``None`` where refused); refusals to ``found``.

    Column-wise: each distinct value is parsed once, then the column is mapped
    through the results in one pass. Only a column with a bad value is walked row by
    row, to name the rows; a clean column costs no more than the mapping.
    """
    if spec.kind == "id" and _clean_ids(values):
        return values
    try:
        distinct = set(values)
    except TypeError:  # unhashable values (target groups as lists): one by one
        return [_one(spec, order, row, value, options, found)
                for row, value in enumerate(values)]
    if spec.kind == "id" and len(distinct) > len(values) // 2:
        return [_one(spec, order, row, value, options, found)
                for row, value in enumerate(values)]
    results: dict[Any, Any] = {}
    failed = False
    direct = _DIRECT.get(spec.kind)
    for value in distinct:
        try:
            if direct is not None and type(value) is str and value and not value.isspace():
                results[value] = direct(value)
            else:
                results[value] = _parse(spec, value, options)
        except CaseMigrateError as error:
            results[value] = _Failure(error.with_field(spec.name))
            failed = True
    out = list(map(results.__getitem__, values))
    if failed:
        for row, result in enumerate(out):
            if type(result) is _Failure:
                found.add(row, order, spec.name, values[row], result.error)
                out[row] = None
    return out


class _Failure:
    """A value that failed to parse, in a column's table of distinct values."""

    __slots__ = ("error",)

    def __init__(self, error: CaseMigrateError) -> None:
        self.error = error


def _clean_ids(values: list[Any]) -> bool:
    """Whether every value is an id the fast path takes, checked in C, not per value."""
    if not values:
        return True
    if set(map(type, values)) != {str}:
        return False
    joined = "".join(values)
    return (joined.isascii() and joined.isprintable() and min(map(len, values)) > 0
            and max(map(len, values)) <= 200 and not any(map(str.isspace, values)))


def _parse(spec: _Field, value: Any, options: _Options) -> Any:
    """One value: normalised, missing handled, parsed; raises a casemigrate exception."""
    value = plain(value)
    if _is_missing(value):
        if spec.nullable:
            return spec.default
        raise _Refused("missing-value", "is missing; the field must be given")
    return _PARSERS[spec.kind](value, options)


def _one(spec: _Field, order: int, row: int, value: Any, options: _Options,  # noqa: PLR0917
         found: _Collector) -> Any:
    """One value of a column read value by value."""
    try:
        return _parse(spec, value, options)
    except CaseMigrateError as error:
        found.add(row, order, spec.name, value, error.with_field(spec.name))
        return None


def _frame_columns(kind: type, table: object, wanted: dict[str, str], extra: str
                   ) -> tuple[int, dict[str, list[Any]], tuple[str, ...], dict[str, str]]:
    frame, sources, extras = _open(kind, table, wanted, extra)
    kinds = {spec.name: spec.kind for spec in _SPECS[kind]}
    raw = {field: frame.column(column, kinds[field]) for field, column in sources.items()}
    return frame.height, raw, extras, sources


def _open(kind: type, table: object, wanted: dict[str, str], extra: str
          ) -> tuple[Frame, dict[str, str], tuple[str, ...]]:
    """The frame opened, each field's column in it, and its columns that are no field.

    Raises the reader's errors about columns before any row is read: a mapped column
    the table lacks, a required column missing, an extra column with ``extra="refuse"``.
    """
    frame = open_frame(table)
    present = set(frame.columns)
    specs = _SPECS[kind]
    sources: dict[str, str] = {}
    for spec in specs:
        given = wanted.get(spec.name)
        if given is not None:
            if given not in present:
                raise InvalidArgument(f"columns= maps {given!r} to {spec.name!r}, but the "
                                      f"table has no column {given!r}", field=spec.name)
            sources[spec.name] = given
        elif spec.name in present and spec.name not in wanted.values():
            sources[spec.name] = spec.name
    missing = [spec.name for spec in specs if spec.required_column and spec.name not in sources]
    if missing:
        raise InvalidArgument(
            f"the table lacks the required "
            f"{_text.plural(len(missing), 'column|columns', 'en')} {', '.join(missing)} of a "
            f"{kind.__name__}; map the table's names with columns={{'sagsnr': 'case_id', "
            "...}", field=missing[0])
    used = set(sources.values())
    extras = tuple(name for name in frame.columns if name not in used)
    if extra == "refuse" and extras:
        raise InvalidArgument(f"the table has "
                              f"{_text.plural(len(extras), 'a column|columns', 'en')} that "
                              f"{_text.plural(len(extras), 'is|are', 'en')} no field of a "
                              f"{kind.__name__}: {', '.join(extras)}; map or drop "
                              f"{_text.plural(len(extras), 'it|them', 'en')}, or "
                              "pass extra='ignore'", field=extras[0])
    return frame, sources, extras


def _row_columns(kind: type, rows: object, wanted: dict[str, str], extra: str,
                 found: _Collector) -> tuple[int, dict[str, list[Any]], tuple[str, ...],
                                             dict[str, str]]:
    """Rows (tuples in field order, or mappings) turned into columns."""
    specs = _SPECS[kind]
    names = [spec.name for spec in specs]
    keys = [wanted.get(name, name) for name in names]
    items = rows if isinstance(rows, list) else list(v.iterable("rows", rows))
    lengths = set(map(len, items)) if set(map(type, items)) <= {tuple, list} else set()
    if len(lengths) == 1 and max(lengths) <= len(names):  # tuples of one shape: zip in C
        transposed = [list(column) for column in zip(*items, strict=True)]
        transposed += [[None] * len(items) for _ in names[len(transposed):]]
        return (len(items), dict(zip(names, transposed, strict=True)), (),
                dict(zip(names, keys, strict=True)))
    known = set(keys)
    columns: dict[str, list[Any]] = {name: [] for name in names}
    lists = [columns[name] for name in names]
    extras: dict[str, None] = {}
    width = len(names)
    count = 0
    for row, item in enumerate(items):
        count += 1
        if type(item) is tuple or type(item) is list or (
                isinstance(item, Sequence) and not isinstance(item, str | bytes)):
            if len(item) > width:
                found.add(row, -1, "", None, _Refused(
                    "too-many-values", f"has {len(item)} values; a {kind.__name__} has "
                    f"{width}"))
            for index, values in enumerate(lists):
                values.append(item[index] if index < len(item) else None)
        elif isinstance(item, Mapping):
            for key, values in zip(keys, lists, strict=True):
                values.append(item.get(key))
            if len(item) > len(known) or not known.issuperset(item):
                unknown = [str(key) for key in item if key not in known]
                for name in unknown:
                    extras[name] = None
                if extra == "refuse" and unknown:
                    found.add(row, -1, "", None, _Refused(
                        "unknown-column", f"has {_text.plural(len(unknown), 'a key|keys', 'en')} "
                        f"that {_text.plural(len(unknown), 'is|are', 'en')} no field of a "
                        f"{kind.__name__}: {', '.join(mask(name) for name in unknown)[:200]}"))
        else:
            found.add(row, -1, "", None, _Refused(
                "not-a-row", f"expected a tuple, list or mapping, got {v.type_name(item)}"))
            for values in lists:
                values.append(None)
    sources = dict(zip(names, keys, strict=True))
    return count, columns, tuple(extras), sources


def read_columns(
    kind: type[R],
    table: object,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
    extra: Extra = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> ValidatedColumns[R]:
    """Read and validate a table's columns for records of ``kind`` (step 1 of 2).

    See :func:`read_cases` for the arguments. :meth:`ValidatedColumns.to_records`
    makes the records. A table given to :func:`~casemigrate.find_duplicate_active_cases`
    or :func:`~casemigrate.find_service_overlaps` is read by the same parts (these
    options, the column mapping, the value parsers, the refusals) into the columnar
    engine's arrays instead.

    Raises:
        MissingDependency: ``table`` is a dataframe and narwhals is not installed
            (``pip install "casemigrate[tables]"``).
        InvalidArgument: A required column is missing, ``columns`` names an unknown
            field or column, or (with ``extra="refuse"``) the table has extra columns.
        CaseMigrateError: With ``errors="raise"``: the first bad row's error, naming
            the row and field (``rows[17].citizen``).

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> validated = read_columns(Case, [("S-1", 607, None, "Old", dt.date(2020, 1, 6))])
        >>> validated.columns["citizen"], validated.columns["opened"], list(validated.rows)
        ([None], [datetime.date(2020, 1, 6)], [0])
    """
    if kind not in _SPECS:
        raise InvalidArgument("expected Case, Service or Delivery", field="kind")
    with _no_collection():
        return _read_columns(kind, table, columns, errors, extra,
                             _options(date_format, dayfirst, errors, extra))


def _read_columns(kind: type[R], table: object, columns: Mapping[str, str] | None,  # noqa: PLR0917
                  errors: str, extra: str, options: _Options) -> ValidatedColumns[R]:
    wanted = _mapping(kind, columns)
    found = _Collector()
    if is_frame(table):
        height, raw, extras, sources = _frame_columns(kind, table, wanted, extra)
    else:
        height, raw, extras, sources = _row_columns(kind, table, wanted, extra, found)
    validated: dict[str, list[Any]] = {}
    for order, spec in enumerate(_SPECS[kind]):
        if spec.name in raw:
            validated[spec.name] = _validate(spec, order, raw[spec.name], options, found)
    _check_ends(kind, validated, raw, found)
    unreadable = {item[0] for item in found.found if item[1] < 0}
    if unreadable:  # a row that is no row has no fields to refuse one by one
        found.found = [item for item in found.found
                       if item[1] < 0 or item[0] not in unreadable]
    refusals = _refusals(kind, height, raw, sources, found)
    if errors == "raise":
        found.raise_first()
    rows: Sequence[int] = range(height)
    if found.found:
        bad = {item[0] for item in found.found}
        rows = [row for row in range(height) if row not in bad]
        validated = {name: [values[row] for row in rows] for name, values in validated.items()}
    return ValidatedColumns(kind=kind, columns=validated, rows=rows, refusals=refusals,
                            extra_columns=extras,
                            column_names={f: sources[f] for f in validated})


def _check_ends(kind: type, validated: dict[str, list[Any]], raw: Mapping[str, list[Any]],
                found: _Collector) -> None:
    ends = _ENDS.get(kind)
    if ends is None or ends[1] not in validated or ends[0] not in validated:
        return
    start_name, end_name = ends
    order = [spec.name for spec in _SPECS[kind]].index(end_name)
    starts, stops = validated[start_name], validated[end_name]
    for row, (start, end) in enumerate(zip(starts, stops, strict=True)):
        if end is not None and start is not None and end < start:
            found.add(row, order, end_name, raw[end_name][row],
                      _ends_before(start_name, start, end_name, end))


def _ends_before(start_name: str, start: dt.date, end_name: str, end: dt.date) -> _Refused:
    """The refusal of an end or closing date before its start."""
    return _Refused("ends-before-start", f"{end} is before {start_name} {start}",
                    field=end_name)


def _refusals(kind: type, height: int, raw: Mapping[str, list[Any]], sources: dict[str, str],
              found: _Collector) -> Refusals:
    table = _TABLE_NAMES[kind]
    if not found.found:
        return Refusals(table, height)
    id_field = _SPECS[kind][0].name
    ids = raw.get(id_field, [])
    items = []
    for row, _order, field, value, error in sorted(found.found, key=lambda i: (i[0], i[1])):
        record_id = plain(ids[row]) if row < len(ids) else None
        if type(record_id) is int:
            record_id = str(record_id)
        if not (isinstance(record_id, str) and record_id.strip()):
            record_id = None
        else:
            record_id = mask(record_id)[:200]
        items.append(Refusal(
            row=row, record_id=record_id, column=sources.get(field) if field else None,
            field=field or None, value=_shown(value, field), error=_code_of(error),
            message=mask(error.reason)))
    return Refusals(table, height, tuple(items))


# ---- the public readers ----------------------------------------------------------------

def _read(kind: type[R], table: object, **options: Any) -> TableRead[R]:
    with _no_collection():
        validated = read_columns(kind, table, **options)
        records = validated.to_records()
    return TableRead(records=records, rows=validated.rows,
                     refusals=validated.refusals, extra_columns=validated.extra_columns)


def read_cases(
    table: object,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
    extra: Extra = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> TableRead[Case]:
    """Read cases from a table or rows, every bad row reported.

    Args:
        table: A pandas, polars or pyarrow table (needs the ``tables`` extra), or an
            iterable of tuples in field order or of mappings.
        columns: The table's column names mapped to :class:`~casemigrate.Case`'s
            fields, e.g. ``{"sagsnr": "case_id"}``. A column named as a field needs
            no entry.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"`` (the good
            records and the refusals).
        extra: ``"ignore"`` columns that are no field (listed in
            :attr:`TableRead.extra_columns`), or ``"refuse"`` them.
        date_format: A ``strptime`` format for date strings, e.g. ``"%d-%m-%Y"``.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September, ``False`` as
            February 9; ``None`` reads only ISO date strings.

    Returns:
        The :class:`TableRead`.

    Raises:
        MissingDependency: ``table`` is a dataframe and narwhals is not installed.
        InvalidArgument: A required column is missing (before any row is read), or
            ``columns`` names an unknown field or column.
        CaseMigrateError: With ``errors="raise"``, the first bad row's error.

    Example:
        >>> read = read_cases([("S-1", 607, "211062-1234", "Old", "02-09-2022")],
        ...                   dayfirst=True)
        >>> read.records[0].opened
        datetime.date(2022, 9, 2)
    """
    return _read(Case, table, columns=columns, errors=errors, extra=extra,
                 date_format=date_format, dayfirst=dayfirst)


def read_services(
    table: object,
    *,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
    extra: Extra = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> TableRead[Service]:
    """Read services from a table or rows, every bad row reported.

    As :func:`read_cases`. ``target_groups`` may be a list column, or text with the
    codes separated by commas, semicolons, bars or spaces (``"1.2.2.1;2.1"``).

    Example:
        >>> read = read_services([{"service_id": "Y-1", "municipality": "0607",
        ...     "citizen": None, "code": "SEL107", "target_groups": "1.1; 2.1",
        ...     "start": "2021-06-01", "system": "Old"}])
        >>> sorted(read.records[0].target_groups), read.records[0].end
        (['1.1', '2.1'], None)
    """
    return _read(Service, table, columns=columns, errors=errors, extra=extra,
                 date_format=date_format, dayfirst=dayfirst)


def read_deliveries(
    table: object,
    *,
    services: Mapping[str, Iterable[Service]] | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Errors = "raise",
    extra: Extra = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> TableRead[Delivery]:
    """Read deliveries (one row each) from a table or rows, every bad row reported.

    As :func:`read_cases`; ``sent`` may be a timestamp, a date (midnight) or an ISO
    string. A delivery's services come from ``services``, by delivery id.

    Example:
        >>> read = read_deliveries([("D-1", "L402", "Old", 607, "2026-05-26T09:00")])
        >>> read.records[0].sent_day, read.records[0].services
        (datetime.date(2026, 5, 26), ())
    """
    read = _read(Delivery, table, columns=columns, errors=errors, extra=extra,
                 date_format=date_format, dayfirst=dayfirst)
    if not services:
        return read
    if not isinstance(services, Mapping):
        raise InvalidType("expected a mapping of delivery id to services", field="services")
    records = tuple(attrs.evolve(d, services=tuple(services.get(d.delivery_id, ())))
                    for d in read.records)
    return attrs.evolve(read, records=records)
