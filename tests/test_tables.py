"""Tables in: frames and rows become records, every bad field of every row refused."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casemigrate as cm
from casemigrate import Case, CutoverPlan, Service, check_readiness
from casemigrate.exceptions import (
    InvalidArgument,
    InvalidCPR,
    InvalidRecord,
    MissingDependency,
)
from casemigrate.tables import (
    REFUSAL_CODES,
    ROWS_REFUSED,
    find_refused_rows,
    read_cases,
    read_deliveries,
    read_services,
)

D = dt.date
GOOD = ("S-1", 607, "211062-1234", "Old", D(2020, 1, 6), None)


def _cases(n: int = 3) -> list[tuple[Any, ...]]:
    return [(f"S-{i}", 607, "211062-1234", "Old", D(2020, 1, 6 + i), None) for i in range(n)]


# ---- rows (no table library needed) ---------------------------------------------------

def test_every_bad_field_of_every_row_is_refused_once() -> None:
    rows = [
        GOOD,
        ("S-2", 999, "320162-1234", "Old", D(2020, 1, 6), None),  # two bad fields
        ("S-3", 607, None, "Old", D(2020, 1, 6), D(2019, 1, 1)),  # ends before start
        ("S-4", 607, None, "", None, None),  # system and opened missing
    ]
    read = read_cases(rows, errors="collect")
    assert [c.case_id for c in read.records] == ["S-1"]
    assert list(read.rows) == [0]
    got = [(r.row, r.record_id, r.field, r.error) for r in read.refusals]
    assert got == [
        (1, "S-2", "municipality", "invalid-municipality"),
        (1, "S-2", "citizen", "invalid-cpr"),
        (2, "S-3", "closed", "ends-before-start"),
        (3, "S-4", "system", "missing-value"),
        (3, "S-4", "opened", "missing-value"),
    ]
    assert read.refusals.refused_rows == 3 and read.refusals.rows == (1, 2, 3)
    assert {r.error for r in read.refusals} <= set(REFUSAL_CODES)


def test_raise_names_the_first_bad_row_and_field() -> None:
    rows = [GOOD, GOOD, ("S-3", 607, "320162-1234", "Old", D(2020, 1, 6), None)]
    with pytest.raises(InvalidCPR) as caught:
        read_cases(rows)
    assert caught.value.field == "rows[2].citizen"
    assert "1234" not in str(caught.value)


def test_no_cpr_in_full_in_any_refusal() -> None:
    rows = [("211062-1234", 607, "320162-1234", "Old", "not a date", None),
            {"case_id": "X", "municipality": 607, "citizen": None, "system": "Old",
             "opened": D(2020, 1, 1), "title": 3, "note 211062-1234": 1}]
    read = read_cases(rows, errors="collect", extra="refuse")
    text = repr(read.refusals) + str(read.refusals.to_rows())
    assert "1234" not in text.replace("-****", "")
    assert read.refusals[0].record_id == "211062-****"


def test_mappings_with_unknown_and_missing_keys_are_refused_not_type_errors() -> None:
    rows = [{"case_id": "S-1", "municipality": 607, "citizen": None, "system": "Old",
             "opened": D(2020, 1, 6), "sagsbehandler": "AB"},
            {"case_id": "S-2", "municipality": 607, "system": "Old"}]
    read = read_cases(rows, errors="collect")
    assert [c.case_id for c in read.records] == ["S-1"]
    assert read.extra_columns == ("sagsbehandler",)
    assert [(r.row, r.field, r.error) for r in read.refusals] == [(1, "opened", "missing-value")]
    refused = read_cases(rows[:1], errors="collect", extra="refuse")
    assert [r.error for r in refused.refusals] == ["unknown-column"]
    with pytest.raises(InvalidRecord) as caught:
        Case.from_rows(rows[:1])
    assert caught.value.field == "rows[0].sagsbehandler"
    with pytest.raises(InvalidRecord) as caught:
        Case.from_rows([rows[1]])
    assert caught.value.field == "rows[0].citizen"


def test_rows_that_are_no_rows_are_refused() -> None:
    read = read_cases([GOOD, "S-2", (*GOOD, *GOOD, "x")], errors="collect")
    assert [(r.row, r.error, r.column) for r in read.refusals] == [
        (1, "not-a-row", None), (2, "too-many-values", None)]


def test_from_rows_collects() -> None:
    read = Service.from_rows([("Y-1", 607, None, "SEL107", ("1.1",), D(2021, 6, 1), None,
                               "Old"), ("Y-2", 607, None, "SEL107", 5, None, None, "Old")],
                             errors="collect")
    assert [s.service_id for s in read.records] == ["Y-1"]
    assert [(r.field, r.error) for r in read.refusals] == [("target_groups", "invalid-type")]
    with pytest.raises(InvalidArgument):
        Case.from_rows([GOOD], errors="ignore")  # type: ignore[call-overload]


@pytest.mark.parametrize(("text", "options", "expected"), [
    ("2022-09-02", {}, D(2022, 9, 2)),
    ("02-09-2022", {"dayfirst": True}, D(2022, 9, 2)),
    ("02.09.2022", {"dayfirst": True}, D(2022, 9, 2)),
    ("09/02/2022", {"dayfirst": False}, D(2022, 9, 2)),
    ("02-09-2022", {"date_format": "%d-%m-%Y"}, D(2022, 9, 2)),
    ("2022-09-02 00:00:00", {}, D(2022, 9, 2)),
])
def test_date_strings_are_read_only_as_told(text: str, options: dict[str, Any],
                                            expected: D) -> None:
    read = read_cases([("S-1", 607, None, "Old", text)], **options)
    assert read.records[0].opened == expected


@pytest.mark.parametrize(("text", "options", "error"), [
    ("02-09-2022", {}, "date-format-needed"),
    ("31-02-2022", {"dayfirst": True}, "invalid-date"),
    ("2022-02-31", {}, "invalid-date"),
    ("2022-09-02 10:30", {}, "time-of-day"),
    ("2 Sept 2022", {"dayfirst": True}, "invalid-date"),
    ("02-09-2022", {"date_format": "%Y-%m-%d"}, "invalid-date"),
])
def test_date_strings_never_guessed(text: str, options: dict[str, Any], error: str) -> None:
    read = read_cases([("S-1", 607, None, "Old", text)], errors="collect", **options)
    assert read.records == () and [r.error for r in read.refusals] == [error]


def test_date_options_are_checked() -> None:
    with pytest.raises(InvalidArgument):
        read_cases([GOOD], dayfirst=True, date_format="%d-%m-%Y")
    with pytest.raises(InvalidArgument):
        read_cases([GOOD], errors="skip")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        read_cases([GOOD], columns={"sagsnr": "sag"})


def test_services_and_deliveries_from_rows() -> None:
    services = read_services([{"service_id": "Y-1", "municipality": "0607", "citizen": "",
                               "code": "SEL107", "target_groups": "1.1;2.1", "start": None,
                               "system": "Old"}]).records
    assert services[0].target_groups == frozenset({"1.1", "2.1"})
    assert services[0].start is None and services[0].citizen is None
    read = read_deliveries([("D-1", "L402", "Old", 607, "2026-05-26T09:00"),
                            ("D-2", "X402", "Old", 607, D(2026, 5, 27))],
                           services={"D-1": services}, errors="collect")
    assert [d.delivery_id for d in read.records] == ["D-1"]
    assert read.records[0].services == services
    assert [(r.field, r.error) for r in read.refusals] == [("name", "invalid-value")]


def test_refusals_become_cm002_findings() -> None:
    rows = [GOOD, ("S-2", 999, None, "Old", D(2020, 1, 6)), ("S-3", 998, None, "Old",
                                                            D(2020, 1, 6))]
    read = read_cases(rows, errors="collect")
    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=D(2026, 6, 1))
    report = check_readiness(plan, cases=read.records, refusals=read.refusals,
                             as_of=D(2026, 3, 1))
    found = [f for f in report.findings if f.code == "CM002"]
    assert len(found) == 1 and not report.ok
    assert found[0].subjects == ("S-2", "S-3")
    assert found[0].details["rows"] == 2 and found[0].details["column"] == "municipality"
    assert found[0].message_in("da") == (
        "2 rækker med sager blev afvist i kolonnen municipality (invalid-municipality); "
        "første række 1 (talt fra 0)")
    # The first row is the refusals table's row, counted from 0.
    assert found[0].details["first_row"] == min(r.row for r in read.refusals) == 1
    assert found[0].message.endswith("first row 1 (counted from 0)")
    assert found[0].rule is ROWS_REFUSED and found[0].citation.startswith(
        'casemigrate policy (docs/policies.md), "Refused rows are counted"')


def test_one_refused_row_reads_in_the_singular() -> None:
    read = read_cases([GOOD, ("S-2", 607, "320162-1234", "Old", D(2020, 1, 6)), "junk"],
                      errors="collect")
    services = read_services([("Y-1", 607, None, "SEL107", "1.1", "2021-13-01", None, "Old")],
                             errors="collect")
    found = find_refused_rows([read.refusals, services.refusals])
    assert [(f.details["table"], f.details["column"], f.details["error"], f.subjects)
            for f in found] == [
        ("cases", None, "not-a-row", ("rows[2]",)),
        ("cases", "citizen", "invalid-cpr", ("S-2",)),
        ("services", "start", "invalid-date", ("Y-1",)),
    ]
    assert [f.message_in("da") for f in found[1:]] == [
        "1 række med sager blev afvist i kolonnen citizen (invalid-cpr); række 1 "
        "(talt fra 0)",
        "1 række med ydelser blev afvist i kolonnen start (invalid-date); række 0 "
        "(talt fra 0)"]
    assert found[0].message == ("1 row of cases was refused as a whole (not-a-row); row 2 "
                                "(counted from 0)")
    assert "320162-1234" not in str(found) + "".join(f.message for f in found)
    assert find_refused_rows(read_cases([GOOD], errors="collect").refusals) == ()
    with pytest.raises(cm.InvalidType):
        find_refused_rows([object()])  # type: ignore[list-item]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([GOOD, ("S-2", 999, None, "Old", D(2020, 1, 6)),
                                 ("S-3", 607, None, "Old", "2020-02-30"),
                                 ("S-4", 998, None, "Old", "x"), "junk"]), max_size=12))
def test_every_refused_row_is_counted_once_per_column_and_error(rows: list[Any]) -> None:
    """Nothing is dropped without being counted: each refused row is in a CM002."""
    refusals = read_cases(rows, errors="collect").refusals
    found = find_refused_rows(refusals)
    groups = {(r.column, r.error) for r in refusals}
    assert len(found) == len(groups)
    assert sum(f.details["rows"] for f in found) == len(
        {(r.row, r.column, r.error) for r in refusals})
    assert {f.details["first_row"] for f in found} <= set(refusals.rows)
    assert len(read_cases(rows, errors="collect").records) + refusals.refused_rows == len(rows)


def test_frame_without_narwhals_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    pd = pytest.importorskip("pandas")
    real = builtins.__import__

    def no_narwhals(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("narwhals"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_narwhals)
    with pytest.raises(MissingDependency, match=r"casemigrate\[tables\]"):
        read_cases(pd.DataFrame({"case_id": ["S-1"]}))


# ---- frames ---------------------------------------------------------------------------

COLUMNS = {"sagsnr": "case_id", "kommune": "municipality", "cpr": "citizen",
           "oprettet": "opened", "lukket": "closed"}


def _pandas_export() -> Any:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    pytest.importorskip("narwhals")
    return pd.DataFrame({
        "sagsnr": ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6"],
        "kommune": np.array([607, 607, 607, 999, 607, 607], dtype="int64"),
        "cpr": ["211062-1234", None, "", "320162-1234", "211062-1234", "211062-1234"],
        "system": ["Old"] * 6,
        "oprettet": pd.to_datetime(["2020-01-06", "2020-02-01", None, "2020-03-01",
                                    "2020-04-01 10:30", "2020-05-01"], format="ISO8601"),
        "lukket": pd.to_datetime([None, "2021-01-01", None, None, None, "2019-01-01"]),
        "sagsbehandler": ["AB", "CD", "EF", "GH", "IJ", "KL"],
    })


def test_pandas_frame_with_bad_rows() -> None:
    frame = _pandas_export()
    read = read_cases(frame, columns=COLUMNS, errors="collect")
    assert [c.case_id for c in read.records] == ["S-1", "S-2"]
    assert read.records[1].closed == D(2021, 1, 1) and read.records[1].citizen is None
    assert read.extra_columns == ("sagsbehandler",)
    got = [(r.row, r.column, r.value, r.error) for r in read.refusals]
    assert got == [
        (2, "oprettet", None, "missing-value"),
        (3, "kommune", "999", "invalid-municipality"),
        (3, "cpr", "320162-****", "invalid-cpr"),
        (4, "oprettet", "2020-04-01T10:30:00", "time-of-day"),
        (5, "lukket", "2019-01-01", "ends-before-start"),
    ]
    with pytest.raises(CaseMigrateErrorTypes) as caught:
        read_cases(frame, columns=COLUMNS)
    assert caught.value.field == "rows[2].opened"


CaseMigrateErrorTypes = cm.CaseMigrateError


def test_the_same_table_in_polars_and_arrow_gives_the_same_answer() -> None:
    frame = _pandas_export()
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    expected = read_cases(frame, columns=COLUMNS, errors="collect")
    for other in (pl.from_pandas(frame), pa.Table.from_pandas(frame)):
        read = read_cases(other, columns=COLUMNS, errors="collect")
        assert read.records == expected.records
        assert [(r.row, r.error) for r in read.refusals] == [
            (r.row, r.error) for r in expected.refusals]


def test_a_missing_column_is_one_error_before_any_row() -> None:
    frame = _pandas_export().drop(columns=["oprettet"])
    with pytest.raises(InvalidArgument) as caught:
        read_cases(frame, columns={k: v for k, v in COLUMNS.items() if k != "oprettet"},
                   errors="collect")
    assert caught.value.field == "opened"
    with pytest.raises(InvalidArgument):
        read_cases(_pandas_export(), columns={**COLUMNS, "ansvarlig": "caseworker"})
    with pytest.raises(InvalidArgument, match="sagsbehandler"):
        read_cases(_pandas_export(), columns=COLUMNS, extra="refuse")
    mapped = read_cases(_pandas_export(), columns={**COLUMNS, "sagsbehandler": "caseworker"},
                        errors="collect")
    assert mapped.records[0].caseworker == "AB" and mapped.extra_columns == ()


def test_object_columns_with_pandas_and_numpy_values() -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    pytest.importorskip("narwhals")
    frame = pd.DataFrame({
        "case_id": ["S-1", "S-2", "S-3", "S-4"],
        "municipality": pd.Series([np.int64(607), 607.0, pd.NA, "0607"], dtype=object),
        "citizen": [None, float("nan"), pd.NA, pd.NaT],
        "system": ["Old"] * 4,
        "opened": pd.Series([pd.Timestamp("2020-01-06"), D(2020, 1, 7), np.datetime64(
            "2020-01-08"), "2020-01-09"], dtype=object),
        "closed": pd.Series([pd.NaT, None, float("nan"), pd.NA], dtype=object),
    })
    read = read_cases(frame, errors="collect")
    assert [c.case_id for c in read.records] == ["S-1", "S-2", "S-4"]
    assert [c.opened for c in read.records] == [D(2020, 1, 6), D(2020, 1, 7), D(2020, 1, 9)]
    assert all(c.citizen is None and c.closed is None for c in read.records)
    assert [(r.row, r.field, r.error) for r in read.refusals] == [
        (2, "municipality", "missing-value")]


def test_a_cpr_read_as_a_number_is_refused_with_advice() -> None:
    read = read_cases([("S-1", 607, 211062123, "Old", D(2020, 1, 6))], errors="collect")
    assert read.refusals[0].error == "invalid-type" and "dtype=str" in read.refusals[0].message


def test_polars_services_with_list_groups() -> None:
    pl = pytest.importorskip("polars")
    pytest.importorskip("narwhals")
    frame = pl.DataFrame({
        "service_id": ["Y-1", "Y-2"], "municipality": [607, 607], "citizen": [None, None],
        "code": ["SEL107", None], "target_groups": [["1.1", "2.1"], None],
        "start": [D(2021, 6, 1), None], "system": ["Old", "Old"],
    })
    read = read_services(frame)
    assert read.records[0].target_groups == frozenset({"1.1", "2.1"})
    assert read.records[1].target_groups == frozenset() and read.records[1].code is None


def test_frame_reads_equal_constructor_records() -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    rows = _cases(5)
    frame = pd.DataFrame(rows, columns=["case_id", "municipality", "citizen", "system",
                                        "opened", "closed"])
    frame["opened"] = pd.to_datetime(frame["opened"])
    assert list(read_cases(frame).records) == Case.from_rows(rows)


_VALUES = {
    "case_id": st.sampled_from(["S-1", "S-2", "", None, "  ", "Sag 7"]),
    "municipality": st.sampled_from([607, 101, 999, None, "0607", 411]),
    "citizen": st.sampled_from(["211062-1234", "320162-1234", None, "", "abc"]),
    "system": st.sampled_from(["Old", "New", "", None]),
    "opened": st.sampled_from(["2020-01-06", "06-01-2020", None, "2020-02-31",
                               "2021-03-04"]),
    "closed": st.sampled_from([None, "2020-12-31", "2019-01-01", "x"]),
}


@settings(max_examples=40)
@given(st.lists(st.fixed_dictionaries(_VALUES), max_size=25))
def test_good_records_and_refused_rows_are_the_input_rows(rows: list[dict[str, Any]]) -> None:
    """Nothing is dropped: every input row is a record or refused, never both."""
    read = read_cases(rows, errors="collect")
    assert len(read.records) + read.refusals.refused_rows == len(rows)
    assert set(read.rows).isdisjoint(read.refusals.rows)
    for record, row in zip(read.records, read.rows, strict=True):
        assert record.case_id == rows[row]["case_id"]
    pd = pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    frame = pd.DataFrame(rows, columns=list(_VALUES), dtype=object)
    again = read_cases(frame, errors="collect")
    assert again.records == read.records
    assert again.refusals.rows == read.refusals.rows


def test_deliveries_from_a_frame_with_aware_timestamps() -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    frame = pd.DataFrame({
        "delivery_id": ["D-1", "D-2"], "name": ["L402", "T402"], "system": ["Old", "New"],
        "municipality": [607, 607],
        "sent": pd.to_datetime(["2026-02-28 23:30", "2026-05-28 09:00"]).tz_localize("UTC"),
    })
    read = read_deliveries(frame)
    assert [d.sent_day for d in read.records] == [D(2026, 3, 1), D(2026, 5, 28)]
    assert read.records[1].sent == dt.datetime(2026, 5, 28, 11, 0)


def test_cm002_never_shows_a_cpr_in_full() -> None:
    """A CPR number used as a case id, or refused as a citizen, is masked everywhere."""
    rows = [("211062-1234", 999, "211062-1234", "Old", D(2020, 1, 6)),
            ("S-2", 607, "3201621234", "Old", D(2020, 1, 6))]
    read = read_cases(rows, errors="collect")
    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=D(2026, 6, 1))
    for language in ("en", "da"):
        report = check_readiness(plan, refusals=read.refusals, as_of=D(2026, 3, 1),
                                 language=language)
        assert {f.code for f in report.findings if f.code == "CM002"} == {"CM002"}
        shown = (str(report) + report._repr_html_() + repr(report.findings)
                 + str(report.to_dict()) + str(cm.to_rows(report)))
        assert "1234" not in shown.replace("-****", ""), language


@pytest.mark.parametrize(
    ("text", "error", "opened"),
    [("01-02-2024 10:30", "time-of-day", None),
     ("01-02-2024 00:00", None, dt.date(2024, 2, 1)),
     ("01.02.2024 00.00.00", None, dt.date(2024, 2, 1)),
     ("01-02-2024 25:00", "invalid-date", None)],
)
def test_a_danish_date_with_a_time_of_day_is_read_as_the_iso_form_is(
    text: str, error: str | None, opened: dt.date | None
) -> None:
    read = cm.read_cases([("S-1", 607, None, "Old", text)], dayfirst=True, errors="collect")
    assert [r.error for r in read.refusals] == ([error] if error else [])
    assert [c.opened for c in read.records] == ([opened] if opened else [])
