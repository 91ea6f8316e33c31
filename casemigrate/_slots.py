"""Filling the slots of frozen records fast, for constructors on hot paths.

Private. attrs generates ``__init__`` the same way: one store per slot, unrolled.
A converter builds a million records, and a per-field loop or ``object.__setattr__``
per field costs as much as the validation.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["safe_repr", "slots_filler", "slots_maker"]


def slots_filler(cls: type, *names: str) -> Any:
    """A function that fills the named slots of a frozen instance, unrolled.

    For constructors on hot paths, as attrs generates its own ``__init__``.
    """
    scope = {f"_set{index}": cls.__dict__[name].__set__ for index, name in enumerate(names)}
    arguments = [f"value{index}" for index in range(len(names))]
    body = "".join(f"\n    _set{index}(instance, value{index})" for index in range(len(names)))
    source = f"def fill(instance, {', '.join(arguments)}):{body}\n"
    exec(compile(source, f"<casemigrate fill {cls.__name__}>", "exec"), scope)
    return scope["fill"]


def slots_maker(cls: type, *names: str) -> Any:
    """A function that makes an instance of ``cls`` from its slot values, unrolled.

    Like :func:`slots_filler`, but creates the instance too, so that
    ``map(make, *columns)`` builds records from columns with no Python loop around it.
    """
    scope = {f"_set{index}": cls.__dict__[name].__set__ for index, name in enumerate(names)}
    scope["_new"], scope["_cls"] = object.__new__, cls
    arguments = [f"value{index}" for index in range(len(names))]
    body = "".join(f"\n    _set{index}(instance, value{index})" for index in range(len(names)))
    source = (f"def make({', '.join(arguments)}):\n    instance = _new(_cls){body}\n"
              "    return instance\n")
    exec(compile(source, f"<casemigrate make {cls.__name__}>", "exec"), scope)
    return scope["make"]
_C = TypeVar("_C", bound=type)


def safe_repr(cls: _C) -> _C:
    """Give ``cls`` a repr that works on a half-built instance too.

    A constructor that fails half-way leaves ``self`` with empty slots. A traceback
    that captures locals (``capture_locals=True``, error trackers' default) calls
    ``repr(self)`` on it, and attrs' repr raises ``AttributeError``: the report of
    the first error would itself crash. Applied over ``@attrs.frozen``.
    """
    generated: Any = cls.__dict__["__repr__"]

    def __repr__(self: object) -> str:
        try:
            shown: str = generated(self)
            return shown
        except AttributeError:
            return f"<{cls.__name__} under construction>"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = __repr__  # type: ignore[assignment]
    return cls
