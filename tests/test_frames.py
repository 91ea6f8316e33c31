"""Tables out: every result as rows of plain cells, and as pandas and polars frames."""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casemigrate as cm
from casemigrate import (
    RULES,
    Case,
    CaseGroup,
    ConversionMethod,
    CutoverPlan,
    Delivery,
    Finding,
    Service,
    check_readiness,
    choose_scenario,
    choose_scenarios,
    estimate_cleanup,
    merge_deliveries,
    plan_conversion,
    plan_timeline,
)
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.frames import cell, to_frame, to_rows
from casemigrate.overlap import CASES_WITHOUT_CITIZEN
from casemigrate.tables import read_cases

D = dt.date
PLAIN = (str, int, float, bool, D, decimal.Decimal, type(None))
PLAN = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                   cutover=D(2026, 6, 1))
CASES = [
    Case(case_id="O-1", municipality=607, citizen="211062-1234", system="Old",
         opened=D(2025, 1, 1), caseworker="AB"),
    Case(case_id="N-1", municipality=607, citizen="211062-1234", system="New",
         opened=D(2026, 6, 1), caseworker="CD"),
]


def _service(sid: str, system: str, end: D | None) -> Service:
    return Service(service_id=sid, municipality=607, citizen="211062-1234", code="SEL107",
                   target_groups={"1.1"}, start=D(2021, 1, 1), end=end, system=system)


def _merge() -> Any:
    plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
                       new_system="New", cutover=D(2026, 6, 1))
    old = Delivery(delivery_id="old", name="L402", system="Old", municipality=607,
                   sent=dt.datetime(2026, 6, 10), services=(_service("A", "Old", None),
                                                            _service("B", "Old", D(2022, 1, 1))))
    new = Delivery(delivery_id="new", name="L402", system="New", municipality=607,
                   sent=dt.datetime(2026, 6, 11), services=(_service("C", "New", None),))
    return merge_deliveries([old, new], plan)


def _results() -> dict[str, Any]:
    report = check_readiness(PLAN, cases=CASES, as_of=D(2026, 6, 2))
    return {
        "report": report,
        "findings": report.findings,
        "cases": CASES,
        "merge": _merge(),
        "decision": choose_scenario(CaseGroup(name="PPR", only_cpr_advis=True)),
        "summary": choose_scenarios([CaseGroup(name="PPR"), CaseGroup(name="Jobcenter")]),
        "cleanup": estimate_cleanup(CASES),
        "conversion": plan_conversion(CASES, include_passive=False,
                                      method=ConversionMethod.MANUAL,
                                      minutes_per_case=(10, 20), staff=1, hours_per_day=6,
                                      start=D(2026, 3, 2)),
        "timeline": plan_timeline(PLAN),
        "refusals": read_cases([("S-1", 999, "320162-1234", "Old", None)],
                               errors="collect"),
    }


@pytest.mark.parametrize("name", sorted(_results()))
def test_every_cell_is_plain_and_no_cpr_in_full(name: str) -> None:
    rows = to_rows(_results()[name])
    assert rows
    for row in rows:
        for key, value in row.items():
            if key == "subjects":
                assert isinstance(value, list) and all(isinstance(s, str) for s in value)
            else:
                assert isinstance(value, PLAIN), (key, value)
            assert "-1234" not in str(value)


def test_findings_subjects_list_explode_text() -> None:
    report = check_readiness(PLAN, cases=CASES, as_of=D(2026, 6, 2))
    listed = [r for r in to_rows(report) if r["code"] == "CM204"]
    assert listed[0]["subjects"] == ["N-1", "O-1"] and listed[0]["detail_count"] == 2
    exploded = [r["subjects"] for r in to_rows(report, subjects="explode")
                if r["code"] == "CM204"]
    assert exploded == ["N-1", "O-1"]
    assert [r["subjects"] for r in to_rows(report, subjects="text")
            if r["code"] == "CM204"] == ["N-1, O-1"]
    danish = to_rows(report.findings, language="da")
    assert danish[0]["message"] == report.findings[0].message_in("da")


def test_merge_rows_account_for_every_service() -> None:
    rows = to_rows(_merge())
    assert sorted((r["service_id"], r["status"], r["reason_code"]) for r in rows) == [
        ("A", "excluded", "ACTIVE_IN_OLD_SYSTEM"), ("B", "kept", None), ("C", "kept", None)]
    assert {r["delivery_id"] for r in rows} == {"old", "new"}
    # The reason in words, in the table's language.
    reasons = {r["service_id"]: r["reason"] for r in rows}
    assert reasons["A"] == "active in the old system: the new system reports it"
    danish = {r["service_id"]: r["reason"] for r in to_rows(_merge(), language="da")}
    assert danish["A"] == "aktiv i det tidligere system: det nye system indberetter den"


def test_merge_ledger_table_explains_every_number() -> None:
    ledger = {r["item"]: r for r in to_rows(_merge(), part="ledger")}
    assert ledger["services_in"]["services"] == 3
    assert ledger["kept"]["services"] == 2
    assert ledger["ACTIVE_IN_OLD_SYSTEM"]["services"] == 1
    # A (active in the old system, 2021-01-01) is re-created by C with another id only.
    assert ledger["RECREATED_UNCHANGED"]["services"] == 1
    assert ledger["RECREATED_UNCHANGED"]["part_of"] == "ACTIVE_IN_OLD_SYSTEM"
    for item, row in ledger.items():  # every row is the sum of its parts
        parts = [r["services"] for r in ledger.values() if r["part_of"] == item]
        if parts:
            assert sum(parts) == row["services"], item
    danish = to_rows(_merge(), part="ledger", language="da")
    assert danish[0]["label"] == "modtagne ydelser"


def test_parts_and_refusals() -> None:
    results = _results()
    assert [r["complexity"] for r in to_rows(results["cleanup"], part="breakdown")] == [
        "SIMPLE", "MEDIUM", "COMPLEX"]
    assert {r["status"] for r in to_rows(results["conversion"])} == {"converted"}
    assert isinstance(to_rows(results["conversion"], part="findings"), list)
    assert to_rows(results["refusals"])[0]["value"] == "999"
    kinds = {r["kind"] for r in to_rows(results["decision"])}
    assert kinds == {"reason", "unknown"}
    with pytest.raises(InvalidArgument):
        to_rows(results["timeline"], part="breakdown")
    with pytest.raises(InvalidType):
        to_rows(object())
    with pytest.raises(InvalidArgument):
        to_rows(results["report"], subjects="rows")  # type: ignore[arg-type]


def test_cell_never_shows_a_repr() -> None:
    assert cell(cm.municipality(607)) == 607
    assert cell({"b": D(2020, 1, 1), "a": cm.CPR("211062-1234")}) == (
        '{"a": "211062-****", "b": "2020-01-01"}')
    assert cell(frozenset({"b", "a"})) == "a, b"
    assert cell(cm.Severity.ERROR) == 0 or cell(cm.Severity.ERROR) == "ERROR"


@pytest.mark.parametrize("library", ["pandas", "polars"])
@pytest.mark.parametrize("name", sorted(_results()))
def test_every_result_becomes_a_frame(library: str, name: str) -> None:
    pytest.importorskip(library)
    result = _results()[name]
    table = to_frame(result, library=library)
    assert len(table) == len(to_rows(result))


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_report_to_frame_joins_with_caseworkers(library: str) -> None:
    pytest.importorskip(library)
    report = check_readiness(PLAN, cases=CASES, as_of=D(2026, 6, 2))
    table = report.to_frame(library, subjects="explode")
    assert "detail_count" in list(table.columns)
    cases = to_frame(CASES, library=library)
    if library == "pandas":
        joined = table.merge(cases, left_on="subjects", right_on="case_id")
        pairs = sorted(zip(joined["code"], joined["caseworker"], strict=True))
    else:
        joined = table.join(cases, left_on="subjects", right_on="case_id")
        pairs = sorted(zip(joined["code"].to_list(), joined["caseworker"].to_list(),
                           strict=True))
    assert ("CM204", "AB") in pairs and ("CM204", "CD") in pairs


def test_empty_results_still_have_columns() -> None:
    pytest.importorskip("pandas")
    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=D(2026, 6, 1), dst_notified=D(2026, 1, 5),
                       cutover_chosen=D(2026, 3, 2))
    report = check_readiness(plan, as_of=D(2026, 3, 3), select=["CM2"])
    assert list(report.to_frame().columns)[:3] == ["code", "name", "severity"]
    refusals = read_cases([("S-1", 607, None, "Old", D(2020, 1, 1))]).refusals
    assert next(iter(refusals.to_frame().columns)) == "row"
    assert to_rows([Finding.of(CASES_WITHOUT_CITIZEN, count=1)])[0]["subjects"] == []


REPR = re.compile(r"Phrase\(|Term\(|Citation\(|Document\(|<[A-Za-z]|\['|\('")


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rules_findings_table_is_plain_text_in_both_languages(code: str) -> None:
    """Terms, phrases and citations in details are text in the table's language."""
    rule = RULES[code]
    finding = Finding.of(rule, ("x",), **rule.sample)
    for language in ("en", "da"):
        [row] = to_rows([finding], language=language)
        assert row["message"] == finding.message_in(language)
        assert row["citation"] == finding.citation_in(language)
        assert ".txt" not in row["citation"]
        if language == "en":
            assert row["citation"] == rule.citation
        if rule.is_policy:  # the policy's own label reads in the table's language
            assert ("casemigrates politik" in row["citation"]) == (language == "da")
        for key, value in row.items():
            if key == "subjects":
                continue
            assert type(value) in (str, int, float, bool, D, decimal.Decimal, type(None)), (
                key, type(value))
            assert not REPR.search(str(value)), (key, value)


def test_terms_phrases_and_citations_read_in_the_tables_language() -> None:
    report = check_readiness(PLAN, as_of=D(2026, 6, 3), language="da")
    rows = to_rows(report)  # a report's own language by default
    reasons = {r["detail_check"]: r["detail_reason"] for r in rows if r["code"] == "CM001"}
    assert reasons["find_blocking_cases"] == "der er ingen sager at kontrollere"
    assert {r["message"] for r in rows} == {f.message_in("da") for f in report.findings}
    overdue = [r for r in rows if r["code"] == "CM106"]
    assert overdue and all(r["detail_source"].startswith('Danmarks Statistik, "Systemskifte')
                           for r in overdue)
    english = to_rows(report, language="en")
    assert {r["detail_reason"] for r in english if r["code"] == "CM001"} == {
        "no cases were given", "no deliveries were given"}
    saving = RULES["CM404"].sample["saving"]
    assert cell(saving, "da") == saving.in_language("da") and cell(saving) == str(saving)
    assert cell((D(2026, 1, 2), ("a", "b"))) == "2026-01-02, a, b"


def test_refused_rows_read_in_both_languages() -> None:
    read = read_cases([("S-1", 999, None, "Old", D(2020, 1, 6)), object()],
                      errors="collect")
    report = check_readiness(PLAN, cases=read.records, refusals=read.refusals,
                             as_of=D(2026, 3, 2), language="da")
    rows = [r for r in to_rows(report) if r["code"] == "CM002"]
    assert sorted((r["subjects"], r["detail_column"], r["detail_error"]) for r in rows) == [
        (["S-1"], "municipality", "invalid-municipality"), (["rows[1]"], None, "not-a-row")]
    assert {r["detail_table"] for r in rows} == {"sager"}
    assert {r["detail_where"] for r in rows} == {"i kolonnen municipality", "som helhed"}


def test_an_empty_merge_tabulates_with_the_merge_columns() -> None:
    """No service in, no row out: the table still has a merge's columns (not a findings
    table's), so code that selects ``status`` or ``reason`` works on it."""
    pytest.importorskip("pandas")
    plan = cm.CutoverPlan(municipality=607, old_system="Old", new_system="New",
                          cutover=dt.date(2026, 6, 1), register=cm.Register.HANDICAP)
    table = to_frame(cm.merge_deliveries([], plan))
    assert len(table) == 0
    assert list(table.columns) == ["service_id", "system", "municipality", "citizen", "code",
                                   "target_groups", "start", "end", "status", "reason",
                                   "reason_code", "delivery_id"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="0123456789٢٣- \nx", max_size=24), max_size=8))
def test_many_texts_are_masked_as_each_is(texts: list[str]) -> None:
    """The engine's findings frame masks its texts in bulk: exactly as one by one."""
    pytest.importorskip("pyarrow")
    from casemigrate.frames import _masked_all
    from casemigrate.tables import mask

    assert _masked_all(texts) == [mask(text) for text in texts]
