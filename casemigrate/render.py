"""How results look: the readiness report, the timeline and every result, as text and HTML.

Detection and presentation are kept apart: rule modules compute, this module shows.
Each result class delegates its ``_repr_html_`` (Jupyter), its bounded ``__repr__`` (a
terminal) and, where it has one, its text rendering to a function here.

What every view promises:

* a summary first, details after; never thousands of records on screen: a list of
  records shows at most ``limit`` of them and says how many more there are;
* severity shown by colour *and* by a text label, readable without colour;
* text left-aligned whatever the notebook's stylesheet (inline styles win over it);
* every value from user data escaped; a CPR number never in full (records hold it
  masked already, and nothing here unmasks it);
* labels in English (``"en"``) or Danish (``"da"``), numbers in that language's
  format (``18,000`` or ``18.000``);
* the citation of the rule or figures shown.

The timeline is drawn as inline SVG (no JavaScript, no plotting library):
:func:`timeline_svg` gives a string a converter can embed anywhere.

Example:
    >>> import datetime as dt
    >>> from casemigrate import CutoverPlan, plan_timeline
    >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1))
    >>> svg = timeline_svg(plan_timeline(plan), as_of=dt.date(2026, 5, 20))
    >>> svg.startswith("<svg") and "cutover 2026-06-01" in svg
    True
    >>> number(18000, "da"), number(18000, "en")
    ('18.000', '18,000')
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from casemigrate.findings import RULES, Finding, Severity, _language

if TYPE_CHECKING:
    from casemigrate.cleanup import CleanupEstimate, NoticePeriod, Savings
    from casemigrate.conversion import ConversionPlan
    from casemigrate.delivery import MergeResult
    from casemigrate.plan import Milestone, Timeline
    from casemigrate.readiness import Report
    from casemigrate.scenario import ScenarioDecision, ScenarioSummary
    from casemigrate.workdays import WorkSchedule

__all__ = [
    "CITATIONS",
    "CONSIDERATION_WORDS",
    "DEFAULT_LIMIT",
    "cleanup_html",
    "cleanup_repr",
    "conversion_html",
    "conversion_repr",
    "decision_html",
    "decision_repr",
    "html_view",
    "merge_html",
    "merge_repr",
    "notice_html",
    "number",
    "report_html",
    "report_repr",
    "report_text",
    "savings_html",
    "schedule_html",
    "short_repr",
    "summary_html",
    "summary_repr",
    "timeline_html",
    "timeline_repr",
    "timeline_svg",
    "timeline_table_html",
    "timeline_text",
]

DEFAULT_LIMIT: Final = 20
"""How many records a view lists per block unless told otherwise."""

_SHOWN_SUBJECTS: Final = 8

# ---- words -----------------------------------------------------------------------

_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "title": "Readiness", "ready": "READY", "not_ready": "NOT READY",
        "timeline": "Timeline", "findings": "Findings", "none": "no findings",
        "as_of": "as of", "cutover": "cutover", "more": "more", "and_more": "and {n} more",
        "merge": "Merge of the deliveries", "hint": "hint", "code": "code", "name": "name",
        "count": "findings", "count_1": "finding",
        "pattern": "message pattern",
        "citation": "source", "records": "records", "record": "record",
        "showing": "showing {shown} of {total}", "ERROR": "ERROR", "WARNING": "WARNING",
        "INFO": "INFO", "ERROR_n": "errors", "WARNING_n": "warnings", "INFO_n": "info",
        "ERROR_1": "error", "WARNING_1": "warning", "INFO_1": "info",
        "milestone": "milestone", "earliest": "earliest", "latest": "latest",
        "done": "done", "status": "status", "overdue": "overdue",
        "upcoming": "to do", "services_in": "services in",
        "kept": "kept in the data basis", "excluded": "excluded", "reason": "reason",
        "deliveries_used": "deliveries used", "services": "services",
        "total": "total",
    },
    "da": {
        "title": "Parathed", "ready": "KLAR", "not_ready": "IKKE KLAR",
        "timeline": "Tidslinje", "findings": "Fund", "none": "ingen fund",
        "as_of": "pr.", "cutover": "skæringsdato", "more": "flere", "and_more": "og {n} flere",
        "merge": "Sammenlægning af leverancerne", "hint": "råd", "code": "kode",
        "name": "navn", "count": "fund", "count_1": "fund",
        "pattern": "beskedskabelon",
        "citation": "kilde", "records": "poster", "record": "post",
        "showing": "viser {shown} af {total}", "ERROR": "FEJL", "WARNING": "ADVARSEL",
        "INFO": "INFO", "ERROR_n": "fejl", "WARNING_n": "advarsler", "INFO_n": "info",
        "ERROR_1": "fejl", "WARNING_1": "advarsel", "INFO_1": "info",
        "milestone": "milepæl", "earliest": "tidligst", "latest": "senest",
        "done": "gjort", "status": "status", "overdue": "overskredet",
        "upcoming": "mangler", "services_in": "ydelser ind",
        "kept": "med i datagrundlaget", "excluded": "udeladt", "reason": "årsag",
        "deliveries_used": "brugte leverancer", "services": "ydelser",
        "total": "i alt",
    },
}

_MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"),
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.",
           "nov.", "dec."),
}

# Why a service is not in the data basis, in words (keys: ExclusionReason names).
_EXCLUSION: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "ACTIVE_IN_OLD_SYSTEM": "active in the old system: the new system reports it",
        "NOT_LATEST_DELIVERY": "in an earlier delivery: only the latest one counts",
        "TEST_DELIVERY": "in a test delivery (T402): never used for the statistics",
        "OTHER_SYSTEM": "from a system that is neither the old nor the new one",
        "OTHER_MUNICIPALITY": "in a delivery of another municipality",
        "SERVICE_OF_OTHER_MUNICIPALITY": "the service's municipality is not its delivery's",
        "DUPLICATE_IN_DELIVERY": "its id is repeated in the delivery (the first is kept)",
    },
    "da": {
        "ACTIVE_IN_OLD_SYSTEM": "aktiv i det tidligere system: det nye system indberetter den",
        "NOT_LATEST_DELIVERY": "i en tidligere leverance: kun den seneste tæller",
        "TEST_DELIVERY": "i en testleverance (T402): bruges aldrig i statistikken",
        "OTHER_SYSTEM": "fra et system, der hverken er det tidligere eller det nye",
        "OTHER_MUNICIPALITY": "i en leverance fra en anden kommune",
        "SERVICE_OF_OTHER_MUNICIPALITY": "ydelsens kommune er ikke leverancens",
        "DUPLICATE_IN_DELIVERY": "dens id går igen i leverancen (den første beholdes)",
    },
}

# The considerations of a scenario choice, in words (keys: CaseGroup fields).
CONSIDERATION_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "needs_overview_and_advis_system":
            "staff need a real overview and advis system beside their own system",
        "others_need_overview": "other staff need an overview of these cases",
        "good_line_of_business_system":
            "a good line-of-business system with the needed advis exists",
        "esdh_sufficient": "a general records-management (ESDH) system is enough",
        "only_cpr_advis": "the cases use only population-register (CPR) advis",
        "new_system_has_kmd_interface": "the new system already has an interface to KMD Sag",
        "users_keep_kmd_for_advis": "users keep KMD Sag for advis and overview",
        "fixed_price_agreement": "a fixed-price agreement on the new system",
        "load_preference": "spread the load (rather than one short peak)",
        "users_mature": "users work systematically and learn new systems easily",
        "early_mover_kind": "a kind of case the source names as an early mover",
    },
    "da": {
        "needs_overview_and_advis_system":
            "medarbejderne behøver et egentligt overblik- og advissystem ved siden af "
            "fagsystemet",
        "others_need_overview": "andre medarbejdere behøver overblik over sagerne",
        "good_line_of_business_system":
            "der findes et godt fagsystem med de nødvendige adviser",
        "esdh_sufficient": "et generelt ESDH-system er nok",
        "only_cpr_advis": "sagerne bruger kun folkeregisteradviser",
        "new_system_has_kmd_interface": "det nye system har allerede en snitflade til KMD Sag",
        "users_keep_kmd_for_advis": "brugerne beholder KMD Sag til advis og overblik",
        "fixed_price_agreement": "fastprisaftale på det nye system",
        "load_preference": "brede belastningen ud (frem for én kort top)",
        "users_mature": "brugerne arbejder systematisk og lærer nye systemer let",
        "early_mover_kind": "en sagstype, kilden nævner som egnet til tidlig flytning",
    },
}
"""Each consideration of :func:`~casemigrate.choose_scenario` in words, by language."""

# Where the figures of each result come from (publisher, title, section).
_KOMBIT_EXIT: Final = ('KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle '
                       'sager", 20 March 2015')
CITATIONS: Final[Mapping[str, str]] = {
    "MergeResult": ('Danmarks Statistik, "Vejledning om systemskifte til kommuner", '
                    'section 2 "DSTs databehandling ved systemskifte", points 1)-3)'),
    "ScenarioDecision": f'{_KOMBIT_EXIT}, Del 1, "Fordele og ulemper ved scenarierne"',
    "ScenarioSummary": f'{_KOMBIT_EXIT}, Del 1, "Overvejelser i forhold til hvornår sager '
                       'kan flyttes"',
    "CleanupEstimate": f'{_KOMBIT_EXIT}, Del 3, "Estimering af omfanget af oprydning i KMD '
                       'Sag Sager"',
    "NoticePeriod": f'{_KOMBIT_EXIT}, Del 3, "Opsigelse af manuelle sager i KMD Sag"',
    "Savings": f'{_KOMBIT_EXIT}, Del 2 (Fredericia) and "FAQ Manuelle sager"',
    "ConversionPlan": ('KL/KOMBIT, DUBU 3.0 KLIK task card (Fase 2: Forberedelse, '
                       '"Ud- og indfasning"), step 3 "Planlæg konverteringen"'),
}
"""The source of each result's figures, shown under its view."""

_COLOURS: Final[Mapping[Severity, tuple[str, str, str]]] = {
    # (text, background, accent): dark text on a light tint reads in light and dark themes.
    Severity.ERROR: ("#7f1d1d", "#fee2e2", "#dc2626"),
    Severity.WARNING: ("#78350f", "#fef3c7", "#d97706"),
    Severity.INFO: ("#1e3a8a", "#dbeafe", "#2563eb"),
}
_STATUS_COLOURS: Final[Mapping[str, str]] = {
    # Mid tones: readable on a light and on a dark notebook background.
    "done": "#16a34a", "overdue": "#dc2626", "upcoming": "#2563eb",
}

_e = html.escape


def _words(language: str) -> Mapping[str, str]:
    return _WORDS[_language(language)]


def number(value: int | float | Decimal, language: str = "en") -> str:
    """A number with the language's thousands separator (and decimal mark).

    Example:
        >>> number(Decimal("13106.96"), "da"), number(2.5, "en")
        ('13.106,96', '2.5')
    """
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, Decimal):
        text = f"{value:,f}"
    else:
        text = f"{value:,.1f}"
    if _language(language) == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _count(findings: int, language: str) -> str:
    w = _words(language)
    return f"{number(findings, language)} {w['count_1'] if findings == 1 else w['count']}"


def _money(value: Decimal, language: str) -> str:
    return f"{number(value.quantize(Decimal('0.01')), language)} kr."


def _hours(low: float, high: float, language: str) -> str:
    return f"{number(round(low, 1), language)}–{number(round(high, 1), language)} h"


# ---- HTML building blocks --------------------------------------------------------

_LEFT: Final = "text-align:left"
_CELL: Final = f"{_LEFT};padding:3px 12px 3px 0;vertical-align:top"
_NUM: Final = "text-align:right;padding:3px 12px 3px 0;font-variant-numeric:tabular-nums"
_STYLE: Final = (
    "<style>"
    ".cm-view{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "font-size:13px;line-height:1.45;max-width:60rem;text-align:left}"
    ".cm-view h3,.cm-view h4{margin:14px 0 6px;text-align:left}"
    ".cm-view table{border-collapse:collapse;margin:4px 0 10px;table-layout:auto}"
    ".cm-view th,.cm-view td{border-bottom:1px solid rgba(128,128,128,.25)}"
    ".cm-view th{font-weight:600}"
    ".cm-view code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}"
    ".cm-view details>summary{cursor:pointer}"
    ".cm-view ul.cm-records{margin:4px 0 0 0;padding-left:18px}"
    ".cm-view ul.cm-records li{overflow-wrap:anywhere}"
    ".cm-view svg{display:block;max-width:100%;height:auto}"
    "</style>"
)


def _badge(severity: Severity, language: str) -> str:
    fg, bg, accent = _COLOURS[severity]
    label = _words(language)[severity.name]
    return (f'<span class="cm-badge" data-severity="{severity.name}" style="display:inline-block;'
            f"min-width:4.5em;padding:0 6px;border-radius:3px;border:1px solid {accent};"
            f'color:{fg};background:{bg};font-weight:600;font-size:11px;text-align:center">'
            f"{_e(label)}</span>")


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Iterable[int] = (),
           nowrap: Iterable[int] = (), cls: str = "",
           row_attrs: Sequence[str] | None = None) -> str:
    """A table of already-escaped cells; ``numeric`` columns are right-aligned."""
    right = set(numeric)
    keep = set(nowrap) | right
    styles = [(_NUM if i in right else _CELL) + (";white-space:nowrap" if i in keep else "")
              for i in range(len(head))]
    parts = [f'<table class="{cls}" style="{_LEFT}">']
    if any(head):
        parts.append("<thead><tr>")
        parts += [f'<th style="{styles[i]}">{cell}</th>' for i, cell in enumerate(head)]
        parts.append("</tr></thead>")
    parts.append("<tbody>")
    for index, row in enumerate(rows):
        extra = f" {row_attrs[index]}" if row_attrs is not None else ""
        parts.append(f"<tr{extra}>")
        parts += [f'<td style="{styles[i]}">{cell}</td>' for i, cell in enumerate(row)]
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _citation(text: str, language: str) -> str:
    return (f'<p class="cm-citation" style="{_LEFT};margin:4px 0;opacity:.8">'
            f"{_e(_words(language)['citation'])}: {_e(text)}</p>")


def _view(kind: str, body: str, language: str) -> str:
    return (f'<div class="cm-view cm-view-{kind}" lang="{language}" style="{_LEFT}">'
            f"{_STYLE}{body}</div>")


def _subjects(subjects: tuple[str, ...], language: str) -> str:
    shown = list(subjects[:_SHOWN_SUBJECTS])
    rest = len(subjects) - len(shown)
    if rest:
        shown.append(f"+{number(rest, language)} {_words(language)['more']}")
    return ", ".join(shown)


def _pattern_html(template: str) -> str:
    """A message template with its fields shown as ``<var>`` placeholders."""
    out: list[str] = []
    last = 0
    for match in re.finditer(r"\{(\w+)\}", template):
        out.append(_e(template[last:match.start()]))
        out.append(f"<var>{_e(match.group(1))}</var>")
        last = match.end()
    out.append(_e(template[last:]))
    return "".join(out)


def _groups(findings: Sequence[Finding]) -> list[tuple[Severity, str, list[Finding]]]:
    """Findings by (severity, code), worst severity first, then code."""
    groups: dict[tuple[Severity, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.severity, finding.code), []).append(finding)
    return [(severity, code, items) for (severity, code), items in sorted(groups.items())]


def _findings_html(findings: Sequence[Finding], language: str, limit: int) -> str:
    w = _words(language)
    if not findings:
        return f'<p class="cm-none" style="{_LEFT}">{_e(w["none"])}</p>'
    parts: list[str] = []
    for severity, code, items in _groups(findings):
        rule = RULES[code]
        accent = _COLOURS[severity][2]
        total = len(items)
        parts.append(
            f'<section class="cm-block" data-code="{_e(code)}" data-severity="{severity.name}" '
            f'data-count="{total}" style="{_LEFT};border-left:4px solid {accent};'
            'padding:2px 0 2px 10px;margin:10px 0">'
            f'<div class="cm-block-head" style="{_LEFT}">{_badge(severity, language)} '
            f"<code><strong>{_e(code)}</strong></code> {_e(rule.name)} "
            f'<span class="cm-count" data-count="{total}" style="opacity:.8">'
            f"({_e(_count(total, language))})</span></div>"
            f'<div class="cm-pattern" style="{_LEFT};margin-top:2px">{_e(w["pattern"])}: '
            f"{_pattern_html(rule.template(language))}</div>"
            f'<div class="cm-hint" style="{_LEFT}">{_e(w["hint"])}: '
            f"{_e(rule.hint_in(language))}</div>"
            f'<div class="cm-source" style="{_LEFT};opacity:.8">{_e(w["citation"])}: '
            f"{_e(rule.citation)}</div>"
        )
        shown = items[:limit]
        noun = w["record"] if total == 1 else w["records"]
        summary = (f"{number(total, language)} {_e(noun)}" if total <= limit else
                   f"{number(total, language)} {_e(w['records'])} ("
                   + _e(w["showing"].format(shown=number(len(shown), language),
                                            total=number(total, language))) + ")")
        parts.append(f'<details class="cm-records"><summary style="{_LEFT}">{summary}'
                     '</summary><ul class="cm-records">')
        for finding in shown:
            subjects = (f"<code>{_e(_subjects(finding.subjects, language))}</code>: "
                        if finding.subjects else "")
            parts.append(f'<li style="{_LEFT}">{subjects}{_e(finding.message_in(language))}'
                         "</li>")
        if total > len(shown):
            more = w["and_more"].format(n=number(total - len(shown), language))
            parts.append(f'<li class="cm-more" data-more="{total - len(shown)}" '
                         f'style="{_LEFT};list-style:none;font-style:italic">{_e(more)}</li>')
        parts.append("</ul></details></section>")
    return "".join(parts)


def _findings_text(findings: Sequence[Finding], language: str, limit: int | None) -> list[str]:
    w = _words(language)
    lines: list[str] = []
    width = max(len(w[s.name]) for s in Severity)
    for severity, code, items in _groups(findings):
        rule = RULES[code]
        total = len(items)
        lines += [
            f"{w[severity.name]:<{width}}  {code} {rule.name} ({_count(total, language)})",
            f"    {w['pattern']}: {rule.template(language)}",
            f"    {w['hint']}: {rule.hint_in(language)}",
            f"    {w['citation']}: {rule.citation}",
        ]
        shown = items if limit is None else items[:limit]
        for finding in shown:
            subjects = f"[{_subjects(finding.subjects, language)}] " if finding.subjects else ""
            lines.append(f"    - {subjects}{finding.message_in(language)}")
        if total > len(shown):
            lines.append(f"    ... {w['and_more'].format(n=number(total - len(shown), language))}")
    return lines


def _findings_brief_html(findings: Sequence[Finding], language: str) -> str:
    """One line per code: badge, code, name, count; for results that carry findings."""
    if not findings:
        return ""
    w = _words(language)
    rows = [(_badge(severity, language), f"<code>{_e(code)}</code>", _e(RULES[code].name),
             number(len(items), language))
            for severity, code, items in _groups(findings)]
    return (f"<h4>{_e(w['findings'])}</h4>"
            + _table(("", w["code"], w["name"], w["count"]), rows, numeric=(3,),
                     cls="cm-findings"))


# ---- the timeline ----------------------------------------------------------------

def _status(milestone: Milestone, as_of: dt.date | None) -> str:
    if milestone.done is not None:
        return "done"
    if as_of is not None and milestone.is_overdue(as_of):
        return "overdue"
    return "upcoming"


def _month_ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 10 or s == 120)
    ticks: list[dt.date] = []
    year, month = lo.year, lo.month
    while True:
        day = dt.date(year, month, 1)
        if day > hi:
            return ticks
        if day >= lo and (month - 1) % step == 0:
            ticks.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def timeline_svg(timeline: Timeline, *, as_of: dt.date | None = None,
                 language: str = "en", width: int = 760) -> str:
    """The timeline drawn as an inline SVG string (no script, no external resource).

    One row per milestone: its title, then a bar from its earliest to its latest day (an
    open end fades to the edge and is dashed). The cutover is a solid vertical line,
    ``as_of`` a dashed one. A milestone done carries a check mark at its day and the
    word "done"; one overdue on ``as_of`` is red and says "overdue". So colour is never
    the only signal.

    Args:
        timeline: The timeline.
        as_of: The day to judge overdue milestones on; ``None`` judges none overdue
            and draws no "as of" line.
        language: ``"en"`` or ``"da"``.
        width: The drawing's width in pixels (it scales down to its container).

    Returns:
        An ``<svg>`` element as a string.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, plan_timeline
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> svg = timeline_svg(plan_timeline(plan), as_of=dt.date(2026, 5, 20), language="da")
        >>> svg.count('class="cm-milestone"'), "overskredet" in svg
        (6, True)
    """
    w = _words(language)
    plan = timeline.plan
    days: list[dt.date] = [plan.cutover]
    for m in timeline:
        days += [d for d in (m.earliest, m.latest, m.done) if d is not None]
    if as_of is not None:
        days.append(as_of)
    lo = min(days) - dt.timedelta(days=10)
    hi = max(days) + dt.timedelta(days=10)
    span = max((hi - lo).days, 1)
    left, right, top, row_h, axis_h = 10, 10, 40, 38, 26
    height = top + row_h * len(timeline) + axis_h
    inner = width - left - right
    cut_label = f"{w['cutover']} {plan.cutover}"
    as_label = "" if as_of is None else f"{w['as_of']} {as_of}"
    # Leave room right of the latest marker for its label, so no label crosses a line.
    last, last_label = ((as_of, as_label) if as_of is not None and as_of >= plan.cutover
                        else (plan.cutover, cut_label))
    share = (last - lo).days / span
    if share > 0:
        inner = min(inner, int((width - right - left - 6 - 7 * len(last_label)) / share))

    def x(day: dt.date) -> float:
        return round(left + (day - lo).days / span * inner, 1)

    def anchor(pos: float, text: str) -> str:
        # To the right of its line where the label fits (about 7 px a character).
        return "start" if pos + 4 + 7 * len(text) < width - right else "end"

    label = (f"{w['timeline']}: {plan.register.name} {plan.municipality}, {w['cutover']} "
             f"{plan.cutover}")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cm-timeline-svg" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'style="max-width:100%;height:auto" '
        f'font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="12" '
        f'aria-label="{_e(label)}"><title>{_e(label)}</title>',
        "<defs>" + "".join(
            f'<linearGradient id="cm-fade-l-{status}"><stop offset="0" stop-color="{colour}" '
            f'stop-opacity="0"/><stop offset=".6" stop-color="{colour}"/></linearGradient>'
            f'<linearGradient id="cm-fade-r-{status}"><stop offset=".4" stop-color="{colour}"/>'
            f'<stop offset="1" stop-color="{colour}" stop-opacity="0"/></linearGradient>'
            for status, colour in _STATUS_COLOURS.items()) + "</defs>",
    ]
    # Month grid and labels along the bottom.
    axis_y = top + row_h * len(timeline)
    out.append(f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" '
               'stroke="currentColor" stroke-opacity=".5"/>')
    ticks = _month_ticks(lo, hi)
    for tick in ticks:
        tx = x(tick)
        name = _MONTHS[language][tick.month - 1]
        text = f"{name} {tick.year}" if tick.month == 1 or tick == ticks[0] else name
        out.append(f'<line class="cm-tick" x1="{tx}" y1="{top - 4}" x2="{tx}" y2="{axis_y + 4}" '
                   'stroke="currentColor" stroke-opacity=".12"/>'
                   f'<text x="{tx + 2}" y="{axis_y + 16}" fill="currentColor" '
                   f'fill-opacity=".7" font-size="11">{_e(text)}</text>')
    # Rows.
    for index, m in enumerate(timeline):
        y = top + index * row_h
        status = _status(m, as_of)
        colour = _STATUS_COLOURS[status]
        start = x(m.earliest) if m.earliest is not None else float(left)
        end = x(m.latest) if m.latest is not None else float(width - right)
        if end - start < 4:
            start, end = start - 2, end + 2
        note = {"done": f"{w['done']} {m.done}", "overdue": w["overdue"],
                "upcoming": ""}[status]
        window = (f"{m.earliest or '…'} – {m.latest or '…'}")
        title = f"{m.title_in(language)}: {window}" + (f" ({note})" if note else "")
        out.append(f'<g class="cm-milestone" data-key="{_e(m.key)}" data-status="{status}">'
                   f"<title>{_e(title)}</title>")
        out.append(f'<text x="{left}" y="{y + 13}" fill="currentColor">{_e(m.title_in(language))}'
                   + (f' <tspan font-weight="600" fill="{colour}">— {_e(note)}</tspan>'
                      if note else "") + "</text>")
        fill = (f"url(#cm-fade-l-{status})" if m.earliest is None else
                f"url(#cm-fade-r-{status})" if m.latest is None else colour)
        bar_y = y + 19
        out.append(f'<g color="{colour}" fill="{colour}" stroke="{colour}">'
                   f'<rect class="cm-bar" x="{start}" y="{bar_y}" width="{round(end - start, 1)}" '
                   f'height="11" rx="2" fill-opacity=".35" stroke-width="1"'
                   + (' stroke-dasharray="3 2"' if m.earliest is None or m.latest is None
                      else "")
                   + (f' style="fill:{fill}"' if fill != colour else "") + "/></g>")
        if m.done is not None:
            dx = x(m.done)
            out.append(f'<circle class="cm-done" cx="{dx}" cy="{bar_y + 5.5}" r="7" '
                       f'fill="{colour}"/><path d="M{dx - 3.5} {bar_y + 5.5} l2.5 2.5 l4.5 -5" '
                       'stroke="#fff" stroke-width="1.8" fill="none"/>')
        elif status == "overdue" and m.latest is not None:
            dx = x(m.latest)
            out.append(f'<path class="cm-overdue" d="M{dx} {bar_y - 2} l7 14 h-14 z" '
                       f'fill="{colour}"/><text x="{dx}" y="{bar_y + 10}" fill="#fff" '
                       'font-size="10" font-weight="700" text-anchor="middle">!</text>')
        out.append("</g>")
    # Cutover and as_of on top of everything.
    cx = x(plan.cutover)
    out.append(f'<g class="cm-cutover"><line x1="{cx}" y1="{top - 18}" x2="{cx}" y2="{axis_y}" '
               'stroke="currentColor" stroke-width="2"/>'
               f'<text x="{cx + (4 if anchor(cx, cut_label) == "start" else -4)}" '
               f'y="{top - 22}" text-anchor="{anchor(cx, cut_label)}" font-weight="600" '
               f'fill="currentColor">{_e(cut_label)}</text></g>')
    if as_of is not None:
        ax = x(as_of)
        out.append(f'<g class="cm-as-of"><line x1="{ax}" y1="{top - 6}" x2="{ax}" y2="{axis_y}" '
                   'stroke="#7c3aed" stroke-width="1.5" stroke-dasharray="5 3"/>'
                   f'<text x="{ax + (4 if anchor(ax, as_label) == "start" else -4)}" '
                   f'y="{top - 8}" text-anchor="{anchor(ax, as_label)}" fill="#7c3aed">'
                   f"{_e(as_label)}</text></g>")
    out.append("</svg>")
    return "".join(out)


def timeline_table_html(timeline: Timeline, *, as_of: dt.date | None, language: str) -> str:
    """The timeline's table: milestone, window, done, status (in words) and source."""
    w = _words(language)
    rows = []
    attrs_ = []
    for m in timeline:
        status = _status(m, as_of)
        colour = _STATUS_COLOURS[status]
        word = {"done": w["done"], "overdue": w["overdue"], "upcoming": w["upcoming"]}[status]
        rows.append((_e(m.title_in(language)), _e(str(m.earliest or "–")),
                     _e(str(m.latest or "–")), _e(str(m.done or "–")),
                     f'<span style="color:{colour};font-weight:600">{_e(word)}</span>',
                     f'<span style="opacity:.8">{_e(m.citation)}</span>'))
        attrs_.append(f'data-key="{_e(m.key)}" data-status="{status}"')
    return _table((w["milestone"], w["earliest"], w["latest"], w["done"], w["status"],
                   w["citation"]), rows, nowrap=(1, 2, 3, 4), cls="cm-timeline-table",
                  row_attrs=attrs_)


def timeline_html(timeline: Timeline, *, as_of: dt.date | None = None,
                  language: str = "en") -> str:
    """The timeline as a notebook view: the drawing, then the table beside it.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, plan_timeline
        >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> view = timeline_html(plan_timeline(plan))
        >>> view.count("<svg"), view.count('class="cm-timeline-table"')
        (1, 1)
    """
    plan = timeline.plan
    w = _words(language)
    head = (f"<h4>{_e(w['timeline'])}: {_e(plan.register.name)} {_e(str(plan.municipality))}, "
            f"{_e(plan.old_system)} → {_e(plan.new_system)}, {_e(w['cutover'])} "
            f"{plan.cutover}</h4>")
    body = (head + f'<div class="cm-timeline-figure" style="overflow-x:auto">'
            f"{timeline_svg(timeline, as_of=as_of, language=language)}</div>"
            + timeline_table_html(timeline, as_of=as_of, language=language))
    return _view("timeline", body, language)


def timeline_text(timeline: Timeline, *, as_of: dt.date | None,
                  language: str) -> list[str]:
    """The timeline's table as lines of text: the table of the HTML view, status in words."""
    w = _words(language)
    head = (w["milestone"], w["earliest"], w["latest"], w["done"], w["status"])
    words = {"done": w["done"], "overdue": w["overdue"].upper(), "upcoming": w["upcoming"]}
    rows = [head] + [(m.title_in(language), str(m.earliest or "-"), str(m.latest or "-"),
                      str(m.done or "-"), words[_status(m, as_of)]) for m in timeline]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  " + "  ".join(cell.ljust(width)
                                      for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return lines


def timeline_repr(timeline: Timeline) -> str:
    """A one-line repr: register, municipality, cutover, milestones and how many done."""
    plan = timeline.plan
    done = sum(1 for m in timeline if m.done is not None)
    return (f"<Timeline {plan.register.name} {plan.municipality} cutover {plan.cutover}: "
            f"{len(timeline)} milestones, {done} done>")


# ---- the readiness report --------------------------------------------------------

def _headline(report: Report, arrow: str = "->") -> tuple[str, str]:
    w = _words(report.language)
    p = report.plan
    where = (f"{w['title']}: {p.register.name} {p.municipality}, {p.old_system} {arrow} "
             f"{p.new_system}, {w['cutover']} {p.cutover}, {w['as_of']} {report.as_of}")
    counts = report.counts_by_severity
    state = w["ready"] if report.ok else w["not_ready"]
    tally = ", ".join(
        f"{number(counts[s.name], report.language)} "
        f"{w[s.name + ('_1' if counts[s.name] == 1 else '_n')]}" for s in Severity)
    return where, f"{state}: {tally}"


def _merge_rows(merge: Mapping[str, Any], language: str) -> list[tuple[str, str]]:
    w = _words(language)
    rows = [(w["services_in"], number(merge["services_in"], language)),
            (w["kept"], number(merge["kept"], language)),
            (w["excluded"], number(merge["excluded"], language))]
    reasons = _EXCLUSION[language]
    for reason, count in merge["excluded_by_reason"].items():
        if count:
            rows.append((f"  – {reasons.get(reason, reason)}", number(count, language)))
    return rows


def report_text(report: Report, *, limit: int | None = 5) -> str:
    """The report as plain text, in the same shape as its HTML.

    A headline (ready or not, counts per severity), the timeline, the merge's ledger,
    then one block per code, worst severity first: code, name, count, message
    pattern, hint and source once, and at most ``limit`` records.

    Args:
        report: The report.
        limit: Records listed per code; ``None`` lists all.
    """
    lang = report.language
    w = _words(lang)
    where, state = _headline(report)
    lines = [where, state, "", f"{w['timeline']}:", *timeline_text(
        report.timeline, as_of=report.as_of, language=lang)]
    if report.merge is not None:
        lines += ["", f"{w['merge']}:"]
        rows = _merge_rows(report.merge, lang)
        width = max(len(label) for label, _ in rows)
        lines += [f"  {label:<{width}}  {value:>10}" for label, value in rows]
    lines += ["", f"{w['findings']}:" if report.findings else f"{w['findings']}: {w['none']}"]
    lines += _findings_text(report.findings, lang, limit)
    return "\n".join(lines)


def report_html(report: Report, *, limit: int = DEFAULT_LIMIT) -> str:
    """The report as HTML for a notebook: summary first, then one block per code.

    Args:
        report: The report.
        limit: Records listed per code, in a collapsed list; the rest are counted.
    """
    lang = report.language
    w = _words(lang)
    where, state = _headline(report, "→")
    counts = report.counts_by_severity
    colour = _COLOURS[Severity.ERROR if not report.ok else Severity.INFO]
    ok_colour = "#15803d" if report.ok else colour[2]
    tally = "".join(
        f'<span class="cm-tally" data-severity="{s.name}" data-count="{counts[s.name]}" '
        f'style="margin-right:14px">{_badge(s, lang)} {number(counts[s.name], lang)}</span>'
        for s in Severity)
    parts = [
        f'<div class="cm-headline" data-ok="{str(report.ok).lower()}" style="{_LEFT};'
        f'border-left:6px solid {ok_colour};padding:6px 10px;margin-bottom:8px">'
        f'<div style="font-size:16px;font-weight:700;color:{ok_colour}">{_e(state.split(":")[0])}'
        f"</div><div>{_e(where)}</div><div style=\"margin-top:4px\">{tally}</div></div>",
        f"<h4>{_e(w['timeline'])}</h4>",
        f'<div class="cm-timeline-figure" style="overflow-x:auto">'
        f"{timeline_svg(report.timeline, as_of=report.as_of, language=lang)}</div>",
        timeline_table_html(report.timeline, as_of=report.as_of, language=lang),
    ]
    if report.merge is not None:
        rows = [(_e(label.strip()), value) for label, value in _merge_rows(report.merge, lang)]
        parts.append(f"<h4>{_e(w['merge'])}</h4>"
                     + _table((w["reason"], w["services"]), rows, numeric=(1,), cls="cm-merge"))
    parts.append(f"<h4>{_e(w['findings'])}</h4>")
    parts.append(_findings_html(report.findings, lang, limit))
    return _view("report", "".join(parts), lang)


def report_repr(report: Report) -> str:
    """A one-line repr: the plan, ready or not, and counts per severity."""
    p = report.plan
    counts = report.counts_by_severity
    return (f"<Report {p.register.name} {p.municipality} cutover {p.cutover} as of "
            f"{report.as_of}: {'ready' if report.ok else 'NOT READY'}, "
            f"{counts['ERROR']:,} errors, {counts['WARNING']:,} warnings, "
            f"{counts['INFO']:,} info>")


# ---- the other results -----------------------------------------------------------

def _title(text: str) -> str:
    return f'<h4 style="{_LEFT}">{_e(text)}</h4>'


def _facts(rows: Iterable[tuple[str, str]], cls: str) -> str:
    """A two-column table of (label, already-escaped value) rows."""
    return _table(("", ""), [(_e(label), value) for label, value in rows], cls=cls)


def merge_html(result: MergeResult, language: str = "en") -> str:
    """The merge's ledger: services in, kept, excluded by reason (in words)."""
    w = _words(language)
    summary = result.summary()
    rows = [(_e(label.strip()), value) for label, value in _merge_rows(summary, language)]
    used = ", ".join(summary["deliveries_used"]) or "–"
    body = (_title(w["merge"])
            + _table((w["reason"], w["services"]), rows, numeric=(1,), cls="cm-merge")
            + f'<p style="{_LEFT}">{_e(w["deliveries_used"])}: <code>{_e(used)}</code></p>'
            + _findings_brief_html(result.findings, language)
            + _citation(CITATIONS["MergeResult"], language))
    return _view("merge", body, language)


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
    """Why a group moves when it does: scores, reasons in words, unknowns, sources."""
    _language(language)
    words = CONSIDERATION_WORDS[language]
    da = language == "da"
    scenario = "Scenarie" if da else "Scenario"
    yes, no = ("ja", "nej") if da else ("yes", "no")
    head = f"{decision.group.name}: {scenario.lower()} {decision.scenario.value}"
    described = decision.scenario.describe(language=language).splitlines()[0]
    rows = []
    for reason in decision.reasons:
        value = reason.value
        shown = (yes if value is True else no if value is False else
                 str(getattr(value, "value", value)))
        favours = ", ".join(str(s.value) for s in reason.favours) or "–"
        points = ", ".join(f"{s.value}: +{p}" for s, p in reason.points.items() if p) or "–"
        rows.append((_e(words.get(reason.consideration, reason.consideration)), _e(shown),
                     _e(favours), _e(points),
                     f'<span style="opacity:.8">{_e(reason.citation)}</span>'))
    body = [_title(head),
            f'<p style="{_LEFT}">{_e(described)}</p>',
            _table((scenario, "point" if da else "points"),
                   [(str(s.value), str(points)) for s, points in decision.ranking],
                   numeric=(1,), cls="cm-ranking")]
    if decision.tie_broken:
        body.append(f'<p style="{_LEFT}">'
                    + _e("Uafgjort: afgjort efter rækkefølgen 3, 2, 1." if da else
                         "A tie: decided by the order 3, 2, 1 (3 is the source's default).")
                    + "</p>")
    body.append(_table(("hensyn" if da else "consideration", "værdi" if da else "value",
                        "favoriserer" if da else "favours", "point" if da else "points",
                        _words(language)["citation"]), rows, cls="cm-reasons"))
    if decision.unknowns:
        label = "Ukendt (talte ikke med)" if da else "Unknown (counted for nothing)"
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
    """Cases per scenario, then each group's decision (at most ``limit`` groups)."""
    _language(language)
    da = language == "da"
    w = _words(language)
    rows = [(str(s.value), number(row["groups"], language),
             number(row["active_cases"], language), number(row["passive_cases"], language))
            for s, row in summary.by_scenario.items()]
    head = (("scenarie", "grupper", "aktive sager", "passive sager") if da else
            ("scenario", "groups", "active cases", "passive cases"))
    groups = [(_e(d.group.name), str(d.scenario.value), _e(_scenario_line(d)),
               _e(", ".join(CONSIDERATION_WORDS[language].get(u, u) for u in d.unknowns))
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
                 f"{_e(w['and_more'].format(n=number(rest, language)))}</p>")
    body += _citation(CITATIONS["ScenarioSummary"], language)
    return _view("scenarios", body, language)


def summary_repr(summary: ScenarioSummary) -> str:
    """A one-line repr: groups per scenario."""
    parts = ", ".join(f"{s.value}: {row['groups']:,} groups, {row['active_cases']:,} active"
                      for s, row in summary.by_scenario.items())
    return f"<ScenarioSummary {len(summary.decisions):,} groups; {parts}>"


def schedule_html(schedule: WorkSchedule, language: str = "en") -> str:
    """A work schedule's two finishing days, as a small table."""
    da = _language(language) == "da"
    rows = [("start", str(schedule.start)),
            ("tidligst færdig" if da else "earliest finish",
             f"{schedule.earliest_finish} ({number(schedule.working_days_low, language)} "
             + ("arbejdsdage)" if da else "working days)")),
            ("senest færdig" if da else "latest finish",
             f"{schedule.latest_finish} ({number(schedule.working_days_high, language)} "
             + ("arbejdsdage)" if da else "working days)"))]
    return _facts([(label, _e(value)) for label, value in rows], "cm-schedule")


def cleanup_html(estimate: CleanupEstimate, language: str = "en", *,
                 schedule: WorkSchedule | None = None) -> str:
    """Cases and hours low–high per complexity, the total and, if given, the schedule."""
    da = _language(language) == "da"
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


def conversion_html(plan: ConversionPlan, language: str = "en", *,
                    limit: int = DEFAULT_LIMIT) -> str:
    """What is converted, what stays and why, the workload and the schedule."""
    da = _language(language) == "da"
    active = sum(1 for c in plan.selected if c.closed is None)
    reasons = Counter(item.reason for item in plan.left_behind)
    rows: list[tuple[str, str]] = [
        ("konverteres" if da else "converted",
         f"{number(len(plan.selected), language)} ("
         f"{number(active, language)} {'aktive' if da else 'active'}, "
         f"{number(len(plan.selected) - active, language)} passive)"),
        ("bliver i det gamle system" if da else "left in the old system",
         number(len(plan.left_behind), language)),
    ]
    rows += [(f"  – {reason}", number(n, language)) for reason, n in
             sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:limit]]
    rows += [
        ("metode" if da else "method",
         _METHOD_DA.get(plan.method.name, "") if da else plan.method.value.replace("_", " ")),
        ("minimumsindhold" if da else "minimum content",
         "basisoplysninger og indsats" if da else ", ".join(plan.minimum_content)),
        ("senere" if da else "later",
         "øvrige relevante sagsoplysninger, ved den planlagte opfølgning" if da
         else plan.later_content),
        ("minutter pr. sag" if da else "minutes per case",
         f"{plan.minutes_per_case[0]:g}–{plan.minutes_per_case[1]:g}"),
        ("arbejde" if da else "workload", _hours(plan.low_hours, plan.high_hours, language)),
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


_NOTICE_DA: Final[Mapping[str, str]] = {
    "UNDER_5000_CLOSING_ITSELF":
        "under 5.000 sager, og kommunen lukker selv alle manuelle sager",
    "OVER_5000_CLOSING_ITSELF":
        "over 5.000 sager, kommunen lukker selv alle manuelle sager, og opsigelsen gives "
        "fra udgangen af 2015",
    "EXTRACT": "kommunen ønsker et udtræk af sine sager (konvertering)",
    "FIXED_PRICE_OR_LARGE": "en fastprisaftale, eller en stor kunde med rigtig mange sager",
    "CONTRACT": "KMD Sag-kontraktens eget opsigelsesvarsel på seks måneder",
}


def notice_html(notice: NoticePeriod, language: str = "en") -> str:
    """The notice: months, the day it ends, why, and where the policy decided."""
    da = _language(language) == "da"
    reason = _NOTICE_DA.get(notice.rule.name, notice.reason) if da else notice.reason
    rows = [("varsel" if da else "notice",
             f"{notice.months} {'måneder' if da else 'months'}"),
            ("udløber" if da else "ends on", str(notice.ends_on)),
            ("årsag" if da else "reason", reason)]
    body = (_title("Opsigelsesvarsel" if da else "Notice period")
            + _facts([(label, _e(value)) for label, value in rows], "cm-notice")
            + _findings_brief_html(notice.findings, language)
            + _citation(CITATIONS["NoticePeriod"], language))
    return _view("notice", body, language)


def savings_html(savings: Savings, language: str = "en") -> str:
    """Cases and bill before and after, the saving a month and a year."""
    da = _language(language) == "da"
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


# ---- dispatch --------------------------------------------------------------------

def html_view(obj: object, *, language: str = "en", limit: int = DEFAULT_LIMIT,
              as_of: dt.date | None = None) -> str:
    """The notebook view of any casemigrate result, in ``language``.

    ``_repr_html_`` shows a result in English (a report in its own language); this
    gives the same view in Danish, or with another ``limit`` or ``as_of``.

    Args:
        obj: A Report, Timeline, MergeResult, ScenarioDecision, ScenarioSummary,
            CleanupEstimate, ConversionPlan, NoticePeriod or Savings.
        language: ``"en"`` or ``"da"`` (a report keeps its own).
        limit: Records listed per block.
        as_of: For a timeline: the day to judge overdue milestones on.

    Raises:
        InvalidType: ``obj`` has no view.

    Example:
        >>> from casemigrate import estimate_savings
        >>> view = html_view(estimate_savings(active_before=62_499, active_after=48_342,
        ...                                   monthly_bill_before="16945.35"), language="da")
        >>> "3.838,39 kr." in view
        True
    """
    from casemigrate.exceptions import InvalidType  # noqa: PLC0415  # bottom module

    _language(language)
    kind = type(obj).__name__
    views: dict[str, Any] = {
        "Report": lambda o: report_html(o, limit=limit),
        "Timeline": lambda o: timeline_html(o, as_of=as_of, language=language),
        "MergeResult": lambda o: merge_html(o, language),
        "ScenarioDecision": lambda o: decision_html(o, language),
        "ScenarioSummary": lambda o: summary_html(o, language, limit=limit),
        "CleanupEstimate": lambda o: cleanup_html(o, language),
        "ConversionPlan": lambda o: conversion_html(o, language, limit=limit),
        "NoticePeriod": lambda o: notice_html(o, language),
        "Savings": lambda o: savings_html(o, language),
    }
    if kind not in views:
        raise InvalidType(f"no view for {kind}", field="obj")
    view: str = views[kind](obj)
    return view


def short_repr(obj: object) -> str:
    """The bounded one-line repr of a result (see the ``*_repr`` functions)."""
    kind = type(obj).__name__
    reprs: dict[str, Any] = {
        "Report": report_repr, "Timeline": timeline_repr, "MergeResult": merge_repr,
        "ScenarioDecision": decision_repr, "ScenarioSummary": summary_repr,
        "CleanupEstimate": cleanup_repr, "ConversionPlan": conversion_repr,
    }
    text: str = reprs[kind](obj)
    return text
