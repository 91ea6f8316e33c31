"""Merging deliveries the way Statistics Denmark does, and the service checks.

When a municipality changes the system that reports to DST's statistics on handicap
and vulnerable adults, DST builds its data from both systems (Danmarks Statistik,
"Vejledning om systemskifte til kommuner", section 2 "DSTs databehandling ved
systemskifte"):

1. from the old system, every *closed* service of its latest delivery;
2. from the new system, *every* service, closed and active, of its latest delivery;
3. together they are the data basis.

:func:`merge_deliveries` does exactly that and accounts for every service it was
given: each is either in the data basis or excluded with a reason
(:class:`ExclusionReason`). It also reports what makes the data basis wrong:
services counted twice, closed artificially at the cutover, re-created without their
real start date, or vanished from the old system's latest delivery.

End dates are *inclusive*: a service ending on a day runs on that day. So an
old-system service ending on the cutover and a new-system one starting on it share
one day and are counted twice for it. One ending the day before does not overlap.
It can still be an artificial closure (CM302).

Example:
    >>> import datetime as dt
    >>> from casemigrate import CutoverPlan, Delivery, Service, merge_deliveries
    >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
    ...                    new_system="New", cutover=dt.date(2026, 6, 1))
    >>> def svc(sid, system, end=None):
    ...     return Service(service_id=sid, municipality=607, citizen="211062-1234",
    ...                    code=sid[0], target_groups={"1.1"}, start=dt.date(2021, 6, 1),
    ...                    end=end, system=system)
    >>> old = Delivery(delivery_id="o", name="L402", system="Old", municipality=607,
    ...                sent=dt.date(2026, 6, 10),
    ...                services=[svc("A", "Old", dt.date(2024, 1, 1)), svc("B", "Old")])
    >>> new = Delivery(delivery_id="n", name="L402", system="New", municipality=607,
    ...                sent=dt.date(2026, 6, 11), services=[svc("B'", "New")])
    >>> result = merge_deliveries([new, old], plan)
    >>> [s.service_id for s in result.services], [(e.service.service_id, e.reason.name)
    ...                                           for e in result.excluded]
    (['A', "B'"], [('B', 'ACTIVE_IN_OLD_SYSTEM')])
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal, overload

import attrs

from casemigrate import _columnar, _text
from casemigrate import _validate as v
from casemigrate import render as _render
from casemigrate._keys import delivery_key, service_key, sorted_total
from casemigrate._slots import slots_filler
from casemigrate._text import Term, TermEnum
from casemigrate.exceptions import InvalidArgument, InvalidType
from casemigrate.findings import (
    CHECK_NOT_APPLICABLE,
    Finding,
    Rule,
    Severity,
    finding_maker,
    sort_findings,
)
from casemigrate.identifiers import cpr_key, municipality
from casemigrate.model import Delivery, Service
from casemigrate.plan import CutoverPlan
from casemigrate.sources import HANDICAP, POLICY, Citation

__all__ = [
    "DEFAULT_MAX_REPORTING_GAP_DAYS",
    "MERGE_SOURCES",
    "Excluded",
    "ExclusionReason",
    "MergeResult",
    "RecreationMatch",
    "RecreationOutcome",
    "check_services",
    "find_service_overlaps",
    "merge_deliveries",
]


# ---- the rules ------------------------------------------------------------------------

_CUTOVER: Final = dt.date(2026, 6, 1)
_REAL_END: Final = HANDICAP.cite(
    "afsnit 1, punkt 2", "Ydelser i det tidligere anvendte system skal kun påføres en "
    "slutdato, hvis ydelsen reelt er afsluttet.")
_CORRECT: Final = HANDICAP.cite(
    "afsnit 1, punkt 2", "Det er vigtigt, at alle afsluttede ydelser i det tidligere system er "
    "opdaterede med korrekte oplysninger")
_DST_REQUIREMENTS: Final = HANDICAP.cite(
    "afsnit 1, punkt 2", "og overholder DSTs krav til dataindberetningen")
_OLD_CLOSED: Final = HANDICAP.cite(
    "afsnit 2, punkt 1", "Fra tidligere system udvælges alle afsluttede ydelser indeholdt i den "
    "senest modtagne leverance.")
_NEW_ALL: Final = HANDICAP.cite(
    "afsnit 2, punkt 2", "Fra det nye system udvælges samtlige ydelser, både afsluttede og "
    "aktive, fra den senest modtagne leverance.")
_TOGETHER: Final = HANDICAP.cite(
    "afsnit 2, punkt 3", "Ydelserne fra de to systemer danner tilsammen det datagrundlag, som "
    "DST anvender i statistikproduktionen.")
MERGE_SOURCES: Final[tuple[Citation, ...]] = (_OLD_CLOSED, _NEW_ALL, _TOGETHER)
"""Where :func:`merge_deliveries` comes from: DST's processing of a system change."""
_OPEN: Final = Term("open", da="ubestemt tid")
_MISSING: Final = {
    "start date": Term("start date", da="startdato"),
    "service code": Term("service code", da="ydelseskode"),
    "target group": Term("target group", da="målgruppe"),
    "citizen": Term("citizen", da="borger"),
}
_ROLES: Final = {"old": Term("old_system", en="old system", da="tidligere system"),
                 "new": Term("new_system", en="new system", da="nye system")}

SERVICE_COUNTED_TWICE: Final = Rule(
    code="CM301",
    name="service-counted-twice",
    severity=Severity.ERROR,
    summary="The same citizen and service code have overlapping periods from both systems, "
            "so the service is counted twice.",
    summary_da="Samme borger og ydelseskode har overlappende perioder fra begge systemer, så "
               "ydelsen tælles med to gange.",
    message="{old} ({old_period}) and {new} ({new_period}) are both counted from {first} to "
            "{last}",
    message_da="{old} ({old_period}) og {new} ({new_period}) tælles begge med fra {first} til "
               "{last}",
    hint="Give the old system's service its real end date, or remove the duplicate.",
    hint_da="Giv ydelsen i det tidligere system dens reelle slutdato, eller fjern dubletten.",
    citations=(_OLD_CLOSED, _NEW_ALL, _TOGETHER, _REAL_END, POLICY.cite(
        "counted-twice", "an active service of the old system (no end date) is part of no "
        "CM301, whatever it overlaps: it is not counted")),
    checks="Services in the data basis with the same municipality, citizen and service code, "
           "one from each system, whose periods share at least one day. Both ends are "
           "inclusive. The finding names both service ids and the first and last shared day "
           "(`open` when both are still running). Its `details` carry the number of days "
           "(`None` when open-ended). When the systems are known (as the plan names them), "
           "an active service of the old system takes part in no CM301: DST does not count "
           "it, and CM315/CM316 judge its re-creation instead (casemigrate policy, "
           "docs/policies.md, \"What DST counts twice\"). Without the systems named, the "
           "services are taken as a data basis, where the old system has only closed "
           "services.",
    why="DST takes the old system's closed services and all the new system's services. If "
        "both hold the same service for the same days, the statistics count it twice.",
    example="Old `B` 2021-06-01..2026-06-01 (closed on the cutover); new `B'` "
            "2021-06-01..open: both counted from 2021-06-01 to 2026-06-01, 1,827 days, so "
            "CM301.",
    sample={"old": "B", "new": "B'", "old_period": "2021-06-01..2026-06-01",
            "new_period": "2021-06-01..", "first": dt.date(2021, 6, 1), "last": _CUTOVER},
    checks_da="Ydelser i datagrundlaget med samme kommune, borger og ydelseskode, én fra hvert "
              "system, hvis perioder har mindst én dag til fælles. Begge ender medregnes. Fundet "
              "nævner begge ydelsers id'er og den første og sidste fælles dag (`open`, når begge "
              "stadig løber). Dets `details` angiver antallet af dage (`None` ved en åben "
              "periode). Når systemerne er kendt (som planen navngiver dem), indgår en aktiv "
              "ydelse fra det tidligere system ikke i noget CM301: DST tæller den ikke, og "
              "CM315/CM316 vurderer i stedet, om den er genoprettet (casemigrates valg, "
              "docs/policies.md, \"What DST counts twice\"). Uden navngivne systemer behandles "
              "ydelserne som et datagrundlag, hvor det tidligere system kun har afsluttede "
              "ydelser.",
    why_da="DST tager det tidligere systems afsluttede ydelser og alle det nye systems ydelser. "
           "Har begge systemer den samme ydelse for de samme dage, tæller statistikken den to "
           "gange.",
    example_da="`B` i det tidligere system 2021-06-01..2026-06-01 (afsluttet på "
               "skæringsdatoen); `B'` i det nye system 2021-06-01..åben: begge tælles fra "
               "2021-06-01 til 2026-06-01, 1.827 dage, så CM301.",
)

ARTIFICIAL_CLOSURE_AT_CUTOVER: Final = Rule(
    code="CM302",
    name="artificial-closure-at-cutover",
    severity=Severity.WARNING,
    summary="An old-system service ends the day before or on the cutover while the new system "
            "has the same service active from the cutover.",
    summary_da="En ydelse i det tidligere system slutter dagen før eller på skæringsdatoen, "
               "mens det nye system har samme ydelse aktiv fra skæringsdatoen.",
    message="{old} ends on {end} and {new} starts on {start}: the old service was probably "
            "closed because of the change, not because it ended",
    message_da="{old} slutter {end}, og {new} starter {start}: ydelsen i det tidligere system "
               "blev formentlig afsluttet på grund af systemskiftet, ikke fordi den reelt "
               "sluttede",
    hint="Remove the end date in the old system and re-create the service in the new system "
         "with its real start date.",
    hint_da="Fjern slutdatoen i det tidligere system, og opret ydelsen i det nye system med "
            "dens reelle startdato.",
    citations=_REAL_END,
    checks="An old-system service that ends on the day before the cutover or on the cutover, "
           "while the new system has the same citizen and service code active from the "
           "cutover (it starts on or before the cutover and is active on it).",
    why="An end date belongs only to a service that really ended. A service closed because "
        "of the change, and re-created in the new system, is split in two: it is counted "
        "twice (CM301) or loses its history (CM303).",
    example="Old `B` ends 2026-05-31, cutover 2026-06-01, new `B'` starts 2026-06-01: CM302 "
            "(with CM303 for `B'`).",
    sample={"old": "B", "new": "B'", "end": dt.date(2026, 5, 31), "start": _CUTOVER},
    checks_da="En ydelse i det tidligere system, der slutter dagen før skæringsdatoen eller på "
              "skæringsdatoen, mens det nye system har samme borger og ydelseskode aktiv fra "
              "skæringsdatoen (den starter på eller før skæringsdatoen og er aktiv på den).",
    why_da="En slutdato hører kun til en ydelse, der reelt er ophørt. En ydelse, der er afsluttet "
           "på grund af systemskiftet og genoprettet i det nye system, bliver delt i to: den "
           "tælles to gange (CM301) eller mister sin historik (CM303).",
    example_da="`B` i det tidligere system slutter 2026-05-31, skæringsdato 2026-06-01, `B'` i "
               "det nye system starter 2026-06-01: CM302 (og CM303 for `B'`).",
)

START_EQUALS_CUTOVER: Final = Rule(
    code="CM303",
    name="start-equals-cutover",
    severity=Severity.WARNING,
    summary="A new-system active service starts on the cutover date: its real start date was "
            "probably lost.",
    summary_da="En aktiv ydelse i det nye system starter på skæringsdatoen: dens reelle "
               "startdato er formentlig gået tabt.",
    message="{service} starts on the cutover {cutover}",
    message_da="{service} starter på skæringsdatoen {cutover}",
    hint="Set the service's real start date from the old system.",
    hint_da="Giv ydelsen dens reelle startdato fra det tidligere system.",
    citations=HANDICAP.cite(
        "afsnit 1, punkt 3", "Alle aktive ydelser skal oprettes med deres reelle startdato, "
        "ikke en dato, der angiver tidspunktet for systemskifte."),
    checks="An active new-system service whose start date is the cutover date.",
    why="Active services must be created with their real start date, not the date of the "
        "change. A start on the cutover usually means the history was lost.",
    example="Cutover 2026-06-01; new `B'` active from 2026-06-01: CM303.",
    sample={"service": "B'", "cutover": _CUTOVER},
    checks_da="En aktiv ydelse i det nye system, hvis startdato er skæringsdatoen.",
    why_da="Aktive ydelser skal oprettes med deres reelle startdato, ikke datoen for "
           "systemskiftet. En start på skæringsdatoen betyder som regel, at historikken er gået "
           "tabt.",
    example_da="Skæringsdato 2026-06-01; `B'` i det nye system er aktiv fra 2026-06-01: CM303.",
)

CLOSED_SERVICE_VANISHED: Final = Rule(
    code="CM304",
    name="closed-service-vanished",
    severity=Severity.ERROR,
    summary="A closed service in an earlier delivery of the old system is missing from its "
            "latest delivery, so it vanishes from the statistics.",
    summary_da="En afsluttet ydelse i en tidligere leverance fra det tidligere system mangler "
               "i den seneste leverance og forsvinder derfor fra statistikken.",
    message="{service} was closed in {earlier} but is missing from {latest}",
    message_da="{service} var afsluttet i {earlier}, men mangler i {latest}",
    hint="Send a new old-system delivery that holds every closed service.",
    hint_da="Send en ny leverance fra det tidligere system med alle afsluttede ydelser.",
    citations=_OLD_CLOSED,
    checks="Closed services in an earlier production delivery of the old system that are "
           "missing from its latest production delivery. Services are matched by service id.",
    why="DST takes the old system's closed services from its *latest* delivery only. A closed "
        "service missing from it vanishes from the statistics.",
    example="Old `L402` of 2026-05-01 holds closed `A`; old `L402` of 2026-06-10 does not: "
            "CM304 for `A`.",
    sample={"service": "A", "earlier": "D1", "latest": "D2"},
    checks_da="Afsluttede ydelser i en tidligere produktionsleverance fra det tidligere system, "
              "som mangler i dets seneste produktionsleverance. Ydelserne sammenholdes på "
              "ydelsens id.",
    why_da="DST tager kun det tidligere systems afsluttede ydelser fra dets *seneste* leverance. "
           "En afsluttet ydelse, der mangler i den, forsvinder fra statistikken.",
    example_da="Det tidligere systems `L402` fra 2026-05-01 indeholder den afsluttede `A`; dets "
               "`L402` fra 2026-06-10 gør ikke: CM304 for `A`.",
)

DELIVERIES_SENT_AT_SAME_TIME: Final = Rule(
    code="CM305",
    name="deliveries-sent-at-same-time",
    severity=Severity.ERROR,
    summary="Two production deliveries from one system have the same sent time, so which is "
            "the latest is ambiguous.",
    summary_da="To produktionsleverancer fra samme system har samme afsendelsestidspunkt, så "
               "det er uklart hvilken der er den seneste.",
    message="{deliveries} from {system} were sent at the same time, {sent}; {chosen} was used",
    message_da="{deliveries} fra {system} blev sendt på samme tidspunkt, {sent}; {chosen} er "
               "anvendt",
    hint="Ask DST which delivery it holds as the latest, and resend if needed.",
    hint_da="Spørg DST hvilken leverance de har registreret som den seneste, og send den igen "
            "om nødvendigt.",
    citations=(_OLD_CLOSED, _NEW_ALL),
    checks="Two or more production deliveries from one system with the same latest sending "
           "time. The merge still chooses one deterministically: the greatest `delivery_id`.",
    why="DST uses the latest delivery. When two are equally late, which one DST holds is "
        "unknown, and the data basis may differ from DST's.",
    example="`D1` and `D2`, both `L402` from `New`, both sent 2026-06-10 09:00: CM305, `D2` "
            "used.",
    sample={"deliveries": ("D1", "D2"), "system": "Nexus", "sent": "2026-06-10 09:00:00+02:00",
            "chosen": "D2"},
    checks_da="To eller flere produktionsleverancer fra ét system med det samme seneste "
              "afsendelsestidspunkt. Sammenlægningen vælger alligevel én entydigt: den med det "
              "største `delivery_id`.",
    why_da="DST bruger den seneste leverance. Er to lige sene, vides det ikke, hvilken DST har, "
           "og datagrundlaget kan afvige fra DSTs.",
    example_da="`D1` og `D2`, begge `L402` fra `New`, begge sendt 2026-06-10 kl. 09.00: CM305, "
               "`D2` bruges.",
)

SERVICE_MUNICIPALITY_MISMATCH: Final = Rule(
    code="CM306",
    name="service-municipality-mismatch",
    severity=Severity.ERROR,
    summary="A service's municipality differs from its delivery's.",
    summary_da="En ydelses handlekommune er en anden end leverancens.",
    message="{service} belongs to municipality {service_municipality} but came in {delivery} "
            "of {delivery_municipality}",
    message_da="{service} har handlekommune {service_municipality}, men kom i {delivery} fra "
               "{delivery_municipality}",
    hint="Correct the service's acting municipality or deliver it in the right file.",
    hint_da="Ret ydelsens handlekommune, eller send den i den rigtige leverance.",
    citations=(_DST_REQUIREMENTS, POLICY.cite(
        "deliveries", "A service of another municipality than its delivery's is excluded from "
        "the merge, with a reason")),
    checks="A service in a delivery whose municipality differs from the delivery's "
           "municipality. The merge excludes such a service, with a reason.",
    why="A delivery reports for one municipality. A service of another municipality in it is "
        "misfiled and would be counted for the wrong municipality. The sources say nothing of "
        "misfiled services: excluding it, with a reason, is casemigrate's policy "
        "(docs/policies.md).",
    example="A delivery of 607 Fredericia holding a service of 621 Kolding: CM306.",
    sample={"service": "A", "service_municipality": municipality(621), "delivery": "D1",
            "delivery_municipality": municipality(607)},
    checks_da="En ydelse i en leverance, hvis kommune er en anden end leverancens kommune. "
              "Sammenlægningen udelader en sådan ydelse med en begrundelse.",
    why_da="En leverance indberetter for én kommune. En ydelse fra en anden kommune i den er "
           "fejlplaceret og ville blive talt med for den forkerte kommune. Kilderne siger intet "
           "om fejlplacerede ydelser: at udelade den med en begrundelse er casemigrates valg "
           "(docs/policies.md).",
    example_da="En leverance fra 607 Fredericia, der indeholder en ydelse fra 621 Kolding: CM306.",
)

DUPLICATE_SERVICE_ID: Final = Rule(
    code="CM307",
    name="duplicate-service-id",
    severity=Severity.ERROR,
    summary="One delivery holds the same service id more than once.",
    summary_da="Samme ydelses-id forekommer mere end én gang i en leverance.",
    message="{delivery} holds {service} {count:once|# times}",
    message_da="{delivery} indeholder {service} {count:én gang|# gange}",
    hint="Remove the duplicate rows from the delivery.",
    hint_da="Fjern de dobbelte rækker fra leverancen.",
    citations=(_CORRECT, POLICY.cite(
        "deliveries", "Of a service id repeated in one delivery, the first row is kept and the "
        "others are excluded, with a reason")),
    checks="A delivery that holds the same service id more than once. The merge keeps the "
           "first occurrence and excludes the rest, with a reason.",
    why="A repeated row counts the same service twice. The sources say nothing of repeated "
        "rows: keeping the first and excluding the rest, with a reason, is casemigrate's "
        "policy (docs/policies.md).",
    example="A delivery holding `A`, `B`, `A`: CM307 for `A` with count 2.",
    sample={"delivery": "D1", "service": "A", "count": 2},
    checks_da="En leverance, der indeholder det samme ydelses-id mere end én gang. "
              "Sammenlægningen beholder den første forekomst og udelader resten med en "
              "begrundelse.",
    why_da="En gentaget række tæller den samme ydelse to gange. Kilderne siger intet om gentagne "
           "rækker: at beholde den første og udelade resten med en begrundelse er casemigrates "
           "valg (docs/policies.md).",
    example_da="En leverance med `A`, `B`, `A`: CM307 for `A` med antal 2.",
)

SERVICE_SYSTEM_MISMATCH: Final = Rule(
    code="CM308",
    name="service-system-mismatch",
    severity=Severity.WARNING,
    summary="A service says it comes from another system than the delivery it came in.",
    summary_da="En ydelse angiver et andet system end det, leverancen kom fra.",
    message="{service} says system {service_system} but came in {delivery} from "
            "{delivery_system}",
    message_da="{service} angiver systemet {service_system}, men kom i {delivery} fra "
               "{delivery_system}",
    hint="Check the extract: the service belongs in its own system's delivery.",
    hint_da="Kontrollér udtrækket: ydelsen hører til i leverancen fra sit eget system.",
    citations=(_OLD_CLOSED, _NEW_ALL, POLICY.cite(
        "deliveries", "A service is judged by the system of the delivery it came in")),
    checks="A service whose `system` differs from the system of the delivery it came in. The "
           "merge treats it by its delivery's system.",
    why="The extract may have mixed the two systems' services, and old and new services are "
        "treated differently. DST selects by delivery (\"Fra tidligere system udvælges "
        "...\"), so judging the service by its delivery's system is casemigrate's policy "
        "(docs/policies.md), and this finding says when the two disagree.",
    example="A delivery from `New` holding a service that says `Old`: CM308.",
    sample={"service": "A", "service_system": "Sensum", "delivery": "D2",
            "delivery_system": "Nexus"},
    checks_da="En ydelse, hvis `system` er et andet end systemet for den leverance, den kom i. "
              "Sammenlægningen behandler den efter leverancens system.",
    why_da="Udtrækket kan have blandet de to systemers ydelser sammen, og gamle og nye ydelser "
           "behandles forskelligt. DST udvælger efter leverance (\"Fra tidligere system udvælges "
           "...\"), så at vurdere ydelsen efter leverancens system er casemigrates valg "
           "(docs/policies.md), og dette fund siger, når de to er uenige.",
    example_da="En leverance fra `New`, der indeholder en ydelse, som angiver `Old`: CM308.",
)

SERVICE_INCOMPLETE: Final = Rule(
    code="CM309",
    name="service-incomplete",
    severity=Severity.ERROR,
    summary="A service lacks what DST needs: start date, end date (when closed), service code "
            "or a target group.",
    summary_da="En ydelse mangler oplysninger, som DST skal bruge: startdato, slutdato (når den er "
               "afsluttet), ydelseskode eller målgruppe.",
    message="{service} lacks {missing}",
    message_da="{service} mangler {missing}",
    hint="Complete the service in the system it comes from before the last delivery.",
    hint_da="Udfyld ydelsen i det system, den kommer fra, før den sidste leverance.",
    citations=HANDICAP.cite("afsnit 1, punkt 2",
                            "(dvs. startdato, slutdato, ydelseskode, målgruppe(r), etc.)"),
    checks="A service that lacks a start date, a service code, at least one target group, or "
           "a citizen. The source names start, end, service code and target groups for closed "
           "services. A closed service has its end by definition, and an active service needs "
           "the rest as much as a closed one, so every service is held to them.",
    why="Closed services in the old system must be complete and correct. DST cannot use a "
        "service without them.",
    example="Closed service `A` with no target groups: CM309, missing `target group`.",
    sample={"service": "A", "missing": (_MISSING["service code"], _MISSING["target group"])},
    checks_da="En ydelse, der mangler en startdato, en ydelseskode, mindst én målgruppe eller en "
              "borger. Kilden nævner start, slut, ydelseskode og målgrupper for afsluttede "
              "ydelser. En afsluttet ydelse har per definition en slutdato, og en aktiv ydelse "
              "har lige så meget brug for resten som en afsluttet, så alle ydelser skal have dem.",
    why_da="Afsluttede ydelser i det tidligere system skal være fuldstændige og korrekte. DST kan "
           "ikke bruge en ydelse uden dem.",
    example_da="Den afsluttede ydelse `A` uden målgrupper: CM309, der mangler målgruppe.",
)

MALFORMED_TARGET_GROUP: Final = Rule(
    code="CM310",
    name="malformed-target-group",
    severity=Severity.ERROR,
    summary="A target-group code is not a dotted numeral such as 1.2.2.1.",
    summary_da="En målgruppekode er ikke et punktadskilt tal som 1.2.2.1.",
    message="{service} has {groups:target group # that is not a dotted numeral|target groups "
            "# that are not dotted numerals}",
    message_da="{service} har {groups:målgruppen #, der ikke er et punktadskilt tal|"
               "målgrupperne #, der ikke er punktadskilte tal}",
    hint="Correct the target groups to DST's codes.",
    hint_da="Ret målgrupperne til DSTs koder.",
    citations=(
        HANDICAP.cite("afsnit 1, punkt 2", "er opdaterede med korrekte oplysninger (dvs. "
                      "startdato, slutdato, ydelseskode, målgruppe(r), etc.) og overholder "
                      "DSTs krav til dataindberetningen"),
        POLICY.cite("deliveries", "casemigrate checks only the shape of a target-group code, "
                    "digits separated by single dots, not the list of valid codes"),
    ),
    checks="Target-group codes that are not dotted numerals (`1`, `1.2`, `1.2.2.1`: digits "
           "separated by single dots).",
    why="DST's target groups are dotted numerals. Anything else is rejected, or not counted "
        "in the right group. The format is set by DST's delivery specification B3-L402, "
        "to which the guide points; casemigrate does not hold that specification, so it "
        "checks only the shape, as its own policy (docs/policies.md).",
    example='Target groups `{"1.2.2.1", "1..2", "A.1"}`: CM310 for `1..2, A.1`.',
    sample={"service": "A", "groups": ("1..2", "A.1")},
    checks_da="Målgruppekoder, der ikke er tal adskilt af punktummer (`1`, `1.2`, `1.2.2.1`: "
              "cifre adskilt af enkelte punktummer).",
    why_da="DSTs målgrupper er tal adskilt af punktummer. Alt andet afvises eller tælles ikke med "
           "i den rigtige målgruppe. Formatet er fastlagt i DSTs leverancebeskrivelse B3-L402, "
           "som vejledningen henviser til; casemigrate har ikke den beskrivelse, så den "
           "kontrollerer kun formen, som sit eget valg (docs/policies.md).",
    example_da="Målgrupperne `{\"1.2.2.1\", \"1..2\", \"A.1\"}`: CM310 for `1..2, A.1`.",
)

CLOSED_SERVICE_ENDS_IN_FUTURE: Final = Rule(
    code="CM311",
    name="closed-service-ends-in-future",
    severity=Severity.WARNING,
    summary="A closed service's end date lies after the reference date.",
    summary_da="En afsluttet ydelses slutdato ligger efter referencedatoen.",
    message="{service} ends on {end}, after {as_of}: it has not really ended yet",
    message_da="{service} slutter {end}, efter {as_of}: den er ikke reelt afsluttet endnu",
    hint="Remove the end date until the service has really ended.",
    hint_da="Fjern slutdatoen, indtil ydelsen reelt er afsluttet.",
    citations=_REAL_END,
    checks="With `as_of` given: a closed service whose end date is after `as_of`.",
    why="An end date belongs only to a service that has really ended. A future end date is "
        "often a planned end, or a closure made for the change.",
    example="`as_of` 2026-06-01; service ends 2026-12-31: CM311.",
    sample={"service": "A", "end": dt.date(2026, 12, 31), "as_of": _CUTOVER},
    checks_da="Når `as_of` er angivet: en afsluttet ydelse, hvis slutdato ligger efter `as_of`.",
    why_da="En slutdato hører kun til en ydelse, der reelt er ophørt. En fremtidig slutdato er "
           "ofte en planlagt afslutning eller en afslutning foretaget på grund af systemskiftet.",
    example_da="`as_of` 2026-06-01; ydelsen slutter 2026-12-31: CM311.",
)

NO_PRODUCTION_DELIVERY: Final = Rule(
    code="CM312",
    name="no-production-delivery",
    severity=Severity.WARNING,
    summary="A system of the plan has no production delivery, so none of its services are in "
            "the data basis.",
    summary_da="Et af planens systemer har ingen produktionsleverance, så ingen af dets "
               "ydelser er med i datagrundlaget.",
    message="no production delivery from {system} (the plan's {role})",
    message_da="ingen produktionsleverance fra {system} (planens {role})",
    hint="Send a production delivery (L402) from the system, or check the plan.",
    hint_da="Send en produktionsleverance (L402) fra systemet, eller kontrollér planen.",
    citations=(_TOGETHER, HANDICAP.cite("afsnit 1, NB", "Leverancer navngivet L402 anvendes "
                                        "til statistikproduktion")),
    checks="That the merge received a production delivery from both the old and the new "
           "system of the plan.",
    why="Without one, none of that system's services are in the data basis.",
    example="Only test deliveries from the new system: CM312 for the new system.",
    sample={"system": "Nexus",
            "role": Term("new_system", en="new system", da="nye system")},
    checks_da="At sammenlægningen fik en produktionsleverance fra både planens tidligere og nye "
              "system.",
    why_da="Uden den er ingen af systemets ydelser med i datagrundlaget.",
    example_da="Kun testleverancer fra det nye system: CM312 for det nye system.",
)

SERVICE_NOT_IN_PLAN: Final = Rule(
    code="CM313",
    name="service-not-in-plan",
    severity=Severity.INFO,
    summary="Services of another municipality or system than the plan's were not checked.",
    summary_da="Ydelser fra en anden kommune eller et andet system end planens blev ikke "
               "kontrolleret.",
    message="{count:# service is|# services are} not of {municipality} in {old_system} or "
            "{new_system} and {count:was|were} not checked",
    message_da="{count:# ydelse|# ydelser} er ikke fra {municipality} i {old_system} eller "
               "{new_system} og blev ikke kontrolleret",
    hint="Leave them out, or check that the plan names the right systems and municipality.",
    hint_da="Udelad dem, eller kontrollér at planen nævner de rigtige systemer og den rigtige "
            "kommune.",
    citations=POLICY.cite("nothing-skipped", "A record a check cannot judge is counted or named "
                          "in a finding, never dropped unseen."),
    checks="Counts the services given to `check_services` that belong to another "
           "municipality, or to a system other than the plan's old and new system. They are "
           "not checked.",
    why="Nothing is skipped silently. An unexpected count may mean the plan names a system "
        "wrongly, so its services go unchecked.",
    example="A plan from `Old` to `New`; 12 services from `Older`: CM313 with count 12.",
    sample={"count": 12, "municipality": municipality(607), "old_system": "Sensum",
            "new_system": "Nexus"},
    checks_da="Tæller de ydelser givet til `check_services`, der hører til en anden kommune eller "
              "til et andet system end planens tidligere og nye system. De kontrolleres ikke.",
    why_da="Intet springes over i stilhed. Et uventet antal kan betyde, at planen navngiver et "
           "system forkert, så dets ydelser ikke bliver kontrolleret.",
    example_da="En plan fra `Old` til `New`; 12 ydelser fra `Older`: CM313 med antal 12.",
)

SERVICES_OVERLAP_WITHIN_SYSTEM: Final = Rule(
    code="CM314",
    name="services-overlap-within-system",
    severity=Severity.WARNING,
    summary="Two services of one system with the same citizen and service code share at "
            "least one day: probably one service registered twice.",
    summary_da="To ydelser i samme system med samme borger og ydelseskode overlapper med "
               "mindst én dag: formentlig én ydelse, der er registreret to gange.",
    message="{earlier} ({earlier_period}) and {later} ({later_period}) in {system} are both "
            "counted from {first} to {last}",
    message_da="{earlier} ({earlier_period}) og {later} ({later_period}) i {system} tælles "
               "begge med fra {first} til {last}",
    hint="Check whether the two are one service; if so, remove one or correct its dates.",
    hint_da="Undersøg om de to er samme ydelse; fjern i så fald den ene, eller ret dens datoer.",
    citations=(_CORRECT, POLICY.cite(
        "deliveries", "Two services of one system that overlap are reported only when asked "
        "for")),
    checks="With `find_service_overlaps(..., within_system=True)`: two services from the "
           "*same* system with the same municipality, citizen and service code whose periods "
           "share at least one day (both ends inclusive). The finding names both ids, the "
           'shared days and, in `details["later"]`, the service that starts later.',
    why="Services must carry correct information. One service registered twice in a system "
        "is counted twice in the statistics, as surely as one that is in both systems. Two "
        "real, simultaneous grants of the same code are possible, so this is a warning, not "
        "an error. The sources name no such check: it is casemigrate's own, and opt-in "
        "(docs/policies.md).",
    example="`A` 2020-01-01..2023-12-31 and `B` 2022-05-01..open, both in `NewCare`, same "
            "citizen and code: CM314 for `A, B`, shared from 2022-05-01 to 2023-12-31.",
    sample={"earlier": "A", "later": "B", "earlier_period": "2020-01-01..2023-12-31",
            "later_period": "2022-05-01..", "system": "Nexus", "first": dt.date(2022, 5, 1),
            "last": _OPEN},
    checks_da="Med `find_service_overlaps(..., within_system=True)`: to ydelser fra *samme* "
              "system med samme kommune, borger og ydelseskode, hvis perioder har mindst én dag "
              "til fælles (begge ender medregnet). Fundet nævner begge id'er, de fælles dage og, "
              "i `details[\"later\"]`, den ydelse, der starter senest.",
    why_da="Ydelser skal indeholde korrekte oplysninger. En ydelse, der er registreret to gange i "
           "et system, tælles to gange i statistikken, lige så sikkert som en, der findes i begge "
           "systemer. To reelle, samtidige bevillinger med samme kode kan forekomme, så dette er "
           "en advarsel, ikke en fejl. Kilderne nævner ingen sådan kontrol: den er casemigrates "
           "egen og skal slås til (docs/policies.md).",
    example_da="`A` 2020-01-01..2023-12-31 og `B` 2022-05-01..åben, begge i `NewCare`, samme "
               "borger og kode: CM314 for `A, B`, fælles fra 2022-05-01 til 2023-12-31.",
)


_RECREATE: Final = HANDICAP.cite(
    "afsnit 1, punkt 3", "Alle aktive ydelser i det tidligere system skal oprettes i det nye "
    "system.")
_REAL_START: Final = HANDICAP.cite(
    "afsnit 1, punkt 3", "Alle aktive ydelser skal oprettes med deres reelle startdato, ikke "
    "en dato, der angiver tidspunktet for systemskifte.")

ACTIVE_SERVICE_NOT_RECREATED: Final = Rule(
    code="CM315",
    name="active-service-not-recreated",
    severity=Severity.ERROR,
    summary="An active service of the old system has no matching service in the new system, "
            "so it drops out of DST's data basis.",
    summary_da="En aktiv ydelse i det tidligere system har intet modstykke i det nye system, "
               "så den falder ud af DSTs datagrundlag.",
    message="{service} (citizen {citizen}, code {service_code}, from {start}) is active in "
            "{old_system} but has no match in {new_system}",
    message_da="{service} (borger {citizen}, ydelseskode {service_code}, fra {start}) er aktiv "
               "i {old_system}, men har intet modstykke i {new_system}",
    hint="Create the service in the new system with its real start date, and deliver it.",
    hint_da="Opret ydelsen i det nye system med dens reelle startdato, og indberet den.",
    citations=(
        _RECREATE,
        HANDICAP.cite("afsnit 1, NB", "Dette er for at undgå datatab ved overgangen fra det "
                      "tidligere system til det nye system."),
        _OLD_CLOSED,
        POLICY.cite("recreation-match", "An old and a new service match when they have the "
                    "same municipality, citizen and service code."),
    ),
    checks="In `merge_deliveries`: every active service of the old system's latest production "
           "delivery must be re-created in the new system's latest production delivery "
           "(checked when both systems have one; otherwise CM312 says which has none). In "
           "`check_services`: every active old-system service given must have a re-creation "
           "among the new-system services given; with no new-system service given at all the "
           "check does not run, and CM001 says so. The match is casemigrate's policy "
           "(docs/policies.md), overridable with `RecreationMatch`: an old and a new service "
           "match when they have the same municipality, citizen and service code. Within one "
           "such group they pair one to one, most alike first: same start date and target "
           "groups, then same start date, then same target groups, then any, each step in "
           "order of start date and id, so the result does not depend on input order. By "
           "default a differing start date or target groups do not prevent a match (the "
           "service *was* re-created; CM316 or CM303 says what is wrong with it). "
           "`RecreationMatch(same_start=True)` or `same_target_groups=True` makes them "
           "required.",
    why="DST takes only the closed services of the old system; an active one counts only "
        "through the new system. One that was never re-created drops out of the statistics: "
        'the "datatab" the guide\'s NB warns of. The merge still excludes it (that is what DST '
        "does), and this finding says what was lost.",
    example="Old system's latest delivery: `Y-7`, citizen 211062-****, code SEL107, from "
            "2021-06-01, active. The new system's latest delivery has no SEL107 for that "
            "citizen: CM315 for `Y-7`.",
    sample={"service": "Y-7", "citizen": "211062-****", "service_code": "SEL107",
            "start": dt.date(2021, 6, 1), "old_system": "Sensum", "new_system": "Nexus"},
    checks_da="I `merge_deliveries`: hver aktiv ydelse i det tidligere systems seneste "
              "produktionsleverance skal være genoprettet i det nye systems seneste "
              "produktionsleverance (kontrolleres, når begge systemer har en; ellers siger CM312, "
              "hvilket der mangler). I `check_services`: hver aktiv ydelse fra det tidligere "
              "system skal have en genoprettet ydelse blandt de ydelser fra det nye system, der "
              "er givet; er der slet ingen ydelser fra det nye system, køres kontrollen ikke, og "
              "CM001 siger det. Parringen er casemigrates valg (docs/policies.md) og kan ændres "
              "med `RecreationMatch`: en gammel og en ny ydelse passer sammen, når de har samme "
              "kommune, borger og ydelseskode. Inden for en sådan gruppe parres de én til én, de "
              "mest ens først: samme startdato og målgrupper, derefter samme startdato, derefter "
              "samme målgrupper, derefter hvilke som helst, hvert trin i rækkefølge efter "
              "startdato og id, så resultatet ikke afhænger af rækkefølgen i inddata. Som "
              "standard forhindrer en anden startdato eller andre målgrupper ikke, at de parres "
              "(ydelsen *blev* genoprettet; CM316 eller CM303 siger, hvad der er galt med den). "
              "`RecreationMatch(same_start=True)` eller `same_target_groups=True` gør dem til et "
              "krav.",
    why_da="DST tager kun det tidligere systems afsluttede ydelser; en aktiv ydelse tæller kun "
           "med via det nye system. En ydelse, der aldrig blev genoprettet, falder ud af "
           "statistikken: det \"datatab\", vejledningens NB advarer imod. Sammenlægningen "
           "udelader den stadig (sådan gør DST), og dette fund siger, hvad der gik tabt.",
    example_da="Det tidligere systems seneste leverance: `Y-7`, borger 211062-****, ydelseskode "
               "SEL107, fra 2021-06-01, aktiv. Det nye systems seneste leverance har ingen SEL107 "
               "for den borger: CM315 for `Y-7`.",
)

RECREATED_SERVICE_DIFFERS: Final = Rule(
    code="CM316",
    name="recreated-service-differs",
    severity=Severity.WARNING,
    summary="A re-created service in the new system differs from its old-system service in "
            "start date or target groups.",
    summary_da="En ydelse, der er oprettet på ny i det nye system, afviger fra ydelsen i det "
               "tidligere system i startdato eller målgrupper.",
    message="{new} re-creates {old} but differs in {differs}",
    message_da="{new} er {old} oprettet på ny, men afviger i {differs}",
    hint="Give the new service the old one's real start date and target groups, or confirm "
         "the change.",
    hint_da="Giv den nye ydelse den gamles reelle startdato og målgrupper, eller bekræft "
            "ændringen.",
    citations=(_REAL_START, _CORRECT),
    checks="A matched pair (see CM315) whose new service has another start date than the old "
           "one, or other target groups. A new start on the cutover date itself is not "
           "reported here: CM303 reports that.",
    why='"Alle aktive ydelser skal oprettes med deres reelle startdato": a re-created service '
        "with another start date changes the service's history in the statistics. Other "
        "target groups may be a real re-assessment, or a typing mistake; a person should "
        "look.",
    example="`Y-7` (SEL107, from 2021-06-01, target group 1.1) re-created as `Y-7'` from "
            "2023-01-01 with target group 1.2: CM316 naming both differences.",
    sample={"new": "Y-7'", "old": "Y-7", "differs": (
        _text.Phrase(en="start date ({old} in the old, {new} in the new)",
                     da="startdato ({old} i det tidligere, {new} i det nye)",
                     old=dt.date(2021, 6, 1), new=dt.date(2023, 1, 1)),
        _text.Phrase(en="target groups ({old} in the old, {new} in the new)",
                     da="målgrupper ({old} i det tidligere, {new} i det nye)",
                     old="1.1", new="1.2"),
    )},
    checks_da="Et par, der passer sammen (se CM315), hvor den nye ydelse har en anden startdato "
              "end den gamle eller andre målgrupper. En ny start på selve skæringsdatoen nævnes "
              "ikke her: den giver CM303.",
    why_da="\"Alle aktive ydelser skal oprettes med deres reelle startdato\": en genoprettet "
           "ydelse med en anden startdato ændrer ydelsens historik i statistikken. Andre "
           "målgrupper kan være en reel ny vurdering eller en tastefejl; en medarbejder bør se på "
           "det.",
    example_da="`Y-7` (SEL107, fra 2021-06-01, målgruppe 1.1) genoprettet som `Y-7'` fra "
               "2023-01-01 med målgruppe 1.2: CM316, der nævner begge forskelle.",
)

_RECREATION_CHECK: Final = Term("the re-creation check (CM315)",
                                da="kontrollen af ydelser oprettet på ny (CM315)")
_POLICY_GAP: Final = Term("casemigrate policy", da="casemigrates politik")
_CALLER_GAP: Final = Term("the caller's limit", da="kalderens grænse")

REPORTING_GAP: Final = Rule(
    code="CM317",
    name="reporting-gap",
    severity=Severity.WARNING,
    summary="The old system's last production delivery came long before the new system's "
            "first: a period with no reporting at all.",
    summary_da="Det tidligere systems sidste produktionsleverance kom længe før det nye "
               "systems første: en periode helt uden indberetning.",
    message="{gap_days:# day|# days} without reporting between {old_delivery} ({old_sent}) "
            "and {new_delivery} ({new_sent}); tolerated: {tolerated_days:# day|# days} ({basis})",
    message_da="{gap_days:# dag|# dage} uden indberetning mellem {old_delivery} ({old_sent}) "
               "og {new_delivery} ({new_sent}); tilladt: {tolerated_days:# dag|# dage} ({basis})",
    hint="Send a production delivery from the old system until the new system reports, and "
         "ask DST whether the gap needs a new delivery.",
    hint_da="Indberet fra det tidligere system, indtil det nye system indberetter, og spørg "
            "DST, om hullet kræver en ny leverance.",
    citations=(
        HANDICAP.cite("afsnit 1, NB", "Kommunen skal fortsætte med at indberette data via det "
                      "tidligere system, indtil det nye system er taget i brug og "
                      "indberetningen fungerer."),
        POLICY.cite("reporting-gap", "casemigrate tolerates one calendar month (31 days, the "
                    "longest month) between the old system's last production delivery and "
                    "the new system's first."),
    ),
    checks="In `merge_deliveries`: the days from the old system's last production delivery to "
           "the new system's first one (their Danish sending dates). More than "
           "`max_reporting_gap_days` (31 by default) is a gap in reporting. The finding names "
           "both deliveries and the gap in days. The tolerance is casemigrate's policy "
           "(docs/policies.md); pass `max_reporting_gap_days=0` to hold the NB to the letter, "
           "or your own cadence.",
    why="While neither system reports, DST's data for the municipality stands still, and "
        "closed services of the old system that changed in the meantime reach DST only if the "
        "old system delivers again.",
    example="Old system's last `L402` sent 2026-01-15, the new system's first `L402` "
            "2026-06-10: 146 days, CM317. 2026-05-15 and 2026-06-15 (31 days): nothing; "
            "2026-06-16 (32 days): CM317.",
    sample={"gap_days": 146, "old_delivery": "D-17", "old_sent": dt.date(2026, 1, 15),
            "new_delivery": "D-42", "new_sent": dt.date(2026, 6, 10), "tolerated_days": 31,
            "basis": _POLICY_GAP},
    checks_da="I `merge_deliveries`: dagene fra det tidligere systems sidste produktionsleverance "
              "til det nye systems første (deres danske afsendelsesdatoer). Mere end "
              "`max_reporting_gap_days` (31 som standard) er et hul i indberetningen. Fundet "
              "nævner begge leverancer og hullet i dage. Tolerancen er casemigrates valg "
              "(docs/policies.md); angiv `max_reporting_gap_days=0` for at holde NB'et efter "
              "ordlyden, eller jeres egen frekvens.",
    why_da="Mens ingen af systemerne indberetter, står DSTs data for kommunen stille, og "
           "afsluttede ydelser i det tidligere system, der er ændret i mellemtiden, når kun frem "
           "til DST, hvis det tidligere system leverer igen.",
    example_da="Det tidligere systems sidste `L402` sendt 2026-01-15, det nye systems første "
               "`L402` 2026-06-10: 146 dage, CM317. 2026-05-15 og 2026-06-15 (31 dage): intet "
               "fund; 2026-06-16 (32 dage): CM317.",
)

_TARGET_GROUP: Final = re.compile(r"\d+(?:\.\d+)*")
_ONE_DAY: Final = dt.timedelta(days=1)


DEFAULT_MAX_REPORTING_GAP_DAYS: Final = 31
"""The days tolerated between the old system's last and the new system's first
production delivery (CM317): one calendar month at most. The source sets no delivery
cadence; its NB asks for no gap at all (docs/policies.md)."""


@attrs.frozen(kw_only=True)
class RecreationMatch:
    """How an old system's active service is matched to its re-creation (CM315, CM316).

    An old service and a new one match when they have the same municipality, citizen
    and service code. Within such a group, services pair one to one: first those
    with the same start date and target groups, then the same start date, then the
    same target groups, then any; each step in order of start date and id. So the
    pairing does not depend on the order of the input.

    Attributes:
        same_start: Require the same start date to match. By default a re-created
            service with another start date still matches: it *was* re-created, only
            wrongly (CM316, or CM303 when it starts on the cutover).
        same_target_groups: Require the same target groups to match. By default a
            difference is reported (CM316), since a person may have re-assessed them.
    """

    same_start: bool = False
    same_target_groups: bool = False


_DEFAULT_MATCH: Final = RecreationMatch()


class ExclusionReason(TermEnum):
    """Why a service is not in the data basis, in words in either language.

    Example:
        >>> ExclusionReason.TEST_DELIVERY.in_language("da")
        'i en testleverance (T...): bruges aldrig i statistikken'
    """

    ACTIVE_IN_OLD_SYSTEM = Term("active in the old system: the new system reports it",
                                da="aktiv i det tidligere system: det nye system indberetter den")
    NOT_LATEST_DELIVERY = Term("in an earlier delivery: only the system's latest one counts",
                               da="i en tidligere leverance: kun systemets seneste "
                                  "leverance tæller")
    TEST_DELIVERY = Term("in a test delivery (T...): never used for the statistics",
                         da="i en testleverance (T...): bruges aldrig i statistikken")
    OTHER_SYSTEM = Term("from a system that is neither the plan's old nor its new system",
                        da="fra et system, der hverken er planens tidligere eller nye system")
    OTHER_MUNICIPALITY = Term("in a delivery of another municipality than the plan's",
                              da="i en leverance fra en anden kommune end planens")
    SERVICE_OF_OTHER_MUNICIPALITY = Term("the service's municipality is not its delivery's",
                                         da="ydelsens kommune er ikke leverancens")
    DUPLICATE_IN_DELIVERY = Term("its id is repeated in the delivery: the first one is kept",
                                 da="dens id går igen i leverancen: den første beholdes")


@attrs.frozen
class Excluded:
    """A service left out of the data basis, and why.

    Attributes:
        service: The service.
        reason: Why it was left out.
        delivery_id: The delivery it came in.
    """

    service: Service
    reason: ExclusionReason
    delivery_id: str


_fill_excluded: Final = slots_filler(Excluded, "service", "reason", "delivery_id")
_new: Final = object.__new__


def _excluded(service: Service, reason: ExclusionReason, delivery_id: str) -> Excluded:
    """An :class:`Excluded`, built without the generated ``__init__`` (hot path)."""
    item = _new(Excluded)
    _fill_excluded(item, service, reason, delivery_id)
    return item


class RecreationOutcome(TermEnum):
    """What became of an active service of the old system (excluded from the data basis).

    The parts of the ``ACTIVE_IN_OLD_SYSTEM`` exclusions in :attr:`MergeResult.recreation`.

    Example:
        >>> RecreationOutcome.NOT_RECREATED.in_language("da")
        'ikke oprettet på ny (CM315)'
    """

    RECREATED_UNCHANGED = Term("re-created unchanged",
                               da="oprettet på ny uændret")
    RECREATED_DIFFERS = Term("re-created, another start or target groups (CM316, CM303)",
                             da="oprettet på ny, anden start eller målgrupper (CM316, CM303)")
    NOT_RECREATED = Term("not re-created (CM315)",
                         da="ikke oprettet på ny (CM315)")
    NOT_COMPARED = Term("not compared: no production delivery of the new system",
                        da="ikke sammenlignet: ingen produktionsleverance fra det nye system")


_OUTCOMES: Final = tuple(outcome.name for outcome in RecreationOutcome)
_SCHEMA: Final = 1  # MergeResult.to_dict's, the same as a readiness report's


def _read_only(mapping: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


@attrs.frozen(kw_only=True)
class MergeResult:
    """The data basis DST would build, and everything that was left out.

    Attributes:
        services: The data basis: the old system's closed services and all the new
            system's services, of each system's latest production delivery; the old
            system's first, each in its delivery's order.
        excluded: Every other service, with its reason: first those of the
            deliveries not used at all (another municipality or system, a test
            delivery), by delivery id; then, the old system's and then the new
            system's, those of its earlier production deliveries and those left out
            of its latest; each delivery's services in their order.
        used: The deliveries used (at most one per system).
        findings: What makes the data basis wrong or doubtful, sorted.
        services_in: How many services the deliveries held in all.
        recreation: The old system's active services (excluded as
            ``ACTIVE_IN_OLD_SYSTEM``) by how the new system re-creates them, keyed by
            the names of :class:`RecreationOutcome`: ``RECREATED_UNCHANGED`` (same
            start date and target groups), ``RECREATED_DIFFERS`` (another start date
            or target groups: CM316, or CM303 for a start on the cutover),
            ``NOT_RECREATED`` (CM315) and ``NOT_COMPARED`` (the new system has no
            production delivery, so nothing was matched). :meth:`summary` gives every
            outcome, and its parts sum to the ``ACTIVE_IN_OLD_SYSTEM`` exclusions.

    A merge of records holds tuples. A merge of tables holds lazy sequences of the
    same records and a lazy findings table, equal to those tuples
    (:func:`merge_deliveries`).
    """

    services: Sequence[Service]
    excluded: Sequence[Excluded]
    used: tuple[Delivery, ...]
    findings: Sequence[Finding]
    services_in: int
    recreation: Mapping[str, int] = attrs.field(factory=dict, eq=False, converter=_read_only)

    def __repr__(self) -> str:
        return _render.merge_repr(self)

    def __str__(self) -> str:
        return _render.merge_text(self)

    def _repr_html_(self) -> str:
        return _render.merge_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The ledger as JSON-ready data with stable keys (``"schema": 1``).

        The same data as :meth:`summary`, and as a readiness report's ``"merge"``
        (:meth:`casemigrate.Report.to_dict`), with the schema version first.

        Example:
            >>> import json
            >>> data = MergeResult(services=(), excluded=(), used=(), findings=(),
            ...                    services_in=0).to_dict()
            >>> data["schema"], data["old_active_by_outcome"]["NOT_RECREATED"]
            (1, 0)
            >>> _ = json.dumps(data)
        """
        return {"schema": _SCHEMA, **self.summary()}

    def summary(self) -> dict[str, Any]:
        """How many services went where. ``kept + excluded == services_in`` always.

        Example:
            >>> MergeResult(services=(), excluded=(), used=(), findings=(),
            ...             services_in=0).summary()["kept"]
            0
        """
        # A merge of tables counts its lazy parts without making a record or finding.
        counted = getattr(self.excluded, "reason_counts", None)
        by_reason = (Counter(counted()) if counted is not None
                     else Counter(item.reason.name for item in self.excluded))
        codes = getattr(self.findings, "counts", None)
        old_active = by_reason.get(ExclusionReason.ACTIVE_IN_OLD_SYSTEM.name, 0)
        outcomes = {key: self.recreation.get(key, 0) for key in _OUTCOMES}
        # A result built by hand may lack the tally: what it does not explain was not
        # compared, so the parts always sum to the whole.
        outcomes["NOT_COMPARED"] += old_active - sum(outcomes.values())
        return {
            "services_in": self.services_in,
            "kept": len(self.services),
            "excluded": len(self.excluded),
            "excluded_by_reason": {reason.name: by_reason.get(reason.name, 0)
                                   for reason in ExclusionReason},
            "old_active_by_outcome": outcomes,
            "deliveries_used": [delivery.delivery_id for delivery in self.used],
            "findings_by_code": (dict(codes()) if codes is not None else
                                 dict(sorted(Counter(f.code for f in self.findings).items()))),
        }


def _latest(
    deliveries: list[Delivery], system: str, findings: list[Finding]
) -> tuple[Delivery, list[Delivery]]:
    """The latest delivery and the rest; a tie on the time is a CM305 finding."""
    ordered = sorted_total(deliveries, _BY_TIME, delivery_key)
    latest = ordered[-1]
    tied = [d for d in ordered if d.sent_instant == latest.sent_instant]
    if len(tied) > 1:
        findings.append(Finding.of(
            DELIVERIES_SENT_AT_SAME_TIME, (d.delivery_id for d in tied),
            deliveries=tuple(d.delivery_id for d in tied), system=system,
            sent=latest.sent_local.isoformat(sep=" "), chosen=latest.delivery_id,
        ))
    return latest, ordered[:-1]


def merge_deliveries(
    deliveries: Iterable[Delivery] | object,
    plan: CutoverPlan,
    *,
    check_overlaps: bool = True,
    match: RecreationMatch = _DEFAULT_MATCH,
    max_reporting_gap_days: int = DEFAULT_MAX_REPORTING_GAP_DAYS,
    services: object | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> MergeResult:
    """Build the data basis from the two systems' deliveries, as DST does.

    Per system of the plan, only the latest production delivery (``L...``) counts,
    latest by :attr:`Delivery.sent_instant`. From the old system's latest, its closed
    services; from the new system's latest, all its services. Every other service is
    excluded with a reason: active in the old system, in an earlier delivery, in a test
    delivery, from another system or municipality, of another municipality than its
    delivery, or a repeated id within one delivery.

    Findings: CM301-CM303 on the data basis (see :func:`find_service_overlaps`);
    CM304 for a closed service of an earlier old-system delivery missing from the
    latest; CM305 when two production deliveries of one system share the latest time
    (the greater ``delivery_id`` is used); CM306-CM308 for misfiled services; CM312 when
    a system has no production delivery; CM315 for an active service of the old
    system's latest delivery that no service of the new system's latest delivery
    re-creates (it is excluded from the data basis all the same, as DST does), and
    CM316 for a re-creation that differs (see :class:`RecreationMatch`); CM317 when
    the new system's first production delivery came more than
    ``max_reporting_gap_days`` days after the old system's last one.

    The result does not depend on the order of ``deliveries``.

    A vendor's deliveries as tables: ``deliveries`` may be a table (pyarrow, pandas or
    polars; the ``columnar`` extra) of one row per delivery, read as
    :func:`read_deliveries` reads it, and ``services`` a table of one row per service
    of a delivery: a :class:`Service`'s fields, read as :func:`read_services` reads
    them, and a ``delivery_id`` column naming the delivery that holds it. The result
    equals the record path's for ``read_deliveries(deliveries, services=by_id)``,
    ``by_id`` mapping each delivery id to its services in table order
    (``docs/tables.md``). Its ``services``, ``excluded``, the used deliveries'
    ``services`` and its ``findings`` (a lazy findings table) keep the columnar
    engine's arrays and make a record only when one is indexed or iterated; its
    counts, :meth:`MergeResult.summary` and ``to_frame`` make none.

    Args:
        deliveries: The deliveries DST has received, in any order: records, or a
            table of deliveries.
        plan: The plan (its register need not be HANDICAP; the merge is DST's rule for
            the handicap and vulnerable adults statistics).
        check_overlaps: Look for CM301-CM303 in the data basis (the default). Without
            it, the merge only builds the data basis and checks the deliveries
            themselves: for a converter that runs :func:`find_service_overlaps`
            separately, or not at all.
        match: How old active services are matched to their re-creation (CM315,
            CM316).
        max_reporting_gap_days: The days tolerated between the old system's last and
            the new system's first production delivery (CM317); 0 takes the source's
            NB to the letter.
        services: With a deliveries table only: the services table, with a
            ``delivery_id`` column (mapped from another name with ``columns=``). A
            service whose ``delivery_id`` names no delivery read from the deliveries
            table is a refused row (``invalid-value``). Without it, the deliveries
            hold no services.
        columns: For tables: one mapping of column names to fields for both tables,
            as :func:`read_deliveries` and :func:`read_services` take it (an entry
            is left out for a table whose records lack its field, or that lacks its
            column; ``delivery_id`` is read from both). So are ``errors``, ``extra``,
            ``date_format`` and ``dayfirst``. With ``errors="collect"`` the refused
            rows are left out, each table, column and error code of them is a CM002
            among the findings, and ``findings.refusals`` holds the refusals of the
            deliveries table and of the services table. Records take none of these.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"`` the tables' columns that are no field.
        date_format: A ``strptime`` format for date strings.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September.

    Returns:
        The :class:`MergeResult`.

    Raises:
        InvalidType: ``deliveries`` holds something that is not a :class:`Delivery`,
            ``match`` is not a :class:`RecreationMatch`, or ``services`` is not a
            table.
        InvalidArgument: ``max_reporting_gap_days`` is negative, ``services`` (or a
            reading option) is given beside records, or a table lacks a column.
        MissingDependency: A table is given without the ``columnar`` extra.
        CaseMigrateError: With ``errors="raise"``, a table's first bad row's error.

    Example:
        >>> import datetime as dt
        >>> import pyarrow as pa
        >>> from casemigrate import CutoverPlan
        >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> deliveries = pa.table({
        ...     "delivery_id": ["o", "n"], "name": ["L402", "L402"],
        ...     "system": ["Old", "New"], "municipality": [607, 607],
        ...     "sent": [dt.datetime(2026, 6, 10, 9), dt.datetime(2026, 6, 11, 9)]})
        >>> services = pa.table({
        ...     "ydelse": ["A", "B", "B'"], "municipality": [607, 607, 607],
        ...     "citizen": ["211062-1234"] * 3, "code": ["SEL85", "SEL107", "SEL107"],
        ...     "target_groups": [["1.1"]] * 3,
        ...     "start": [dt.date(2021, 6, 1)] * 3,
        ...     "end": [dt.date(2024, 1, 1), None, None], "system": ["Old", "Old", "New"],
        ...     "leverance": ["o", "o", "n"]})
        >>> result = merge_deliveries(deliveries, plan, services=services,
        ...                           columns={"ydelse": "service_id",
        ...                                    "leverance": "delivery_id"})
        >>> [s.service_id for s in result.services], result.summary()["excluded_by_reason"][
        ...     "ACTIVE_IN_OLD_SYSTEM"], dict(result.recreation)["RECREATED_UNCHANGED"]
        (['A', "B'"], 1, 1)
    """
    plan = v.instance("plan", plan, CutoverPlan)
    match = v.instance("match", match, RecreationMatch)
    tolerated = v.count("max_reporting_gap_days", max_reporting_gap_days)
    check_overlaps = v.flag("check_overlaps", check_overlaps)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    if _columnar.is_table(deliveries):
        if services is not None and not _columnar.is_table(services):
            raise InvalidType(f"expected a table of services with a delivery_id column, got "
                              f"{v.type_name(services)}", field="services")
        return _columnar.merge_deliveries(  # type: ignore[no-any-return]
            deliveries, plan, services=services, check_overlaps=check_overlaps, match=match,
            tolerated=tolerated, **read)
    if services is not None:
        raise InvalidArgument("services= is the services table beside a deliveries table; "
                              "a Delivery record holds its own services (pass the "
                              "deliveries table, or leave services= out)", field="services")
    _columnar.records_only(read)
    findings: list[Finding] = []
    excluded: list[Excluded] = []
    production: dict[str, list[Delivery]] = {"old": [], "new": []}
    services_in = 0
    given = v.each("deliveries", deliveries, Delivery)
    for delivery in sorted_total(given, _BY_ID, delivery_key):
        services_in += len(delivery.services)
        role = plan.system_role(delivery.system)
        reason = None
        if delivery.municipality != plan.municipality:
            reason = ExclusionReason.OTHER_MUNICIPALITY
        elif role is None:
            reason = ExclusionReason.OTHER_SYSTEM
        elif delivery.is_test:
            reason = ExclusionReason.TEST_DELIVERY
        if reason is not None or role is None:
            excluded.extend(_excluded(s, reason or ExclusionReason.OTHER_SYSTEM,
                                     delivery.delivery_id) for s in delivery.services)
            continue
        production[role].append(delivery)

    kept: list[Service] = []
    used: list[Delivery] = []
    old_active: list[Service] = []
    new_kept: list[Service] = []
    for role, system in (("old", plan.old_system), ("new", plan.new_system)):
        if not production[role]:
            findings.append(Finding.of(NO_PRODUCTION_DELIVERY, (system,), system=system,
                                       role=_ROLES[role]))
            continue
        latest, earlier = _latest(production[role], system, findings)
        used.append(latest)
        for delivery in earlier:
            excluded.extend(_excluded(s, ExclusionReason.NOT_LATEST_DELIVERY,
                                     delivery.delivery_id) for s in delivery.services)
        for service in _admit(latest, findings, excluded):
            if role == "old" and service.is_active:
                excluded.append(_excluded(service, ExclusionReason.ACTIVE_IN_OLD_SYSTEM,
                                         latest.delivery_id))
                old_active.append(service)
            else:
                kept.append(service)
                if role == "new":
                    new_kept.append(service)
        if role == "old":
            findings.extend(_vanished(latest, earlier))
    recreation = dict.fromkeys(_OUTCOMES, 0)
    if len(used) == 2:  # both systems delivered
        findings.extend(_recreation(old_active, new_kept, plan, match, recreation))
        gap = _gap(production["old"], production["new"], tolerated)
        if gap is not None:
            findings.append(gap)
    else:
        recreation["NOT_COMPARED"] = len(old_active)

    if check_overlaps:
        findings.extend(find_service_overlaps(
            kept, cutover=plan.cutover, old_system=plan.old_system,
            new_system=plan.new_system,
        ))
    # No sort needed for determinism: deliveries are taken in a canonical order and a
    # delivery's services keep their own order, which is part of the delivery.
    return MergeResult(
        services=tuple(kept),
        excluded=tuple(excluded),
        used=tuple(used),
        findings=sort_findings(findings),
        services_in=services_in,
        recreation=recreation,
    )


_BY_ID: Final = operator.attrgetter("delivery_id")
_BY_TIME: Final = operator.attrgetter("sent_instant", "delivery_id")


def _admit(
    delivery: Delivery, findings: list[Finding], excluded: list[Excluded]
) -> Iterator[Service]:
    """The services of a used delivery that can be used, once each."""
    counts = Counter([service.service_id for service in delivery.services])
    repeated = {sid for sid, n in counts.items() if n > 1}
    seen: set[str] = set()
    where, system = delivery.municipality, delivery.system
    for service in delivery.services:
        sid = service.service_id
        if repeated and sid in repeated:
            if sid in seen:
                excluded.append(_excluded(service, ExclusionReason.DUPLICATE_IN_DELIVERY,
                                         delivery.delivery_id))
                continue
            seen.add(sid)
            findings.append(Finding.of(
                DUPLICATE_SERVICE_ID, (sid,), delivery=delivery.delivery_id, service=sid,
                count=counts[sid],
            ))
        # Municipalities and system names are shared instances: identity settles
        # nearly every service without a Python-level comparison.
        if service.municipality is not where and service.municipality != where:
            findings.append(Finding.of(
                SERVICE_MUNICIPALITY_MISMATCH, (sid,), service=sid,
                service_municipality=service.municipality,
                delivery=delivery.delivery_id, delivery_municipality=delivery.municipality,
            ))
            excluded.append(_excluded(service, ExclusionReason.SERVICE_OF_OTHER_MUNICIPALITY,
                                     delivery.delivery_id))
            continue
        if service.system is not system and service.system.casefold() != system.casefold():
            findings.append(Finding.of(
                SERVICE_SYSTEM_MISMATCH, (sid,), service=sid, service_system=service.system,
                delivery=delivery.delivery_id, delivery_system=delivery.system,
            ))
        yield service


def _gap(old: list[Delivery], new: list[Delivery], tolerated: int) -> Finding | None:
    """CM317: the old system's last production delivery long before the new's first."""
    last_old = max(old, key=lambda d: (d.sent_instant, d.delivery_id))
    first_new = min(new, key=lambda d: (d.sent_instant, d.delivery_id))
    gap = (first_new.sent_day - last_old.sent_day).days
    if gap <= tolerated:
        return None
    return Finding.of(
        REPORTING_GAP, (last_old.delivery_id, first_new.delivery_id), gap_days=gap,
        old_delivery=last_old.delivery_id, old_sent=last_old.sent_day,
        new_delivery=first_new.delivery_id, new_sent=first_new.sent_day,
        tolerated_days=tolerated,
        basis=_POLICY_GAP if tolerated == DEFAULT_MAX_REPORTING_GAP_DAYS else _CALLER_GAP,
    )


_NO_DAY: Final = dt.date.min


def _by_start(service: Service) -> tuple[dt.date, str]:
    return (service.start or _NO_DAY, service.service_id)


def _pair(
    group: list[Service], candidates: list[Service],
    passes: tuple[tuple[bool, bool], ...],
) -> tuple[list[tuple[Service, Service]], list[Service]]:
    """Pair old services with new ones one to one, most alike first (RecreationMatch)."""
    # Ties on start and id (an extract may repeat a row) are broken by every field, so
    # the pairing never depends on the input's order.
    candidates = sorted_total(candidates, _by_start, service_key)
    pairs: list[tuple[Service, Service]] = []
    unmatched = sorted_total(group, _by_start, service_key)
    for need_start, need_groups in passes:
        left: list[Service] = []
        for old in unmatched:
            for index, candidate in enumerate(candidates):
                if ((not need_start or candidate.start == old.start)
                        and (not need_groups or candidate.target_groups == old.target_groups)):
                    pairs.append((old, candidates.pop(index)))
                    break
            else:
                left.append(old)
        unmatched = left
    return pairs, unmatched


_PASSES: Final = ((True, True), (True, False), (False, True), (False, False))


def _differs(old: Service, recreated: Service, cutover: dt.date,
             findings: list[Finding]) -> None:
    """CM316 when a re-created service differs from the old one."""
    differs: list[_text.Phrase] = []
    if recreated.start not in (old.start, cutover):
        # A start on the cutover is CM303's (find_service_overlaps).
        differs.append(_text.Phrase(
            en="start date ({old} in the old, {new} in the new)",
            da="startdato ({old} i det tidligere, {new} i det nye)",
            old=old.start, new=recreated.start))
    if recreated.target_groups != old.target_groups:
        differs.append(_text.Phrase(
            en="target groups ({old} in the old, {new} in the new)",
            da="målgrupper ({old} i det tidligere, {new} i det nye)",
            old=", ".join(sorted(old.target_groups)) or "-",
            new=", ".join(sorted(recreated.target_groups)) or "-"))
    if differs:
        findings.append(Finding.of(
            RECREATED_SERVICE_DIFFERS, (old.service_id, recreated.service_id),
            old=old.service_id, new=recreated.service_id, differs=tuple(differs),
        ))


def _recreation(
    old_active: Iterable[Service], new: Iterable[Service], plan: CutoverPlan,
    match: RecreationMatch, tally: dict[str, int] | None = None,
) -> list[Finding]:
    """CM315 for old active services nothing re-creates; CM316 for differing ones.

    One-to-one pairing per (municipality, citizen, code); see RecreationMatch. With
    ``tally``, each old service is counted there by its outcome (see
    :attr:`MergeResult.recreation`).
    """
    counts = dict.fromkeys(_OUTCOMES[:3], 0)
    # Every service here is of the plan's municipality (the callers see to it), so the
    # key is the citizen's digits and the code, as one string: strings are not tracked
    # by the garbage collector, and a value is a list only when a key repeats, so a
    # million services do not set off collections of the whole heap.
    olds: dict[str | None, Service | list[Service]] = {}
    for service in old_active:
        citizen, code = service.citizen, service.code
        key = None if citizen is None or code is None else cpr_key(citizen) + code
        held = olds.get(key)
        if held is None:
            olds[key] = service
        elif isinstance(held, list):
            held.append(service)
        else:
            olds[key] = [held, service]
    news: dict[str, Service | list[Service]] = {}
    if olds:
        for service in new:
            citizen, code = service.citizen, service.code
            if citizen is None or code is None:
                continue
            key = cpr_key(citizen) + code
            if key in olds:
                held = news.get(key)
                if held is None:
                    news[key] = service
                elif isinstance(held, list):
                    held.append(service)
                else:
                    news[key] = [held, service]
    passes = tuple((start, groups) for start, groups in _PASSES
                   if (start or not match.same_start)
                   and (groups or not match.same_target_groups))
    lenient = len(passes) == len(_PASSES)
    findings: list[Finding] = []
    cutover = plan.cutover
    for key, held_old in olds.items():
        held_new = news.get(key) if key is not None else None
        if lenient and isinstance(held_new, Service) and isinstance(held_old, Service):
            # The common case, one old and one new: no lists, no sorting.
            if held_new.start != held_old.start or (
                    held_new.target_groups != held_old.target_groups):
                _differs(held_old, held_new, cutover, findings)
                counts["RECREATED_DIFFERS"] += 1
            else:
                counts["RECREATED_UNCHANGED"] += 1
            continue
        group = held_old if isinstance(held_old, list) else [held_old]
        if held_new is None:
            pairs: list[tuple[Service, Service]] = []
            unmatched = group
        else:
            candidates = held_new if isinstance(held_new, list) else [held_new]
            pairs, unmatched = _pair(group, candidates, passes)
        counts["NOT_RECREATED"] += len(unmatched)
        findings.extend(_not_recreated(old, plan) for old in unmatched)
        for old, recreated in pairs:
            _differs(old, recreated, cutover, findings)
            same = (recreated.start == old.start
                    and recreated.target_groups == old.target_groups)
            counts["RECREATED_UNCHANGED" if same else "RECREATED_DIFFERS"] += 1
    if tally is not None:
        tally.update(counts)
    return findings


def _not_recreated(old: Service, plan: CutoverPlan) -> Finding:
    """CM315 for an active old-system service that nothing re-creates."""
    return Finding.of(
        ACTIVE_SERVICE_NOT_RECREATED, (old.service_id,), service=old.service_id,
        citizen=old.citizen,
        service_code=old.code if old.code is not None else "?",
        start=old.start if old.start is not None else "?",
        old_system=plan.old_system, new_system=plan.new_system,
    )


def _vanished(latest: Delivery, earlier: list[Delivery]) -> Iterator[Finding]:
    """CM304: closed services of earlier deliveries that the latest does not hold."""
    in_latest = {service.service_id for service in latest.services}
    last_seen: dict[str, str] = {}
    for delivery in earlier:  # oldest first, so the last one seen wins
        for service in delivery.services:
            if service.is_closed and service.service_id not in in_latest:
                last_seen[service.service_id] = delivery.delivery_id
    for sid, delivery_id in sorted(last_seen.items()):
        yield Finding.of(CLOSED_SERVICE_VANISHED, (sid,), service=sid, earlier=delivery_id,
                         latest=latest.delivery_id)


@overload
def find_service_overlaps(
    services: Iterable[Service],
    *,
    cutover: dt.date,
    old_system: str | None = None,
    new_system: str | None = None,
    within_system: bool = False,
) -> tuple[Finding, ...]: ...


@overload
def find_service_overlaps(
    services: object,
    *,
    cutover: dt.date,
    old_system: str | None = None,
    new_system: str | None = None,
    within_system: bool = False,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Sequence[Finding]: ...


def find_service_overlaps(
    services: Iterable[Service] | object,
    *,
    cutover: dt.date,
    old_system: str | None = None,
    new_system: str | None = None,
    within_system: bool = False,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Sequence[Finding]:
    """Double counting and lost history around a cutover, in a data basis.

    Services are grouped by municipality, citizen and service code, and each group is
    sorted by start date and swept once, so the work grows with the data, not with its
    square. Findings:

    * CM301 (ERROR): two services of one group from different systems share at least
      one day (both ends inclusive), so the service is counted twice. Names both ids,
      the first and last shared day and the number of days (``None`` when both are
      still open). With the systems named, an active old-system service is not part
      of any CM301: DST takes only the old system's closed services, so it is not
      counted at all (its re-creation is CM315/CM316's, in :func:`check_services`).
    * CM302 (WARNING): an old service ends on the day before or on the cutover while a
      service of the other system covers the cutover and runs past it: the old one was
      probably closed because of the change.
    * CM303 (WARNING): an active new-system service starts on the cutover: its real
      start date was probably lost.
    * CM314 (WARNING), with ``within_system=True``: two services of one group from the
      *same* system share at least one day, a probable duplicate registration.

    Every overlap finding names the later-starting service in ``details["later"]`` (by
    start, then id). So the services that overlap an earlier one are
    ``{f.details["later"] for f in findings if f.code in ("CM301", "CM314")}``.

    With ``old_system`` and ``new_system`` named, a service's role is its system.
    Without them, roles come from the data basis itself: there the old system
    contributes only closed services, so the closed service of a pair is the old one,
    and any active service starting on the cutover is taken as new.

    Services without a start date or a citizen cannot be placed in time or grouped;
    :func:`check_services` reports them (CM309).

    Args:
        services: The services, in any order: records, or a table (pyarrow, pandas or
            polars), which needs the ``columnar`` extra and is read as
            :func:`read_services` reads it (``docs/tables.md``); a table gives a lazy
            sequence equal to the tuple the records read from it give (in another
            order only where ids are CPR numbers: ``docs/edge-values.md``).
        cutover: The cutover date.
        old_system: The old system's name, if known.
        new_system: The new system's name, if known.
        within_system: Also report overlaps within one system (CM314).
        columns: For a table: as in :func:`read_services`; so are ``errors``,
            ``extra``, ``date_format`` and ``dayfirst``. With ``errors="collect"``
            the refused rows are left out and each table, column and error code of
            them is a CM002 among the findings. Records take none of these.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"`` the table's columns that are no field.
        date_format: A ``strptime`` format for date strings.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September.

    Returns:
        The findings, sorted; subjects are service ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Service
        >>> def svc(sid, system, start, end=None):
        ...     return Service(service_id=sid, municipality=607, citizen="211062-1234",
        ...                    code="SEL107", target_groups={"1.1"}, start=start, end=end,
        ...                    system=system)
        >>> basis = [svc("B", "Old", dt.date(2021, 6, 1), dt.date(2026, 6, 1)),
        ...          svc("B'", "New", dt.date(2021, 6, 1))]
        >>> [(f.code, f.subjects) for f in find_service_overlaps(basis,
        ...                                                      cutover=dt.date(2026, 6, 1))]
        [('CM301', ('B', "B'")), ('CM302', ('B', "B'"))]
    """
    cutover = v.day("cutover", cutover)
    if old_system is not None:
        old_system = v.text("old_system", old_system)
    if new_system is not None:
        new_system = v.text("new_system", new_system)
    within_system = v.flag("within_system", within_system)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    if _columnar.is_table(services):
        return _columnar.find_service_overlaps(  # type: ignore[no-any-return]
            services, cutover=cutover, old_system=old_system, new_system=new_system,
            within_system=within_system, **read)
    _columnar.records_only(read)
    old = None if old_system is None else old_system.casefold()
    new = None if new_system is None else new_system.casefold()
    # Grouped per municipality by the citizen's digits and the code, as one string (a
    # C-level hash; the digits are ten, so the key is unambiguous). Strings are not
    # tracked by the garbage collector, and a group is a list only when its key repeats:
    # a million services do not set off collections of the whole heap.
    by_municipality: dict[int, dict[str, Service | list[Service]]] = {}
    where: object = None
    groups: dict[str, Service | list[Service]] = {}
    findings: list[Finding] = []
    for service in v.iterable("services", services):
        if type(service) is not Service and not isinstance(service, Service):
            raise InvalidType(f"expected Service items, got {v.type_name(service)}",
                              field="services")
        start, citizen, code = service.start, service.citizen, service.code
        if start is None or citizen is None or code is None:
            continue
        if (
            start == cutover
            and service.end is None
            and (new is None or service.system.casefold() == new)
        ):
            findings.append(Finding.of(START_EQUALS_CUTOVER, (service.service_id,),
                                       service=service.service_id, cutover=cutover))
        if service.municipality is not where:
            where = service.municipality
            groups = by_municipality.setdefault(service.municipality.code, {})
        key = cpr_key(citizen) + code
        held = groups.get(key)
        if held is None:
            groups[key] = service
        elif isinstance(held, list):
            held.append(service)
        else:
            groups[key] = [held, service]
    for groups in by_municipality.values():
        for held in groups.values():
            if isinstance(held, list) and (within_system or len({s.system for s in held}) > 1):
                _sweep(held, cutover, old, new, within_system=within_system, out=findings)
    return sort_findings(findings)


def _plays_old(system: str, old: str | None, new: str | None) -> bool:
    """Whether a service of ``system`` is the old system's, the roles being known."""
    if old is not None:
        return system.casefold() == old
    return new is not None and system.casefold() != new


def _is_old(service: Service, other: Service, old: str | None, new: str | None) -> bool:
    """Whether ``service`` plays the old system's part in the pair."""
    if old is not None:
        return service.system.casefold() == old
    if new is not None:
        return service.system.casefold() != new
    if service.is_closed != other.is_closed:
        return service.is_closed
    mine, theirs = _BY_START(service), _BY_START(other)
    if mine != theirs:
        return bool(mine < theirs)
    return service_key(service) < service_key(other)  # same start and id: every field


_BY_START: Final = operator.attrgetter("start", "service_id")


def _sweep(
    group: list[Service], cutover: dt.date, old: str | None, new: str | None,
    *, within_system: bool, out: list[Finding],
) -> None:
    """Pairs of a group from different systems that overlap, or meet at the cutover.

    Sorted by start, and swept once. Each system has its own list of the services
    that may still reach the next start, and a service is compared only with the
    lists of the other systems (and its own with ``within_system``). A list is pruned
    when it is visited, so every comparison either yields a finding or drops a service
    for good: the work grows with the services and findings, never with their square
    (one citizen with thousands of open services in one system stays linear).
    """
    # A service ending the day before the cutover stays for the services starting on
    # it, so that it meets its successor (CM302) without overlapping it (CM301).
    eve = cutover - _ONE_DAY if cutover > dt.date.min else None
    lists: dict[str, list[Service]] = {}
    # With the roles known, an active old-system service is not counted: it meets no
    # service of another system (no CM301, and CM302 needs an end), only its own
    # system's (CM314). Being open, each such meeting is a finding.
    known = old is not None or new is not None
    uncounted: dict[str, list[Service]] = {}
    periods: dict[int, _Period] = {}  # one period per service, shared by its findings
    for current in sorted_total(group, _BY_START, service_key):
        start = current.start
        assert start is not None
        system = current.system
        meets_eve = start == cutover and eve is not None
        if within_system:
            out.extend(_same_system(earlier, current, periods)
                       for earlier in uncounted.get(system, ()))
        if known and current.end is None and _plays_old(system, old, new):
            if within_system:
                # Pruned as below: a service ending on the eve stays for the services
                # starting on the cutover, to meet them (CM302), though not this one.
                open_ = [s for s in lists.get(system, ()) if s.end is None or s.end >= start
                         or (meets_eve and s.end == eve)]
                if open_:
                    lists[system] = open_
                else:
                    lists.pop(system, None)
                out.extend(_same_system(earlier, current, periods) for earlier in open_
                           if earlier.end is None or earlier.end >= start)
            uncounted.setdefault(system, []).append(current)
            continue
        for other_system, open_ in list(lists.items()):
            if other_system == system and not within_system:
                continue
            kept = [s for s in open_ if s.end is None or s.end >= start
                    or (meets_eve and s.end == eve)]
            if not kept:
                del lists[other_system]
                continue
            lists[other_system] = kept
            for earlier in kept:
                if other_system == system:
                    if earlier.end is None or earlier.end >= start:
                        out.append(_same_system(earlier, current, periods))
                    continue
                if _is_old(earlier, current, old, new):
                    _judge(earlier, current, cutover, later=current.service_id, out=out,
                           periods=periods)
                else:
                    _judge(current, earlier, cutover, later=current.service_id, out=out,
                           periods=periods)
        lists.setdefault(system, []).append(current)


class _Period(tuple[dt.date | None, dt.date | None]):
    """A service's period, ``(start, end)``, shown as ``start..end`` when a message is read.

    Built with ``tuple.__new__`` (C-level): overlap checks make one per service of a
    sweep that is in a pair, shared by its findings.
    """

    __slots__ = ()

    def __str__(self) -> str:
        start, end = self
        shown = "?" if start is None else start.isoformat()
        return f"{shown}..{'' if end is None else end.isoformat()}"


_tuple_new: Final = tuple.__new__


def _period(service: Service, periods: dict[int, _Period]) -> _Period:
    """The service's period, made once per sweep (``periods`` is keyed by ``id``).

    A service may be in many pairs; its findings share one period, so a million
    findings hold fewer objects for the garbage collector to walk. The group holds
    every service while it is swept, so an ``id`` is not reused meanwhile.
    """
    key = id(service)
    period = periods.get(key)
    if period is None:
        period = periods[key] = _tuple_new(_Period, (service.start, service.end))
    return period


def _shared(a: Service, b: Service) -> tuple[dt.date, dt.date | None]:
    """The first and last shared day (``None``: still open)."""
    a_start, b_start, a_end, b_end = a.start, b.start, a.end, b.end
    assert a_start is not None and b_start is not None
    first = a_start if a_start > b_start else b_start
    if a_end is None:
        return first, b_end
    return first, a_end if b_end is None or a_end < b_end else b_end


# The findings of the sweep, made by the hundred thousand: each rule's builder is made
# once (Finding.of's checks of the rule and its values, done here once).
_WITHIN_SYSTEM: Final = finding_maker(
    SERVICES_OVERLAP_WITHIN_SYSTEM, "earlier", "later", "earlier_period", "later_period",
    "system", "first", "last", "days", pair=True)
_COUNTED_TWICE: Final = finding_maker(
    SERVICE_COUNTED_TWICE, "old", "new", "old_period", "new_period", "first", "last", "days",
    "later", pair=True)
_CLOSED_AT_CUTOVER: Final = finding_maker(
    ARTIFICIAL_CLOSURE_AT_CUTOVER, "old", "new", "end", "start", pair=True)


def _same_system(earlier: Service, later: Service, periods: dict[int, _Period]) -> Finding:
    first, last = _shared(earlier, later)
    earlier_id, later_id = earlier.service_id, later.service_id
    return _WITHIN_SYSTEM(
        earlier_id, later_id, earlier_id, later_id, _period(earlier, periods),
        _period(later, periods),
        later.system, first, _OPEN if last is None else last,
        None if last is None else (last - first).days + 1,
    )


def _judge(old: Service, new: Service, cutover: dt.date, *, later: str,
           out: list[Finding], periods: dict[int, _Period]) -> None:
    assert old.start is not None and new.start is not None
    old_id, new_id = old.service_id, new.service_id
    first, last = _shared(old, new)
    if last is None or first <= last:
        out.append(_COUNTED_TWICE(
            old_id, new_id, old_id, new_id, _period(old, periods), _period(new, periods), first,
            _OPEN if last is None else last,
            None if last is None else (last - first).days + 1, later,
        ))
    if (
        old.end is not None
        and old.end <= cutover
        and (old.end == cutover or old.end + _ONE_DAY == cutover)
        and new.start <= cutover
        and (new.end is None or new.end > cutover)
    ):
        out.append(_CLOSED_AT_CUTOVER(old_id, new_id, old_id, new_id, old.end, new.start))


@overload
def check_services(
    services: Iterable[Service],
    plan: CutoverPlan,
    *,
    as_of: dt.date | None = None,
    match: RecreationMatch = _DEFAULT_MATCH,
) -> tuple[Finding, ...]: ...


@overload
def check_services(
    services: object,
    plan: CutoverPlan,
    *,
    as_of: dt.date | None = None,
    match: RecreationMatch = _DEFAULT_MATCH,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Sequence[Finding]: ...


def check_services(
    services: Iterable[Service] | object,
    plan: CutoverPlan,
    *,
    as_of: dt.date | None = None,
    match: RecreationMatch = _DEFAULT_MATCH,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Sequence[Finding]:
    """Check each service for what DST needs of it.

    * CM309 (ERROR): a missing start date, service code, target group or citizen.
      A closed service needs start, end, code and target group. Its end it has by
      definition, so every service is held to the rest.
    * CM310 (ERROR): target-group codes that are not dotted numerals (``1.2.2.1``).
    * CM311 (WARNING): with ``as_of``, a closed service whose end is after it.
    * CM313 (INFO): services outside the plan's municipality or systems, counted and
      not checked.
    * CM315 (ERROR) and CM316 (WARNING): an active service of the old system that no
      service of the new system re-creates, or re-creates differently (matched as by
      :class:`RecreationMatch`). Checked only when services of both systems are given:
      with active old services and no new one at all, CM001 (INFO) says it was not run.

    Args:
        services: The services, in any order: records, or a table (pyarrow, pandas or
            polars), which needs the ``columnar`` extra and is read as
            :func:`read_services` reads it (``docs/tables.md``); a table gives a lazy
            sequence equal to the tuple the records read from it give (in another
            order only where ids are CPR numbers: ``docs/edge-values.md``).
        plan: The plan.
        as_of: The reference day for CM311; without it CM311 is not checked.
        match: How old active services are matched to their re-creation.
        columns: For a table: as in :func:`read_services`; so are ``errors``,
            ``extra``, ``date_format`` and ``dayfirst``. With ``errors="collect"``
            the refused rows are left out and each table, column and error code of
            them is a CM002 among the findings. Records take none of these.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"`` the table's columns that are no field.
        date_format: A ``strptime`` format for date strings.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September.

    Returns:
        The findings, sorted; subjects are service ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, Service
        >>> plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> a = Service(service_id="A", municipality=607, citizen="211062-1234", code=None,
        ...             target_groups={"1..2"}, start=dt.date(2021, 6, 1),
        ...             end=dt.date(2026, 12, 31), system="Old")
        >>> [(f.code, f.subjects) for f in check_services([a], plan, as_of=dt.date(2026, 6, 1))]
        [('CM309', ('A',)), ('CM310', ('A',)), ('CM311', ('A',))]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    match = v.instance("match", match, RecreationMatch)
    if as_of is not None:
        as_of = v.day("as_of", as_of)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    if _columnar.is_table(services):
        return _columnar.check_services(  # type: ignore[no-any-return]
            services, plan, as_of=as_of, match=match, **read)
    _columnar.records_only(read)
    findings: list[Finding] = []
    outside = 0
    old_active: list[Service] = []
    new: list[Service] = []
    for service in v.each("services", services, Service):
        role = (plan.system_role(service.system)
                if service.municipality == plan.municipality else None)
        if role is None:
            outside += 1
            continue
        if role == "new":
            new.append(service)
        elif service.end is None:
            old_active.append(service)
        sid = service.service_id
        missing = [
            _MISSING[label] for label, absent in (
                ("start date", service.start is None),
                ("service code", service.code is None),
                ("target group", not service.target_groups),
                ("citizen", service.citizen is None),
            ) if absent
        ]
        if missing:
            findings.append(Finding.of(SERVICE_INCOMPLETE, (sid,), service=sid,
                                       missing=tuple(missing)))
        bad = sorted(g for g in service.target_groups if not _TARGET_GROUP.fullmatch(g))
        if bad:
            findings.append(Finding.of(MALFORMED_TARGET_GROUP, (sid,), service=sid,
                                       groups=tuple(bad)))
        if as_of is not None and service.end is not None and service.end > as_of:
            findings.append(Finding.of(CLOSED_SERVICE_ENDS_IN_FUTURE, (sid,), service=sid,
                                       end=service.end,
                                       as_of=as_of))
    if outside:
        findings.append(Finding.of(SERVICE_NOT_IN_PLAN, (), count=outside,
                                   municipality=plan.municipality, old_system=plan.old_system,
                                   new_system=plan.new_system))
    if old_active and new:
        findings.extend(_recreation(old_active, new, plan, match))
    elif old_active:
        findings.append(Finding.of(
            CHECK_NOT_APPLICABLE, ("check_services",), check=_RECREATION_CHECK,
            reason=_text.Phrase(en="no service of the new system {system} was given",
                                da="der er ingen ydelser fra det nye system {system}",
                                system=plan.new_system),
        ))
    return sort_findings(findings)
