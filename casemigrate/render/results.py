"""The views of the other results: merge, scenarios, cleanup, conversion, notice, savings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from casemigrate._text import check_language, join, number, plural
from casemigrate.render._base import (
    _LEFT,
    CITATIONS,
    CONSIDERATION_WORDS,
    DEFAULT_LIMIT,
    _citation,
    _e,
    _findings_brief_html,
    _hours,
    _in,
    _merge_rows,
    _money,
    _say,
    _table,
    _view,
    _words,
)

if TYPE_CHECKING:
    from casemigrate.cleanup import CleanupEstimate, NoticePeriod, Savings
    from casemigrate.conversion import ConversionPlan
    from casemigrate.delivery import MergeResult
    from casemigrate.scenario import ScenarioDecision, ScenarioSummary
    from casemigrate.workdays import WorkSchedule


# ---- the other results -----------------------------------------------------------

def _title(text: str) -> str:
    return f'<h4 style="{_LEFT}">{_e(text)}</h4>'


def _facts(rows: Iterable[tuple[str, str]], cls: str) -> str:
    """A two-column table of (label, already-escaped value) rows."""
    return _table(("", ""), [(_e(label), value) for label, value in rows], cls=cls)


def merge_html(result: MergeResult, language: str = "en") -> str:
    """The merge's ledger: services in, kept, excluded by reason (in words).

    Example:
        >>> from casemigrate import MergeResult
        >>> empty = MergeResult(services=(), excluded=(), used=(), findings=(), services_in=0)
        >>> "modtagne ydelser" in merge_html(empty, "da"), merge_repr(empty)
        (True, '<MergeResult: 0 services in, 0 kept, 0 excluded; 0 deliveries used; 0 findings>')
    """
    from casemigrate.delivery import MERGE_SOURCES  # noqa: PLC0415  # it imports us

    w = _words(language)
    summary = result.summary()
    rows = [(_e(label.strip()), value) for label, value in _merge_rows(summary, language)]
    used = ", ".join(summary["deliveries_used"]) or "–"
    body = (_title(w["merge"])
            + _table((w["reason"], w["services"]), rows, numeric=(1,), cls="cm-merge")
            + f'<p style="{_LEFT}">{_e(w["deliveries_used"])}: <code>{_e(used)}</code></p>'
            + _findings_brief_html(result.findings, language)
            + _citation(MERGE_SOURCES, language))
    return _view("merge", body, language)


def merge_text(result: MergeResult, language: str = "en") -> str:
    """The merge's ledger as plain text: the rows of its HTML, numbers aligned.

    Example:
        >>> from casemigrate import MergeResult
        >>> empty = MergeResult(services=(), excluded=(), used=(), findings=(), services_in=0)
        >>> print(merge_text(empty))
        Merge of the deliveries:
          services in                      0
          kept in the data basis           0
          excluded                         0
          deliveries used: –
          Findings: 0
    """
    w = _words(language)
    summary = result.summary()
    rows = _merge_rows(summary, language)
    width = max(len(label) for label, _ in rows)
    lines = [f"{w['merge']}:"]
    lines += [f"  {label:<{width}}  {value:>10}" for label, value in rows]
    lines.append(f"  {w['deliveries_used']}: {', '.join(summary['deliveries_used']) or '–'}")
    by_code = ", ".join(f"{code} {number(n, language)}"
                        for code, n in summary["findings_by_code"].items())
    lines.append(f"  {w['findings']}: {number(len(result.findings), language)}"
                 + (f" ({by_code})" if by_code else ""))
    return "\n".join(lines)


def merge_repr(result: MergeResult) -> str:
    """A one-line repr of the ledger."""
    s = result.summary()
    reasons = ", ".join(f"{name} {n:,}" for name, n in s["excluded_by_reason"].items() if n)
    return (f"<MergeResult: {s['services_in']:,} services in, {s['kept']:,} kept, "
            f"{s['excluded']:,} excluded" + (f" ({reasons})" if reasons else "")
            + f"; {len(result.used)} deliveries used; {len(result.findings):,} findings>")


def _scenario_line(decision: ScenarioDecision) -> str:
    return ", ".join(f"{s.value}: {points}" for s, points in decision.ranking)


def decision_html(decision: ScenarioDecision, language: str = "en") -> str:
    """Why a group moves when it does: scores, reasons in words, unknowns, sources.

    Example:
        >>> from casemigrate import CaseGroup, choose_scenario
        >>> decision = choose_scenario(CaseGroup(name="PPR", early_mover_kind=True))
        >>> "a kind of case the source names as an early mover" in decision_html(decision)
        True
    """
    words = CONSIDERATION_WORDS[check_language(language)]
    da = language == "da"
    scenario = "Scenarie" if da else "Scenario"
    yes, no = ("ja", "nej") if da else ("yes", "no")
    head = f"{decision.group.name}: {scenario.lower()} {decision.scenario.value}"
    described = decision.scenario.describe(language=language).splitlines()[0]
    rows = []
    for reason in decision.reasons:
        value = reason.value
        shown = (yes if value is True else no if value is False else
                 _LOAD_DA.get(str(getattr(value, "value", value)), str(value)) if da else
                 str(getattr(value, "value", value)))
        favours = ", ".join(str(s.value) for s in reason.favours) or "–"
        points = ", ".join(f"{s.value}: +{p}" for s, p in reason.points.items() if p) or "–"
        rows.append((_e(words.get(reason.consideration, reason.consideration)), _e(shown),
                     _e(favours), _e(points),
                     f'<span style="opacity:.8">{_e(reason.citation)}</span>'))
    body = [_title(head),
            f'<p style="{_LEFT}">{_e(described)}</p>',
            _table((scenario.lower(), "point" if da else "points"),
                   [(str(s.value), str(points)) for s, points in decision.ranking],
                   numeric=(1,), cls="cm-ranking")]
    if decision.tie_broken:
        body.append(f'<p style="{_LEFT}">'
                    + _e("Lige mange point: afgjort efter rækkefølgen 3, 2, 1." if da else
                         "A tie: decided by the order 3, 2, 1 (3 is the source's default).")
                    + "</p>")
    body.append(_table(("hensyn" if da else "consideration", "værdi" if da else "value",
                        "favoriserer" if da else "favours", "point" if da else "points",
                        _words(language)["citation"]), rows, nowrap=(2, 3), cls="cm-reasons"))
    if decision.unknowns:
        label = "Ukendt (tæller ikke med)" if da else "Unknown (counted for nothing)"
        body.append(f'<p class="cm-unknowns" style="{_LEFT}"><strong>{_e(label)}:</strong></p>'
                    '<ul class="cm-unknowns">'
                    + "".join(f'<li style="{_LEFT}">{_e(words.get(u, u))}</li>'
                              for u in decision.unknowns) + "</ul>")
    body.append(_citation(CITATIONS["ScenarioDecision"], language))
    return _view("decision", "".join(body), language)


def decision_repr(decision: ScenarioDecision) -> str:
    """A one-line repr: group, scenario, scores and how many considerations are unknown."""
    return (f"<ScenarioDecision {decision.group.name!r}: scenario {decision.scenario.value} "
            f"(scores {_scenario_line(decision)}); {len(decision.reasons)} known, "
            f"{len(decision.unknowns)} unknown>")


def summary_html(summary: ScenarioSummary, language: str = "en", *,
                 limit: int = DEFAULT_LIMIT) -> str:
    """Cases per scenario, then each group's decision (at most ``limit`` groups).

    Example:
        >>> from casemigrate import CaseGroup, choose_scenarios
        >>> summary = choose_scenarios([CaseGroup(name=f"G{i}") for i in range(30)])
        >>> "and 27 more" in summary_html(summary, limit=3), summary_repr(summary)[:26]
        (True, '<ScenarioSummary 30 groups')
    """
    da = check_language(language) == "da"
    rows = [(str(s.value), number(row["groups"], language),
             number(row["active_cases"], language), number(row["passive_cases"], language))
            for s, row in summary.by_scenario.items()]
    head = (("scenarie", "grupper", "aktive sager", "passive sager") if da else
            ("scenario", "groups", "active cases", "passive cases"))
    groups = [(_e(d.group.name), str(d.scenario.value), _e(_scenario_line(d)),
               _e(join([CONSIDERATION_WORDS[language].get(u, u) for u in d.unknowns], language))
               or "–")
              for d in summary.decisions[:limit]]
    body = (_title("Hvornår flytter grupperne" if da else "When each group moves")
            + _table(head, rows, numeric=(1, 2, 3), cls="cm-by-scenario")
            + _table(("gruppe" if da else "group", "scenarie" if da else "scenario",
                      "point" if da else "scores", "ukendt" if da else "unknown"),
                     groups, cls="cm-decisions"))
    rest = len(summary.decisions) - len(groups)
    if rest > 0:
        body += (f'<p class="cm-more" style="{_LEFT}">'
                 f"{_e(_say('and_more', language, n=rest))}</p>")
    body += _citation(CITATIONS["ScenarioSummary"], language)
    return _view("scenarios", body, language)


def summary_repr(summary: ScenarioSummary) -> str:
    """A one-line repr: groups per scenario."""
    parts = ", ".join(f"{s.value}: {row['groups']:,} groups, {row['active_cases']:,} active"
                      for s, row in summary.by_scenario.items())
    return f"<ScenarioSummary {len(summary.decisions):,} groups; {parts}>"


def schedule_html(schedule: WorkSchedule, language: str = "en") -> str:
    """A work schedule's two finishing days, as a small table.

    Example:
        >>> import datetime as dt
        >>> from casemigrate.workdays import schedule_work
        >>> s = schedule_work(600, 900, staff=1, hours_per_day=5, start=dt.date(2026, 3, 2))
        >>> "2026-03-03 (2 arbejdsdage)" in schedule_html(s, "da")
        True
    """
    da = check_language(language) == "da"
    days = "# arbejdsdag|# arbejdsdage" if da else "# working day|# working days"
    rows = [("start", str(schedule.start)),
            ("tidligst færdig" if da else "earliest finish",
             f"{schedule.earliest_finish} ({plural(schedule.working_days_low, days, language)})"),
            ("senest færdig" if da else "latest finish",
             f"{schedule.latest_finish} ({plural(schedule.working_days_high, days, language)})")]
    return _facts([(label, _e(value)) for label, value in rows], "cm-schedule")


def cleanup_html(estimate: CleanupEstimate, language: str = "en", *,
                 schedule: WorkSchedule | None = None) -> str:
    """Cases and hours low–high per complexity, the total and, if given, the schedule.

    Example:
        >>> from casemigrate import Complexity, estimate_cleanup
        >>> estimate = estimate_cleanup({Complexity.COMPLEX: 6})
        >>> "1.5–2.5 h" in cleanup_html(estimate), cleanup_repr(estimate)
        (True, '<CleanupEstimate 6 cases (SIMPLE 0, MEDIUM 0, COMPLEX 6): 1.5-2.5 h>')
    """
    da = check_language(language) == "da"
    names = ({"SIMPLE": "simpel", "MEDIUM": "mellem", "COMPLEX": "kompleks"} if da else
             {"SIMPLE": "simple", "MEDIUM": "medium", "COMPLEX": "complex"})
    rows = [(_e(names.get(c.name, c.name)), number(n, language),
             f"{c.low_minutes}–{c.high_minutes} min", _hours(n * c.low_minutes / 60,
                                                           n * c.high_minutes / 60, language))
            for c, n in estimate.counts.items()]
    rows.append((f"<strong>{_e(_words(language)['total'])}</strong>",
                 f"<strong>{number(estimate.cases, language)}</strong>", "",
                 f"<strong>{_hours(estimate.low_hours, estimate.high_hours, language)}"
                 "</strong>"))
    head = (("kompleksitet", "sager", "pr. sag", "timer") if da else
            ("complexity", "cases", "per case", "hours"))
    body = (_title("Oprydning" if da else "Cleanup estimate")
            + _table(head, rows, numeric=(1, 2, 3), cls="cm-cleanup"))
    if schedule is not None:
        body += schedule_html(schedule, language)
    body += _citation(CITATIONS["CleanupEstimate"], language)
    return _view("cleanup", body, language)


def cleanup_repr(estimate: CleanupEstimate) -> str:
    """A one-line repr: cases per complexity and the range in hours."""
    counts = ", ".join(f"{c.name} {n:,}" for c, n in estimate.counts.items())
    return (f"<CleanupEstimate {estimate.cases:,} cases ({counts}): "
            f"{estimate.low_hours:,.1f}-{estimate.high_hours:,.1f} h>")


_METHOD_DA: Final[Mapping[str, str]] = {"PARTLY_AUTOMATIC": "delvis automatisk",
                                        "MANUAL": "manuel"}
_LOAD_DA: Final[Mapping[str, str]] = {"spread": "spredt over tid", "peak": "én kort top"}


def conversion_html(plan: ConversionPlan, language: str = "en", *,
                    limit: int = DEFAULT_LIMIT) -> str:
    """What is converted, what stays and why, the workload and the schedule.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case, ConversionMethod, plan_conversion
        >>> cases = [Case(case_id=f"C-{i}", municipality=607, citizen=None, system="Old",
        ...               opened=dt.date(2020, 1, 1)) for i in range(3)]
        >>> plan = plan_conversion(cases, include_passive=False,
        ...                        method=ConversionMethod.MANUAL, minutes_per_case=(5, 10),
        ...                        staff=1, hours_per_day=5, start=dt.date(2026, 3, 2))
        >>> "3 (3 aktive, 0 passive)" in conversion_html(plan, "da")
        True
    """
    da = check_language(language) == "da"
    active = sum(1 for c in plan.selected if c.closed is None)
    reasons = Counter(item.reason for item in plan.left_behind)
    rows: list[tuple[str, str]] = [
        ("konverteres" if da else "converted",
         f"{number(len(plan.selected), language)} ("
         + plural(active, "# aktiv|# aktive" if da else "# active|# active", language) + ", "
         + plural(len(plan.selected) - active, "# passiv|# passive" if da else
                  "# passive|# passive", language) + ")"),
        ("bliver i det tidligere system" if da else "left in the old system",
         number(len(plan.left_behind), language)),
    ]
    rows += [(f"  – {_in(reason, language)}", number(n, language)) for reason, n in
             sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:limit]]
    rows += [
        ("metode" if da else "method",
         _METHOD_DA.get(plan.method.name, "") if da else plan.method.value.replace("_", " ")),
        ("minimumsindhold" if da else "minimum content",
         "basisoplysninger og indsats" if da else join(list(plan.minimum_content), language)),
        ("senere" if da else "later",
         "øvrige relevante sagsoplysninger, ved den planlagte opfølgning" if da
         else plan.later_content),
        ("minutter pr. sag" if da else "minutes per case",
         f"{plan.minutes_per_case[0]:g}–{plan.minutes_per_case[1]:g}"),
        ("arbejdsindsats" if da else "workload", _hours(plan.low_hours, plan.high_hours, language)),
    ]
    body = (_title("Konverteringsplan" if da else "Conversion plan")
            + _facts([(label, _e(value)) for label, value in rows], "cm-conversion")
            + schedule_html(plan.schedule, language)
            + _findings_brief_html(plan.findings, language)
            + _citation(CITATIONS["ConversionPlan"], language))
    return _view("conversion", body, language)


def conversion_repr(plan: ConversionPlan) -> str:
    """A one-line repr: never the cases themselves."""
    return (f"<ConversionPlan {len(plan.selected):,} cases to convert, "
            f"{len(plan.left_behind):,} left behind, {plan.method.value}: "
            f"{plan.low_hours:,.1f}-{plan.high_hours:,.1f} h, done "
            f"{plan.schedule.earliest_finish} to {plan.schedule.latest_finish}; "
            f"{len(plan.findings)} findings>")


def notice_html(notice: NoticePeriod, language: str = "en") -> str:
    """The notice: months, the day it ends, why, and where the policy decided.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import notice_period
        >>> notice = notice_period(manual_cases=2400, closes_all_itself=True,
        ...                        notice_given=dt.date(2016, 1, 29))
        >>> "2 måneder" in notice_html(notice, "da")
        True
    """
    da = check_language(language) == "da"
    months = "# måned|# måneder" if da else "# month|# months"
    rows = [("varsel" if da else "notice", plural(notice.months, months, language)),
            ("udløber" if da else "ends on", str(notice.ends_on)),
            ("årsag" if da else "reason", _in(notice.reason, language))]
    body = (_title("Opsigelsesvarsel" if da else "Notice period")
            + _facts([(label, _e(value)) for label, value in rows], "cm-notice")
            + _findings_brief_html(notice.findings, language)
            + _citation(CITATIONS["NoticePeriod"], language))
    return _view("notice", body, language)


def savings_html(savings: Savings, language: str = "en") -> str:
    """Cases and bill before and after, the saving a month and a year.

    Example:
        >>> from casemigrate import estimate_savings
        >>> s = estimate_savings(active_before=10, active_after=5, monthly_bill_before=100)
        >>> "50.00 kr." in savings_html(s)
        True
    """
    da = check_language(language) == "da"
    price = savings.price_per_case.quantize(Decimal("0.0001"))
    rows = [
        ("aktive sager før → efter" if da else "active cases before → after",
         f"{number(savings.active_before, language)} → {number(savings.active_after, language)}"),
        ("pris pr. aktiv sag pr. måned" if da else "price per active case a month",
         f"{number(price, language)} kr."),
        ("regning pr. måned før → efter" if da else "monthly bill before → after",
         f"{_money(savings.monthly_bill_before, language)} → "
         f"{_money(savings.monthly_bill_after, language)}"),
        ("besparelse pr. måned" if da else "saving a month", _money(savings.monthly, language)),
        ("besparelse pr. år" if da else "saving a year", _money(savings.yearly, language)),
    ]
    body = (_title("Besparelse" if da else "Savings")
            + _facts([(label, _e(value)) for label, value in rows], "cm-savings")
            + _findings_brief_html(savings.findings, language)
            + _citation(CITATIONS["Savings"], language))
    return _view("savings", body, language)
