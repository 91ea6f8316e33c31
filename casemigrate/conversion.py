"""Planning the conversion of cases to a new system (DUBU).

KL/KOMBIT's DUBU 3.0 task card (Fase 2: Forberedelse), which prepares the KLIK task
"Konverter sager":

1. decide which cases to convert: the open (active) ones always; the closed
   (passive) ones only if the municipality wants them. Those not converted stay
   reachable in the existing case system;
2. decide the minimum content to convert at go-live, e.g. basic information and the
   intervention. The rest of the case moves at the first planned follow-up, so that
   the full legal basis is in the case after it;
3. decide the method: partly automatic (bought from the vendor, who migrates the
   minimum content; the municipality pays), or manual (caseworkers during training,
   or student assistants for the basic information);
4. make a time and resource plan. The minimum content must be converted "ved
   go-live" (step 1): with the go-live date given, the plan says whether the work is
   done before it (CM503).

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
from casemigrate import render as _render
from casemigrate import workdays as wd
from casemigrate._keys import case_key, sorted_total
from casemigrate._text import Term
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.model import Case
from casemigrate.sources import DUBU, POLICY

__all__ = [
    "LATER_CONTENT",
    "MINIMUM_CONTENT",
    "ConversionMethod",
    "ConversionPlan",
    "LeftBehind",
    "plan_conversion",
]


PARTLY_AUTOMATIC_CONVERSION_COST: Final = Rule(
    code="CM501",
    name="partly-automatic-conversion-cost",
    severity=Severity.INFO,
    summary="A partly automatic conversion is bought from the vendor at the municipality's "
            "own cost.",
    summary_da="En delvis automatisk konvertering købes hos leverandøren, og kommunen betaler "
               "selv.",
    message="partly automatic conversion of {count:# case|# cases} is paid by the "
            "municipality",
    message_da="delvis automatisk konvertering af {count:# sag|# sager} betales af kommunen "
               "selv",
    hint="Get a price from the vendor and weigh it against the manual workload.",
    hint_da="Indhent en pris fra leverandøren, og sammenlign den med den manuelle indsats.",
    citations=DUBU.cite("Beskrivelse", "hvor Netcompany mod betaling sikrer at "
                        "minimumoplysninger migreres over i DUBU fra jeres eksisterende "
                        "sagsløsning. Denne udgift afholdes af kommunen selv."),
    checks="A conversion plan with `ConversionMethod.PARTLY_AUTOMATIC`.",
    why="The vendor migrates the minimum content for a fee, and the municipality pays it "
        "itself. The plan's hours do not include that cost.",
    example="`plan_conversion(cases, method=ConversionMethod.PARTLY_AUTOMATIC, ...)`: CM501.",
    sample={"count": 1748},
    checks_da="En konverteringsplan med `ConversionMethod.PARTLY_AUTOMATIC`.",
    why_da="Leverandøren overfører det mindste indhold mod betaling, og den betaling afholder "
           "kommunen selv. Planens timer omfatter ikke den udgift.",
    example_da="En plan fra `plan_conversion(cases, method=ConversionMethod.PARTLY_AUTOMATIC, "
               "...)` giver CM501.",
)

CASES_LEFT_IN_OLD_SYSTEM: Final = Rule(
    code="CM502",
    name="cases-left-in-old-system",
    severity=Severity.INFO,
    summary="Cases not converted stay reachable only in the old system.",
    summary_da="Sager, der ikke konverteres, kan kun findes i det tidligere system.",
    message="{count:# case is|# cases are} not converted and {count:stays|stay} in {system}",
    message_da="{count:# sag|# sager} konverteres ikke og bliver i {system}",
    hint="Keep read access to the old system for as long as the cases may be needed.",
    hint_da="Bevar læseadgangen til det tidligere system, så længe der kan blive brug for "
            "sagerne.",
    citations=DUBU.cite("Beskrivelse", "eller om disse udelukkende skal være tilgængelige via "
                        "jeres eksisterende sags- og dokumentbærende system"),
    checks="Cases a conversion plan leaves behind (passive cases when "
           "`include_passive=False`).",
    why="They are not lost, but they stay reachable only in the old system, which must stay "
        "readable.",
    example="120 passive cases with `include_passive=False`: CM502 with count 120.",
    sample={"count": 120, "system": ("Sensum",)},
    checks_da="Sager, som en konverteringsplan efterlader (passive sager, når "
              "`include_passive=False`).",
    why_da="De går ikke tabt, men kan kun findes i det tidligere system, som derfor skal kunne "
           "læses fortsat.",
    example_da="120 passive sager med `include_passive=False`: CM502 med antal 120.",
)

CONVERSION_AFTER_GO_LIVE: Final = Rule(
    code="CM503",
    name="conversion-after-go-live",
    severity=Severity.WARNING,
    summary="The conversion's schedule does not finish before the new system's go-live.",
    summary_da="Konverteringens tidsplan bliver ikke færdig før det nye systems go-live.",
    message="the conversion finishes {earliest_finish} to {latest_finish}, not before go-live "
            "on {go_live}",
    message_da="konverteringen bliver færdig mellem {earliest_finish} og {latest_finish}, ikke før "
               "go-live {go_live}",
    hint="Add staff or hours, start earlier, convert less at go-live, or move go-live.",
    hint_da="Sæt flere medarbejdere eller timer på, start tidligere, konvertér mindre ved "
            "go-live, eller flyt go-live.",
    citations=(
        DUBU.cite("trin 1", "skal I afklare hvilke sager og hvilket sagsindhold, I som minimum "
                  "ønsker er konvereret over ved go-live."),
        POLICY.cite("go-live", "The last day of conversion work must come before the go-live "
                    "day."),
    ),
    checks="`plan_conversion(..., go_live=...)`: whether the conversion's schedule finishes "
           "before go-live. WARNING when the slow end (`schedule.latest_finish`) is on or "
           "after go-live; ERROR when even the fast end (`schedule.earliest_finish`) is. The "
           "last day of work must come before the go-live day (casemigrate policy, "
           "docs/policies.md: on go-live the cases are to be there already). "
           "`ConversionPlan.done_by_go_live` says the same as a bool.",
    why='The task card asks which cases and content "I som minimum ønsker er konvereret over '
        'ved go-live", and for a time and resource plan. A plan that ends after go-live '
        "leaves caseworkers on day one without the cases they work on.",
    example="30 cases at 10–20 minutes, 2 people × 3 hours a day from Monday 2026-03-02: done "
            "2026-03-02 to 2026-03-03. Go-live 2026-03-04: nothing. Go-live 2026-03-03: CM503 "
            "(WARNING). Go-live 2026-03-02: CM503 (ERROR).",
    sample={"earliest_finish": dt.date(2026, 3, 2), "latest_finish": dt.date(2026, 3, 3),
            "go_live": dt.date(2026, 3, 3)},
    checks_da="`plan_conversion(..., go_live=...)`: om konverteringens tidsplan er færdig før "
              "idriftsættelsen. ADVARSEL, når den langsomme ende (`schedule.latest_finish`) "
              "ligger på eller efter idriftsættelsen; FEJL, når selv den hurtige ende "
              "(`schedule.earliest_finish`) gør det. Den sidste arbejdsdag skal ligge før "
              "idriftsættelsesdagen (casemigrates valg, docs/policies.md: ved idriftsættelsen "
              "skal sagerne allerede være der). `ConversionPlan.done_by_go_live` siger det samme "
              "som en sandhedsværdi.",
    why_da="Opgavekortet spørger, hvilke sager og hvilket indhold \"I som minimum ønsker er "
           "konvereret over ved go-live\", og efter en tids- og ressourceplan. En plan, der "
           "slutter efter idriftsættelsen, efterlader sagsbehandlerne på første dag uden de "
           "sager, de arbejder med.",
    example_da="30 sager à 10–20 minutter, 2 personer × 3 timer om dagen fra mandag 2026-03-02: "
               "færdig 2026-03-02 til 2026-03-03. Idriftsættelse 2026-03-04: intet fund. "
               "Idriftsættelse 2026-03-03: CM503 (ADVARSEL). Idriftsættelse 2026-03-02: CM503 "
               "(FEJL).",
)


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


_PASSIVE: Final = Term("passive: stays reachable in the old system",
                       da="passiv: kan stadig findes i det tidligere system")


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
            left in the old system), CM503 (not done before go-live).
        go_live: The day the new system goes live, if given.
    """

    selected: tuple[Case, ...]
    left_behind: tuple[LeftBehind, ...]
    method: ConversionMethod
    minimum_content: tuple[str, ...]
    later_content: str
    minutes_per_case: tuple[float, float]
    schedule: wd.WorkSchedule
    findings: tuple[Finding, ...]
    go_live: dt.date | None = None

    @property
    def done_by_go_live(self) -> bool | None:
        """Whether even the slow end of the schedule finishes before go-live.

        ``None`` without a go-live date. The last day of work must come before the
        go-live day: on go-live the converted cases are to be there (casemigrate
        policy, docs/policies.md).
        """
        if self.go_live is None:
            return None
        return self.schedule.latest_finish < self.go_live

    def __repr__(self) -> str:
        return _render.conversion_repr(self)

    def _repr_html_(self) -> str:
        return _render.conversion_html(self)

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
    go_live: dt.date | None = None,
) -> ConversionPlan:
    """Plan the conversion of ``cases`` (the DUBU task card's steps 1-3).

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
        go_live: The day the new system goes live. With it, CM503 (WARNING) says the
            slow end of the schedule finishes on or after go-live; (ERROR) even the
            fast end does.

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
    live = v.optional_day("go_live", go_live)
    selected: list[Case] = []
    left: list[LeftBehind] = []
    systems: set[str] = set()
    for case in v.instances("cases", cases, Case):
        if case.closed is None or include_passive:
            selected.append(case)
        else:
            left.append(LeftBehind(case, _PASSIVE))
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
        findings.append(Finding.of(PARTLY_AUTOMATIC_CONVERSION_COST, ("conversion",),
                                   count=len(selected)))
    if left:
        findings.append(Finding.of(CASES_LEFT_IN_OLD_SYSTEM, ("conversion",), count=len(left),
                                   system=tuple(sorted(systems))))
    if live is not None and schedule.latest_finish >= live:
        findings.append(Finding.of(
            CONVERSION_AFTER_GO_LIVE, ("conversion",), severity=(
                Severity.ERROR if schedule.earliest_finish >= live else None),
            earliest_finish=schedule.earliest_finish,
            latest_finish=schedule.latest_finish, go_live=live,
        ))
    return ConversionPlan(
        selected=tuple(selected), left_behind=tuple(left), method=method,
        minimum_content=MINIMUM_CONTENT, later_content=LATER_CONTENT,
        minutes_per_case=(low, high), schedule=schedule, findings=sort_findings(findings),
        go_live=live,
    )
