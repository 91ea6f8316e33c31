"""Planning the conversion of cases to a new system (DUBU).

002_82492dedb15d4efb.txt (KL/KOMBIT task card "Planlæg konvertering af sager"):

1. decide which cases to convert: the open (active) ones always; the closed
   (passive) ones only if the municipality wants them. Those not converted stay
   reachable in the existing case system;
2. decide the minimum content to convert at go-live, e.g. basic information and the
   intervention. The rest of the case moves at the first planned follow-up, so that
   the full legal basis is in the case after it;
3. decide the method: partly automatic (bought from the vendor, who migrates the
   minimum content; the municipality pays), or manual (caseworkers during training,
   or student assistants for the basic information);
4. make a time and resource plan.

The source gives no time per case, so :func:`plan_conversion` takes the range of
minutes per case from the caller and invents none.

Example:
    >>> import datetime as dt
    >>> from casemigrate import Case, ConversionMethod, plan_conversion
    >>> cases = [Case(case_id=f"B-{i}", municipality=607, citizen=None, system="Old",
    ...               opened=dt.date(2024, 1, 1),
    ...               closed=None if i % 4 else dt.date(2025, 1, 1)) for i in range(40)]
    >>> plan = plan_conversion(cases, include_passive=False, method=ConversionMethod.MANUAL,
    ...                        minutes_per_case=(10, 20), staff=2, hours_per_day=3,
    ...                        start=dt.date(2026, 3, 2))
    >>> len(plan.selected), len(plan.left_behind), plan.low_hours, plan.high_hours
    (30, 10, 5.0, 10.0)
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Iterable
from typing import Final

import attrs

from casemigrate import _validate as v
from casemigrate import workdays as wd
from casemigrate._keys import case_key, sorted_total
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.findings import Finding, sort_findings
from casemigrate.model import Case

__all__ = [
    "MINIMUM_CONTENT",
    "ConversionMethod",
    "ConversionPlan",
    "LeftBehind",
    "plan_conversion",
]


class ConversionMethod(enum.Enum):
    """How cases are converted.

    * ``PARTLY_AUTOMATIC``: bought from the vendor, who migrates the minimum content;
      the municipality pays for it itself.
    * ``MANUAL``: entered by hand, e.g. by caseworkers during training, or by student
      assistants for the basic information.
    """

    PARTLY_AUTOMATIC = "partly_automatic"
    MANUAL = "manual"


MINIMUM_CONTENT: Final[tuple[str, ...]] = ("basic information", "intervention")
"""What a converted case carries at go-live (basisoplysninger og indsats)."""

LATER_CONTENT: Final = "other case information, moved at the case's first follow-up"
"""What moves later: "øvrige relevante sagsoplysninger ... ved den planlagte opfølgning"."""


@attrs.frozen
class LeftBehind:
    """A case not converted, and why. It stays reachable in the old system.

    Attributes:
        case: The case.
        reason: Why it is not converted.
    """

    case: Case
    reason: str


@attrs.frozen(kw_only=True)
class ConversionPlan:
    """What is converted, what stays, how long it takes and when it is done.

    Attributes:
        selected: The cases to convert (active always, passive if asked), by case id.
        left_behind: The cases not converted, with their reason.
        method: The conversion method.
        minimum_content: What every converted case carries at go-live.
        later_content: What moves at the first follow-up.
        minutes_per_case: The caller's range of minutes per case.
        schedule: When the work would finish with the given staff.
        findings: CM501 (partly automatic: paid by the municipality), CM502 (cases
            left in the old system).
    """

    selected: tuple[Case, ...]
    left_behind: tuple[LeftBehind, ...]
    method: ConversionMethod
    minimum_content: tuple[str, ...]
    later_content: str
    minutes_per_case: tuple[float, float]
    schedule: wd.WorkSchedule
    findings: tuple[Finding, ...]

    @property
    def low_hours(self) -> float:
        """The workload at the low end, in person-hours."""
        return len(self.selected) * self.minutes_per_case[0] / 60

    @property
    def high_hours(self) -> float:
        """The workload at the high end, in person-hours."""
        return len(self.selected) * self.minutes_per_case[1] / 60


def _minutes(value: object) -> tuple[float, float]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise InvalidType("expected a (low, high) pair of minutes", field="minutes_per_case")
    low, high = (v.positive_number("minutes_per_case", m) for m in value)
    if low > high:
        raise InvalidArgument(f"low {low:g} exceeds high {high:g}", field="minutes_per_case")
    return (low, high)


_BY_ID: Final = operator.attrgetter("case_id")


def plan_conversion(
    cases: Iterable[Case],
    *,
    include_passive: bool,
    method: ConversionMethod,
    minutes_per_case: tuple[float, float],
    staff: float,
    hours_per_day: float,
    start: dt.date,
    calendar: wd.WorkingDays = wd.DEFAULT_WORKING_DAYS,
) -> ConversionPlan:
    """Plan the conversion of ``cases`` (002_82492dedb15d4efb.txt, Metode 1-3).

    Active cases (no closing date) are always selected; passive ones only with
    ``include_passive``. The others are left behind with their reason: they stay
    reachable in the old system (CM502). The workload is the number of selected
    cases times the caller's ``minutes_per_case`` range. The schedule spreads it over
    ``staff`` people working ``hours_per_day`` from ``start``, on working days.

    Args:
        cases: The cases to consider, in any order.
        include_passive: Whether passive (closed) cases are converted too.
        method: Partly automatic (bought from the vendor) or manual.
        minutes_per_case: ``(low, high)`` minutes of work per converted case.
        staff: People on the work (above zero; a fraction is a part-time share).
        hours_per_day: Hours each works on it per working day.
        start: The first day of the work.
        calendar: The working-day policy.

    Returns:
        The :class:`ConversionPlan`.

    Raises:
        InvalidArgument: ``staff`` or ``hours_per_day`` is not above zero, or the
            minutes are not above zero or low exceeds high.
        InvalidType: An argument has the wrong type.
    """
    if not isinstance(method, ConversionMethod):
        raise InvalidType(f"expected a ConversionMethod, got {v.type_name(method)}",
                          field="method")
    include_passive = v.flag("include_passive", include_passive)
    low, high = _minutes(minutes_per_case)
    selected: list[Case] = []
    left: list[LeftBehind] = []
    systems: set[str] = set()
    for case in v.instances("cases", cases, Case):
        if case.closed is None or include_passive:
            selected.append(case)
        else:
            left.append(LeftBehind(case, "passive: stays reachable in the old system"))
            systems.add(case.system)
    # Ids are reused across systems: ties on the id are broken by every other field,
    # so the order never depends on the input's.
    selected = sorted_total(selected, _BY_ID, case_key)
    left = sorted_total(left, lambda item: item.case.case_id, lambda item: case_key(item.case))
    schedule = wd.schedule_work(
        round(len(selected) * low), round(len(selected) * high), staff=staff,
        hours_per_day=hours_per_day, start=start, calendar=calendar,
    )
    findings: list[Finding] = []
    if method is ConversionMethod.PARTLY_AUTOMATIC:
        findings.append(Finding.of("CM501", ("conversion",), count=len(selected)))
    if left:
        findings.append(Finding.of("CM502", ("conversion",), count=len(left),
                                   system=tuple(sorted(systems))))
    return ConversionPlan(
        selected=tuple(selected), left_behind=tuple(left), method=method,
        minimum_content=MINIMUM_CONTENT, later_content=LATER_CONTENT,
        minutes_per_case=(low, high), schedule=schedule, findings=sort_findings(findings),
    )
