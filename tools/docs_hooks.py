"""MkDocs hooks: pages generated from the code when the site is built.

* ``rules/index.md`` and one page per rule (``rules/CM204.md``), from ``casemigrate.RULES``;
* ``reference/index.md`` and one API page per public module, from the docstrings
  (rendered by mkdocstrings);
* ``example.md``: a readiness report of a synthetic municipality and its timeline, as a
  notebook shows them.

Nothing is written to ``docs/``: the pages exist only in the built site.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

from mkdocs.structure.files import File, Files

import casemigrate
from casemigrate.catalogue import rule_markdown
from casemigrate.findings import Rule
from casemigrate.synthetic import synthetic_municipality


def _rule_page(rule: Rule) -> str:
    """One rule's page: its own sections, its Danish, and how to select it.

    The sections (what it checks, why it matters, example, how to resolve, citations)
    are the catalogue's, written from the rule's attributes.
    """
    return "\n\n".join([
        rule_markdown(rule, level=1, docs="../"),
        "## På dansk",
        f"**{rule.severity.label('da')}:** {rule.summary_da}",
        "## In a readiness check",
        f'Select, ignore or re-grade it with `select=["{rule.code}"]`, '
        f'`ignore=["{rule.code}"]` or `severity_overrides={{"{rule.code}": Severity.WARNING}}`. '
        f"All rules on one page: [the catalogue](../rules.md).",
    ]) + "\n"


def _rules_index() -> str:
    lines = ["# Rules by code", "",
             "Every finding code casemigrate can report, one page each, generated from the "
             "catalogue `casemigrate.RULES`.", "",
             "| code | name | severity | what it checks |", "|---|---|---|---|"]
    for code, rule in sorted(casemigrate.RULES.items()):
        lines.append(f"| [{code}]({code}.md) | `{rule.name}` | {rule.severity.name} | "
                     f"{rule.summary} |")
    return "\n".join(lines) + "\n"


def _modules() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(casemigrate.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"casemigrate.{info.name}")
        if getattr(module, "__all__", None):
            names.append(info.name)
    return sorted(names)


def _reexported(name: str) -> str:
    """A module's first docstring line, and which of its names ``casemigrate`` re-exports."""
    module = importlib.import_module(f"casemigrate.{name}")
    first = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    public = list(module.__all__)
    shared = [n for n in public if n in casemigrate.__all__
              and getattr(casemigrate, n) is getattr(module, n)]
    if len(shared) == len(public):
        where = "all its names are also in `casemigrate`"
    elif shared:
        where = ("of its names, `casemigrate` re-exports "
                 + ", ".join(f"`{n}`" for n in shared))
    else:
        where = f"used as `casemigrate.{name}`, none of its names re-exported"
    return f"{first} ({where})"


def _reference_index(modules: list[str]) -> str:
    lines = ["# API reference", "",
             "Generated from the docstrings. Each module says which of its public names "
             "`casemigrate` itself re-exports (`from casemigrate import ...`); the others "
             "are used by their module's name (`casemigrate.sources.SMDB`).", ""]
    for name in modules:
        lines.append(f"- [`casemigrate.{name}`]({name}.md): {_reexported(name)}")
    return "\n".join(lines) + "\n"


def _example() -> str:
    data = synthetic_municipality(seed=2026, citizens=400)
    plan = casemigrate.CutoverPlan(
        municipality=data.municipality, register="smdb", old_system=data.old_system,
        new_system=data.new_system, cutover=data.cutover, dst_notified=dt.date(2026, 2, 2),
        cutover_chosen=dt.date(2026, 3, 16), done={"review_open_courses": dt.date(2026, 4, 28)})
    as_of = data.cutover + dt.timedelta(days=16)
    report = casemigrate.check_readiness(plan, cases=data.cases, deliveries=data.deliveries,
                                         as_of=as_of)
    return "\n".join([
        "# An example report", "",
        "The readiness report of a synthetic municipality (400 citizens, generated from a "
        "fixed seed), as a notebook shows it. See [Reports and views](reports.md).", "",
        '<div markdown="0">', report._repr_html_(), "</div>", "",
        "## The timeline alone", "",
        "`plan_timeline(plan).to_svg(as_of=...)`, the drawing a converter can embed:", "",
        '<div markdown="0">', report.timeline.to_svg(as_of=as_of), "</div>", "",
    ])


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages to the site."""
    pages = {"rules/index.md": _rules_index(), "example.md": _example()}
    for code, rule in casemigrate.RULES.items():
        pages[f"rules/{code}.md"] = _rule_page(rule)
    modules = _modules()
    pages["reference/index.md"] = _reference_index(modules)
    for name in modules:
        pages[f"reference/{name}.md"] = f"# casemigrate.{name}\n\n::: casemigrate.{name}\n"
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    return files
