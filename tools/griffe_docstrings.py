"""A Griffe extension: read casemigrate's docstrings as the API reference shows them.

The docstrings are written for ``help()``, doctest and Sphinx-style readers: an
``Example:`` section, ``:func:`name``` roles and reStructuredText tables. Before Griffe
parses them, this turns ``Example:`` into ``Examples:`` (so the doctests render as
code), a role into plain code, and a table into a fenced block.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|class|meth|data|mod|attr|exc):`~?([^`]+)`")
_TABLE_RULE = re.compile(r"^\s*=+(?:\s+=+)+\s*$")
_EXAMPLE = re.compile(r"^(\s*)Example:\s*$", re.M)


def _tables_fenced(text: str) -> str:
    out: list[str] = []
    rules = 0
    for line in text.splitlines():
        if _TABLE_RULE.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            if rules == 0:
                out.append(f"{indent}```text")
            rules += 1
            out.append(line)
            if rules == 3:
                out.append(f"{indent}```")
                rules = 0
            continue
        out.append(line)
    return "\n".join(out)


class DocstringsForTheReference(griffe.Extension):
    """Rewrite each docstring once, when its object is loaded."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring in place."""
        docstring = obj.docstring
        if docstring is None:
            return
        text = _EXAMPLE.sub(r"\1Examples:", docstring.value)
        text = _ROLE.sub(lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", text)
        docstring.value = _tables_fenced(text)
