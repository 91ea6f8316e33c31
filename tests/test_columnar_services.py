"""check_services over a table against the record path: equal findings, or a bug in one.

Hypothesis builds services tables with service ids colliding within and across systems,
other municipalities and systems, missing fields, malformed and empty target groups,
ends after ``as_of``, crowded re-creation groups (many active old services of one
citizen and code with several new candidates), dates before 1970 and far in the future,
and every :class:`RecreationMatch`. The record twin is
``check_services(read_services(table).records, plan, ...)``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
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
    RecreationMatch,
    Service,
    check_services,
    read_services,
    sort_findings,
    tables,
)
from tests.test_columnar import assert_same_findings as assert_same  # noqa: E402

CUTOVER = dt.date(2026, 6, 1)
PLAN = CutoverPlan(municipality=607, register="handicap", old_system="Old", new_system="New",
                   cutover=CUTOVER)
IDS = st.sampled_from(["A", "B", "a", "B'", "Ø-1", "10", "9"])
CITIZENS = st.sampled_from(["211062-1234", "2110621234", "010100-4321", None])
CODES = st.sampled_from(["SEL107", "SEL85", None])
GROUPS = st.sampled_from([["1.1"], ["1.2", "1.1"], ["1.1", "1.2"], [], ["1.1", "1.1"],
                          ["2.1"], ["1..2"], ["x", "1.1", "1."], [""], ["٣.1"], None])
PLACES = st.sampled_from([607, 607, 101])
SYSTEMS = st.sampled_from(["Old", "New", "old", "NEW ", "Third"])
DAYS = st.one_of(
    st.sampled_from([CUTOVER - dt.timedelta(days=1), CUTOVER, CUTOVER + dt.timedelta(days=1),
                     dt.date(1969, 12, 31), dt.date(1955, 3, 1), dt.date(2021, 6, 1),
                     dt.date.min]),
    st.dates(dt.date(2026, 5, 25), dt.date(2026, 6, 5)),
)
ENDS = st.one_of(st.none(), st.just(dt.date.max), st.just(dt.date(9999, 1, 1)),
                 st.integers(0, 40))
AS_OF = st.one_of(st.none(), st.sampled_from([CUTOVER, dt.date(1960, 1, 1), dt.date.max]),
                  st.dates(dt.date(2026, 5, 25), dt.date(2026, 7, 15)))
MATCHES = st.sampled_from([RecreationMatch(), RecreationMatch(same_start=True),
                           RecreationMatch(same_target_groups=True),
                           RecreationMatch(same_start=True, same_target_groups=True)])
TYPES = {"service_id": pa.string(), "municipality": pa.int64(), "citizen": pa.string(),
         "code": pa.string(), "target_groups": pa.list_(pa.string()), "start": pa.date32(),
         "end": pa.date32(), "system": pa.string()}


def row(draw: st.DrawFn, *, citizens: Any = CITIZENS, codes: Any = CODES,
        systems: Any = SYSTEMS, places: Any = PLACES, ids: Any = IDS, days: Any = DAYS
        ) -> dict[str, Any]:
    start = draw(st.one_of(days, st.none()) if draw(st.booleans()) else days)
    end = draw(ENDS)
    if isinstance(end, int):
        end = (start or dt.date(2000, 1, 1)) + dt.timedelta(days=end)
    elif end is not None and start is None:
        end = None
    return {"service_id": draw(ids),
            "municipality": draw(places),
            "citizen": draw(citizens), "code": draw(codes), "target_groups": draw(GROUPS),
            "start": start, "end": end, "system": draw(systems)}


@st.composite
def services_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    return [row(draw) for _ in range(draw(st.integers(0, 16)))]


@st.composite
def crowded_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One citizen and code, many active old services and several new candidates, with
    few ids and starts, so that services tie on both."""
    one = {"citizens": st.just("211062-1234"), "codes": st.just("SEL107"),
           "places": st.just(607), "ids": st.sampled_from(["A", "B", "a"]),
           "days": st.sampled_from([dt.date(1960, 1, 1), dt.date(2021, 6, 1), CUTOVER,
                                    dt.date.min])}
    rows = [row(draw, systems=st.sampled_from(["Old", "old"]), **one)
            for _ in range(draw(st.integers(1, 12)))]
    for old in rows:
        if draw(st.integers(0, 3)):
            old["end"] = None  # mostly active
    rows += [row(draw, systems=st.sampled_from(["New", "NEW "]), **one)
             for _ in range(draw(st.integers(0, 8)))]
    return draw(st.permutations(rows))


def table(rows: list[dict[str, Any]]) -> Any:
    return pa.table({name: pa.array([r[name] for r in rows], type=kind)
                     for name, kind in TYPES.items()})


def records_of(services: Any, **read: Any) -> tuple[Service, ...]:
    return read_services(services, **read).records


def assert_same_findings(found: Any, expected: tuple[Any, ...]) -> None:
    """The engine's differential check, the frames in both languages included."""
    assert_same(found, expected, frames=True)


@settings(max_examples=60, deadline=None)
@given(services_rows(), AS_OF, MATCHES)
def test_a_services_table_checks_as_its_records(rows: list[dict[str, Any]],
                                                as_of: dt.date | None,
                                                match: RecreationMatch) -> None:
    services = table(rows)
    expected = check_services(records_of(services), PLAN, as_of=as_of, match=match)
    found = check_services(services, PLAN, as_of=as_of, match=match)
    assert_same_findings(found, expected)


@settings(max_examples=50, deadline=None)
@given(crowded_rows(), MATCHES)
def test_crowded_recreation_groups_pair_as_the_records_pair(rows: list[dict[str, Any]],
                                                            match: RecreationMatch) -> None:
    """Repeated ids, equal starts, every field in play: the record path's pairs."""
    services = table(rows)
    expected = check_services(records_of(services), PLAN, match=match)
    found = check_services(services, PLAN, match=match)
    assert_same_findings(found, expected)


def test_ties_of_start_and_id_are_broken_by_every_field() -> None:
    """Two active old services ``A`` from one start, told apart only by their target
    groups, and two new ones from that start with other groups: the first old service in
    the record path's order (groups ``1.1`` before ``1.2``) takes the first candidate,
    in whichever order the table holds them."""
    def service(system: str, groups: list[str], sid: str = "A") -> dict[str, Any]:
        return {"service_id": sid, "municipality": 607, "citizen": "211062-1234",
                "code": "SEL107", "target_groups": groups, "start": dt.date(2020, 1, 1),
                "end": None, "system": system}

    rows = [service("Old", ["1.2"]), service("Old", ["1.1"]), service("New", ["2.2"], "N2"),
            service("New", ["2.1"], "N1")]
    for ordered in (rows, rows[::-1]):
        services = table(ordered)
        found = check_services(services, PLAN)
        assert_same_findings(found, check_services(records_of(services), PLAN))
        assert [(f.code, f.subjects) for f in found] == [("CM316", ("A", "N1")),
                                                         ("CM316", ("A", "N2"))]
        assert [str(f.details["differs"][0]) for f in found] == [
            "target groups (1.1 in the old, 2.1 in the new)",
            "target groups (1.2 in the old, 2.2 in the new)"]


def test_the_worked_example_of_the_docstring_on_a_table() -> None:
    services = table([{"service_id": "A", "municipality": 607, "citizen": "211062-1234",
                       "code": None, "target_groups": ["1..2"], "start": dt.date(2021, 6, 1),
                       "end": dt.date(2026, 12, 31), "system": "Old"}])
    found = check_services(services, PLAN, as_of=dt.date(2026, 6, 1))
    assert [(f.code, f.subjects) for f in found] == [
        ("CM309", ("A",)), ("CM310", ("A",)), ("CM311", ("A",))]
    assert found[0].details["missing"] == check_services(
        records_of(services), PLAN, as_of=dt.date(2026, 6, 1))[0].details["missing"]
    assert found[1].details["groups"] == ("1..2",)


def test_old_active_services_without_a_new_one_say_the_check_did_not_run() -> None:
    services = table([{"service_id": "A", "municipality": 607, "citizen": "211062-1234",
                       "code": "SEL107", "target_groups": ["1.1"],
                       "start": dt.date(1950, 1, 1), "end": None, "system": "Old"},
                      {"service_id": "B", "municipality": 101, "citizen": "211062-1234",
                       "code": "SEL107", "target_groups": ["1.1"],
                       "start": dt.date(1950, 1, 1), "end": None, "system": "New"}])
    found = check_services(services, PLAN)
    assert [(f.code, f.subjects) for f in found] == [("CM001", ("check_services",)),
                                                     ("CM313", ())]
    assert found[1].details["count"] == 1
    assert_same_findings(found, check_services(records_of(services), PLAN))


def test_an_empty_table_has_no_findings() -> None:
    found = check_services(table([]), PLAN, as_of=CUTOVER)
    assert len(found) == 0
    assert found == ()


def test_collected_refusals_are_cm002_beside_the_findings() -> None:
    rows = [{"service_id": "A", "municipality": 607, "citizen": "211062-1234",
             "code": "SEL107", "target_groups": ["1.1"], "start": dt.date(2020, 1, 1),
             "end": None, "system": "Old"},
            {"service_id": "B", "municipality": 607, "citizen": "999999-9999",
             "code": "SEL107", "target_groups": ["1.1"], "start": dt.date(2020, 1, 1),
             "end": None, "system": "New"},
            {"service_id": "C", "municipality": 9999, "citizen": None, "code": "SEL85",
             "target_groups": [], "start": None, "end": None, "system": "New"},
            {"service_id": "D", "municipality": 607, "citizen": None, "code": "SEL85",
             "target_groups": ["1." * 26], "start": None, "end": None, "system": "New"}]
    services = table(rows)
    with pytest.raises(InvalidCPR) as raised:
        check_services(services, PLAN)
    assert raised.value.field == "rows[1].citizen"
    found = check_services(services, PLAN, errors="collect")
    read = read_services(services, errors="collect")
    expected = sort_findings([*check_services(read.records, PLAN),
                              *tables.find_refused_rows(read.refusals)])
    assert_same_findings(found, expected)
    assert found.counts() == {"CM001": 1, "CM002": 3}
    assert [(r.row, r.column, r.error) for r in found.refusals] == [
        (1, "citizen", "invalid-cpr"), (2, "municipality", "invalid-municipality"),
        (3, "target_groups", "invalid-value")]
    assert found.refusals == read.refusals
    assert "999999-9999" not in str([str(f) for f in found])


def test_a_pandas_table_with_its_own_names_and_danish_dates_checks_as_its_records() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "ydelse": ["A", "A", "B", "C"], "kommune": [607, 607, 607, 607],
        "cpr": ["211062-1234", "211062-1234", None, "010100-4321"],
        "kode": ["SEL107", "SEL107", "SEL85", None],
        "maalgrupper": ["1.1, 1.2", "1.2;1.1", "", "1..2"],
        "start": ["01-06-2021", "01-06-2021", "02-09-1960", None],
        "slut": [None, None, "31-12-2026", None],
        "system": ["Old", "New", "Old", "Old"]})
    read = {"columns": {"ydelse": "service_id", "kommune": "municipality", "cpr": "citizen",
                        "kode": "code", "maalgrupper": "target_groups", "start": "start",
                        "slut": "end", "system": "system"}, "dayfirst": True}
    found = check_services(frame, PLAN, as_of=CUTOVER, **read)
    expected = check_services(read_services(frame, **read).records, PLAN, as_of=CUTOVER)
    assert_same_findings(found, expected)
    assert found.counts() == {"CM309": 2, "CM310": 1, "CM311": 1, "CM315": 1}


def test_target_groups_arrow_cannot_hold_are_read_as_the_reader_reads_them() -> None:
    """A pandas column of sets, tuples, lists, text and blanks: parsed row by row."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "service_id": ["A", "A", "B", "C", "D"], "municipality": [607] * 5,
        "citizen": ["211062-1234"] * 5, "code": ["SEL107"] * 5,
        "target_groups": [{"1.1", "1.2"}, ("1.2", "1.1"), ["x"], "1.1; 2", None],
        "start": [dt.date(2020, 1, 1)] * 5, "end": [None] * 5,
        "system": ["Old", "New", "Old", "New", "Old"]})
    found = check_services(frame, PLAN)
    assert_same_findings(found, check_services(read_services(frame).records, PLAN))
    assert [(f.code, f.subjects) for f in found] == [
        ("CM309", ("D",)), ("CM310", ("B",)), ("CM315", ("D",)), ("CM316", ("B", "C"))]


def test_a_polars_table_checks_as_its_records() -> None:
    pl = pytest.importorskip("polars")
    rows = [{"service_id": sid, "municipality": 607, "citizen": "211062-1234",
             "code": "SEL107", "target_groups": groups, "start": start, "end": None,
             "system": system}
            for sid, groups, start, system in (
                ("A", ["1.1"], dt.date(1960, 1, 1), "Old"),
                ("B", ["1.1"], dt.date(2021, 6, 1), "Old"),
                ("A", ["1.2"], dt.date(1960, 1, 1), "New"),
                ("N", ["1.1"], CUTOVER, "New"))]
    frame = pl.from_arrow(table(rows))
    found = check_services(frame, PLAN, match=RecreationMatch(same_start=True))
    expected = check_services(records_of(table(rows)), PLAN,
                              match=RecreationMatch(same_start=True))
    assert_same_findings(found, expected)
    assert [(f.code, f.subjects) for f in found] == [("CM315", ("B",)), ("CM316", ("A",))]
    shown = [repr(found), *map(str, found), *(f.message_in("da") for f in found),
             *(repr(f.details) for f in found), str(found.to_arrow().to_pylist())]
    assert "211062-****" in found[0].message
    assert not any("211062-1234" in text or "2110621234" in text for text in shown)


def test_the_benchmark_data_checks_as_its_records() -> None:
    """Realistic data with a user's mistakes (lost and changed re-creations, missing
    fields, repeated ids): equal findings, every check of them raised."""
    from benchmarks.data import AS_OF, generate
    from benchmarks.services_check import _plan, _table, services_rows

    services = _table(services_rows(generate(1_500, seed=5)))
    expected = check_services(records_of(services), _plan(), as_of=AS_OF)
    found = check_services(services, _plan(), as_of=AS_OF)
    assert found == expected
    assert set(found.counts()) == {"CM309", "CM310", "CM311", "CM313", "CM315", "CM316"}
    if importlib.util.find_spec("pandas") is not None:  # list cells as numpy arrays
        assert check_services(services.to_pandas(), _plan(), as_of=AS_OF) == expected


def test_reading_options_are_for_tables_only_and_the_internal_check_needs_groups() -> None:
    with pytest.raises(InvalidArgument) as raised:
        check_services([], PLAN, errors="collect")
    assert raised.value.field == "errors"
    from casemigrate._columnar import _columns, _services

    plain = _columns.services(table([]))
    with pytest.raises(InvalidArgument) as wrong:
        _services.check_services(plain, PLAN, None, RecreationMatch())
    assert wrong.value.field == "columns"
    read = _services.read(table([]))
    assert len(_services.check_services(read, PLAN, None, RecreationMatch())) == 0
