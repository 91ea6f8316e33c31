"""Cleanup of manual cases: classification, time estimates, notice, savings, candidates.

The rules of KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager"
(20 March 2015), one concern a module; every name is importable from here as well:

* :mod:`casemigrate.cleanup.estimate`: how much cleanup a case needs (simple, medium,
  complex: Del 3, "Estimering af omfanget af oprydning i KMD Sag Sager") and how long
  the cleanup of many cases takes, as a range.
* :mod:`casemigrate.cleanup.notice`: the notice for ending manual cases (Del 3,
  Opsigelsesvarsler; CM401, CM402, CM407) and what fewer active cases save on a bill
  charged per active case (Del 1-3, FAQ 14-15; CM403).
* :mod:`casemigrate.cleanup.mass_close`: the cases worth closing in bulk, as Fredericia
  did (Del 2; CM404 to CM406), and manual cases opened after the cleanup, which need a
  new one (Del 2, "Processen"; CM408).

Example:
    >>> from casemigrate.cleanup import Complexity, estimate_cleanup
    >>> estimate = estimate_cleanup({Complexity.SIMPLE: 1000})
    >>> estimate.low_hours, round(estimate.high_hours, 1)
    (50.0, 83.3)
"""

from __future__ import annotations

# The rules are imported too (casemigrate.RULES gathers them), so that they stay where
# they were before the modules were split.
from casemigrate.cleanup.estimate import (
    DEFAULT_TITLE_WORDS,
    Classification,
    CleanupEstimate,
    Complexity,
    classify_cleanup,
    estimate_cleanup,
)
from casemigrate.cleanup.mass_close import (
    MANUAL_CASES_AFTER_CLEANUP,  # noqa: F401
    MANUAL_DUPLICATES_SYSTEM_CASE,  # noqa: F401
    RETIRED_KLE_CASE,  # noqa: F401
    STALE_CONVERTED_CASE,  # noqa: F401
    find_manual_cases_after_cleanup,
    find_mass_close_candidates,
)
from casemigrate.cleanup.notice import (
    NEGATIVE_SAVING,  # noqa: F401
    NOTICE_AT_5000_POLICY,  # noqa: F401
    NOTICE_BEFORE_AGREEMENT_POLICY,  # noqa: F401
    NOTICE_BEFORE_END_2015_POLICY,  # noqa: F401
    NoticePeriod,
    NoticePolicy,
    NoticeRule,
    Payback,
    Savings,
    estimate_savings,
    manual_cases_saving,
    notice_period,
    payback,
)

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
