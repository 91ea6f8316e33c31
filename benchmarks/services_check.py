"""``check_services`` on records and on a table, interleaved, at the sizes given.

The benchmark data's two systems (``old_services`` and ``new_services``: active old
services re-created in the new system) with what a real export holds beside them,
one in so many services each, deterministic: a re-creation missing (CM315), re-created
with other target groups (CM316), a missing code or citizen (CM309), a malformed target
group (CM310), an end after ``as_of`` (CM311), another municipality (CM313), an id
repeated within a system. The record path gets the records built (untimed); the table
path gets the Arrow table, validation included, as a user calls it. Both answers are
compared once; then each path is timed ``--runs`` times, alternating.

Usage (from the repository root):

    nice -n 10 .venv/bin/python -m benchmarks.services_check --sizes 100k 1M --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from typing import Any

from benchmarks.data import AS_OF, CUTOVER, MUNICIPALITY, NEW, OLD, load, parse_size

SERVICE_COLUMNS = ["service_id", "municipality", "citizen", "code", "target_groups",
                   "start", "end", "system"]


def services_rows(data: Any) -> list[tuple[Any, ...]]:
    """The two systems' services with a user's mistakes (see the module documentation)."""
    rows: list[tuple[Any, ...]] = []
    for index, service in enumerate(data.old_services + data.new_services):
        sid, place, cpr, code, groups, start, end, system = service
        if system == NEW and index % 11 == 0:
            continue  # not re-created
        rows.append((
            rows[-1][0] if index % 151 == 0 and rows else sid,  # the id before it, again
            101 if index % 199 == 0 else place,
            None if index % 101 == 0 else cpr,
            None if index % 97 == 0 else code,
            (*(("9.9",) if system == NEW and index % 13 == 0 else groups),
             *(("1..2",) if index % 89 == 0 else ())),
            start,
            AS_OF + dt.timedelta(days=30) if index % 83 == 0 and end is not None else end,
            system))
    return rows


def _plan() -> Any:
    from casemigrate import CutoverPlan

    return CutoverPlan(municipality=MUNICIPALITY, register="handicap", old_system=OLD,
                       new_system=NEW, cutover=CUTOVER)


def _table(rows: list[tuple[Any, ...]]) -> Any:
    import pyarrow as pa

    return pa.table({name: [list(r[i]) if name == "target_groups" else r[i] for r in rows]
                     for i, name in enumerate(SERVICE_COLUMNS)})


def _timed(call: Any) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    """Measure both paths and print their figures."""
    from casemigrate import Service, check_services

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["100k", "1M"])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    plan = _plan()
    print(f"load average at the start: {os.getloadavg()}")
    for text in options.sizes:
        size = parse_size(text)
        rows = services_rows(load(size))
        records, table = Service.from_rows(rows), _table(rows)
        expected = check_services(records, plan, as_of=AS_OF)
        found = check_services(table, plan, as_of=AS_OF)
        assert found.counts() == {code: sum(f.code == code for f in expected)  # type: ignore[attr-defined]
                                  for code in sorted({f.code for f in expected})}
        assert found == expected
        figures: dict[str, list[tuple[float, float]]] = {"records": [], "table": []}
        for _ in range(options.runs):
            for path, services in (("records", records), ("table", table)):
                wall, cpu, _found = _timed(lambda s=services: check_services(  # type: ignore[misc]
                    s, plan, as_of=AS_OF))
                figures[path].append((wall, cpu))
        print(f"{len(rows):,} services, {len(expected):,} findings {found.counts()}")  # type: ignore[attr-defined]
        for path, times in figures.items():
            walls, cpus = [w for w, _ in times], [c for _, c in times]
            print(f"  {path:8} wall median {statistics.median(walls):.3f} s "
                  f"(min {min(walls):.3f}), cpu median {statistics.median(cpus):.3f} s")
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
