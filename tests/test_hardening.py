"""Regression tests for what careful attacks found: one test (or a few) per finding.

Crashes on edge values, findings lost, CPR numbers echoed or recoverable, order
dependence with colliding ids, and records that were frozen only on the surface.
"""

from __future__ import annotations

import datetime as dt
import pickle
import random
import traceback
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casemigrate as cm
from casemigrate.testing import cpr_strings

D = dt.date
CUTOVER = D(2026, 6, 1)
FAR = D(9999, 12, 31)
ALICE, BOB = "211062-1234", "010203-4321"


def plan(register: str = "handicap", municipality: int = 607) -> cm.CutoverPlan:
    return cm.CutoverPlan(municipality=municipality, register=register, old_system="Old",
                          new_system="New", cutover=CUTOVER)


def svc(sid: str, system: str, start: dt.date, end: dt.date | None = None,
        citizen: str = ALICE) -> cm.Service:
    return cm.Service(service_id=sid, municipality=607, citizen=citizen, code="SEL107",
                      target_groups={"1.1"}, start=start, end=end, system=system)


def case(cid: str, citizen: str | None, system: str, opened: dt.date,
         municipality: int = 607, **more: Any) -> cm.Case:
    return cm.Case(case_id=cid, municipality=municipality, citizen=citizen, system=system,
                   opened=opened, **more)


# ---- 1. end date 9999-12-31 --------------------------------------------------------

def test_end_date_9999_12_31_is_a_date_and_never_crashes() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), FAR), svc("B", "New", D(2026, 6, 1), FAR),
             svc("C", "New", FAR, FAR)]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER, within_system=True)
    overlap = next(f for f in found if f.code == "CM301")
    assert overlap.subjects == ("A", "B")
    assert overlap.details["last"] == FAR
    assert overlap.details["days"] == (FAR - CUTOVER).days + 1
    assert ("CM314", ("B", "C")) in [(f.code, f.subjects) for f in found]
    delivery = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                           sent=D(2026, 6, 10), services=basis[:1])
    merged = cm.merge_deliveries([delivery], plan())
    assert [s.service_id for s in merged.services] == ["A"]  # closed: kept, as a date
    report = cm.check_readiness(plan(), services=basis, as_of=CUTOVER)
    # The policy: kept as a date; CM311 shows the far-future end to a person.
    assert {f.subjects for f in report.findings if f.code == "CM311"} == {
        ("A",), ("B",), ("C",)}


def test_end_date_9999_12_31_with_cutover_on_the_first_and_last_days() -> None:
    for cutover in (D(1, 1, 1), FAR):
        found = cm.find_service_overlaps(
            [svc("A", "Old", D(1, 1, 1), cutover), svc("B", "New", cutover)], cutover=cutover)
        assert [f.code for f in found] == ["CM301", "CM302", "CM303"]


# ---- 2. check_readiness dropped findings -----------------------------------------

def test_check_readiness_keeps_findings_of_citizens_with_the_same_case_ids() -> None:
    cases = [case("1", ALICE, "Old", D(2024, 1, 1)), case("2", ALICE, "New", CUTOVER),
             case("1", BOB, "Old", D(2024, 1, 1)), case("2", BOB, "New", CUTOVER)]
    expected = None
    for seed in range(6):
        random.Random(seed).shuffle(cases)
        report = cm.check_readiness(plan("smdb"), cases=cases, as_of=CUTOVER)
        codes = [(f.code, f.subjects) for f in report.findings if f.code in ("CM204", "CM207")]
        assert codes.count(("CM204", ("1", "2"))) == 2
        assert codes.count(("CM207", ("1", "2"))) == 2
        shown = [f.to_dict() if hasattr(f, "to_dict") else (f.code, f.details["citizen"])
                 for f in report.findings if f.code in ("CM204", "CM207")]
        assert expected is None or shown == expected
        expected = shown


def test_same_id_in_two_systems_is_qualified_with_the_system() -> None:
    cases = [case("1", ALICE, "Old", D(2024, 1, 1)), case("1", ALICE, "New", CUTOVER)]
    found = cm.find_duplicate_active_cases(cases, as_of=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM204", ("1@New", "1@Old"))]
    blocking = cm.find_blocking_cases(cases, plan("smdb"))
    assert ("CM207", ("1@New", "1@Old")) in [(f.code, f.subjects) for f in blocking]


def test_check_readiness_still_reports_one_finding_that_two_checks_make_once() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2026, 6, 1)), svc("B", "New", D(2020, 1, 1))]
    old = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                      sent=D(2026, 6, 10), services=basis[:1])
    new = cm.Delivery(delivery_id="n", name="L402", system="New", municipality=607,
                      sent=D(2026, 6, 11), services=basis[1:])
    report = cm.check_readiness(plan(), services=basis, deliveries=[old, new], as_of=CUTOVER)
    assert [f.subjects for f in report.findings if f.code == "CM301"] == [("A", "B")]


# ---- 3. date-range edges -----------------------------------------------------------

EDGES: dict[str, Any] = {
    "plan with cutover on 0001-01-01": lambda: plan_at(D(1, 1, 1)),
    "plan with cutover on 9999-12-20": lambda: plan_at(D(9999, 12, 20)),
    "notice from 9999-07": lambda: cm.notice_period(
        manual_cases=10, closes_all_itself=True, notice_given=D(9999, 12, 1),
        wants_extract=True),
    "delivery sent on 0001-01-01": lambda: cm.Delivery(
        delivery_id="D", name="L402", system="Old", municipality=607,
        sent=dt.datetime(1, 1, 1)),
    "delivery sent on 9999-12-31 at -23:00": lambda: cm.Delivery(
        delivery_id="D", name="L402", system="Old", municipality=607,
        sent=dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-23)))),
    "quantum NaN": lambda: savings(quantum=Decimal("NaN")),
    "quantum Infinity": lambda: savings(quantum=Decimal("Infinity")),
    "quantum 1E-30": lambda: savings(quantum=Decimal("1E-30")),
    "quantum sNaN": lambda: savings(quantum=Decimal("sNaN")),
    "bill 1E+27": lambda: savings(monthly_bill_before="1E+27"),
    "saving of 1E+30": lambda: cm.manual_cases_saving(kmd_sag="1E+30", kmd_sag_journal=0),
    "staff 1e-300": lambda: schedule(staff=1e-300),
    "staff sNaN": lambda: schedule(staff=Decimal("sNaN")),
    "schedule running past 9999": lambda: cm.estimate_cleanup(
        {cm.Complexity.COMPLEX: 10_000}).schedule(staff=1, hours_per_day=1,
                                                  start=D(9999, 12, 1)),
}


def plan_at(cutover: dt.date) -> object:
    return cm.check_readiness(cm.CutoverPlan(
        municipality=607, register="smdb", old_system="Old", new_system="New",
        cutover=cutover), as_of=cutover)


def savings(**given: Any) -> object:
    arguments = {"active_before": 3, "active_after": 1, "monthly_bill_before": 100, **given}
    return cm.estimate_savings(**arguments)


def schedule(**given: Any) -> object:
    return cm.estimate_cleanup({cm.Complexity.SIMPLE: 10}).schedule(
        **{"hours_per_day": 1, "start": D(2026, 1, 5), **given})


@pytest.mark.parametrize("name", sorted(EDGES))
def test_date_range_edges_raise_a_casemigrate_error(name: str) -> None:
    with pytest.raises(cm.InvalidValue) as info:
        EDGES[name]()
    assert info.value.field is not None


def test_date_range_edges_that_have_an_answer_give_it() -> None:
    assert cm.find_mass_close_candidates([case("C", None, "S", D(1, 1, 1), origin="converted")],
                                         as_of=D(2, 1, 1), stale_after_years=3000) == ()
    late = cm.notice_period(manual_cases=10, closes_all_itself=True, notice_given=D(9999, 7, 1))
    assert late.ends_on == D(9999, 9, 1)
    huge = savings(monthly_bill_before="999999999999999", quantum=Decimal("1E-6"))
    assert huge.monthly_bill_after == Decimal("333333333333333.000000")


# ---- 4. pandas and numpy values in the constructors --------------------------------

def test_pandas_and_numpy_values_in_the_constructors() -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    with pytest.raises(cm.InvalidRecord, match="sent: is required"):
        cm.Delivery(delivery_id="D", name="L402", system="Old", municipality=607, sent=pd.NaT)
    made = cm.Case(case_id="S", municipality=np.int64(607), citizen=float("nan"),
                   system=np.str_("Old"), opened=pd.Timestamp("2020-01-06"),
                   closed=np.datetime64("NaT"), kle=pd.NA, facet=np.nan, title=pd.NA,
                   caseworker=pd.NA, organisation=pd.NA)
    assert made == case("S", None, "Old", D(2020, 1, 6))
    service = cm.Service(service_id="Y", municipality=607, citizen=pd.NA, code=pd.NA,
                         target_groups=(), start=np.datetime64("2021-06-01"), end=pd.NaT,
                         system="Old")
    assert (service.code, service.citizen, service.start, service.end) == (
        None, None, D(2021, 6, 1), None)
    with pytest.raises(cm.InvalidType, match="opened: expected a date, got a datetime with"):
        case("S", None, "Old", pd.Timestamp("2020-01-06 09:30"))
    with pytest.raises(cm.InvalidRecord, match="system: is required"):
        case("S", None, pd.NA, D(2020, 1, 6))
    sent = pd.Timestamp("2026-03-01 09:30", tz="Europe/Copenhagen")
    delivery = cm.Delivery(delivery_id="D", name="L402", system="Old", municipality=607,
                           sent=sent)
    assert type(delivery.sent) is dt.datetime and delivery.sent_day == D(2026, 3, 1)
    group = cm.CaseGroup(name="G", active_cases=np.int64(3), users_mature=np.True_,
                         others_need_overview=np.nan)
    assert (group.active_cases, group.users_mature, group.others_need_overview) == (
        3, True, None)
    notice = cm.notice_period(manual_cases=np.int64(10), closes_all_itself=np.True_,
                              notice_given=pd.Timestamp("2020-01-01"))
    assert notice.months == 2


# ---- 5. unvalidated optional arguments ---------------------------------------------

REFUSED: dict[str, Any] = {
    "old_system=0": lambda: cm.find_service_overlaps([], cutover=CUTOVER, old_system=0),
    "within_system='yes'": lambda: cm.find_service_overlaps([], cutover=CUTOVER,
                                                             within_system="yes"),
    "policy={}": lambda: cm.notice_period(manual_cases=1, closes_all_itself=True,
                                          notice_given=CUTOVER, policy={}),
    "closes_all_itself='False'": lambda: cm.notice_period(
        manual_cases=1, closes_all_itself="False", notice_given=CUTOVER),
    "NoticePolicy junk flag": lambda: cm.NoticePolicy(exactly_5000_as_over="x"),
    "NoticePolicy junk date": lambda: cm.NoticePolicy(three_month_rule_from=5),
    "calendar=5": lambda: cm.workdays.is_working_day(CUTOVER, 5),  # type: ignore[arg-type]
    "language=[]": lambda: cm.check_readiness(plan(), as_of=CUTOVER, language=[]),
    "title_words=None": lambda: cm.classify_cleanup(CASE, title_words=None),
    "title_words=[1]": lambda: cm.classify_cleanup(CASE, title_words=[1]),
    "title_words='klage'": lambda: cm.classify_cleanup(CASE, title_words="klage"),
    "limit_per_code='x'": lambda: cm.check_readiness(plan(), as_of=CUTOVER).render(
        limit_per_code="x"),
    "Finding.of mixed subjects": lambda: cm.Finding.of("CM205", ("a", 1), count=1),
    "Finding.of missing value": lambda: cm.Finding.of("CM204", ("a",)),
    "closing=np-like 1": lambda: cm.estimate_cleanup([CASE], closing=1),
    "include_passive=None": lambda: cm.plan_conversion(
        [], include_passive=None, method=cm.ConversionMethod.MANUAL,
        minutes_per_case=(1, 2), staff=1, hours_per_day=1, start=CUTOVER),
    "select=[]": lambda: cm.check_readiness(plan(), as_of=CUTOVER, select=[]),
    "retired_kle=['x']": lambda: cm.find_mass_close_candidates([], as_of=CUTOVER,
                                                                retired_kle=["x"]),
}
CASE = case("S", ALICE, "Old", D(2020, 1, 6), title="Klage")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unvalidated_optional_arguments_are_refused_by_name(name: str) -> None:
    with pytest.raises(cm.CaseMigrateError) as info:
        REFUSED[name]()
    assert info.value.field is not None


def test_malformed_retired_kle_is_reported_under_its_own_field() -> None:
    with pytest.raises(cm.InvalidKLE) as info:
        cm.find_mass_close_candidates([], as_of=CUTOVER, retired_kle=["27.60"])
    assert info.value.field == "retired_kle"


def test_flags_take_bool_and_numpy_bool_alike_everywhere() -> None:
    np = pytest.importorskip("numpy")
    assert cm.find_service_overlaps([], cutover=CUTOVER, within_system=np.True_) == ()
    assert cm.classify_cleanup(CASE, close_after_review=np.True_).complexity is (
        cm.Complexity.COMPLEX)
    assert cm.classify_cleanup(CASE, closing=np.True_) == cm.classify_cleanup(CASE, closing=True)
    assert cm.estimate_cleanup([CASE], closing=np.False_).cases == 1


# ---- 6. wrong answers accepted silently --------------------------------------------

def test_other_municipalities_are_out_of_scope_of_a_plan() -> None:
    copenhagen = [case("K1", ALICE, "Old", D(2024, 1, 1), municipality=101),
                  case("K2", ALICE, "New", D(2024, 1, 1), municipality=101)]
    report = cm.check_readiness(plan("smdb"), cases=copenhagen, as_of=D(2026, 3, 1))
    assert report.ok
    assert [(f.code, f.details["count"]) for f in report.findings if f.code == "CM210"] == [
        ("CM210", 2)]
    assert cm.find_duplicate_active_cases(copenhagen, as_of=D(2026, 3, 1))[0].code == "CM204"


def test_kle_and_facet_refuse_non_ascii_digits() -> None:
    for value in ("٢٧.٦٠.٠٠", "２７.６０.００"):
        with pytest.raises(cm.InvalidKLE):
            cm.KLE(value)
    with pytest.raises(cm.InvalidKLE):
        cm.Facet("G٠١")


def test_a_set_of_title_words_names_the_same_word_whatever_its_order() -> None:
    titled = case("S", None, "Old", D(2020, 1, 6), title="Klage over anke")
    reasons = {cm.classify_cleanup(titled, title_words=words).reasons[-1]
               for words in (["anke", "klage"], ["klage", "anke"], {"klage", "anke"})}
    assert len(reasons) == 1


# ---- 7. order dependence with colliding ids ----------------------------------------

colliding_ids = st.sampled_from(["A", "B"])
days = st.dates(D(2026, 5, 1), D(2026, 7, 1))


@st.composite
def colliding_services(draw: st.DrawFn) -> list[cm.Service]:
    out = []
    for _ in range(draw(st.integers(2, 6))):
        start = draw(days)
        end = draw(st.none() | st.integers(0, 60).map(lambda n, s=start: s + dt.timedelta(n)))
        out.append(cm.Service(
            service_id=draw(colliding_ids), municipality=607,
            citizen=draw(st.sampled_from([ALICE, BOB])), code="X", target_groups={"1.1"},
            start=start, end=end, system=draw(st.sampled_from(["Old", "New", "Mid"]))))
    return out


def _shown(findings: tuple[cm.Finding, ...]) -> list[tuple[str, tuple[str, ...], str]]:
    return [(f.code, f.subjects, f.message) for f in findings]


@settings(max_examples=30)
@given(colliding_services(), st.randoms())
def test_service_overlaps_with_colliding_ids_do_not_depend_on_order(
    services: list[cm.Service], rng: random.Random
) -> None:
    shuffled = services[:]
    rng.shuffle(shuffled)
    for names in ({}, {"old_system": "Old", "new_system": "New"}):
        assert _shown(cm.find_service_overlaps(services, cutover=CUTOVER, **names)) == _shown(
            cm.find_service_overlaps(shuffled, cutover=CUTOVER, **names))


@settings(max_examples=30)
@given(st.lists(st.tuples(colliding_ids, st.sampled_from(["Old", "New"]),
                          st.sampled_from([dt.datetime(2026, 6, 10, 9)]),
                          colliding_services()), min_size=1, max_size=4),
       st.randoms())
def test_merge_with_colliding_delivery_ids_does_not_depend_on_order(
    rows: list[tuple[str, str, dt.datetime, list[cm.Service]]], rng: random.Random
) -> None:
    deliveries = [cm.Delivery(delivery_id=i, name="L402", system=system, municipality=607,
                              sent=sent, services=services)
                  for i, system, sent, services in rows]
    shuffled = deliveries[:]
    rng.shuffle(shuffled)
    a, b = cm.merge_deliveries(deliveries, plan()), cm.merge_deliveries(shuffled, plan())
    assert a.services == b.services and a.used == b.used and a.excluded == b.excluded
    assert _shown(a.findings) == _shown(b.findings)


@settings(max_examples=25)
@given(st.lists(st.tuples(colliding_ids, st.sampled_from(["Old", "New"]),
                          st.sampled_from([None, ALICE, BOB])), min_size=1, max_size=6),
       st.randoms())
def test_conversion_selection_with_colliding_ids_does_not_depend_on_order(
    rows: list[tuple[str, str, str | None]], rng: random.Random
) -> None:
    cases = [case(i, citizen, system, D(2020, 1, 1)) for i, system, citizen in rows]
    shuffled = cases[:]
    rng.shuffle(shuffled)

    def selected(given: list[cm.Case]) -> tuple[cm.Case, ...]:
        return cm.plan_conversion(given, include_passive=True,
                                  method=cm.ConversionMethod.MANUAL, minutes_per_case=(1, 2),
                                  staff=1, hours_per_day=7, start=CUTOVER).selected

    assert selected(cases) == selected(shuffled)


@settings(max_examples=25)
@given(st.lists(st.tuples(colliding_ids, st.sampled_from(["Old", "New"]),
                          st.sampled_from([ALICE, BOB]), st.sampled_from([607, 101])),
                min_size=1, max_size=6), st.randoms())
def test_readiness_with_colliding_case_ids_does_not_depend_on_order(
    rows: list[tuple[str, str, str, int]], rng: random.Random
) -> None:
    cases = [case(i, citizen, system, D(2024, 1, 1), municipality=m)
             for i, system, citizen, m in rows]
    shuffled = cases[:]
    rng.shuffle(shuffled)
    a = cm.check_readiness(plan("smdb"), cases=cases, as_of=CUTOVER)
    b = cm.check_readiness(plan("smdb"), cases=shuffled, as_of=CUTOVER)
    assert a.to_dict() == b.to_dict()


# ---- 8. CPR echoed in errors -------------------------------------------------------

FIELDS_GIVEN_A_CPR: dict[str, Any] = {
    "kle": cm.KLE,
    "facet": cm.Facet,
    "origin": lambda x: case("S", None, "Old", D(2020, 1, 1), origin=x),
    "register": lambda x: cm.CutoverPlan(municipality=607, register=x, old_system="O",
                                         new_system="N", cutover=CUTOVER),
    "load_preference": lambda x: cm.CaseGroup(name="G", load_preference=x),
    "name": lambda x: cm.Delivery(delivery_id="D", name=x, system="O", municipality=607,
                                  sent=CUTOVER),
    "done": lambda x: cm.CutoverPlan(municipality=607, register="smdb", old_system="O",
                                     new_system="N", cutover=CUTOVER, done={x: CUTOVER}),
    "select": lambda x: cm.check_readiness(plan(), as_of=CUTOVER, select=[x]),
    "ignore": lambda x: cm.check_readiness(plan(), as_of=CUTOVER, ignore=[x]),
    "severity_overrides": lambda x: cm.check_readiness(
        plan(), as_of=CUTOVER, severity_overrides={x: cm.Severity.INFO}),
    "language": lambda x: cm.check_readiness(plan(), as_of=CUTOVER, language=x),
    "message language": lambda x: cm.Finding.of("CM205", count=1).message_in(x),
    "municipality": cm.municipality,
    "code": cm.Finding.of,
    "citizen": lambda x: case("S", "32" + x[2:], "Old", D(2020, 1, 1)),
}


def _all_text(error: BaseException) -> str:
    parts = [str(error), repr(error), *map(str, error.args)]
    context = error.__context__
    while context is not None:
        parts += [str(context), repr(context)]
        context = context.__context__
    return "\n".join(parts)


@settings(max_examples=15)
@given(cpr_strings(), st.sampled_from(["", "x", "X-", " "]), st.sampled_from(["", "!", "-1"]))
def test_no_error_message_echoes_a_cpr_in_any_field(raw: str, before: str, after: str) -> None:
    digits = raw.replace("-", "")
    for name, make in FIELDS_GIVEN_A_CPR.items():
        given_value = f"{before}{raw}{after}"
        try:
            make(given_value)
        except cm.CaseMigrateError as error:
            text = _all_text(error)
            assert digits not in text.replace("-", "").replace(" ", ""), name
            assert digits[6:] not in text.split(digits[:6], 1)[-1][:6], name
        else:  # pragma: no cover - every field above refuses a CPR number
            pytest.fail(f"{name} accepted a CPR number")


# ---- 9. the hash of a CPR -----------------------------------------------------------

def test_cpr_hash_does_not_reveal_the_number() -> None:
    cpr = cm.CPR(ALICE)
    digits = cpr.unmasked()
    assert hash(cpr) == hash(cm.CPR(digits))  # equal numbers hash alike
    forms = (digits, ALICE, digits[6:], (digits,), int(digits))
    assert all(hash(cpr) != hash(form) for form in forms)
    assert pickle.loads(pickle.dumps(cpr)) == cpr
    assert hash(pickle.loads(pickle.dumps(cpr))) == hash(cpr)


def test_cpr_has_all_six_comparisons_by_birth_date_then_serial() -> None:
    older, younger = cm.CPR("311299-3999"), cm.CPR("010100-4000")  # 1999, then 2000
    assert older < younger and older <= younger and younger > older and younger >= older
    assert older != younger and older <= cm.CPR("311299-3999") >= older
    assert sorted([younger, older]) == [older, younger]
    with pytest.raises(TypeError):
        _ = older < "311299-3999"  # type: ignore[operator]


# ---- 10. other exposure paths --------------------------------------------------------

def test_tracebacks_with_captured_locals_show_no_cpr_from_casemigrates_frames() -> None:
    rows = [("S-1", 607, ALICE, "Old", D(2020, 1, 1), None),
            ("S-2", 607, "321062-1234", "Old", D(2020, 1, 1), None)]

    def capture(call: Any) -> str:
        with pytest.raises(cm.CaseMigrateError) as info:
            call()
        error = info.value
        frames = traceback.TracebackException.from_exception(error, capture_locals=True)
        ours = [frame for frame in frames.stack if "/casemigrate/" in frame.filename
                and frame.name != "from_rows"]  # its argument is the caller's own
        assert error.__context__ is None
        return "\n".join(str(frame.locals) for frame in ours)

    assert "1234" not in capture(lambda: cm.Case.from_rows(list(rows)))
    assert "1234" not in capture(lambda: cm.Service.from_rows(
        [("Y", 607, ALICE, "C", (), D(2020, 1, 1), None, "Old"),
         ("Y", 607, "321062-1234", "C", (), D(2020, 1, 1), None, "Old")]))
    assert "1234" not in capture(lambda: case("S", "321062-1234", "Old", D(2020, 1, 1)))
    # A half-built record's repr works, so capturing locals does not itself crash.
    capture(lambda: cm.Delivery(delivery_id="D", name="X", system="O", municipality=607,
                                sent=CUTOVER))
    assert repr(object.__new__(cm.Case)) == "<Case under construction>"


@settings(max_examples=50)
@given(cpr_strings(min_date=D(1958, 1, 1), max_date=D(1999, 12, 31)))
def test_cpr_strings_are_born_in_the_range_asked_for(raw: str) -> None:
    assert D(1958, 1, 1) <= cm.CPR(raw).birth_date <= D(1999, 12, 31)


# ---- 11. the two quadratic spots: right answers (speed is in benchmarks/) -----------

def test_open_services_of_one_citizen_in_two_systems_pair_once_each() -> None:
    many = [svc(f"A{i}", "Old", D(2020, 1, 1) + dt.timedelta(i % 300)) for i in range(400)]
    found = cm.find_service_overlaps([*many, svc("B", "New", D(2019, 1, 1))], cutover=CUTOVER)
    assert sorted(f.subjects for f in found) == sorted((f"A{i}", "B") for i in range(400))


def test_mass_close_twins_make_one_finding_per_citizen_and_kle() -> None:
    cases = [case(f"M{i}", ALICE, "S", D(2020, 1, 1), kle="27.60.00", origin="manual")
             for i in range(50)]
    cases += [case(f"S{i}", ALICE, "S", D(2020, 1, 1), kle="27.60.00") for i in range(50)]
    found = cm.find_mass_close_candidates(cases, as_of=CUTOVER, price_per_case="2")
    assert [(f.code, len(f.subjects), f.details["count"], f.details["amount"])
            for f in found] == [("CM406", 100, 50, Decimal("100.00"))]
    assert len(found[0].details["manual"]) == 50


# ---- frozen means frozen -------------------------------------------------------------

def test_frozen_records_hold_read_only_hashable_mappings() -> None:
    estimate = cm.estimate_cleanup({cm.Complexity.SIMPLE: 10})
    with pytest.raises(TypeError):
        estimate.counts[cm.Complexity.SIMPLE] = 999  # type: ignore[index]
    assert estimate.low_minutes == 30 and hash(estimate) == hash(
        cm.estimate_cleanup({cm.Complexity.SIMPLE: 10}))
    old = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                      sent=D(2026, 6, 10))
    report = cm.check_readiness(plan(), deliveries=[old], as_of=CUTOVER)
    assert report.merge is not None
    with pytest.raises(TypeError):
        report.merge["kept"] = 5  # type: ignore[index]
    with pytest.raises(TypeError):
        report.merge["excluded_by_reason"]["TEST_DELIVERY"] = 5  # type: ignore[index]
    hash(report)
    summary = cm.choose_scenarios([cm.CaseGroup(name="G")])
    hash(summary)
    assert hash(plan()) == hash(plan())


# ---- 9. the hardening meets the rule catalogue, the readers and the views ----------

def smdb_plan() -> cm.CutoverPlan:
    return cm.CutoverPlan(municipality=607, register="smdb", old_system="Old",
                          new_system="New", cutover=CUTOVER)


def test_cases_outside_the_plan_are_counted_in_cm210_in_both_languages() -> None:
    rule = cm.RULES["CM210"]
    assert (rule.name, rule.severity, rule.is_policy) == (
        "case-not-in-plan", cm.Severity.INFO, True)
    smdb = smdb_plan()
    cases = [cm.Case(case_id=cid, municipality=code, citizen=None, system=system,
                     opened=D(2024, 1, 1))
             for cid, code, system in (("K1", 101, "Old"), ("A1", 607, "Archive"))]
    (two,) = [f for f in cm.find_blocking_cases(cases, smdb) if f.code == "CM210"]
    (one,) = [f for f in cm.find_blocking_cases(cases[:1], smdb) if f.code == "CM210"]
    assert (two.subjects, two.details["count"], one.details["count"]) == ((), 2, 1)
    assert two.message == "2 cases are not of 607 Fredericia in Old or New and were not judged"
    assert one.message == "1 case is not of 607 Fredericia in Old or New and was not judged"
    assert one.message_in("da") == (
        "1 sag er ikke fra 607 Fredericia i Old eller New og blev ikke vurderet")


def test_cm406_names_every_manual_twin_of_a_citizen_and_kle_once() -> None:
    def made(cid: str, origin: str) -> cm.Case:
        return cm.Case(case_id=cid, municipality=607, citizen=ALICE, system="KMD Sag",
                       opened=D(2010, 1, 4), kle="27.60.04", origin=origin)

    cases = [made("M-2", "manual"), made("S-9", "system"), made("M-1", "manual")]
    (found,) = [f for f in cm.find_mass_close_candidates(cases, as_of=D(2016, 1, 5))
                if f.code == "CM406"]
    assert found.subjects == ("M-1", "M-2", "S-9")
    assert (found.details["manual"], found.details["count"]) == (("M-1", "M-2"), 2)
    assert found.message == ("manual cases M-1 and M-2 duplicate system case S-9 on KLE "
                             "number 27.60.04")
    assert found.message_in("da") == ("de manuelle sager M-1 og M-2 er dubletter af "
                                      "systemsagen S-9 på KLE-nummer 27.60.04")


def test_a_language_argument_never_echoes_a_cpr_number() -> None:
    smdb = smdb_plan()
    with pytest.raises(cm.InvalidArgument) as info:
        cm.check_readiness(smdb, as_of=CUTOVER, language="211062-1234")
    assert "1234" not in str(info.value) and info.value.field == "language"
    with pytest.raises(cm.InvalidArgument, match="got a list"):
        cm.check_readiness(smdb, as_of=CUTOVER, language=["en"])  # type: ignore[arg-type]


def test_string_options_refuse_arrays_by_name() -> None:
    np = pytest.importorskip("numpy")
    with pytest.raises(cm.InvalidArgument) as info:
        cm.read_cases([], errors=np.array(["raise", "collect"]))  # type: ignore[arg-type]
    assert info.value.field == "errors"
    with pytest.raises(cm.InvalidArgument) as info:
        cm.to_rows([], subjects=np.array(["list"]))  # type: ignore[arg-type]
    assert info.value.field == "subjects"


def test_a_refused_value_is_masked_before_it_is_cut_short() -> None:
    row = {"case_id": "C1", "municipality": 607, "citizen": "x" * 55 + ALICE,
           "system": "Old", "opened": "2024-01-01"}
    (refusal,) = cm.read_cases([row], errors="collect").refusals
    assert refusal.value is not None and len(refusal.value) == 60
    assert "211062-1" not in refusal.value and "1234" not in refusal.value


def test_a_saving_too_small_to_pay_back_is_refused_by_name() -> None:
    with pytest.raises(cm.InvalidArgument) as info:
        cm.payback(one_off=8000, monthly_saving=Decimal("1E-80"))
    assert info.value.field == "monthly_saving"


def test_a_service_period_shows_as_a_range_in_a_message() -> None:
    services = [cm.Service(service_id=sid, municipality=607, citizen=ALICE, code="SEL107",
                           target_groups={"1.1"}, start=start, end=end, system=system)
                for sid, start, end, system in (("A", D(2021, 1, 1), CUTOVER, "Old"),
                                                ("B", CUTOVER, None, "New"))]
    (cm301,) = [f for f in cm.find_service_overlaps(services, cutover=CUTOVER)
                if f.code == "CM301"]
    assert cm301.message.startswith("A (2021-01-01..2026-06-01) and B (2026-06-01..) ")


def test_a_timeline_with_a_date_at_the_edge_of_the_calendar_is_drawn() -> None:
    late = cm.CutoverPlan(municipality=607, register="smdb", old_system="Old",
                          new_system="New", cutover=CUTOVER,
                          done={"review_open_courses": D(9999, 12, 31)})
    view = cm.check_readiness(late, as_of=CUTOVER).to_html()
    assert view.count("<svg") == 1 and "9999-12-31" in view
    early = cm.CutoverPlan(municipality=607, register="smdb", old_system="Old",
                           new_system="New", cutover=D(2, 1, 1),
                           done={"review_open_courses": D(1, 1, 1)})
    assert cm.check_readiness(early, as_of=D(1, 1, 1)).to_html().count("<svg") == 1
