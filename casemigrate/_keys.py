"""Total orders and grouping keys for records, for results that never depend on input order.

Private. Two records may share an id (ids are reused across systems, and extracts
repeat rows), so an order by id alone leaves ties that input order would break. The
keys here order by every field that tells two records apart. Sorting by a cheap key
first and by the full key only within its ties keeps the common case fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import compress
from operator import eq
from typing import Any, Final, TypeVar

from casemigrate.exceptions import mask_cpr_id
from casemigrate.findings import sort_tied_runs
from casemigrate.identifiers import cpr_key
from casemigrate.model import Case, Delivery, Service

__all__ = ["case_key", "delivery_key", "service_key", "sorted_total", "subject_ids"]

_FIRST: Final = dt.date.min
T = TypeVar("T")


def service_key(service: Service) -> tuple[Any, ...]:
    """Start (missing first), id, system, then every other field."""
    start, end, citizen, code = service.start, service.end, service.citizen, service.code
    return (
        start is not None, start or _FIRST, service.service_id, service.system,
        service.municipality.code, "" if citizen is None else cpr_key(citizen),
        code is not None, code or "", end is None, end or _FIRST,
        tuple(sorted(service.target_groups)),
    )


def case_key(case: Case) -> tuple[Any, ...]:
    """Id, system, then every other field."""
    citizen, closed, kle, facet = case.citizen, case.closed, case.kle, case.facet
    return (
        case.case_id, case.system, case.municipality.code,
        "" if citizen is None else cpr_key(citizen), case.opened, closed is None,
        closed or _FIRST, "" if kle is None else kle.value, "" if facet is None else facet.value,
        case.origin.value, case.title, case.caseworker or "", case.organisation or "",
    )


def delivery_key(delivery: Delivery) -> tuple[Any, ...]:
    """Sending time, id, name, system, municipality, then the services it holds."""
    return (
        delivery.sent_instant, delivery.delivery_id, delivery.name, delivery.system,
        delivery.municipality.code, tuple(map(service_key, delivery.services)),
    )


def sorted_total(
    items: Iterable[T], cheap: Callable[[T], Any], full: Callable[[T], Any]
) -> list[T]:
    """``items`` sorted by ``cheap``, its ties broken by ``full``."""
    ordered = sorted(items, key=cheap)
    if len(ordered) < 2:
        return ordered
    keys = list(map(cheap, ordered))
    # Ties are next to each other, and rare: found in C, then each run sorted by ``full``.
    sort_tied_runs(ordered, compress(range(1, len(keys)), map(eq, keys[1:], keys)), full)
    return ordered


def subject_ids(records: Iterable[Case | Service]) -> list[str]:
    """The records' ids as a finding's subjects, told apart where they collide.

    Ids are reused across systems: a finding about case ``1`` in ``Old`` and case
    ``1`` in ``New`` would otherwise name ``1`` once. An id that two records of one
    finding share is qualified with each record's system, ``1@Old`` and ``1@New``; an
    id of its own is shown as it is (docs/edge-values.md, "Ids that collide"). A
    qualified id that is a CPR number is masked first (``211062-****@Old``), as a
    finding masks an id that is one.
    """
    pairs = [(r.case_id if isinstance(r, Case) else r.service_id, r.system) for r in records]
    seen: dict[str, int] = {}
    for record_id, _ in pairs:
        seen[record_id] = seen.get(record_id, 0) + 1
    return [f"{mask_cpr_id(record_id)}@{system}" if seen[record_id] > 1 else record_id
            for record_id, system in pairs]
