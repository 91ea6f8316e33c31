"""A country partitioned by municipality: the partitioned run equals one run over it all.

The national data set of ``benchmarks.national`` at a tiny size (98 municipalities of a
few dozen cases), run per municipality and over the concatenated tables; the cluster
recipe (``partition_findings`` mapped by Dask) against the single-process run. The
full national run is a benchmark, never a test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
pytest.importorskip("narwhals")

from benchmarks import national  # noqa: E402
from benchmarks.data import AS_OF, CUTOVER, NEW, OLD  # noqa: E402
from casemigrate import (  # noqa: E402
    InvalidArgument,
    InvalidType,
    find_blocking_cases,
    find_duplicate_active_cases,
    find_service_overlaps,
    sort_findings,
)
from casemigrate._municipalities import MUNICIPALITIES  # noqa: E402
from casemigrate.frames import partition_findings  # noqa: E402

SMALL = 98 * 40
OVERLAPS = {"cutover": CUTOVER, "old_system": OLD, "new_system": NEW, "within_system": True}


@pytest.fixture(scope="module")
def country() -> list[tuple[int, Any, Any]]:
    return list(national.national(cases=SMALL, seed=5))


def test_the_country_has_every_municipality_skewed_and_seeded(country: list[Any]) -> None:
    sizes = national.sizes(SMALL, seed=5)
    assert set(sizes) == set(MUNICIPALITIES)
    assert sum(sizes.values()) == SMALL
    assert sizes[101] == max(sizes.values())  # København is the largest
    assert max(sizes.values()) > 20 * min(sizes.values())
    assert [code for code, *_ in country] == list(sizes)
    code, cases, services = country[0]
    again_cases, again_services = national.partition(code, cases.num_rows, seed=5)
    assert cases.equals(again_cases) and services.equals(again_services)
    assert set(cases.column("municipality").to_pylist()) == {code}
    total_services = sum(s.num_rows for _, _, s in country)
    assert 3.0 < total_services / SMALL < 3.7  # about 50 million for 15 million cases


def test_partitioned_findings_equal_one_run_over_the_country(country: list[Any]) -> None:
    duplicates: list[Any] = []
    overlaps: list[Any] = []
    for _, cases, services in country:
        found_duplicates, found_overlaps = national.check(cases, services)
        duplicates += found_duplicates
        overlaps += found_overlaps
    whole_duplicates, whole_overlaps = national.check(
        pa.concat_tables([cases for _, cases, _ in country]),
        pa.concat_tables([services for _, _, services in country]))
    # CM205 is the one rule not keyed by municipality: one finding per call lists every
    # case without a citizen, so a partitioned run gives one per municipality that has
    # any, naming together the same cases.
    without = [f for f in duplicates if f.code == "CM205"]
    whole_without = [f for f in whole_duplicates if f.code == "CM205"]
    assert len(without) > 1 and len(whole_without) == 1
    assert sorted(s for f in without for s in f.subjects) == list(whole_without[0].subjects)
    assert sum(f.details["count"] for f in without) == whole_without[0].details["count"]
    assert [f for f in whole_duplicates if f.code != "CM205"] == list(
        sort_findings(f for f in duplicates if f.code != "CM205"))
    assert list(whole_overlaps) == list(sort_findings(overlaps))
    counts = Counter(f.code for f in duplicates + overlaps)
    # The realistic defects are all there.
    assert {"CM204", "CM301", "CM302", "CM303", "CM314"} <= set(counts)


def test_partition_findings_is_the_rules_export_in_plain_types(country: list[Any]) -> None:
    _, cases, services = country[0]
    found = partition_findings(services, find_service_overlaps, **OVERLAPS)
    direct = find_service_overlaps(services, **OVERLAPS)
    assert found.num_rows == len(direct) > 0
    assert found.column("code").to_pylist() == [f.code for f in direct]
    assert found.column("subjects").to_pylist() == [list(f.subjects) for f in direct]
    assert found.column("severity").to_pylist() == [f.severity.name for f in direct]
    assert found.schema.field("code").type == pa.string()
    empty = partition_findings(cases.slice(0, 0), find_duplicate_active_cases, as_of=AS_OF)
    assert empty.num_rows == 0 and empty.schema == found.schema


def test_partition_findings_refuses_records_and_other_rules(country: list[Any]) -> None:
    _, cases, _ = country[0]
    with pytest.raises(InvalidType) as caught:
        partition_findings([], find_duplicate_active_cases, as_of=AS_OF)
    assert caught.value.field == "table"
    with pytest.raises(InvalidArgument) as refused:
        partition_findings(cases, find_blocking_cases, as_of=AS_OF)
    assert refused.value.field == "rule"


def _rows(table: Any) -> list[tuple[Any, ...]]:
    """Findings as sortable rows, whatever the library (pyarrow or pandas)."""
    frame = table.to_pandas() if hasattr(table, "to_pandas") else table
    return sorted((code, tuple(subjects), severity) for code, subjects, severity in zip(
        frame["code"], frame["subjects"], frame["severity"], strict=True))


def test_dask_recipe_equals_the_single_process_run(country: list[Any]) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    cases = pa.concat_tables([c for _, c, _ in country[:30]])
    services = pa.concat_tables([s for _, _, s in country[:30]])
    expected_services = _rows(partition_findings(services, find_service_overlaps, **OVERLAPS))
    expected_cases = _rows(partition_findings(cases, find_duplicate_active_cases, as_of=AS_OF))
    with dask.config.set(scheduler="synchronous"):
        # The recipe: whole municipalities per partition (shuffle on the key), then
        # the helper mapped over them.
        frame = dd.from_pandas(services.to_pandas(), npartitions=4).shuffle("municipality")
        meta = partition_findings(frame._meta, find_service_overlaps, **OVERLAPS).to_pandas()
        mapped = frame.map_partitions(
            lambda part: partition_findings(part, find_service_overlaps,
                                            **OVERLAPS).to_pandas(), meta=meta).compute()
        # Or one group per municipality (pandas hands the group without its key
        # column, so it is put back from the group's name).
        grouped = dd.from_pandas(cases.to_pandas(), npartitions=3).groupby(
            "municipality").apply(
            lambda part: partition_findings(part.assign(municipality=part.name),
                                            find_duplicate_active_cases,
                                            as_of=AS_OF).to_pandas(),
            meta=partition_findings(cases.slice(0, 0), find_duplicate_active_cases,
                                    as_of=AS_OF).to_pandas()).compute()
    assert _rows(mapped) == expected_services
    assert _rows(grouped) == expected_cases
    assert len(expected_services) > 100 and len(expected_cases) > 0


def test_a_day_number_of_the_generator_is_its_date() -> None:
    cases, _ = national.partition(607, 50, seed=1)
    opened = cases.column("opened").to_pylist()
    assert all(dt.date(2008, 1, 1) <= day <= CUTOVER for day in opened)
