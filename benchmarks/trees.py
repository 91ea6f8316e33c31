"""The suite's tasks on several source trees, interleaved, in wall and CPU time.

For a change to casemigrate: the same tasks (``duplicates``, ``overlap``, ``merge``,
``construction``, ...) of the same implementations (``casemigrate``, the record path,
by default; ``columnar``, ``columnar-rules``, ... for the engine; a peer such as
``pandas`` for scale) run by the code before it and by the code after it, in turns, so
that both meet the same load on a shared machine. Each (tree, task, implementation,
size) runs in a fresh process that imports casemigrate from its tree (the benchmarks
are always this tree's): it prepares its input untimed, runs once to warm up, then
``--runs`` times, timing each run's wall time and its CPU time
(``time.process_time``, which other jobs on the machine inflate far less). The trees
take turns, round after round. The results of every tree must be equal.

Usage (from the repository root; a tree is a directory holding ``casemigrate/``, such
as a ``git worktree`` of the commit before):

    python -m benchmarks.trees --tasks duplicates,overlap --sizes 100k --rounds 3 \\
        --trees /tmp/before,.
    python -m benchmarks.trees --tasks duplicates,construction --sizes 100k,1M \\
        --impls columnar,columnar-rules,pandas --trees /tmp/before,.

An implementation a task does not have is skipped.
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


def _measure(task: str, size: int, runs: int, tree: str | None = None,
             impl_name: str = "casemigrate") -> dict[str, Any]:
    if tree is not None:  # casemigrate from the tree; the benchmarks stay this tree's
        sys.path.insert(0, tree)
    import casemigrate
    from benchmarks.data import load
    from benchmarks.tasks import TASKS

    impl = TASKS[task][impl_name]
    prepared = impl.prepare(load(size))
    result = impl.run(prepared)  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        again = impl.run(prepared)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        if again != result:
            raise SystemExit(f"{task}: results differ between runs")
    return {"result": list(result), "wall": walls, "cpu": cpus,
            "casemigrate": os.path.realpath(os.path.dirname(os.path.dirname(
                casemigrate.__file__))),
            "load": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    """Run the rounds; print each tree's medians. Returns 1 when the trees' results differ."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", default="duplicates,overlap,merge,construction")
    parser.add_argument("--sizes", default="100k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--impls", default="casemigrate")
    parser.add_argument("--trees", default=".")
    parser.add_argument("--worker", nargs=5, metavar=("TASK", "SIZE", "RUNS", "TREE", "IMPL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        task, size, runs, tree, impl = args.worker
        print(json.dumps(_measure(task, int(size), int(runs), tree, impl)))
        return 0
    from benchmarks.data import parse_size
    from benchmarks.tasks import TASKS

    trees = [os.path.realpath(tree) for tree in args.trees.split(",")]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}; {args.rounds} rounds of "
          f"{args.runs} runs")
    failed = 0
    for size in map(parse_size, args.sizes.split(",")):
        for task, impl in ((task, impl) for task in args.tasks.split(",")
                           for impl in args.impls.split(",") if impl in TASKS[task]):
            figures: dict[str, list[dict[str, Any]]] = {tree: [] for tree in trees}
            for _ in range(args.rounds):
                for tree in trees:
                    env = dict(os.environ, PYTHONPATH=here)
                    done = subprocess.run(
                        [sys.executable, "-m", "benchmarks.trees", "--worker", task, str(size),
                         str(args.runs), tree, impl], env=env, capture_output=True, text=True,
                        check=True, cwd=tempfile.gettempdir())
                    figure = json.loads(done.stdout.strip().splitlines()[-1])
                    if figure["casemigrate"] != tree:
                        raise SystemExit(f"{tree}: imported casemigrate from "
                                         f"{figure['casemigrate']}")
                    figures[tree].append(figure)
            results = {tuple(f["result"]) for rounds in figures.values() for f in rounds}
            if len(results) > 1:
                failed = 1
            for tree in trees:
                walls = [t for f in figures[tree] for t in f["wall"]]
                cpus = [t for f in figures[tree] for t in f["cpu"]]
                loads = [f["load"] for f in figures[tree]]
                print(f"{task:<13} {impl:<15} {size:>9,} {tree}: wall "
                      f"{statistics.median(walls) * 1e3:,.1f} ms (min {min(walls) * 1e3:,.1f}), "
                      f"CPU {statistics.median(cpus) * 1e3:,.1f}"
                      f" ms (min {min(cpus) * 1e3:,.1f}), load {min(loads):.1f}-{max(loads):.1f}, "
                      f"result {figures[tree][0]['result']}")
            if len(results) > 1:
                print(f"{task} {impl} {size:,}: the trees' results differ: {sorted(results)}")
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
