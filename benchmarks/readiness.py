"""``check_readiness`` on tables as a user calls it: time and peak memory, two code trees.

    python -m benchmarks.readiness --cases 50k --services 1M --runs 3 \\
        [--before /path/to/another/checkout]

An SMDB plan with a pandas frame of cases as a Danish CSV export holds it (every value
text, dates ``31-12-2025``, read with ``dayfirst=True``), and a HANDICAP plan with an
Arrow table of services (a vendor's converter). Each run is a fresh process, so its
peak RSS is its own; with ``--before``, the runs of the two trees alternate, so load
on the machine falls on both alike. Prints one line per run and the medians, with the
load average.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.data import AS_OF, CACHE, CUTOVER, MUNICIPALITY, NEW, OLD, load, parse_size

SERVICE_FIELDS = ["service_id", "municipality", "citizen", "code", "target_groups", "start",
                  "end", "system"]
CASE_FIELDS = ["case_id", "municipality", "citizen", "system", "opened", "closed"]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _input(kind: str, size: int) -> Any:
    """The table of the run, from a file written once (so the process holds only it).

    Cases: a CSV export read by pandas as text (``dtype=str``); services: an Arrow
    IPC file read into memory.
    """
    import pandas as pd
    from pyarrow import feather

    path = CACHE / f"readiness-{kind}-{size}.{'csv' if kind == 'smdb' else 'arrow'}"
    if not path.exists():
        from benchmarks.tasks import _arrow, _danish_csv

        CACHE.mkdir(parents=True, exist_ok=True)
        if kind == "smdb":
            _danish_csv(load(size).cases[:size], CASE_FIELDS).to_csv(path, index=False)
        else:
            data = load(int(size * 0.8))  # about 1.25 services per case
            feather.write_feather(_arrow(data.services[:size], SERVICE_FIELDS), str(path))
    if kind == "smdb":
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return feather.read_table(str(path), memory_map=False)


def worker(kind: str, size: int) -> dict[str, Any]:
    """One check_readiness call in this process: its time, CPU time and peak memory."""
    import gc

    from benchmarks.tasks import _READ_DANISH
    from casemigrate import CutoverPlan, check_readiness

    table = _input(kind, size)
    if kind == "smdb":
        columns = {k: v for k, v in _READ_DANISH["columns"].items() if k in table.columns}
        options = {"cases": table, "columns": columns, "dayfirst": True}
    else:
        options = {"services": table}
    plan = CutoverPlan(municipality=MUNICIPALITY, register=kind, old_system=OLD,
                       new_system=NEW, cutover=CUTOVER)
    gc.collect()
    before = _peak_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    report = check_readiness(plan, as_of=AS_OF, errors="collect", **options)
    called = time.perf_counter() - wall
    cpu_called = time.process_time() - cpu
    began = time.perf_counter()
    summary = (report.ok, report.counts_by_code, report.render(limit_per_code=5))
    viewed = time.perf_counter() - began
    return {"kind": kind, "rows": len(table), "seconds": called, "cpu_seconds": cpu_called,
            "view_seconds": viewed, "peak_mb": _peak_mb(), "peak_before_mb": before,
            "findings": len(report.findings), "counts": summary[1],
            "load": os.getloadavg()[0],
            "module": str(Path(sys.modules["casemigrate"].__file__ or "").parent.parent)}


def _spawn(tree: str, kind: str, size: int) -> dict[str, Any]:
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [tree, str(Path(__file__).resolve().parent.parent)]))
    # Not run from a checkout's root: ``-m`` puts the working directory first on the
    # path, and the tree under test must come first.
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.readiness", "--worker", kind, "--size", str(size)],
        capture_output=True, text=True, env=environment, check=True, cwd=str(CACHE))
    figure: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    figure["tree"] = figure.pop("module")
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readiness")
    parser.add_argument("--cases", default="50k")
    parser.add_argument("--services", default="1M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="another checkout's root, run alternately")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.size)))
        return 0
    here = str(Path(__file__).resolve().parent.parent)
    trees = {"after": here} if not args.before else {"before": args.before, "after": here}
    figures: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for kind, size in (("smdb", parse_size(args.cases)), ("handicap", parse_size(args.services))):
        for run in range(args.runs):
            for name, tree in trees.items():
                figure = _spawn(tree, kind, size)
                figures.setdefault((kind, name), []).append(figure)
                assert Path(figure["tree"]).resolve() == Path(tree).resolve(), figure["tree"]
                print(f"{kind:8} {name:6} run {run + 1}: {figure['seconds']:7.2f} s "
                      f"(cpu {figure['cpu_seconds']:6.2f} s, view {figure['view_seconds']:.3f} s)"
                      f", peak {figure['peak_mb']:7.0f} MB (table in: "
                      f"{figure['peak_before_mb']:.0f} MB), {figure['findings']} findings, "
                      f"load {figure['load']:.2f}", flush=True)
    print("\nmedians:")
    for (kind, name), runs in figures.items():
        print(f"{kind:8} {name:6} {runs[0]['rows']:>9,} rows: "
              f"{statistics.median(r['seconds'] for r in runs):7.2f} s, cpu "
              f"{statistics.median(r['cpu_seconds'] for r in runs):6.2f} s, peak "
              f"{statistics.median(r['peak_mb'] for r in runs):7.0f} MB")
    print(f"load average: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
