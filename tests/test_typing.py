"""The records' constructors as a type checker sees them (``tests/typecheck/``).

mypy's attrs plugin takes a constructor's parameter types from its converters; these
tests keep ``Delivery(delivery_id=1, sent="yesterday")`` a type error, as it is for
``Case``.
"""

from __future__ import annotations

import pathlib

import pytest

api = pytest.importorskip("mypy.api")

HERE = pathlib.Path(__file__).parent


def test_constructors_accept_their_types_and_refuse_others() -> None:
    """Every ``type: ignore`` in the file is needed (warn_unused_ignores), so each
    refused call really is refused, and every accepted one is accepted."""
    out, err, status = api.run([
        "--strict", "--warn-unused-ignores", "--no-error-summary",
        str(HERE / "typecheck" / "constructors.py"),
    ])
    assert (out, err, status) == ("", "", 0)
