"""Manual cases to close in bulk, and manual cases opened after the cleanup.

KOMBIT, "KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager" (20 March
2015), Del 2:

* Fredericia Kommune: the cases worth closing first. Cases on retired ("udgået") KLE
  numbers, converted cases 5-6 years old still active, and manual cases created without
  "sammenlæg sag" that duplicate a system case (CM404 to CM406).
* "Processen" and Mariagerfjord: manual cases opened after a cleanup need a new cleanup
  (CM408).

Example:
    >>> import datetime as dt
    >>> from casemigrate import Case
    >>> new = Case(case_id="M-7", municipality=846, citizen=None, system="KMD Sag",
    ...            opened=dt.date(2014, 11, 3), origin="manual", organisation="Ældre")
    >>> [f.code for f in find_manual_cases_after_cleanup([new], cleaned_on=dt.date(2014, 10, 31))]
    ['CM408']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from dateutil.relativedelta import relativedelta

from casemigrate import _validate as v
from casemigrate._text import Phrase, Term
from casemigrate.cleanup._common import ORE, kle_set
from casemigrate.findings import Finding, Rule, Severity, sort_findings
from casemigrate.identifiers import KLE, cpr_key
from casemigrate.model import Case, Origin
from casemigrate.sources import EXIT2, POLICY

__all__ = [
    "find_manual_cases_after_cleanup",
    "find_mass_close_candidates",
]


_FREDERICIA: Final = "Del 2, Fredericia"
_MASS_CLOSE: Final = EXIT2.cite(_FREDERICIA, "Vi kunne på den måde hurtigt afskaffe 1/3 af "
                                "alle de manuelle sager.")

RETIRED_KLE_CASE: Final = Rule(
    code="CM404",
    name="retired-kle-case",
    severity=Severity.INFO,
    summary="Active manual cases on a KLE number the municipality marks as retired can be "
            "mass-closed.",
    summary_da="Aktive manuelle sager på et KLE-nummer, som kommunen har markeret som udgået, "
               "kan masselukkes.",
    message="{count:# active case|# active cases} on retired KLE number {kle}{saving}",
    message_da="{count:# aktiv sag|# aktive sager} på det udgåede KLE-nummer {kle}{saving}",
    hint="Agree with the department that owns the KLE number, then mass-close the cases.",
    hint_da="Aftal det med den afdeling, der ejer KLE-nummeret, og masseluk derefter sagerne.",
    citations=(EXIT2.cite(_FREDERICIA, "16.16.02 Folkepension (udgået) 3506 0"), _MASS_CLOSE),
    checks="Active cases on KLE numbers the caller marks as retired (`retired_kle=`), one "
           "finding per KLE number, with the monthly saving if a price per case is given.",
    why='Fredericia closed most cases on its retired ("udgået") KLE numbers, but not all. Its '
        "table: 16.16.02 Folkepension 3,506 -> 0, 16.23.02 Boligsikring 2,651 -> 0, 16.01.00 "
        "1,552 -> 0, 16.16.04 Førtidspension 1,071 -> 0, 16.01.21 1,054 -> 4, 16.23.01 905 "
        "-> 4, and 16.16.10 Personligt tillæg og helbredstillæg 1,539 -> 1,407. That is "
        '10,863 of 12,278 cases on retired numbers closed. The "1/3 af alle de manuelle '
        'sager" Fredericia names covers both kinds of easy case it found (converted cases '
        'from the old records system, and manual cases created without "sammenlæg sag" or '
        "on a wrong KLE number), over all its manual cases, not the retired numbers alone. "
        "Each closed case lowers the bill. A case on a retired number may still be live, so "
        "this is information, not an order to close.",
    example="3,506 active cases on 16.16.02 (Folkepension, udgået): CM404 naming them.",
    sample={"count": 3506, "kle": "16.16.02",
            "saving": Phrase(en="; closing saves {amount} kr a month",
                             da="; lukning sparer {amount} kr. om måneden",
                             amount=Decimal("950.49"))},
    checks_da="Aktive sager på KLE-numre, som kalderen markerer som udgåede (`retired_kle=`), ét "
              "fund pr. KLE-nummer, med den månedlige besparelse, hvis en pris pr. sag er "
              "angivet.",
    why_da="Fredericia afsluttede de fleste sager på sine udgåede KLE-numre, men ikke alle. Dens "
           "tabel: 16.16.02 Folkepension 3.506 -> 0, 16.23.02 Boligsikring 2.651 -> 0, 16.01.00 "
           "1.552 -> 0, 16.16.04 Førtidspension 1.071 -> 0, 16.01.21 1.054 -> 4, 16.23.01 905 -> "
           "4 og 16.16.10 Personligt tillæg og helbredstillæg 1.539 -> 1.407. Dermed blev 10.863 "
           "af 12.278 sager på udgåede numre afsluttet. Den \"1/3 af alle de manuelle sager\", "
           "Fredericia nævner, dækker begge slags lette sager, kommunen fandt (konverterede sager "
           "fra det gamle journalsystem og manuelle sager oprettet uden \"sammenlæg sag\" eller "
           "på et forkert KLE-nummer), set i forhold til alle dens manuelle sager, ikke kun de "
           "udgåede numre. Hver afsluttet sag sænker regningen. En sag på et udgået nummer kan "
           "stadig være i brug, så dette er en oplysning, ikke en ordre om at afslutte.",
    example_da="3.506 aktive sager på 16.16.02 (Folkepension, udgået): CM404, der nævner dem.",
)

STALE_CONVERTED_CASE: Final = Rule(
    code="CM405",
    name="stale-converted-case",
    severity=Severity.INFO,
    summary="Converted cases still active years after conversion can be mass-closed.",
    summary_da="Konverterede sager, der stadig er aktive flere år efter konverteringen, kan "
               "masselukkes.",
    message="{count:# converted case|# converted cases} opened before {cutoff} {count:is|are} "
            "still active{saving}",
    message_da="{count:# konverteret sag|# konverterede sager} oprettet før {cutoff} er stadig "
               "{count:aktiv|aktive}{saving}",
    hint="Check with the department, then mass-close the cases.",
    hint_da="Afklar det med afdelingen, og masseluk derefter sagerne.",
    citations=EXIT2.cite(_FREDERICIA, "Konverterede sager fra gl. ESDH system. Sagerne var 5 – "
                         "6 år gamle og stod stadig som aktive sager, disse er nu masse "
                         "lukket."),
    checks="Converted cases (`Origin.CONVERTED`) still active on `as_of` that were opened more "
           "than `stale_after_years` years before it (5 by default).",
    why="Fredericia found cases converted from an old records system, 5–6 years old, still "
        "active and billed. They were mass-closed.",
    example="A converted case opened 2019-03-01, still active on 2026-06-01: CM405.",
    sample={"count": 1, "cutoff": dt.date(2021, 6, 1), "saving": ""},
    checks_da="Konverterede sager (`Origin.CONVERTED`), der stadig er aktive på `as_of`, og som "
              "blev oprettet mere end `stale_after_years` år før (5 som standard).",
    why_da="Fredericia fandt sager konverteret fra et gammelt journalsystem, 5–6 år gamle, som "
           "stadig var aktive og blev afregnet. De blev passiveret samlet.",
    example_da="En konverteret sag oprettet 2019-03-01, stadig aktiv 2026-06-01: CM405.",
)

MANUAL_DUPLICATES_SYSTEM_CASE: Final = Rule(
    code="CM406",
    name="manual-duplicates-system-case",
    severity=Severity.INFO,
    summary="A manual case duplicates a system case of the same citizen and KLE number: it "
            "was probably created without 'sammenlæg sag'.",
    summary_da="En manuel sag er en dublet af en systemsag for samme borger og KLE-nummer: "
               "den blev sandsynligvis oprettet uden »sammenlæg sag«.",
    message="{manual:manual case #|manual cases #} {manual:duplicates|duplicate} "
            "{system_cases:system case #|system cases #} on KLE number {kle}{saving}",
    message_da="{manual:den manuelle sag #|de manuelle sager #} er {manual:en dublet|dubletter} "
               "af {system_cases:systemsagen #|systemsagerne #} på KLE-nummer {kle}{saving}",
    hint="Close the manual cases, or merge them into the system case.",
    hint_da="Afslut de manuelle sager, eller læg dem sammen med systemsagen.",
    citations=EXIT2.cite(_FREDERICIA, "Det bevirker at den efterfølgende systemsag ikke "
                         "overtager den manuelle sag."),
    checks="Active manual cases whose citizen and KLE number match an active system-made "
           "case: one finding per citizen and KLE number, naming its manual cases and their "
           "system twins (`details[\"manual\"]`, a tuple, and `count`, how many). It does not "
           "find manual cases created on a *wrong* KLE number, the other "
           "kind Fredericia names: their system twin has another KLE number, and nothing in "
           "the data says which number was wrong. Check those by hand (Del 3's medium task "
           '"Undersøg om der er anvendt korrekt KLE-nummer").',
    why='A manual case (an application, say) created without "sammenlæg sag" is not taken '
        "over by the later system case. It stays active and billed.",
    example="Manual `M-1` and system `S-9`, same citizen, both on 27.60.04: CM406 for `M-1, "
            "S-9`. Manual `M-1` and `M-2` and system `S-9`, same citizen and KLE number: one "
            "CM406 for all three, with `details[\"manual\"] == (\"M-1\", \"M-2\")` and "
            "`count` 2.",
    sample={"manual": ("M-1",), "system_cases": ("S-9",), "kle": "27.60.04",
            "saving": Phrase(en="; closing saves {amount} kr a month",
                             da="; lukning sparer {amount} kr. om måneden",
                             amount=Decimal("0.27"))},
    checks_da="Aktive manuelle sager, hvis borger og KLE-nummer svarer til en aktiv "
              "systemoprettet sag: ét fund pr. borger og KLE-nummer, der nævner de manuelle sager "
              "og deres systemtvillinger (`details[\"manual\"]`, en tuple, og `count`, antallet). "
              "Kontrollen finder ikke manuelle sager oprettet på et *forkert* KLE-nummer, den "
              "anden slags, Fredericia nævner: deres systemtvilling har et andet KLE-nummer, og "
              "intet i data siger, hvilket nummer der var forkert. Kontrollér dem manuelt (Del "
              "3's mellemsvære opgave \"Undersøg om der er anvendt korrekt KLE-nummer\").",
    why_da="En manuel sag (for eksempel en ansøgning), der er oprettet uden \"sammenlæg sag\", "
           "overtages ikke af den senere systemsag. Den forbliver aktiv og bliver afregnet.",
    example_da="Manuel `M-1` og systemsag `S-9`, samme borger, begge på 27.60.04: CM406 for `M-1, "
               "S-9`. Manuelle `M-1` og `M-2` og systemsag `S-9`, samme borger og KLE-nummer: ét "
               "CM406 for alle tre, med `details[\"manual\"] == (\"M-1\", \"M-2\")` og `count` 2.",
)


def _saving(count: int, price: Decimal | None) -> tuple[Phrase | str, Decimal | None]:
    if price is None:
        return "", None
    amount = (price * count).quantize(ORE, rounding=ROUND_HALF_UP)
    return Phrase(en="; closing saves {amount} kr a month",
                  da="; lukning sparer {amount} kr. om måneden", amount=amount), amount


def find_mass_close_candidates(
    cases: Iterable[Case],
    *,
    as_of: dt.date,
    retired_kle: Iterable[KLE | str] = (),
    stale_after_years: int = 5,
    price_per_case: Decimal | int | str | None = None,
) -> tuple[Finding, ...]:
    """Cases that can be closed in bulk, as Fredericia did (source, Del 2).

    Only cases active on ``as_of`` are candidates. System-made cases are closed in
    their own line-of-business system, so only manual and converted cases are
    candidates for the first two rules.

    * CM404, per retired KLE number: manual or converted cases on a KLE number the
      caller marks as retired (``retired_kle``, Fredericia's "udgået" rows).
    * CM405, once: converted cases opened more than ``stale_after_years`` years before
      ``as_of`` (Fredericia: converted cases 5-6 years old).
    * CM406, per citizen and KLE number: manual cases with the same citizen and KLE
      number as an active system-made case (created without "sammenlæg sag");
      ``details["manual"]`` names the manual cases, the ones to close.

    With ``price_per_case`` (kroner a month), each finding says what closing saves.

    Args:
        cases: The cases, in any order.
        as_of: The reference day.
        retired_kle: KLE numbers the municipality marks as retired.
        stale_after_years: Years after which an active converted case is stale.
        price_per_case: The monthly price of one active case, if known.

    Returns:
        The findings, sorted; subjects are case ids; ``details["amount"]`` holds the
        monthly saving in kroner (or ``None`` without a price).

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> old = Case(case_id="M-1", municipality=607, citizen=None, system="KMD Sag",
        ...            opened=dt.date(2010, 1, 4), kle="16.16.02", origin="manual")
        >>> [(f.code, f.subjects) for f in find_mass_close_candidates(
        ...     [old], as_of=dt.date(2014, 6, 25), retired_kle=["16.16.02"])]
        [('CM404', ('M-1',))]
    """
    day = v.day("as_of", as_of)
    retired = kle_set("retired_kle", retired_kle)
    years = v.count("stale_after_years", stale_after_years)
    price = None if price_per_case is None else v.money("price_per_case", price_per_case)
    try:
        cutoff: dt.date | None = day - relativedelta(years=years)
    except (OverflowError, ValueError):
        cutoff = None  # before the year 1: no case was opened that early
    on_retired: dict[KLE, list[str]] = {}
    stale: list[str] = []
    manual: dict[tuple[str, KLE], list[str]] = {}
    system_cases: dict[tuple[str, KLE], list[str]] = {}
    for case in v.instances("cases", cases, Case):
        if not case.is_active_on(day):
            continue
        origin = case.origin
        if origin is Origin.SYSTEM:
            if case.citizen is not None and case.kle is not None:
                system_cases.setdefault((cpr_key(case.citizen), case.kle), []).append(
                    case.case_id)
            continue
        if case.kle is not None and case.kle in retired:
            on_retired.setdefault(case.kle, []).append(case.case_id)
        if origin is Origin.CONVERTED and cutoff is not None and case.opened < cutoff:
            stale.append(case.case_id)
        if origin is Origin.MANUAL and case.citizen is not None and case.kle is not None:
            manual.setdefault((cpr_key(case.citizen), case.kle), []).append(case.case_id)
    findings: list[Finding] = []
    for kle, ids in on_retired.items():
        text, amount = _saving(len(ids), price)
        findings.append(Finding.of(RETIRED_KLE_CASE, ids, count=len(ids), kle=kle, saving=text,
                                   amount=amount))
    if stale:
        text, amount = _saving(len(stale), price)
        findings.append(Finding.of(STALE_CONVERTED_CASE, stale, count=len(stale), cutoff=cutoff,
                                   saving=text, amount=amount))
    # One CM406 per citizen and KLE number, naming its manual cases and their system
    # twins: n manual and n system cases of one citizen make one finding of 2n ids,
    # not n findings of n ids each.
    for key, ids in manual.items():
        twins = system_cases.get(key)
        if twins:
            text, amount = _saving(len(ids), price)
            findings.append(Finding.of(
                MANUAL_DUPLICATES_SYSTEM_CASE, [*ids, *twins], manual=tuple(sorted(ids)),
                count=len(ids), system_cases=tuple(sorted(twins)), kle=key[1], saving=text,
                amount=amount,
            ))
    return sort_findings(findings)


_UNKNOWN_ORGANISATION: Final = Term("unknown organisation", da="ukendt organisation")

MANUAL_CASES_AFTER_CLEANUP: Final = Rule(
    code="CM408",
    name="manual-cases-after-cleanup",
    severity=Severity.WARNING,
    summary="Manual cases were opened after the cleanup: they need a new cleanup.",
    summary_da="Der er oprettet manuelle sager efter oprydningen: de kræver en ny oprydning.",
    message="{count:# manual case|# manual cases} in {organisation} opened after the cleanup "
            "on {cleaned_on}",
    message_da="{count:# manuel sag|# manuelle sager} i {organisation} oprettet efter "
               "oprydningen {cleaned_on}",
    hint="Tell the department to stop creating manual cases, and clean up the new ones.",
    hint_da="Bed afdelingen om at stoppe med at oprette manuelle sager, og ryd op i de nye.",
    citations=(
        EXIT2.cite("Del 2, Processen", "Men fortsætter man med at oprette manuelle sager vil "
                   "det være vigtigt, at de nyoprettede sager lever op til de nye krav (hvis "
                   "der måtte være nogle i det system, de skal flyttes over til) – ellers skal "
                   "der ske en ny oprydning."),
        POLICY.cite("cleanup", "A manual case opened on the cleanup day itself counts as "
                    "covered by the cleanup."),
    ),
    checks="`find_manual_cases_after_cleanup(cases, cleaned_on=...)`: manual cases "
           "(`Origin.MANUAL`) opened after the cleanup day, one finding per municipality and "
           "organisation, naming every case. A case opened on the cleanup day itself counts "
           "as covered by the cleanup (casemigrate policy, docs/policies.md).",
    why='"Fortsætter man med at oprette manuelle sager" after a cleanup, the new cases must '
        "meet the receiving system's requirements, \"ellers skal der ske en ny oprydning\". "
        "Mariagerfjord drew new lists of open manual cases regularly and wrote again to every "
        "department where new ones appeared, until no new ones came.",
    example='Cleanup done 2014-10-31; manual case `M-7` of the organisation "Ældre" opened '
            '2014-11-03: CM408 for "Ældre" naming `M-7`.',
    sample={"count": 1, "organisation": "Ældre", "cleaned_on": dt.date(2014, 10, 31)},
    checks_da="`find_manual_cases_after_cleanup(cases, cleaned_on=...)`: manuelle sager "
              "(`Origin.MANUAL`) oprettet efter oprydningsdagen, ét fund pr. kommune og "
              "organisation, der nævner alle sagerne. En sag oprettet på selve oprydningsdagen "
              "regnes for omfattet af oprydningen (casemigrates valg, docs/policies.md).",
    why_da="\"Fortsætter man med at oprette manuelle sager\" efter en oprydning, skal de nye "
           "sager opfylde det modtagende systems krav, \"ellers skal der ske en ny oprydning\". "
           "Mariagerfjord trak jævnligt nye lister over åbne manuelle sager og skrev igen til "
           "hver afdeling, hvor der var kommet nye, indtil der ikke kom flere.",
    example_da="Oprydning udført 2014-10-31; den manuelle sag `M-7` i organisationen \"Ældre\" "
               "oprettet 2014-11-03: CM408 for \"Ældre\", der nævner `M-7`.",
)


def find_manual_cases_after_cleanup(
    cases: Iterable[Case], *, cleaned_on: dt.date
) -> tuple[Finding, ...]:
    """Manual cases opened after the cleanup: they need a new cleanup (CM408).

    Source, Del 2, "Processen": if manual cases are still created after the cleanup,
    the new ones must meet the new requirements, "ellers skal der ske en ny
    oprydning". Mariagerfjord (steps 5-6) drew new lists of open manual cases and wrote
    again to each department where new ones appeared. So: one CM408 per municipality
    and organisation, naming every manual case (``Origin.MANUAL``; system-made and
    converted cases are not created by hand) opened after ``cleaned_on``. A case opened
    on the cleanup day itself counts as covered by it (casemigrate policy,
    docs/cleanup.md). Cases with no organisation are grouped as "unknown
    organisation".

    Args:
        cases: The cases, in any order.
        cleaned_on: The day the cleanup was done.

    Returns:
        The findings, sorted; subjects are case ids.

    Example:
        >>> import datetime as dt
        >>> from casemigrate import Case
        >>> new = Case(case_id="M-7", municipality=846, citizen=None, system="KMD Sag",
        ...            opened=dt.date(2014, 11, 3), origin="manual", organisation="Ældre")
        >>> [(f.code, f.subjects) for f in find_manual_cases_after_cleanup(
        ...     [new], cleaned_on=dt.date(2014, 10, 31))]
        [('CM408', ('M-7',))]
    """
    day = v.day("cleaned_on", cleaned_on)
    groups: dict[tuple[int, str], list[str]] = {}
    for case in v.instances("cases", cases, Case):
        if case.origin is Origin.MANUAL and case.opened > day:
            key = (case.municipality.code, case.organisation or _UNKNOWN_ORGANISATION)
            groups.setdefault(key, []).append(case.case_id)
    return sort_findings(
        Finding.of(MANUAL_CASES_AFTER_CLEANUP, ids, count=len(ids), organisation=organisation,
                   municipality=code, cleaned_on=day)
        for (code, organisation), ids in groups.items()
    )
