"""The readiness report as text and HTML: summary first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from casemigrate._text import number
from casemigrate.findings import Severity
from casemigrate.render._base import (
    _COLOURS,
    _LEFT,
    DEFAULT_LIMIT,
    _badge,
    _e,
    _findings_html,
    _findings_text,
    _merge_rows,
    _say,
    _table,
    _view,
    _words,
)
from casemigrate.render.timeline import timeline_svg, timeline_table_html, timeline_text

if TYPE_CHECKING:
    from casemigrate.readiness import Report


# ---- the readiness report --------------------------------------------------------

def _headline(report: Report, arrow: str = "->") -> tuple[str, str]:
    w = _words(report.language)
    p = report.plan
    where = (f"{w['title']}: {p.register.name} {p.municipality}, {p.old_system} {arrow} "
             f"{p.new_system}, {w['cutover']} {p.cutover}, {w['as_of']} {report.as_of}")
    counts = report.counts_by_severity
    state = w["ready"] if report.ok else w["not_ready"]
    tally = ", ".join(_say(f"{s.name}_n", report.language, n=counts[s.name]) for s in Severity)
    return where, f"{state}: {tally}"


def report_text(report: Report, *, limit: int | None = 5) -> str:
    """The report as plain text, in the same shape as its HTML.

    A headline (ready or not, counts per severity), the timeline, the merge's ledger,
    then one block per code, worst severity first: code, name, count, message
    pattern, hint and source once, and at most ``limit`` records.

    Args:
        report: The report.
        limit: Records listed per code; ``None`` lists all.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, check_readiness
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> report = check_readiness(plan, as_of=dt.date(2026, 6, 3))
        >>> report_text(report, limit=0).splitlines()[-1]
        '    ... and 3 more'
        >>> report_repr(report)  # doctest: +ELLIPSIS
        '<Report SMDB 607 Fredericia cutover 2026-06-01 as of 2026-06-03: ready, 0 errors, ...>'
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
    lines += _findings_text(report.findings, lang, limit, report.plan.register.name)
    return "\n".join(lines)


def report_html(report: Report, *, limit: int = DEFAULT_LIMIT) -> str:
    """The report as HTML for a notebook: summary first, then one block per code.

    Args:
        report: The report.
        limit: Records listed per code, in a collapsed list; the rest are counted.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, check_readiness
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> view = report_html(check_readiness(plan, as_of=dt.date(2026, 6, 3)), limit=1)
        >>> view.count("<li "), view.count('class="cm-more"')
        (5, 2)
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
    parts.append(_findings_html(report.findings, lang, limit, report.plan.register.name))
    return _view("report", "".join(parts), lang)


def report_repr(report: Report) -> str:
    """A one-line repr: the plan, ready or not, and counts per severity."""
    p = report.plan
    counts = report.counts_by_severity
    return (f"<Report {p.register.name} {p.municipality} cutover {p.cutover} as of "
            f"{report.as_of}: {'ready' if report.ok else 'NOT READY'}, "
            f"{counts['ERROR']:,} errors, {counts['WARNING']:,} warnings, "
            f"{counts['INFO']:,} info>")
