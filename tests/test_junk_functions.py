"""Junk to every public rule function: a casemigrate exception, never anything else."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import casemigrate as cm

D = dt.date(2026, 6, 1)
PLAN = cm.CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                      cutover=D)
CASE = cm.Case(case_id="S", municipality=607, citizen=None, system="Old", opened=D)
JUNK: list[Any] = [None, 0, "x", "😀", 1.5, object(), [object()], b"b", {"k": 1}]

CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "check_plan": (cm.check_plan, {"plan": PLAN, "as_of": D}),
    "plan_timeline": (cm.plan_timeline, {"plan": PLAN}),
    "find_reporting_overlap": (cm.find_reporting_overlap, {"deliveries": [], "plan": PLAN}),
    "find_duplicate_active_cases": (cm.find_duplicate_active_cases,
                                    {"cases": [CASE], "as_of": D}),
    "find_blocking_cases": (cm.find_blocking_cases, {"cases": [CASE], "plan": PLAN,
                                                     "deleted_at_dst": {"S": D}}),
    "merge_deliveries": (cm.merge_deliveries, {"deliveries": [], "plan": PLAN,
                                               "check_overlaps": True}),
    "find_service_overlaps": (cm.find_service_overlaps,
                              {"services": [], "cutover": D, "old_system": "Old",
                               "new_system": "New", "within_system": False}),
    "check_services": (cm.check_services, {"services": [], "plan": PLAN, "as_of": D,
                                           "match": cm.RecreationMatch()}),
    "check_readiness": (cm.check_readiness, {"plan": PLAN, "as_of": D, "cases": [],
                                             "services": [], "deliveries": [],
                                             "language": "en", "select": ["CM2"],
                                             "ignore": ["CM1"],
                                             "severity_overrides": {"CM1": cm.Severity.INFO},
                                             "refusals": ()}),
    "classify_cleanup": (cm.classify_cleanup, {"case": CASE, "related": [], "closing": False,
                                               "close_after_review": False,
                                               "suspicious_kle": [], "title_words": ["x"]}),
    "estimate_cleanup": (cm.estimate_cleanup, {"work": [CASE], "closing": False,
                                               "suspicious_kle": []}),
    "notice_period": (cm.notice_period, {"manual_cases": 10, "closes_all_itself": True,
                                         "notice_given": D, "wants_extract": False,
                                         "fixed_price": False, "large_customer": False,
                                         "policy": cm.NoticePolicy()}),
    "estimate_savings": (cm.estimate_savings, {"active_before": 10, "active_after": 5,
                                               "monthly_bill_before": Decimal(1),
                                               "quantum": Decimal("0.01")}),
    "manual_cases_saving": (cm.manual_cases_saving, {"kmd_sag": Decimal(1),
                                                     "kmd_sag_journal": Decimal(0)}),
    "payback": (cm.payback, {"one_off": Decimal(8000), "monthly_saving": Decimal(1)}),
    "find_manual_cases_after_cleanup": (cm.find_manual_cases_after_cleanup,
                                        {"cases": [CASE], "cleaned_on": D}),
    "find_mass_close_candidates": (cm.find_mass_close_candidates,
                                   {"cases": [CASE], "as_of": D, "retired_kle": [],
                                    "stale_after_years": 5, "price_per_case": None}),
    "choose_scenario": (cm.choose_scenario, {"group": cm.CaseGroup(name="G")}),
    "choose_scenarios": (cm.choose_scenarios, {"groups": [cm.CaseGroup(name="G")]}),
    "Case.from_rows": (cm.Case.from_rows, {"rows": []}),
    "Service.from_rows": (cm.Service.from_rows, {"rows": []}),
    "read_cases": (cm.read_cases, {"table": [], "dayfirst": True}),
    "read_services": (cm.read_services, {"table": [], "columns": {"id": "service_id"}}),
    "read_deliveries": (cm.read_deliveries, {"table": [], "extra": "refuse"}),
    "to_rows": (cm.to_rows, {"result": [], "subjects": "text"}),
}

# Junk that is a legitimate value for that argument.
LEGAL: dict[str, Callable[[Any], bool]] = {
    "work": lambda v: isinstance(v, dict) and not v,
    "deleted_at_dst": lambda v: v is None or (isinstance(v, dict) and not v),
    "kmd_sag": lambda v: v == 0,
    "kmd_sag_journal": lambda v: v == 0,
    "one_off": lambda v: v == 0,
    "monthly_saving": lambda v: v == 0,
    "manual_cases": lambda v: v == 0,
    "active_after": lambda v: v == 0,
    "monthly_bill_before": lambda v: v == 0,
    "rows": lambda v: isinstance(v, dict | list) and not v,
    "deliveries": lambda v: isinstance(v, dict) and not v,
    "services": lambda v: isinstance(v, dict) and not v,
    "cases": lambda v: isinstance(v, dict) and not v,
    "groups": lambda v: isinstance(v, dict) and not v,
    "table": lambda v: isinstance(v, dict | list) and not v,
    "result": lambda v: isinstance(v, dict | list) and not v,
    "refusals": lambda v: isinstance(v, dict | list) and not v,
    "dayfirst": lambda v: v is None,
    "columns": lambda v: v is None or (isinstance(v, dict) and len(v) == 0),
    "old_system": lambda v: v is None or v == "x",
    "new_system": lambda v: v is None or v == "x",
    "as_of": lambda v: v is None and True,
    "select": lambda v: v is None,
    "severity_overrides": lambda v: v is None,
    "price_per_case": lambda v: v is None or v == 0,
    "stale_after_years": lambda v: v == 0,
    "related": lambda v: isinstance(v, dict) and not v,
    "suspicious_kle": lambda v: isinstance(v, dict) and not v,
    "retired_kle": lambda v: isinstance(v, dict) and not v,
    "ignore": lambda v: v is None or (isinstance(v, dict) and not v),
    "title_words": lambda v: isinstance(v, dict),  # an iterable of words: its keys
}


# Where an argument's error names a field inside it, or the object it belongs to.
FIELDS_OF: dict[str, set[str]] = {
    "plan": {"plan"}, "rows": {"rows"}, "work": {"work"},
    "group": {"group"}, "groups": {"groups"}, "case": {"case"},
    "table": {"table", "rows"},  # a table that is no frame is read as rows
}


def _calls() -> list[tuple[str, str, Any]]:
    out = []
    for name, (_, arguments) in CALLS.items():
        for argument in arguments:
            for junk in JUNK:
                legal = LEGAL.get(argument)
                if legal is not None and legal(junk):
                    continue
                out.append((name, argument, junk))
    return out


def _invoke(name: str, arguments: dict[str, Any]) -> object:
    function, _ = CALLS[name]
    parameters = inspect.signature(function).parameters
    by_position = {key for key, p in parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD}
    positional = [value for key, value in arguments.items() if key in by_position]
    keywords = {key: value for key, value in arguments.items() if key not in by_position}
    return function(*positional, **keywords)


def test_every_call_works_with_good_arguments() -> None:
    for name, (_, arguments) in CALLS.items():
        _invoke(name, arguments)


@pytest.mark.parametrize(("name", "argument", "junk"), _calls())
def test_junk_raises_a_casemigrate_error(name: str, argument: str, junk: Any) -> None:
    arguments = {**CALLS[name][1], argument: junk}
    with pytest.raises(cm.CaseMigrateError) as info:
        _invoke(name, arguments)
    # The error names the argument at fault (a row's field, a plan's field, or the
    # argument itself).
    field = info.value.field
    assert field is not None
    assert field.split("[")[0].split(".")[0] in FIELDS_OF.get(argument, {argument}), field
