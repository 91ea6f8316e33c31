"""The catalogue: rules beside their checks, gathered, and docs/rules.md generated from them."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

import casemigrate
from casemigrate import RULES, Finding, Rule, Severity, UnknownRuleCode
from casemigrate.__main__ import main
from casemigrate.catalogue import RULE_MODULES, gather, rule_page, rules_markdown, rules_table
from casemigrate.exceptions import InvalidArgument
from casemigrate.overlap import DUPLICATE_ACTIVE_CASES
from casemigrate.sources import POLICY

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md differs from the catalogue: run "
        "`python -m casemigrate rules --markdown > docs/rules.md`")


def test_every_rule_of_the_package_is_gathered() -> None:
    """A module that defines a rule but is missing from RULE_MODULES fails here."""
    defined = set()
    for info in pkgutil.walk_packages(casemigrate.__path__, "casemigrate."):
        if info.name.count(".") > 1 and info.name.rpartition(".")[2].startswith("_"):
            continue  # the private modules of a package (the engine's need numpy)
        module = importlib.import_module(info.name)
        defined |= {value.code for value in vars(module).values() if isinstance(value, Rule)}
    assert defined == set(RULES)
    assert list(RULES) == sorted(RULES)


def test_codes_keep_their_names() -> None:
    """Codes are never reused or renamed: the names of the first catalogue stay."""
    first = {"CM001": "check-not-applicable", "CM106": "milestone-overdue",
             "CM204": "duplicate-active-cases", "CM301": "service-counted-twice",
             "CM314": "services-overlap-within-system", "CM401": "notice-at-5000-policy",
             "CM502": "cases-left-in-old-system"}
    assert {code: RULES[code].name for code in first} == first


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_well_formed(code: str) -> None:
    rule = RULES[code]
    assert rule.code == code
    assert code[2] in "012345"
    assert isinstance(rule.severity, Severity)
    finding = Finding.of(rule, ("x",), **rule.sample)
    assert finding.code == code and finding.rule is rule
    assert finding.citation == rule.citation and finding.severity == rule.severity
    assert finding.message_in("en") == finding.message == rule.render(rule.sample)
    assert finding.hint_in("da") == rule.hint_da
    # The page shows every section, and the citation in readable form.
    page = rule_page(code)
    for heading in ("What it checks", "Why it matters", "Example", "How to resolve",
                    "Citation"):
        assert f"\n{heading}\n" in page
    assert ".txt" not in page and ".txt" not in rules_markdown()


@pytest.mark.parametrize("code", sorted(RULES))
def test_policy_rules_cite_a_policy_section(code: str) -> None:
    rule = RULES[code]
    policies = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    for citation in rule.citations:
        if citation.document is POLICY:
            heading = f"## {citation.section.title.strip(chr(34))}\n"
            assert heading in policies, heading
            section = policies.split(heading, 1)[1].split("\n## ", 1)[0]
            assert citation.found_in(section), citation.quote


def test_a_rule_is_checked_when_it_is_written() -> None:
    fields = {"code": "CM999", "name": "example-rule", "severity": Severity.INFO,
              "summary": "Something.", "summary_da": "Noget.", "message": "{count} things",
              "message_da": "{count} ting", "hint": "Do it.", "hint_da": "Gør det.",
              "citations": DUPLICATE_ACTIVE_CASES.citations, "checks": "x", "why": "x",
              "example": "x", "sample": {"count": 1}}
    assert Rule(**fields).render({"count": 2}, "da") == "2 ting"
    bad = [({"message_da": "{antal} ting"}, "message_da"), ({"sample": {}}, "sample"),
           ({"name": "ExampleRule"}, "name"), ({"code": "X1"}, "code"),
           ({"hint": "No full stop"}, "hint"), ({"citations": ()}, "citations"),
           ({"message": "{count:one|two|three}"}, "message")]
    for change, field in bad:
        with pytest.raises((InvalidArgument, ValueError)) as info:
            Rule(**{**fields, **change})
        if isinstance(info.value, InvalidArgument):
            assert info.value.field == field


def test_gather_refuses_two_rules_with_one_code() -> None:
    module = types.ModuleType("fake")
    module.DUPLICATE_ACTIVE_CASES = DUPLICATE_ACTIVE_CASES  # type: ignore[attr-defined]
    assert list(gather([module, *RULE_MODULES])) == list(RULES)
    other = types.ModuleType("other")
    other.DUPLICATE_ACTIVE_CASES = Rule(  # type: ignore[attr-defined]
        **{**{a: getattr(DUPLICATE_ACTIVE_CASES, a) for a in (
            "code", "name", "severity", "summary", "summary_da", "message", "message_da",
            "hint", "hint_da", "citations", "checks", "why", "example")},
           "sample": dict(DUPLICATE_ACTIVE_CASES.sample)})
    with pytest.raises(ValueError, match="defined twice"):
        gather([module, other])
    misnamed = types.ModuleType("misnamed")
    misnamed.CM204 = DUPLICATE_ACTIVE_CASES  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="DUPLICATE_ACTIVE_CASES"):
        gather([misnamed])


def test_finding_of_takes_the_rule_and_still_knows_a_code() -> None:
    by_rule = Finding.of(DUPLICATE_ACTIVE_CASES, ["b", "a", "b"], count=2,
                         day=dt.date(2026, 1, 1))
    by_code = Finding.of("CM204", ["b", "a"], count=2, day=dt.date(2026, 1, 1))  # type: ignore[arg-type]
    assert by_rule == by_code and by_rule.subjects == ("a", "b")
    assert by_rule.details["count"] == 2
    assert by_rule.rule is RULES["CM204"]
    with pytest.raises(UnknownRuleCode):
        Finding.of("CM999")  # type: ignore[arg-type]


def test_findings_pickle_and_copy_with_their_rule() -> None:
    import copy
    import pickle

    from casemigrate.cleanup import RETIRED_KLE_CASE

    finding = Finding.of(RETIRED_KLE_CASE, ("M-1",), **RETIRED_KLE_CASE.sample)
    for clone in (pickle.loads(pickle.dumps(finding)), copy.deepcopy(finding)):
        assert clone == finding and clone.rule is RETIRED_KLE_CASE
        assert clone.message_in("da") == finding.message_in("da")


def test_rules_are_reachable_the_old_ways() -> None:
    from casemigrate import findings

    assert findings.RULES is RULES
    assert casemigrate.FindingError is findings.FindingError


def test_cli_prints_a_rule_and_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "cm206"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("CM206 blocking-active-case (ERROR)")
    assert 'Danmarks Statistik, "Systemskifte i SMDB", trin 2' in page
    assert main(["rule", "CM206", "--language", "da"]) == 0
    danish = capsys.readouterr().out
    assert danish.startswith("CM206 blocking-active-case (FEJL)")
    assert "Sådan løses det" in danish and "kontaktforløb" in danish
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split() == ["code", "name", "severity"]
    assert [line.split()[0] for line in listing[1:]] == list(RULES)
    assert listing[1:] == rules_table().splitlines()[1:]
    assert main(["rules", "--markdown"]) == 0
    assert capsys.readouterr().out == rules_markdown()
    assert main(["rule", "CM999"]) == 2
