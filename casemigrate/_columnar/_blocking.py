"""Blocking cases (CM206, CM207, CM209, CM205, CM210) over validated case columns.

:func:`blocking_cases` is :func:`casemigrate.find_blocking_cases` over
:class:`~casemigrate._columnar._columns.CaseColumns`, with the same findings. The
record path walks the cases once with a dictionary per citizen; here every step is an
array operation over all cases at once:

* each case's role (old, new, outside the plan) from its system's, one look-up per
  distinct system name;
* the day DST deleted it: its own date in ``deleted_at_dst`` (a hash look-up of the ids,
  ``pyarrow.compute.index_in``), else the plan's recorded deletion of every active
  course if it was active then;
* CM206 and CM209 are conditions on single cases (CM209's "re-reported" is a
  membership test of the citizen among the new system's cases);
* CM207 groups the cases active on the cutover by citizen with one sort, and keeps the
  groups holding both an old and a new case. Ids that collide within a group are
  qualified ``id@system``, as ``casemigrate._keys.subject_ids`` does.

Findings come back as a lazy :class:`~casemigrate._columnar._table.FindingTable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate._columnar._columns import (
    NEW,
    NO_CITIZEN,
    OLD,
    CaseColumns,
    day_number,
    day_of,
    plan_roles,
)
from casemigrate._columnar._rules import _cpr, _ranges
from casemigrate._columnar._table import (
    Block,
    FindingTable,
    Found,
    dense_ranks,
    shown_ids,
    sort_rows,
    stable_order,
)
from casemigrate.findings import CHECK_NOT_APPLICABLE, Finding, Rule, finding_maker
from casemigrate.overlap import (
    ACTIVE_IN_BOTH_SYSTEMS,
    BLOCKING_ACTIVE_CASE,
    CASE_NOT_IN_PLAN,
    CASES_WITHOUT_CITIZEN,
    DELETED_NOT_REREPORTED,
    _blocking_days,
    _not_applicable,
)
from casemigrate.plan import CutoverPlan, Register

__all__ = ["blocking_cases"]

Array = Any
_NOT_DELETED: Final = np.iinfo(np.int64).min
_WIDEST_ROW_SORT: Final = 32  # subjects per finding up to which findings sort as arrays
_BLOCKING: Final = finding_maker(BLOCKING_ACTIVE_CASE, "case", "system", "deadline")
_NOT_REREPORTED: Final = finding_maker(DELETED_NOT_REREPORTED, "case", "old_system", "deleted",
                                       "latest", "citizen", "new_system", "rereport_by")
_IN_BOTH: Final = finding_maker(ACTIVE_IN_BOTH_SYSTEMS, "old_system", "new_system", "cutover",
                                "citizen")


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


class _Named(Block):
    """Findings of one rule, each about a group of members; built on demand by ``build``.

    ``shown[k]`` is the subject member ``k`` is shown as, ``group[k]`` its finding. A
    finding's subjects are its members' distinct shown ids, sorted (``Finding.of``);
    the findings are ordered by them, then by message and details for equal subjects.
    """

    def __init__(self, rule: Rule, shown: pa.Array, group: Array, size: int,
                 build: Callable[[Array], list[Finding]]) -> None:
        self.rule = rule
        self.size = size
        self.shown = shown
        self.build = build
        ranks = dense_ranks(shown, np.arange(len(shown)))
        # Members by (finding, rank): one packed sort; the first of each pair is kept.
        order = np.argsort(group.astype(np.int64) * (int(ranks.max(initial=0)) + 1) + ranks,
                           kind="stable")
        group, ranks = group[order], ranks[order]
        keep = np.ones(len(order), dtype=bool)
        keep[1:] = (group[1:] != group[:-1]) | (ranks[1:] != ranks[:-1])
        group, ranks, self.unique_rows = group[keep], ranks[keep], order[keep]
        self.unique_offsets = np.searchsorted(group, np.arange(size + 1))
        lengths = np.diff(self.unique_offsets)
        width = int(lengths.max(initial=0))
        if width <= _WIDEST_ROW_SORT:
            matrix = np.full((size, width), -1, dtype=np.int64)  # -1: a shorter list first
            matrix[group, np.arange(len(group)) - self.unique_offsets[group]] = ranks
            self.order, equal = sort_rows([matrix[:, k] for k in range(width)]
                                          or [np.zeros(size, dtype=np.int64)])
        else:  # a finding about many cases: Python compares the tuples
            keys = [tuple(ranks[a:b].tolist()) for a, b in zip(
                self.unique_offsets[:-1].tolist(), self.unique_offsets[1:].tolist(),
                strict=True)]
            self.order = np.array(sorted(range(size), key=keys.__getitem__), dtype=np.int64)
            equal = np.array([keys[a] == keys[b] for a, b in zip(
                self.order[:-1].tolist(), self.order[1:].tolist(), strict=True)], dtype=bool)
        self.settle_ties(equal)

    def make(self, row: int) -> Finding:
        return self.build(np.array([row], dtype=np.int64))[0]

    def make_many(self, rows: Array) -> list[Finding]:
        return self.build(np.asarray(rows, dtype=np.int64))

    def subject_ids(self) -> pa.Array:
        return self.shown

    def subject_lists(self) -> tuple[Array, Array]:
        lengths = np.diff(self.unique_offsets)[self.order]
        starts = self.unique_offsets[:-1][self.order]
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return offsets, self.unique_rows[_ranges(starts, lengths)]


def _singles(rule: Rule, columns: CaseColumns, rows: Array,
             build: Callable[[Array, list[str]], list[Finding]]) -> _Named:
    """A block of findings about one case each (rows of ``columns``)."""
    ids = columns.case_id.take(pa.array(rows, type=pa.int64()))

    def made(which: Array) -> list[Finding]:
        chosen = rows[which]
        return build(chosen, columns.case_id.take(pa.array(chosen, type=pa.int64())).to_pylist())

    return _Named(rule, shown_ids(ids), np.arange(len(rows)), len(rows), made)


def blocking_cases(columns: CaseColumns, plan: CutoverPlan, as_of: dt.date | None,
                   deleted_at_dst: Mapping[str, dt.date] | None) -> FindingTable:
    """:func:`casemigrate.find_blocking_cases` over columns (arguments validated)."""
    if plan.register is not Register.SMDB:
        return FindingTable([Found(CHECK_NOT_APPLICABLE, [_not_applicable(plan)])])
    deadline, rereport_by, all_deleted, check_rereport = _blocking_days(plan, as_of)
    cutover = plan.cutover
    cut = day_number(cutover)
    opened, closed, citizen, system = (columns.opened, columns.closed, columns.citizen,
                                       columns.system)
    names = columns.systems

    def active_on(day: int | Array) -> Array:
        return (opened <= day) & (closed > day)  # OPEN is above every day

    role = plan_roles(columns, plan)
    old, new = role == OLD, role == NEW
    outside = int(len(role) - np.count_nonzero(old | new))
    with_citizen = citizen != NO_CITIZEN

    # The day DST deleted each old-system case, if it did (``overlap._deleted_at_dst``).
    gone = np.full(len(role), _NOT_DELETED, dtype=np.int64)
    if all_deleted is not None:
        day = day_number(all_deleted)
        gone[old & active_on(day)] = day
    # A key no table can hold (a lone surrogate) matches no case id: left out.
    wanted = {key: day for key, day in (deleted_at_dst or {}).items() if _encodable(key)}
    if wanted:
        keys = pa.array(list(wanted), type=pa.string())
        days = np.array([day_number(day) for day in wanted.values()], dtype=np.int64)
        at = np.asarray(pc.index_in(columns.case_id, value_set=keys).fill_null(-1)
                        .to_numpy(zero_copy_only=False), dtype=np.int64)
        own = old & (at >= 0)
        gone[own] = days[at[own]]
    was_deleted = gone != _NOT_DELETED
    unblocked = was_deleted & (gone < cut)
    blocks: list[Block] = []

    # CM206: an old-system case active on the deadline, not deleted before the cutover.
    blocking = np.flatnonzero(old & ~unblocked & active_on(day_number(deadline)))
    if len(blocking):
        blocks.append(_singles(BLOCKING_ACTIVE_CASE, columns, blocking, lambda rows, ids: [
            _BLOCKING((case,), case, names[s], deadline)
            for case, s in zip(ids, system[rows].tolist(), strict=True)]))

    # CM209: deleted while active, and no new-system case of the citizen active on a
    # day from the cutover to ``as_of``.
    if check_rereport and as_of is not None:
        deleted = was_deleted & with_citizen & (opened <= gone) & (closed > gone)
        rereported = new & with_citizen & (opened <= day_number(as_of)) & (closed > cut)
        lost = np.flatnonzero(deleted)
        lost = lost[~np.isin(citizen[lost], citizen[rereported])]
        if len(lost):
            latest = as_of
            blocks.append(_singles(DELETED_NOT_REREPORTED, columns, lost, lambda rows, ids: [
                _NOT_REREPORTED((case,), case, names[s], day_of(g), latest, _cpr(c),
                                plan.new_system, rereport_by)
                for case, s, g, c in zip(ids, system[rows].tolist(), gone[rows].tolist(),
                                         citizen[rows].tolist(), strict=True)]))

    # The cases active on the cutover and not deleted before it: CM205 without a
    # citizen, CM207 per citizen with both an old and a new one.
    at_cutover = (old | new) & active_on(cut) & ~unblocked
    without = np.flatnonzero(at_cutover & ~with_citizen)
    if len(without):
        ids = columns.case_id.take(pa.array(without, type=pa.int64()))
        blocks.append(_Named(CASES_WITHOUT_CITIZEN, shown_ids(ids),
                             np.zeros(len(without), dtype=np.int64), 1,
                             lambda _: [Finding.of(CASES_WITHOUT_CITIZEN, ids.to_pylist(),
                                                   count=len(without))]))
    both = _in_both_systems(columns, plan, np.flatnonzero(at_cutover & with_citizen), role)
    if both is not None:
        blocks.append(both)

    if outside:
        blocks.append(Found(CASE_NOT_IN_PLAN, [Finding.of(
            CASE_NOT_IN_PLAN, (), count=outside, municipality=plan.municipality,
            old_system=plan.old_system, new_system=plan.new_system)]))
    return FindingTable(blocks)


def _in_both_systems(columns: CaseColumns, plan: CutoverPlan, rows: Array,
                     role: Array) -> _Named | None:
    """CM207: the citizens among ``rows`` with both an old and a new case."""
    order = stable_order(columns.citizen[rows])
    rows = rows[order]
    key = columns.citizen[rows]
    if not len(rows):
        return None
    first = np.ones(len(rows), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    is_old = (role[rows] == OLD).astype(np.int8)
    keep = (np.maximum.reduceat(is_old, starts) == 1) & (np.minimum.reduceat(is_old, starts)
                                                         == 0)
    if not keep.any():
        return None
    members = keep[group]
    rows = rows[members]
    group = (np.cumsum(keep) - 1)[group[members]]  # renumbered from 0, ascending
    size = int(keep.sum())
    offsets = np.searchsorted(group, np.arange(size + 1))
    ids = columns.case_id.take(pa.array(rows, type=pa.int64()))
    # An id twice in one citizen's cases is named ``id@system`` (``_keys.subject_ids``),
    # an id that is a CPR number masked first.
    ranks = dense_ranks(columns.case_id, rows)
    pairs = group.astype(np.int64) * (int(ranks.max()) + 1) + ranks
    _, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
    collide = counts[inverse.reshape(-1)] > 1
    named = ids
    if collide.any():
        systems = pa.array(columns.systems, type=pa.string()).take(
            pa.array(columns.system[rows], type=pa.int32()))
        qualified = pc.binary_join_element_wise(shown_ids(ids), systems, "@")
        named = pc.if_else(pa.array(collide), qualified, ids)
    citizens = columns.citizen[rows[offsets[:-1]]]
    cache: list[list[str]] = []

    def build(which: Array) -> list[Finding]:
        if not cache:
            cache.append(named.to_pylist())
        subjects = cache[0]
        return [_IN_BOTH(subjects[a:b], plan.old_system, plan.new_system, plan.cutover,
                         _cpr(c))
                for a, b, c in zip(offsets[which].tolist(), offsets[which + 1].tolist(),
                                   citizens[which].tolist(), strict=True)]

    return _Named(ACTIVE_IN_BOTH_SYSTEMS, shown_ids(named), group, size, build)
