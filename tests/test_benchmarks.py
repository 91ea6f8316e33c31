"""The benchmark suite's own correctness: its tasks agree, and the harness fails loudly."""

from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

from benchmarks import run
from benchmarks.data import generate
from benchmarks.tasks import TASKS, Impl


@pytest.mark.parametrize("task", sorted(TASKS))
def test_casemigrate_agrees_with_the_plain_python_floor(task: str) -> None:
    data = generate(600, seed=11)
    ours = TASKS[task]["casemigrate"]
    floor = TASKS[task]["plain"]
    assert ours.run(ours.prepare(data)) == floor.run(floor.prepare(data))


def test_the_shift_idiom_is_wrong_on_this_data() -> None:
    pytest.importorskip("pandas")
    data = generate(2000, seed=3)
    right = TASKS["overlap"]["pandas"]
    shift = TASKS["overlap"]["pandas-shift"]
    assert shift.run(shift.prepare(data))[0] < right.run(right.prepare(data))[0]


def test_the_harness_fails_when_casemigrate_disagrees(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def fake_spawn(arguments: list[str]) -> dict[str, object]:
        if arguments[0] == "--memory-worker":
            return {"bytes_per_case": 1.0, "cases": 1}
        _, task, impl, size, _ = arguments
        result = [1] if impl == "casemigrate" else [2]
        return {"task": task, "impl": impl, "size": int(size), "result": result,
                "median": 1.0, "min": 1.0, "max": 1.0, "peak_mb": 1.0, "data_mb": 1.0,
                "times": [1.0], "records": int(size)}

    monkeypatch.setattr(run, "_spawn", fake_spawn)
    monkeypatch.setattr(run, "load", lambda size: None)
    monkeypatch.setitem(TASKS, "fake", {"casemigrate": Impl(lambda d: d, lambda p: (1,)),
                                        "plain": Impl(lambda d: d, lambda p: (2,))})
    assert run.main(["--sizes", "10", "--tasks", "fake", "--runs", "1", "--smoke"]) == 1
    assert "casemigrate's counts differ" in capsys.readouterr().out


@pytest.mark.parametrize(("task", "impl"), [(task, impl) for task, impls in sorted(TASKS.items())
                                            for impl in impls if impl.startswith("columnar")])
def test_the_columnar_engine_agrees_with_the_records(task: str, impl: str) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    data = generate(600, seed=11)
    ours = TASKS[task]["casemigrate"]
    theirs = TASKS[task][impl]
    assert theirs.run(theirs.prepare(data)) == ours.run(ours.prepare(data))


def test_keyword_construction_benchmark_builds_every_record(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import data as bench_data
    from benchmarks import keywords

    small = generate(300, seed=5)
    monkeypatch.setattr(bench_data, "load", lambda size: small)
    figures = keywords._measure(300, 1)
    assert figures["records"] == {"Case": len(small.cases), "Service": len(small.services)}
    assert all(figures[name] > 0 for name in ("Case", "Service", "from_rows"))


def test_the_trees_benchmark_measures_the_engine_and_pandas_as_the_record_path(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    pytest.importorskip("narwhals")
    from benchmarks import data as bench_data
    from benchmarks import trees

    small = generate(300, seed=5)
    monkeypatch.setattr(bench_data, "load", lambda size: small)
    expected = list(TASKS["duplicates"]["plain"].run(small.cases))
    for impl in ("columnar", "columnar-rules", "pandas"):
        if impl == "pandas":
            pytest.importorskip("pandas")
        assert trees._measure("duplicates", 300, 1, impl_name=impl)["result"] == expected, impl
    built = trees._measure("construction", 300, 1, impl_name="columnar")
    assert built["result"] == [len(small.cases) + len(small.services)]


def test_national_runner_reports_each_partition(capsys: pytest.CaptureFixture[str],
                                                tmp_path: pathlib.Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    pytest.importorskip("narwhals")
    from benchmarks import national

    out = tmp_path / "national.json"
    assert national.main(["--cases", "5k", "--codes", "101,825", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 municipalities" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))["partitions"]
    sizes = national.sizes(5000)
    assert [(f["code"], f["cases"]) for f in figures] == [(101, sizes[101]), (825, sizes[825])]
    assert all(f["findings"] == sum(f["counts"].values()) > 0 for f in figures)


def test_the_trees_benchmark_times_a_task_and_names_its_tree(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from benchmarks import data as bench_data
    from benchmarks import trees

    small = generate(300, seed=5)
    monkeypatch.setattr(bench_data, "load", lambda size: small)
    figure = trees._measure("duplicates", 300, 2)
    ours = TASKS["duplicates"]["casemigrate"]
    assert figure["result"] == list(ours.run(ours.prepare(small)))
    assert len(figure["wall"]) == len(figure["cpu"]) == 2
    assert os.path.isdir(os.path.join(figure["casemigrate"], "casemigrate"))


def test_the_checked_pandas_merge_counts_what_the_merge_finds() -> None:
    """``pandas-checked`` is like for like: its counts are the merge's own, also with
    services that were never re-created (every third new one dropped)."""
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from benchmarks.tasks import _delivery_tables, _pd_merge_prepare, pd_merge_checks
    from casemigrate import merge_deliveries

    data = generate(3000, seed=5)
    fewer = data._replace(new_services=data.new_services[::3] + data.new_services[1::3])
    for dataset in (data, fewer):
        plan, deliveries, services = _delivery_tables(dataset)
        result = merge_deliveries(deliveries, plan, services=services)
        counts = result.findings.counts()
        checked = pd_merge_checks(_pd_merge_prepare(dataset))
        assert checked == {"CM301": counts["CM301"], "CM302": counts["CM302"],
                           "CM303": counts["CM303"],
                           "NOT_RECREATED": result.recreation["NOT_RECREATED"],
                           "RECREATED_UNCHANGED": result.recreation["RECREATED_UNCHANGED"],
                           "RECREATED_DIFFERS": result.recreation["RECREATED_DIFFERS"]}
    assert checked["NOT_RECREATED"] == counts["CM315"] > 0
    if importlib.util.find_spec("polars") is not None:
        from benchmarks.tasks import _pl_merge_prepare, pl_merge_checks

        assert pl_merge_checks(_pl_merge_prepare(fewer)) == checked
    impl = TASKS["merge"]["pandas-checked"]
    assert impl.run(impl.prepare(data)) == TASKS["merge"]["pandas"].run(impl.prepare(data))
