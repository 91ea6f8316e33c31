from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    Case,
    CutoverPlan,
    Delivery,
    InvalidType,
    Register,
    find_blocking_cases,
    find_duplicate_active_cases,
    find_reporting_overlap,
)
from casemigrate.testing import cpr_strings

D = dt.date
CUTOVER = D(2026, 6, 1)
ALICE, BOB = "211062-1234", "010203-4321"


def plan(register: Register = Register.SMDB, cutover: dt.date = CUTOVER) -> CutoverPlan:
    return CutoverPlan(municipality=607, register=register, old_system="Old",
                       new_system="New", cutover=cutover)


def delivery(did: str, name: str, system: str, sent: dt.datetime | dt.date,
             municipality: int = 607) -> Delivery:
    return Delivery(delivery_id=did, name=name, system=system, municipality=municipality,
                    sent=sent)


def case(cid: str, citizen: str | None, system: str, opened: dt.date,
         closed: dt.date | None = None, municipality: int = 607) -> Case:
    return Case(case_id=cid, municipality=municipality, citizen=citizen, system=system,
                opened=opened, closed=closed)


def found(findings: tuple) -> list[tuple[str, tuple[str, ...]]]:  # type: ignore[type-arg]
    return [(f.code, f.subjects) for f in findings]


# --- reporting overlap ------------------------------------------------------------

SMDB_DELIVERIES = [
    delivery("old-before", "L402", "Old", dt.datetime(2026, 5, 31, 23, 59)),
    delivery("old-on", "L402", "Old", dt.datetime(2026, 6, 1, 0, 0)),
    delivery("old-test-after", "T402", "Old", D(2026, 6, 5)),
    delivery("new-before", "L402", "New", dt.datetime(2026, 5, 29, 12)),
    delivery("new-test-before", "T402", "New", D(2026, 5, 20)),
    delivery("new-on", "L402", "New", D(2026, 6, 1)),
    delivery("other-system", "L402", "Older", D(2026, 6, 1)),
    delivery("other-municipality", "L402", "New", D(2026, 6, 1), municipality=621),
]


def test_smdb_reporting_overlap() -> None:
    assert found(find_reporting_overlap(SMDB_DELIVERIES, plan())) == [
        ("CM201", ("old-on",)),
        ("CM202", ("new-before",)),
        ("CM208", ("other-municipality",)),
        ("CM208", ("other-system",)),
    ]


def test_handicap_old_reporting_after_cutover_is_expected() -> None:
    assert found(find_reporting_overlap(SMDB_DELIVERIES, plan(Register.HANDICAP))) == [
        ("CM202", ("new-before",)),
        ("CM203", ("old-on",)),
        ("CM208", ("other-municipality",)),
        ("CM208", ("other-system",)),
    ]


def test_aware_times_are_judged_on_the_danish_date() -> None:
    # 22:30 UTC on 31 May is 00:30 on 1 June in Copenhagen (CEST, UTC+2).
    late = delivery("x", "L402", "Old", dt.datetime(2026, 5, 31, 22, 30, tzinfo=dt.UTC))
    early = delivery("y", "L402", "Old", dt.datetime(2026, 5, 31, 21, 30, tzinfo=dt.UTC))
    assert found(find_reporting_overlap([late, early], plan())) == [("CM201", ("x",))]


def test_overlap_rejects_non_deliveries() -> None:
    with pytest.raises(InvalidType):
        find_reporting_overlap(["L402"], plan())  # type: ignore[list-item]
    with pytest.raises(InvalidType):
        find_reporting_overlap([], "plan")  # type: ignore[arg-type]


# --- duplicate active cases -------------------------------------------------------

def test_duplicate_active_cases_across_systems() -> None:
    cases = [
        case("OLD-1", ALICE, "Old", D(2024, 2, 1)),
        case("NEW-7", ALICE, "New", D(2026, 3, 2)),
        case("OLD-2", ALICE, "Old", D(2020, 1, 1), closed=D(2026, 3, 2)),  # closed on the day
        case("OLD-3", BOB, "Old", D(2024, 2, 1)),
        case("OLD-4", BOB, "Old", D(2026, 3, 3)),  # opens the day after
        case("K-1", ALICE, "Old", D(2024, 2, 1), municipality=621),  # other municipality
        case("X-1", None, "Old", D(2024, 2, 1)),
        case("X-2", None, "Old", D(2024, 2, 1)),
    ]
    result = find_duplicate_active_cases(cases, as_of=D(2026, 3, 2))
    assert found(result) == [("CM204", ("NEW-7", "OLD-1")), ("CM205", ("X-1", "X-2"))]
    assert result[0].details["systems"] == ("New", "Old")
    assert result[1].details["count"] == 2
    assert result[0].details["municipality"].code == 607


def test_boundary_opened_and_closed_on_as_of() -> None:
    day = D(2026, 3, 2)
    opened_on = [case("A", ALICE, "Old", D(2026, 1, 1)), case("B", ALICE, "New", day)]
    assert found(find_duplicate_active_cases(opened_on, as_of=day)) == [("CM204", ("A", "B"))]
    closed_on = [case("A", ALICE, "Old", D(2026, 1, 1), closed=day), case("B", ALICE, "New", day)]
    assert found(find_duplicate_active_cases(closed_on, as_of=day)) == []


cases_strategy = st.lists(
    st.builds(
        lambda i, cpr, sys, opened, days: case(
            f"C{i}", cpr, sys, opened,
            None if days is None else opened + dt.timedelta(days=days)),
        st.integers(0, 10**6), st.sampled_from([ALICE, BOB, None]) | cpr_strings(),
        st.sampled_from(["Old", "New"]), st.dates(D(2024, 1, 1), D(2026, 12, 31)),
        st.none() | st.integers(0, 400),
    ),
    max_size=30, unique_by=lambda c: c.case_id,
)


@given(cases_strategy, st.dates(D(2024, 1, 1), D(2026, 12, 31)), st.randoms())
def test_duplicates_do_not_depend_on_order(cases: list[Case], as_of: dt.date,
                                           rnd: random.Random) -> None:
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert find_duplicate_active_cases(cases, as_of=as_of) == find_duplicate_active_cases(
        shuffled, as_of=as_of)


@given(cases_strategy, st.dates(D(2024, 1, 1), D(2026, 12, 31)))
def test_duplicates_match_a_brute_force_count(cases: list[Case], as_of: dt.date) -> None:
    expected = set()
    for a in cases:
        group = tuple(sorted(
            b.case_id for b in cases
            if a.citizen is not None and b.citizen == a.citizen and b.is_active_on(as_of)
        ))
        if len(group) > 1 and a.is_active_on(as_of):
            expected.add(group)
    got = {f.subjects for f in find_duplicate_active_cases(cases, as_of=as_of)
           if f.code == "CM204"}
    assert got == expected


@given(cases_strategy, st.integers(-20, 20))
def test_shifting_every_date_shifts_the_findings(cases: list[Case], weeks: int) -> None:
    shift = dt.timedelta(weeks=weeks)
    moved = [case(c.case_id, c.citizen.unmasked() if c.citizen else None, c.system,
                  c.opened + shift, None if c.closed is None else c.closed + shift)
             for c in cases]
    as_of = D(2025, 6, 1)
    a = find_duplicate_active_cases(cases, as_of=as_of)
    b = find_duplicate_active_cases(moved, as_of=as_of + shift)
    assert [(f.code, f.subjects) for f in a] == [(f.code, f.subjects) for f in b]
    assert [f.details.get("day") for f in b] == [
        None if f.details.get("day") is None else f.details["day"] + shift for f in a]


# --- blocking cases ---------------------------------------------------------------

def test_blocking_cases_worked_example() -> None:
    cases = [
        case("OLD-4", ALICE, "Old", D(2024, 1, 1)),                       # still active
        case("OLD-5", BOB, "Old", D(2024, 1, 1), closed=D(2026, 5, 22)),  # closed on deadline
        case("OLD-6", BOB, "Old", D(2024, 1, 1), closed=D(2026, 5, 23)),  # one day late
        case("NEW-1", ALICE, "New", CUTOVER),
        case("OTHER", ALICE, "Older", D(2024, 1, 1)),
        case("X", None, "New", CUTOVER),
    ]
    result = find_blocking_cases(cases, plan())
    assert found(result) == [
        ("CM206", ("OLD-4",)),
        ("CM206", ("OLD-6",)),
        ("CM207", ("NEW-1", "OLD-4")),
        ("CM205", ("X",)),
        ("CM210", ()),
    ]
    assert result[0].details["deadline"] == D(2026, 5, 22)
    assert result[-1].details["count"] == 1  # OTHER, in a system outside the plan


def test_blocking_cases_do_not_apply_to_handicap() -> None:
    result = find_blocking_cases([case("OLD-4", ALICE, "Old", D(2024, 1, 1))],
                                 plan(Register.HANDICAP))
    assert found(result) == [("CM001", ("find_blocking_cases",))]


@given(cases_strategy, st.randoms())
def test_blocking_does_not_depend_on_order(cases: list[Case], rnd: random.Random) -> None:
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert find_blocking_cases(cases, plan()) == find_blocking_cases(shuffled, plan())


QUIET_MONDAYS = [D(2026, 9, 7), D(2026, 9, 14), D(2026, 10, 5), D(2027, 9, 6)]


@given(cases_strategy, st.sampled_from(QUIET_MONDAYS), st.integers(0, 3))
def test_blocking_findings_move_with_the_dates(cases: list[Case], cutover: dt.date,
                                               weeks: int) -> None:
    """Shifting the cutover and every case by whole weeks, away from holidays, shifts
    the deletion deadline and keeps the same cases blocking."""
    shift = dt.timedelta(weeks=weeks)
    moved = [case(c.case_id, c.citizen.unmasked() if c.citizen else None, c.system,
                  c.opened + shift, None if c.closed is None else c.closed + shift)
             for c in cases]
    a = find_blocking_cases(cases, plan(cutover=cutover))
    b = find_blocking_cases(moved, plan(cutover=cutover + shift))
    assert [(f.code, f.subjects) for f in a] == [(f.code, f.subjects) for f in b]
    assert [f.details.get("deadline") for f in b] == [
        None if f.details.get("deadline") is None else f.details["deadline"] + shift
        for f in a]


_SMDB = CutoverPlan(municipality=607, register=Register.SMDB, old_system="Old",
                    new_system="New", cutover=dt.date(2026, 6, 1))
_DELETED = {"O-1": dt.date(2026, 5, 20)}


def _case(cid: str, system: str, opened: dt.date = dt.date(2020, 1, 1),
          closed: dt.date | None = None) -> Case:
    return Case(case_id=cid, municipality=607, citizen="211062-1234", system=system,
                opened=opened, closed=closed)


def test_find_blocking_cases_takes_as_of_as_a_datetime_at_midnight() -> None:
    """A datetime (a pandas Timestamp too) at midnight is its day, as everywhere else; it
    was validated and then compared as given, which raised TypeError."""
    old = _case("O-1", "Old")
    expected = find_blocking_cases([old], _SMDB, deleted_at_dst=_DELETED,
                                   as_of=dt.date(2026, 7, 1))
    assert [f.code for f in expected] == ["CM209"]
    assert find_blocking_cases([old], _SMDB, deleted_at_dst=_DELETED,
                               as_of=dt.datetime(2026, 7, 1)) == expected


def test_cm209_counts_a_new_case_active_on_some_day_from_the_cutover_to_as_of() -> None:
    """Active on a day as ``Case.is_active_on`` says: opened by then, not closed on it. A
    new case closed on the cutover day was never active in the new system's period."""
    old, as_of = _case("O-1", "Old"), dt.date(2026, 7, 1)

    def cm209(new: Case) -> list[str]:
        found = find_blocking_cases([old, new], _SMDB, deleted_at_dst=_DELETED, as_of=as_of)
        return [f.code for f in found if f.code == "CM209"]

    assert cm209(_case("N-1", "New", opened=as_of)) == []
    assert cm209(_case("N-1", "New", opened=as_of + dt.timedelta(days=1))) == ["CM209"]
    assert cm209(_case("N-1", "New", closed=dt.date(2026, 6, 2))) == []
    assert cm209(_case("N-1", "New", closed=dt.date(2026, 6, 1))) == ["CM209"]


def test_cm209_carries_every_value_of_its_message() -> None:
    (found,) = find_blocking_cases([_case("O-1", "Old")], _SMDB, deleted_at_dst=_DELETED,
                                   as_of=dt.date(2026, 7, 1))
    assert (found.code, found.subjects, found.message) == (
        "CM209", ("O-1",), "O-1 was active in Old when DST deleted it on 2026-05-20; by "
        "2026-07-01 the citizen (211062-****) has no case in New")
    assert {k: str(v) for k, v in found.details.items()} == {
        "case": "O-1", "old_system": "Old", "deleted": "2026-05-20", "latest": "2026-07-01",
        "citizen": "211062-****", "new_system": "New", "rereport_by": "2026-06-15"}


def test_a_new_system_case_is_never_deleted_at_dst() -> None:
    """Only the old system's cases are deleted at DST: a date given for a new-system
    case does not take it out of the CM207 check."""
    old, new = _case("O-1", "Old"), _case("N-1", "New", opened=dt.date(2026, 5, 1))
    found = find_blocking_cases([old, new], _SMDB, deleted_at_dst={"N-1": dt.date(2026, 5, 20)})
    assert [(f.code, f.subjects) for f in found] == [("CM206", ("O-1",)),
                                                      ("CM207", ("N-1", "O-1"))]


def test_blocking_cases_name_their_bad_arguments_and_say_why_not_run_in_danish() -> None:
    old = _case("O-1", "Old")
    for kw, message in (
        ({"deleted_at_dst": [1]},
         "deleted_at_dst: expected a mapping of case id to date, got list"),
        ({"deleted_at_dst": {1: dt.date(2026, 1, 1)}},
         "deleted_at_dst: keys must be case ids, got int"),
        ({"as_of": "x"}, "as_of: expected a date, got str"),
    ):
        with pytest.raises(InvalidType) as raised:
            find_blocking_cases([old], _SMDB, **kw)  # type: ignore[arg-type]
        assert str(raised.value) == message
    handicap = CutoverPlan(municipality=607, register=Register.HANDICAP, old_system="Old",
                           new_system="New", cutover=dt.date(2026, 6, 1))
    assert [f.message_in("da") for f in find_blocking_cases([old], handicap)] == [
        "find_blocking_cases blev ikke kørt: spærrende aktive sager er en regel for SMDB, "
        "ikke for HANDICAP"]


def test_a_subclass_of_case_is_a_case() -> None:
    class Imported(Case):
        __slots__ = ()

    cases = [Imported(case_id=c, municipality=607, citizen="211062-1234", system="Old",
                      opened=dt.date(2020, 1, 1)) for c in ("A", "B")]
    found = find_duplicate_active_cases(cases, as_of=dt.date(2026, 1, 5))
    assert [(f.code, f.subjects) for f in found] == [("CM204", ("A", "B"))]
