"""Columns out of a dataframe, as Python lists (private).

The one place that knows dataframe libraries on the way in. It goes through narwhals,
so pandas, polars, pyarrow (and whatever narwhals supports) are read by one code
path. Each column is converted by its type, as a whole: dates and timestamps through
numpy's ``datetime64`` (missing as ``None``), everything else with ``to_list``.
What a column holds beyond that (``NaN``, ``pd.NA``, numpy scalars in an object
column) is left to :func:`plain`, which the reader applies per value where needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from casemigrate import _validate as v
from casemigrate.exceptions import InvalidType, MissingDependency

__all__ = ["INSTALL", "is_frame", "open_frame", "plain"]

INSTALL: Final = 'pip install "casemigrate[tables]"'
_FRAME_LIBRARIES: Final = frozenset({
    "pandas", "polars", "pyarrow", "modin", "cudf", "dask", "pyspark", "ibis", "duckdb",
    "sqlframe",
})
_DATE_KINDS: Final = frozenset({"date"})


def is_frame(value: object) -> bool:
    """Whether ``value`` looks like a dataframe of a library narwhals reads.

    Decided without importing anything, so that a frame given without the extra
    installed gets an error that names the extra.
    """
    module = type(value).__module__.partition(".")[0]
    if module in _FRAME_LIBRARIES:
        return not _is_series(value)
    return hasattr(value, "__narwhals_dataframe__") or hasattr(value, "__arrow_c_stream__")


def _is_series(value: object) -> bool:
    name = type(value).__name__
    return name in ("Series", "ChunkedArray", "Array") or name.endswith("Array")


def _narwhals() -> Any:
    try:
        import narwhals.stable.v1 as nw  # noqa: PLC0415  # optional extra, imported on use
    except ImportError:
        raise MissingDependency(
            f"reading a dataframe needs narwhals: {INSTALL} (or the pandas, polars or "
            "arrow extra)", field="table",
        ) from None
    return nw


def _numpy() -> Any:
    try:
        import numpy as np  # noqa: PLC0415  # comes with pandas and pyarrow; optional
    except ImportError:  # pragma: no cover - polars without numpy
        return None
    return np


class Frame:
    """A dataframe opened for reading: its column names, its length, its columns."""

    def __init__(self, table: object) -> None:
        nw = _narwhals()
        native = table
        if type(table).__name__ == "LazyFrame":
            raise InvalidType("expected an eager dataframe, got a LazyFrame: call "
                              ".collect() first", field="table")
        try:
            self._frame = nw.from_native(native, eager_only=True)
        except TypeError as error:
            stream = _arrow_table(table)  # a RecordBatch, any Arrow stream: through pyarrow
            if stream is None:
                raise InvalidType(f"narwhals cannot read a {type(table).__name__}: {error}",
                                  field="table") from None
            self._frame = nw.from_native(stream, eager_only=True)
        self._nw = nw
        self.columns: tuple[str, ...] = tuple(str(name) for name in self._frame.columns)
        self.height: int = len(self._frame)

    def column(self, name: str, kind: str) -> list[Any]:
        """The column ``name`` as a list, converted by its type for a field of ``kind``.

        Date and timestamp columns come out as ``datetime.date`` (``kind == "date"``,
        a timestamp with a time of day is kept as a ``datetime`` so the field refuses
        it) or ``datetime.datetime`` (any other kind); missing values as ``None``.
        """
        nw = self._nw
        series = self._series(name, kind)
        dtype = series.dtype
        if isinstance(dtype, nw.Datetime):
            return _timestamps(series, kind)
        if dtype == nw.Date:
            return _dates(series)
        return list(series.to_list())

    def arrow(self, name: str, kind: str) -> Any:
        """The column ``name`` as one Arrow array, or ``None`` where Arrow cannot hold it.

        A time-zone-aware timestamp is made naive as :meth:`column` makes it; a
        dictionary (categorical) column is decoded; nothing else is converted. ``None``
        for a column of mixed Python objects Arrow has no type for: read it with
        :meth:`column`. Needs pyarrow.
        """
        import pyarrow as pa  # noqa: PLC0415  # the columnar extra, imported on use

        try:
            series = self._series(name, kind)
            native = series.to_native()  # a pyarrow table's own column: read, not copied
            array = native if isinstance(native, pa.ChunkedArray) else series.to_arrow()
        except (pa.ArrowException, TypeError, ValueError):
            return None
        if isinstance(array, pa.ChunkedArray):
            array = (array.combine_chunks() if array.num_chunks != 1 else array.chunk(0))
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        return array

    def _series(self, name: str, kind: str) -> Any:
        """The column as a narwhals series, a time-zone-aware timestamp made naive."""
        series = self._frame.get_column(name)
        dtype = series.dtype
        if isinstance(dtype, self._nw.Datetime) and dtype.time_zone is not None:
            if kind not in _DATE_KINDS:  # a moment: as Danish local time, like Delivery
                series = series.dt.convert_time_zone("Europe/Copenhagen")
            series = series.dt.replace_time_zone(None)  # a day: the wall clock, as written
        return series


def _arrow_table(table: object) -> Any:
    """A ``pyarrow.Table`` of an object speaking the Arrow stream protocol, else ``None``."""
    if not hasattr(table, "__arrow_c_stream__"):
        return None
    try:
        import pyarrow as pa  # noqa: PLC0415  # optional; only for a bare Arrow stream
    except ImportError:
        return None
    try:
        return pa.table(table)
    except (pa.ArrowException, TypeError, ValueError, NotImplementedError):
        return None


def _dates(series: Any) -> list[Any]:
    np = _numpy()
    if np is None:  # pragma: no cover
        return list(series.to_list())
    values: list[Any] = series.to_numpy().astype("datetime64[D]").tolist()
    return values


def _timestamps(series: Any, kind: str) -> list[Any]:
    np = _numpy()
    if np is None:  # pragma: no cover
        return [plain(value) for value in series.to_list()]
    stamps = series.to_numpy()
    if kind not in _DATE_KINDS:
        moments: list[Any] = stamps.astype("datetime64[us]").tolist()
        return moments
    days = stamps.astype("datetime64[D]")
    values: list[Any] = days.tolist()
    with_time = np.flatnonzero((stamps != days) & ~np.isnat(stamps))
    if len(with_time):
        exact = stamps[with_time].astype("datetime64[us]").tolist()
        for index, moment in zip(with_time.tolist(), exact, strict=True):
            values[index] = moment
    return values


def open_frame(table: object) -> Frame:
    """Open ``table`` for reading; :class:`MissingDependency` names the extra."""
    return Frame(table)


_FAST: Final = frozenset({str, int, dt.date, dt.datetime, bool, type(None), list, tuple})


def plain(value: Any) -> Any:
    """A Python value for a value a table holds: missing markers become ``None``.

    ``NaN``, ``NaT``, ``pd.NA`` and ``None`` are missing. numpy scalars become their
    Python value; a ``datetime64`` a ``datetime``; a pandas ``Timestamp`` stays (it
    is a ``datetime``).
    """
    if type(value) in _FAST:
        return value
    # The constructors' own reading (casemigrate._validate), so a frame and a record
    # agree on what is missing and what a numpy value is.
    if v.is_missing(value):
        return None
    value = v.native(value)
    return float(value) if isinstance(value, float) else value

