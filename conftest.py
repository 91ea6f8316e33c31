"""Doctests of the pages that read or make dataframes run only where the libraries are.

The core of casemigrate needs no table library, so its suite must pass without one:
these pages are skipped, not failed, when pandas or narwhals is missing.
"""

from __future__ import annotations

import importlib.util

_NEEDS_FRAMES = ("pandas", "narwhals")

collect_ignore = (
    []
    if all(importlib.util.find_spec(name) is not None for name in _NEEDS_FRAMES)
    else ["docs/tutorial.md", "docs/tables.md"]
)
