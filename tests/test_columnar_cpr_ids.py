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


def test_two_cpr_number_ids_masking_alike_are_one_subject_in_the_export() -> None:
    # Two cases without a citizen, ids that are CPR numbers of one birth date: the
    # finding names 211062-**** once, and so does the export.
    cases = pa.table({"case_id": ["2110629999", "2110625", "2110621234"],
                      "municipality": [607] * 3, "citizen": [None] * 3,
                      "system": ["Old"] * 3, "opened": [dt.date(2026, 1, 1)] * 3})
    found = find_duplicate_active_cases(cases, as_of=CUTOVER)
    assert [(f.code, f.subjects) for f in found] == [("CM205", ("211062-****", "2110625"))]
    assert _exported(found) == [["211062-****", "2110625"]]


def test_a_report_over_a_table_keeps_a_finding_two_checks_share_once_with_cpr_ids() -> None:
    from casemigrate import check_readiness, read_cases

    plan = CutoverPlan(municipality=607, register="smdb", old_system="Old", new_system="New",
                       cutover=CUTOVER)
    cases = pa.table({"case_id": ["2110629999", "2110625", "B"], "municipality": [607] * 3,
                      "citizen": [None] * 3, "system": ["Old"] * 3,
                      "opened": [dt.date(2026, 1, 1)] * 2 + [dt.date(2026, 5, 25)]})
    as_of = dt.date(2026, 5, 21)
    by_records = check_readiness(plan, cases=read_cases(cases).records, as_of=as_of)
    by_table = check_readiness(plan, cases=cases, as_of=as_of)
    assert [(f.subjects, f.details["count"]) for f in by_table.findings if f.code == "CM205"] \
        == [(("211062-****", "2110625"), 2), (("211062-****", "2110625", "B"), 3)]
    assert list(by_table.findings) == list(by_records.findings)
    assert by_table.counts_by_code == by_records.counts_by_code
    # A report over a table hashes as the records' report does.
    assert hash(by_table) == hash(by_records)


def test_a_lazy_sequence_takes_integer_indices_as_a_tuple_does() -> None:
    import numpy as np

    found = find_duplicate_active_cases(_cases(), as_of=CUTOVER)
    assert found[np.int64(0)] == found[0] == found[-1]
    with pytest.raises(TypeError, match="finding indices must be integers or slices, not str"):
        found["a"]  # type: ignore[call-overload]
    with pytest.raises(IndexError):
        found[1]
