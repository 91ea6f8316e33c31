"""Cutover plans, their timelines, and the checks of a plan.

A :class:`CutoverPlan` says which municipality changes which register's reporting from
which system to which, on which cutover date, and what has been done so far.
:func:`plan_timeline` turns it into the milestones the sources ask for, each with a
window (earliest, latest) and a citation. :func:`check_plan` compares the plan with
the timeline on a given day.

Windows, with C the cutover date. A latest date on a day off moves back to the
previous working day, an earliest date forward to the next one (``casemigrate.workdays``).

SMDB (Danmarks Statistik, "Systemskifte i SMDB", steps 1-4):

==========================  ==================  ==============================
milestone                   earliest            latest
==========================  ==================  ==============================
notify_dst                  (agreement)         latest of choose_cutover, or A + N
choose_cutover              C - 3 months        C - 2 months
close_old_reporting         (days-weeks before)  the working day before C
review_open_courses         (in good time)      C - 1 month
delete_active_courses       C - 2 weeks         C - 1 week
rereport_active_courses     C                   C + 2 weeks
==========================  ==================  ==============================

Handicap and vulnerable adults (Danmarks Statistik, "Vejledning om systemskifte til
kommuner", section 1):

=================================  ===========  ============================
milestone                          earliest     latest
=================================  ===========  ============================
notify_dst                         A            the working day before C, or A + N
correct_closed_services            --           O (the old system's last delivery)
recreate_active_services           --           O (the old system's last delivery)
keep_old_reporting_until_new_works C            (until the new one works)
first_production_delivery          C            (DST is told when)
=================================  ===========  ============================

A is the day the agreement on the new system was made (``agreement_made``), N the
plan's ``notify_within_working_days`` (5 by default): "as soon as" the agreement is
made (the handicap guide's introduction and section 1, point 1; the SMDB guide's
introduction), read by casemigrate's
policy as within N working days. O is the day the old system's reporting closed
(``old_reporting_closed``: for HANDICAP, its last production delivery). DST's merge
takes the old system's closed services from that delivery and its active services
from nowhere, so corrections and re-created services must be in place by then; while
the old system still reports, they are not overdue (docs/policies.md, "Milestones and
their windows").

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

from casemigrate import _convert as convert
from casemigrate import _text
from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate import workdays as wd
from casemigrate._frozen import FrozenMap
from casemigrate._slots import safe_repr
from casemigrate._text import Term
from casemigrate.exceptions import InvalidPlan, InvalidType
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.identifiers import Municipality
from casemigrate.sources import HANDICAP, POLICY, SMDB, Citation

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


def _register(value: Register | str) -> Register:
    return v.choice("register", Register, value, InvalidPlan)


def _cutover(value: dt.date) -> dt.date:
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


def _done(value: Mapping[str, dt.date] | None) -> Mapping[str, dt.date]:
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


def _calendar(value: wd.WorkingDays) -> wd.WorkingDays:
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
            been. For HANDICAP: the day of the old system's last production delivery,
            which DST's merge uses; it is the deadline for correcting closed services and
            re-creating active ones.
        agreement_made: When the agreement on the new system (or reporting solution)
            was made, if known. DST must be told "as soon as" it is made.
        notify_within_working_days: casemigrate's reading of "as soon as": DST is told
            within this many working days of ``agreement_made`` (default 5, one working
            week; docs/policies.md).
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

    municipality: Municipality = attrs.field(converter=convert.place)
    register: Register = attrs.field(converter=_register)
    old_system: str = attrs.field(converter=convert.system_text)
    new_system: str = attrs.field(converter=convert.system_text)
    cutover: dt.date = attrs.field(converter=_cutover)
    cutover_chosen: dt.date | None = attrs.field(default=None, converter=convert.optional_day)
    dst_notified: dt.date | None = attrs.field(default=None, converter=convert.optional_day)
    old_reporting_closed: dt.date | None = attrs.field(
        default=None, converter=convert.optional_day
    )
    agreement_made: dt.date | None = attrs.field(default=None, converter=convert.optional_day)
    notify_within_working_days: int = attrs.field(default=5, converter=convert.count)
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
        source: Where the step and its window come from: the document's section and a
            quote from it.
        done: The day the plan records it done, or ``None``.
    """

    key: str
    title: str
    title_da: str
    earliest: dt.date | None
    latest: dt.date | None
    source: Citation
    done: dt.date | None = None

    @property
    def citation(self) -> str:
        """The source in readable form: document, section and quote."""
        return str(self.source)

    def is_overdue(self, as_of: dt.date) -> bool:
        """Whether the latest date is before ``as_of`` and it is not recorded done."""
        return self.done is None and self.latest is not None and self.latest < as_of

    def title_in(self, language: str = "en") -> str:
        """The title in ``"en"`` or ``"da"``."""
        return self.title_da if _text.check_language(language) == "da" else self.title

    def to_row(self, language: str = "en") -> dict[str, Any]:
        """The milestone as a flat dict with ISO dates (``None`` kept)."""
        return {
            "key": self.key,
            "title": self.title_in(language),
            "earliest": None if self.earliest is None else self.earliest.isoformat(),
            "latest": None if self.latest is None else self.latest.isoformat(),
            "done": None if self.done is None else self.done.isoformat(),
            "citation": self.source.in_language(_text.check_language(language)),
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

    def to_svg(self, *, as_of: dt.date | None = None, language: str = "en") -> str:
        """The timeline drawn as an SVG string, to embed in a page or a document.

        See :func:`casemigrate.render.timeline_svg`: the milestones' windows on a date
        axis, the cutover and ``as_of`` marked, done and overdue milestones marked by
        shape and word as well as colour.

        Example:
            >>> import datetime as dt
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> plan_timeline(plan).to_svg(as_of=dt.date(2026, 5, 29)).count('"overdue"')
            4
        """
        return _render.timeline_svg(self, as_of=as_of, language=language)

    def to_html(self, *, as_of: dt.date | None = None, language: str = "en") -> str:
        """The drawing and the table, as an HTML fragment (what a notebook shows)."""
        return _render.timeline_html(self, as_of=as_of, language=language)

    def _repr_html_(self) -> str:
        return _render.timeline_html(self)

    def __repr__(self) -> str:
        return _render.timeline_repr(self)

    def __str__(self) -> str:
        return self.render()

    def render(self, language: str = "en") -> str:
        """The timeline as a plain-text table, in ``"en"`` or ``"da"``.

        Example:
            >>> import datetime as dt
            >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
            ...                    new_system="New", cutover=dt.date(2026, 6, 1))
            >>> print(plan_timeline(plan).render("da").splitlines()[0])
            SMDB-systemskifte for 607 Fredericia: Old -> New, skæringsdato 2026-06-01 (mandag)
            >>> print(plan_timeline(plan).render("da").splitlines()[-1])
            Genindberet alle aktive kontaktforløb i det nye system  2026-06-01  2026-06-15  -
        """
        plan = self.plan
        if _text.check_language(language) == "da":
            weekday = _WEEKDAYS_DA[plan.cutover.weekday()]
            head = (f"{plan.register.name}-systemskifte for {plan.municipality}: "
                    f"{plan.old_system} -> {plan.new_system}, skæringsdato {plan.cutover} "
                    f"({weekday})")
        else:
            head = (f"{plan.register.name} cutover for {plan.municipality}: {plan.old_system}"
                    f" -> {plan.new_system} on {plan.cutover} ({plan.cutover:%A})")
        return "\n".join([head, *_render.timeline_text(self, as_of=None, language=language,
                                                        indent="")])


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
        return wd.roll_back(day, cal)

    def from_(day: dt.date) -> dt.date:
        return wd.roll_forward(day, cal)

    before_c = wd.previous_working_day(c, cal)
    agreement = plan.agreement_made
    # "As soon as" the agreement is made: within the plan's working days of it.
    soon = (None if agreement is None else
            wd.add_working_days(agreement, plan.notify_within_working_days, cal))
    notify_from = None if agreement is None else from_(agreement)

    def notify_by(latest: dt.date) -> dt.date:
        return latest if soon is None or soon > latest else soon

    windows: list[tuple[str, dt.date | None, dt.date | None]]
    if plan.register is Register.SMDB:
        choose_latest = by(wd.months_before(c, 2))
        windows = [
            ("notify_dst", notify_from, notify_by(choose_latest)),
            ("choose_cutover", from_(wd.months_before(c, 3)), choose_latest),
            ("close_old_reporting", None, before_c),
            ("review_open_courses", None, by(wd.months_before(c, 1))),
            ("delete_active_courses", from_(c - dt.timedelta(weeks=2)),
             by(c - dt.timedelta(weeks=1))),
            ("rereport_active_courses", from_(c), by(c + dt.timedelta(weeks=2))),
        ]
    else:
        # The old system's last delivery: after it, DST's merge sees no more corrections.
        last_old = plan.old_reporting_closed
        windows = [
            ("notify_dst", notify_from, notify_by(before_c)),
            ("correct_closed_services", None, last_old),
            ("recreate_active_services", None, last_old),
            ("keep_old_reporting_until_new_works", from_(c), None),
            ("first_production_delivery", from_(c), None),
        ]
    steps = _STEPS[plan.register]
    return Timeline(
        plan,
        tuple(
            Milestone(key=key, title=steps[key][0], title_da=steps[key][1], earliest=earliest,
                      latest=latest, source=steps[key][2], done=plan.done_on(key))
            for key, earliest, latest in windows
        ),
    )


_WEEKDAYS_DA: Final = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# Per register and milestone: the title in English and Danish, and the source.
_STEPS: Final[Mapping[Register, Mapping[str, tuple[str, str, Citation]]]] = MappingProxyType({
    Register.SMDB: MappingProxyType({
        "notify_dst": (
            "Tell DST of the change", "Giv Danmarks Statistik besked om systemskiftet",
            SMDB.cite("indledning", "Det allervigtigste ved systemskifte er, at I så tidligt "
                      "som muligt giver besked til Danmarks Statistik")),
        "choose_cutover": (
            "Choose the cutover date", "Vælg skæringsdato",
            SMDB.cite("trin 1", "I skal forud for systemskiftet vælge en skæringsdato, hvor I "
                      "begynder at indberette via det nye system.")),
        "close_old_reporting": (
            "Close reporting from the old system",
            "Luk for indberetning fra det nuværende system",
            SMDB.cite("trin 1", "Det er vigtigt, at I har lukket for indberetning fra jeres "
                      "nuværende system inden denne dato (typisk nogle dage til uger før).")),
        "review_open_courses": (
            "Review citizens with open contact courses",
            "Gennemgå alle borgere med åbne kontaktforløb",
            SMDB.cite("trin 2", "I god tid inden skæringsdatoen bør I derfor gennemgå alle "
                      "borgere med åbne kontaktforløb.")),
        "delete_active_courses": (
            "Have all active contact courses deleted", "Få slettet alle aktive kontaktforløb",
            SMDB.cite("trin 3", "Dette kan gøres ved at sende en mail til smdb@dst.dk, hvor I "
                      "beder os slette alle jeres aktive sager.")),
        "rereport_active_courses": (
            "Re-report the deleted courses from the new system",
            "Genindberet alle aktive kontaktforløb i det nye system",
            SMDB.cite("trin 4", "Dette tager typisk 1-2 uger alt efter hvor mange sager, der "
                      "er tale om.")),
    }),
    Register.HANDICAP: MappingProxyType({
        "notify_dst": (
            "Tell DST of the new vendor and when reporting starts",
            "Giv DST besked om den nye leverandør og om hvornår indberetningen fra det nye "
            "system begynder",
            HANDICAP.cite("afsnit 1, punkt 1", "Kommunen skal oplyse til DST, hvornår de "
                          "begynder at indberette data via det nye system.")),
        "correct_closed_services": (
            "Correct every closed service in the old system",
            "Ret alle afsluttede ydelser i det tidligere system",
            HANDICAP.cite("afsnit 1, punkt 2", "Det er vigtigt, at alle afsluttede ydelser i "
                          "det tidligere system er opdaterede med korrekte oplysninger")),
        "recreate_active_services": (
            "Create every active service in the new system with its real start date",
            "Opret alle aktive ydelser i det nye system med deres reelle startdato",
            HANDICAP.cite("afsnit 1, punkt 3", "Alle aktive ydelser skal oprettes med deres "
                          "reelle startdato, ikke en dato, der angiver tidspunktet for "
                          "systemskifte.")),
        "keep_old_reporting_until_new_works": (
            "Keep reporting from the old system until the new one works",
            "Fortsæt indberetningen fra det tidligere system, indtil det nye fungerer",
            HANDICAP.cite("afsnit 1, NB", "Kommunen skal fortsætte med at indberette data via "
                          "det tidligere system, indtil det nye system er taget i brug og "
                          "indberetningen fungerer.")),
        "first_production_delivery": (
            "First production delivery (L402) from the new system",
            "Send den første produktionsleverance (L402) fra det nye system",
            HANDICAP.cite("afsnit 1, NB", "Leverancer navngivet L402 anvendes til "
                          "statistikproduktion")),
    }),
})


# ---- the rules of a plan ---------------------------------------------------------------

_CUTOVER, _LATEST = dt.date(2026, 6, 1), dt.date(2026, 4, 1)
_REVIEW: Final = Term("Review citizens with open contact courses",
                      da="Gennemgå alle borgere med åbne kontaktforløb")

CUTOVER_CHOSEN_LATE: Final = Rule(
    code="CM101",
    name="cutover-chosen-late",
    severity=Severity.WARNING,
    summary="The SMDB cutover date was chosen later than two months before the cutover.",
    summary_da="Skæringsdatoen for SMDB blev valgt senere end to måneder før systemskiftet.",
    message="the cutover {cutover} was chosen on {chosen}, after the latest date {latest}",
    message_da="skæringsdatoen {cutover} blev valgt {chosen}, men skulle senest være valgt "
               "{latest}",
    hint="Agree a later cutover with DST, or make sure DST has agreed to the short notice.",
    hint_da="Aftal en senere skæringsdato med DST, eller sørg for at DST har accepteret det "
            "korte varsel.",
    citations=SMDB.cite("trin 1", "I skal forud for systemskiftet vælge en skæringsdato, hvor "
                        "I begynder at indberette via det nye system."),
    checks="SMDB plans: that the cutover date was chosen at least two months before the "
           "cutover (the source says 2–3 months before). The latest date is the cutover minus "
           "two calendar months, moved back to a working day.",
    why="DST plans the change together with the municipality. A late choice leaves too little "
        "time to review open contact courses and have active courses deleted.",
    example="Cutover 2026-06-01, chosen 2026-04-15. The latest date was 2026-04-01, so CM101.",
    sample={"cutover": _CUTOVER, "chosen": dt.date(2026, 4, 15), "latest": _LATEST},
    checks_da="For SMDB-planer: at skæringsdatoen blev valgt mindst to måneder før skæringsdatoen "
              "(kilden siger 2–3 måneder før). Den seneste dato er skæringsdatoen minus to "
              "kalendermåneder, flyttet tilbage til en arbejdsdag.",
    why_da="Danmarks Statistik planlægger systemskiftet sammen med kommunen. Vælges datoen for "
           "sent, er der for lidt tid til at gennemgå åbne kontaktforløb og få aktive forløb "
           "slettet.",
    example_da="Skæringsdato 2026-06-01, valgt 2026-04-15. Den seneste dato var 2026-04-01, så "
               "CM101.",
)

_TELL_DST: Final = SMDB.cite("indledning", "Det allervigtigste ved systemskifte er, at I så "
                             "tidligt som muligt giver besked til Danmarks Statistik")

DST_NOT_NOTIFIED: Final = Rule(
    code="CM102",
    name="dst-not-notified",
    severity=Severity.WARNING,
    summary="The plan does not record that Statistics Denmark has been told of the change.",
    summary_da="Planen viser ikke at Danmarks Statistik har fået besked om systemskiftet.",
    message="DST has not been notified of the change to {new_system} (cutover {cutover})",
    message_da="DST har ikke fået besked om systemskiftet til {new_system} (skæringsdato "
               "{cutover})",
    hint="Tell DST now, even if not every detail is known, and record the date in the plan.",
    hint_da="Giv DST besked nu, også selvom I ikke kender alle detaljer endnu, og notér datoen "
            "i planen.",
    citations=(
        _TELL_DST,
        HANDICAP.cite("afsnit 1, punkt 1", "Så snart en kommune har indgået aftale med en ny "
                      "IT-leverandør, giver kommunen besked om dette til DST."),
    ),
    checks="That the plan records the date Statistics Denmark was told of the change "
           "(`dst_notified`).",
    why='For SMDB, telling DST early is "the most important thing". For the handicap and '
        "vulnerable adults statistics, DST must adapt its processing to the change.",
    example="`CutoverPlan(..., dst_notified=None)` checked on any date gives CM102.",
    sample={"new_system": "Nexus", "cutover": _CUTOVER},
    checks_da="At planen angiver den dato, Danmarks Statistik fik besked om systemskiftet "
              "(`dst_notified`).",
    why_da="For SMDB er det at give DST besked tidligt \"det vigtigste\". For statistikkerne om "
           "handicap og udsatte voksne skal DST tilpasse sin behandling til systemskiftet.",
    example_da="`CutoverPlan(..., dst_notified=None)` giver CM102, uanset hvilken dato planen "
               "kontrolleres.",
)

_WHEN_REPORTING_STARTS: Final = HANDICAP.cite(
    "afsnit 1, punkt 1",
    "Kommunen skal oplyse til DST, hvornår de begynder at indberette data via det nye system.")

_NOTIFY_POLICY: Final = POLICY.cite(
    "notify-dst", "casemigrate reads \"as soon as\" as within five working days of the "
    "agreement")

DST_NOTIFIED_LATE: Final = Rule(
    code="CM103",
    name="dst-notified-late",
    severity=Severity.WARNING,
    summary="Statistics Denmark was told later than the plan's latest date for it.",
    summary_da="Danmarks Statistik fik besked senere end planens seneste dato for det.",
    message="DST was notified on {notified}, after the latest date {latest}",
    message_da="DST fik besked {notified}, men skulle senest have haft besked {latest}",
    hint="Confirm with DST that the cutover can still be handled as planned.",
    hint_da="Bekræft med DST at systemskiftet stadig kan gennemføres som planlagt.",
    citations=(
        HANDICAP.cite("indledning", "så snart der er indgået aftale om en ny "
                      "indberetningsløsning"),
        _TELL_DST,
        _WHEN_REPORTING_STARTS,
        _NOTIFY_POLICY,
    ),
    checks="That DST was told no later than the latest date of the `notify_dst` milestone. "
           "For SMDB that is the latest date for choosing the cutover, because DST helps plan "
           "it. For HANDICAP it is the last working day before the cutover, because DST must "
           "know when reporting from the new system starts. With the day the agreement on "
           "the new system was made (`agreement_made`), the latest date is also no later "
           "than that day plus `notify_within_working_days` working days (5 by default): "
           "casemigrate's reading of \"as soon as\" (docs/policies.md).",
    why="A late notice shortens the time DST has to plan the change with you.",
    example="SMDB cutover 2026-06-01, DST notified 2026-05-04. The latest date was "
            "2026-04-01, so CM103. With `agreement_made=2026-01-26` (a Monday), the latest "
            "date is 2026-02-02: notified that day is in time, notified 2026-02-03 is CM103.",
    sample={"notified": dt.date(2026, 5, 4), "latest": _LATEST},
    checks_da="At DST fik besked senest på den seneste dato for milepælen `notify_dst`. For SMDB "
              "er det den seneste dato for valg af skæringsdato, fordi DST hjælper med at "
              "planlægge den. For HANDICAP er det sidste arbejdsdag før skæringsdatoen, fordi DST "
              "skal vide, hvornår indberetningen fra det nye system begynder. Er datoen for "
              "aftalen om det nye system angivet (`agreement_made`), er den seneste dato også "
              "højst den dato plus `notify_within_working_days` arbejdsdage (5 som standard): "
              "casemigrates fortolkning af \"hurtigst muligt\" (docs/policies.md).",
    why_da="En sen besked afkorter den tid, DST har til at planlægge systemskiftet sammen med "
           "jer.",
    example_da="SMDB-skæringsdato 2026-06-01, DST underrettet 2026-05-04. Den seneste dato var "
               "2026-04-01, så CM103. Med `agreement_made=2026-01-26` (en mandag) er den seneste "
               "dato 2026-02-02: en besked samme dag er rettidig, en besked 2026-02-03 giver "
               "CM103.",
)

DST_NOTIFIED_AFTER_CUTOVER: Final = Rule(
    code="CM104",
    name="dst-notified-after-cutover",
    severity=Severity.ERROR,
    summary="Statistics Denmark was told on or after the cutover: its processing cannot have "
            "taken the change into account.",
    summary_da="Danmarks Statistik fik først besked på eller efter skæringsdatoen, så DSTs "
               "databehandling kan ikke have taget højde for systemskiftet.",
    message="DST was notified on {notified}, on or after the cutover {cutover}",
    message_da="DST fik først besked {notified}, på eller efter skæringsdatoen {cutover}",
    hint="Contact DST at once so the deliveries around the cutover can be processed again.",
    hint_da="Kontakt straks DST, så leverancerne omkring skæringsdatoen kan blive behandlet "
            "igen.",
    citations=(
        HANDICAP.cite("indledning", "Når kommuner skifter fra ét indberetningssystem til et "
                      "andet, skal der tages højde for dette i DSTs databehandling."),
        _WHEN_REPORTING_STARTS,
    ),
    checks="That DST was not told on or after the cutover itself.",
    why="DST's processing must take the change into account (it merges the two systems' "
        "deliveries in a special way). Told too late, DST will have processed deliveries "
        "around the cutover wrongly.",
    example="Cutover 2026-06-01, DST notified 2026-06-03: CM104.",
    sample={"notified": dt.date(2026, 6, 3), "cutover": _CUTOVER},
    checks_da="At DST ikke først fik besked på selve skæringsdatoen eller senere.",
    why_da="DSTs behandling skal tage højde for systemskiftet (de to systemers leverancer lægges "
           "sammen på en særlig måde). Får DST besked for sent, er leverancerne omkring "
           "skæringsdatoen allerede behandlet forkert.",
    example_da="Skæringsdato 2026-06-01, DST underrettet 2026-06-03: CM104.",
)

OLD_REPORTING_OPEN_AT_CUTOVER: Final = Rule(
    code="CM105",
    name="old-reporting-open-at-cutover",
    severity=Severity.ERROR,
    summary="SMDB reporting from the old system must be closed before the cutover date.",
    summary_da="Indberetningen til SMDB fra det nuværende system skal være lukket før "
               "skæringsdatoen.",
    message="reporting from {old_system} closes on {closed}, not before the cutover {cutover}",
    message_da="indberetningen fra {old_system} lukkes {closed}, ikke før skæringsdatoen "
               "{cutover}",
    hint="Close the old system's reporting days to weeks before the cutover.",
    hint_da="Luk for indberetning fra det nuværende system dage til uger før skæringsdatoen.",
    citations=(
        SMDB.cite("trin 1", "Det er vigtigt, at I har lukket for indberetning fra jeres "
                  "nuværende system inden denne dato (typisk nogle dage til uger før)."),
        SMDB.cite("trin 1", "Det er nemlig meget vigtigt, at der ikke er noget overlap mellem "
                  "indberetning fra det nye og nuværende system, da det kan skabe fejl i "
                  "datamodtagelsen."),
    ),
    checks="SMDB plans: that reporting from the old system closes before the cutover "
           "(`old_reporting_closed` earlier than `cutover`).",
    why="There must be no overlap between reporting from the new and the old system. Overlap "
        "causes errors when DST receives the data.",
    example="Cutover 2026-06-01, old reporting closed 2026-06-01: CM105. Closed 2026-05-29: "
            "fine.",
    sample={"old_system": "Sensum", "closed": _CUTOVER, "cutover": _CUTOVER},
    checks_da="For SMDB-planer: at indberetningen fra det tidligere system lukkes før "
              "skæringsdatoen (`old_reporting_closed` tidligere end `cutover`).",
    why_da="Der må ikke være overlap mellem indberetningen fra det nye og det tidligere system. "
           "Overlap giver fejl, når DST modtager data.",
    example_da="Skæringsdato 2026-06-01, indberetningen fra det tidligere system lukket "
               "2026-06-01: CM105. Lukket 2026-05-29: i orden.",
)

_MILESTONE_POLICY: Final = POLICY.cite(
    "milestones", "A milestone is overdue when its latest date has passed and the plan does "
    "not record it done.")

MILESTONE_OVERDUE: Final = Rule(
    code="CM106",
    name="milestone-overdue",
    severity=Severity.WARNING,
    summary="A milestone's latest date has passed and the plan does not record it done.",
    summary_da="En milepæls seneste dato er overskredet, og planen viser ikke at den er udført.",
    message="'{title}' was due by {latest} and is not recorded as done (as of {as_of})",
    message_da="»{title}« skulle være udført senest {latest} og er ikke registreret som udført "
               "(pr. {as_of})",
    hint="Do the step, or record the date it was done in the plan's `done`.",
    hint_da="Udfør trinnet, eller angiv i planens `done` hvilken dato det blev udført.",
    citations=_MILESTONE_POLICY,
    checks="For every milestone of the plan's timeline: if its latest date is before `as_of` "
           "and the plan's `done` does not record it, it is overdue. The finding cites the "
           "milestone's own source first (its `details[\"source\"]`). HANDICAP plans: "
           "`correct_closed_services` and `recreate_active_services` are due by "
           "`old_reporting_closed`, the day of the old system's last production delivery; "
           "without it they have no deadline (docs/policies.md).",
    why="Every milestone guards the statistics. Reviewing open courses late, for example, "
        "leaves active cases that block the new system.",
    example="SMDB cutover 2026-06-01, checked on 2026-05-20, `done={}`: "
            "`review_open_courses` was due by 2026-05-01, so CM106 names it. HANDICAP "
            "cutover 2026-06-01 with the old system's last delivery on 2026-06-15: "
            "`correct_closed_services` is not overdue on 2026-06-02 (the old system still "
            "reports), and overdue on 2026-06-16.",
    sample={"title": _REVIEW, "latest": dt.date(2026, 5, 1), "as_of": dt.date(2026, 5, 20)},
    checks_da="For hver milepæl i planens tidslinje: ligger dens seneste dato før `as_of`, og er "
              "den ikke registreret i planens `done`, er den overskredet. Fundet henviser først "
              "til milepælens egen kilde (dens `details[\"source\"]`). For HANDICAP-planer skal "
              "`correct_closed_services` og `recreate_active_services` være udført senest "
              "`old_reporting_closed`, datoen for det tidligere systems sidste "
              "produktionsleverance; uden den har de ingen frist (docs/policies.md).",
    why_da="Hver milepæl beskytter statistikken. Gennemgås de åbne forløb for sent, står der for "
           "eksempel aktive sager tilbage, som blokerer det nye system.",
    example_da="SMDB-skæringsdato 2026-06-01, kontrolleret 2026-05-20, `done={}`: "
               "`review_open_courses` skulle være udført senest 2026-05-01, så CM106 nævner den. "
               "HANDICAP-skæringsdato 2026-06-01, hvor det tidligere systems sidste leverance er "
               "2026-06-15: `correct_closed_services` er ikke overskredet 2026-06-02 (det "
               "tidligere system indberetter stadig), men er overskredet 2026-06-16.",
)

CUTOVER_NOT_WORKING_DAY: Final = Rule(
    code="CM107",
    name="cutover-not-working-day",
    severity=Severity.WARNING,
    summary="The cutover falls on a weekend or Danish public holiday.",
    summary_da="Skæringsdatoen falder i en weekend, på en helligdag eller på en anden fridag.",
    message="the cutover {cutover} is not a working day ({why})",
    message_da="skæringsdatoen {cutover} er ikke en arbejdsdag ({why})",
    hint="Move the cutover to a working day so re-reporting can start on the day itself.",
    hint_da="Flyt skæringsdatoen til en arbejdsdag, så genindberetningen kan begynde samme dag.",
    citations=(
        SMDB.cite("trin 4", "Når der er åbnet op for at indberette via det nye system, bør den "
                  "første opgave være at genindberette de slettede sager."),
        POLICY.cite("working-days", "A cutover on a day off is reported (CM107), because the "
                    "first day of the new system's reporting should be a day someone works."),
    ),
    checks="That the cutover date is a Danish working day. The working-day policy is "
           "`casemigrate.workdays`: weekends, public holidays, and by default 24 and 31 "
           "December, 1 May and 5 June.",
    why='Re-reporting starts "immediately after" the cutover. On a holiday nobody is there to '
        "start it, and the first day of the new system's reporting is easy to get wrong. "
        "This is casemigrate's policy, not a rule of DST: neither source asks for a working "
        "day, so it is a warning only.",
    example="Cutover 2026-05-14 (Ascension Day): CM107.",
    sample={"cutover": dt.date(2026, 5, 14),
            "why": Term("Ascension Day", da="Kristi himmelfartsdag")},
    checks_da="At skæringsdatoen er en dansk arbejdsdag. Reglerne for arbejdsdage står i "
              "`casemigrate.workdays`: weekender, helligdage og som standard 24. og 31. december, "
              "1. maj og 5. juni.",
    why_da="Genindberetningen begynder \"umiddelbart efter\" skæringsdatoen. På en helligdag er "
           "der ingen til at sætte den i gang, og det nye systems første indberetningsdag er let "
           "at tage fejl af. Det er casemigrates eget valg, ikke et krav fra DST: ingen af "
           "kilderne kræver en arbejdsdag, så fundet er kun en advarsel.",
    example_da="Skæringsdato 2026-05-14 (Kristi himmelfartsdag): CM107.",
)

MILESTONE_DONE_LATE: Final = Rule(
    code="CM108",
    name="milestone-done-late",
    severity=Severity.INFO,
    summary="A milestone was recorded done after its latest date.",
    summary_da="En milepæl blev registreret som udført efter sin seneste dato.",
    message="'{title}' was done on {done}, after its latest date {latest}",
    message_da="»{title}« blev udført {done}, efter den seneste dato {latest}",
    hint="Nothing to do now; check that the late step did not leave data behind.",
    hint_da="Intet at gøre nu; kontrollér, at det forsinkede trin ikke har efterladt data, der "
            "skal ryddes op.",
    citations=_MILESTONE_POLICY,
    checks="For every milestone the plan records as done: whether it was done after its "
           "latest date. The finding cites the milestone's own source first.",
    why="A late step may have let data through that should not have been there: a course "
        "that should have been closed, or a delivery from the old system after it should have "
        "stopped.",
    example='`done={"review_open_courses": date(2026, 5, 20)}` with a latest date of '
            "2026-05-01: CM108.",
    sample={"title": _REVIEW, "done": dt.date(2026, 5, 20), "latest": dt.date(2026, 5, 1)},
    checks_da="For hver milepæl, planen registrerer som udført: om den blev udført efter sin "
              "seneste dato. Fundet henviser først til milepælens egen kilde.",
    why_da="Et trin, der udføres for sent, kan have ladet data komme igennem, som ikke skulle "
           "have været der: et forløb, der skulle have været afsluttet, eller en leverance fra "
           "det tidligere system, efter at det skulle være stoppet.",
    example_da="`done={\"review_open_courses\": date(2026, 5, 20)}` med seneste dato 2026-05-01: "
               "CM108.",
)

DST_NOTIFIED_AFTER_CUTOVER_CHOSEN: Final = Rule(
    code="CM109",
    name="dst-notified-after-cutover-chosen",
    severity=Severity.WARNING,
    summary="SMDB: Statistics Denmark was told of the change only after the cutover date was "
            "chosen, so the date was not planned with DST.",
    summary_da="SMDB: Danmarks Statistik fik først besked om systemskiftet, efter at "
               "skæringsdatoen var valgt, så datoen blev ikke planlagt sammen med DST.",
    message="DST was notified on {notified}, after the cutover {cutover} was chosen on {chosen}",
    message_da="DST fik besked {notified}, efter at skæringsdatoen {cutover} blev valgt "
               "{chosen}",
    hint="Confirm the cutover date with DST; next time tell DST before choosing the date.",
    hint_da="Bekræft skæringsdatoen med DST; giv fremover DST besked, før datoen vælges.",
    citations=(
        _TELL_DST,
        SMDB.cite("indledning", "Herefter lægger vi i samarbejde en plan"),
        POLICY.cite("notify-dst", "DST told on the day the cutover was chosen is told in "
                    "time"),
    ),
    checks="SMDB plans: that DST was told of the change no later than the day the cutover "
           "date was chosen (`dst_notified` on or before `cutover_chosen`). Told on the same "
           "day counts as in time (casemigrate policy: the source orders the two steps, not "
           "the hours).",
    why='DST\'s guide puts telling DST first, "as early as possible, even if you do not know '
        'every detail yet", and only then "Herefter lægger vi i samarbejde en plan": the '
        "cutover date is part of that plan. A date chosen before DST knew was not planned "
        "with DST, and may not suit its processing.",
    example="Cutover 2026-06-01, chosen 2026-03-16, DST notified 2026-03-20: CM109. Notified "
            "2026-03-16: nothing.",
    sample={"notified": dt.date(2026, 3, 20), "cutover": _CUTOVER,
            "chosen": dt.date(2026, 3, 16)},
    checks_da="For SMDB-planer: at DST fik besked om systemskiftet senest den dag, skæringsdatoen "
              "blev valgt (`dst_notified` samme dag som eller før `cutover_chosen`). En besked "
              "samme dag er rettidig (casemigrates valg: kilden angiver rækkefølgen af de to "
              "trin, ikke klokkeslættet).",
    why_da="DSTs vejledning sætter beskeden til DST først, \"så tidligt som muligt, selvom I ikke "
           "kender alle detaljer endnu\", og først derefter \"Herefter lægger vi i samarbejde en "
           "plan\": skæringsdatoen er en del af den plan. En dato, der blev valgt, før DST vidste "
           "besked, er ikke planlagt sammen med DST og passer måske ikke til DSTs behandling.",
    example_da="Skæringsdato 2026-06-01, valgt 2026-03-16, DST underrettet 2026-03-20: CM109. "
               "Underrettet 2026-03-16: intet fund.",
)

# Milestones whose lateness has a rule of its own.
_OWN_RULE: Final = frozenset({"notify_dst", "choose_cutover", "close_old_reporting"})


def _title(milestone: Milestone) -> Term:
    return Term(milestone.title, da=milestone.title_da)


def check_plan(plan: CutoverPlan, *, as_of: dt.date) -> tuple[Finding, ...]:
    """Check a plan against its timeline on ``as_of``.

    Findings: CM101 (cutover chosen late, SMDB), CM102 (DST not notified), CM103 and
    CM104 (DST notified late, or on or after the cutover), CM105 (SMDB old reporting
    not closed before the cutover), CM106 (a milestone overdue at ``as_of``), CM107
    (cutover on a day off), CM108 (a milestone done after its latest date), CM109
    (SMDB: DST told only after the cutover date was chosen).

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
                CUTOVER_CHOSEN_LATE, ("choose_cutover",), cutover=c, chosen=plan.cutover_chosen,
                latest=choose.latest,
            ))

    notify = timeline["notify_dst"]
    if plan.dst_notified is None:
        findings.append(Finding.of(
            DST_NOT_NOTIFIED, ("notify_dst",), new_system=plan.new_system, cutover=c,
        ))
    elif plan.dst_notified >= c:
        findings.append(Finding.of(
            DST_NOTIFIED_AFTER_CUTOVER, ("notify_dst",), notified=plan.dst_notified, cutover=c,
        ))
    elif notify.latest is not None and plan.dst_notified > notify.latest:
        findings.append(Finding.of(
            DST_NOTIFIED_LATE, ("notify_dst",), notified=plan.dst_notified, latest=notify.latest,
        ))

    if (
        plan.register is Register.SMDB
        and plan.dst_notified is not None
        and plan.cutover_chosen is not None
        and plan.dst_notified > plan.cutover_chosen
    ):
        # DST plans the change with the municipality after being told: a date chosen
        # before that was not planned with DST. The same day counts as in time.
        findings.append(Finding.of(
            DST_NOTIFIED_AFTER_CUTOVER_CHOSEN, ("notify_dst",), notified=plan.dst_notified,
            cutover=c,
            chosen=plan.cutover_chosen,
        ))

    if (
        plan.register is Register.SMDB
        and plan.old_reporting_closed is not None
        and plan.old_reporting_closed >= c
    ):
        findings.append(Finding.of(
            OLD_REPORTING_OPEN_AT_CUTOVER, ("close_old_reporting",), old_system=plan.old_system,
            closed=plan.old_reporting_closed, cutover=c,
        ))

    for milestone in timeline:
        if milestone.key == "notify_dst":
            continue  # CM102 says it
        if milestone.is_overdue(as_of):
            findings.append(Finding.of(
                MILESTONE_OVERDUE, (milestone.key,), title=_title(milestone),
                latest=milestone.latest, as_of=as_of, source=(milestone.source,),
            ))
        elif (
            milestone.key not in _OWN_RULE
            and milestone.done is not None
            and milestone.latest is not None
            and milestone.done > milestone.latest
        ):
            findings.append(Finding.of(
                MILESTONE_DONE_LATE, (milestone.key,), title=_title(milestone),
                done=milestone.done, latest=milestone.latest, source=(milestone.source,),
            ))

    why = wd.day_off_reason(c, cal)
    if why is not None:
        findings.append(Finding.of(
            CUTOVER_NOT_WORKING_DAY, ("cutover",), cutover=c,
            why=Term(why, da=wd.day_off_reason(c, cal, language="da") or why),
        ))
    return sort_findings(findings)
