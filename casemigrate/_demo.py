"""The demo: a worked cutover for a synthetic municipality, as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from casemigrate._text import Term, number
from casemigrate.cleanup import (
    CleanupEstimate,
    Complexity,
    NoticePeriod,
    Payback,
    Savings,
    estimate_cleanup,
    estimate_savings,
    find_mass_close_candidates,
    manual_cases_saving,
    notice_period,
    payback,
)
from casemigrate.delivery import ExclusionReason, MergeResult, merge_deliveries
from casemigrate.findings import Finding
from casemigrate.model import Origin
from casemigrate.plan import CutoverPlan, Register
from casemigrate.readiness import check_readiness
from casemigrate.scenario import CaseGroup, choose_scenarios
from casemigrate.synthetic import SyntheticMunicipality, synthetic_municipality
from casemigrate.workdays import WorkSchedule

_RULE = "=" * 78
_MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december")
_COMPLEXITY_DA = {"SIMPLE": "simpel", "MEDIUM": "mellem", "COMPLEX": "kompleks"}


def _day(day: dt.date, language: str) -> str:
    """A date in running text: ISO in English, "1. juni 2026" in Danish."""
    if language == "da":
        return f"{day.day}. {_MONTHS_DA[day.month - 1]} {day.year}"
    return day.isoformat()


def _n(value: int | float | Decimal, language: str, decimals: int | None = None) -> str:
    """A number with the language's separators (``decimals`` fixed when given)."""
    if decimals is not None:
        value = Decimal(f"{value:.{decimals}f}")
    return number(value, language)


def run_demo(*, seed: int = 2026, citizens: int = 400, language: str = "en") -> str:
    """The demo's report as text."""
    data = synthetic_municipality(seed=seed, citizens=citizens)
    c = data.cutover
    as_of = c + dt.timedelta(days=16)
    out = [
        f"casemigrate demo: {data.municipality}, seed {seed}, {citizens} citizens",
        f"{data.old_system} -> {data.new_system}, cutover {c}, checked on {as_of}",
        f"records: {len(data.cases):,} cases, {len(data.services):,} services, "
        f"{len(data.deliveries)} deliveries",
    ] if language != "da" else [
        f"casemigrate-demo: {data.municipality}, startværdi {seed}, "
        f"{_n(citizens, language)} borgere",
        f"{data.old_system} -> {data.new_system}, skæringsdato {_day(c, language)}, "
        f"kontrolleret den {_day(as_of, language)}",
        f"data: {_n(len(data.cases), language)} sager, {_n(len(data.services), language)} "
        f"ydelser, {_n(len(data.deliveries), language)} leverancer",
    ]
    # HANDICAP: the old system reports until its last production delivery, which is
    # the deadline for correcting closed services and re-creating active ones.
    last_old = max(d.sent_day for d in data.deliveries
                   if d.system == data.old_system and not d.is_test)
    for register in Register:
        smdb = register is Register.SMDB
        plan = CutoverPlan(
            municipality=data.municipality, register=register, old_system=data.old_system,
            new_system=data.new_system, cutover=c, agreement_made=dt.date(2026, 1, 26),
            dst_notified=dt.date(2026, 2, 2), cutover_chosen=dt.date(2026, 3, 16),
            old_reporting_closed=dt.date(2026, 5, 27) if smdb else last_old,
            done={"review_open_courses": dt.date(2026, 4, 28)} if smdb else {
                "correct_closed_services": dt.date(2026, 5, 22),
                "recreate_active_services": dt.date(2026, 6, 8)},
        )
        report = check_readiness(
            plan, cases=data.cases if register is Register.SMDB else (),
            deliveries=data.deliveries, as_of=as_of, language=language,
        )
        out += ["", _RULE, report.render(limit_per_code=2)]

    if language == "da":
        out += ["", _RULE, *_merge_exclusions_da(data, c)]
        out += ["", _RULE, *_cleanup_section_da(data, as_of)]
        out += ["", _RULE, *_municipal_examples_da()]
        out += ["", _RULE, *_scenario_section_da()]
        return "\n".join(out)
    out += ["", _RULE, *_merge_exclusions(data, c)]
    out += ["", _RULE, *_cleanup_section(data, as_of)]
    out += ["", _RULE, *_municipal_examples()]
    out += ["", _RULE, *_scenario_section()]
    return "\n".join(out)


def _merge(data: SyntheticMunicipality, cutover: dt.date) -> MergeResult:
    plan = CutoverPlan(municipality=data.municipality, register=Register.HANDICAP,
                       old_system=data.old_system, new_system=data.new_system,
                       cutover=cutover)
    return merge_deliveries(data.deliveries, plan)


def _cleanup(
    data: SyntheticMunicipality, as_of: dt.date
) -> tuple[CleanupEstimate, WorkSchedule, tuple[Finding, ...], set[str]]:
    """The estimate, its schedule, the mass-close findings and the cases they close."""
    manual = [case for case in data.cases if case.origin is not Origin.SYSTEM]
    estimate = estimate_cleanup(manual)
    schedule = estimate.schedule(staff=2, hours_per_day=5, start=dt.date(2026, 1, 5))
    candidates = find_mass_close_candidates(data.cases, as_of=as_of, retired_kle=["16.16.02"])
    closable: set[str] = set()
    for finding in candidates:
        # CM406 names the manual cases and their system twins: only the manual ones close.
        closable |= set(finding.details["manual"] if finding.code == "CM406" else
                        finding.subjects)
    return estimate, schedule, tuple(candidates), closable


def _examples() -> tuple[Savings, Payback, Decimal, CleanupEstimate, NoticePeriod]:
    """Fredericia's and Mariagerfjord's figures, from the source's own numbers only."""
    fredericia = estimate_savings(active_before=62_499, active_after=48_342,
                                  monthly_bill_before=Decimal("16945.35"),
                                  quantum=Decimal("1"))
    fee = payback(one_off=8000, monthly_saving=fredericia.monthly)
    floor = manual_cases_saving(kmd_sag=fredericia.monthly_bill_after, kmd_sag_journal=0)
    mariagerfjord = estimate_cleanup({Complexity.SIMPLE: 2400})
    notice = notice_period(manual_cases=2400, closes_all_itself=True,
                           notice_given=dt.date(2014, 6, 30))
    return fredericia, fee, floor, mariagerfjord, notice


def _groups(and_: str) -> list[CaseGroup]:
    """The groups modelled from the source's facts only (``and_`` joins Aalborg's KLE)."""
    return [
        # Fredericia's table, 17.03.04 "Pædagogisk-psykologisk vurdering": 1,748 cases;
        # Del 1: "Sager, der bør overvejes til en tidlig flytning, er fx PPR-sager".
        CaseGroup(name="PPR (Fredericia, 17.03.04)", kle="17.03.04", active_cases=1748,
                  early_mover_kind=True),
        # Aalborg: 32.45.00 (2 active, 926 passive) and 32.45.04 (133 active, 1,457
        # passive); "Kan i princippet oprettes, behandles og gemmes i ethvert
        # EDH-system"; advis also "tværgående advis fra UDK", not only CPR advis.
        CaseGroup(name=f"Kontrolsager (Aalborg, 32.45.00 {and_} 32.45.04)", active_cases=135,
                  passive_cases=2383, esdh_sufficient=True, only_cpr_advis=False),
        # Favrskov: 32.18.12, 3 active and 1 passive; DUBU: "findes der ingen
        # foranstaltninger, der kan benyttes til KLE 32.18.12".
        CaseGroup(name="Tabt arbejdsfortjeneste (Favrskov, 32.18.12)", kle="32.18.12",
                  active_cases=3, passive_cases=1, good_line_of_business_system=False),
    ]


def _merge_exclusions(data: SyntheticMunicipality, cutover: dt.date) -> list[str]:
    """Why the merge left services out, by reason, in words."""
    merged = _merge(data, cutover)
    counts = merged.summary()["excluded_by_reason"]
    lines = [f"Merge as DST does it: {merged.services_in:,} services delivered, "
             f"{len(merged.services):,} in the data basis, {len(merged.excluded):,} left "
             "out, because they were:"]
    lines += [f"  {counts[reason.name]:>6,}  {reason.value}"
              for reason in ExclusionReason if counts[reason.name]]
    return lines


def _cleanup_section(data: SyntheticMunicipality, as_of: dt.date) -> list[str]:
    """The synthetic municipality's own manual cases: time and candidates."""
    estimate, schedule, candidates, closable = _cleanup(data, as_of)
    return [
        f"Cleanup of the {estimate.cases:,} manual and converted cases in this register "
        "(KOMBIT, KMD Sag Exit-strategi 2, Del 3)",
        *(f"  {row['complexity']:<8} {row['cases']:>6,} cases  "
          f"{row['low_hours']:>7.1f}-{row['high_hours']:.1f} h" for row in estimate.breakdown()),
        f"  total             {estimate.low_hours:.1f}-{estimate.high_hours:.1f} h; "
        f"2 people x 5 h a day from {schedule.start}: done "
        f"{schedule.earliest_finish} to {schedule.latest_finish}",
        f"Mass-close candidates: {len(closable)} active case(s) in {len(candidates)} "
        f"finding(s) ({', '.join(sorted({f.code for f in candidates}))})",
    ]


def _municipal_examples() -> list[str]:
    """The source's own municipal examples, from its own figures only (Del 2)."""
    fredericia, fee, floor, mariagerfjord, notice = _examples()
    return [
        "The source's municipal examples (KOMBIT, KMD Sag Exit-strategi 2, Del 2)",
        "Fredericia: \"Vi har betalt KMD 8000 kr. for 3 telefonmøder\"; its table: "
        "62,499 -> 48,342 active manual cases, 16,945.35 -> 13,107.00 kr a month",
        f"  saving {fredericia.monthly:,} kr a month, {fredericia.yearly:,} kr a year "
        "(\"små 50.000 kr. om året\")",
        f"  the 8,000 kr fee is paid back in {fee.months} months (within month "
        f"{fee.whole_months})",
        "  ending manual cases altogether saves 10 % of the whole KMD Sag and KMD Sag "
        "Journal bill; the source does not give Fredericia's whole bill, but it holds at "
        f"least the 13,107 kr a month in the table: at least {floor:,} kr a month",
        "Mariagerfjord: \"ca. 2400 åbne sager\", closed, and notice given \"umiddelbart "
        "inden d. 1/7-14\"",
        f"  if all {mariagerfjord.cases:,} can simply be passivated (\"Sagen kan "
        f"passiveres\": simple work): {mariagerfjord.low_hours:.0f}-"
        f"{mariagerfjord.high_hours:.0f} h",
        f"  Notice for {mariagerfjord.cases:,} manual cases given 2014-06-30: "
        f"{notice.months} months, ends {notice.ends_on} ({notice.reason})",
    ]


def _scenario_section() -> list[str]:
    """When each group moves: groups modelled from the source's facts only."""
    summary = choose_scenarios(_groups("and"))
    out = ["When each group moves (KOMBIT, KMD Sag Exit-strategi 2, Del 1; groups from "
           "Del 2)"]
    out += [f"  {d.group.name}: scenario {d.scenario.value}" for d in summary.decisions]
    out += [
        "  Aalborg's own conclusion: \"Ja, det kan allerede nu flyttes til eDoc\"",
        "  Favrskov's own conclusion: \"Hvis muligt, flyttes der ikke sager til andet "
        "ESDH-system før adviseringerne er på plads.\"",
        str(summary),
    ]
    return out


# ---- the same sections in Danish ---------------------------------------------------------

def _merge_exclusions_da(data: SyntheticMunicipality, cutover: dt.date) -> list[str]:
    """Why the merge left services out, by reason, in Danish."""
    merged = _merge(data, cutover)
    counts = merged.summary()["excluded_by_reason"]
    lines = [f"Sammenlægning som hos DST: {_n(merged.services_in, 'da')} modtagne ydelser, "
             f"{_n(len(merged.services), 'da')} med i datagrundlaget, "
             f"{_n(len(merged.excluded), 'da')} udeladt, fordi de var:"]
    lines += [f"  {_n(counts[reason.name], 'da'):>6}  {reason.in_language('da')}"
              for reason in ExclusionReason if counts[reason.name]]
    return lines


def _cleanup_section_da(data: SyntheticMunicipality, as_of: dt.date) -> list[str]:
    """The synthetic municipality's own manual cases, in Danish."""
    estimate, schedule, candidates, closable = _cleanup(data, as_of)
    codes = ", ".join(sorted({f.code for f in candidates}))
    return [
        f"Oprydning i registerets {_n(estimate.cases, 'da')} manuelle og konverterede sager "
        "(KOMBIT, KMD Sag Exit-strategi 2, Del 3)",
        *(f"  {_COMPLEXITY_DA[row['complexity']]:<8} {_n(row['cases'], 'da'):>6} "
          f"{'sag ' if row['cases'] == 1 else 'sager'}  "
          f"{_n(row['low_hours'], 'da', 1):>7}-{_n(row['high_hours'], 'da', 1)} t."
          for row in estimate.breakdown()),
        f"  i alt             {_n(estimate.low_hours, 'da', 1)}-"
        f"{_n(estimate.high_hours, 'da', 1)} t.; 2 medarbejdere à 5 timer om dagen fra "
        f"{_day(schedule.start, 'da')}: færdig mellem {_day(schedule.earliest_finish, 'da')} "
        f"og {_day(schedule.latest_finish, 'da')}",
        f"Kandidater til masselukning: {_n(len(closable), 'da')} "
        f"{'aktiv sag' if len(closable) == 1 else 'aktive sager'} i "
        f"{_n(len(candidates), 'da')} fund ({codes})",
    ]


def _municipal_examples_da() -> list[str]:
    """The source's own municipal examples, in Danish."""
    fredericia, fee, floor, mariagerfjord, notice = _examples()
    months = "" if fee.months is None else _n(fee.months, "da")
    return [
        "Kildens kommunale eksempler (KOMBIT, KMD Sag Exit-strategi 2, Del 2)",
        "Fredericia: \"Vi har betalt KMD 8000 kr. for 3 telefonmøder\"; kommunens skema: "
        "62.499 -> 48.342 aktive manuelle sager, 16.945,35 -> 13.107,00 kr. om måneden",
        f"  besparelse {_n(fredericia.monthly, 'da')} kr. om måneden, "
        f"{_n(fredericia.yearly, 'da')} kr. om året (\"små 50.000 kr. om året\")",
        f"  udgiften på 8.000 kr. er tjent ind på {months} måneder (i løbet af måned "
        f"{fee.whole_months})",
        "  lukning af alle manuelle sager sparer 10 % af hele regningen for KMD Sag og KMD Sag "
        "Journal; kilden oplyser ikke Fredericias samlede regning, men den er mindst de "
        f"13.107 kr. om måneden i skemaet: mindst {_n(floor, 'da')} kr. om måneden",
        "Mariagerfjord: \"ca. 2400 åbne sager\", lukket, og opsagt \"umiddelbart "
        "inden d. 1/7-14\"",
        f"  hvis alle {_n(mariagerfjord.cases, 'da')} sager blot kan passiveres (\"Sagen kan "
        f"passiveres\": mindre oprydningsarbejde): {mariagerfjord.low_hours:.0f}-"
        f"{mariagerfjord.high_hours:.0f} timer",
        f"  Opsigelse af {_n(mariagerfjord.cases, 'da')} manuelle sager den "
        f"{_day(dt.date(2014, 6, 30), 'da')}: {notice.months} måneders varsel, udløber "
        f"{_day(notice.ends_on, 'da')}. Årsag: {_in_danish(notice.reason)}",
    ]


def _in_danish(text: str) -> str:
    return text.in_language("da") if isinstance(text, Term) else text


def _scenario_section_da() -> list[str]:
    """When each group moves, in Danish (the groups of :func:`_scenario_section`)."""
    summary = choose_scenarios(_groups("og"))
    out = ["Hvornår hver gruppe flyttes (KOMBIT, KMD Sag Exit-strategi 2, Del 1; grupperne "
           "fra Del 2)"]
    out += [f"  {d.group.name}: scenarie {d.scenario.value}" for d in summary.decisions]
    out += [
        "  Aalborgs egen konklusion: \"Ja, det kan allerede nu flyttes til eDoc\"",
        "  Favrskovs egen konklusion: \"Hvis muligt, flyttes der ikke sager til andet "
        "ESDH-system før adviseringerne er på plads.\"",
        "scenarie  grupper  aktive sager  passive sager",
    ]
    out += [f"{scenario.value:>8}  {row['groups']:>7}  {_n(row['active_cases'], 'da'):>12}"
            f"  {_n(row['passive_cases'], 'da'):>13}"
            for scenario, row in summary.by_scenario.items()]
    return out
