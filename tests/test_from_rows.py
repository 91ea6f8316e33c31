"""Case.from_rows and Service.from_rows: the same records, and errors naming the row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casemigrate import (
    CPR,
    Case,
    CaseMigrateError,
    InvalidCPR,
    InvalidRecord,
    InvalidType,
    Service,
)
from casemigrate.testing import cases as case_strategy
from casemigrate.testing import services as service_strategy

D = dt.date


def case_row(c: Case) -> tuple[Any, ...]:
    return (c.case_id, c.municipality.code, None if c.citizen is None else c.citizen.unmasked(),
            c.system, c.opened, c.closed)


def service_row(s: Service) -> tuple[Any, ...]:
    return (s.service_id, s.municipality.code,
            None if s.citizen is None else s.citizen.unmasked(), s.code,
            tuple(sorted(s.target_groups)), s.start, s.end, s.system)


@given(st.lists(case_strategy(), max_size=20))
def test_cases_from_rows_equal_the_constructor(expected: list[Case]) -> None:
    built = Case.from_rows([case_row(c) for c in expected])
    assert built == [
        Case(case_id=c.case_id, municipality=c.municipality, citizen=c.citizen, system=c.system,
             opened=c.opened, closed=c.closed) for c in expected]


@given(st.lists(service_strategy(), max_size=20))
def test_services_from_rows_equal_the_constructor(expected: list[Service]) -> None:
    assert Service.from_rows([service_row(s) for s in expected]) == expected


def test_every_row_shape() -> None:
    full = ("S-1", 607, "211062-1234", "Old", D(2020, 1, 6), None, "27.60.00", "G01",
            "manual", "Klage", "ab", "Ældre")
    short = ["S-2", "607", "211062-1234", "Old", D(2020, 1, 6)]
    mapping = {"case_id": "S-3", "municipality": 607, "citizen": None, "system": "Old",
               "opened": D(2020, 1, 6)}
    built = Case.from_rows([full, short, mapping])
    assert [c.case_id for c in built] == ["S-1", "S-2", "S-3"]
    assert built[0].kle is not None and built[0].title == "Klage"
    assert built[1].municipality.code == 607
    # one CPR object per distinct string within a call, whichever path a row takes
    same = Case.from_rows([("A", 607, "211062-1234", "Old", D(2020, 1, 6), None),
                           ("B", 607, "211062-1234", "Never seen", D(2020, 1, 6), None),
                           {"case_id": "C", "municipality": 607, "citizen": "211062-1234",
                            "system": "Old", "opened": D(2020, 1, 6)}])
    assert same[0].citizen is same[1].citizen is same[2].citizen


@pytest.mark.parametrize(
    ("rows", "error", "field"),
    [
        ([("S", 607, "321062-1234", "Old", D(2020, 1, 6), None)], InvalidCPR, "rows[0].citizen"),
        ([("S", 607, None, "Old", D(2020, 1, 6), None),
          ("T", 607, None, "Old", D(2020, 1, 6), D(2019, 1, 1))], InvalidRecord,
         "rows[1].closed"),
        ([("S", 411, None, "Old", D(2020, 1, 6), None)], CaseMigrateError, "rows[0].municipality"),
        ([("", 607, None, "Old", D(2020, 1, 6), None)], InvalidRecord, "rows[0].case_id"),
        ([("S", 607, None, "Old", "2020-01-06", None)], InvalidType, "rows[0].opened"),
        ([("S", 607, None, "Old", D(2020, 1, 6), None, None, None, "system", "", None, None,
           "extra")], InvalidRecord, "rows[0]"),
        (["S,607"], InvalidType, "rows[0]"),
        ([42], InvalidType, "rows[0]"),
        ("not rows", InvalidType, "rows"),
    ],
)
def test_errors_name_the_row_and_field(rows: Any, error: type[Exception], field: str) -> None:
    with pytest.raises(error) as info:
        Case.from_rows(rows)
    assert info.value.field == field  # type: ignore[attr-defined]
    assert "1234" not in str(info.value)


def test_service_rows_errors() -> None:
    with pytest.raises(InvalidRecord) as info:
        Service.from_rows([("Y", 607, "211062-1234", "SEL85", ("1.1",), D(2021, 6, 1),
                            D(2021, 5, 1), "Old")])
    assert info.value.field == "rows[0].end"
    with pytest.raises(InvalidType) as type_info:
        Service.from_rows([("Y", 607, 2110621234, "SEL85", ("1.1",), D(2021, 6, 1), None, "Old")])
    assert type_info.value.field == "rows[0].citizen"


@pytest.mark.parametrize("groups", [([1],), ("1.1", None), "1.1", 5])
def test_bad_target_groups_in_a_fast_row(groups: Any) -> None:
    # The first row teaches the caches its code and system, so the second takes the
    # fast path: it must still refuse bad target groups with a casemigrate error.
    good = ("Y0", 607, None, "SEL85", ("1.1",), D(2021, 6, 1), None, "Old")
    with pytest.raises(InvalidType) as info:
        Service.from_rows([good, ("Y1", 607, None, "SEL85", groups, D(2021, 6, 1), None, "Old")])
    assert info.value.field == "rows[1].target_groups"


def test_cpr_objects_are_not_shared_between_calls() -> None:
    row = ("A", 607, "211062-1234", "Old", D(2020, 1, 6), None)
    first, second = Case.from_rows([row]), Case.from_rows([row])
    assert first[0].citizen == second[0].citizen == CPR("211062-1234")
    assert first[0].citizen is not second[0].citizen  # the cache lived only for the call
