"""Cleanup of manual cases: classification, time estimates, notice, savings, candidates.

The rules of KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager"
(20 March 2015):

* Del 3, "Estimering af omfanget af oprydning i KMD Sag Sager": every case needs some
  cleanup, of one of three kinds. *Simple* (3-5 minutes): review the metadata. *Medium*
  (4-10 minutes): check the KLE number and facet, and look for complaint, appeal and
  access-to-file cases. *Complex* (15-25 minutes): merge or split cases, and finish
  open ones ("Afslutte åbne sager"). Passivating a case that can be passivated is
  simple work ("Sagen kan passiveres"); finishing an open matter before closing it is
  complex. The source calls the figures very preliminary, so every estimate is a
  range. The low end assumes every case takes the lowest time of its kind, the high
  end the highest.
  The range is the sum of lows and of highs, not a narrower statistical band: a
  per-case rate that is wrong is wrong for every case, so the errors add up instead of
  cancelling out.
* Del 3, "Hvilke forhold (opsigelsesvarsel) gør sig gældende?": the notice periods
  for ending manual cases (2, 3, 6 or 6 months), agreed between KOMBIT and KMD. Before
  that agreement the contract's six months applied, as Mariagerfjord found (Del 2).
* Del 1 ("Økonomi"), Del 3 and FAQ 14-15: KMD Sag bills per active case, and ending
  manual cases cuts the whole KMD Sag and KMD Sag Journal bill by 10 %. Fredericia's
  table (Del 2) is the worked example of the per-case charge: 62,499 -> 48,342 cases,
  16,945.35 -> 13,107.00 kr a month, for a one-off 8,000 kr paid to KMD.
* Del 2, "Processen" and Mariagerfjord: manual cases opened after a cleanup need a new
  cleanup.
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
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate import workdays as wd
from casemigrate._frozen import frozen_map
from casemigrate._slots import safe_repr
from casemigrate._text import Phrase, Term
from casemigrate.exceptions import CaseMigrateError, InvalidArgument, InvalidType
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.identifiers import KLE, Facet, cpr_key
from casemigrate.model import Case, Origin
from casemigrate.sources import EXIT2, POLICY

__all__ = [
    "DEFAULT_TITLE_WORDS",
    "Classification",
    "CleanupEstimate",
    "Complexity",
    "NoticePeriod",
    "NoticePolicy",
    "NoticeRule",
    "Payback",
    "Savings",
    "classify_cleanup",
    "estimate_cleanup",
    "estimate_savings",
    "find_manual_cases_after_cleanup",
    "find_mass_close_candidates",
    "manual_cases_saving",
    "notice_period",
    "payback",
]


class Complexity(enum.Enum):
    """How much cleanup a case needs, with the source's minutes per case and tasks.

    Attributes (of each member):
        low_minutes: The lowest time per case.
        high_minutes: The highest time per case.
        tasks: The tasks of this kind, in English.
        tasks_da: The tasks in Danish, as the source's table lists them, each put as
            an instruction.
    """

    SIMPLE = (3, 5, (
        "Check that the case has a title, caseworker, organisation, date and case number.",
        "Documents lacking approval or a fixed attachment.",
        "Unfinished notifications (advis) on the case.",
        "Close the case (passivate) if it can be.",
    ), (
        "Sikr at sagen har titel, sagsbehandler, organisation, dato og sagsnummer.",
        "Find dokumenter, der mangler godkendelse eller fast tilknytning.",
        "Afslut uafsluttede adviser på sagen.",
        "Passivér sagen, hvis den kan passiveres.",
    ))
    MEDIUM = (4, 10, (
        "Check that the right KLE number is used.",
        "Check the facet: many users default to G01, which is often wrong.",
        "Search titles such as complaint, appeal and access to file (klage, anke, "
        "aktindsigt).",
    ), (
        "Undersøg om sagen har det korrekte KLE-nummer.",
        "Kontrollér handlingsfacetten: mange brugere har G01 som standardfacet, og det giver "
        "ofte en forkert facet.",
        "Søg efter sagsoverskrifter som klage, anke og aktindsigt.",
    ))
    COMPLEX = (15, 25, (
        "Check whether cases can be merged.",
        "Check the one-matter-per-case principle; split cases that break it.",
        "Close cases lacking an approved decision on an agenda item.",
        "Finish and close open cases.",
    ), (
        "Undersøg om sager kan lægges sammen.",
        "Undersøg om enkeltsagsprincippet er overholdt, og opdel sagerne, hvis det ikke er.",
        "Passivér sager, der mangler en godkendt beslutning på et dagsordenspunkt.",
        "Afslut åbne sager.",
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
    close_after_review: bool = False,
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
    if closing and not close_after_review:
        reasons.append((simple, "to be passivated"))
    if has_related:
        reasons.append((complex_, "may be merged with a case of the same citizen and KLE"))
    if close_after_review:
        reasons.append((complex_, "open matter to be finished and closed"))
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
    close_after_review: bool = False,
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
      may be merged), or an open matter must be finished before the case is closed
      (``close_after_review=True``: "Afslutte åbne sager").

    Closing a case that can simply be passivated (``closing=True``: "Sagen kan
    passiveres") is simple work and adds no complexity: Mariagerfjord's 2,400 tidy
    cases closed this way take 3-5 minutes each (docs/cleanup.md).

    Args:
        case: The case.
        related: Other cases to look for merge candidates among.
        closing: Whether the case is to be passivated as part of the cleanup (simple).
        close_after_review: Whether the case is open and its matter must be reviewed
            and finished before it is closed (complex).
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
        >>> classify_cleanup(case, closing=True).complexity
        <Complexity.MEDIUM: (4, 10, ...)>
        >>> classify_cleanup(case, close_after_review=True).reasons[-1]
        (<Complexity.COMPLEX: ...>, 'open matter to be finished and closed')
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
        close_after_review=v.flag("close_after_review", close_after_review),
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

    def __repr__(self) -> str:
        return _render.cleanup_repr(self)

    def _repr_html_(self) -> str:
        return _render.cleanup_html(self)

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
    close_after_review: bool = False,
    suspicious_kle: Iterable[KLE | str] = (),
) -> CleanupEstimate:
    """Estimate the cleanup of counts per complexity, or of cases (classified here).

    Given cases, each is classified as by :func:`classify_cleanup`, with the other
    cases of ``work`` as its ``related`` cases (one pass, grouping by citizen and KLE
    number). So the estimate is additive over sets of cases that share no citizen.

    Args:
        work: ``{Complexity: count}``, or an iterable of :class:`~casemigrate.Case`.
        closing: Whether every case is to be passivated (simple work, "Sagen kan
            passiveres"): Mariagerfjord's ~2,400 tidy open cases take 120-200 hours.
        close_after_review: Whether every case is open and its matter must be
            finished before closing (complex work, "Afslutte åbne sager").
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
                                         close_after_review=close_after_review,
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
    BEFORE_AGREEMENT = 9

    @property
    def months(self) -> int:
        """The notice in months."""
        return {2: 2, 3: 3}.get(self.value, 6)


_REASONS: Final[Mapping[NoticeRule, Term]] = {
    NoticeRule.UNDER_5000_CLOSING_ITSELF: Term(
        "under 5,000 cases and the municipality closes all manual cases itself",
        da="under 5.000 sager, og kommunen afslutter selv alle manuelle sager"),
    NoticeRule.OVER_5000_CLOSING_ITSELF: Term(
        "over 5,000 cases, the municipality closes all manual cases itself, notice from "
        "the end of 2015",
        da="flere end 5.000 sager, kommunen afslutter selv alle manuelle sager, og opsigelsen "
           "gives fra ultimo 2015"),
    NoticeRule.EXTRACT: Term("the municipality wants an extract of its cases (conversion)",
                             da="kommunen ønsker udtræk af sine sager (konvertering)"),
    NoticeRule.FIXED_PRICE_OR_LARGE: Term(
        "a fixed-price agreement, or a large customer with very many cases",
        da="en fastprisaftale, eller en stor kunde med rigtig mange sager"),
    NoticeRule.CONTRACT: Term("the KMD Sag contract's own notice of six months",
                              da="KMD Sag-kontraktens eget opsigelsesvarsel på seks måneder"),
    NoticeRule.BEFORE_AGREEMENT: Term(
        "notice given before the KOMBIT-KMD agreement on notice periods: the contract's "
        "six months that applied then (as for Mariagerfjord, mid-2014)",
        da="opsagt før aftalen mellem KOMBIT og KMD om opsigelsesvarsler: kontraktens seks "
           "måneder, som gjaldt dengang (som for Mariagerfjord, midt i 2014)"),
}


_NOTICES: Final = "Del 3, Opsigelsesvarsler"
_NOTICE_POLICY: Final = POLICY.cite(
    "notice", "Where the source is silent on a notice period, casemigrate takes the longer "
    "notice: a notice that is too short is the costly mistake.")

NOTICE_AT_5000_POLICY: Final = Rule(
    code="CM401",
    name="notice-at-5000-policy",
    severity=Severity.INFO,
    summary="Exactly 5,000 manual cases: the source names under 5,000 and over 5,000 only; "
            "casemigrate's policy decided.",
    summary_da="Præcis 5.000 manuelle sager: kilden nævner kun under 5.000 og flere end 5.000 "
               "sager; casemigrates politik har afgjort det.",
    message="{cases:# case|# cases} is neither under nor over 5,000; casemigrate's policy "
            "({policy}) gives {months:# month|# months} of notice",
    message_da="{cases:# sag|# sager} er hverken under eller over 5.000; efter casemigrates "
               "politik ({policy}) er varslet {months:# måned|# måneder}",
    hint="Confirm the notice period with KMD in writing.",
    hint_da="Få opsigelsesvarslet bekræftet skriftligt af KMD.",
    citations=(
        EXIT2.cite(_NOTICES, "To måneders varsel for kommuner med under 5.000 sager og hvor "
                   "kommunen selv sørger for at afslutte alle manuelle sager i KMD Sag."),
        EXIT2.cite(_NOTICES, "Tre måneders opsigelsesvarsel for kommuner med flere end 5.000 "
                   "sager, som selv sørger for at afslutte alle manuelle sager i KMD Sag, hvis "
                   "de først opsiger fra ultimo 2015."),
        _NOTICE_POLICY,
    ),
    checks='Notice periods for exactly 5,000 manual cases. The source gives a rule for "under '
           '5,000" (2 months) and "over 5,000" (3 months) only. casemigrate\'s default policy '
           "(`NoticePolicy(exactly_5000_as_over=True)`) treats exactly 5,000 like over 5,000: "
           "the longer notice is the safe reading of a contract.",
    why="The notice decides when the 10 % saving starts. Here a policy decided it, not the "
        "source, and that should be visible.",
    example="`notice_period(manual_cases=5000, closes_all_itself=True, "
            "notice_given=date(2026, 1, 30))`: 3 months, with CM401.",
    sample={"cases": 5000, "months": 3,
            "policy": Term("as over 5,000", en="counted as over 5,000",
                           da="regnes som flere end 5.000")},
)

NOTICE_BEFORE_END_2015_POLICY: Final = Rule(
    code="CM402",
    name="notice-before-end-2015-policy",
    severity=Severity.INFO,
    summary="Over 5,000 manual cases with notice before the end of 2015: the source's 3-month "
            "rule applies only from then; casemigrate's policy decided.",
    summary_da="Flere end 5.000 manuelle sager, opsagt før udgangen af 2015: kildens regel om "
               "tre måneders varsel gælder først derfra; casemigrates politik har afgjort det.",
    message="notice given on {given}, before {from_date}: casemigrate's policy gives "
            "{months:# month|# months} of notice",
    message_da="opsagt {given}, før {from_date}: efter casemigrates politik er varslet "
               "{months:# måned|# måneder}",
    hint="Confirm the notice period with KMD in writing.",
    hint_da="Få opsigelsesvarslet bekræftet skriftligt af KMD.",
    citations=(
        EXIT2.cite(_NOTICES, "Tre måneders opsigelsesvarsel for kommuner med flere end 5.000 "
                   "sager, som selv sørger for at afslutte alle manuelle sager i KMD Sag, hvis "
                   "de først opsiger fra ultimo 2015."),
        EXIT2.cite(_NOTICES, "Aftaleforholdene i KMD Sag-kontrakten tilsiger et "
                   "opsigelsesvarsel på seks måneder."),
        _NOTICE_POLICY,
    ),
    checks="Notice periods for over 5,000 manual cases given before the end of 2015 (before "
           "2015-12-31 by default, `NoticePolicy.three_month_rule_from`). The source grants 3 "
           'months only "if they give notice from the end of 2015". casemigrate\'s policy '
           "falls back to the contract's 6 months. The cautious reading: a notice that is too "
           "short is the costly mistake.",
    why="The policy, not the source, decided the period.",
    example="7,000 cases, notice given 2015-06-01: 6 months, with CM402.",
    sample={"given": dt.date(2015, 6, 1), "from_date": dt.date(2015, 12, 31), "months": 6},
)

NOTICE_BEFORE_AGREEMENT_POLICY: Final = Rule(
    code="CM407",
    name="notice-before-agreement-policy",
    severity=Severity.INFO,
    summary="Notice given before the KOMBIT-KMD agreement on notice periods: the six months "
            "that applied then decided.",
    summary_da="Opsagt før aftalen mellem KOMBIT og KMD om opsigelsesvarsler: så gælder "
               "kontraktens daværende varsel på seks måneder.",
    message="notice given on {given}, before the KOMBIT-KMD agreement on notice periods "
            "(taken to hold from {agreement_from}): the contract's "
            "{months:# month|# months}",
    message_da="opsagt {given}, før aftalen mellem KOMBIT og KMD om opsigelsesvarsler (regnet "
               "fra {agreement_from}): kontraktens {months:# måned|# måneder}",
    hint="Confirm the notice period with KMD in writing.",
    hint_da="Få opsigelsesvarslet bekræftet skriftligt af KMD.",
    citations=(
        EXIT2.cite("Del 2, Mariagerfjord", "vi opsagde muligheden for at oprette manuelle "
                   "sager til KMD umiddelbart inden d. 1/7-14, så vi overholdte de 6 mdr. som "
                   "var udmeldingen på dette tidspunkt."),
        EXIT2.cite(_NOTICES, "Aftaleforholdene i KMD Sag-kontrakten tilsiger et "
                   "opsigelsesvarsel på seks måneder."),
        POLICY.cite("notice", "casemigrate takes the document's date, 20 March 2015, as the "
                    "first day the agreement is known to hold"),
    ),
    checks="`notice_period`: notice given before the KOMBIT–KMD agreement on the notice "
           "periods for manual cases (`NoticePolicy.agreement_from`). Then the contract's six "
           "months apply, whatever the number of cases, and this finding says that rule "
           "decided. The source does not date the agreement; casemigrate's policy takes the "
           "document's date, 2015-03-20 (docs/policies.md).",
    why="The two- and three-month notices came with the agreement. A notice given before it "
        "ran for six months, which moves the day the 10 % saving starts by up to four months.",
    example="Mariagerfjord, about 2,400 cases, closing all itself, notice given 2014-06-30: 6 "
            "months, ending 2014-12-30, with CM407. The same notice on 2015-03-20: 2 months.",
    sample={"given": dt.date(2014, 6, 30), "agreement_from": dt.date(2015, 3, 20),
            "months": 6},
)

_POLICY_TERMS: Final = {
    True: Term("as over 5,000", en="counted as over 5,000", da="regnes som flere end 5.000"),
    False: Term("as under 5,000", en="counted as under 5,000", da="regnes som under 5.000"),
}


def _exactly_5000_as_over(value: object) -> bool:
    return v.flag("exactly_5000_as_over", value)


def _three_month_rule_from(value: object) -> dt.date:
    return v.day("three_month_rule_from", value)


def _agreement_from(value: object) -> dt.date:
    return v.day("agreement_from", value)


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
        agreement_from: The first day the KOMBIT-KMD agreement on notice periods (2
            and 3 months) applies. The source does not date the agreement: it reports
            it in a document of 20 March 2015, while Mariagerfjord, giving notice just
            before 1 July 2014, kept "the 6 months that applied then". The default,
            2015-03-20, is the first day the agreement is known to hold; a notice
            given before it gets the contract's six months (CM407).
    """

    exactly_5000_as_over: bool = attrs.field(default=True, converter=_exactly_5000_as_over)
    three_month_rule_from: dt.date = attrs.field(default=dt.date(2015, 12, 31),
                                                 converter=_three_month_rule_from)
    agreement_from: dt.date = attrs.field(default=dt.date(2015, 3, 20),
                                          converter=_agreement_from)


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

    def _repr_html_(self) -> str:
        return _render.notice_html(self)


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

    0. six months for any notice given before the KOMBIT-KMD agreement
       (``policy.agreement_from``): the contract's notice that applied then, as
       Mariagerfjord found (notice just before 1 July 2014, 6 months), with CM407;
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
    if given < policy.agreement_from:
        rule = NoticeRule.BEFORE_AGREEMENT
        findings.append(Finding.of(
            NOTICE_BEFORE_AGREEMENT_POLICY, ("notice",), given=given,
            agreement_from=policy.agreement_from, months=rule.months,
        ))
    elif wants_extract:
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
                NOTICE_BEFORE_END_2015_POLICY, ("notice",), given=given,
                from_date=policy.three_month_rule_from, months=rule.months,
            ))
        if cases == 5000:
            findings.append(Finding.of(
                NOTICE_AT_5000_POLICY, ("notice",), cases=cases, months=rule.months,
                policy=_POLICY_TERMS[policy.exactly_5000_as_over],
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


NEGATIVE_SAVING: Final = Rule(
    code="CM403",
    name="negative-saving",
    severity=Severity.WARNING,
    summary="The forecast has more active cases after the cleanup than before: a cost, not a "
            "saving.",
    summary_da="Prognosen har flere aktive sager efter oprydningen end før: en udgift, ikke en "
               "besparelse.",
    message="{after:# active case|# active cases} after against {before} before: the bill "
            "rises by {amount} kr a month",
    message_da="{after:# aktiv sag|# aktive sager} efter oprydningen mod {before} før: "
               "regningen stiger med {amount} kr. om måneden",
    hint="Check the forecast; new manual cases may still be being created.",
    hint_da="Kontrollér prognosen; der bliver måske stadig oprettet nye manuelle sager.",
    citations=(
        EXIT2.cite("Del 2, Formål", "Der er naturligvis også økonomiske grunde til at lave en "
                   "oprydning, idet KMD Sag bl.a. faktureres på baggrund af antallet af aktive "
                   "sager."),
        EXIT2.cite("FAQ 15", "Der betales pr. aktiv sag."),
    ),
    checks="A savings forecast with more active cases after than before.",
    why="KMD Sag bills per active case. More cases is a higher bill, which the forecast "
        "reports as a negative saving.",
    example="`estimate_savings(active_before=1000, active_after=1100, "
            'monthly_bill_before=Decimal("1000"))`: a saving of -100.00 kr a month, with '
            "CM403.",
    sample={"after": 1100, "before": 1000, "amount": Decimal("100.00")},
)


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

    def _repr_html_(self) -> str:
        return _render.savings_html(self)


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
        findings = (Finding.of(NEGATIVE_SAVING, ("savings",), before=before, after=after,
                               amount=-monthly),)
    return Savings(
        active_before=before, active_after=after, price_per_case=price,
        monthly_bill_before=bill, monthly_bill_after=bill_after, monthly=monthly,
        yearly=monthly * 12, findings=findings,
    )


def manual_cases_saving(
    *, kmd_sag: Decimal | int | str, kmd_sag_journal: Decimal | int | str
) -> Decimal:
    """The 10 % saving for ending manual cases, of the *whole* bill, rounded to øre.

    The bill is KMD Sag's and KMD Sag Journal's together.

    Source: Del 3 ("reduceret regningen på KMD Sag og KMD Sag Journal med ca. 10%"),
    Del 1, Økonomi ("10% besparelse på hele KMD Sag-regningen") and FAQ 14 ("gældende
    KMD Sag/Sag Journal pris på 10 %"). It is not 10 % of the per-case charge alone:
    Fredericia's 16,945.35 kr a month is the charge for the cases in its table, not its
    whole bill, which the source does not give. Pass the bill for the same period as
    you want the saving for (a month, or a year).

    Args:
        kmd_sag: The KMD Sag bill for the period, in kroner (not a float).
        kmd_sag_journal: The KMD Sag Journal bill for the same period (0 if none).

    Returns:
        10 % of their sum.

    Raises:
        InvalidArgument: A bill is negative.

    Example:
        >>> manual_cases_saving(kmd_sag="40000", kmd_sag_journal="8000")
        Decimal('4800.00')
    """
    total = Decimal(0)
    for field, bill in (("kmd_sag", kmd_sag), ("kmd_sag_journal", kmd_sag_journal)):
        amount = v.money(field, bill)
        if amount < 0:
            raise InvalidArgument(f"must not be negative, got {amount}", field=field)
        total += amount
    return (total * Decimal("0.10")).quantize(_ORE, rounding=ROUND_HALF_UP)


@attrs.frozen(kw_only=True)
class Payback:
    """When a one-off cost of a cleanup is earned back by its monthly saving.

    Attributes:
        one_off: The one-off cost, in kroner.
        monthly_saving: The saving a month, in kroner.
        months: ``one_off / monthly_saving`` rounded half up to two decimals, or
            ``None`` when nothing is saved (it never pays back).
        whole_months: The first whole month by whose end the savings cover the cost
            (``months`` rounded up), or ``None``.
    """

    one_off: Decimal
    monthly_saving: Decimal
    months: Decimal | None
    whole_months: int | None


def payback(
    *, one_off: Decimal | int | str, monthly_saving: Decimal | int | str
) -> Payback:
    """How many months of saving pay back a one-off cost.

    Fredericia paid KMD 8,000 kr "for 3 telefonmøder og lidt forberedelse" and saved
    3,838.35 kr a month (Del 2): the fee is paid back in 2.08 months, within the third
    month.

    Args:
        one_off: The one-off cost, in kroner (not negative).
        monthly_saving: The saving a month, in kroner (zero or negative: never).

    Returns:
        The :class:`Payback`.

    Raises:
        InvalidArgument: ``one_off`` is negative.

    Example:
        >>> p = payback(one_off=8000, monthly_saving="3838.35")
        >>> p.months, p.whole_months
        (Decimal('2.08'), 3)
    """
    cost = v.money("one_off", one_off)
    if cost < 0:
        raise InvalidArgument(f"must not be negative, got {cost}", field="one_off")
    saving = v.money("monthly_saving", monthly_saving)
    if saving <= 0:
        return Payback(one_off=cost, monthly_saving=saving, months=None, whole_months=None)
    try:
        with localcontext() as context:
            context.prec = 60
            exact = cost / saving
            whole = int(exact.to_integral_value(rounding=ROUND_CEILING))
            months = exact.quantize(_ORE, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # A saving of a billionth of an øre: no number of months Decimal can write.
        raise InvalidArgument(f"{saving} kr a month would never pay back {cost} kr",
                              field="monthly_saving") from None
    return Payback(one_off=cost, monthly_saving=saving, months=months, whole_months=whole)


# ---- mass-close candidates -------------------------------------------------------

_FREDERICIA: Final = "Del 2, Fredericia"
_MASS_CLOSE: Final = EXIT2.cite(_FREDERICIA, "Vi kunne på den måde hurtigt afskaffe 1/3 af "
                                "alle de manuelle sager.")

RETIRED_KLE_CASE: Final = Rule(
    code="CM404",
    name="retired-kle-case",
    severity=Severity.INFO,
    summary="Active manual cases on a KLE number the municipality marks as retired can be "
            "mass-closed.",
    summary_da="Aktive manuelle sager på et KLE-nummer, som kommunen har markeret som udgået, "
               "kan masselukkes.",
    message="{count:# active case|# active cases} on retired KLE number {kle}{saving}",
    message_da="{count:# aktiv sag|# aktive sager} på det udgåede KLE-nummer {kle}{saving}",
    hint="Agree with the department that owns the KLE number, then mass-close the cases.",
    hint_da="Aftal det med den afdeling, der ejer KLE-nummeret, og masseluk derefter sagerne.",
    citations=(EXIT2.cite(_FREDERICIA, "16.16.02 Folkepension (udgået) 3506 0"), _MASS_CLOSE),
    checks="Active cases on KLE numbers the caller marks as retired (`retired_kle=`), one "
           "finding per KLE number, with the monthly saving if a price per case is given.",
    why='Fredericia closed most cases on its retired ("udgået") KLE numbers, but not all. Its '
        "table: 16.16.02 Folkepension 3,506 -> 0, 16.23.02 Boligsikring 2,651 -> 0, 16.01.00 "
        "1,552 -> 0, 16.16.04 Førtidspension 1,071 -> 0, 16.01.21 1,054 -> 4, 16.23.01 905 "
        "-> 4, and 16.16.10 Personligt tillæg og helbredstillæg 1,539 -> 1,407. That is "
        '10,863 of 12,278 cases on retired numbers closed. The "1/3 af alle de manuelle '
        'sager" Fredericia names covers both kinds of easy case it found (converted cases '
        'from the old records system, and manual cases created without "sammenlæg sag" or '
        "on a wrong KLE number), over all its manual cases, not the retired numbers alone. "
        "Each closed case lowers the bill. A case on a retired number may still be live, so "
        "this is information, not an order to close.",
    example="3,506 active cases on 16.16.02 (Folkepension, udgået): CM404 naming them.",
    sample={"count": 3506, "kle": "16.16.02",
            "saving": Phrase(en="; closing saves {amount} kr a month",
                             da="; lukning sparer {amount} kr. om måneden",
                             amount=Decimal("950.49"))},
)

STALE_CONVERTED_CASE: Final = Rule(
    code="CM405",
    name="stale-converted-case",
    severity=Severity.INFO,
    summary="Converted cases still active years after conversion can be mass-closed.",
    summary_da="Konverterede sager, der stadig er aktive flere år efter konverteringen, kan "
               "masselukkes.",
    message="{count:# converted case|# converted cases} opened before {cutoff} {count:is|are} "
            "still active{saving}",
    message_da="{count:# konverteret sag|# konverterede sager} oprettet før {cutoff} er stadig "
               "{count:aktiv|aktive}{saving}",
    hint="Check with the department, then mass-close the cases.",
    hint_da="Afklar det med afdelingen, og masseluk derefter sagerne.",
    citations=EXIT2.cite(_FREDERICIA, "Konverterede sager fra gl. ESDH system. Sagerne var 5 – "
                         "6 år gamle og stod stadig som aktive sager, disse er nu masse "
                         "lukket."),
    checks="Converted cases (`Origin.CONVERTED`) still active on `as_of` that were opened more "
           "than `stale_after_years` years before it (5 by default).",
    why="Fredericia found cases converted from an old records system, 5–6 years old, still "
        "active and billed. They were mass-closed.",
    example="A converted case opened 2019-03-01, still active on 2026-06-01: CM405.",
    sample={"count": 1, "cutoff": dt.date(2021, 6, 1), "saving": ""},
)

MANUAL_DUPLICATES_SYSTEM_CASE: Final = Rule(
    code="CM406",
    name="manual-duplicates-system-case",
    severity=Severity.INFO,
    summary="A manual case duplicates a system case of the same citizen and KLE number: it "
            "was probably created without 'sammenlæg sag'.",
    summary_da="En manuel sag er en dublet af en systemsag for samme borger og KLE-nummer: "
               "den blev sandsynligvis oprettet uden »sammenlæg sag«.",
    message="{manual:manual case #|manual cases #} {manual:duplicates|duplicate} "
            "{system_cases:system case #|system cases #} on KLE number {kle}{saving}",
    message_da="{manual:den manuelle sag #|de manuelle sager #} er {manual:en dublet|dubletter} "
               "af {system_cases:systemsagen #|systemsagerne #} på KLE-nummer {kle}{saving}",
    hint="Close the manual cases, or merge them into the system case.",
    hint_da="Afslut de manuelle sager, eller læg dem sammen med systemsagen.",
    citations=EXIT2.cite(_FREDERICIA, "Det bevirker at den efterfølgende systemsag ikke "
                         "overtager den manuelle sag."),
    checks="Active manual cases whose citizen and KLE number match an active system-made "
           "case: one finding per citizen and KLE number, naming its manual cases and their "
           "system twins (`details[\"manual\"]`, a tuple, and `count`, how many). It does not "
           "find manual cases created on a *wrong* KLE number, the other "
           "kind Fredericia names: their system twin has another KLE number, and nothing in "
           "the data says which number was wrong. Check those by hand (Del 3's medium task "
           '"Undersøg om der er anvendt korrekt KLE-nummer").',
    why='A manual case (an application, say) created without "sammenlæg sag" is not taken '
        "over by the later system case. It stays active and billed.",
    example="Manual `M-1` and system `S-9`, same citizen, both on 27.60.04: CM406 for `M-1, "
            "S-9`. Manual `M-1` and `M-2` and system `S-9`, same citizen and KLE number: one "
            "CM406 for all three, with `details[\"manual\"] == (\"M-1\", \"M-2\")` and "
            "`count` 2.",
    sample={"manual": ("M-1",), "system_cases": ("S-9",), "kle": "27.60.04",
            "saving": Phrase(en="; closing saves {amount} kr a month",
                             da="; lukning sparer {amount} kr. om måneden",
                             amount=Decimal("0.27"))},
)


def _saving(count: int, price: Decimal | None) -> tuple[Phrase | str, Decimal | None]:
    if price is None:
        return "", None
    amount = (price * count).quantize(_ORE, rounding=ROUND_HALF_UP)
    return Phrase(en="; closing saves {amount} kr a month",
                  da="; lukning sparer {amount} kr. om måneden", amount=amount), amount


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
        findings.append(Finding.of(RETIRED_KLE_CASE, ids, count=len(ids), kle=kle, saving=text,
                                   amount=amount))
    if stale:
        text, amount = _saving(len(stale), price)
        findings.append(Finding.of(STALE_CONVERTED_CASE, stale, count=len(stale), cutoff=cutoff,
                                   saving=text, amount=amount))
    # One CM406 per citizen and KLE number, naming its manual cases and their system
    # twins: n manual and n system cases of one citizen make one finding of 2n ids,
    # not n findings of n ids each.
    for key, ids in manual.items():
        twins = system_cases.get(key)
        if twins:
            text, amount = _saving(len(ids), price)
            findings.append(Finding.of(
                MANUAL_DUPLICATES_SYSTEM_CASE, [*ids, *twins], manual=tuple(sorted(ids)),
                count=len(ids), system_cases=tuple(sorted(twins)), kle=key[1], saving=text,
                amount=amount,
            ))
    return sort_findings(findings)


# ---- manual cases after the cleanup ----------------------------------------------

_UNKNOWN_ORGANISATION: Final = Term("unknown organisation", da="ukendt organisation")

MANUAL_CASES_AFTER_CLEANUP: Final = Rule(
    code="CM408",
    name="manual-cases-after-cleanup",
    severity=Severity.WARNING,
    summary="Manual cases were opened after the cleanup: they need a new cleanup.",
    summary_da="Der er oprettet manuelle sager efter oprydningen: de kræver en ny oprydning.",
    message="{count:# manual case|# manual cases} in {organisation} opened after the cleanup "
            "on {cleaned_on}",
    message_da="{count:# manuel sag|# manuelle sager} i {organisation} oprettet efter "
               "oprydningen {cleaned_on}",
    hint="Tell the department to stop creating manual cases, and clean up the new ones.",
    hint_da="Bed afdelingen om at stoppe med at oprette manuelle sager, og ryd op i de nye.",
    citations=(
        EXIT2.cite("Del 2, Processen", "Men fortsætter man med at oprette manuelle sager vil "
                   "det være vigtigt, at de nyoprettede sager lever op til de nye krav (hvis "
                   "der måtte være nogle i det system, de skal flyttes over til) – ellers skal "
                   "der ske en ny oprydning."),
        POLICY.cite("cleanup", "A manual case opened on the cleanup day itself counts as "
                    "covered by the cleanup."),
    ),
    checks="`find_manual_cases_after_cleanup(cases, cleaned_on=...)`: manual cases "
           "(`Origin.MANUAL`) opened after the cleanup day, one finding per municipality and "
           "organisation, naming every case. A case opened on the cleanup day itself counts "
           "as covered by the cleanup (casemigrate policy, docs/policies.md).",
    why='"Fortsætter man med at oprette manuelle sager" after a cleanup, the new cases must '
        "meet the receiving system's requirements, \"ellers skal der ske en ny oprydning\". "
        "Mariagerfjord drew new lists of open manual cases regularly and wrote again to every "
        "department where new ones appeared, until no new ones came.",
    example='Cleanup done 2014-10-31; manual case `M-7` of the organisation "Ældre" opened '
            '2014-11-03: CM408 for "Ældre" naming `M-7`.',
    sample={"count": 1, "organisation": "Ældre", "cleaned_on": dt.date(2014, 10, 31)},
)


def find_manual_cases_after_cleanup(
    cases: Iterable[Case], *, cleaned_on: dt.date
) -> tuple[Finding, ...]:
    """Manual cases opened after the cleanup: they need a new cleanup (CM408).

    Source, Del 2, "Processen": if manual cases are still created after the cleanup,
    the new ones must meet the new requirements, "ellers skal der ske en ny
    oprydning". Mariagerfjord (steps 5-6) drew new lists of open manual cases and wrote
    again to each department where new ones appeared. So: one CM408 per municipality
    and organisation, naming every manual case (``Origin.MANUAL``; system-made and
    converted cases are not created by hand) opened after ``cleaned_on``. A case opened
    on the cleanup day itself counts as covered by it (casemigrate policy,
    docs/cleanup.md). Cases with no organisation are grouped as "unknown
    organisation".

    Args:
        cases: The cases, in any order.
        cleaned_on: The day the cleanup was done.

    Returns:
        The findings, sorted; subjects are case ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> new = Case(case_id="M-7", municipality=846, citizen=None, system="KMD Sag",
        ...            opened=dt.date(2014, 11, 3), origin="manual", organisation="Ældre")
        >>> [(f.code, f.subjects) for f in find_manual_cases_after_cleanup(
        ...     [new], cleaned_on=dt.date(2014, 10, 31))]
        [('CM408', ('M-7',))]
    """
    day = v.day("cleaned_on", cleaned_on)
    groups: dict[tuple[int, str], list[str]] = {}
    for case in v.instances("cases", cases, Case):
        if case.origin is Origin.MANUAL and case.opened > day:
            key = (case.municipality.code, case.organisation or _UNKNOWN_ORGANISATION)
            groups.setdefault(key, []).append(case.case_id)
    return sort_findings(
        Finding.of(MANUAL_CASES_AFTER_CLEANUP, ids, count=len(ids), organisation=organisation,
                   municipality=code, cleaned_on=day)
        for (code, organisation), ids in groups.items()
    )
