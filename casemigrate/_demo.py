"""The demo: a worked cutover for a synthetic municipality, as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from casemigrate.cleanup import (
    estimate_cleanup,
    estimate_savings,
    find_mass_close_candidates,
    manual_cases_saving,
    notice_period,
)
from casemigrate.model import CaseGroup, Origin
from casemigrate.plan import CutoverPlan, Register
from casemigrate.readiness import check_readiness
from casemigrate.scenario import choose_scenarios
from casemigrate.synthetic import synthetic_municipality

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
    for register in Register:
        plan = CutoverPlan(
            municipality=data.municipality, register=register, old_system=data.old_system,
            new_system=data.new_system, cutover=c, dst_notified=dt.date(2026, 2, 2),
            cutover_chosen=dt.date(2026, 3, 16), old_reporting_closed=dt.date(2026, 5, 27),
            done={"review_open_courses": dt.date(2026, 4, 28)}
            if register is Register.SMDB else {},
        )
        report = check_readiness(
            plan, cases=data.cases if register is Register.SMDB else (),
            deliveries=data.deliveries, as_of=as_of, language=language,
        )
        out += ["", _RULE, report.render(limit_per_code=2)]

    manual = [case for case in data.cases if case.origin is not Origin.SYSTEM]
    estimate = estimate_cleanup(manual)
    schedule = estimate.schedule(staff=2, hours_per_day=5, start=dt.date(2026, 1, 5))
    active_manual = {case.case_id for case in manual if case.is_active_on(as_of)}
    price = Decimal("0.2711")  # kr per active case a month, as Fredericia's bill implies
    bill = (price * len(active_manual)).quantize(Decimal("0.01"))
    candidates = find_mass_close_candidates(
        data.cases, as_of=as_of, retired_kle=["16.16.02"], price_per_case=price)
    closable: set[str] = set()
    for finding in candidates:
        # CM406 names the manual cases and their system twins: only the manual ones close.
        closable |= set(finding.details["manual"] if finding.code == "CM406" else
                        finding.subjects)
    savings = estimate_savings(active_before=len(active_manual),
                               active_after=len(active_manual - closable),
                               monthly_bill_before=bill)
    given = dt.date(2026, 1, 30)
    notice = notice_period(manual_cases=len(manual), closes_all_itself=True,
                           notice_given=given)
    out += [
        "", _RULE,
        f"Cleanup of {estimate.cases:,} manual and converted cases "
        "(003_63b3ba8438f94d62.txt, Del 3)",
        *(f"  {row['complexity']:<8} {row['cases']:>6,} cases  "
          f"{row['low_hours']:>7.1f}-{row['high_hours']:.1f} h" for row in estimate.breakdown()),
        f"  total             {estimate.low_hours:.1f}-{estimate.high_hours:.1f} h; "
        f"2 people x 5 h a day from {schedule.start}: done "
        f"{schedule.earliest_finish} to {schedule.latest_finish}",
        f"Mass-close candidates: {len(closable)} active case(s) in {len(candidates)} "
        f"finding(s) ({', '.join(sorted({f.code for f in candidates}))})",
        f"Closing them: {savings.active_before} -> {savings.active_after} active cases, "
        f"{savings.monthly_bill_before} -> {savings.monthly_bill_after} kr a month at "
        f"{price} kr a case: {savings.monthly} kr a month, {savings.yearly} kr a year",
        f"Ending manual cases altogether saves 10 % of the bill: "
        f"{manual_cases_saving(bill)} kr a month",
        f"Notice for {len(manual):,} manual cases given {given}: {notice.months} months, "
        f"ends {notice.ends_on} ({notice.reason})",
    ]
    summary = choose_scenarios([
        CaseGroup(name="PPR", kle="17.03.04", active_cases=1748, passive_cases=5210,
                  early_mover_kind=True, good_line_of_business_system=True,
                  users_keep_kmd_for_advis=False),
        CaseGroup(name="Handleplaner, voksne", kle="27.12.12", active_cases=997,
                  good_line_of_business_system=True, users_keep_kmd_for_advis=True),
        CaseGroup(name="Kontrol", kle="32.45.04", active_cases=133, passive_cases=1457,
                  others_need_overview=True),
    ])
    out += ["", _RULE, "When each group moves (003_63b3ba8438f94d62.txt, Del 1)"]
    out += [f"  {d.group.name}: scenario {d.scenario.value}" for d in summary.decisions]
    out += [str(summary)]
    return "\n".join(out)
