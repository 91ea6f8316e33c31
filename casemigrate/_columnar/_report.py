"""The readiness report over tables: the checks' lazy blocks and a few objects, one sequence.

:func:`casemigrate.check_readiness` reads a table once into columns and runs each check
that has a columnar twin on them: its findings come back as blocks of arrays
(:mod:`._table`). The checks that read records (the plan, the deliveries, the merge)
give a few :class:`~casemigrate.Finding` objects. :class:`ReportFindings` combines
both, per code, into one sequence in the canonical order of
:func:`casemigrate.sort_findings` (severity, code, subjects, then message), with the
report's ``select``/``ignore`` and severity overrides applied per block and the
report's de-duplication done per block: a :class:`Finding` is built only where it is
read, or where two findings have the same subjects and must be compared.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, overload

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate._columnar._columns import OLD, CaseColumns, day_number, plan_roles
from casemigrate._columnar._table import Block, FindingTable, Parts, shown_subjects
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.findings import _tie_key as tie_key
from casemigrate.plan import CutoverPlan

__all__ = ["ReportFindings", "combine", "frame_columns", "in_register", "severity_in",
           "take_cases"]

Array = Any
_CHUNK: Final = 65_536
_SEPARATOR: Final = "\x00"  # below every character of an id (ids are printable)


# ---- cases: a row filter over columns ----------------------------------------------

def take_cases(columns: CaseColumns, rows: Array) -> CaseColumns:
    """The cases of ``rows`` (indices into ``columns``), as columns of their own.

    The refusals and extra columns stay those of the whole read; ``rows`` of the
    result are the chosen rows' input positions.
    """
    rows = np.asarray(rows, dtype=np.int64)
    return CaseColumns(
        case_id=columns.case_id.take(pa.array(rows, type=pa.int64())),
        municipality=columns.municipality[rows], citizen=columns.citizen[rows],
        system=columns.system[rows], systems=columns.systems, opened=columns.opened[rows],
        closed=columns.closed[rows], rows=columns.rows[rows], refusals=columns.refusals,
        extra_columns=columns.extra_columns)


def in_register(columns: CaseColumns, plan: CutoverPlan, as_of: dt.date) -> CaseColumns:
    """The plan's municipality's cases in the register, less the courses DST deleted.

    The record path's ``readiness._Inputs.in_register`` as a row filter: another
    municipality's cases are out of the plan's scope, and old-system courses active
    on the plan's recorded ``delete_active_courses`` date (before the cutover, and
    not after ``as_of``) are no longer in the register.
    """
    keep = columns.municipality == plan.municipality.code
    deleted_on = plan.done_on("delete_active_courses")
    if deleted_on is not None and deleted_on < plan.cutover and as_of >= deleted_on:
        day = day_number(deleted_on)
        old = plan_roles(columns, plan) == OLD
        keep &= ~(old & (columns.opened <= day) & (columns.closed > day))
    if keep.all():
        return columns
    return take_cases(columns, np.flatnonzero(keep))


# ---- one code's findings -----------------------------------------------------------

def _with(finding: Finding, severity: Severity) -> Finding:
    return finding if finding.severity is severity else attrs.evolve(finding, severity=severity)


def _same(a: Finding, b: Finding) -> bool:
    """The report's notion of one finding: code, subjects and details (severity is the code's)."""
    return a.code == b.code and a.subjects == b.subjects and a.details == b.details


class _Objects(Sequence[Finding]):
    """Findings of one severity and code already built, in canonical order."""

    def __init__(self, rule: Rule, severity: Severity, findings: list[Finding]) -> None:
        self.rule, self.severity, self.findings = rule, severity, findings

    def __len__(self) -> int:
        return len(self.findings)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        return self.findings[index]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)


def _subject_keys(block: Block) -> pa.Array:
    """Each finding's subjects as one string, in the block's sorted order.

    Ids as a finding shows them (one that is a CPR number masked: ``shown_ids``),
    joined by a character below any id's, so the strings compare and sort as the
    findings' subjects do.
    """
    return pc.binary_join(shown_subjects(block), _SEPARATOR)


class _Lazy(Sequence[Finding]):
    """One code's findings: a block of arrays, less repeats, with a few objects merged in.

    ``source`` maps each position to a sorted position of the block (``>= 0``) or to
    an object (``-1 - index``); ``None`` when the block's own order is the order.
    """

    def __init__(self, block: Block, severity: Severity,
                 objects: list[tuple[int, Finding]], check: int) -> None:
        self.block = block
        self.rule = block.rule
        self.severity = severity
        self.objects: list[Finding] = []
        self.source: Array | None = None
        self._size = block.size
        keys = _subject_keys(block) if block.size > 1 or objects else None
        drop = self._repeats(keys) if keys is not None and block.size > 1 else []
        if not drop and not objects:
            return
        keep = np.ones(block.size, dtype=bool)
        keep[drop] = False
        kept = np.flatnonzero(keep)
        pieces: list[Array] = []
        cursor = 0
        for lo, hi, run in self._insertions(keys, keep, objects, check):
            pieces.append(kept[(kept >= cursor) & (kept < lo)])
            codes = []
            for item in run:
                if isinstance(item, Finding):
                    self.objects.append(item)
                    codes.append(-len(self.objects))
                else:
                    codes.append(item)
            pieces.append(np.array(codes, dtype=np.int64))
            cursor = hi
        pieces.append(kept[kept >= cursor])
        self.source = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        self._size = len(self.source)

    def make(self, position: int) -> Finding:
        """The finding at sorted position ``position`` of the block, severity overridden."""
        return _with(self.block.make(int(self.block.order[position])), self.severity)

    def _repeats(self, keys: pa.Array) -> list[int]:
        """Sorted positions repeating an earlier finding of the block (same subjects, details).

        Findings with equal subjects sit next to each other: only those are built.
        """
        equal = np.asarray(pc.equal(keys.slice(1), keys.slice(0, len(keys) - 1))
                           .to_numpy(zero_copy_only=False), dtype=bool)
        if not equal.any():
            return []
        tied = np.flatnonzero(equal)
        members = np.union1d(tied, tied + 1).tolist()
        drop: list[int] = []
        run: list[Finding] = []
        for at in members:
            if at == 0 or not equal[at - 1]:
                run = []  # a new run of equal subjects
            finding = self.make(at)
            if any(_same(finding, other) for other in run):
                drop.append(at)
            else:
                run.append(finding)
        return drop

    def _insertions(self, keys: pa.Array | None, keep: Array,
                    objects: list[tuple[int, Finding]], check: int
                    ) -> list[tuple[int, int, list[Finding | int]]]:
        """Where the objects go among the block's sorted positions, repeats left out.

        ``(lo, hi, run)`` in ascending order: positions ``lo:hi`` of the block have
        the subjects of the objects that go there (none: the objects go before
        ``lo``), and ``run`` is those positions and objects in canonical order: by
        subjects, message and details, then the order the checks ran in, as
        :func:`sort_findings` keeps it.
        """
        if not objects or keys is None:
            return []
        view = _Keys(keys)
        # Per range: (check, sequence, finding, position or None).
        runs: dict[tuple[int, int], list[tuple[int, int, Finding, int | None]]] = {}
        for index, (at, finding) in enumerate(objects):
            lo, hi, equal = view.range(_SEPARATOR.join(finding.subjects))
            if any(_same(finding, self.make(position)) for position in equal
                   if keep[position]):
                continue  # a repeat of one of the block's
            run = runs.get((lo, hi))
            if run is None:
                run = runs[(lo, hi)] = [(check, position, self.make(position), position)
                                        for position in range(lo, hi) if keep[position]]
            run.append((at, self.block.size + index, finding, None))
        out: list[tuple[int, int, list[Finding | int]]] = []
        for (lo, hi), run in sorted(runs.items()):
            run.sort(key=lambda item: (item[2].subjects, tie_key(item[2]), item[0], item[1]))
            out.append((lo, hi, [item[2] if item[3] is None else item[3] for item in run]))
        return out

    def __len__(self) -> int:
        return self._size

    def _at(self, index: int) -> Finding:
        if self.source is None:
            return self.make(index)
        code = int(self.source[index])
        return self.make(code) if code >= 0 else self.objects[-1 - code]

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | Sequence[Finding]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step == 1:
                return list(self._chunk(start, stop))
            return [self._at(i) for i in range(start, stop, step)]
        position = index + self._size if index < 0 else index
        if not 0 <= position < self._size:
            raise IndexError("finding index out of range")
        return self._at(position)

    def _chunk(self, start: int, stop: int) -> Iterator[Finding]:
        """Findings ``start:stop``, the block's built with one pass over its arrays."""
        if start >= stop:
            return
        order = self.block.order
        if self.source is None:
            made = self.block.make_many(order[start:stop])
            yield from (_with(f, self.severity) for f in made)
            return
        codes = self.source[start:stop]
        lazy = codes >= 0
        built = iter(self.block.make_many(order[codes[lazy]]))
        for code, is_lazy in zip(codes.tolist(), lazy.tolist(), strict=True):
            yield _with(next(built), self.severity) if is_lazy else self.objects[-1 - code]

    def __iter__(self) -> Iterator[Finding]:
        for at in range(0, self._size, _CHUNK):
            yield from self._chunk(at, min(at + _CHUNK, self._size))


class _Keys:
    """Binary search over an Arrow string array, reading only the probed values.

    The block's order sorts its subjects as shown, except where an id is a CPR number
    (the engine orders by the ids as given, ``docs/edge-values.md``): then the keys
    are not sorted, and the findings of a key are found by one comparison with all.
    """

    def __init__(self, keys: pa.Array) -> None:
        self.keys = keys
        self.ordered = len(keys) < 2 or bool(pc.all(pc.less_equal(
            keys.slice(0, len(keys) - 1), keys.slice(1))).as_py())

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: int) -> str:
        value: str = self.keys[index].as_py()
        return value

    def range(self, key: str) -> tuple[int, int, list[int]]:
        """``(lo, hi, equal)``: the positions whose key is ``key``, and where it goes.

        Sorted keys: ``equal`` is ``range(lo, hi)`` (empty: ``lo == hi`` is where the
        key goes). Otherwise ``equal`` is every position of the key, wherever it is,
        and ``lo == hi`` the place a binary search gives.
        """
        lo = bisect.bisect_left(self, key)
        if self.ordered:
            hi = bisect.bisect_right(self, key)
            return lo, hi, list(range(lo, hi))
        equal = np.flatnonzero(np.asarray(pc.equal(self.keys, key).fill_null(False)
                                          .to_numpy(zero_copy_only=False), dtype=bool))
        return lo, lo, equal.tolist()


# ---- the report's findings ---------------------------------------------------------

Group = _Objects | _Lazy


class ReportFindings(Parts):
    """A readiness report's findings: a lazy sequence in canonical order.

    Per severity and code one group: either findings already built, or a block of
    the columnar engine's arrays (with any findings of other checks of the same code
    merged in and repeats left out). Length, counts and the groups are read without
    building a finding; one is built when indexed or iterated. It compares equal to
    the tuple of the same findings.
    """

    def __init__(self, groups: list[Group]) -> None:
        self._groups = sorted((g for g in groups if len(g)),
                              key=lambda g: (g.severity, g.rule.code))
        self._sized([len(g) for g in self._groups])

    def _piece(self, part: int, low: int, high: int) -> Sequence[Finding]:
        return self._groups[part][low:high]  # a block's piece in one pass over its arrays

    def _each(self, part: int) -> Iterator[Finding]:
        return iter(self._groups[part])

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (or deep-copied) as the tuple of its findings, which it equals: the
        # engine's blocks hold arrays and makers that are not for keeping.
        return (tuple, (tuple(self),))

    def __repr__(self) -> str:
        return f"<ReportFindings of {len(self)} findings: {self.counts_by_code()}>"

    def by_code(self) -> list[tuple[Severity, str, Rule, Sequence[Finding]]]:
        """``(severity, code, rule, findings)`` per code, worst first; no finding built."""
        return [(g.severity, g.rule.code, g.rule, g) for g in self._groups]

    def tally(self) -> dict[tuple[Severity, str], int]:
        """How many findings per (severity, code); no finding built."""
        out: dict[tuple[Severity, str], int] = {}
        for group in self._groups:
            key = (group.severity, group.rule.code)
            out[key] = out.get(key, 0) + len(group)
        return out

    def counts_by_code(self) -> dict[str, int]:
        """How many findings per code, in code order; no finding built."""
        out: dict[str, int] = {}
        for (_, code), count in self.tally().items():
            out[code] = out.get(code, 0) + count
        return dict(sorted(out.items()))


def combine(parts: Iterable[tuple[int, Iterable[Finding] | FindingTable]],
            keep: Callable[[str], bool],
            severity_of: Callable[[str, Severity], Severity]) -> ReportFindings:
    """The findings of the checks, as the report holds them.

    Args:
        parts: ``(check, findings)`` per check in the order they ran: findings built,
            or a :class:`FindingTable` of the columnar engine.
        keep: Whether the report keeps a code (``select`` and ``ignore``).
        severity_of: A code's severity in the report, given its own (the overrides).

    Two checks can report the same finding only with the same code, so the report's
    de-duplication (code, subjects and details) is done per code: a block keeps its
    own repeats out by comparing the findings of equal subjects, which sit next to
    each other in its order, and an object of another check with a block's code is
    compared with the block's findings of its subjects (found by binary search).
    Which codes two checks share is known (the merge and the service checks both
    report CM301-CM303, CM315 and CM316; the duplicate and the blocking check both
    count cases without a citizen in CM205), but nothing here depends on it: where
    two blocks share a code, the smaller one's findings are built.
    """
    lazy: dict[str, list[tuple[int, Block]]] = {}
    built: dict[str, list[tuple[int, Finding]]] = {}
    rules: dict[str, Rule] = {}
    for check, found in parts:
        if isinstance(found, FindingTable):
            for block in found._blocks:  # the engine's own table
                if keep(block.code):
                    lazy.setdefault(block.code, []).append((check, block))
                    rules[block.code] = block.rule
            continue
        for finding in found:
            if keep(finding.code):
                built.setdefault(finding.code, []).append(
                    (check, _with(finding, severity_of(finding.code, finding.severity))))
                rules[finding.code] = finding.rule
    groups: list[Group] = []
    for code, rule in rules.items():
        blocks = sorted(lazy.get(code, []), key=lambda item: -item[1].size)
        objects = built.get(code, [])
        # A block's findings have their rule's severity.
        severity = severity_of(code, rule.severity)
        for check, block in blocks[1:]:
            objects += [(check, _with(block.make(int(row)), severity)) for row in block.order]
        objects = _unique(objects)
        if not blocks:
            by_severity: dict[Severity, list[Finding]] = {}
            for finding in sort_findings(f for _, f in objects):
                by_severity.setdefault(finding.severity, []).append(finding)
            groups += [_Objects(rule, severity, found)
                       for severity, found in by_severity.items()]
            continue
        check, block = blocks[0]
        objects.sort(key=lambda item: (item[1].subjects, tie_key(item[1]), item[0]))
        groups.append(_Lazy(block, severity, objects, check))
    return ReportFindings(groups)


def _unique(objects: list[tuple[int, Finding]]) -> list[tuple[int, Finding]]:
    """Each finding once (code, subjects and details), the first kept."""
    seen: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    out = []
    for check, finding in objects:
        same = seen.setdefault((finding.code, finding.subjects), [])
        if not any(other.details == finding.details for other in same):
            same.append(finding)
            out.append((check, finding))
    return out


def severity_in(overrides: Mapping[str, Severity]) -> Callable[[str, Severity], Severity]:
    """A code's severity under ``overrides`` (by code or prefix, the longest prefix wins).

    The function takes the code and the severity it has without an override.
    """
    def severity(code: str, own: Severity) -> Severity:
        for prefix, override in overrides.items():  # shortest first
            if code.startswith(prefix):
                own = override
        return own
    return severity


def frame_columns(findings: ReportFindings, *, language: str, subjects: str,
                  register: str | None) -> dict[str, list[Any]]:
    """The columns of :func:`casemigrate.frames.finding_rows`'s rows, built column by column.

    The name, severity, hint and citation of a code are read once per code; each
    finding is built in turn for its message, subjects and details (a message is
    made from its details), and not kept: a chunk of the block's arrays at a time.
    """
    from casemigrate.frames import FINDING_COLUMNS, cell  # noqa: PLC0415
    from casemigrate.tables import mask  # noqa: PLC0415

    columns: dict[str, list[Any]] = {name: [] for name in FINDING_COLUMNS}
    details: dict[str, list[Any]] = {}
    rows = 0
    # A day's or a period's cell once per distinct value (they repeat across findings);
    # only these, whose equal values show alike (not so 1 and True in a tuple).
    shown: dict[tuple[type, Any], Any] = {}

    def show(value: Any) -> Any:
        kind = type(value)
        if kind is not dt.date and not (isinstance(value, tuple) and all(
                item is None or type(item) is dt.date for item in value)):
            return cell(value, language)
        made = shown.get((kind, value))
        if made is None:
            if len(shown) > 100_000:
                shown.clear()
            made = shown[(kind, value)] = cell(value, language)
        return made

    for severity, code, rule, group in findings.by_code():
        before = rows
        hint = rule.hint_in(language)
        plain = rule.citation_in(language, register=register)
        messages, cited, listed = columns["message"], columns["citation"], columns["subjects"]
        for finding in group:
            ids = [mask(subject) for subject in finding.subjects]
            message = finding.message_in(language)  # masked already, as mask() would
            # A finding that cites a milestone's source too (CM106, CM108) says so itself.
            citation = (plain if "source" not in finding.details
                        else finding.citation_in(language, register=register))
            values = finding.details
            if subjects == "explode" and ids:
                count = len(ids)
                listed.extend(ids)
            else:
                count = 1
                listed.append(ids if subjects == "list" else ", ".join(ids)
                              if subjects == "text" else None)
            messages.extend([message] * count)
            cited.extend([citation] * count)
            for key, value in values.items():
                column = details.get(key)
                if column is None:
                    column = details[key] = [None] * rows
                column.extend([show(value)] * count)
            rows += count
            for column in details.values():
                if len(column) < rows:
                    column.extend([None] * (rows - len(column)))
        added = rows - before
        columns["code"].extend([code] * added)
        columns["name"].extend([rule.name] * added)
        columns["severity"].extend([severity.name] * added)
        columns["hint"].extend([hint] * added)
    columns.update({f"detail_{key}": details[key] for key in sorted(details)})
    return columns
