"""The table dispatch in the core: runs with or without the ``columnar`` extra."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys

import pytest

from casemigrate import (
    CutoverPlan,
    MissingDependency,
    find_duplicate_active_cases,
    find_service_overlaps,
    merge_deliveries,
)

HAS_EXTRA = all(importlib.util.find_spec(name) is not None for name in ("numpy", "pyarrow"))


class _Stream:
    """Any object speaking the Arrow stream protocol counts as a table."""

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        raise NotImplementedError


@pytest.mark.skipif(HAS_EXTRA, reason="the columnar extra is installed")
def test_a_table_without_the_extra_names_it() -> None:
    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]") as raised:
        find_duplicate_active_cases(_Stream(), as_of=dt.date(2026, 6, 1))
    assert raised.value.field == "table"
    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]"):
        find_service_overlaps(_Stream(), cutover=dt.date(2026, 6, 1))
    plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
                       new_system="New", cutover=dt.date(2026, 6, 1))
    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]"):
        merge_deliveries(_Stream(), plan, services=_Stream())


@pytest.mark.skipif(HAS_EXTRA, reason="the columnar extra is installed")
def test_a_partition_without_the_extra_names_it() -> None:
    from casemigrate.frames import partition_findings

    with pytest.raises(MissingDependency, match=r"casemigrate\[columnar\]") as raised:
        partition_findings(_Stream(), find_duplicate_active_cases, as_of=dt.date(2026, 6, 1))
    assert raised.value.field == "table"


def test_records_never_import_the_table_libraries() -> None:
    code = (
        "import datetime as dt, sys\n"
        "from casemigrate import Case, find_duplicate_active_cases\n"
        "case = Case(case_id='A', municipality=607, citizen=None, system='Old',\n"
        "            opened=dt.date(2025, 1, 1))\n"
        "found = find_duplicate_active_cases([case], as_of=dt.date(2026, 1, 1))\n"
        "assert [f.code for f in found] == ['CM205'], found\n"
        "print(sorted(m for m in ('numpy', 'pyarrow') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
