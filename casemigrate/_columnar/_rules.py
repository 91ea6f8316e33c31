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
from casemigrate.delivery import (
    _OPEN,
    ARTIFICIAL_CLOSURE_AT_CUTOVER,
    SERVICE_COUNTED_TWICE,
    SERVICES_OVERLAP_WITHIN_SYSTEM,
    START_EQUALS_CUTOVER,
    _Period,
)
from casemigrate.findings import Finding, Rule
from casemigrate.identifiers import CPR, municipality
from casemigrate.model import Case
from casemigrate.overlap import CASES_WITHOUT_CITIZEN, DUPLICATE_ACTIVE_CASES

Array = Any
_CITIZEN_SPAN: Final = 10**10  # a CPR number read as an int is below this
# Up to this many pairs per service on average, every pair in reach is taken and
# judged (cheapest); beyond, the pairs are enumerated per (group, system) bucket.
_PAIRS_PER_SERVICE: Final = 8


def _cpr(digits: int) -> CPR:
    return CPR(f"{digits:010d}")


def _period(start: int, end: int) -> _Period:
    return tuple.__new__(_Period, (None if start == MISSING else day_of(start),
                                   None if end == OPEN else day_of(end)))


# ---- duplicate active cases (CM204, CM205) ------------------------------------------

class _CaseGroups(Block):
    """CM204 (a group per citizen) or CM205 (one group of cases without a citizen)."""

    def __init__(self, rule: Rule, columns: CaseColumns, *, offsets: Array, members: Array,
                 generation: Array, as_of: dt.date, ranks: Array | None = None) -> None:
        self.rule = rule
        self.columns = columns
        self.offsets = offsets  # members of group g: members[offsets[g]:offsets[g + 1]]
        self.members = members  # input rows, in input order within a group
        self.size = len(offsets) - 1
        self.as_of = as_of
        self.ranks = ranks  # the members' id ranks, when the caller has them already
        self.order = self._sort(generation)
        self.ranks = None  # used by the sort only

    def _unique_members(self) -> tuple[Array, Array, Array]:
        """Per group, its members' id ranks sorted and de-duplicated: (group, rank, row)."""
        group = np.repeat(np.arange(self.size), np.diff(self.offsets))
        ranks = (dense_ranks(self.columns.case_id, self.members) if self.ranks is None
                 else self.ranks)
        # lexsort((ranks, group)) as one packed key: the same stable order, one sort.
        order = np.argsort(group * (int(ranks.max(initial=0)) + 1) + ranks, kind="stable")
        group, ranks, rows = group[order], ranks[order], self.members[order]
        keep = np.ones(len(group), dtype=bool)
        keep[1:] = (group[1:] != group[:-1]) | (ranks[1:] != ranks[:-1])
        return group[keep], ranks[keep], rows[keep]

    def _sort(self, generation: Array) -> Array:
        if self.size == 1:  # one group (CM205): nothing to order
            _, _, self.unique_rows = self._unique_members()
            self.unique_offsets = np.array([0, len(self.unique_rows)])
            return np.zeros(1, dtype=np.int64)
        if self.ranks is not None and len(self.ranks) and int(self.ranks.max()) == len(
                self.ranks):
            return self._sort_distinct(self.ranks)
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

    def _sort_distinct(self, ranks: Array) -> Array:
        """:meth:`_sort` where every member's id is a different one (the common case).

        Then no group holds an id twice, and no two groups share their first (smallest)
        id: the groups are in canonical order by that id alone, and no two are tied.
        One sort of packed (group, id rank) values orders each group's ids.
        """
        bits = int(ranks.max()).bit_length()
        group = np.repeat(np.arange(self.size, dtype=np.int64), np.diff(self.offsets))
        group <<= bits
        group |= ranks
        group.sort()
        group &= (1 << bits) - 1  # each group's ranks, ascending
        by_rank = np.empty(len(ranks) + 1, dtype=np.int64)
        by_rank[ranks] = self.members
        self.unique_offsets = self.offsets
        self.unique_rows = by_rank[group]
        return np.argsort(group[self.offsets[:-1]])  # distinct first ranks

    def make(self, row: int) -> Finding:
        columns = self.columns
        members = self.members[self.offsets[row]:self.offsets[row + 1]]
        ids = columns.case_id.take(pa.array(members, type=pa.int64())).to_pylist()
        if self.rule is CASES_WITHOUT_CITIZEN:
            return Finding.of(CASES_WITHOUT_CITIZEN, ids, count=len(ids))
        first = int(members[0])
        return Finding.of(
            DUPLICATE_ACTIVE_CASES, ids, count=len(ids), day=self.as_of,
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


def _by_records(columns: CaseColumns, rows: Array, as_of: dt.date) -> FindingTable:
    """The record path's findings for ``rows``, as a table (a rare shape: colliding ids)."""
    from casemigrate.overlap import find_duplicate_active_cases  # noqa: PLC0415

    ids = columns.case_id.take(pa.array(rows, type=pa.int64())).to_pylist()
    cases = [
        Case(case_id=case_id, municipality=int(columns.municipality[row]),
             citizen=None if columns.citizen[row] == NO_CITIZEN else _cpr(
                 int(columns.citizen[row])),
             system=columns.systems[int(columns.system[row])],
             opened=day_of(int(columns.opened[row])),
             closed=None if columns.closed[row] == OPEN else day_of(int(columns.closed[row])))
        for case_id, row in zip(ids, rows, strict=True)
    ]
    found = find_duplicate_active_cases(cases, as_of=as_of)
    return FindingTable([Found(rule, [f for f in found if f.rule is rule])
                         for rule in (DUPLICATE_ACTIVE_CASES, CASES_WITHOUT_CITIZEN)])


def duplicate_active_cases(columns: CaseColumns, as_of: dt.date) -> FindingTable:
    """:func:`casemigrate.find_duplicate_active_cases` over columns."""
    day = day_number(as_of)
    active = (columns.opened <= day) & (columns.closed > day)  # OPEN is above every day
    with_citizen = columns.citizen != NO_CITIZEN
    blocks: list[Block] = []
    rows = np.flatnonzero(active & with_citizen)
    place = columns.municipality
    if len(place) and place.min() == place.max():  # one municipality's table: the citizen
        key = columns.citizen[rows]
    else:
        key = place[rows].astype(np.int64) * _CITIZEN_SPAN + columns.citizen[rows]
    # One stable sort of the (municipality, citizen) keys: each citizen's rows are a run,
    # in input order; the runs of two or more rows are the groups.
    order = stable_order(key)
    key = key[order]
    new = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(key)))
    repeated = counts > 1
    if repeated.any():
        sizes = counts[repeated]
        member_rows = rows[order[np.repeat(repeated, counts)]]
        offsets = np.concatenate(([0], np.cumsum(sizes)))
        # Ranked in input order: ids are often near their string order there, and a
        # sort of nearly sorted strings is several times faster than of shuffled ones.
        by_row = stable_order(member_rows)
        ranks = np.empty(len(member_rows), dtype=np.int64)
        ranks[by_row] = dense_ranks(columns.case_id, member_rows[by_row])
        if int(ranks.max()) < len(ranks):  # some id twice: within one group?
            group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
            pairs = np.sort(group * (int(ranks.max()) + 1) + ranks)  # (group, id rank)
            if bool((pairs[1:] == pairs[:-1]).any()):
                # An id twice in one citizen's group (ids are reused across systems): the
                # record path names them ``id@system``; it is run on the active rows.
                return _by_records(columns, np.flatnonzero(active), as_of)
        blocks.append(_CaseGroups(DUPLICATE_ACTIVE_CASES, columns, offsets=offsets,
                                  members=member_rows, generation=member_rows[offsets[:-1]],
                                  as_of=as_of, ranks=ranks))
    if np.count_nonzero(active) > len(rows):  # some active case has no citizen
        without = np.flatnonzero(active & ~with_citizen)
        blocks.append(_CaseGroups(CASES_WITHOUT_CITIZEN, columns,
                                  offsets=np.array([0, len(without)]), members=without,
                                  generation=np.zeros(1, dtype=np.int64), as_of=as_of))
    return FindingTable(blocks)


# ---- service overlaps (CM301, CM302, CM303, CM314) ----------------------------------

_PAIR_IDS: Final = {"CM301": ("old", "new"), "CM302": ("old", "new"),
                    "CM314": ("earlier", "later")}
"""The details naming each pair finding's two services (its subjects)."""


class _Pairs(LazyOrder):
    """CM301, CM302 or CM314: findings about two services (rows ``a`` and ``b``)."""

    def __init__(self, rule: Rule, columns: ServiceColumns, *, a: Array, b: Array,
                 later: Array, rank_of: Array) -> None:
        self.rule = rule
        self.columns = columns
        self.a, self.b, self.later = a, b, later  # a: old (earlier), b: new (later)
        self.size = len(a)
        self._ranks = rank_of[a], rank_of[b]

    def ordered(self) -> tuple[Array, Array]:
        return pair_order(*self._ranks)

    def make(self, row: int) -> Finding:
        return self.make_many([row])[0]

    def make_many(self, rows: Array) -> list[Finding]:
        values = self.detail_values(rows)
        first, second = (values[name] for name in _PAIR_IDS[self.rule.code])
        names = list(values)
        rule, of = self.rule, Finding.of
        return [of(rule, (x, y), **dict(zip(names, row, strict=True)))
                for x, y, row in zip(first, second, zip(*values.values(), strict=True),
                                     strict=True)]

    def detail_values(self, rows: Array) -> dict[str, list[Any]]:
        c = self.columns
        a, b = self.a[rows], self.b[rows]
        ids = c.service_id
        a_ids = ids.take(pa.array(a, type=pa.int64())).to_pylist()
        b_ids = ids.take(pa.array(b, type=pa.int64())).to_pylist()
        starts, ends = (c.start[a], c.start[b]), (c.end[a], c.end[b])
        # Each distinct day made a date once (the findings share a few thousand days).
        at = {day: None if day in (MISSING, OPEN) else day_of(day)
              for day in np.unique(np.concatenate((*starts, *ends))).tolist()}
        start_a, start_b = starts[0].tolist(), starts[1].tolist()
        end_a, end_b = ends[0].tolist(), ends[1].tolist()
        if self.rule is ARTIFICIAL_CLOSURE_AT_CUTOVER:
            return {"old": a_ids, "new": b_ids, "end": [at[e] for e in end_a],
                    "start": [at[s] for s in start_b]}
        firsts = [max(sa, sb) for sa, sb in zip(start_a, start_b, strict=True)]
        lasts = [min(ea, eb) for ea, eb in zip(end_a, end_b, strict=True)]
        spans = {"first": [at[first] for first in firsts],
                 "last": [_OPEN if last == OPEN else at[last] for last in lasts],
                 "days": [None if last == OPEN else last - first + 1
                          for first, last in zip(firsts, lasts, strict=True)]}
        new = tuple.__new__
        periods_a = [new(_Period, (at[sa], at[ea])) for sa, ea in zip(start_a, end_a,
                                                                       strict=True)]
        periods_b = [new(_Period, (at[sb], at[eb])) for sb, eb in zip(start_b, end_b,
                                                                       strict=True)]
        if self.rule is SERVICES_OVERLAP_WITHIN_SYSTEM:
            return {"earlier": a_ids, "later": b_ids, "earlier_period": periods_a,
                    "later_period": periods_b,
                    "system": [c.systems[k] for k in c.system[b].tolist()], **spans}
        later = self.later[rows]
        later_is_b = (later == b).tolist()
        later_ids = [y if flag else None for y, flag in zip(b_ids, later_is_b, strict=True)]
        if not all(later_is_b):
            others = ids.take(pa.array(later, type=pa.int64())).to_pylist()
            later_ids = [y if y is not None else z for y, z in zip(later_ids, others,
                                                                   strict=True)]
        return {"old": a_ids, "new": b_ids, "old_period": periods_a, "new_period": periods_b,
                **spans, "later": later_ids}

    def detail(self, name: str) -> pa.Array | None:
        rows = {"CM301": {"old": self.a, "new": self.b, "later": self.later},
                "CM302": {"old": self.a, "new": self.b},
                "CM314": {"earlier": self.a, "later": self.b}}[self.code].get(name)
        if rows is None:
            return None
        return self.columns.service_id.take(pa.array(rows[self.order], type=pa.int64()))

    def subject_ids(self) -> pa.Array:
        return self.columns.service_id

    def subject_lists(self) -> tuple[Array, Array]:
        return pair_subject_lists(self.columns.service_id, self.a[self.order],
                                  self.b[self.order])


class _Singles(LazyOrder):
    """CM303: a finding about one service."""

    def __init__(self, columns: ServiceColumns, rows: Array, cutover: dt.date,
                 rank_of: Array | None = None) -> None:
        self.rule = START_EQUALS_CUTOVER
        self.columns = columns
        self.rows = rows
        self.size = len(rows)
        self.cutover = cutover
        ranks = (dense_ranks(columns.service_id, rows) if rank_of is None
                 else rank_of[rows])
        self._ranks = ranks

    def ordered(self) -> tuple[Array, Array]:
        return sort_rows([self._ranks])

    def make(self, row: int) -> Finding:
        return self.make_many([row])[0]

    def make_many(self, rows: Array) -> list[Finding]:
        ids = self.columns.service_id.take(pa.array(self.rows[rows], type=pa.int64()))
        return [Finding.of(START_EQUALS_CUTOVER, (sid,), service=sid, cutover=self.cutover)
                for sid in ids.to_pylist()]

    def detail_values(self, rows: Array) -> dict[str, list[Any]]:
        ids = self.columns.service_id.take(pa.array(self.rows[rows], type=pa.int64()))
        return {"service": ids.to_pylist(), "cutover": [self.cutover] * len(rows)}

    def detail(self, name: str) -> pa.Array | None:
        if name != "service":
            return None
        return self.columns.service_id.take(pa.array(self.rows[self.order], type=pa.int64()))

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
                     new_system: str | None, within_system: bool, *,
                     among: Array | None = None, id_ranks: Array | None = None
                     ) -> FindingTable:
    """:func:`casemigrate.find_service_overlaps` over columns.

    The record path groups by (municipality, citizen, code), sorts each group by
    (start, id) and sweeps it, keeping the services whose end reaches the day before
    the next start. Here one sort orders every group at once, and each service's
    partners are the contiguous run of later services of its group that start on or
    before the day after its end: found with one ``searchsorted`` on a packed
    (group, start) key. The pairs are then judged with the same conditions, as arrays.

    ``among``, if given, are the rows to judge (the others are left out, as if the
    columns held only these); ``id_ranks``, if given, ranks every row's id in Python's
    string order (equal ids, equal ranks; any numbers that order them), so no id is
    ranked again. The findings point at rows of ``columns`` either way.
    """
    cut = day_number(cutover)
    old_flag = _system_flags(columns, old_system)
    new_flag = _system_flags(columns, new_system)
    if among is None:
        usable = np.flatnonzero((columns.start != MISSING) & (columns.citizen != NO_CITIZEN)
                                & (columns.code != NO_CODE))
    else:
        usable = among[(columns.start[among] != MISSING) & (columns.citizen[among] != NO_CITIZEN)
                       & (columns.code[among] != NO_CODE)]
    blocks: list[Block] = []

    # CM303: an active service starting on the cutover (of the new system, if named).
    lost = (columns.start[usable] == cut) & (columns.end[usable] == OPEN)
    if new_flag is not None:
        lost &= new_flag[columns.system[usable]]
    blocks.append(_Singles(columns, usable[lost], cutover, id_ranks))

    # Sort by group, then start; equal starts keep the input order for now. Without
    # CM314 a group of one system pairs nothing: its rows are dropped before the sort
    # by start and never looked at again.
    rows, group = _by_group_and_start(columns, usable, mixed_only=not within_system)
    start, end, system = columns.start[rows], columns.end[rows], columns.system[rows]
    size = len(rows)
    new_group = np.ones(size, dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    group_start = np.flatnonzero(new_group)
    group_stop = np.append(group_start[1:], size)
    # Groups of one system hold only same-system pairs: swept only for CM314.
    if within_system or not size:
        swept = np.ones(len(group_start), dtype=bool)
    else:
        swept = (np.minimum.reduceat(system, group_start)
                 != np.maximum.reduceat(system, group_start))
    swept &= (group_stop - group_start) > 1
    # One ranking of the ids of every swept service: ties of starts are ordered by it
    # (the record path sorts by (start, id)), and so are the findings' subjects.
    in_swept = swept[group]
    if id_ranks is None:
        rank_of = np.zeros(len(columns), dtype=np.int64)
        rank_of[rows[in_swept]] = dense_ranks(columns.service_id, rows[in_swept])
    else:
        rank_of = id_ranks
    tied = np.zeros(size, dtype=bool)
    if size > 1:
        same = (group[1:] == group[:-1]) & (start[1:] == start[:-1]) & in_swept[1:]
        tied[1:] |= same
        tied[:-1] |= same
    if tied.any():
        where = np.flatnonzero(tied)
        run = np.cumsum(np.concatenate(([True], (np.diff(where) > 1)
                                        | (start[where[1:]] != start[where[:-1]])
                                        | (group[where[1:]] != group[where[:-1]]))))
        # The record path breaks ties of (start, id) by system name, then end (an open
        # end last): ``_keys.service_key``.
        names = columns.systems
        system_rank = np.argsort(np.argsort(np.array(names, dtype=object), kind="stable"),
                                 kind="stable") if len(names) else np.zeros(0, dtype=np.int64)
        within = np.lexsort((end[where], system_rank[system[where]], rank_of[rows[where]], run))
        rows[where] = rows[where[within]]
        end[where] = end[where[within]]
        system[where] = system[where[within]]

    # The pairs (i, j), i before j in a group, j starting by the day after i's end: the
    # record path's sweep meets exactly these. Most groups are small and all their
    # pairs are few: taken all, then judged. Where they would be many (one citizen with
    # thousands of open services in one system), only the pairs a rule can use are
    # enumerated, by (group, system) bucket: of one system only for CM314, and across
    # systems none with a service the sweep leaves uncounted (roles known: an active
    # old-system service is not counted, so it meets no service of another system: the
    # record path's ``uncounted``). Either way the work stays linear in the input plus
    # the findings.
    positions = np.arange(size)
    if old_flag is not None or new_flag is not None:
        plays_old = old_flag if old_flag is not None else ~np.asarray(new_flag)
        countable = in_swept & ~(plays_old[system] & (end == OPEN))
    else:
        countable = in_swept
    key = group.astype(np.int64) * (1 << 32) + (start.astype(np.int64) - MISSING)
    reach = np.where(end == OPEN, size,
                     np.searchsorted(key, group.astype(np.int64) * (1 << 32)
                                     + (end.astype(np.int64) + 1 - MISSING), side="right"))
    del key
    partners = np.where(in_swept, np.minimum(reach, group_stop[group]) - positions - 1, 0)
    partners = np.maximum(partners, 0)
    if int(partners.sum()) <= _PAIRS_PER_SERVICE * size:
        i = np.repeat(positions, partners)
        # j runs from i + 1 over each of i's partners: i + 1 + (k - where i's run begins).
        j = np.repeat(positions + 1 - (np.cumsum(partners) - partners), partners)
        j += np.arange(len(j))
    else:
        buckets = _Buckets(positions[countable], group, system, start)
        i, j = buckets.partners(*buckets.others(group_start, group_stop, system, countable),
                                end)
        if within_system:
            alike = _Buckets(positions[in_swept], group, system, start)
            mine = positions[in_swept]
            same_i, same_j = alike.partners(mine, alike.find(group[mine], system[mine]), end)
            i, j = np.concatenate((i, same_i)), np.concatenate((j, same_j))
        order = np.lexsort((j, i))  # the order the sweep meets them in
        i, j = i[order], j[order]
    del partners, reach
    same_system = system[i] == system[j]

    if within_system:
        dup = same_system & (end[i] >= start[j])  # OPEN reaches every start
        blocks.append(_Pairs(SERVICES_OVERLAP_WITHIN_SYSTEM, columns, a=rows[i[dup]],
                             b=rows[j[dup]], later=rows[j[dup]], rank_of=rank_of))

    across = ~same_system & countable[i] & countable[j]  # no uncounted service
    i, j = i[across], j[across]
    if old_flag is not None:
        i_old = old_flag[system[i]]
    elif new_flag is not None:
        i_old = ~new_flag[system[i]]
    else:
        closed_i, closed_j = end[i] != OPEN, end[j] != OPEN
        # i precedes j in the (start, id, system, end) order, as ``_keys.service_key``
        # orders the record path's ties: with the same start and id, i is the earlier.
        earlier = (start[i] < start[j]) | ((start[i] == start[j])
                                           & (rank_of[rows[i]] <= rank_of[rows[j]]))
        i_old = np.where(closed_i != closed_j, closed_i, earlier)
    old = np.where(i_old, i, j)
    new = np.where(i_old, j, i)
    del i, i_old
    both = np.maximum(start[old], start[new]) <= np.minimum(end[old], end[new])
    blocks.append(_Pairs(SERVICE_COUNTED_TWICE, columns, a=rows[old[both]], b=rows[new[both]],
                         later=rows[j[both]], rank_of=rank_of))
    closure = ((end[old] != OPEN) & (end[old] >= cut - 1) & (end[old] <= cut)
               & (start[new] <= cut) & (end[new] > cut))
    blocks.append(_Pairs(ARTIFICIAL_CLOSURE_AT_CUTOVER, columns, a=rows[old[closure]],
                         b=rows[new[closure]], later=rows[j[closure]], rank_of=rank_of))
    return FindingTable(blocks)


class _Buckets:
    """Services of a sorted run of groups, by (group, system), each bucket in order.

    ``members`` are positions in the (group, start)-sorted services; within a bucket
    they keep that order, so both their positions and their starts ascend, and a
    service's partners in a bucket are one contiguous run found by two searches.
    """

    _SHIFT: Final = 1 << 32

    def __init__(self, members: Array, group: Array, system: Array, start: Array) -> None:
        self._systems = int(system.max()) + 1 if len(system) else 1
        key = group[members].astype(np.int64) * self._systems + system[members]
        order = np.argsort(key, kind="stable")  # members ascend: the order within stays
        self.members = members[order]
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        self.keys = key[first]
        self.first = np.flatnonzero(first)
        self.stop = np.append(self.first[1:], len(key))
        bucket = (np.cumsum(first) - 1).astype(np.int64) * self._SHIFT
        self._by_position = bucket + self.members
        self._by_start = bucket + (start[self.members].astype(np.int64) - MISSING)

    def find(self, group: Array, system: Array) -> Array:
        """The bucket of each (group, system); -1 where there is none."""
        key = group.astype(np.int64) * self._systems + system
        if not len(self.keys):
            return np.full(len(key), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        return np.where(self.keys[at] == key, at, -1)

    def others(self, group_start: Array, group_stop: Array, system: Array,
               allowed: Array) -> tuple[Array, Array]:
        """Each allowed service beside each bucket of its group of another system."""
        group = np.searchsorted(group_start, self.members[self.first], side="right") - 1
        sizes = group_stop[group] - group_start[group]
        rows = np.repeat(group_start[group], sizes) + _ranges(np.zeros(len(sizes),
                                                                       dtype=np.int64), sizes)
        bucket = np.repeat(np.arange(len(sizes)), sizes)
        keep = allowed[rows] & (system[rows] != system[self.members[self.first]][bucket])
        return rows[keep], bucket[keep]

    def partners(self, rows: Array, bucket: Array, end: Array) -> tuple[Array, Array]:
        """Pairs (i, j): i of ``rows``, j of its bucket, after i, starting by i's end + 1."""
        found = bucket >= 0
        rows, bucket = rows[found], bucket[found]
        base = bucket.astype(np.int64) * self._SHIFT
        low = np.searchsorted(self._by_position, base + rows + 1)
        last = end[rows].astype(np.int64)
        high = np.where(last == OPEN, self.stop[bucket],
                        np.searchsorted(self._by_start, base + (last + 1 - MISSING),
                                        side="right"))
        count = np.maximum(high - low, 0)
        i = np.repeat(rows, count)
        j = self.members[np.repeat(low, count) + _ranges(np.zeros(len(count), dtype=np.int64),
                                                         count)]
        return i, j


def _by_group_and_start(columns: ServiceColumns, usable: Array, *,
                        mixed_only: bool = False) -> tuple[Array, Array]:
    """``usable`` sorted by (municipality, citizen, code, start), stable, and the groups.

    A group is a (municipality, citizen, code): numbered from 0 in the sorted order.
    ``mixed_only``: only the rows of groups holding services of two systems or more.
    """
    place = columns.municipality[usable].astype(np.int64) * _CITIZEN_SPAN \
        + columns.citizen[usable]
    code = columns.code[usable].astype(np.int64)
    codes = len(columns.codes) + 1
    if codes * 10**13 >= 2**62:  # pragma: no cover - millions of codes
        start = columns.start[usable].astype(np.int64) - MISSING
        order = np.lexsort((start, code, place))
        place, code = place[order], code[order]
        new = np.concatenate(([False], (place[1:] != place[:-1]) | (code[1:] != code[:-1])))
        return usable[order], np.cumsum(new)
    key = place * codes + code
    del place, code
    if mixed_only and len(usable):
        # The system below the group in the key: a group is mixed when its first and
        # last rows' systems differ, and the sort by start below restores the order.
        bits = max(len(columns.systems) - 1, 1).bit_length()
        key = (key << bits) | columns.system[usable]
        order = stable_order(key)
        key = key[order]
        last = np.flatnonzero(np.append((key[1:] >> bits) != (key[:-1] >> bits), True))
        first = np.concatenate(([0], last[:-1] + 1))
        mixed = (key[first] & ((1 << bits) - 1)) != (key[last] & ((1 << bits) - 1))
        keep = np.repeat(mixed, last - first + 1)
        order, key = order[keep], key[keep] >> bits
    else:
        order = stable_order(key)
        key = key[order]
    group = np.cumsum(np.concatenate(([False], key[1:] != key[:-1])))
    del key
    start = columns.start[usable[order]].astype(np.int64) - MISSING
    again = stable_order(group * (1 << 32) + start)
    return usable[order[again]], group[again]
