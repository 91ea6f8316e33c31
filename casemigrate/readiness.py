"""One call for the whole picture: is this municipality ready for its cutover?

:func:`check_readiness` runs every check that applies to the plan's register on the
records given, and returns a :class:`Report`. The report holds the timeline, every
finding (sorted by severity, code and subjects), counts, the merge summary where
deliveries were given, and whether the plan is ``ok`` (no ERROR). A check that cannot
run for lack of data says so in a CM001 finding instead of being skipped silently.

Like a linter, the report can ``select`` and ``ignore`` codes or code prefixes, and
override severities. It speaks English or Danish, and renders as plain text
(``str``) and as HTML for Jupyter (``_repr_html_``), both summary first (see
:mod:`casemigrate.render`), and gives data as a versioned JSON-ready dict
(``to_dict``) and as a pandas or polars DataFrame (``to_frame``, with the ``pandas``
or ``polars`` extra).
None of them ever shows a full CPR number.

Checks by register:

===========================  ====  ========  ============================================
check                        SMDB  HANDICAP  needs
===========================  ====  ========  ============================================
check_plan                   yes   yes       the plan
find_reporting_overlap       yes   yes       deliveries
find_duplicate_active_cases  yes   --        cases
find_blocking_cases          yes   --        cases
merge_deliveries             --    yes       deliveries (with service overlaps)
check_services               --    yes       services, or the merged data basis
find_service_overlaps        --    yes       services; with deliveries, done by the merge
===========================  ====  ========  ============================================

The table is :data:`CHECKS`. A check that applies to the register but lacks every
input it needs gives a CM001 finding instead of running; so does a check of the other
register when it is given data that no check of this register reads (services for an
SMDB plan, cases for a HANDICAP plan). The refusals of the table readers, given as
``refusals=``, are not a check of the table: each table, column and error code of
refused rows becomes a CM002 finding (:func:`casemigrate.tables.find_refused_rows`),
for either register, so the report counts every row no check saw. A table given as
``cases=`` or ``services=`` is read once, as :func:`~casemigrate.read_cases` or
:func:`~casemigrate.read_services` reads it with the reader's options (``columns=``,
``errors=``, ``extra=``, ``date_format=``, ``dayfirst=``), into the columnar engine's
columns (the ``columnar`` extra; without it, into records), and its refusals join
them. The checks with a columnar form run on the columns, and the report's
``findings`` is a lazy sequence that builds a finding only when one is read; the
report equals the one of the records read from the table (``docs/tables.md``, "The
readiness report over tables"; in another order only where record ids are CPR numbers,
``docs/edge-values.md``).

Example:
    >>> import datetime as dt
    >>> from casemigrate import CutoverPlan, check_readiness
    >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1),
    ...                    dst_notified=dt.date(2026, 1, 5), cutover_chosen=dt.date(2026, 3, 2))
    >>> report = check_readiness(plan, as_of=dt.date(2026, 3, 3))
    >>> report.ok, [f.code for f in report.findings]
    (True, ['CM001', 'CM001', 'CM001'])
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from casemigrate import _text
from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate._columnar import is_table, records_only, require
from casemigrate._frozen import frozen
from casemigrate._text import Term
from casemigrate.catalogue import RULES
from casemigrate.delivery import (
    MergeResult,
    RecreationMatch,
    check_services,
    find_service_overlaps,
    merge_deliveries,
)
from casemigrate.exceptions import (
    InvalidArgument,
    InvalidType,
    MissingDependency,
    UnknownRuleCode,
    mask_numbers,
)
from casemigrate.findings import (
    CHECK_NOT_APPLICABLE,
    Finding,
    FindingError,
    FindingErrors,
    Severity,
    sort_findings,
)
from casemigrate.identifiers import CPR, KLE, Facet, Municipality
from casemigrate.model import Case, Delivery, Service
from casemigrate.overlap import (
    find_blocking_cases,
    find_duplicate_active_cases,
    find_reporting_overlap,
)
from casemigrate.plan import CutoverPlan, Register, Timeline, check_plan, plan_timeline
from casemigrate.tables import Refusals, find_refused_rows, read_cases, read_services

__all__ = ["CHECKS", "SCHEMA_VERSION", "Check", "Report", "check_readiness", "checks_table"]

SCHEMA_VERSION: Final = 1
"""The version of :meth:`Report.to_dict`'s layout; raised when keys change meaning."""

_PREFIX: Final = re.compile(r"CM\d{0,3}")


def _codes(field: str, values: Iterable[str] | None) -> tuple[str, ...] | None:
    """Codes or code prefixes, each matching at least one rule."""
    if values is None:
        return None
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidType(f"expected codes such as ['CM2', 'CM301'], got {v.type_name(values)}",
                          field=field)
    prefixes = tuple(values)
    for prefix in prefixes:
        if (not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix)
                or not any(code.startswith(prefix) for code in RULES)):
            raise UnknownRuleCode(f"{str(prefix)[:12]!r} is neither a rule code nor the "
                                  "prefix of one", field=field)
    return prefixes


def _overrides(values: Mapping[str, Severity] | None) -> Mapping[str, Severity]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InvalidType(f"expected a mapping of code to Severity, got {v.type_name(values)}",
                          field="severity_overrides")
    _codes("severity_overrides", list(values))
    for severity in values.values():
        if not isinstance(severity, Severity):
            raise InvalidType(f"expected Severity values, got {v.type_name(severity)}",
                              field="severity_overrides")
    # The longest prefix wins, so 'CM30' can be overridden again for 'CM301'.
    return dict(sorted(values.items(), key=lambda item: len(item[0])))


def _matches(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def _jsonable(value: Any) -> Any:
    """A JSON-ready copy of a finding detail: no CPR in full, dates as ISO strings."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):  # a record id that is a CPR number is shown as one
        return mask_numbers(value)
    if isinstance(value, CPR):
        return value.masked
    if isinstance(value, Municipality):
        return value.code
    if isinstance(value, KLE | Facet):
        return value.value
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, tuple | list | set | frozenset):
        items = [_jsonable(item) for item in value]
        return items if isinstance(value, tuple | list) else sorted(items, key=str)
    return str(value)


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`check_readiness` found.

    Attributes:
        plan: The plan checked.
        as_of: The day it was checked on.
        language: ``"en"`` or ``"da"``, for messages, hints and titles.
        timeline: The plan's timeline.
        findings: Every finding, sorted by severity, code and subjects: a tuple, or
            where a table was given a lazy sequence that builds a finding only when
            one is read (its length, counts and the report's views make none; see
            ``docs/tables.md``). Either compares equal to the other.
        checks: The checks that ran.
        merge: The merge summary (:meth:`MergeResult.summary`) where deliveries were
            given to a HANDICAP plan, else ``None``.
    """

    plan: CutoverPlan
    as_of: dt.date
    language: str
    timeline: Timeline
    findings: Sequence[Finding]
    checks: tuple[str, ...]
    merge: Mapping[str, Any] | None = attrs.field(default=None, converter=frozen)

    def _tally(self) -> Mapping[tuple[Severity, str], int]:
        """How many findings per (severity, code); a lazy sequence counts its blocks."""
        tally = getattr(self.findings, "tally", None)
        if tally is not None:
            counted: Mapping[tuple[Severity, str], int] = tally()
            return counted
        return Counter((f.severity, f.code) for f in self.findings)

    @property
    def ok(self) -> bool:
        """Whether no finding is an ERROR."""
        return not any(severity is Severity.ERROR and count
                       for (severity, _), count in self._tally().items())

    @property
    def counts_by_severity(self) -> dict[str, int]:
        """Findings per severity, every severity present."""
        counts: Counter[str] = Counter()
        for (severity, _), count in self._tally().items():
            counts[severity.name] += count
        return {severity.name: counts.get(severity.name, 0) for severity in Severity}

    @property
    def counts_by_code(self) -> dict[str, int]:
        """Findings per code, in code order."""
        counts: Counter[str] = Counter()
        for (_, code), count in self._tally().items():
            counts[code] += count
        return dict(sorted(counts.items()))

    def raise_for_errors(self) -> None:
        """Raise every ERROR finding together, as one :class:`FindingErrors` group.

        Example:
            >>> import datetime as dt
            >>> from casemigrate import CutoverPlan, check_readiness
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1),
            ...                    dst_notified=dt.date(2026, 6, 2))
            >>> try:
            ...     check_readiness(plan, as_of=dt.date(2026, 3, 3)).raise_for_errors()
            ... except FindingErrors as group:
            ...     print([error.finding.code for error in group.exceptions])
            ['CM104']
        """
        by_code = getattr(self.findings, "by_code", None)
        worst = (self.findings if by_code is None else  # over a table: the ERROR blocks only
                 [f for severity, _, _, group in by_code() if severity is Severity.ERROR
                  for f in group])
        errors = [FindingError(f) for f in worst if f.severity is Severity.ERROR]
        if errors:
            raise FindingErrors(
                f"{len(errors)} error finding(s) for the {self.plan.register.name} cutover "
                f"of {self.plan.municipality} on {self.plan.cutover}", errors,
            )

    def __repr__(self) -> str:
        return _render.report_repr(self)

    def __str__(self) -> str:
        return self.render()

    def render(self, *, limit_per_code: int | None = 5) -> str:
        """The report as plain text for a terminal or a log (see :mod:`casemigrate.render`).

        A headline (ready or not, counts per severity), the timeline, the merge's ledger,
        then one block per code, worst first: its name, count, message pattern, hint and
        source once, and its first records.

        Args:
            limit_per_code: List at most this many records of each code and count the
                rest; ``None`` lists all.

        Example:
            >>> import datetime as dt
            >>> from casemigrate import CutoverPlan, check_readiness
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> text = check_readiness(plan, as_of=dt.date(2026, 6, 3), language="da").render()
            >>> print(text.splitlines()[1])
            KLAR: 0 fejl, 5 advarsler, 3 til orientering
        """
        if limit_per_code is not None:
            limit_per_code = v.count("limit_per_code", limit_per_code)
        return _render.report_text(self, limit=limit_per_code)

    def to_html(self, *, limit_per_code: int = _render.DEFAULT_LIMIT) -> str:
        """The report as HTML: the summary, the drawn timeline, one block per code.

        Args:
            limit_per_code: Records listed per code (in a collapsed list); the rest are
                counted ("and 18,000 more").

        Example:
            >>> import datetime as dt
            >>> from casemigrate import CutoverPlan, check_readiness
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> view = check_readiness(plan, as_of=dt.date(2026, 6, 3)).to_html(limit_per_code=5)
            >>> view.count('<section class="cm-block"'), view.count("<svg")
            (3, 1)
        """
        return _render.report_html(self, limit=limit_per_code)

    def _repr_html_(self) -> str:
        return _render.report_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data with stable keys (``"schema": 1``).

        Dates are ISO strings, money is a string, CPR numbers are masked. Every
        finding is listed, so each is built, also over a table.

        Example:
            >>> import datetime as dt, json
            >>> from casemigrate import CutoverPlan, check_readiness
            >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> data = check_readiness(plan, as_of=dt.date(2026, 3, 3)).to_dict()
            >>> data["schema"], data["plan"]["cutover"], sorted(data)[:3]
            (1, '2026-06-01', ['as_of', 'checks', 'counts'])
            >>> _ = json.dumps(data)
        """
        p = self.plan
        return {
            "schema": SCHEMA_VERSION,
            "language": self.language,
            "as_of": self.as_of.isoformat(),
            "ok": self.ok,
            "plan": {
                "municipality": p.municipality.code,
                "municipality_name": p.municipality.name,
                "register": p.register.value,
                "old_system": p.old_system,
                "new_system": p.new_system,
                "cutover": p.cutover.isoformat(),
            },
            "checks": list(self.checks),
            "counts": {"by_severity": self.counts_by_severity,
                       "by_code": self.counts_by_code},
            "timeline": self.timeline.to_rows(self.language),
            "merge": None if self.merge is None else _jsonable(self.merge),
            "findings": [
                {
                    "code": f.code,
                    "name": f.rule.name,
                    "severity": f.severity.name,
                    "subjects": list(f.subjects),
                    "message": f.message_in(self.language),
                    "hint": f.hint_in(self.language),
                    "citation": f.citation_in(self.language,
                                              register=self.plan.register.name),
                    "details": _jsonable(dict(f.details)),
                }
                for f in self.findings
            ],
        }

    def to_frame(self, library: str = "pandas", *, subjects: str = "list") -> Any:
        """The findings as a pandas or polars DataFrame, one row per finding.

        Columns: code, name, severity, subjects, message, hint, citation, then each
        detail as ``detail_<name>`` (a CPR number masked). ``subjects`` is a list of
        ids per finding; ``subjects="explode"`` gives one row per finding and subject
        (to join with a table of records), ``subjects="text"`` the ids joined by
        ``", "`` (for a spreadsheet). Needs the library (``pip install
        "casemigrate[pandas]"`` or ``"casemigrate[polars]"``).

        Over a table (lazy findings) the frame is built column by column, a code's
        name, hint and citation once per code, each finding built in turn for its
        message and details and not kept; the same frame as the records give.

        Raises:
            MissingDependency: The library is not installed.
        """
        from casemigrate.frames import (  # noqa: PLC0415
            FINDING_COLUMNS,
            _frame_of,
            finding_rows,
            frame,
        )

        if hasattr(self.findings, "by_code"):
            from casemigrate._columnar._report import frame_columns  # noqa: PLC0415

            v.one_of("library", ("pandas", "polars"), library)
            v.one_of("subjects", ("list", "explode", "text"), subjects)
            columns = frame_columns(self.findings,  # type: ignore[arg-type]
                                    language=self.language, subjects=subjects,
                                    register=self.plan.register.name)
            return _frame_of(columns, list(columns), library)
        rows = finding_rows(self.findings, language=self.language,
                            subjects=subjects,  # type: ignore[arg-type]
                            register=self.plan.register.name)
        return frame(rows, list(rows[0]) if rows else list(FINDING_COLUMNS), library)


def _skipped(check: str, reason: Term) -> Finding:
    return Finding.of(CHECK_NOT_APPLICABLE, (check,), check=check, reason=reason)


@attrs.define
class _Inputs:
    """What a check may read: the plan, the day and the records given."""

    plan: CutoverPlan
    as_of: dt.date
    cases: tuple[Case, ...]
    services: tuple[Service, ...]
    deliveries: tuple[Delivery, ...]
    merged: MergeResult | None = None
    # A table given: its columns (casemigrate._columnar), read once; the checks with a
    # columnar twin run on them and give a lazy FindingTable.
    case_columns: Any = None
    service_columns: Any = None

    def given(self, name: str) -> bool:
        """Whether ``name`` (``"cases"``, ``"services"``, ...) was given, with a row."""
        columns = {"cases": self.case_columns, "services": self.service_columns}.get(name)
        if columns is not None:
            return len(columns) > 0
        return bool(getattr(self, name))

    def duplicates(self) -> Any:
        """find_duplicate_active_cases on the cases in the register."""
        if self.case_columns is None:
            return find_duplicate_active_cases(self.in_register(), as_of=self.as_of)
        from casemigrate._columnar import _report, _rules  # noqa: PLC0415

        in_register = _report.in_register(self.case_columns, self.plan, self.as_of)
        return _rules.duplicate_active_cases(in_register, self.as_of)

    def blocking(self) -> Any:
        """find_blocking_cases on every case given."""
        if self.case_columns is None:
            return find_blocking_cases(self.cases, self.plan, as_of=self.as_of)
        from casemigrate._columnar import _blocking  # noqa: PLC0415

        return _blocking.blocking_cases(self.case_columns, self.plan, self.as_of, None)

    def service_check(self) -> Any:
        """check_services on the services given, or else on the merged data basis."""
        if self.service_columns is None or not len(self.service_columns):
            return check_services(self.services or self.merge().services, self.plan,
                                  as_of=self.as_of)
        from casemigrate._columnar import _services  # noqa: PLC0415

        return _services.check_services(self.service_columns, self.plan, self.as_of,
                                        RecreationMatch())

    def overlaps(self) -> Any:
        """find_service_overlaps on the services given (with deliveries only: the merge's)."""
        plan = self.plan
        if self.service_columns is None:
            return find_service_overlaps(self.services, cutover=plan.cutover,
                                         old_system=plan.old_system,
                                         new_system=plan.new_system) if self.services else ()
        from casemigrate._columnar import _rules  # noqa: PLC0415

        if not len(self.service_columns):
            return ()
        return _rules.service_overlaps(self.service_columns, plan.cutover, plan.old_system,
                                       plan.new_system, False)

    def merge(self) -> MergeResult:
        """The merged data basis, computed once."""
        if self.merged is None:
            self.merged = merge_deliveries(self.deliveries, self.plan)
        return self.merged

    def in_register(self) -> tuple[Case, ...]:
        """The plan's municipality's cases in the register, less the courses DST deleted.

        Old-system courses active on the plan's recorded deletion (before the cutover)
        are no longer in the register, so they duplicate nothing.
        """
        plan = self.plan
        # One active case per citizen per municipality: another municipality's cases are
        # out of the plan's scope (find_blocking_cases counts them in CM210).
        local = tuple(case for case in self.cases if case.municipality == plan.municipality)
        deleted_on = plan.done_on("delete_active_courses")
        if deleted_on is None or deleted_on >= plan.cutover or self.as_of < deleted_on:
            return local
        return tuple(case for case in local
                     if not (plan.system_role(case.system) == "old"
                             and case.is_active_on(deleted_on)))


_INPUT_WORDS: Final[Mapping[str, Term]] = {
    "plan": Term("the plan", da="planen"), "cases": Term("cases", da="sager"),
    "services": Term("services", da="ydelser"), "deliveries": Term("deliveries", da="leverancer"),
}


def _not_given(needs: tuple[str, ...]) -> Term:
    """CM001's reason when a check lacks every input it needs."""
    words = [_INPUT_WORDS[name] for name in needs]
    return Term(f"no {' or '.join(w.en for w in words)} were given",
                da=f"der er ingen {' eller '.join(w.da for w in words)} at kontrollere")


def _other_register(registers: frozenset[Register], register: Register) -> Term:
    """CM001's reason when data is given to a check of another register."""
    others = " and ".join(r.name for r in Register if r in registers)
    return Term(f"it applies to {others}, not {register.name}",
                da=f"den gælder for {others.replace(' and ', ' og ')}, ikke {register.name}")


@attrs.frozen
class Check:
    """One check of :func:`check_readiness`: what it is, where it applies, what it needs.

    Attributes:
        name: The rule function's name, as CM001 names it.
        registers: The registers it applies to.
        needs: The inputs it reads (``"plan"``, ``"cases"``, ``"services"``,
            ``"deliveries"``); it runs when at least one of them was given.
        run: The check itself, given the inputs.
        needs_text: What it needs, in words (for the table and for CM001), when
            the names alone do not say it.
    """

    name: str
    registers: frozenset[Register]
    needs: tuple[str, ...]
    run: Callable[[_Inputs], Iterable[Finding]] = attrs.field(repr=False)
    needs_text: str = ""

    @property
    def needs_words(self) -> str:
        """What the check needs, in words."""
        return self.needs_text or " or ".join(_INPUT_WORDS[name] for name in self.needs)


_SMDB: Final = frozenset({Register.SMDB})
_HANDICAP: Final = frozenset({Register.HANDICAP})
_BOTH: Final = frozenset(Register)

CHECKS: Final[tuple[Check, ...]] = (
    Check("check_plan", _BOTH, ("plan",),
          lambda i: check_plan(i.plan, as_of=i.as_of)),
    Check("find_reporting_overlap", _BOTH, ("deliveries",),
          lambda i: find_reporting_overlap(i.deliveries, i.plan)),
    Check("find_duplicate_active_cases", _SMDB, ("cases",), lambda i: i.duplicates()),
    Check("find_blocking_cases", _SMDB, ("cases",), lambda i: i.blocking()),
    Check("merge_deliveries", _HANDICAP, ("deliveries",),
          lambda i: i.merge().findings, "deliveries (with service overlaps)"),
    Check("check_services", _HANDICAP, ("services", "deliveries"),
          lambda i: i.service_check(), "services, or the merged data basis"),
    # Without services, the merge has checked the merged data basis for overlaps.
    Check("find_service_overlaps", _HANDICAP, ("services", "deliveries"),
          lambda i: i.overlaps(), "services; with deliveries, done by the merge"),
)
"""Every check of :func:`check_readiness`, in the order they run.

The module's table and the CM001 findings ("could not run") follow from it.
"""


def checks_table() -> str:
    """The checks by register, as the reStructuredText table of the module docstring.

    Example:
        >>> print(checks_table().splitlines()[3])
        check_plan                   yes   yes       the plan
    """
    head = ("check", *(r.name for r in Register), "needs")
    rows = [(c.name, *("yes" if r in c.registers else "--" for r in Register), c.needs_words)
            for c in CHECKS]
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]
    rule = "  ".join("=" * width for width in widths)
    lines = [rule, "  ".join(cell.ljust(w) for cell, w in zip(head, widths, strict=True)), rule]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    lines.append(rule)
    return "\n".join(line.rstrip() for line in lines)


def _run_checks(inputs: _Inputs) -> tuple[list[tuple[int, Iterable[Finding]]], list[str]]:
    """Run every check of :data:`CHECKS`; one CM001 for each that cannot run.

    The findings of each check, with its index in :data:`CHECKS`: built, or (over a
    table) the columnar engine's lazy table.
    """
    found: list[tuple[int, Iterable[Finding]]] = []
    ran: list[str] = []
    register = inputs.plan.register
    read = {name for check in CHECKS if register in check.registers for name in check.needs}
    for index, check in enumerate(CHECKS):
        given = [name for name in check.needs if name == "plan" or inputs.given(name)]
        if register not in check.registers:
            # Data given that no check of this register reads is not ignored silently.
            if any(name not in read for name in given):
                found.append((index, [_skipped(check.name,
                                               _other_register(check.registers, register))]))
        elif not given:
            found.append((index, [_skipped(check.name, _not_given(check.needs))]))
        else:
            found.append((index, check.run(inputs)))
            ran.append(check.name)
    return found, ran


def _options(kind: type[Case] | type[Service], read: dict[str, Any]) -> dict[str, Any]:
    """The reader's options for a table of ``kind``: the mapping of its fields only."""
    options = dict(read)
    mapping = options["columns"]
    if mapping is not None and isinstance(mapping, Mapping):
        names = {field.name for field in attrs.fields(kind)}
        options["columns"] = {column: field for column, field in mapping.items()
                              if field in names}
    return options


def _records(kind: type[Case] | type[Service], given: object, read: dict[str, Any],
             refusals: list[Refusals]) -> Any:
    """The records of ``given``: as they are, or read from a table (its refusals kept).

    For a table without the ``columnar`` extra: the table reader needs narwhals only.
    """
    if not is_table(given):
        return given
    reader = read_cases if kind is Case else read_services
    table = reader(given, **_options(kind, read))
    refusals.append(table.refusals)
    return table.records


def _engine() -> bool:
    """Whether the columnar engine can run (the ``columnar`` extra is installed)."""
    try:
        require()
    except MissingDependency:
        return False
    return True


def _columns(kind: type[Case] | type[Service], given: object, read: dict[str, Any],
             refusals: list[Refusals]) -> Any:
    """``given`` read once into the columnar engine's columns (its refusals kept)."""
    from casemigrate._columnar import _columns as columns  # noqa: PLC0415

    found: Any
    if kind is Case:
        found = columns.cases(given, **_options(kind, read))
    else:  # with the target groups, which check_services reads
        from casemigrate._columnar import _services  # noqa: PLC0415

        found = _services.read(given, **_options(kind, read))
    refusals.append(found.refusals)
    return found


def check_readiness(
    plan: CutoverPlan,
    *,
    cases: Iterable[Case] | object = (),
    services: Iterable[Service] | object = (),
    deliveries: Iterable[Delivery] = (),
    refusals: Refusals | Iterable[Refusals] = (),
    as_of: dt.date,
    language: str = "en",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    severity_overrides: Mapping[str, Severity] | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Report:
    """Run every check that applies to ``plan`` and report what was found.

    Args:
        plan: The cutover plan.
        cases: The cases of both systems (SMDB checks): records, or a table (pandas,
            polars, pyarrow) that :func:`read_cases` reads with ``columns``,
            ``errors``, ``extra``, ``date_format`` and ``dayfirst``.
        services: Services to check (HANDICAP), records or a table read as ``cases``
            is; without them, the merged data basis of ``deliveries`` is checked.
        deliveries: The deliveries sent to DST.
        refusals: The refusals of the reads that gave the records
            (:attr:`TableRead.refusals`, one or several): each table, column and
            error code of refused rows becomes a CM002 finding, so the report counts
            every row no check saw. The refusals of a table given as ``cases`` or
            ``services`` are added to them.
        columns: For a table: its column names mapped to the fields, one mapping for
            both tables (an entry for a field the table's records lack, such as
            ``case_id`` for services, is left out for that table).
        errors: For a table: ``"raise"`` (the first bad row's error) or
            ``"collect"`` (its refused rows become CM002 findings).
        extra: For a table: ``"ignore"`` or ``"refuse"`` its columns that are no field.
        date_format: For a table: a ``strptime`` format for date strings.
        dayfirst: For a table: ``True`` reads ``02-09-2022`` as 2 September.
        as_of: The day to judge on.
        language: ``"en"`` or ``"da"``.
        select: Keep only findings whose code starts with one of these (``"CM2"``,
            ``"CM301"``); ``None`` keeps all.
        ignore: Drop findings whose code starts with one of these.
        severity_overrides: New severities by code or prefix (the longest prefix wins).

    Returns:
        The :class:`Report`.

    Raises:
        UnknownRuleCode: ``select``, ``ignore`` or ``severity_overrides`` names a code
            or prefix that matches no rule.
        InvalidArgument: ``language`` is neither ``"en"`` nor ``"da"``.
        InvalidType: An argument has the wrong type.
    """
    v.instance("plan", plan, CutoverPlan)
    as_of = v.day("as_of", as_of)
    _text.check_language(language)
    selected = _codes("select", select)
    if selected == ():
        raise InvalidArgument("selects no code, so nothing would be checked; pass None to "
                              "keep every finding", field="select")
    ignored = _codes("ignore", ignore) or ()
    overrides = _overrides(severity_overrides)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    refused: list[Refusals] = ([refusals] if isinstance(refusals, Refusals)
                               else list(v.instances("refusals", refusals, Refusals)))
    tables = is_table(cases) or is_table(services)
    if not tables:
        records_only(read)
    elif not _engine():  # read into records, as the table reader does with narwhals alone
        cases = _records(Case, cases, read, refused)
        services = _records(Service, services, read, refused)
        tables = False
    case_columns = _columns(Case, cases, read, refused) if is_table(cases) else None
    service_columns = (_columns(Service, services, read, refused) if is_table(services)
                       else None)
    inputs = _Inputs(
        plan=plan, as_of=as_of,
        cases=() if case_columns is not None else tuple(v.instances("cases", cases, Case)),
        services=(() if service_columns is not None
                  else tuple(v.instances("services", services, Service))),
        deliveries=tuple(v.instances("deliveries", deliveries, Delivery)),
        case_columns=case_columns, service_columns=service_columns,
    )
    parts, checks = _run_checks(inputs)
    parts.append((len(CHECKS), find_refused_rows(refused)))
    merge = None if inputs.merged is None else inputs.merged.summary()
    if tables:
        from casemigrate._columnar import _report  # noqa: PLC0415

        def keep(code: str) -> bool:
            return ((selected is None or _matches(code, selected))
                    and not _matches(code, ignored))

        return Report(plan=plan, as_of=as_of, language=language, timeline=plan_timeline(plan),
                      findings=_report.combine(parts, keep, _report.severity_in(overrides)),
                      checks=tuple(checks), merge=merge)
    found = [finding for _, part in parts for finding in part]

    # Two checks may report the same finding (the merge and the service check both
    # look for overlaps): it is kept once. Findings are the same only if code, subjects
    # and details are: two citizens' CM204 on reused case ids differ in their details.
    kept: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    for finding in found:
        if selected is not None and not _matches(finding.code, selected):
            continue
        if _matches(finding.code, ignored):
            continue
        for prefix, severity in overrides.items():
            if finding.code.startswith(prefix):
                finding = attrs.evolve(finding, severity=severity)  # noqa: PLW2901
        same = kept.setdefault((finding.code, finding.subjects), [])
        if not any(other.details == finding.details for other in same):
            same.append(finding)
    return Report(
        plan=plan, as_of=as_of, language=language, timeline=plan_timeline(plan),
        findings=sort_findings(f for group in kept.values() for f in group),
        checks=tuple(checks), merge=merge,
    )
