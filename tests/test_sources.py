"""The bibliography: every quote is verbatim in its document, every heading is its own.

The documents' texts are kept beside the project, in ``../shared/sources`` (or the
directory ``CASEMIGRATE_SOURCES`` names). A user's clone has no copy: the tests that
read them skip there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from casemigrate import RULES
from casemigrate.delivery import MERGE_SOURCES
from casemigrate.plan import _STEPS
from casemigrate.render import CITATIONS as VIEW_CITATIONS
from casemigrate.scenario import _SOURCES as SCENARIO_SOURCES
from casemigrate.scenario import DEFAULT_WEIGHTS
from casemigrate.sources import DOCUMENTS, EXIT2, POLICY, SMDB, Citation, Document, occurs

ROOT = Path(__file__).parent.parent


def _sources_dir() -> Path | None:
    given = os.environ.get("CASEMIGRATE_SOURCES")
    if given:
        return Path(given)
    for parent in ROOT.resolve().parents:
        candidate = parent / "shared" / "sources"
        if candidate.is_dir():
            return candidate
    return None


SOURCES = _sources_dir()
needs_sources = pytest.mark.skipif(SOURCES is None, reason="the source texts are not here")


def _text(document: Document) -> str:
    assert SOURCES is not None
    if document is POLICY:
        return (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    return (SOURCES / document.key).read_text(encoding="utf-8")


def _every_citation() -> list[Citation]:
    """Every citation the package holds: rules, milestones, scenario weights, views."""
    found = {id(c): c for c in SCENARIO_SOURCES.values()}
    for cited in (*VIEW_CITATIONS.values(), MERGE_SOURCES):
        found.update((id(c), c) for c in cited)
    for rule in RULES.values():
        found.update((id(c), c) for c in rule.citations)
    for steps in _STEPS.values():
        found.update((id(step[2]), step[2]) for step in steps.values())
    return list(found.values())


CITATIONS = _every_citation()


@needs_sources
@pytest.mark.parametrize("citation", CITATIONS, ids=lambda c: c.quote[:40])
def test_quote_is_verbatim_in_its_document(citation: Citation) -> None:
    assert citation.found_in(_text(citation.document)), (
        f"not in {citation.document.reference}: {citation.quote!r}")


@needs_sources
@pytest.mark.parametrize("document", [*DOCUMENTS, POLICY], ids=lambda d: d.title)
def test_section_headings_are_the_documents_own(document: Document) -> None:
    text = _text(document)
    for section in document.sections:
        for heading in section.headings:
            assert occurs(heading, text, folded=document.lacks_danish_letters,
                          ignore_case=True), heading


@needs_sources
def test_titles_are_the_documents_own() -> None:
    for document in DOCUMENTS:
        for part in re.split(r" – |, ", document.title):
            if document.key.startswith("002"):
                continue  # the task card's title is its project, phase and theme fields
            assert occurs(part, _text(document), folded=document.lacks_danish_letters,
                          ignore_case=True), part
    assert "20. marts 2015" in _text(EXIT2)


def test_a_quote_that_is_not_there_is_found_out() -> None:
    assert SMDB.cite("trin 2", "Hver kommune kan kun have én aktiv sag pr. borger i SMDB.")\
        .found_in("Hver kommune kan kun\nhave én aktiv sag pr. borger i SMDB.")
    assert not SMDB.cite("trin 2", "Hver kommune kan have to aktive sager")\
        .found_in("Hver kommune kan kun have én aktiv sag pr. borger i SMDB.")
    # Without æ, ø and å the folded comparison still needs every other letter.
    assert occurs("Gennemgå alle borgere med åbne kontaktforløb",
                  "Gennemga alle borgere med abne kontaktforlgb", folded=True)
    assert not occurs("Gennemgå alle borgere med åbne kontaktforløb",
                      "Gennemga alle borgere med abne kontaktforhold", folded=True)
    assert occurs("opdaterede med korrekte oplysninger", "opdate-\n\nrede med korrekte "
                  "oplysninger")


def test_unknown_section_fails_when_the_rule_is_written() -> None:
    with pytest.raises(KeyError, match="trin 9"):
        SMDB.cite("trin 9", "Hver kommune")


def test_citations_are_readable_and_name_no_file() -> None:
    for citation in CITATIONS:
        text = str(citation)
        assert ".txt" not in text and "_" not in citation.document.reference
        assert text.startswith(citation.document.reference)
    for weight in DEFAULT_WEIGHTS.values():
        assert weight.citation.startswith('KOMBIT, "KMD Sag Exit-strategi 2')


def test_no_source_file_is_named_outside_the_bibliography() -> None:
    """File names of the sources stay an internal key of casemigrate/sources.py."""
    pattern = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
    allowed = {ROOT / "casemigrate" / "sources.py"}
    files = [*ROOT.glob("casemigrate/*.py"), *ROOT.glob("docs/*.md"), ROOT / "README.md",
             *ROOT.glob("benchmarks/*.py")]
    offenders = [str(f.relative_to(ROOT)) for f in files
                 if f not in allowed and pattern.search(f.read_text(encoding="utf-8"))]
    assert offenders == []
