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

The modules: ``timeline`` (the drawing and its table), ``report`` (the readiness
report), ``results`` (every other result), ``_base`` (the labels in both languages,
colours, HTML blocks, and the sources of each result's figures). Numbers, plural forms
and lists of words come from :mod:`casemigrate._text`, severity labels from
:meth:`~casemigrate.Severity.label`, and a finding's source from its rule. Everything
public is re-exported here.

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
from typing import Any

from casemigrate._text import check_language, number
from casemigrate.render._base import CITATIONS, CONSIDERATION_WORDS, DEFAULT_LIMIT
from casemigrate.render.report import report_html, report_repr, report_text
from casemigrate.render.results import (
    cleanup_html,
    cleanup_repr,
    conversion_html,
    conversion_repr,
    decision_html,
    decision_repr,
    merge_html,
    merge_repr,
    merge_text,
    notice_html,
    savings_html,
    schedule_html,
    summary_html,
    summary_repr,
)
from casemigrate.render.timeline import (
    timeline_html,
    timeline_repr,
    timeline_svg,
    timeline_table_html,
    timeline_text,
)

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
    "merge_text",
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

    check_language(language)
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
