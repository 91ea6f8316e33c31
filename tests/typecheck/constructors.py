"""What the type checker accepts of the records' constructors (checked by mypy, never run).

``tests/test_typing.py`` runs mypy over this file with ``warn_unused_ignores``: each
``# type: ignore[arg-type]`` asserts that the call is refused, and a call the checker
stopped refusing fails the test as an unused ignore. ``assert_type`` pins what comes out.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_type

from casemigrate import (
    CPR,
    KLE,
    Case,
    CaseGroup,
    CutoverPlan,
    Delivery,
    LoadPreference,
    Municipality,
    Register,
    Service,
    WorkingDays,
)


def accepted(services: list[Service], calendar: WorkingDays) -> None:
    """Every field given as a value of a type its constructor accepts."""
    case = Case(case_id="S-1", municipality=607, citizen="211062-1234", system="Old",
                opened=dt.date(2020, 1, 6), kle="32.18.12", origin="manual")
    assert_type(case.municipality, Municipality)
    assert_type(case.citizen, CPR | None)
    Service(service_id="Y-1", municipality="607", citizen=None, code=None,
            target_groups=["1.2.2.1"], start=None, system="Old")
    delivery = Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
                        sent=dt.date(2026, 3, 1), services=services)
    assert_type(delivery.sent, dt.datetime)
    assert_type(delivery.services, tuple[Service, ...])
    plan = CutoverPlan(municipality=607, register="smdb",
                       old_system="Old", new_system="New", cutover=dt.date(2026, 6, 1),
                       cutover_chosen=None, agreement_made=dt.date(2026, 1, 5),
                       notify_within_working_days=5, done={"review_open_courses":
                                                           dt.date(2026, 4, 1)},
                       calendar=calendar)
    assert_type(plan.register, Register)
    group = CaseGroup(name="PPR", kle=KLE("17.03.04"), active_cases=3, passive_cases=0,
                      early_mover_kind=True, users_mature=None,
                      load_preference=LoadPreference.SPREAD)
    assert_type(group.load_preference, LoadPreference | None)
    CaseGroup(name="PPR", kle="17.03.04", load_preference="peak")


def refused() -> None:
    """Each call passes one field a value of a type its constructor does not accept."""
    Case(case_id=1, municipality=607, citizen=None, system="Old",  # type: ignore[arg-type]
         opened=dt.date(2020, 1, 6))
    Case(case_id="S-1", municipality=607, citizen=None, system="Old",
         opened="2020-01-06")  # type: ignore[arg-type]
    Service(service_id="Y-1", municipality=607, citizen=None, code=None, target_groups=[],
            start=dt.date(2021, 6, 1), end="open", system="Old")  # type: ignore[arg-type]
    Delivery(delivery_id=1, name="L402", system="New",  # type: ignore[arg-type]
             municipality=607, sent=dt.datetime(2026, 3, 1))
    Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
             sent="yesterday")  # type: ignore[arg-type]
    Delivery(delivery_id="D1", name="L402", system="New", municipality=607,
             sent=dt.datetime(2026, 3, 1), services=[1, 2])  # type: ignore[list-item]
    Delivery(delivery_id="D1", name="L402", system="New", municipality=2.5,  # type: ignore[arg-type]
             sent=dt.datetime(2026, 3, 1))
    CutoverPlan(municipality=607, register=1, old_system="Old",  # type: ignore[arg-type]
                new_system="New", cutover=dt.date(2026, 6, 1))
    CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                cutover="2026-06-01")  # type: ignore[arg-type]
    CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                cutover=dt.date(2026, 6, 1), dst_notified="today")  # type: ignore[arg-type]
    CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                cutover=dt.date(2026, 6, 1), notify_within_working_days="5")  # type: ignore[arg-type]
    CutoverPlan(municipality=607, register="smdb", old_system=None,  # type: ignore[arg-type]
                new_system="New", cutover=dt.date(2026, 6, 1))
    CaseGroup(name="PPR", active_cases="3")  # type: ignore[arg-type]
    CaseGroup(name="PPR", early_mover_kind="yes")  # type: ignore[arg-type]
    CaseGroup(name=None)  # type: ignore[arg-type]
    CaseGroup(name="PPR", load_preference=1)  # type: ignore[arg-type]
