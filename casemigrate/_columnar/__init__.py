"""The columnar engine: the same rules over Arrow and numpy columns.

Private. The public rule functions hand a table here (a ``pyarrow.Table``, or a pandas
or polars frame, which pyarrow reads); records never come here. Nothing in this
package imports numpy or pyarrow until a table arrives, so the core works without
the ``columnar`` extra, and a table without it raises :class:`MissingDependency`
naming the extra.

The pipeline has three steps, each in its own module:

* :mod:`._columns`: validate a table in bulk into typed columns (``validate → columns``);
* :mod:`._rules`: the rules over those columns;
* :mod:`._table`: the findings as a lazy, sorted table of :class:`~casemigrate.Finding`.
"""

from __future__ import annotations

from typing import Any

from casemigrate.exceptions import MissingDependency

__all__ = ["EXTRA", "is_table", "require"]

EXTRA = "columnar"
_TABLE_MODULES = ("pyarrow", "pandas", "polars")


def is_table(value: object) -> bool:
    """Whether ``value`` is a table (Arrow, pandas or polars) rather than records.

    Decided from the type alone, without importing any table library.
    """
    kind = type(value)
    module = kind.__module__.partition(".")[0]
    if module in _TABLE_MODULES:
        return kind.__name__ in ("Table", "RecordBatch", "DataFrame")
    return hasattr(kind, "__arrow_c_stream__")


def require() -> tuple[Any, Any, Any]:
    """``(numpy, pyarrow, pyarrow.compute)``, or :class:`MissingDependency` naming the extra."""
    try:
        import numpy  # noqa: PLC0415  # the optional extra, imported lazily
        import pyarrow  # noqa: PLC0415
        import pyarrow.compute  # noqa: PLC0415
    except ImportError as error:
        raise MissingDependency(
            f"a table input needs numpy and pyarrow: pip install 'casemigrate[{EXTRA}]' "
            f"({error.name} is not installed)",
            field="table",
        ) from None
    return numpy, pyarrow, pyarrow.compute


def find_duplicate_active_cases(table: object, *, as_of: Any) -> Any:
    """The table path of :func:`casemigrate.find_duplicate_active_cases`."""
    require()
    from casemigrate._columnar import _columns, _rules  # noqa: PLC0415

    return _rules.duplicate_active_cases(_columns.cases(table), as_of)


def find_service_overlaps(table: object, *, cutover: Any, old_system: str | None,
                          new_system: str | None, within_system: bool) -> Any:
    """The table path of :func:`casemigrate.find_service_overlaps`."""
    require()
    from casemigrate._columnar import _columns, _rules  # noqa: PLC0415

    return _rules.service_overlaps(_columns.services(table), cutover, old_system,
                                   new_system, within_system)
