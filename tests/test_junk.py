"""Junk-input sweep: every public constructor raises a casemigrate exception on junk."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pytest

from casemigrate import CPR, KLE, Case, CaseMigrateError, Delivery, Facet, Service, municipality

JUNK: list[Any] = [
    None, 0, -1, 1.5, float("nan"), "", " ", "😀", "\x00", "x" * 100_000, b"bytes",
    [], {}, object(), dt.datetime(2020, 1, 1), True, ([1],), (None,), frozenset({1}),
]

GOOD_CASE = {"case_id": "S-1", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 6)}
GOOD_SERVICE = {"service_id": "Y-1", "municipality": 607, "citizen": "211062-1234",
                "code": "SEL107", "target_groups": {"1.2.2.1"},
                "start": dt.date(2021, 6, 1), "system": "Old"}
GOOD_DELIVERY = {"delivery_id": "D1", "name": "L402", "system": "New",
                 "municipality": 607, "sent": dt.date(2026, 3, 1)}

def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _midnight(value: Any) -> bool:
    """A datetime at midnight is its date (docs/edge-values.md)."""
    return isinstance(value, dt.datetime) and value.time() == dt.time(0)


# Fields where some junk is a legitimate value (None for optional fields, etc.)
ALLOWED: dict[str, Callable[[Any], bool]] = {
    "citizen": _missing,
    "code": lambda v: _missing(v) or v == "",
    "start": lambda v: _missing(v) or _midnight(v),
    "opened": _midnight,
    "target_groups": lambda v: _missing(v) or (isinstance(v, list | dict) and not v),
    "services": lambda v: isinstance(v, list | dict) and not v,
    "sent": lambda v: isinstance(v, dt.datetime),
}


def _sweep(factory: Callable[..., object], good: dict[str, Any]) -> list[tuple[str, Any]]:
    cases = []
    for field in good:
        for junk in JUNK:
            if field in ALLOWED and ALLOWED[field](junk):
                continue
            cases.append((field, junk))
    return cases


@pytest.mark.parametrize(("field", "junk"), _sweep(Case, GOOD_CASE))
def test_case_junk(field: str, junk: Any) -> None:
    with pytest.raises(CaseMigrateError) as info:
        Case(**{**GOOD_CASE, field: junk})
    assert info.value.field == field


@pytest.mark.parametrize(("field", "junk"), _sweep(Service, GOOD_SERVICE))
def test_service_junk(field: str, junk: Any) -> None:
    with pytest.raises(CaseMigrateError) as info:
        Service(**{**GOOD_SERVICE, field: junk})
    assert info.value.field == field


@pytest.mark.parametrize(("field", "junk"), _sweep(Delivery, GOOD_DELIVERY))
def test_delivery_junk(field: str, junk: Any) -> None:
    with pytest.raises(CaseMigrateError) as info:
        Delivery(**{**GOOD_DELIVERY, field: junk})
    assert info.value.field == field


@pytest.mark.parametrize("junk", JUNK)
@pytest.mark.parametrize("factory", [CPR, KLE, Facet, municipality])
def test_identifier_junk(factory: Callable[[Any], object], junk: Any) -> None:
    with pytest.raises(CaseMigrateError):
        factory(junk)


def _acceptable_text(field: str, junk: Any) -> bool:
    """Free text takes any short string; names take any non-blank one but symbols."""
    if field not in ("caseworker", "organisation", "title") or not isinstance(junk, str):
        return False
    if field == "title":
        return len(junk) <= 1000
    return junk == ""


@pytest.mark.parametrize("junk", JUNK)
def test_optional_case_fields_junk(junk: Any) -> None:
    for field in ("closed", "kle", "facet", "origin", "caseworker", "organisation", "title"):
        if _missing(junk) or _acceptable_text(field, junk):
            continue
        if field == "closed" and _midnight(junk):
            continue
        with pytest.raises(CaseMigrateError) as info:
            Case(**{**GOOD_CASE, field: junk})
        assert info.value.field == field
