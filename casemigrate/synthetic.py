"""A synthetic municipality, generated in memory from a fixed seed.

Used by ``python -m casemigrate demo``, by the benchmarks and in the docs. The data
looks like a municipality's extract around a cutover: citizens with a skewed number
of cases and services, about a quarter of them active, durations from days to years,
two systems, and a few deliberate mistakes of the kinds the rules catch. It holds no
real person: CPR numbers are drawn at random from valid birth dates.

Example:
    >>> from casemigrate.synthetic import synthetic_municipality
    >>> data = synthetic_municipality(citizens=50, seed=7)
    >>> len(data.cases) > 50, data == synthetic_municipality(citizens=50, seed=7)
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Final

import attrs

from casemigrate.identifiers import CPR, Municipality, municipality
from casemigrate.model import Case, Delivery, Origin, Service

__all__ = ["SyntheticMunicipality", "synthetic_cpr", "synthetic_municipality"]

_KLE: Final = ("27.60.00", "27.36.20", "27.35.04", "16.16.02", "23.05.00", "29.18.00",
               "27.60.04", "17.03.04", "27.12.12", "32.18.12")
_CODES: Final = ("SEL85", "SEL107", "SEL108", "SEL104", "SEL103")
_GROUPS: Final = ("1.1", "1.2.1", "1.2.2.1", "2.1", "3.4")
_EPOCH: Final = dt.date(2008, 1, 1)


def synthetic_cpr(rng: random.Random) -> CPR:
    """A random valid CPR number born 1930-2010 (7th digit 0-3 or 4)."""
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(29_200))
    seventh = rng.randrange(4) if born.year < 2000 else 4
    return CPR(f"{born:%d%m}{born.year % 100:02d}{seventh}{rng.randrange(1000):03d}")


@attrs.frozen(kw_only=True)
class SyntheticMunicipality:
    """Generated records around one cutover.

    Attributes:
        municipality: The municipality.
        old_system: The name of the old system.
        new_system: The name of the new system.
        cutover: The cutover date.
        cases: Cases in both systems.
        services: Every service of the latest deliveries.
        deliveries: Production and test deliveries from both systems.
    """

    municipality: Municipality
    old_system: str
    new_system: str
    cutover: dt.date
    cases: tuple[Case, ...]
    services: tuple[Service, ...]
    deliveries: tuple[Delivery, ...]


def _duration(rng: random.Random) -> int:
    """Days to years, skewed toward short: a log-uniform number of days."""
    return int(2 ** rng.uniform(1, 12))


def synthetic_municipality(
    *,
    citizens: int = 400,
    seed: int = 2026,
    code: int = 607,
    old_system: str = "OldCare",
    new_system: str = "NewCare",
    cutover: dt.date = dt.date(2026, 6, 1),
) -> SyntheticMunicipality:
    """Generate a municipality's cases, services and deliveries around ``cutover``.

    Args:
        citizens: How many citizens.
        seed: The random seed; the same seed gives the same data.
        code: The municipality code.
        old_system: The old system's name.
        new_system: The new system's name.
        cutover: The cutover date.

    Returns:
        The generated records.
    """
    rng = random.Random(seed)
    where = municipality(code)
    cases: list[Case] = []
    old_services: list[Service] = []
    new_services: list[Service] = []
    horizon = (cutover - _EPOCH).days
    for number in range(citizens):
        cpr = synthetic_cpr(rng)
        # Skewed: most citizens have one or two cases, a few have many.
        for index in range(min(1 + int(rng.expovariate(0.9)), 12)):
            opened = _EPOCH + dt.timedelta(days=rng.randrange(horizon))
            active = rng.random() < 0.25
            closed = None if active else min(
                opened + dt.timedelta(days=_duration(rng)), cutover - dt.timedelta(days=1)
            )
            in_new = active and rng.random() < 0.3
            origin = rng.choices(
                (Origin.SYSTEM, Origin.MANUAL, Origin.CONVERTED), (0.6, 0.3, 0.1)
            )[0]
            cases.append(Case(
                case_id=f"{'N' if in_new else 'O'}-{number}-{index}",
                municipality=where, citizen=cpr,
                system=new_system if in_new else old_system,
                opened=max(opened, cutover) if in_new else opened, closed=closed,
                kle=rng.choice(_KLE), facet=rng.choice(("G01", "G01", "K07", "S00")),
                origin=origin, title=rng.choice(("Ansøgning", "Klage over afgørelse",
                                                 "Bevilling", "Aktindsigt", "")),
                caseworker=rng.choice(("ab", "cd", None)),
                organisation=rng.choice(("Handicap", "Ældre", None)),
            ))
            code_ = rng.choice(_CODES)
            groups = frozenset(rng.sample(_GROUPS, rng.randint(1, 2)))
            start = opened
            end = closed
            service_id = f"Y-{number}-{index}"
            old_services.append(Service(
                service_id=service_id, municipality=where, citizen=cpr, code=code_,
                target_groups=groups, start=start, end=end, system=old_system,
            ))
            if active:
                # Re-created in the new system: mostly right, sometimes not.
                mistake = rng.random()
                new_start = cutover if mistake < 0.05 else start
                if mistake > 0.95:
                    old_services[-1] = attrs.evolve(old_services[-1], end=cutover)
                new_services.append(Service(
                    service_id=f"{service_id}'", municipality=where, citizen=cpr,
                    code=code_, target_groups=groups, start=new_start, end=None,
                    system=new_system,
                ))
    deliveries = (
        Delivery(delivery_id="old-1", name="L402", system=old_system, municipality=where,
                 sent=dt.datetime.combine(cutover - dt.timedelta(days=40), dt.time(9)),
                 services=old_services),
        Delivery(delivery_id="old-2", name="L402", system=old_system, municipality=where,
                 sent=dt.datetime.combine(cutover + dt.timedelta(days=14), dt.time(9)),
                 services=old_services[:-1]),
        Delivery(delivery_id="new-0", name="T402", system=new_system, municipality=where,
                 sent=dt.datetime.combine(cutover - dt.timedelta(days=20), dt.time(9)),
                 services=new_services[: len(new_services) // 2]),
        Delivery(delivery_id="new-1", name="L402", system=new_system, municipality=where,
                 sent=dt.datetime.combine(cutover + dt.timedelta(days=15), dt.time(9)),
                 services=new_services),
    )
    return SyntheticMunicipality(
        municipality=where, old_system=old_system, new_system=new_system, cutover=cutover,
        cases=tuple(cases), services=tuple(old_services[:-1]) + tuple(new_services),
        deliveries=deliveries,
    )
