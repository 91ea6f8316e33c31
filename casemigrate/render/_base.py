"""Shared pieces of the views: words in both languages, numbers, colours, HTML blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from casemigrate.findings import RULES, Finding, Severity, _language

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
