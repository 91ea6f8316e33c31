from __future__ import annotations

import re

from casemigrate.__main__ import main
from casemigrate._demo import run_demo


def test_demo_runs_every_family_and_is_deterministic() -> None:
    text = run_demo(seed=7, citizens=120)
    assert text == run_demo(seed=7, citizens=120)
    for needle in ("Readiness: SMDB", "Readiness: HANDICAP", "Merge of the deliveries:",
                   "Cleanup of", "Notice for", "When each group moves"):
        assert needle in text
    assert re.search(r"^ERROR +CM204 duplicate-active-cases \(\d+ findings?\)$", text, re.M)
    # no CPR number in full anywhere in the output
    assert not re.search(r"\b\d{6}-?\d{4}\b", text)


def test_main(capsys: object) -> None:
    assert main(["demo", "--citizens", "60", "--seed", "3"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.startswith("casemigrate demo: 607 Fredericia, seed 3, 60 citizens")


def test_demo_in_danish(capsys: object) -> None:
    assert main(["demo", "--citizens", "60", "--seed", "3", "--language", "da"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    for needle in ("Parathed: SMDB", "IKKE KLAR", "Sammenlægning af leverancerne:",
                   "skæringsdato"):
        assert needle in out
    assert re.search(r"^FEJL +CM204 duplicate-active-cases \(\d+ fund\)$", out, re.M)
    assert "NOT READY" not in out
