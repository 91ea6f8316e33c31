from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemigrate import (
    Case,
    CutoverPlan,
    Delivery,
    FindingError,
    FindingErrors,
    InvalidArgument,
    MissingDependency,
    Register,
    Service,
    Severity,
    UnknownRuleCode,
    check_readiness,
    plan_timeline,
)
from casemigrate.testing import cases, deliveries, services

D = dt.date
C = D(2026, 6, 1)
ALICE = "211062-1234"


def plan(register: Register = Register.SMDB, **kw: object) -> CutoverPlan:
    fields: dict[str, object] = {"municipality": 607, "register": register,
                                 "old_system": "Old", "new_system": "New", "cutover": C,
                                 "dst_notified": D(2026, 1, 5), "cutover_chosen": D(2026, 3, 2)}
    fields.update(kw)
    return CutoverPlan(**fields)  # type: ignore[arg-type]


SMDB_CASES = [
    Case(case_id="OLD-1", municipality=607, citizen=ALICE, system="Old", opened=D(2024, 2, 1)),
    Case(case_id="NEW-7", municipality=607, citizen=ALICE, system="New", opened=C),
    Case(case_id="X", municipality=607, citizen=None, system="Old", opened=D(2024, 2, 1)),
]
SMDB_DELIVERIES = [
    Delivery(delivery_id="late-old", name="L402", system="Old", municipality=607,
             sent=D(2026, 6, 2)),
]


def codes(report: object) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.subjects) for f in report.findings]  # type: ignore[attr-defined]


def test_smdb_readiness_runs_every_check() -> None:
    report = check_readiness(plan(), cases=SMDB_CASES, deliveries=SMDB_DELIVERIES,
                             as_of=D(2026, 6, 3))
    assert report.checks == ("check_plan", "find_reporting_overlap",
                             "find_duplicate_active_cases", "find_blocking_cases")
    assert codes(report) == [
        ("CM201", ("late-old",)),
        ("CM204", ("NEW-7", "OLD-1")),
        ("CM206", ("OLD-1",)),
        ("CM206", ("X",)),  # active in the old system at the deadline, citizen or not
        ("CM207", ("NEW-7", "OLD-1")),
        ("CM106", ("close_old_reporting",)),
        ("CM106", ("delete_active_courses",)),
        ("CM106", ("review_open_courses",)),
        ("CM205", ("X",)),
    ]
    assert not report.ok
    assert report.counts_by_severity == {"ERROR": 5, "WARNING": 3, "INFO": 1}
    assert report.counts_by_code["CM106"] == 3


def test_missing_data_is_said_not_skipped() -> None:
    report = check_readiness(plan(), as_of=D(2026, 3, 3))
    assert codes(report) == [("CM001", ("find_blocking_cases",)),
                             ("CM001", ("find_duplicate_active_cases",)),
                             ("CM001", ("find_reporting_overlap",))]
    assert report.ok
    handicap = check_readiness(plan(Register.HANDICAP), cases=SMDB_CASES, as_of=D(2026, 3, 3))
    # Every HANDICAP check lacking data, and both SMDB checks that would read the cases.
    assert {f.subjects[0] for f in handicap.findings if f.code == "CM001"} == {
        "find_reporting_overlap", "merge_deliveries", "check_services",
        "find_service_overlaps", "find_duplicate_active_cases", "find_blocking_cases"}
    reasons = {f.subjects[0]: f.details["reason"] for f in handicap.findings}
    assert reasons["find_blocking_cases"] == "it applies to SMDB, not HANDICAP"
    assert reasons["check_services"] == "no services or deliveries were given"
    assert reasons["find_service_overlaps"] == "no services or deliveries were given"
    danish = {f.subjects[0]: f.message_in("da") for f in handicap.findings if f.code == "CM001"}
    assert danish["find_blocking_cases"] == (
        "find_blocking_cases blev ikke kørt: den gælder for SMDB, ikke HANDICAP")
    assert danish["check_services"] == (
        "check_services blev ikke kørt: der er ingen ydelser eller leverancer at "
        "kontrollere")


def test_the_docstring_table_is_the_checks_table() -> None:
    from casemigrate import readiness

    assert readiness.checks_table() in (readiness.__doc__ or "")
    assert readiness.CHECKS[0].name == "check_plan"
    smdb = [c.name for c in readiness.CHECKS if Register.SMDB in c.registers]
    assert smdb == ["check_plan", "find_reporting_overlap", "find_duplicate_active_cases",
                    "find_blocking_cases"]


def test_deliveries_for_smdb_are_read_by_the_overlap_check_so_no_cm001() -> None:
    report = check_readiness(plan(), cases=SMDB_CASES, deliveries=SMDB_DELIVERIES,
                             as_of=D(2026, 6, 3))
    assert not [f for f in report.findings if f.code == "CM001"]
    assert report.checks == ("check_plan", "find_reporting_overlap",
                             "find_duplicate_active_cases", "find_blocking_cases")


def test_handicap_readiness_merges_and_checks_the_data_basis() -> None:
    def svc(sid: str, system: str, start: dt.date, end: dt.date | None = None) -> Service:
        return Service(service_id=sid, municipality=607, citizen=ALICE, code="SEL107",
                       target_groups={"1.1"}, start=start, end=end, system=system)

    sent = [
        Delivery(delivery_id="old", name="L402", system="Old", municipality=607,
                 sent=D(2026, 6, 10), services=[svc("B", "Old", D(2021, 6, 1), C)]),
        Delivery(delivery_id="new", name="L402", system="New", municipality=607,
                 sent=D(2026, 6, 11), services=[svc("B'", "New", D(2021, 6, 1))]),
        Delivery(delivery_id="early", name="L402", system="New", municipality=607,
                 sent=D(2026, 5, 20)),
    ]
    report = check_readiness(plan(Register.HANDICAP), deliveries=sent, as_of=D(2026, 6, 12))
    assert "merge_deliveries" in report.checks
    assert ("CM301", ("B", "B'")) in codes(report)
    assert ("CM302", ("B", "B'")) in codes(report)
    assert ("CM202", ("early",)) in codes(report)
    assert report.merge is not None
    assert report.merge["kept"] == 2
    # The merge checked the data basis for overlaps: no CM001 says it was not run.
    assert [f for f in report.findings if f.code == "CM001"] == []
    assert report.checks == ("check_plan", "find_reporting_overlap", "merge_deliveries",
                             "check_services", "find_service_overlaps")


def test_select_ignore_and_overrides() -> None:
    kwargs = {"cases": SMDB_CASES, "deliveries": SMDB_DELIVERIES, "as_of": D(2026, 6, 3)}
    only_cases = check_readiness(plan(), select=["CM20"], ignore=["CM205", "CM201"], **kwargs)
    assert [f.code for f in only_cases.findings] == ["CM204", "CM206", "CM206", "CM207"]
    softer = check_readiness(plan(), select=["CM2"],
                             severity_overrides={"CM2": Severity.WARNING,
                                                 "CM204": Severity.INFO}, **kwargs)
    assert softer.ok
    assert {f.code: f.severity for f in softer.findings}["CM204"] is Severity.INFO
    assert {f.code: f.severity for f in softer.findings}["CM201"] is Severity.WARNING


@pytest.mark.parametrize(
    "kwargs",
    [{"select": ["CM9"]}, {"ignore": ["CM1000"]}, {"ignore": ["X1"]},
     {"severity_overrides": {"CM777": Severity.INFO}}],
)
def test_unknown_codes_are_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(UnknownRuleCode):
        check_readiness(plan(), as_of=D(2026, 3, 3), **kwargs)  # type: ignore[arg-type]


def test_language_must_be_known() -> None:
    with pytest.raises(InvalidArgument):
        check_readiness(plan(), as_of=D(2026, 3, 3), language="de")


def test_raise_for_errors_is_one_group() -> None:
    report = check_readiness(plan(), cases=SMDB_CASES, deliveries=SMDB_DELIVERIES,
                             as_of=D(2026, 6, 3))
    with pytest.raises(FindingErrors) as info:
        report.raise_for_errors()
    assert [e.finding.code for e in info.value.exceptions] == [
        "CM201", "CM204", "CM206", "CM206", "CM207"]
    assert all(isinstance(e, FindingError) for e in info.value.exceptions)
    check_readiness(plan(), as_of=D(2026, 3, 3)).raise_for_errors()  # no errors: no raise


def test_danish() -> None:
    report = check_readiness(plan(), cases=SMDB_CASES, as_of=D(2026, 6, 3), language="da")
    text = str(report)
    assert "IKKE KLAR" in text
    assert "2 sager for samme borger er aktive 2026-06-03; registeret tager kun imod én" in text
    assert "Få slettet alle aktive kontaktforløb" in text
    assert "»Få slettet alle aktive kontaktforløb« skulle være udført" in text
    data = report.to_dict()
    assert data["language"] == "da"
    assert data["timeline"][0]["title"] == "Giv Danmarks Statistik besked om systemskiftet"


def test_every_milestone_has_both_titles() -> None:
    for register in Register:
        for milestone in plan_timeline(plan(register)):
            assert milestone.title and milestone.title_da
            assert milestone.title != milestone.title_da


def test_to_dict_is_json_with_stable_keys() -> None:
    report = check_readiness(plan(), cases=SMDB_CASES, deliveries=SMDB_DELIVERIES,
                             as_of=D(2026, 6, 3))
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data) == ["schema", "language", "as_of", "ok", "plan", "checks", "counts",
                          "timeline", "merge", "findings"]
    assert data["schema"] == 1
    first = data["findings"][0]
    assert list(first) == ["code", "name", "severity", "subjects", "message", "hint",
                           "citation", "details"]
    duplicate = next(f for f in data["findings"] if f["code"] == "CM204")
    assert duplicate["details"]["citizen"] == "211062-****"
    assert duplicate["details"]["day"] == "2026-06-03"


def test_to_frame_needs_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    report = check_readiness(plan(), as_of=D(2026, 3, 3))
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependency) as info:
        report.to_frame()
    assert isinstance(info.value, ImportError)
    assert "casemigrate[pandas]" in str(info.value)


def test_to_frame_with_pandas() -> None:
    pd = pytest.importorskip("pandas")
    report = check_readiness(plan(), cases=SMDB_CASES, as_of=D(2026, 6, 3))
    frame = report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["code"]) == [f.code for f in report.findings]


@settings(max_examples=30)
@given(st.lists(cases(), max_size=12, unique_by=lambda c: c.case_id),
       st.lists(deliveries(), max_size=4, unique_by=lambda d: d.delivery_id),
       st.lists(services(), max_size=6, unique_by=lambda s: s.service_id),
       st.sampled_from(list(Register)), st.sampled_from(["en", "da"]))
def test_no_output_ever_shows_a_cpr(case_list: list[Case], sent: list[Delivery],
                                    service_list: list[Service], register: Register,
                                    language: str) -> None:
    report = check_readiness(plan(register), cases=case_list, deliveries=sent,
                             services=service_list, as_of=C, language=language)
    outputs = [str(report), repr(report), report._repr_html_(), json.dumps(report.to_dict())]
    outputs += [str(f) for f in report.findings] + [repr(f) for f in report.findings]
    citizens = {c.citizen for c in case_list if c.citizen is not None}
    citizens |= {s.citizen for d in sent for s in d.services if s.citizen is not None}
    citizens |= {s.citizen for s in service_list if s.citizen is not None}
    for cpr in citizens:
        digits = cpr.unmasked()
        for text in outputs:
            assert digits not in text
            assert f"{digits[:6]}-{digits[6:]}" not in text



# ---- tables given to check_readiness ---------------------------------------------

def _export() -> tuple[object, object]:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("narwhals")
    cases_table = pd.DataFrame({
        "sagsnr": ["S-1", "S-2", "S-3", "S-4"], "kommune": [607, 607, 607, 999],
        "cpr": ["211062-1234", "2110621234", "320162-1234", None],
        "system": ["Old", "New", "Old", "Old"],
        "oprettet": ["02-09-2022", "01-06-2026", "01-01-2020", "01-01-2020"],
    })
    services_table = pd.DataFrame({
        "ydelse": ["Y-1", "Y-2"], "kommune": [607, 607], "cpr": ["211062-1234", "abc"],
        "code": ["SEL107", "SEL107"], "target_groups": ["1.1", "1.1"],
        "start": ["01-06-2021", "01-06-2026"], "end": [None, None], "system": ["Old", "New"],
    })
    return cases_table, services_table


NAMES = {"sagsnr": "case_id", "ydelse": "service_id", "kommune": "municipality",
         "cpr": "citizen", "oprettet": "opened"}


def test_tables_are_read_as_the_readers_read_them_and_refusals_are_cm002() -> None:
    from casemigrate import read_cases, read_services

    cases_table, services_table = _export()
    smdb = plan(dst_notified=dt.date(2026, 1, 5), cutover_chosen=dt.date(2026, 3, 2))
    report = check_readiness(smdb, cases=cases_table, services=services_table,
                             columns=NAMES, errors="collect", dayfirst=True,
                             as_of=dt.date(2026, 3, 3))
    read = read_cases(cases_table, columns={k: v for k, v in NAMES.items() if v != "service_id"},
                      errors="collect", dayfirst=True)
    read_s = read_services(services_table, columns={k: v for k, v in NAMES.items()
                                                    if v not in ("case_id", "opened")},
                           errors="collect", dayfirst=True)
    expected = check_readiness(smdb, cases=read.records, services=read_s.records,
                               refusals=[read.refusals, read_s.refusals],
                               as_of=dt.date(2026, 3, 3))
    assert report.findings == expected.findings
    refused = [(f.details["column"], f.subjects) for f in report.findings if f.code == "CM002"]
    assert sorted(refused) == [("cpr", ("S-3",)), ("cpr", ("Y-2",)), ("kommune", ("S-4",))]
    assert not report.ok
    assert "1234" not in str(report.to_dict())


def test_a_table_with_errors_raise_stops_at_its_first_bad_row() -> None:
    from casemigrate import InvalidCPR

    cases_table, _ = _export()
    with pytest.raises(InvalidCPR) as raised:
        check_readiness(plan(), cases=cases_table, columns=NAMES, dayfirst=True,
                        as_of=dt.date(2026, 3, 3))
    assert raised.value.field == "rows[2].citizen"


def test_reading_options_beside_records_are_refused() -> None:
    from casemigrate import InvalidArgument

    with pytest.raises(InvalidArgument) as raised:
        check_readiness(plan(), cases=[], dayfirst=True, as_of=dt.date(2026, 3, 3))
    assert raised.value.field == "dayfirst"


def test_citations_read_in_the_reports_language_and_register() -> None:
    sent = [Delivery(delivery_id="old", name="L402", system="Old", municipality=607,
                     sent=D(2026, 6, 10)),
            Delivery(delivery_id="new", name="L402", system="New", municipality=607,
                     sent=D(2026, 8, 1))]
    handicap = plan(Register.HANDICAP, dst_notified=None)
    report = check_readiness(handicap, deliveries=sent, as_of=D(2026, 8, 2), language="da")
    data = {f["code"]: f["citation"] for f in report.to_dict()["findings"]}
    # The policy's label is Danish; its quote stays the English text of docs/policies.md.
    assert data["CM317"].count("casemigrates politik (docs/policies.md), afsnit \"A gap "
                               "between the two systems' deliveries\" (Et hul mellem de to "
                               "systemers leverancer): \"") == 1
    assert "casemigrate policy" not in data["CM317"]
    assert "casemigrates politik" in str(report)
    # CM102 is shared by both registers: a HANDICAP plan cites the handicap guide only.
    assert data["CM102"].startswith('Danmarks Statistik, "Vejledning om systemskifte til '
                                    'kommuner", afsnit 1 "Vejledning til kommuner", punkt 1)')
    assert "SMDB" not in data["CM102"]
    assert "Systemskifte i SMDB" not in report._repr_html_().split('data-code="CM102"')[1]
    smdb = check_readiness(plan(dst_notified=None), as_of=D(2026, 3, 3))
    [cm102] = [f for f in smdb.to_dict()["findings"] if f["code"] == "CM102"]
    assert cm102["citation"].startswith('Danmarks Statistik, "Systemskifte i SMDB"')
    assert "Vejledning om systemskifte" not in cm102["citation"]


def test_cm310_cites_what_it_checks() -> None:
    from casemigrate import RULES

    citation = RULES["CM310"].citation
    assert "L402" not in citation
    assert "målgruppe(r)" in citation
    assert "casemigrate checks only the shape of a target-group code" in citation
