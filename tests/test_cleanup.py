from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    Case,
    Complexity,
    InvalidArgument,
    InvalidKLE,
    InvalidType,
    NoticePolicy,
    NoticeRule,
    Origin,
    classify_cleanup,
    estimate_cleanup,
    estimate_savings,
    find_mass_close_candidates,
    manual_cases_saving,
    notice_period,
)
from casemigrate.frames import cell

D = dt.date
ALICE, BOB = "211062-1234", "010203-4321"
OPENED = D(2014, 1, 6)


def case(cid: str = "M-1", *, citizen: str | None = ALICE, title: str = "Bevilling",
         kle: str | None = "27.60.04", facet: str | None = "S00",
         caseworker: str | None = "ab", organisation: str | None = "Ældre",
         origin: Origin = Origin.MANUAL, opened: dt.date = OPENED,
         closed: dt.date | None = None) -> Case:
    return Case(case_id=cid, municipality=607, citizen=citizen, system="KMD Sag",
                opened=opened, closed=closed, kle=kle, facet=facet, origin=origin,
                title=title, caseworker=caseworker, organisation=organisation)


# --- complexity and classification ------------------------------------------------

def test_complexity_minutes_from_the_source() -> None:
    assert [(c.low_minutes, c.high_minutes) for c in Complexity] == [(3, 5), (4, 10), (15, 25)]
    assert "Afslut åbne sager." in Complexity.COMPLEX.tasks_da
    assert len(Complexity.SIMPLE.tasks) == len(Complexity.SIMPLE.tasks_da)


def reasons(c: Case, **kwargs: object) -> tuple[str, list[str]]:
    found = classify_cleanup(c, **kwargs)  # type: ignore[arg-type]
    return found.complexity.name, [reason for _, reason in found.reasons]


def test_a_clean_case_still_gets_its_metadata_review() -> None:
    assert reasons(case()) == ("SIMPLE", ["metadata review"])


def test_missing_metadata_is_simple() -> None:
    assert reasons(case(title="", caseworker=None, organisation=None)) == (
        "SIMPLE", ["missing title", "missing caseworker", "missing organisation"])


@pytest.mark.parametrize(
    ("title", "word"),
    [("Klage over afgørelse", "klage"), ("KLAGE", "klage"), ("Anke til Ankestyrelsen", "anke"),
     ("Ankestyrelsens afgørelse", "anke"), ("Aktindsigtsanmodning", "aktindsigt"),
     ("Ældres AKTINDSIGT", "aktindsigt"), ("Øv: klagesag", "klage")],
)
def test_special_titles_are_medium(title: str, word: str) -> None:
    complexity, why = reasons(case(title=title))
    assert complexity == "MEDIUM"
    assert why == [f"title suggests a special matter ({word})"]


@pytest.mark.parametrize("title", ["Tanke om hjælp", "Vi beklager", "Bankernes lån", "Flanke"])
def test_words_inside_other_words_do_not_count(title: str) -> None:
    assert reasons(case(title=title))[0] == "SIMPLE"


def test_decomposed_danish_letters_are_normalised() -> None:
    decomposed = "A\u030ArsKLAGE"  # "Å" as A + ring: NFC makes it one letter
    assert reasons(case(title=decomposed))[0] == "SIMPLE"  # 'årsklage': klage mid-word
    assert reasons(case(title="A\u030Ar: Klage"))[0] == "MEDIUM"


def test_kle_and_facet_are_medium() -> None:
    assert reasons(case(kle=None)) == ("MEDIUM", ["missing KLE number"])
    assert reasons(case(facet="G01")) == ("MEDIUM", ["default facet G01"])
    assert reasons(case(facet=None)) == ("MEDIUM", ["missing facet"])
    assert reasons(case(kle="85.15.70"), suspicious_kle=["85.15.70"]) == (
        "MEDIUM", ["suspicious KLE number 85.15.70"])


def test_merge_candidates_and_closing_are_complex() -> None:
    twin = case("M-2")
    other_kle = case("M-3", kle="27.60.00")
    assert reasons(case(), related=[case(), other_kle])[0] == "SIMPLE"  # itself is no twin
    assert reasons(case(), related=[twin]) == (
        "COMPLEX", ["may be merged with a case of the same citizen and KLE"])
    # Passivating is simple work; finishing an open matter first is complex.
    assert reasons(case(title="", facet="G01"), closing=True) == (
        "MEDIUM", ["missing title", "default facet G01", "to be passivated"])
    assert reasons(case(title="", facet="G01"), close_after_review=True) == (
        "COMPLEX", ["missing title", "default facet G01",
                    "open matter to be finished and closed"])


# --- estimates --------------------------------------------------------------------

def test_worked_estimates() -> None:
    one = estimate_cleanup({Complexity.SIMPLE: 1000})
    assert (one.low_hours, round(one.high_hours, 1)) == (50.0, 83.3)
    mix = estimate_cleanup({Complexity.SIMPLE: 600, Complexity.MEDIUM: 300,
                            Complexity.COMPLEX: 100})
    assert (mix.low_minutes, mix.high_minutes) == (4500, 8500)
    assert (round(mix.low_hours, 1), round(mix.high_hours, 1)) == (75.0, 141.7)
    assert mix.cases == 1000
    assert mix.breakdown()[1] == {"complexity": "MEDIUM", "cases": 300, "low_hours": 20.0,
                                  "high_hours": 50.0}


def test_estimate_from_cases_classifies_them() -> None:
    cases = [case("A"), case("B"), case("C", citizen=BOB, title="Klage"),
             case("D", citizen=BOB, kle="27.36.20")]
    estimate = estimate_cleanup(cases)
    assert estimate.counts == {Complexity.SIMPLE: 1, Complexity.MEDIUM: 1,
                               Complexity.COMPLEX: 2}
    assert estimate.classifications["A"].complexity is Complexity.COMPLEX
    assert estimate_cleanup(cases, close_after_review=True).counts[Complexity.COMPLEX] == 4
    assert estimate_cleanup(cases, closing=True).counts == estimate.counts


def test_schedule() -> None:
    estimate = estimate_cleanup({Complexity.SIMPLE: 1000})
    # 3,000-5,000 minutes at 2 people x 6 h = 720 min a day: 5 and 7 working days.
    s = estimate.schedule(staff=2, hours_per_day=6, start=D(2026, 3, 2))
    assert (s.working_days_low, s.working_days_high) == (5, 7)
    assert (s.earliest_finish, s.latest_finish) == (D(2026, 3, 6), D(2026, 3, 10))
    # Over Easter 2026 (2-6 April off), starting on a Saturday.
    s = estimate.schedule(staff=1, hours_per_day=7.5, start=D(2026, 3, 28))
    assert s.start == D(2026, 3, 30)
    assert (s.working_days_low, s.working_days_high) == (7, 12)
    # Working days: 30, 31 Mar, 1 Apr, then 7-10 Apr (7 days), 13-17 Apr (12 days).
    assert (s.earliest_finish, s.latest_finish) == (D(2026, 4, 10), D(2026, 4, 17))
    empty = estimate_cleanup({}).schedule(staff=1, hours_per_day=7, start=D(2026, 3, 2))
    assert (empty.working_days_low, empty.latest_finish) == (0, D(2026, 3, 2))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"staff": 0, "hours_per_day": 7}, "staff"), ({"staff": -1, "hours_per_day": 7}, "staff"),
     ({"staff": 1, "hours_per_day": 0}, "hours_per_day"),
     ({"staff": 1, "hours_per_day": 25}, "hours_per_day")],
)
def test_schedule_bad_input(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        estimate_cleanup({Complexity.SIMPLE: 1}).schedule(start=D(2026, 3, 2), **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("work", "error", "field"),
    [({Complexity.SIMPLE: -1}, InvalidArgument, "work[SIMPLE]"),
     ({Complexity.SIMPLE: 1.5}, InvalidType, "work[SIMPLE]"),
     ({Complexity.SIMPLE: True}, InvalidType, "work[SIMPLE]"),
     ({"SIMPLE": 1}, InvalidType, "work"),
     (["not a case"], InvalidType, "work")],
)
def test_estimate_bad_input(work: object, error: type[Exception], field: str) -> None:
    with pytest.raises(error) as info:
        estimate_cleanup(work)  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]


counts = st.fixed_dictionaries({c: st.integers(0, 100_000) for c in Complexity})


@given(counts)
def test_estimates_are_never_negative_and_ordered(work: dict[Complexity, int]) -> None:
    estimate = estimate_cleanup(work)
    assert 0 <= estimate.low_minutes <= estimate.high_minutes


@given(counts, st.sampled_from(list(Complexity)), st.integers(1, 1000))
def test_estimates_are_monotone_in_every_count(work: dict[Complexity, int],
                                               which: Complexity, more: int) -> None:
    before = estimate_cleanup(work)
    after = estimate_cleanup({**work, which: work[which] + more})
    assert after.low_minutes > before.low_minutes
    assert after.high_minutes > before.high_minutes


titles = st.sampled_from(["", "Klage", "Bevilling", "Anke", "Ansøgning"])
cases_st = st.lists(
    st.builds(lambda i, cit, kle, title, facet: case(f"C{i}", citizen=cit, kle=kle,
                                                      title=title, facet=facet),
              st.integers(0, 10**6), st.sampled_from([ALICE, BOB, None]),
              st.sampled_from(["27.60.04", "27.60.00", None]), titles,
              st.sampled_from(["G01", "S00", None])),
    max_size=20, unique_by=lambda c: c.case_id,
)


@given(cases_st)
def test_estimates_are_additive_over_sets_sharing_no_citizen(cases: list[Case]) -> None:
    alice = [c for c in cases if c.citizen is not None and c.citizen.birth_date.year == 1962]
    rest = [c for c in cases if c not in alice]
    whole = estimate_cleanup(cases)
    parts = estimate_cleanup(alice) + estimate_cleanup(rest)
    assert whole.counts == parts.counts
    assert (whole.low_minutes, whole.high_minutes) == (parts.low_minutes, parts.high_minutes)


# --- notice periods ---------------------------------------------------------------

GIVEN = D(2016, 1, 29)


@pytest.mark.parametrize(
    ("kwargs", "months", "rule"),
    [
        ({"manual_cases": 2400, "closes_all_itself": True}, 2, "UNDER_5000_CLOSING_ITSELF"),
        ({"manual_cases": 4999, "closes_all_itself": True}, 2, "UNDER_5000_CLOSING_ITSELF"),
        ({"manual_cases": 5001, "closes_all_itself": True}, 3, "OVER_5000_CLOSING_ITSELF"),
        ({"manual_cases": 2400, "closes_all_itself": True, "wants_extract": True}, 6, "EXTRACT"),
        ({"manual_cases": 2400, "closes_all_itself": True, "fixed_price": True}, 6,
         "FIXED_PRICE_OR_LARGE"),
        ({"manual_cases": 90_000, "closes_all_itself": True, "large_customer": True}, 6,
         "FIXED_PRICE_OR_LARGE"),
        ({"manual_cases": 2400, "closes_all_itself": False}, 6, "CONTRACT"),
    ],
)
def test_the_four_rules(kwargs: dict[str, object], months: int, rule: str) -> None:
    n = notice_period(notice_given=GIVEN, **kwargs)  # type: ignore[arg-type]
    assert (n.months, n.rule.name, n.findings) == (months, rule, ())
    assert n.ends_on == {2: D(2016, 3, 29), 3: D(2016, 4, 29), 6: D(2016, 7, 29)}[months]


def test_exactly_5000_is_a_policy_decision() -> None:
    n = notice_period(manual_cases=5000, closes_all_itself=True, notice_given=GIVEN)
    assert (n.months, [f.code for f in n.findings]) == (3, ["CM401"])
    lenient = notice_period(manual_cases=5000, closes_all_itself=True, notice_given=GIVEN,
                            policy=NoticePolicy(exactly_5000_as_over=False))
    assert (lenient.months, [f.code for f in lenient.findings]) == (2, ["CM401"])


def test_the_three_month_rule_starts_at_the_end_of_2015() -> None:
    before = notice_period(manual_cases=7000, closes_all_itself=True,
                           notice_given=D(2015, 12, 30))
    assert (before.months, before.rule, [f.code for f in before.findings]) == (
        6, NoticeRule.CONTRACT, ["CM402"])
    on = notice_period(manual_cases=7000, closes_all_itself=True, notice_given=D(2015, 12, 31))
    assert (on.months, on.findings) == (3, ())
    both = notice_period(manual_cases=5000, closes_all_itself=True,
                         notice_given=D(2015, 6, 1))
    assert (both.months, [f.code for f in both.findings]) == (6, ["CM401", "CM402"])


def test_month_end_notice() -> None:
    n = notice_period(manual_cases=10, closes_all_itself=True, notice_given=D(2025, 12, 31))
    assert n.ends_on == D(2026, 2, 28)


def test_notice_bad_input() -> None:
    with pytest.raises(InvalidArgument) as info:
        notice_period(manual_cases=-1, closes_all_itself=True, notice_given=GIVEN)
    assert info.value.field == "manual_cases"
    with pytest.raises(InvalidType) as type_info:
        notice_period(manual_cases=10.0, closes_all_itself=True,  # type: ignore[arg-type]
                      notice_given=GIVEN)
    assert type_info.value.field == "manual_cases"


def test_each_notice_rule_carries_its_months_and_reason() -> None:
    assert {rule.name: rule.months for rule in NoticeRule} == {
        "UNDER_5000_CLOSING_ITSELF": 2, "OVER_5000_CLOSING_ITSELF": 3, "EXTRACT": 6,
        "FIXED_PRICE_OR_LARGE": 6, "CONTRACT": 6, "BEFORE_AGREEMENT": 6}
    assert len({rule.reason for rule in NoticeRule}) == len(NoticeRule)
    assert all(rule.reason.en and rule.reason.da for rule in NoticeRule)
    assert repr(NoticeRule.CONTRACT) == "<NoticeRule.CONTRACT: 6 months>"
    n = notice_period(manual_cases=2400, closes_all_itself=True, notice_given=GIVEN)
    assert (n.rule, n.months, n.reason) == (NoticeRule.UNDER_5000_CLOSING_ITSELF, 2,
                                           NoticeRule.UNDER_5000_CLOSING_ITSELF.reason)
    assert n.reason.da == "under 5.000 sager, og kommunen afslutter selv alle manuelle sager"
    assert cell(NoticeRule.CONTRACT) == "CONTRACT"  # in a table: its name, not a code


# --- savings ----------------------------------------------------------------------

def test_fredericia() -> None:
    """003_63b3ba8438f94d62.txt, Del 2, Fredericia: 62,499 -> 48,342 cases,
    16.945,35 -> 13.107,00 kr a month, a saving of 3.838,35."""
    at_ore = estimate_savings(active_before=62_499, active_after=48_342,
                              monthly_bill_before=Decimal("16945.35"))
    assert at_ore.monthly_bill_after == Decimal("13106.96")
    assert at_ore.monthly == Decimal("3838.39")
    assert abs(at_ore.monthly_bill_after - Decimal("13107.00")) < Decimal("0.05")
    as_source = estimate_savings(active_before=62_499, active_after=48_342,
                                 monthly_bill_before="16945.35", quantum=Decimal("1"))
    assert as_source.monthly_bill_after == Decimal("13107")
    assert as_source.monthly == Decimal("3838.35")
    assert as_source.yearly == Decimal("46060.20")
    # "small 50,000 kr a year" (små 50.000 kr. om året)
    assert Decimal("45000") < as_source.yearly < Decimal("50000")
    assert at_ore.findings == ()


def test_negative_saving_is_a_finding() -> None:
    s = estimate_savings(active_before=1000, active_after=1100, monthly_bill_before=1000)
    assert s.monthly == Decimal("-100.00")
    assert [f.code for f in s.findings] == ["CM403"]
    assert s.findings[0].details["amount"] == Decimal("100.00")


def test_ten_percent() -> None:
    # 10 % of the whole KMD Sag and KMD Sag Journal bill, not of one part of it.
    assert manual_cases_saving(kmd_sag=Decimal("40000"), kmd_sag_journal=Decimal("8000")) == (
        Decimal("4800.00"))
    assert manual_cases_saving(kmd_sag="16945.35", kmd_sag_journal=0) == Decimal("1694.54")
    assert manual_cases_saving(kmd_sag=0, kmd_sag_journal=0) == Decimal("0.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"active_before": -1}, "active_before"), ({"active_before": 0}, "active_before"),
     ({"active_after": -5}, "active_after"), ({"monthly_bill_before": "-1"}, "monthly_bill_before"),
     ({"monthly_bill_before": "abc"}, "monthly_bill_before")],
)
def test_savings_bad_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"active_before": 10, "active_after": 5,
                               "monthly_bill_before": "100", **kwargs}
    with pytest.raises(InvalidArgument) as info:
        estimate_savings(**args)  # type: ignore[arg-type]
    assert info.value.field == field


def test_float_money_is_refused() -> None:
    with pytest.raises(InvalidType) as info:
        estimate_savings(active_before=10, active_after=5, monthly_bill_before=100.5)  # type: ignore[arg-type]
    assert info.value.field == "monthly_bill_before"
    with pytest.raises(InvalidArgument) as bad:
        manual_cases_saving(kmd_sag=1, kmd_sag_journal="-1")
    assert bad.value.field == "kmd_sag_journal"


@given(st.integers(1, 10**6), st.integers(0, 10**6), st.decimals(0, 10**6, places=2))
def test_saving_is_monotone_in_cases_removed(before: int, after: int, bill: Decimal) -> None:
    s = estimate_savings(active_before=before, active_after=after, monthly_bill_before=bill)
    fewer = estimate_savings(active_before=before, active_after=max(after - 1, 0),
                             monthly_bill_before=bill)
    assert fewer.monthly >= s.monthly
    if after <= before:
        assert s.monthly >= 0
    else:
        assert s.monthly <= 0
        assert (s.monthly < 0) == bool(s.findings)


# --- mass-close candidates --------------------------------------------------------

def test_mass_close_candidates() -> None:
    as_of = D(2014, 6, 25)
    cases = [
        case("R-1", kle="16.16.02", citizen=None),                      # retired KLE
        case("R-2", kle="16.16.02", citizen=BOB),                       # retired KLE
        case("R-3", kle="16.16.02", closed=D(2014, 2, 1)),              # already closed
        case("R-4", kle="16.16.02", origin=Origin.SYSTEM, citizen=None),  # system case
        case("V-1", origin=Origin.CONVERTED, opened=D(2009, 5, 4), kle="23.05.00"),
        case("V-2", origin=Origin.CONVERTED, opened=D(2009, 6, 25), kle="23.05.00"),
        case("M-1", kle="27.60.04"),                                    # manual twin
        case("S-1", kle="27.60.04", origin=Origin.SYSTEM),
        case("M-2", kle="27.60.00"),                                    # no twin
    ]
    found = find_mass_close_candidates(cases, as_of=as_of, retired_kle=["16.16.02"],
                                       price_per_case="0.2711")
    assert [(f.code, f.subjects) for f in found] == [
        ("CM404", ("R-1", "R-2")),
        ("CM405", ("V-1",)),
        ("CM406", ("M-1", "S-1")),
    ]
    assert found[0].details["amount"] == Decimal("0.54")
    assert "saves 0.54 kr a month" in found[0].message
    assert found[1].details["cutoff"] == D(2009, 6, 25)
    no_price = find_mass_close_candidates(cases, as_of=as_of, retired_kle=["16.16.02"])
    assert no_price[0].details["amount"] is None


@pytest.mark.parametrize(("field", "call"), [
    ("suspicious_kle", lambda kle: classify_cleanup(case(), suspicious_kle=kle)),
    ("suspicious_kle", lambda kle: estimate_cleanup([case()], suspicious_kle=kle)),
    ("retired_kle", lambda kle: find_mass_close_candidates([case()], as_of=D(2014, 1, 1),
                                                           retired_kle=kle)),
])
def test_kle_arguments_are_refused_under_their_own_field(field: str, call: Any) -> None:
    with pytest.raises(InvalidKLE) as info:
        call(["27.60"])
    assert info.value.field == field
    with pytest.raises(InvalidType) as type_info:
        call([27.6])
    assert type_info.value.field == field
    with pytest.raises(InvalidType) as lone:
        call("27.60.00")
    assert lone.value.field == field


def test_mass_close_bad_input() -> None:
    with pytest.raises(InvalidType):
        find_mass_close_candidates([case()], as_of=D(2014, 1, 1), retired_kle="16.16.02")
    with pytest.raises(InvalidArgument):
        find_mass_close_candidates([case()], as_of=D(2014, 1, 1), stale_after_years=-1)
