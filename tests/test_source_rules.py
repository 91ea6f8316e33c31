"""The rules read from the sources: worked dates and numbers, policies at their bounds.

Re-created services and reporting gaps (DST, "Vejledning om systemskifte til
kommuner"), deletion and re-reporting (DST, "Systemskifte i SMDB"), when DST must be
told, cleanup complexity, notice before the KOMBIT-KMD agreement, savings and payback,
manual cases after a cleanup (KOMBIT, "KMD Sag Exit-strategi 2"), and conversion by
go-live (KL/KOMBIT DUBU task card).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import casemigrate as cm
from casemigrate import (
    Case,
    CaseGroup,
    Complexity,
    ConversionMethod,
    CutoverPlan,
    Delivery,
    NoticeRule,
    RecreationMatch,
    Register,
    Scenario,
    Service,
    check_plan,
    check_services,
    choose_scenario,
    estimate_cleanup,
    estimate_savings,
    find_blocking_cases,
    find_manual_cases_after_cleanup,
    manual_cases_saving,
    merge_deliveries,
    notice_period,
    payback,
    plan_conversion,
    plan_timeline,
)

D = dt.date
C = D(2026, 6, 1)
ANNA = "211062-1234"
START = D(2021, 6, 1)
OPENED = D(2024, 1, 1)
BO = "010203-4321"


def plan(register: Register = Register.HANDICAP, **overrides: object) -> CutoverPlan:
    fields: dict[str, object] = {"municipality": 607, "register": register,
                                 "old_system": "Old", "new_system": "New", "cutover": C}
    fields.update(overrides)
    return CutoverPlan(**fields)  # type: ignore[arg-type]


def svc(sid: str, system: str, *, citizen: str = ANNA, code: str = "SEL107",
        start: dt.date = START, end: dt.date | None = None,
        groups: frozenset[str] = frozenset({"1.1"})) -> Service:
    return Service(service_id=sid, municipality=607, citizen=citizen, code=code,
                   target_groups=groups, start=start, end=end, system=system)


def delivery(did: str, system: str, sent: dt.date, services: list[Service],
             name: str = "L402") -> Delivery:
    return Delivery(delivery_id=did, name=name, system=system, municipality=607,
                    sent=dt.datetime.combine(sent, dt.time(9)), services=services)


def codes(findings: tuple[cm.Finding, ...], *wanted: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.subjects) for f in findings if not wanted or f.code in wanted]


# ---- 1. active services never re-created (CM315, CM316) ---------------------------

def test_an_active_service_never_recreated_is_an_error_in_the_merge() -> None:
    old = delivery("o", "Old", D(2026, 6, 10), [
        svc("A", "Old", end=D(2024, 1, 1)), svc("B", "Old"), svc("C", "Old", code="SEL85")])
    new = delivery("n", "New", D(2026, 6, 11), [svc("B'", "New")])
    result = merge_deliveries([old, new], plan())
    assert codes(result.findings, "CM315") == [("CM315", ("C",))]
    finding = next(f for f in result.findings if f.code == "CM315")
    assert finding.severity is cm.Severity.ERROR
    assert finding.details["service"] == "C"
    assert str(finding.details["citizen"]) == "211062-****"
    assert "211062-1234" not in finding.message and "211062-****" in finding.message
    assert "211062-1234" not in finding.message_in("da")
    # Still excluded, as DST does: nothing is lost from the accounting.
    assert ("C", "ACTIVE_IN_OLD_SYSTEM") in [
        (e.service.service_id, e.reason.name) for e in result.excluded]


def test_recreated_with_the_cutover_as_start_keeps_cm303_not_cm315() -> None:
    old = delivery("o", "Old", D(2026, 6, 10), [svc("B", "Old")])
    new = delivery("n", "New", D(2026, 6, 11), [svc("B'", "New", start=C)])
    found = merge_deliveries([old, new], plan()).findings
    assert codes(found, "CM303", "CM315", "CM316") == [("CM303", ("B'",))]


def test_recreated_with_another_start_or_groups_is_cm316() -> None:
    old = delivery("o", "Old", D(2026, 6, 10), [svc("B", "Old")])
    new = delivery("n", "New", D(2026, 6, 11),
                   [svc("B'", "New", start=D(2023, 1, 1), groups=frozenset({"1.2"}))])
    found = merge_deliveries([old, new], plan()).findings
    assert codes(found, "CM315", "CM316") == [("CM316", ("B", "B'"))]
    differs = next(f for f in found if f.code == "CM316").details["differs"]
    assert len(differs) == 2 and "2021-06-01" in str(differs[0]) and "1.1" in str(differs[1])
    assert "startdato" in differs[0].in_language("da")


def test_the_match_is_an_overridable_policy() -> None:
    old = delivery("o", "Old", D(2026, 6, 10), [svc("B", "Old")])
    new = delivery("n", "New", D(2026, 6, 11), [svc("B'", "New", start=D(2023, 1, 1))])
    strict = merge_deliveries([old, new], plan(), match=RecreationMatch(same_start=True))
    assert codes(strict.findings, "CM315", "CM316") == [("CM315", ("B",))]
    groups = delivery("n", "New", D(2026, 6, 11),
                      [svc("B'", "New", groups=frozenset({"2.1"}))])
    assert codes(merge_deliveries([old, groups], plan(),
                                  match=RecreationMatch(same_target_groups=True)).findings,
                 "CM315") == [("CM315", ("B",))]


def test_two_old_services_one_recreation_pairs_the_most_alike() -> None:
    # Same citizen and code twice: the re-creation with B2's start pairs with B2.
    old = delivery("o", "Old", D(2026, 6, 10), [
        svc("B1", "Old", start=D(2020, 1, 1)), svc("B2", "Old", start=D(2022, 3, 1))])
    new = delivery("n", "New", D(2026, 6, 11), [svc("N2", "New", start=D(2022, 3, 1))])
    assert codes(merge_deliveries([old, new], plan()).findings, "CM315", "CM316") == [
        ("CM315", ("B1",))]


def test_check_services_reports_not_recreated_or_says_it_did_not_run() -> None:
    services = [svc("A", "Old"), svc("B", "Old", citizen=BO), svc("B'", "New", citizen=BO)]
    assert codes(check_services(services, plan()), "CM315") == [("CM315", ("A",))]
    only_old = check_services([svc("A", "Old")], plan())
    assert codes(only_old) == [("CM001", ("check_services",))]
    # The finding says why in both languages.
    assert only_old[0].message_in("da") == (
        "kontrollen af ydelser oprettet på ny (CM315) blev ikke kørt: der er ingen ydelser "
        "fra det nye system New")
    # Closed old services need no re-creation.
    assert codes(check_services([svc("A", "Old", end=D(2025, 1, 1))], plan())) == []


@st.composite
def _service_sets(draw: st.DrawFn) -> tuple[list[Service], list[Service]]:
    starts = st.sampled_from([D(2020, 1, 1), D(2022, 3, 1), C])
    citizens = st.sampled_from([ANNA, BO])
    codes_ = st.sampled_from(["SEL107", "SEL85"])
    olds = [svc(f"O{i}", "Old", citizen=draw(citizens), code=draw(codes_),
                start=draw(starts)) for i in range(draw(st.integers(0, 5)))]
    news = [svc(f"N{i}", "New", citizen=draw(citizens), code=draw(codes_),
                start=draw(starts), groups=draw(st.sampled_from(
                    [frozenset({"1.1"}), frozenset({"2.1"})])))
            for i in range(draw(st.integers(0, 5)))]
    return olds, news


@settings(max_examples=40)
@given(_service_sets(), st.randoms(use_true_random=False))
def test_recreation_match_does_not_depend_on_order(
    sets: tuple[list[Service], list[Service]], rnd: random.Random
) -> None:
    """The pairing of old and new services is the same whatever order they come in."""
    olds, news = sets
    a = merge_deliveries([delivery("o", "Old", D(2026, 6, 10), olds),
                          delivery("n", "New", D(2026, 6, 11), news)], plan())
    rnd.shuffle(olds)
    rnd.shuffle(news)
    b = merge_deliveries([delivery("n", "New", D(2026, 6, 11), news),
                          delivery("o", "Old", D(2026, 6, 10), olds)], plan())
    assert [(f.code, f.subjects, f.message) for f in a.findings] == [
        (f.code, f.subjects, f.message) for f in b.findings]
    # Every old active service is either matched or named by CM315, never both.
    unmatched = {f.subjects[0] for f in a.findings if f.code == "CM315"}
    assert len(unmatched) >= len({o.service_id for o in olds}) - len(news)


# ---- 3. a gap in reporting (CM317) -----------------------------------------------

def _gap(old_sent: dt.date, new_sent: dt.date, **kw: int) -> list[tuple[str, tuple[str, ...]]]:
    old = delivery("old-L", "Old", old_sent, [svc("A", "Old", end=D(2024, 1, 1))])
    new = delivery("new-L", "New", new_sent, [svc("B", "New", citizen=BO)])
    return codes(merge_deliveries([old, new], plan(), **kw).findings, "CM317")


def test_reporting_gap_in_days_and_its_boundary() -> None:
    found = merge_deliveries(
        [delivery("old-L", "Old", D(2026, 1, 15), []),
         delivery("new-L", "New", D(2026, 6, 10), [])], plan()).findings
    gap = next(f for f in found if f.code == "CM317")
    assert gap.subjects == ("new-L", "old-L")
    assert (gap.details["gap_days"], gap.details["old_delivery"],
            gap.details["new_delivery"]) == (146, "old-L", "new-L")
    assert _gap(D(2026, 5, 15), D(2026, 6, 15)) == []  # 31 days: tolerated
    assert _gap(D(2026, 5, 15), D(2026, 6, 16)) == [("CM317", ("new-L", "old-L"))]  # 32
    assert _gap(D(2026, 6, 20), D(2026, 6, 10)) == []  # overlap, as the NB expects
    assert _gap(D(2026, 6, 9), D(2026, 6, 10), max_reporting_gap_days=0) == [
        ("CM317", ("new-L", "old-L"))]
    assert _gap(D(2026, 6, 10), D(2026, 6, 10), max_reporting_gap_days=0) == []


def test_the_gap_is_between_the_old_systems_last_and_the_new_systems_first() -> None:
    old = [delivery("o1", "Old", D(2026, 1, 5), []), delivery("o2", "Old", D(2026, 3, 2), [])]
    new = [delivery("n1", "New", D(2026, 5, 4), []), delivery("n2", "New", D(2026, 9, 1), []),
           delivery("t0", "New", D(2026, 3, 10), [], name="T402")]
    gap = next(f for f in merge_deliveries(old + new, plan()).findings if f.code == "CM317")
    assert (gap.details["old_delivery"], gap.details["new_delivery"],
            gap.details["gap_days"]) == ("o2", "n1", 63)


@settings(max_examples=30)
@given(st.integers(0, 120), st.integers(-400, 400))
def test_the_gap_finding_moves_with_shifted_dates(gap: int, shift: int) -> None:
    """Shifting both deliveries by the same days keeps the finding and its gap."""
    base = D(2026, 3, 2)
    delta = dt.timedelta(days=shift)

    def run(offset: dt.timedelta) -> list[tuple[str, object]]:
        found = merge_deliveries(
            [delivery("o", "Old", base + offset, []),
             delivery("n", "New", base + offset + dt.timedelta(days=gap), [])],
            plan(cutover=base + offset + dt.timedelta(days=1))).findings
        return [(f.code, f.details["gap_days"]) for f in found if f.code == "CM317"]

    assert run(dt.timedelta(0)) == run(delta)
    assert run(delta) == ([("CM317", gap)] if gap > 31 else [])


# ---- 2. SMDB: deletion at DST and re-reporting (CM206, CM207, CM209) ---------------

def _case(cid: str, system: str, *, citizen: str | None = ANNA,
          opened: dt.date = OPENED, closed: dt.date | None = None) -> Case:
    return Case(case_id=cid, municipality=607, citizen=citizen, system=system,
                opened=opened, closed=closed)


def test_a_deletion_at_dst_unblocks_the_case() -> None:
    smdb = plan(Register.SMDB)
    old = _case("OLD-4", "Old")
    assert codes(find_blocking_cases([old], smdb)) == [("CM206", ("OLD-4",))]
    deleted = plan(Register.SMDB, done={"delete_active_courses": D(2026, 5, 20)})
    assert codes(find_blocking_cases([old], deleted)) == []
    # One by one, per case.
    assert codes(find_blocking_cases([old], smdb,
                                     deleted_at_dst={"OLD-4": D(2026, 5, 29)})) == []
    # Deleted on the cutover: too late, it blocked from the cutover.
    assert codes(find_blocking_cases([old], smdb, deleted_at_dst={"OLD-4": C})) == [
        ("CM206", ("OLD-4",))]
    # A case opened in the old system after DST's deletion was not deleted.
    late = _case("OLD-5", "Old", opened=D(2026, 5, 21))
    assert codes(find_blocking_cases([late], deleted)) == [("CM206", ("OLD-5",))]


def test_active_in_both_systems_clears_when_the_old_case_was_deleted() -> None:
    old, new = _case("OLD-1", "Old"), _case("NEW-1", "New", opened=C)
    assert codes(find_blocking_cases([old, new], plan(Register.SMDB)), "CM207") == [
        ("CM207", ("NEW-1", "OLD-1"))]
    deleted = plan(Register.SMDB, done={"delete_active_courses": D(2026, 5, 20)})
    assert codes(find_blocking_cases([old, new], deleted), "CM207") == []


def test_deleted_not_rereported_after_the_window() -> None:
    deleted = plan(Register.SMDB, done={"delete_active_courses": D(2026, 5, 20)})
    old = _case("OLD-4", "Old")
    # The window ends 2026-06-15 (C + 2 weeks): not judged on it, judged the day after.
    assert codes(find_blocking_cases([old], deleted, as_of=D(2026, 6, 15))) == []
    found = find_blocking_cases([old], deleted, as_of=D(2026, 6, 16))
    assert codes(found) == [("CM209", ("OLD-4",))]
    assert found[0].details["deleted"] == D(2026, 5, 20)
    assert "211062-1234" not in found[0].message and "211062-****" in found[0].message
    # Re-reported: a case of the citizen in the new system, even if closed since.
    again = _case("NEW-4", "New", opened=D(2026, 6, 3), closed=D(2026, 6, 10))
    assert codes(find_blocking_cases([old, again], deleted, as_of=D(2026, 6, 16))) == []
    # A case of another citizen does not count, nor one closed before the cutover.
    other = _case("NEW-9", "New", citizen=BO, opened=D(2026, 6, 3))
    gone = _case("NEW-8", "New", opened=D(2026, 1, 3), closed=D(2026, 5, 1))
    assert codes(find_blocking_cases([old, other, gone], deleted,
                                     as_of=D(2026, 6, 16))) == [("CM209", ("OLD-4",))]
    # A course closed before DST's deletion was not deleted, so nothing to re-report.
    ended = _case("OLD-3", "Old", closed=D(2026, 5, 1))
    assert codes(find_blocking_cases([ended], deleted, as_of=D(2026, 6, 16))) == []


def test_readiness_passes_the_day_to_the_rereport_check() -> None:
    deleted = plan(Register.SMDB, done={"delete_active_courses": D(2026, 5, 20)},
                   dst_notified=D(2026, 1, 5), cutover_chosen=D(2026, 3, 2))
    report = cm.check_readiness(deleted, cases=[_case("OLD-4", "Old")], as_of=D(2026, 6, 16))
    assert ("CM209", ("OLD-4",)) in [(f.code, f.subjects) for f in report.findings]


# ---- 4. when DST must be told (CM103, CM109) --------------------------------------

def test_notify_within_a_working_week_of_the_agreement() -> None:
    # Agreement Monday 2026-01-26: latest Monday 2026-02-02 (5 working days).
    for register in Register:
        agreed = plan(register, agreement_made=D(2026, 1, 26))
        milestone = plan_timeline(agreed)["notify_dst"]
        assert (milestone.earliest, milestone.latest) == (D(2026, 1, 26), D(2026, 2, 2))
    on_time = plan(Register.HANDICAP, agreement_made=D(2026, 1, 26),
                   dst_notified=D(2026, 2, 2))
    assert codes(check_plan(on_time, as_of=D(2026, 2, 10))) == []
    late = plan(Register.HANDICAP, agreement_made=D(2026, 1, 26), dst_notified=D(2026, 2, 3))
    assert codes(check_plan(late, as_of=D(2026, 2, 10))) == [("CM103", ("notify_dst",))]
    # Over Easter 2026 (2, 3 and 6 April off): Wednesday 1 April + 5 = Monday 13 April.
    easter = plan(Register.HANDICAP, agreement_made=D(2026, 4, 1))
    assert plan_timeline(easter)["notify_dst"].latest == D(2026, 4, 13)
    # The plan's own policy can be tightened; the cutover bound still holds.
    assert plan_timeline(plan(agreement_made=D(2026, 1, 26), notify_within_working_days=0)
                         )["notify_dst"].latest == D(2026, 1, 26)
    assert plan_timeline(plan(agreement_made=D(2026, 5, 28)))["notify_dst"].latest == D(
        2026, 5, 29)


def test_smdb_dst_told_after_the_cutover_date_was_chosen() -> None:
    chosen = D(2026, 3, 16)
    after = plan(Register.SMDB, cutover_chosen=chosen, dst_notified=D(2026, 3, 20))
    assert codes(check_plan(after, as_of=D(2026, 3, 20)), "CM109") == [
        ("CM109", ("notify_dst",))]
    same_day = plan(Register.SMDB, cutover_chosen=chosen, dst_notified=chosen)
    assert codes(check_plan(same_day, as_of=D(2026, 3, 20)), "CM109") == []
    # The handicap guide orders no such steps.
    hc = plan(Register.HANDICAP, cutover_chosen=chosen, dst_notified=D(2026, 3, 20))
    assert codes(check_plan(hc, as_of=D(2026, 3, 20)), "CM109") == []


@pytest.mark.parametrize("bad", ["2026-01-26", 1.5])
def test_plan_rejects_a_bad_agreement_or_policy(bad: object) -> None:
    with pytest.raises(cm.CaseMigrateError) as info:
        plan(agreement_made=bad)
    assert info.value.field == "agreement_made"  # type: ignore[attr-defined]
    with pytest.raises(cm.CaseMigrateError) as info:
        plan(notify_within_working_days=-1)
    assert info.value.field == "notify_within_working_days"  # type: ignore[attr-defined]


# ---- 5. HANDICAP milestones tied to the old system's last delivery ------------------

def test_handicap_corrections_are_not_overdue_while_the_old_system_reports() -> None:
    reporting = plan(dst_notified=D(2026, 1, 5))
    assert codes(check_plan(reporting, as_of=D(2026, 6, 2))) == []
    assert codes(check_plan(reporting, as_of=D(2027, 1, 4))) == []
    closed = plan(dst_notified=D(2026, 1, 5), old_reporting_closed=D(2026, 6, 15))
    assert codes(check_plan(closed, as_of=D(2026, 6, 15))) == []
    assert codes(check_plan(closed, as_of=D(2026, 6, 16))) == [
        ("CM106", ("correct_closed_services",)), ("CM106", ("recreate_active_services",))]
    done = plan(dst_notified=D(2026, 1, 5), old_reporting_closed=D(2026, 6, 15),
                done={"correct_closed_services": D(2026, 6, 17),
                      "recreate_active_services": D(2026, 6, 10)})
    assert codes(check_plan(done, as_of=D(2026, 7, 1))) == [
        ("CM108", ("correct_closed_services",))]


# ---- 6. cleanup complexity: passivating is simple ---------------------------------

def _tidy(i: int) -> Case:
    return Case(case_id=f"M-{i}", municipality=846, citizen=None, system="KMD Sag",
                opened=D(2010, 1, 4), title="Ansøgning", kle="27.60.00", facet="K07",
                caseworker="ab", organisation="Ældre", origin="manual")


def test_mariagerfjords_2400_tidy_cases_take_120_to_200_hours() -> None:
    cases = [_tidy(i) for i in range(2400)]
    closing = estimate_cleanup(cases, closing=True)
    assert closing.counts[Complexity.SIMPLE] == 2400
    assert (closing.low_hours, closing.high_hours) == (120.0, 200.0)
    review = estimate_cleanup(cases, close_after_review=True)
    assert (review.low_hours, review.high_hours) == (600.0, 1000.0)
    reasons = cm.classify_cleanup(_tidy(1), closing=True).reasons
    assert reasons == ((Complexity.SIMPLE, "to be passivated"),)


# ---- 7. notice before the agreement (CM407) ---------------------------------------

def test_mariagerfjord_kept_the_six_months_that_applied_then() -> None:
    n = notice_period(manual_cases=2400, closes_all_itself=True,
                      notice_given=D(2014, 6, 30))
    assert (n.months, n.ends_on, n.rule) == (6, D(2014, 12, 30), NoticeRule.BEFORE_AGREEMENT)
    assert [(f.code, f.details["agreement_from"]) for f in n.findings] == [
        ("CM407", D(2015, 3, 20))]
    # The agreement's first day: the two-month rule, no finding.
    on = notice_period(manual_cases=2400, closes_all_itself=True,
                       notice_given=D(2015, 3, 20))
    assert (on.months, on.ends_on, on.rule, on.findings) == (
        2, D(2015, 5, 20), NoticeRule.UNDER_5000_CLOSING_ITSELF, ())
    before = notice_period(manual_cases=2400, closes_all_itself=True,
                           notice_given=D(2015, 3, 19))
    assert (before.months, [f.code for f in before.findings]) == (6, ["CM407"])
    # Over 5,000 between the agreement and the end of 2015: still CM402's policy.
    mid = notice_period(manual_cases=7000, closes_all_itself=True,
                        notice_given=D(2015, 6, 1))
    assert (mid.months, [f.code for f in mid.findings]) == (6, ["CM402"])
    # The policy can date the agreement otherwise.
    moved = notice_period(manual_cases=2400, closes_all_itself=True,
                          notice_given=D(2014, 12, 1),
                          policy=cm.NoticePolicy(agreement_from=D(2014, 7, 1)))
    assert (moved.months, moved.findings) == (2, ())


# ---- savings: 10 % of the whole bill, and payback -----------------------------------

def test_fredericias_payback() -> None:
    saving = estimate_savings(active_before=62_499, active_after=48_342,
                              monthly_bill_before=Decimal("16945.35"), quantum=Decimal(1))
    assert saving.monthly == Decimal("3838.35")
    p = payback(one_off=8000, monthly_saving=saving.monthly)
    assert (p.months, p.whole_months) == (Decimal("2.08"), 3)
    assert payback(one_off=7676, monthly_saving="3838") == cm.Payback(
        one_off=Decimal(7676), monthly_saving=Decimal(3838), months=Decimal("2.00"),
        whole_months=2)
    never = payback(one_off=8000, monthly_saving="-1")
    assert (never.months, never.whole_months) == (None, None)
    assert payback(one_off=0, monthly_saving=1).whole_months == 0


def test_ten_percent_of_kmd_sag_and_kmd_sag_journal() -> None:
    assert manual_cases_saving(kmd_sag="120000", kmd_sag_journal="30000") == Decimal(
        "15000.00")
    with pytest.raises(TypeError):
        manual_cases_saving("16945.35")  # type: ignore[misc]


# ---- 8. manual cases after the cleanup (CM408), conversion by go-live (CM503) -------

def test_manual_cases_opened_after_the_cleanup() -> None:
    def manual(cid: str, opened: dt.date, org: str | None = "Ældre",
               origin: str = "manual") -> Case:
        return Case(case_id=cid, municipality=846, citizen=None, system="KMD Sag",
                    opened=opened, origin=origin, organisation=org)
    cleaned = D(2014, 10, 31)
    cases = [manual("M-1", cleaned), manual("M-2", D(2014, 11, 3)),
             manual("M-3", D(2014, 11, 4), org=None), manual("M-4", D(2014, 12, 1)),
             manual("S-1", D(2014, 11, 5), origin="system"),
             manual("K-1", D(2014, 11, 5), origin="converted")]
    found = find_manual_cases_after_cleanup(cases, cleaned_on=cleaned)
    assert [(f.code, f.subjects, f.details["organisation"]) for f in found] == [
        ("CM408", ("M-2", "M-4"), "Ældre"), ("CM408", ("M-3",), "unknown organisation")]
    assert find_manual_cases_after_cleanup(list(reversed(cases)), cleaned_on=cleaned) == found


def test_conversion_by_go_live() -> None:
    cases = [Case(case_id=f"B-{i}", municipality=607, citizen=None, system="Old",
                  opened=D(2024, 1, 1), closed=None if i % 4 else D(2025, 1, 1))
             for i in range(40)]

    def run(go_live: dt.date | None) -> cm.ConversionPlan:
        return plan_conversion(cases, include_passive=False, method=ConversionMethod.MANUAL,
                               minutes_per_case=(10, 20), staff=2, hours_per_day=3,
                               start=D(2026, 3, 2), go_live=go_live)
    assert (run(None).schedule.earliest_finish, run(None).schedule.latest_finish) == (
        D(2026, 3, 2), D(2026, 3, 3))
    assert run(None).done_by_go_live is None
    assert (run(D(2026, 3, 4)).done_by_go_live, codes(run(D(2026, 3, 4)).findings,
                                                      "CM503")) == (True, [])
    warn = [f for f in run(D(2026, 3, 3)).findings if f.code == "CM503"]
    assert [(f.severity, f.details["go_live"]) for f in warn] == [
        (cm.Severity.WARNING, D(2026, 3, 3))]
    err = [f for f in run(D(2026, 3, 2)).findings if f.code == "CM503"]
    assert [f.severity for f in err] == [cm.Severity.ERROR]
    assert run(D(2026, 3, 2)).done_by_go_live is False


# ---- texts: scenario 2 in Danish, Aalborg and Favrskov from the source ---------------

def test_scenario_two_in_danish_has_the_two_systems_sentences() -> None:
    text = Scenario.TWO.describe(language="da")
    assert "Man arbejder derfor til at starte med i to systemer" in text
    assert "Først når STS og SAPA tages i brug, har brugerne ikke længere adgang til " \
           "KMD Sag" in text
    assert "journal notes and possibly documents" in Scenario.TWO.description


def test_aalborgs_control_cases_can_move_now() -> None:
    # Source: "Kan i princippet oprettes, behandles og gemmes i ethvert EDH-system";
    # conclusion "Ja, det kan allerede nu flyttes til eDoc".
    aalborg = CaseGroup(name="Kontrolsager", active_cases=135, passive_cases=2383,
                        esdh_sufficient=True, only_cpr_advis=False)
    assert choose_scenario(aalborg).scenario in (Scenario.ONE, Scenario.TWO)
    # Favrskov: no DUBU measure for KLE 32.18.12; waits for advis to be in place.
    favrskov = CaseGroup(name="Tabt arbejdsfortjeneste", kle="32.18.12", active_cases=3,
                         passive_cases=1, good_line_of_business_system=False)
    assert choose_scenario(favrskov).scenario is Scenario.THREE


def test_citations_name_documents_not_files() -> None:
    for code in ("CM105", "CM107", "CM109", "CM201", "CM208", "CM209", "CM306", "CM307",
                 "CM308", "CM310", "CM313", "CM314", "CM315", "CM316", "CM317", "CM403",
                 "CM407", "CM408", "CM503"):
        citation = cm.RULES[code].citation
        assert ".txt" not in citation, code
        assert citation.startswith(("Danmarks Statistik", "KOMBIT", "KL/KOMBIT",
                                    "casemigrate policy")), code


def test_readiness_counts_no_duplicate_for_a_course_dst_deleted() -> None:
    cases = [_case("O-17", "Old", opened=D(2025, 9, 1)), _case("N-3", "New", opened=C)]
    base = {"dst_notified": D(2026, 1, 5), "cutover_chosen": D(2026, 3, 2)}
    before = cm.check_readiness(plan(Register.SMDB, **base), cases=cases,
                                as_of=D(2026, 6, 2), select=["CM2"])
    assert [f.code for f in before.findings] == ["CM204", "CM206", "CM207"]
    deleted = plan(Register.SMDB, done={"delete_active_courses": D(2026, 5, 20)}, **base)
    after = cm.check_readiness(deleted, cases=cases, as_of=D(2026, 6, 2), select=["CM2"])
    assert after.findings == ()
    # Before DST's deletion day the old case still counts.
    early = cm.check_readiness(deleted, cases=[_case("O-1", "Old"), _case("O-2", "Old")],
                               as_of=D(2026, 5, 19), select=["CM204"])
    assert [f.code for f in early.findings] == ["CM204"]


QUIET_MONDAYS = [D(2026, 9, 7), D(2026, 9, 14), D(2026, 10, 5), D(2027, 9, 6)]


@settings(max_examples=20)
@given(st.sampled_from(QUIET_MONDAYS), st.integers(0, 3), st.integers(0, 20),
       st.booleans())
def test_deleted_not_rereported_moves_with_the_dates(
    cutover: dt.date, weeks: int, after: int, rereported: bool
) -> None:
    """Shifting the plan, the cases and the checking day by whole weeks keeps CM209."""
    def run(shift: dt.timedelta) -> list[tuple[str, tuple[str, ...], object]]:
        c = cutover + shift
        smdb = plan(Register.SMDB, cutover=c,
                    done={"delete_active_courses": c - dt.timedelta(days=10)})
        cases = [_case("OLD-1", "Old", opened=c - dt.timedelta(days=300))]
        if rereported:
            cases.append(_case("NEW-1", "New", opened=c + dt.timedelta(days=3)))
        found = find_blocking_cases(cases, smdb, as_of=c + dt.timedelta(days=14 + after))
        return [(f.code, f.subjects, f.details["deleted"] - shift) for f in found]

    base = run(dt.timedelta(0))
    assert base == run(dt.timedelta(weeks=weeks))
    # The window ends 14 days after a quiet Monday cutover: judged from the day after.
    expected = [] if rereported or after == 0 else [
        ("CM209", ("OLD-1",), cutover - dt.timedelta(days=10))]
    assert base == expected


def test_the_gap_message_names_both_deliveries_their_days_and_the_limits_basis() -> None:
    def gap(**kw: int) -> cm.Finding:
        found = merge_deliveries([delivery("old-L", "Old", D(2026, 5, 4), []),
                                  delivery("new-L", "New", D(2026, 6, 10), [])], plan(),
                                 **kw).findings
        return next(f for f in found if f.code == "CM317")

    assert gap().message == ("37 days without reporting between old-L (2026-05-04) and new-L "
                             "(2026-06-10); tolerated: 31 days (casemigrate policy)")
    assert gap(max_reporting_gap_days=1).message == (
        "37 days without reporting between old-L (2026-05-04) and new-L (2026-06-10); "
        "tolerated: 1 day (the caller's limit)")


def test_several_re_creations_pair_in_order_of_start_when_none_is_exact() -> None:
    """Within one citizen and code, the earliest old service pairs with the earliest new
    one, whatever their ids, and a same start pairs before a same target group."""
    olds = [svc("a", "Old", start=D(2021, 1, 4)), svc("b", "Old", start=D(2020, 1, 6))]
    news = [svc("x", "New", start=D(2020, 2, 3)), svc("y", "New", start=D(2021, 2, 1))]
    found = check_services([*olds, *news], plan())
    assert codes(found) == [("CM316", ("a", "y")), ("CM316", ("b", "x"))]

    two = frozenset({"2.1"})
    olds = [svc("a", "Old", start=D(2020, 1, 6)), svc("b", "Old", start=D(2021, 1, 4))]
    news = [svc("x", "New", start=D(2021, 1, 4), groups=two),
            svc("y", "New", start=D(2020, 1, 6), groups=two)]
    found = check_services([*olds, *news], plan())
    assert codes(found) == [("CM316", ("a", "y")), ("CM316", ("b", "x"))]
    assert [str(f.details["differs"][0]) for f in found] == [
        "target groups (1.1 in the old, 2.1 in the new)"] * 2


def test_repeated_rows_pair_the_same_whatever_the_input_order() -> None:
    """Old services that tie on start and id (a repeated row, other target groups) pair
    with the new ones the same way in any order."""
    two = frozenset({"2.1"})
    olds = [svc("a", "Old"), svc("a", "Old", groups=two)]
    news = [svc("x", "New", start=D(2022, 1, 3), groups=two), svc("x", "New",
                                                                 start=D(2022, 1, 3))]
    first = [(f.code, f.subjects, f.message) for f in check_services([*olds, *news], plan())]
    for order in ([*olds[::-1], *news], [*olds, *news[::-1]], [*news, *olds[::-1]]):
        assert [(f.code, f.subjects, f.message)
                for f in check_services(order, plan())] == first
    assert [f.code for f in check_services([*olds, *news], plan())] == ["CM316", "CM316"]
