"""Reporting overlap across a cutover, duplicate active cases and blocking cases.

* :func:`find_reporting_overlap`: which production deliveries fall on the wrong side
  of the cutover (SMDB forbids any overlap; for the handicap statistics the old system
  keeps reporting after the cutover, as it should, but the new system may not report
  in production before it).
* :func:`find_duplicate_active_cases`: one active case per citizen per municipality.
* :func:`find_blocking_cases`: SMDB cases left active in the old system that will
  block the new system's cases.

Each is one pass over its input with hash grouping, so a million cases is a matter of
seconds, not of pairs. Results do not depend on input order.

Example:
    >>> import datetime as dt
    >>> from casemigrate import Case, find_duplicate_active_cases
    >>> cases = [Case(case_id=i, municipality=607, citizen="211062-1234", system="Old",
    ...               opened=dt.date(2025, 1, 1)) for i in ("A", "B")]
    >>> [(f.code, f.subjects) for f in find_duplicate_active_cases(cases,
    ...                                                            as_of=dt.date(2026, 1, 1))]
    [('CM204', ('A', 'B'))]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, NamedTuple, overload

from casemigrate import _columnar
from casemigrate import _validate as v
from casemigrate._keys import subject_ids
from casemigrate._text import Phrase
from casemigrate.exceptions import InvalidType
from casemigrate.findings import (
    CHECK_NOT_APPLICABLE,
    Finding,
    Rule,
    Severity,
    finding_maker,
    sort_findings,
)
from casemigrate.identifiers import cpr_key, municipality
from casemigrate.model import Case, Delivery
from casemigrate.plan import CutoverPlan, Register, plan_timeline
from casemigrate.sources import HANDICAP, POLICY, SMDB

__all__ = [
    "find_blocking_cases",
    "find_duplicate_active_cases",
    "find_reporting_overlap",
]


# ---- the rules ------------------------------------------------------------------------

_CUTOVER: Final = dt.date(2026, 6, 1)
_NO_OVERLAP: Final = SMDB.cite(
    "trin 1", "Det er nemlig meget vigtigt, at der ikke er noget overlap mellem indberetning "
    "fra det nye og nuværende system, da det kan skabe fejl i datamodtagelsen.")
_ONE_ACTIVE_CASE: Final = SMDB.cite(
    "trin 2", "Hver kommune kan kun have én aktiv sag pr. borger i SMDB.")
_NOTHING_SKIPPED: Final = POLICY.cite(
    "nothing-skipped",
    "A record a check cannot judge is counted or named in a finding, never dropped unseen.")

OLD_SYSTEM_REPORTS_AFTER_CUTOVER: Final = Rule(
    code="CM201",
    name="old-system-reports-after-cutover",
    severity=Severity.ERROR,
    summary="SMDB: a production delivery from the old system was sent on or after the "
            "cutover.",
    summary_da="SMDB: En produktionsleverance fra det tidligere system blev sendt på eller "
               "efter skæringsdatoen.",
    message="{delivery} from the old system {system} was sent on {sent}, on or after the "
            "cutover {cutover}",
    message_da="{delivery} fra det tidligere system {system} blev sendt {sent}, på eller efter "
               "skæringsdatoen {cutover}",
    hint="Stop reporting from the old system before the cutover; ask DST to remove the "
         "delivery.",
    hint_da="Stop indberetningen fra det tidligere system før skæringsdatoen, og bed DST om at "
            "fjerne leverancen.",
    citations=_NO_OVERLAP,
    checks="SMDB plans: no production delivery (`L...`) from the old system has a Danish "
           "sending date on or after the cutover. Test deliveries never count as reporting.",
    why="Overlapping reporting from two systems causes errors when DST receives the data.",
    example="Cutover 2026-06-01; `L402` from the old system sent 2026-06-01 08:00: CM201.",
    sample={"delivery": "D1 (L402)", "system": "Sensum", "sent": _CUTOVER, "cutover": _CUTOVER},
    checks_da="For SMDB-planer: at ingen produktionsleverance (`L...`) fra det tidligere system "
              "har en dansk afsendelsesdato på eller efter skæringsdatoen. Testleverancer tæller "
              "aldrig som indberetning.",
    why_da="Overlappende indberetning fra to systemer giver fejl, når DST modtager data.",
    example_da="Skæringsdato 2026-06-01; `L402` fra det tidligere system sendt 2026-06-01 kl. "
               "08.00: CM201.",
)

NEW_SYSTEM_REPORTS_BEFORE_CUTOVER: Final = Rule(
    code="CM202",
    name="new-system-reports-before-cutover",
    severity=Severity.ERROR,
    summary="A production delivery from the new system was sent before the cutover.",
    summary_da="En produktionsleverance fra det nye system blev sendt før skæringsdatoen.",
    message="{delivery} from the new system {system} was sent on {sent}, before the cutover "
            "{cutover}",
    message_da="{delivery} fra det nye system {system} blev sendt {sent}, før skæringsdatoen "
               "{cutover}",
    hint="Send deliveries before the cutover as test deliveries (T402), not production (L402).",
    hint_da="Send leverancer før skæringsdatoen som testleverancer (T402), ikke som "
            "produktionsleverancer (L402).",
    citations=(
        _NO_OVERLAP,
        HANDICAP.cite("afsnit 1, NB", "Hvis der indberettes testdata via det nye system, skal "
                      "det angives, at dataleverancen er en testleverance (T402)."),
    ),
    checks="No production delivery from the new system has a Danish sending date before the "
           "cutover (both registers).",
    why="SMDB forbids overlap. For the handicap statistics, a delivery sent before the new "
        "system is in use must be marked as a test (`T402`), or DST takes it as the new "
        "system's data.",
    example="Cutover 2026-06-01; `L402` from the new system sent 2026-05-25: CM202. As "
            "`T402`: fine.",
    sample={"delivery": "D2 (L402)", "system": "Nexus", "sent": dt.date(2026, 5, 25),
            "cutover": _CUTOVER},
    checks_da="At ingen produktionsleverance fra det nye system har en dansk afsendelsesdato før "
              "skæringsdatoen (begge registre).",
    why_da="SMDB forbyder overlap. For handicapstatistikken skal en leverance, der sendes, før "
           "det nye system er taget i brug, markeres som test (`T402`), ellers opfatter DST den "
           "som det nye systems data.",
    example_da="Skæringsdato 2026-06-01; `L402` fra det nye system sendt 2026-05-25: CM202. Som "
               "`T402`: i orden.",
)

OLD_SYSTEM_STILL_REPORTING: Final = Rule(
    code="CM203",
    name="old-system-still-reporting",
    severity=Severity.INFO,
    summary="Handicap and vulnerable adults: the old system keeps reporting after the "
            "cutover, as the source asks.",
    summary_da="Handicap og udsatte voksne: Det tidligere system fortsætter med at indberette "
               "efter skæringsdatoen, som vejledningen beder om.",
    message="{delivery} from the old system {system} was sent on {sent}, after the cutover "
            "{cutover}: expected until the new system works",
    message_da="{delivery} fra det tidligere system {system} blev sendt {sent}, efter "
               "skæringsdatoen {cutover}; det er forventet, indtil indberetningen fra det nye "
               "system fungerer",
    hint="Nothing to do; stop the old reporting once the new system's deliveries work.",
    hint_da="Intet at gøre; stop indberetningen fra det tidligere system, når leverancerne fra "
            "det nye system fungerer.",
    citations=HANDICAP.cite(
        "afsnit 1, NB", "Kommunen skal fortsætte med at indberette data via det tidligere "
        "system, indtil det nye system er taget i brug og indberetningen fungerer."),
    checks="HANDICAP plans: a production delivery from the old system sent on or after the "
           "cutover. It is noted, not flagged.",
    why="Here the source asks for it: keep reporting from the old system until the new one "
        "works, to avoid losing data. The note shows it was seen and judged.",
    example="Cutover 2026-06-01; `L402` from the old system sent 2026-06-15: CM203.",
    sample={"delivery": "D3 (L402)", "system": "Sensum", "sent": dt.date(2026, 6, 15),
            "cutover": _CUTOVER},
    checks_da="For HANDICAP-planer: en produktionsleverance fra det tidligere system sendt på "
              "eller efter skæringsdatoen. Den noteres, men markeres ikke som en fejl.",
    why_da="Her er det kilden, der beder om det: bliv ved med at indberette fra det tidligere "
           "system, indtil det nye fungerer, så der ikke går data tabt. Noten viser, at "
           "leverancen er set og vurderet.",
    example_da="Skæringsdato 2026-06-01; `L402` fra det tidligere system sendt 2026-06-15: CM203.",
)

DUPLICATE_ACTIVE_CASES: Final = Rule(
    code="CM204",
    name="duplicate-active-cases",
    severity=Severity.ERROR,
    summary="A citizen has more than one active case in one municipality.",
    summary_da="En borger har mere end én aktiv sag i samme kommune.",
    message="{count:# case|# cases} of one citizen {count:is|are} active on {day}; the "
            "register takes one",
    message_da="{count:# sag|# sager} for samme borger er {count:aktiv|aktive} {day}; "
               "registeret tager kun imod én",
    hint="Close every case but one (in the system that holds it), or merge them.",
    hint_da="Afslut alle sager på nær én (i det system, hvor de ligger), eller læg dem sammen.",
    citations=_ONE_ACTIVE_CASE,
    checks="For each municipality and citizen: how many cases are active on `as_of`, "
           "whatever system they come from. One finding per citizen with more than one, "
           "naming every case id.",
    why="A municipality can have only one active case per citizen in SMDB. The register "
        "refuses the second one.",
    example="`OLD-1` opened 2024-02-01 in the old system and `NEW-7` opened 2026-03-02 in the "
            "new system, same citizen, both open on 2026-03-02: CM204 with subjects `NEW-7, "
            "OLD-1`.",
    sample={"count": 2, "day": dt.date(2026, 3, 2)},
    checks_da="For hver kommune og borger: hvor mange sager der er aktive på `as_of`, uanset "
              "hvilket system de kommer fra. Ét fund for hver borger med mere end én, med alle "
              "sagernes id'er.",
    why_da="En kommune kan kun have én aktiv sag pr. borger i SMDB. Registret afviser den anden.",
    example_da="`OLD-1` oprettet 2024-02-01 i det tidligere system og `NEW-7` oprettet 2026-03-02 "
               "i det nye system, samme borger, begge åbne 2026-03-02: CM204, der vedrører "
               "`NEW-7, OLD-1`.",
)

CASES_WITHOUT_CITIZEN: Final = Rule(
    code="CM205",
    name="cases-without-citizen",
    severity=Severity.INFO,
    summary="Cases without a citizen cannot be checked for duplicates and were left out.",
    summary_da="Sager uden CPR-nummer kan ikke kontrolleres for dubletter og blev udeladt.",
    message="{count:# case has|# cases have} no citizen and {count:was|were} not checked",
    message_da="{count:# sag|# sager} har intet CPR-nummer og blev ikke kontrolleret",
    hint="Add the citizen's CPR number to the cases, or confirm they are not citizen cases.",
    hint_da="Tilføj borgerens CPR-nummer på sagerne, eller bekræft at de ikke er borgersager.",
    citations=(_NOTHING_SKIPPED, _ONE_ACTIVE_CASE),
    checks="Counts the cases without a citizen. They cannot be grouped by citizen, so the "
           "duplicate check leaves them out.",
    why="Nothing is dropped silently. If the count is unexpected, the extract may have lost "
        "its CPR column.",
    example="3 of 1,000 cases have `citizen=None`: CM205 with count 3, naming the three "
            "cases.",
    sample={"count": 3},
    checks_da="Tæller sagerne uden borger. De kan ikke grupperes efter borger, så "
              "dubletkontrollen udelader dem.",
    why_da="Intet udelades i stilhed. Er antallet uventet, kan udtrækket have mistet sin "
           "CPR-kolonne.",
    example_da="3 af 1.000 sager har `citizen=None`: CM205 med antal 3, der nævner de tre sager.",
)

BLOCKING_ACTIVE_CASE: Final = Rule(
    code="CM206",
    name="blocking-active-case",
    severity=Severity.ERROR,
    summary="An old-system case is still active when all active SMDB cases must be deleted; "
            "it will block the new system's case for the citizen.",
    summary_da="En sag i det tidligere system er stadig aktiv, når alle aktive sager i SMDB "
               "skal være slettet; den vil spærre for borgerens sag fra det nye system.",
    message="{case} in the old system {system} is still active on {deadline}, the latest "
            "date to delete active courses",
    message_da="{case} i det tidligere system {system} er stadig aktiv {deadline}, som er "
               "fristen for sletning af aktive kontaktforløb",
    hint="Close the course in the old system if treatment has ended, or have DST delete it "
         "before the deadline and re-report it from the new system.",
    hint_da="Afslut kontaktforløbet i det tidligere system, hvis behandlingen er slut, eller "
            "få DST til at slette det før fristen, og genindberet det fra det nye system.",
    citations=(
        SMDB.cite("trin 2", "Hvis denne ikke enten lukkes eller slettes inden et systemskifte, "
                  "vil sagen spærre for indkomne sager fra det nye system."),
        SMDB.cite("trin 3", "Dette kan gøres ved at sende en mail til smdb@dst.dk, hvor I "
                  "beder os slette alle jeres aktive sager."),
    ),
    checks="SMDB plans: old-system cases still active on the latest date of the "
           "`delete_active_courses` milestone (1 week before the cutover, moved back to a "
           "working day), and not deleted at DST before the cutover.\n\n"
           "A case counts as deleted at DST on its own date in `find_blocking_cases(..., "
           "deleted_at_dst={case_id: date})` (cases deleted one by one, as step 3 allows), "
           "or on the plan's recorded date for `delete_active_courses` (`done=`) if it was "
           'active on that day: DST deletes "alle jeres aktive sager" at once. A deletion on '
           "or after the cutover comes too late to count (casemigrate policy, "
           "docs/policies.md): the case blocked the new system's cases from the cutover until "
           "then, so the finding stays.",
    why="An active case left in SMDB blocks every case the new system sends for that citizen.",
    example="Cutover 2026-06-01; old-system case `OLD-4` with no closing date. The deletion "
            "deadline is 2026-05-25 (Whit Monday), moved back to Friday 2026-05-22, so CM206 "
            "names `OLD-4`. With `done={\"delete_active_courses\": date(2026, 5, 20)}` DST "
            "deleted it, and CM206 clears; re-reporting is then checked by CM209.",
    sample={"case": "S-4", "system": "Sensum", "deadline": dt.date(2026, 5, 22)},
    checks_da="For SMDB-planer: sager i det tidligere system, der stadig er aktive på den seneste "
              "dato for milepælen `delete_active_courses` (1 uge før skæringsdatoen, flyttet "
              "tilbage til en arbejdsdag), og som ikke er slettet hos DST før "
              "skæringsdatoen.\n\nEn sag regnes for slettet hos DST på sin egen dato i "
              "`find_blocking_cases(..., deleted_at_dst={case_id: date})` (sager slettet "
              "enkeltvis, som trin 3 tillader), eller på den dato, planen har registreret for "
              "`delete_active_courses` (`done=`), hvis den var aktiv den dag: DST sletter \"alle "
              "jeres aktive sager\" på én gang. En sletning på eller efter skæringsdatoen kommer "
              "for sent til at tælle med (casemigrates valg, docs/policies.md): sagen har "
              "blokeret det nye systems sager fra skæringsdatoen og indtil da, så fundet består.",
    why_da="En aktiv sag, der står tilbage i SMDB, blokerer alle de sager, det nye system sender "
           "for den borger.",
    example_da="Skæringsdato 2026-06-01; sagen `OLD-4` i det tidligere system har ingen slutdato. "
               "Fristen for sletning er 2026-05-25 (2. pinsedag), flyttet tilbage til fredag "
               "2026-05-22, så CM206 nævner `OLD-4`. Med `done={\"delete_active_courses\": "
               "date(2026, 5, 20)}` har DST slettet den, og CM206 forsvinder; genindberetningen "
               "kontrolleres derefter af CM209.",
)

ACTIVE_IN_BOTH_SYSTEMS: Final = Rule(
    code="CM207",
    name="active-in-both-systems",
    severity=Severity.ERROR,
    summary="A citizen has an active case in both the old and the new system at the cutover.",
    summary_da="En borger har en aktiv sag i både det tidligere og det nye system på "
               "skæringsdatoen.",
    message="the citizen has active cases in {old_system} and {new_system} on the cutover "
            "{cutover}",
    message_da="borgeren har aktive sager i både {old_system} og {new_system} på "
               "skæringsdatoen {cutover}",
    hint="Close or delete the old system's case; keep the new system's.",
    hint_da="Afslut eller slet sagen i det tidligere system, og behold sagen i det nye system.",
    citations=_ONE_ACTIVE_CASE,
    checks="SMDB plans: citizens with an active case in the old system and one in the new "
           "system on the cutover day. An old-system case deleted at DST before the cutover "
           "(see CM206) no longer counts.",
    why="Only one active case per citizen. The old one blocks the new one, and the new "
        "system's re-reporting fails for that citizen.",
    example="`OLD-1` (old system, open) and `NEW-1` (new system, opened on the cutover), same "
            "citizen: CM207 with both ids.",
    sample={"old_system": "Sensum", "new_system": "Nexus", "cutover": _CUTOVER},
    checks_da="For SMDB-planer: borgere med en aktiv sag i det tidligere system og en i det nye "
              "system på skæringsdatoen. En sag i det tidligere system, som DST har slettet før "
              "skæringsdatoen (se CM206), tæller ikke længere med.",
    why_da="Kun én aktiv sag pr. borger. Den gamle blokerer den nye, og det nye systems "
           "genindberetning mislykkes for den borger.",
    example_da="`OLD-1` (tidligere system, åben) og `NEW-1` (nyt system, oprettet på "
               "skæringsdatoen), samme borger: CM207 med begge id'er.",
)

DELIVERY_NOT_IN_PLAN: Final = Rule(
    code="CM208",
    name="delivery-not-in-plan",
    severity=Severity.INFO,
    summary="A delivery from a system or municipality outside the plan was not judged.",
    summary_da="En leverance fra et system eller en kommune uden for planen blev ikke "
               "kontrolleret.",
    message="{delivery} is from {system} in municipality {municipality}, not part of the plan",
    message_da="{delivery} kommer fra {system} i {municipality} og er ikke en del af planen",
    hint="Leave it out, or check that the plan names the right systems and municipality.",
    hint_da="Udelad den, eller kontrollér at planen nævner de rigtige systemer og den rigtige "
            "kommune.",
    citations=_NOTHING_SKIPPED,
    checks="Deliveries from a system other than the plan's old and new system, or for another "
           "municipality. The overlap check does not judge them.",
    why="A delivery that is quietly ignored could be a typo in the plan's system names.",
    example="A plan from `Old` to `New`; a delivery from `Older`: CM208.",
    sample={"delivery": "D9", "system": "Sirius", "municipality": municipality(621)},
    checks_da="Leverancer fra et andet system end planens tidligere og nye system, eller for en "
              "anden kommune. Overlapkontrollen vurderer dem ikke.",
    why_da="En leverance, der i stilhed ignoreres, kan skyldes en slåfejl i planens systemnavne.",
    example_da="En plan fra `Old` til `New`; en leverance fra `Older`: CM208.",
)


DELETED_NOT_REREPORTED: Final = Rule(
    code="CM209",
    name="deleted-not-rereported",
    severity=Severity.ERROR,
    summary="SMDB: an old-system course that DST deleted while it was active has no case in "
            "the new system after the re-reporting window.",
    summary_da="SMDB: Et kontaktforløb i det tidligere system, som DST slettede, mens det var "
               "aktivt, har ingen sag i det nye system, efter at fristen for genindberetning "
               "er udløbet.",
    message="{case} was active in {old_system} when DST deleted it on {deleted}; by {latest} "
            "the citizen ({citizen}) has no case in {new_system}",
    message_da="{case} var aktiv i {old_system}, da DST slettede sagen {deleted}; pr. {latest} "
               "har borgeren ({citizen}) ingen sag i {new_system}",
    hint="Re-report the course from the new system now, with its real start date.",
    hint_da="Genindberet kontaktforløbet fra det nye system nu, med dets reelle startdato.",
    citations=(
        SMDB.cite("trin 4", "Når der er åbnet op for at indberette via det nye system, bør den "
                  "første opgave være at genindberette de slettede sager."),
        POLICY.cite("smdb-deletion", "A deleted course counts as re-reported when the new "
                    "system has a case of the same citizen and municipality that was active "
                    "on some day from the cutover to the day of the check."),
    ),
    checks="SMDB plans, with `find_blocking_cases(..., as_of=...)` after the re-reporting "
           "window (the latest date of `rereport_active_courses`, two weeks after the "
           "cutover, moved back to a working day): every old-system course that DST deleted "
           "while it was active (see CM206 for when a case counts as deleted) must have a "
           "case of the same citizen and municipality in the new system that was active on "
           "some day from the cutover to `as_of`. One that does not is named, with the day "
           "DST deleted it and the citizen's masked CPR number. A re-reported course that has "
           "ended since still counts: what the step asks is that it was re-reported.",
    why='Step 3 deletes every active course at DST; step 4 makes re-reporting them "the first '
        'task" of the new system. A deleted course that is never re-reported is a citizen in '
        "treatment who has vanished from the register.",
    example="Cutover 2026-06-01, DST deleted the active courses on 2026-05-20 (`done=`), old "
            "case `OLD-4` active then. The window ends 2026-06-15. Checked on 2026-06-16 with "
            "no case of that citizen in the new system: CM209 for `OLD-4`. Checked on "
            "2026-06-15: nothing yet.",
    sample={"case": "OLD-4", "old_system": "Sensum", "deleted": dt.date(2026, 5, 20),
            "latest": dt.date(2026, 6, 16), "citizen": "211062-****", "new_system": "Nexus"},
    checks_da="For SMDB-planer, med `find_blocking_cases(..., as_of=...)` efter perioden for "
              "genindberetning (den seneste dato for `rereport_active_courses`, to uger efter "
              "skæringsdatoen, flyttet tilbage til en arbejdsdag): for hvert kontaktforløb i det "
              "tidligere system, som DST slettede, mens det var aktivt (se CM206 om, hvornår en "
              "sag regnes for slettet), skal det nye system have en sag for samme borger og "
              "kommune, som var aktiv på mindst én dag fra skæringsdatoen til `as_of`. Et forløb "
              "uden en sådan sag nævnes, med datoen for DSTs sletning og borgerens maskerede "
              "CPR-nummer. Et genindberettet forløb, der siden er afsluttet, tæller stadig med: "
              "trinnet kræver, at det blev genindberettet.",
    why_da="Trin 3 sletter alle aktive forløb hos DST; trin 4 gør genindberetningen af dem til "
           "\"den første opgave\" i det nye system. Et slettet forløb, der aldrig genindberettes, "
           "er en borger i behandling, som er forsvundet fra registret.",
    example_da="Skæringsdato 2026-06-01, DST slettede de aktive forløb 2026-05-20 (`done=`), og "
               "den gamle sag `OLD-4` var aktiv på det tidspunkt. Perioden slutter 2026-06-15. "
               "Kontrolleret 2026-06-16 uden nogen sag for borgeren i det nye system: CM209 for "
               "`OLD-4`. Kontrolleret 2026-06-15: endnu intet fund.",
)

CASE_NOT_IN_PLAN: Final = Rule(
    code="CM210",
    name="case-not-in-plan",
    severity=Severity.INFO,
    summary="Cases of another municipality or system than the plan's were not judged.",
    summary_da="Sager fra en anden kommune eller et andet system end planens blev ikke "
               "vurderet.",
    message="{count:# case is|# cases are} not of {municipality} in {old_system} or "
            "{new_system} and {count:was|were} not judged",
    message_da="{count:# sag|# sager} er ikke fra {municipality} i {old_system} eller "
               "{new_system} og blev ikke vurderet",
    hint="Leave them out, or check that the plan names the right systems and municipality.",
    hint_da="Udelad dem, eller kontrollér at planen nævner de rigtige systemer og den rigtige "
            "kommune.",
    citations=POLICY.cite(
        "out-of-plan",
        "A record of another municipality, or of a system the plan does not name, is outside "
        "the plan: no check judges it, and a finding counts it."),
    checks="Counts the cases of another municipality, or of a system other than the plan's "
           "old and new system. A plan is one municipality's change of one register's "
           "reporting, so the blocking-case checks (CM206, CM207, CM209) do not judge them, "
           "and `check_readiness` looks for duplicate active cases (CM204) only among the "
           "plan's municipality's cases.",
    why="The register holds one active case per citizen *per municipality*: another "
        "municipality's cases can neither block this plan nor make it not ready. Nothing is "
        "dropped silently, so they are counted. An unexpected count may be a typo in the "
        "plan's system names, or an extract of the wrong municipality.",
    example="A Fredericia (607) plan from `Old` to `New`, given 40 Copenhagen (101) cases and "
            "2 cases from `Archive`: CM210 with count 42.",
    sample={"count": 42, "municipality": municipality(607), "old_system": "Old",
            "new_system": "New"},
    checks_da="Tæller sagerne fra en anden kommune eller fra et andet system end planens "
              "tidligere og nye system. En plan er én kommunes skift af indberetningen til ét "
              "register, så kontrollerne af blokerende sager (CM206, CM207, CM209) vurderer dem "
              "ikke, og `check_readiness` søger kun efter flere aktive sager for samme borger "
              "(CM204) blandt planens kommunes sager.",
    why_da="Registret har én aktiv sag pr. borger *pr. kommune*: en anden kommunes sager kan "
           "hverken blokere denne plan eller forhindre, at den er klar. Intet udelades i stilhed, "
           "så de tælles. Et uventet antal kan skyldes en slåfejl i planens systemnavne eller et "
           "udtræk fra den forkerte kommune.",
    example_da="En plan for Fredericia (607) fra `Old` til `New`, der får 40 sager fra København "
               "(101) og 2 sager fra `Archive`: CM210 med antal 42.",
)


def find_reporting_overlap(
    deliveries: Iterable[Delivery], plan: CutoverPlan
) -> tuple[Finding, ...]:
    """Production deliveries on the wrong side of the cutover.

    The sending date is the Danish calendar date (:attr:`Delivery.sent_day`). Test
    deliveries (``T...``) never count as reporting. Per delivery of the plan's
    municipality and systems:

    * old system, production, sent on or after the cutover: CM201 (ERROR) for SMDB;
      CM203 (INFO) for HANDICAP, where the source asks the old system to keep
      reporting until the new one works;
    * new system, production, sent before the cutover: CM202 (ERROR), both registers.

    A delivery of another system or municipality gets CM208 (INFO), so nothing is
    passed over silently.

    Args:
        deliveries: The deliveries sent, in any order.
        plan: The plan.

    Returns:
        The findings, sorted; subjects are delivery ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import CutoverPlan, Delivery
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> sent = [Delivery(delivery_id="D1", name="L402", system="Old", municipality=607,
        ...                  sent=dt.datetime(2026, 6, 1, 8, 0))]
        >>> [(f.code, f.subjects) for f in find_reporting_overlap(sent, plan)]
        [('CM201', ('D1',))]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    cutover = plan.cutover
    findings: list[Finding] = []
    for delivery in v.each("deliveries", deliveries, Delivery):
        role = plan.system_role(delivery.system)
        if delivery.municipality != plan.municipality or role is None:
            findings.append(Finding.of(
                DELIVERY_NOT_IN_PLAN, (delivery.delivery_id,), delivery=delivery.delivery_id,
                system=delivery.system, municipality=delivery.municipality,
            ))
            continue
        if delivery.is_test:
            continue  # test deliveries are never reporting
        day = delivery.sent_day
        values: dict[str, Any] = {
            "delivery": f"{delivery.delivery_id} ({delivery.name})",
            "system": delivery.system, "sent": day, "cutover": cutover,
        }
        if role == "old" and day >= cutover:
            rule = (OLD_SYSTEM_REPORTS_AFTER_CUTOVER if plan.register is Register.SMDB
                    else OLD_SYSTEM_STILL_REPORTING)
            findings.append(Finding.of(rule, (delivery.delivery_id,), **values))
        elif role == "new" and day < cutover:
            findings.append(Finding.of(NEW_SYSTEM_REPORTS_BEFORE_CUTOVER, (delivery.delivery_id,),
                                       **values))
    return sort_findings(findings)


@overload
def find_duplicate_active_cases(
    cases: Iterable[Case], *, as_of: dt.date
) -> tuple[Finding, ...]: ...


@overload
def find_duplicate_active_cases(
    cases: object, *, as_of: dt.date, columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise", extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None, dayfirst: bool | None = None,
) -> Sequence[Finding]: ...


def find_duplicate_active_cases(
    cases: Iterable[Case] | object, *, as_of: dt.date, columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise", extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None, dayfirst: bool | None = None,
) -> Sequence[Finding]:
    """Citizens with more than one case active on ``as_of`` in one municipality.

    One CM204 (ERROR) per municipality and citizen with two or more active cases,
    naming every case id, whatever systems the cases come from: the register holds one
    active case per citizen and refuses the next. A case is active on ``as_of`` when it
    was opened on or before it and not closed by then (a case closed on ``as_of`` is
    not active). Cases without a citizen cannot be grouped. One CM205 (INFO) names
    them.

    Args:
        cases: The cases, in any order: records, or a table (pyarrow, pandas or polars),
            which needs the ``columnar`` extra and is read as :func:`read_cases` reads
            it (``docs/tables.md``, ``docs/performance.md``).
        as_of: The day to judge.
        columns: For a table: its column names mapped to the fields, as in
            :func:`read_cases`; so are ``errors``, ``extra``, ``date_format`` and
            ``dayfirst``. With ``errors="collect"`` the refused rows are left out of
            the check and each table, column and error code of them is a CM002
            among the findings. Records take none of these.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"`` the table's columns that are no field.
        date_format: A ``strptime`` format for date strings.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September.

    Returns:
        The findings, sorted; subjects are case ids. ``details`` holds ``municipality``,
        ``citizen`` (a masked :class:`~casemigrate.CPR`) and ``systems``. For a table,
        a lazy sequence of the same findings, equal to the tuple the records read
        from it give (with the CM002 of its refused rows); its ``refusals`` is the
        table of refused rows.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> a = Case(case_id="A", municipality=607, citizen=None, system="Old",
        ...          opened=dt.date(2025, 1, 1))
        >>> [(f.code, f.details["count"]) for f in find_duplicate_active_cases([a],
        ...                                                    as_of=dt.date(2026, 1, 1))]
        [('CM205', 1)]
    """
    as_of = v.day("as_of", as_of)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    if _columnar.is_table(cases):
        return _columnar.find_duplicate_active_cases(cases, as_of=as_of, **read)  # type: ignore[no-any-return]
    _columnar.records_only(read)
    # One pass, grouping the active cases per municipality by the citizen's digits: a
    # str key hashes in C and, like a group of one held as the case itself (a list only
    # when a citizen has a second), is nothing for the garbage collector to walk.
    by_municipality: dict[int, dict[str, Case | list[Case]]] = {}
    where: object = None
    groups: dict[str, Case | list[Case]] = {}
    without_citizen: list[str] = []
    for case in v.iterable("cases", cases):
        if type(case) is not Case and not isinstance(case, Case):
            raise InvalidType(f"expected Case items, got {v.type_name(case)}", field="cases")
        closed = case.closed
        if case.opened <= as_of and (closed is None or closed > as_of):
            citizen = case.citizen
            if citizen is None:
                without_citizen.append(case.case_id)
                continue
            if case.municipality is not where:
                where = case.municipality
                groups = by_municipality.setdefault(case.municipality.code, {})
            key = cpr_key(citizen)
            held = groups.get(key)
            if held is None:
                groups[key] = case
            elif isinstance(held, list):
                held.append(case)
            else:
                groups[key] = [held, case]
    findings = [
        _DUPLICATES(
            subject_ids(group), len(group), as_of, group[0].municipality, group[0].citizen,
            tuple(sorted({case.system for case in group})),
        )
        for groups in by_municipality.values() for group in groups.values()
        if isinstance(group, list)
    ]
    if without_citizen:
        findings.append(Finding.of(
            CASES_WITHOUT_CITIZEN, without_citizen, count=len(without_citizen),
        ))
    return sort_findings(findings)


# CM204 by the thousand: its builder checks the rule and its values once.
_DUPLICATES: Final = finding_maker(DUPLICATE_ACTIVE_CASES, "count", "day", "municipality",
                                   "citizen", "systems")


def _deleted_at_dst(
    case: Case, deleted_at_dst: Mapping[str, dt.date], all_deleted: dt.date | None
) -> dt.date | None:
    """The day DST deleted ``case``, if it did.

    Its own date, or else the plan's deletion of every active course, when the case was
    active on that day.
    """
    own = deleted_at_dst.get(case.case_id)
    if own is not None:
        return own
    if all_deleted is not None and case.is_active_on(all_deleted):
        return all_deleted
    return None


def _deletions(value: object) -> Mapping[str, dt.date]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidType(
            f"expected a mapping of case id to date, got {v.type_name(value)}",
            field="deleted_at_dst",
        )
    deleted: dict[str, dt.date] = {}
    for key, day in value.items():
        if not isinstance(key, str):
            raise InvalidType(f"keys must be case ids, got {v.type_name(key)}",
                              field="deleted_at_dst")
        deleted[key] = v.day("deleted_at_dst", day)
    return deleted


def _not_applicable(plan: CutoverPlan) -> Finding:
    """CM001: blocking active cases are an SMDB rule (``plan`` is not an SMDB plan)."""
    return Finding.of(
        CHECK_NOT_APPLICABLE, ("find_blocking_cases",), check="find_blocking_cases",
        reason=Phrase(en="blocking active cases are an SMDB rule, not a {register} one",
                      da="spærrende aktive sager er en regel for SMDB, ikke for {register}",
                      register=plan.register.name),
    )


class _BlockingDays(NamedTuple):
    """The days :func:`find_blocking_cases` judges an SMDB plan's cases on (both paths)."""

    deadline: dt.date  # the latest date of delete_active_courses (CM206)
    rereport_by: dt.date  # the latest date of rereport_active_courses (CM209)
    all_deleted: dt.date | None  # the recorded date DST deleted every active course
    check_rereport: bool  # as_of is after the re-reporting window: CM209 is judged


def _blocking_days(plan: CutoverPlan, as_of: dt.date | None) -> _BlockingDays:
    timeline = plan_timeline(plan)
    deadline = timeline["delete_active_courses"].latest
    rereport_by = timeline["rereport_active_courses"].latest
    assert deadline is not None and rereport_by is not None
    return _BlockingDays(deadline, rereport_by, plan.done_on("delete_active_courses"),
                         as_of is not None and as_of > rereport_by)


@overload
def find_blocking_cases(
    cases: Iterable[Case], plan: CutoverPlan, *,
    deleted_at_dst: Mapping[str, dt.date] | None = None, as_of: dt.date | None = None,
) -> tuple[Finding, ...]: ...


@overload
def find_blocking_cases(
    cases: object, plan: CutoverPlan, *, deleted_at_dst: Mapping[str, dt.date] | None = None,
    as_of: dt.date | None = None, columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise", extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None, dayfirst: bool | None = None,
) -> Sequence[Finding]: ...


def find_blocking_cases(
    cases: Iterable[Case] | object,
    plan: CutoverPlan,
    *,
    deleted_at_dst: Mapping[str, dt.date] | None = None,
    as_of: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
    errors: Literal["raise", "collect"] = "raise",
    extra: Literal["ignore", "refuse"] = "ignore",
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> Sequence[Finding]:
    """SMDB cases that will block the new system's cases, and deleted ones not re-reported.

    * CM206 (ERROR), per case: an old-system case of the plan's municipality still
      active on the latest date of ``delete_active_courses`` (one week before the
      cutover, moved back to a working day), and not deleted at DST before the cutover.
      If it is still there at the deadline, it blocks the new system's case.
    * CM207 (ERROR), per citizen: an active case in the old system, not deleted at DST
      before the cutover, and one in the new system on the cutover day, naming all of
      them.
    * CM209 (ERROR), per case, with ``as_of`` after the re-reporting window (the latest
      date of ``rereport_active_courses``, two weeks after the cutover): an old-system
      case that was active when DST deleted it, while the new system has no case of the
      same citizen active on any day from the cutover to ``as_of``.

    A case counts as deleted at DST on its date in ``deleted_at_dst``, or else on the
    plan's recorded date for ``delete_active_courses`` (``plan.done``) if it was active
    on that day: DST deletes every active course at once ("Systemskifte i SMDB", step
    3). A deletion on or after the cutover comes too late to unblock the cutover
    (docs/policies.md).

    Cases of other municipalities or systems are not part of the plan: they are not
    judged, and CM210 (INFO) counts them. Cases without a citizen are counted in CM205
    (INFO) for the CM207 check. For a HANDICAP plan the check does not apply and
    returns CM001 (INFO).

    Args:
        cases: The cases of both systems, in any order: records, or a table (pyarrow,
            pandas or polars), which needs the ``columnar`` extra and is read as
            :func:`read_cases` reads it (``docs/tables.md``, ``docs/performance.md``).
        plan: The plan.
        deleted_at_dst: The day DST deleted each case, by case id, where it was
            deleted one by one.
        as_of: The day to judge re-reporting on (CM209); without it, CM209 is not
            checked.
        columns: For a table: its column names mapped to the fields, as in
            :func:`read_cases`; so are ``errors``, ``extra``, ``date_format`` and
            ``dayfirst``. With ``errors="collect"`` the refused rows are left out of
            the check and each table, column and error code of them is a CM002
            among the findings. Records take none of these.
        errors: ``"raise"`` (the first bad row's error) or ``"collect"``.
        extra: ``"ignore"`` or ``"refuse"`` the table's columns that are no field.
        date_format: A ``strptime`` format for date strings.
        dayfirst: ``True`` reads ``02-09-2022`` as 2 September.

    Returns:
        The findings, sorted; subjects are case ids (``id@system`` where two cases of
        one CM207 share an id). For a table, a lazy sequence of the same findings,
        equal to the tuple the records read from it give (with the CM002 of its
        refused rows); its ``refusals`` is the table of refused rows.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case, CutoverPlan
        >>> plan = CutoverPlan(municipality=607, register="smdb", old_system="Old",
        ...                    new_system="New", cutover=dt.date(2026, 6, 1))
        >>> old = Case(case_id="OLD-4", municipality=607, citizen="211062-1234",
        ...            system="Old", opened=dt.date(2024, 1, 1))
        >>> [(f.code, f.subjects, str(f.details["deadline"]))
        ...  for f in find_blocking_cases([old], plan)]
        [('CM206', ('OLD-4',), '2026-05-22')]
    """
    plan = v.instance("plan", plan, CutoverPlan)
    deletions = _deletions(deleted_at_dst)
    if as_of is not None:
        as_of = v.day("as_of", as_of)
    read = {"columns": columns, "errors": errors, "extra": extra, "date_format": date_format,
            "dayfirst": dayfirst}
    if _columnar.is_table(cases):
        return _columnar.find_blocking_cases(  # type: ignore[no-any-return]
            cases, plan, as_of=as_of, deleted_at_dst=deletions, **read)
    _columnar.records_only(read)
    if plan.register is not Register.SMDB:
        return (_not_applicable(plan),)
    deadline, rereport_by, all_deleted, check_rereport = _blocking_days(plan, as_of)
    cutover = plan.cutover
    code = plan.municipality.code
    findings: list[Finding] = []
    at_cutover: defaultdict[str, dict[str, list[Case]]] = defaultdict(
        lambda: {"old": [], "new": []}
    )
    without_citizen: list[str] = []
    deleted: list[tuple[Case, dt.date]] = []
    rereported: set[str] = set()
    outside = 0
    for case in v.each("cases", cases, Case):
        role = plan.system_role(case.system) if case.municipality.code == code else None
        if role is None:
            outside += 1
            continue
        gone = None if role == "new" else _deleted_at_dst(case, deletions, all_deleted)
        if gone is not None and case.citizen is not None and case.is_active_on(gone):
            deleted.append((case, gone))
        unblocked = gone is not None and gone < cutover
        if role == "old" and not unblocked and case.is_active_on(deadline):
            findings.append(Finding.of(
                BLOCKING_ACTIVE_CASE, (case.case_id,), case=case.case_id, system=case.system,
                deadline=deadline,
            ))
        if (
            check_rereport and role == "new" and case.citizen is not None
            and as_of is not None and case.opened <= as_of
            and (case.closed is None or case.closed > cutover)
        ):
            rereported.add(cpr_key(case.citizen))
        if case.is_active_on(cutover) and not unblocked:
            if case.citizen is None:
                without_citizen.append(case.case_id)
            else:
                at_cutover[cpr_key(case.citizen)][role].append(case)
    for by_role in at_cutover.values():
        if by_role["old"] and by_role["new"]:
            both = by_role["old"] + by_role["new"]
            findings.append(Finding.of(
                ACTIVE_IN_BOTH_SYSTEMS, subject_ids(both), old_system=plan.old_system,
                new_system=plan.new_system, cutover=cutover, citizen=both[0].citizen,
            ))
    if check_rereport:
        for case, gone in deleted:
            if case.citizen is not None and cpr_key(case.citizen) not in rereported:
                findings.append(Finding.of(
                    DELETED_NOT_REREPORTED, (case.case_id,), case=case.case_id,
                    old_system=case.system,
                    deleted=gone, latest=as_of, citizen=case.citizen,
                    new_system=plan.new_system, rereport_by=rereport_by,
                ))
    if without_citizen:
        findings.append(Finding.of(CASES_WITHOUT_CITIZEN, without_citizen,
                                   count=len(without_citizen)))
    if outside:
        findings.append(Finding.of(CASE_NOT_IN_PLAN, (), count=outside,
                                   municipality=plan.municipality,
                                   old_system=plan.old_system, new_system=plan.new_system))
    return sort_findings(findings)
