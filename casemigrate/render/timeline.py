"""The timeline drawn as SVG, and its table as HTML and text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Final

from casemigrate.render._base import (
    _MONTHS,
    _STATUS_COLOURS,
    _cited,
    _e,
    _table,
    _view,
    _words,
)

if TYPE_CHECKING:
    from casemigrate.plan import Milestone, Timeline


# ---- the timeline ----------------------------------------------------------------

def _status(milestone: Milestone, as_of: dt.date | None) -> str:
    if milestone.done is not None:
        return "done"
    if as_of is not None and milestone.is_overdue(as_of):
        return "overdue"
    return "upcoming"


# Months between two ticks: at most about ten ticks, whatever the span (up to the
# years 1 to 9999 when a date at the edge of the calendar was recorded).
_STEPS: Final = (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200, 6000, 12000)


def _month_ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next(s for s in _STEPS if months / s <= 10 or s == _STEPS[-1])
    if step >= 12:
        # Every January up to ten years apart, as before; a span of centuries (a date
        # recorded at the edge of the calendar) ticks every so many years.
        every = 1 if step <= 120 else step // 12
        first = lo.year if (lo.month, lo.day) == (1, 1) else lo.year + 1
        first += -first % every
        return [dt.date(year, 1, 1) for year in range(first, hi.year + 1, every)]
    ticks: list[dt.date] = []
    year, month = lo.year, lo.month
    while year <= dt.MAXYEAR:
        day = dt.date(year, month, 1)
        if day > hi:
            break
        if day >= lo and (month - 1) % step == 0:
            ticks.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ticks


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
    # Ten days of room each side, within the dates Python can hold.
    margin = dt.timedelta(days=10)
    lo = min(days) - margin if min(days) > dt.date.min + margin else dt.date.min
    hi = max(days) + margin if max(days) < dt.date.max - margin else dt.date.max
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
                     _cited(m.source, language)))
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


def timeline_text(timeline: Timeline, *, as_of: dt.date | None, language: str,
                  indent: str = "  ") -> list[str]:
    """The timeline's table as lines of text: the table of the HTML view.

    With ``as_of``, a last column says each milestone's status in words (done, OVERDUE,
    to do); without it, there is no day to judge on and no status column.
    """
    w = _words(language)
    head = (w["milestone"], w["earliest"], w["latest"], w["done"])
    words = {"done": w["done"], "overdue": w["overdue"].upper(), "upcoming": w["upcoming"]}
    rows: list[tuple[str, ...]] = [(*head, w["status"])]
    rows += [(m.title_in(language), str(m.earliest or "-"), str(m.latest or "-"),
              str(m.done or "-"), words[_status(m, as_of)]) for m in timeline]
    if as_of is None:
        rows = [row[:-1] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append(indent + "  ".join(cell.ljust(width)
                                        for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append(indent + "  ".join("-" * width for width in widths))
    return lines


def timeline_repr(timeline: Timeline) -> str:
    """A one-line repr: register, municipality, cutover, milestones and how many done."""
    plan = timeline.plan
    done = sum(1 for m in timeline if m.done is not None)
    return (f"<Timeline {plan.register.name} {plan.municipality} cutover {plan.cutover}: "
            f"{len(timeline)} milestones, {done} done>")
