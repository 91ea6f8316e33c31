"""What the modules of :mod:`casemigrate.cleanup` share.

KLE numbers given as an argument, and the øre amounts are rounded to.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from casemigrate import _validate as v
from casemigrate.exceptions import CaseMigrateError, InvalidType
from casemigrate.identifiers import KLE

ORE: Final = Decimal("0.01")
"""One øre, the rounding of amounts in kroner."""


def kle_set(field: str, values: Iterable[KLE | str]) -> frozenset[KLE]:
    """The KLE numbers of ``values``; a malformed one is reported under ``field``."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidType(f"expected KLE numbers, got {v.type_name(values)}", field=field)
    try:
        return frozenset(value if isinstance(value, KLE) else KLE(value) for value in values)
    except CaseMigrateError as error:
        failure = error.with_field(field)
    raise failure
