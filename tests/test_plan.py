from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    CutoverPlan,
    Finding,
    InvalidPlan,
    InvalidRecord,
    InvalidType,
    Milestone,
    Register,
    check_plan,
    plan_timeline,
)
from casemigrate.workdays import is_working_day

D = dt.date


def smdb(**overrides: object) -> CutoverPlan:
    fields: dict[str, object] = {
        "municipality": 607, "register": Register.SMDB, "old_system": "Old",
        "new_system": "New", "cutover": D(2026, 6, 1),
    }
    fields.update(overrides)
    return CutoverPlan(**fields)  # type: ignore[arg-type]


def handicap(**overrides: object) -> CutoverPlan:
    return smdb(register=Register.HANDICAP, **overrides)


def windows(plan: CutoverPlan) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    return {m.key: (m.earliest, m.latest) for m in plan_timeline(plan)}


def test_smdb_timeline_for_a_monday_cutover() -> None:
    # C = Monday 2026-06-01. C-3m = Sun 1 Mar -> start Mon 2 Mar; C-2m = Wed 1 Apr;
    # C-1m = Fri 1 May (a day off) -> Thu 30 Apr; C-2w = Mon 18 May;
    # C-1w = Whit Monday 25 May -> Fri 22 May; C+2w = Mon 15 Jun.
    assert windows(smdb()) == {
        "notify_dst": (None, D(2026, 4, 1)),
        "choose_cutover": (D(2026, 3, 2), D(2026, 4, 1)),
        "close_old_reporting": (None, D(2026, 5, 29)),
        "review_open_courses": (None, D(2026, 4, 30)),
        "delete_active_courses": (D(2026, 5, 18), D(2026, 5, 22)),
        "rereport_active_courses": (D(2026, 6, 1), D(2026, 6, 15)),
    }


def test_smdb_timeline_month_ends_clamp() -> None:
    # C = 2026-05-29 (Friday): C-3m = 28 Feb 2026 is a Saturday -> Mon 2 Mar,
    # C-2m = Sun 29 Mar -> Fri 27 Mar.
    w = windows(smdb(cutover=D(2026, 5, 29)))
    assert w["choose_cutover"] == (D(2026, 3, 2), D(2026, 3, 27))


def test_handicap_timeline() -> None:
    assert windows(handicap()) == {
        "notify_dst": (None, D(2026, 5, 29)),
        "correct_closed_services": (None, None),
        "recreate_active_services": (None, None),
        "keep_old_reporting_until_new_works": (D(2026, 6, 1), None),
        "first_production_delivery": (D(2026, 6, 1), None),
    }


def test_timeline_renders_as_table_and_rows() -> None:
    timeline = plan_timeline(smdb(done={"review_open_courses": D(2026, 4, 20)}))
    text = str(timeline)
    assert "SMDB cutover for 607 Fredericia: Old -> New on 2026-06-01 (Monday)" in text
    assert "Have all active contact courses deleted" in text
    assert "2026-05-18" in text
    rows = timeline.to_rows()
    assert rows[0]["key"] == "notify_dst"
    assert rows[3] == {
        "key": "review_open_courses", "title": "Review citizens with open contact courses",
        "earliest": None, "latest": "2026-04-30", "done": "2026-04-20",
        "citation": 'Danmarks Statistik, "Systemskifte i SMDB", trin 2 "Gennemgå alle borgere '
                    'med åbne kontaktforløb – 1 måned før systemskiftet": "I god tid inden '
                    'skæringsdatoen bør I derfor gennemgå alle borgere med åbne kontaktforløb."',
    }
    assert len(timeline) == 6
    with pytest.raises(KeyError):
        timeline["nope"]


def codes(plan: CutoverPlan, as_of: dt.date) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.code, f.subjects) for f in check_plan(plan, as_of=as_of)]


def test_a_plan_on_track_has_no_findings() -> None:
    plan = smdb(cutover_chosen=D(2026, 3, 10), dst_notified=D(2026, 2, 1))
    assert codes(plan, D(2026, 4, 1)) == []


def test_cutover_chosen_late_boundary() -> None:
    # The latest day to choose is 2026-04-01: on it is fine, a day later is late.
    assert codes(smdb(cutover_chosen=D(2026, 4, 1), dst_notified=D(2026, 1, 5)),
                 D(2026, 4, 1)) == []
    assert codes(smdb(cutover_chosen=D(2026, 4, 2), dst_notified=D(2026, 1, 5)),
                 D(2026, 4, 2)) == [("CM101", ("choose_cutover",))]


def test_dst_notification() -> None:
    assert ("CM102", ("notify_dst",)) in codes(smdb(), D(2026, 1, 1))
    late = check_plan(smdb(dst_notified=D(2026, 5, 4), cutover_chosen=D(2026, 3, 2)),
                      as_of=D(2026, 5, 4))
    assert [(f.code, f.details["latest"]) for f in late if f.code in ("CM103", "CM106")] == [
        ("CM103", D(2026, 4, 1)), ("CM106", D(2026, 4, 30)),
    ]
    # Told after the cutover date was chosen on 2026-03-02: not planned with DST.
    assert [f.code for f in late if f.code == "CM109"] == ["CM109"]
    after = codes(handicap(dst_notified=D(2026, 6, 1)), D(2026, 5, 1))
    assert after == [("CM104", ("notify_dst",))]
    # Handicap: notifying on the last working day before the cutover is in time.
    assert codes(handicap(dst_notified=D(2026, 5, 29)), D(2026, 5, 1)) == []


def test_smdb_old_reporting_must_close_before_cutover() -> None:
    base = {"dst_notified": D(2026, 1, 5), "cutover_chosen": D(2026, 3, 2)}
    on = codes(smdb(old_reporting_closed=D(2026, 6, 1), **base), D(2026, 3, 3))
    assert on == [("CM105", ("close_old_reporting",))]
    assert codes(smdb(old_reporting_closed=D(2026, 5, 31), **base), D(2026, 3, 3)) == []
    # HANDICAP: the old system keeps reporting; closing it late is no error.
    assert codes(handicap(old_reporting_closed=D(2026, 7, 1), dst_notified=D(2026, 1, 5)),
                 D(2026, 3, 3)) == []


def test_overdue_and_late_milestones() -> None:
    plan = smdb(dst_notified=D(2026, 1, 5), cutover_chosen=D(2026, 3, 2),
                done={"review_open_courses": D(2026, 5, 4)})
    found = codes(plan, D(2026, 5, 25))
    assert found == [
        ("CM106", ("delete_active_courses",)),
        ("CM108", ("review_open_courses",)),
    ]
    # On the latest day itself nothing is overdue yet.
    assert ("CM106", ("delete_active_courses",)) not in codes(plan, D(2026, 5, 22))


def test_cutover_on_a_holiday() -> None:
    found = check_plan(smdb(cutover=D(2026, 5, 14), dst_notified=D(2026, 1, 5),
                            cutover_chosen=D(2026, 3, 2)), as_of=D(2026, 1, 6))
    assert [(f.code, f.details["why"]) for f in found] == [("CM107", "Ascension Day")]


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [
        ({"new_system": "OLD "}, InvalidPlan, "new_system"),
        ({"cutover_chosen": D(2026, 6, 2)}, InvalidPlan, "cutover_chosen"),
        ({"done": {"notify_dst": D(2026, 1, 1)}}, InvalidPlan, "done"),
        ({"done": {"recreate_active_services": D(2026, 1, 1)}}, InvalidPlan, "done"),
        ({"done": {"review_open_courses": "2026-01-01"}}, InvalidType, "done"),
        ({"done": [("review_open_courses", D(2026, 1, 1))]}, InvalidType, "done"),
        ({"register": "dst"}, InvalidPlan, "register"),
        ({"cutover": None}, InvalidRecord, "cutover"),
        ({"calendar": "lenient"}, InvalidType, "calendar"),
    ],
)
def test_plan_rejects_what_cannot_be_a_plan(
    overrides: dict[str, object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as info:
        smdb(**overrides)
    assert info.value.field == field  # type: ignore[attr-defined]


def test_cutover_chosen_on_the_cutover_is_allowed_but_late() -> None:
    plan = smdb(cutover_chosen=D(2026, 6, 1), dst_notified=D(2026, 1, 5))
    assert ("CM101", ("choose_cutover",)) in codes(plan, D(2026, 6, 1))


# Mondays in weeks without holidays anywhere near: shifting by whole weeks keeps the
# shape of the timeline, and so the findings' dates shift by the same amount.
QUIET_MONDAYS = [D(2026, 9, 7), D(2026, 9, 14), D(2026, 10, 5), D(2026, 10, 12),
                 D(2027, 9, 6), D(2027, 10, 4)]


@given(st.sampled_from(QUIET_MONDAYS), st.integers(0, 3))
def test_shifting_by_weeks_shifts_the_timeline(cutover: dt.date, weeks: int) -> None:
    shift = dt.timedelta(weeks=weeks)
    a = plan_timeline(smdb(cutover=cutover))
    b = plan_timeline(smdb(cutover=cutover + shift))
    for ma, mb in zip(a, b, strict=True):
        if ma.key in ("choose_cutover", "notify_dst", "review_open_courses"):
            continue  # month arithmetic does not shift by weeks
        assert (mb.earliest, mb.latest) == (
            None if ma.earliest is None else ma.earliest + shift,
            None if ma.latest is None else ma.latest + shift,
        )


@given(st.dates(D(2024, 1, 1), D(2030, 12, 31)), st.sampled_from(list(Register)))
def test_every_bound_is_a_working_day(cutover: dt.date, register: Register) -> None:
    for milestone in plan_timeline(smdb(cutover=cutover, register=register)):
        for day in (milestone.earliest, milestone.latest):
            assert day is None or is_working_day(day)
        if milestone.earliest and milestone.latest:
            assert milestone.earliest <= milestone.latest


@given(st.sampled_from(QUIET_MONDAYS), st.integers(0, 3), st.integers(1, 60))
def test_plan_findings_move_with_the_dates(cutover: dt.date, weeks: int, before: int) -> None:
    """A plan and its checking day shifted by whole weeks give the same findings, with
    their dates shifted alike (milestones by weeks only: month windows do not shift)."""
    shift = dt.timedelta(weeks=weeks)
    as_of = cutover - dt.timedelta(days=before)
    done = {"delete_active_courses": cutover - dt.timedelta(days=3)}
    weekly = {"close_old_reporting", "delete_active_courses", "rereport_active_courses",
              "cutover"}

    def by_weeks(findings: tuple[Finding, ...]) -> list[Finding]:
        return [f for f in findings if f.subjects and f.subjects[0] in weekly]

    a = by_weeks(check_plan(smdb(cutover=cutover, done=done), as_of=as_of))
    b = by_weeks(check_plan(smdb(cutover=cutover + shift,
                                 done={k: d + shift for k, d in done.items()}),
                            as_of=as_of + shift))
    assert [(f.code, f.subjects) for f in a] == [(f.code, f.subjects) for f in b]
    for fa, fb in zip(a, b, strict=True):
        if "latest" in fa.details:
            assert fb.details["latest"] == fa.details["latest"] + shift


def test_the_timeline_and_check_follow_the_plans_own_calendar() -> None:
    """Every window moves by the plan's calendar, not the default one: a latest date,
    an earliest date, the day before the cutover, the working days after the agreement,
    and the cutover's own day off (CM107 in both languages)."""
    from casemigrate.workdays import WorkingDays

    closed = WorkingDays(extra_days_off=[D(2026, 4, 1), D(2026, 3, 2), D(2026, 5, 29),
                                         D(2026, 1, 28), D(2026, 6, 1)])
    plan = smdb(calendar=closed, agreement_made=D(2026, 1, 26))
    assert windows(plan) == windows(smdb(agreement_made=D(2026, 1, 26))) | {
        "notify_dst": (D(2026, 1, 26), D(2026, 2, 3)),  # 28 January is off
        "choose_cutover": (D(2026, 3, 3), D(2026, 3, 31)),  # 2 March and 1 April are off
        "close_old_reporting": (None, D(2026, 5, 28)),  # 29 May is off
        "rereport_active_courses": (D(2026, 6, 2), D(2026, 6, 15)),  # the cutover is off
    }
    (cm107,) = [f for f in check_plan(plan, as_of=D(2026, 1, 2)) if f.code == "CM107"]
    assert cm107.subjects == ("cutover",)
    assert cm107.message == (
        "the cutover 2026-06-01 is not a working day (a day off of the calendar)")
    assert cm107.message_in("da") == (
        "skæringsdatoen 2026-06-01 er ikke en arbejdsdag (en fridag i kalenderen)")


def test_the_cutover_lies_from_year_2_to_the_last_day_of_9998() -> None:
    assert plan_timeline(smdb(cutover=D(9998, 12, 31)))["choose_cutover"].latest is not None
    with pytest.raises(InvalidPlan, match=r"^cutover: 9999-01-01 leaves no room for the "
                                          r"timeline: a cutover lies from 0002-01-01 to "
                                          r"9998-12-31$"):
        smdb(cutover=D(9999, 1, 1))


@pytest.mark.parametrize(("value", "error", "message"), [
    ({"done": ["x"]}, InvalidType,
     "done: expected a mapping of milestone key to date, got list"),
    ({"done": {1: D(2026, 1, 1)}}, InvalidType, "done: keys must be milestone keys, got int"),
    ({"calendar": "lenient"}, InvalidType, "calendar: expected WorkingDays, got str"),
    ({"cutover_chosen": D(2026, 6, 2)}, InvalidPlan,
     "cutover_chosen: 2026-06-02 is after the cutover 2026-06-01: a cutover cannot be chosen "
     "after it happened"),
    ({"done": {"nope": D(2026, 1, 1)}}, InvalidPlan,
     "done: 'nope' is not a SMDB milestone; expected one of ['review_open_courses', "
     "'delete_active_courses', 'rereport_active_courses']"),
])
def test_a_bad_plan_field_is_named_with_what_was_wrong(
    value: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        smdb(**value)
    assert str(raised.value) == message


def test_a_milestone_reads_in_english_unless_asked_for_danish() -> None:
    milestone = plan_timeline(smdb())["delete_active_courses"]
    assert milestone.title_in() == "Have all active contact courses deleted"
    row = milestone.to_row()
    assert (row["title"], row["earliest"], row["latest"]) == (
        "Have all active contact courses deleted", "2026-05-18", "2026-05-22")
    assert row["citation"] == milestone.source.in_language("en")
    # A milestone of the library's own policy cites it in the language asked for.
    from casemigrate.sources import POLICY

    own = Milestone(key="k", title="T", title_da="Tda", earliest=None, latest=None,
                    source=POLICY.cite("working-days", "A working day"))
    assert own.to_row("da")["citation"].startswith("casemigrates politik (docs/policies.md)")
    assert own.to_row()["citation"].startswith("casemigrate policy (docs/policies.md)")
    with pytest.raises(KeyError) as raised:
        plan_timeline(smdb())["nope"]
    assert raised.value.args == ("nope",)


def test_dst_findings_carry_the_plans_values() -> None:
    (cm102,) = [f for f in check_plan(smdb(), as_of=D(2026, 1, 5)) if f.code == "CM102"]
    assert cm102.message == "DST has not been notified of the change to New (cutover 2026-06-01)"
    late = check_plan(smdb(dst_notified=D(2026, 6, 3)), as_of=D(2026, 6, 3))
    (cm104,) = [f for f in late if f.code == "CM104"]
    assert cm104.message == "DST was notified on 2026-06-03, on or after the cutover 2026-06-01"


def test_notify_dst_is_never_overdue_as_a_milestone() -> None:
    """CM102 says DST was not told; CM106 does not say it again."""
    found = check_plan(smdb(), as_of=D(2026, 5, 1))
    assert [f.subjects for f in found if f.code == "CM106"] == [
        ("choose_cutover",), ("review_open_courses",)]
    assert "notify_dst" in [s for f in found for s in f.subjects]


def test_cm108_names_the_milestone_its_day_and_its_source() -> None:
    plan = smdb(done={"review_open_courses": D(2026, 5, 20)})
    (cm108,) = [f for f in check_plan(plan, as_of=D(2026, 5, 20)) if f.code == "CM108"]
    assert cm108.message == (
        "'Review citizens with open contact courses' was done on 2026-05-20, after its latest "
        "date 2026-04-30")  # 1 May is a day off
    assert cm108.details["source"] == (plan_timeline(plan)["review_open_courses"].source,)
