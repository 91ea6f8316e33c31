"""Cleanup of manual cases: classification, time estimates, notice, savings, candidates.

The rules of 003_63b3ba8438f94d62.txt (KMD Sag Exit-strategi 2):

* Del 3, "Estimering af omfanget af oprydning i KMD Sag Sager": every case needs some
  cleanup, of one of three kinds. *Simple* (3-5 minutes): review the metadata. *Medium*
  (4-10 minutes): check the KLE number and facet, and look for complaint, appeal and
  access-to-file cases. *Complex* (15-25 minutes): merge or split cases, and close
  open ones. The source calls the figures very preliminary, so every estimate is a
  range. The low end assumes every case takes the lowest time of its kind, the high
  end the highest.
  The range is the sum of lows and of highs, not a narrower statistical band: a
  per-case rate that is wrong is wrong for every case, so the errors add up instead of
  cancelling out.
* Del 3, "Hvilke forhold (opsigelsesvarsel) gør sig gældende?": the notice periods
  for ending manual cases (2, 3, 6 or 6 months).
* Del 1 ("Økonomi"), Del 3 and FAQ 14-15: KMD Sag bills per active case, and ending
  manual cases cuts the whole bill by 10 %. Fredericia's table (Del 2) is the worked
  example: 62,499 -> 48,342 cases, 16,945.35 -> 13,107.00 kr a month.
* Del 2, Fredericia Kommune: the cases worth closing first. Cases on retired
  ("udgået") KLE numbers, converted cases 5-6 years old still active, and manual
  cases created without "sammenlæg sag" that duplicate a system case.

Example:
    >>> from casemigrate.cleanup import Complexity, estimate_cleanup
    >>> estimate = estimate_cleanup({Complexity.SIMPLE: 1000})
    >>> estimate.low_hours, round(estimate.high_hours, 1)
    (50.0, 83.3)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from casemigrate import _validate as v
from casemigrate import workdays as wd
from casemigrate._frozen import frozen_map
from casemigrate._slots import safe_repr
from casemigrate.exceptions import CaseMigrateError, InvalidArgument, InvalidType
from casemigrate.findings import Finding, sort_findings
from casemigrate.identifiers import KLE, Facet, cpr_key
from casemigrate.model import Case, Origin

__all__ = [
    "DEFAULT_TITLE_WORDS",
    "Classification",
    "CleanupEstimate",
    "Complexity",
    "NoticePeriod",
    "NoticePolicy",
    "NoticeRule",
    "Savings",
    "classify_cleanup",
    "estimate_cleanup",
    "estimate_savings",
    "find_mass_close_candidates",
    "manual_cases_saving",
    "notice_period",
]



class Complexity(enum.Enum):
    """How much cleanup a case needs, with the source's minutes per case and tasks.

    Attributes (of each member):
        low_minutes: The lowest time per case.
        high_minutes: The highest time per case.
        tasks: The tasks of this kind, in English.
        tasks_da: The tasks as the source lists them, in Danish.
    """

    SIMPLE = (3, 5, (
        "Check that the case has a title, caseworker, organisation, date and case number.",
        "Documents lacking approval or a fixed attachment.",
        "Unfinished notifications (advis) on the case.",
        "Close the case (passivate) if it can be.",
    ), (
        "Sikre at der er: Titel, Sagsbehandler, Organisation, Dato, Sagsnummer.",
        "Dokumenter mangler godkendelse/fast tilknytning.",
        "Der er uafsluttede advis på sagen.",
        "Sagen kan passiveres.",
    ))
    MEDIUM = (4, 10, (
        "Check that the right KLE number is used.",
        "Check the facet: many users default to G01, which is often wrong.",
        "Search titles such as complaint, appeal and access to file (klage, anke, "
        "aktindsigt).",
    ), (
        "Undersøg om der er anvendt korrekt KLE-nummer.",
        "Mange brugere er opsat til default sagsfacet G01.",
        "For særlige emner søges sagsoverskrifter som klage, anke, aktindsigt m.fl.",
    ))
    COMPLEX = (15, 25, (
        "Check whether cases can be merged.",
        "Check the one-matter-per-case principle; split cases that break it.",
        "Close cases lacking an approved decision on an agenda item.",
        "Close open cases.",
    ), (
        "Undersøg om sager kan sammenlægges.",
        "Undersøg om enkeltsagsprincippet er overholdt, ellers opdeles sagerne.",
        "Passiver sager med manglende godkendt beslutning på dagsordenpunkt.",
        "Afslutte åbne sager.",
    ))

    def __init__(
        self, low: int, high: int, tasks: tuple[str, ...], tasks_da: tuple[str, ...]
    ) -> None:
        self.low_minutes = low
        self.high_minutes = high
        self.tasks = tasks
        self.tasks_da = tasks_da

    @property
    def rank(self) -> int:
        """0 for simple, 1 for medium, 2 for complex."""
        return list(Complexity).index(self)


DEFAULT_TITLE_WORDS: Final[tuple[str, ...]] = ("klage", "anke", "aktindsigt")
"""Title words that make a case medium work (the source's *klage*, *anke*, *aktindsigt*)."""

_G01: Final = Facet("G01")


def _normal(text: str) -> str:
    """Unicode-normalised and case-folded: 'KLAGE', 'Klage' and 'klage' compare equal."""
    return unicodedata.normalize("NFC", text).casefold()


def _title_pattern(words: Iterable[str]) -> re.Pattern[str]:
    # At the start of a word: "Klage over afgørelse", "Ankestyrelsen",
    # "Aktindsigtsanmodning" match; "tanke" and "beklager" do not. Longest first, then
    # alphabetical: the word a reason names never depends on the order (or hash seed)
    # of a set of words.
    normal = sorted({_normal(word) for word in words}, key=lambda word: (-len(word), word))
    alternatives = "|".join(re.escape(word) for word in normal)
    return re.compile(rf"\b(?:{alternatives})", re.UNICODE)


def _title_words(value: object) -> tuple[str, ...]:
    """Title words: an iterable of non-blank strings (a lone string is refused)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidType(f"expected an iterable of words such as ['klage'], got "
                          f"{v.type_name(value)}", field="title_words")
    words = tuple(value)
    for word in words:
        if not isinstance(word, str):
            raise InvalidType(f"expected strings, got a {v.type_name(word)}",
                              field="title_words")
        if not word.strip():
            raise InvalidArgument("a word is blank", field="title_words")
    return words


_DEFAULT_TITLES: Final = _title_pattern(DEFAULT_TITLE_WORDS)


@attrs.frozen
class Classification:
    """How much cleanup a case needs, and why.

    Attributes:
        complexity: The highest complexity any reason calls for.
        reasons: Every reason found, as ``(complexity, reason)`` pairs, in the order
            of the source's table.
    """

    complexity: Complexity
    reasons: tuple[tuple[Complexity, str], ...]


def _reasons(
    case: Case,
    *,
    has_related: bool,
    closing: bool,
    suspicious_kle: frozenset[KLE],
    titles: re.Pattern[str],
) -> list[tuple[Complexity, str]]:
    reasons: list[tuple[Complexity, str]] = []
    simple, medium, complex_ = Complexity.SIMPLE, Complexity.MEDIUM, Complexity.COMPLEX
    if not case.title.strip():
        reasons.append((simple, "missing title"))
    if case.caseworker is None:
        reasons.append((simple, "missing caseworker"))
    if case.organisation is None:
        reasons.append((simple, "missing organisation"))
    if case.kle is None:
        reasons.append((medium, "missing KLE number"))
    elif case.kle in suspicious_kle:
        reasons.append((medium, f"suspicious KLE number {case.kle}"))
    if case.facet is None:
        reasons.append((medium, "missing facet"))
    elif case.facet == _G01:
        reasons.append((medium, "default facet G01"))
    match = titles.search(_normal(case.title)) if case.title else None
    if match is not None:
        reasons.append((medium, f"title suggests a special matter ({match.group(0)})"))
    if has_related:
        reasons.append((complex_, "may be merged with a case of the same citizen and KLE"))
    if closing:
        reasons.append((complex_, "to be closed"))
    return reasons


def _classification(reasons: list[tuple[Complexity, str]]) -> Classification:
    if not reasons:
        return Classification(Complexity.SIMPLE, ((Complexity.SIMPLE, "metadata review"),))
    worst = max(reasons, key=lambda pair: pair[0].rank)[0]
    return Classification(worst, tuple(reasons))


def _kle_set(field: str, values: Iterable[KLE | str]) -> frozenset[KLE]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidType(f"expected KLE numbers, got {v.type_name(values)}", field=field)
    try:
        return frozenset(value if isinstance(value, KLE) else KLE(value) for value in values)
    except CaseMigrateError as error:
        failure = error.with_field(field)
    raise failure


def classify_cleanup(
    case: Case,
    *,
    related: Iterable[Case] = (),
    closing: bool = False,
    suspicious_kle: Iterable[KLE | str] = (),
    title_words: Iterable[str] = DEFAULT_TITLE_WORDS,
) -> Classification:
    """How much cleanup ``case`` needs, from its own data (source, Del 3 table).

    * simple: missing title, caseworker or organisation (date and case number every
      :class:`~casemigrate.Case` has), or nothing found but the metadata review every
      case gets;
    * medium: a missing or suspicious KLE number (``suspicious_kle``), a missing facet
      or the default facet ``G01``, or a title with a word starting like *klage*,
      *anke* or *aktindsigt* (case-insensitive, Unicode-normalised, at the start of a
      word so that "tanke" is not an appeal);
    * complex: another case in ``related`` has the same citizen and KLE number (they
      may be merged), or the caller is closing the case (``closing=True``).

    Args:
        case: The case.
        related: Other cases to look for merge candidates among.
        closing: Whether the case is to be closed as part of the cleanup.
        suspicious_kle: KLE numbers the caller doubts (e.g. a "papirkurv" number).
        title_words: The title words that mark a special matter.

    Returns:
        The :class:`Classification`.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> case = Case(case_id="M-1", municipality=607, citizen=None, system="KMD Sag",
        ...             opened=dt.date(2014, 5, 1), title="KLAGE over afgørelse",
        ...             kle="27.60.00", facet="K07", caseworker="ab", organisation="Ældre")
        >>> classify_cleanup(case).complexity
        <Complexity.MEDIUM: (4, 10, ...)>
        >>> classify_cleanup(case, closing=True).reasons[-1]
        (<Complexity.COMPLEX: ...>, 'to be closed')
    """
    if not isinstance(case, Case):
        raise InvalidType(f"expected a Case, got {v.type_name(case)}", field="case")
    closing = v.flag("closing", closing)
    others = v.instances("related", related, Case)
    has_related = False
    if case.citizen is not None and case.kle is not None:
        for other in others:
            if (other.case_id != case.case_id and other.citizen == case.citizen
                    and other.kle == case.kle):
                has_related = True
                break
    titles = (_DEFAULT_TITLES if title_words is DEFAULT_TITLE_WORDS
              else _title_pattern(_title_words(title_words)))
    return _classification(_reasons(
        case, has_related=has_related, closing=v.flag("closing", closing),
        suspicious_kle=_kle_set("suspicious_kle", suspicious_kle), titles=titles,
    ))


@attrs.frozen
class CleanupEstimate:
    """The time a cleanup takes, as a range (the source's figures are preliminary).

    Attributes:
        counts: Cases per complexity (every complexity present, zero if none).
        classifications: The classification of each case, by case id, when the
            estimate was made from cases; empty when made from counts.
    """

    counts: Mapping[Complexity, int] = attrs.field(converter=frozen_map)
    classifications: Mapping[str, Classification] = attrs.field(
        factory=dict, converter=frozen_map, repr=False)

    @property
    def low_minutes(self) -> int:
        """Minutes if every case takes its kind's lowest time."""
        return sum(n * c.low_minutes for c, n in self.counts.items())

    @property
    def high_minutes(self) -> int:
        """Minutes if every case takes its kind's highest time."""
        return sum(n * c.high_minutes for c, n in self.counts.items())

    @property
    def low_hours(self) -> float:
        """The low end in hours."""
        return self.low_minutes / 60

    @property
    def high_hours(self) -> float:
        """The high end in hours."""
        return self.high_minutes / 60

    @property
    def cases(self) -> int:
        """How many cases in all."""
        return sum(self.counts.values())

    def breakdown(self) -> list[dict[str, Any]]:
        """One row per complexity: cases and the range in hours.

        Example:
            >>> estimate_cleanup({Complexity.COMPLEX: 6}).breakdown()[2]
            {'complexity': 'COMPLEX', 'cases': 6, 'low_hours': 1.5, 'high_hours': 2.5}
        """
        return [
            {"complexity": c.name, "cases": n, "low_hours": n * c.low_minutes / 60,
             "high_hours": n * c.high_minutes / 60}
            for c, n in self.counts.items()
        ]

    def __add__(self, other: CleanupEstimate) -> CleanupEstimate:
        """The estimate of two disjoint sets of work."""
        if not isinstance(other, CleanupEstimate):
            return NotImplemented
        return CleanupEstimate(
            {c: self.counts[c] + other.counts[c] for c in Complexity},
            {**self.classifications, **other.classifications},
        )

    def schedule(
        self,
        *,
        staff: float,
        hours_per_day: float,
        start: dt.date,
        calendar: wd.WorkingDays = wd.DEFAULT_WORKING_DAYS,
    ) -> wd.WorkSchedule:
        """When the cleanup finishes with ``staff`` people working ``hours_per_day``.

        Args:
            staff: People on the work (a fraction is a part-time share); above zero.
            hours_per_day: Hours each works on it per working day; above zero, at most 24.
            start: The first day of the work (moved to the next working day if needed).
            calendar: The working-day policy.

        Returns:
            The :class:`~casemigrate.workdays.WorkSchedule`.

        Raises:
            InvalidArgument: ``staff`` or ``hours_per_day`` is zero or negative.

        Example:
            >>> import datetime as dt
            >>> s = estimate_cleanup({Complexity.SIMPLE: 1000}).schedule(
            ...     staff=2, hours_per_day=6, start=dt.date(2026, 3, 2))
            >>> s.working_days_low, s.earliest_finish, s.working_days_high, s.latest_finish
            (5, datetime.date(2026, 3, 6), 7, datetime.date(2026, 3, 10))
        """
        return wd.schedule_work(self.low_minutes, self.high_minutes, staff=staff,
                             hours_per_day=hours_per_day, start=start, calendar=calendar)


def estimate_cleanup(
    work: Mapping[Complexity, int] | Iterable[Case],
    *,
    closing: bool = False,
    suspicious_kle: Iterable[KLE | str] = (),
) -> CleanupEstimate:
    """Estimate the cleanup of counts per complexity, or of cases (classified here).

    Given cases, each is classified as by :func:`classify_cleanup`, with the other
    cases of ``work`` as its ``related`` cases (one pass, grouping by citizen and KLE
    number). So the estimate is additive over sets of cases that share no citizen.

    Args:
        work: ``{Complexity: count}``, or an iterable of :class:`~casemigrate.Case`.
        closing: Whether every case is to be closed (complex work).
        suspicious_kle: KLE numbers the caller doubts.

    Returns:
        The :class:`CleanupEstimate`.

    Raises:
        InvalidArgument: A count is negative.
        InvalidType: A count is not a whole number, a key is not a Complexity, or an
            item is not a Case.

    Example:
        >>> e = estimate_cleanup({Complexity.SIMPLE: 600, Complexity.MEDIUM: 300,
        ...                       Complexity.COMPLEX: 100})
        >>> round(e.low_hours, 1), round(e.high_hours, 1)
        (75.0, 141.7)
    """
    if isinstance(work, Mapping):
        counts = dict.fromkeys(Complexity, 0)
        for key, count in work.items():
            if not isinstance(key, Complexity):
                raise InvalidType(f"keys must be Complexity, got {v.type_name(key)}",
                                  field="work")
            counts[key] = v.count(f"work[{key.name}]", count)
        return CleanupEstimate(counts)
    closing = v.flag("closing", closing)
    cases = v.instances("work", work, Case)
    suspicious = _kle_set("suspicious_kle", suspicious_kle)
    pairs: Counter[tuple[str, KLE]] = Counter(
        (cpr_key(case.citizen), case.kle) for case in cases
        if case.citizen is not None and case.kle is not None
    )
    counter: Counter[Complexity] = Counter()
    classifications: dict[str, Classification] = {}
    for case in cases:
        has_related = (case.citizen is not None and case.kle is not None
                       and pairs[(cpr_key(case.citizen), case.kle)] > 1)
        found = _classification(_reasons(case, has_related=has_related, closing=closing,
                                         suspicious_kle=suspicious, titles=_DEFAULT_TITLES))
        counter[found.complexity] += 1
        classifications[case.case_id] = found
    return CleanupEstimate({c: counter[c] for c in Complexity}, classifications)


# ---- notice periods --------------------------------------------------------------

class NoticeRule(enum.Enum):
    """Which of the source's notice rules applied (Del 3, Opsigelsesvarsler)."""

    UNDER_5000_CLOSING_ITSELF = 2
    OVER_5000_CLOSING_ITSELF = 3
    EXTRACT = 6
    FIXED_PRICE_OR_LARGE = 7
    CONTRACT = 8

    @property
    def months(self) -> int:
        """The notice in months."""
        return {2: 2, 3: 3}.get(self.value, 6)


_REASONS: Final[Mapping[NoticeRule, str]] = {
    NoticeRule.UNDER_5000_CLOSING_ITSELF:
        "under 5,000 cases and the municipality closes all manual cases itself",
    NoticeRule.OVER_5000_CLOSING_ITSELF:
        "over 5,000 cases, the municipality closes all manual cases itself, notice from "
        "the end of 2015",
    NoticeRule.EXTRACT: "the municipality wants an extract of its cases (conversion)",
    NoticeRule.FIXED_PRICE_OR_LARGE:
        "a fixed-price agreement, or a large customer with very many cases",
    NoticeRule.CONTRACT: "the KMD Sag contract's own notice of six months",
}


def _exactly_5000_as_over(value: object) -> bool:
    return v.flag("exactly_5000_as_over", value)


def _three_month_rule_from(value: object) -> dt.date:
    return v.day("three_month_rule_from", value)


@safe_repr
@attrs.frozen(kw_only=True)
class NoticePolicy:
    """How casemigrate decides where the source is silent on notice periods.

    Attributes:
        exactly_5000_as_over: Treat exactly 5,000 cases like "over 5,000" (the longer
            notice; default), else like "under 5,000".
        three_month_rule_from: The first day of notice that counts as "from the end of
            2015" (default 2015-12-31, the cautious reading: a notice given earlier
            gets the contract's six months).
    """

    exactly_5000_as_over: bool = attrs.field(default=True, converter=_exactly_5000_as_over)
    three_month_rule_from: dt.date = attrs.field(default=dt.date(2015, 12, 31),
                                                 converter=_three_month_rule_from)


@attrs.frozen
class NoticePeriod:
    """The notice for ending manual cases in KMD Sag.

    Attributes:
        months: The notice in months.
        ends_on: The day the notice runs out: ``notice_given`` plus ``months``
            calendar months.
        reason: Why, in words.
        rule: The rule that applied.
        findings: CM401/CM402 where the policy, not the source, decided.
    """

    months: int
    ends_on: dt.date
    reason: str
    rule: NoticeRule
    findings: tuple[Finding, ...] = ()


def notice_period(
    *,
    manual_cases: int,
    closes_all_itself: bool,
    notice_given: dt.date,
    wants_extract: bool = False,
    fixed_price: bool = False,
    large_customer: bool = False,
    policy: NoticePolicy = NoticePolicy(),  # frozen, shared
) -> NoticePeriod:
    """The notice period for ending manual cases (source, Del 3).

    The source's four rules, longest first, and the contract's six months otherwise:

    1. six months if the municipality wants an extract of its cases (conversion);
    2. six months with a fixed-price agreement, or for a large customer;
    3. two months with under 5,000 cases, if the municipality closes all itself;
    4. three months with over 5,000 cases, if it closes all itself and gives notice
       from the end of 2015;
    5. otherwise six months, the KMD Sag contract's notice.

    The source is silent on exactly 5,000 cases (CM401) and on notice before the end of
    2015 (CM402). :class:`NoticePolicy` decides, and a finding says so.

    Args:
        manual_cases: How many manual cases the municipality has.
        closes_all_itself: Whether it closes all its manual cases itself.
        notice_given: The day notice is given.
        wants_extract: Whether it wants an extract (conversion) of the cases.
        fixed_price: Whether it has a fixed-price agreement.
        large_customer: Whether it is a large customer with very many cases.
        policy: The policy where the source is silent.

    Returns:
        The :class:`NoticePeriod`.

    Example:
        >>> import datetime as dt
        >>> n = notice_period(manual_cases=2400, closes_all_itself=True,
        ...                   notice_given=dt.date(2016, 1, 29))
        >>> n.months, n.ends_on, n.rule.name
        (2, datetime.date(2016, 3, 29), 'UNDER_5000_CLOSING_ITSELF')
    """
    cases = v.count("manual_cases", manual_cases)
    given = v.day("notice_given", notice_given)
    closes_all_itself = v.flag("closes_all_itself", closes_all_itself)
    wants_extract = v.flag("wants_extract", wants_extract)
    fixed_price = v.flag("fixed_price", fixed_price)
    large_customer = v.flag("large_customer", large_customer)
    policy = v.instance("policy", policy, NoticePolicy)
    findings: list[Finding] = []
    if wants_extract:
        rule = NoticeRule.EXTRACT
    elif fixed_price or large_customer:
        rule = NoticeRule.FIXED_PRICE_OR_LARGE
    elif not closes_all_itself:
        rule = NoticeRule.CONTRACT
    else:
        over = cases > 5000 or (cases == 5000 and policy.exactly_5000_as_over)
        if not over:
            rule = NoticeRule.UNDER_5000_CLOSING_ITSELF
        elif given >= policy.three_month_rule_from:
            rule = NoticeRule.OVER_5000_CLOSING_ITSELF
        else:
            rule = NoticeRule.CONTRACT
            findings.append(Finding.of(
                "CM402", ("notice",), given=given, from_date=policy.three_month_rule_from,
                months=rule.months,
            ))
        if cases == 5000:
            findings.append(Finding.of(
                "CM401", ("notice",), cases=cases, months=rule.months,
                policy="as over 5,000" if policy.exactly_5000_as_over else "as under 5,000",
            ))
    try:
        ends_on: dt.date = given + relativedelta(months=rule.months)
    except (OverflowError, ValueError):
        raise InvalidArgument(f"the notice of {rule.months} months would run past "
                              "9999-12-31", field="notice_given") from None
    return NoticePeriod(
        months=rule.months, ends_on=ends_on,
        reason=_REASONS[rule], rule=rule, findings=sort_findings(findings),
    )


# ---- savings ---------------------------------------------------------------------

_ORE: Final = Decimal("0.01")
_SMALLEST_QUANTUM: Final = Decimal("1E-6")
_LARGEST_QUANTUM: Final = Decimal("1E+6")


@attrs.frozen(kw_only=True)
class Savings:
    """What fewer active cases save on a bill that is charged per active case.

    Attributes:
        active_before: Active cases before the cleanup.
        active_after: Active cases after.
        price_per_case: The monthly price of one active case, ``bill / cases`` before,
            unrounded.
        monthly_bill_before: The monthly bill before.
        monthly_bill_after: ``active_after * price_per_case``, rounded to ``quantum``
            (half up).
        monthly: ``monthly_bill_before - monthly_bill_after``; negative if cases grow.
        yearly: ``12 * monthly``.
        findings: CM403 when the saving is negative.
    """

    active_before: int
    active_after: int
    price_per_case: Decimal
    monthly_bill_before: Decimal
    monthly_bill_after: Decimal
    monthly: Decimal
    yearly: Decimal
    findings: tuple[Finding, ...] = ()


def estimate_savings(
    *,
    active_before: int,
    active_after: int,
    monthly_bill_before: Decimal | int | str,
    quantum: Decimal = _ORE,
) -> Savings:
    """The monthly and yearly saving of having fewer active cases.

    KMD Sag bills per active case (source, Del 2 and FAQ 15). The price of one case is
    the bill divided by the cases before, kept unrounded. The bill after is that price
    times the cases after, rounded half up to ``quantum`` (øre by default). The saving
    is the difference. Fredericia's table (Del 2): 62,499 -> 48,342 cases and a bill of
    16,945.35 kr give 13,106.96 kr after and 3,838.39 kr a month saved. The source
    shows 13,107.00 and 3,838.35: it rounded the new bill to whole kroner, and
    ``quantum=Decimal("1")`` reproduces its figures exactly.

    Args:
        active_before: Active cases before; above zero.
        active_after: Active cases after (more than before is a valid forecast: a
            negative saving, with CM403).
        monthly_bill_before: The monthly bill before, in kroner (Decimal, int or a
            numeric string; not a float).
        quantum: The rounding of the bill after, e.g. ``Decimal("0.01")``.

    Returns:
        The :class:`Savings`.

    Raises:
        InvalidArgument: A count is negative, ``active_before`` is zero, or the bill
            is below zero.

    Example:
        >>> from decimal import Decimal
        >>> s = estimate_savings(active_before=62_499, active_after=48_342,
        ...                      monthly_bill_before=Decimal("16945.35"), quantum=Decimal("1"))
        >>> s.monthly_bill_after, s.monthly, s.yearly
        (Decimal('13107'), Decimal('3838.35'), Decimal('46060.20'))
    """
    before = v.count("active_before", active_before)
    after = v.count("active_after", active_after)
    bill = v.money("monthly_bill_before", monthly_bill_before)
    if bill < 0:
        raise InvalidArgument(f"must not be negative, got {bill}", field="monthly_bill_before")
    if before == 0:
        raise InvalidArgument(
            "must be above zero: the price per case is the bill divided by it",
            field="active_before",
        )
    if (not isinstance(quantum, Decimal) or not quantum.is_finite()
            or not _SMALLEST_QUANTUM <= quantum <= _LARGEST_QUANTUM):
        raise InvalidArgument("must be a Decimal from 1E-6 to 1E+6, such as "
                              "Decimal('0.01')", field="quantum")
    price = bill / before
    try:
        bill_after = (price * after).quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise InvalidArgument("the bill after is too large to compute to the quantum",
                              field="active_after") from None
    monthly = bill - bill_after
    findings: tuple[Finding, ...] = ()
    if monthly < 0:
        findings = (Finding.of("CM403", ("savings",), before=before, after=after,
                               amount=-monthly),)
    return Savings(
        active_before=before, active_after=after, price_per_case=price,
        monthly_bill_before=bill, monthly_bill_after=bill_after, monthly=monthly,
        yearly=monthly * 12, findings=findings,
    )


def manual_cases_saving(bill: Decimal | int | str) -> Decimal:
    """The 10 % saving on the KMD Sag bill for ending manual cases, rounded to øre.

    Source: Del 3 ("ca. 10%") and FAQ 14 ("en reduktion ... på 10 %").

    Example:
        >>> manual_cases_saving("16945.35")
        Decimal('1694.54')
    """
    amount = v.money("bill", bill)
    if amount < 0:
        raise InvalidArgument(f"must not be negative, got {amount}", field="bill")
    return (amount * Decimal("0.10")).quantize(_ORE, rounding=ROUND_HALF_UP)


# ---- mass-close candidates -------------------------------------------------------

def _saving(count: int, price: Decimal | None) -> tuple[str, Decimal | None]:
    if price is None:
        return "", None
    amount = (price * count).quantize(_ORE, rounding=ROUND_HALF_UP)
    return f"; closing saves {amount} kr a month", amount


def find_mass_close_candidates(
    cases: Iterable[Case],
    *,
    as_of: dt.date,
    retired_kle: Iterable[KLE | str] = (),
    stale_after_years: int = 5,
    price_per_case: Decimal | int | str | None = None,
) -> tuple[Finding, ...]:
    """Cases that can be closed in bulk, as Fredericia did (source, Del 2).

    Only cases active on ``as_of`` are candidates. System-made cases are closed in
    their own line-of-business system, so only manual and converted cases are
    candidates for the first two rules.

    * CM404, per retired KLE number: manual or converted cases on a KLE number the
      caller marks as retired (``retired_kle``, Fredericia's "udgået" rows).
    * CM405, once: converted cases opened more than ``stale_after_years`` years before
      ``as_of`` (Fredericia: converted cases 5-6 years old).
    * CM406, per citizen and KLE number: manual cases with the same citizen and KLE
      number as an active system-made case (created without "sammenlæg sag");
      ``details["manual"]`` names the manual cases, the ones to close.

    With ``price_per_case`` (kroner a month), each finding says what closing saves.

    Args:
        cases: The cases, in any order.
        as_of: The reference day.
        retired_kle: KLE numbers the municipality marks as retired.
        stale_after_years: Years after which an active converted case is stale.
        price_per_case: The monthly price of one active case, if known.

    Returns:
        The findings, sorted; subjects are case ids; ``details["amount"]`` holds the
        monthly saving in kroner (or ``None`` without a price).

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> old = Case(case_id="M-1", municipality=607, citizen=None, system="KMD Sag",
        ...            opened=dt.date(2010, 1, 4), kle="16.16.02", origin="manual")
        >>> [(f.code, f.subjects) for f in find_mass_close_candidates(
        ...     [old], as_of=dt.date(2014, 6, 25), retired_kle=["16.16.02"])]
        [('CM404', ('M-1',))]
    """
    day = v.day("as_of", as_of)
    retired = _kle_set("retired_kle", retired_kle)
    years = v.count("stale_after_years", stale_after_years)
    price = None if price_per_case is None else v.money("price_per_case", price_per_case)
    try:
        cutoff: dt.date | None = day - relativedelta(years=years)
    except (OverflowError, ValueError):
        cutoff = None  # before the year 1: no case was opened that early
    on_retired: dict[KLE, list[str]] = {}
    stale: list[str] = []
    manual: dict[tuple[str, KLE], list[str]] = {}
    system_cases: dict[tuple[str, KLE], list[str]] = {}
    for case in v.instances("cases", cases, Case):
        if not case.is_active_on(day):
            continue
        origin = case.origin
        if origin is Origin.SYSTEM:
            if case.citizen is not None and case.kle is not None:
                system_cases.setdefault((cpr_key(case.citizen), case.kle), []).append(
                    case.case_id)
            continue
        if case.kle is not None and case.kle in retired:
            on_retired.setdefault(case.kle, []).append(case.case_id)
        if origin is Origin.CONVERTED and cutoff is not None and case.opened < cutoff:
            stale.append(case.case_id)
        if origin is Origin.MANUAL and case.citizen is not None and case.kle is not None:
            manual.setdefault((cpr_key(case.citizen), case.kle), []).append(case.case_id)
    findings: list[Finding] = []
    for kle, ids in on_retired.items():
        text, amount = _saving(len(ids), price)
        findings.append(Finding.of("CM404", ids, count=len(ids), kle=kle, saving=text,
                                   amount=amount))
    if stale:
        text, amount = _saving(len(stale), price)
        findings.append(Finding.of("CM405", stale, count=len(stale), cutoff=cutoff,
                                   saving=text, amount=amount))
    # One CM406 per citizen and KLE number, naming its manual cases and their system
    # twins: n manual and n system cases of one citizen make one finding of 2n ids,
    # not n findings of n ids each.
    for key, ids in manual.items():
        twins = system_cases.get(key)
        if twins:
            text, amount = _saving(len(ids), price)
            findings.append(Finding.of(
                "CM406", [*ids, *twins], manual=tuple(sorted(ids)), count=len(ids),
                system_cases=tuple(sorted(twins)), kle=key[1], saving=text, amount=amount,
            ))
    return sort_findings(findings)
