"""Hypothesis strategies for testing code that uses casemigrate.

A converter can property-test itself with records like the ones it will meet: valid
CPR numbers, and cases, services and deliveries from an old and a new system around
a cutover, some ending before it, some on it, some still open. Needs ``hypothesis``
(the ``test`` extra). Nothing in casemigrate imports this module.

Example:
    >>> import datetime as dt
    >>> from hypothesis import given, settings, strategies as st
    >>> from casemigrate import CutoverPlan, merge_deliveries
    >>> from casemigrate.testing import deliveries
    >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1))
    >>> @settings(max_examples=20)
    ... @given(st.lists(deliveries(cutover=plan.cutover), max_size=4))
    ... def test_my_converter_loses_nothing(sent):
    ...     result = merge_deliveries(sent, plan)
    ...     assert result.summary()["kept"] + result.summary()["excluded"] == sum(
    ...         len(d.services) for d in sent)
    >>> test_my_converter_loses_nothing()
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from casemigrate.identifiers import CPR
from casemigrate.model import Case, Delivery, Origin, Service

__all__ = ["cases", "cpr_strings", "cprs", "deliveries", "services"]

_CUTOVER = dt.date(2026, 6, 1)
_SYSTEMS = ("Old", "New")


def _seventh_digits(born: dt.date) -> list[int]:
    """The 7th digits that put ``born`` in its century (CPR-kontoret's table)."""
    yy = born.year % 100
    if born.year < 1900:
        return [5, 6, 7, 8] if yy >= 58 else []
    if born.year >= 2000:
        return ([4, 9] if yy <= 36 else []) + ([5, 6, 7, 8] if yy <= 57 else [])
    # 5-8 with 58-99 mean the 1800s, never the 1900s.
    return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])


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


def _number() -> st.SearchStrategy[int]:
    """The number of a record id: mostly wide-ranging, now and then from a small pool.

    So ids collide as they do in real extracts (reused across systems, repeated rows).
    """
    return st.integers(0, 10**6) | st.integers(0, 3)


@st.composite
def _period(draw: st.DrawFn, cutover: dt.date) -> tuple[dt.date, dt.date | None]:
    """A start and an end around the cutover.

    The start lies within six years before the cutover (or just after it); the end is
    open, before the cutover, the day before it, on it, or after it.
    """
    start = cutover + dt.timedelta(days=draw(st.integers(-6 * 365, 30)))
    kind = draw(st.sampled_from(["open", "before", "day-before", "on", "after"]))
    end: dt.date | None
    if kind == "open":
        end = None
    elif kind == "before":
        end = start + dt.timedelta(days=draw(st.integers(0, max((cutover - start).days - 2, 0))))
    elif kind == "day-before":
        end = cutover - dt.timedelta(days=1)
    elif kind == "on":
        end = cutover
    else:
        end = cutover + dt.timedelta(days=draw(st.integers(1, 400)))
    if end is not None and end < start:
        end = start
    return start, end


def cases(
    *,
    municipality: int = 607,
    systems: tuple[str, ...] = _SYSTEMS,
    cutover: dt.date = _CUTOVER,
    citizens: st.SearchStrategy[CPR | None] | None = None,
) -> st.SearchStrategy[Case]:
    """Cases in one of ``systems``, opened and closed around ``cutover``.

    Args:
        municipality: The municipality code.
        systems: The old and the new system's names.
        cutover: The cutover date.
        citizens: A strategy for the citizen; by default a small pool (so that
            duplicates happen) and sometimes none.

    Returns:
        A strategy of :class:`~casemigrate.Case`; ids are ``C<n>`` and collide now and
        then, as real ids do; use ``st.lists(cases(), unique_by=lambda c: c.case_id)``
        for a set of distinct ones.
    """
    pool = citizens if citizens is not None else st.one_of(
        st.none(), st.sampled_from(["211062-1234", "010203-4321", "311299-3999"]).map(CPR),
        cprs(),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Case:
        opened, closed = draw(_period(cutover))
        return Case(
            case_id=f"C{draw(_number())}", municipality=municipality,
            citizen=draw(pool), system=draw(st.sampled_from(systems)), opened=opened,
            closed=closed, origin=draw(st.sampled_from(list(Origin))),
        )

    return build()


def services(
    *,
    municipality: int = 607,
    systems: tuple[str, ...] = _SYSTEMS,
    cutover: dt.date = _CUTOVER,
    codes: tuple[str, ...] = ("SEL85", "SEL107", "SEL108"),
) -> st.SearchStrategy[Service]:
    """Services of one of ``systems`` around ``cutover``, some starting on it.

    Returns:
        A strategy of :class:`~casemigrate.Service`; ids are ``Y<n>`` and collide now
        and then.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Service:
        start, end = draw(_period(cutover))
        if draw(st.integers(0, 9)) == 0:
            start, end = cutover, None  # a re-creation that lost its start date
        return Service(
            service_id=f"Y{draw(_number())}", municipality=municipality,
            citizen=draw(st.sampled_from(["211062-1234", "010203-4321"]).map(CPR)),
            code=draw(st.sampled_from(codes)),
            target_groups=draw(st.frozensets(st.sampled_from(["1.1", "1.2.2.1", "2.3"]),
                                             min_size=1, max_size=2)),
            start=start, end=end, system=draw(st.sampled_from(systems)),
        )

    return build()


def deliveries(
    *,
    municipality: int = 607,
    systems: tuple[str, ...] = _SYSTEMS,
    cutover: dt.date = _CUTOVER,
    max_services: int = 8,
) -> st.SearchStrategy[Delivery]:
    """Production and test deliveries from one of ``systems``, sent around ``cutover``.

    The services of a delivery come from its own system.

    Returns:
        A strategy of :class:`~casemigrate.Delivery`; ids are ``D<n>`` and collide now
        and then.
    """

    @st.composite
    def build(draw: st.DrawFn) -> Delivery:
        system = draw(st.sampled_from(systems))
        held = draw(st.lists(services(municipality=municipality, systems=(system,),
                                      cutover=cutover),
                             max_size=max_services, unique_by=lambda s: s.service_id))
        sent = dt.datetime.combine(cutover, dt.time(9)) + dt.timedelta(
            hours=draw(st.integers(-60 * 24, 60 * 24)))
        return Delivery(
            delivery_id=f"D{draw(_number())}",
            name=draw(st.sampled_from(["L402", "L402", "T402"])), system=system,
            municipality=municipality, sent=sent, services=held,
        )

    return build()
