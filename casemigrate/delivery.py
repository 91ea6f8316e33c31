"""Merging deliveries the way Statistics Denmark does, and the service checks.

When a municipality changes the system that reports to DST's statistics on handicap
and vulnerable adults, DST builds its data from both systems
(001_c27bcfbe2421f4b2.txt, section 2):

1. from the old system, every *closed* service of its latest delivery;
2. from the new system, *every* service, closed and active, of its latest delivery;
3. together they are the data basis.

:func:`merge_deliveries` does exactly that and accounts for every service it was
given: each is either in the data basis or excluded with a reason
(:class:`ExclusionReason`). It also reports what makes the data basis wrong:
services counted twice, closed artificially at the cutover, re-created without their
real start date, or vanished from the old system's latest delivery.

End dates are *inclusive*: a service ending on a day runs on that day. So an
old-system service ending on the cutover and a new-system one starting on it share
one day and are counted twice for it. One ending the day before does not overlap.
It can still be an artificial closure (CM302).

Example:
    >>> import datetime as dt
    >>> from casemigrate import CutoverPlan, Delivery, Service, merge_deliveries
    >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1))
    >>> def svc(sid, system, end=None):
    ...     return Service(service_id=sid, municipality=607, citizen="211062-1234",
    ...                    code=sid[0], target_groups={"1.1"}, start=dt.date(2021, 6, 1),
    ...                    end=end, system=system)
    >>> old = Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
    ...                sent=dt.date(2026, 6, 10),
    ...                services=[svc("A", "Old", dt.date(2024, 1, 1)), svc("B", "Old")])
    >>> new = Delivery(delivery_id="n", name="L402", system="New", municipality=607,
    ...                sent=dt.date(2026, 6, 11), services=[svc("B'", "New")])
    >>> result = merge_deliveries([new, old], plan)
    >>> [s.service_id for s in result.services], [(e.service.service_id, e.reason.name)
    ...                                           for e in result.excluded]
    (['A', "B'"], [('B', 'ACTIVE_IN_OLD_SYSTEM')])
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from casemigrate import _validate as v
from casemigrate._keys import delivery_key, service_key, sorted_total
from casemigrate._slots import slots_filler
from casemigrate.findings import Finding, sort_findings
from casemigrate.identifiers import cpr_key
from casemigrate.model import Delivery, Service
from casemigrate.plan import CutoverPlan

__all__ = [
    "Excluded",
    "ExclusionReason",
    "MergeResult",
    "check_services",
    "find_service_overlaps",
    "merge_deliveries",
]

_TARGET_GROUP: Final = re.compile(r"\d+(?:\.\d+)*")
_ONE_DAY: Final = dt.timedelta(days=1)


class ExclusionReason(enum.Enum):
    """Why a service is not in the data basis."""

    ACTIVE_IN_OLD_SYSTEM = "active in the old system: the new system reports it"
    NOT_LATEST_DELIVERY = "in an earlier delivery: only the system's latest one counts"
    TEST_DELIVERY = "in a test delivery (T...): never used for the statistics"
    OTHER_SYSTEM = "from a system that is neither the plan's old nor its new system"
    OTHER_MUNICIPALITY = "in a delivery of another municipality than the plan's"
    SERVICE_OF_OTHER_MUNICIPALITY = "the service's municipality is not its delivery's"
    DUPLICATE_IN_DELIVERY = "its id is repeated in the delivery: the first one is kept"


@attrs.frozen
class Excluded:
    """A service left out of the data basis, and why.

    Attributes:
        service: The service.
        reason: Why it was left out.
        delivery_id: The delivery it came in.
    """

    service: Service
    reason: ExclusionReason
    delivery_id: str


_fill_excluded: Final = slots_filler(Excluded, "service", "reason", "delivery_id")
_new: Final = object.__new__


def _excluded(service: Service, reason: ExclusionReason, delivery_id: str) -> Excluded:
    """An :class:`Excluded`, built without the generated ``__init__`` (hot path)."""
    item = _new(Excluded)
    _fill_excluded(item, service, reason, delivery_id)
    return item


@attrs.frozen(kw_only=True)
class MergeResult:
    """The data basis DST would build, and everything that was left out.

    Attributes:
        services: The data basis: the old system's closed services and all the new
            system's services, of each system's latest production delivery; the old
            system's first, each in its delivery's order.
        excluded: Every other service, with its reason, by delivery id and then in
            each delivery's order.
        used: The deliveries used (at most one per system).
        findings: What makes the data basis wrong or doubtful, sorted.
        services_in: How many services the deliveries held in all.
    """

    services: tuple[Service, ...]
    excluded: tuple[Excluded, ...]
    used: tuple[Delivery, ...]
    findings: tuple[Finding, ...]
    services_in: int

    def summary(self) -> dict[str, Any]:
        """How many services went where. ``kept + excluded == services_in`` always.

        Example:
            >>> MergeResult(services=(), excluded=(), used=(), findings=(),
            ...             services_in=0).summary()["kept"]
            0
        """
        by_reason = Counter(item.reason.name for item in self.excluded)
        return {
            "services_in": self.services_in,
            "kept": len(self.services),
            "excluded": len(self.excluded),
            "excluded_by_reason": {reason.name: by_reason.get(reason.name, 0)
                                   for reason in ExclusionReason},
            "deliveries_used": [delivery.delivery_id for delivery in self.used],
            "findings_by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
        }


def _latest(
    deliveries: list[Delivery], system: str, findings: list[Finding]
) -> tuple[Delivery, list[Delivery]]:
    """The latest delivery and the rest; a tie on the time is a CM305 finding."""
    ordered = sorted_total(deliveries, _BY_TIME, delivery_key)
    latest = ordered[-1]
    tied = [d for d in ordered if d.sent_instant == latest.sent_instant]
    if len(tied) > 1:
        findings.append(Finding.of(
            "CM305", (d.delivery_id for d in tied),
            deliveries=tuple(d.delivery_id for d in tied), system=system,
            sent=latest.sent_local.isoformat(sep=" "), chosen=latest.delivery_id,
        ))
    return latest, ordered[:-1]


def merge_deliveries(
    deliveries: Iterable[Delivery], plan: CutoverPlan, *, check_overlaps: bool = True
) -> MergeResult:
    """Build the data basis from the two systems' deliveries, as DST does.

    Per system of the plan, only the latest production delivery (``L...``) counts,
    latest by :attr:`Delivery.sent_instant`. From the old system's latest, its closed
    services; from the new system's latest, all its services. Every other service is
    excluded with a reason: active in the old system, in an earlier delivery, in a test
    delivery, from another system or municipality, of another municipality than its
    delivery, or a repeated id within one delivery.

    Findings: CM301-CM303 on the data basis (see :func:`find_service_overlaps`);
    CM304 for a closed service of an earlier old-system delivery missing from the
    latest; CM305 when two production deliveries of one system share the latest time
    (the greater ``delivery_id`` is used); CM306-CM308 for misfiled services; CM312 when
    a system has no production delivery.

    The result does not depend on the order of ``deliveries``.

    Args:
        deliveries: The deliveries DST has received, in any order.
        plan: The plan (its register need not be HANDICAP; the merge is DST's rule for
            the handicap and vulnerable adults statistics).
        check_overlaps: Look for CM301-CM303 in the data basis (the default). Without
            it, the merge only builds the data basis and checks the deliveries
            themselves: for a converter that runs :func:`find_service_overlaps`
            separately, or not at all.

    Returns:
        The :class:`MergeResult`.

    Raises:
        InvalidType: ``deliveries`` holds something that is not a :class:`Delivery`.
    """
    plan = v.instance("plan", plan, CutoverPlan)
    check_overlaps = v.flag("check_overlaps", check_overlaps)
    findings: list[Finding] = []
    excluded: list[Excluded] = []
    production: dict[str, list[Delivery]] = {"old": [], "new": []}
    services_in = 0
    given = v.each("deliveries", deliveries, Delivery)
    for delivery in sorted_total(given, _BY_ID, delivery_key):
        services_in += len(delivery.services)
        role = plan.system_role(delivery.system)
        reason = None
        if delivery.municipality != plan.municipality:
            reason = ExclusionReason.OTHER_MUNICIPALITY
        elif role is None:
            reason = ExclusionReason.OTHER_SYSTEM
        elif delivery.is_test:
            reason = ExclusionReason.TEST_DELIVERY
        if reason is not None or role is None:
            excluded.extend(_excluded(s, reason or ExclusionReason.OTHER_SYSTEM,
                                     delivery.delivery_id) for s in delivery.services)
            continue
        production[role].append(delivery)

    kept: list[Service] = []
    used: list[Delivery] = []
    for role, system in (("old", plan.old_system), ("new", plan.new_system)):
        if not production[role]:
            findings.append(Finding.of("CM312", (system,), system=system, role=f"{role}_system"))
            continue
        latest, earlier = _latest(production[role], system, findings)
        used.append(latest)
        for delivery in earlier:
            excluded.extend(_excluded(s, ExclusionReason.NOT_LATEST_DELIVERY,
                                     delivery.delivery_id) for s in delivery.services)
        for service in _admit(latest, findings, excluded):
            if role == "old" and service.is_active:
                excluded.append(_excluded(service, ExclusionReason.ACTIVE_IN_OLD_SYSTEM,
                                         latest.delivery_id))
            else:
                kept.append(service)
        if role == "old":
            findings.extend(_vanished(latest, earlier))

    if check_overlaps:
        findings.extend(find_service_overlaps(
            kept, cutover=plan.cutover, old_system=plan.old_system,
            new_system=plan.new_system,
        ))
    # No sort needed for determinism: deliveries are taken in a canonical order and a
    # delivery's services keep their own order, which is part of the delivery.
    return MergeResult(
        services=tuple(kept),
        excluded=tuple(excluded),
        used=tuple(used),
        findings=sort_findings(findings),
        services_in=services_in,
    )


_BY_ID: Final = operator.attrgetter("delivery_id")
_BY_TIME: Final = operator.attrgetter("sent_instant", "delivery_id")


def _admit(
    delivery: Delivery, findings: list[Finding], excluded: list[Excluded]
) -> Iterator[Service]:
    """The services of a used delivery that can be used, once each."""
    counts = Counter([service.service_id for service in delivery.services])
    repeated = {sid for sid, n in counts.items() if n > 1}
    seen: set[str] = set()
    where, system = delivery.municipality, delivery.system
    for service in delivery.services:
        sid = service.service_id
        if repeated and sid in repeated:
            if sid in seen:
                excluded.append(_excluded(service, ExclusionReason.DUPLICATE_IN_DELIVERY,
                                         delivery.delivery_id))
                continue
            seen.add(sid)
            findings.append(Finding.of(
                "CM307", (sid,), delivery=delivery.delivery_id, service=sid, count=counts[sid],
            ))
        # Municipalities and system names are shared instances: identity settles
        # nearly every service without a Python-level comparison.
        if service.municipality is not where and service.municipality != where:
            findings.append(Finding.of(
                "CM306", (sid,), service=sid, service_municipality=service.municipality,
                delivery=delivery.delivery_id, delivery_municipality=delivery.municipality,
            ))
            excluded.append(_excluded(service, ExclusionReason.SERVICE_OF_OTHER_MUNICIPALITY,
                                     delivery.delivery_id))
            continue
        if service.system is not system and service.system.casefold() != system.casefold():
            findings.append(Finding.of(
                "CM308", (sid,), service=sid, service_system=service.system,
                delivery=delivery.delivery_id, delivery_system=delivery.system,
            ))
        yield service


def _vanished(latest: Delivery, earlier: list[Delivery]) -> Iterator[Finding]:
    """CM304: closed services of earlier deliveries that the latest does not hold."""
    in_latest = {service.service_id for service in latest.services}
    last_seen: dict[str, str] = {}
    for delivery in earlier:  # oldest first, so the last one seen wins
        for service in delivery.services:
            if service.is_closed and service.service_id not in in_latest:
                last_seen[service.service_id] = delivery.delivery_id
    for sid, delivery_id in sorted(last_seen.items()):
        yield Finding.of("CM304", (sid,), service=sid, earlier=delivery_id,
                         latest=latest.delivery_id)


def find_service_overlaps(
    services: Iterable[Service],
    *,
    cutover: dt.date,
    old_system: str | None = None,
    new_system: str | None = None,
    within_system: bool = False,
) -> tuple[Finding, ...]:
    """Double counting and lost history around a cutover, in a data basis.

    Services are grouped by municipality, citizen and service code, and each group is
    sorted by start date and swept once, so the work grows with the data, not with its
    square. Findings:

    * CM301 (ERROR): two services of one group from different systems share at least
      one day (both ends inclusive), so the service is counted twice. Names both ids,
      the first and last shared day and the number of days (``None`` when both are
      still open).
    * CM302 (WARNING): an old service ends on the day before or on the cutover while a
      service of the other system covers the cutover and runs past it: the old one was
      probably closed because of the change.
    * CM303 (WARNING): an active new-system service starts on the cutover: its real
      start date was probably lost.
    * CM314 (WARNING), with ``within_system=True``: two services of one group from the
      *same* system share at least one day, a probable duplicate registration.

    Every overlap finding names the later-starting service in ``details["later"]`` (by
    start, then id). So the services that overlap an earlier one are
    ``{f.details["later"] for f in findings if f.code in ("CM301", "CM314")}``.

    With ``old_system`` and ``new_system`` named, a service's role is its system.
    Without them, roles come from the data basis itself: there the old system
    contributes only closed services, so the closed service of a pair is the old one,
    and any active service starting on the cutover is taken as new.

    Services without a start date or a citizen cannot be placed in time or grouped;
    :func:`check_services` reports them (CM309).

    Args:
        services: The services, in any order.
        cutover: The cutover date.
        old_system: The old system's name, if known.
        new_system: The new system's name, if known.
        within_system: Also report overlaps within one system (CM314).

    Returns:
        The findings, sorted; subjects are service ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Service
        >>> def svc(sid, system, start, end=None):
        ...     return Service(service_id=sid, municipality=607, citizen="211062-1234",
        ...                    code="SEL107", target_groups={"1.1"}, start=start, end=end,
        ...                    system=system)
        >>> basis = [svc("B", "Old", dt.date(2021, 6, 1), dt.date(2026, 6, 1)),
        ...          svc("B'", "New", dt.date(2021, 6, 1))]
        >>> [(f.code, f.subjects) for f in find_service_overlaps(basis,
        ...                                                      cutover=dt.date(2026, 6, 1))]
        [('CM301', ('B', "B'")), ('CM302', ('B', "B'"))]
    """
    cutover = v.day("cutover", cutover)
    old = None if old_system is None else v.text("old_system", old_system).casefold()
    new = None if new_system is None else v.text("new_system", new_system).casefold()
    within_system = v.flag("within_system", within_system)
    groups: dict[tuple[int, str, str], list[Service]] = {}
    findings: list[Finding] = []
    for service in v.each("services", services, Service):
        start, citizen, code = service.start, service.citizen, service.code
        if start is None or citizen is None or code is None:
            continue
        if (
            start == cutover
            and service.end is None
            and (new is None or service.system.casefold() == new)
        ):
            findings.append(Finding.of("CM303", (service.service_id,),
                                       service=service.service_id, cutover=cutover))
        # Keyed by the digits, not the CPR object: a C-level hash, a million times.
        key = (service.municipality.code, cpr_key(citizen), code)
        group = groups.get(key)
        if group is None:
            groups[key] = [service]
        else:
            group.append(service)
    for group in groups.values():
        if len(group) > 1 and (within_system or len({s.system for s in group}) > 1):
            _sweep(group, cutover, old, new, within_system=within_system, out=findings)
    return sort_findings(findings)


def _is_old(service: Service, other: Service, old: str | None, new: str | None) -> bool:
    """Whether ``service`` plays the old system's part in the pair."""
    if old is not None:
        return service.system.casefold() == old
    if new is not None:
        return service.system.casefold() != new
    if service.is_closed != other.is_closed:
        return service.is_closed
    mine, theirs = _BY_START(service), _BY_START(other)
    if mine != theirs:
        return bool(mine < theirs)
    return service_key(service) < service_key(other)  # same start and id: every field


_BY_START: Final = operator.attrgetter("start", "service_id")


def _sweep(
    group: list[Service], cutover: dt.date, old: str | None, new: str | None,
    *, within_system: bool, out: list[Finding],
) -> None:
    """Pairs of a group from different systems that overlap, or meet at the cutover.

    Sorted by start, and swept once. Each system has its own list of the services
    that may still reach the next start, and a service is compared only with the
    lists of the other systems (and its own with ``within_system``). A list is pruned
    when it is visited, so every comparison either yields a finding or drops a service
    for good: the work grows with the services and findings, never with their square
    (one citizen with thousands of open services in one system stays linear).
    """
    # A service ending the day before the cutover stays for the services starting on
    # it, so that it meets its successor (CM302) without overlapping it (CM301).
    eve = cutover - _ONE_DAY if cutover > dt.date.min else None
    lists: dict[str, list[Service]] = {}
    for current in sorted_total(group, _BY_START, service_key):
        start = current.start
        assert start is not None
        system = current.system
        meets_eve = start == cutover and eve is not None
        for other_system, open_ in list(lists.items()):
            if other_system == system and not within_system:
                continue
            kept = [s for s in open_ if s.end is None or s.end >= start
                    or (meets_eve and s.end == eve)]
            if not kept:
                del lists[other_system]
                continue
            lists[other_system] = kept
            for earlier in kept:
                if other_system == system:
                    if earlier.end is None or earlier.end >= start:
                        out.append(_same_system(earlier, current))
                    continue
                if _is_old(earlier, current, old, new):
                    _judge(earlier, current, cutover, later=current.service_id, out=out)
                else:
                    _judge(current, earlier, cutover, later=current.service_id, out=out)
        lists.setdefault(system, []).append(current)


class _Period(tuple[dt.date | None, dt.date | None]):
    """A service's period, ``(start, end)``, shown as ``start..end`` when a message is read.

    Built with ``tuple.__new__`` (C-level): overlap checks make one per service of
    every pair.
    """

    __slots__ = ()

    def __str__(self) -> str:
        start, end = self
        shown = "?" if start is None else start.isoformat()
        return f"{shown}..{'' if end is None else end.isoformat()}"


_tuple_new: Final = tuple.__new__


def _period(service: Service) -> _Period:
    return _tuple_new(_Period, (service.start, service.end))


def _shared(a: Service, b: Service) -> tuple[dt.date, dt.date | None]:
    """The first and last shared day (``None``: still open)."""
    a_start, b_start, a_end, b_end = a.start, b.start, a.end, b.end
    assert a_start is not None and b_start is not None
    first = a_start if a_start > b_start else b_start
    if a_end is None:
        return first, b_end
    return first, a_end if b_end is None or a_end < b_end else b_end


def _same_system(earlier: Service, later: Service) -> Finding:
    first, last = _shared(earlier, later)
    return Finding.of(
        "CM314", (earlier.service_id, later.service_id), earlier=earlier.service_id,
        later=later.service_id, earlier_period=_period(earlier),
        later_period=_period(later),
        system=later.system, first=first, last="open" if last is None else last,
        days=None if last is None else (last - first).days + 1,
    )


def _judge(old: Service, new: Service, cutover: dt.date, *, later: str,
           out: list[Finding]) -> None:
    assert old.start is not None and new.start is not None
    subjects = (old.service_id, new.service_id)
    first, last = _shared(old, new)
    if last is None or first <= last:
        out.append(Finding.of(
            "CM301", subjects, old=old.service_id, new=new.service_id,
            old_period=_period(old), new_period=_period(new), first=first,
            last="open" if last is None else last,
            days=None if last is None else (last - first).days + 1, later=later,
        ))
    if (
        old.end is not None
        and old.end <= cutover
        and (old.end == cutover or old.end + _ONE_DAY == cutover)
        and new.start <= cutover
        and (new.end is None or new.end > cutover)
    ):
        out.append(Finding.of("CM302", subjects, old=old.service_id, new=new.service_id,
                              end=old.end, start=new.start))


def check_services(
    services: Iterable[Service], plan: CutoverPlan, *, as_of: dt.date | None = None
) -> tuple[Finding, ...]:
    """Check each service for what DST needs of it.

    * CM309 (ERROR): a missing start date, service code, target group or citizen.
      A closed service needs start, end, code and target group. Its end it has by
      definition, so every service is held to the rest.
    * CM310 (ERROR): target-group codes that are not dotted numerals (``1.2.2.1``).
    * CM311 (WARNING): with ``as_of``, a closed service whose end is after it.
    * CM313 (INFO): services outside the plan's municipality or systems, counted and
      not checked.

    Args:
        services: The services, in any order.
        plan: The plan.
        as_of: The reference day for CM311; without it CM311 is not checked.

    Returns:
        The findings, sorted; subjects are service ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, Service
        >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> a = Service(service_id="A", municipality=607, citizen="211062-1234", code=None,
        ...             target_groups={"1..2"}, start=dt.date(2021, 6, 1),
        ...             end=dt.date(2026, 12, 31), system="Old")
        >>> [(f.code, f.subjects) for f in check_services([a], plan, as_of=dt.date(2026, 6, 1))]
        [('CM309', ('A',)), ('CM310', ('A',)), ('CM311', ('A',))]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    if as_of is not None:
        as_of = v.day("as_of", as_of)
    findings: list[Finding] = []
    outside = 0
    for service in v.each("services", services, Service):
        if (service.municipality != plan.municipality
                or plan.system_role(service.system) is None):
            outside += 1
            continue
        sid = service.service_id
        missing = [
            label for label, absent in (
                ("start date", service.start is None),
                ("service code", service.code is None),
                ("target group", not service.target_groups),
                ("citizen", service.citizen is None),
            ) if absent
        ]
        if missing:
            findings.append(Finding.of("CM309", (sid,), service=sid, missing=tuple(missing)))
        bad = sorted(g for g in service.target_groups if not _TARGET_GROUP.fullmatch(g))
        if bad:
            findings.append(Finding.of("CM310", (sid,), service=sid, groups=tuple(bad)))
        if as_of is not None and service.end is not None and service.end > as_of:
            findings.append(Finding.of("CM311", (sid,), service=sid, end=service.end,
                                       as_of=as_of))
    if outside:
        findings.append(Finding.of("CM313", (), count=outside, municipality=plan.municipality,
                                   old_system=plan.old_system, new_system=plan.new_system))
    return sort_findings(findings)
