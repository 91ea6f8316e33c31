"""The documentation site's generated pages (needs the ``docs`` extra: mkdocs)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from casemigrate import RULES
from casemigrate.catalogue import rule_markdown

pytest.importorskip("mkdocs")

_HOOKS = Path(__file__).parent.parent / "tools" / "docs_hooks.py"


def _hooks():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("docs_hooks", _HOOKS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_hooks", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("code", ["CM001", "CM106", "CM206", "CM403"])
def test_a_rule_page_is_the_rule_itself(code: str) -> None:
    rule = RULES[code]
    page = _hooks()._rule_page(rule)
    assert page.startswith(f"# {code} {rule.name}\n")
    # The catalogue's section, written from the rule's attributes, links one folder up.
    assert rule_markdown(rule, level=1, docs="../") in page
    for heading in ("## What it checks", "## Why it matters", "## Example",
                    "## How to resolve", "## Citation", "## På dansk"):
        assert heading in page
    assert rule.summary_da in page
    assert rule.render(rule.sample, "da") in " ".join(page.split())
    for citation in rule.citations:
        assert citation.quote.split()[0] in page
    if rule.is_policy:
        assert "](../policies.md#" in page


def test_the_api_index_says_truly_what_casemigrate_reexports() -> None:
    import casemigrate

    hooks = _hooks()
    index = hooks._reference_index(hooks._modules())
    assert "Everything public is also importable" not in index
    lines = {line.split("`")[1]: line for line in index.splitlines() if line.startswith("- [")}
    assert "none of its names re-exported" in lines["casemigrate.sources"]
    assert "none of its names re-exported" in lines["casemigrate.render"]
    assert "re-exports `to_frame`, `to_rows`" in lines["casemigrate.frames"]
    assert "all its names are also in `casemigrate`" in lines["casemigrate.delivery"]
    for name in casemigrate.delivery.__all__:
        assert getattr(casemigrate, name) is getattr(casemigrate.delivery, name)
