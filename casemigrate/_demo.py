"""The demo's text: a worked cutover for a synthetic municipality."""

from __future__ import annotations

from collections import Counter

from casemigrate.synthetic import synthetic_municipality


def run_demo(*, seed: int = 2026, citizens: int = 400) -> str:
    """The demo's report as text."""
    data = synthetic_municipality(seed=seed, citizens=citizens)
    lines = [
        f"casemigrate demo: municipality {data.municipality}, seed {seed}",
        f"change from {data.old_system} to {data.new_system}, cutover {data.cutover}",
        "",
        "Records",
        f"  cases:      {len(data.cases):>7,}",
        f"  services:   {len(data.services):>7,}",
        f"  deliveries: {len(data.deliveries):>7,}",
    ]
    origins = Counter(case.origin.value for case in data.cases)
    by_origin = ", ".join(f"{key} {value:,}" for key, value in sorted(origins.items()))
    lines.append(f"  cases by origin: {by_origin}")
    return "\n".join(lines)
