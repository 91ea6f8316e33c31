"""The realistic-values grid: what a pandas frame or an extract really holds, to everything.

Every public constructor and rule function gets, in every argument, the values real
data holds: pandas NA and NaT, numpy scalars, Timestamps, NaN and infinities, the first
and last dates Python can hold, surrogates, NUL, huge numbers and one-shot generators.
Each call either gives an answer or raises a casemigrate exception, never anything
else. The pandas and numpy values are left out where those packages are missing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

import casemigrate as cm
from casemigrate.identifiers import facet, kle_number
from tests.test_junk_functions import CALLS, _invoke


def _one_shot() -> Iterator[object]:
    yield from ()


def realistic_values() -> list[Any]:
    values: list[Any] = [
        None, float("nan"), float("inf"), -0.0, 10**30, -(10**30), Decimal("NaN"),
        Decimal("sNaN"), Decimal("1E+30"), Decimal("1E-30"), dt.date.min, dt.date.max,
        dt.datetime.min, dt.datetime.max, dt.datetime(2026, 6, 1, 9, 30),
        dt.datetime(2026, 6, 1), "\ud800", "a\x00b", "2110621234", "211062-1234", "False",
        " ", "", "٠١", "x" * 5000, _one_shot(), iter([1]), True, False, (), frozenset(),
    ]
    try:
        import numpy as np
    except ImportError:
        pass
    else:
        values += [np.int64(607), np.int32(5), np.float64("nan"), np.float32(1.5),
                   np.True_, np.False_, np.datetime64("NaT"), np.datetime64("2026-06-01"),
                   np.datetime64("2026-06-01T09:30"), np.str_("Old"), np.array([1, 2])]
    try:
        import pandas as pd
    except ImportError:
        pass
    else:
        values += [pd.NA, pd.NaT, pd.Timestamp("2026-06-01"),
                   pd.Timestamp("2026-06-01 09:30"),
                   pd.Timestamp("2026-06-01", tz="Europe/Copenhagen"), pd.Series([1])]
    return values


def _answers_or_refuses(call: Any) -> None:
    with contextlib.suppress(cm.CaseMigrateError):
        call()


@pytest.mark.parametrize(("name", "argument"),
                         [(name, argument) for name, (_, arguments) in CALLS.items()
                          for argument in arguments])
def test_every_function_answers_or_refuses_realistic_values(name: str, argument: str) -> None:
    for value in realistic_values():
        arguments = {**CALLS[name][1], argument: value}
        _answers_or_refuses(lambda arguments=arguments: _invoke(name, arguments))


GOOD: dict[str, dict[str, Any]] = {
    "Case": {"case_id": "S-1", "municipality": 607, "citizen": "211062-1234",
             "system": "Old", "opened": dt.date(2020, 1, 6), "closed": None, "kle": None,
             "facet": None, "origin": "manual", "title": "", "caseworker": None,
             "organisation": None},
    "Service": {"service_id": "Y-1", "municipality": 607, "citizen": "211062-1234",
                "code": "SEL107", "target_groups": {"1.1"}, "start": dt.date(2021, 6, 1),
                "end": None, "system": "Old"},
    "Delivery": {"delivery_id": "D1", "name": "L402", "system": "New", "municipality": 607,
                 "sent": dt.date(2026, 3, 1), "services": ()},
    "CutoverPlan": {"municipality": 607, "register": "smdb", "old_system": "Old",
                    "new_system": "New", "cutover": dt.date(2026, 6, 1),
                    "cutover_chosen": None, "dst_notified": None,
                    "old_reporting_closed": None, "done": {}},
    "CaseGroup": {"name": "PPR", "kle": None, "active_cases": 1, "passive_cases": 0,
                  "others_need_overview": None, "load_preference": None},
    "NoticePolicy": {"exactly_5000_as_over": True,
                     "three_month_rule_from": dt.date(2015, 12, 31)},
    "WorkingDays": {"extra_days_off": frozenset()},
}
KINDS = {"Case": cm.Case, "Service": cm.Service, "Delivery": cm.Delivery,
         "CutoverPlan": cm.CutoverPlan, "CaseGroup": cm.CaseGroup,
         "NoticePolicy": cm.NoticePolicy, "WorkingDays": cm.WorkingDays}


@pytest.mark.parametrize(("kind", "field"),
                         [(kind, field) for kind, good in GOOD.items() for field in good])
def test_every_constructor_answers_or_refuses_realistic_values(kind: str, field: str) -> None:
    for value in realistic_values():
        arguments = {**GOOD[kind], field: value}
        try:
            record = KINDS[kind](**arguments)
        except cm.CaseMigrateError as error:
            named = error.field
        else:
            named = field
            repr(record)  # what was accepted can be shown
            hash(record)  # and is frozen all the way down
        assert named is not None and field in named


@pytest.mark.parametrize("factory", [cm.CPR, cm.KLE, cm.Facet, cm.municipality,
                                     kle_number, facet])
def test_every_identifier_answers_or_refuses_realistic_values(factory: Any) -> None:
    for value in realistic_values():
        _answers_or_refuses(lambda value=value: factory(value))
