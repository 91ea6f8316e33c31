"""Turn the figures of ``python -m benchmarks.run --json FILE`` into Markdown tables.

    python -m benchmarks.report FILE

Prints, per task and size, the median of every implementation, its result counts,
and the ratio casemigrate / implementation (below 1: casemigrate is faster).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any


def tables(figures: list[dict[str, Any]]) -> str:
    """The Markdown tables of a run's figures."""
    by: defaultdict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    memory = []
    for figure in figures:
        if figure["task"].startswith("memory"):
            memory.append(figure)
        else:
            by[(figure["task"], figure["size"])].append(figure)
    lines: list[str] = []
    for task in dict.fromkeys(task for task, _ in by):
        lines += [f"### {task}", "",
                  "| records | implementation | result | median ms | min ms | max ms "
                  "| peak MB | casemigrate / it | columnar / it |",
                  "|---:|---|---|---:|---:|---:|---:|---:|---:|"]
        for (name, size), rows in by.items():
            if name != task:
                continue
            ours = next(r for r in rows if r["impl"] == "casemigrate")
            columnar = next((r for r in rows if r["impl"] == "columnar"), None)
            for row in rows:
                ratio = ours["median"] / row["median"]
                versus = "" if columnar is None else f"{columnar['median'] / row['median']:.2f}"
                mark = "" if row.get("correct", True) else " (wrong)"
                lines.append(
                    f"| {size:,} | {row['impl']}{mark} | {tuple(row['result'])} | "
                    f"{row['median'] * 1000:,.1f} | {row['min'] * 1000:,.1f} | "
                    f"{row['max'] * 1000:,.1f} | {row['peak_mb']:,.0f} | {ratio:.2f} | "
                    f"{versus} |")
        lines.append("")
    if memory:
        lines += ["### memory", "", "| records | held per record |", "|---:|---|"]
        for m in memory:
            if m["task"] == "memory":
                lines.append(f"| {m['size']:,} | {m['bytes_per_case']:.0f} bytes per Case |")
            else:
                lines.append(f"| {m['size']:,} | columnar: "
                             f"{m['bytes_per_case_columnar']:.1f} bytes per case, "
                             f"{m['bytes_per_service_columnar']:.1f} per service |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(tables(json.load(handle)))
