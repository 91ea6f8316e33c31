"""Record ids that are CPR numbers: the engine's exports show them masked, as findings do."""

from __future__ import annotations

import datetime as dt

import pytest

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
pytest.importorskip("narwhals")

from casemigrate import (  # noqa: E402
    CutoverPlan,
    check_services,
    find_blocking_cases,
    find_duplicate_active_cases,
    find_service_overlaps,
)

CUTOVER = dt.date(2026, 6, 1)
IDS = ["2110621234", "010190-1234"]


def _cases() -> pa.Table:
    return pa.Table.from_pylist([
        {"case_id": case_id, "municipality": 607, "citizen": "0101901234", "system": system,
         "opened": dt.date(2020, 1, 1), "closed": None}
        for case_id, system in zip(IDS, ("Old", "New"), strict=True)
    ])


def _services(groups: tuple[str, ...] = ("1.1",)) -> pa.Table:
    return pa.Table.from_pylist([
        {"service_id": service_id, "municipality": 607, "citizen": "0101901234",
         "code": "SEL85", "target_groups": list(groups), "start": dt.date(2020, 1, 1),
         "end": None, "system": system}
        for service_id, system in zip(IDS, ("Old", "New"), strict=True)
    ])


def _exported(found: object) -> list[list[str]]:
    return found.to_arrow().column("subjects").to_pylist()  # type: ignore[attr-defined]


def test_exported_subjects_are_masked_in_every_table_rule() -> None:
    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=CUTOVER)
    handicap = CutoverPlan(municipality=607, register="handicap", old_system="Old",
                           new_system="New", cutover=CUTOVER)
    results = {
        "duplicates": find_duplicate_active_cases(_cases(), as_of=CUTOVER),
        "blocking": find_blocking_cases(_cases(), plan),
        "overlaps": find_service_overlaps(_services(), cutover=CUTOVER, within_system=True),
        "services": check_services(_services(("1..2",)), handicap, as_of=CUTOVER),
    }
    for name, found in results.items():
        exported = _exported(found)
        assert exported, name
        flat = [subject for subjects in exported for subject in subjects]
        assert "2110621234" not in flat and "010190-1234" not in flat, name
        assert "211062-****" in flat or "010190-****" in flat, name
        # The export names the subjects the findings show.
        assert [sorted(s) for s in exported] == [sorted(f.subjects) for f in found], name


def test_the_duplicate_finding_names_both_masked_ids() -> None:
    found = find_duplicate_active_cases(_cases(), as_of=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM204", ("010190-****", "211062-****"))]
    assert _exported(found) == [["010190-****", "211062-****"]]
