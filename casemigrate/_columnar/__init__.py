"""The columnar engine: the same rules over Arrow and numpy columns.

Private. The public rule functions hand a table here (pandas, polars or pyarrow, as
the table reader takes it); records never come here. Nothing in this package
imports numpy or pyarrow until a table arrives, so the core works without the
``columnar`` extra, and a table without it raises :class:`MissingDependency` naming
the extra.

The pipeline has three steps, each in its own module:

* :mod:`._columns`: the table reader's array back end: the table read as
  :func:`casemigrate.read_cases` reads it (the same ``columns=``, ``errors=``,
  ``extra=``, ``date_format=`` and ``dayfirst=``, the same refusals) into typed columns;
* :mod:`._rules`: the rules over those columns; :mod:`._blocking` the blocking cases;
* :mod:`._merge`: DST's merge over a deliveries table and a services table, with a
  lazy :class:`~casemigrate.MergeResult`;
* :mod:`._services`: the services check (CM309-CM311, CM313, CM315, CM316), with the
  target groups kept as the reader parses them and the merge's re-creation pairing;
* :mod:`._table`: the findings as a lazy, sorted table of :class:`~casemigrate.Finding`,
  with a CM002 for the refused rows when they were collected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casemigrate._frame_in import is_frame
from casemigrate.exceptions import InvalidArgument, MissingDependency

__all__ = ["EXTRA", "is_table", "records_only", "require"]

EXTRA = "columnar"
_DEFAULTS = {"columns": None, "errors": "raise", "extra": "ignore", "date_format": None,
             "dayfirst": None}


def is_table(value: object) -> bool:
    """Whether ``value`` is a table the reader reads (pandas, polars, Arrow, ...).

    The table reader's own test (``casemigrate._frame_in.is_frame``), decided from the
    type alone, without importing any table library.
    """
    return is_frame(value)


def records_only(read: Mapping[str, Any]) -> None:
    """Refuse the reader's options beside records: they say how to read a table.

    Raises:
        InvalidArgument: An option is given (not its default), naming it.
    """
    for name, value in read.items():
        default = _DEFAULTS[name]
        if value is not default and not (isinstance(value, str) and value == default):
            raise InvalidArgument(f"{name}= says how to read a table; records are read "
                                  "already (pass the table itself, or leave it out)",
                                  field=name)


def require() -> tuple[Any, Any, Any]:
    """``(numpy, pyarrow, pyarrow.compute)``, or :class:`MissingDependency` naming the extra."""
    try:
        import narwhals  # noqa: F401, PLC0415  # the optional extra, imported lazily
        import numpy  # noqa: PLC0415
        import pyarrow  # noqa: PLC0415
        import pyarrow.compute  # noqa: PLC0415
    except ImportError as error:
        raise MissingDependency(
            f"a table input needs numpy, pyarrow and narwhals: pip install "
            f"'casemigrate[{EXTRA}]' ({error.name} is not installed)",
            field="table",
        ) from None
    return numpy, pyarrow, pyarrow.compute


def find_duplicate_active_cases(table: object, *, as_of: Any, **read: Any) -> Any:
    """The table path of :func:`casemigrate.find_duplicate_active_cases`."""
    require()
    from casemigrate._columnar import _columns, _rules  # noqa: PLC0415

    columns = _columns.cases(table, **read)
    return _rules.duplicate_active_cases(columns, as_of).with_refusals(columns.refusals)


def find_blocking_cases(table: object, plan: Any, *, as_of: Any, deleted_at_dst: Any,
                        **read: Any) -> Any:
    """The table path of :func:`casemigrate.find_blocking_cases`."""
    require()
    from casemigrate._columnar import _blocking, _columns  # noqa: PLC0415

    columns = _columns.cases(table, **read)
    return _blocking.blocking_cases(columns, plan, as_of, deleted_at_dst).with_refusals(
        columns.refusals)


def find_service_overlaps(table: object, *, cutover: Any, old_system: str | None,
                          new_system: str | None, within_system: bool, **read: Any) -> Any:
    """The table path of :func:`casemigrate.find_service_overlaps`."""
    require()
    from casemigrate._columnar import _columns, _rules  # noqa: PLC0415

    columns = _columns.services(table, **read)
    return _rules.service_overlaps(columns, cutover, old_system, new_system,
                                   within_system).with_refusals(columns.refusals)


def merge_deliveries(deliveries: object, plan: Any, *, services: object | None,
                     check_overlaps: bool, match: Any, tolerated: int, **read: Any) -> Any:
    """The table path of :func:`casemigrate.merge_deliveries`."""
    require()
    from casemigrate._columnar import _merge  # noqa: PLC0415

    return _merge.merge(deliveries, plan, services, check_overlaps=check_overlaps,
                        match=match, tolerated=tolerated, **read)


def check_services(table: object, plan: Any, *, as_of: Any, match: Any, **read: Any) -> Any:
    """The table path of :func:`casemigrate.check_services`."""
    require()
    from casemigrate._columnar import _services  # noqa: PLC0415

    columns = _services.read(table, **read)
    return _services.check_services(columns, plan, as_of, match).with_refusals(columns.refusals)
