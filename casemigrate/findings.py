"""Findings: what a rule found, with its code, severity, subjects and citation.

A :class:`Rule` is one keyword-only literal, written beside the check that raises it
in the rule module: its stable code (never reused), a kebab-case name, its severity,
its message and hint in English and Danish, the citation of its source, and the
sections of its documentation page. A :class:`Finding` is always built from its rule
(:meth:`Finding.of`), so its message comes from the rule's template and its citation
from the rule. The catalogue :data:`casemigrate.RULES` gathers the rules of every rule
module (:mod:`casemigrate.catalogue`), and ``docs/rules.md`` is generated from it.

Code families:

* ``CM0xx`` general (a check that could not run, rows of a table refused when read);
* ``CM1xx`` plans and timelines;
* ``CM2xx`` reporting overlap, duplicate and blocking active cases;
* ``CM3xx`` services and deliveries;
* ``CM4xx`` cleanup and economics;
* ``CM5xx`` conversion.

Example:
    >>> import datetime as dt
    >>> from casemigrate import RULES
    >>> from casemigrate.overlap import DUPLICATE_ACTIVE_CASES
    >>> RULES["CM204"] is DUPLICATE_ACTIVE_CASES, DUPLICATE_ACTIVE_CASES.name
    (True, 'duplicate-active-cases')
    >>> f = Finding.of(DUPLICATE_ACTIVE_CASES, ("case-1", "case-2"), count=2,
    ...                day=dt.date(2026, 3, 1))
    >>> f.severity.name, f.subjects
    ('ERROR', ('case-1', 'case-2'))
    >>> print(f)
    CM204 ERROR [case-1, case-2]: 2 cases of one citizen are active on 2026-03-01; ...
    >>> f.message_in("da")
    '2 sager for samme borger er aktive 2026-03-01; registeret tager kun imod én'
"""

from __future__ import annotations

import enum
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import compress
from operator import eq
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from casemigrate import _text
from casemigrate._slots import _compiled, slots_filler
from casemigrate.exceptions import (
    CaseMigrateError,
    InvalidArgument,
    UnknownRuleCode,
    mask_cpr_id,
    mask_numbers,
)
from casemigrate.identifiers import CPR, cpr_key
from casemigrate.sources import HANDICAP, POLICY, SMDB, Citation, Document

_T = TypeVar("_T")

__all__ = [
    "CHECK_NOT_APPLICABLE",
    "Finding",
    "FindingError",
    "FindingErrors",
    "Rule",
    "Severity",
    "sort_findings",
]


class Severity(enum.IntEnum):
    """How bad a finding is. Sorts worst first: ``ERROR < WARNING < INFO``.

    * ``ERROR``: the statistics or the register would be wrong, or the register
      refuses the data.
    * ``WARNING``: a probable mistake, or a deadline at risk; a person should look.
    * ``INFO``: something to know, such as a policy that decided where the source is
      silent, or data a check could not use.
    """

    ERROR = 0
    WARNING = 1
    INFO = 2

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "en") -> str:
        """The severity's name in ``"en"`` (``ERROR``) or ``"da"`` (``FEJL``)."""
        return _SEVERITY_DA[self] if _text.check_language(language) == "da" else self.name


_SEVERITY_DA: Final = {Severity.ERROR: "FEJL", Severity.WARNING: "ADVARSEL",
                       Severity.INFO: "INFO"}

_CODE_RE: Final = re.compile(r"CM\d{3}")
_NAME_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# The guide each register's rules come from (keyed by Register's names).
_GUIDES: Final[Mapping[str, Document]] = MappingProxyType({"SMDB": SMDB, "HANDICAP": HANDICAP})


def _cite_in(citations: Iterable[Citation], language: str = "en", *,
            register: str | None = None) -> str:
    """Citations in readable form, in ``"en"`` or ``"da"``, separated by semicolons.

    Given ``register``, a citation of the other register's guide is left out (see
    :meth:`Rule.citation_in`).
    """
    chosen = tuple(citations)
    if register is not None:
        others = {guide for name, guide in _GUIDES.items() if name != register.upper()}
        own = tuple(c for c in chosen if c.document not in others)
        chosen = own or chosen
    language = _text.check_language(language)
    return "; ".join(c.in_language(language) for c in chosen)


def _citations(value: Citation | Iterable[Citation]) -> tuple[Citation, ...]:
    citations = (value,) if isinstance(value, Citation) else tuple(value)
    if not citations or not all(isinstance(c, Citation) for c in citations):
        raise InvalidArgument("expected one Citation or several", field="citations")
    return citations


def _sample(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True, eq=False)
class Rule:
    """One rule of the catalogue, written as a keyword-only literal beside its check.

    A rule is its own documentation: ``docs/rules.md`` and ``python -m casemigrate rule
    CODE`` are generated from these fields. Its templates are checked when the module
    that defines it is imported: both languages need the same fields, and ``sample``
    must fill them.

    Attributes:
        code: Stable code, e.g. ``"CM204"``; never reused.
        name: Kebab-case name of the problem, e.g. ``"duplicate-active-cases"``. The
            rule's constant in its module is the name in capitals
            (``DUPLICATE_ACTIVE_CASES``).
        severity: The default severity.
        summary: What the rule finds, in one English sentence.
        summary_da: The same in Danish.
        message: The English message template (see :mod:`casemigrate._text`: numbers,
            ``{count:# case|# cases}`` plural forms, terms).
        message_da: The Danish message template, with the same fields.
        hint: How to resolve a finding, in English (the page's "How to resolve").
        hint_da: The same in Danish.
        citations: Where the rule comes from: one :class:`~casemigrate.sources.Citation`
            or several (a document, its section and a verbatim quote; the library's own
            policy cites :data:`~casemigrate.sources.POLICY`).
        checks: The page's "What it checks" (Markdown).
        why: The page's "Why it matters" (Markdown).
        example: The page's "Example" (Markdown).
        checks_da: The page's "What it checks" in Danish (optional; ``""`` when missing).
        why_da: The page's "Why it matters" in Danish (optional).
        example_da: The page's "Example" in Danish (optional).
        sample: Values for the templates, from the example: the page shows the message
            they give in both languages.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    summary_da: str
    message: str
    message_da: str
    hint: str
    hint_da: str
    citations: tuple[Citation, ...] = attrs.field(converter=_citations)
    checks: str
    why: str
    example: str
    sample: Mapping[str, Any] = attrs.field(converter=_sample)
    checks_da: str = ""
    why_da: str = ""
    example_da: str = ""

    def __attrs_post_init__(self) -> None:
        if not _CODE_RE.fullmatch(self.code):
            raise InvalidArgument(f"{self.code!r} is not a code such as 'CM204'", field="code")
        if not _NAME_RE.fullmatch(self.name):
            raise InvalidArgument(f"{self.code}: {self.name!r} is not kebab-case", field="name")
        if not isinstance(self.severity, Severity):
            raise InvalidArgument(f"{self.code}: expected a Severity", field="severity")
        for field in ("summary", "summary_da", "hint", "hint_da", "message", "message_da",
                      "checks", "why", "example"):
            text = getattr(self, field)
            if not isinstance(text, str) or not text.strip():
                raise InvalidArgument(f"{self.code}: must not be empty", field=field)
        for field in ("summary", "summary_da", "hint", "hint_da"):
            if not getattr(self, field).endswith("."):
                raise InvalidArgument(f"{self.code}: a sentence ends with a full stop",
                                      field=field)
        english = _text.template_fields(self.message)
        danish = _text.template_fields(self.message_da)
        if english != danish:
            raise InvalidArgument(
                f"{self.code}: the templates differ in fields: {sorted(english ^ danish)}",
                field="message_da")
        missing = english - set(self.sample)
        if missing:
            raise InvalidArgument(f"{self.code}: no sample value for {sorted(missing)}",
                                  field="sample")
        for language in _text.LANGUAGES:
            self.render(self.sample, language)

    @property
    def citation(self) -> str:
        """The citations in readable form, separated by semicolons."""
        return "; ".join(str(c) for c in self.citations)

    def citation_in(self, language: str = "en", *, register: str | None = None) -> str:
        """The citations in ``"en"`` or ``"da"``, for one register if given.

        A rule both registers share cites both registers' guides. Given ``register``
        (``"SMDB"`` or ``"HANDICAP"``, the name of the plan's register), a citation of
        the other register's guide is left out, so a finding about a handicap plan
        cites the handicap guide; a rule that cites only the other guide keeps it.

        Example:
            >>> from casemigrate.plan import DST_NOT_NOTIFIED
            >>> DST_NOT_NOTIFIED.citation_in(register="HANDICAP")[:61]
            'Danmarks Statistik, "Vejledning om systemskifte til kommuner"'
        """
        return _cite_in(self.citations, language, register=register)

    @property
    def is_policy(self) -> bool:
        """Whether the library's own policy decides (a citation of ``docs/policies.md``)."""
        return any(c.document is POLICY for c in self.citations)

    @property
    def fields(self) -> frozenset[str]:
        """The names the message templates need."""
        return _text.template_fields(self.message)

    def template(self, language: str = "en") -> str:
        """The message template in ``"en"`` or ``"da"``."""
        return self.message_da if _text.check_language(language) == "da" else self.message

    def hint_in(self, language: str = "en") -> str:
        """The hint in ``"en"`` or ``"da"``."""
        return self.hint_da if _text.check_language(language) == "da" else self.hint

    def summary_in(self, language: str = "en") -> str:
        """The summary in ``"en"`` or ``"da"``."""
        return self.summary_da if _text.check_language(language) == "da" else self.summary

    def render(self, values: Mapping[str, Any], language: str = "en") -> str:
        """The message with ``values`` filled in, in ``"en"`` or ``"da"``.

        Example:
            >>> CHECK_NOT_APPLICABLE.render(CHECK_NOT_APPLICABLE.sample, "da")
            'find_blocking_cases blev ikke kørt: der er ingen sager at kontrollere'
        """
        return _text.render(self.template(language), values, language)

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # A rule is one object per code: pickling (a finding sent to another process)
        # and copying refer to it by its code.
        return (_rule_of, (self.code,))


def _own_dict(details: Mapping[str, Any] | None) -> dict[str, Any]:
    """A private copy: the finding hands out only a read-only view of it."""
    return dict(details or {})


@attrs.frozen
class Finding:
    """What a rule found.

    Build findings with :meth:`Finding.of`, never by hand, so that the message comes
    from the rule's template. The message is formatted when first read. A converter
    that only counts findings pays nothing for it.

    Attributes:
        code: The rule's code.
        rule: The rule.
        severity: The severity (the rule's default unless overridden).
        subjects: The ids of the records involved (case, service or delivery ids, or a
            plan's milestone key), sorted. Never a full CPR number.
        details: The values the message is built from (dates, counts, ids), for
            programs to read instead of parsing the message.
    """

    code: str = attrs.field(init=False)
    rule: Rule = attrs.field(eq=False, repr=False)
    severity: Severity
    subjects: tuple[str, ...]
    _values: dict[str, Any] = attrs.field(
        factory=dict, converter=_own_dict, hash=False, repr=False, alias="details"
    )
    _message: str | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False, alias="_message"
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "code", self.rule.code)

    @property
    def details(self) -> Mapping[str, Any]:
        """The values the message is built from, read-only."""
        return MappingProxyType(self._values)

    @classmethod
    def of(
        cls,
        rule: Rule,
        subjects: Iterable[str] = (),
        *,
        severity: Severity | None = None,
        **values: Any,
    ) -> Finding:
        """Build a finding of ``rule`` about ``subjects``.

        Args:
            rule: The rule, as its module defines it (``overlap.DUPLICATE_ACTIVE_CASES``).
                A code string such as ``"CM204"`` is looked up in
                :data:`casemigrate.RULES`, for callers without a type checker; a type
                checker refuses it, so that a wrong code cannot pass unseen.
            subjects: Ids of the records involved; sorted and de-duplicated.
            severity: Overrides the rule's default severity.
            **values: The values the message templates need (and any more), kept in
                :attr:`details`.

        Returns:
            The finding.

        Raises:
            UnknownRuleCode: ``rule`` is a string that is not a code of the catalogue.
        """
        if type(rule) is not Rule:
            rule = _rule_of(rule)
        needs = _NEEDS.get(rule)
        if needs is None:
            needs = _NEEDS[rule] = rule.fields
        if not needs <= values.keys():
            missing = sorted(needs - values.keys())
            raise InvalidArgument(f"{rule.code} needs the values {missing} for its message",
                                  field="details")
        ids = _subject_ids(subjects)
        # Built without the generated __init__: rule checks make findings by the
        # hundred thousand, and the values need no conversion here.
        finding = _new_finding(cls)
        _fill_finding(finding, rule.code, rule, rule.severity if severity is None else severity,
                      ids, values, None)
        return finding

    @property
    def message(self) -> str:
        """The rule's English message with the finding's values filled in."""
        message = self._message
        if message is None:
            message = self.message_in("en")
            object.__setattr__(self, "_message", message)
        return message

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Where the finding's rule comes from.

        A finding about one milestone of a timeline (CM106, CM108) cites the
        milestone's source first, then the rule's.
        """
        own = self._values.get("source")
        if isinstance(own, tuple) and own and all(isinstance(c, Citation) for c in own):
            return (*own, *self.rule.citations)
        return self.rule.citations

    @property
    def citation(self) -> str:
        """The citations in readable form: document, section and quote."""
        return "; ".join(str(c) for c in self.citations)

    @property
    def hint(self) -> str:
        """How to resolve it, in English."""
        return self.rule.hint

    def message_in(self, language: str = "en") -> str:
        """The message in ``"en"`` or ``"da"``, from the rule's template and the details.

        Example:
            >>> from casemigrate.overlap import CASES_WITHOUT_CITIZEN
            >>> Finding.of(CASES_WITHOUT_CITIZEN, ("X-1",), count=1).message_in("da")
            '1 sag har intet CPR-nummer og blev ikke kontrolleret'
        """
        # Ids in the details are shown in full, but one that is a CPR number is masked.
        return mask_numbers(self.rule.render(self._values, language))

    def hint_in(self, language: str = "en") -> str:
        """The hint in ``"en"`` or ``"da"``."""
        return self.rule.hint_in(language)

    def citation_in(self, language: str = "en", *, register: str | None = None) -> str:
        """The citations in ``"en"`` or ``"da"``, for one register if given.

        A rule both registers share cites both registers' guides. Given ``register``
        (``"SMDB"`` or ``"HANDICAP"``, the name of the plan's register), a citation of
        the other register's guide is left out, so a finding about a handicap plan
        cites the handicap guide; a rule that cites only the other guide keeps it.
        """
        return _cite_in(self.citations, language, register=register)

    def __str__(self) -> str:
        subjects = f" [{', '.join(self.subjects)}]" if self.subjects else ""
        return f"{self.code} {self.severity.name}{subjects}: {self.message}"


def _subject_ids(subjects: Iterable[str]) -> tuple[str, ...]:
    """A finding's subjects: record ids, a CPR number among them masked, sorted, once each."""
    ids = tuple(subjects) if not isinstance(subjects, tuple) else subjects
    for subject in ids:
        if type(subject) is not str:
            raise InvalidArgument(
                f"subjects are record ids (strings), got a {type(subject).__name__}",
                field="subjects")
        if 10 <= len(subject) <= 11 and mask_cpr_id(subject) is not subject:
            # A record id that is a CPR number is shown as one (docs/privacy.md).
            ids = tuple(map(mask_cpr_id, ids))
            break
    if len(ids) == 2:
        ids = ids if ids[0] < ids[1] else ((ids[1], ids[0]) if ids[0] != ids[1] else ids[:1])
    elif len(ids) > 2:
        ids = tuple(sorted(set(ids)))
    return ids


_new_finding: Final = object.__new__
_fill_finding: Final = slots_filler(Finding, "code", "rule", "severity", "subjects", "_values",
                                    "_message")


def finding_maker(rule: Rule, *fields: str, pair: bool = False) -> Callable[..., Finding]:
    """A builder of many findings of one rule, for a rule check's hot loop.

    Package-private. ``make(subjects, *values)`` (or ``make(first, second, *values)``
    with ``pair``) returns what ``Finding.of(rule, subjects, **dict(zip(fields,
    values)))`` returns, and raises what it raises: the subjects get the same checks,
    the same masking of an id that is a CPR number and the same order. What is not
    repeated per finding is the rule's look-up and the check that the values fill its
    templates: ``fields`` are checked against the rule once, here, and the values
    dictionary is built with them as constant keys.

    Raises:
        InvalidArgument: ``fields`` lack a value the rule's templates need, or repeat one.

    Example:
        >>> import datetime as dt
        >>> from casemigrate.overlap import DUPLICATE_ACTIVE_CASES
        >>> make = finding_maker(DUPLICATE_ACTIVE_CASES, "count", "day")
        >>> made = make(["case-2", "case-1"], 2, dt.date(2026, 3, 1))
        >>> made == Finding.of(DUPLICATE_ACTIVE_CASES, ["case-2", "case-1"], count=2,
        ...                    day=dt.date(2026, 3, 1)), made.subjects
        (True, ('case-1', 'case-2'))
    """
    if type(rule) is not Rule:
        rule = _rule_of(rule)
    missing = sorted(rule.fields - set(fields))
    if missing:
        raise InvalidArgument(f"{rule.code} needs the values {missing} for its message",
                              field="details")
    if len(set(fields)) != len(fields):
        raise InvalidArgument(f"{rule.code}: a value is named twice", field="details")
    arguments = [f"value{index}" for index in range(len(fields))]
    values = "{" + ", ".join(f"{field!r}: {argument}"
                             for field, argument in zip(fields, arguments, strict=True)) + "}"
    scope: dict[str, Any] = {"_rule": rule, "_code": rule.code, "_severity": rule.severity,
                             "_new": _new_finding, "_cls": Finding,
                             "_of": Finding.of, "_ids": _subject_ids, "_mask": mask_cpr_id}
    if pair:
        # Two ids, unrolled: Finding.of's loop, masking and ordering for a pair. An id
        # that is not a str goes to Finding.of, which raises its error.
        head = ", ".join(["first", "second", *arguments])
        body = (
            "    if type(first) is not str or type(second) is not str:\n"
            f"        return _of(_rule, (first, second), **{values})\n"
            "    if ((10 <= len(first) <= 11 and _mask(first) is not first)\n"
            "            or (10 <= len(second) <= 11 and _mask(second) is not second)):\n"
            "        first, second = _mask(first), _mask(second)\n"
            "    if first < second:\n"
            "        ids = (first, second)\n"
            "    elif first != second:\n"
            "        ids = (second, first)\n"
            "    else:\n"
            "        ids = (first,)\n"
        )
    else:
        head = ", ".join(["subjects", *arguments])
        body = "    ids = _ids(subjects)\n"
    # The slots are filled as slots_filler fills them, unrolled here to save a call.
    slots = {"code": "_code", "rule": "_rule", "severity": "_severity", "subjects": "ids",
             "_values": values, "_message": "None"}
    for name in slots:
        scope[f"_set_{name}"] = Finding.__dict__[name].__set__
    fill = "".join(f"    _set_{name}(finding, {value})\n" for name, value in slots.items())
    source = f"def make({head}):\n{body}    finding = _new(_cls)\n{fill}    return finding\n"
    make: Callable[..., Finding] = _compiled(
        source, f"<casemigrate finding maker {rule.code} {'pair' if pair else 'ids'}>", scope,
        "make")
    return make


def _rule_of(code: object) -> Rule:
    """The rule of a code string, for callers without a type checker."""
    from casemigrate.catalogue import RULES  # noqa: PLC0415  # the catalogue imports us

    rule = RULES.get(code) if isinstance(code, str) else None
    if rule is None:
        raise UnknownRuleCode(f"{str(code)[:12]!r} is not a rule code", field="code")
    return rule


# The fields each rule's message needs, filled on first use (rules hash by identity).
_NEEDS: Final[dict[Rule, frozenset[str]]] = {}

_SEVERITY: Final = operator.attrgetter("severity")
_CODE: Final = operator.attrgetter("code")
_SUBJECTS: Final = operator.attrgetter("subjects")


def _tie_key(finding: Finding) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """The message, then the details: two citizens' findings on reused ids differ there.

    A CPR is keyed by its digits (never shown), anything else by its type and text.
    """
    details = tuple(sorted(
        (key, type(value).__name__,
         cpr_key(value) if isinstance(value, CPR) else str(value))
        for key, value in finding.details.items()
    ))
    return finding.message, details


def sort_tied_runs(ordered: list[_T], tied: Iterable[int], full: Callable[[_T], Any]) -> None:
    """Sort, in place and by ``full``, each run of ``ordered`` whose neighbours tie.

    Package-private: the tie-breaking of :func:`sort_findings` and of the records'
    total orders (``_keys.sorted_total``). ``tied`` gives, ascending, each index whose
    item ties with the one before it; ties are rare, so ``full`` is computed for them
    alone.
    """
    start = end = -1
    for index in tied:
        if index - 1 != end:  # a new run of ties
            if end > start:
                ordered[start:end + 1] = sorted(ordered[start:end + 1], key=full)
            start = index - 1
        end = index
    if end > start:
        ordered[start:end + 1] = sorted(ordered[start:end + 1], key=full)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings in their canonical order: severity, code, subjects, message, details.

    The message and details only break ties of the first three, which are rare, so the
    message is formatted only for them. The order never depends on the input's.

    Example:
        >>> import datetime as dt
        >>> from casemigrate.overlap import CASES_WITHOUT_CITIZEN, DUPLICATE_ACTIVE_CASES
        >>> a = Finding.of(CASES_WITHOUT_CITIZEN, count=1)
        >>> b = Finding.of(DUPLICATE_ACTIVE_CASES, ("x",), count=2, day=dt.date(2026, 1, 1))
        >>> [f.code for f in sort_findings([a, b])]
        ['CM204', 'CM205']
    """
    # Three stable sorts, least significant key first, give the order of the key
    # (severity, code, subjects) without a key tuple per finding: each pass's keys are
    # objects the findings already hold, so a million findings allocate nothing for the
    # garbage collector to walk.
    ordered = sorted(findings, key=_SUBJECTS)
    ordered.sort(key=_CODE)
    ordered.sort(key=_SEVERITY)
    # Ties on all three are next to each other; they share their subjects first.
    subjects = list(map(_SUBJECTS, ordered))
    same = compress(range(1, len(subjects)), map(eq, subjects[1:], subjects))
    sort_tied_runs(ordered, (index for index in same
                             if ordered[index].code == ordered[index - 1].code
                             and ordered[index].severity == ordered[index - 1].severity),
                   _tie_key)
    return tuple(ordered)


class FindingError(CaseMigrateError):
    """One ERROR finding, raised inside a :class:`FindingErrors` group.

    Attributes:
        finding: The finding.
    """

    def __init__(self, finding: Finding) -> None:
        self.finding = finding
        super().__init__(str(finding))

    def with_field(self, field: str) -> CaseMigrateError:
        """A finding is about records, not a field: returned unchanged."""
        return self


class FindingErrors(ExceptionGroup[FindingError]):
    """Every ERROR finding of a report, for callers who want to stop on them.

    Catch it with ``except FindingErrors`` or pick findings with
    ``except* FindingError``.
    """


def __getattr__(name: str) -> Mapping[str, Rule]:
    # ``casemigrate.findings.RULES`` for code written before the catalogue had its own
    # module: it is gathered from the rule modules, which import this one.
    if name == "RULES":
        from casemigrate.catalogue import RULES  # noqa: PLC0415

        return RULES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---- the general rule -------------------------------------------------------------------

CHECK_NOT_APPLICABLE: Final = Rule(
    code="CM001",
    name="check-not-applicable",
    severity=Severity.INFO,
    summary="A check was asked for that does not apply to the plan's register or lacks "
            "data.",
    summary_da="En valgt kontrol gælder ikke for planens register, eller den mangler de data, "
               "den skal bruge.",
    message="{check} was not run: {reason}",
    message_da="{check} blev ikke kørt: {reason}",
    hint="Give the data the check needs, or leave the check out for this register.",
    hint_da="Giv kontrollen de data, den skal bruge, eller udelad den for dette register.",
    citations=POLICY.cite(
        "nothing-skipped",
        "A check that cannot run says so in a finding instead of returning nothing."),
    checks="That a check asked for could run: it applies to the plan's register, and the "
           "data it needs was given.",
    why="A check that silently does nothing looks like a check that found nothing. This "
        "finding says which check did not run, and why.",
    example="`find_blocking_cases(cases, plan)` for a plan on `Register.HANDICAP`: blocking "
            "active cases are an SMDB rule, so the check reports CM001 instead of an empty "
            "result.",
    sample={"check": "find_blocking_cases",
            "reason": _text.Term("no cases were given", da="der er ingen sager at kontrollere")},
    checks_da="At en valgt kontrol kunne køres: den gælder for planens register, og de data, den "
              "skal bruge, blev givet.",
    why_da="En kontrol, der i stilhed ikke gør noget, ligner en kontrol, der ikke fandt noget. "
           "Dette fund siger, hvilken kontrol der ikke blev kørt, og hvorfor.",
    example_da="`find_blocking_cases(cases, plan)` for en plan for `Register.HANDICAP`: "
               "blokerende aktive sager er en SMDB-regel, så kontrollen giver CM001 i stedet for "
               "et tomt resultat.",
)
