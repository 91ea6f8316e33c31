"""Collection settings: doctests that need an optional library run only where it is.

The core of casemigrate needs no table or array library, so its suite must pass without
one: the pages and modules that need them are skipped, not failed, when they are missing.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

_NEEDS_FRAMES = ("pandas", "narwhals")

collect_ignore = (
    []
    if all(importlib.util.find_spec(name) is not None for name in _NEEDS_FRAMES)
    else ["docs/tutorial.md", "docs/tables.md"]
)

# The columnar engine's modules import numpy and pyarrow (the ``columnar`` extra) at
# the top; without the extra they cannot be imported, so their doctests are skipped.
collect_ignore_glob: list[str] = []
if importlib.util.find_spec("numpy") is None or importlib.util.find_spec("pyarrow") is None:
    collect_ignore_glob.append("casemigrate/_columnar/_*.py")

# Public functions whose docstring example gives a table to the columnar engine: those
# examples run only with the extra (their modules' other examples run without it).
_COLUMNAR = ("numpy", "pyarrow", "narwhals")
_COLUMNAR_EXAMPLES = frozenset({
    "casemigrate.delivery.merge_deliveries",
    "casemigrate.frames.partition_findings",
})


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Skip the columnar examples of public docstrings without the ``columnar`` extra."""
    if all(importlib.util.find_spec(name) is not None for name in _COLUMNAR):
        return
    skip = pytest.mark.skip(reason="needs the columnar extra (numpy, pyarrow, narwhals)")
    for item in items:
        if getattr(item, "name", None) in _COLUMNAR_EXAMPLES:
            item.add_marker(skip)
