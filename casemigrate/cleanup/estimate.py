"""How much cleanup manual cases need, and how long it takes.

KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager" (20 March
2015), Del 3, "Estimering af omfanget af oprydning i KMD Sag Sager": every case needs
some cleanup, of one of three kinds. *Simple* (3-5 minutes): review the metadata.
*Medium* (4-10 minutes): check the KLE number and facet, and look for complaint, appeal
and access-to-file cases. *Complex* (15-25 minutes): merge or split cases, and finish
open ones ("Afslutte åbne sager"). Passivating a case that can be passivated is simple
work ("Sagen kan passiveres"); finishing an open matter before closing it is complex.
The source calls the figures very preliminary, so every estimate is a range. The low
end assumes every case takes the lowest time of its kind, the high end the highest.
The range is the sum of lows and of highs, not a narrower statistical band: a per-case
rate that is wrong is wrong for every case, so the errors add up instead of cancelling
out.

Example:
    >>> estimate = estimate_cleanup({Complexity.SIMPLE: 600, Complexity.COMPLEX: 100})
    >>> estimate.cases, estimate.low_hours, round(estimate.high_hours, 1)
    (700, 55.0, 91.7)
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate import workdays as wd
from casemigrate._frozen import frozen_map
from casemigrate.cleanup._common import kle_set
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.identifiers import KLE, Facet, cpr_key
from casemigrate.model import Case

__all__ = [
    "DEFAULT_TITLE_WORDS",
    "Classification",
    "CleanupEstimate",
    "Complexity",
    "classify_cleanup",
    "estimate_cleanup",
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
    close_after_review: bool,
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
        case, has_related=has_related, closing=closing,
        close_after_review=v.flag("close_after_review", close_after_review),
        suspicious_kle=kle_set("suspicious_kle", suspicious_kle), titles=titles,
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
    suspicious = kle_set("suspicious_kle", suspicious_kle)
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
