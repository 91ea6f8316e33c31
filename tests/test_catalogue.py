"""The catalogue in code and the catalogue in docs/rules.md stay in step."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from casemigrate import RULES, Finding, Severity, UnknownRuleCode

DOC = Path(__file__).parent.parent / "docs" / "rules.md"
SECTIONS = ("What it checks", "Why it matters", "Example", "How to resolve", "Citation")


def _doc_sections() -> dict[str, tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    for match in re.finditer(r"^## (CM\d{3}) (\S+)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        code, name, body = match.groups()
        assert code not in found, f"{code} documented twice"
        found[code] = (name, body)
    return found


def test_every_code_has_a_section_and_every_section_a_code() -> None:
    documented = set(_doc_sections())
    assert documented == set(RULES), (
        f"undocumented: {sorted(set(RULES) - documented)}; "
        f"unknown: {sorted(documented - set(RULES))}"
    )


@pytest.mark.parametrize("code", sorted(RULES))
def test_section_matches_rule(code: str) -> None:
    rule = RULES[code]
    name, body = _doc_sections()[code]
    assert name == rule.name
    assert f"**Severity:** {rule.severity.name}" in body
    parts = re.split(r"^### (.+)\n", body, flags=re.M)
    headings = parts[1::2]
    assert tuple(headings) == SECTIONS
    contents = dict(zip(headings, parts[2::2], strict=True))
    for heading, content in contents.items():
        assert content.strip(), f"{code}: empty '{heading}'"
    assert contents["Citation"].strip() == rule.citation


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_well_formed(code: str) -> None:
    rule = RULES[code]
    assert rule.code == code
    assert rule.summary.endswith(".") and rule.hint.endswith(".")
    assert isinstance(rule.severity, Severity)
    assert rule.citation
    # The templates parse, and a finding can be built and shown in both languages.
    fields = {name for template in (rule.message, rule.message_da)
              for _, name, _, _ in string.Formatter().parse(template) if name}
    assert fields == rule.fields
    finding = Finding.of(code, ("x",), **{name: f"<{name}>" for name in fields})
    assert finding.citation == rule.citation and finding.severity == rule.severity
    assert finding.message_in("en") == finding.message


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_speaks_danish_and_english(code: str) -> None:
    rule = RULES[code]
    assert rule.message_da.strip() and rule.hint_da.strip()
    assert rule.message_da != rule.message
    assert rule.hint_da != rule.hint
    english = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    danish = {name.removesuffix("_da")
              for _, name, _, _ in string.Formatter().parse(rule.message_da) if name}
    assert danish == english
    finding = Finding.of(code, ("x",), **{name: f"<{name}>" for name in rule.fields})
    assert finding.message_in("da") != finding.message_in("en")
    assert finding.hint_in("da") == rule.hint_da


def test_codes_are_in_their_family() -> None:
    families = {"0": "general", "1": "plan", "2": "overlap", "3": "service", "4": "cleanup",
                "5": "conversion"}
    for code in RULES:
        assert code[2] in families


def test_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownRuleCode):
        Finding.of("CM999")


def test_finding_subjects_are_sorted_and_unique() -> None:
    finding = Finding.of("CM204", ["b", "a", "b"], count=2, day="2026-01-01")
    assert finding.subjects == ("a", "b")
    assert finding.details["count"] == 2
    assert finding.rule is RULES["CM204"]
