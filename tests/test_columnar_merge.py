"""merge_deliveries over tables against the record path: equal results, or a bug in one.

Hypothesis builds a deliveries table and a services table with colliding delivery and
service ids, equal sending times, test deliveries, other systems and municipalities,
ids repeated within a delivery, active old services with and without re-creation,
dates before 1970 and far-future end dates. The record twin is
``read_deliveries(deliveries, services=by_id)``, ``by_id`` grouping the services
table's records by their ``delivery_id`` in table order.
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
    Delivery,
    InvalidArgument,
    InvalidRecord,
    InvalidType,
    MergeResult,
    RecreationMatch,
    Service,
    merge_deliveries,
    read_deliveries,
    read_services,
    to_rows,
)

CUTOVER = dt.date(2026, 6, 1)
PLAN = CutoverPlan(municipality=607, register="handicap", old_system="Old", new_system="New",
                   cutover=CUTOVER)
DELIVERY_IDS = ["D1", "D2", "D3", "d1"]
SENT = [dt.datetime(2026, 5, 1, 9), dt.datetime(2026, 6, 10, 9), dt.datetime(2026, 6, 11),
        dt.datetime(2025, 12, 1)]
SERVICE_IDS = st.sampled_from(["A", "B", "C", "B'", "Ø-1", "10", "9"])
CITIZENS = st.sampled_from(["211062-1234", "2110621234", "010100-4321", None])
GROUPS = st.sampled_from([["1.1"], ["1.2", "1.1"], ["1.1", "1.2"], [], ["1.1", "1.1"],
                          ["2.1"]])
DAYS = st.one_of(
    st.sampled_from([CUTOVER - dt.timedelta(days=1), CUTOVER, CUTOVER + dt.timedelta(days=1),
                     dt.date(1969, 12, 31), dt.date(1955, 3, 1), dt.date(2021, 6, 1)]),
    st.dates(dt.date(2026, 5, 25), dt.date(2026, 6, 5)),
)
ENDS = st.one_of(st.none(), st.just(dt.date.max), st.just(dt.date(9999, 1, 1)),
                 st.integers(0, 40))

DELIVERY_TYPES = {"delivery_id": pa.string(), "name": pa.string(), "system": pa.string(),
                  "municipality": pa.int64(), "sent": pa.timestamp("us")}
SERVICE_TYPES = {"service_id": pa.string(), "municipality": pa.int64(), "citizen": pa.string(),
                 "code": pa.string(), "target_groups": pa.list_(pa.string()),
                 "start": pa.date32(), "end": pa.date32(), "system": pa.string(),
                 "delivery_id": pa.string()}


@st.composite
def vendor_tables(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    deliveries = [{
        "delivery_id": draw(st.sampled_from(DELIVERY_IDS)),
        "name": draw(st.sampled_from(["L402", "L402", "T402"])),
        "system": draw(st.sampled_from(["Old", "New", "old", "Third"])),
        "municipality": draw(st.sampled_from([607, 607, 101])),
        "sent": draw(st.sampled_from(SENT)),
    } for _ in range(draw(st.integers(0, 5)))]
    ids = sorted({row["delivery_id"] for row in deliveries})
    services = []
    for _ in range(draw(st.integers(0, 16)) if ids else 0):
        start = draw(st.one_of(DAYS, st.none()) if draw(st.booleans()) else DAYS)
        end = draw(ENDS)
        if isinstance(end, int):
            end = (start or dt.date(2000, 1, 1)) + dt.timedelta(days=end)
        elif end is not None and start is None:
            end = None
        services.append({
            "service_id": draw(SERVICE_IDS), "municipality": draw(st.sampled_from([607, 101])),
            "citizen": draw(CITIZENS), "code": draw(st.sampled_from(["SEL107", "SEL85", None])),
            "target_groups": draw(GROUPS), "start": start, "end": end,
            "system": draw(st.sampled_from(["Old", "New", "new", "Third"])),
            "delivery_id": draw(st.sampled_from(ids)),
        })
    return deliveries, services


def table(rows: list[dict[str, Any]], types: dict[str, Any]) -> Any:
    return pa.table({name: pa.array([row[name] for row in rows], type=kind)
                     for name, kind in types.items()})


def as_records(deliveries: Any, services: Any, **read: Any) -> tuple[Delivery, ...]:
    """The record twin of the two tables."""
    by_id: dict[str, list[Service]] = {}
    found = read_services(services, **read)
    links = services.column("delivery_id").to_pylist()
    for row, service in zip(found.rows, found.records, strict=True):
        by_id.setdefault(links[row], []).append(service)
    return read_deliveries(deliveries, services=by_id, **read).records


def assert_same_merge(found: MergeResult, expected: MergeResult) -> None:
    """Equal as a whole, and in every attribute and view a reader sees."""
    assert found == expected
    assert expected == found
    assert found.services == expected.services
    assert tuple(found.services) == expected.services
    assert tuple(found.excluded) == expected.excluded
    assert [(e.reason, e.delivery_id) for e in found.excluded] == [
        (e.reason, e.delivery_id) for e in expected.excluded]
    assert found.used == expected.used
    assert [tuple(u.services) for u in found.used] == [u.services for u in expected.used]
    assert found.findings == expected.findings
    assert tuple(found.findings) == expected.findings
    for mine, theirs in zip(found.findings, expected.findings, strict=True):
        assert mine.rule is theirs.rule
        assert dict(mine.details) == dict(theirs.details)
        assert mine.message_in("da") == theirs.message_in("da")
    exported = found.findings.to_arrow()  # type: ignore[attr-defined]
    assert exported.column("subjects").to_pylist() == [list(f.subjects)
                                                       for f in expected.findings]
    assert exported.column("code").to_pylist() == [f.code for f in expected.findings]
    assert found.services_in == expected.services_in
    assert dict(found.recreation) == dict(expected.recreation)
    assert found.summary() == expected.summary()
    assert found.to_dict() == expected.to_dict()
    assert to_rows(found) == to_rows(expected)
    assert [list(row) for row in to_rows(found)] == [list(row) for row in to_rows(expected)]
    assert to_rows(found, part="ledger") == to_rows(expected, part="ledger")
    assert str(found) == str(expected)
    if importlib.util.find_spec("pandas") is not None:
        # The engine's frame is built column by column, the records' row by row.
        from casemigrate import to_frame

        for language in ("en", "da"):
            mine, theirs = to_frame(found, language=language), to_frame(expected,
                                                                        language=language)
            assert mine.equals(theirs)
            assert list(mine.dtypes) == list(theirs.dtypes)
            # The findings: from the engine's arrays (no Finding built where a block
            # holds arrays), row by row from the records.
            for subjects in ("list", "text", "explode"):
                mine = to_frame(found, part="findings", language=language,
                                subjects=subjects)  # type: ignore[arg-type]
                theirs = to_frame(expected, part="findings", language=language,
                                  subjects=subjects)  # type: ignore[arg-type]
                assert list(mine.columns) == list(theirs.columns)
                assert mine.equals(theirs)
                assert list(mine.dtypes) == list(theirs.dtypes)


MATCHES = st.sampled_from([RecreationMatch(), RecreationMatch(same_start=True),
                           RecreationMatch(same_target_groups=True),
                           RecreationMatch(same_start=True, same_target_groups=True)])


@settings(max_examples=80, deadline=None)
@given(vendor_tables(), st.booleans(), MATCHES, st.sampled_from([0, 31]))
def test_a_vendors_tables_merge_as_their_records(
        tables: tuple[list[dict[str, Any]], list[dict[str, Any]]], overlaps: bool,
        match: RecreationMatch, gap: int) -> None:
    deliveries, services = table(tables[0], DELIVERY_TYPES), table(tables[1], SERVICE_TYPES)
    options = {"check_overlaps": overlaps, "match": match, "max_reporting_gap_days": gap}
    expected = merge_deliveries(as_records(deliveries, services), PLAN, **options)
    found = merge_deliveries(deliveries, PLAN, services=services, **options)
    assert_same_merge(found, expected)
    assert found.summary()["kept"] + found.summary()["excluded"] == found.services_in


def old_and_new(old: list[tuple[Any, ...]], new: list[tuple[Any, ...]]) -> tuple[Any, Any]:
    """A production delivery of each system, and their services as rows."""
    deliveries = table([
        {"delivery_id": "o", "name": "L402", "system": "Old", "municipality": 607,
         "sent": dt.datetime(2026, 6, 10, 9)},
        {"delivery_id": "n", "name": "L402", "system": "New", "municipality": 607,
         "sent": dt.datetime(2026, 6, 11, 9)}], DELIVERY_TYPES)
    rows = [{"service_id": sid, "municipality": 607, "citizen": cpr, "code": code,
             "target_groups": groups, "start": start, "end": end, "system": system,
             "delivery_id": "o" if system == "Old" else "n"}
            for system, items in (("Old", old), ("New", new))
            for sid, cpr, code, groups, start, end in items]
    return deliveries, table(rows, SERVICE_TYPES)


SERVICE = st.tuples(SERVICE_IDS, st.sampled_from(["211062-1234", "010100-4321", None]),
                    st.sampled_from(["SEL107", "SEL85"]), GROUPS,
                    st.sampled_from([dt.date(2020, 1, 1), dt.date(2021, 1, 1), CUTOVER, None]),
                    st.sampled_from([None, None, dt.date(2027, 1, 31)]))


@settings(max_examples=60, deadline=None)
@given(st.lists(SERVICE, max_size=10, unique_by=lambda row: row[0]),
       st.lists(SERVICE, max_size=10, unique_by=lambda row: row[0]), MATCHES)
def test_recreation_pairs_as_the_records_pair(old: list[tuple[Any, ...]],
                                              new: list[tuple[Any, ...]],
                                              match: RecreationMatch) -> None:
    """Many old and new services of one citizen and code: paired one to one, as _pair."""
    deliveries, services = old_and_new(old, new)
    found = merge_deliveries(deliveries, PLAN, services=services, match=match)
    assert_same_merge(found, merge_deliveries(as_records(deliveries, services), PLAN,
                                              match=match))


def test_crowded_recreation_groups_pair_as_the_records_pair() -> None:
    cpr = "211062-1234"
    old = [("A", cpr, "SEL107", ["1.1"], dt.date(2020, 1, 1), None),
           ("B", cpr, "SEL107", ["1.2"], dt.date(2021, 1, 1), None),
           ("C", cpr, "SEL107", ["1.1"], dt.date(2022, 1, 1), None),
           ("D", cpr, "SEL85", ["1.1"], dt.date(2022, 1, 1), None)]
    new = [("A'", cpr, "SEL107", ["1.2"], dt.date(2021, 1, 1), None),
           ("B'", cpr, "SEL107", ["1.1"], CUTOVER, None),
           ("D'", cpr, "SEL85", ["1.1", "2.1"], dt.date(2022, 1, 1), None)]
    deliveries, services = old_and_new(old, new)
    found = merge_deliveries(deliveries, PLAN, services=services)
    expected = merge_deliveries(as_records(deliveries, services), PLAN)
    assert_same_merge(found, expected)
    assert dict(found.recreation) == {"RECREATED_UNCHANGED": 1, "RECREATED_DIFFERS": 2,
                                      "NOT_RECREATED": 1, "NOT_COMPARED": 0}
    assert found.findings.counts() == {"CM303": 1, "CM315": 1, "CM316": 1}


def test_wide_target_groups_are_compared_exactly() -> None:
    """Too many groups to pack into one number: compared as sets, as the records are."""
    wide = [f"{n}.1" for n in range(40)]
    old = [("A", "211062-1234", "SEL107", wide, dt.date(2020, 1, 1), None)]
    for new_groups, differs in ((list(reversed(wide)), 0), (wide[:-1], 1)):
        new = [("A'", "211062-1234", "SEL107", new_groups, dt.date(2020, 1, 1), None)]
        deliveries, services = old_and_new(old, new)
        found = merge_deliveries(deliveries, PLAN, services=services)
        assert_same_merge(found, merge_deliveries(as_records(deliveries, services), PLAN))
        assert found.recreation["RECREATED_DIFFERS"] == differs


def test_target_groups_as_text_are_compared_as_sets() -> None:
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None)],
        [("A'", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None)])
    text = services.set_column(4, "target_groups", pa.array(["1.1;2.1", "2.1, 1.1"]))
    found = merge_deliveries(deliveries, PLAN, services=text)
    assert_same_merge(found, merge_deliveries(as_records(deliveries, text), PLAN))
    assert found.recreation["RECREATED_UNCHANGED"] == 1


def test_the_result_is_lazy_and_counts_without_records() -> None:
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None),
         ("B", "211062-1234", "SEL85", ["1.1"], dt.date(2020, 1, 1), dt.date(2021, 1, 1))],
        [("A'", "211062-1234", "SEL107", ["1.1"], CUTOVER, None)])
    found = merge_deliveries(deliveries, PLAN, services=services)
    assert not isinstance(found.services, tuple)
    assert len(found.services) == 2 and len(found.excluded) == 1
    assert found.excluded.reason_counts()["ACTIVE_IN_OLD_SYSTEM"] == 1  # type: ignore[attr-defined]
    assert found.findings.counts() == {"CM303": 1}  # type: ignore[attr-defined]
    assert [s.service_id for s in found.services[::-1]] == ["A'", "B"]
    assert found.services[-1].start == CUTOVER
    with pytest.raises(IndexError):
        found.services[2]
    assert hash(found.used[0]) == hash(merge_deliveries(
        as_records(deliveries, services), PLAN).used[0])


def test_one_columns_mapping_reads_both_tables() -> None:
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None)], [])
    danish = services.rename_columns(
        ["ydelsesnr", *services.column_names[1:-1], "leverance"])
    renamed = deliveries.rename_columns(["leverance", *deliveries.column_names[1:]])
    columns = {"ydelsesnr": "service_id", "leverance": "delivery_id"}
    found = merge_deliveries(renamed, PLAN, services=danish, columns=columns, extra="refuse")
    assert_same_merge(found, merge_deliveries(as_records(deliveries, services), PLAN))
    assert found.findings.counts() == {"CM315": 1}  # type: ignore[attr-defined]


def test_a_service_of_no_delivery_is_refused_and_counted() -> None:
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
         ("B", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), dt.date(2021, 1, 1))],
        [])
    stray = services.set_column(8, "delivery_id", pa.array(["o", "x"]))
    with pytest.raises(InvalidRecord) as raised:
        merge_deliveries(deliveries, PLAN, services=stray)
    assert raised.value.field == "rows[1].delivery_id"
    found = merge_deliveries(deliveries, PLAN, services=stray, errors="collect")
    assert [s.service_id for s in found.services] == ["A"]
    assert found.findings.counts() == {"CM002": 1}  # type: ignore[attr-defined]
    _, refused = found.findings.refusals  # type: ignore[attr-defined]
    assert [(r.row, r.record_id, r.column, r.error) for r in refused] == [
        (1, "B", "delivery_id", "invalid-value")]


def test_a_services_table_needs_its_delivery_column() -> None:
    deliveries, services = old_and_new([], [])
    with pytest.raises(InvalidArgument) as raised:
        merge_deliveries(deliveries, PLAN, services=services.drop_columns(["delivery_id"]))
    assert raised.value.field == "delivery_id"


def test_services_beside_records_are_refused() -> None:
    deliveries, services = old_and_new([], [])
    with pytest.raises(InvalidArgument) as raised:
        merge_deliveries([], PLAN, services=services)
    assert raised.value.field == "services"
    with pytest.raises(InvalidType) as wrong:
        merge_deliveries(deliveries, PLAN, services=[])
    assert wrong.value.field == "services"
    with pytest.raises(InvalidArgument) as option:
        merge_deliveries([], PLAN, dayfirst=True)
    assert option.value.field == "dayfirst"


def test_deliveries_without_a_services_table_hold_none() -> None:
    deliveries, _ = old_and_new([], [])
    found = merge_deliveries(deliveries, PLAN)
    assert_same_merge(found, merge_deliveries(read_deliveries(deliveries).records, PLAN))
    assert found.services_in == 0


def test_a_pandas_pair_of_tables_merges_too() -> None:
    pytest.importorskip("pandas")
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(1960, 1, 1), None)],
        [("A'", "211062-1234", "SEL107", ["1.1"], dt.date(1960, 1, 1), dt.date(9999, 12, 31))])
    found = merge_deliveries(deliveries.to_pandas(), PLAN, services=services.to_pandas())
    assert_same_merge(found, merge_deliveries(as_records(deliveries, services), PLAN))
    assert found.recreation["RECREATED_UNCHANGED"] == 1


def test_the_benchmark_data_merges_as_its_records() -> None:
    """Realistic data (re-created, lost, artificially closed services): equal results."""
    from benchmarks.data import generate
    from benchmarks.tasks import _cm_deliveries, _delivery_tables

    data = generate(600, seed=7)
    plan, deliveries, services = _delivery_tables(data)
    found = merge_deliveries(deliveries, plan, services=services)
    _, records = _cm_deliveries(data)
    assert_same_merge(found, merge_deliveries(records, plan))
    assert found.findings.counts() == merge_deliveries(records, plan).summary()[  # type: ignore[attr-defined]
        "findings_by_code"]


def test_the_benchmark_data_as_pandas_frames_merges_as_its_records() -> None:
    """A pandas services table: the target groups the reader converted serve the records."""
    pytest.importorskip("pandas")
    from benchmarks.data import generate
    from benchmarks.tasks import _cm_deliveries, _delivery_frames

    data = generate(300, seed=11)
    plan, deliveries, services = _delivery_frames(data)
    found = merge_deliveries(deliveries, plan, services=services)
    _, records = _cm_deliveries(data)
    expected = merge_deliveries(records, plan)
    assert_same_merge(found, expected)
    assert found.recreation == expected.recreation
    assert found.recreation["RECREATED_UNCHANGED"] > 0


def test_a_refused_delivery_refuses_its_services_and_both_are_counted() -> None:
    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None)],
        [("A'", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None)])
    bad = deliveries.set_column(1, "name", pa.array(["X402", "L402"]))
    with pytest.raises(InvalidRecord) as raised:
        merge_deliveries(bad, PLAN, services=services)
    assert raised.value.field == "rows[0].name"
    found = merge_deliveries(bad, PLAN, services=services, errors="collect")
    assert found.findings.counts() == {"CM002": 2, "CM312": 1}  # type: ignore[attr-defined]
    assert [s.service_id for s in found.services] == ["A'"]
    assert found.services_in == 1  # the refused rows are counted by CM002, not merged
    deliveries_refused, services_refused = found.findings.refusals  # type: ignore[attr-defined]
    assert [(r.row, r.column) for r in deliveries_refused] == [(0, "name")]
    assert [(r.row, r.record_id, r.error) for r in services_refused] == [
        (0, "A", "invalid-value")]


def test_without_the_extra_the_tables_name_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from casemigrate import MissingDependency

    deliveries, services = old_and_new([], [])
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]") as raised:
        merge_deliveries(deliveries, PLAN, services=services)
    assert raised.value.field == "table"


def test_a_polars_pair_of_tables_merges_and_tabulates_as_the_records() -> None:
    pl = pytest.importorskip("polars")
    pytest.importorskip("pandas")
    from casemigrate import to_frame

    deliveries, services = old_and_new(
        [("A", "211062-1234", "SEL107", ["1.1"], dt.date(2020, 1, 1), None),
         ("C", "010100-4321", "SEL85", ["2.1"], dt.date(2020, 1, 1), dt.date(2022, 1, 1))],
        [("A'", "211062-1234", "SEL107", ["1.2"], dt.date(2020, 1, 1), None)])
    found = merge_deliveries(pl.from_arrow(deliveries), PLAN,
                             services=pl.from_arrow(services))
    expected = merge_deliveries(as_records(deliveries, services), PLAN)
    assert_same_merge(found, expected)
    assert to_frame(found).equals(to_frame(expected))
    assert to_frame(found, part="findings").equals(to_frame(expected, part="findings"))
    assert found.findings.counts() == {"CM316": 1}  # type: ignore[attr-defined]


def test_the_findings_frame_builds_no_finding_where_a_block_holds_arrays(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Overlaps, misfiled, repeated and vanished services: tabulated from arrays."""
    pytest.importorskip("pandas")
    from benchmarks.data import generate
    from benchmarks.tasks import _cm_deliveries, _delivery_tables
    from casemigrate import Finding, to_frame

    data = generate(600, seed=7)
    plan, deliveries, services = _delivery_tables(data)
    found = merge_deliveries(deliveries, plan, services=services)
    counts = found.findings.counts()  # type: ignore[attr-defined]
    assert counts["CM301"] and counts["CM302"] and counts["CM303"]
    expected = to_frame(merge_deliveries(_cm_deliveries(data)[1], plan), part="findings",
                        language="da")
    made: list[str] = []
    real = Finding.of.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Finding], rule: Any, *args: Any, **kwargs: Any) -> Finding:
        made.append(rule.code)
        return real(cls, rule, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(Finding, "of", classmethod(counted))
    frame = to_frame(found, part="findings", language="da")
    assert frame.equals(expected)
    assert set(made) <= {"CM315", "CM316"}  # the re-creation's findings are records
    assert len(made) == counts.get("CM315", 0) + counts.get("CM316", 0)


def test_the_findings_are_ordered_only_when_read() -> None:
    """Counting the findings sorts none of them; reading them sorts each block once."""
    from benchmarks.data import generate
    from benchmarks.tasks import _cm_deliveries, _delivery_tables
    from casemigrate._columnar._table import LazyOrder

    data = generate(600, seed=7)
    plan, deliveries, services = _delivery_tables(data)
    found = merge_deliveries(deliveries, plan, services=services)
    blocks = [b for b in found.findings.blocks if isinstance(b, LazyOrder)]  # type: ignore[attr-defined]
    assert {b.code for b in blocks} >= {"CM301", "CM302", "CM303"}
    assert found.findings.counts()["CM301"] > 0  # type: ignore[attr-defined]
    assert all(b._order is None for b in blocks)
    assert tuple(found.findings) == merge_deliveries(_cm_deliveries(data)[1], plan).findings
    assert all(b._order is not None for b in blocks)
