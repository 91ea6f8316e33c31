"""The benchmark harness: casemigrate against pandas, polars, DuckDB and plain Python.

Each (task, implementation, size) runs in a fresh process. The worker loads the
seeded data, prepares its native form (untimed), runs the task once to warm up, then
``--runs`` times timed. It reports the median, min and max, its peak memory (RSS),
and the result counts. The harness prints a table with every implementation's counts
beside its times, and fails when casemigrate's counts differ from those of any
correct peer.

Usage (from the repository root):

    python -m benchmarks.run                          # 10k, 100k and 1M, 5 runs
    python -m benchmarks.run --sizes 1k --runs 1 --smoke   # CI: counts only

Peers are optional: an implementation whose package is not installed is reported as
skipped (install them with ``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any

from benchmarks.data import load, parse_size
from benchmarks.tasks import TASKS, WITHOUT_PYARROW

NEEDS = {"pandas": "pandas", "pandas-shift": "pandas", "pandas-checked": "pandas",
         "polars-checked": "polars",
         "polars": "polars", "duckdb": "duckdb",
         "pandas" + WITHOUT_PYARROW: "pandas", "columnar": "numpy+pyarrow+narwhals",
         "columnar-rules": "numpy+pyarrow", "columnar-pandas": "numpy+pyarrow+pandas+narwhals",
         "columnar-danish": "numpy+pyarrow+pandas+narwhals",
         "columnar-basis": "numpy+pyarrow+narwhals",
         "cm-pandas": "pandas+narwhals", "cm-pandas-collect": "pandas+narwhals",
         "cm-polars": "polars+narwhals", "cm-polars-collect": "polars+narwhals"}



def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(task: str, impl_name: str, size: int, runs: int) -> dict[str, Any]:
    """Run one implementation of one task in this process; return its figures."""
    impl = TASKS[task][impl_name]
    if impl_name.endswith(WITHOUT_PYARROW):
        sys.modules["pyarrow"] = None  # type: ignore[assignment]  # pandas runs without it
    data = load(size)
    baseline = _rss_mb()
    prepared = impl.prepare(data)
    result = impl.run(prepared)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        again = impl.run(prepared)
        times.append(time.perf_counter() - start)
        if again != result:
            raise SystemExit(f"{task}/{impl_name}: results differ between runs")
    return {"task": task, "impl": impl_name, "size": size, "result": list(result),
            "times": times, "median": statistics.median(times), "min": min(times),
            "max": max(times), "peak_mb": _rss_mb(), "data_mb": baseline,
            "records": len(data.cases)}


def memory_per_case(size: int) -> dict[str, float]:
    """Bytes held per Case: the record, its id, its CPR and its dates.

    Shared values (the municipality, the system name) are not counted: every
    record holds the same instance.
    """
    from casemigrate import Case

    data = load(size)
    cases = Case.from_rows(data.cases)
    seen: set[int] = set()
    total = 0
    for case in cases:
        for part in (case, case.case_id, case.citizen, case.opened, case.closed,
                     case.citizen and case.citizen.unmasked()):
            if part is not None and id(part) not in seen:
                seen.add(id(part))
                total += sys.getsizeof(part)
    return {"bytes_per_case": total / len(cases), "cases": len(cases)}


def memory_columnar(size: int) -> dict[str, float]:
    """Bytes per record held by the columnar engine's validated columns."""
    from benchmarks.tasks import CASE_COLUMNS, SERVICE_COLUMNS, _arrow
    from casemigrate._columnar import _columns

    data = load(size)
    cases = _columns.cases(_arrow(data.cases, CASE_COLUMNS))
    services = _columns.services(_arrow(data.services, SERVICE_COLUMNS))
    return {"bytes_per_case_columnar": cases.nbytes / len(cases),
            "bytes_per_service_columnar": services.nbytes / len(services)}


def environment() -> str:
    """Python, the machine and every library's version, printed with the figures."""
    import platform
    from importlib import metadata

    versions = []
    for name in ("casemigrate", "numpy", "pyarrow", "pandas", "polars", "duckdb"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            memory = f"{int(handle.readline().split()[1]) / 2**20:.0f} GiB"
    except OSError:
        memory = "? GiB"
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} cores, "
            f"{memory}, load average {load_average}\n{'; '.join(versions)}")


def _available(impl: str) -> bool:
    modules = NEEDS.get(impl)
    return modules is None or all(importlib.util.find_spec(module) is not None
                                  for module in modules.split("+"))


def _spawn(arguments: list[str]) -> dict[str, Any]:
    environment = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-m", "benchmarks.run", *arguments],
                          capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        raise SystemExit(f"worker {arguments} failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _merged(figures: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure from the rounds of one implementation: the median over all runs."""
    times = [t for figure in figures for t in figure["times"]]
    if any(figure["result"] != figures[0]["result"] for figure in figures):
        raise SystemExit(f"{figures[0]['impl']}: results differ between rounds")
    return {**figures[0], "times": times, "median": statistics.median(times),
            "min": min(times), "max": max(times),
            "peak_mb": max(figure["peak_mb"] for figure in figures)}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def main(argv: list[str] | None = None) -> int:
    """Run the suite; returns the exit code (1 when casemigrate's counts are wrong)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--impls", default="")
    parser.add_argument("--rounds", type=int, default=1,
                        help="interleave: every implementation once per round, in turn; "
                             "the median is over the runs of every round")
    parser.add_argument("--reference", default="casemigrate",
                        help="the implementation whose counts every correct peer must match")
    parser.add_argument("--smoke", action="store_true",
                        help="counts only: no timings are printed")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--worker", nargs=4, metavar=("TASK", "IMPL", "SIZE", "RUNS"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--memory-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--columnar-memory-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        task, impl, size, runs = args.worker
        print(json.dumps(worker(task, impl, int(size), int(runs))))
        return 0
    if args.memory_worker:
        print(json.dumps(memory_per_case(args.memory_worker)))
        return 0
    if args.columnar_memory_worker:
        print(json.dumps(memory_columnar(args.columnar_memory_worker)))
        return 0

    sizes = [parse_size(text) for text in args.sizes.split(",")]
    tasks = [t for t in args.tasks.split(",") if t]
    only = {i for i in args.impls.split(",") if i}
    figures: list[dict[str, Any]] = []
    failures: list[str] = []
    print(f"{environment()}\nruns per measurement: {args.runs}")
    for size in sizes:
        load(size)  # generate once, cached for the workers
        for task in tasks:
            chosen = []
            for impl_name, impl in TASKS[task].items():
                if only and impl_name not in only and impl_name != args.reference:
                    continue
                if not _available(impl_name):
                    print(f"  {task} {impl_name}: skipped ({NEEDS[impl_name]} not installed)")
                    continue
                chosen.append((impl_name, impl))
            rounds: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in chosen}
            for _ in range(args.rounds):
                for impl_name, _impl in chosen:
                    rounds[impl_name].append(
                        _spawn(["--worker", task, impl_name, str(size), str(args.runs)]))
            rows = []
            for impl_name, impl in chosen:
                figure = _merged(rounds[impl_name])
                figure["correct"] = impl.correct
                rows.append(figure)
            figures += rows
            ours = next(r for r in rows if r["impl"] == args.reference)
            print(f"\n{task}, {size:,} records")
            columnar = next((r for r in rows if r["impl"] == "columnar"), None)
            header = f"  {'implementation':<18} {'result':<18}"
            if not args.smoke:
                header += (f" {'median ms':>10} {'min ms':>9} {'max ms':>9} {'peak MB':>8}"
                           f" {'cm/peer' if args.reference == 'casemigrate' else 'ref/peer':>8}")
                if columnar:
                    header += f" {'col/peer':>8}"
            print(header)
            for row in rows:
                line = f"  {row['impl']:<18} {tuple(row['result'])!s:<18}"
                if not args.smoke:
                    ratio = ours["median"] / row["median"] if row["median"] else float("inf")
                    line += (f" {_ms(row['median']):>10} {_ms(row['min']):>9}"
                             f" {_ms(row['max']):>9} {row['peak_mb']:>8.0f} {ratio:>8.2f}")
                    if columnar:
                        line += f" {columnar['median'] / row['median']:>8.2f}"
                if not row["correct"]:
                    line += "  (wrong by design: compares with the previous row only)"
                print(line)
                if row["correct"] and row["result"] != ours["result"]:
                    failures.append(f"{task} at {size:,}: {args.reference} {ours['result']} but "
                                    f"{row['impl']} {row['result']}")
        if "construction" in tasks and not only:
            memory = _spawn(["--memory-worker", str(size)])
            figures.append({"task": "memory", "size": size, **memory})
            print(f"\nmemory, {size:,} records: {memory['bytes_per_case']:.0f} bytes per Case "
                  "held (record, id, CPR, dates)")
            if _available("columnar"):
                held = _spawn(["--columnar-memory-worker", str(size)])
                figures.append({"task": "memory-columnar", "size": size, **held})
                print(f"memory, {size:,} records, columnar: "
                      f"{held['bytes_per_case_columnar']:.1f} bytes per case, "
                      f"{held['bytes_per_service_columnar']:.1f} per service held")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=1)
    if failures:
        print("\nFAILED: casemigrate's counts differ from a correct peer's:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("\nall counts agree with the correct peers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
