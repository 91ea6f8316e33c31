"""Ending manual cases in KMD Sag: the notice, and what fewer active cases save.

KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager" (20 March
2015):

* Del 3, "Hvilke forhold (opsigelsesvarsel) gør sig gældende?": the notice periods
  for ending manual cases (2, 3, 6 or 6 months), agreed between KOMBIT and KMD. Before
  that agreement the contract's six months applied, as Mariagerfjord found (Del 2).
* Del 1 ("Økonomi"), Del 3 and FAQ 14-15: KMD Sag bills per active case, and ending
  manual cases cuts the whole KMD Sag and KMD Sag Journal bill by 10 %. Fredericia's
  table (Del 2) is the worked example of the per-case charge: 62,499 -> 48,342 cases,
  16,945.35 -> 13,107.00 kr a month, for a one-off 8,000 kr paid to KMD.

Example:
    >>> import datetime as dt
    >>> notice_period(manual_cases=2400, closes_all_itself=True,
    ...               notice_given=dt.date(2016, 1, 29)).months
    2
    >>> payback(one_off=8000, monthly_saving="3838.35").whole_months
    3
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate._slots import safe_repr
from casemigrate._text import Term
from casemigrate.cleanup._common import ORE
from casemigrate.exceptions import InvalidArgument
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.sources import EXIT2, POLICY

__all__ = [
    "NoticePeriod",
    "NoticePolicy",
    "NoticeRule",
    "Payback",
    "Savings",
    "estimate_savings",
    "manual_cases_saving",
    "notice_period",
    "payback",
]


class NoticeRule(enum.Enum):
    """Which of the source's notice rules applied (Del 3, Opsigelsesvarsler).

    Attributes (of each member):
        months: The notice in months.
        reason: Why, in words: a :class:`str` in English, with ``en`` and ``da`` forms.

    Example:
        >>> NoticeRule.UNDER_5000_CLOSING_ITSELF.months
        2
        >>> NoticeRule.EXTRACT
        <NoticeRule.EXTRACT: 6 months>
    """

    UNDER_5000_CLOSING_ITSELF = (2, Term(
        "under 5,000 cases and the municipality closes all manual cases itself",
        da="under 5.000 sager, og kommunen afslutter selv alle manuelle sager"))
    OVER_5000_CLOSING_ITSELF = (3, Term(
        "over 5,000 cases, the municipality closes all manual cases itself, notice from "
        "the end of 2015",
        da="flere end 5.000 sager, kommunen afslutter selv alle manuelle sager, og opsigelsen "
           "gives fra ultimo 2015"))
    EXTRACT = (6, Term("the municipality wants an extract of its cases (conversion)",
                       da="kommunen ønsker udtræk af sine sager (konvertering)"))
    FIXED_PRICE_OR_LARGE = (6, Term(
        "a fixed-price agreement, or a large customer with very many cases",
        da="en fastprisaftale, eller en stor kunde med rigtig mange sager"))
    CONTRACT = (6, Term("the KMD Sag contract's own notice of six months",
                        da="KMD Sag-kontraktens eget opsigelsesvarsel på seks måneder"))
    BEFORE_AGREEMENT = (6, Term(
        "notice given before the KOMBIT-KMD agreement on notice periods: the contract's "
        "six months that applied then (as for Mariagerfjord, mid-2014)",
        da="opsagt før aftalen mellem KOMBIT og KMD om opsigelsesvarsler: kontraktens seks "
           "måneder, som gjaldt dengang (som for Mariagerfjord, midt i 2014)"))

    def __init__(self, months: int, reason: Term) -> None:
        self.months = months
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {self.months} months>"


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
    checks_da="Opsigelsesperioder for præcis 5.000 manuelle sager. Kilden giver kun en regel for "
              "\"under 5.000\" (2 måneder) og \"over 5.000\" (3 måneder). casemigrates "
              "standardvalg (`NoticePolicy(exactly_5000_as_over=True)`) behandler præcis 5.000 "
              "som over 5.000: den længste opsigelse er den sikre læsning af en kontrakt.",
    why_da="Opsigelsen afgør, hvornår besparelsen på 10 % begynder. Her var det et valg, ikke "
           "kilden, der afgjorde den, og det skal kunne ses.",
    example_da="`notice_period(manual_cases=5000, closes_all_itself=True, notice_given=date(2026, "
               "1, 30))`: 3 måneder, med CM401.",
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
    checks_da="Opsigelsesperioder for over 5.000 manuelle sager, hvor opsigelsen er sket før "
              "udgangen af 2015 (som standard før 2015-12-31, "
              "`NoticePolicy.three_month_rule_from`). Kilden giver kun 3 måneder, \"hvis de "
              "opsiger fra udgangen af 2015\". casemigrates valg falder tilbage til kontraktens 6 "
              "måneder. Den forsigtige læsning: en opsigelse, der er for kort, er den fejl, der "
              "koster mest.",
    why_da="Det var et valg, ikke kilden, der afgjorde perioden.",
    example_da="7.000 sager, opsagt 2015-06-01: 6 måneder, med CM402.",
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
    checks_da="`notice_period`: opsigelse før aftalen mellem KOMBIT og KMD om "
              "opsigelsesperioderne for manuelle sager (`NoticePolicy.agreement_from`). Så gælder "
              "kontraktens seks måneder, uanset antallet af sager, og dette fund siger, at den "
              "regel afgjorde det. Kilden daterer ikke aftalen; casemigrates valg bruger "
              "dokumentets dato, 2015-03-20 (docs/policies.md).",
    why_da="Opsigelsesperioderne på to og tre måneder kom med aftalen. En opsigelse før den løb i "
           "seks måneder, hvilket flytter den dag, besparelsen på 10 % begynder, med op til fire "
           "måneder.",
    example_da="Mariagerfjord, omkring 2.400 sager, som kommunen selv afslutter, opsagt "
               "2014-06-30: 6 måneder, der slutter 2014-12-30, med CM407. Samme opsigelse "
               "2015-03-20: 2 måneder.",
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
        reason=rule.reason, rule=rule, findings=sort_findings(findings),
    )


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
    checks_da="En prognose for besparelsen med flere aktive sager efter end før.",
    why_da="KMD Sag afregnes pr. aktiv sag. Flere sager giver en højere regning, som prognosen "
           "viser som en negativ besparelse.",
    example_da="`estimate_savings(active_before=1000, active_after=1100, "
               "monthly_bill_before=Decimal(\"1000\"))`: en besparelse på -100,00 kr. om måneden, "
               "med CM403.",
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
    quantum: Decimal = ORE,
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
    return (total * Decimal("0.10")).quantize(ORE, rounding=ROUND_HALF_UP)


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
            months = exact.quantize(ORE, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # A saving of a billionth of an øre: no number of months Decimal can write.
        raise InvalidArgument(f"{saving} kr a month would never pay back {cost} kr",
                              field="monthly_saving") from None
    return Payback(one_off=cost, monthly_saving=saving, months=months, whole_months=whole)
