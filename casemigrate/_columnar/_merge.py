"""DST's merge over columns: :func:`casemigrate.merge_deliveries` given tables.

A vendor holds its deliveries as two tables: one row per delivery (``delivery_id``,
``name``, ``system``, ``municipality``, ``sent``; read as
:func:`casemigrate.read_deliveries` reads it) and one row per service of a delivery
(the fields of a :class:`~casemigrate.Service` and a ``delivery_id`` column naming
its delivery; read as :func:`casemigrate.read_services` reads it). The record twin of
the two tables is ``read_deliveries(deliveries, services=by_id)``, where ``by_id``
maps each delivery id to the services whose ``delivery_id`` names it, in table order.

The deliveries are few: they are read as records and judged by the record path's
own functions (which is latest, CM305, CM312, CM317). Every per-service step is
done on arrays: the split into kept and excluded (with reasons), the repeated ids
(CM307), the misfiled services (CM306, CM308), the vanished closed services (CM304),
the re-creation of the old system's active services (CM315, CM316: the record path's
pairing, pass by pass, as a matching of ranks within buckets of equal values), and the
overlaps of the data basis (CM301-CM303, the engine's overlap rule on the kept rows).
Only a finding that is indexed or iterated is made as an object, by the record path's
own code where it has one (``delivery._differs``, ``delivery._not_recreated``).

The result is a :class:`~casemigrate.MergeResult` whose ``services``, ``excluded``,
the services of its ``used`` deliveries and its ``findings`` are lazy: arrays inside,
a record made only when one is indexed or iterated, equal to the record path's tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate import delivery as d
from casemigrate import tables as t
from casemigrate._columnar import _columns, _rules
from casemigrate._columnar._columns import MISSING, NO_CITIZEN, NO_CODE, OPEN, ServiceColumns
from casemigrate._columnar._rules import _ranges
from casemigrate._columnar._table import (
    Block,
    FindingTable,
    Found,
    LazyOrder,
    dense_ranks,
    pair_order,
    pair_subject_lists,
    sort_rows,
    stable_order,
)
from casemigrate._frame_in import open_frame, plain
from casemigrate._keys import delivery_key, service_key, sorted_total
from casemigrate.exceptions import CaseMigrateError, InvalidArgument
from casemigrate.findings import Finding, Rule, sort_findings
from casemigrate.identifiers import CPR, municipality
from casemigrate.model import Delivery, Service
from casemigrate.tables import Refusal, Refusals

if TYPE_CHECKING:
    from casemigrate.plan import CutoverPlan

Array = Any
LINK: Final = "delivery_id"
"""The services table's column that names each service's delivery."""
_REASONS: Final = tuple(d.ExclusionReason)
_R: Final = {reason: index for index, reason in enumerate(_REASONS)}
_MAKE_SERVICE: Final = t._MAKERS[Service]
_ID_SPEC: Final = t._SPECS[Delivery][0]
_GROUPS_SPEC: Final = next(spec for spec in t._SPECS[Service] if spec.name == "target_groups")
_SERVICE_FIELDS: Final = frozenset(spec.name for spec in t._SPECS[Service])
_DELIVERY_FIELDS: Final = frozenset(spec.name for spec in t._SPECS[Delivery])


# ---- the services as records, on demand -------------------------------------------

class Source:
    """The services table's good rows as columns, and a record of any of them on demand."""

    def __init__(self, columns: ServiceColumns, frame: Any, groups_column: str | None,
                 options: Any, raw_groups: Any = None) -> None:
        self.columns = columns
        self._frame = frame
        self._groups_column = groups_column
        self._options = options
        self._raw: Any = raw_groups  # the groups column as the reader read it, if it did
        self._ranks: Array = None

    def id_ranks(self) -> Array:
        """Every good row's id ranked in Python's string order (equal ids, equal ranks)."""
        if self._ranks is None:  # the whole column ranked in place: no copy taken
            ids = self.columns.service_id
            # "min": equal ids share the lowest rank of their run (cheaper than "dense")
            self._ranks = (np.asarray(pc.rank(ids, sort_keys="ascending", tiebreaker="min")
                                      .to_numpy(zero_copy_only=False), dtype=np.int64)
                           if len(ids) else np.zeros(0, dtype=np.int64))
        return self._ranks

    def ids_repeat(self) -> bool:
        """Whether an id occurs on two good rows.

        The ranks of distinct ids are 1 to n; a tie takes its run's lowest rank, so
        the ranks then sum to less.
        """
        ranks = self.id_ranks()
        size = len(ranks)
        return int(ranks.sum()) < size * (size + 1) // 2

    def release(self) -> None:
        """Drop what only the merge itself needed (the ids' ranks)."""
        self._ranks = None

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns (the caller's table is not counted)."""
        return int(self.columns.nbytes)

    def _raw_groups(self) -> Any:
        if self._raw is None:
            frame, name = self._frame, self._groups_column
            array = frame.arrow(name, "groups")
            self._raw = array if array is not None else frame.column(name, "groups")
        return self._raw

    def groups(self, rows: Array) -> list[frozenset[str]]:
        """The target groups of good rows ``rows``, parsed as the reader parses them."""
        if self._groups_column is None:
            return [frozenset()] * len(rows)
        raw = self._raw_groups()
        positions = self.columns.rows[rows]
        if isinstance(raw, list):
            values = [raw[p] for p in positions.tolist()]
        else:
            values = raw.take(pa.array(positions, type=pa.int64())).to_pylist()
        return [t._parse(_GROUPS_SPEC, value, self._options) for value in values]

    def group_keys(self, rows: Array) -> Array:
        """One integer per row of ``rows``: equal exactly when the target groups are equal.

        The numbering is this call's own: compare keys of one call only.
        """
        if self._groups_column is None or not len(rows):
            return np.zeros(len(rows), dtype=np.int64)
        raw = self._raw_groups()
        if not isinstance(raw, list):
            positions = pa.array(self.columns.rows[rows], type=pa.int64())
            kind = raw.type
            if pa.types.is_list(kind) or pa.types.is_large_list(kind):
                packed = _packed_sets(raw.take(positions))
                if packed is not None:
                    return packed
            elif _columns._is_text(raw):
                encoded = raw.take(positions).dictionary_encode()
                values = encoded.dictionary.to_pylist()
                ids = _set_ids([t._parse(_GROUPS_SPEC, value, self._options)
                                for value in [*values, None]])
                indices = encoded.indices.fill_null(len(values)).to_numpy(zero_copy_only=False)
                return ids[np.asarray(indices)]
        return _set_ids(self.groups(rows))

    def same_groups(self, a: Array, b: Array) -> Array:
        """Whether rows ``a`` hold the same target groups as rows ``b``, pair by pair."""
        keys = self.group_keys(np.concatenate((a, b)))  # one numbering for both
        return np.asarray(keys[:len(a)] == keys[len(a):], dtype=bool)

    def cells(self, rows: Array) -> dict[str, list[Any]]:
        """The table columns of the rows (as ``frames`` shows a service), with no record."""
        rows = np.asarray(rows, dtype=np.int64)
        c = self.columns
        keys = self.group_keys(rows)
        distinct, first = np.unique(keys, return_index=True)
        shown = [", ".join(sorted(groups)) for groups in self.groups(rows[first])]
        where: Array = np.searchsorted(distinct, keys)
        # Each distinct day made a date once (a million services hold a few thousand).
        day_at = {day: None if day in (MISSING, OPEN) else _columns.day_of(day)
                  for day in np.unique(np.concatenate((c.start[rows], c.end[rows]))).tolist()}
        return {
            "service_id": c.service_id.take(pa.array(rows, type=pa.int64())).to_pylist(),
            "system": [c.systems[s] for s in c.system[rows].tolist()],
            "municipality": c.municipality[rows].tolist(),
            "citizen": [None if digits == NO_CITIZEN else f"{digits:010d}"[:6] + "-****"
                        for digits in c.citizen[rows].tolist()],
            "code": [None if code == NO_CODE else c.codes[code]
                     for code in c.code[rows].tolist()],
            "target_groups": [shown[k] for k in where.tolist()],
            "start": [day_at[day] for day in c.start[rows].tolist()],
            "end": [day_at[day] for day in c.end[rows].tolist()],
        }

    def arrays(self, rows: Array) -> dict[str, pa.Array]:
        """The cells of :meth:`cells` as Arrow arrays, with no Python value per cell.

        Text as strings, the municipality as int64, the dates as date32; a cell
        :meth:`cells` shows as ``None`` is null.
        """
        rows = np.asarray(rows, dtype=np.int64)
        c = self.columns
        taken = pa.array(rows, type=pa.int64())
        keys = self.group_keys(rows)
        distinct, first = np.unique(keys, return_index=True)
        shown = [", ".join(sorted(groups)) for groups in self.groups(rows[first])]
        where = np.asarray(np.searchsorted(distinct, keys), dtype=np.int64)
        citizen = c.citizen[rows]
        code = c.code[rows]
        born = pa.array(citizen // 10_000, mask=citizen == NO_CITIZEN).cast(pa.string())
        masked = pc.binary_join_element_wise(pc.utf8_lpad(born, 6, "0"), "-****", "")

        def days(numbers: Array) -> pa.Array:
            return pa.array(numbers.astype(np.int32),
                            mask=(numbers == MISSING) | (numbers == OPEN)).cast(pa.date32())

        return {
            "service_id": c.service_id.take(taken),
            "system": pa.array(c.systems, type=pa.string()).take(
                pa.array(c.system[rows], type=pa.int64())),
            "municipality": pa.array(c.municipality[rows].astype(np.int64)),
            "citizen": masked,
            "code": pa.array(c.codes, type=pa.string()).take(
                pa.array(code.astype(np.int64), mask=code == NO_CODE)),
            "target_groups": pa.array(shown, type=pa.string()).take(pa.array(where)),
            "start": days(c.start[rows]),
            "end": days(c.end[rows]),
        }

    def services(self, rows: Array) -> list[Service]:
        """The records of good rows ``rows``, as the reader makes them."""
        rows = np.asarray(rows, dtype=np.int64)
        c = self.columns
        ids = c.service_id.take(pa.array(rows, type=pa.int64())).to_pylist()
        places = [municipality(code) for code in c.municipality[rows].tolist()]
        citizens = [None if digits == NO_CITIZEN else CPR(f"{digits:010d}")
                    for digits in c.citizen[rows].tolist()]
        codes = [None if code == NO_CODE else c.codes[code] for code in c.code[rows].tolist()]
        starts = [None if day == MISSING else _columns.day_of(day)
                  for day in c.start[rows].tolist()]
        ends = [None if day == OPEN else _columns.day_of(day) for day in c.end[rows].tolist()]
        systems = [c.systems[s] for s in c.system[rows].tolist()]
        return list(map(_MAKE_SERVICE, ids, places, citizens, codes, self.groups(rows),
                        starts, ends, systems))


def _set_ids(sets: list[frozenset[str]]) -> Array:
    """A number per set, equal for equal sets."""
    seen: dict[frozenset[str], int] = {}
    return np.array([seen.setdefault(found, len(seen)) for found in sets], dtype=np.int64)


def _packed_sets(lists: pa.Array) -> Array | None:
    """Each list's distinct items packed into one int64 (equal sets, equal numbers).

    ``None`` when the sets are too wide to pack: the caller parses them instead.
    """
    size = len(lists)
    items = lists.flatten()
    if not len(items):
        return np.zeros(size, dtype=np.int64)
    if not _columns._is_text(items):
        return None
    parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False),
                         dtype=np.int64)
    codes = np.asarray(items.dictionary_encode().indices.to_numpy(zero_copy_only=False),
                       dtype=np.int64) + 1
    # The distinct (parent, code) pairs, sorted: one sort of packed values.
    span = int(codes.max()) + 1
    if size * span >= 1 << 62:  # pragma: no cover - billions of rows and items
        return None
    packed = np.sort(parents * span + codes)
    packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))]
    parents, codes = packed // span, packed % span
    first = np.flatnonzero(np.concatenate(([True], parents[1:] != parents[:-1])))
    counts = np.diff(np.append(first, len(parents)))
    bits = int(codes.max()).bit_length()
    if int(counts.max()) * bits > 62:
        return None
    place = np.arange(len(parents)) - np.repeat(first, counts)
    shifted = codes << (place * bits)
    keys = np.zeros(size, dtype=np.int64)
    keys[parents[first]] = np.add.reduceat(shifted, first)
    return keys


# ---- lazy sequences ------------------------------------------------------------------

class _Lazy(Sequence[Any]):
    """A sequence whose items are made from arrays when indexed or iterated."""

    _CHUNK: Final = 65_536

    def __len__(self) -> int:
        raise NotImplementedError

    def _make(self, positions: Array) -> list[Any]:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Any, ...]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return tuple(self._make(np.arange(len(self))[index]))
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("index out of range")
        return self._make(np.array([position]))[0]

    def __iter__(self) -> Iterator[Any]:
        for at in range(0, len(self), self._CHUNK):
            yield from self._make(np.arange(at, min(at + self._CHUNK, len(self))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                      strict=True))

    def __hash__(self) -> int:  # as the tuple it equals (a Delivery is hashed by its fields)
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self):,}>"


class Services(_Lazy):
    """Services of the table's good rows, made when indexed: equal to their tuple.

    ``where``, if given, is the index in ``delivery_ids`` of the delivery each came in.
    """

    def __init__(self, source: Source, rows: Array, where: Array | None = None,
                 delivery_ids: list[str] | None = None) -> None:
        self.source = source
        self.rows = rows
        self.where = where
        self.delivery_ids = delivery_ids or []

    def __len__(self) -> int:
        return len(self.rows)

    def _make(self, positions: Array) -> list[Any]:
        return self.source.services(self.rows[positions])

    @property
    def nbytes(self) -> int:
        """Bytes held by the row numbers (the source's columns are shared)."""
        return int(self.rows.nbytes + (0 if self.where is None else self.where.nbytes))

    def cells(self) -> dict[str, list[Any]]:
        """A table column per field, with the delivery each came in; no record made."""
        columns = self.source.cells(self.rows)
        ids = self.delivery_ids
        columns["delivery_id"] = ([None] * len(self.rows) if self.where is None
                                  else [ids[where] for where in self.where.tolist()])
        return columns

    def arrays(self) -> dict[str, pa.Array]:
        """The columns of :meth:`cells` as Arrow arrays (see :meth:`Source.arrays`)."""
        columns = self.source.arrays(self.rows)
        columns["delivery_id"] = (
            pa.nulls(len(self.rows), type=pa.string()) if self.where is None
            else pa.array(self.delivery_ids, type=pa.string()).take(
                pa.array(self.where.astype(np.int64))))
        return columns


class ExcludedServices(_Lazy):
    """The excluded services with reasons and delivery ids, made when indexed."""

    def __init__(self, source: Source, rows: Array, reasons: Array, where: Array,
                 delivery_ids: list[str]) -> None:
        self.source = source
        self.rows = rows
        self.reasons = reasons
        self.where = where
        self.delivery_ids = delivery_ids

    def __len__(self) -> int:
        return len(self.rows)

    def _make(self, positions: Array) -> list[Any]:
        services = self.source.services(self.rows[positions])
        ids = self.delivery_ids
        return [d._excluded(service, _REASONS[reason], ids[where])
                for service, reason, where in zip(services, self.reasons[positions].tolist(),
                                                  self.where[positions].tolist(),
                                                  strict=True)]

    def cells(self) -> dict[str, list[Any]]:
        """A table column per field, with reason and delivery; no record made."""
        columns = self.source.cells(self.rows)
        ids = self.delivery_ids
        columns["reason"] = [_REASONS[reason] for reason in self.reasons.tolist()]
        columns["delivery_id"] = [ids[where] for where in self.where.tolist()]
        return columns

    def arrays(self) -> dict[str, Any]:
        """The columns of :meth:`cells` as Arrow arrays.

        ``reason`` is each reason's index in :class:`~casemigrate.ExclusionReason`'s
        order (a numpy array).
        """
        columns: dict[str, Any] = self.source.arrays(self.rows)
        columns["reason"] = self.reasons
        columns["delivery_id"] = pa.array(self.delivery_ids, type=pa.string()).take(
            pa.array(self.where.astype(np.int64)))
        return columns

    @property
    def nbytes(self) -> int:
        """Bytes held by the row numbers, reasons and deliveries (columns are shared)."""
        return int(self.rows.nbytes + self.reasons.nbytes + self.where.nbytes)

    def reason_counts(self) -> dict[str, int]:
        """How many services were excluded for each reason, by its name; no record made."""
        counts = np.bincount(self.reasons, minlength=len(_REASONS))
        return {reason.name: int(counts[index]) for index, reason in enumerate(_REASONS)}


def _with_services(delivery: Delivery, services: Services) -> Delivery:
    """``delivery`` holding the lazy ``services`` (read already: nothing to validate)."""
    held = attrs.evolve(delivery, services=())
    Delivery.__dict__["services"].__set__(held, services)
    return held


# ---- findings about rows ---------------------------------------------------------------

class _RowFindings(LazyOrder):
    """Findings about one or two services (rows ``a`` and, if given, ``b``)."""

    def __init__(self, rule: Rule, ids: pa.Array, a: Array, b: Array | None,  # noqa: PLR0917
                 make: Callable[[Array], list[Finding]], id_ranks: Array | None = None,
                 values: Callable[[Array], dict[str, list[Any]]] | None = None) -> None:
        self.rule = rule
        self.ids = ids
        self.a = np.asarray(a, dtype=np.int64)
        self.b = None if b is None else np.asarray(b, dtype=np.int64)
        self.size = len(self.a)
        self._make = make
        self._values = values

        # The merge's ranks of every row are taken now (the merge drops them); else
        # these rows' ids are ranked when the order is first read.
        self._ranks = None if id_ranks is None else id_ranks[
            self.a if self.b is None else np.concatenate((self.a, self.b))]

    def ordered(self) -> tuple[Array, Array]:
        ranks = self._ranks
        if ranks is None:
            ranks = dense_ranks(self.ids, self.a if self.b is None
                                else np.concatenate((self.a, self.b)))
        if self.b is None:
            return sort_rows([ranks])
        return pair_order(ranks[:self.size], ranks[self.size:])

    def make(self, row: int) -> Finding:
        return self._make(np.array([row]))[0]

    def make_many(self, rows: Array) -> list[Finding]:
        return self._make(np.asarray(rows, dtype=np.int64))

    def detail_values(self, rows: Array) -> dict[str, list[Any]] | None:
        return None if self._values is None else self._values(np.asarray(rows,
                                                                         dtype=np.int64))

    def subject_ids(self) -> pa.Array:
        return self.ids

    def subject_lists(self) -> tuple[Array, Array]:
        a = self.a[self.order]
        if self.b is None:
            return np.arange(self.size + 1), a
        return pair_subject_lists(self.ids, a, self.b[self.order])


# ---- reading the two tables ------------------------------------------------------------

def _mapping(columns: Any, fields: frozenset[str], table: object) -> Any:
    """The entries of one ``columns=`` mapping for one table.

    An entry is kept where its field is one of the table's records and its column is
    one the table has: the other table's names are left out.
    """
    if columns is None or not hasattr(columns, "items"):
        return columns  # the reader names what is wrong with it
    present = set(open_frame(table).columns)
    return {column: field for column, field in columns.items()
            if field in fields and column in present}


def _link_column(columns: Any, present: tuple[str, ...]) -> str:
    if columns is not None and hasattr(columns, "items"):
        for column, field in columns.items():
            if field == LINK and column in present:
                return str(column)
    return LINK


def _read_services(table: object, delivery_ids: list[str], *, columns: Any, errors: Any,
                   extra: Any, date_format: Any, dayfirst: Any) -> tuple[Source, Array]:
    """The services table as a :class:`Source`, and each good row's delivery id's index.

    The table is read as :func:`casemigrate.read_services` reads it (the link column
    is not an extra column); then each row's ``delivery_id`` must name a delivery that
    was read, else the row is refused (``missing-value``, ``invalid-value``).
    """
    options = t._options(date_format, dayfirst, errors, extra)
    frame = open_frame(table)
    link = _link_column(columns, frame.columns)
    if link not in frame.columns:
        raise InvalidArgument(
            f"the services table lacks the column {link} that names each service's "
            "delivery; map the table's name with columns={'leverance': 'delivery_id'}",
            field=LINK)
    wanted = _mapping(columns, _SERVICE_FIELDS, table)
    reader_table = table
    if extra == "refuse":  # the link is no extra column: the reader must not see it
        reader_table = _without(table, link)
    arrays: dict[str, Any] = {"target_groups": None}  # the reader's, kept for the records
    found = _columns.services(reader_table, columns=wanted, errors=errors, extra=extra,
                              date_format=date_format, dayfirst=dayfirst, arrays=arrays)
    groups = t._mapping(Service, wanted).get("target_groups", "target_groups")
    source = Source(found, frame, groups if groups in frame.columns else None, options,
                    arrays.get("target_groups"))
    where, refused = _links(frame, link, delivery_ids, options)
    if refused:
        refusals = _refuse_links(found, frame, link, refused)
        if errors == "raise":
            row, error = min(refused.items())
            raise t._public(error).with_field(f"rows[{row}].{LINK}") from None
        keep = ~np.isin(found.rows, np.array(sorted(refused), dtype=np.int64))
        source = Source(_subset(found, np.flatnonzero(keep), refusals), frame,
                        source._groups_column, options, source._raw)
    return source, where[source.columns.rows]


def _without(table: object, column: str) -> object:
    import narwhals.stable.v1 as narwhals  # noqa: PLC0415  # the extra, imported on use

    nw: Any = narwhals
    return nw.to_native(nw.from_native(table, eager_only=True).drop(column))


def _links(frame: Any, link: str, delivery_ids: list[str], options: Any
           ) -> tuple[Array, dict[int, CaseMigrateError]]:
    """Each row's delivery id as an index into ``delivery_ids``, and the refused rows."""
    array = frame.arrow(link, "id")
    if array is not None:
        try:
            encoded = array.dictionary_encode()
            values = encoded.dictionary.to_pylist()
            indices = np.asarray(encoded.indices.fill_null(len(values))
                                 .to_numpy(zero_copy_only=False), dtype=np.int64)
        except (pa.ArrowException, NotImplementedError):
            array = None
    if array is None:
        raw = frame.column(link, "id")
        distinct: dict[Any, int] = {}
        codes = []
        for value in raw:
            key = plain(value)
            codes.append(distinct.setdefault(key, len(distinct)))
        values = list(distinct)
        indices = np.array(codes, dtype=np.int64)
    position = {delivery_id: index for index, delivery_id in enumerate(delivery_ids)}
    results = np.full(len(values) + 1, -1, dtype=np.int64)
    errors: dict[int, CaseMigrateError] = {}
    for index, value in enumerate([*values, None]):
        try:
            found = t._parse(_ID_SPEC, value, options)
        except CaseMigrateError as error:
            errors[index] = error.with_field(LINK)
            continue
        if found in position:
            results[index] = position[found]
        else:
            errors[index] = t._Refused(
                "invalid-value", f"{t._quoted(found)} names no delivery read from the "
                "deliveries table", field=LINK)
    where = results[indices]
    refused = {row: errors[int(indices[row])] for row in np.flatnonzero(where < 0).tolist()}
    return where, refused


def _refuse_links(found: ServiceColumns, frame: Any, link: str,
                  refused: dict[int, CaseMigrateError]) -> Refusals:
    """The services' refusals with one more per row whose delivery id is refused."""
    raw = frame.column(link, "id")
    items = list(found.refusals.items)
    by_row = {item.row: item.record_id for item in items}
    good_ids = dict(zip(found.rows.tolist(), found.service_id.to_pylist(), strict=True))
    for row, error in refused.items():
        record_id = by_row.get(row, good_ids.get(row))
        items.append(Refusal(
            row=row, record_id=None if record_id is None else t.mask(record_id)[:200],
            column=link, field=LINK, value=t._shown(raw[row], LINK),
            error=t._code_of(error), message=t.mask(error.reason)))
    items.sort(key=lambda item: (item.row, item.field == LINK))
    return Refusals(found.refusals.table, found.refusals.rows_in, tuple(items))


def _subset(c: ServiceColumns, keep: Array, refusals: Refusals | None = None
            ) -> ServiceColumns:
    """The columns of good rows ``keep`` only."""
    return ServiceColumns(
        service_id=c.service_id.take(pa.array(keep, type=pa.int64())),
        municipality=c.municipality[keep], citizen=c.citizen[keep], code=c.code[keep],
        codes=c.codes, start=c.start[keep], end=c.end[keep], system=c.system[keep],
        systems=c.systems, rows=c.rows[keep],
        refusals=c.refusals if refusals is None else refusals,
        extra_columns=c.extra_columns)


def _empty_services() -> ServiceColumns:
    empty = np.zeros(0, dtype=np.int64)
    return ServiceColumns(
        service_id=pa.array([], type=pa.string()), municipality=empty.astype(np.int16),
        citizen=empty, code=empty.astype(np.int32), codes=[], start=empty.astype(np.int32),
        end=empty.astype(np.int32), system=empty.astype(np.int32), systems=[], rows=empty,
        refusals=Refusals("services", 0))


# ---- the merge -------------------------------------------------------------------------

class _Ledger:
    """Where each service went: segments of excluded rows, the kept rows, the findings."""

    def __init__(self, source: Source, delivery_ids: list[str]) -> None:
        self.source = source
        self.delivery_ids = delivery_ids
        self.excluded: list[tuple[Array, Array, int]] = []  # rows, reasons, delivery index
        self.kept: list[Array] = []
        self.kept_in: list[Array] = []  # the delivery id index of each kept row
        self.found: list[Finding] = []  # the deliveries' findings, made as records
        self.latest: list[Delivery] = []  # the used deliveries, as CM306-CM308 name them
        self.rows: dict[str, list[Array]] = {
            code: [] for code in ("CM304", "CM306", "CM307", "CM308")}
        self.extra: dict[str, list[Array]] = {
            code: [] for code in ("CM304", "CM306", "CM307", "CM308")}

    def exclude(self, rows: Array, reason: d.ExclusionReason | Array, where: int) -> None:
        reasons = (np.full(len(rows), _R[reason], dtype=np.int8)
                   if isinstance(reason, d.ExclusionReason) else reason)
        self.excluded.append((rows, reasons, where))

    def note(self, code: str, rows: Array, *extra: Array) -> None:
        """Findings ``code`` about ``rows``, with a row of ``extra`` values each."""
        self.rows[code].append(rows)
        self.extra[code].append(np.stack([np.broadcast_to(np.asarray(e, dtype=np.int64),
                                                          len(rows)) for e in extra], axis=1))


@attrs.frozen
class Read:
    """The two tables read: the deliveries as records, the services as columns.

    Attributes:
        deliveries: The deliveries read, in table order.
        refusals: The deliveries table's refusals.
        source: The services' good rows.
        where: For each good service row, the index of its delivery id in
            ``delivery_ids``.
        delivery_ids: The distinct delivery ids, in table order.
    """

    deliveries: list[Delivery]
    refusals: Refusals
    source: Source
    where: Array
    delivery_ids: list[str]


def read(deliveries_table: object, services_table: object | None, *, columns: Any,
         errors: Any, extra: Any, date_format: Any, dayfirst: Any) -> Read:
    """Read the deliveries table and the services table (see the module documentation)."""
    found = t.read_deliveries(deliveries_table,
                              columns=_mapping(columns, _DELIVERY_FIELDS, deliveries_table),
                              errors=errors, extra=extra, date_format=date_format,
                              dayfirst=dayfirst)
    deliveries = list(found.records)
    delivery_ids = list(dict.fromkeys(delivery.delivery_id for delivery in deliveries))
    if services_table is None:
        options = t._options(date_format, dayfirst, errors, extra)
        source = Source(_empty_services(), None, None, options)
        where = np.zeros(0, dtype=np.int64)
    else:
        source, where = _read_services(services_table, delivery_ids, columns=columns,
                                       errors=errors, extra=extra, date_format=date_format,
                                       dayfirst=dayfirst)
    return Read(deliveries, found.refusals, source, where, delivery_ids)


def merge(deliveries_table: object, plan: CutoverPlan, services_table: object | None, *,
          check_overlaps: bool, match: d.RecreationMatch, tolerated: int,
          **options: Any) -> d.MergeResult:
    """:func:`casemigrate.merge_deliveries` over a deliveries table and a services table."""
    return merged(read(deliveries_table, services_table, **options), plan,
                  check_overlaps=check_overlaps, match=match, tolerated=tolerated)


def merged(tables: Read, plan: CutoverPlan, *, check_overlaps: bool,
           match: d.RecreationMatch, tolerated: int) -> d.MergeResult:
    """The merge of two tables already read (the engine's own step, after reading)."""
    deliveries, source, where = tables.deliveries, tables.source, tables.where
    delivery_ids = tables.delivery_ids
    c = source.columns
    # The rows of each delivery id, in table order.
    by_id = np.argsort(where, kind="stable")
    offsets = np.searchsorted(where[by_id], np.arange(len(delivery_ids) + 1))
    index_of = {delivery_id: index for index, delivery_id in enumerate(delivery_ids)}

    def rows_of(delivery: Delivery) -> Array:
        k = index_of[delivery.delivery_id]
        return by_id[offsets[k]:offsets[k + 1]]

    ledger = _Ledger(source, delivery_ids)
    services_in = 0
    production: dict[str, list[Delivery]] = {"old": [], "new": []}
    for delivery in sorted_total(deliveries, d._BY_ID, delivery_key):
        rows = rows_of(delivery)
        services_in += len(rows)
        role = plan.system_role(delivery.system)
        reason = None
        if delivery.municipality != plan.municipality:
            reason = d.ExclusionReason.OTHER_MUNICIPALITY
        elif role is None:
            reason = d.ExclusionReason.OTHER_SYSTEM
        elif delivery.is_test:
            reason = d.ExclusionReason.TEST_DELIVERY
        if reason is not None or role is None:
            ledger.exclude(rows, reason or d.ExclusionReason.OTHER_SYSTEM,
                           index_of[delivery.delivery_id])
            continue
        production[role].append(delivery)

    used: list[Delivery] = []
    old_active = new_kept = np.zeros(0, dtype=np.int64)
    for role, system in (("old", plan.old_system), ("new", plan.new_system)):
        if not production[role]:
            ledger.found.append(Finding.of(d.NO_PRODUCTION_DELIVERY, (system,), system=system,
                                           role=d._ROLES[role]))
            continue
        latest, earlier = d._latest(production[role], system, ledger.found)
        used.append(_with_services(latest, Services(source, rows_of(latest))))
        for delivery in earlier:
            ledger.exclude(rows_of(delivery), d.ExclusionReason.NOT_LATEST_DELIVERY,
                           index_of[delivery.delivery_id])
        admitted, active = _admit(latest, rows_of(latest), c, ledger,
                                  index_of[latest.delivery_id], old=role == "old")
        ledger.kept.append(admitted)
        ledger.kept_in.append(np.full(len(admitted), index_of[latest.delivery_id]))
        if role == "old":
            old_active = active
            _vanished(latest, earlier, rows_of, c, ledger, index_of)
        else:
            new_kept = admitted
    recreation = dict.fromkeys(d._OUTCOMES, 0)
    blocks: list[Block] = []
    if len(used) == 2:
        blocks += _recreation(source, old_active, new_kept, plan, match, recreation)
        gap = d._gap(production["old"], production["new"], tolerated)
        if gap is not None:
            ledger.found.append(gap)
    else:
        recreation["NOT_COMPARED"] = len(old_active)
    kept = np.concatenate(ledger.kept) if ledger.kept else np.zeros(0, dtype=np.int64)
    kept_in = (np.concatenate(ledger.kept_in) if ledger.kept_in
               else np.zeros(0, dtype=np.int64))
    if check_overlaps:
        blocks += _rules.service_overlaps(c, plan.cutover, plan.old_system, plan.new_system,
                                          False, among=kept, id_ranks=source.id_ranks()
                                          )._blocks
    blocks += _row_blocks(ledger, c)
    for rule in dict.fromkeys(f.rule for f in ledger.found):
        blocks.append(Found(rule, list(sort_findings(f for f in ledger.found
                                                     if f.rule is rule))))
    refusals = (tables.refusals, c.refusals)
    refused = t.find_refused_rows(refusals)
    if refused:
        blocks.append(Found(refused[0].rule, list(sort_findings(refused))))
    if ledger.excluded:
        excluded_rows = np.concatenate([rows for rows, _, _ in ledger.excluded])
        reasons = np.concatenate([reasons for _, reasons, _ in ledger.excluded])
        places = np.concatenate([np.full(len(rows), where, dtype=np.int32)
                                 for rows, _, where in ledger.excluded])
    else:
        excluded_rows = places = np.zeros(0, dtype=np.int64)
        reasons = np.zeros(0, dtype=np.int8)
    source.release()
    narrow = np.int32 if len(c) < 1 << 31 else np.int64  # row numbers held by the result
    kept, excluded_rows = kept.astype(narrow), excluded_rows.astype(narrow)
    return d.MergeResult(
        services=Services(source, kept, kept_in.astype(np.int32), delivery_ids),
        excluded=ExcludedServices(source, excluded_rows, reasons, places, delivery_ids),
        used=tuple(used),
        findings=FindingTable(blocks, refusals),
        services_in=services_in,
        recreation=recreation,
    )


def _admit(delivery: Delivery, rows: Array, c: ServiceColumns, ledger: _Ledger, where: int,
           *, old: bool) -> tuple[Array, Array]:
    """``delivery._admit`` on arrays: a used delivery's kept rows and active old rows.

    The active rows of an old-system delivery are excluded in the same pass, and in the
    same order, as its other exclusions.
    """
    if not len(rows):
        return rows, rows
    latest = len(ledger.latest)
    ledger.latest.append(delivery)
    reasons = np.full(len(rows), -1, dtype=np.int8)
    later = np.zeros(len(rows), dtype=bool)
    # Ids distinct over the whole table (the common case): none repeats in a delivery.
    ranks = ledger.source.id_ranks()[rows] if ledger.source.ids_repeat() else None
    if ranks is not None and _repeats(ranks):
        counts = np.bincount(ranks)
        first = np.full(len(counts), len(rows), dtype=np.int64)
        first[ranks[::-1]] = np.arange(len(rows) - 1, -1, -1)  # the last write: the first
        later = first[ranks] != np.arange(len(rows))
        reasons[later] = _R[d.ExclusionReason.DUPLICATE_IN_DELIVERY]
        firsts = ~later & (counts[ranks] > 1)
        ledger.note("CM307", rows[firsts], latest, counts[ranks[firsts]])
    other_place = (c.municipality[rows] != delivery.municipality.code) & ~later
    ledger.note("CM306", rows[other_place], latest)
    reasons[other_place] = _R[d.ExclusionReason.SERVICE_OF_OTHER_MUNICIPALITY]
    mine = delivery.system.casefold()
    differs = np.array([name.casefold() != mine for name in c.systems] + [False], dtype=bool)
    other_system = differs[c.system[rows]] & (reasons < 0)
    ledger.note("CM308", rows[other_system], latest)
    active = np.zeros(len(rows), dtype=bool)
    if old:
        active = (reasons < 0) & (c.end[rows] == OPEN)
        reasons[active] = _R[d.ExclusionReason.ACTIVE_IN_OLD_SYSTEM]
    out = reasons >= 0
    ledger.exclude(rows[out], reasons[out], where)
    return rows[~out], rows[active]


def _repeats(ranks: Array) -> bool:
    """Whether a rank occurs twice (ranks are from 1, equal for equal ids)."""
    return bool(np.bincount(ranks).max() > 1)


def _vanished(latest: Delivery, earlier: list[Delivery], rows_of: Callable[[Delivery], Array],  # noqa: PLR0917
              c: ServiceColumns, ledger: _Ledger, index_of: dict[str, int]) -> None:
    """CM304: closed services of earlier deliveries that the latest does not hold."""
    if not earlier:
        return
    in_latest = c.service_id.take(pa.array(rows_of(latest), type=pa.int64()))
    parts = [rows_of(delivery) for delivery in earlier]
    rows = np.concatenate(parts)
    which = np.repeat(np.array([index_of[delivery.delivery_id] for delivery in earlier],
                               dtype=np.int64), [len(part) for part in parts])
    ids = c.service_id.take(pa.array(rows, type=pa.int64()))
    missing = ~np.asarray(pc.is_in(ids, value_set=in_latest).to_numpy(zero_copy_only=False),
                          dtype=bool)
    chosen = (c.end[rows] != OPEN) & missing
    rows, which = rows[chosen], which[chosen]
    if not len(rows):
        return
    ranks = ledger.source.id_ranks()[rows]
    # The last one seen (the deliveries are oldest first) names the delivery.
    last = len(ranks) - 1 - np.unique(ranks[::-1], return_index=True)[1]
    ledger.note("CM304", rows[last], which[last], index_of[latest.delivery_id])


_RULES: Final = {"CM304": d.CLOSED_SERVICE_VANISHED, "CM306": d.SERVICE_MUNICIPALITY_MISMATCH,
                 "CM307": d.DUPLICATE_SERVICE_ID, "CM308": d.SERVICE_SYSTEM_MISMATCH}


def _row_blocks(ledger: _Ledger, c: ServiceColumns) -> list[Block]:
    """CM304, CM306, CM307 and CM308 as lazy blocks."""
    blocks: list[Block] = []
    for code, rule in _RULES.items():
        parts = [part for part in ledger.rows[code] if len(part)]
        if not parts:
            continue
        rows = np.concatenate(parts)
        extra = np.concatenate([e for e in ledger.extra[code] if len(e)])
        values = _values(code, rows, extra, c, ledger)
        blocks.append(_RowFindings(rule, c.service_id, rows, None, _maker(rule, values),
                                   ledger.source.id_ranks(), values))
    return blocks


def _values(code: str, rows: Array, extra: Array, c: ServiceColumns, ledger: _Ledger
            ) -> Callable[[Array], dict[str, list[Any]]]:
    """The details of findings of a block of ``code`` from their rows and extra values."""
    ids, latest = ledger.delivery_ids, ledger.latest

    def values(positions: Array) -> dict[str, list[Any]]:
        chosen = rows[positions]
        sids = c.service_id.take(pa.array(chosen, type=pa.int64())).to_pylist()
        info = extra[positions]
        if code == "CM304":
            return {"service": sids, "earlier": [ids[k] for k in info[:, 0].tolist()],
                    "latest": [ids[k] for k in info[:, 1].tolist()]}
        deliveries = [latest[k] for k in info[:, 0].tolist()]
        found: dict[str, list[Any]] = {
            "service": sids, "delivery": [delivery.delivery_id for delivery in deliveries]}
        if code == "CM306":
            found["service_municipality"] = [municipality(place) for place
                                             in c.municipality[chosen].tolist()]
            found["delivery_municipality"] = [delivery.municipality
                                              for delivery in deliveries]
        elif code == "CM307":
            found["count"] = info[:, 1].tolist()
        else:
            found["service_system"] = [c.systems[k] for k in c.system[chosen].tolist()]
            found["delivery_system"] = [delivery.system for delivery in deliveries]
        return found

    return values


def _maker(rule: Rule, values: Callable[[Array], dict[str, list[Any]]]
           ) -> Callable[[Array], list[Finding]]:
    """How findings about one service each are made from their details."""

    def make(positions: Array) -> list[Finding]:
        found = values(positions)
        names = list(found)
        return [Finding.of(rule, (row[0],), **dict(zip(names, row, strict=True)))
                for row in zip(*found.values(), strict=True)]

    return make


# ---- re-creation (CM315, CM316) ---------------------------------------------------------

def _recreation(source: Source, old: Array, new: Array, plan: CutoverPlan,  # noqa: PLR0917
                match: d.RecreationMatch, tally: dict[str, int]) -> list[Block]:
    """``delivery._recreation`` on arrays.

    The record path pairs, per (citizen, code), the old services with the new ones
    one to one, pass by pass (same start and groups, same start, same groups, any),
    each old in (start, id) order taking the first free candidate in that order that
    the pass allows. Each pass asks for equal values, so within a pass the k-th old of
    a bucket of equal values takes the k-th free candidate of that bucket: a matching
    of ranks, made here with sorts.
    """
    c = source.columns
    if not len(old):
        return []
    span = len(c.codes) + 1

    def keys(rows: Array) -> tuple[Array, Array]:
        valid = (c.citizen[rows] != NO_CITIZEN) & (c.code[rows] != NO_CODE)
        return c.citizen[rows].astype(np.int64) * span + c.code[rows], valid

    old_key, old_valid = keys(old)
    new_key, new_valid = keys(new)
    lost_parts = [old[~old_valid]]  # no citizen or no code: nothing can match it
    old, old_key = old[old_valid], old_key[old_valid]
    new, new_key = new[new_valid], new_key[new_valid]
    size = len(old)
    # A person: a (citizen, code) among the olds and the news, numbered in key order
    # (one sort of both); a new service is compared only if an old one shares its key.
    person, people = _numbered(np.concatenate((old_key, new_key)))
    known = np.zeros(people, dtype=bool)
    known[person[:size]] = True
    new_kept = known[person[size:]]
    new = new[new_kept]
    rows = np.concatenate((old, new))
    person = np.concatenate((person[:size], person[size:][new_kept]))
    groups = source.group_keys(rows)  # compared for equality; numbered densely below
    pair_old: list[Array] = []
    pair_new: list[Array] = []
    # One old and one new service of a person (the common case): a pair at once, if
    # the match allows it.
    single = ((np.bincount(person[:size], minlength=people) == 1)
              & (np.bincount(person[size:], minlength=people) == 1))
    alone = np.flatnonzero(single[person[:size]])
    partner = np.zeros(people, dtype=np.int64)
    partner[person[size:]] = np.arange(size, len(rows))
    mate = partner[person[alone]]
    allowed = np.ones(len(alone), dtype=bool)
    if match.same_start:
        allowed &= c.start[rows[alone]] == c.start[rows[mate]]
    if match.same_target_groups:
        allowed &= groups[alone] == groups[mate]
    pair_old.append(alone[allowed])
    pair_new.append(mate[allowed])
    lost_parts.append(rows[alone[~allowed]])
    # The rest, person by person, pass by pass, in the record path's order: start (a
    # missing one as the first day), then id. In a merge ids are unique among the olds
    # and among the news (repeats were excluded); where one repeats on one side (the
    # services check takes every service), the tie is broken by every field.
    crowded = np.flatnonzero(~single[person])
    start = c.start[rows[crowded]].astype(np.int64)
    start[start == MISSING] = _columns.day_number(dt.date.min)
    crowded = _in_record_order(source, rows, crowded, start, person[crowded] * 2
                               + (crowded >= size))
    side = crowded >= size
    owner = person[crowded]
    begins = _dense(c.start[rows[crowded]])
    sets = _dense(groups[crowded])
    free = np.ones(len(crowded), dtype=bool)
    passes = tuple((same_start, same_groups) for same_start, same_groups in d._PASSES
                   if (same_start or not match.same_start)
                   and (same_groups or not match.same_target_groups))
    for same_start, same_groups in passes:
        taken = np.flatnonzero(free)
        if not (side[taken].any() and (~side[taken]).any()):
            break
        bucket = owner[taken].astype(np.int64)
        for wanted, values in ((same_start, begins), (same_groups, sets)):
            if wanted:
                scale = int(values.max()) + 1
                if (int(bucket.max()) + 1) * scale >= 1 << 60:  # renumbered, not overflowed
                    bucket = _dense(bucket)
                bucket = bucket * scale + values[taken]
        ranked = bucket * 2 + side[taken]  # a bucket's olds, then its news
        by = np.argsort(ranked, kind="stable")  # each in the record path's order
        ordered, ranked = taken[by], ranked[by]
        head = np.flatnonzero(np.concatenate(([True], ranked[1:] != ranked[:-1])))
        length = np.diff(np.append(head, len(ranked)))
        run = ranked[head]
        # An old run followed by the new run of its bucket: the k-th old takes the k-th new.
        paired = np.flatnonzero(((run[:-1] & 1) == 0) & ((run[1:] & 1) == 1)
                                & ((run[:-1] >> 1) == (run[1:] >> 1)))
        count = np.minimum(length[paired], length[paired + 1])
        olds = ordered[_ranges(head[paired], count)]
        news = ordered[_ranges(head[paired + 1], count)]
        pair_old.append(crowded[olds])
        pair_new.append(crowded[news])
        free[olds] = False
        free[news] = False
    lost_parts.append(rows[crowded[free & ~side]])
    first = np.concatenate(pair_old)
    second = np.concatenate(pair_new)
    a, b = rows[first], rows[second]
    lost = np.concatenate(lost_parts).astype(np.int64)
    same_start_pair = c.start[a] == c.start[b]
    same_groups_pair = groups[first] == groups[second]
    unchanged = same_start_pair & same_groups_pair
    tally["RECREATED_UNCHANGED"] = int(unchanged.sum())
    tally["RECREATED_DIFFERS"] = int((~unchanged).sum())
    tally["NOT_RECREATED"] = len(lost)
    cut = _columns.day_number(plan.cutover)
    start_new = c.start[b]
    reported = ((start_new != c.start[a]) & (start_new != cut)) | ~same_groups_pair
    blocks: list[Block] = []
    if len(lost):
        def not_recreated(positions: Array) -> list[Finding]:
            return [d._not_recreated(service, plan)
                    for service in source.services(lost[positions])]

        blocks.append(_RowFindings(d.ACTIVE_SERVICE_NOT_RECREATED, c.service_id, lost, None,
                                   not_recreated, source.id_ranks()))
    if reported.any():
        old_rows, new_rows = a[reported], b[reported]

        def differs(positions: Array) -> list[Finding]:
            out: list[Finding] = []
            for was, now in zip(source.services(old_rows[positions]),
                                source.services(new_rows[positions]), strict=True):
                d._differs(was, now, plan.cutover, out)
            return out

        blocks.append(_RowFindings(d.RECREATED_SERVICE_DIFFERS, c.service_id, old_rows,
                                   new_rows, differs, source.id_ranks()))
    return blocks


def _in_record_order(source: Source, rows: Array, at: Array, start: Array, group: Array
                     ) -> Array:
    """Positions ``at`` (of ``rows``) ordered as ``delivery._pair`` orders each group.

    By start (``start``, a missing one as the first day) and id, then, for the few of one
    ``group`` that tie on both, by every field (``service_key``), as ``sorted_total``
    breaks the ties. The order across groups is immaterial: a group's stays its own.
    """
    ids = source.id_ranks()[rows[at]]
    by = np.lexsort((group, ids, start))
    at, ids, start, group = at[by], ids[by], start[by], group[by]
    tied = (start[1:] == start[:-1]) & (ids[1:] == ids[:-1]) & (group[1:] == group[:-1])
    if not tied.any():
        return at
    edges = np.flatnonzero(np.diff(np.concatenate(([0], tied.astype(np.int8), [0]))))
    firsts, sizes = edges[::2], edges[1::2] + 1 - edges[::2]
    runs = at[_ranges(firsts, sizes)]  # every tied position, run after run
    keys = list(map(service_key, source.services(rows[runs])))  # one pass for all
    done = 0
    for first, size in zip(firsts.tolist(), sizes.tolist(), strict=True):
        order = sorted(range(done, done + size), key=keys.__getitem__)
        at[first:first + size] = runs[order]
        done += size
    return at


def _numbered(key: Array) -> tuple[Array, int]:
    """Each key's rank among the distinct keys, and how many there are (one sort)."""
    if not len(key):
        return np.zeros(0, dtype=np.int64), 0
    order = stable_order(key)
    ordered = key[order]
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    numbers = np.empty(len(key), dtype=np.int64)
    numbers[order] = np.cumsum(new) - 1
    return numbers, int(new.sum())


def _dense(values: Array) -> Array:
    """Each value's rank among the distinct values (equal values, equal numbers)."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    return np.asarray(np.unique(values, return_inverse=True)[1], dtype=np.int64).reshape(-1)
