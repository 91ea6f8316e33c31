"""The rules over validated columns, giving the same findings as the record path.

Each function mirrors its public twin line by line in what it decides; the comments
name the record-path code each step replaces. Findings come back as a lazy
:class:`~casemigrate._columnar._table.FindingTable`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, Final

import numpy as np
import pyarrow as pa

from casemigrate._columnar._columns import (
    MISSING,
    NO_CITIZEN,
    NO_CODE,
    OPEN,
    CaseColumns,
    ServiceColumns,
    day_number,
    day_of,
)
from casemigrate._columnar._table import Block, FindingTable, dense_ranks, sort_rows
from casemigrate.delivery import _Period
from casemigrate.findings import Finding
from casemigrate.identifiers import CPR, municipality

Array = Any
_CITIZEN_SPAN: Final = 10**10  # a CPR number read as an int is below this


def _cpr(digits: int) -> CPR:
    return CPR(f"{digits:010d}")


def _period(start: int, end: int) -> _Period:
    return tuple.__new__(_Period, (None if start == MISSING else day_of(start),
                                   None if end == OPEN else day_of(end)))


# ---- duplicate active cases (CM204, CM205) ------------------------------------------

class _CaseGroups(Block):
    """CM204 (a group per citizen) or CM205 (one group of cases without a citizen)."""

    def __init__(self, code: str, columns: CaseColumns, *, offsets: Array, members: Array,
                 generation: Array, as_of: dt.date) -> None:
        self.code = code
        self.columns = columns
        self.offsets = offsets  # members of group g: members[offsets[g]:offsets[g + 1]]
        self.members = members  # input rows, in input order within a group
        self.size = len(offsets) - 1
        self.as_of = as_of
        self.order = self._sort(generation)

    def _unique_members(self) -> tuple[Array, Array, Array]:
        """Per group, its members' id ranks sorted and de-duplicated: (group, rank, row)."""
        group = np.repeat(np.arange(self.size), np.diff(self.offsets))
        ranks = dense_ranks(self.columns.case_id, self.members)
        order = np.lexsort((ranks, group))
        group, ranks, rows = group[order], ranks[order], self.members[order]
        keep = np.ones(len(group), dtype=bool)
        keep[1:] = (group[1:] != group[:-1]) | (ranks[1:] != ranks[:-1])
        return group[keep], ranks[keep], rows[keep]

    def _sort(self, generation: Array) -> Array:
        group, ranks, rows = self._unique_members()
        self.unique_offsets = np.searchsorted(group, np.arange(self.size + 1))
        self.unique_rows = rows
        lengths = np.diff(self.unique_offsets)
        width = int(lengths.max()) if self.size else 0
        if self.size * width <= 20_000_000:
            matrix = np.full((self.size, width), -1, dtype=np.int64)  # -1: shorter first
            within = np.arange(len(group)) - self.unique_offsets[group]
            matrix[group, within] = ranks
            order, equal = sort_rows([matrix[:, k] for k in range(width)], generation)
        else:  # a few very long groups: let Python compare the tuples
            keys = [tuple(ranks[a:b]) for a, b in zip(self.unique_offsets[:-1],
                                                      self.unique_offsets[1:], strict=True)]
            order = np.array(sorted(range(self.size), key=lambda g: (keys[g], generation[g])),
                             dtype=np.int64)
            equal = np.array([keys[a] == keys[b] for a, b in itertools.pairwise(order)],
                             dtype=bool)
        self.order = order
        self.settle_ties(equal)
        return self.order

    def make(self, row: int) -> Finding:
        columns = self.columns
        members = self.members[self.offsets[row]:self.offsets[row + 1]]
        ids = columns.case_id.take(pa.array(members, type=pa.int64())).to_pylist()
        if self.code == "CM205":
            return Finding.of("CM205", ids, count=len(ids))
        first = int(members[0])
        return Finding.of(
            "CM204", ids, count=len(ids), day=self.as_of,
            municipality=municipality(int(columns.municipality[first])),
            citizen=_cpr(int(columns.citizen[first])),
            systems=tuple(sorted({columns.systems[s] for s in columns.system[members]})),
        )

    def subject_ids(self) -> pa.Array:
        return self.columns.case_id

    def subject_lists(self) -> tuple[Array, Array]:
        lengths = np.diff(self.unique_offsets)[self.order]
        starts = self.unique_offsets[:-1][self.order]
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        rows = self.unique_rows[_ranges(starts, lengths)]
        return offsets, rows


def _ranges(starts: Array, lengths: Array) -> Array:
    """``concatenate([arange(s, s + n) for s, n in zip(starts, lengths)])``, vectorised."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    base = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return base + np.arange(total)


def duplicate_active_cases(columns: CaseColumns, as_of: dt.date) -> FindingTable:
    """:func:`casemigrate.find_duplicate_active_cases` over columns."""
    day = day_number(as_of)
    active = (columns.opened <= day) & (columns.closed > day)  # OPEN is above every day
    with_citizen = columns.citizen != NO_CITIZEN
    blocks: list[Block] = []
    rows = np.flatnonzero(active & with_citizen)
    key = columns.municipality[rows].astype(np.int64) * _CITIZEN_SPAN + columns.citizen[rows]
    _, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True,
                                          return_counts=True)
    repeated = counts > 1
    if repeated.any():
        renumber = np.cumsum(repeated) - 1
        in_group = repeated[inverse]
        group = renumber[inverse[in_group]]
        member_rows = rows[in_group]
        order = np.argsort(group, kind="stable")  # input order within each group
        offsets = np.searchsorted(group[order], np.arange(int(repeated.sum()) + 1))
        blocks.append(_CaseGroups("CM204", columns, offsets=offsets,
                                  members=member_rows[order], generation=first[repeated],
                                  as_of=as_of))
    without = np.flatnonzero(active & ~with_citizen)
    if len(without):
        blocks.append(_CaseGroups("CM205", columns, offsets=np.array([0, len(without)]),
                                  members=without, generation=np.zeros(1, dtype=np.int64),
                                  as_of=as_of))
    return FindingTable(blocks)


# ---- service overlaps (CM301, CM302, CM303, CM314) ----------------------------------

class _Pairs(Block):
    """CM301, CM302 or CM314: findings about two services (rows ``a`` and ``b``)."""

    def __init__(self, code: str, columns: ServiceColumns, *, a: Array, b: Array,
                 later: Array, ranks: Array, rank_rows: Array) -> None:
        self.code = code
        self.columns = columns
        self.a, self.b, self.later = a, b, later  # a: old (earlier), b: new (later)
        self.size = len(a)
        lookup = np.searchsorted(rank_rows, a), np.searchsorted(rank_rows, b)
        rank_a, rank_b = ranks[lookup[0]], ranks[lookup[1]]
        low = np.minimum(rank_a, rank_b)
        high = np.where(rank_a == rank_b, -1, np.maximum(rank_a, rank_b))
        self.order, equal = sort_rows([low, high])
        self.settle_ties(equal)

    def _id(self, row: int) -> str:
        return str(self.columns.service_id[row].as_py())

    def make(self, row: int) -> Finding:
        c = self.columns
        a, b = int(self.a[row]), int(self.b[row])
        a_id, b_id = self._id(a), self._id(b)
        start_a, start_b, end_a, end_b = (int(c.start[a]), int(c.start[b]), int(c.end[a]),
                                          int(c.end[b]))
        if self.code == "CM302":
            return Finding.of("CM302", (a_id, b_id), old=a_id, new=b_id, end=day_of(end_a),
                              start=day_of(start_b))
        first, last = max(start_a, start_b), min(end_a, end_b)
        shown_last: dt.date | str = "open" if last == OPEN else day_of(last)
        days = None if last == OPEN else last - first + 1
        if self.code == "CM314":
            return Finding.of(
                "CM314", (a_id, b_id), earlier=a_id, later=b_id,
                earlier_period=_period(start_a, end_a), later_period=_period(start_b, end_b),
                system=c.systems[int(c.system[b])], first=day_of(first), last=shown_last,
                days=days,
            )
        return Finding.of(
            "CM301", (a_id, b_id), old=a_id, new=b_id, old_period=_period(start_a, end_a),
            new_period=_period(start_b, end_b), first=day_of(first), last=shown_last,
            days=days, later=self._id(int(self.later[row])),
        )

    def subject_ids(self) -> pa.Array:
        return self.columns.service_id

    def subject_lists(self) -> tuple[Array, Array]:
        a, b = self.a[self.order], self.b[self.order]
        ranks = dense_ranks(self.columns.service_id, np.concatenate((a, b)))
        rank_a, rank_b = ranks[:len(a)], ranks[len(a):]
        same = rank_a == rank_b
        lengths = np.where(same, 1, 2)
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        a_first = rank_a <= rank_b
        rows = np.empty(int(offsets[-1]), dtype=np.int64)
        rows[offsets[:-1]] = np.where(a_first, a, b)
        rows[offsets[:-1][~same] + 1] = np.where(a_first, b, a)[~same]
        return offsets, rows


class _Singles(Block):
    """CM303: a finding about one service."""

    def __init__(self, columns: ServiceColumns, rows: Array, cutover: dt.date) -> None:
        self.code = "CM303"
        self.columns = columns
        self.rows = rows
        self.size = len(rows)
        self.cutover = cutover
        self.order, equal = sort_rows([dense_ranks(columns.service_id, rows)])
        self.settle_ties(equal)

    def make(self, row: int) -> Finding:
        sid = str(self.columns.service_id[int(self.rows[row])].as_py())
        return Finding.of("CM303", (sid,), service=sid, cutover=self.cutover)

    def subject_ids(self) -> pa.Array:
        return self.columns.service_id

    def subject_lists(self) -> tuple[Array, Array]:
        return np.arange(self.size + 1), self.rows[self.order]


def _system_flags(columns: ServiceColumns, name: str | None) -> Array | None:
    if name is None:
        return None
    folded = name.casefold()
    return np.array([s.casefold() == folded for s in columns.systems] + [False], dtype=bool)


def service_overlaps(columns: ServiceColumns, cutover: dt.date, old_system: str | None,
                     new_system: str | None, within_system: bool) -> FindingTable:
    """:func:`casemigrate.find_service_overlaps` over columns.

    The record path groups by (municipality, citizen, code), sorts each group by
    (start, id) and sweeps it, keeping the services whose end reaches the day before
    the next start. Here one stable lexsort orders every group at once, and each
    service's partners are the contiguous run of later services of its group that
    start on or before the day after its end: found with one ``searchsorted`` on a
    packed (group, start) key. The pairs are then judged with the same conditions,
    as arrays.
    """
    cut = day_number(cutover)
    old_flag = _system_flags(columns, old_system)
    new_flag = _system_flags(columns, new_system)
    usable = np.flatnonzero((columns.start != MISSING) & (columns.citizen != NO_CITIZEN)
                            & (columns.code != NO_CODE))
    start, end = columns.start[usable], columns.end[usable]
    system = columns.system[usable]
    blocks: list[Block] = []

    # CM303: an active service starting on the cutover (of the new system, if named).
    lost = (start == cut) & (end == OPEN)
    if new_flag is not None:
        lost &= new_flag[system]
    blocks.append(_Singles(columns, usable[lost], cutover))

    # Group, then (start, input order); ids break equal starts below.
    place = columns.municipality[usable].astype(np.int64) * _CITIZEN_SPAN \
        + columns.citizen[usable]
    code = columns.code[usable]
    order = np.lexsort((start, code, place))
    place, code, start, end, system = (place[order], code[order], start[order], end[order],
                                       system[order])
    rows = usable[order]
    size = len(rows)
    new_group = np.ones(size, dtype=bool)
    new_group[1:] = (place[1:] != place[:-1]) | (code[1:] != code[:-1])
    group = np.cumsum(new_group) - 1
    # Equal starts within a group: order those by id (the record path's sort key).
    tied = np.zeros(size, dtype=bool)
    if size > 1:
        same = (group[1:] == group[:-1]) & (start[1:] == start[:-1])
        tied[1:] |= same
        tied[:-1] |= same
    tie_rank = np.zeros(size, dtype=np.int64)
    if tied.any():
        tie_rank[tied] = dense_ranks(columns.service_id, rows[tied])
        again = np.lexsort((tie_rank, start, group))
        rows, start, end, system, group, tie_rank = (rows[again], start[again], end[again],
                                                     system[again], group[again],
                                                     tie_rank[again])
    group_start = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    group_stop = np.append(group_start[1:], size)
    # Groups of one system hold only same-system pairs: swept only for CM314.
    if not within_system and size:
        mixed = (np.minimum.reduceat(system, group_start)
                 != np.maximum.reduceat(system, group_start))
    else:
        mixed = np.ones(len(group_start), dtype=bool)
    stop = group_stop[group]
    key = group.astype(np.int64) * (1 << 32) + (start.astype(np.int64) - MISSING)
    reach = np.where(end == OPEN, size,
                     np.searchsorted(key, group.astype(np.int64) * (1 << 32)
                                     + (end.astype(np.int64) + 1 - MISSING), side="right"))
    partners = np.where(mixed[group], np.minimum(reach, stop) - np.arange(size) - 1, 0)
    partners = np.maximum(partners, 0)
    i = np.repeat(np.arange(size), partners)
    j = i + 1 + _ranges(np.zeros(size, dtype=np.int64), partners)
    same_system = system[i] == system[j]

    if within_system:
        dup = same_system & (end[i] >= start[j])  # OPEN reaches every start
        blocks.append(_pairs("CM314", columns, rows[i[dup]], rows[j[dup]], rows[j[dup]]))

    i, j = i[~same_system], j[~same_system]
    if old_flag is not None:
        i_old = old_flag[system[i]]
    elif new_flag is not None:
        i_old = ~new_flag[system[i]]
    else:
        closed_i, closed_j = end[i] != OPEN, end[j] != OPEN
        earlier = (start[i] < start[j]) | ((start[i] == start[j])
                                           & (tie_rank[i] < tie_rank[j]))
        i_old = np.where(closed_i != closed_j, closed_i, earlier)
    old = np.where(i_old, i, j)
    new = np.where(i_old, j, i)
    first = np.maximum(start[old], start[new])
    last = np.minimum(end[old], end[new])
    both = first <= last
    blocks.append(_pairs("CM301", columns, rows[old[both]], rows[new[both]], rows[j[both]]))
    closure = ((end[old] != OPEN) & (end[old] >= cut - 1) & (end[old] <= cut)
               & (start[new] <= cut) & (end[new] > cut))
    blocks.append(_pairs("CM302", columns, rows[old[closure]], rows[new[closure]],
                         rows[j[closure]]))
    return FindingTable(blocks)


def _pairs(code: str, columns: ServiceColumns, a: Array, b: Array, later: Array) -> _Pairs:
    rank_rows = np.unique(np.concatenate((a, b)))
    ranks = dense_ranks(columns.service_id, rank_rows)
    return _Pairs(code, columns, a=a, b=b, later=later, ranks=ranks, rank_rows=rank_rows)
