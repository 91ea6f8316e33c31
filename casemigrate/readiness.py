"""One call for the whole picture: is this municipality ready for its cutover?

:func:`check_readiness` runs every check that applies to the plan's register on the
records given, and returns a :class:`Report`. The report holds the timeline, every
finding (sorted by severity, code and subjects), counts, the merge summary where
deliveries were given, and whether the plan is ``ok`` (no ERROR). A check that cannot
run for lack of data says so in a CM001 finding instead of being skipped silently.

Like a linter, the report can ``select`` and ``ignore`` codes or code prefixes, and
override severities. It speaks English or Danish, and renders as plain text
(``str``), as HTML for Jupyter (``_repr_html_``), as a versioned JSON-ready dict
(``to_dict``) and as a pandas DataFrame (``to_frame``, with the ``pandas`` extra).
None of them ever shows a full CPR number.

Checks by register:

==========================  ====  ========  ========================================
check                       SMDB  HANDICAP  needs
==========================  ====  ========  ========================================
check_plan                  yes   yes       the plan
find_reporting_overlap      yes   yes       deliveries
find_duplicate_active_cases yes   --        cases
find_blocking_cases         yes   --        cases
merge_deliveries            --    yes       deliveries (with service overlaps)
check_services              --    yes       services, or the merged data basis
find_service_overlaps       --    yes       services
==========================  ====  ========  ========================================

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
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from casemigrate import _validate as v
from casemigrate._frozen import frozen
from casemigrate.delivery import check_services, find_service_overlaps, merge_deliveries
from casemigrate.exceptions import (
    FindingError,
    FindingErrors,
    InvalidArgument,
    InvalidType,
    MissingDependency,
    UnknownRuleCode,
)
from casemigrate.findings import RULES, Finding, Severity, sort_findings
from casemigrate.identifiers import CPR, KLE, Facet, Municipality
from casemigrate.model import Case, Delivery, Service
from casemigrate.overlap import (
    find_blocking_cases,
    find_duplicate_active_cases,
    find_reporting_overlap,
)
from casemigrate.plan import CutoverPlan, Register, Timeline, check_plan, plan_timeline

__all__ = ["SCHEMA_VERSION", "Report", "check_readiness"]

SCHEMA_VERSION: Final = 1
"""The version of :meth:`Report.to_dict`'s layout; raised when keys change meaning."""

_SHOWN_SUBJECTS: Final = 8
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
    if value is None or isinstance(value, bool | int | float | str):
        return value
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


_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {"title": "Readiness", "ready": "ready", "not_ready": "NOT READY",
           "timeline": "Timeline", "findings": "Findings", "none": "no findings",
           "as_of": "as of", "more": "more", "merge": "Merge", "hint": "hint",
           "code": "code", "subjects": "subjects", "message": "message",
           "citation": "citation", "errors": "errors", "warnings": "warnings",
           "infos": "info"},
    "da": {"title": "Parathed", "ready": "klar", "not_ready": "IKKE KLAR",
           "timeline": "Tidslinje", "findings": "Fund", "none": "ingen fund",
           "as_of": "pr.", "more": "flere", "merge": "Sammenlægning", "hint": "råd",
           "code": "kode", "subjects": "emner", "message": "besked",
           "citation": "kilde", "errors": "fejl", "warnings": "advarsler",
           "infos": "info"},
}


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`check_readiness` found.

    Attributes:
        plan: The plan checked.
        as_of: The day it was checked on.
        language: ``"en"`` or ``"da"``, for messages, hints and titles.
        timeline: The plan's timeline.
        findings: Every finding, sorted by severity, code and subjects.
        checks: The checks that ran.
        merge: The merge summary (:meth:`MergeResult.summary`) where deliveries were
            given to a HANDICAP plan, else ``None``.
    """

    plan: CutoverPlan
    as_of: dt.date
    language: str
    timeline: Timeline
    findings: tuple[Finding, ...]
    checks: tuple[str, ...]
    merge: Mapping[str, Any] | None = attrs.field(default=None, converter=frozen)

    @property
    def ok(self) -> bool:
        """Whether no finding is an ERROR."""
        return all(f.severity is not Severity.ERROR for f in self.findings)

    @property
    def counts_by_severity(self) -> dict[str, int]:
        """Findings per severity, every severity present."""
        counts = Counter(f.severity.name for f in self.findings)
        return {severity.name: counts.get(severity.name, 0) for severity in Severity}

    @property
    def counts_by_code(self) -> dict[str, int]:
        """Findings per code, in code order."""
        return dict(sorted(Counter(f.code for f in self.findings).items()))

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
        errors = [FindingError(f) for f in self.findings if f.severity is Severity.ERROR]
        if errors:
            raise FindingErrors(
                f"{len(errors)} error finding(s) for the {self.plan.register.name} cutover "
                f"of {self.plan.municipality} on {self.plan.cutover}", errors,
            )

    def _words(self) -> Mapping[str, str]:
        return _WORDS[self.language]

    def _headline(self) -> str:
        w = self._words()
        p = self.plan
        state = w["ready"] if self.ok else w["not_ready"]
        counts = self.counts_by_severity
        return (
            f"{w['title']}: {p.register.name} {p.municipality}, {p.old_system} -> "
            f"{p.new_system}, cutover {p.cutover}, {w['as_of']} {self.as_of}: {state} "
            f"({counts['ERROR']} {w['errors']}, {counts['WARNING']} {w['warnings']}, "
            f"{counts['INFO']} {w['infos']})"
        )

    def _subjects(self, finding: Finding) -> str:
        shown = list(finding.subjects[:_SHOWN_SUBJECTS])
        rest = len(finding.subjects) - len(shown)
        if rest:
            shown.append(f"+{rest} {self._words()['more']}")
        return ", ".join(shown)

    def __str__(self) -> str:
        return self.render()

    def render(self, *, limit_per_code: int | None = None) -> str:
        """The report as plain text for a terminal or a log.

        Args:
            limit_per_code: Show at most this many findings of each code, and say how
                many more there are; ``None`` shows all.
        """
        if limit_per_code is not None:
            limit_per_code = v.count("limit_per_code", limit_per_code)
        w = self._words()
        lines = [self._headline(), "", self.timeline.render(self.language), ""]
        if self.merge is not None:
            m = self.merge
            lines += [f"{w['merge']}: {m['services_in']:,} in, {m['kept']:,} kept, "
                      f"{m['excluded']:,} excluded", ""]
        lines.append(f"{w['findings']}:" if self.findings else f"{w['findings']}: {w['none']}")
        shown: Counter[str] = Counter()
        for f in self.findings:
            shown[f.code] += 1
            if limit_per_code is not None and shown[f.code] > limit_per_code:
                if shown[f.code] == limit_per_code + 1:
                    rest = self.counts_by_code[f.code] - limit_per_code
                    lines.append(f"  {f.code}: +{rest} {w['more']}")
                continue
            subjects = f" [{self._subjects(f)}]" if f.subjects else ""
            lines.append(f"  {f.code} {f.severity.name}{subjects}: {f.message_in(self.language)}")
            lines.append(f"      {w['hint']}: {f.hint_in(self.language)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """A compact HTML view for Jupyter: headline, timeline, findings by severity."""
        w = self._words()
        e = html.escape
        parts = [f'<div class="casemigrate-report"><p><strong>{e(self._headline())}</strong></p>',
                 f"<h4>{e(w['timeline'])}</h4>", "<table><thead><tr>"]
        rows = self.timeline.to_rows(self.language)
        for column in ("title", "earliest", "latest", "done"):
            parts.append(f"<th>{e(column)}</th>")
        parts.append("</tr></thead><tbody>")
        for row in rows:
            timeline_cells = "".join(f"<td>{e(str(row[c] or '-'))}</td>"
                                     for c in ("title", "earliest", "latest", "done"))
            parts.append(f'<tr data-key="{e(row["key"])}">{timeline_cells}</tr>')
        parts.append("</tbody></table>")
        for severity in Severity:
            group = [f for f in self.findings if f.severity is severity]
            if not group:
                continue
            parts.append(f'<h4 data-severity="{severity.name}">{severity.name} ({len(group)})'
                         "</h4><table><thead><tr>")
            for column in ("code", "subjects", "message", "hint", "citation"):
                parts.append(f"<th>{e(w[column])}</th>")
            parts.append("</tr></thead><tbody>")
            for f in group:
                cells = (f.code, self._subjects(f), f.message_in(self.language),
                         f.hint_in(self.language), f.citation)
                parts.append(f'<tr data-code="{e(f.code)}">'
                             + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
            parts.append("</tbody></table>")
        if not self.findings:
            parts.append(f"<p>{e(w['none'])}</p>")
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data with stable keys (``"schema": 1``).

        Dates are ISO strings, money is a string, CPR numbers are masked.

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
                    "citation": f.citation,
                    "details": _jsonable(dict(f.details)),
                }
                for f in self.findings
            ],
        }

    def to_frame(self) -> Any:
        """The findings as a pandas DataFrame, one row per finding.

        Columns: code, name, severity, subjects (a tuple), message, hint, citation.
        Needs pandas (``pip install "casemigrate[pandas]"``).

        Raises:
            MissingDependency: pandas is not installed.
        """
        try:
            import pandas as pd  # noqa: PLC0415  # optional extra, imported on use
        except ImportError:
            raise MissingDependency(
                "Report.to_frame needs pandas: pip install 'casemigrate[pandas]'"
            ) from None
        rows = [
            {"code": f.code, "name": f.rule.name, "severity": f.severity.name,
             "subjects": f.subjects, "message": f.message_in(self.language),
             "hint": f.hint_in(self.language), "citation": f.citation}
            for f in self.findings
        ]
        columns = ["code", "name", "severity", "subjects", "message", "hint", "citation"]
        return pd.DataFrame(rows, columns=columns)


def _skipped(check: str, reason: str) -> Finding:
    return Finding.of("CM001", (check,), check=check, reason=reason)


def check_readiness(
    plan: CutoverPlan,
    *,
    cases: Iterable[Case] = (),
    services: Iterable[Service] = (),
    deliveries: Iterable[Delivery] = (),
    as_of: dt.date,
    language: str = "en",
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    severity_overrides: Mapping[str, Severity] | None = None,
) -> Report:
    """Run every check that applies to ``plan`` and report what was found.

    Args:
        plan: The cutover plan.
        cases: The cases of both systems (SMDB checks).
        services: Services to check (HANDICAP); without them, the merged data basis of
            ``deliveries`` is checked.
        deliveries: The deliveries sent to DST.
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
    if not isinstance(language, str) or language not in _WORDS:
        shown = repr(language[:8]) if isinstance(language, str) else f"a {v.type_name(language)}"
        raise InvalidArgument(f"expected 'en' or 'da', got {shown}", field="language")
    selected = _codes("select", select)
    if selected == ():
        raise InvalidArgument("selects no code, so nothing would be checked; pass None to "
                              "keep every finding", field="select")
    ignored = _codes("ignore", ignore) or ()
    overrides = _overrides(severity_overrides)
    case_list = v.instances("cases", cases, Case)
    service_list = v.instances("services", services, Service)
    delivery_list = v.instances("deliveries", deliveries, Delivery)

    found: list[Finding] = list(check_plan(plan, as_of=as_of))
    checks = ["check_plan"]
    merge_summary: dict[str, Any] | None = None

    def run(name: str, have: bool, reason: str, results: Any) -> None:
        if have:
            found.extend(results())
            checks.append(name)
        else:
            found.append(_skipped(name, reason))

    run("find_reporting_overlap", bool(delivery_list), "no deliveries were given",
        lambda: find_reporting_overlap(delivery_list, plan))
    if plan.register is Register.SMDB:
        # One active case per citizen per municipality: another municipality's cases
        # are out of the plan's scope (find_blocking_cases counts them in CM209).
        local = [case for case in case_list if case.municipality == plan.municipality]
        run("find_duplicate_active_cases", bool(case_list), "no cases were given",
            lambda: find_duplicate_active_cases(local, as_of=as_of))
        run("find_blocking_cases", bool(case_list), "no cases were given",
            lambda: find_blocking_cases(case_list, plan))
        if service_list:
            found.append(_skipped("check_services",
                                  "service checks belong to the handicap statistics, not SMDB"))
    else:
        basis: tuple[Service, ...] = service_list
        if delivery_list:
            merged = merge_deliveries(delivery_list, plan)
            found.extend(merged.findings)
            merge_summary = merged.summary()
            checks.append("merge_deliveries")
            basis = basis or merged.services
        else:
            found.append(_skipped("merge_deliveries", "no deliveries were given"))
        run("check_services", bool(basis), "no services or deliveries were given",
            lambda: check_services(basis, plan, as_of=as_of))
        if service_list:
            found.extend(find_service_overlaps(
                service_list, cutover=plan.cutover, old_system=plan.old_system,
                new_system=plan.new_system))
            checks.append("find_service_overlaps")
        if case_list:
            found.append(_skipped("find_duplicate_active_cases",
                                  "one active case per citizen is an SMDB rule"))

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
        checks=tuple(checks), merge=merge_summary,
    )
