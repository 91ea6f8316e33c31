"""Choosing when each group of cases moves out of KMD Sag: scenario 1, 2 or 3.

KOMBIT, "KMD Sag Exit-strategi 2" (20 March 2015), Del 1, "Tre scenarier for hvornår
sager kan flyttes":

* **Scenario 1**: the group moves to a new case system before STS and SAPA are in
  use, and its users no longer need KMD Sag.
* **Scenario 2**: the group moves before STS and SAPA, and its users keep KMD Sag for
  advis and overview until SAPA comes.
* **Scenario 3**: the group moves only after STS and SAPA are in use.

A municipality can have groups in all three. :func:`choose_scenario` weighs what is
known of a group (:class:`~casemigrate.CaseGroup`) with a transparent, overridable
table of weights, :data:`DEFAULT_WEIGHTS`. Each weight comes from a sentence of the
source, cited in the reasons. Scenario 3 wins ties: "Alle sager kan ligge i scenarie
3" ("Valg af scenarie").

Example:
    >>> from casemigrate import CaseGroup, Scenario, choose_scenario
    >>> ppr = CaseGroup(name="PPR", active_cases=300, good_line_of_business_system=True,
    ...                 early_mover_kind=True, users_keep_kmd_for_advis=False)
    >>> choose_scenario(ppr).scenario
    <Scenario.ONE: 1>
    >>> print(Scenario.THREE.describe(language="en").splitlines()[0])
    Scenario 3: The group moves to a new case system only after STS and SAPA are in use.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from casemigrate import _text
from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate._frozen import FrozenMap, frozen, frozen_map
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.model import CaseGroup, LoadPreference
from casemigrate.sources import EXIT2, Citation

__all__ = [
    "CONSIDERATIONS",
    "DEFAULT_WEIGHTS",
    "Reason",
    "Scenario",
    "ScenarioDecision",
    "ScenarioSummary",
    "Weight",
    "choose_scenario",
    "choose_scenarios",
]



class Scenario(enum.Enum):
    """When a group of cases moves, relative to taking STS and SAPA into use."""

    ONE = 1
    TWO = 2
    THREE = 3

    @property
    def description(self) -> str:
        """What the scenario is, in English."""
        return _TEXT[self]["en"][0]

    @property
    def pros(self) -> tuple[str, ...]:
        """The advantages the source lists, in English."""
        return _TEXT[self]["en"][1]

    @property
    def cons(self) -> tuple[str, ...]:
        """The disadvantages the source lists, in English."""
        return _TEXT[self]["en"][2]

    def describe(self, *, language: str = "en") -> str:
        """The scenario, its pros and its cons as text, in ``"en"`` or ``"da"``.

        Example:
            >>> print(Scenario.TWO.describe(language="da").splitlines()[0])
            Scenarie 2: En gruppe sager flyttes til et nyt sagsbærende system inden STS ...
            >>> Scenario.TWO.describe(language="da").splitlines()[-2]
            '  - Nye sager skal registreres i to systemer.'
        """
        description, pros, cons = _TEXT[self][_text.check_language(language)]
        head = ("Scenario" if language == "en" else "Scenarie") + f" {self.value}: {description}"
        pro_title, con_title = ("Pros", "Cons") if language == "en" else ("Fordele", "Ulemper")
        lines = [head, f"{pro_title}:"] + [f"  + {p}" for p in pros]
        lines += [f"{con_title}:"] + [f"  - {c}" for c in cons]
        return "\n".join(lines)


_EARLY_WORK = (
    "The workload of moving the cases comes earlier.",
    "Den arbejdsbelastning, der er forbundet med flytning af sager, bliver flyttet frem i tid.",
)
_GOOD_SYSTEM = (
    "If there is a good line-of-business system for the area, users soon get better "
    "support for their work.",
    "Hvis der findes et godt fagsystem på området, vil brugerne hurtigt få en bedre "
    "understøttelse af deres arbejdsprocesser.",
)
_ONE_SYSTEM = (
    "Users do not work in a new system and in KMD Sag at the same time.",
    "Brugeren skal ikke arbejde i både et nyt system og i KMD Sag på én gang.",
)
_EARLY_COST = (
    "The municipality pays for a new system earlier.",
    "Kommunen får udgifter til et nyt system tidligere.",
)

_PAIRS: Final[dict[Scenario, tuple[tuple[str, str], tuple[tuple[str, str], ...],
                                   tuple[tuple[str, str], ...]]]] = {
    Scenario.ONE: (
        ("The group moves to a new case system before STS and SAPA are in use; its users "
         "no longer need KMD Sag. Advis and overview come first from the new system, "
         "later from SAPA and/or the new system.",
         "En gruppe sager flyttes til et nyt sagsbærende system inden STS og SAPA er taget "
         "i brug. Brugerne har ikke længere behov for KMD Sag. Advis og overblik fås "
         "indledningsvist i det nye system og senere hen i SAPA og/eller det nye system."),
        (_EARLY_WORK, _GOOD_SYSTEM,
         ("With a fixed-price agreement on the new system, moving early to it and out of "
          "KMD Sag saves money.",
          "Hvis kommunen har en fastprisaftale på det nye system, kan der spares penge ved "
          "at flytte tidligt til nyt system og komme ud af KMD Sag."),
         _ONE_SYSTEM),
        (_EARLY_COST,
         ("Making advis work in the new system may need investment (further development).",
          "Der kan være en investering, hvis kommunen vil have adviser til at fungere i det "
          "nye system (videreudvikling)."),
         ("Once the case is no longer in KMD Sag, other users get a poorer overview, unless "
          "an interface from the new system to KMD Sag is built (further development).",
          "Når sagen ikke længere ligger i KMD Sag, vil andre brugere få et dårligere "
          "sagsoverblik. Alternativt skal der etableres en snitflade fra det nye system til "
          "KMD Sag for at få dette overblik (videreudvikling).")),
    ),
    Scenario.TWO: (
        ("The group moves to a new case system before STS and SAPA are in use; its users "
         "keep KMD Sag for advis and overview. They work in two systems at first "
         "(journal notes and possibly documents in the new system, advis and overview in "
         "KMD Sag), and only when STS and SAPA come into use do they lose access to KMD "
         "Sag and get advis and overview from SAPA.",
         "En gruppe sager flyttes til et nyt sagsbærende system inden STS og SAPA er taget "
         "i brug. Brugerne beholder KMD Sag til advis og overblik. Man arbejder derfor til "
         "at starte med i to systemer (journalnotater og evt. dokumenter i nyt system og "
         "advis og overblik i KMD Sag). Først når STS og SAPA tages i brug, har brugerne "
         "ikke længere adgang til KMD Sag, og advis og overblik fås herefter i SAPA."),
        (_EARLY_WORK, _GOOD_SYSTEM),
        (_EARLY_COST,
         ("New cases must be registered in two systems.",
          "Nye sager skal registreres i to systemer."),
         ("When some kinds of information on the case are no longer in KMD Sag, other "
          "users get a poorer overview, unless an interface from the new system to KMD Sag "
          "is built (further development).",
          "Når nogle typer af oplysninger på sagen ikke længere ligger i KMD Sag, vil andre "
          "brugere få et dårligere sagsoverblik. Alternativt skal der etableres en "
          "snitflade fra det nye system til KMD Sag for at få dette overblik "
          "(videreudvikling).")),
    ),
    Scenario.THREE: (
        ("The group moves to a new case system only after STS and SAPA are in use.",
         "En gruppe sager flyttes først til et nyt sagsbærende system efter STS og SAPA er "
         "taget i brug."),
        (_ONE_SYSTEM,
         ("There is a long period to clean up the cases before the move.",
          "Der er en lang periode til at få ryddet op i sagerne inden flytningen.")),
        (("The workload of moving the cases comes late and risks colliding with taking STS "
          "and SAPA into use, especially if cleanup did not start early.",
          "Den arbejdsbelastning, der er forbundet med flytning af sager, ligger sent, og "
          "risikerer at kollidere med arbejdet med ibrugtagning af STS og SAPA. Det gør sig "
          "især gældende hvis kommunen ikke er begyndt tidligt med oprydning i sager."),),
    ),
}


def _language(index: int) -> dict[Scenario, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The texts in one language: 0 for English, 1 for Danish."""
    return {
        scenario: (description[index], tuple(p[index] for p in pros),
                   tuple(c[index] for c in cons))
        for scenario, (description, pros, cons) in _PAIRS.items()
    }


_EN, _DA = _language(0), _language(1)
_TEXT: Final = {scenario: {"en": _EN[scenario], "da": _DA[scenario]} for scenario in Scenario}


def _points(value: object) -> Mapping[Scenario, int]:
    if not isinstance(value, Mapping):
        raise InvalidType(f"expected a mapping of Scenario to points, got {v.type_name(value)}",
                          field="weights")
    for scenario, points in value.items():
        if not isinstance(scenario, Scenario) or isinstance(points, bool) or not isinstance(
            points, int
        ):
            raise InvalidType("expected Scenario keys and whole-number points", field="weights")
    return FrozenMap(value)


@attrs.frozen
class Weight:
    """What one consideration's value adds to each scenario's score.

    Attributes:
        if_true: Points per scenario when the consideration is ``True`` (for
            ``load_preference``: ``SPREAD``).
        if_false: Points per scenario when it is ``False`` (``PEAK``).
        citation: The sentence of the source the weight is derived from.
    """

    if_true: Mapping[Scenario, int] = attrs.field(converter=_points)
    if_false: Mapping[Scenario, int] = attrs.field(converter=_points)
    citation: str = ""


_1, _2, _3 = Scenario.ONE, Scenario.TWO, Scenario.THREE

_VALG = "Del 1, Valg af scenarie"

# Where each default weight comes from: a sentence of the source, verbatim.
_SOURCES: Final[Mapping[str, Citation]] = MappingProxyType({
    "needs_overview_and_advis_system": EXIT2.cite(
        _VALG, "For det første i de tilfælde hvor medarbejderne behøver et egentligt "
        "overblik- og advissystem ved siden af deres fagsystem."),
    "others_need_overview": EXIT2.cite(
        _VALG, "For det andet i de tilfælde, hvor andre medarbejdere behøver et overblik over "
        "de pågældende sager."),
    "good_line_of_business_system": EXIT2.cite(
        _VALG, "Sager, der logisk hører til i et egentligt fagsystem, og hvor der er et godt "
        "fagsystem på markedet, hvori brugeren kan få de nødvendige adviser."),
    "esdh_sufficient": EXIT2.cite(
        _VALG, "Sager, der kan nøjes med et generelt ESDH-system, som grundlag for "
        "sagsbehandling."),
    "only_cpr_advis": EXIT2.cite(_VALG, "Sager, der kun anvender folkeregisteradviser."),
    "new_system_has_kmd_interface": EXIT2.cite(
        _VALG, "Sager, der kan flyttes til et nyt system, der allerede har en snitflade til "
        "KMD Sag, så andre brugere kan blive ved med at have sagstypen i deres "
        "sagsoverblik"),
    "users_keep_kmd_for_advis": EXIT2.cite(
        "Del 1, Tre scenarier", "Brugerne beholder KMD Sag til advis og overblik."),
    "fixed_price_agreement": EXIT2.cite(
        "Del 1, Scenarie 1", "Hvis kommunen har en fastprisaftale på det nye system, kan der "
        "spares penge ved at flytte tidligt til nyt system og komme ud af KMD Sag."),
    "load_preference": EXIT2.cite(
        "Del 1, Belastning", "Hvis kommunen ønsker at brede denne belastning ud rent "
        "tidsmæssigt, bør det overvejes at bruge scenarie 1-2 på nogle grupper af sager."),
    "users_mature": EXIT2.cite(
        "Del 1, Modenhed", "Hvis brugergruppen generelt har nemt ved at tilegne sig ny viden, "
        "vil det være relativt let for dem at overgå til et nyt system."),
    "early_mover_kind": EXIT2.cite(
        _VALG, "Sager, der bør overvejes til en tidlig flytning, er fx PPR-sager, sager på "
        "udsatte børn og unge, SEL §41 og 42-sager."),
})

DEFAULT_WEIGHTS: Final[Mapping[str, Weight]] = MappingProxyType({
    "needs_overview_and_advis_system": Weight(
        {_3: 3}, {_1: 1, _2: 1}, str(_SOURCES["needs_overview_and_advis_system"])),
    "others_need_overview": Weight(
        {_3: 3}, {_1: 1, _2: 1}, str(_SOURCES["others_need_overview"])),
    "good_line_of_business_system": Weight(
        {_1: 2, _2: 2}, {_3: 1}, str(_SOURCES["good_line_of_business_system"])),
    "esdh_sufficient": Weight({_1: 2, _2: 2}, {}, str(_SOURCES["esdh_sufficient"])),
    "only_cpr_advis": Weight({_1: 2, _2: 1}, {}, str(_SOURCES["only_cpr_advis"])),
    "new_system_has_kmd_interface": Weight(
        {_1: 2, _2: 2}, {}, str(_SOURCES["new_system_has_kmd_interface"])),
    "users_keep_kmd_for_advis": Weight(
        {_2: 3}, {_1: 2}, str(_SOURCES["users_keep_kmd_for_advis"])),
    "fixed_price_agreement": Weight({_1: 2}, {}, str(_SOURCES["fixed_price_agreement"])),
    "load_preference": Weight({_1: 1, _2: 1}, {_3: 2}, str(_SOURCES["load_preference"])),
    "users_mature": Weight({_1: 1, _2: 1}, {_3: 1}, str(_SOURCES["users_mature"])),
    "early_mover_kind": Weight({_1: 2, _2: 2}, {}, str(_SOURCES["early_mover_kind"])),
})
"""The default weights: per consideration, the points its value gives each scenario.

Derived from the source: what it says makes scenario 3 "especially obvious" weighs 3;
what it lists as suiting an early move weighs 2 toward scenarios 1 and 2; a pro of one
scenario only weighs 2 toward it; the softer considerations (load, maturity) weigh 1,
except a wish for one short peak, which the source answers with "wait" (2 toward 3).
"""

CONSIDERATIONS: Final[tuple[str, ...]] = tuple(DEFAULT_WEIGHTS)
"""The names of the considerations, as fields of :class:`~casemigrate.CaseGroup`."""

# Ties go to scenario 3 (the source's default), then 2 (users keep KMD Sag), then 1.
_TIE_ORDER: Final = {Scenario.THREE: 0, Scenario.TWO: 1, Scenario.ONE: 2}


@attrs.frozen
class Reason:
    """Why a decision went as it did: one consideration and what it added.

    Attributes:
        consideration: The consideration's name (a :class:`~casemigrate.CaseGroup` field).
        value: Its value for the group.
        favours: The scenarios it gave points to, best first.
        points: The points it gave each scenario.
        citation: Where the weight comes from.
    """

    consideration: str
    value: object
    favours: tuple[Scenario, ...]
    points: Mapping[Scenario, int] = attrs.field(eq=False, converter=frozen_map)
    citation: str

    def __str__(self) -> str:
        shown = self.value.value if isinstance(self.value, enum.Enum) else self.value
        if not self.favours:
            return f"{self.consideration}={shown}: favours no scenario"
        names = ", ".join(str(s.value) for s in self.favours)
        return f"{self.consideration}={shown}: favours scenario {names} ({self.citation})"


@attrs.frozen(kw_only=True)
class ScenarioDecision:
    """The scenario chosen for a group, and why.

    Attributes:
        group: The group.
        scenario: The chosen scenario.
        ranking: All three scenarios with their scores, best first (ties in the order
            3, 2, 1).
        reasons: One per known consideration, in the order of :data:`CONSIDERATIONS`.
        unknowns: The considerations that are ``None`` for the group.
        tie_broken: Whether the best score was shared, so the tie order decided.
    """

    group: CaseGroup
    scenario: Scenario
    ranking: tuple[tuple[Scenario, int], ...]
    reasons: tuple[Reason, ...]
    unknowns: tuple[str, ...]
    tie_broken: bool

    def __repr__(self) -> str:
        return _render.decision_repr(self)

    def _repr_html_(self) -> str:
        return _render.decision_html(self)

    def explain(self) -> str:
        """The decision as text: the scenario, the scores, the reasons, the unknowns.

        Example:
            >>> from casemigrate import CaseGroup
            >>> print(choose_scenario(CaseGroup(name="Tilsyn")).explain().splitlines()[1])
            scores: scenario 3: 0, scenario 2: 0, scenario 1: 0 (tie broken toward scenario 3, ...)
        """
        scores = ", ".join(f"scenario {s.value}: {points}" for s, points in self.ranking)
        if self.tie_broken:
            scores += (" (tie broken toward scenario 3, the source's default: "
                       '"Alle sager kan ligge i scenarie 3")'
                       if self.scenario is Scenario.THREE else
                       " (tie broken toward scenario 2, which keeps KMD Sag for advis)")
        lines = [f"{self.group.name}: scenario {self.scenario.value}", f"scores: {scores}"]
        lines += [f"  {reason}" for reason in self.reasons]
        if self.unknowns:
            lines.append(f"unknown: {', '.join(self.unknowns)}")
        return "\n".join(lines)


def _weights(weights: Mapping[str, Weight] | None) -> Mapping[str, Weight]:
    if weights is None:
        return DEFAULT_WEIGHTS
    if not isinstance(weights, Mapping):
        raise InvalidType(f"expected a mapping, got {v.type_name(weights)}", field="weights")
    for key, weight in weights.items():
        if key not in DEFAULT_WEIGHTS:
            raise InvalidArgument(
                f"{key!r} is not a consideration; expected one of {list(CONSIDERATIONS)}",
                field="weights",
            )
        if not isinstance(weight, Weight):
            raise InvalidType(f"{key!r}: expected a Weight, got {v.type_name(weight)}",
                              field="weights")
    return {**DEFAULT_WEIGHTS, **weights}


def choose_scenario(
    group: CaseGroup, *, weights: Mapping[str, Weight] | None = None
) -> ScenarioDecision:
    """Choose the scenario for a group of cases.

    Each known consideration adds its weight's points to the scenarios it favours
    (:data:`DEFAULT_WEIGHTS`, or yours for the considerations you pass in
    ``weights``). The scenario with most points wins. A tie goes to scenario 3, the
    source's default, then to 2 (users keep KMD Sag for advis), then to 1, and the
    decision says so. Unknown considerations add nothing and are listed.

    Args:
        group: The group.
        weights: Weights that replace the defaults for the considerations named.

    Returns:
        The :class:`ScenarioDecision`.

    Raises:
        InvalidArgument: ``weights`` names something that is not a consideration.
        InvalidType: ``group`` is not a CaseGroup, or a weight is not a Weight.

    Example:
        >>> from casemigrate import CaseGroup
        >>> d = choose_scenario(CaseGroup(name="Tilsyn", others_need_overview=True))
        >>> d.scenario, d.ranking[0], d.unknowns[0]
        (<Scenario.THREE: 3>, (<Scenario.THREE: 3>, 3), 'needs_overview_and_advis_system')
    """
    if not isinstance(group, CaseGroup):
        raise InvalidType(f"expected a CaseGroup, got {v.type_name(group)}", field="group")
    table = _weights(weights)
    scores = dict.fromkeys(Scenario, 0)
    reasons: list[Reason] = []
    unknowns: list[str] = []
    for name in CONSIDERATIONS:
        value = getattr(group, name)
        if value is None:
            unknowns.append(name)
            continue
        weight = table[name]
        positive = value is True or value is LoadPreference.SPREAD
        points = weight.if_true if positive else weight.if_false
        for scenario, add in points.items():
            scores[scenario] += add
        favours = tuple(sorted((s for s, p in points.items() if p > 0),
                               key=lambda s: (-points[s], _TIE_ORDER[s])))
        reasons.append(Reason(name, value, favours, points, weight.citation))
    ranking = tuple(sorted(scores.items(), key=lambda item: (-item[1], _TIE_ORDER[item[0]])))
    best = ranking[0][1]
    tied = sum(1 for _, score in ranking if score == best) > 1
    return ScenarioDecision(group=group, scenario=ranking[0][0], ranking=ranking,
                            reasons=tuple(reasons), unknowns=tuple(unknowns), tie_broken=tied)


@attrs.frozen(kw_only=True)
class ScenarioSummary:
    """Decisions for many groups, and how many cases move when.

    Attributes:
        decisions: One decision per group, in the order given.
        by_scenario: Per scenario: groups, active cases and passive cases.
    """

    decisions: tuple[ScenarioDecision, ...]
    by_scenario: Mapping[Scenario, Mapping[str, int]] = attrs.field(converter=frozen)

    def __repr__(self) -> str:
        return _render.summary_repr(self)

    def _repr_html_(self) -> str:
        return _render.summary_html(self)

    def __str__(self) -> str:
        lines = ["scenario  groups  active cases  passive cases"]
        for scenario, row in self.by_scenario.items():
            lines.append(f"{scenario.value:>8}  {row['groups']:>6}  {row['active_cases']:>12,}"
                         f"  {row['passive_cases']:>13,}")
        return "\n".join(lines)


def choose_scenarios(
    groups: Iterable[CaseGroup], *, weights: Mapping[str, Weight] | None = None
) -> ScenarioSummary:
    """Decide every group and count the cases that move in each scenario.

    Example:
        >>> from casemigrate import CaseGroup
        >>> summary = choose_scenarios([
        ...     CaseGroup(name="PPR", active_cases=300, passive_cases=2000,
        ...               good_line_of_business_system=True, early_mover_kind=True),
        ...     CaseGroup(name="Tilsyn", active_cases=135, others_need_overview=True)])
        >>> print(summary)
        scenario  groups  active cases  passive cases
               1       0             0              0
               2       1           300          2,000
               3       1           135              0
    """
    decisions = tuple(choose_scenario(group, weights=weights)
                      for group in v.instances("groups", groups, CaseGroup))
    by: dict[Scenario, dict[str, int]] = {
        s: {"groups": 0, "active_cases": 0, "passive_cases": 0} for s in Scenario
    }
    for decision in decisions:
        row = by[decision.scenario]
        row["groups"] += 1
        row["active_cases"] += decision.group.active_cases
        row["passive_cases"] += decision.group.passive_cases
    return ScenarioSummary(decisions=decisions, by_scenario=by)
