"""Cutover plans, their timelines, and the checks of a plan.

A :class:`CutoverPlan` says which municipality changes which register's reporting from
which system to which, on which cutover date, and what has been done so far.
:func:`plan_timeline` turns it into the milestones the sources ask for, each with a
window (earliest, latest) and a citation. :func:`check_plan` compares the plan with
the timeline on a given day.

Windows, with C the cutover date. A latest date on a day off moves back to the
previous working day, an earliest date forward to the next one (``casemigrate.workdays``).

SMDB (000_d513326771b776cb.txt):

==========================  ==================  ==============================
milestone                   earliest            latest
==========================  ==================  ==============================
notify_dst                  (as early as can)   latest of choose_cutover
choose_cutover              C - 3 months        C - 2 months
close_old_reporting         (days-weeks before)  the working day before C
review_open_courses         (in good time)      C - 1 month
delete_active_courses       C - 2 weeks         C - 1 week
rereport_active_courses     C                   C + 2 weeks
==========================  ==================  ==============================

Handicap and vulnerable adults (001_c27bcfbe2421f4b2.txt):

=================================  ===========  ============================
milestone                          earliest     latest
=================================  ===========  ============================
notify_dst                         (contract)   the working day before C
correct_closed_services            --           the working day before C
recreate_active_services           --           C
keep_old_reporting_until_new_works C            (until the new one works)
first_production_delivery          C            (DST is told when)
=================================  ===========  ============================

Where the source gives no bound, the milestone has none (``None``) and is never
overdue on that side.

Example:
    >>> import datetime as dt
    >>> from casemigrate.plan import CutoverPlan, Register, plan_timeline
    >>> plan = CutoverPlan(municipality=607, register=Register.SMDB, old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1))
    >>> timeline = plan_timeline(plan)
    >>> timeline["delete_active_courses"].earliest, timeline["delete_active_courses"].latest
    (datetime.date(2026, 5, 18), datetime.date(2026, 5, 22))
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from casemigrate import _validate as v
from casemigrate import workdays as wd
from casemigrate._frozen import FrozenMap
from casemigrate._slots import safe_repr
from casemigrate.exceptions import InvalidArgument, InvalidPlan, InvalidType
from casemigrate.findings import HANDICAP, SMDB, Finding, sort_findings
from casemigrate.identifiers import Municipality, municipality

__all__ = [
    "CutoverPlan",
    "Milestone",
    "Register",
    "Timeline",
    "check_plan",
    "plan_timeline",
]


class Register(enum.Enum):
    """The register whose reporting changes system.

    * ``SMDB``: Stofmisbrugsdatabasen, DST's register of drug-abuse treatment;
    * ``HANDICAP``: DST's statistics on handicap and vulnerable adults.
    """

    SMDB = "smdb"
    HANDICAP = "handicap"


# Milestone keys that have a field of their own on the plan.
_FIELD_OF: Final[Mapping[str, str]] = MappingProxyType({
    "notify_dst": "dst_notified",
    "choose_cutover": "cutover_chosen",
    "close_old_reporting": "old_reporting_closed",
})

_KEYS: Final[Mapping[Register, tuple[str, ...]]] = MappingProxyType({
    Register.SMDB: (
        "notify_dst", "choose_cutover", "close_old_reporting", "review_open_courses",
        "delete_active_courses", "rereport_active_courses",
    ),
    Register.HANDICAP: (
        "notify_dst", "correct_closed_services", "recreate_active_services",
        "keep_old_reporting_until_new_works", "first_production_delivery",
    ),
})


def _register(value: object) -> Register:
    return v.choice("register", Register, value, InvalidPlan)


def _municipality(value: object) -> Municipality:
    return municipality(value)  # type: ignore[arg-type]  # checked inside


def _old_system(value: object) -> str:
    return v.text("old_system", value, max_length=100)


def _new_system(value: object) -> str:
    return v.text("new_system", value, max_length=100)


def _cutover(value: object) -> dt.date:
    day = v.day("cutover", value)
    if not _FIRST_CUTOVER <= day <= _LAST_CUTOVER:
        raise InvalidPlan(
            f"{day} leaves no room for the timeline: a cutover lies from "
            f"{_FIRST_CUTOVER} to {_LAST_CUTOVER}", field="cutover",
        )
    return day


# A year of room each side: the timeline reaches three months before the cutover and
# two weeks after, and moves its dates to working days (docs/edge-values.md).
_FIRST_CUTOVER: Final = dt.date(2, 1, 1)
_LAST_CUTOVER: Final = dt.date(9998, 12, 31)


def _cutover_chosen(value: object) -> dt.date | None:
    return v.optional_day("cutover_chosen", value)


def _dst_notified(value: object) -> dt.date | None:
    return v.optional_day("dst_notified", value)


def _old_reporting_closed(value: object) -> dt.date | None:
    return v.optional_day("old_reporting_closed", value)


def _done(value: object) -> Mapping[str, dt.date]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping):
        raise InvalidType(
            f"expected a mapping of milestone key to date, got {v.type_name(value)}",
            field="done",
        )
    done: dict[str, dt.date] = {}
    for key, day in value.items():
        if not isinstance(key, str):
            raise InvalidType(f"keys must be milestone keys, got {v.type_name(key)}", field="done")
        done[key] = v.day("done", day)
    return FrozenMap(sorted(done.items()))


def _calendar(value: object) -> wd.WorkingDays:
    if not isinstance(value, wd.WorkingDays):
        raise InvalidType(f"expected WorkingDays, got {v.type_name(value)}", field="calendar")
    return value


@safe_repr
@attrs.frozen(kw_only=True)
class CutoverPlan:
    """A municipality's change of one register's reporting from one system to another.

    Attributes:
        municipality: The municipality (a code is accepted).
        register: ``Register.SMDB`` or ``Register.HANDICAP`` (or its value).
        old_system: The system reported from until the cutover.
        new_system: The system reported from since the cutover; not the old one.
        cutover: The cutover date (skæringsdato): the first day of the new system's
            reporting.
        cutover_chosen: When the cutover date was chosen, if it has been.
        dst_notified: When Statistics Denmark was told of the change, if it has been.
        old_reporting_closed: When reporting from the old system was closed, if it has
            been.
        done: The day each other milestone was done, by milestone key. The three
            milestones above are recorded in their own fields, not here.
        calendar: The working-day policy for the timeline.

    Raises:
        InvalidPlan: ``new_system`` is ``old_system``, ``cutover_chosen`` is after the
            cutover, or ``done`` names a milestone the register does not have.

    Example:
        >>> import datetime as dt
        >>> CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...             new_system="old", cutover=dt.date(2026, 6, 1))
        Traceback (most recent call last):
        ...
        casemigrate.exceptions.InvalidPlan: new_system: is the old system ('Old')
    """

    municipality: Municipality = attrs.field(converter=_municipality)
    register: Register = attrs.field(converter=_register)
    old_system: str = attrs.field(converter=_old_system)
    new_system: str = attrs.field(converter=_new_system)
    cutover: dt.date = attrs.field(converter=_cutover)
    cutover_chosen: dt.date | None = attrs.field(default=None, converter=_cutover_chosen)
    dst_notified: dt.date | None = attrs.field(default=None, converter=_dst_notified)
    old_reporting_closed: dt.date | None = attrs.field(
        default=None, converter=_old_reporting_closed
    )
    done: Mapping[str, dt.date] = attrs.field(factory=dict, converter=_done, hash=False)
    calendar: wd.WorkingDays = attrs.field(
        default=wd.DEFAULT_WORKING_DAYS, converter=_calendar, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if self.new_system.strip().casefold() == self.old_system.strip().casefold():
            raise InvalidPlan(f"is the old system ({self.old_system!r})", field="new_system")
        if self.cutover_chosen is not None and self.cutover_chosen > self.cutover:
            raise InvalidPlan(
                f"{self.cutover_chosen} is after the cutover {self.cutover}: a cutover "
                "cannot be chosen after it happened",
                field="cutover_chosen",
            )
        keys = _KEYS[self.register]
        for key in self.done:
            if key in _FIELD_OF:
                raise InvalidPlan(
                    f"{key!r} is recorded in the plan's own field {_FIELD_OF[key]!r}",
                    field="done",
                )
            if key not in keys:
                raise InvalidPlan(
                    f"{key!r} is not a {self.register.name} milestone; expected one of "
                    f"{[k for k in keys if k not in _FIELD_OF]}",
                    field="done",
                )

    @property
    def milestone_keys(self) -> tuple[str, ...]:
        """The register's milestone keys, in order."""
        return _KEYS[self.register]

    def done_on(self, key: str) -> dt.date | None:
        """The day milestone ``key`` was done, from its field or from ``done``."""
        field = _FIELD_OF.get(key)
        if field is not None:
            value: dt.date | None = getattr(self, field)
            return value
        return self.done.get(key)

    def system_role(self, system: str) -> str | None:
        """``"old"``, ``"new"`` or ``None`` for a system name (case-insensitive)."""
        folded = system.strip().casefold()
        if folded == self.old_system.strip().casefold():
            return "old"
        if folded == self.new_system.strip().casefold():
            return "new"
        return None


@attrs.frozen(kw_only=True)
class Milestone:
    """One step of a cutover, with its window and where the rule comes from.

    Attributes:
        key: Stable key, e.g. ``"delete_active_courses"``.
        title: What to do, in English.
        title_da: What to do, in Danish.
        earliest: The first day to do it, or ``None`` if the source sets none.
        latest: The last day to have it done, or ``None`` if the source sets none.
        citation: Source file and section.
        done: The day the plan records it done, or ``None``.
    """

    key: str
    title: str
    title_da: str
    earliest: dt.date | None
    latest: dt.date | None
    citation: str
    done: dt.date | None = None

    def is_overdue(self, as_of: dt.date) -> bool:
        """Whether the latest date is before ``as_of`` and it is not recorded done."""
        return self.done is None and self.latest is not None and self.latest < as_of

    def title_in(self, language: str = "en") -> str:
        """The title in ``"en"`` or ``"da"``."""
        if language not in ("en", "da"):
            raise InvalidArgument(f"expected 'en' or 'da', got {language!r}", field="language")
        return self.title_da if language == "da" else self.title

    def to_row(self, language: str = "en") -> dict[str, Any]:
        """The milestone as a flat dict with ISO dates (``None`` kept)."""
        return {
            "key": self.key,
            "title": self.title_in(language),
            "earliest": None if self.earliest is None else self.earliest.isoformat(),
            "latest": None if self.latest is None else self.latest.isoformat(),
            "done": None if self.done is None else self.done.isoformat(),
            "citation": self.citation,
        }


@attrs.frozen
class Timeline:
    """The milestones of a plan, in order.

    Index it by key (``timeline["notify_dst"]``), iterate it, print it as a table, or
    get rows for a data frame with :meth:`to_rows`.

    Attributes:
        plan: The plan.
        milestones: The milestones, in the order the source gives them.
    """

    plan: CutoverPlan
    milestones: tuple[Milestone, ...]

    def __getitem__(self, key: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

    def __iter__(self) -> Iterator[Milestone]:
        return iter(self.milestones)

    def __len__(self) -> int:
        return len(self.milestones)

    def to_rows(self, language: str = "en") -> list[dict[str, Any]]:
        """One dict per milestone (see :meth:`Milestone.to_row`)."""
        return [milestone.to_row(language) for milestone in self.milestones]

    def __str__(self) -> str:
        return self.render()

    def render(self, language: str = "en") -> str:
        """The timeline as a plain-text table, in ``"en"`` or ``"da"``.

        Example:
            >>> import datetime as dt
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> print(plan_timeline(plan).render("da").splitlines()[-1])
            Genindberet de slettede forløb fra det nye system  2026-06-01  2026-06-15  -
        """
        plan = self.plan
        if language == "da":
            head = (f"{plan.register.name}-systemskifte for {plan.municipality}: "
                    f"{plan.old_system} -> {plan.new_system} den {plan.cutover}")
            columns = ("milepæl", "tidligst", "senest", "gjort")
        else:
            head = (f"{plan.register.name} cutover for {plan.municipality}: {plan.old_system}"
                    f" -> {plan.new_system} on {plan.cutover} ({plan.cutover:%A})")
            columns = ("milestone", "earliest", "latest", "done")
        rows = [columns] + [
            (
                m.title_in(language),
                "-" if m.earliest is None else m.earliest.isoformat(),
                "-" if m.latest is None else m.latest.isoformat(),
                "-" if m.done is None else m.done.isoformat(),
            )
            for m in self.milestones
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [head]
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines)


def plan_timeline(plan: CutoverPlan) -> Timeline:
    """The milestones of ``plan``, with their windows (see the module documentation).

    Args:
        plan: The plan.

    Returns:
        The timeline.

    Example:
        >>> import datetime as dt
        >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> [m.key for m in plan_timeline(plan)][:2]
        ['notify_dst', 'correct_closed_services']
    """
    v.instance("plan", plan, CutoverPlan)
    cal = plan.calendar
    c = plan.cutover

    def by(day: dt.date) -> dt.date:
        return wd.deadline(day, cal)

    def from_(day: dt.date) -> dt.date:
        return wd.start(day, cal)

    before_c = wd.previous_working_day(c, cal)
    if plan.register is Register.SMDB:
        choose_latest = by(wd.months_before(c, 2))
        windows: list[tuple[str, str, dt.date | None, dt.date | None, str]] = [
            ("notify_dst", "Tell DST of the change", None, choose_latest,
             f"{SMDB}, introduction (så tidligt som muligt)"),
            ("choose_cutover", "Choose the cutover date",
             from_(wd.months_before(c, 3)), choose_latest,
             f"{SMDB}, step 1 (2-3 måneder før systemskiftet)"),
            ("close_old_reporting", "Close reporting from the old system", None, before_c,
             f"{SMDB}, step 1 (lukket for indberetning ... inden denne dato)"),
            ("review_open_courses", "Review citizens with open contact courses",
             None, by(wd.months_before(c, 1)),
             f"{SMDB}, step 2 (1 måned før systemskiftet)"),
            ("delete_active_courses", "Have all active contact courses deleted",
             from_(c - dt.timedelta(weeks=2)), by(c - dt.timedelta(weeks=1)),
             f"{SMDB}, step 3 (1-2 uger før systemskiftet)"),
            ("rereport_active_courses", "Re-report the deleted courses from the new system",
             from_(c), by(c + dt.timedelta(weeks=2)),
             f"{SMDB}, step 4 (umiddelbart efter systemskiftet; typisk 1-2 uger)"),
        ]
    else:
        windows = [
            ("notify_dst", "Tell DST of the new vendor and when reporting starts", None,
             before_c, f"{HANDICAP}, section 1 (1)"),
            ("correct_closed_services", "Correct every closed service in the old system",
             None, before_c, f"{HANDICAP}, section 1 (2)"),
            ("recreate_active_services",
             "Create every active service in the new system with its real start date",
             None, by(c), f"{HANDICAP}, section 1 (3)"),
            ("keep_old_reporting_until_new_works",
             "Keep reporting from the old system until the new one works", from_(c), None,
             f"{HANDICAP}, section 1, NB"),
            ("first_production_delivery", "First production delivery (L402) from the new system",
             from_(c), None, f"{HANDICAP}, section 1 (1) and NB"),
        ]
    return Timeline(
        plan,
        tuple(
            Milestone(key=key, title=title, title_da=_TITLES_DA[key], earliest=earliest,
                      latest=latest, citation=citation, done=plan.done_on(key))
            for key, title, earliest, latest, citation in windows
        ),
    )


_TITLES_DA: Final[Mapping[str, str]] = MappingProxyType({
    "notify_dst": "Giv Danmarks Statistik besked om systemskiftet",
    "choose_cutover": "Vælg skæringsdato",
    "close_old_reporting": "Luk for indberetning fra det nuværende system",
    "review_open_courses": "Gennemgå borgere med åbne kontaktforløb",
    "delete_active_courses": "Få slettet alle aktive kontaktforløb",
    "rereport_active_courses": "Genindberet de slettede forløb fra det nye system",
    "correct_closed_services": "Ret alle afsluttede ydelser i det tidligere system",
    "recreate_active_services": "Opret alle aktive ydelser i det nye system med reel startdato",
    "keep_old_reporting_until_new_works":
        "Fortsæt indberetning fra det tidligere system, til det nye virker",
    "first_production_delivery": "Første produktionsleverance (L402) fra det nye system",
})


# Milestones whose lateness has a rule of its own.
_OWN_RULE: Final = frozenset({"notify_dst", "choose_cutover", "close_old_reporting"})


def check_plan(plan: CutoverPlan, *, as_of: dt.date) -> tuple[Finding, ...]:
    """Check a plan against its timeline on ``as_of``.

    Findings: CM101 (cutover chosen late, SMDB), CM102 (DST not notified), CM103 and
    CM104 (DST notified late, or on or after the cutover), CM105 (SMDB old reporting
    not closed before the cutover), CM106 (a milestone overdue at ``as_of``), CM107
    (cutover on a day off), CM108 (a milestone done after its latest date).

    Args:
        plan: The plan.
        as_of: The day to judge the plan on.

    Returns:
        The findings, sorted (severity, code, subjects).

    Example:
        >>> import datetime as dt
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1),
        ...                    cutover_chosen=dt.date(2026, 4, 15),
        ...                    dst_notified=dt.date(2026, 3, 2))
        >>> [(f.code, f.subjects) for f in check_plan(plan, as_of=dt.date(2026, 5, 4))]
        [('CM101', ('choose_cutover',)), ('CM106', ('review_open_courses',))]
    """
    as_of = v.day("as_of", as_of)
    timeline = plan_timeline(plan)
    cal = plan.calendar
    c = plan.cutover
    findings: list[Finding] = []

    choose = timeline["choose_cutover"] if plan.register is Register.SMDB else None
    if choose is not None and plan.cutover_chosen is not None:
        assert choose.latest is not None
        if plan.cutover_chosen > choose.latest:
            findings.append(Finding.of(
                "CM101", ("choose_cutover",), cutover=c, chosen=plan.cutover_chosen,
                latest=choose.latest,
            ))

    notify = timeline["notify_dst"]
    if plan.dst_notified is None:
        findings.append(Finding.of(
            "CM102", ("notify_dst",), new_system=plan.new_system, cutover=c,
        ))
    elif plan.dst_notified >= c:
        findings.append(Finding.of(
            "CM104", ("notify_dst",), notified=plan.dst_notified, cutover=c,
        ))
    elif notify.latest is not None and plan.dst_notified > notify.latest:
        findings.append(Finding.of(
            "CM103", ("notify_dst",), notified=plan.dst_notified, latest=notify.latest,
        ))

    if (
        plan.register is Register.SMDB
        and plan.old_reporting_closed is not None
        and plan.old_reporting_closed >= c
    ):
        findings.append(Finding.of(
            "CM105", ("close_old_reporting",), old_system=plan.old_system,
            closed=plan.old_reporting_closed, cutover=c,
        ))

    for milestone in timeline:
        if milestone.key == "notify_dst":
            continue  # CM102 says it
        if milestone.is_overdue(as_of):
            findings.append(Finding.of(
                "CM106", (milestone.key,), title=milestone.title, title_da=milestone.title_da,
                latest=milestone.latest,
                as_of=as_of, citation=milestone.citation,
            ))
        elif (
            milestone.key not in _OWN_RULE
            and milestone.done is not None
            and milestone.latest is not None
            and milestone.done > milestone.latest
        ):
            findings.append(Finding.of(
                "CM108", (milestone.key,), title=milestone.title, title_da=milestone.title_da,
                done=milestone.done,
                latest=milestone.latest, citation=milestone.citation,
            ))

    why = wd.day_off_reason(c, cal)
    if why is not None:
        findings.append(Finding.of("CM107", ("cutover",), cutover=c, why=why))
    return sort_findings(findings)
