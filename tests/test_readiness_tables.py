"""check_readiness over tables: the columnar engine's report against the records' report.

A table given as ``cases=`` or ``services=`` is read once into columns and checked
there; the report it gives must equal (findings, order, text, HTML, counts) the report
of the records the table reader reads from the same table, with its refusals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pytest.importorskip("narwhals")

from casemigrate import (  # noqa: E402
    CPR,
    Case,
    CutoverPlan,
    Delivery,
    Finding,
    FindingErrors,
    Register,
    Service,
    Severity,
    check_readiness,
    read_cases,
    read_services,
)
from casemigrate.testing import cases, services  # noqa: E402

C = dt.date(2026, 6, 1)
CASE_NAMES = {"sagsnr": "case_id", "kommune": "municipality", "cpr": "citizen",
              "oprettet": "opened", "lukket": "closed"}
SERVICE_NAMES = {"ydelse": "service_id", "kommune": "municipality", "cpr": "citizen",
                 "ydelseskode": "code", "maalgrupper": "target_groups", "slut": "end"}
PREFIXES = ["CM0", "CM1", "CM2", "CM3", "CM001", "CM002", "CM204", "CM205", "CM206", "CM207",
            "CM301", "CM302", "CM303", "CM309", "CM315"]


def smdb_plan(deleted: dt.date | None = None) -> CutoverPlan:
    return CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=C, dst_notified=dt.date(2026, 1, 5),
                       cutover_chosen=dt.date(2026, 3, 2),
                       done={} if deleted is None else {"delete_active_courses": deleted})


def handicap_plan() -> CutoverPlan:
    return CutoverPlan(municipality=607, register="handicap", old_system="Old",
                       new_system="New", cutover=C)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.strftime("%d-%m-%Y")  # a Danish export


def case_frame(records: list[Case], bad: list[int]) -> Any:
    """The records as a Danish export (dd-mm-yyyy), rows ``bad`` with a bad CPR number."""
    rows = [{"sagsnr": c.case_id, "kommune": c.municipality.code,
             "cpr": None if c.citizen is None else c.citizen.unmasked(),
             "system": c.system, "oprettet": _day(c.opened), "lukket": _day(c.closed)}
            for c in records]
    for at in bad:
        if at < len(rows):
            rows[at]["cpr"] = "320162-1234"  # no 32 January
    return pd.DataFrame(rows, columns=["sagsnr", "kommune", "cpr", "system", "oprettet",
                                       "lukket"])


def service_frame(records: list[Service], bad: list[int]) -> Any:
    rows = [{"ydelse": s.service_id, "kommune": s.municipality.code,
             "cpr": None if s.citizen is None else s.citizen.unmasked(),
             "ydelseskode": s.code, "maalgrupper": "; ".join(sorted(s.target_groups)),
             "start": _day(s.start), "slut": _day(s.end), "system": s.system}
            for s in records]
    for at in bad:
        if at < len(rows):
            rows[at]["start"] = "31-02-2026"
    return pd.DataFrame(rows, columns=["ydelse", "kommune", "cpr", "ydelseskode",
                                       "maalgrupper", "start", "slut", "system"])


def options(draw: st.DrawFn) -> dict[str, Any]:
    """select, ignore and severity overrides, now and then."""
    chosen: dict[str, Any] = {"language": draw(st.sampled_from(["en", "da"]))}
    if draw(st.integers(0, 3)) == 0:
        chosen["select"] = draw(st.lists(st.sampled_from(PREFIXES), min_size=1, max_size=3))
    if draw(st.booleans()):
        chosen["ignore"] = draw(st.lists(st.sampled_from(PREFIXES), max_size=2))
    if draw(st.booleans()):
        chosen["severity_overrides"] = draw(st.dictionaries(
            st.sampled_from(PREFIXES), st.sampled_from(list(Severity)), max_size=3))
    return chosen


def assert_same_report(report: Any, expected: Any) -> None:
    assert report == expected
    assert tuple(report.findings) == tuple(expected.findings)
    assert [f.severity for f in report.findings] == [f.severity for f in expected.findings]
    assert (report.ok, report.counts_by_code, report.counts_by_severity) == (
        expected.ok, expected.counts_by_code, expected.counts_by_severity)
    assert str(report) == str(expected)
    assert report.render(limit_per_code=None) == expected.render(limit_per_code=None)
    assert report.to_html(limit_per_code=3) == expected.to_html(limit_per_code=3)
    assert report.to_dict() == expected.to_dict()
    for subjects in ("list", "explode", "text"):
        pd.testing.assert_frame_equal(report.to_frame(subjects=subjects),
                                      expected.to_frame(subjects=subjects))
    for index in (0, len(expected.findings) // 2, -1):
        if expected.findings:
            assert report.findings[index] == expected.findings[index]
    for part in (slice(1, 4), slice(None), slice(-3, None), slice(None, None, 2),
                 slice(5, 2)):
        assert tuple(report.findings[part]) == tuple(expected.findings[part])
    assert repr(report) == repr(expected)
    raised = []
    for one in (report, expected):
        try:
            one.raise_for_errors()
            raised.append(None)
        except FindingErrors as group:
            raised.append([error.finding for error in group.exceptions])
    assert raised[0] == raised[1]


CITIZENS = st.sampled_from([CPR("211062-1234"), CPR("010203-4321"), None])
DAYS = st.sampled_from([dt.date(2024, 1, 2), dt.date(2026, 5, 15), dt.date(2026, 5, 22),
                        C, dt.date(2026, 6, 20)])


@st.composite
def crowded_case(draw: st.DrawFn) -> Case:
    """A case of few ids, citizens, systems and days: duplicates and blocking cases."""
    opened = draw(DAYS)
    closed = draw(st.one_of(st.none(), DAYS.filter(lambda day: day >= opened)))
    return Case(case_id=draw(st.sampled_from(["A", "B", "C", "D", "E", "F"])),
                municipality=draw(st.sampled_from([607, 607, 607, 101])),
                citizen=draw(CITIZENS), system=draw(st.sampled_from(["Old", "New", "Third"])),
                opened=opened, closed=closed)


# Ids from small pools, so they repeat, within and across systems.
SMDB_CASES = st.lists(st.one_of(crowded_case(), crowded_case(), cases(citizens=CITIZENS),
                                cases(municipality=101)), min_size=3, max_size=14)


@settings(max_examples=40, deadline=None)
@given(SMDB_CASES, st.lists(st.integers(0, 13), max_size=2),
       st.sampled_from([None, dt.date(2026, 5, 20), dt.date(2026, 6, 3)]),
       st.sampled_from([dt.date(2026, 5, 21), C, dt.date(2026, 7, 1)]), st.data())
def test_an_smdb_case_table_reports_what_its_records_report(
        records: list[Case], bad: list[int], deleted: dt.date | None, as_of: dt.date,
        data: st.DataObject) -> None:
    kwargs = data.draw(st.composite(options)())
    frame = case_frame(records, bad)
    plan = smdb_plan(deleted)
    read = read_cases(frame, columns=CASE_NAMES, errors="collect", dayfirst=True)
    report = check_readiness(plan, cases=frame, columns=CASE_NAMES, errors="collect",
                             dayfirst=True, as_of=as_of, **kwargs)
    expected = check_readiness(plan, cases=read.records, refusals=read.refusals,
                               as_of=as_of, **kwargs)
    assert_same_report(report, expected)


def _deliveries(records: list[Service], sent_old: int, sent_new: int) -> list[Delivery]:
    """An old and a new production delivery holding the services of their system."""
    def held(system: str) -> list[Service]:
        seen: dict[str, Service] = {}
        for s in records:
            if s.system == system:
                seen.setdefault(s.service_id, s)
        return list(seen.values())

    return [Delivery(delivery_id="D-old", name="L402", system="Old", municipality=607,
                     sent=dt.datetime(2026, 6, 1, 9) + dt.timedelta(days=sent_old),
                     services=held("Old")),
            Delivery(delivery_id="D-new", name="L402", system="New", municipality=607,
                     sent=dt.datetime(2026, 6, 1, 9) + dt.timedelta(days=sent_new),
                     services=held("New"))]


@st.composite
def crowded_service(draw: st.DrawFn) -> Service:
    """A service of few ids, citizens, codes and days: overlaps and re-creations."""
    start = draw(st.one_of(DAYS, st.none()) if draw(st.integers(0, 9)) == 0 else DAYS)
    end = draw(st.one_of(st.none(), DAYS.filter(lambda day: start is None or day >= start)))
    return Service(service_id=draw(st.sampled_from(["Y1", "Y2", "Y3", "Y4", "Y5"])),
                   municipality=draw(st.sampled_from([607, 607, 607, 101])),
                   citizen=draw(st.sampled_from([CPR("211062-1234"), CPR("211062-1234"),
                                                 CPR("010203-4321"), None])),
                   code=draw(st.sampled_from(["SEL107", "SEL107", "SEL85"])),
                   target_groups=draw(st.sampled_from([{"1.1"}, {"1.1", "2.3"}, {"1..2"}])),
                   start=start, end=end, system=draw(st.sampled_from(["Old", "New", "Else"])))


HANDICAP_SERVICES = st.lists(st.one_of(crowded_service(), crowded_service(), services(),
                                       services(municipality=101)), min_size=2, max_size=14)


@settings(max_examples=40, deadline=None)
@given(HANDICAP_SERVICES, st.lists(st.integers(0, 13), max_size=2), st.booleans(),
       st.sampled_from([C, dt.date(2026, 8, 1)]), st.data())
def test_a_handicap_service_table_reports_what_its_records_report(
        records: list[Service], bad: list[int], with_deliveries: bool, as_of: dt.date,
        data: st.DataObject) -> None:
    kwargs = data.draw(st.composite(options)())
    frame = service_frame(records, bad)
    plan = handicap_plan()
    read = read_services(frame, columns=SERVICE_NAMES, errors="collect", dayfirst=True)
    # The deliveries hold some of the table's good services and some others: the merge
    # and the service checks then find some overlaps and re-creations both (the report
    # keeps each once), and some only one of them.
    held = [s for s in read.records if data.draw(st.integers(0, 3))]
    held += data.draw(st.lists(services(), max_size=4))
    sent = (_deliveries(held, data.draw(st.integers(-3, 3)), data.draw(st.integers(-3, 3)))
            if with_deliveries else [])
    report = check_readiness(plan, services=frame, deliveries=sent, columns=SERVICE_NAMES,
                             errors="collect", dayfirst=True, as_of=as_of, **kwargs)
    expected = check_readiness(plan, services=read.records, deliveries=sent,
                               refusals=read.refusals, as_of=as_of, **kwargs)
    assert_same_report(report, expected)


@pytest.mark.parametrize(("old", "new", "shown"), [
    ("B", "B'", ("B", "B'")),
    # Ids that are CPR numbers are shown masked, and compared as shown.
    ("2110621234", "X-1", ("211062-****", "X-1")),
])
def test_the_merge_and_the_service_table_report_a_shared_overlap_once(
        old: str, new: str, shown: tuple[str, ...]) -> None:
    def svc(sid: str, system: str, start: dt.date, end: dt.date | None) -> Service:
        return Service(service_id=sid, municipality=607, citizen="211062-1234",
                       code="SEL107", target_groups={"1.1"}, start=start, end=end,
                       system=system)

    basis = [svc(old, "Old", dt.date(2021, 6, 1), C), svc(new, "New", dt.date(2021, 6, 1),
                                                          None),
             svc(old, "Old", dt.date(2021, 6, 1), C)]  # the same row twice
    frame = service_frame(basis, [])
    sent = _deliveries(basis, 1, 2)
    report = check_readiness(handicap_plan(), services=frame, deliveries=sent,
                             columns=SERVICE_NAMES, dayfirst=True, as_of=C)
    found = [(f.code, f.subjects) for f in report.findings if f.code in ("CM301", "CM302")]
    assert found == [("CM301", shown), ("CM302", shown)]
    assert report.counts_by_code["CM301"] == 1
    expected = check_readiness(handicap_plan(), services=basis, deliveries=sent, as_of=C)
    assert_same_report(report, expected)


def test_an_override_moves_a_lazy_block_and_its_findings() -> None:
    records = [Case(case_id=f"C{n}", municipality=607, citizen="211062-1234",
                    system="Old" if n % 2 else "New", opened=dt.date(2024, 1, 1))
               for n in range(4)]
    frame = case_frame(records, [])
    plan = smdb_plan()
    report = check_readiness(plan, cases=frame, columns=CASE_NAMES, dayfirst=True,
                             as_of=C, severity_overrides={"CM204": Severity.INFO})
    cm204 = [f for f in report.findings if f.code == "CM204"]
    assert [f.severity for f in cm204] == [Severity.INFO]
    assert cm204[0].subjects == ("C0", "C1", "C2", "C3")
    codes = [f.code for f in report.findings]
    # INFO now: after every ERROR and WARNING, in code order among the INFO findings.
    assert codes.index("CM204") > max(i for i, f in enumerate(report.findings)
                                      if f.severity is not Severity.INFO)
    expected = check_readiness(plan, cases=records, as_of=C,
                               severity_overrides={"CM204": Severity.INFO})
    assert_same_report(report, expected)


def test_collected_bad_rows_are_cm002_in_the_report() -> None:
    records = [Case(case_id=f"C{n}", municipality=607, citizen="211062-1234", system="Old",
                    opened=dt.date(2024, 1, 1)) for n in range(3)]
    frame = case_frame(records, [1])
    report = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                             errors="collect", as_of=C, language="da")
    refused = [(f.code, f.subjects, f.details["column"]) for f in report.findings
               if f.code == "CM002"]
    assert refused == [("CM002", ("C1",), "cpr")]
    cm204 = [f.subjects for f in report.findings if f.code == "CM204"]
    assert cm204 == [("C0", "C2")]  # the refused row is in no check
    assert "320162-1234" not in str(report) and "320162-1234" not in report.to_html()


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_pandas_and_polars_tables_give_one_report(library: str) -> None:
    module = pytest.importorskip(library)
    records = [Case(case_id=f"C{n}", municipality=607, citizen=["211062-1234", None][n % 2],
                    system="Old" if n < 3 else "New", opened=dt.date(2024, 1, 1))
               for n in range(6)]
    frame = case_frame(records, [])
    if library == "polars":
        frame = module.from_pandas(frame)
    report = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                             as_of=dt.date(2026, 6, 3))
    expected = check_readiness(smdb_plan(), cases=records, as_of=dt.date(2026, 6, 3))
    assert_same_report(report, expected)
    assert {"CM204", "CM205", "CM206"} <= set(report.counts_by_code)
    frame_out = report.to_frame(library)
    assert list(frame_out["code"]) == [f.code for f in expected.findings]
    assert frame_out.equals(expected.to_frame(library))


def _count_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A counter of the findings the engine's blocks build (``make``, ``make_many``)."""
    from casemigrate._columnar import _blocking, _merge, _rules, _services  # noqa: F401
    from casemigrate._columnar._table import Block

    built, depth = [0], [0]
    classes, stack = [], [Block]
    while stack:
        cls = stack.pop()
        classes.append(cls)
        stack.extend(cls.__subclasses__())
    for cls in classes:
        for name in ("make", "make_many"):
            if name not in cls.__dict__:
                continue

            def wrapper(self: Any, rows: Any, _original: Any = cls.__dict__[name],
                        _one: bool = name == "make") -> Any:
                if depth[0] == 0:  # make_many calling make counts once
                    built[0] += 1 if _one else len(rows)
                depth[0] += 1
                try:
                    return _original(self, rows)
                finally:
                    depth[0] -= 1

            monkeypatch.setattr(cls, name, wrapper)
    real = Finding.of.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Finding], *args: Any, **kwargs: Any) -> Finding:
        if depth[0] == 0:
            built[0] += 1
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(Finding, "of", classmethod(counting))
    return built


def test_a_table_report_counts_and_renders_without_building_every_finding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    many = [Case(case_id=f"C{n:04d}", municipality=607, citizen=f"0101{n % 90 + 10:02d}-4321"
                 if n % 7 else None, system="Old" if n % 2 else "New",
                 opened=dt.date(2024, 1, 1)) for n in range(2_000)]
    frame = case_frame(many, [])
    report = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                             as_of=C)
    expected = check_readiness(smdb_plan(), cases=many, as_of=C)
    built = _count_built(monkeypatch)
    counts = report.counts_by_code
    assert counts == expected.counts_by_code
    assert (counts["CM204"], counts["CM205"], counts["CM206"]) == (90, 1, 1_000)
    assert report.counts_by_severity["ERROR"] == 90 + 1_000
    assert not report.ok
    assert len(report.findings) == sum(counts.values())
    assert repr(report) == repr(expected)
    assert built == [0]
    text = report.render(limit_per_code=2)
    assert "... and 88 more" in text and "... and 998 more" in text
    assert built[0] <= 2 * len(counts)  # the two listed of each code
    built[0] = 0
    report.to_html(limit_per_code=1)
    assert built[0] <= len(counts)
    built[0] = 0
    assert report.findings[500].code == "CM206" and built == [1]


def test_a_service_table_report_counts_without_building_every_finding(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def svc(n: int, system: str) -> Service:
        return Service(service_id=f"Y{n}{system[0]}", municipality=607,
                       citizen=f"0101{n % 90 + 10:02d}-4321", code=f"SEL{n % 50}",
                       target_groups={"1.1"}, start=dt.date(2024, 1, 1),
                       end=C if system == "Old" else None, system=system)

    basis = [svc(n, system) for n in range(1_000) for system in ("Old", "New")]
    report = check_readiness(handicap_plan(), services=service_frame(basis, []),
                             columns=SERVICE_NAMES, dayfirst=True, as_of=C)
    expected = check_readiness(handicap_plan(), services=basis, as_of=C)
    built = _count_built(monkeypatch)
    counts = report.counts_by_code
    assert counts == expected.counts_by_code
    assert counts["CM301"] == counts["CM302"] > 1_000
    assert not report.ok and built == [0]
    report.render(limit_per_code=3)
    assert 0 < built[0] <= 3 * len(counts)
    built[0] = 0
    assert len(list(report.findings[:10])) == 10 and built == [10]  # the counter counts


def test_a_table_without_a_good_row_is_no_data() -> None:
    frame = case_frame([Case(case_id="C1", municipality=607, citizen="211062-1234",
                             system="Old", opened=dt.date(2024, 1, 1))], [0])
    report = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                             errors="collect", as_of=C)
    skipped = [f.subjects for f in report.findings if f.code == "CM001"]
    assert ("find_duplicate_active_cases",) in skipped
    assert report.counts_by_code["CM002"] == 1


def test_handicap_register_with_only_a_case_table_says_so() -> None:
    records = [Case(case_id="C1", municipality=607, citizen="211062-1234", system="Old",
                    opened=dt.date(2024, 1, 1))]
    report = check_readiness(handicap_plan(), cases=case_frame(records, []),
                             columns=CASE_NAMES, dayfirst=True, as_of=C)
    expected = check_readiness(handicap_plan(), cases=records, as_of=C)
    assert_same_report(report, expected)
    assert Register.HANDICAP is report.plan.register


def test_a_merge_finding_with_a_tables_subjects_but_other_details_is_kept_in_order() -> None:
    def svc(sid: str, system: str, start: dt.date, end: dt.date | None) -> Service:
        return Service(service_id=sid, municipality=607, citizen="211062-1234",
                       code="SEL107", target_groups={"1.1"}, start=start, end=end,
                       system=system)

    table_rows = [svc("B", "Old", dt.date(2021, 6, 1), C), svc("B'", "New", dt.date(2021, 6, 1),
                                                               None),
                  svc("A", "Old", dt.date(2020, 1, 1), dt.date(2026, 5, 31)),
                  svc("Z", "New", dt.date(2020, 1, 1), None)]
    # The old system delivered B with another end: the merge's CM301 on (B, B') has
    # other shared days than the table's, so both are kept, ordered by message.
    delivered = [svc("B", "Old", dt.date(2021, 6, 1), dt.date(2026, 5, 10)),
                 svc("B'", "New", dt.date(2021, 6, 1), None)]
    sent = _deliveries(delivered, 1, 2)
    report = check_readiness(handicap_plan(), services=service_frame(table_rows, []),
                             deliveries=sent, columns=SERVICE_NAMES, dayfirst=True, as_of=C)
    expected = check_readiness(handicap_plan(), services=table_rows, deliveries=sent, as_of=C)
    assert_same_report(report, expected)
    pair = [f.details["last"] for f in report.findings
            if f.code == "CM301" and f.subjects == ("B", "B'")]
    assert sorted(pair) == [dt.date(2026, 5, 10), C]


def test_no_cpr_number_in_full_in_any_view_of_a_table_report() -> None:
    records = [Case(case_id=case_id, municipality=607, citizen="211062-1234", system=system,
                    opened=dt.date(2024, 1, 1))
               for case_id, system in (("0101904321", "Old"), ("010190-4322", "New"),
                                       ("S-1", "Old"))]
    frame = case_frame(records, [2])
    report = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                             errors="collect", as_of=C, language="da")
    shown = [str(report), repr(report), report.to_html(), report._repr_html_(),
             str(report.to_dict()), report.to_frame().to_string(),
             report.to_frame(subjects="explode").to_string(),
             *map(str, report.findings), *map(repr, report.findings)]
    assert {"CM002", "CM204", "CM206"} <= set(report.counts_by_code)
    for digits in ("2110621234", "211062-1234", "0101904321", "010190-4321", "010190-4322",
                   "320162-1234"):
        assert not any(digits in text for text in shown), digits


def test_a_table_reports_findings_pickle_as_their_tuple() -> None:
    import pickle

    records = [Case(case_id=f"C{n}", municipality=607, citizen="211062-1234",
                    system="Old" if n % 2 else "New", opened=dt.date(2024, 1, 1))
               for n in range(5)]
    report = check_readiness(smdb_plan(), cases=case_frame(records, []), columns=CASE_NAMES,
                             dayfirst=True, as_of=C)
    again = pickle.loads(pickle.dumps(report))
    assert isinstance(again.findings, tuple)
    assert [(f.code, f.subjects) for f in again.findings] == [
        (f.code, f.subjects) for f in report.findings]
    assert str(again) == str(report)


def test_without_the_columnar_extra_a_table_is_read_into_records(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The table reader needs narwhals alone: without numpy and pyarrow the report
    reads the table into records, as it did before it ran on columns."""
    from casemigrate import MissingDependency, readiness

    def missing() -> None:
        raise MissingDependency("pip install 'casemigrate[columnar]'", field="table")

    records = [Case(case_id=f"C{n}", municipality=607, citizen="211062-1234",
                    system="Old" if n % 2 else "New", opened=dt.date(2024, 1, 1))
               for n in range(4)]
    frame = case_frame(records, [3])
    on_columns = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                                 errors="collect", as_of=C)
    monkeypatch.setattr(readiness, "require", missing)
    on_records = check_readiness(smdb_plan(), cases=frame, columns=CASE_NAMES, dayfirst=True,
                                 errors="collect", as_of=C)
    assert isinstance(on_records.findings, tuple)
    assert not isinstance(on_columns.findings, tuple)
    assert_same_report(on_columns, on_records)
    assert on_records.counts_by_code["CM002"] == 1


def test_a_shared_finding_on_ids_that_are_cpr_numbers_is_kept_once_whatever_the_order(
        ) -> None:
    """The engine orders by the ids as given, a Finding by the ids as shown
    (docs/edge-values.md): "0101901234" is before "010190-00x" shown, after it given.
    A finding the merge reports too is found among the block's all the same."""
    def svc(sid: str, citizen: str, system: str, end: dt.date | None) -> Service:
        return Service(service_id=sid, municipality=607, citizen=citizen, code="SEL107",
                       target_groups={"1.1"}, start=dt.date(2021, 6, 1), end=end,
                       system=system)

    basis = [svc("0101901234", "211062-1234", "Old", C), svc("Z1", "211062-1234", "New", None),
             svc("010190-00x", "010203-4321", "Old", C), svc("Z2", "010203-4321", "New", None)]
    sent = _deliveries(basis, 1, 2)
    report = check_readiness(handicap_plan(), services=service_frame(basis, []),
                             deliveries=sent, columns=SERVICE_NAMES, dayfirst=True, as_of=C)
    expected = check_readiness(handicap_plan(), services=basis, deliveries=sent, as_of=C)
    assert report.counts_by_code == expected.counts_by_code
    assert report.counts_by_code["CM301"] == 2
    assert sorted(map(str, report.findings)) == sorted(map(str, expected.findings))
