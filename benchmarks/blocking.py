"""find_blocking_cases: the record path against the columnar engine, interleaved.

A one-off measurement (not a task of the harness): the generated cases of each size,
for an SMDB plan from the data's old to its new system, once without a recorded
deletion of the active courses and once with DST's deletion on 2026-05-20 and
``as_of`` after the re-reporting window (CM209 checked). Per size and contender, the
median of ``--runs`` wall and CPU times, the contenders interleaved run by run::

    nice -n 10 python -m benchmarks.blocking --sizes 100000 1000000 --runs 3

* ``records``: ``find_blocking_cases`` on ``Case`` records (built untimed);
* ``table``: the public call on an Arrow table, validation included, lazy;
* ``table+build``: the same, every finding then built (``list(found)``);
* ``rules``: ``_columnar._blocking.blocking_cases`` on columns read untimed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.data import CUTOVER, MUNICIPALITY, NEW, OLD, load

COLUMNS = ["case_id", "municipality", "citizen", "system", "opened", "closed"]


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _contenders(records: list[Any], table: Any, columns: Any, plan: Any,
                as_of: dt.date | None) -> dict[str, Callable[[], Any]]:
    from casemigrate import find_blocking_cases
    from casemigrate._columnar import _blocking

    return {
        "records": lambda: find_blocking_cases(records, plan, as_of=as_of),
        "table": lambda: find_blocking_cases(table, plan, as_of=as_of),
        "table+build": lambda: list(find_blocking_cases(table, plan, as_of=as_of)),
        "rules": lambda: _blocking.blocking_cases(columns, plan, as_of, None),
    }


def main(argv: list[str] | None = None) -> None:
    import pyarrow as pa

    from casemigrate import Case, CutoverPlan
    from casemigrate._columnar import _columns

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()}")
    for size in options.sizes:
        data = load(size)
        records = Case.from_rows(data.cases)
        table = pa.table({name: [row[i] for row in data.cases]
                          for i, name in enumerate(COLUMNS)})
        columns = _columns.cases(table)
        for label, done, as_of in (("no deletion", {}, None),
                                   ("deleted 2026-05-20, as_of 2026-07-01",
                                    {"delete_active_courses": dt.date(2026, 5, 20)},
                                    dt.date(2026, 7, 1))):
            plan = CutoverPlan(municipality=MUNICIPALITY, register="smdb", old_system=OLD,
                               new_system=NEW, cutover=CUTOVER, done=done)
            contenders = _contenders(records, table, columns, plan, as_of)
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
            answers = {}
            for _ in range(options.runs):
                for name, call in contenders.items():
                    wall, cpu, result = _timed(call)
                    times[name].append((wall, cpu))
                    answers[name] = result
            assert answers["table"] == answers["records"]  # the same findings
            counts = answers["table"].counts()
            print(f"{size:>9,} cases, {label}: {counts}")
            for name, measured in times.items():
                wall = statistics.median(w for w, _ in measured)
                cpu = statistics.median(c for _, c in measured)
                print(f"    {name:<12} wall {wall:7.3f} s   cpu {cpu:7.3f} s")
        print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
