"""A read-only, hashable mapping, for the mappings that frozen records hold.

Private. ``types.MappingProxyType`` is read-only but neither hashable nor a copy: a
record holding one cannot be hashed, and whoever kept the dict behind it can still
change it. :class:`FrozenMap` copies what it is given and never changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMap", "frozen", "frozen_map"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A mapping that cannot change: no item assignment, no attribute assignment.

    Example:
        >>> m = FrozenMap({"a": 1})
        >>> m["a"], m == {"a": 1}, hash(m) == hash(FrozenMap({"a": 1}))
        (1, True, True)
        >>> m["b"] = 2
        Traceback (most recent call last):
        ...
        TypeError: 'FrozenMap' object does not support item assignment
    """

    __slots__ = ("_data",)
    _data: dict[K, V]

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_data", dict(items))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"'FrozenMap' object attribute {name!r} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"'FrozenMap' object attribute {name!r} is read-only")

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._data,))


def frozen_map(value: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> FrozenMap[Any, Any]:
    """A :class:`FrozenMap` of ``value`` (a converter for record fields)."""
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def frozen(value: Any) -> Any:
    """``value`` with every mapping in it a :class:`FrozenMap` and every list a tuple."""
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, Mapping):
        return FrozenMap({key: frozen(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    return value
