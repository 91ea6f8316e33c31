"""Collection settings for the doctests of the package itself."""

from __future__ import annotations

import importlib.util

# The columnar engine's modules import numpy and pyarrow (the ``columnar`` extra) at
# the top; without the extra they cannot be imported, so their doctests are skipped.
collect_ignore_glob: list[str] = []
if importlib.util.find_spec("numpy") is None or importlib.util.find_spec("pyarrow") is None:
    collect_ignore_glob.append("casemigrate/_columnar/_*.py")
