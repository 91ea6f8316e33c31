"""Reporting overlap across a cutover, duplicate active cases and blocking cases.

* :func:`find_reporting_overlap`: which production deliveries fall on the wrong side
  of the cutover (SMDB forbids any overlap; for the handicap statistics the old system
  keeps reporting after the cutover, as it should, but the new system may not report
  in production before it).
* :func:`find_duplicate_active_cases`: one active case per citizen per municipality.
* :func:`find_blocking_cases`: SMDB cases left active in the old system that will
  block the new system's cases.

Each is one pass over its input with hash grouping, so a million cases is a matter of
seconds, not of pairs. Results do not depend on input order.

Example:
    >>> import datetime as dt
    >>> from casemigrate import Case, find_duplicate_active_cases
    >>> cases = [Case(case_id=i, municipality=607, citizen="211062-1234", system="Old",
    ...               opened=dt.date(2025, 1, 1)) for i in ("A", "B")]
    >>> [(f.code, f.subjects) for f in find_duplicate_active_cases(cases,
    ...                                                            as_of=dt.date(2026, 1, 1))]
    [('CM204', ('A', 'B'))]
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from casemigrate import _validate as v
from casemigrate._keys import subject_ids
from casemigrate.exceptions import InvalidType
from casemigrate.findings import Finding, sort_findings
from casemigrate.identifiers import cpr_key
from casemigrate.model import Case, Delivery
from casemigrate.plan import CutoverPlan, Register, plan_timeline

__all__ = [
    "find_blocking_cases",
    "find_duplicate_active_cases",
    "find_reporting_overlap",
]


def find_reporting_overlap(
    deliveries: Iterable[Delivery], plan: CutoverPlan
) -> tuple[Finding, ...]:
    """Production deliveries on the wrong side of the cutover.

    The sending date is the Danish calendar date (:attr:`Delivery.sent_day`). Test
    deliveries (``T...``) never count as reporting. Per delivery of the plan's
    municipality and systems:

    * old system, production, sent on or after the cutover: CM201 (ERROR) for SMDB;
      CM203 (INFO) for HANDICAP, where the source asks the old system to keep
      reporting until the new one works;
    * new system, production, sent before the cutover: CM202 (ERROR), both registers.

    A delivery of another system or municipality gets CM208 (INFO), so nothing is
    passed over silently.

    Args:
        deliveries: The deliveries sent, in any order.
        plan: The plan.

    Returns:
        The findings, sorted; subjects are delivery ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, Delivery
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> sent = [Delivery(delivery_id="D1", name="L402", system="Old", municipality=607,
        ...                  sent=dt.datetime(2026, 6, 1, 8, 0))]
        >>> [(f.code, f.subjects) for f in find_reporting_overlap(sent, plan)]
        [('CM201', ('D1',))]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    cutover = plan.cutover
    findings: list[Finding] = []
    for delivery in v.each("deliveries", deliveries, Delivery):
        role = plan.system_role(delivery.system)
        if delivery.municipality != plan.municipality or role is None:
            findings.append(Finding.of(
                "CM208", (delivery.delivery_id,), delivery=delivery.delivery_id,
                system=delivery.system, municipality=delivery.municipality,
            ))
            continue
        if delivery.is_test:
            continue  # test deliveries are never reporting
        day = delivery.sent_day
        values: dict[str, Any] = {
            "delivery": f"{delivery.delivery_id} ({delivery.name})",
            "system": delivery.system, "sent": day, "cutover": cutover,
        }
        if role == "old" and day >= cutover:
            code = "CM201" if plan.register is Register.SMDB else "CM203"
            findings.append(Finding.of(code, (delivery.delivery_id,), **values))
        elif role == "new" and day < cutover:
            findings.append(Finding.of("CM202", (delivery.delivery_id,), **values))
    return sort_findings(findings)


def find_duplicate_active_cases(
    cases: Iterable[Case], *, as_of: dt.date
) -> tuple[Finding, ...]:
    """Citizens with more than one case active on ``as_of`` in one municipality.

    One CM204 (ERROR) per municipality and citizen with two or more active cases,
    naming every case id, whatever systems the cases come from: the register holds one
    active case per citizen and refuses the next. A case is active on ``as_of`` when it
    was opened on or before it and not closed by then (a case closed on ``as_of`` is
    not active). Cases without a citizen cannot be grouped. One CM205 (INFO) names
    them.

    Args:
        cases: The cases, in any order.
        as_of: The day to judge.

    Returns:
        The findings, sorted; subjects are case ids. ``details`` holds ``municipality``,
        ``citizen`` (a masked :class:`~casemigrate.CPR`) and ``systems``.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> a = Case(case_id="A", municipality=607, citizen=None, system="Old",
        ...          opened=dt.date(2025, 1, 1))
        >>> [(f.code, f.details["count"]) for f in find_duplicate_active_cases([a],
        ...                                                    as_of=dt.date(2026, 1, 1))]
        [('CM205', 1)]
    """
    as_of = v.day("as_of", as_of)
    # Two passes: count the active cases per (municipality, citizen) with C-level
    # hashing of the digits, then gather only the few groups with more than one.
    active: list[tuple[tuple[int, str], Case]] = []
    without_citizen: list[str] = []
    for case in v.iterable("cases", cases):
        if type(case) is not Case and not isinstance(case, Case):
            raise InvalidType(f"expected Case items, got {v.type_name(case)}", field="cases")
        closed = case.closed
        if case.opened <= as_of and (closed is None or closed > as_of):
            citizen = case.citizen
            if citizen is None:
                without_citizen.append(case.case_id)
            else:
                active.append(((case.municipality.code, cpr_key(citizen)), case))
    counts = Counter([key for key, _ in active])
    groups: dict[tuple[int, str], list[Case]] = {key: [] for key, n in counts.items() if n > 1}
    if groups:
        for key, case in active:
            group = groups.get(key)
            if group is not None:
                group.append(case)
    findings = [
        Finding.of(
            "CM204", subject_ids(group), count=len(group), day=as_of,
            municipality=group[0].municipality, citizen=group[0].citizen,
            systems=tuple(sorted({case.system for case in group})),
        )
        for group in groups.values()
    ]
    if without_citizen:
        findings.append(Finding.of(
            "CM205", without_citizen, count=len(without_citizen),
        ))
    return sort_findings(findings)


def find_blocking_cases(cases: Iterable[Case], plan: CutoverPlan) -> tuple[Finding, ...]:
    """SMDB cases that will block the new system's cases for their citizen.

    * CM206 (ERROR), per case: an old-system case of the plan's municipality still
      active on the latest date of ``delete_active_courses`` (one week before the
      cutover, moved back to a working day). If it is still there at the deadline, it
      blocks the new system's case.
    * CM207 (ERROR), per citizen: an active case in the old system and one in the new
      system on the cutover day, naming all of them.

    Cases of other municipalities or systems are not part of the plan: they are not
    judged, and CM209 (INFO) counts them. Cases without a citizen are counted in CM205
    (INFO) for the CM207 check. For a HANDICAP plan the check does not apply and
    returns CM001 (INFO).

    Args:
        cases: The cases of both systems, in any order.
        plan: The plan.

    Returns:
        The findings, sorted; subjects are case ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case, CutoverPlan
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> old = Case(case_id="OLD-4", municipality=607, citizen="211062-1234",
        ...            system="Old", opened=dt.date(2024, 1, 1))
        >>> [(f.code, f.subjects, str(f.details["deadline"]))
        ...  for f in find_blocking_cases([old], plan)]
        [('CM206', ('OLD-4',), '2026-05-22')]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    if plan.register is not Register.SMDB:
        return (Finding.of(
            "CM001", ("find_blocking_cases",), check="find_blocking_cases",
            reason=f"blocking active cases are an SMDB rule, not a {plan.register.name} one",
        ),)
    deadline = plan_timeline(plan)["delete_active_courses"].latest
    assert deadline is not None
    cutover = plan.cutover
    code = plan.municipality.code
    findings: list[Finding] = []
    at_cutover: defaultdict[str, dict[str, list[Case]]] = defaultdict(
        lambda: {"old": [], "new": []}
    )
    without_citizen: list[str] = []
    outside = 0
    for case in v.each("cases", cases, Case):
        role = plan.system_role(case.system) if case.municipality.code == code else None
        if role is None:
            outside += 1
            continue
        if role == "old" and case.is_active_on(deadline):
            findings.append(Finding.of(
                "CM206", (case.case_id,), case=case.case_id, system=case.system,
                deadline=deadline,
            ))
        if case.is_active_on(cutover):
            if case.citizen is None:
                without_citizen.append(case.case_id)
            else:
                at_cutover[cpr_key(case.citizen)][role].append(case)
    for by_role in at_cutover.values():
        if by_role["old"] and by_role["new"]:
            both = by_role["old"] + by_role["new"]
            findings.append(Finding.of(
                "CM207", subject_ids(both), old_system=plan.old_system,
                new_system=plan.new_system, cutover=cutover, citizen=both[0].citizen,
            ))
    if without_citizen:
        findings.append(Finding.of("CM205", without_citizen, count=len(without_citizen)))
    if outside:
        findings.append(Finding.of("CM209", (), count=outside, municipality=plan.municipality,
                                   old_system=plan.old_system, new_system=plan.new_system))
    return sort_findings(findings)
