"""Findings: what a rule found, with its code, severity, subjects and citation.

A :class:`Rule` is an entry of the catalogue :data:`RULES`: a stable code that is
never reused, a kebab-case name, a summary, a message template, a default severity,
the citation of the source it comes from and a hint on how to resolve it. A
:class:`Finding` is always built from its rule (:meth:`Finding.of`), so its message
always comes from the template and its citation from the catalogue.

Code families:

* ``CM0xx`` general (a check that could not run);
* ``CM1xx`` plans and timelines;
* ``CM2xx`` reporting overlap, duplicate and blocking active cases;
* ``CM3xx`` services and deliveries;
* ``CM4xx`` cleanup and economics;
* ``CM5xx`` conversion.

Every code is documented in ``docs/rules.md``; a test keeps the two in step.

Example:
    >>> from casemigrate.findings import Finding, RULES
    >>> RULES["CM204"].name
    'duplicate-active-cases'
    >>> f = Finding.of("CM204", ("case-1", "case-2"), count=2, day="2026-03-01")
    >>> f.severity.name, f.subjects
    ('ERROR', ('case-1', 'case-2'))
    >>> print(f)
    CM204 ERROR [case-1, case-2]: 2 cases of one citizen are active on 2026-03-01; ...
"""

from __future__ import annotations

import enum
import operator
import re
import string
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from casemigrate._slots import slots_filler
from casemigrate.exceptions import InvalidArgument, UnknownRuleCode
from casemigrate.identifiers import CPR, cpr_key

__all__ = ["RULES", "Finding", "Rule", "Severity", "sort_findings"]

SMDB: Final = "000_d513326771b776cb.txt"
HANDICAP: Final = "001_c27bcfbe2421f4b2.txt"
DUBU: Final = "002_82492dedb15d4efb.txt"
EXIT2: Final = "003_63b3ba8438f94d62.txt"


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


_CODE_RE: Final = re.compile(r"CM\d{3}")
_NAME_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _template_fields(template: str) -> frozenset[str]:
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(template) if name is not None
    )


@attrs.frozen
class Rule:
    """One entry of the catalogue.

    Attributes:
        code: Stable code, e.g. ``"CM204"``; never reused.
        name: Kebab-case name describing the problem, e.g. ``"duplicate-active-cases"``.
        summary: What the rule checks, in one sentence.
        message: ``str.format`` template of a finding's message.
        severity: The default severity.
        citation: Source file and section the rule comes from.
        hint: How to resolve a finding.
        message_da: The message template in Danish (same fields as ``message``).
        hint_da: The hint in Danish.
    """

    code: str
    name: str
    summary: str
    message: str
    severity: Severity
    citation: str
    hint: str
    message_da: str = ""
    hint_da: str = ""

    def template(self, language: str = "en") -> str:
        """The message template in ``"en"`` or ``"da"``."""
        return self.message_da if _language(language) == "da" else self.message

    def hint_in(self, language: str = "en") -> str:
        """The hint in ``"en"`` or ``"da"``."""
        return self.hint_da if _language(language) == "da" else self.hint

    @property
    def fields(self) -> frozenset[str]:
        """The names the message templates need (both languages)."""
        return _template_fields(self.message) | _template_fields(self.message_da)


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
        severity: The severity (the rule's default unless overridden).
        subjects: The ids of the records involved (case, service or delivery ids, or a
            plan's milestone key), sorted. Never a full CPR number.
        details: The values the message is built from (dates, counts, ids), for
            programs to read instead of parsing the message.
    """

    code: str
    severity: Severity
    subjects: tuple[str, ...]
    _values: dict[str, Any] = attrs.field(
        factory=dict, converter=_own_dict, hash=False, repr=False, alias="details"
    )
    _message: str | None = attrs.field(
        default=None, init=False, eq=False, hash=False, repr=False, alias="_message"
    )

    @property
    def details(self) -> Mapping[str, Any]:
        """The values the message is built from, read-only."""
        return MappingProxyType(self._values)

    @classmethod
    def of(
        cls,
        code: str,
        subjects: Iterable[str] = (),
        *,
        severity: Severity | None = None,
        **values: Any,
    ) -> Finding:
        """Build a finding of rule ``code`` about ``subjects``.

        Args:
            code: A code of :data:`RULES`.
            subjects: Ids of the records involved; sorted and de-duplicated.
            severity: Overrides the rule's default severity.
            **values: The values the message templates need (and any more), kept in
                :attr:`details`.

        Returns:
            The finding.

        Raises:
            UnknownRuleCode: ``code`` is not in the catalogue.
        """
        rule = RULES.get(code)
        if rule is None:
            raise UnknownRuleCode(f"{str(code)[:12]!r} is not a rule code", field="code")
        if not _NEEDS[code] <= values.keys():
            missing = sorted(_NEEDS[code] - values.keys())
            raise InvalidArgument(f"{code} needs the values {missing} for its message",
                                  field="details")
        ids = tuple(subjects) if not isinstance(subjects, tuple) else subjects
        for subject in ids:
            if type(subject) is not str:
                raise InvalidArgument(
                    f"subjects are record ids (strings), got a {type(subject).__name__}",
                    field="subjects")
        if len(ids) == 2:
            ids = ids if ids[0] < ids[1] else ((ids[1], ids[0]) if ids[0] != ids[1] else ids[:1])
        elif len(ids) > 2:
            ids = tuple(sorted(set(ids)))
        # Built without the generated __init__: rule checks make findings by the
        # hundred thousand, and the values need no conversion here.
        finding = _new_finding(cls)
        _fill_finding(finding, code, rule.severity if severity is None else severity, ids,
                      values, None)
        return finding

    @property
    def rule(self) -> Rule:
        """The catalogue entry of this finding."""
        return RULES[self.code]

    @property
    def message(self) -> str:
        """The rule's English message with the finding's values filled in."""
        message = self._message
        if message is None:
            message = self.message_in("en")
            object.__setattr__(self, "_message", message)
        return message

    @property
    def citation(self) -> str:
        """The source file and section of the rule."""
        return RULES[self.code].citation

    @property
    def hint(self) -> str:
        """How to resolve it, in English."""
        return RULES[self.code].hint

    def message_in(self, language: str = "en") -> str:
        """The message in ``"en"`` or ``"da"``, from the rule's template and the details.

        Example:
            >>> Finding.of("CM205", ("X-1",), count=1).message_in("da")
            '1 sag(er) har intet CPR-nummer og blev ikke kontrolleret'
        """
        shown = {key: _show(value) for key, value in self.details.items()}
        return self.rule.template(language).format(**shown)

    def hint_in(self, language: str = "en") -> str:
        """The hint in ``"en"`` or ``"da"``."""
        return self.rule.hint_in(language)

    @property
    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        """Severity (worst first), then code, then subjects."""
        return (int(self.severity), self.code, self.subjects)

    def __str__(self) -> str:
        subjects = f" [{', '.join(self.subjects)}]" if self.subjects else ""
        return f"{self.code} {self.severity.name}{subjects}: {self.message}"


_new_finding: Final = object.__new__
_fill_finding: Final = slots_filler(Finding, "code", "severity", "subjects", "_values",
                                    "_message")


def _language(language: str) -> str:
    if language not in ("en", "da"):
        raise InvalidArgument(f"expected 'en' or 'da', got {language!r}", field="language")
    return language


def _show(value: Any) -> Any:
    """Format values for a message: dates as ISO, collections joined."""
    if type(value) in (tuple, list, frozenset, set):
        return ", ".join(str(item) for item in value)
    return value


_SORT: Final = operator.attrgetter("severity", "code", "subjects")


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


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Findings in their canonical order: severity, code, subjects, message, details.

    The message and details only break ties of the first three, which are rare, so the
    message is formatted only for them. The order never depends on the input's.

    Example:
        >>> a = Finding.of("CM205", count=1)
        >>> b = Finding.of("CM204", ("x",), count=2, day="2026-01-01")
        >>> [f.code for f in sort_findings([a, b])]
        ['CM204', 'CM205']
    """
    ordered = sorted(findings, key=_SORT)
    keys = list(map(_SORT, ordered))
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or keys[index] != keys[start]:
            if index - start > 1:
                ordered[start:index] = sorted(ordered[start:index], key=_tie_key)
            start = index
    return tuple(ordered)


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CATALOGUE: Final[tuple[Rule, ...]] = (
    # ---- CM0xx general -------------------------------------------------------------
    Rule(
        "CM001", "check-not-applicable",
        "A check was asked for that does not apply to the plan's register or lacks data.",
        "{check} was not run: {reason}",
        _I, "casemigrate convention (DESIGN.md, Conventions: nothing is skipped silently)",
        "Give the data the check needs, or leave the check out for this register.",
    ),
    # ---- CM1xx plans and timelines -------------------------------------------------
    Rule(
        "CM101", "cutover-chosen-late",
        "The SMDB cutover date was chosen later than two months before the cutover.",
        "the cutover {cutover} was chosen on {chosen}, after the latest date {latest}",
        _W, f"{SMDB}, step 1 (Vælg skæringsdato - 2-3 måneder før systemskiftet)",
        "Agree a later cutover with DST, or make sure DST has agreed to the short notice.",
    ),
    Rule(
        "CM102", "dst-not-notified",
        "The plan does not record that Statistics Denmark has been told of the change.",
        "DST has not been notified of the change to {new_system} (cutover {cutover})",
        _W, f"{SMDB}, introduction; {HANDICAP}, section 1 (1)",
        "Tell DST now, even if not every detail is known, and record the date in the plan.",
    ),
    Rule(
        "CM103", "dst-notified-late",
        "Statistics Denmark was told later than the plan's latest date for it.",
        "DST was notified on {notified}, after the latest date {latest}",
        _W, f"{SMDB}, introduction; {HANDICAP}, section 1 (1)",
        "Confirm with DST that the cutover can still be handled as planned.",
    ),
    Rule(
        "CM104", "dst-notified-after-cutover",
        "Statistics Denmark was told on or after the cutover: its processing cannot "
        "have taken the change into account.",
        "DST was notified on {notified}, on or after the cutover {cutover}",
        _E, f"{HANDICAP}, introduction and section 1 (1)",
        "Contact DST at once so the deliveries around the cutover can be processed again.",
    ),
    Rule(
        "CM105", "old-reporting-open-at-cutover",
        "SMDB reporting from the old system must be closed before the cutover date.",
        "reporting from {old_system} closes on {closed}, not before the cutover {cutover}",
        _E, f"{SMDB}, step 1 (ingen overlap mellem indberetning)",
        "Close the old system's reporting days to weeks before the cutover.",
    ),
    Rule(
        "CM106", "milestone-overdue",
        "A milestone's latest date has passed and the plan does not record it done.",
        "'{title}' was due by {latest} and is not recorded as done (as of {as_of})",
        _W, "see the milestone's own citation",
        "Do the step, or record the date it was done in the plan's `done`.",
    ),
    Rule(
        "CM107", "cutover-not-working-day",
        "The cutover falls on a weekend or Danish public holiday.",
        "the cutover {cutover} is not a working day ({why})",
        _W, f"{SMDB}, step 4 (genindberet umiddelbart efter systemskiftet)",
        "Move the cutover to a working day so re-reporting can start on the day itself.",
    ),
    Rule(
        "CM108", "milestone-done-late",
        "A milestone was recorded done after its latest date.",
        "'{title}' was done on {done}, after its latest date {latest}",
        _I, "see the milestone's own citation",
        "Nothing to do now; check that the late step did not leave data behind.",
    ),
    # ---- CM2xx reporting overlap, duplicate and blocking active cases ---------------
    Rule(
        "CM201", "old-system-reports-after-cutover",
        "SMDB: a production delivery from the old system was sent on or after the cutover.",
        "{delivery} from the old system {system} was sent on {sent}, on or after the "
        "cutover {cutover}",
        _E, f"{SMDB}, step 1 (ingen overlap mellem indberetning fra det nye og nuværende)",
        "Stop reporting from the old system before the cutover; ask DST to remove the "
        "delivery.",
    ),
    Rule(
        "CM202", "new-system-reports-before-cutover",
        "A production delivery from the new system was sent before the cutover.",
        "{delivery} from the new system {system} was sent on {sent}, before the cutover "
        "{cutover}",
        _E, f"{SMDB}, step 1; {HANDICAP}, section 1, NB (testleverance T402)",
        "Send deliveries before the cutover as test deliveries (T402), not production (L402).",
    ),
    Rule(
        "CM203", "old-system-still-reporting",
        "Handicap and vulnerable adults: the old system keeps reporting after the cutover, "
        "as the source asks.",
        "{delivery} from the old system {system} was sent on {sent}, after the cutover "
        "{cutover}: expected until the new system works",
        _I, f"{HANDICAP}, section 1, NB (fortsætte med at indberette via det tidligere system)",
        "Nothing to do; stop the old reporting once the new system's deliveries work.",
    ),
    Rule(
        "CM204", "duplicate-active-cases",
        "A citizen has more than one active case in one municipality.",
        "{count} cases of one citizen are active on {day}; the register takes one",
        _E, f"{SMDB}, step 2 (kun have én aktiv sag pr. borger)",
        "Close every case but one (in the system that holds it), or merge them.",
    ),
    Rule(
        "CM205", "cases-without-citizen",
        "Cases without a citizen cannot be checked for duplicates and were left out.",
        "{count} case(s) have no citizen and were not checked",
        _I, f"{SMDB}, step 2",
        "Add the citizen's CPR number to the cases, or confirm they are not citizen cases.",
    ),
    Rule(
        "CM206", "blocking-active-case",
        "An old-system case is still active when all active SMDB cases must be deleted; "
        "it will block the new system's case for the citizen.",
        "{case} in the old system {system} is still active on {deadline}, the latest "
        "date to delete active courses",
        _E, f"{SMDB}, steps 2 and 3 (vil sagen spærre for indkomne sager fra det nye system)",
        "Close the course in the old system if treatment has ended, or have DST delete "
        "it before the deadline and re-report it from the new system.",
    ),
    Rule(
        "CM207", "active-in-both-systems",
        "A citizen has an active case in both the old and the new system at the cutover.",
        "the citizen has active cases in {old_system} and {new_system} on the cutover "
        "{cutover}",
        _E, f"{SMDB}, step 2 (kun have én aktiv sag pr. borger i SMDB)",
        "Close or delete the old system's case; keep the new system's.",
    ),
    Rule(
        "CM208", "delivery-not-in-plan",
        "A delivery from a system or municipality outside the plan was not judged.",
        "{delivery} is from {system} in municipality {municipality}, not part of the plan",
        _I, f"{SMDB}, step 1; {HANDICAP}, section 2",
        "Leave it out, or check that the plan names the right systems and municipality.",
    ),
    Rule(
        "CM209", "case-not-in-plan",
        "Cases of another municipality or system than the plan's were not judged.",
        "{count} case(s) are not of {municipality} in {old_system} or {new_system} and "
        "were not judged",
        _I, f"{SMDB}, step 2 (kun have én aktiv sag pr. borger i SMDB)",
        "Leave them out, or check that the plan names the right systems and municipality.",
    ),
    # ---- CM3xx services and deliveries ---------------------------------------------
    Rule(
        "CM301", "service-counted-twice",
        "The same citizen and service code have overlapping periods from both systems, "
        "so the service is counted twice.",
        "{old} ({old_period}) and {new} ({new_period}) are both counted from {first} to "
        "{last}",
        _E, f"{HANDICAP}, section 2 (1)-(3) and section 1 (2)",
        "Give the old system's service its real end date, or remove the duplicate.",
    ),
    Rule(
        "CM302", "artificial-closure-at-cutover",
        "An old-system service ends the day before or on the cutover while the new "
        "system has the same service active from the cutover.",
        "{old} ends on {end} and {new} starts on {start}: the old service was probably "
        "closed because of the change, not because it ended",
        _W, f"{HANDICAP}, section 1 (2) (kun påføres en slutdato, hvis ydelsen reelt er afsluttet)",
        "Remove the end date in the old system and re-create the service in the new "
        "system with its real start date.",
    ),
    Rule(
        "CM303", "start-equals-cutover",
        "A new-system active service starts on the cutover date: its real start date "
        "was probably lost.",
        "{service} starts on the cutover {cutover}",
        _W, f"{HANDICAP}, section 1 (3) (oprettes med deres reelle startdato)",
        "Set the service's real start date from the old system.",
    ),
    Rule(
        "CM304", "closed-service-vanished",
        "A closed service in an earlier delivery of the old system is missing from its "
        "latest delivery, so it vanishes from the statistics.",
        "{service} was closed in {earlier} but is missing from {latest}",
        _E, f"{HANDICAP}, section 2 (1) (den senest modtagne leverance)",
        "Send a new old-system delivery that holds every closed service.",
    ),
    Rule(
        "CM305", "deliveries-sent-at-same-time",
        "Two production deliveries from one system have the same sent time, so which is "
        "the latest is ambiguous.",
        "{deliveries} from {system} were all sent at {sent}; {chosen} was used",
        _E, f"{HANDICAP}, section 2 (1)-(2) (den senest modtagne leverance)",
        "Ask DST which delivery it holds as the latest, and resend if needed.",
    ),
    Rule(
        "CM306", "service-municipality-mismatch",
        "A service's municipality differs from its delivery's.",
        "{service} belongs to municipality {service_municipality} but came in {delivery} "
        "of {delivery_municipality}",
        _E, f"{HANDICAP}, section 2",
        "Correct the service's acting municipality or deliver it in the right file.",
    ),
    Rule(
        "CM307", "duplicate-service-id",
        "One delivery holds the same service id more than once.",
        "{delivery} holds {service} {count} times",
        _E, f"{HANDICAP}, section 1 (2)",
        "Remove the duplicate rows from the delivery.",
    ),
    Rule(
        "CM308", "service-system-mismatch",
        "A service says it comes from another system than the delivery it came in.",
        "{service} says system {service_system} but came in {delivery} from {delivery_system}",
        _W, f"{HANDICAP}, section 2",
        "Check the extract: the service belongs in its own system's delivery.",
    ),
    Rule(
        "CM309", "service-incomplete",
        "A service lacks what DST needs: start date, end date (when closed), service code "
        "or a target group.",
        "{service} lacks {missing}",
        _E, f"{HANDICAP}, section 1 (2) (startdato, slutdato, ydelseskode, målgruppe(r))",
        "Complete the service in the system it comes from before the last delivery.",
    ),
    Rule(
        "CM310", "malformed-target-group",
        "A target-group code is not a dotted numeral such as 1.2.2.1.",
        "{service} has target group(s) {groups} that are not dotted numerals",
        _E, f"{HANDICAP}, section 1 (2) (overholder DSTs krav til dataindberetningen)",
        "Correct the target groups to DST's codes.",
    ),
    Rule(
        "CM311", "closed-service-ends-in-future",
        "A closed service's end date lies after the reference date.",
        "{service} ends on {end}, after {as_of}: it has not really ended yet",
        _W, f"{HANDICAP}, section 1 (2) (kun påføres en slutdato, hvis ydelsen reelt er afsluttet)",
        "Remove the end date until the service has really ended.",
    ),
    Rule(
        "CM312", "no-production-delivery",
        "A system of the plan has no production delivery, so none of its services are in "
        "the data basis.",
        "no production delivery from {system} (the plan's {role})",
        _W, f"{HANDICAP}, section 2 (1)-(3)",
        "Send a production delivery (L402) from the system, or check the plan.",
    ),
    Rule(
        "CM314", "services-overlap-within-system",
        "Two services of one system with the same citizen and service code share at "
        "least one day: probably one service registered twice.",
        "{earlier} ({earlier_period}) and {later} ({later_period}) in {system} are both "
        "counted from {first} to {last}",
        _W, f"{HANDICAP}, section 1 (2) (korrekte oplysninger)",
        "Check whether the two are one service; if so, remove one or correct its dates.",
    ),
    Rule(
        "CM313", "service-not-in-plan",
        "Services of another municipality or system than the plan's were not checked.",
        "{count} service(s) are not of {municipality} in {old_system} or {new_system} "
        "and were not checked",
        _I, f"{HANDICAP}, section 2",
        "Leave them out, or check that the plan names the right systems and municipality.",
    ),
    # ---- CM4xx cleanup and economics -----------------------------------------------
    Rule(
        "CM401", "notice-at-5000-policy",
        "Exactly 5,000 manual cases: the source names under 5,000 and over 5,000 only; "
        "casemigrate's policy decided.",
        "{cases} cases is neither under nor over 5,000; policy '{policy}' gave {months} months",
        _I, f"{EXIT2}, Del 3 (Opsigelsesvarsler for manuelle sager i KMD Sag)",
        "Confirm the notice period with KMD in writing.",
    ),
    Rule(
        "CM402", "notice-before-end-2015-policy",
        "Over 5,000 manual cases with notice before the end of 2015: the source's "
        "3-month rule applies only from then; casemigrate's policy decided.",
        "notice given on {given}, before {from_date}: policy gave {months} months",
        _I, f"{EXIT2}, Del 3 (hvis de først opsiger fra ultimo 2015)",
        "Confirm the notice period with KMD in writing.",
    ),
    Rule(
        "CM403", "negative-saving",
        "The forecast has more active cases after the cleanup than before: a cost, not "
        "a saving.",
        "{after} active cases after against {before} before: the bill rises by "
        "{amount} kr a month",
        _W, f"{EXIT2}, Del 2, Fredericia Kommune (betales pr. aktiv sag)",
        "Check the forecast; new manual cases may still be being created.",
    ),
    Rule(
        "CM404", "retired-kle-case",
        "Active manual cases on a KLE number the municipality marks as retired can be "
        "mass-closed.",
        "{count} active case(s) on retired KLE {kle}{saving}",
        _I, f"{EXIT2}, Del 2, Fredericia Kommune (udgået)",
        "Agree with the department that owns the KLE number, then mass-close the cases.",
    ),
    Rule(
        "CM405", "stale-converted-case",
        "Converted cases still active years after conversion can be mass-closed.",
        "{count} converted case(s) opened before {cutoff} are still active{saving}",
        _I, f"{EXIT2}, Del 2, Fredericia Kommune (konverterede sager, 5-6 år gamle)",
        "Check with the department, then mass-close the cases.",
    ),
    Rule(
        "CM406", "manual-duplicates-system-case",
        "A manual case duplicates a system case of the same citizen and KLE number: it was "
        "created without 'sammenlæg sag' or on a wrong KLE number.",
        "manual case(s) {manual} duplicate system case(s) {system_cases} on KLE {kle}"
        "{saving}",
        _I, f"{EXIT2}, Del 2, Fredericia Kommune (oprettet uden X i 'sammenlæg sag')",
        "Close the manual cases, or merge them into the system case.",
    ),
    # ---- CM5xx conversion ----------------------------------------------------------
    Rule(
        "CM501", "partly-automatic-conversion-cost",
        "A partly automatic conversion is bought from the vendor at the municipality's "
        "own cost.",
        "partly automatic conversion of {count} case(s) is paid by the municipality",
        _I, f"{DUBU}, Beskrivelse (mod betaling ... Denne udgift afholdes af kommunen selv)",
        "Get a price from the vendor and weigh it against the manual workload.",
    ),
    Rule(
        "CM502", "cases-left-in-old-system",
        "Cases not converted stay reachable only in the old system.",
        "{count} case(s) are not converted and stay in {system}",
        _I, f"{DUBU}, Beskrivelse (udelukkende skal være tilgængelige via jeres eksisterende "
        "sags- og dokumentbærende system)",
        "Keep read access to the old system for as long as the cases may be needed.",
    ),
)


# Danish message templates and hints, by code. Same template fields as the English.
_DANISH: Final[Mapping[str, tuple[str, str]]] = {
    "CM001": ("{check} blev ikke kørt: {reason}",
              "Giv de data, kontrollen kræver, eller udelad kontrollen for dette register."),
    "CM101": ("skæringsdatoen {cutover} blev valgt {chosen}, efter seneste dato {latest}",
              "Aftal en senere skæringsdato med DST, eller sikr at DST har accepteret det "
              "korte varsel."),
    "CM102": ("DST har ikke fået besked om skiftet til {new_system} (skæringsdato {cutover})",
              "Giv DST besked nu, også selvom ikke alle detaljer kendes, og notér datoen i "
              "planen."),
    "CM103": ("DST fik besked {notified}, efter seneste dato {latest}",
              "Bekræft med DST, at systemskiftet stadig kan håndteres som planlagt."),
    "CM104": ("DST fik besked {notified}, på eller efter skæringsdatoen {cutover}",
              "Kontakt straks DST, så leverancerne omkring skiftet kan behandles igen."),
    "CM105": ("indberetning fra {old_system} lukker {closed}, ikke før skæringsdatoen "
              "{cutover}",
              "Luk for indberetning fra det nuværende system dage til uger før "
              "skæringsdatoen."),
    "CM106": ("'{title_da}' skulle være gjort senest {latest} og er ikke noteret som gjort "
              "(pr. {as_of})",
              "Gennemfør trinnet, eller notér datoen det blev gjort i planens `done`."),
    "CM107": ("skæringsdatoen {cutover} er ikke en arbejdsdag ({why})",
              "Flyt skæringsdatoen til en arbejdsdag, så genindberetningen kan begynde "
              "samme dag."),
    "CM108": ("'{title_da}' blev gjort {done}, efter seneste dato {latest}",
              "Intet at gøre nu; kontrollér at det sene trin ikke har efterladt data."),
    "CM201": ("{delivery} fra det nuværende system {system} blev sendt {sent}, på eller "
              "efter skæringsdatoen {cutover}",
              "Stop indberetning fra det nuværende system før skæringsdatoen; bed DST "
              "fjerne leverancen."),
    "CM202": ("{delivery} fra det nye system {system} blev sendt {sent}, før "
              "skæringsdatoen {cutover}",
              "Send leverancer før skæringsdatoen som testleverancer (T402), ikke "
              "produktion (L402)."),
    "CM203": ("{delivery} fra det tidligere system {system} blev sendt {sent}, efter "
              "skæringsdatoen {cutover}: forventet indtil det nye system virker",
              "Intet at gøre; stop den gamle indberetning, når det nye systems leverancer "
              "virker."),
    "CM204": ("{count} sager for samme borger er aktive {day}; registret modtager én",
              "Luk alle sager på nær én (i det system der har dem), eller læg dem sammen."),
    "CM205": ("{count} sag(er) har intet CPR-nummer og blev ikke kontrolleret",
              "Tilføj borgerens CPR-nummer, eller bekræft at det ikke er borgersager."),
    "CM206": ("{case} i det nuværende system {system} er stadig aktiv {deadline}, seneste "
              "dato for sletning af aktive forløb",
              "Afslut forløbet i det nuværende system, hvis behandlingen er slut, eller få "
              "DST til at slette det før fristen og genindberet det fra det nye system."),
    "CM207": ("borgeren har aktive sager i {old_system} og {new_system} på skæringsdatoen "
              "{cutover}",
              "Luk eller slet sagen i det nuværende system; behold det nye systems."),
    "CM208": ("{delivery} er fra {system} i kommune {municipality}, ikke en del af planen",
              "Udelad den, eller kontrollér at planen nævner de rigtige systemer og "
              "kommune."),
    "CM209": ("{count} sag(er) er ikke fra {municipality} i {old_system} eller "
              "{new_system} og blev ikke vurderet",
              "Udelad dem, eller kontrollér at planen nævner de rigtige systemer og "
              "kommune."),
    "CM301": ("{old} ({old_period}) og {new} ({new_period}) tælles begge fra {first} til "
              "{last}",
              "Giv ydelsen i det tidligere system dens reelle slutdato, eller fjern "
              "dubletten."),
    "CM302": ("{old} slutter {end} og {new} starter {start}: den gamle ydelse blev "
              "formentlig afsluttet på grund af skiftet, ikke fordi den sluttede",
              "Fjern slutdatoen i det tidligere system og opret ydelsen i det nye system "
              "med dens reelle startdato."),
    "CM303": ("{service} starter på skæringsdatoen {cutover}",
              "Sæt ydelsens reelle startdato fra det tidligere system."),
    "CM304": ("{service} var afsluttet i {earlier} men mangler i {latest}",
              "Send en ny leverance fra det tidligere system med alle afsluttede ydelser."),
    "CM305": ("{deliveries} fra {system} blev alle sendt {sent}; {chosen} blev brugt",
              "Spørg DST, hvilken leverance de har som den seneste, og send igen om "
              "nødvendigt."),
    "CM306": ("{service} hører til kommune {service_municipality} men kom i {delivery} "
              "fra {delivery_municipality}",
              "Ret ydelsens handlekommune, eller send den i den rigtige leverance."),
    "CM307": ("{delivery} indeholder {service} {count} gange",
              "Fjern de dobbelte rækker fra leverancen."),
    "CM308": ("{service} angiver system {service_system} men kom i {delivery} fra "
              "{delivery_system}",
              "Kontrollér udtrækket: ydelsen hører til i sit eget systems leverance."),
    "CM309": ("{service} mangler {missing}",
              "Udfyld ydelsen i det system, den kommer fra, før den sidste leverance."),
    "CM310": ("{service} har målgruppe(r) {groups}, der ikke er punktadskilte tal",
              "Ret målgrupperne til DSTs koder."),
    "CM311": ("{service} slutter {end}, efter {as_of}: den er ikke reelt afsluttet endnu",
              "Fjern slutdatoen, indtil ydelsen reelt er afsluttet."),
    "CM312": ("ingen produktionsleverance fra {system} (planens {role})",
              "Send en produktionsleverance (L402) fra systemet, eller kontrollér planen."),
    "CM313": ("{count} ydelse(r) er ikke fra {municipality} i {old_system} eller "
              "{new_system} og blev ikke kontrolleret",
              "Udelad dem, eller kontrollér at planen nævner de rigtige systemer og "
              "kommune."),
    "CM314": ("{earlier} ({earlier_period}) og {later} ({later_period}) i {system} tælles "
              "begge fra {first} til {last}",
              "Undersøg om de to er samme ydelse; fjern i så fald den ene, eller ret dens "
              "datoer."),
    "CM401": ("{cases} sager er hverken under eller over 5.000; politikken '{policy}' gav "
              "{months} måneder",
              "Bekræft opsigelsesvarslet skriftligt med KMD."),
    "CM402": ("opsagt {given}, før {from_date}: politikken gav {months} måneder",
              "Bekræft opsigelsesvarslet skriftligt med KMD."),
    "CM403": ("{after} aktive sager efter mod {before} før: regningen stiger med "
              "{amount} kr. om måneden",
              "Kontrollér prognosen; der oprettes måske stadig nye manuelle sager."),
    "CM404": ("{count} aktiv(e) sag(er) på udgået KLE {kle}{saving}",
              "Aftal med den afdeling, der ejer KLE-nummeret, og masseluk derefter sagerne."),
    "CM405": ("{count} konverteret/konverterede sag(er) oprettet før {cutoff} er stadig "
              "aktive{saving}",
              "Afklar med afdelingen, og masseluk derefter sagerne."),
    "CM406": ("manuel(le) sag(er) {manual} dublerer systemsag(er) {system_cases} på KLE "
              "{kle}{saving}",
              "Luk de manuelle sager, eller læg dem sammen med systemsagen."),
    "CM501": ("delvis automatisk konvertering af {count} sag(er) betales af kommunen",
              "Indhent en pris fra leverandøren, og sammenlign med den manuelle indsats."),
    "CM502": ("{count} sag(er) konverteres ikke og bliver i {system}",
              "Bevar læseadgang til det gamle system, så længe sagerne kan blive brugt."),
}


def _build(rules: Iterable[Rule]) -> Mapping[str, Rule]:
    catalogue: dict[str, Rule] = {}
    names: set[str] = set()
    for english in rules:
        message_da, hint_da = _DANISH[english.code]
        rule = attrs.evolve(english, message_da=message_da, hint_da=hint_da)
        danish = {name.removesuffix("_da") for name in _template_fields(rule.message_da)}
        if danish != _template_fields(rule.message):
            raise AssertionError(f"{rule.code}: Danish and English templates differ in fields")
        if not _CODE_RE.fullmatch(rule.code) or rule.code in catalogue:
            raise AssertionError(f"bad or repeated rule code {rule.code}")
        if not _NAME_RE.fullmatch(rule.name) or rule.name in names:
            raise AssertionError(f"bad or repeated rule name {rule.name}")
        catalogue[rule.code] = rule
        names.add(rule.name)
    if set(_DANISH) != set(catalogue):
        raise AssertionError(f"Danish texts for unknown codes: {set(_DANISH) - set(catalogue)}")
    return MappingProxyType(catalogue)


RULES: Final[Mapping[str, Rule]] = _build(_CATALOGUE)
"""The catalogue: every rule by its code."""
_NEEDS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {code: rule.fields for code, rule in RULES.items()}
)
