"""The domain records: cases, services and deliveries.

Records are ``attrs`` classes: frozen, slotted and keyword-only. Their constructors
normalise what they can (a CPR string becomes a :class:`~casemigrate.CPR`, a
municipality code a shared :class:`~casemigrate.Municipality`) and reject what cannot
be a record (wrong types, empty ids, an end before its start, a malformed
identifier) with a casemigrate exception naming the field. What a record can be but
a register forbids (two active cases, a start date equal to the cutover) is not
refused here: the rule functions report it as a finding.

Dates are calendar days. An end or closing date is *inclusive*: it is the last day
the case was open or the service was delivered. So a case closed on a day is no
longer active on that day (see :meth:`Case.is_active_on`), while a service ending on
a day still covers that day (see :meth:`Service.covers`).

Example:
    >>> import datetime as dt
    >>> from casemigrate import Case, Service
    >>> case = Case(case_id="S-1", municipality=607, citizen="211062-1234",
    ...             system="Old", opened=dt.date(2020, 1, 6))
    >>> case.is_active_on(dt.date(2026, 3, 1)), case.citizen
    (True, CPR('211062-****'))
    >>> Service(service_id="Y-1", municipality=607, citizen="211062-1234", code="SEL107",
    ...         target_groups={"1.2.2.1"}, start=dt.date(2021, 6, 1), end=None,
    ...         system="Old").is_closed
    False
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, overload

import attrs
from dateutil import tz

from casemigrate import _validate as v
from casemigrate._slots import safe_repr, slots_filler
from casemigrate.exceptions import (
    CaseMigrateError,
    InvalidRecord,
    InvalidType,
    mask_cpr_id,
)
from casemigrate.identifiers import (
    CPR,
    KLE,
    MUNICIPALITY_CODES,
    Facet,
    Municipality,
    kle_number,
    municipality,
)
from casemigrate.identifiers import facet as _facet_of

if TYPE_CHECKING:
    from casemigrate.tables import TableRead

__all__ = [
    "DANISH_TIME",
    "Case",
    "CaseGroup",
    "Delivery",
    "LoadPreference",
    "Origin",
    "Service",
]

DANISH_TIME: Final = tz.gettz("Europe/Copenhagen")
"""Danish local time; ``dateutil`` ships its own copy of the zone if the system lacks one."""


class Origin(enum.Enum):
    """Where a case came from.

    * ``MANUAL``: created by hand in the case system (a "manuel sag" in KMD Sag);
    * ``SYSTEM``: created by a line-of-business system through an interface;
    * ``CONVERTED``: brought in by a conversion from an earlier system.
    """

    MANUAL = "manual"
    SYSTEM = "system"
    CONVERTED = "converted"


def _id(field: str, value: object) -> str:
    if (
        type(value) is str
        and 0 < len(value) <= 200
        and value.isascii()
        and value.isprintable()
        and not value.isspace()
    ):
        return value
    return v.text(field, value)


_SHARED_LIMIT: Final = 100_000
# Shared values: a million records hold a handful of systems, codes and group sets.
_SYSTEMS: dict[str, str] = {}
_CODES: dict[str, str] = {}
_GROUPS: dict[tuple[str, ...] | frozenset[str], frozenset[str]] = {}
_MUNICIPALITIES: Final = {m.code: m for m in map(municipality, MUNICIPALITY_CODES)}


def _system(field: str, value: object) -> str:
    name = sys.intern(v.text(field, value, max_length=100))
    if len(_SYSTEMS) < _SHARED_LIMIT:
        _SYSTEMS[name] = name
    return name


def _municipality(value: object) -> Municipality:
    if type(value) is Municipality:
        return value
    return municipality(value)  # type: ignore[arg-type]  # checked inside


def _citizen(value: object) -> CPR | None:
    """A CPR from a string; a missing value (None, NaN, NA) is no citizen.

    The error is raised outside the ``except``, so it carries no context, and the
    raw value is dropped from this frame first: a traceback that captures locals
    shows no number.
    """
    if type(value) is not str:
        if value is None or type(value) is CPR:
            return value
        if v.is_missing(value):
            return None
        value = v.native(value)
    try:
        return CPR(value)  # type: ignore[arg-type]  # checked inside
    except CaseMigrateError as error:
        failure = error.with_field("citizen")
    value = None
    raise failure


def _day(field: str, value: object) -> dt.date:
    if type(value) is dt.date:
        return value
    return v.day(field, value)


def _optional_day(field: str, value: object) -> dt.date | None:
    if value is None or type(value) is dt.date:
        return value
    return v.optional_day(field, value)


# Named converters, one per field, so that each error names its field.
def _delivery_id(value: object) -> str:
    return _id("delivery_id", value)


def _system_name(value: object) -> str:
    return _system("system", value)


def _opened(value: object) -> dt.date:
    return _day("opened", value)


def _closed(value: object) -> dt.date | None:
    return _optional_day("closed", value)


def _start(value: object) -> dt.date | None:
    return _optional_day("start", value)


def _end(value: object) -> dt.date | None:
    return _optional_day("end", value)


def _title(value: object) -> str:
    return v.free_text("title", value, max_length=1000)


def _caseworker(value: object) -> str | None:
    return v.optional_text("caseworker", value)


def _organisation(value: object) -> str | None:
    return v.optional_text("organisation", value)


def _code(value: object) -> str | None:
    return v.optional_text("code", value, max_length=50)


def _origin(value: object) -> Origin:
    if type(value) is Origin:
        return value
    return v.choice("origin", Origin, value)


def _id_repr(value: object) -> str:
    """A record id in a repr; one that is a CPR number shows as one (docs/privacy.md)."""
    return repr(mask_cpr_id(value) if type(value) is str else value)


@safe_repr
@attrs.frozen(kw_only=True, init=False)
class Case:
    """A case (sag) about one citizen in one system.

    Attributes:
        case_id: The case's id in its system (sagsnummer); not empty.
        municipality: The municipality holding the case (a code is accepted).
        citizen: The citizen's CPR number (a string is accepted), or ``None`` for a
            case that is not about a citizen.
        system: The name of the system that holds the case.
        opened: The day the case was opened.
        closed: The day it was closed (inclusive: the last day it was open), or
            ``None`` while it is active.
        kle: The KLE number (a string is accepted), or ``None``.
        facet: The action facet (a string is accepted), or ``None``.
        origin: Manual, system-made or converted (a string value is accepted).
        title: The case title (sagsoverskrift); may be empty.
        caseworker: The responsible caseworker (sagsbehandler), or ``None``.
        organisation: The responsible organisational unit, or ``None``.

    Raises:
        InvalidRecord: An id is empty, or ``closed`` is before ``opened``.
        InvalidType: A field has the wrong type.
        InvalidCPR: ``citizen`` is not a CPR number.
        InvalidMunicipality: ``municipality`` is not a municipality code.
        InvalidKLE: ``kle`` or ``facet`` is malformed.

    Example:
        >>> import datetime as dt
        >>> case = Case(case_id="S-1", municipality="607", citizen=None, system="Old",
        ...             opened=dt.date(2020, 1, 6), closed=dt.date(2020, 1, 5))
        Traceback (most recent call last):
        ...
        casemigrate.exceptions.InvalidRecord: closed: 2020-01-05 is before opened 2020-01-06
    """

    case_id: str = attrs.field(repr=_id_repr)
    municipality: Municipality
    citizen: CPR | None
    system: str
    opened: dt.date
    closed: dt.date | None = None
    kle: KLE | None = None
    facet: Facet | None = None
    origin: Origin = Origin.SYSTEM
    title: str = ""
    caseworker: str | None = None
    organisation: str | None = None

    # Written out rather than generated: a converter builds a million of these, so the
    # common types take a fast path and only the rest goes through the validators.
    # Service.__init__ repeats the first checks inline on purpose: a shared helper
    # would cost a call per record (see benchmarks/RESULTS.md, construction).
    def __init__(
        self,
        *,
        case_id: str,
        municipality: Municipality | int | str,
        citizen: CPR | str | None,
        system: str,
        opened: dt.date,
        closed: dt.date | None = None,
        kle: KLE | str | None = None,
        facet: Facet | str | None = None,
        origin: Origin | str = Origin.SYSTEM,
        title: str = "",
        caseworker: str | None = None,
        organisation: str | None = None,
    ) -> None:
        if not (type(case_id) is str and 0 < len(case_id) <= 200 and case_id.isascii()
                and case_id.isprintable() and not case_id.isspace()):
            case_id = v.text("case_id", case_id)
        where = _MUNICIPALITIES.get(municipality) if type(municipality) is int else None
        if where is None:
            where = _municipality(municipality)
        if type(citizen) is not CPR and citizen is not None:
            try:
                citizen = _citizen(citizen)
            except CaseMigrateError:
                citizen = None  # a traceback that captures locals shows no number
                raise
        name = _SYSTEMS.get(system) if type(system) is str else None
        if name is None:
            name = _system_name(system)
        if type(opened) is not dt.date:
            opened = _opened(opened)
        if closed is not None:
            if type(closed) is not dt.date:
                closed = _closed(closed)
            if closed is not None and closed < opened:
                raise InvalidRecord(f"{closed} is before opened {opened}", field="closed")
        if kle is not None and type(kle) is not KLE:
            kle = None if v.is_missing(kle) else kle_number(kle)
        if facet is not None and type(facet) is not Facet:
            facet = None if v.is_missing(facet) else _facet_of(facet)
        if type(origin) is not Origin:
            origin = _origin(origin)
        if type(title) is not str or title:
            title = _title(title)
        if caseworker is not None:
            caseworker = _caseworker(caseworker)
        if organisation is not None:
            organisation = _organisation(organisation)
        _set_case(self, case_id, where, citizen, name, opened, closed, kle, facet, origin,
                  title, caseworker, organisation)

    @overload
    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: Literal["raise"] = ...) -> list[Case]: ...

    @overload
    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: Literal["collect"]) -> TableRead[Case]: ...

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: str = "raise") -> list[Case] | TableRead[Case]:
        """Build many cases from rows, as a converter reads them: the fast way.

        A row is a tuple or list in field order, ``(case_id, municipality, citizen,
        system, opened[, closed[, kle[, facet[, origin[, title[, caseworker[,
        organisation]]]]]]])``, or a mapping of field names. Every row is validated
        exactly as ``Case(...)`` validates it. The common shape (six plain values)
        takes a fast path: no keyword parsing, and each distinct CPR string is checked
        once per call. That cache lives only for the call, so no CPR number is kept
        afterwards.

        With ``errors="collect"``, no row stops the others: the result is a
        :class:`~casemigrate.tables.TableRead` with the good cases and a refusal for
        every bad field of every row (see :func:`casemigrate.read_cases`, which also
        reads dataframes and renames columns).

        Args:
            rows: The rows.
            errors: ``"raise"`` at the first bad row, or ``"collect"`` them all.

        Returns:
            The cases, in the order of the rows (a ``TableRead`` when collecting).

        Raises:
            CaseMigrateError: A row cannot be a case; ``field`` names the row and the
                field, e.g. ``rows[17].citizen``; a mapping with a key that is no field
                or without a required one is an :class:`InvalidRecord` naming it.

        Example:
            >>> import datetime as dt
            >>> cases = Case.from_rows([
            ...     ("S-1", 607, "211062-1234", "Old", dt.date(2020, 1, 6), None),
            ...     ("S-2", 607, "211062-1234", "Old", dt.date(2021, 3, 1), dt.date(2022, 1, 1)),
            ... ])
            >>> [c.case_id for c in cases], cases[0] == Case(
            ...     case_id="S-1", municipality=607, citizen="211062-1234", system="Old",
            ...     opened=dt.date(2020, 1, 6))
            (['S-1', 'S-2'], True)
            >>> from casemigrate import InvalidCPR
            >>> try:
            ...     Case.from_rows([("S-3", 607, "321062-1234", "Old", dt.date(2020, 1, 6))])
            ... except InvalidCPR as error:
            ...     print(error.field)
            rows[0].citizen
            >>> read = Case.from_rows([("S-3", 999, "321062-1234", "Old", None)],
            ...                       errors="collect")
            >>> read.records, [r.error for r in read.refusals]
            ((), ['invalid-municipality', 'invalid-cpr', 'missing-value'])
        """
        if type(errors) is not str or errors != "raise":
            collected: TableRead[Case] = _collect(Case, rows, errors)
            return collected
        return _cases_from_rows(rows)

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the case is active on ``day``: opened by then and not yet closed.

        A case closed on ``day`` is not active on it.

        Example:
            >>> import datetime as dt
            >>> case = Case(case_id="S-1", municipality=607, citizen=None, system="Old",
            ...             opened=dt.date(2020, 1, 6), closed=dt.date(2026, 3, 1))
            >>> [case.is_active_on(dt.date(2026, 2, d)) for d in (28,)], case.is_active_on(
            ...     dt.date(2026, 3, 1))
            ([True], False)
        """
        return self.opened <= day and (self.closed is None or self.closed > day)

    @property
    def is_active(self) -> bool:
        """Whether the case has no closing date."""
        return self.closed is None


_set_case = slots_filler(
    Case, "case_id", "municipality", "citizen", "system", "opened", "closed", "kle", "facet",
    "origin", "title", "caseworker", "organisation",
)


def _shared_groups(value: object) -> frozenset[str]:
    """Validated target groups, shared between the records that hold the same ones."""
    if type(value) is tuple or type(value) is frozenset:
        try:
            found = _GROUPS.get(value)
        except TypeError:  # an unhashable item: let the validator name it
            return _target_groups(value)
        if found is None:
            found = _target_groups(value)
            if len(_GROUPS) < _SHARED_LIMIT:
                _GROUPS[value] = found
        return found
    return _target_groups(value)


def _target_groups(value: object) -> frozenset[str]:
    if v.is_missing(value):  # an empty cell: no target groups (check_services says so)
        return frozenset()
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidType(
            f"expected a set of dotted codes like {{'1.2.2.1'}}, got {v.type_name(value)}",
            field="target_groups",
        )
    items = tuple(value)
    for group in items:
        if type(group) is not str:
            raise InvalidType(
                f"expected strings, got a {v.type_name(group)}", field="target_groups"
            )
        if len(group) > 50:
            raise InvalidRecord("a code is longer than 50 characters", field="target_groups")
    return frozenset(items)


@safe_repr
@attrs.frozen(kw_only=True, init=False)
class Service:
    """A social service (ydelse) granted to a citizen, as reported to DST.

    A service with an end date is *closed*; one without is *active*. What DST needs of
    a service (start, service code, target groups, and an end date only where the
    service really ended) is checked by :func:`casemigrate.check_services`, so a
    service lacking them can still be built and reported on.

    Attributes:
        service_id: The service's id in its system; not empty.
        municipality: The acting municipality (handlekommune).
        citizen: The citizen's CPR number, or ``None`` if the extract lacks it.
        code: The service code (ydelseskode), or ``None`` if missing.
        target_groups: The target groups (målgrupper), dotted codes like ``1.2.2.1``.
        start: The real start date, or ``None`` if missing.
        end: The end date (inclusive: the last day of the service), or ``None`` while
            the service is active.
        system: The name of the system the service comes from.

    Raises:
        InvalidRecord: An id is empty, or ``end`` is before ``start``.
        InvalidType: A field has the wrong type.

    Example:
        >>> import datetime as dt
        >>> s = Service(service_id="B", municipality=607, citizen="211062-1234",
        ...             code="SEL107", target_groups=["1.2.2.1"], start=dt.date(2021, 6, 1),
        ...             system="Old")
        >>> s.is_active, s.target_groups
        (True, frozenset({'1.2.2.1'}))
    """

    service_id: str = attrs.field(repr=_id_repr)
    municipality: Municipality
    citizen: CPR | None
    code: str | None
    target_groups: frozenset[str]
    start: dt.date | None
    end: dt.date | None = None
    system: str = ""

    def __init__(
        self,
        *,
        service_id: str,
        municipality: Municipality | int | str,
        citizen: CPR | str | None,
        code: str | None,
        target_groups: Iterable[str],
        start: dt.date | None,
        end: dt.date | None = None,
        system: str,
    ) -> None:
        if not (type(service_id) is str and 0 < len(service_id) <= 200
                and service_id.isascii() and service_id.isprintable()
                and not service_id.isspace()):
            service_id = v.text("service_id", service_id)
        where = _MUNICIPALITIES.get(municipality) if type(municipality) is int else None
        if where is None:
            where = _municipality(municipality)
        if type(citizen) is not CPR and citizen is not None:
            try:
                citizen = _citizen(citizen)
            except CaseMigrateError:
                citizen = None  # a traceback that captures locals shows no number
                raise
        known = _CODES.get(code) if type(code) is str else None
        if known is None:
            code = _code(code)
            if code is not None and len(_CODES) < _SHARED_LIMIT:
                _CODES[code] = code
        else:
            code = known
        groups = _shared_groups(target_groups)
        if start is not None and type(start) is not dt.date:
            start = _start(start)
        if end is not None:
            if type(end) is not dt.date:
                end = _end(end)
            if start is not None and end is not None and end < start:
                raise InvalidRecord(f"{end} is before start {start}", field="end")
        name = _SYSTEMS.get(system) if type(system) is str else None
        if name is None:
            name = _system_name(system)
        _set_service(self, service_id, where, citizen, code, groups, start, end, name)

    @overload
    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: Literal["raise"] = ...) -> list[Service]: ...

    @overload
    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: Literal["collect"]) -> TableRead[Service]: ...

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any] | Mapping[str, Any]],
                  errors: str = "raise") -> list[Service] | TableRead[Service]:
        """Build many services from rows, as a converter reads them: the fast way.

        A row is a tuple or list in field order, ``(service_id, municipality, citizen,
        code, target_groups, start, end, system)``, or a mapping of field names.
        Validated exactly as ``Service(...)``; see :meth:`Case.from_rows` for the fast
        path, the CPR cache that lives only for the call, and ``errors="collect"``.

        Raises:
            CaseMigrateError: A row cannot be a service; ``field`` names the row and the
                field, e.g. ``rows[3].end``.

        Example:
            >>> import datetime as dt
            >>> [s.is_active for s in Service.from_rows([
            ...     ("Y-1", 607, "211062-1234", "SEL107", ("1.1",), dt.date(2021, 6, 1), None,
            ...      "Old")])]
            [True]
        """
        if type(errors) is not str or errors != "raise":
            collected: TableRead[Service] = _collect(Service, rows, errors)
            return collected
        return _services_from_rows(rows)

    @property
    def is_closed(self) -> bool:
        """Whether the service has an end date."""
        return self.end is not None

    @property
    def is_active(self) -> bool:
        """Whether the service has no end date."""
        return self.end is None

    def covers(self, day: dt.date) -> bool:
        """Whether the service runs on ``day`` (start and end inclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def period(self) -> str:
        """The period as text, e.g. ``2021-06-01..2026-02-28`` or ``2021-06-01..``."""
        start = "?" if self.start is None else self.start.isoformat()
        end = "" if self.end is None else self.end.isoformat()
        return f"{start}..{end}"


_set_service = slots_filler(
    Service, "service_id", "municipality", "citizen", "code", "target_groups", "start",
    "end", "system",
)


_CASE_FIELDS: Final = (
    "case_id", "municipality", "citizen", "system", "opened", "closed", "kle", "facet",
    "origin", "title", "caseworker", "organisation",
)
_SERVICE_FIELDS: Final = (
    "service_id", "municipality", "citizen", "code", "target_groups", "start", "end", "system",
)
# The fields a row must give: the constructor has no default for them.
_REQUIRED: Final[dict[type, tuple[str, ...]]] = {
    Case: _CASE_FIELDS[:5],
    Service: ("service_id", "municipality", "citizen", "code", "target_groups", "start",
              "system"),
}


def _from_row(
    kind: type[Any], fields: tuple[str, ...], row: object, cprs: dict[str, CPR]
) -> Any:
    """One record from a row through its ordinary constructor (the slow path).

    The citizen still comes from the batch's CPR cache, so records of one citizen
    share one CPR object whichever path they took.
    """
    if isinstance(row, Mapping):
        values = dict(row)
    elif isinstance(row, str | bytes) or not isinstance(row, Sequence):
        raise InvalidType(f"expected a tuple, list or mapping, got {v.type_name(row)}")
    elif len(row) > len(fields):
        raise InvalidRecord(f"has {len(row)} values; a {kind.__name__} has {len(fields)}")
    else:
        values = dict(zip(fields, row, strict=False))
    if len(values) > len(fields) or not set(fields).issuperset(values):
        unknown = sorted(str(key)[:30] for key in values if key not in fields)
        raise InvalidRecord(f"{', '.join(unknown)} is no field of a {kind.__name__}",
                            field=unknown[0])
    for name in _REQUIRED[kind]:
        if name not in values:
            raise InvalidRecord("is missing; the field must be given", field=name)
    if "citizen" in values:
        values["citizen"] = _batch_cpr(cprs, values["citizen"])
    return kind(**values)


def _collect(kind: type[Any], rows: object, errors: str) -> Any:
    """``from_rows(..., errors="collect")``: every bad field of every row, in a table."""
    from casemigrate.tables import TableRead, read_columns  # noqa: PLC0415  # builds on this

    v.one_of("errors", ("raise", "collect"), errors)
    validated = read_columns(kind, rows, errors="collect")
    return TableRead(records=validated.to_records(), rows=validated.rows,
                     refusals=validated.refusals, extra_columns=validated.extra_columns)


def _batch_cpr(cache: dict[str, CPR], value: object) -> CPR | None:
    """A CPR from a row, checked once per distinct string within one batch."""
    if type(value) is str:
        found = cache.get(value)
        if found is None:
            found = _citizen(value)
            assert found is not None
            cache[value] = found
        return found
    return _citizen(value)


def _in_row(index: int, error: CaseMigrateError) -> CaseMigrateError:
    """The same error, naming the row too: ``rows[17].citizen``."""
    return error.with_field(f"rows[{index}]" + (f".{error.field}" if error.field else ""))


def _cases_from_rows(rows: object) -> list[Case]:
    out: list[Case] = []
    cprs: dict[str, CPR] = {}
    new = object.__new__
    date, system_default = dt.date, Origin.SYSTEM
    for index, row in enumerate(v.iterable("rows", rows)):
        try:
            if (type(row) is tuple or type(row) is list) and len(row) == 6:
                case_id, where, citizen, system, opened, closed = row
                place = _MUNICIPALITIES.get(where) if type(where) is int else None
                name = _SYSTEMS.get(system) if type(system) is str else None
                if (place is not None and name is not None and type(case_id) is str
                        and 0 < len(case_id) <= 200 and case_id.isascii()
                        and case_id.isprintable() and not case_id.isspace()
                        and type(opened) is date
                        and (closed is None or (type(closed) is date and closed >= opened))):
                    cpr = cprs.get(citizen) if type(citizen) is str else None
                    cpr = cpr or _batch_cpr(cprs, citizen)  # before the record exists
                    record = new(Case)
                    _set_case(record, case_id, place, cpr, name,
                              opened, closed, None, None, system_default, "", None, None)
                    out.append(record)
                    continue
            out.append(_from_row(Case, _CASE_FIELDS, row, cprs))
        except CaseMigrateError as error:
            failure = _in_row(index, error)
            break
    else:
        return out
    # Raised outside the except, so without context; the row and the batch's CPR cache
    # are dropped first: a traceback that captures locals shows no number.
    cprs.clear()
    row = citizen = rows = None
    raise failure


def _services_from_rows(rows: object) -> list[Service]:
    out: list[Service] = []
    cprs: dict[str, CPR] = {}
    new = object.__new__
    date = dt.date
    for index, row in enumerate(v.iterable("rows", rows)):
        try:
            if (type(row) is tuple or type(row) is list) and len(row) == 8:
                service_id, where, citizen, code, groups, start, end, system = row
                place = _MUNICIPALITIES.get(where) if type(where) is int else None
                name = _SYSTEMS.get(system) if type(system) is str else None
                known = _CODES.get(code) if type(code) is str else None
                if (place is not None and name is not None and known is not None
                        and type(service_id) is str and 0 < len(service_id) <= 200
                        and service_id.isascii() and service_id.isprintable()
                        and not service_id.isspace() and type(start) is date
                        and (end is None or (type(end) is date and end >= start))):
                    cpr = cprs.get(citizen) if type(citizen) is str else None
                    cpr = cpr or _batch_cpr(cprs, citizen)  # before the record exists
                    shared = _shared_groups(groups)
                    record = new(Service)
                    _set_service(record, service_id, place, cpr, known, shared, start, end,
                                 name)
                    out.append(record)
                    continue
            out.append(_from_row(Service, _SERVICE_FIELDS, row, cprs))
        except CaseMigrateError as error:
            failure = _in_row(index, error)
            break
    else:
        return out
    cprs.clear()  # as in _cases_from_rows: no number in a traceback's locals
    row = citizen = rows = None
    raise failure


def _delivery_name(value: object) -> str:
    name = v.text("name", value, max_length=20).strip()
    if len(name) < 2 or name[0] not in "LT" or not name[1:].isalnum() or not name.isascii():
        raise InvalidRecord(
            f"{name[:20]!r} is neither a production (L...) nor a test (T...) delivery name, "
            "e.g. 'L402' or 'T402'",
            field="name",
        )
    return sys.intern(name)


def _sent(value: object) -> dt.datetime:
    if type(value) is dt.datetime:
        return _in_range(value)
    if v.is_missing(value):  # pandas NaT is a datetime: it must not pass as one
        raise v.required("sent", value)
    value = v.native(value)
    if isinstance(value, dt.datetime):
        if type(value) is not dt.datetime:  # a pandas Timestamp: a plain datetime
            value = dt.datetime(value.year, value.month, value.day, value.hour, value.minute,
                                value.second, value.microsecond, value.tzinfo,
                                fold=value.fold)
        return _in_range(value)
    if isinstance(value, dt.date):
        return _in_range(dt.datetime(value.year, value.month, value.day))
    raise InvalidType(f"expected a datetime or a date, got {v.type_name(value)}", field="sent")


def _in_range(sent: dt.datetime) -> dt.datetime:
    """``sent``, if its Danish day and UTC instant are dates Python can hold."""
    if 1 < sent.year < 9999:
        return sent
    try:
        aware = sent if sent.tzinfo is not None else sent.replace(tzinfo=DANISH_TIME)
        aware.astimezone(dt.UTC)
        aware.astimezone(DANISH_TIME)
    except (OverflowError, ValueError):
        raise InvalidRecord("is too close to 0001-01-01 or 9999-12-31 to be placed in "
                            "Danish time", field="sent") from None
    return sent


def _services(value: object) -> tuple[Service, ...]:
    return v.instances("services", value, Service)


@safe_repr
@attrs.frozen(kw_only=True)
class Delivery:
    """One data file sent to Statistics Denmark (leverance).

    ``name`` tells production from test: ``L402`` is used for the statistics, ``T402``
    is a test delivery (Danmarks Statistik, "Vejledning om systemskifte til kommuner",
    section 1, NB).

    ``sent`` may be naive, read as Danish local time, or aware, converted to Danish
    local time: the cutover is a Danish calendar date, so :attr:`sent_day` is the
    Danish date of sending. Deliveries are ordered by :attr:`sent_instant`, the
    absolute time, which stays right across the autumn change of clocks. A ``date``
    is taken as midnight Danish time.

    Attributes:
        delivery_id: The delivery's id; not empty.
        name: ``L...`` (production) or ``T...`` (test), e.g. ``"L402"``.
        system: The name of the system that sent it.
        municipality: The municipality it reports for.
        sent: When it was sent.
        services: The services it holds.

    Raises:
        InvalidRecord: ``name`` is neither ``L...`` nor ``T...``, or an id is empty.
        InvalidType: A field has the wrong type, or ``services`` holds a non-Service.

    Example:
        >>> import datetime as dt
        >>> d = Delivery(delivery_id="D1", name="T402", system="New", municipality=607,
        ...              sent=dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.timezone.utc))
        >>> d.is_test, d.sent_day
        (True, datetime.date(2026, 3, 1))
        >>> Delivery(delivery_id="D2", name="L402", system="New", municipality=607,
        ...          sent=dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.timezone.utc)).sent_day
        datetime.date(2026, 3, 1)
    """

    delivery_id: str = attrs.field(converter=_delivery_id, repr=_id_repr)
    name: str = attrs.field(converter=_delivery_name)
    system: str = attrs.field(converter=_system_name)
    municipality: Municipality = attrs.field(converter=_municipality)
    sent: dt.datetime = attrs.field(converter=_sent)
    services: tuple[Service, ...] = attrs.field(default=(), converter=_services, repr=False)

    @property
    def is_test(self) -> bool:
        """Whether this is a test delivery (``T...``), never used for the statistics."""
        return self.name[0] == "T"

    @property
    def is_production(self) -> bool:
        """Whether this is a production delivery (``L...``)."""
        return self.name[0] == "L"

    @property
    def sent_local(self) -> dt.datetime:
        """When it was sent, as naive Danish local time."""
        if self.sent.tzinfo is None:
            return self.sent
        return self.sent.astimezone(DANISH_TIME).replace(tzinfo=None)

    @property
    def sent_day(self) -> dt.date:
        """The Danish calendar date it was sent."""
        return self.sent_local.date()

    @property
    def sent_instant(self) -> dt.datetime:
        """When it was sent, as an aware UTC time (for ordering)."""
        sent = self.sent if self.sent.tzinfo is not None else self.sent.replace(tzinfo=DANISH_TIME)
        return sent.astimezone(dt.UTC)


class LoadPreference(enum.Enum):
    """How the organisation prefers to take the load of moving cases.

    * ``SPREAD``: spread it out over time (favours scenarios 1-2);
    * ``PEAK``: one short, high peak when STS and SAPA are taken into use (favours 3).
    """

    SPREAD = "spread"
    PEAK = "peak"


def _group_name(value: object) -> str:
    return v.text("name", value, max_length=200)


def _group_kle(value: object) -> KLE | None:
    if value is None or type(value) is KLE:
        return value
    return None if v.is_missing(value) else KLE(value)


def _active_cases(value: object) -> int:
    return v.count("active_cases", value)


def _passive_cases(value: object) -> int:
    return v.count("passive_cases", value)


def _load(value: object) -> LoadPreference | None:
    if value is None or isinstance(value, LoadPreference) or v.is_missing(value):
        return None if v.is_missing(value) else value  # type: ignore[return-value]
    return v.choice("load_preference", LoadPreference, value)


def _consideration(value: object, field: Any) -> bool | None:
    """A consideration is True, False or None (not known, a missing value too)."""
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


_CONSIDERATION: Final = attrs.Converter(_consideration, takes_field=True)


@safe_repr
@attrs.frozen(kw_only=True)
class CaseGroup:
    """A group of cases that moves together out of KMD Sag, with what is known of it.

    Every consideration is ``True``, ``False`` or ``None`` (not known). An unknown
    consideration is not taken as ``False``: :func:`casemigrate.choose_scenario` lists
    it among the decision's unknowns. The considerations are those of
    KOMBIT's "KMD Sag Exit-strategi 2", Del 1 ("Overvejelser i forhold til hvornår sager
    kan flyttes" and "Valg af scenarie").

    Attributes:
        name: The group's name, e.g. ``"PPR"``.
        kle: The group's KLE number, if it has one.
        active_cases: Active cases in the group.
        passive_cases: Passive (closed) cases in the group.
        needs_overview_and_advis_system: Users need a real overview and advis system
            beside their line-of-business system.
        others_need_overview: Other staff need an overview of these cases.
        good_line_of_business_system: A good line-of-business system with the needed
            advis exists for the cases.
        esdh_sufficient: A general records-management (ESDH) system is enough.
        only_cpr_advis: The cases use only population-register (CPR) advis.
        new_system_has_kmd_interface: The new system already has an interface to KMD
            Sag, so others keep the cases in their overview.
        users_keep_kmd_for_advis: Users would keep KMD Sag for advis and overview in
            the meantime.
        fixed_price_agreement: A fixed-price agreement exists on the new system.
        load_preference: Spread the load, or take one short peak.
        users_mature: The users work systematically and learn new systems easily.
        early_mover_kind: The cases are of a kind the source names as early movers
            (PPR, vulnerable children and young people, SEL §41 and §42).

    Raises:
        InvalidArgument: A count is negative.
        InvalidType: A consideration is neither a bool nor ``None``.
    """

    name: str = attrs.field(converter=_group_name)
    kle: KLE | None = attrs.field(default=None, converter=_group_kle)
    active_cases: int = attrs.field(default=0, converter=_active_cases)
    passive_cases: int = attrs.field(default=0, converter=_passive_cases)
    needs_overview_and_advis_system: bool | None = attrs.field(
        default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    others_need_overview: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    good_line_of_business_system: bool | None = attrs.field(
        default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    esdh_sufficient: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    only_cpr_advis: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    new_system_has_kmd_interface: bool | None = attrs.field(
        default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    users_keep_kmd_for_advis: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    fixed_price_agreement: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    load_preference: LoadPreference | None = attrs.field(default=None, converter=_load)
    users_mature: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]
    early_mover_kind: bool | None = attrs.field(default=None, converter=_CONSIDERATION)  # type: ignore[misc]

    @property
    def cases(self) -> int:
        """Active and passive cases together."""
        return self.active_cases + self.passive_cases
