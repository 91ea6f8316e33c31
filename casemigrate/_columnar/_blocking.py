"""Blocking cases (CM206, CM207, CM209, CM205, CM210) over validated case columns.

The rules of :func:`casemigrate.find_blocking_cases` over :class:`CaseColumns`, with
the same findings as the record path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from casemigrate._columnar._columns import NO_CITIZEN, OPEN, CaseColumns, day_of
from casemigrate._columnar._table import FindingTable, Found
from casemigrate.identifiers import CPR
from casemigrate.model import Case
from casemigrate.plan import CutoverPlan


def blocking_cases(columns: CaseColumns, plan: CutoverPlan, as_of: dt.date | None,
                   deleted_at_dst: Mapping[str, dt.date] | None) -> FindingTable:
    """:func:`casemigrate.find_blocking_cases` over columns (arguments validated)."""
    from casemigrate.overlap import find_blocking_cases  # noqa: PLC0415

    rows = np.arange(len(columns))
    ids = columns.case_id.take(pa.array(rows, type=pa.int64())).to_pylist()
    cases = [
        Case(case_id=case_id, municipality=int(columns.municipality[row]),
             citizen=None if columns.citizen[row] == NO_CITIZEN else CPR(
                 f"{int(columns.citizen[row]):010d}"),
             system=columns.systems[int(columns.system[row])],
             opened=day_of(int(columns.opened[row])),
             closed=None if columns.closed[row] == OPEN else day_of(int(columns.closed[row])))
        for case_id, row in zip(ids, rows, strict=True)
    ]
    found = find_blocking_cases(cases, plan, deleted_at_dst=deleted_at_dst, as_of=as_of)
    rules = list(dict.fromkeys(f.rule for f in found))
    return FindingTable([Found(rule, [f for f in found if f.rule is rule]) for rule in rules])
