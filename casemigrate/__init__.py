"""casemigrate: the rules of a Danish municipality's change of case or reporting system.

A pure library: callers bring records (cases, services, deliveries) and a plan, and
get back timelines, merged data, decisions, estimates and coded findings, each citing
the Danish source it comes from. No I/O, no clock: every reference date is an
argument.

Example:
    >>> import datetime as dt
    >>> import casemigrate as cm
    >>> case = cm.Case(case_id="S-1", municipality=607, citizen="211062-1234",
    ...                system="Old", opened=dt.date(2020, 1, 6))
    >>> case.citizen
    CPR('211062-****')
"""

from __future__ import annotations

from casemigrate.catalogue import RULES
from casemigrate.cleanup import (
    Classification,
    CleanupEstimate,
    Complexity,
    NoticePeriod,
    NoticePolicy,
    NoticeRule,
    Payback,
    Savings,
    classify_cleanup,
    estimate_cleanup,
    estimate_savings,
    find_manual_cases_after_cleanup,
    find_mass_close_candidates,
    manual_cases_saving,
    notice_period,
    payback,
)
from casemigrate.conversion import (
    ConversionMethod,
    ConversionPlan,
    LeftBehind,
    plan_conversion,
)
from casemigrate.delivery import (
    DEFAULT_MAX_REPORTING_GAP_DAYS,
    Excluded,
    ExclusionReason,
    MergeResult,
    RecreationMatch,
    check_services,
    find_service_overlaps,
    merge_deliveries,
)
from casemigrate.exceptions import (
    CaseMigrateError,
    InvalidArgument,
    InvalidCPR,
    InvalidKLE,
    InvalidMunicipality,
    InvalidPlan,
    InvalidRecord,
    InvalidType,
    InvalidValue,
    MissingDependency,
    UnknownRuleCode,
)
from casemigrate.findings import (
    Finding,
    FindingError,
    FindingErrors,
    Rule,
    Severity,
    sort_findings,
)
from casemigrate.identifiers import CPR, KLE, MUNICIPALITY_CODES, Facet, Municipality, municipality
from casemigrate.model import (
    DANISH_TIME,
    Case,
    CaseGroup,
    Delivery,
    LoadPreference,
    Origin,
    Service,
)
from casemigrate.overlap import (
    find_blocking_cases,
    find_duplicate_active_cases,
    find_reporting_overlap,
)
from casemigrate.plan import CutoverPlan, Milestone, Register, Timeline, check_plan, plan_timeline
from casemigrate.readiness import SCHEMA_VERSION, Report, check_readiness
from casemigrate.scenario import (
    DEFAULT_WEIGHTS,
    Reason,
    Scenario,
    ScenarioDecision,
    ScenarioSummary,
    Weight,
    choose_scenario,
    choose_scenarios,
)
from casemigrate.workdays import DEFAULT_WORKING_DAYS, OptionalDayOff, WorkingDays, WorkSchedule

__version__ = "0.1.0"

__all__ = [
    "CPR",
    "DANISH_TIME",
    "DEFAULT_MAX_REPORTING_GAP_DAYS",
    "DEFAULT_WEIGHTS",
    "DEFAULT_WORKING_DAYS",
    "KLE",
    "MUNICIPALITY_CODES",
    "RULES",
    "SCHEMA_VERSION",
    "Case",
    "CaseGroup",
    "CaseMigrateError",
    "Classification",
    "CleanupEstimate",
    "Complexity",
    "ConversionMethod",
    "ConversionPlan",
    "CutoverPlan",
    "Delivery",
    "Excluded",
    "ExclusionReason",
    "Facet",
    "Finding",
    "FindingError",
    "FindingErrors",
    "InvalidArgument",
    "InvalidCPR",
    "InvalidKLE",
    "InvalidMunicipality",
    "InvalidPlan",
    "InvalidRecord",
    "InvalidType",
    "InvalidValue",
    "LeftBehind",
    "LoadPreference",
    "MergeResult",
    "Milestone",
    "MissingDependency",
    "Municipality",
    "NoticePeriod",
    "NoticePolicy",
    "NoticeRule",
    "OptionalDayOff",
    "Origin",
    "Payback",
    "Reason",
    "RecreationMatch",
    "Register",
    "Report",
    "Rule",
    "Savings",
    "Scenario",
    "ScenarioDecision",
    "ScenarioSummary",
    "Service",
    "Severity",
    "Timeline",
    "UnknownRuleCode",
    "Weight",
    "WorkSchedule",
    "WorkingDays",
    "__version__",
    "check_plan",
    "check_readiness",
    "check_services",
    "choose_scenario",
    "choose_scenarios",
    "classify_cleanup",
    "estimate_cleanup",
    "estimate_savings",
    "find_blocking_cases",
    "find_duplicate_active_cases",
    "find_manual_cases_after_cleanup",
    "find_mass_close_candidates",
    "find_reporting_overlap",
    "find_service_overlaps",
    "manual_cases_saving",
    "merge_deliveries",
    "municipality",
    "notice_period",
    "payback",
    "plan_conversion",
    "plan_timeline",
    "sort_findings",
]
