from __future__ import annotations

import datetime as dt

import pytest

from casemigrate import (
    Case,
    ConversionMethod,
    InvalidArgument,
    InvalidType,
    plan_conversion,
)

D = dt.date


def cases(active: int, passive: int) -> list[Case]:
    made = [Case(case_id=f"A-{i:03d}", municipality=607, citizen=None, system="KMD Sag",
                 opened=D(2024, 1, 1)) for i in range(active)]
    made += [Case(case_id=f"P-{i:03d}", municipality=607, citizen=None, system="KMD Sag",
                  opened=D(2020, 1, 1), closed=D(2021, 1, 1)) for i in range(passive)]
    return made[::-1]


KW: dict[str, object] = {"method": ConversionMethod.MANUAL, "minutes_per_case": (10, 20),
                         "staff": 2, "hours_per_day": 3, "start": D(2026, 3, 2)}


def test_active_only() -> None:
    plan = plan_conversion(cases(30, 10), include_passive=False, **KW)  # type: ignore[arg-type]
    assert [c.case_id for c in plan.selected][:2] == ["A-000", "A-001"]
    assert len(plan.selected) == 30
    assert plan.left_behind[0].case.case_id == "P-000"
    assert all("stays reachable in the old system" in item.reason for item in plan.left_behind)
    assert plan.minimum_content == ("basic information", "intervention")
    assert "first follow-up" in plan.later_content
    # 30 cases x 10-20 min = 300-600 min = 5-10 h; 2 people x 3 h = 360 min a day.
    assert (plan.low_hours, plan.high_hours) == (5.0, 10.0)
    s = plan.schedule
    assert (s.working_days_low, s.working_days_high) == (1, 2)
    assert (s.earliest_finish, s.latest_finish) == (D(2026, 3, 2), D(2026, 3, 3))
    assert [(f.code, f.details["count"]) for f in plan.findings] == [("CM502", 10)]


def test_passive_too_and_partly_automatic() -> None:
    plan = plan_conversion(cases(30, 10), include_passive=True,
                           **{**KW, "method": ConversionMethod.PARTLY_AUTOMATIC})  # type: ignore[arg-type]
    assert len(plan.selected) == 40
    assert plan.left_behind == ()
    assert [(f.code, f.details["count"]) for f in plan.findings] == [("CM501", 40)]


@pytest.mark.parametrize(
    ("overrides", "error", "field"),
    [({"staff": 0}, InvalidArgument, "staff"),
     ({"staff": -2}, InvalidArgument, "staff"),
     ({"hours_per_day": 0}, InvalidArgument, "hours_per_day"),
     ({"minutes_per_case": (20, 10)}, InvalidArgument, "minutes_per_case"),
     ({"minutes_per_case": (0, 10)}, InvalidArgument, "minutes_per_case"),
     ({"minutes_per_case": 15}, InvalidType, "minutes_per_case"),
     ({"method": "manual"}, InvalidType, "method"),
     ({"include_passive": "yes"}, InvalidType, "include_passive"),
     ({"start": "2026-03-02"}, InvalidType, "start")],
)
def test_bad_input_names_the_argument(overrides: dict[str, object], error: type[Exception],
                                      field: str) -> None:
    kwargs = {"include_passive": False, **KW, **overrides}
    with pytest.raises(error) as info:
        plan_conversion(cases(1, 1), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]
