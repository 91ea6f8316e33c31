"""Shared pieces of the views: words in both languages, numbers, colours, HTML blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from casemigrate import _text
from casemigrate._text import Term, number
from casemigrate.findings import Finding, Rule, Severity
from casemigrate.sources import DUBU, EXIT2, Citation

DEFAULT_LIMIT: Final = 20
"""How many records a view lists per block unless told otherwise."""

_SHOWN_SUBJECTS: Final = 8

# ---- words -----------------------------------------------------------------------

# Labels of the views, by language. A value with a field is a template of
# casemigrate._text: numbers in the language's format, "{n:# one|# other}" plural forms
# (singular for exactly one in both languages).
_WORDS: Final[Mapping[str, Mapping[str, str]]] = {
    "en": {
        "title": "Readiness", "ready": "READY", "not_ready": "NOT READY",
        "timeline": "Timeline", "findings": "Findings", "none": "no findings",
        "as_of": "as of", "cutover": "cutover", "more": "more", "and_more": "and {n} more",
        "merge": "Merge of the deliveries", "hint": "hint", "code": "code", "name": "name",
        "count": "findings", "n_findings": "{n:# finding|# findings}",
        "pattern": "message pattern", "citation": "source",
        "n_records": "{n:# record|# records}", "showing": "showing {shown} of {total}",
        "ERROR_n": "{n:# error|# errors}", "WARNING_n": "{n:# warning|# warnings}",
        "INFO_n": "{n:# info|# info}",
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
        "as_of": "pr.", "cutover": "skæringsdato", "more": "til",
        "and_more": "og {n:# mere|# flere}",
        "merge": "Sammenlægning af leverancerne", "hint": "løsning", "code": "kode",
        "name": "navn", "count": "fund", "n_findings": "{n:# fund|# fund}",
        "pattern": "skabelon", "citation": "kilde",
        "n_records": "{n:# post|# poster}", "showing": "viser {shown} af {total}",
        "ERROR_n": "{n:# fejl|# fejl}", "WARNING_n": "{n:# advarsel|# advarsler}",
        "INFO_n": "{n:# til orientering|# til orientering}",
        "milestone": "milepæl", "earliest": "tidligst", "latest": "senest",
        "done": "udført", "status": "status", "overdue": "overskredet",
        "upcoming": "udestår", "services_in": "modtagne ydelser",
        "kept": "med i datagrundlaget", "excluded": "udeladt", "reason": "årsag",
        "deliveries_used": "anvendte leverancer", "services": "ydelser",
        "total": "i alt",
    },
}

_MONTHS: Final[Mapping[str, tuple[str, ...]]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec"),
    "da": ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.",
           "nov.", "dec."),
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

# Where the figures of each result come from. A finding cites its rule; a result's
# figures have no rule, so they cite the source here (the merge's sources are
# delivery.MERGE_SOURCES, beside the merge).
CITATIONS: Final[Mapping[str, tuple[Citation, ...]]] = {
    "ScenarioDecision": (
        EXIT2.cite("Del 1, Valg af scenarie", "Alle sager kan ligge i scenarie 3, der er det "
                   "scenarie, hvor kommunen venter med at flytte sagerne, indtil medarbejderne "
                   "har taget STS og SAPA i brug."),
    ),
    "ScenarioSummary": (
        EXIT2.cite("Del 1, Tre scenarier", "Når kommunen skal vælge hvornår den vil flytte "
                   "sager og deres brugere over i et andet sagsbærende system, skal den derfor "
                   "tage stilling til timingen for flytningen i forhold til hvornår kommunen "
                   "ibrugtager STS og SAPA."),
    ),
    "CleanupEstimate": (
        EXIT2.cite("Estimering", "Det skal understreges, at talgrundlaget stadig er meget "
                   "foreløbigt"),
    ),
    "NoticePeriod": (
        EXIT2.cite("Del 3", "Men ifm. denne opgave er der opnået enighed "
                   "mellem KOMBIT og KMD om følgende opsigelsesvarsel"),
    ),
    "Savings": (
        EXIT2.cite("Del 2, Fredericia", "Som du kan se af vedlagte regneark sparede vi ved den "
                   "første øvelse små 50.000 kr. om året."),
        EXIT2.cite("FAQ 14", "Ja, kommunen vil få en reduktion af gældende KMD Sag/Sag Journal "
                   "pris på 10 %."),
        EXIT2.cite("FAQ 15", "Der betales pr. aktiv sag."),
    ),
    "ConversionPlan": (
        DUBU.cite("trin 3", "udarbejde en tids- og ressourceplan for konverteringen"),
    ),
}
"""The sources of each result's figures (no rule says them), shown under its view."""

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
    return _WORDS[_text.check_language(language)]


def _say(key: str, language: str, **values: Any) -> str:
    """The label ``key`` in ``language``, its fields filled (numbers and plurals)."""
    return _text.render(_words(language)[key], values, language)


def _in(value: str, language: str) -> str:
    """A :class:`~casemigrate._text.Term` in ``language``; any other text as it is."""
    return value.in_language(language) if isinstance(value, Term) else value


def _count(findings: int, language: str) -> str:
    return _say("n_findings", language, n=findings)


def _money(value: Decimal, language: str) -> str:
    return f"{number(value.quantize(Decimal('0.01')), language)} kr."


def _hours(low: float, high: float, language: str) -> str:
    unit = "t." if language == "da" else "h"  # Danish abbreviates "timer" as "t."
    return f"{number(round(low, 1), language)}–{number(round(high, 1), language)} {unit}"


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
    label = severity.label(language)
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


def _citation(citations: Iterable[Citation], language: str) -> str:
    text = "; ".join(c.in_language(language) for c in citations)
    return (f'<p class="cm-citation" style="{_LEFT};margin:4px 0;opacity:.8">'
            f"{_e(_words(language)['citation'])}: {_e(text)}</p>")


def _cited(citation: Citation, language: str = "en") -> str:
    """A citation in a table cell: the document and section, the quote one click away."""
    return (f'<details class="cm-cited" style="opacity:.8"><summary style="{_LEFT}">'
            f"{_e(citation.reference_in(language))}</summary><q>{_e(citation.quote)}</q></details>")


def _view(kind: str, body: str, language: str) -> str:
    return (f'<div class="cm-view cm-view-{kind}" lang="{language}" style="{_LEFT}">'
            f"{_STYLE}{body}</div>")


def _subjects(subjects: tuple[str, ...], language: str) -> str:
    shown = list(subjects[:_SHOWN_SUBJECTS])
    rest = len(subjects) - len(shown)
    if rest:
        shown.append(f"+{number(rest, language)} {_words(language)['more']}")
    return ", ".join(shown)


_FIELD: Final = re.compile(r"\{(\w+)(?::([^{}]*))?\}")


def _pattern(template: str, *, html_: bool) -> str:
    """A message template with its fields as placeholders (``<var>`` or ``‹name›``).

    A plural field (``{count:# sag|# sager}``) shows its plural form; where that form
    is the field's own name (``{rows:# row|# rows}``), the placeholder alone, so the
    pattern reads "‹rows› of ‹table›", not "‹rows› rows of ‹table›".
    """
    out: list[str] = []
    last = 0

    def text(part: str) -> str:
        return _e(part) if html_ else part

    for match in _FIELD.finditer(template):
        out.append(text(template[last:match.start()]))
        name, spec = match.group(1), match.group(2) or ""
        placeholder = f"<var>{_e(name)}</var>" if html_ else f"‹{name}›"
        if "|" in spec:
            before, mark, after = spec.split("|")[1].partition("#")
            if mark and after.strip() == name:
                after = ""
            out.append(text(before) + placeholder + text(after) if mark else text(before))
        else:
            out.append(placeholder)
        last = match.end()
    out.append(text(template[last:]))
    return "".join(out)


def _groups(findings: Sequence[Finding]
            ) -> list[tuple[Severity, str, Rule, Sequence[Finding]]]:
    """Findings by (severity, code), worst severity first, then code, with the rule.

    A report's lazy findings (over a table) give their groups without building a
    finding (``by_code``); a view then builds only the findings it lists.
    """
    by_code = getattr(findings, "by_code", None)
    if by_code is not None:
        grouped: list[tuple[Severity, str, Rule, Sequence[Finding]]] = by_code()
        return grouped
    groups: dict[tuple[Severity, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.severity, finding.code), []).append(finding)
    return [(severity, code, items[0].rule, items)
            for (severity, code), items in sorted(groups.items())]


def _findings_html(findings: Sequence[Finding], language: str, limit: int,
                   register: str | None = None) -> str:
    w = _words(language)
    if not findings:
        return f'<p class="cm-none" style="{_LEFT}">{_e(w["none"])}</p>'
    parts: list[str] = []
    for severity, code, rule, items in _groups(findings):
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
            f"{_pattern(rule.template(language), html_=True)}</div>"
            f'<div class="cm-hint" style="{_LEFT}">{_e(w["hint"])}: '
            f"{_e(rule.hint_in(language))}</div>"
            f'<div class="cm-source" style="{_LEFT};opacity:.8">{_e(w["citation"])}: '
            f"{_e(rule.citation_in(language, register=register))}</div>"
        )
        shown = items[:limit]
        summary = _e(_say("n_records", language, n=total))
        if total > limit:
            summary += f" ({_e(_say('showing', language, shown=len(shown), total=total))})"
        parts.append(f'<details class="cm-records"><summary style="{_LEFT}">{summary}'
                     '</summary><ul class="cm-records">')
        for finding in shown:
            subjects = (f"<code>{_e(_subjects(finding.subjects, language))}</code>: "
                        if finding.subjects else "")
            parts.append(f'<li style="{_LEFT}">{subjects}{_e(finding.message_in(language))}'
                         "</li>")
        if total > len(shown):
            more = _say("and_more", language, n=total - len(shown))
            parts.append(f'<li class="cm-more" data-more="{total - len(shown)}" '
                         f'style="{_LEFT};list-style:none;font-style:italic">{_e(more)}</li>')
        parts.append("</ul></details></section>")
    return "".join(parts)


def _findings_text(findings: Sequence[Finding], language: str, limit: int | None,
                   register: str | None = None) -> list[str]:
    w = _words(language)
    lines: list[str] = []
    width = max(len(s.label(language)) for s in Severity)
    for severity, code, rule, items in _groups(findings):
        total = len(items)
        lines += [
            f"{severity.label(language):<{width}}  {code} {rule.name} ({_count(total, language)})",
            f"    {w['pattern']}: {_pattern(rule.template(language), html_=False)}",
            f"    {w['hint']}: {rule.hint_in(language)}",
            f"    {w['citation']}: {rule.citation_in(language, register=register)}",
        ]
        shown = items if limit is None else items[:limit]
        for finding in shown:
            subjects = f"[{_subjects(finding.subjects, language)}] " if finding.subjects else ""
            lines.append(f"    - {subjects}{finding.message_in(language)}")
        if total > len(shown):
            lines.append(f"    ... {_say('and_more', language, n=total - len(shown))}")
    return lines


def _findings_brief_html(findings: Sequence[Finding], language: str) -> str:
    """One line per code: badge, code, name, count; for results that carry findings."""
    if not findings:
        return ""
    w = _words(language)
    rows = [(_badge(severity, language), f"<code>{_e(code)}</code>", _e(rule.name),
             number(len(items), language))
            for severity, code, rule, items in _groups(findings)]
    return (f"<h4>{_e(w['findings'])}</h4>"
            + _table(("", w["code"], w["name"], w["count"]), rows, numeric=(3,),
                     cls="cm-findings"))


def _merge_rows(merge: Mapping[str, Any], language: str) -> list[tuple[str, str]]:
    w = _words(language)
    rows = [(w["services_in"], number(merge["services_in"], language)),
            (w["kept"], number(merge["kept"], language)),
            (w["excluded"], number(merge["excluded"], language))]
    from casemigrate.delivery import (  # noqa: PLC0415  # it imports us
        ExclusionReason,
        RecreationOutcome,
    )

    outcomes = merge.get("old_active_by_outcome", {})
    for reason, count in merge["excluded_by_reason"].items():
        if count:
            rows.append((f"  – {ExclusionReason[reason].in_language(language)}",
                         number(count, language)))
            if reason == ExclusionReason.ACTIVE_IN_OLD_SYSTEM.name:
                # Its parts, so that every number of the ledger is explained.
                rows.extend((f"      · {RecreationOutcome[key].in_language(language)}",
                             number(part, language))
                            for key, part in outcomes.items() if part)
    return rows

