"""A seeded generator of realistic benchmark data, in plain tuples.

Citizens have a skewed number of records (most one or two, a few many), about a
quarter of cases and services are active, durations run from days to years, and the
services come from two systems around a cutover. Active old-system services are
re-created in the new system, most with their real start date, some with the
cutover as start date, and a few are closed artificially on the cutover in the old.

Rows are plain tuples, the form a converter reads from its extract:

* case: ``(case_id, municipality, cpr, system, opened, closed)``
* service: ``(service_id, municipality, cpr, code, target_groups, start, end, system)``
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

MUNICIPALITY = 607
OLD, NEW = "OldCare", "NewCare"
CUTOVER = dt.date(2026, 6, 1)
AS_OF = CUTOVER
CODES = ("SEL85", "SEL107", "SEL108", "SEL104", "SEL103", "SEL97")
GROUPS = (("1.1",), ("1.2.1",), ("1.2.2.1",), ("2.1", "3.4"), ("3.4",))
EPOCH = dt.date(2008, 1, 1)
CACHE = Path(tempfile.gettempdir()) / "casemigrate-bench"


class Dataset(NamedTuple):
    """The generated rows of one size."""

    size: int
    cases: list[tuple[Any, ...]]
    services: list[tuple[Any, ...]]
    old_services: list[tuple[Any, ...]]
    new_services: list[tuple[Any, ...]]


def _cpr(rng: random.Random) -> str:
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(29_200))
    seventh = rng.randrange(4) if born.year < 2000 else 4
    return f"{born:%d%m}{born.year % 100:02d}-{seventh}{rng.randrange(1000):03d}"


def _duration(rng: random.Random) -> int:
    return int(2 ** rng.uniform(0, 12))  # 1 day to about 11 years, log-uniform


def parse_size(text: str) -> int:
    """A size as the command lines take it: ``100k``, ``1M``, ``2.5m`` or ``5000``."""
    text = text.strip().lower()
    return int(float(text.rstrip("km")) * {"k": 1_000, "m": 1_000_000}.get(text[-1], 1))


def generate(size: int, seed: int = 2026) -> Dataset:
    """``size`` cases and about ``size`` services."""
    rng = random.Random(seed)
    days = (CUTOVER - EPOCH).days
    cases: list[tuple[Any, ...]] = []
    old: list[tuple[Any, ...]] = []
    new: list[tuple[Any, ...]] = []
    citizen = 0
    while len(cases) < size:
        cpr = _cpr(rng)
        citizen += 1
        records = min(1 + int(rng.paretovariate(1.6)) - 1 + (rng.random() < 0.5), 40)
        for index in range(records):
            if len(cases) >= size:
                break
            opened = EPOCH + dt.timedelta(days=rng.randrange(days))
            active = rng.random() < 0.25
            closed = None if active else min(opened + dt.timedelta(days=_duration(rng)),
                                             CUTOVER - dt.timedelta(days=1))
            in_new = active and rng.random() < 0.35
            cases.append((f"C{citizen}-{index}", MUNICIPALITY, cpr, NEW if in_new else OLD,
                          max(opened, CUTOVER) if in_new else opened, closed))
            code = CODES[int(rng.random() ** 2 * len(CODES))]  # some codes far commoner
            groups = GROUPS[rng.randrange(len(GROUPS))]
            sid = f"S{citizen}-{index}"
            if active:
                twist = rng.random()
                old_end = CUTOVER if twist > 0.97 else None  # artificial closure
                old.append((sid, MUNICIPALITY, cpr, code, groups, opened, old_end, OLD))
                start = CUTOVER if twist < 0.04 else opened  # lost history
                new.append((sid + "'", MUNICIPALITY, cpr, code, groups, start, None, NEW))
            else:
                old.append((sid, MUNICIPALITY, cpr, code, groups, opened, closed, OLD))
    services = old + new
    return Dataset(size, cases, services, old, new)


def load(size: int, seed: int = 2026) -> Dataset:
    """The dataset of ``size``, from the cache if it was generated before."""
    path = CACHE / f"data-{size}-{seed}.pickle"
    if path.exists():
        with path.open("rb") as handle:
            data: Dataset = pickle.load(handle)
        return data
    data = generate(size, seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return data
