"""One language check for the whole package: every public way to choose a language
refuses one casemigrate does not speak, naming the field ``language``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import casemigrate as cm
from casemigrate.catalogue import rule_page, rules_table
from casemigrate.frames import cell, finding_rows

PLAN = cm.CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                      cutover=dt.date(2026, 6, 1))
TIMELINE = cm.plan_timeline(PLAN)
MILESTONE = next(iter(TIMELINE))
RULE = cm.RULES["CM204"]
FINDING = cm.Finding.of(RULE, ("C-1", "C-2"), **RULE.sample)

CHOOSERS: dict[str, Callable[[str], Any]] = {
    "Timeline.render": TIMELINE.render,
    "Timeline.to_rows": TIMELINE.to_rows,
    "Timeline.to_svg": lambda language: TIMELINE.to_svg(language=language),
    "Timeline.to_html": lambda language: TIMELINE.to_html(language=language),
    "Milestone.title_in": MILESTONE.title_in,
    "Milestone.to_row": MILESTONE.to_row,
    "Severity.label": cm.Severity.ERROR.label,
    "Rule.template": RULE.template,
    "Rule.hint_in": RULE.hint_in,
    "Rule.summary_in": RULE.summary_in,
    "Rule.render": lambda language: RULE.render(RULE.sample, language),
    "Finding.message_in": FINDING.message_in,
    "Finding.hint_in": FINDING.hint_in,
    "Scenario.describe": lambda language: cm.Scenario.ONE.describe(language=language),
    "rule_page": lambda language: rule_page("CM204", language),
    "rules_table": rules_table,
    "cell": lambda language: cell(dt.date(2026, 6, 1), language),
    "finding_rows": lambda language: finding_rows([FINDING], language=language),
    "to_rows": lambda language: cm.to_rows([FINDING], language=language),
    "check_readiness": lambda language: cm.check_readiness(PLAN, as_of=dt.date(2026, 3, 2),
                                                           language=language),
}


@pytest.mark.parametrize("name", sorted(CHOOSERS))
@pytest.mark.parametrize("language", ["xx", "EN", "", "dansk"])
def test_an_unknown_language_is_refused(name: str, language: str) -> None:
    with pytest.raises(cm.InvalidArgument) as info:
        CHOOSERS[name](language)
    assert info.value.field == "language"
    assert str(info.value) == f"language: expected 'en' or 'da', got {language[:8]!r}"


@pytest.mark.parametrize("name", sorted(CHOOSERS))
def test_both_languages_are_spoken(name: str) -> None:
    assert CHOOSERS[name]("en") is not None
    assert CHOOSERS[name]("da") is not None


def test_the_timeline_speaks_the_language_asked_for() -> None:
    assert TIMELINE.render("en").splitlines()[0].startswith("SMDB cutover for 607")
    assert TIMELINE.render("da").splitlines()[0].startswith("SMDB-systemskifte for 607")
    assert str(TIMELINE) == TIMELINE.render("en")
