"""Hypothesis strategies for testing code that uses casemigrate.

Needs ``hypothesis`` (install the ``test`` extra). Nothing in casemigrate imports
this module.

Example:
    >>> from hypothesis import given
    >>> from casemigrate.testing import cprs
    >>> @given(cprs())
    ... def test_masked(cpr):
    ...     assert cpr.unmasked() not in repr(cpr)
    >>> test_masked()
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from casemigrate.identifiers import CPR

__all__ = ["cpr_strings", "cprs"]


def _seventh_digits(born: dt.date) -> list[int]:
    """The 7th digits that put ``born`` in its century (CPR-kontoret's table)."""
    yy = born.year % 100
    if born.year < 1900:
        return [5, 6, 7, 8] if yy >= 58 else []
    if born.year >= 2000:
        return ([4, 9] if yy <= 36 else []) + ([5, 6, 7, 8] if yy <= 57 else [])
    return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else []) + ([5, 6, 7, 8] if yy >= 58 else [])


@st.composite
def cpr_strings(
    draw: st.DrawFn,
    *,
    min_date: dt.date = dt.date(1900, 1, 1),
    max_date: dt.date = dt.date(2036, 12, 31),
    hyphen: bool | None = None,
) -> str:
    """Valid CPR numbers as strings, ``DDMMYY-SSSS`` or ten digits.

    Args:
        draw: Supplied by Hypothesis.
        min_date: Earliest birth date (at least 1858-01-01).
        max_date: Latest birth date (at most 2057-12-31).
        hyphen: Always (``True``), never (``False``) or sometimes (``None``) hyphenated.

    Returns:
        A strategy of strings that :class:`~casemigrate.CPR` accepts.
    """
    born = draw(
        st.dates(max(min_date, dt.date(1858, 1, 1)), min(max_date, dt.date(2057, 12, 31)))
        .filter(lambda day: bool(_seventh_digits(day)))
    )
    seventh = draw(st.sampled_from(_seventh_digits(born)))
    rest = draw(st.integers(0, 999))
    sep = "-" if (draw(st.booleans()) if hyphen is None else hyphen) else ""
    return f"{born:%d%m}{born.year % 100:02d}{sep}{seventh}{rest:03d}"


def cprs(
    *, min_date: dt.date = dt.date(1900, 1, 1), max_date: dt.date = dt.date(2036, 12, 31)
) -> st.SearchStrategy[CPR]:
    """Valid :class:`~casemigrate.CPR` numbers born between the two dates."""
    return cpr_strings(min_date=min_date, max_date=max_date).map(CPR)
