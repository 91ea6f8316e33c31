"""The sources: a bibliography of the documents casemigrate's rules come from.

Every rule cites a :class:`Document` by its publisher, title (and date where it has one)
and one of its own section headings, with a quote that is verbatim in the document
(:class:`Citation`). A reader follows a citation to the document itself; no citation
names a file.

The five documents are public and Danish. Where the library decides what a document
leaves open, the rule cites :data:`POLICY`, a section of the project's
``docs/policies.md`` that states the policy and the reasoning behind it.

Example:
    >>> print(SMDB)
    Danmarks Statistik, "Systemskifte i SMDB"
    >>> print(SMDB.cite("trin 2", "Hver kommune kan kun have én aktiv sag pr. borger i SMDB."))
    Danmarks Statistik, "Systemskifte i SMDB", trin 2 "Gennemgå alle borgere med åbne
    kontaktforløb – 1 måned før systemskiftet": "Hver kommune kan kun have én aktiv sag pr.
    borger i SMDB."
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Final

import attrs

__all__ = [
    "DOCUMENTS",
    "DUBU",
    "EXIT2",
    "EXIT_PROCESS",
    "HANDICAP",
    "POLICY",
    "SMDB",
    "Citation",
    "Document",
    "Section",
    "occurs",
]

_MONTHS_DA: Final = ("januar", "februar", "marts", "april", "maj", "juni", "juli",
                     "august", "september", "oktober", "november", "december")


@attrs.frozen
class Section:
    """A part of a document, named as the document names it.

    Attributes:
        key: How a citation in the code names the section, e.g. ``"trin 2"``.
        title: How a reader finds it, e.g. ``'trin 2 "Gennemgå alle borgere ..."'``.
        headings: The document's own words in ``title``: each occurs in its text.
        title_da: How a Danish reader finds it, where that differs from ``title`` (the
            sections of :data:`POLICY`, whose document is in English).
    """

    key: str
    title: str
    headings: tuple[str, ...] = ()
    title_da: str = ""

    def title_in(self, language: str = "en") -> str:
        """The title in ``"en"`` or ``"da"``."""
        return self.title_da if language == "da" and self.title_da else self.title


@attrs.frozen(eq=False)
class Document:
    """One source document.

    Attributes:
        key: Internal key (the name of the file the text was kept in). Never shown.
        publisher: Who published it, e.g. ``"Danmarks Statistik"``.
        title: Its title, as it gives it.
        date: Its date, where it has one.
        about: What it is about, in a few English words (for the bibliography).
        sections: Its sections, by the document's own headings.
        lacks_danish_letters: The kept text lost æ, ø and å; quotes are compared on a
            folded form.
    """

    key: str
    publisher: str
    title: str
    date: dt.date | None
    about: str
    sections: tuple[Section, ...]
    lacks_danish_letters: bool = False

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """Publisher, title and date, e.g. ``KOMBIT, "..." (20. marts 2015)``."""
        return self.reference_in("en")

    def reference_in(self, language: str = "en") -> str:
        """The reference in ``"en"`` or ``"da"``: the same for the Danish documents.

        Example:
            >>> POLICY.reference_in("da")
            'casemigrates politik (docs/policies.md)'
        """
        if self is POLICY:
            return ("casemigrates politik (docs/policies.md)" if language == "da"
                    else "casemigrate policy (docs/policies.md)")
        when = "" if self.date is None else (
            f" ({self.date.day}. {_MONTHS_DA[self.date.month - 1]} {self.date.year})")
        return f'{self.publisher}, "{self.title}"{when}'

    def section(self, key: str) -> Section:
        """The section named ``key``.

        Raises:
            KeyError: The document has no such section.
        """
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(f"{self.publisher}, {self.title!r} has no section {key!r}; "
                       f"expected one of {[s.key for s in self.sections]}")

    def cite(self, section: str, quote: str) -> Citation:
        """A citation of ``section`` with a quote from it (verbatim, in correct Danish)."""
        return Citation(self, self.section(section), quote)


@attrs.frozen(eq=False)
class Citation:
    """Where a rule comes from: a document, its section, and a quote from it.

    Attributes:
        document: The document.
        section: The section.
        quote: Words of the document, verbatim (modulo whitespace).
    """

    document: Document
    section: Section
    quote: str

    def __str__(self) -> str:
        return self.in_language("en")

    @property
    def reference(self) -> str:
        """The document and the section, without the quote."""
        return self.reference_in("en")

    def reference_in(self, language: str = "en") -> str:
        """The document and the section in ``"en"`` or ``"da"``, without the quote."""
        return f"{self.document.reference_in(language)}, {self.section.title_in(language)}"

    def in_language(self, language: str = "en") -> str:
        """The citation in ``"en"`` or ``"da"``: reference and quote.

        The quote is verbatim, so a quote of the English policy stays English.

        Example:
            >>> POLICY.cite("working-days", "A working day").in_language("da")[41:]
            'afsnit "Working days" (Arbejdsdage): "A working day"'
        """
        return f'{self.reference_in(language)}: "{self.quote}"'

    def found_in(self, text: str) -> bool:
        """Whether the quote occurs in ``text``, the document's text.

        Whitespace, typographic dashes and Markdown emphasis do not count, and where the
        kept text lost æ, ø and å (``lacks_danish_letters``), each of them matches the
        one or two letters the extraction left in its place.

        Example:
            >>> c = SMDB.cite("trin 3", "Slet alle aktive kontaktforløb")
            >>> c.found_in("3. Slet alle aktive kontaktforlgb - 1-2 uger")
            True
        """
        return occurs(self.quote, text, folded=self.document.lacks_danish_letters)


def _normal(text: str) -> str:
    # A word broken over two lines with a hyphen is one word ("opdate-\n\nrede").
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)
    text = text.replace("\u00ad", "").replace("*", "")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def occurs(quote: str, text: str, *, folded: bool = False, ignore_case: bool = False) -> bool:
    """Whether ``quote`` occurs in ``text`` modulo whitespace (see :meth:`Citation.found_in`)."""
    quote, text = _normal(quote), _normal(text)
    flags = re.IGNORECASE if ignore_case else 0
    if not folded:
        if ignore_case:
            return quote.casefold() in text.casefold()
        return quote in text
    pattern = "".join(r"\S{0,2}" if char in "æøåÆØÅ" else re.escape(char) for char in quote)
    return re.search(pattern, text, flags) is not None


def _sections(*items: tuple[str, str, Iterable[str]]) -> tuple[Section, ...]:
    return tuple(Section(key, title, tuple(headings)) for key, title, headings in items)


SMDB: Final = Document(
    key="000_d513326771b776cb.txt",
    publisher="Danmarks Statistik",
    title="Systemskifte i SMDB",
    date=None,
    about="system change in SMDB, the register of drug-abuse treatment (smdb@dst.dk)",
    sections=_sections(
        ("indledning", "indledningen", ()),
        ("trin 1", 'trin 1 "Vælg skæringsdato – 2-3 måneder før systemskiftet"',
         ("Vælg skæringsdato - 2-3 måneder før systemskiftet",)),
        ("trin 2",
         'trin 2 "Gennemgå alle borgere med åbne kontaktforløb – 1 måned før systemskiftet"',
         ("Gennemgå alle borgere med åbne kontaktforløb - 1 måned før systemskiftet",)),
        ("trin 3", 'trin 3 "Slet alle aktive kontaktforløb – 1-2 uger før systemskiftet"',
         ("Slet alle aktive kontaktforløb - 1-2 uger før systemskiftet",)),
        ("trin 4", 'trin 4 "Genindberet alle aktive kontaktforløb i jeres nye system – '
         'umiddelbart efter systemskiftet"',
         ("Genindberet alle aktive kontaktforløb i jeres nye system - umiddelbart efter "
          "systemskiftet",)),
    ),
    lacks_danish_letters=True,
)
"""Danmarks Statistik, "Systemskifte i SMDB": the four steps of a system change."""

_GUIDE: Final = '"Vejledning til kommuner"'
_DST: Final = '"DSTs databehandling ved systemskifte"'

HANDICAP: Final = Document(
    key="001_c27bcfbe2421f4b2.txt",
    publisher="Danmarks Statistik",
    title="Vejledning om systemskifte til kommuner",
    date=None,
    about="system change for the statistics on handicap and vulnerable adults",
    sections=_sections(
        ("indledning", "indledningen", ()),
        ("afsnit 1, punkt 1", f"afsnit 1 {_GUIDE}, punkt 1)", ("1 Vejledning til kommuner",)),
        ("afsnit 1, punkt 2", f"afsnit 1 {_GUIDE}, punkt 2)", ("1 Vejledning til kommuner",)),
        ("afsnit 1, punkt 3", f"afsnit 1 {_GUIDE}, punkt 3)", ("1 Vejledning til kommuner",)),
        ("afsnit 1, NB", f"afsnit 1 {_GUIDE}, NB", ("1 Vejledning til kommuner", "NB:")),
        ("afsnit 2", f"afsnit 2 {_DST}", ("2 DSTs databehandling ved systemskifte",)),
        ("afsnit 2, punkt 1", f"afsnit 2 {_DST}, punkt 1)",
         ("2 DSTs databehandling ved systemskifte",)),
        ("afsnit 2, punkt 2", f"afsnit 2 {_DST}, punkt 2)",
         ("2 DSTs databehandling ved systemskifte",)),
        ("afsnit 2, punkt 3", f"afsnit 2 {_DST}, punkt 3)",
         ("2 DSTs databehandling ved systemskifte",)),
    ),
)
"""Danmarks Statistik, "Vejledning om systemskifte til kommuner" (handicap and vulnerable
adults): what the municipality does, and how DST merges the two systems' deliveries."""

DUBU: Final = Document(
    key="002_82492dedb15d4efb.txt",
    publisher="KL/KOMBIT",
    title="DUBU 3.0 KLIK-opgave, Fase 2: Forberedelse, tema Ud- og indfasning",
    date=None,
    about="the task card that prepares the KLIK task \"Konverter sager\": planning the "
          "conversion of cases to DUBU",
    sections=_sections(
        ("Mål", '"Mål"', ("Mål",)),
        ("Beskrivelse", '"Beskrivelse"', ("Beskrivelse",)),
        ("trin 1", '"Metode og fremgangsmåde", trin 1 "Afklar minimums sagsoplysninger"',
         ("Metode og fremgangsmåde", "Afklar minimums sagsoplysninger")),
        ("trin 2", '"Metode og fremgangsmåde", trin 2 "Beslut konverteringsform"',
         ("Metode og fremgangsmåde", "Beslut konverteringsform")),
        ("trin 3", '"Metode og fremgangsmåde", trin 3 "Planlæg konverteringen"',
         ("Metode og fremgangsmåde", "Planlæg konverteringen")),
    ),
)
"""KL/KOMBIT's DUBU 3.0 task card: which cases and content to convert, and how."""

_DEL1: Final = "Del 1"
_CONSIDER: Final = "Overvejelser i forhold til hvornår sager kan flyttes"

EXIT2: Final = Document(
    key="003_63b3ba8438f94d62.txt",
    publisher="KOMBIT",
    title="KMD Sag Exit-strategi 2 – Flytning og oprydning af manuelle sager",
    date=dt.date(2015, 3, 20),
    about="KMD Sag exit: when groups of cases move, cleanup, notice periods, savings",
    sections=_sections(
        ("Formål", 'indledningen, "Formål"', ("Formål",)),
        ("Del 1, Tre scenarier",
         f'{_DEL1}, "Tre scenarier for hvornår sager kan flyttes"',
         ("Tre scenarier for hvornår sager kan flyttes",)),
        ("Del 1, Advis", f'{_DEL1}, "{_CONSIDER}", "Advis"', (_CONSIDER, "Advis:")),
        ("Del 1, Overblik", f'{_DEL1}, "{_CONSIDER}", "Overblik"', (_CONSIDER, "Overblik:")),
        ("Del 1, Økonomi", f'{_DEL1}, "{_CONSIDER}", "Økonomi"', (_CONSIDER, "Økonomi:")),
        ("Del 1, Modenhed", f'{_DEL1}, "{_CONSIDER}", "Modenhed"', (_CONSIDER, "Modenhed:")),
        ("Del 1, Belastning", f'{_DEL1}, "{_CONSIDER}", "Belastning"',
         (_CONSIDER, "Belastning:")),
        ("Del 1, Valg af scenarie", f'{_DEL1}, "Valg af scenarie"', ("Valg af scenarie",)),
        ("Del 1, Scenarie 1", f'{_DEL1}, "Fordele og ulemper ved scenarierne", "Scenarie 1"',
         ("Fordele og ulemper ved scenarierne", "Scenarie 1")),
        ("Del 1, Scenarie 2", f'{_DEL1}, "Fordele og ulemper ved scenarierne", "Scenarie 2"',
         ("Fordele og ulemper ved scenarierne", "Scenarie 2")),
        ("Del 1, Scenarie 3", f'{_DEL1}, "Fordele og ulemper ved scenarierne", "Scenarie 3"',
         ("Fordele og ulemper ved scenarierne", "Scenarie 3")),
        ("Del 2, Formål", 'Del 2 "Overblik og oprydning i de manuelle sager", "Formål"',
         ("Overblik og oprydning i de manuelle sager", "Formål")),
        ("Del 2, Processen", 'Del 2 "Overblik og oprydning i de manuelle sager", "Processen"',
         ("Overblik og oprydning i de manuelle sager", "Processen")),
        ("Del 2, Aalborg", 'Del 2, "Kommunale eksempler på overblik og oprydning", '
         '"Aalborg Kommune"',
         ("Kommunale eksempler på overblik og oprydning", "Aalborg Kommune")),
        ("Del 2, Favrskov", 'Del 2, "Kommunale eksempler på overblik og oprydning", '
         '"Favrskov Kommune"',
         ("Kommunale eksempler på overblik og oprydning", "Favrskov Kommune")),
        ("Del 2, Fredericia", 'Del 2, "Kommunale eksempler på overblik og oprydning", '
         '"Fredericia Kommune"',
         ("Kommunale eksempler på overblik og oprydning", "Fredericia Kommune")),
        ("Del 2, Mariagerfjord", 'Del 2, "Kommunale eksempler på overblik og oprydning", '
         '"Mariagerfjord Kommune"',
         ("Kommunale eksempler på overblik og oprydning", "Mariagerfjord Kommune")),
        ("Del 3", 'Del 3 "Opsigelse af manuelle sager i KMD Sag"',
         ("Opsigelse af manuelle sager i KMD Sag",)),
        ("Del 3, Opsigelsesvarsler",
         'Del 3, "Hvilke forhold (opsigelsesvarsel) gør sig gældende?", '
         '"Opsigelsesvarsler for manuelle sager i KMD Sag"',
         ("Hvilke forhold (opsigelsesvarsel) gør sig gældende?",
          "Opsigelsesvarsler for manuelle sager i KMD Sag")),
        ("Estimering", '"Estimering af omfanget af oprydning i KMD Sag Sager"',
         ("Estimering af omfanget af oprydning i KMD Sag Sager",)),
        ("FAQ 14", '"FAQ Manuelle sager", spørgsmål 14', ("FAQ Manuelle sager",)),
        ("FAQ 15", '"FAQ Manuelle sager", spørgsmål 15', ("FAQ Manuelle sager",)),
    ),
)
"""KOMBIT, "KMD Sag Exit-strategi 2" (20 March 2015): scenarios, cleanup, notice, savings."""

EXIT_PROCESS: Final = Document(
    key="004_c1a4b3d9e260d49a.txt",
    publisher="KOMBIT",
    title="Ud af KMD Sag",
    date=None,
    about='the process overview "Ud af KMD Sag og Systemer, kontrakter og snitflader"',
    sections=_sections(
        ("aktivitet 3", 'aktivitet 3 "KMD Sag Exit-strategi"', ("KMD Sag Exit-strategi",)),
        ("aktivitet 6", 'aktivitet 6 "Oprydning i KMD Sag-sager"',
         ("Oprydning i KMD Sag-sager",)),
    ),
)
"""KOMBIT, "Ud af KMD Sag": the activities of leaving KMD Sag."""

POLICY: Final = Document(
    key="docs/policies.md",
    publisher="casemigrate",
    title="casemigrate policy",
    date=None,
    about="where the sources are silent, what casemigrate decides, and why",
    sections=tuple(
        Section(key, f'"{heading}"', (heading,), f'afsnit "{heading}" ({danish})')
        for key, heading, danish in (
            ("nothing-skipped", "Nothing is skipped silently",
             "Intet springes stille over"),
            ("out-of-plan", "Records outside the plan",
             "Poster uden for planen"),
            ("refused-rows", "Refused rows are counted",
             "Afviste rækker tælles med"),
            ("milestones", "Milestones and their windows",
             "Milepæle og deres vinduer"),
            ("working-days", "Working days",
             "Arbejdsdage"),
            ("notice", "Notice periods the source leaves open",
             "Opsigelsesvarsler, som kilden lader åbne"),
            ("notify-dst", "Telling DST as soon as the agreement is made",
             "Besked til DST, så snart aftalen er indgået"),
            ("smdb-deletion", "Courses deleted at DST",
             "Forløb slettet hos DST"),
            ("deliveries", "Services the guide does not describe",
             "Ydelser, som vejledningen ikke beskriver"),
            ("counted-twice", "What DST counts twice",
             "Hvad DST tæller to gange"),
            ("recreation-match", "Which new service re-creates an old one",
             "Hvilken ny ydelse der opretter en gammel på ny"),
            ("reporting-gap", "A gap between the two systems' deliveries",
             "Et hul mellem de to systemers leverancer"),
            ("cleanup", "Cleanup: new manual cases",
             "Oprydning: nye manuelle sager"),
            ("go-live", "Conversion before go-live",
             "Konvertering før go-live"),
        )
    ),
)
"""The library's own policies, stated with their reasoning in ``docs/policies.md``."""

DOCUMENTS: Final[tuple[Document, ...]] = (SMDB, HANDICAP, DUBU, EXIT2, EXIT_PROCESS)
"""The five source documents, in the order of their keys."""
