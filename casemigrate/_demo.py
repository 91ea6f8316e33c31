"""The demo: a worked cutover for a synthetic municipality, as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from casemigrate.cleanup import (
    Complexity,
    estimate_cleanup,
    estimate_savings,
    find_mass_close_candidates,
    manual_cases_saving,
    notice_period,
    payback,
)
from casemigrate.delivery import ExclusionReason, merge_deliveries
from casemigrate.model import CaseGroup, Origin
from casemigrate.plan import CutoverPlan, Register
from casemigrate.readiness import check_readiness
from casemigrate.scenario import choose_scenarios
from casemigrate.synthetic import SyntheticMunicipality, synthetic_municipality

_RULE = "=" * 78


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

    out += ["", _RULE, *_merge_exclusions(data, c)]
    out += ["", _RULE, *_cleanup_section(data, as_of)]
    out += ["", _RULE, *_municipal_examples()]
    out += ["", _RULE, *_scenario_section()]
    return "\n".join(out)


def _merge_exclusions(data: SyntheticMunicipality, cutover: dt.date) -> list[str]:
    """Why the merge left services out, by reason, in words."""
    plan = CutoverPlan(municipality=data.municipality, register=Register.HANDICAP,
                       old_system=data.old_system, new_system=data.new_system,
                       cutover=cutover)
    merged = merge_deliveries(data.deliveries, plan)
    counts = merged.summary()["excluded_by_reason"]
    lines = [f"Merge as DST does it: {merged.services_in:,} services delivered, "
             f"{len(merged.services):,} in the data basis, {len(merged.excluded):,} left "
             "out, because they were:"]
    lines += [f"  {counts[reason.name]:>6,}  {reason.value}"
              for reason in ExclusionReason if counts[reason.name]]
    return lines


def _cleanup_section(data: SyntheticMunicipality, as_of: dt.date) -> list[str]:
    """The synthetic municipality's own manual cases: time and candidates."""
    manual = [case for case in data.cases if case.origin is not Origin.SYSTEM]
    estimate = estimate_cleanup(manual)
    schedule = estimate.schedule(staff=2, hours_per_day=5, start=dt.date(2026, 1, 5))
    candidates = find_mass_close_candidates(data.cases, as_of=as_of, retired_kle=["16.16.02"])
    closable: set[str] = set()
    for finding in candidates:
        # CM406 names the manual cases and their system twins: only the manual ones close.
        closable |= set(finding.details["manual"] if finding.code == "CM406" else
                        finding.subjects)
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
    fredericia = estimate_savings(active_before=62_499, active_after=48_342,
                                  monthly_bill_before=Decimal("16945.35"),
                                  quantum=Decimal("1"))
    fee = payback(one_off=8000, monthly_saving=fredericia.monthly)
    floor = manual_cases_saving(kmd_sag=fredericia.monthly_bill_after, kmd_sag_journal=0)
    mariagerfjord = estimate_cleanup({Complexity.SIMPLE: 2400})
    notice = notice_period(manual_cases=2400, closes_all_itself=True,
                           notice_given=dt.date(2014, 6, 30))
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
    groups = [
        # Fredericia's table, 17.03.04 "Pædagogisk-psykologisk vurdering": 1,748 cases;
        # Del 1: "Sager, der bør overvejes til en tidlig flytning, er fx PPR-sager".
        CaseGroup(name="PPR (Fredericia, 17.03.04)", kle="17.03.04", active_cases=1748,
                  early_mover_kind=True),
        # Aalborg: 32.45.00 (2 active, 926 passive) and 32.45.04 (133 active, 1,457
        # passive); "Kan i princippet oprettes, behandles og gemmes i ethvert
        # EDH-system"; advis also "tværgående advis fra UDK", not only CPR advis.
        CaseGroup(name="Kontrolsager (Aalborg, 32.45.00 and 32.45.04)", active_cases=135,
                  passive_cases=2383, esdh_sufficient=True, only_cpr_advis=False),
        # Favrskov: 32.18.12, 3 active and 1 passive; DUBU: "findes der ingen
        # foranstaltninger, der kan benyttes til KLE 32.18.12".
        CaseGroup(name="Tabt arbejdsfortjeneste (Favrskov, 32.18.12)", kle="32.18.12",
                  active_cases=3, passive_cases=1, good_line_of_business_system=False),
    ]
    summary = choose_scenarios(groups)
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
