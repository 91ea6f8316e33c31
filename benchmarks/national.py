"""A whole country on one machine: a seeded synthetic national data set, run partition by partition.

The data set is the 98 municipalities (their real codes), about 15 million cases and
50 million services in all, generated one municipality at a time straight into Arrow
tables with numpy (no Python object per row), so that one partition at a time is in
memory. The rows look like ``benchmarks.data``'s (the same skew of cases per citizen,
about a quarter active, durations from a day to eleven years, two systems around a
cutover, the same mistakes in the re-created services: lost history, closure at the
cutover), with several services per case and a few cases without a citizen (CM205).

**Sizes.** The repository holds no population figures, so the municipalities' shares
follow a Zipf-Mandelbrot law, ``share ∝ 1 / (rank + 1)``: the largest holds 12 % of
the country, the median 0.48 %, the smallest 0.24 % (50 times fewer). København,
Aarhus, Odense and Aalborg take ranks 1 to 4; the other 94 codes get ranks 5 to 98 in a
seeded random order. This is a documented skew, not the real population.

Every rule the runner calls groups by a key that starts with the municipality
(duplicates: municipality and citizen; overlaps: municipality, citizen and service
code), so running each municipality apart loses nothing: ``tests/test_national.py``
checks that the partitioned findings equal one run over the concatenated tables.

Usage (from the repository root; the full run is out of CI's budget)::

    python -m benchmarks.national                       # the whole country
    python -m benchmarks.national --cases 150k          # a 1 % country, same skew
    python -m benchmarks.national --codes 101,825       # some municipalities only
    python -m benchmarks.national --json /tmp/national.json

Per partition it prints the rows, the generation time (not counted), the time of each
public table call (validation, detection and the findings exported with
``to_arrow()``), the counts per code and the peak resident memory of the partition
(``VmHWM``, reset before each partition through ``/proc/self/clear_refs``; where the
kernel refuses the reset, the process's ``ru_maxrss`` so far).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.data import AS_OF, CODES, CUTOVER, EPOCH, GROUPS, NEW, OLD, parse_size
from casemigrate._municipalities import MUNICIPALITIES

CASES = 15_000_000
SERVICES_PER_CASE = 1.8  # Poisson mean of services per case beyond the first: ~50M in all
SEED = 2026
LARGEST = (101, 751, 461, 851)  # København, Aarhus, Odense, Aalborg
NO_CITIZEN_SHARE = 0.0005  # cases without a CPR number (CM205)

_DAY0 = np.datetime64("1970-01-01", "D")
_CUT = int((np.datetime64(CUTOVER, "D") - _DAY0).astype(np.int64))
_EPOCH = int((np.datetime64(EPOCH, "D") - _DAY0).astype(np.int64))
_BORN = int((np.datetime64("1930-01-01", "D") - _DAY0).astype(np.int64))


def shares(seed: int = SEED) -> dict[int, float]:
    """Each municipality's share of the country: ``1 / (rank + 1)``, normalised."""
    rng = np.random.default_rng(seed)
    rest = [code for code in MUNICIPALITIES if code not in LARGEST]
    ranked = list(LARGEST) + [rest[i] for i in rng.permutation(len(rest))]
    weights = 1 / (np.arange(1, len(ranked) + 1) + 1.0)
    weights /= weights.sum()
    return dict(zip(ranked, weights.tolist(), strict=True))


def sizes(cases: int = CASES, seed: int = SEED) -> dict[int, int]:
    """Cases per municipality, largest first, summing to ``cases`` (at least 1 each)."""
    found = {code: max(1, round(share * cases)) for code, share in shares(seed).items()}
    largest = next(iter(found))
    found[largest] += cases - sum(found.values())
    return found


def _strings(prefix: str, numbers: Any, suffix: str = "") -> pa.Array:
    """``f"{prefix}{n}{suffix}"`` for every number, in Arrow."""
    text = pa.array(numbers).cast(pa.string())
    return pc.binary_join_element_wise(prefix, text, suffix, "")


def _cpr_numbers(rng: np.random.Generator, size: int) -> pa.Array:
    """Random valid CPR numbers, ``DDMMYY-SSSS``, born 1930-2009, built from bytes."""
    days = _DAY0 + (_BORN + rng.integers(0, 29_200, size))
    years = days.astype("M8[Y]").astype(np.int64) + 1970
    months = days.astype("M8[M]")
    day = (days - months.astype("M8[D]")).astype(np.int64) + 1
    month = months.astype(np.int64) % 12 + 1
    seventh = np.where(years < 2000, rng.integers(0, 4, size), 4)
    serial = rng.integers(0, 1000, size)
    digits = np.empty((size, 11), dtype=np.uint8)
    for place, (value, width) in enumerate(((day, 2), (month, 2), (years % 100, 2))):
        digits[:, 2 * place] = value // 10 ** (width - 1) + 48
        digits[:, 2 * place + 1] = value % 10 + 48
    digits[:, 6] = ord("-")
    digits[:, 7] = seventh + 48
    for place in range(3):
        digits[:, 8 + place] = serial // 10 ** (2 - place) % 10 + 48
    offsets = np.arange(0, 11 * (size + 1), 11, dtype=np.int32)
    return pa.StringArray.from_buffers(size, pa.py_buffer(offsets),
                                       pa.py_buffer(digits.tobytes()))


def _days(values: Any, missing: Any = None) -> pa.Array:
    """Day numbers as an Arrow ``date32`` column, null where ``missing``."""
    array = pa.array(values.astype(np.int32), type=pa.int32(), mask=missing)
    return array.view(pa.date32())


def _groups(rng: np.random.Generator, size: int) -> pa.Array:
    """Target groups, one of ``benchmarks.data.GROUPS`` per service, as a list column."""
    flat = pa.array([group for groups in GROUPS for group in groups], type=pa.string())
    lengths = np.array([len(groups) for groups in GROUPS], dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    chosen = rng.integers(0, len(GROUPS), size)
    count = lengths[chosen]
    offsets = np.concatenate(([0], np.cumsum(count)))
    within = np.arange(int(offsets[-1])) - np.repeat(offsets[:-1], count)
    values = flat.take(pa.array(np.repeat(first[chosen], count) + within))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values)


def partition(code: int, cases: int, seed: int = SEED) -> tuple[pa.Table, pa.Table]:
    """One municipality's cases and services, as Arrow tables with the fields' names."""
    rng = np.random.default_rng([seed, code])
    # Citizens: as benchmarks.data, int(Pareto(1.6)) plus a coin of cases, at most 40.
    per: list[Any] = []
    total = 0
    while total < cases:
        more = np.minimum((1 + rng.pareto(1.6, cases // 2 + 16)).astype(np.int64)
                          + (rng.random(cases // 2 + 16) < 0.5), 40)
        per.append(more)
        total += int(more.sum())
    counts = np.concatenate(per)
    ends = np.cumsum(counts)
    citizens = int(np.searchsorted(ends, cases)) + 1
    counts = counts[:citizens]
    counts[-1] -= int(ends[citizens - 1]) - cases
    citizen = np.repeat(np.arange(citizens), counts)
    cprs = _cpr_numbers(rng, citizens)
    without = rng.random(cases) < NO_CITIZEN_SHARE

    horizon = _CUT - _EPOCH
    opened = _EPOCH + rng.integers(0, horizon, cases)
    active = rng.random(cases) < 0.25
    duration = (2 ** rng.uniform(0, 12, cases)).astype(np.int64)
    closed = np.minimum(opened + duration, _CUT - 1)
    in_new = active & (rng.random(cases) < 0.35)
    systems = pa.array([OLD, NEW], type=pa.string())
    case_table = pa.table({
        "case_id": _strings(f"{code}-C", np.arange(cases)),
        "municipality": pa.array(np.full(cases, code, dtype=np.int16)),
        "citizen": pc.if_else(pa.array(without), pa.scalar(None, pa.string()),
                              cprs.take(pa.array(citizen))),
        "system": systems.take(pa.array(in_new.astype(np.int8))),
        "opened": _days(np.where(in_new, np.maximum(opened, _CUT), opened)),
        "closed": _days(closed, active),
    })

    # Services: one per case and a Poisson number more, within the case's life.
    count = 1 + rng.poisson(SERVICES_PER_CASE, cases)
    case = np.repeat(np.arange(cases), count)
    first = np.concatenate(([True], case[1:] != case[:-1]))
    size = len(case)
    last = np.where(active, _CUT - 1, closed)[case]
    start = opened[case] + (rng.random(size) * (last - opened[case] + 1)).astype(np.int64)
    live = active[case] & (first | (rng.random(size) < 0.6))
    end = np.minimum(start + (2 ** rng.uniform(0, 12, size)).astype(np.int64), last)
    code_of = (rng.random(size) ** 2 * len(CODES)).astype(np.int64)  # some far commoner
    groups = _groups(rng, size)
    # Active services re-created in the new system: mostly right; some with the
    # cutover as start (lost history, CM303), some closed on the cutover in the old
    # system (CM302).
    twist = rng.random(size)
    old_end = np.where(live, _CUT, end)
    still_open = live & (twist <= 0.97)
    recreated = np.flatnonzero(live)
    new_start = np.where(twist[recreated] < 0.04, _CUT, start[recreated])
    ids = np.arange(size)
    names = pa.array(list(CODES), type=pa.string())
    both = len(recreated)
    service_table = pa.table({
        "service_id": pa.concat_arrays([_strings(f"{code}-S", ids),
                                        _strings(f"{code}-S", recreated, "'")]),
        "municipality": pa.array(np.full(size + both, code, dtype=np.int16)),
        "citizen": cprs.take(pa.array(np.concatenate((citizen[case],
                                                      citizen[case[recreated]])))),
        "code": names.take(pa.array(np.concatenate((code_of, code_of[recreated])))),
        "target_groups": pa.concat_arrays([groups, groups.take(pa.array(recreated))]),
        "start": _days(np.concatenate((start, new_start))),
        "end": _days(np.concatenate((old_end, np.zeros(both, dtype=np.int64))),
                     np.concatenate((still_open, np.ones(both, dtype=bool)))),
        "system": systems.take(pa.array(np.concatenate((np.zeros(size, dtype=np.int8),
                                                         np.ones(both, dtype=np.int8))))),
    })
    return case_table, service_table


def national(cases: int = CASES, seed: int = SEED, codes: set[int] | None = None
             ) -> Iterator[tuple[int, pa.Table, pa.Table]]:
    """``(code, cases, services)`` for every municipality, largest first, one at a time."""
    for code, count in sizes(cases, seed).items():
        if codes is None or code in codes:
            yield (code, *partition(code, count, seed))


# ---- the public calls a partition runs -------------------------------------------------

def check(cases: pa.Table, services: pa.Table) -> tuple[Any, Any]:
    """The two rules on one partition, as a user calls them: findings as lazy tables."""
    from casemigrate import find_duplicate_active_cases, find_service_overlaps

    duplicates = find_duplicate_active_cases(cases, as_of=AS_OF)
    overlaps = find_service_overlaps(services, cutover=CUTOVER, old_system=OLD,
                                     new_system=NEW, within_system=True)
    return duplicates, overlaps


def _peak_reset() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _peak_mb(reset: bool) -> float:
    if reset:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_partition(code: int, count: int, seed: int, readiness: bool) -> dict[str, Any]:
    """Generate one partition, run the public table calls on it, and measure."""
    reset = _peak_reset()
    cpu = time.process_time()
    began = time.perf_counter()
    cases, services = partition(code, count, seed)
    made = time.perf_counter()
    duplicates, overlaps = check(cases, services)
    exported = duplicates.to_arrow().num_rows + overlaps.to_arrow().num_rows
    done = time.perf_counter()
    counts = Counter(duplicates.counts()) + Counter(overlaps.counts())
    figure = {
        "code": code, "cases": cases.num_rows, "services": services.num_rows,
        "table_mb": (cases.nbytes + services.nbytes) / 2**20,
        "generate_s": made - began, "rules_s": done - made,
        "cpu_s": time.process_time() - cpu, "findings": exported,
        "counts": dict(sorted(counts.items())), "peak_mb": _peak_mb(reset),
        "peak_is_partition": reset, "load": os.getloadavg()[0],
    }
    if readiness:
        figure["readiness_s"] = _readiness(code, cases, services)
    return figure


def _readiness(code: int, cases: pa.Table, services: pa.Table) -> float:
    """``check_readiness`` on the partition's tables (a HANDICAP plan: the services)."""
    from casemigrate import CutoverPlan, check_readiness

    plan = CutoverPlan(municipality=code, register="handicap", old_system=OLD,
                       new_system=NEW, cutover=CUTOVER)
    began = time.perf_counter()
    check_readiness(plan, cases=cases, services=services, as_of=AS_OF)
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.national")
    parser.add_argument("--cases", default="15M", help="cases in the whole country")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--codes", default="", help="only these municipality codes")
    parser.add_argument("--readiness", action="store_true",
                        help="also time check_readiness on each partition")
    parser.add_argument("--json", help="write every partition's figures to this file")
    args = parser.parse_args(argv)
    from benchmarks.run import environment

    codes = {int(c) for c in args.codes.split(",") if c} or None
    plan = {c: n for c, n in sizes(parse_size(args.cases), args.seed).items()
            if codes is None or c in codes}
    print(environment())
    print(f"{len(plan)} municipalities, {sum(plan.values()):,} cases, seed {args.seed}")
    print(f"{'code':>5} {'cases':>10} {'services':>11} {'gen s':>7} {'rules s':>8} "
          f"{'cpu s':>7} {'findings':>10} {'peak MB':>8} {'load':>5}")
    figures = []
    started = time.perf_counter()
    for code, count in plan.items():
        figure = run_partition(code, count, args.seed, args.readiness)
        figures.append(figure)
        print(f"{code:>5} {figure['cases']:>10,} {figure['services']:>11,} "
              f"{figure['generate_s']:>7.1f} {figure['rules_s']:>8.1f} {figure['cpu_s']:>7.1f} "
              f"{figure['findings']:>10,} {figure['peak_mb']:>8.0f} {figure['load']:>5.1f}"
              + (f"  readiness {figure['readiness_s']:.1f} s" if args.readiness else ""),
              flush=True)
    total: Counter[str] = Counter()
    for figure in figures:
        total.update(figure["counts"])
    wall = time.perf_counter() - started
    print(f"\n{sum(f['cases'] for f in figures):,} cases, "
          f"{sum(f['services'] for f in figures):,} services in {wall:.0f} s "
          f"(generation {sum(f['generate_s'] for f in figures):.0f} s, rules "
          f"{sum(f['rules_s'] for f in figures):.0f} s); largest partition peak "
          f"{max(f['peak_mb'] for f in figures):.0f} MB; load average now "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("findings:", dict(sorted(total.items())))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"environment": environment(), "seed": args.seed, "wall_s": wall,
                       "partitions": figures}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
