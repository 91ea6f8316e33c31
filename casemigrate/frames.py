"""Tables out: every result as a pandas or polars DataFrame.

:func:`to_frame` turns any result of casemigrate into a table: findings (a
report, or any iterable of findings), records (cases, services, deliveries), a
merge result, scenario decisions, a cleanup estimate, a conversion plan, a timeline,
and the refusals of a read. :func:`to_rows` gives the same rows as plain dicts,
without any table library.

Every cell is a plain value a spreadsheet or a join understands: text, whole
numbers, floats, booleans, ``datetime.date``, ``Decimal`` for money, ``None``;
a list of text only where the caller asks for it (the ``subjects`` of findings, by
default). No cell holds a Python ``repr``; a CPR number is always masked. A detail
that has a word in each language (a reason, a role, a phrase such as CM404's saving)
is shown in the table's language, and a citation as the document, section and quote.

Example:
    >>> from casemigrate import Finding
    >>> from casemigrate.frames import to_rows
    >>> from casemigrate.overlap import CASES_WITHOUT_CITIZEN
    >>> finding = Finding.of(CASES_WITHOUT_CITIZEN, ("X-1", "X-2"), count=2)
    >>> row = to_rows([finding])[0]
    >>> row["code"], row["subjects"], row["detail_count"]
    ('CM205', ['X-1', 'X-2'], 2)
    >>> [r["subjects"] for r in to_rows([finding], subjects="explode")]
    ['X-1', 'X-2']
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import itertools
import json
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal

from casemigrate import _columnar, _text
from casemigrate import _validate as v
from casemigrate.cleanup import Classification, CleanupEstimate
from casemigrate.conversion import ConversionPlan
from casemigrate.delivery import (
    ExclusionReason,
    MergeResult,
    RecreationOutcome,
    find_service_overlaps,
)
from casemigrate.exceptions import InvalidArgument, InvalidType, MissingDependency
from casemigrate.findings import Finding
from casemigrate.identifiers import CPR, KLE, Facet, Municipality
from casemigrate.model import Case, Delivery, Service
from casemigrate.overlap import find_duplicate_active_cases
from casemigrate.plan import Timeline
from casemigrate.scenario import ScenarioDecision, ScenarioSummary
from casemigrate.sources import Citation
from casemigrate.tables import REFUSAL_COLUMNS, Refusals, TableRead, mask

__all__ = ["FINDING_COLUMNS", "cell", "finding_rows", "frame", "partition_findings", "to_frame",
           "to_rows"]

Subjects = Literal["list", "explode", "text"]
FINDING_COLUMNS: Final = ("code", "name", "severity", "subjects", "message", "hint",
                          "citation")
"""The first columns of a findings table; the details follow as ``detail_<name>``."""
_MERGE_COLUMNS: Final = ("service_id", "system", "municipality", "citizen", "code",
                         "target_groups", "start", "end", "status", "reason", "reason_code",
                         "delivery_id")
"""A merge's services, kept and excluded: the columns even of an empty merge."""

_LIBRARIES: Final = ("pandas", "polars")


def cell(value: Any, language: str = "en") -> Any:
    """A plain value for a table cell: no CPR in full, no Python ``repr``.

    A word or phrase with a form in each language is shown in ``language`` (``"en"`` or
    ``"da"``; another is refused even where the value has no words); every text is a
    plain ``str``.

    Example:
        >>> from casemigrate import CPR
        >>> cell(CPR("211062-1234")), cell(("a", 1)), cell("211062-1234 moved")
        ('211062-****', 'a, 1', '211062-**** moved')
        >>> from casemigrate._text import Term
        >>> cell(Term("no cases were given", da="der er ingen sager at kontrollere"), "da")
        'der er ingen sager at kontrollere'
    """
    if language not in _text.LANGUAGES:
        _text.check_language(language)
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, _text.Term | _text.Phrase):
        return mask(str(value.in_language(language)))
    if isinstance(value, str):
        return mask(str(value))
    if isinstance(value, Citation):
        return value.in_language(language)
    if isinstance(value, CPR):
        return value.masked
    if isinstance(value, Municipality):
        return value.code
    if isinstance(value, KLE | Facet):
        return value.value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, enum.Enum):
        return value.name if not isinstance(value.value, str | int) else value.value
    if isinstance(value, Case):
        return value.case_id
    if isinstance(value, Service):
        return value.service_id
    if isinstance(value, Delivery):
        return value.delivery_id
    if isinstance(value, Mapping):
        return mask(json.dumps({str(k): _json(item, language) for k, item in value.items()},
                               ensure_ascii=False, sort_keys=True))
    if isinstance(value, tuple | list | set | frozenset):
        items = [_item(item, language) for item in value]
        joiner = "; " if any(isinstance(item, Citation) for item in value) else ", "
        return joiner.join(items if isinstance(value, tuple | list) else sorted(items))
    return mask(str(value))


def _item(value: Any, language: str) -> str:
    """One item of a collection in a cell, as text (a nested collection joined too)."""
    shown = cell(value, language)
    return "" if shown is None else str(shown)


def _json(value: Any, language: str) -> Any:
    shown = cell(value, language)
    if isinstance(shown, dt.date | decimal.Decimal):
        return str(shown)
    return shown if not isinstance(value, tuple | list | set | frozenset) else [
        str(_json(item, language)) for item in value]


# ---- rows of each result ------------------------------------------------------------

def finding_rows(findings: Iterable[Finding], *, language: str = "en",
                 subjects: Subjects = "list", register: str | None = None
                 ) -> list[dict[str, Any]]:
    """One row per finding (or per finding and subject, with ``subjects="explode"``).

    Columns: :data:`FINDING_COLUMNS`, then each detail as ``detail_<name>`` (every
    row has every detail column; ``None`` where a finding lacks it). The citation is
    in ``language``, and for ``register`` (a plan's register's name) if given.
    """
    v.one_of("subjects", ("list", "explode", "text"), subjects)
    items = list(v.each("findings", findings, Finding))
    keys = sorted({key for f in items for key in f.details})
    rows: list[dict[str, Any]] = []
    for f in items:
        base: dict[str, Any] = {"code": f.code, "name": f.rule.name, "severity": f.severity.name,
                "subjects": None, "message": mask(f.message_in(language)),
                "hint": f.hint_in(language),
                "citation": f.citation_in(language, register=register)}
        base.update({f"detail_{key}": cell(f.details.get(key), language) for key in keys})
        ids = [mask(subject) for subject in f.subjects]
        if subjects == "explode":
            rows.extend({**base, "subjects": subject} for subject in ids)
            if not ids:
                rows.append(base)
            continue
        base["subjects"] = ids if subjects == "list" else ", ".join(ids)
        rows.append(base)
    return rows


def _finding_columns(findings: Any, language: str, subjects: Subjects
                     ) -> dict[str, list[Any]] | None:
    """Findings of the columnar engine (a lazy table) column by column.

    The columns, rows and cells of :func:`finding_rows`. A block of findings held as
    arrays gives its details as lists and its subjects from the Arrow export, and each
    message is rendered from the details, with no :class:`Finding` built; a block of
    findings made as records (a delivery's, a re-creation's) gives theirs. ``None``
    for anything but a non-empty table of the engine.
    """
    blocks = getattr(findings, "blocks", None)
    if blocks is None or not len(findings):
        return None
    fixed: dict[str, list[Any]] = {name: [] for name in FINDING_COLUMNS}
    details: list[tuple[int, dict[str, list[Any]]]] = []  # (first row, columns)
    for block in blocks:
        at = len(fixed["code"])
        values = block.detail_values(block.order)
        if values is None:
            rows = finding_rows(block.make_many(block.order), language=language)
            for name in FINDING_COLUMNS:
                fixed[name] += [row[name] for row in rows]
            details.append((at, {key: [row[key] for row in rows] for key in rows[0]
                                 if key.startswith("detail_")}))
            continue
        rule, size = block.rule, block.size
        offsets, positions = block.subject_lists()
        ids = _masked_all(block.subject_ids().take(positions).to_pylist())
        fixed["code"] += [rule.code] * size
        fixed["name"] += [rule.name] * size
        fixed["severity"] += [rule.severity.name] * size
        fixed["subjects"] += [ids[low:high] for low, high
                              in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
        fixed["message"] += _messages(rule, values, language)
        fixed["hint"] += [rule.hint_in(language)] * size
        fixed["citation"] += [rule.citation_in(language)] * size
        details.append((at, {f"detail_{name}": _cells(column, language)
                             for name, column in values.items()}))
    total = len(fixed["code"])
    columns = dict(fixed)
    for key in sorted({key for _, part in details for key in part}):
        column: list[Any] = [None] * total
        for at, part in details:
            if key in part:
                column[at:at + len(part[key])] = part[key]
        columns[key] = column
    if subjects == "text":
        columns["subjects"] = [", ".join(ids) for ids in columns["subjects"]]
    elif subjects == "explode":
        counts = [max(len(ids), 1) for ids in columns["subjects"]]
        exploded = [subject for ids in columns["subjects"] for subject in (ids or [None])]
        columns = {name: [value for value, count in zip(values, counts, strict=True)
                          for _ in range(count)] for name, values in columns.items()}
        columns["subjects"] = exploded
    return columns


_MAYBE_CPR: Final = r"\p{Nd}{9}|\p{Nd}{6}[- ]\p{Nd}{4}"
"""What every text :func:`mask` changes holds (its pattern without the look-arounds)."""


def _masked_all(texts: list[str]) -> list[str]:
    """``[mask(text) for text in texts]``, for many texts.

    The texts that may hold a CPR number are found by the Arrow library's regular
    expressions (a superset of those :func:`mask` changes), and only those are masked.
    """
    try:
        import pyarrow as pa  # noqa: PLC0415  # the columnar extra: present with the engine
        import pyarrow.compute as pc  # noqa: PLC0415
    except ImportError:  # pragma: no cover - the engine's results need the extra
        return [mask(text) for text in texts]
    maybe = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), _MAYBE_CPR)
    shown = list(texts)
    for at in pc.indices_nonzero(maybe).to_pylist():
        shown[at] = mask(shown[at])
    return shown


def _cells(values: list[Any], language: str) -> list[Any]:
    """``[cell(value, language) for value in values]``, faster.

    The texts are masked in one pass, and each other value is shown once however often
    it recurs.
    """
    shown: list[Any] = [None] * len(values)
    texts = [at for at, value in enumerate(values) if type(value) is str]
    for at, text in zip(texts, _masked_all([values[at] for at in texts]), strict=True):
        shown[at] = text
    seen: dict[tuple[type, Any], Any] = {}
    for at, value in enumerate(values):
        if value is None or type(value) is str:
            continue
        if type(value).__mro__[-2:] == (tuple, object) and len(type(value).__mro__) <= 3 \
                and all(item is None or type(item) is dt.date for item in value):
            # A plain tuple of dates (a period), as cell joins it: no text to mask.
            shown[at] = ", ".join("" if item is None else item.isoformat() for item in value)
            continue
        try:
            key = (type(value), value)
            shown[at] = seen[key] if key in seen else seen.setdefault(key,
                                                                      cell(value, language))
        except TypeError:  # not hashable
            shown[at] = cell(value, language)
    return shown


def _messages(rule: Any, values: dict[str, list[Any]], language: str) -> list[str]:
    """Each finding's message from its details, as :meth:`Finding.message_in` renders it.

    The template is parsed once, and each field's value formatted once however often it
    recurs.
    """
    size = len(next(iter(values.values()))) if values else 0
    formatter = _text._FORMATTERS[language]
    pieces: list[Any] = []
    for literal, name, spec, conversion in string.Formatter().parse(rule.template(language)):
        if literal:
            pieces.append(literal)
        if name is None:
            continue
        if conversion or (spec and "{" in spec):  # pragma: no cover - no template has one
            return [mask(rule.render(dict(zip(values, row, strict=True)), language))
                    for row in zip(*values.values(), strict=True)]
        seen: dict[tuple[type, Any], str] = {}
        shown = []
        for value in values[name]:
            try:
                key = (type(value), value)
                text = seen.get(key)
                if text is None:
                    text = seen[key] = formatter.format_field(value, spec or "")
            except TypeError:  # not hashable
                text = formatter.format_field(value, spec or "")
            shown.append(text)
        pieces.append(shown)
    columns = [itertools.repeat(piece, size) if isinstance(piece, str) else piece
               for piece in pieces]
    return _masked_all(["".join(parts) for parts in zip(*columns, strict=True)]
                       if columns else [""] * size)


def _record_rows(records: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        if isinstance(record, Delivery):
            rows.append({"delivery_id": record.delivery_id, "name": record.name,
                         "system": record.system, "municipality": record.municipality.code,
                         "sent": record.sent_local, "sent_day": record.sent_day,
                         "services": len(record.services)})
            continue
        fields = [a.name for a in type(record).__attrs_attrs__]
        rows.append({name: cell(getattr(record, name)) for name in fields})
    return rows


def _merge_rows(result: MergeResult, language: str) -> list[dict[str, Any]]:
    words = {reason: reason.in_language(language) for reason in ExclusionReason}
    columns = _merge_columns(result, language)
    if columns is not None:
        names = list(columns)
        return [dict(zip(names, cells, strict=True))
                for cells in zip(*columns.values(), strict=True)]
    used = {id(s): d.delivery_id for d in result.used for s in d.services}
    rows = []
    for service in result.services:
        rows.append({**_service_cells(service), "status": "kept", "reason": None,
                     "reason_code": None, "delivery_id": used.get(id(service))})
    for item in result.excluded:
        rows.append({**_service_cells(item.service), "status": "excluded",
                     "reason": words[item.reason], "reason_code": item.reason.name,
                     "delivery_id": item.delivery_id})
    return rows


def _merge_columns(result: MergeResult, language: str) -> dict[str, list[Any]] | None:
    """A merge of tables (the columnar engine) column by column, from its arrays.

    The columns and order of :func:`_merge_rows`, with no record and no row made;
    ``None`` for a merge of records.
    """
    if not (hasattr(result.services, "cells") and hasattr(result.excluded, "cells")):
        return None
    kept, excluded = result.services.cells(), result.excluded.cells()
    reasons = excluded.pop("reason")
    words = {reason: reason.in_language(language) for reason in ExclusionReason}
    columns = {name: kept[name] + excluded[name] for name in kept if name != "delivery_id"}
    columns["status"] = ["kept"] * len(result.services) + ["excluded"] * len(reasons)
    columns["reason"] = [None] * len(result.services) + [words[r] for r in reasons]
    columns["reason_code"] = [None] * len(result.services) + [r.name for r in reasons]
    columns["delivery_id"] = kept["delivery_id"] + excluded["delivery_id"]
    return columns


def _merge_arrays(result: MergeResult, language: str) -> dict[str, Any] | None:
    """:func:`_merge_columns` as Arrow arrays, with no Python value per cell.

    ``None`` for a merge of records or an empty one.
    """
    services, excluded = result.services, result.excluded
    if not (hasattr(services, "arrays") and hasattr(excluded, "arrays")):
        return None
    if not len(services) + len(excluded):
        return None
    import pyarrow as pa  # noqa: PLC0415  # the columnar extra: present with the engine

    kept, out = services.arrays(), excluded.arrays()
    reasons = out.pop("reason")
    words = pa.array([reason.in_language(language) for reason in ExclusionReason],
                     type=pa.string())
    names = pa.array([reason.name for reason in ExclusionReason], type=pa.string())
    at = pa.array(reasons.astype("int64"))
    size, dropped = len(services), len(reasons)
    columns = {name: pa.concat_arrays([kept[name], out[name]]) for name in kept
               if name != "delivery_id"}
    columns["status"] = pa.concat_arrays([pa.array(["kept"] * size, type=pa.string()),
                                          pa.array(["excluded"] * dropped, type=pa.string())])
    columns["reason"] = pa.concat_arrays([pa.nulls(size, type=pa.string()), words.take(at)])
    columns["reason_code"] = pa.concat_arrays([pa.nulls(size, type=pa.string()),
                                               names.take(at)])
    columns["delivery_id"] = pa.concat_arrays([kept["delivery_id"], out["delivery_id"]])
    return columns


def _frame_of_arrays(arrays: dict[str, Any], library: str) -> Any:
    """The DataFrame of Arrow ``arrays``, typed as :func:`_frame_of` types their cells.

    A column of nothing but ``None`` has no type there, so none here either.
    """
    import pyarrow as pa  # noqa: PLC0415

    arrays = {name: pa.nulls(len(array)) if array.null_count == len(array) else array
              for name, array in arrays.items()}
    if library == "polars":
        try:
            import polars as pl  # noqa: PLC0415
        except ImportError:
            return _frame_of({}, [], library)  # names the extra
        return pl.from_arrow(pa.table(arrays))
    try:
        import pandas as pd  # noqa: PLC0415
    except ImportError:
        return _frame_of({}, [], library)  # names the extra
    return pd.DataFrame({name: array.to_pandas(date_as_object=True)
                         for name, array in arrays.items()}, columns=list(arrays))


def _ledger_rows(result: MergeResult, language: str) -> list[dict[str, Any]]:
    """The merge's ledger: services in, kept, excluded by reason, old active by outcome.

    ``part_of`` names the row a row is a part of; the parts of a row sum to it.
    """
    summary = result.summary()
    w = {"en": ("services in", "kept in the data basis", "excluded"),
         "da": ("modtagne ydelser", "med i datagrundlaget", "udeladt")}[language]
    rows = [{"item": "services_in", "label": w[0], "services": summary["services_in"],
             "part_of": None},
            {"item": "kept", "label": w[1], "services": summary["kept"],
             "part_of": "services_in"},
            {"item": "excluded", "label": w[2], "services": summary["excluded"],
             "part_of": "services_in"}]
    for reason in ExclusionReason:
        rows.append({"item": reason.name, "label": reason.in_language(language),
                     "services": summary["excluded_by_reason"][reason.name],
                     "part_of": "excluded"})
        if reason is ExclusionReason.ACTIVE_IN_OLD_SYSTEM:
            rows += [{"item": outcome.name, "label": outcome.in_language(language),
                      "services": summary["old_active_by_outcome"][outcome.name],
                      "part_of": reason.name} for outcome in RecreationOutcome]
    return rows


def _service_cells(service: Service) -> dict[str, Any]:
    return {"service_id": service.service_id, "system": service.system,
            "municipality": service.municipality.code, "citizen": cell(service.citizen),
            "code": service.code, "target_groups": ", ".join(sorted(service.target_groups)),
            "start": service.start, "end": service.end}


def _decision_rows(decisions: Iterable[ScenarioDecision]) -> list[dict[str, Any]]:
    """One row per reason and per unknown consideration of each decision."""
    rows = []
    for decision in decisions:
        points = {f"points_{s.value}": score for s, score in decision.ranking}
        base = {"group": decision.group.name, "scenario": decision.scenario.value,
                **dict(sorted(points.items())), "tie_broken": decision.tie_broken}
        for reason in decision.reasons:
            rows.append({**base, "kind": "reason", "consideration": reason.consideration,
                         "value": cell(reason.value),
                         "favours": ", ".join(str(s.value) for s in reason.favours),
                         "citation": reason.citation})
        for unknown in decision.unknowns:
            rows.append({**base, "kind": "unknown", "consideration": unknown, "value": None,
                         "favours": "", "citation": None})
        if not decision.reasons and not decision.unknowns:  # pragma: no cover - none such
            rows.append({**base, "kind": None, "consideration": None, "value": None,
                         "favours": "", "citation": None})
    return rows


def _classification_rows(classifications: Mapping[str, Classification]
                         ) -> list[dict[str, Any]]:
    return [{"case_id": case_id, "complexity": c.complexity.name,
             "reasons": "; ".join(reason for _, reason in c.reasons)}
            for case_id, c in sorted(classifications.items())]


def _conversion_rows(plan: ConversionPlan) -> list[dict[str, Any]]:
    rows = [{"case_id": case.case_id, "system": case.system, "active": case.is_active,
             "status": "converted", "reason": None} for case in plan.selected]
    rows += [{"case_id": left.case.case_id, "system": left.case.system,
              "active": left.case.is_active, "status": "left behind", "reason": left.reason}
             for left in plan.left_behind]
    return rows


def to_rows(result: Any, *, language: str | None = None, subjects: Subjects = "list",
            part: str | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`to_frame`, as dicts of plain values, without a table library.

    Args:
        result: Any result (see :func:`to_frame`).
        language: ``"en"`` or ``"da"`` for messages, hints, titles and details;
            by default a report's own language, else English.
        subjects: For findings: ``"list"`` (a list of ids per finding), ``"explode"``
            (one row per finding and subject) or ``"text"`` (ids joined by ``", "``).
        part: For a result that holds more than one table: ``"findings"`` of a merge
            result or a conversion plan, ``"ledger"`` of a merge result (its counts),
            ``"breakdown"`` of a cleanup estimate.

    Raises:
        InvalidType: ``result`` is nothing casemigrate can tabulate.
        InvalidArgument: ``part`` is not a part of ``result``.
    """
    v.one_of("subjects", ("list", "explode", "text"), subjects)
    if language is None:
        own = getattr(result, "language", None) if hasattr(result, "timeline") else None
        language = own if own in _text.LANGUAGES else "en"
    rows = _rows(result, _text.check_language(language), subjects, part)
    if rows is None:
        raise InvalidType(f"cannot make a table of a {v.type_name(result)}", field="result")
    return rows


def _rows(result: Any, language: str, subjects: Subjects, part: str | None
          ) -> list[dict[str, Any]] | None:
    findings = getattr(result, "findings", None)
    if part == "findings" and findings is not None:
        return finding_rows(findings, language=language, subjects=subjects)
    own_part = ((part == "breakdown" and isinstance(result, CleanupEstimate))
                or (part == "ledger" and isinstance(result, MergeResult)))
    if part is not None and not own_part:
        raise InvalidArgument(f"{part!r} is not a part of a {v.type_name(result)}",
                              field="part")
    if hasattr(result, "timeline") and findings is not None:  # a readiness report
        return finding_rows(findings, language=language, subjects=subjects)
    if isinstance(result, MergeResult):
        return _ledger_rows(result, language) if part else _merge_rows(result, language)
    if isinstance(result, ConversionPlan):
        return _conversion_rows(result)
    if isinstance(result, CleanupEstimate):
        return result.breakdown() if part else _classification_rows(result.classifications)
    if isinstance(result, Timeline):
        return result.to_rows(language)
    if isinstance(result, ScenarioDecision):
        return _decision_rows([result])
    if isinstance(result, ScenarioSummary):
        return _decision_rows(result.decisions)
    if isinstance(result, Refusals):
        return result.to_rows()
    if isinstance(result, TableRead):
        return result.refusals.to_rows()
    if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
        return None
    items = list(result)
    if all(isinstance(item, Finding) for item in items) and items:
        return finding_rows(items, language=language, subjects=subjects)
    if items and all(isinstance(item, ScenarioDecision) for item in items):
        return _decision_rows(items)
    if all(isinstance(item, Case | Service | Delivery) for item in items):
        return _record_rows(items)
    return None


def _columns(result: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The columns of an empty table, so that even no rows has the right shape."""
    if rows:
        return list(rows[0])
    if isinstance(result, Refusals | TableRead):
        return list(REFUSAL_COLUMNS)
    if isinstance(result, MergeResult):  # the ledger always has rows
        return list(_MERGE_COLUMNS)
    return list(FINDING_COLUMNS) if hasattr(result, "findings") or not rows else []


def frame(rows: list[dict[str, Any]], columns: list[str], library: str = "pandas") -> Any:
    """A pandas or polars DataFrame of ``rows`` with ``columns`` (in that order)."""
    v.one_of("library", _LIBRARIES, library)
    return _frame_of({column: [row.get(column) for row in rows] for column in columns},
                     columns, library)


def _frame_of(data: dict[str, Any], columns: list[str], library: str) -> Any:
    """The DataFrame of ``data``, one list per column, in the order of ``columns``."""
    try:
        module = __import__(library)
    except ImportError:
        raise MissingDependency(
            f"a {library} table needs {library}: pip install \"casemigrate[{library}]\"",
            field="library") from None
    if library == "pandas":
        for column, values in data.items():
            if None in values and _whole_numbers(values):  # not floats with NaN: 1, not 1.0
                data[column] = module.array(values, dtype="Int64")
        return module.DataFrame(data, columns=columns)
    return module.DataFrame(data, strict=False)


def _whole_numbers(values: list[Any]) -> bool:
    kinds = {type(value) for value in values if value is not None}
    return bool(kinds) and kinds <= {int}


def to_frame(result: Any, *, library: str = "pandas", language: str | None = None,
             subjects: Subjects = "list", part: str | None = None) -> Any:
    """Any casemigrate result as a pandas or polars DataFrame.

    ========================  ==========================================================
    result                    one row per
    ========================  ==========================================================
    ``Report``, findings      finding (``subjects="explode"``: finding and subject);
                              details as ``detail_<name>`` columns
    cases, services,          record; a CPR number masked
    deliveries
    ``MergeResult``           input service, ``status`` kept or excluded, ``reason``
                              in words (in ``language``) and ``reason_code``
                              (``part="ledger"``: each count of the ledger, the
                              old system's active services by outcome among them)
    ``ScenarioDecision``,     reason and unknown consideration of each decision, with
    ``ScenarioSummary``       the chosen scenario and every scenario's points
    ``CleanupEstimate``       classified case (``part="breakdown"``: complexity)
    ``ConversionPlan``        case, converted or left behind with the reason
    ``Timeline``              milestone
    ``Refusals``,             refused field
    ``TableRead``
    ========================  ==========================================================

    ``part="findings"`` gives the findings of a merge result or a conversion plan.
    A merge's ``part="ledger"`` has ``item``, ``label``, ``services`` and ``part_of``
    (the item a row is a part of: the parts of a row sum to it).

    Args:
        result: The result.
        library: ``"pandas"`` or ``"polars"``.
        language: ``"en"`` or ``"da"``; by default a report's own language, else
            English.
        subjects: For findings: ``"list"``, ``"explode"`` or ``"text"``.
        part: A second table of the result, as above.

    Returns:
        The DataFrame.

    Raises:
        MissingDependency: The library is not installed (the error names the extra).
        InvalidType: ``result`` is nothing casemigrate can tabulate.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, plan_timeline
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> table = to_frame(plan_timeline(plan))  # doctest: +SKIP
        >>> list(to_rows(plan_timeline(plan))[0])
        ['key', 'title', 'earliest', 'latest', 'done', 'citation']
    """
    if isinstance(result, MergeResult) and part is None:
        v.one_of("library", _LIBRARIES, library)
        arrays = _merge_arrays(result, _text.check_language(language or "en"))
        if arrays is not None:  # a merge of tables: from its arrays, no cell made
            return _frame_of_arrays(arrays, library)
        columns = _merge_columns(result, _text.check_language(language or "en"))
        if columns is not None:  # a merge of tables: column by column, no row made
            return _frame_of(columns, list(columns), library)
    if isinstance(result, MergeResult) and part == "findings":
        v.one_of("library", _LIBRARIES, library)
        v.one_of("subjects", ("list", "explode", "text"), subjects)
        columns = _finding_columns(result.findings, _text.check_language(language or "en"),
                                   subjects)
        if columns is not None:  # the engine's findings: column by column, no record
            return _frame_of(columns, list(columns), library)
    rows = to_rows(result, language=language, subjects=subjects, part=part)
    return frame(rows, _columns(result, rows), library)


_PARTITION_RULES: Final = (find_duplicate_active_cases, find_service_overlaps)


def partition_findings(table: object, rule: Callable[..., Any], /, **arguments: Any) -> Any:
    """One partition's findings as a plain Arrow table: the function a cluster engine maps.

    Runs ``rule`` (:func:`~casemigrate.find_duplicate_active_cases` or
    :func:`~casemigrate.find_service_overlaps`) on ``table`` through the columnar engine
    and returns its findings as :meth:`to_arrow` gives them, with no ``Finding`` object
    built, in a fixed schema an engine can declare: ``code``, ``name``, ``severity``
    and ``citation`` as text, ``subjects`` as a list of text. Every key these rules
    group by starts with the municipality, so a table holding whole municipalities
    (one or several) gives the findings one run over the whole country gives for them.
    An empty table gives an empty result of the same schema (a Dask ``meta``).

    Args:
        table: A pandas, polars or pyarrow table of cases or services, as the rule reads it.
        rule: ``find_duplicate_active_cases`` or ``find_service_overlaps``.
        **arguments: The rule's keyword arguments (``as_of=``, ``cutover=``,
            ``columns=``, ``errors=``, ...).

    Returns:
        A ``pyarrow.Table``, one row per finding, in the catalogue's order.

    Raises:
        MissingDependency: The ``columnar`` extra is not installed.
        InvalidType: ``table`` is not a table.
        InvalidArgument: ``rule`` is not one of the two rules above.

    Example:
        >>> import datetime as dt
        >>> import pyarrow as pa
        >>> from casemigrate import find_duplicate_active_cases
        >>> cases = pa.table({
        ...     "case_id": ["A", "B", "C"], "municipality": [607, 607, 101],
        ...     "citizen": ["211062-1234"] * 3, "system": ["Old", "New", "Old"],
        ...     "opened": [dt.date(2024, 1, 2)] * 3, "closed": [None, None, None]})
        >>> found = partition_findings(cases, find_duplicate_active_cases,
        ...                            as_of=dt.date(2026, 6, 1))
        >>> found.column("code").to_pylist(), found.column("subjects").to_pylist()
        (['CM204'], [['A', 'B']])
    """
    if rule not in _PARTITION_RULES:
        raise InvalidArgument("expected find_duplicate_active_cases or find_service_overlaps",
                              field="rule")
    if not _columnar.is_table(table):
        raise InvalidType(f"expected a table (pandas, polars or pyarrow), got "
                          f"{type(table).__name__}", field="table")
    _, pa, _ = _columnar.require()
    found: Any = rule(table, **arguments)  # a table in: the engine's lazy FindingTable
    exported = found.to_arrow()
    text = pa.string()
    return exported.cast(pa.schema([("code", text), ("name", text), ("severity", text),
                                    ("subjects", pa.list_(text)), ("citation", text)]))
