"""A table's validation in the columnar engine, in CPU time, across source trees.

Measured on the benchmark data as Arrow tables with the fields' names: ``duplicates``
(the public ``find_duplicate_active_cases`` on the cases table, validation included,
counted without building a ``Finding``), ``detection`` (the same from columns
validated untimed) and ``construction`` (the cases and services tables validated into
columns, the step every table input takes); and, for scale, ``pandas`` (the benchmark's
pandas duplicates, which validates nothing), where pandas is installed. Each tree
runs in a fresh process, the trees take turns round after round (interleaved), and
the time is the process's CPU time, which other jobs on a shared machine do not
inflate as they do wall time.

Usage (from the repository root; a tree is a directory holding ``casemigrate/``; the
benchmarks are always this tree's):

    git archive <before> casemigrate | tar -x -C /tmp/before
    python -m benchmarks.validation --sizes 100k,1M --rounds 3 --trees /tmp/before,.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

TASKS = ("duplicates", "detection", "construction", "pandas")


def _measure(size: int, runs: int) -> dict[str, Any]:
    from benchmarks.data import load
    from benchmarks.tasks import (
        CASE_COLUMNS,
        SERVICE_COLUMNS,
        _arrow,
        _columns_of,
        _pd_frame,
        col_construction,
        col_duplicates_counted,
        col_rules_duplicates,
        pd_duplicates,
    )

    data = load(size)
    cases, services = _arrow(data.cases, CASE_COLUMNS), _arrow(data.services, SERVICE_COLUMNS)
    validated = _columns_of("cases", data.cases, CASE_COLUMNS)
    jobs = {"duplicates": lambda: col_duplicates_counted(cases),
            "detection": lambda: col_rules_duplicates(validated),
            "construction": lambda: col_construction((cases, services))}
    try:
        frame = _pd_frame(data.cases, CASE_COLUMNS, ["opened", "closed"])
        jobs["pandas"] = lambda: pd_duplicates(frame)
    except ImportError:
        pass
    figures: dict[str, Any] = {}
    for name, job in jobs.items():
        result = job()  # warm-up
        times = []
        for _ in range(runs):
            start = time.process_time()
            if job() != result:
                raise SystemExit(f"{name}: results differ between runs")
            times.append(time.process_time() - start)
        figures[name] = {"times": times, "result": list(result)}
    return figures


def _median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1e3:.1f}" if times else "-"


def _size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text.rstrip("km")) * {"k": 1_000, "m": 1_000_000}.get(text[-1], 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--trees", default=".")
    parser.add_argument("--worker", nargs=2, metavar=("SIZE", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_measure(int(args.worker[0]), int(args.worker[1]))))
        return
    trees = [os.path.abspath(tree) for tree in args.trees.split(",")]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for size in (_size(text) for text in args.sizes.split(",")):
        times: dict[str, dict[str, list[float]]] = {t: {n: [] for n in TASKS} for t in trees}
        results: dict[str, list[Any]] = {}
        for _ in range(args.rounds):
            for tree in trees:
                env = dict(os.environ, PYTHONPATH=os.pathsep.join([tree, here]))
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.validation", "--worker", str(size),
                     str(args.runs)], env=env, capture_output=True, text=True, check=True,
                    cwd=tempfile.gettempdir())  # so that the tree, not this one, is imported
                figures = json.loads(out.stdout)
                for name in TASKS:
                    if name not in figures:
                        continue
                    times[tree][name] += figures[name]["times"]
                    if results.setdefault(name, figures[name]["result"]) != figures[name][
                            "result"]:
                        raise SystemExit(f"{name}: the trees' results differ")
        for name in TASKS:
            line = ", ".join(f"{t} {_median_ms(times[t][name])}" for t in trees)
            print(f"{size:>9,} {name:<13} CPU ms (median of {args.rounds * args.runs}): {line}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
