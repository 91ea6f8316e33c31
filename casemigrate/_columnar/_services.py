"""The services check over columns: :func:`casemigrate.check_services` given a table.

The table is read as :func:`casemigrate.read_services` reads it (:func:`read`), with
one thing more than :class:`~._columns.ServiceColumns` holds: each good row's target
groups, dictionary-encoded (an ``int32`` index into the list of the distinct sets).
:func:`check_services` then judges every row on arrays:

* CM309: a missing start (:data:`~._columns.MISSING`), service code, citizen, or an
  empty set of target groups, as flags per row;
* CM310: the malformed codes of each *distinct* set, found once per set;
* CM311: with ``as_of``, a closed service whose end is after it;
* CM313: the rows outside the plan's municipality or systems, counted;
* CM315 and CM316: the merge's own re-creation pairing (``_merge._recreation``) over
  the old system's active rows and the new system's rows;
* CM001: active old services and no new one.

A finding is made as an object only when it is indexed or iterated, by the record
path's own code, so the lazy table equals the tuple ``check_services`` returns for the
records read from the same table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa

from casemigrate import _text
from casemigrate import delivery as d
from casemigrate import tables as t
from casemigrate._columnar import _columns
from casemigrate._columnar._columns import (
    MISSING,
    NEW,
    NO_CITIZEN,
    NO_CODE,
    OLD,
    OPEN,
    OUTSIDE,
    ServiceColumns,
    plan_roles,
)
from casemigrate._columnar._merge import Source, _numbered, _recreation, _RowFindings
from casemigrate._columnar._table import Block, FindingTable, Found, dense_ranks
from casemigrate._frame_in import open_frame
from casemigrate.exceptions import InvalidArgument
from casemigrate.findings import CHECK_NOT_APPLICABLE, Finding
from casemigrate.model import Service

if TYPE_CHECKING:
    from collections.abc import Callable

    from casemigrate.plan import CutoverPlan

Array = Any
# CM309's missing fields, in the record path's order, as bits of one flag per row.
_LACKS: Final = ("start date", "service code", "target group", "citizen")


class GroupedServices(ServiceColumns):
    """Services as columns with their target groups (see the module documentation).

    Attributes:
        group: For each good row, the index of its target groups in ``group_sets``.
        group_sets: The distinct sets of target groups, as the reader parses them.
    """

    __slots__ = ("group", "group_sets")

    def __init__(self, found: ServiceColumns, group: Array,
                 group_sets: list[frozenset[str]]) -> None:
        for name in ServiceColumns.__slots__:  # the reader's columns, shared
            setattr(self, name, getattr(found, name))
        self.group = group
        self.group_sets = group_sets

    @property
    def nbytes(self) -> int:
        """Bytes held by the columns."""
        return int(super().nbytes + self.group.nbytes)


def read(table: object, *, columns: Any = None, errors: Any = "raise", extra: Any = "ignore",
         date_format: Any = None, dayfirst: Any = None) -> GroupedServices:
    """A services table read as :func:`casemigrate.read_services` reads it, groups kept.

    Raises:
        CaseMigrateError: The reader's errors (see :func:`._columns.read`).
    """
    arrays: dict[str, Any] = {"target_groups": None}
    found = _columns.services(table, columns=columns, errors=errors, extra=extra,
                              date_format=date_format, dayfirst=dayfirst, arrays=arrays)
    options = t._options(date_format, dayfirst, errors, extra)
    name = t._mapping(Service, columns).get("target_groups", "target_groups")
    source = Source(found, open_frame(table), name, options, arrays.get("target_groups"))
    size = len(found)
    if not size:
        return GroupedServices(found, np.zeros(0, dtype=np.int32), [])
    keys, distinct = _numbered(source.group_keys(np.arange(size)))
    first = np.empty(distinct, dtype=np.int64)
    first[keys[::-1]] = np.arange(size - 1, -1, -1)  # the last write: the first row
    # Keys are equal for equal raw values; sets parsed from unequal ones may still be equal.
    seen: dict[frozenset[str], int] = {}
    numbers = np.array([seen.setdefault(groups, len(seen)) for groups in source.groups(first)],
                       dtype=np.int32)
    return GroupedServices(found, numbers[keys], list(seen))


class _Grouped(Source):
    """:class:`~._merge.Source` over columns whose target groups are read already.

    Its ids are ranked among the rows ``ranked`` only (the old system's active services
    and the new system's, which alone the re-creation compares): the ranks of other rows
    are never read.
    """

    def __init__(self, columns: GroupedServices, ranked: Array) -> None:
        super().__init__(columns, None, None, None)
        self._group = columns.group
        self._sets = columns.group_sets
        self._ranked = ranked

    def id_ranks(self) -> Array:
        if self._ranks is None:
            self._ranks = np.zeros(len(self.columns), dtype=np.int64)
            self._ranks[self._ranked] = dense_ranks(self.columns.service_id, self._ranked)
        return self._ranks

    def groups(self, rows: Array) -> list[frozenset[str]]:
        sets = self._sets
        return [sets[k] for k in self._group[rows].tolist()]

    def group_keys(self, rows: Array) -> Array:
        return np.asarray(self._group[rows], dtype=np.int64)


def check_services(columns: ServiceColumns, plan: CutoverPlan, as_of: dt.date | None,
                   match: d.RecreationMatch) -> FindingTable:
    """:func:`casemigrate.check_services` over columns (arguments validated already).

    ``columns`` must be read by :func:`read`, which keeps the target groups that
    CM309, CM310 and the re-creation compare.

    Returns:
        The findings, a lazy table in canonical order, without the refusals' CM002
        (the caller adds them with :meth:`FindingTable.with_refusals`).

    Raises:
        InvalidArgument: ``columns`` were read without their target groups.
    """
    if not isinstance(columns, GroupedServices):
        raise InvalidArgument("the services must be read with their target groups "
                              "(casemigrate._columnar._services.read)", field="columns")
    c = columns
    role = plan_roles(c, plan)
    inside = np.flatnonzero(role != OUTSIDE)
    is_old_active, is_new = (role == OLD) & (c.end == OPEN), role == NEW
    old_active, new = np.flatnonzero(is_old_active), np.flatnonzero(is_new)
    source = _Grouped(c, np.flatnonzero(is_old_active | is_new))
    blocks: list[Block] = []
    empty = np.array([not groups for groups in c.group_sets], dtype=bool)
    flags = ((c.start[inside] == MISSING).astype(np.int8)
             | ((c.code[inside] == NO_CODE).astype(np.int8) << 1)
             | (empty[c.group[inside]].astype(np.int8) << 2)
             | ((c.citizen[inside] == NO_CITIZEN).astype(np.int8) << 3))
    lacking = flags != 0
    blocks.append(_block(source, d.SERVICE_INCOMPLETE, inside[lacking], flags[lacking],
                         _incomplete))
    bad = [tuple(sorted(g for g in groups if not d._TARGET_GROUP.fullmatch(g)))
           for groups in c.group_sets]
    malformed = np.array([bool(found) for found in bad], dtype=bool)[c.group[inside]]
    rows = inside[malformed]
    blocks.append(_block(source, d.MALFORMED_TARGET_GROUP, rows, c.group[rows],
                         lambda sid, k: Finding.of(d.MALFORMED_TARGET_GROUP, (sid,),
                                                   service=sid, groups=bad[k])))
    if as_of is not None:
        end = c.end[inside]
        rows = inside[(end != OPEN) & (end > _columns.day_number(as_of))]
        blocks.append(_block(source, d.CLOSED_SERVICE_ENDS_IN_FUTURE, rows, c.end[rows],
                             lambda sid, end: Finding.of(
                                 d.CLOSED_SERVICE_ENDS_IN_FUTURE, (sid,), service=sid,
                                 end=_columns.day_of(end), as_of=as_of)))
    outside = len(c) - len(inside)
    if outside:
        blocks.append(Found(d.SERVICE_NOT_IN_PLAN, [Finding.of(
            d.SERVICE_NOT_IN_PLAN, (), count=outside, municipality=plan.municipality,
            old_system=plan.old_system, new_system=plan.new_system)]))
    if len(old_active) and len(new):
        blocks += _recreation(source, old_active, new, plan, match, {})
    elif len(old_active):
        blocks.append(Found(CHECK_NOT_APPLICABLE, [Finding.of(
            CHECK_NOT_APPLICABLE, ("check_services",), check=d._RECREATION_CHECK,
            reason=_text.Phrase(en="no service of the new system {system} was given",
                                da="der er ingen ydelser fra det nye system {system}",
                                system=plan.new_system))]))
    return FindingTable(blocks)


def _incomplete(sid: str, flag: int) -> Finding:
    missing = tuple(d._MISSING[label] for bit, label in enumerate(_LACKS) if flag >> bit & 1)
    return Finding.of(d.SERVICE_INCOMPLETE, (sid,), service=sid, missing=missing)


def _block(source: Source, rule: Any, rows: Array, values: Array,
           make: Callable[[str, Any], Finding]) -> Block:
    """Findings of ``rule`` about ``rows``, finding ``k`` made of row ``k``'s id and value."""
    ids = source.columns.service_id

    def made(positions: Array) -> list[Finding]:
        sids = ids.take(pa.array(rows[positions], type=pa.int64())).to_pylist()
        return list(map(make, sids, values[positions].tolist()))

    return _RowFindings(rule, ids, rows, None, made)  # its rows' ids ranked alone
