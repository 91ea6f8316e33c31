"""Every task, implemented by casemigrate and by the peers a user would otherwise write.

Each implementation has a ``prepare`` step, untimed, that turns the generated tuples
into its own native form: casemigrate objects, a pandas or polars frame, a DuckDB
table, plain tuples. It also has a timed ``run`` step that answers the task from that
form and returns a tuple of counts. The harness checks the counts of every correct
implementation against casemigrate's.

Tasks:

* ``duplicates``: citizens with more than one case active on the cutover, per
  municipality: (groups, cases in them).
* ``overlap``: services that overlap an earlier-starting service of the same citizen
  and service code, end dates inclusive: (services flagged,). The common pandas
  ``shift()`` idiom compares each service with the previous one only. It misses a
  service covered by an earlier, longer one, and is kept here, marked wrong, to show
  its count.
* ``merge``: DST's merge of the old and new systems' latest deliveries: (kept,
  excluded). The columnar engine races the public call on a deliveries table and a
  services table with a ``delivery_id`` column (``columnar``; ``columnar-pandas`` on
  pandas frames; ``columnar-basis`` without the overlap checks) and the merge from the
  tables already read (``columnar-rules``). ``pandas`` is the bare split of two frames
  (the closed services of the old delivery, and the new one): it checks nothing.
  ``pandas-checked`` adds, in pandas, the checks the merge makes of its data basis, and
  counts them exactly as the merge does (a test holds them equal): the old and new
  services of one citizen and code that overlap (CM301) or meet as an artificial
  closure at the cutover (CM302), by a join on the group; new active services starting
  on the cutover (CM303); and the re-creation of the old active services, one to one
  per group with the alike paired first (CM315's count and the ``recreation`` tally,
  under the default ``RecreationMatch``). It does not read or validate tables (its
  frames are typed, one per delivery), pick the latest delivery, or check the
  deliveries (CM305, CM312, CM317), repeated, misfiled or vanished services (CM304,
  CM306-CM308), nor say how each re-created service differs (CM316's wording); and it
  returns counts, not findings naming their services. ``polars-checked`` does the same
  in polars (the target groups as text).
* ``construction``: records built from the plain tuples, with validation: (records,).
* ``duplicates`` and ``overlap`` also race the columnar engine's public call on a
  pandas frame (``columnar-pandas``) and on a Danish CSV export read as text, with its
  own column names and ``31-12-2025`` dates (``columnar-danish``: ``columns=`` and
  ``dayfirst=True``), beside the Arrow table with the fields' names (``columnar``).
* ``frame``: cases built from a table: ``Case.from_rows`` on the tuples (the
  baseline), and ``read_cases`` on a pandas or polars frame of the same rows, with
  ``errors="raise"`` and ``errors="collect"``: (records, refused rows).

Two adversarial shapes keep the rules linear where a naive sweep or grouping is
quadratic (``size`` sets n; the generated data is not used):

* ``adversarial-overlap``: one citizen (a placeholder CPR for unknown citizens) with n
  open-ended services in the old system and one in the new: (CM301 findings,).
* ``adversarial-mass-close``: one citizen with n manual and n system cases on one KLE
  number: (CM406 findings, ids they name).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

from benchmarks.data import AS_OF, CUTOVER, MUNICIPALITY, NEW, OLD, Dataset

FAR = dt.date(9999, 12, 31)
CASE_COLUMNS = ["case_id", "municipality", "citizen", "system", "opened", "closed"]
SERVICE_COLUMNS = ["service_id", "municipality", "citizen", "code", "target_groups",
                   "start", "end", "system"]


class Impl(NamedTuple):
    """One implementation of one task."""

    prepare: Callable[[Dataset], Any]
    run: Callable[[Any], tuple[int, ...]]
    correct: bool = True


# ---- casemigrate -----------------------------------------------------------------

def _cm_cases(data: Dataset) -> list[Any]:
    from casemigrate import Case

    return Case.from_rows(data.cases)


def _cm_services(rows: list[tuple[Any, ...]]) -> list[Any]:
    from casemigrate import Service

    return Service.from_rows(rows)


def cm_duplicates(cases: list[Any]) -> tuple[int, ...]:
    from casemigrate import find_duplicate_active_cases

    found = [f for f in find_duplicate_active_cases(cases, as_of=AS_OF) if f.code == "CM204"]
    return (len(found), sum(f.details["count"] for f in found))


def cm_overlap(services: list[Any]) -> tuple[int, ...]:
    from casemigrate import find_service_overlaps

    found = find_service_overlaps(services, cutover=CUTOVER, within_system=True)
    return (len({f.details["later"] for f in found if f.code in ("CM301", "CM314")}),)


def _cm_deliveries(data: Dataset) -> tuple[Any, Any]:
    from casemigrate import CutoverPlan, Delivery

    plan = CutoverPlan(municipality=MUNICIPALITY, register="handicap", old_system=OLD,
                       new_system=NEW, cutover=CUTOVER)
    old = Delivery(delivery_id="old", name="L402", system=OLD, municipality=MUNICIPALITY,
                   sent=dt.datetime(2026, 6, 10, 9), services=_cm_services(data.old_services))
    new = Delivery(delivery_id="new", name="L402", system=NEW, municipality=MUNICIPALITY,
                   sent=dt.datetime(2026, 6, 11, 9), services=_cm_services(data.new_services))
    return plan, [old, new]


def cm_merge(prepared: tuple[Any, Any]) -> tuple[int, ...]:
    """The merge with its overlap checks (CM301-CM303): more than the peers answer."""
    from casemigrate import merge_deliveries

    plan, deliveries = prepared
    result = merge_deliveries(deliveries, plan)
    return (len(result.services), len(result.excluded))


def cm_merge_basis(prepared: tuple[Any, Any]) -> tuple[int, ...]:
    """The data basis only, as the peers build it (``check_overlaps=False``)."""
    from casemigrate import merge_deliveries

    plan, deliveries = prepared
    result = merge_deliveries(deliveries, plan, check_overlaps=False)
    return (len(result.services), len(result.excluded))


def cm_construction(data: Dataset) -> tuple[int, ...]:
    """Records built from the rows with ``from_rows``, as a converter would."""
    from casemigrate import Case, Service

    return (len(Case.from_rows(data.cases)) + len(Service.from_rows(data.services)),)


def cm_construction_each(data: Dataset) -> tuple[int, ...]:
    """Records built one at a time with keyword arguments."""
    from casemigrate import Case, Service

    cases = [Case(case_id=r[0], municipality=r[1], citizen=r[2], system=r[3], opened=r[4],
                  closed=r[5]) for r in data.cases]
    services = [Service(service_id=r[0], municipality=r[1], citizen=r[2], code=r[3],
                        target_groups=r[4], start=r[5], end=r[6], system=r[7])
                for r in data.services]
    return (len(cases) + len(services),)


# ---- casemigrate's columnar engine (the ``columnar`` extra) ----------------------

def _arrow(rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    """An Arrow table with the record's field names, as a table input arrives."""
    import pyarrow as pa

    return pa.table({name: [list(r[i]) if name == "target_groups" else r[i] for r in rows]
                     for i, name in enumerate(columns)})


def col_duplicates_counted(table: Any, **read: Any) -> tuple[int, ...]:
    """As above, with the group sizes read from the exported subjects without objects."""
    import pyarrow.compute as pc

    from casemigrate import find_duplicate_active_cases

    found = find_duplicate_active_cases(table, as_of=AS_OF, **read)
    exported = found.to_arrow()
    mine = pc.equal(exported.column("code").cast("string"), "CM204")
    sizes = pc.list_value_length(exported.column("subjects").filter(mine))
    return (found.counts().get("CM204", 0), int(pc.sum(sizes).as_py() or 0))


def col_overlap(table: Any) -> tuple[int, ...]:
    import pyarrow.compute as pc

    from casemigrate import find_service_overlaps

    found = find_service_overlaps(table, cutover=CUTOVER, within_system=True)
    later = found.detail("later")
    return (len(pc.unique(later.drop_null())),)


DANISH_NAMES = {"case_id": "sagsnr", "service_id": "ydelsesnr", "municipality": "kommune",
                "citizen": "cpr", "opened": "oprettet", "closed": "lukket",
                "target_groups": "maalgrupper", "start": "start", "end": "slut",
                "code": "ydelseskode", "system": "system"}


def _danish_csv(rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    """A pandas frame as ``read_csv(..., dtype=str)`` gives a Danish export: Danish
    column names, every value text, dates written ``31-12-2025``, groups ``1.1;2.1``."""
    import pandas as pd

    def text(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value.strftime("%d-%m-%Y")
        if isinstance(value, frozenset | tuple | list):
            return ";".join(sorted(value))
        return str(value)

    return pd.DataFrame({DANISH_NAMES[name]: [text(r[i]) for r in rows]
                         for i, name in enumerate(columns)})


_READ_DANISH = {"columns": {danish: field for field, danish in DANISH_NAMES.items()},
                "dayfirst": True}


def col_duplicates_danish(frame: Any) -> tuple[int, ...]:
    """The public call on a Danish CSV export, renamed and dates parsed by the reader."""
    columns = {k: v for k, v in _READ_DANISH["columns"].items() if k in frame.columns}
    return col_duplicates_counted(frame, columns=columns, dayfirst=True)


def col_overlap_danish(frame: Any) -> tuple[int, ...]:
    import pyarrow.compute as pc

    from casemigrate import find_service_overlaps

    columns = {k: v for k, v in _READ_DANISH["columns"].items() if k in frame.columns}
    found = find_service_overlaps(frame, cutover=CUTOVER, within_system=True,
                                  columns=columns, dayfirst=True)
    return (len(pc.unique(found.detail("later").drop_null())),)


def _columns_of(kind: str, rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    from casemigrate._columnar import _columns

    return getattr(_columns, kind)(_arrow(rows, columns))


def col_rules_duplicates(validated: Any) -> tuple[int, ...]:
    """Detection alone, from columns already validated (the engine's internal step)."""
    import pyarrow.compute as pc

    from casemigrate._columnar import _rules

    found = _rules.duplicate_active_cases(validated, AS_OF)
    exported = found.to_arrow()
    mine = pc.equal(exported.column("code").cast("string"), "CM204")
    sizes = pc.list_value_length(exported.column("subjects").filter(mine))
    return (found.counts().get("CM204", 0), int(pc.sum(sizes).as_py() or 0))


def col_rules_overlap(validated: Any) -> tuple[int, ...]:
    import pyarrow.compute as pc

    from casemigrate._columnar import _rules

    found = _rules.service_overlaps(validated, CUTOVER, None, None, True)
    return (len(pc.unique(found.detail("later").drop_null())),)


DELIVERY_COLUMNS = ["delivery_id", "name", "system", "municipality", "sent"]


def _delivery_tables(data: Dataset) -> tuple[Any, Any, Any]:
    """The plan, and the two deliveries as a vendor holds them: a deliveries table and
    a services table with a ``delivery_id`` column (Arrow, the fields' names)."""
    import pyarrow as pa

    from casemigrate import CutoverPlan

    plan = CutoverPlan(municipality=MUNICIPALITY, register="handicap", old_system=OLD,
                       new_system=NEW, cutover=CUTOVER)
    deliveries = pa.table({"delivery_id": ["old", "new"], "name": ["L402", "L402"],
                           "system": [OLD, NEW], "municipality": [MUNICIPALITY] * 2,
                           "sent": [dt.datetime(2026, 6, 10, 9), dt.datetime(2026, 6, 11, 9)]})
    services = _arrow(data.old_services + data.new_services, SERVICE_COLUMNS)
    links = pa.array(["old"] * len(data.old_services) + ["new"] * len(data.new_services))
    return plan, deliveries, services.append_column("delivery_id", links)


def _delivery_frames(data: Dataset) -> tuple[Any, Any, Any]:
    """As :func:`_delivery_tables`, as pandas frames (Arrow-backed strings)."""
    plan, deliveries, services = _delivery_tables(data)
    return plan, deliveries.to_pandas(), services.to_pandas()


def col_merge(prepared: tuple[Any, Any, Any], **options: Any) -> tuple[int, ...]:
    """The public call on the two tables, with its checks (CM301-CM317)."""
    from casemigrate import merge_deliveries

    plan, deliveries, services = prepared
    result = merge_deliveries(deliveries, plan, services=services, **options)
    return (len(result.services), len(result.excluded))


def col_merge_basis(prepared: tuple[Any, Any, Any]) -> tuple[int, ...]:
    """The data basis and the deliveries' checks only (``check_overlaps=False``)."""
    return col_merge(prepared, check_overlaps=False)


def _merge_read(data: Dataset) -> tuple[Any, Any]:
    """The two tables read into the engine's columns (untimed): the rules alone race."""
    from casemigrate._columnar import _merge

    plan, deliveries, services = _delivery_tables(data)
    return plan, _merge.read(deliveries, services, columns=None, errors="raise",
                             extra="ignore", date_format=None, dayfirst=None)


def col_rules_merge(prepared: tuple[Any, Any]) -> tuple[int, ...]:
    """The merge with its checks, from the tables already read (the engine's own step)."""
    from casemigrate import RecreationMatch
    from casemigrate._columnar import _merge

    plan, read = prepared
    result = _merge.merged(read, plan, check_overlaps=True, match=RecreationMatch(),
                           tolerated=31)
    return (len(result.services), len(result.excluded))


def col_construction(tables: tuple[Any, Any]) -> tuple[int, ...]:
    """A table validated in bulk into columns (the step every table input takes)."""
    from casemigrate._columnar import _columns

    cases, services = tables
    return (len(_columns.cases(cases)) + len(_columns.services(services)),)


# ---- plain Python: tuples and dicts, the floor ----------------------------------

def py_duplicates(rows: list[tuple[Any, ...]]) -> tuple[int, ...]:
    counts: Counter[tuple[int, str]] = Counter(
        (r[1], r[2]) for r in rows if r[4] <= AS_OF and (r[5] is None or r[5] > AS_OF))
    dups = [n for n in counts.values() if n > 1]
    return (len(dups), sum(dups))


def py_overlap(rows: list[tuple[Any, ...]]) -> tuple[int, ...]:
    groups: defaultdict[tuple[Any, ...], list[tuple[dt.date, str, dt.date]]] = defaultdict(list)
    for r in rows:
        groups[(r[1], r[2], r[3])].append((r[5], r[0], r[6] or FAR))
    flagged = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort()
        running = group[0][2]
        for start, _, end in group[1:]:
            if start <= running:
                flagged += 1
            running = max(running, end)
    return (flagged,)


def py_merge(data: Dataset) -> tuple[int, ...]:
    kept = [r for r in data.old_services if r[6] is not None] + list(data.new_services)
    return (len(kept), len(data.old_services) + len(data.new_services) - len(kept))


def py_construction(data: Dataset) -> tuple[int, ...]:
    cases = [dict(zip(CASE_COLUMNS, r, strict=True)) for r in data.cases]
    services = [dict(zip(SERVICE_COLUMNS, r, strict=True)) for r in data.services]
    return (len(cases) + len(services),)


# ---- pandas ----------------------------------------------------------------------

def _pd_frame(rows: list[tuple[Any, ...]], columns: list[str], dates: list[str]) -> Any:
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def pd_duplicates(frame: Any) -> tuple[int, ...]:
    import pandas as pd

    day = pd.Timestamp(AS_OF)
    active = frame[(frame["opened"] <= day) & (frame["closed"].isna() | (frame["closed"] > day))]
    sizes = active.groupby(["municipality", "citizen"]).size()
    dups = sizes[sizes > 1]
    return (len(dups), int(dups.sum()))


def _pd_sorted(frame: Any) -> Any:
    import pandas as pd

    out = frame.sort_values(["municipality", "citizen", "code", "start", "service_id"])
    return out.assign(end_filled=out["end"].fillna(pd.Timestamp(FAR)))


def pd_overlap_cummax(frame: Any) -> tuple[int, ...]:
    ordered = _pd_sorted(frame)
    keys = ["municipality", "citizen", "code"]
    previous_max = ordered.groupby(keys)["end_filled"].cummax()
    previous_max = previous_max.groupby([ordered[k] for k in keys]).shift()
    return (int((ordered["start"] <= previous_max).sum()),)


def pd_overlap_shift(frame: Any) -> tuple[int, ...]:
    ordered = _pd_sorted(frame)
    previous_end = ordered.groupby(["municipality", "citizen", "code"])["end_filled"].shift()
    return (int((ordered["start"] <= previous_end).sum()),)


def _pd_merge_prepare(data: Dataset) -> tuple[Any, Any]:
    return (_pd_frame(data.old_services, SERVICE_COLUMNS, ["start", "end"]),
            _pd_frame(data.new_services, SERVICE_COLUMNS, ["start", "end"]))


def pd_merge(frames: tuple[Any, Any]) -> tuple[int, ...]:
    import pandas as pd

    old, new = frames
    kept = pd.concat([old[old["end"].notna()], new], ignore_index=True)
    return (len(kept), len(old) + len(new) - len(kept))


MERGE_KEYS = ["municipality", "citizen", "code"]


def pd_merge_checks(frames: tuple[Any, Any]) -> dict[str, int]:
    """The merge's checks of the data basis in pandas, as counts (``pandas-checked``).

    The old system's closed services and every new one are the basis. Counted: the
    closed old and new services of one (municipality, citizen, code) that overlap in
    time (CM301) or meet as an artificial closure at the cutover (CM302), by a join of
    the two on the group; new active services starting on the cutover (CM303); and the
    re-creation of the old active services, one to one per group (CM315 and the
    ``recreation`` tally): not re-created where the old outnumber the new, unchanged as
    many as pair with the same start and target groups.
    """
    import numpy as np
    import pandas as pd

    old, new = frames
    cut, day, far = pd.Timestamp(CUTOVER), pd.Timedelta(days=1), pd.Timestamp(FAR)
    closed = old[old["end"].notna()]
    pairs = closed[[*MERGE_KEYS, "start", "end"]].merge(
        new[[*MERGE_KEYS, "start", "end"]], on=MERGE_KEYS, suffixes=("_old", "_new"))
    new_end = pairs["end_new"].fillna(far)
    overlap = (np.maximum(pairs["start_old"], pairs["start_new"])
               <= np.minimum(pairs["end_old"], new_end))
    closure = ((pairs["end_old"] >= cut - day) & (pairs["end_old"] <= cut)
               & (pairs["start_new"] <= cut) & (new_end > cut))
    lost_history = int(((new["start"] == cut) & new["end"].isna()).sum())
    # Old active (side 0) and new (side 1) services counted per group, start and target
    # groups: the alike pair first, then any two of one group.
    same = [*MERGE_KEYS, "start", "target_groups"]
    both = pd.concat([old.loc[old["end"].isna(), same].assign(side=0), new[same].assign(side=1)],
                     ignore_index=True)
    alike = (both.groupby([*same, "side"], sort=False).size()
             .unstack("side", fill_value=0).reindex(columns=[0, 1], fill_value=0))
    per_group = alike.groupby(level=MERGE_KEYS, sort=False).sum()
    paired = int(per_group.min(axis=1).sum())
    unchanged = int(alike.min(axis=1).sum())
    return {"CM301": int(overlap.sum()), "CM302": int(closure.sum()), "CM303": lost_history,
            "NOT_RECREATED": int((per_group[0] - per_group[1]).clip(lower=0).sum()),
            "RECREATED_UNCHANGED": unchanged, "RECREATED_DIFFERS": paired - unchanged}


def pd_merge_checked(frames: tuple[Any, Any]) -> tuple[int, ...]:
    """``pd_merge`` and the checks of ``pd_merge_checks``: the work the merge does."""
    pd_merge_checks(frames)
    return pd_merge(frames)


def pd_construction(data: Dataset) -> tuple[int, ...]:
    cases = _pd_frame(data.cases, CASE_COLUMNS, ["opened", "closed"])
    services = _pd_frame(data.services, SERVICE_COLUMNS, ["start", "end"])
    return (len(cases) + len(services),)


# ---- polars ----------------------------------------------------------------------

def _pl_frame(rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    """A polars frame; the target groups (a tuple per row) are left out, as no task
    reads them and polars would build a list column for them."""
    import polars as pl

    if "target_groups" in columns:
        rows = [r[:4] + r[5:] for r in rows]
        columns = [c for c in columns if c != "target_groups"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def pl_duplicates(frame: Any) -> tuple[int, ...]:
    import polars as pl

    active = frame.filter((pl.col("opened") <= AS_OF)
                          & (pl.col("closed").is_null() | (pl.col("closed") > AS_OF)))
    sizes = active.group_by(["municipality", "citizen"]).len().filter(pl.col("len") > 1)
    return (sizes.height, int(sizes["len"].sum()))


def pl_overlap(frame: Any) -> tuple[int, ...]:
    import polars as pl

    keys = ["municipality", "citizen", "code"]
    flagged = (
        frame.sort([*keys, "start", "service_id"])
        .with_columns(pl.col("end").fill_null(FAR).alias("end_filled"))
        .with_columns(pl.col("end_filled").cum_max().shift(1).over(keys).alias("previous"))
        .filter(pl.col("start") <= pl.col("previous"))
    )
    return (flagged.height,)


def pl_merge(frames: tuple[Any, Any]) -> tuple[int, ...]:
    import polars as pl

    old, new = frames
    kept = pl.concat([old.filter(pl.col("end").is_not_null()), new])
    return (kept.height, old.height + new.height - kept.height)


def _pl_merge_prepare(data: Dataset) -> tuple[Any, Any]:
    """The two deliveries as polars frames, the target groups as text (``"1.1, 3.4"``)."""
    import polars as pl

    def frame(rows: list[tuple[Any, ...]]) -> Any:
        shown = [(*r[:4], ", ".join(sorted(r[4])), *r[5:]) for r in rows]
        return pl.DataFrame(shown, schema=SERVICE_COLUMNS, orient="row")

    return frame(data.old_services), frame(data.new_services)


def pl_merge_checks(frames: tuple[Any, Any]) -> dict[str, int]:
    """:func:`pd_merge_checks` in polars: the same counts, the same joins and groupings."""
    import polars as pl

    old, new = frames
    cut, day = CUTOVER, dt.timedelta(days=1)
    closed = old.filter(pl.col("end").is_not_null())
    pairs = closed.select([*MERGE_KEYS, "start", "end"]).join(
        new.select([*MERGE_KEYS, "start", "end"]), on=MERGE_KEYS, suffix="_new")
    new_end = pl.col("end_new").fill_null(FAR)
    counted = pairs.select(
        (pl.max_horizontal("start", "start_new") <= pl.min_horizontal("end", new_end))
        .sum().alias("overlap"),
        ((pl.col("end") >= cut - day) & (pl.col("end") <= cut)
         & (pl.col("start_new") <= cut) & (new_end > cut)).sum().alias("closure"))
    lost_history = new.filter((pl.col("start") == cut) & pl.col("end").is_null()).height
    same = [*MERGE_KEYS, "start", "target_groups"]
    both = pl.concat([old.filter(pl.col("end").is_null()).select(same)
                      .with_columns(pl.lit(1).alias("old"), pl.lit(0).alias("new")),
                      new.select(same).with_columns(pl.lit(0).alias("old"),
                                                    pl.lit(1).alias("new"))])
    alike = both.group_by(same).agg(pl.col("old").sum(), pl.col("new").sum())
    per_group = alike.group_by(MERGE_KEYS).agg(pl.col("old").sum(), pl.col("new").sum())
    paired = int(per_group.select(pl.min_horizontal("old", "new").sum()).item())
    unchanged = int(alike.select(pl.min_horizontal("old", "new").sum()).item())
    lost = int(per_group.select((pl.col("old") - pl.col("new")).clip(lower_bound=0).sum())
               .item())
    return {"CM301": int(counted["overlap"][0]), "CM302": int(counted["closure"][0]),
            "CM303": lost_history, "NOT_RECREATED": lost, "RECREATED_UNCHANGED": unchanged,
            "RECREATED_DIFFERS": paired - unchanged}


def pl_merge_checked(frames: tuple[Any, Any]) -> tuple[int, ...]:
    """``pl_merge`` and the checks of ``pl_merge_checks``."""
    pl_merge_checks(frames)
    return pl_merge(frames)


def pl_construction(data: Dataset) -> tuple[int, ...]:
    cases = _pl_frame(data.cases, CASE_COLUMNS)
    services = _pl_frame(data.services, SERVICE_COLUMNS)
    return (cases.height + services.height,)


# ---- DuckDB SQL ------------------------------------------------------------------

def _db(data: Dataset) -> Any:
    import duckdb

    connection = duckdb.connect()
    tables = {
        "cases": (data.cases, CASE_COLUMNS, ["opened", "closed"]),
        "services": (data.services, SERVICE_COLUMNS, ["start", "end"]),
        "old_services": (data.old_services, SERVICE_COLUMNS, ["start", "end"]),
        "new_services": (data.new_services, SERVICE_COLUMNS, ["start", "end"]),
    }
    for name, (rows, columns, dates) in tables.items():
        frame = _pd_frame(rows, columns, dates).drop(columns=["target_groups"], errors="ignore")
        connection.register(f"{name}_frame", frame)
        casts = ", ".join(f'CAST("{c}" AS DATE) AS "{c}"' for c in dates)
        connection.execute(f"CREATE TABLE {name} AS SELECT * REPLACE ({casts}) "
                           f"FROM {name}_frame")
        connection.unregister(f"{name}_frame")
    return connection


def db_duplicates(connection: Any) -> tuple[int, ...]:
    row = connection.execute("""
        SELECT count(*), coalesce(sum(n), 0) FROM (
            SELECT count(*) AS n FROM cases
            WHERE opened <= ? AND (closed IS NULL OR closed > ?)
            GROUP BY municipality, citizen HAVING count(*) > 1)
    """, [AS_OF, AS_OF]).fetchone()
    return (int(row[0]), int(row[1]))


def db_overlap(connection: Any) -> tuple[int, ...]:
    row = connection.execute("""
        SELECT count(*) FROM (
            SELECT start, max(coalesce("end", DATE '9999-12-31')) OVER (
                PARTITION BY municipality, citizen, code ORDER BY start, service_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous
            FROM services)
        WHERE start <= previous
    """).fetchone()
    return (int(row[0]),)


def db_merge(connection: Any) -> tuple[int, ...]:
    row = connection.execute("""
        SELECT (SELECT count(*) FROM old_services WHERE "end" IS NOT NULL)
             + (SELECT count(*) FROM new_services),
               (SELECT count(*) FROM old_services WHERE "end" IS NULL)
    """).fetchone()
    return (int(row[0]), int(row[1]))


def _identity(data: Dataset) -> Dataset:
    return data


# ---- tables in: frames to records -------------------------------------------------

def cm_frame_baseline(data: Dataset) -> tuple[int, ...]:
    """Today's way: ``Case.from_rows`` on the tuples."""
    from casemigrate import Case

    return (len(Case.from_rows(data.cases)), 0)


def _cm_read(errors: str) -> Callable[[Any], tuple[int, ...]]:
    def run(frame: Any) -> tuple[int, ...]:
        from casemigrate import read_cases

        read = read_cases(frame, errors=errors)  # type: ignore[arg-type]
        return (len(read.records), read.refusals.refused_rows)

    return run


def _cm_read_rows(data: Dataset) -> tuple[int, ...]:
    from casemigrate import read_cases

    read = read_cases(data.cases, errors="collect")
    return (len(read.records), read.refusals.refused_rows)


def _py_frame(data: Dataset) -> tuple[int, ...]:
    return (len(data.cases), 0)
# ---- adversarial shapes ---------------------------------------------------------------

PLACEHOLDER = "010101-0000"  # what an extract puts where the citizen is unknown


def _open_services(data: Dataset) -> list[tuple[Any, ...]]:
    start = dt.date(2020, 1, 1)
    rows: list[tuple[Any, ...]] = [
        (f"A{i}", MUNICIPALITY, PLACEHOLDER, "SEL107", ("1.1",),
         start + dt.timedelta(days=i % 2000), None, OLD) for i in range(data.size)]
    rows.append(("B", MUNICIPALITY, PLACEHOLDER, "SEL107", ("1.1",), dt.date(2019, 1, 1),
                 None, NEW))
    return rows


def cm_adversarial_overlap(services: list[Any]) -> tuple[int, ...]:
    from casemigrate import find_service_overlaps

    found = find_service_overlaps(services, cutover=CUTOVER)
    return (sum(1 for f in found if f.code == "CM301"),)


def col_adversarial_overlap(table: Any) -> tuple[int, ...]:
    """The same shape as an Arrow table, through the columnar engine."""
    from casemigrate import find_service_overlaps

    found = find_service_overlaps(table, cutover=CUTOVER)
    return (found.counts().get("CM301", 0),)


def py_adversarial_overlap(rows: list[tuple[Any, ...]]) -> tuple[int, ...]:
    """Pairs from different systems that share a day: all pairs less same-system ones.

    Overlapping pairs are counted in O(n log n) with a Fenwick tree over the end days.
    """
    groups: defaultdict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        if row[5] is not None:
            groups[(row[1], row[2], row[3])].append(row)

    def overlapping_pairs(members: list[tuple[Any, ...]]) -> int:
        ends = sorted({(r[6] or FAR) for r in members})
        rank = {end: index + 1 for index, end in enumerate(ends)}
        tree = [0] * (len(ends) + 1)
        count = 0
        for seen, row in enumerate(sorted(members, key=lambda r: r[5])):
            # the earlier services that end before this one starts do not overlap it
            index = bisect.bisect_left(ends, row[5])
            ended = 0
            while index > 0:
                ended += tree[index]
                index -= index & -index
            count += seen - ended
            index = rank[row[6] or FAR]
            while index <= len(ends):
                tree[index] += 1
                index += index & -index
        return count

    total = 0
    for members in groups.values():
        total += overlapping_pairs(members)
        by_system: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in members:
            by_system[row[7]].append(row)
        total -= sum(overlapping_pairs(same) for same in by_system.values())
    return (total,)


def _twin_cases(data: Dataset) -> list[Any]:
    from casemigrate import Case

    opened = dt.date(2020, 1, 1)
    return [Case(case_id=f"{kind[0].upper()}{i}", municipality=MUNICIPALITY,
                 citizen=PLACEHOLDER, system="KMD Sag", opened=opened, kle="27.60.00",
                 origin=kind)
            for kind in ("manual", "system") for i in range(data.size)]


def cm_adversarial_mass_close(cases: list[Any]) -> tuple[int, ...]:
    from casemigrate import find_mass_close_candidates

    found = [f for f in find_mass_close_candidates(cases, as_of=AS_OF) if f.code == "CM406"]
    return (len(found), sum(len(f.subjects) for f in found))


def py_adversarial_mass_close(cases: list[Any]) -> tuple[int, ...]:
    groups: defaultdict[tuple[str, str], dict[str, int]] = defaultdict(Counter)
    for case in cases:
        groups[(case.citizen.masked, str(case.kle))][case.origin.value] += 1
    twins = [g for g in groups.values() if g["manual"] and g["system"]]
    return (len(twins), sum(g["manual"] + g["system"] for g in twins))


WITHOUT_PYARROW = "-nopa"
"""Suffix of a pandas implementation run in a process where pyarrow cannot be imported."""

TASKS: dict[str, dict[str, Impl]] = {
    "duplicates": {
        "casemigrate": Impl(_cm_cases, cm_duplicates),
        "columnar": Impl(lambda d: _arrow(d.cases, CASE_COLUMNS), col_duplicates_counted),
        "columnar-rules": Impl(lambda d: _columns_of("cases", d.cases, CASE_COLUMNS),
                               col_rules_duplicates),
        "columnar-pandas": Impl(lambda d: _pd_frame(d.cases, CASE_COLUMNS, ["opened", "closed"]),
                                col_duplicates_counted),
        "columnar-danish": Impl(lambda d: _danish_csv(d.cases, CASE_COLUMNS),
                                col_duplicates_danish),
        "plain": Impl(lambda d: d.cases, py_duplicates),
        "pandas": Impl(lambda d: _pd_frame(d.cases, CASE_COLUMNS, ["opened", "closed"]),
                       pd_duplicates),
        "polars": Impl(lambda d: _pl_frame(d.cases, CASE_COLUMNS), pl_duplicates),
        "duckdb": Impl(_db, db_duplicates),
    },
    "overlap": {
        "casemigrate": Impl(lambda d: _cm_services(d.services), cm_overlap),
        "columnar": Impl(lambda d: _arrow(d.services, SERVICE_COLUMNS), col_overlap),
        "columnar-rules": Impl(lambda d: _columns_of("services", d.services, SERVICE_COLUMNS),
                               col_rules_overlap),
        "columnar-pandas": Impl(
            lambda d: _pd_frame(d.services, SERVICE_COLUMNS, ["start", "end"]), col_overlap),
        "columnar-danish": Impl(lambda d: _danish_csv(d.services, SERVICE_COLUMNS),
                                col_overlap_danish),
        "plain": Impl(lambda d: d.services, py_overlap),
        "pandas": Impl(lambda d: _pd_frame(d.services, SERVICE_COLUMNS, ["start", "end"]),
                       pd_overlap_cummax),
        "pandas-shift": Impl(lambda d: _pd_frame(d.services, SERVICE_COLUMNS, ["start", "end"]),
                             pd_overlap_shift, correct=False),
        "polars": Impl(lambda d: _pl_frame(d.services, SERVICE_COLUMNS), pl_overlap),
        "duckdb": Impl(_db, db_overlap),
    },
    "merge": {
        "casemigrate": Impl(_cm_deliveries, cm_merge),
        "casemigrate-basis": Impl(_cm_deliveries, cm_merge_basis),
        "columnar": Impl(_delivery_tables, col_merge),
        "columnar-basis": Impl(_delivery_tables, col_merge_basis),
        "columnar-rules": Impl(_merge_read, col_rules_merge),
        "columnar-pandas": Impl(_delivery_frames, col_merge),
        "plain": Impl(_identity, py_merge),
        "pandas": Impl(_pd_merge_prepare, pd_merge),
        "pandas-checked": Impl(_pd_merge_prepare, pd_merge_checked),
        "polars": Impl(lambda d: (_pl_frame(d.old_services, SERVICE_COLUMNS),
                                  _pl_frame(d.new_services, SERVICE_COLUMNS)), pl_merge),
        "polars-checked": Impl(_pl_merge_prepare, pl_merge_checked),
        "duckdb": Impl(_db, db_merge),
    },
    "adversarial-overlap": {
        "casemigrate": Impl(lambda d: _cm_services(_open_services(d)), cm_adversarial_overlap),
        "columnar": Impl(lambda d: _arrow(_open_services(d), SERVICE_COLUMNS),
                         col_adversarial_overlap),
        "plain": Impl(_open_services, py_adversarial_overlap),
    },
    "adversarial-mass-close": {
        "casemigrate": Impl(_twin_cases, cm_adversarial_mass_close),
        "plain": Impl(_twin_cases, py_adversarial_mass_close),
    },
    "construction": {
        "casemigrate": Impl(_identity, cm_construction),
        "casemigrate-each": Impl(_identity, cm_construction_each),
        "columnar": Impl(lambda d: (_arrow(d.cases, CASE_COLUMNS),
                                    _arrow(d.services, SERVICE_COLUMNS)), col_construction),
        "plain": Impl(_identity, py_construction),
        "pandas": Impl(_identity, pd_construction),
        "polars": Impl(_identity, pl_construction),
    },
    "frame": {
        "casemigrate": Impl(_identity, cm_frame_baseline),
        "plain": Impl(_identity, _py_frame),
        "cm-rows-collect": Impl(_identity, _cm_read_rows),
        "cm-pandas": Impl(lambda d: _pd_frame(d.cases, CASE_COLUMNS, ["opened", "closed"]),
                          _cm_read("raise")),
        "cm-pandas-collect": Impl(
            lambda d: _pd_frame(d.cases, CASE_COLUMNS, ["opened", "closed"]),
            _cm_read("collect")),
        "cm-polars": Impl(lambda d: _pl_frame(d.cases, CASE_COLUMNS), _cm_read("raise")),
        "cm-polars-collect": Impl(lambda d: _pl_frame(d.cases, CASE_COLUMNS),
                                  _cm_read("collect")),
    },
}

for _impls in TASKS.values():
    if "pandas" in _impls:
        _impls["pandas" + WITHOUT_PYARROW] = _impls["pandas"]
