from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    CutoverPlan,
    Delivery,
    ExclusionReason,
    InvalidType,
    MergeResult,
    Register,
    Service,
    check_services,
    find_service_overlaps,
    merge_deliveries,
)

D = dt.date
C = D(2026, 6, 1)
ALICE = "211062-1234"
PLAN = CutoverPlan(municipality=607, register=Register.HANDICAP, old_system="Old",
                   new_system="New", cutover=C)


START = D(2021, 6, 1)


def svc(sid: str, system: str, start: dt.date | None = START,
        end: dt.date | None = None, *, code: str = "SEL107", citizen: str | None = ALICE,
        municipality: int = 607, groups: frozenset[str] = frozenset({"1.2.2.1"})) -> Service:
    return Service(service_id=sid, municipality=municipality, citizen=citizen, code=code,
                   target_groups=groups, start=start, end=end, system=system)


def dlv(did: str, system: str, sent: dt.datetime | dt.date, services: list[Service],
        name: str = "L402", municipality: int = 607) -> Delivery:
    return Delivery(delivery_id=did, name=name, system=system, municipality=municipality,
                    sent=sent, services=services)


def ids(services: tuple[Service, ...]) -> list[str]:
    return sorted(s.service_id for s in services)


def codes(result: MergeResult | tuple) -> list[tuple[str, tuple[str, ...]]]:  # type: ignore[type-arg]
    findings = result.findings if isinstance(result, MergeResult) else result
    return [(f.code, f.subjects) for f in findings]


# The worked example of the issue: old latest A (closed), B (active, 2021-06-01),
# C (closed); new latest B' (active, 2021-06-01) and D (closed).
A = svc("A", "Old", D(2019, 1, 1), D(2023, 12, 31), code="SEL85")
B = svc("B", "Old")
C_ = svc("C", "Old", D(2020, 3, 1), D(2025, 2, 28), code="SEL104")
B2 = svc("B'", "New")
D_ = svc("D", "New", D(2026, 6, 2), D(2026, 6, 20), code="SEL103")


def test_worked_example() -> None:
    result = merge_deliveries([
        dlv("old-latest", "Old", D(2026, 6, 10), [A, B, C_]),
        dlv("new-latest", "New", D(2026, 6, 11), [B2, D_]),
    ], PLAN)
    assert ids(result.services) == ["A", "B'", "C", "D"]
    assert [(e.service.service_id, e.reason) for e in result.excluded] == [
        ("B", ExclusionReason.ACTIVE_IN_OLD_SYSTEM)]
    assert codes(result) == []
    assert [d.delivery_id for d in result.used] == ["old-latest", "new-latest"]


def test_variant_new_service_starting_on_the_cutover_lost_its_history() -> None:
    result = merge_deliveries([
        dlv("old", "Old", D(2026, 6, 10), [A, B, C_]),
        dlv("new", "New", D(2026, 6, 11), [svc("B'", "New", start=C), D_]),
    ], PLAN)
    assert ids(result.services) == ["A", "B'", "C", "D"]
    assert codes(result) == [("CM303", ("B'",))]


def test_variant_old_service_closed_on_the_cutover_is_counted_twice() -> None:
    closed_on_cutover = svc("B", "Old", end=C)
    result = merge_deliveries([
        dlv("old", "Old", D(2026, 6, 10), [A, closed_on_cutover, C_]),
        dlv("new", "New", D(2026, 6, 11), [B2, D_]),
    ], PLAN)
    assert ids(result.services) == ["A", "B", "B'", "C", "D"]
    assert codes(result) == [("CM301", ("B", "B'")), ("CM302", ("B", "B'"))]
    twice = result.findings[0]
    assert (twice.details["first"], twice.details["last"], twice.details["days"]) == (
        D(2021, 6, 1), C, 1827)


def test_end_date_boundary_is_inclusive() -> None:
    # Ends the day before the cutover, successor starts on it: no shared day, but an
    # artificial closure (and a lost start date).
    before = find_service_overlaps(
        [svc("B", "Old", end=C - dt.timedelta(days=1)), svc("B'", "New", start=C)], cutover=C)
    assert codes(before) == [("CM302", ("B", "B'")), ("CM303", ("B'",))]
    # Ends on the cutover, successor starts on it: one shared day.
    on = find_service_overlaps([svc("B", "Old", end=C), svc("B'", "New", start=C)], cutover=C)
    assert codes(on) == [("CM301", ("B", "B'")), ("CM302", ("B", "B'")), ("CM303", ("B'",))]
    assert on[0].details["days"] == 1
    # Ends two days before: neither an overlap nor a closure at the cutover.
    early = find_service_overlaps(
        [svc("B", "Old", end=C - dt.timedelta(days=2)), svc("B'", "New", start=C)], cutover=C)
    assert codes(early) == [("CM303", ("B'",))]


def test_overlap_needs_two_systems_and_the_same_group() -> None:
    basis = [
        svc("X1", "Old", end=D(2024, 1, 1)), svc("X2", "Old", D(2023, 1, 1)),  # same system
        svc("Y1", "Old", end=D(2024, 1, 1), code="SEL85"),                         # other code
        svc("Y2", "New", D(2023, 1, 1), code="SEL108"),
        svc("Z1", "Old", end=D(2024, 1, 1), citizen="010203-4321"),                 # other citizen
    ]
    assert codes(find_service_overlaps(basis, cutover=C)) == []


def test_interval_inside_an_earlier_longer_one_is_found() -> None:
    # The long old service covers both new ones; the second new one starts after the
    # first new one ended: a "previous row" comparison would miss it.
    basis = [svc("L", "Old", D(2020, 1, 1), D(2025, 12, 31)),
             svc("N1", "New", D(2021, 1, 1), D(2021, 2, 1)),
             svc("N2", "New", D(2022, 1, 1), D(2022, 2, 1))]
    assert codes(find_service_overlaps(basis, cutover=C)) == [
        ("CM301", ("L", "N1")), ("CM301", ("L", "N2"))]


def test_both_open_overlap_is_open_ended() -> None:
    # Without the systems named, the services are taken as a data basis: both counted.
    found = find_service_overlaps([svc("O", "Old", D(2020, 1, 1)), svc("N", "New")],
                                  cutover=C)
    assert codes(found) == [("CM301", ("N", "O"))]
    assert found[0].details["days"] is None
    assert found[0].details["old"] == "O"
    assert "2021-06-01 to open" in found[0].message


def test_only_the_latest_production_delivery_counts() -> None:
    vanished = svc("V", "Old", D(2020, 1, 1), D(2021, 1, 1))
    result = merge_deliveries([
        dlv("old-1", "Old", dt.datetime(2026, 5, 1, 9), [A, vanished, B]),
        dlv("old-2", "Old", dt.datetime(2026, 6, 10, 9), [A, B]),
        dlv("old-test", "Old", dt.datetime(2026, 6, 20, 9), [A], name="T402"),
        dlv("new-test", "New", dt.datetime(2026, 6, 20, 9), [B2], name="T402"),
        dlv("new-1", "New", dt.datetime(2026, 6, 11, 9), [B2]),
    ], PLAN)
    assert ids(result.services) == ["A", "B'"]
    reasons = Counter(e.reason for e in result.excluded)
    assert reasons == {ExclusionReason.NOT_LATEST_DELIVERY: 3,
                       ExclusionReason.TEST_DELIVERY: 2,
                       ExclusionReason.ACTIVE_IN_OLD_SYSTEM: 1}
    assert codes(result) == [("CM304", ("V",))]
    assert result.findings[0].details["earlier"] == "old-1"


def test_same_sent_time_is_an_error_but_deterministic() -> None:
    sent = dt.datetime(2026, 6, 11, 9)
    one = dlv("n-1", "New", sent, [svc("P", "New")])
    two = dlv("n-2", "New", sent, [svc("Q", "New")])
    for order in ([one, two], [two, one]):
        result = merge_deliveries(order, PLAN)
        assert [d.delivery_id for d in result.used] == ["n-2"]
        assert ("CM305", ("n-1", "n-2")) in codes(result)


def test_aware_and_naive_sent_times_are_ordered_as_instants() -> None:
    # 09:00 Danish summer time is 07:00 UTC; the aware delivery at 07:30 UTC is later.
    naive = dlv("n-naive", "New", dt.datetime(2026, 6, 11, 9, 0), [svc("P", "New")])
    aware = dlv("n-aware", "New", dt.datetime(2026, 6, 11, 7, 30, tzinfo=dt.UTC),
                [svc("Q", "New")])
    result = merge_deliveries([naive, aware], PLAN)
    assert [d.delivery_id for d in result.used] == ["n-aware"]


def test_misfiled_services_and_foreign_deliveries() -> None:
    foreign = svc("F", "Old", end=D(2024, 1, 1), municipality=621)
    wrong_system = svc("W", "Older", D(2020, 1, 1), D(2021, 1, 1))
    result = merge_deliveries([
        dlv("old", "Old", D(2026, 6, 10), [A, foreign, wrong_system, A]),
        dlv("older", "Older", D(2026, 6, 10), [wrong_system]),
        dlv("kolding", "New", D(2026, 6, 10), [B2], municipality=621),
    ], PLAN)
    assert ids(result.services) == ["A", "W"]
    assert codes(result) == [
        ("CM306", ("F",)), ("CM307", ("A",)), ("CM308", ("W",)), ("CM312", ("New",))]
    assert Counter(e.reason for e in result.excluded) == {
        ExclusionReason.SERVICE_OF_OTHER_MUNICIPALITY: 1,
        ExclusionReason.DUPLICATE_IN_DELIVERY: 1,
        ExclusionReason.OTHER_SYSTEM: 1,
        ExclusionReason.OTHER_MUNICIPALITY: 1,
    }
    summary = result.summary()
    assert summary["services_in"] == 6 == summary["kept"] + summary["excluded"]
    assert summary["excluded_by_reason"]["DUPLICATE_IN_DELIVERY"] == 1
    assert summary["findings_by_code"] == {"CM306": 1, "CM307": 1, "CM308": 1, "CM312": 1}


def test_bad_input() -> None:
    with pytest.raises(InvalidType) as info:
        merge_deliveries([A], PLAN)  # type: ignore[list-item]
    assert info.value.field == "deliveries"
    with pytest.raises(InvalidType):
        merge_deliveries([], None)  # type: ignore[arg-type]
    with pytest.raises(InvalidType):
        find_service_overlaps("AB", cutover=C)  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------

systems = st.sampled_from(["Old", "New", "Older"])
services_st = st.builds(
    lambda sid, system, start, days, code, citizen: svc(
        f"S{sid}", system, start, None if days is None else start + dt.timedelta(days=days),
        code=code, citizen=citizen),
    st.integers(0, 40), systems, st.dates(D(2024, 1, 1), D(2027, 1, 1)),
    st.none() | st.integers(0, 900), st.sampled_from(["SEL85", "SEL107"]),
    st.sampled_from([ALICE, "010203-4321"]),
)
deliveries_st = st.lists(
    st.builds(
        lambda did, system, day, hour, name, services, municipality: dlv(
            f"d{did}", system, dt.datetime.combine(day, dt.time(hour)), services, name,
            municipality),
        st.integers(0, 50), systems, st.dates(D(2026, 5, 1), D(2026, 7, 1)),
        st.integers(8, 10), st.sampled_from(["L402", "L402", "T402"]),
        st.lists(services_st, max_size=6), st.sampled_from([607, 607, 621]),
    ),
    max_size=6, unique_by=lambda d: d.delivery_id,
)


@given(deliveries_st)
def test_nothing_is_lost(deliveries: list[Delivery]) -> None:
    """Every service of every delivery is in services or excluded, exactly once."""
    result = merge_deliveries(deliveries, PLAN)
    given_in = Counter(s for d in deliveries for s in d.services)
    accounted = Counter(result.services) + Counter(e.service for e in result.excluded)
    assert accounted == given_in
    assert result.summary()["services_in"] == sum(given_in.values())
    _ledger_explains_every_old_active_service(result)
    # Checked before the merge, with the old active services still in, the services
    # give the merge's own CM301: an active old-system service is never counted twice.
    old_active = [e.service for e in result.excluded
                  if e.reason is ExclusionReason.ACTIVE_IN_OLD_SYSTEM]
    before = find_service_overlaps([*result.services, *old_active], cutover=C,
                                   old_system="Old", new_system="New")
    if "CM308" not in {f.code for f in result.findings}:  # a misfiled service is judged
        assert ({f.subjects for f in before if f.code == "CM301"}  # by its delivery
                == {f.subjects for f in result.findings if f.code == "CM301"})


@given(deliveries_st, st.randoms())
def test_merge_does_not_depend_on_order(deliveries: list[Delivery],
                                        rnd: random.Random) -> None:
    shuffled = list(deliveries)
    rnd.shuffle(shuffled)
    one, other = merge_deliveries(deliveries, PLAN), merge_deliveries(shuffled, PLAN)
    assert one == other
    assert one.summary() == other.summary()


def _ledger_explains_every_old_active_service(result: MergeResult) -> None:
    """The old active services' outcomes sum to their exclusions, and match the findings."""
    summary = result.summary()
    outcomes = summary["old_active_by_outcome"]
    assert sum(outcomes.values()) == summary["excluded_by_reason"]["ACTIVE_IN_OLD_SYSTEM"]
    assert all(n >= 0 for n in outcomes.values())
    found = Counter(f.code for f in result.findings)
    assert outcomes["NOT_RECREATED"] == found["CM315"]
    assert outcomes["RECREATED_DIFFERS"] >= found["CM316"]
    assert result.to_dict() == {"schema": 1, **summary}


@given(st.lists(services_st, max_size=12, unique_by=lambda s: s.service_id))
def test_merging_only_the_new_system_returns_it_unchanged(services: list[Service]) -> None:
    new_services = [Service(**{**{f: getattr(s, f) for f in (
        "service_id", "municipality", "citizen", "code", "target_groups", "start", "end")},
        "system": "New"}) for s in services]
    result = merge_deliveries([dlv("n", "New", D(2026, 6, 11), new_services)], PLAN)
    assert sorted(result.services, key=lambda s: s.service_id) == sorted(
        new_services, key=lambda s: s.service_id)
    assert result.excluded == ()
    assert [f.code for f in result.findings if f.code not in ("CM303",)] == ["CM312"]


@given(st.lists(services_st, max_size=14, unique_by=lambda s: s.service_id), st.randoms())
def test_overlaps_match_brute_force_and_ignore_order(services: list[Service],
                                                     rnd: random.Random) -> None:
    expected = set()
    for a in services:
        for b in services:
            if (a.service_id < b.service_id and a.system != b.system and a.code == b.code
                    and a.citizen == b.citizen and a.start and b.start):
                last_a = a.end or D(9999, 1, 1)
                last_b = b.end or D(9999, 1, 1)
                if max(a.start, b.start) <= min(last_a, last_b):
                    expected.add((a.service_id, b.service_id))
    shuffled = list(services)
    rnd.shuffle(shuffled)
    found = find_service_overlaps(services, cutover=C)
    assert {f.subjects for f in found if f.code == "CM301"} == expected
    assert found == find_service_overlaps(shuffled, cutover=C)


# --- service completeness ---------------------------------------------------------

def test_check_services() -> None:
    services = [
        svc("ok", "Old", end=D(2024, 1, 1)),
        svc("no-start", "Old", start=None, end=D(2024, 1, 1)),
        svc("no-groups", "New", groups=frozenset()),
        svc("bad-groups", "New", groups=frozenset({"1.2", "1..2", "A.1", "1.", ""})),
        svc("future", "Old", end=D(2026, 12, 31)),
        svc("ends-on-as-of", "Old", end=D(2026, 6, 1)),
        svc("no-citizen", "New", citizen=None),
        svc("other", "Older", start=None),
    ]
    found = check_services(services, PLAN, as_of=D(2026, 6, 1))
    assert codes(found) == [
        ("CM309", ("no-citizen",)), ("CM309", ("no-groups",)), ("CM309", ("no-start",)),
        ("CM310", ("bad-groups",)), ("CM311", ("future",)), ("CM313", ()),
    ]
    assert found[2].details["missing"] == ("start date",)
    assert found[3].details["groups"] == ("", "1.", "1..2", "A.1")
    assert "future" not in {f.subjects[0] for f in check_services(services, PLAN) if f.subjects}


def test_within_system_overlaps_are_opt_in() -> None:
    basis = [svc("A", "New", D(2020, 1, 1), D(2023, 12, 31)), svc("B", "New", D(2022, 5, 1)),
             svc("C", "New", D(2024, 1, 1), D(2024, 2, 1)),   # meets A's end + 1: no overlap
             svc("O", "Old", D(2019, 1, 1), D(2020, 6, 30))]
    assert codes(find_service_overlaps(basis, cutover=C)) == [("CM301", ("A", "O"))]
    found = find_service_overlaps(basis, cutover=C, within_system=True)
    assert codes(found) == [("CM301", ("A", "O")), ("CM314", ("A", "B")), ("CM314", ("B", "C"))]
    assert [f.details["later"] for f in found] == ["A", "B", "C"]
    assert (found[1].details["first"], found[1].details["last"]) == (D(2022, 5, 1),
                                                                     D(2023, 12, 31))


@given(st.lists(services_st, max_size=14, unique_by=lambda s: s.service_id))
def test_later_members_match_the_cummax_flag(services: list[Service]) -> None:
    """A service overlaps an earlier one (by start, then id) of its citizen and code
    exactly when its start is on or before the greatest end among the earlier ones."""
    expected = set()
    groups: dict[tuple[object, object], list[Service]] = {}
    for s in services:
        groups.setdefault((s.citizen, s.code), []).append(s)
    for group in groups.values():
        running: dt.date | None = None
        ordered = sorted(group, key=lambda s: (s.start, s.service_id))  # type: ignore[arg-type, return-value]
        for index, s in enumerate(ordered):
            assert s.start is not None
            if index and (running is None or s.start <= running):
                expected.add(s.service_id)
            end = s.end or D(9999, 1, 1)
            running = end if index == 0 or running is None else max(running, end)
    found = find_service_overlaps(services, cutover=C, within_system=True)
    assert {f.details["later"] for f in found if f.code in ("CM301", "CM314")} == expected


def test_merge_without_overlap_checks_builds_the_same_basis() -> None:
    sent = [dlv("old", "Old", D(2026, 6, 10), [A, svc("B", "Old", end=C), C_]),
            dlv("new", "New", D(2026, 6, 11), [B2, D_])]
    full = merge_deliveries(sent, PLAN)
    basis = merge_deliveries(sent, PLAN, check_overlaps=False)
    assert basis.services == full.services
    assert basis.excluded == full.excluded
    assert codes(full) == [("CM301", ("B", "B'")), ("CM302", ("B", "B'"))]
    assert codes(basis) == []


# An active old-system service is not counted by DST ("Fra tidligere system udvælges
# alle afsluttede ydelser"): with the roles known it is counted twice with nothing.

@pytest.mark.parametrize("roles", [{"old_system": "Old", "new_system": "New"},
                                   {"old_system": "Old"}, {"new_system": "New"}])
def test_active_old_service_and_its_recreation_are_not_counted_twice(
        roles: dict[str, str]) -> None:
    old = svc("A", "Old", D(2021, 1, 1))
    new = svc("B", "New", D(2021, 1, 1))
    assert codes(find_service_overlaps([old, new], cutover=C, **roles)) == []
    # The same pair with the old service closed on the cutover is counted twice.
    closed = svc("A", "Old", D(2021, 1, 1), C)
    assert codes(find_service_overlaps([closed, new], cutover=C, **roles)) == [
        ("CM301", ("A", "B")), ("CM302", ("A", "B"))]
    # An active old service beside a closed new one: only the new one is counted.
    short = svc("B", "New", D(2026, 6, 2), D(2026, 8, 1))
    assert codes(find_service_overlaps([old, short], cutover=C, **roles)) == []


def test_readiness_judges_an_active_old_service_by_its_recreation_only() -> None:
    from casemigrate import check_readiness

    old = svc("A", "Old", D(2021, 1, 1))
    new = svc("B", "New", D(2021, 2, 1))
    report = check_readiness(PLAN, services=[old, new], as_of=C)
    found = [(f.code, f.subjects) for f in report.findings if f.code.startswith("CM3")]
    assert found == [("CM316", ("A", "B"))]


def test_merge_and_overlaps_agree_on_an_active_old_service() -> None:
    old = svc("A", "Old", D(2021, 1, 1))
    new = svc("B", "New", D(2021, 1, 1))
    merged = merge_deliveries([dlv("old", "Old", dt.datetime(2026, 6, 10, 9), [old]),
                               dlv("new", "New", dt.datetime(2026, 6, 20, 9), [new])], PLAN)
    direct = find_service_overlaps([old, new], cutover=C, old_system="Old",
                                   new_system="New")
    assert [f.code for f in merged.findings if f.code in ("CM301", "CM302")] == []
    assert [f.code for f in direct] == []
    assert [s.service_id for s in merged.services] == ["B"]


def test_the_ledger_counts_the_recreated_unchanged_too() -> None:
    # Old active: A (re-created unchanged), B (another start), F (start on the cutover),
    # E (not re-created): 4 excluded = 1 + 2 + 1, in str, summary and to_dict.
    old = [svc("A", "Old", D(2021, 1, 1)), svc("B", "Old", D(2021, 1, 1), code="X"),
           svc("E", "Old", D(2021, 1, 1), code="Y"), svc("F", "Old", D(2021, 1, 1), code="Z")]
    new = [svc("A'", "New", D(2021, 1, 1)), svc("B'", "New", D(2021, 2, 1), code="X"),
           svc("F'", "New", C, code="Z")]
    result = merge_deliveries([dlv("o", "Old", dt.datetime(2026, 6, 10, 9), old),
                               dlv("n", "New", dt.datetime(2026, 6, 11, 9), new)], PLAN)
    assert result.summary()["old_active_by_outcome"] == {
        "RECREATED_UNCHANGED": 1, "RECREATED_DIFFERS": 2, "NOT_RECREATED": 1,
        "NOT_COMPARED": 0}
    assert [f.code for f in result.findings] == ["CM315", "CM303", "CM316"]
    text = str(result)
    assert text != repr(result)
    assert "ACTIVE_IN_OLD_SYSTEM" not in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "– active in the old system: the new system reports it 4" in lines
    assert "· re-created unchanged 1" in lines
    assert "· re-created, another start or target groups (CM316, CM303) 2" in lines
    assert "· not re-created (CM315) 1" in lines
    from casemigrate.render import merge_text

    assert "· ikke oprettet på ny (CM315) 1" in [
        " ".join(line.split()) for line in merge_text(result, "da").splitlines()]


def test_without_the_new_system_the_old_active_are_not_compared() -> None:
    result = merge_deliveries(
        [dlv("o", "Old", dt.datetime(2026, 6, 10, 9), [svc("A", "Old", D(2021, 1, 1))])], PLAN)
    assert result.summary()["old_active_by_outcome"]["NOT_COMPARED"] == 1
    assert result.recreation["NOT_COMPARED"] == 1


def test_merge_to_dict_is_the_report_merge() -> None:
    from casemigrate import check_readiness
    from casemigrate.readiness import SCHEMA_VERSION

    sent = [dlv("o", "Old", dt.datetime(2026, 6, 10, 9), [svc("A", "Old", D(2021, 1, 1))]),
            dlv("n", "New", dt.datetime(2026, 6, 11, 9), [svc("B", "New", D(2021, 1, 1))])]
    data = merge_deliveries(sent, PLAN).to_dict()
    report = check_readiness(PLAN, deliveries=sent, as_of=C).to_dict()
    assert data.pop("schema") == SCHEMA_VERSION == report["schema"]
    assert data == report["merge"]
    assert data["old_active_by_outcome"]["RECREATED_UNCHANGED"] == 1


def test_cm302_is_kept_with_within_system_when_an_active_old_service_starts_on_the_cutover(
) -> None:
    """An active old-system service starting on the cutover, looked at before the new
    system's service of that day, no longer prunes the old service ending on the eve:
    CM302 holds whatever the ids, with or without ``within_system``."""
    cutover = dt.date(2026, 6, 1)

    def s(sid: str, system: str, start: dt.date, end: dt.date | None = None) -> Service:
        return Service(service_id=sid, municipality=607, citizen="211062-1234", code="SEL107",
                       target_groups={"1.1"}, start=start, end=end, system=system)

    for old_id, new_id in (("A", "B"), ("B", "A")):
        basis = [s("S", "Old", dt.date(2021, 1, 1), dt.date(2026, 5, 31)),
                 s(old_id, "Old", cutover), s(new_id, "New", cutover)]
        for within in (False, True):
            found = find_service_overlaps(basis, cutover=cutover, old_system="Old",
                                          new_system="New", within_system=within)
            assert [(f.code, f.subjects) for f in found] == [
                ("CM302", tuple(sorted((new_id, "S")))), ("CM303", (new_id,))], (old_id, within)


def _overlaps(basis: list[Service], **roles: object) -> list[tuple[str, tuple[str, ...],
                                                                    dict[str, str]]]:
    found = find_service_overlaps(basis, cutover=C, **roles)  # type: ignore[arg-type]
    return [(f.code, f.subjects, {k: str(v) for k, v in f.details.items()}) for f in found]


def test_the_new_system_alone_names_the_roles_even_when_it_started_first() -> None:
    """Both closed, the new system's service first: the one of the other system is still
    the old one, and the shared days run from its start to the earlier end."""
    basis = [svc("Y", "New", D(2020, 1, 1), D(2020, 12, 31)),
             svc("X", "Legacy", D(2020, 6, 1), D(2021, 6, 30))]
    assert _overlaps(basis, new_system="New") == [("CM301", ("X", "Y"), {
        "old": "X", "new": "Y", "old_period": "2020-06-01..2021-06-30",
        "new_period": "2020-01-01..2020-12-31", "first": "2020-06-01", "last": "2020-12-31",
        "days": "214", "later": "X"})]


def test_without_roles_a_tie_on_start_and_id_makes_the_first_system_by_name_the_old() -> None:
    basis = [svc("A", "Beta", D(2020, 1, 1), D(2021, 6, 30)),
             svc("A", "Alpha", D(2020, 1, 1), D(2020, 12, 31))]
    ((code, _, details),) = _overlaps(basis)
    assert (code, details["old_period"], details["new_period"]) == (
        "CM301", "2020-01-01..2020-12-31", "2020-01-01..2021-06-30")


def test_cm302_needs_the_new_service_to_run_past_the_cutover() -> None:
    old = svc("A", "Old", D(2021, 1, 1), D(2026, 5, 31))
    assert _overlaps([old, svc("B", "New", C, C)]) == []
    assert [code for code, _, _ in _overlaps([old, svc("B", "New", C, D(2026, 6, 2))])] == [
        "CM302"]


def test_an_active_old_service_meets_its_own_systems_later_and_earlier_services() -> None:
    """With the roles known, an active old-system service is not counted against the new
    system, but within its own system it overlaps what comes after it and what still
    runs when it starts (a single shared day included), and nothing that ended before."""
    later = [svc("O1", "Old", D(2020, 1, 1)), svc("O2", "Old", D(2020, 6, 1), D(2020, 8, 31)),
             svc("O3", "Old", D(2021, 1, 1))]
    assert [(code, subjects, details["days"]) for code, subjects, details in
            _overlaps(later, old_system="Old", within_system=True)] == [
        ("CM314", ("O1", "O2"), "92"), ("CM314", ("O1", "O3"), "None")]
    earlier = [svc("E0", "Old", D(2019, 1, 1), D(2019, 6, 30)),
               svc("O0", "Old", D(2020, 1, 1), D(2020, 6, 1)), svc("O1", "Old", D(2020, 6, 1)),
               svc("N1", "New", D(2020, 9, 1))]
    assert [(code, subjects, details["days"]) for code, subjects, details in
            _overlaps(earlier, old_system="Old", within_system=True)] == [
        ("CM314", ("O0", "O1"), "1")]


def test_overlaps_skip_a_service_without_start_citizen_or_code_and_check_the_rest() -> None:
    incomplete = [svc("S", "Old", None, code="SEL108"), svc("P", "Old", citizen=None,
                                                            code="SEL108"),
                  Service(service_id="K", municipality=607, citizen=ALICE, code=None,
                          target_groups={"1.1"}, start=START, system="Old")]
    pair = [svc("A", "Old", D(2021, 1, 1), D(2026, 5, 31)), svc("B", "New", D(2021, 1, 1))]
    for skipped in incomplete:
        # Given first, with a service it would overlap were it complete.
        twin = [skipped, svc(skipped.service_id + "2", "New", START, code="SEL108")]
        assert find_service_overlaps([*twin, *pair], cutover=C) == find_service_overlaps(
            pair, cutover=C)
    assert [f.code for f in find_service_overlaps(pair, cutover=C)] == ["CM301", "CM302"]
