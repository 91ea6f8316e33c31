"""The columnar engine against the record path: equal findings, or a bug in one of them.

Hypothesis builds rows with colliding ids, equal starts, missing fields, dates before
1970 and far-future end dates; the same rows go in as records and as an Arrow table.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")

from casemigrate import (  # noqa: E402
    Case,
    CaseMigrateError,
    InvalidCPR,
    InvalidRecord,
    MissingDependency,
    Service,
    _columnar,
    find_duplicate_active_cases,
    find_service_overlaps,
)

CUTOVER = dt.date(2026, 6, 1)
IDS = st.sampled_from(["A", "B", "C", "a", "B'", "Ø-1", "10", "9"])
CITIZENS = st.sampled_from(["211062-1234", "2110621234", "010100-4321", "311299-0001", None])
SYSTEMS = st.sampled_from(["Old", "New", "old", "Third"])
DAYS = st.one_of(
    st.dates(dt.date(1955, 1, 1), dt.date(1985, 12, 31)),
    st.sampled_from([CUTOVER - dt.timedelta(days=1), CUTOVER, CUTOVER + dt.timedelta(days=1),
                     dt.date(1969, 12, 31), dt.date(1970, 1, 1), dt.date.min]),
    st.dates(dt.date(2026, 5, 20), dt.date(2026, 6, 10)),
)
ENDS = st.one_of(st.none(), st.just(dt.date.max), st.integers(0, 40), st.integers(0, 25_000))


@st.composite
def service_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        start = draw(st.one_of(DAYS, st.none()) if draw(st.booleans()) else DAYS)
        end = draw(ENDS)
        if isinstance(end, int):
            base = start or dt.date(2000, 1, 1)
            end = base + dt.timedelta(days=end) if base.year < 9000 else None
        elif end is not None and start is None:
            end = None
        rows.append({
            "service_id": draw(IDS), "municipality": draw(st.sampled_from([607, 101])),
            "citizen": draw(CITIZENS), "code": draw(st.sampled_from(["SEL107", "SEL85", None])),
            "target_groups": ["1.1"], "start": start, "end": end, "system": draw(SYSTEMS),
        })
    return rows


@st.composite
def case_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 14))):
        opened = draw(DAYS)
        closed = draw(ENDS)
        if isinstance(closed, int):
            closed = opened + dt.timedelta(days=closed) if opened.year < 9000 else None
        rows.append({
            "case_id": draw(IDS), "municipality": draw(st.sampled_from([607, 101])),
            "citizen": draw(CITIZENS), "system": draw(SYSTEMS), "opened": opened,
            "closed": closed,
        })
    return rows


SERVICE_TYPES = {"service_id": pa.string(), "municipality": pa.int64(), "citizen": pa.string(),
                 "code": pa.string(), "target_groups": pa.list_(pa.string()),
                 "start": pa.date32(), "end": pa.date32(), "system": pa.string()}
CASE_TYPES = {"case_id": pa.string(), "municipality": pa.int64(), "citizen": pa.string(),
              "system": pa.string(), "opened": pa.date32(), "closed": pa.date32()}


def table(rows: list[dict[str, Any]], types: dict[str, Any]) -> Any:
    return pa.table({name: pa.array([row[name] for row in rows], type=kind)
                     for name, kind in types.items()})


def assert_same_findings(found: Any, expected: tuple[Any, ...]) -> None:
    """Equal as the catalogue defines it, and in every facet a reader sees."""
    assert found == expected
    assert tuple(found) == expected  # the same order, message ties included
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.rule is theirs.rule  # the catalogue's rule object, not a look-up twin
        assert mine.citations == theirs.citations
        assert dict(mine.details) == dict(theirs.details)
        # Term and Phrase values stay Terms and Phrases (the Danish message needs them).
        assert {k: type(v) for k, v in mine.details.items()} == {
            k: type(v) for k, v in theirs.details.items()}
        assert mine.message_in("da") == theirs.message_in("da")
    assert [str(f) for f in found] == [str(f) for f in expected]


@settings(max_examples=60)
@given(service_rows(), st.booleans(), st.sampled_from([(None, None), ("Old", "New"),
                                                       (None, "new"), ("OLD", None)]))
def test_service_overlaps_are_identical(rows: list[dict[str, Any]], within: bool,
                                        systems: tuple[str | None, str | None]) -> None:
    old, new = systems
    records = [Service(**row) for row in rows]
    expected = find_service_overlaps(records, cutover=CUTOVER, old_system=old, new_system=new,
                                     within_system=within)
    found = find_service_overlaps(table(rows, SERVICE_TYPES), cutover=CUTOVER, old_system=old,
                                  new_system=new, within_system=within)
    assert_same_findings(found, expected)


@settings(max_examples=60)
@given(case_rows(), DAYS)
def test_duplicate_active_cases_are_identical(rows: list[dict[str, Any]],
                                              as_of: dt.date) -> None:
    records = [Case(**row) for row in rows]
    expected = find_duplicate_active_cases(records, as_of=as_of)
    found = find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=as_of)
    assert_same_findings(found, expected)


@settings(max_examples=25)
@given(service_rows())
def test_the_lazy_table_counts_and_exports_without_objects(rows: list[dict[str, Any]]) -> None:
    records = [Service(**row) for row in rows]
    expected = find_service_overlaps(records, cutover=CUTOVER, within_system=True)
    found = find_service_overlaps(table(rows, SERVICE_TYPES), cutover=CUTOVER,
                                  within_system=True)
    counts: dict[str, int] = {}
    for finding in expected:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    assert found.counts() == dict(sorted(counts.items()))  # type: ignore[attr-defined]
    exported = found.to_arrow()  # type: ignore[attr-defined]
    assert exported.column("code").to_pylist() == [f.code for f in expected]
    assert exported.column("severity").to_pylist() == [f.severity.name for f in expected]
    assert exported.column("subjects").to_pylist() == [list(f.subjects) for f in expected]
    assert exported.column("name").to_pylist() == [f.rule.name for f in expected]
    # Readable citations (publisher, title, section, quote), as Finding.citation gives them.
    assert exported.column("citation").to_pylist() == [f.citation for f in expected]
    assert not any(".txt" in text for text in exported.column("citation").to_pylist())
    if expected:
        assert found[-1] == expected[-1]
        assert found[1:3] == expected[1:3]


def test_far_future_and_pre_1970_dates() -> None:
    rows = [
        {"service_id": "A", "municipality": 607, "citizen": "211062-1234", "code": "SEL107",
         "target_groups": ["1.1"], "start": dt.date(1965, 3, 1), "end": dt.date.max,
         "system": "Old"},
        {"service_id": "B", "municipality": 607, "citizen": "211062-1234", "code": "SEL107",
         "target_groups": ["1.1"], "start": CUTOVER, "end": None, "system": "New"},
    ]
    found = find_service_overlaps(table(rows, SERVICE_TYPES), cutover=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM301", ("A", "B")),
                                                     ("CM303", ("B",))]
    # 9999-12-31 is a date like any other: the shared days end there, not "open".
    assert found[0].details["last"] == dt.date.max
    assert found[0].details["days"] == (dt.date.max - CUTOVER).days + 1
    assert found == find_service_overlaps([Service(**r) for r in rows], cutover=CUTOVER)


def test_colliding_case_ids_keep_the_record_order() -> None:
    rows = [{"case_id": "X", "municipality": 607, "citizen": cpr, "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None}
            for cpr in ("311299-0001", "311299-0001", "211062-1234", "211062-1234")]
    found = find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
    expected = find_duplicate_active_cases([Case(**r) for r in rows], as_of=CUTOVER)
    assert [f.details["citizen"] for f in found] == [f.details["citizen"] for f in expected]
    assert tuple(found) == expected


def test_a_pandas_frame_is_a_table() -> None:
    pd = pytest.importorskip("pandas")
    rows = [{"case_id": f"C{i}", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None} for i in range(3)]
    found = find_duplicate_active_cases(pd.DataFrame(rows), as_of=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM204", ("C0", "C1", "C2"))]


@pytest.mark.parametrize(("column", "value", "error", "field"), [
    ("citizen", "321062-1234", InvalidCPR, "rows[1].citizen"),
    ("case_id", " ", InvalidRecord, "rows[1].case_id"),
    ("closed", dt.date(2019, 1, 1), InvalidRecord, "rows[1].closed"),
])
def test_a_table_is_refused_where_its_records_are(column: str, value: object,
                                                  error: type[CaseMigrateError],
                                                  field: str) -> None:
    rows = [{"case_id": f"C{i}", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None} for i in range(3)]
    rows[1][column] = value
    with pytest.raises(error) as from_rows:
        Case.from_rows([tuple(r.values()) for r in rows])
    with pytest.raises(error) as from_table:
        find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
    assert from_table.value.field == from_rows.value.field == field
    assert str(from_table.value) == str(from_rows.value)
    assert "1234" not in str(from_table.value)


def test_a_missing_column_is_named() -> None:
    rows = [{"case_id": "A", "municipality": 607, "citizen": None, "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None}]
    without = table(rows, CASE_TYPES).drop_columns(["opened"])
    with pytest.raises(InvalidRecord, match="no column 'opened'") as error:
        find_duplicate_active_cases(without, as_of=CUTOVER)
    assert error.value.field == "opened"


def test_without_the_extra_a_table_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]"):
        _columnar.require()
    assert _columnar.is_table(pa.table({"a": [1]}))
    assert not _columnar.is_table([])


def test_the_vectorised_birth_date_rule_is_the_records_rule() -> None:
    import numpy as np

    from casemigrate._columnar._columns import _real_birth_dates
    from casemigrate.identifiers import _birth_date

    prefixes = [f"{d:02d}{m:02d}{y:02d}{c}" for d in (0, 1, 28, 29, 30, 31, 32)
                for m in range(14) for y in range(100) for c in range(10)]
    expected = [type(_birth_date(p)) is dt.date for p in prefixes]
    found = _real_birth_dates(np.array([int(p) * 1000 + 123 for p in prefixes]))
    assert found.tolist() == expected


@pytest.mark.parametrize("citizens", [
    ["211062-1234", "2110621234", " 211062 1234 ", None],
    ["010100-4321", "010100 4321", "0101004321", "311299-0001"],
])
def test_every_accepted_cpr_form_groups_as_in_the_records(citizens: list[str | None]) -> None:
    rows = [{"case_id": f"C{i}", "municipality": 607, "citizen": cpr, "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None} for i, cpr in enumerate(citizens)]
    expected = find_duplicate_active_cases([Case(**r) for r in rows], as_of=CUTOVER)
    assert tuple(find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)) == expected


@pytest.mark.parametrize(("value", "error"), [("abc", InvalidCPR), ("290201-1234", InvalidCPR),
                                              ("2110621234x", InvalidCPR)])
def test_a_bad_cpr_in_a_table_is_refused_and_masked(value: str,
                                                    error: type[CaseMigrateError]) -> None:
    rows = [{"case_id": "C", "municipality": 607, "citizen": value, "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None}]
    with pytest.raises(error) as raised:
        find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
    assert raised.value.field == "rows[0].citizen"
    assert "1234" not in str(raised.value)


def test_a_column_of_the_wrong_type_is_refused() -> None:
    columns = {"case_id": pa.array(["C"]), "municipality": pa.array([607]),
               "citizen": pa.array([None], type=pa.string()), "system": pa.array(["Old"]),
               "opened": pa.array([dt.datetime(2020, 1, 1, 9)]), "closed": pa.array([None])}
    with pytest.raises(CaseMigrateError, match="datetime with a time of day") as raised:
        find_duplicate_active_cases(pa.table(columns), as_of=CUTOVER)
    assert raised.value.field == "rows[0].opened"
    # At midnight a timestamp is its day, as a record reads it.
    midnight = {**columns, "opened": pa.array([dt.datetime(2020, 1, 1)])}
    found = find_duplicate_active_cases(pa.table(midnight), as_of=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM205", ("C",))]


def test_a_polars_frame_is_a_table() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({
        "service_id": ["A", "B"], "municipality": [607, 607],
        "citizen": ["211062-1234", "211062-1234"], "code": ["SEL107", "SEL107"],
        "target_groups": [["1.1"], ["1.1"]], "start": [dt.date(2021, 6, 1), CUTOVER],
        "end": [CUTOVER, None], "system": ["Old", "New"],
    })
    found = find_service_overlaps(frame, cutover=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [
        ("CM301", ("A", "B")), ("CM302", ("A", "B")), ("CM303", ("B",))]


def test_the_example_in_the_performance_docs_runs() -> None:
    from pathlib import Path

    text = (Path(__file__).parent.parent / "docs" / "performance.md").read_text("utf-8")
    block = text.split("## The columnar engine")[1].split("```python\n")[1].split("```")[0]
    exec(compile(block, "docs/performance.md", "exec"), {})


@pytest.mark.parametrize("case_id", ["", " ", "é", "a\tb", "x" * 201, "Ø-1", "ab\u200b", "😀"])
def test_ids_are_judged_as_the_records_judge_them(case_id: str) -> None:
    rows = [{"case_id": name, "municipality": 607, "citizen": None, "system": "Old",
             "opened": dt.date(2020, 1, 1), "closed": None} for name in ("ok", case_id)]
    refused: CaseMigrateError | None = None
    try:
        Case.from_rows([tuple(r.values()) for r in rows])
    except CaseMigrateError as error:
        refused = error
    if refused is not None:
        with pytest.raises(type(refused)) as raised:
            find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
        assert str(raised.value) == str(refused)
    else:
        found = find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
        assert [f.subjects for f in found] == [tuple(sorted({"ok", case_id}))]


def test_no_cpr_number_leaves_the_table_path_in_full() -> None:
    rows = [{"case_id": f"C{i}", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 1), "closed": None} for i in range(2)]
    found = find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
    shown = [repr(found), str(found.to_arrow().to_pylist()),  # type: ignore[attr-defined]
             *(str(f) for f in found), *(repr(f) for f in found),
             *(str(dict(f.details)) for f in found)]
    assert not any("1234" in text for text in shown)
    assert found[0].details["citizen"].masked == "211062-****"


def test_an_id_twice_in_one_citizens_group_is_named_by_its_system() -> None:
    rows = [{"case_id": "A", "municipality": 607, "citizen": "211062-1234", "system": system,
             "opened": dt.date(2020, 1, 1), "closed": None} for system in ("Old", "New")]
    found = find_duplicate_active_cases(table(rows, CASE_TYPES), as_of=CUTOVER)
    expected = find_duplicate_active_cases([Case(**r) for r in rows], as_of=CUTOVER)
    assert [f.subjects for f in found] == [("A@New", "A@Old")] == [
        f.subjects for f in expected]
    assert found.to_arrow()["subjects"].to_pylist() == [["A@New", "A@Old"]]
