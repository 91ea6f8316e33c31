"""How big and how fast the report's views are, for a report of many findings.

A report like a 55,000-case municipality's: 18,000 blocking cases (CM206), 148
duplicates (CM204), one overdue milestone and one check that could not run. Prints the
size in bytes and the best of ``--runs`` times of each view.

Usage (from the repository root):

    python -m benchmarks.views                 # 18,000 findings, best of 5
    python -m benchmarks.views --findings 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable

from casemigrate import CutoverPlan, Finding, Report, plan_timeline, sort_findings
from casemigrate._text import Term
from casemigrate.findings import CHECK_NOT_APPLICABLE
from casemigrate.overlap import BLOCKING_ACTIVE_CASE, DUPLICATE_ACTIVE_CASES
from casemigrate.plan import MILESTONE_OVERDUE


def report(findings: int, language: str = "en") -> Report:
    made = [Finding.of(BLOCKING_ACTIVE_CASE, (f"OLD-{i:06d}",), case=f"OLD-{i:06d}",
                       system="Old", deadline="2026-05-22") for i in range(findings)]
    made += [Finding.of(DUPLICATE_ACTIVE_CASES, (f"OLD-{i:06d}", f"NEW-{i:06d}"), count=2,
                        day="2026-06-03") for i in range(148)]
    made.append(Finding.of(MILESTONE_OVERDUE, ("rereport_active_courses",),
                           title=Term("Re-report", da="Genindberet"), latest="2026-06-15",
                           as_of="2026-06-17"))
    made.append(Finding.of(CHECK_NOT_APPLICABLE, ("find_reporting_overlap",),
                           check="find_reporting_overlap",
                           reason=Term("no deliveries were given",
                                       da="der er ikke givet nogen leverancer")))
    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=dt.date(2026, 6, 1))
    return Report(plan=plan, as_of=dt.date(2026, 6, 17), language=language,
                  timeline=plan_timeline(plan), findings=sort_findings(made), checks=())


def best(run: Callable[[], str], runs: int) -> tuple[int, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        text = run()
        times.append(time.perf_counter() - start)
    return len(text.encode()), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=18_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    r = report(args.findings)
    print(f"report of {len(r.findings):,} findings")
    for name, run in (("_repr_html_", r._repr_html_), ("str", lambda: str(r)),
                      ("repr", lambda: repr(r)),
                      ("timeline svg", lambda: r.timeline.to_svg(as_of=r.as_of))):
        size, seconds = best(run, args.runs)
        print(f"  {name:<13} {size:>10,} bytes  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
