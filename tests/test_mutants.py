"""Tests that kill the mutants of the rule modules that changed behaviour unnoticed.

Each pins one boundary that a one-character change to the code moved without any
other test failing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import casemigrate as cm
from casemigrate._text import Phrase

D = dt.date
CUTOVER = D(2026, 6, 1)
ALICE = "211062-1234"
OPENED = D(2010, 1, 4)
STARTED = D(2021, 1, 1)


def plan(register: str = "smdb", **more: object) -> cm.CutoverPlan:
    return cm.CutoverPlan(municipality=607, register=register, old_system="Old",
                          new_system="New", cutover=CUTOVER, **more)


def svc(sid: str, system: str, start: dt.date, end: dt.date | None = None,
        municipality: int = 607) -> cm.Service:
    return cm.Service(service_id=sid, municipality=municipality, citizen=ALICE,
                      code="SEL107", target_groups={"1.1"}, start=start, end=end,
                      system=system)


def codes(findings: tuple[cm.Finding, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.subjects) for f in findings]


def plain(finding: cm.Finding) -> dict[str, object]:
    """The finding's details, a phrase in English words (as its message shows it)."""
    return {key: str(value) if isinstance(value, Phrase) else value
            for key, value in finding.details.items()}


def test_another_municipalitys_old_case_gets_no_cm206() -> None:
    other = cm.Case(case_id="K-1", municipality=101, citizen=ALICE, system="Old",
                    opened=D(2024, 1, 1))
    found = cm.find_blocking_cases([other], plan())
    assert codes(found) == [("CM210", ())]


def test_a_milestone_done_on_its_latest_day_is_not_late() -> None:
    latest = cm.plan_timeline(plan())["delete_active_courses"].latest
    assert latest is not None
    on_time = plan(done={"delete_active_courses": latest})
    late = plan(done={"delete_active_courses": latest + dt.timedelta(days=1)})
    assert "CM108" not in [f.code for f in cm.check_plan(on_time, as_of=CUTOVER)]
    assert ("CM108", ("delete_active_courses",)) in codes(cm.check_plan(late, as_of=CUTOVER))


def test_roles_come_from_the_new_system_alone_when_only_it_is_named() -> None:
    # Both open, so the data basis alone would not tell which is old.
    basis = [svc("X", "Legacy", D(2021, 1, 1), CUTOVER), svc("Y", "New", D(2021, 1, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER, new_system="New")
    overlap = next(f for f in found if f.code == "CM301")
    assert (overlap.details["old"], overlap.details["new"]) == ("X", "Y")
    reversed_roles = cm.find_service_overlaps(basis, cutover=CUTOVER, new_system="Legacy")
    # Now Y is the old system's, and active: DST does not count it, so no CM301.
    assert [f.code for f in reversed_roles if f.code == "CM301"] == []


def test_cm314_holds_for_a_one_day_overlap_in_one_system() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2020, 3, 1)), svc("B", "Old", D(2020, 3, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER, within_system=True)
    assert codes(found) == [("CM314", ("A", "B"))]
    assert found[0].details["days"] == 1
    apart = [svc("A", "Old", D(2020, 1, 1), D(2020, 2, 29)), svc("B", "Old", D(2020, 3, 1))]
    assert cm.find_service_overlaps(apart, cutover=CUTOVER, within_system=True) == ()


def test_cm301_holds_for_a_one_day_overlap_across_systems() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2020, 3, 1)), svc("B", "New", D(2020, 3, 1))]
    found = cm.find_service_overlaps(basis, cutover=CUTOVER)
    assert codes(found) == [("CM301", ("A", "B"))]
    assert found[0].details["days"] == 1


def test_cm302_only_for_an_end_on_the_cutover_or_the_day_before() -> None:
    def cm302(end: dt.date) -> bool:
        basis = [svc("A", "Old", D(2021, 1, 1), end), svc("B", "New", D(2021, 1, 1))]
        return "CM302" in [f.code for f in cm.find_service_overlaps(basis, cutover=CUTOVER)]

    assert [cm302(CUTOVER + dt.timedelta(days=n)) for n in (-2, -1, 0, 1)] == [
        False, True, True, False]


def test_cm308_compares_system_names_without_case() -> None:
    def cm308(system: str) -> list[str]:
        delivery = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                               sent=D(2026, 6, 10), services=[svc("A", system, D(2021, 1, 1),
                                                                  D(2022, 1, 1))])
        result = cm.merge_deliveries([delivery], plan("handicap"))
        return [f.code for f in result.findings if f.code == "CM308"]

    assert cm308("OLD") == []
    assert cm308("Older") == ["CM308"]


def test_the_cm313_count_is_the_services_outside_the_plan() -> None:
    services = [svc("A", "Old", D(2021, 1, 1)), svc("B", "Other", D(2021, 1, 1)),
                svc("C", "Old", D(2021, 1, 1), municipality=101)]
    found = cm.check_services(services, plan("handicap"))
    # CM001: no service of the new system, so the re-creation check could not run.
    assert [f.code for f in found] == ["CM001", "CM313"]
    assert [f.details["count"] for f in found if f.code == "CM313"] == [2]


def test_cm305_names_every_delivery_that_ties_on_the_latest_time() -> None:
    sent = dt.datetime(2026, 6, 10, 9)
    deliveries = [cm.Delivery(delivery_id=i, name="L402", system="New", municipality=607,
                              sent=sent) for i in ("n1", "n2")]
    deliveries.append(cm.Delivery(delivery_id="n0", name="L402", system="New",
                                  municipality=607, sent=sent - dt.timedelta(hours=1)))
    result = cm.merge_deliveries(deliveries, plan("handicap"))
    tie = next(f for f in result.findings if f.code == "CM305")
    assert tie.subjects == ("n1", "n2") and tie.details["chosen"] == "n2"
    assert [d.delivery_id for d in result.used] == ["n2"]


def test_notice_findings_carry_every_value_of_their_message() -> None:
    at_5000 = cm.notice_period(manual_cases=5000, closes_all_itself=True,
                               notice_given=D(2015, 6, 1))
    assert at_5000.reason.startswith("the KMD Sag contract's own notice")
    assert [(f.code, f.subjects, dict(f.details)) for f in at_5000.findings] == [
        ("CM401", ("notice",), {"cases": 5000, "months": 6, "policy": "as over 5,000"}),
        ("CM402", ("notice",), {"given": D(2015, 6, 1), "from_date": D(2015, 12, 31),
                                "months": 6}),
    ]
    under = cm.notice_period(manual_cases=5000, closes_all_itself=True,
                             notice_given=D(2015, 6, 1),
                             policy=cm.NoticePolicy(exactly_5000_as_over=False))
    assert [dict(f.details) for f in under.findings] == [
        {"cases": 5000, "months": 2, "policy": "as under 5,000"}]


def test_mass_close_findings_carry_every_value_of_their_message() -> None:
    def made(cid: str, origin: str, opened: dt.date = OPENED) -> cm.Case:
        return cm.Case(case_id=cid, municipality=607, citizen=ALICE, system="KMD Sag",
                       opened=opened, kle="16.16.02", origin=origin)

    cases = [made("M-1", "manual"), made("C-1", "converted"), made("S-1", "system")]
    found = cm.find_mass_close_candidates(cases, as_of=D(2016, 1, 5),
                                          retired_kle=["16.16.02"], price_per_case="0.5")
    assert [(f.code, f.subjects, plain(f)) for f in found] == [
        ("CM404", ("C-1", "M-1"), {"count": 2, "kle": cm.KLE("16.16.02"),
                                   "saving": "; closing saves 1.00 kr a month",
                                   "amount": Decimal("1.00")}),
        ("CM405", ("C-1",), {"count": 1, "cutoff": D(2011, 1, 5),
                             "saving": "; closing saves 0.50 kr a month",
                             "amount": Decimal("0.50")}),
        ("CM406", ("M-1", "S-1"), {"manual": ("M-1",), "count": 1,
                                   "system_cases": ("S-1",), "kle": cm.KLE("16.16.02"),
                                   "saving": "; closing saves 0.50 kr a month",
                                   "amount": Decimal("0.50")}),
    ]
    # A converted case opened exactly on the cutoff is not stale.
    on_cutoff = made("C-2", "converted", D(2011, 1, 5))
    assert cm.find_mass_close_candidates([on_cutoff], as_of=D(2016, 1, 5)) == ()


def test_savings_at_the_edges_of_the_quantum() -> None:
    def bill_after(quantum: str) -> Decimal:
        return cm.estimate_savings(active_before=3, active_after=1, monthly_bill_before=100,
                                   quantum=Decimal(quantum)).monthly_bill_after

    assert bill_after("1E-6") == Decimal("33.333333")
    assert bill_after("1E+6") == Decimal("0E+6")
    for refused in ("1E-7", "1.1E+6", "0"):
        with pytest.raises(cm.InvalidArgument, match="quantum: must be a Decimal from 1E-6 to"):
            bill_after(refused)
    with pytest.raises(cm.InvalidArgument, match="active_before: must be above zero"):
        cm.estimate_savings(active_before=0, active_after=0, monthly_bill_before=1)
    assert cm.manual_cases_saving(kmd_sag="16945.35", kmd_sag_journal=0) == Decimal("1694.54")
    assert cm.manual_cases_saving(kmd_sag="0.05", kmd_sag_journal=0) == Decimal("0.01")  # half up


def test_a_timeline_renders_as_this_table_in_both_languages() -> None:
    timeline = cm.plan_timeline(plan(done={"review_open_courses": D(2026, 4, 20)}))
    assert timeline.render().splitlines() == [
        'SMDB cutover for 607 Fredericia: Old -> New on 2026-06-01 (Monday)',
        'milestone                                          earliest    latest      done',
        '-------------------------------------------------  ----------  ----------  ----------',
        'Tell DST of the change                             -           2026-04-01  -',
        'Choose the cutover date                            2026-03-02  2026-04-01  -',
        'Close reporting from the old system                -           2026-05-29  -',
        'Review citizens with open contact courses          -           2026-04-30  2026-04-20',
        'Have all active contact courses deleted            2026-05-18  2026-05-22  -',
        'Re-report the deleted courses from the new system  2026-06-01  2026-06-15  -',
    ]
    assert timeline.render("da").splitlines() == [
        'SMDB-systemskifte for 607 Fredericia: Old -> New, skæringsdato 2026-06-01 (mandag)',
        'milepæl                                                 tidligst    senest      udført',
        '------------------------------------------------------  ----------  ----------  ----------',  # noqa: E501
        'Giv Danmarks Statistik besked om systemskiftet          -           2026-04-01  -',
        'Vælg skæringsdato                                       2026-03-02  2026-04-01  -',
        'Luk for indberetning fra det nuværende system           -           2026-05-29  -',
        'Gennemgå alle borgere med åbne kontaktforløb            -           2026-04-30  2026-04-20',  # noqa: E501
        'Få slettet alle aktive kontaktforløb                    2026-05-18  2026-05-22  -',
        'Genindberet alle aktive kontaktforløb i det nye system  2026-06-01  2026-06-15  -',
    ]


def test_cm314_carries_both_periods_and_the_shared_days() -> None:
    basis = [svc("A", "Old", D(2020, 1, 1), D(2020, 3, 10)), svc("B", "Old", D(2020, 3, 1))]
    (found,) = cm.find_service_overlaps(basis, cutover=CUTOVER, within_system=True)
    assert {key: str(value) for key, value in found.details.items()} == {
        "earlier": "A", "later": "B", "earlier_period": "2020-01-01..2020-03-10",
        "later_period": "2020-03-01..", "system": "Old", "first": "2020-03-01",
        "last": "2020-03-10", "days": "10"}
    open_pair = [svc("A", "Old", D(2020, 1, 1)), svc("B", "Old", D(2020, 3, 1))]
    (found,) = cm.find_service_overlaps(open_pair, cutover=CUTOVER, within_system=True)
    assert (found.details["last"], found.details["days"]) == ("open", None)


def test_case_and_delivery_findings_carry_every_value_of_their_message() -> None:
    def made(cid: str, system: str, municipality: int = 607, citizen: str | None = ALICE,
             closed: dt.date | None = None) -> cm.Case:
        return cm.Case(case_id=cid, municipality=municipality, citizen=citizen, system=system,
                       opened=D(2024, 1, 1), closed=closed)

    cases = [made("O-1", "Old"), made("N-1", "New"), made("O-2", "Old", citizen="010203-4321",
                                                           closed=D(2026, 5, 20)),
             made("N-2", "New", citizen="010203-4321"), made("K-1", "Old", municipality=101)]
    found = {f.code: dict(f.details) for f in cm.find_blocking_cases(cases, plan())}
    assert found["CM206"] == {"case": "O-1", "system": "Old", "deadline": D(2026, 5, 22)}
    assert found["CM207"] == {"old_system": "Old", "new_system": "New", "cutover": CUTOVER,
                              "citizen": cm.CPR(ALICE)}
    assert found["CM210"] == {"count": 1, "municipality": cm.municipality(607),
                              "old_system": "Old", "new_system": "New"}
    # The second citizen's old case closed before the cutover: no CM207 for them.
    assert [f.subjects for f in cm.find_blocking_cases(cases, plan())
            if f.code == "CM207"] == [("N-1", "O-1")]
    handicap = cm.find_blocking_cases(cases, plan("handicap"))
    assert [plain(f) for f in handicap] == [{
        "check": "find_blocking_cases",
        "reason": "blocking active cases are an SMDB rule, not a HANDICAP one"}]
    elsewhere = cm.Delivery(delivery_id="D9", name="L402", system="Older", municipality=607,
                            sent=D(2026, 6, 10))
    (cm208,) = cm.find_reporting_overlap([elsewhere], plan())
    assert dict(cm208.details) == {"delivery": "D9", "system": "Older",
                                   "municipality": cm.municipality(607)}


def test_merge_summary_counts_every_reason_and_names_the_deliveries_used() -> None:
    old = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                      sent=D(2026, 6, 10), services=[svc("A", "Old", D(2021, 1, 1))])
    summary = cm.merge_deliveries([old], plan("handicap")).summary()
    assert summary["excluded_by_reason"] == {
        reason.name: (1 if reason is cm.ExclusionReason.ACTIVE_IN_OLD_SYSTEM else 0)
        for reason in cm.ExclusionReason}
    assert summary["deliveries_used"] == ["o"]


def test_every_merge_and_service_finding_carries_its_values() -> None:
    """No finding of a busy merge leaves a value of its message out (``None``)."""
    def s(sid: str, system: str, start: dt.date | None = STARTED,
          end: dt.date | None = None, municipality: int = 607,
          groups: tuple[str, ...] = ("1.1",), code: str | None = "SEL107") -> cm.Service:
        return cm.Service(service_id=sid, municipality=municipality, citizen=ALICE, code=code,
                          target_groups=groups, start=start, end=end, system=system)

    old_services = [s("A", "Old", end=CUTOVER), s("A", "Old", end=CUTOVER),
                    s("M", "Old", end=D(2022, 1, 1), municipality=101),
                    s("C", "Older", end=D(2022, 1, 1)), s("V", "Old", end=D(2030, 1, 1))]
    earlier = cm.Delivery(delivery_id="o0", name="L402", system="Old", municipality=607,
                          sent=D(2026, 5, 1), services=[s("GONE", "Old", end=D(2022, 1, 1))])
    old = cm.Delivery(delivery_id="o1", name="L402", system="Old", municipality=607,
                      sent=D(2026, 6, 10), services=old_services)
    new = cm.Delivery(delivery_id="n1", name="L402", system="New", municipality=607,
                      sent=D(2026, 6, 11), services=[s("B", "New", start=CUTOVER),
                                                     s("X", "New", groups=("1..2",),
                                                       code=None)])
    twin = cm.Delivery(delivery_id="n2", name="L402", system="New", municipality=607,
                       sent=D(2026, 6, 11), services=[s("B", "New", start=CUTOVER)])
    handicap = plan("handicap")
    merged = cm.merge_deliveries([earlier, old, new, twin], handicap)
    checked = cm.check_services([*old_services, *new.services], handicap, as_of=CUTOVER)
    findings = [*merged.findings, *checked]
    assert {f.code for f in findings} >= {"CM301", "CM302", "CM303", "CM304", "CM305", "CM306",
                                          "CM307", "CM308", "CM309", "CM310", "CM311", "CM313"}
    for finding in findings:
        assert finding.subjects or finding.code == "CM313", finding
        missing = [key for key, value in finding.details.items()
                   if value is None and key not in ("days", "amount")]
        assert not missing, (finding.code, missing)
        assert "None" not in finding.message, finding.message
    cm309 = next(f for f in checked if f.code == "CM309")
    assert cm309.details["missing"] == ("service code",)
    assert sorted(f.details["role"] for f in cm.merge_deliveries([], handicap).findings) == [
        "new_system", "old_system"]


def test_a_non_case_is_named_by_its_type() -> None:
    with pytest.raises(cm.InvalidType, match="cases: expected Case items, got str"):
        cm.find_duplicate_active_cases(["x"], as_of=CUTOVER)  # type: ignore[list-item]


def test_exclusion_reasons_and_outcomes_read_in_english_by_default() -> None:
    assert cm.ExclusionReason.TEST_DELIVERY.in_language() == (
        "in a test delivery (T...): never used for the statistics")
    assert cm.RecreationOutcome.NOT_RECREATED.in_language() == "not re-created (CM315)"


def test_a_hand_built_merge_result_counts_what_its_tally_lacks_as_not_compared() -> None:
    active = svc("A", "Old", STARTED)
    excluded = tuple(cm.Excluded(service=active, reason=cm.ExclusionReason.ACTIVE_IN_OLD_SYSTEM,
                                 delivery_id="o") for _ in range(3))
    result = cm.MergeResult(services=(), excluded=excluded, used=(), findings=(),
                            services_in=3, recreation={"NOT_RECREATED": 1})
    assert result.summary()["old_active_by_outcome"] == {
        "RECREATED_UNCHANGED": 0, "RECREATED_DIFFERS": 0, "NOT_RECREATED": 1,
        "NOT_COMPARED": 2}


def test_cm001_says_which_new_system_gave_no_service() -> None:
    found = cm.check_services([svc("A", "Old", STARTED)], plan("handicap"))
    assert [(f.code, f.subjects, f.message) for f in found] == [
        ("CM001", ("check_services",),
         "the re-creation check (CM315) was not run: no service of the new system New was "
         "given")]


def test_cm316_says_how_the_re_creation_differs_in_both_languages() -> None:
    def differs(old: cm.Service, new: cm.Service) -> list[tuple[tuple[str, ...], str, str]]:
        return [(f.subjects, f.message, f.message_in("da"))
                for f in cm.check_services([old, new], plan("handicap")) if f.code == "CM316"]

    def s(sid: str, system: str, start: dt.date, groups: set[str]) -> cm.Service:
        return cm.Service(service_id=sid, municipality=607, citizen=ALICE, code="SEL107",
                          target_groups=groups, start=start, system=system)

    assert differs(s("A", "Old", D(2021, 1, 4), {"1.2", "1.1"}),
                   s("B", "New", D(2021, 2, 1), set())) == [(
        ("A", "B"),
        "B re-creates A but differs in start date (2021-01-04 in the old, 2021-02-01 in the "
        "new) and target groups (1.1, 1.2 in the old, - in the new)",
        "B er A oprettet på ny, men afviger i startdato (2021-01-04 i det tidligere, "
        "2021-02-01 i det nye) og målgrupper (1.1, 1.2 i det tidligere, - i det nye)")]
    assert differs(s("A", "Old", D(2021, 1, 4), set()),
                   s("B", "New", D(2021, 1, 4), {"2.2", "2.1"})) == [(
        ("A", "B"),
        "B re-creates A but differs in target groups (- in the old, 2.1, 2.2 in the new)",
        "B er A oprettet på ny, men afviger i målgrupper (- i det tidligere, 2.1, 2.2 i det "
        "nye)")]


def test_an_old_service_without_citizen_or_code_is_never_re_created() -> None:
    new = svc("B", "New", STARTED)
    for old in (cm.Service(service_id="A", municipality=607, citizen=None, code="SEL107",
                           target_groups={"1.1"}, start=STARTED, system="Old"),
                cm.Service(service_id="A", municipality=607, citizen=ALICE, code=None,
                           target_groups={"1.1"}, start=STARTED, system="Old")):
        found = cm.check_services([old, new], plan("handicap"))
        assert codes(found) == [("CM309", ("A",)), ("CM315", ("A",))]


def test_a_new_service_without_citizen_or_code_re_creates_nothing_and_hides_nothing() -> None:
    old = svc("A", "Old", STARTED)
    blank = [cm.Service(service_id="B0", municipality=607, citizen=None, code="SEL107",
                        target_groups={"1.1"}, start=STARTED, system="New"),
             cm.Service(service_id="B1", municipality=607, citizen=ALICE, code=None,
                        target_groups={"1.1"}, start=STARTED, system="New")]
    # Given first, they do not stop the search for the real re-creation, B.
    found = cm.check_services([old, *blank, svc("B", "New", STARTED)], plan("handicap"))
    assert codes(found) == [("CM309", ("B0",)), ("CM309", ("B1",))]
    alone = cm.check_services([old, *blank], plan("handicap"))
    assert codes(alone) == [("CM309", ("B0",)), ("CM309", ("B1",)), ("CM315", ("A",))]


def test_cm315_names_the_service_its_code_start_and_both_systems() -> None:
    other = cm.Service(service_id="B", municipality=607, citizen="010203-4321", code="SEL107",
                       target_groups={"1.1"}, start=STARTED, system="New")

    def cm315(old: cm.Service) -> tuple[str, str]:
        (found,) = [f for f in cm.check_services([old, other], plan("handicap"))
                    if f.code == "CM315"]
        return found.message, found.message_in("da")

    assert cm315(svc("A", "Old", D(2021, 1, 4))) == (
        "A (citizen 211062-****, code SEL107, from 2021-01-04) is active in Old but has no "
        "match in New",
        "A (borger 211062-****, ydelseskode SEL107, fra 2021-01-04) er aktiv i Old, men har "
        "intet modstykke i New")
    blank = cm.Service(service_id="A", municipality=607, citizen=ALICE, code=None,
                       target_groups={"1.1"}, start=None, system="Old")
    assert cm315(blank)[0] == (
        "A (citizen 211062-****, code ?, from ?) is active in Old but has no match in New")


def test_the_recreation_tally_counts_every_citizen_and_every_pair() -> None:
    """Two citizens re-created one to one, one citizen with two services (one re-created
    unchanged, one starting on the cutover: CM303's, not CM316's), two never re-created."""
    def s(sid: str, system: str, citizen: str, start: dt.date = STARTED) -> cm.Service:
        return cm.Service(service_id=sid, municipality=607, citizen=citizen, code="SEL107",
                          target_groups={"1.1"}, start=start, system=system)

    olds = [s("b", "Old", "010203-4321"), s("e", "Old", "020304-1111"),
            s("a1", "Old", ALICE), s("a2", "Old", ALICE, D(2022, 3, 1)),
            s("c", "Old", "030405-2222"), s("d", "Old", "040506-3333")]
    news = [s("B", "New", "010203-4321"), s("E", "New", "020304-1111"),
            s("A1", "New", ALICE), s("A2", "New", ALICE, CUTOVER)]
    result = cm.merge_deliveries([
        cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                    sent=D(2026, 6, 10), services=olds),
        cm.Delivery(delivery_id="n", name="L402", system="New", municipality=607,
                    sent=D(2026, 6, 11), services=news)], plan("handicap"))
    assert dict(result.recreation) == {"RECREATED_UNCHANGED": 3, "RECREATED_DIFFERS": 1,
                                       "NOT_RECREATED": 2, "NOT_COMPARED": 0}
    assert [f.subjects for f in result.findings if f.code in ("CM315", "CM316")] == [
        ("c",), ("d",)]


def test_merge_names_its_bad_arguments_and_the_missing_production_deliveries() -> None:
    with pytest.raises(cm.InvalidType, match=r"^match: expected a RecreationMatch, got str$"):
        cm.merge_deliveries([], plan("handicap"), match="x")  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidArgument,
                       match=r"^max_reporting_gap_days: must be zero or more, got -1$"):
        cm.merge_deliveries([], plan("handicap"), max_reporting_gap_days=-1)
    assert [f.message for f in cm.merge_deliveries([], plan("handicap")).findings] == [
        "no production delivery from New (the plan's new system)",
        "no production delivery from Old (the plan's old system)"]


def test_every_excluded_service_names_the_delivery_it_came_in() -> None:
    def delivery(did: str, system: str, day: int, name: str = "L402") -> cm.Delivery:
        return cm.Delivery(delivery_id=did, name=name, system=system, municipality=607,
                           sent=D(2026, 6, day), services=[svc(did.upper(), system, STARTED,
                                                               D(2022, 1, 1))])

    latest = cm.Delivery(delivery_id="n", name="L402", system="New", municipality=607,
                         sent=D(2026, 6, 5), services=[
                             svc("N", "New", STARTED), svc("N", "New", STARTED),
                             svc("M", "New", STARTED, municipality=101)])
    result = cm.merge_deliveries([delivery("o1", "Old", 1), delivery("o2", "Old", 2),
                                  delivery("t", "New", 3, "T402"), delivery("x", "Other", 4),
                                  latest], plan("handicap"))
    assert sorted((e.service.service_id, e.reason.name, e.delivery_id)
                  for e in result.excluded) == [
        ("M", "SERVICE_OF_OTHER_MUNICIPALITY", "n"), ("N", "DUPLICATE_IN_DELIVERY", "n"),
        ("O1", "NOT_LATEST_DELIVERY", "o1"), ("T", "TEST_DELIVERY", "t"),
        ("X", "OTHER_SYSTEM", "x")]


def test_a_service_of_an_equal_municipality_object_is_the_deliverys() -> None:
    """A municipality built directly equals the shared one without being it."""
    from casemigrate.identifiers import Municipality

    own = Municipality(607, "Fredericia")
    service = cm.Service(service_id="A", municipality=own, citizen=ALICE, code="SEL107",
                         target_groups={"1.1"}, start=STARTED, end=D(2022, 1, 1),
                         system="Old")
    assert service.municipality is not cm.municipality(607)
    delivery = cm.Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
                           sent=D(2026, 6, 10), services=[service])
    result = cm.merge_deliveries([delivery], plan("handicap"))
    assert ([s.service_id for s in result.services], result.excluded) == (["A"], ())


def test_the_old_system_alone_names_the_roles_even_when_it_started_last() -> None:
    basis = [svc("Y", "New", D(2020, 1, 1), D(2020, 12, 31)),
             svc("X", "Legacy", D(2020, 6, 1), D(2021, 6, 30))]
    (found,) = cm.find_service_overlaps(basis, cutover=CUTOVER, old_system="Legacy")
    assert (found.code, found.details["old"], found.details["new"]) == ("CM301", "X", "Y")


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: cm.classify_cleanup("x"), cm.InvalidType, "case: expected a Case, got str"),
    (lambda: cm.classify_cleanup(_CASE, title_words=5), cm.InvalidType,
     "title_words: expected an iterable of words such as ['klage'], got int"),
    (lambda: cm.classify_cleanup(_CASE, title_words=["x", 3]), cm.InvalidType,
     "title_words: expected strings, got a int"),
    (lambda: cm.classify_cleanup(_CASE, title_words=["x", " "]), cm.InvalidArgument,
     "title_words: a word is blank"),
    (lambda: cm.classify_cleanup(_CASE, suspicious_kle="16.16.02"), cm.InvalidType,
     "suspicious_kle: expected KLE numbers, got str"),
    (lambda: cm.estimate_cleanup({"simple": 3}), cm.InvalidType,
     "work: keys must be Complexity, got str"),
    (lambda: cm.NoticePolicy(exactly_5000_as_over="x"), cm.InvalidType,
     "exactly_5000_as_over: expected True or False, got str"),
    (lambda: cm.NoticePolicy(three_month_rule_from="x"), cm.InvalidType,
     "three_month_rule_from: expected a date, got str"),
    (lambda: cm.NoticePolicy(agreement_from="x"), cm.InvalidType,
     "agreement_from: expected a date, got str"),
    (lambda: cm.notice_period(manual_cases=100, closes_all_itself=True,
                              notice_given=D(9999, 12, 1)), cm.InvalidArgument,
     "notice_given: the notice of 2 months would run past 9999-12-31"),
    (lambda: cm.estimate_savings(active_before=1, active_after=1, monthly_bill_before=1,
                                 quantum=Decimal("0")), cm.InvalidArgument,
     "quantum: must be a Decimal from 1E-6 to 1E+6, such as Decimal('0.01')"),
    (lambda: cm.estimate_savings(active_before=1, active_after=10**20,
                                 monthly_bill_before=10**14, quantum=Decimal("1E-6")),
     cm.InvalidArgument, "active_after: the bill after is too large to compute to the quantum"),
    (lambda: cm.payback(one_off=-1, monthly_saving=1), cm.InvalidArgument,
     "one_off: must not be negative, got -1"),
])
def test_a_bad_cleanup_argument_is_named_with_what_was_wrong(
    call: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert str(raised.value) == message


_CASE = cm.Case(case_id="a", municipality=607, citizen=None, system="KMD Sag", opened=OPENED)


def test_the_longest_title_word_is_the_one_a_reason_names() -> None:
    case = cm.Case(case_id="a", municipality=607, citizen=None, system="KMD Sag",
                   opened=OPENED, title="Klagesag om hjælpemidler", kle="27.60.00",
                   facet="K07", caseworker="ab", organisation="Ældre")
    for words in (["klage", "klagesag"], ["klagesag", "klage"]):
        assert cm.classify_cleanup(case, title_words=words).reasons == (
            (cm.Complexity.MEDIUM, "title suggests a special matter (klagesag)"),)
    assert cm.classify_cleanup(case, title_words=["anke", "klage"]).reasons == (
        (cm.Complexity.MEDIUM, "title suggests a special matter (klage)"),)


def test_cases_without_citizen_are_never_merge_candidates() -> None:
    def case(cid: str) -> cm.Case:
        return cm.Case(case_id=cid, municipality=607, citizen=None, system="KMD Sag",
                       opened=OPENED, title="t", kle="27.60.00", facet="K07",
                       caseworker="ab", organisation="Ældre")

    assert cm.classify_cleanup(case("a"), related=[case("b")]).complexity is (
        cm.Complexity.SIMPLE)


def test_estimates_of_cases_add_up_with_their_classifications_and_closing() -> None:
    def case(cid: str) -> cm.Case:
        return cm.Case(case_id=cid, municipality=607, citizen=None, system="KMD Sag",
                       opened=OPENED, title="t", kle="27.60.00", facet="K07",
                       caseworker="ab", organisation="Ældre")

    plain = cm.estimate_cleanup([case("a")])
    assert plain.classifications["a"].reasons == ((cm.Complexity.SIMPLE, "metadata review"),)
    closing = cm.estimate_cleanup([case("b")], closing=True)
    assert closing.classifications["b"].reasons == ((cm.Complexity.SIMPLE,
                                                     "to be passivated"),)
    both = plain + closing
    assert sorted(both.classifications) == ["a", "b"] and both.cases == 2


def test_a_cleanup_schedule_follows_the_calendar_it_is_given() -> None:
    estimate = cm.estimate_cleanup({cm.Complexity.SIMPLE: 1000})
    default = estimate.schedule(staff=2, hours_per_day=6, start=D(2026, 3, 2))
    closed = cm.WorkingDays(extra_days_off=[D(2026, 3, 3)])
    moved = estimate.schedule(staff=2, hours_per_day=6, start=D(2026, 3, 2), calendar=closed)
    assert (default.earliest_finish, moved.earliest_finish) == (D(2026, 3, 6), D(2026, 3, 9))


def test_cm407_and_cm403_carry_their_values() -> None:
    notice = cm.notice_period(manual_cases=100, closes_all_itself=True,
                              notice_given=D(2014, 6, 27))
    assert [(f.code, f.subjects, f.message) for f in notice.findings] == [(
        "CM407", ("notice",), "notice given on 2014-06-27, before the KOMBIT-KMD agreement on "
        "notice periods (taken to hold from 2015-03-20): the contract's 6 months")]
    rising = cm.estimate_savings(active_before=1000, active_after=1100, monthly_bill_before=1000)
    assert [(f.code, f.subjects, f.message) for f in rising.findings] == [(
        "CM403", ("savings",),
        "1,100 active cases after against 1,000 before: the bill rises by 100.00 kr a month")]
    assert "1,100" in rising._repr_html_()


def test_a_saving_under_one_krone_or_of_nothing_is_no_cm403() -> None:
    small = cm.estimate_savings(active_before=2, active_after=1, monthly_bill_before=1)
    assert (small.monthly, small.findings) == (Decimal("0.50"), ())
    assert cm.estimate_savings(active_before=3, active_after=3,
                               monthly_bill_before=100).findings == ()


def test_money_rounds_half_up_to_the_ore() -> None:
    assert cm.estimate_savings(active_before=2, active_after=1,
                               monthly_bill_before="1.01").monthly_bill_after == Decimal("0.51")
    assert cm.payback(one_off=201, monthly_saving=200).months == Decimal("1.01")
    assert cm.payback(one_off=5, monthly_saving=0) == cm.Payback(
        one_off=Decimal(5), monthly_saving=Decimal(0), months=None, whole_months=None)
    cases = [cm.Case(case_id=cid, municipality=607, citizen=ALICE, system="KMD Sag",
                     opened=OPENED, kle="16.16.02", origin=origin)
             for cid, origin in (("M-1", "manual"), ("C-1", "converted"), ("S-1", "system"))]
    found = cm.find_mass_close_candidates(cases, as_of=D(2016, 1, 5),
                                          retired_kle=["16.16.02"], price_per_case="0.125")
    assert [(f.code, f.details["amount"]) for f in found] == [
        ("CM404", Decimal("0.25")), ("CM405", Decimal("0.13")), ("CM406", Decimal("0.13"))]
    assert found[1].message_in("da") == (
        "1 konverteret sag oprettet før 2011-01-05 er stadig aktiv; lukning sparer 0,13 kr. "
        "om måneden")


def test_cm408_names_the_count_organisation_and_cleanup_day() -> None:
    cases = [cm.Case(case_id=cid, municipality=607, citizen=None, system="KMD Sag",
                     opened=D(2014, 11, 3), origin="manual", organisation="Ældre")
             for cid in ("M-7", "M-8")]
    found = cm.find_manual_cases_after_cleanup(cases, cleaned_on=D(2014, 10, 31))
    assert [(f.code, f.subjects, f.message, f.message_in("da"), f.details["municipality"])
            for f in found] == [(
        "CM408", ("M-7", "M-8"), "2 manual cases in Ældre opened after the cleanup on 2014-10-31",
        "2 manuelle sager i Ældre oprettet efter oprydningen 2014-10-31", 607)]


def test_payback_refuses_a_saving_too_small_to_count_its_months_to_the_ore() -> None:
    """Sixty digits: 10**14 kr over 1E-43 kr a month is 10**57 months, written to the
    øre; over 1E-44 it is one digit too many, and an error rather than a rounded count."""
    assert cm.payback(one_off=10**14, monthly_saving="1E-43").whole_months == 10**57
    with pytest.raises(cm.InvalidArgument, match=r"^monthly_saving: 1E-44 kr a month would "
                                                  r"never pay back"):
        cm.payback(one_off=10**14, monthly_saving="1E-44")


# ---- the table entries of the overlap check and the merge ------------------------------

def test_merge_refuses_services_beside_records_with_its_whole_message() -> None:
    plan = cm.CutoverPlan(municipality=607, old_system="Old", new_system="New",
                          cutover=dt.date(2026, 6, 1), register=cm.Register.HANDICAP)
    with pytest.raises(cm.InvalidArgument) as raised:
        cm.merge_deliveries([], plan, services=[])
    assert str(raised.value) == (
        "services: services= is the services table beside a deliveries table; a Delivery "
        "record holds its own services (pass the deliveries table, or leave services= out)")


def test_merge_names_the_type_of_a_services_argument_that_is_no_table() -> None:
    pa = pytest.importorskip("pyarrow")
    plan = cm.CutoverPlan(municipality=607, old_system="Old", new_system="New",
                          cutover=dt.date(2026, 6, 1), register=cm.Register.HANDICAP)
    deliveries = pa.table({"delivery_id": ["D1"], "name": ["L402"], "system": ["Old"],
                           "municipality": [607], "sent": ["2026-05-26T09:00"]})
    with pytest.raises(cm.InvalidType) as raised:
        cm.merge_deliveries(deliveries, plan, services=[1, 2])
    assert str(raised.value) == ("services: expected a table of services with a delivery_id "
                                 "column, got list")


def test_overlaps_name_the_type_of_an_item_that_is_no_service() -> None:
    with pytest.raises(cm.InvalidType) as raised:
        cm.find_service_overlaps([3], cutover=dt.date(2026, 6, 1))
    assert str(raised.value) == "services: expected Service items, got int"


def test_a_service_table_with_the_old_system_alone_named_knows_the_roles() -> None:
    """Naming the old system alone settles both roles on a table too: its active
    service is not counted, so it meets the new system's service in no CM301."""
    pa = pytest.importorskip("pyarrow")
    rows = {"service_id": ["A", "B"], "municipality": [607, 607],
            "citizen": ["211062-1234"] * 2, "code": ["SEL107"] * 2,
            "target_groups": [["1.1"], ["1.1"]],
            "start": [dt.date(2021, 1, 1), dt.date(2022, 1, 1)], "end": [None, None],
            "system": ["Old", "New"]}
    cutover = dt.date(2026, 6, 1)
    records = [cm.Service(**{k: v[i] for k, v in rows.items()}) for i in range(2)]
    for roles in ({"old_system": "Old"}, {"new_system": "New"}):
        expected = cm.find_service_overlaps(records, cutover=cutover, **roles)
        assert [f.code for f in expected] == []
        assert tuple(cm.find_service_overlaps(pa.table(rows), cutover=cutover,
                                              **roles)) == expected
    assert [f.code for f in cm.find_service_overlaps(pa.table(rows), cutover=cutover)] == [
        "CM301"]
