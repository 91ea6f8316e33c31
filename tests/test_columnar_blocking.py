"""Blocking cases over a cases table against the record path: equal findings.

Hypothesis builds cases tables with ids that collide across systems, cases of other
municipalities and systems, cases without a citizen, cases closed on the cutover, the
deletion deadline or the deletion day, dates before 1970 and far in the future; plans
with and without a recorded deletion of the active courses; ``deleted_at_dst`` maps;
``as_of`` before and after the re-reporting window. The same table goes in as the
records :func:`read_cases` reads from it and as the table itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

from casemigrate import (  # noqa: E402
    CutoverPlan,
    InvalidArgument,
    InvalidCPR,
    find_blocking_cases,
    read_cases,
)
from tests.test_columnar import CASE_TYPES, assert_same_findings, table  # noqa: E402

CUTOVER = dt.date(2026, 6, 1)
DEADLINE = dt.date(2026, 5, 22)  # delete_active_courses, moved back from Whit Monday
REREPORT_BY = dt.date(2026, 6, 15)
DELETION_DAYS = [dt.date(2026, 5, 20), DEADLINE, dt.date(2026, 5, 31), CUTOVER,
                 dt.date(2026, 6, 3), dt.date(1969, 12, 31)]
# Ids collide across systems; "2110621234" is an id that is a CPR number (masked).
IDS = st.sampled_from(["A", "B", "C", "a", "Ø-1", "10", "9", "2110621234"])
CITIZENS = st.sampled_from(["211062-1234", "2110621234", "010100-4321", "311299-0001", None])
SYSTEMS = st.sampled_from(["Old", "New", "old", "NEW", "Third"])
DAYS = st.one_of(
    st.sampled_from([*DELETION_DAYS, CUTOVER - dt.timedelta(days=1),
                     CUTOVER + dt.timedelta(days=1), DEADLINE + dt.timedelta(days=1),
                     REREPORT_BY, REREPORT_BY + dt.timedelta(days=1), dt.date(1970, 1, 1),
                     dt.date.min, dt.date(1955, 3, 1)]),
    st.dates(dt.date(2026, 5, 15), dt.date(2026, 6, 20)),
)
CLOSED = st.one_of(st.none(), st.just(dt.date.max), st.integers(0, 20), st.integers(0, 25_000))
AS_OF = st.sampled_from([None, REREPORT_BY, REREPORT_BY + dt.timedelta(days=1),
                         dt.date(2026, 7, 1), dt.date(2026, 5, 1), dt.date.max])
DELETIONS = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(["A", "B", "a", "Ø-1", "2110621234", "nowhere"]),
    st.sampled_from(DELETION_DAYS), max_size=4))


@st.composite
def cases(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 16))):
        opened = draw(DAYS)
        closed = draw(CLOSED)
        if isinstance(closed, int):
            closed = opened + dt.timedelta(days=closed) if opened.year < 9000 else None
        rows.append({
            "case_id": draw(IDS), "municipality": draw(st.sampled_from([607, 607, 101])),
            "citizen": draw(CITIZENS), "system": draw(SYSTEMS), "opened": opened,
            "closed": closed,
        })
    return rows


def smdb_plan(deleted: dt.date | None = None, register: str = "smdb") -> CutoverPlan:
    return CutoverPlan(municipality=607, register=register, old_system="Old",
                       new_system="New", cutover=CUTOVER,
                       done={} if deleted is None else {"delete_active_courses": deleted})


def both_ways(rows: list[dict[str, Any]], plan: CutoverPlan, **options: Any) -> Any:
    """The table path's findings, checked against the record path's on the records read."""
    cases_table = table(rows, CASE_TYPES)
    expected = find_blocking_cases(read_cases(cases_table).records, plan, **options)
    found = find_blocking_cases(cases_table, plan, **options)
    assert_same_findings(found, expected)
    return found, expected


@settings(max_examples=80, deadline=None)
@given(cases(), st.one_of(st.none(), st.sampled_from(DELETION_DAYS)), DELETIONS, AS_OF)
def test_blocking_cases_are_identical(rows: list[dict[str, Any]], deleted: dt.date | None,
                                      deletions: dict[str, dt.date] | None,
                                      as_of: dt.date | None) -> None:
    found, expected = both_ways(rows, smdb_plan(deleted), deleted_at_dst=deletions,
                                as_of=as_of)
    # Order independence, and a table in two chunks read as its rows.
    assert find_blocking_cases(table(rows[::-1], CASE_TYPES), smdb_plan(deleted),
                               deleted_at_dst=deletions, as_of=as_of) == expected
    half = len(rows) // 2
    chunked = pa.concat_tables([table(rows[:half], CASE_TYPES), table(rows[half:], CASE_TYPES)])
    assert find_blocking_cases(chunked, smdb_plan(deleted), deleted_at_dst=deletions,
                               as_of=as_of) == expected
    assert not any("1234" in str(f) or "1234" in f.message_in("da") for f in found)


@settings(max_examples=25, deadline=None)
@given(cases(), st.one_of(st.none(), st.sampled_from(DELETION_DAYS)), DELETIONS, AS_OF)
def test_the_frames_are_the_records_frames(rows: list[dict[str, Any]],
                                           deleted: dt.date | None,
                                           deletions: dict[str, dt.date] | None,
                                           as_of: dt.date | None) -> None:
    pytest.importorskip("pandas")
    from casemigrate import to_frame

    found, expected = both_ways(rows, smdb_plan(deleted), deleted_at_dst=deletions,
                                as_of=as_of)
    for language in ("en", "da"):
        assert to_frame(found, language=language).equals(to_frame(expected,
                                                                  language=language))


def test_the_sources_example_and_the_deletion_by_dst() -> None:
    rows = [{"case_id": "OLD-4", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2024, 1, 1), "closed": None}]
    found, _ = both_ways(rows, smdb_plan())
    assert [(f.code, f.subjects, f.details["deadline"]) for f in found] == [
        ("CM206", ("OLD-4",), DEADLINE)]
    # DST deleted every active course on 2026-05-20: CM206 clears; by 2026-06-16, with
    # no case of the citizen in the new system, CM209 names it.
    found, _ = both_ways(rows, smdb_plan(dt.date(2026, 5, 20)),
                         as_of=REREPORT_BY + dt.timedelta(days=1))
    assert [(f.code, f.subjects, f.details["deleted"]) for f in found] == [
        ("CM209", ("OLD-4",), dt.date(2026, 5, 20))]
    assert list(both_ways(rows, smdb_plan(dt.date(2026, 5, 20)), as_of=REREPORT_BY)[0]) == []


def test_colliding_ids_in_one_citizens_cases_are_qualified() -> None:
    rows = [{"case_id": "1", "municipality": 607, "citizen": "211062-1234", "system": system,
             "opened": dt.date(2020, 1, 1), "closed": None}
            for system in ("Old", "New", "Old")]
    rows.append({"case_id": "2", "municipality": 607, "citizen": "2110621234",
                 "system": "New", "opened": CUTOVER, "closed": None})
    rows.append({"case_id": "1", "municipality": 101, "citizen": "211062-1234",
                 "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None})
    found, _ = both_ways(rows, smdb_plan())
    assert [(f.code, f.subjects) for f in found] == [
        ("CM206", ("1",)), ("CM206", ("1",)), ("CM207", ("1@New", "1@Old", "2")),
        ("CM210", ())]
    assert found[-1].details["count"] == 1


def test_deleted_at_dst_is_by_case_id_and_late_deletions_do_not_count() -> None:
    rows = [{"case_id": case_id, "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None}
            for case_id in ("A", "B")]
    rows.append({"case_id": "N", "municipality": 607, "citizen": "211062-1234",
                 "system": "New", "opened": dt.date(2026, 6, 2), "closed": None})
    found, _ = both_ways(rows, smdb_plan(), deleted_at_dst={"A": dt.date(2026, 5, 20),
                                                             "B": CUTOVER},
                         as_of=dt.date(2026, 7, 1))
    # A: deleted in time, re-reported by N. B: deleted on the cutover, too late.
    assert [(f.code, f.subjects) for f in found] == [("CM206", ("B",))]


def test_cases_without_citizen_and_outside_the_plan_are_counted() -> None:
    rows = [{"case_id": f"C{i}", "municipality": 607 if i else 101, "citizen": None,
             "system": "Old" if i < 3 else "Archive", "opened": dt.date(2020, 1, 1),
             "closed": CUTOVER if i == 2 else None} for i in range(5)]
    found, _ = both_ways(rows, smdb_plan())
    codes = [(f.code, f.subjects) for f in found]
    assert codes == [("CM206", ("C1",)), ("CM206", ("C2",)), ("CM205", ("C1",)),
                     ("CM210", ())]
    assert found[-1].details["count"] == 3  # one of 101, two of Archive


def test_a_handicap_plan_is_not_applicable_and_keeps_the_refusals() -> None:
    rows = [{"case_id": "A", "municipality": 607, "citizen": "321062-1234", "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None}]
    plan = smdb_plan(register="handicap")
    found = find_blocking_cases(table(rows, CASE_TYPES), plan, errors="collect")
    assert [f.code for f in found] == ["CM002", "CM001"]  # a WARNING before an INFO
    assert found[1] == find_blocking_cases([], plan)[0]
    assert found.refusals.refused_rows == 1
    with pytest.raises(InvalidCPR):
        find_blocking_cases(table(rows, CASE_TYPES), plan)


def test_bad_rows_are_collected_as_the_reader_collects_them() -> None:
    rows = [{"case_id": f"C{i}", "municipality": 607, "citizen": "211062-1234",
             "system": "Old" if i else "New", "opened": dt.date(2020, 1, 1), "closed": None}
            for i in range(4)]
    rows[2]["citizen"] = "321062-1234"  # no such day
    rows[3]["closed"] = dt.date(2019, 1, 1)  # closed before it opened
    cases_table = table(rows, CASE_TYPES)
    read = read_cases(cases_table, errors="collect")
    expected = find_blocking_cases(read.records, smdb_plan())
    found = find_blocking_cases(cases_table, smdb_plan(), errors="collect")
    assert [f for f in found if f.code != "CM002"] == list(expected)
    assert [f.code for f in found].count("CM002") == 2
    assert found.refusals == read.refusals and found.refusals.refused_rows == 2
    assert [(f.code, f.subjects) for f in expected] == [("CM206", ("C1",)),
                                                        ("CM207", ("C0", "C1"))]
    with pytest.raises(InvalidCPR):
        find_blocking_cases(cases_table, smdb_plan())


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_a_pandas_or_polars_frame_is_a_table(library: str) -> None:
    frames = pytest.importorskip(library)
    rows = [{"case_id": "OLD-1", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None},
            {"case_id": "NEW-1", "municipality": 607, "citizen": "211062-1234",
             "system": "New", "opened": CUTOVER, "closed": None},
            {"case_id": "X", "municipality": 607, "citizen": None,
             "system": "New", "opened": CUTOVER, "closed": None}]
    frame = frames.DataFrame(rows)
    found = find_blocking_cases(frame, smdb_plan())
    assert found == find_blocking_cases(read_cases(frame).records, smdb_plan())
    assert [(f.code, f.subjects) for f in found] == [
        ("CM206", ("OLD-1",)), ("CM207", ("NEW-1", "OLD-1")), ("CM205", ("X",))]


def test_the_reader_options_are_for_tables_only() -> None:
    with pytest.raises(InvalidArgument) as error:
        find_blocking_cases([], smdb_plan(), errors="collect")
    assert error.value.field == "errors"
    renamed = table([{"case_id": "A", "municipality": 607, "citizen": None, "system": "Old",
                      "opened": dt.date(2020, 1, 1), "closed": None}], CASE_TYPES
                    ).rename_columns(["sag", "municipality", "citizen", "system", "opened",
                                      "closed"])
    assert [f.subjects for f in find_blocking_cases(renamed, smdb_plan(),
                                                    columns={"sag": "case_id"})] == [
        ("A",), ("A",)]


def test_a_qualified_id_that_is_a_cpr_number_is_masked() -> None:
    rows = [{"case_id": "2110621234", "municipality": 607, "citizen": "211062-1234",
             "system": system, "opened": dt.date(2026, 5, 20), "closed": None}
            for system in ("Old", "New")]
    found, expected = both_ways(rows, smdb_plan())
    assert [(f.code, f.subjects) for f in expected] == [
        ("CM206", ("211062-****",)), ("CM207", ("211062-****@New", "211062-****@Old"))]
    assert "2110621234" not in repr(list(found)) + str(found.to_arrow().to_pylist())


def test_two_citizens_with_the_same_case_ids_are_ordered_as_the_records_order_them() -> None:
    rows = [{"case_id": case_id, "municipality": 607, "citizen": citizen, "system": system,
             "opened": dt.date(2020, 1, 1), "closed": None}
            for citizen in ("311299-0001", "010100-4321", "211062-1234")
            for case_id, system in (("A", "Old"), ("B", "New"))]
    found, expected = both_ways(rows, smdb_plan())
    assert [(f.code, f.subjects) for f in found] == [("CM206", ("A",))] * 3 + [
        ("CM207", ("A", "B"))] * 3
    # Equal subjects: ordered by message, then details (the citizen's digits).
    assert [f.details["citizen"] for f in found[3:]] == [
        f.details["citizen"] for f in expected[3:]]
    assert [found[i] for i in range(6)] == list(expected)


def test_a_deletion_key_no_table_can_hold_matches_nothing() -> None:
    rows = [{"case_id": "A", "municipality": 607, "citizen": "211062-1234", "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None}]
    found, _ = both_ways(rows, smdb_plan(), deleted_at_dst={"\ud800": dt.date(2026, 5, 20),
                                                             "A": dt.date(2026, 5, 20)},
                         as_of=dt.date(2026, 7, 1))
    assert [(f.code, f.subjects) for f in found] == [("CM209", ("A",))]


@settings(max_examples=30, deadline=None)
@given(cases(), st.one_of(st.none(), st.sampled_from(DELETION_DAYS)), AS_OF)
def test_findings_about_many_cases_are_ordered_alike(rows: list[dict[str, Any]],
                                                      deleted: dt.date | None,
                                                      as_of: dt.date | None) -> None:
    """The ordering of findings by their subjects as tuples, which the engine takes when
    a finding names more cases than it sorts as arrays, forced here: the same order."""
    from unittest import mock

    from casemigrate._columnar import _blocking

    with mock.patch.object(_blocking, "_WIDEST_ROW_SORT", 0):
        both_ways(rows, smdb_plan(deleted), as_of=as_of)


@settings(max_examples=30, deadline=None)
@given(cases(), st.sets(st.integers(0, 15), max_size=3), DELETIONS, AS_OF)
def test_refused_rows_are_left_out_and_reported(rows: list[dict[str, Any]], bad: set[int],
                                                deletions: dict[str, dt.date] | None,
                                                as_of: dt.date | None) -> None:
    for at in bad & set(range(len(rows))):
        rows[at]["citizen"] = "321062-1234"  # no such day: refused
    cases_table = table(rows, CASE_TYPES)
    read = read_cases(cases_table, errors="collect")
    options: dict[str, Any] = {"deleted_at_dst": deletions, "as_of": as_of}
    expected = find_blocking_cases(read.records, smdb_plan(), **options)
    found = find_blocking_cases(cases_table, smdb_plan(), errors="collect", **options)
    assert tuple(f for f in found if f.code != "CM002") == expected
    assert found.refusals == read.refusals
    assert [f.code for f in found].count("CM002") == (1 if read.refusals.refused_rows else 0)
