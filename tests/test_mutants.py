"""Tests that kill the mutants of the rule modules that changed behaviour unnoticed.

Each pins one boundary that a one-character change to the code moved without any
other test failing.
"""

from __future__ import annotations

import datetime as dt

import casemigrate as cm

D = dt.date
CUTOVER = D(2026, 6, 1)
ALICE = "211062-1234"


def plan(register: str = "smdb", **more: object) -> cm.CutoverPlan:
    return cm.CutoverPlan(municipality=607, register=register, old_system="Old",
                          new_system="New", cutover=CUTOVER, **more)


def svc(sid: str, system: str, start: dt.date, end: dt.date | None = None,
        municipality: int = 607) -> cm.Service:
    return cm.Service(service_id=sid, municipality=municipality, citizen=ALICE,
                      code="SEL107", target_groups={"1.1"}, start=start, end=end,
                      system=system)


def codes(findings: tuple[cm.Finding, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.subjects) for f in findings]


def test_another_municipalitys_old_case_gets_no_cm206() -> None:
    other = cm.Case(case_id="K-1", municipality=101, citizen=ALICE, system="Old",
                    opened=D(2024, 1, 1))
    found = cm.find_blocking_cases([other], plan())
    assert codes(found) == [("CM209", ())]


def test_a_milestone_done_on_its_latest_day_is_not_late() -> None:
    latest = cm.plan_timeline(plan())["delete_active_courses"].latest
    assert latest is not None
    on_time = plan(done={"delete_active_courses": latest})
    late = plan(done={"delete_active_courses": latest + dt.timedelta(days=1)})
    assert "CM108" not in [f.code for f in cm.check_plan(on_time, as_of=CUTOVER)]
    assert ("CM108", ("delete_active_courses",)) in codes(cm.check_plan(late, as_of=CUTOVER))


def test_roles_come_from_the_new_system_alone_when_only_it_is_named() -> None:
    # Both open, so the data basis alone would not tell which is old.
    basis = [svc("X", "Legacy", D(2021, 1, 1), CUTOVER), svc("Y", "New", D(2021, 1, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER, new_system="New")
    overlap = next(f for f in found if f.code == "CM301")
    assert (overlap.details["old"], overlap.details["new"]) == ("X", "Y")
    reversed_roles = cm.find_service_overlaps(basis, cutover=CUTOVER, new_system="Legacy")
    overlap = next(f for f in reversed_roles if f.code == "CM301")
    assert (overlap.details["old"], overlap.details["new"]) == ("Y", "X")


def test_cm314_holds_for_a_one_day_overlap_in_one_system() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2020, 3, 1)), svc("B", "Old", D(2020, 3, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER, within_system=True)
    assert codes(found) == [("CM314", ("A", "B"))]
    assert found[0].details["days"] == 1
    apart = [svc("A", "Old", D(2020, 1, 1), D(2020, 2, 29)), svc("B", "Old", D(2020, 3, 1))]
    assert cm.find_service_overlaps(apart, cutover=CUTOVER, within_system=True) == ()


def test_cm301_holds_for_a_one_day_overlap_across_systems() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2020, 3, 1)), svc("B", "New", D(2020, 3, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER)
    assert codes(found) == [("CM301", ("A", "B"))]
    assert found[0].details["days"] == 1


def test_cm302_only_for_an_end_on_the_cutover_or_the_day_before() -> None:
    def cm302(end: dt.date) -> bool:
        basis = [svc("A", "Old", D(2021, 1, 1), end), svc("B", "New", D(2021, 1, 1))]
        return "CM302" in [f.code for f in cm.find_service_overlaps(basis, cutover=CUTOVER)]

    assert [cm302(CUTOVER + dt.timedelta(days=n)) for n in (-2, -1, 0, 1)] == [
        False, True, True, False]


def test_cm308_compares_system_names_without_case() -> None:
    def cm308(system: str) -> list[str]:
        delivery = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                               sent=D(2026, 6, 10), services=[svc("A", system, D(2021, 1, 1),
                                                                  D(2022, 1, 1))])
        result = cm.merge_deliveries([delivery], plan("handicap"))
        return [f.code for f in result.findings if f.code == "CM308"]

    assert cm308("OLD") == []
    assert cm308("Older") == ["CM308"]


def test_the_cm313_count_is_the_services_outside_the_plan() -> None:
    services = [svc("A", "Old", D(2021, 1, 1)), svc("B", "Other", D(2021, 1, 1)),
                svc("C", "Old", D(2021, 1, 1), municipality=101)]
    found = cm.check_services(services, plan("handicap"))
    assert [(f.code, f.details["count"]) for f in found] == [("CM313", 2)]


def test_cm305_names_every_delivery_that_ties_on_the_latest_time() -> None:
    sent = dt.datetime(2026, 6, 10, 9)
    deliveries = [cm.Delivery(delivery_id=i, name="L402", system="New", municipality=607,
                              sent=sent) for i in ("n1", "n2")]
    deliveries.append(cm.Delivery(delivery_id="n0", name="L402", system="New",
                                  municipality=607, sent=sent - dt.timedelta(hours=1)))
    result = cm.merge_deliveries(deliveries, plan("handicap"))
    tie = next(f for f in result.findings if f.code == "CM305")
    assert tie.subjects == ("n1", "n2") and tie.details["chosen"] == "n2"
    assert [d.delivery_id for d in result.used] == ["n2"]
