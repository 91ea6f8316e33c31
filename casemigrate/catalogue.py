"""The catalogue: every rule, gathered from the modules whose checks raise them.

Each rule module defines its rules as module-level :class:`~casemigrate.findings.Rule`
literals beside its checks; :data:`RULES` gathers them by code. The documentation is
generated from the same literals: :func:`rule_page` is one rule's page (``python -m
casemigrate rule CM206``), :func:`rules_table` the list (``python -m casemigrate rules``)
and :func:`rules_markdown` the whole of ``docs/rules.md`` (``python -m casemigrate rules
--markdown``), which a test keeps in step with the code.

Example:
    >>> RULES["CM204"].name, RULES["CM204"].severity.name
    ('duplicate-active-cases', 'ERROR')
    >>> print(rules_table().splitlines()[1])
    CM001  check-not-applicable  INFO
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType
from typing import Final

from casemigrate import _text, conversion, delivery, findings, overlap, plan, tables
from casemigrate.cleanup import mass_close, notice
from casemigrate.findings import Rule
from casemigrate.sources import DOCUMENTS, POLICY, Citation

__all__ = ["RULES", "RULE_MODULES", "gather", "rule_markdown", "rule_page", "rules_markdown",
           "rules_table"]

RULE_MODULES: Final[tuple[ModuleType, ...]] = (
    findings, tables, plan, overlap, delivery, notice, mass_close, conversion,
)
"""The modules that define rules. A new rule module is added here (a test finds any
module of the package that defines a rule and is missing)."""


def gather(modules: Iterable[ModuleType]) -> Mapping[str, Rule]:
    """The rules defined at the top level of ``modules``, by code, in code order.

    A rule imported by another module is the same object and counts once.

    Raises:
        ValueError: Two rules share a code or a name, or a rule's constant is not its
            name in capitals.

    Example:
        >>> list(gather([conversion]))
        ['CM501', 'CM502', 'CM503']
    """
    by_code: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for module in modules:
        for constant, value in vars(module).items():
            if not isinstance(value, Rule):
                continue
            known = by_code.get(value.code)
            if known is value:
                continue
            if known is not None:
                raise ValueError(f"{value.code} is defined twice ({module.__name__}.{constant})")
            if constant != value.name.upper().replace("-", "_"):
                raise ValueError(f"{module.__name__}.{constant}: the constant of rule "
                                 f"{value.code} is its name in capitals, "
                                 f"{value.name.upper().replace('-', '_')}")
            if value.name in names:
                raise ValueError(f"{value.code} and {names[value.name]} share the name "
                                 f"{value.name!r}")
            by_code[value.code] = value
            names[value.name] = value.code
    return MappingProxyType(dict(sorted(by_code.items())))


RULES: Final[Mapping[str, Rule]] = gather(RULE_MODULES)
"""The catalogue: every rule by its code, in code order."""

_WIDTH: Final = 88

_HEADINGS: Final = {
    "en": {"checks": "What it checks", "why": "Why it matters", "example": "Example",
           "resolve": "How to resolve", "citation": "Citation", "message": "Message",
           "severity": "Severity"},
    "da": {"summary": "Hvad reglen finder", "example": "Eksempel på en meddelelse",
           "resolve": "Sådan løses det", "citation": "Kilde", "severity": "Alvorlighed",
           "checks": "Hvad reglen kontrollerer", "why": "Hvorfor det er vigtigt",
           "example_da": "Eksempel", "message": "Meddelelse",
           "more": "Den fulde beskrivelse (på engelsk): python -m casemigrate rule {code}"},
}


def _wrap(text: str, indent: str = "") -> str:
    """Paragraphs wrapped; list items and tables kept as lines."""
    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.splitlines()
        if any(line.lstrip().startswith("|") for line in lines):
            out.append("\n".join(indent + line for line in lines))
        elif all(line.lstrip().startswith("- ") for line in lines):
            out.append("\n".join(
                textwrap.fill(line.strip(), _WIDTH, initial_indent=indent,
                              subsequent_indent=indent + "  ", break_long_words=False,
                              break_on_hyphens=False) for line in lines))
        else:
            out.append(textwrap.fill(" ".join(lines), _WIDTH, initial_indent=indent,
                                     subsequent_indent=indent, break_long_words=False,
                                     break_on_hyphens=False))
    return "\n\n".join(out)


def _rule(code: str | Rule) -> Rule:
    if isinstance(code, Rule):
        return code
    rule = RULES.get(str(code).strip().upper())
    if rule is None:
        raise KeyError(f"{code!r} is not a rule code; `python -m casemigrate rules` lists them")
    return rule


def rule_page(code: str | Rule, language: str = "en") -> str:
    """One rule's page as plain text, in ``"en"`` (all sections) or ``"da"``.

    Raises:
        KeyError: ``code`` is not a rule code.

    Example:
        >>> print(rule_page("CM205", "da"))
        CM205 cases-without-citizen (INFO)
        <BLANKLINE>
        Hvad reglen finder
          Sager uden CPR-nummer kan ikke kontrolleres for dubletter og blev udeladt.
        ...
    """
    rule = _rule(code)
    language = _text.check_language(language)
    words = _HEADINGS[language]
    lines = [f"{rule.code} {rule.name} ({rule.severity.label(language)})", ""]

    def section(heading: str, body: str) -> None:
        lines.extend([heading, _wrap(body, "  "), ""])

    citations = "\n".join(f"- {c}" for c in rule.citations)
    if language == "da":
        section(words["summary"], rule.summary_da)
        if rule.checks_da and rule.why_da and rule.example_da:
            section(words["checks"], rule.checks_da)
            section(words["why"], rule.why_da)
            section(words["example_da"], f"{rule.example_da}\n\n{words['message']}: "
                                         f"{rule.render(rule.sample, 'da')}")
            section(words["resolve"], rule.hint_da)
            section(words["citation"], citations)
            return "\n".join(lines).rstrip("\n")
        section(words["example"], rule.render(rule.sample, "da"))
        section(words["resolve"], rule.hint_da)
        section(words["citation"], citations)
        lines.append(words["more"].format(code=rule.code))
        return "\n".join(lines)
    lines.extend([_wrap(rule.summary), ""])
    section(words["checks"], rule.checks)
    section(words["why"], rule.why)
    section(words["example"], f"{rule.example}\n\n{words['message']}: "
                              f"{rule.render(rule.sample, 'en')}")
    section(words["resolve"], rule.hint)
    section(words["citation"], citations)
    return "\n".join(lines).rstrip("\n")


def rules_table(language: str = "en") -> str:
    """Every rule, one line each: code, name and severity.

    Example:
        >>> print(rules_table("da").splitlines()[0])
        kode   navn                  alvorlighed
    """
    language = _text.check_language(language)
    head = ("code", "name", "severity") if language == "en" else ("kode", "navn", "alvorlighed")
    rows = [head] + [(r.code, r.name, r.severity.label(language)) for r in RULES.values()]
    width = max(len(row[1]) for row in rows)
    return "\n".join(f"{c:<5}  {n:<{width}}  {s}".rstrip() for c, n, s in rows)


_INTRO: Final = """\
# The rule catalogue

<!-- Generated from the rules in the code by `python -m casemigrate rules --markdown`.
Do not edit by hand: change the rule beside its check and generate this file again. -->

Every finding casemigrate returns has a stable code from this catalogue. Codes are
never reused. Test your own code against codes and subjects, never against message
text. Each section below says what the rule checks, why it matters, gives an example
with the message it produces, says how to resolve a finding, and cites where the rule
comes from: a document by its publisher, title and own section heading, with a quote
from it (the documents are listed under [Sources](#sources)), or a casemigrate policy
where the documents leave a question open ([Policies](policies.md)). The same page is
printed by `python -m casemigrate rule CODE` (`--language da` in Danish).

Families: `CM0xx` general, `CM1xx` plans and timelines, `CM2xx` reporting overlap and
active cases, `CM3xx` services and deliveries, `CM4xx` cleanup and economics, `CM5xx`
conversion.

Conventions used by every rule: dates are Danish calendar days; an end or closing
date is the last day (inclusive); a case closed on a day is not active on that day.

| code | name | severity |
|---|---|---|
"""


def _anchor(heading: str) -> str:
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -")
    return kept.replace(" ", "-")


def _markdown_citation(citation: Citation, docs: str = "") -> str:
    if citation.document is POLICY:
        title = citation.section.title.strip('"')
        return (f"casemigrate policy, [{citation.section.title}]({docs}policies.md"
                f'#{_anchor(title)}): "{citation.quote}"')
    return str(citation)


def rule_markdown(code: str | Rule, *, level: int = 2, docs: str = "") -> str:
    """One rule's section of ``docs/rules.md``, in Markdown.

    Args:
        code: A rule code, or the rule.
        level: The heading level of the rule's title (its sections are one deeper).
        docs: The path from the page to the ``docs`` folder, for links (``"../"`` on a
            page one folder down).

    Raises:
        KeyError: ``code`` is not a rule code.

    Example:
        >>> print(rule_markdown("CM001", level=1, docs="../").splitlines()[0])
        # CM001 check-not-applicable
    """
    rule = _rule(code)
    words = _HEADINGS["en"]
    head, sub = "#" * level, "#" * (level + 1)
    parts = [
        f"{head} {rule.code} {rule.name}",
        f"**{words['severity']}:** {rule.severity.name}",
        _wrap(rule.summary),
        f"{sub} {words['checks']}", _wrap(rule.checks),
        f"{sub} {words['why']}", _wrap(rule.why),
        f"{sub} {words['example']}", _wrap(rule.example),
        _wrap(f"Message: {rule.render(rule.sample, 'en')}"),
        _wrap(f"In Danish: {rule.render(rule.sample, 'da')}"),
        f"{sub} {words['resolve']}", _wrap(rule.hint), _wrap(f"In Danish: {rule.hint_da}"),
        f"{sub} {words['citation']}",
        _wrap("\n".join(f"- {_markdown_citation(c, docs)}" for c in rule.citations)),
    ]
    return "\n\n".join(parts)


def _markdown_sources() -> str:
    lines = ["## Sources", "",
             _wrap("The documents the rules cite, each with the sections citations name, "
                   "as the document itself heads them. They are public Danish documents; "
                   "none is given a web address here."), ""]
    for document in DOCUMENTS:
        lines.append(_wrap(f"- {document.reference}: {document.about}. Sections: "
                           + "; ".join(s.title for s in document.sections) + "."))
    return "\n".join(lines)


def rules_markdown() -> str:
    """The whole of ``docs/rules.md``, generated from :data:`RULES` and the sources."""
    index = "".join(f"| [{r.code}](#{_anchor(f'{r.code} {r.name}')}) | `{r.name}` | "
                    f"{r.severity.name} |\n" for r in RULES.values())
    body = "\n\n".join(rule_markdown(rule) for rule in RULES.values())
    return f"{_INTRO}{index}\n{body}\n\n{_markdown_sources()}\n"
