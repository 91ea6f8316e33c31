"""Keyword construction, ``Case(...)`` and ``Service(...)`` one at a time, in CPU time.

And, for comparison, ``Case.from_rows`` and ``Service.from_rows`` over the same rows.

Compares source trees of casemigrate on a shared machine: each tree runs in a fresh
process, the trees take turns round after round (interleaved), and the time is the
process's CPU time, which other jobs on the machine do not inflate as they do wall
time. Each process builds the benchmark data's cases and services with keyword
arguments, once to warm up and then ``--runs`` times, and reports the median
microseconds per record.

Usage (from the repository root; a tree is a directory holding ``casemigrate/``; the
benchmarks are always this tree's):

    python -m benchmarks.keywords --size 100k --rounds 5 --trees /tmp/before,.
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


def _measure(size: int, runs: int) -> dict[str, Any]:
    from benchmarks.data import load
    from casemigrate import Case, Service

    data = load(size)
    cases, services = data.cases, data.services

    def build_cases() -> int:
        return len([Case(case_id=r[0], municipality=r[1], citizen=r[2], system=r[3],
                         opened=r[4], closed=r[5]) for r in cases])

    def build_services() -> int:
        return len([Service(service_id=r[0], municipality=r[1], citizen=r[2], code=r[3],
                            target_groups=r[4], start=r[5], end=r[6], system=r[7])
                    for r in services])

    def rows() -> int:
        return len(Case.from_rows(cases)) + len(Service.from_rows(services))

    figures: dict[str, Any] = {"records": {"Case": len(cases), "Service": len(services)}}
    for name, build, count in (("Case", build_cases, len(cases)),
                               ("Service", build_services, len(services)),
                               ("from_rows", rows, len(cases) + len(services))):
        build()  # warm-up: the shared municipalities, systems and codes are filled
        times = []
        for _ in range(runs):
            start = time.process_time()
            build()
            times.append((time.process_time() - start) / count * 1e6)
        figures[name] = statistics.median(times)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--trees", default=".")
    parser.add_argument("--worker", nargs=2, metavar=("SIZE", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_measure(int(args.worker[0]), int(args.worker[1]))))
        return
    from benchmarks.data import parse_size

    size = parse_size(args.size)
    trees = [os.path.abspath(tree) for tree in args.trees.split(",")]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    names = ("Case", "Service", "from_rows")
    results: dict[str, dict[str, list[float]]] = {t: {n: [] for n in names} for t in trees}
    for _ in range(args.rounds):
        for tree in trees:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([tree, here]))
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.keywords", "--worker", str(size),
                 str(args.runs)], env=env, capture_output=True, text=True, check=True,
                cwd=tempfile.gettempdir())  # so that the tree, not this one, is imported
            figures = json.loads(out.stdout)
            for name in names:
                results[tree][name].append(figures[name])
    for tree in trees:
        medians = ", ".join(f"{n} {statistics.median(results[tree][n]):.2f}" for n in names)
        spread = ", ".join(f"{n} {min(results[tree][n]):.2f}-{max(results[tree][n]):.2f}"
                           for n in names)
        print(f"{tree}: {medians} µs CPU per record "
              f"(median of {args.rounds} rounds; range {spread})")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
