"""Collection settings: doctests that need an optional library run only where it is.

The core of casemigrate needs no table or array library, so its suite must pass without
one: the pages and modules that need them are skipped, not failed, when they are missing.
"""

from __future__ import annotations

import importlib.util

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

# Doctests of public functions that need the columnar extra, skipped without it.
_NEEDS_COLUMNAR = ("casemigrate.frames.partition_findings",)


def pytest_collection_modifyitems(config: object, items: list[object]) -> None:
    """Skip the doctests of :data:`_NEEDS_COLUMNAR` when the columnar extra is missing."""
    if all(importlib.util.find_spec(name) is not None
           for name in ("numpy", "pyarrow", "narwhals")):
        return
    skip = pytest.mark.skip(reason="needs the columnar extra (numpy, pyarrow, narwhals)")
    for item in items:
        if getattr(item, "name", "") in _NEEDS_COLUMNAR:
            item.add_marker(skip)  # type: ignore[attr-defined]
