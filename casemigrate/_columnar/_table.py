"""Findings as a lazy table: arrays in, :class:`~casemigrate.Finding` objects on demand.

A rule over columns produces one *block* per finding code: the rows of the records
each finding is about, in arrays. :class:`FindingTable` orders the blocks by severity
and code, and each block orders its own rows by subjects with the array library, so
the table is in the catalogue's canonical order (:func:`casemigrate.sort_findings`)
without a single object. A :class:`Finding` is built only when one is indexed or
iterated. Where two findings of a block have the same subjects, the canonical order
falls back on the message: those few are built and sorted by it, exactly as
``sort_findings`` does.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from casemigrate.exceptions import InvalidArgument, mask_cpr_id
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.findings import _tie_key as tie_key

Array = Any
_CHUNK = 65_536  # findings built per pass over the arrays when iterating
# ``casemigrate.exceptions._WHOLE_CPR`` for RE2: ``\d`` of a Python str pattern is any
# Unicode decimal digit (category Nd). A match is masked by ``mask_cpr_id`` itself.
_WHOLE_CPR = r"^\p{Nd}{6}-?\p{Nd}{4}$"


def shown_ids(ids: pa.Array) -> pa.Array:
    """``ids`` as a finding shows them: an id that is a CPR number masked.

    A :class:`~casemigrate.Finding` masks such a subject (``211062-****``); an export
    of the arrays must too. One regular-expression pass over the column; only the hits
    are rewritten.
    """
    if not len(ids):
        return ids
    hit = np.asarray(pc.match_substring_regex(ids, _WHOLE_CPR).fill_null(False)
                     .to_numpy(zero_copy_only=False), dtype=bool)
    if not hit.any():
        return ids
    values = ids.to_pylist()
    for at in np.flatnonzero(hit).tolist():
        values[at] = mask_cpr_id(values[at])
    return pa.array(values, type=pa.string())


def shown_subjects(block: Block) -> pa.Array:
    """Each finding's subjects of ``block`` as its :class:`Finding` shows them (a list array).

    The ids in the block's order; where one is a CPR number it is masked, and that
    finding's list is sorted and de-duplicated again, as :meth:`Finding.of` does with
    the masked ids (two such ids may mask alike, and masking moves them in the order).
    """
    offsets, rows = block.subject_lists()
    taken = block.subject_ids().take(pa.array(rows, type=pa.int64()))
    shown = shown_ids(taken)
    if shown is taken:
        kind = pa.int64() if int(offsets[-1]) >= 2**31 - 1 else pa.int32()
        return (pa.LargeListArray if kind == pa.int64() else pa.ListArray).from_arrays(
            pa.array(offsets, type=kind), taken)
    values = shown.to_pylist()
    bounds = np.asarray(offsets).tolist()
    return pa.array([sorted(set(values[low:high])) for low, high in
                     itertools.pairwise(bounds)], type=pa.list_(pa.string()))


def dense_ranks(ids: pa.Array, rows: Array) -> Array:
    """Ranks of ``ids[rows]`` in Python's string order (equal ids: equal ranks, from 1)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    taken = ids.take(pa.array(rows, type=pa.int64()))
    return np.asarray(pc.rank(taken, sort_keys="ascending", tiebreaker="dense")
                      .to_numpy(zero_copy_only=False), dtype=np.int64)


def stable_order(key: Array) -> Array:
    """``np.argsort(key, kind="stable")`` for an integer key, by one sort of values.

    Where the key's range leaves room, each row's position is packed below its key and
    the packed values are sorted (numpy's value sort is several times faster than its
    stable argsort); the positions come back from the low bits. The same order: the
    packed values are distinct, and equal keys are ordered by position.
    """
    size = len(key)
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = int(key.min()), int(key.max())
    bits = max(size - 1, 1).bit_length()
    if high - low >= 1 << (63 - bits):
        return np.argsort(key, kind="stable")
    packed = (np.asarray(key, dtype=np.int64) - low) << bits
    packed |= np.arange(size, dtype=np.int64)
    packed.sort()
    packed &= (1 << bits) - 1
    return packed


class Block:
    """The findings of one code, as arrays, in canonical order once :meth:`sort` ran.

    Subclasses say how to build finding ``row`` (:meth:`make`) and its subjects as
    row indices of the input (:meth:`subject_rows`). ``rule`` is the rule object of
    the catalogue, as the record path passes it to :meth:`Finding.of`.
    """

    rule: Rule
    size: int
    order: Array

    @property
    def code(self) -> str:
        """The rule's code."""
        return self.rule.code

    def make(self, row: int) -> Finding:
        """Finding ``row`` (an index in the block's own arrays, not the sorted position)."""
        raise NotImplementedError

    def make_many(self, rows: Array) -> list[Finding]:
        """Findings ``rows``, in that order: one pass over the arrays for many findings."""
        return [self.make(int(row)) for row in rows]

    def detail_values(self, rows: Array) -> dict[str, list[Any]] | None:
        """The details of findings ``rows`` as lists, one per name, with no finding built.

        The values :meth:`make` would give :meth:`Finding.of` (its message is rendered
        from them). ``None``: the block makes its findings as records only.
        """
        return None

    def detail(self, name: str) -> pa.Array | None:
        """Detail ``name`` of every finding as an Arrow array, in sorted order.

        ``None``: the block's findings have no such detail, or it is not an array.
        """
        return None

    def subject_ids(self) -> pa.Array:
        """The id column the subjects come from."""
        raise NotImplementedError

    def subject_lists(self) -> tuple[Array, Array]:
        """``(offsets, rows)``: the input rows of each finding's subjects, sorted order."""
        raise NotImplementedError

    def settle_ties(self, equal_to_next: Array) -> None:
        """Reorder runs of equal subjects by message and details, as :func:`sort_findings` does.

        ``equal_to_next[k]`` says that sorted positions ``k`` and ``k + 1`` have equal
        subjects. The order within a run is the generation order, and Python's sort
        is stable, so equal messages keep it.
        """
        if not equal_to_next.any():
            return
        starts = np.flatnonzero(equal_to_next & ~np.concatenate(([False], equal_to_next[:-1])))
        for start in starts:
            stop = start + 1
            while stop < len(equal_to_next) and equal_to_next[stop]:
                stop += 1
            rows = list(self.order[start:stop + 1])
            rows.sort(key=lambda row: tie_key(self.make(int(row))))
            self.order[start:stop + 1] = rows


class LazyOrder(Block):
    """A block whose canonical order is made when first read: counting needs none.

    Subclasses keep their subjects' ranks and say how they order (:meth:`ordered`).
    """

    _order: Array = None

    def ordered(self) -> tuple[Array, Array]:
        """The sorted positions and which equal the next (as :func:`sort_rows` gives)."""
        raise NotImplementedError

    @property
    def order(self) -> Array:
        """The positions in canonical order, made (and ties settled) on first read."""
        if self._order is None:
            self._order, equal = self.ordered()
            self.settle_ties(equal)
        return self._order

    @order.setter
    def order(self, value: Array) -> None:
        self._order = value


class Found(Block):
    """Findings of one rule already built (by the record path), in canonical order."""

    def __init__(self, rule: Rule, findings: list[Finding]) -> None:
        self.rule = rule
        self.findings = findings
        self.size = len(findings)
        self.order = np.arange(self.size, dtype=np.int64)

    def make(self, row: int) -> Finding:
        return self.findings[row]

    def subject_ids(self) -> pa.Array:
        return pa.array([s for f in self.findings for s in f.subjects], type=pa.string())

    def subject_lists(self) -> tuple[Array, Array]:
        lengths = [len(f.subjects) for f in self.findings]
        offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        return offsets, np.arange(int(offsets[-1]), dtype=np.int64)


class Parts(Sequence[Finding]):
    """A sequence of findings made of parts in order, each part indexed on its own.

    The shared shape of :class:`FindingTable` (parts: the engine's blocks) and a
    readiness report's findings (parts: blocks and built findings): length and the
    part of a position come from the parts' sizes; a slice is each part's piece, made
    in one pass over its arrays; it compares equal to any sequence of the same
    findings. Subclasses call :meth:`_sized` and say how a part's findings are made.
    """

    _offsets: Array

    def _sized(self, sizes: list[int]) -> None:
        self._offsets = np.cumsum([0, *sizes])

    def _piece(self, part: int, low: int, high: int) -> Sequence[Finding]:
        """Findings ``low`` to ``high`` (positions within the part), in order."""
        raise NotImplementedError

    def _each(self, part: int) -> Iterator[Finding]:
        """Every finding of the part, in order."""
        raise NotImplementedError

    def __len__(self) -> int:
        return int(self._offsets[-1])

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Finding, ...]: ...

    def __getitem__(self, index: int | slice) -> Finding | tuple[Finding, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return tuple(self[i] for i in range(start, stop, step))
            out: list[Finding] = []
            for part in range(len(self._offsets) - 1):
                first = int(self._offsets[part])
                low = max(start - first, 0)
                high = min(stop, int(self._offsets[part + 1])) - first
                if low < high:
                    out.extend(self._piece(part, low, high))
            return tuple(out)
        try:
            index = operator.index(index)
        except TypeError:
            raise TypeError(f"finding indices must be integers or slices, not "
                            f"{type(index).__name__}") from None
        size = len(self)
        position = index + size if index < 0 else index
        if not 0 <= position < size:
            raise IndexError("finding index out of range")
        part = int(np.searchsorted(self._offsets, position, side="right")) - 1
        at = position - int(self._offsets[part])
        return self._piece(part, at, at + 1)[0]

    def __iter__(self) -> Iterator[Finding]:
        for part in range(len(self._offsets) - 1):
            yield from self._each(part)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                      strict=True))

    def __hash__(self) -> int:
        # As the tuple it equals (a result holding it, such as a Report, hashes as the
        # records' result does); it builds every finding, as hashing the tuple would.
        return hash(tuple(self))


class FindingTable(Parts):
    """The findings of a rule run over columns: a sequence of :class:`Finding`.

    Length, codes, severities and counts are array operations; a finding is built
    when it is indexed or iterated. The order is the canonical one of
    :func:`casemigrate.sort_findings`, and the table compares equal to the tuple of
    findings the same rule returns for the same records.

    Attributes:
        refusals: The refused rows of the table the rule read
            (:class:`casemigrate.tables.Refusals`; empty unless ``errors="collect"``
            found some). Each table, column and error code of them is a CM002 among
            the findings.
    """

    refusals: Any

    def __init__(self, blocks: list[Block], refusals: Any = None) -> None:
        # The catalogue's canonical order (sort_findings): severity, then code; each
        # block sorts its own findings by subjects (then message).
        self._blocks = sorted((b for b in blocks if b.size),
                              key=lambda b: (b.rule.severity, b.rule.code))
        self._sized([b.size for b in self._blocks])
        self.refusals = refusals

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks in order, one per code: their findings in their ``order``."""
        return tuple(self._blocks)

    def with_refusals(self, refusals: Any) -> FindingTable:
        """The same findings and one CM002 per table, column and error code of ``refusals``.

        The CM002 findings are :func:`casemigrate.tables.find_refused_rows`'s, so the
        table equals the records' findings plus those, in canonical order.
        """
        from casemigrate.tables import find_refused_rows  # noqa: PLC0415

        refused = find_refused_rows(refusals) if len(refusals) else ()
        blocks = [Found(refused[0].rule, list(sort_findings(refused)))] if refused else []
        return FindingTable([*self._blocks, *blocks],
                            refusals)

    def _piece(self, part: int, low: int, high: int) -> Sequence[Finding]:
        block = self._blocks[part]
        return block.make_many(block.order[low:high])

    def _each(self, part: int) -> Iterator[Finding]:
        block = self._blocks[part]
        for at in range(0, block.size, _CHUNK):
            yield from block.make_many(block.order[at:at + _CHUNK])

    def __repr__(self) -> str:
        return f"<FindingTable of {len(self)} findings: {self.counts()}>"

    def counts(self) -> dict[str, int]:
        """How many findings per code, in code order; no finding is built."""
        sizes: dict[str, int] = {}
        for block in self._blocks:
            sizes[block.code] = sizes.get(block.code, 0) + block.size
        return dict(sorted(sizes.items()))

    @property
    def codes(self) -> pa.Array:
        """The code of every finding, in order (an Arrow dictionary array)."""
        return self._per_block([b.code for b in self._blocks])

    @property
    def severities(self) -> pa.Array:
        """The severity name of every finding, in order (an Arrow dictionary array)."""
        names = [severity.name for severity in Severity]
        indices = np.repeat(np.array([int(b.rule.severity) for b in self._blocks],
                                     dtype=np.int32), [b.size for b in self._blocks])
        return pa.DictionaryArray.from_arrays(pa.array(indices, type=pa.int32()),
                                              pa.array(names, type=pa.string()))

    def detail(self, name: str) -> pa.ChunkedArray:
        """Detail ``name`` of every finding, in order, as an Arrow column; no object built.

        Held as arrays: the service ids of the overlap findings (``old``, ``new``,
        ``earlier``, ``later``, ``service``). Null where a finding has no such detail.

        Raises:
            InvalidArgument: No finding holds ``name`` as an array.
        """
        chunks = []
        for block in self._blocks:
            values = block.detail(name)
            chunks.append(pa.nulls(block.size, type=pa.string()) if values is None
                          else values)
        if not any(b.detail(name) is not None for b in self._blocks) and self._blocks:
            raise InvalidArgument(f"no finding holds {name!r} as an array", field="name")
        return pa.chunked_array(chunks, type=pa.string())

    def _per_block(self, values: list[str]) -> pa.Array:
        """One value per block, repeated for each of its findings (a dictionary array)."""
        indices = np.repeat(np.arange(len(values), dtype=np.int32),
                            [b.size for b in self._blocks])
        return pa.DictionaryArray.from_arrays(pa.array(indices, type=pa.int32()),
                                              pa.array(values, type=pa.string()))

    def to_arrow(self) -> pa.Table:
        """Every finding as a row, with no object built.

        Columns: ``code``, ``name`` (the rule's), ``severity``, ``subjects`` (a list of
        ids) and ``citation`` (the rule's sources in readable form, as
        :attr:`Finding.citation` gives them), in the finding's order.
        """
        subjects = [shown_subjects(block) for block in self._blocks]
        column = (pa.concat_arrays(subjects) if subjects
                  else pa.array([], type=pa.list_(pa.string())))
        return pa.table({
            "code": self.codes,
            "name": self._per_block([b.rule.name for b in self._blocks]),
            "severity": self.severities,
            "subjects": column,
            "citation": self._per_block([b.rule.citation for b in self._blocks]),
        })


def pair_order(rank_a: Array, rank_b: Array) -> tuple[Array, Array]:
    """:func:`sort_rows` of findings about two records, by their subjects' ranks.

    A finding's subjects are its two ids sorted (one, if they are equal): ordered by the
    lower rank, then the higher (none, for one id, comes first).
    """
    low = np.minimum(rank_a, rank_b)
    high = np.where(rank_a == rank_b, -1, np.maximum(rank_a, rank_b))
    return sort_rows([low, high])


def pair_subject_lists(ids: pa.Array, a: Array, b: Array) -> tuple[Array, Array]:
    """The subjects of findings about rows ``a`` and ``b`` as offsets and rows of ``ids``.

    Each finding's ids in Python's string order, an id shared by both named once.
    """
    ranks = dense_ranks(ids, np.concatenate((a, b)))
    rank_a, rank_b = ranks[:len(a)], ranks[len(a):]
    same = rank_a == rank_b
    offsets = np.concatenate(([0], np.cumsum(np.where(same, 1, 2))))
    a_first = rank_a <= rank_b
    rows = np.empty(int(offsets[-1]), dtype=np.int64)
    rows[offsets[:-1]] = np.where(a_first, a, b)
    rows[offsets[:-1][~same] + 1] = np.where(a_first, b, a)[~same]
    return offsets, rows


def sort_rows(keys: list[Array], generation: Array | None = None) -> tuple[Array, Array]:
    """Positions sorted by ``keys`` (most significant first), and which equal the next.

    ``generation`` is the order the record path makes findings in: the last resort.
    """
    size = len(keys[0])
    lex = list(reversed(keys))
    if generation is not None:
        lex.insert(0, generation)
    order = np.lexsort(lex) if size else np.zeros(0, dtype=np.int64)
    equal = np.ones(max(size - 1, 0), dtype=bool)
    for key in keys:
        ordered = key[order]
        equal &= ordered[1:] == ordered[:-1]
    return order, equal

