"""Danish that reads as Danish: every rule, title, task and label, rendered in Danish.

Each rule is rendered with its sample values, and again with every count set to 1 and to
18,146 and every amount to 0.27 kr., so that plural forms and Danish number formatting
are tried too. The output must hold no English word of ``ENGLISH`` and no known Danish
fault of ``FAULTS``: both lists grow with every fault found. A template that is not
translated (the Danish the same as the English, or a field left unfilled) fails too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemigrate import (
    RULES,
    Case,
    CaseGroup,
    Complexity,
    ConversionMethod,
    CutoverPlan,
    Delivery,
    LoadPreference,
    Register,
    Scenario,
    Service,
    Severity,
    check_readiness,
    choose_scenario,
    choose_scenarios,
    estimate_cleanup,
    estimate_savings,
    merge_deliveries,
    notice_period,
    plan_conversion,
    plan_timeline,
    render,
)
from casemigrate._demo import run_demo
from casemigrate._text import number
from casemigrate.catalogue import rule_page, rules_table
from casemigrate.findings import Rule

# English words that have turned up, or could turn up, in Danish output. None of them is
# a Danish word ("to", "have", "given" and "due" are, and are left out). Identifiers
# (find_blocking_cases, review_open_courses) are one token with their underscores, so
# they do not match.
ENGLISH = [
    "the", "and", "of", "is", "are", "was", "were", "has", "not", "no", "on",
    "with", "from", "after", "before", "as", "this", "that", "it", "its", "in", "or",
    "cutover", "case", "cases", "service", "services", "delivery", "deliveries", "citizen",
    "saves", "saving", "closing", "month", "months", "open", "kept", "excluded",
    "hint", "message", "subjects", "milestone", "earliest", "latest", "done", "expected",
    "working", "day", "policy", "counted", "error", "errors", "warning", "warnings",
    "ready", "findings", "timeline", "merge", "Saturday", "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Ascension", "Whit", "Christmas", "Easter",
    "start date", "service code", "target group", "new_system", "old_system", "kr a month",
    "as over", "as under", "no deliveries were given", "pros", "cons", "scenario",
    # the demo's sections that stayed English, and the hour sign of the views
    "records", "seed", "citizens", "checked", "cleanup", "candidates", "people", "total",
    "fee", "paid", "back", "within", "notice", "given", "groups", "own", "conclusion",
    "source's", "h", "None",
]
# Danish that is wrong, or clashes with the sources' terms.
FAULTS = [
    "1 advarsler", "1 sager", "1 ydelser", "1 måneder", "1 leverancer", "1 aktive",
    "emner",        # clashes with KLE's "emne"; subjects are "vedrører"
    "råd",          # a hint is a "løsning"
    "Afslutte",     # a task is an instruction, not an infinitive
    "Sikre at",
    "registret modtager",
    "(er)", "(r)", "(e)", "(s)", "/konverterede",
    "til videre",   # an open period runs "til ubestemt tid"; "indtil videre" means "for now"
    "og None",      # a period shown as a list ("2021-10-10 og None"), not as 2021-10-10..
    "1 flere", "+1 flere",  # "og 1 mere"
    "ikke givet nogen",     # "no cases were given", word for word: "der er ingen sager at ..."
    "blev bedt om",         # "was asked for", word for word
    "Uafgjort: afgjort",    # "Lige mange point: afgjort ..."
    "talte ikke med",       # "tæller ikke med"
    "alvor",                # the column is "alvorlighed"
    "inddata-tabel",        # one word: "inddatatabel"
    "indtil det nye virker",  # the source's word: "fungerer"
    "Sæt ydelsens",         # "Giv ydelsen dens reelle startdato"
    "holde op med",         # "Bed afdelingen om at stoppe med ..."
    "KMD's aftale",         # "aftalen mellem KOMBIT og KMD"
    "slettede den 2",       # "den" before an ISO date reads as an article: "slettede sagen"
    "er brugt",             # "anvendt"
    "mangler noget",        # "mangler oplysninger"
    "Sager uden borger",    # "uden CPR-nummer", as the message says
    "SMDB: et",             # a whole sentence after a colon starts with a capital
    "frø",                  # a random seed is a "startværdi"
    # holiday names in running text are lower-case (only "Kristi himmelfartsdag" is not)
    "Nytårsdag", "Skærtorsdag", "Langfredag", "Anden påskedag", "Anden pinsedag",
    "Grundlovsdag", "Juleaftensdag", "Juledag", "Anden juledag", "Nytårsaften",
]
_WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])",
                    re.IGNORECASE)


def faults(text: str) -> list[str]:
    """The English words and known faults in ``text`` (tags and code spans removed)."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    found = [match.group(0) for match in _WORDS.finditer(text)]
    found += [fault for fault in FAULTS
              if re.search(rf"(?<!\w){re.escape(fault)}(?!\w)" if fault[0].isalnum()
                           else re.escape(fault), text)]
    if re.search(r"[{}]", text):
        found.append("an unfilled template field")
    return found


def variants(sample: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The sample, then with counts of 1 and 18,146 and amounts of 0.27 kr."""
    yield dict(sample)
    for count in (1, 18146):
        changed: dict[str, Any] = {}
        for key, value in sample.items():
            if type(value) is int:
                changed[key] = count
            elif isinstance(value, Decimal):
                changed[key] = Decimal("0.27")
            elif isinstance(value, tuple) and count == 1:
                changed[key] = value[:1]
            else:
                changed[key] = value
        yield changed


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_reads_as_danish(code: str) -> None:
    rule: Rule = RULES[code]
    assert rule.message_da != rule.message and rule.hint_da != rule.hint
    assert rule.summary_da != rule.summary
    for values in variants(rule.sample):
        danish = rule.render(values, "da")
        assert faults(danish) == [], danish
        english = rule.render(values, "en")
        assert not re.search(r"\b1 (cases|services|deliveries|months|times)\b|\(s\)",
                             english), english
    for text in (rule.hint_da, rule.summary_da, rule_page(code, "da")):
        shown = text.replace(rule.name, "").replace("python -m casemigrate rule", "")
        # The page quotes the sources, which are Danish; the rest is ours.
        assert faults(shown.split("Kilde")[0]) == [], shown


def test_danish_numbers_and_plurals() -> None:
    dup = RULES["CM204"]
    assert dup.render({"count": 18146, "day": dt.date(2026, 3, 2)}, "da").startswith(
        "18.146 sager")
    assert RULES["CM205"].render({"count": 1}, "da") == (
        "1 sag har intet CPR-nummer og blev ikke kontrolleret")
    assert RULES["CM205"].render({"count": 1}, "en") == (
        "1 case has no citizen and was not checked")
    saving = RULES["CM406"].sample["saving"]
    assert "0,27 kr. om måneden" in saving.in_language("da")
    assert "0.27 kr a month" in str(saving)
    assert RULES["CM403"].render({"after": 1, "before": 0, "amount": Decimal("3838.39")},
                                 "da") == ("1 aktiv sag efter oprydningen mod 0 før: "
                                           "regningen stiger med 3.838,39 kr. om måneden")


def _plan(register: Register) -> CutoverPlan:
    return CutoverPlan(municipality=607, register=register, old_system="Sensum",
                       new_system="Nexus", cutover=dt.date(2026, 5, 14),
                       cutover_chosen=dt.date(2026, 4, 1), dst_notified=dt.date(2026, 4, 20),
                       old_reporting_closed=dt.date(2026, 5, 20) if register is Register.SMDB
                       else None)


@pytest.mark.parametrize("register", list(Register))
def test_timeline_titles_read_as_danish(register: Register) -> None:
    timeline = plan_timeline(_plan(register))
    text = timeline.render("da")
    assert faults(text.replace("Sensum", "").replace("Nexus", "")) == [], text
    for milestone in timeline:
        assert milestone.title_da != milestone.title


def _readiness(register: Register, language: str) -> Any:
    cpr = "211062-1234"
    cases = [Case(case_id=f"S-{i}", municipality=607, citizen=cpr if i < 2 else None,
                  system="Sensum" if i % 2 else "Nexus", opened=dt.date(2024, 1, 1))
             for i in range(3)]
    service = Service(service_id="Y-1", municipality=607, citizen=cpr, code=None,
                      target_groups={"1..2"}, start=dt.date(2026, 5, 14), system="Nexus")
    old = Service(service_id="Y-0", municipality=607, citizen=cpr, code="SEL107",
                  target_groups={"1.1"}, start=dt.date(2021, 1, 1), end=dt.date(2026, 5, 14),
                  system="Sensum")
    deliveries = [
        Delivery(delivery_id="L-1", name="L402", system="Sensum", municipality=607,
                 sent=dt.date(2026, 5, 20), services=[old]),
        Delivery(delivery_id="L-2", name="L402", system="Nexus", municipality=607,
                 sent=dt.date(2026, 5, 10), services=[service]),
        Delivery(delivery_id="L-3", name="L402", system="Sirius", municipality=607,
                 sent=dt.date(2026, 5, 10)),
    ]
    return check_readiness(_plan(register), cases=cases, deliveries=deliveries,
                           services=[service, old] if register is Register.HANDICAP else (),
                           as_of=dt.date(2026, 6, 1), language=language)


def readable(text: str) -> str:
    """The words a reader reads in a view: no system names, citations, ids or placeholders.

    Citations quote the sources (Danish) and the library's policies (English); subjects
    are ids in brackets or ``<code>`` (case ids, milestone keys such as "cutover"); a
    message pattern names its fields (``<var>count</var>``, ``‹count›``).
    """
    for name in ("Sensum", "Nexus", "Sirius"):
        text = text.replace(name, "")
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"(?:kilde|source): [^<\n]*", " ", text)
    text = re.sub(r"(?:Danmarks Statistik|KL/KOMBIT|KOMBIT|casemigrate policy)[^<\n]*", " ",
                  text)
    text = re.sub(r"\[[^\]\n]*\]", " ", text)
    return re.sub(r"<code>.*?</code>|<var>.*?</var>|‹\w+›", " ", text, flags=re.S)


@pytest.mark.parametrize("register", list(Register))
def test_report_reads_as_danish(register: Register) -> None:
    report = _readiness(register, "da")
    assert len({f.code for f in report.findings}) >= 6
    for text in (report.render(), report.render(limit_per_code=None), report._repr_html_(),
                 report.to_html(limit_per_code=1)):
        shown = readable(text)
        assert faults(shown) == [], shown
    assert "1 advarsel" in report.render() or "advarsler" in report.render()


def _views_in_danish() -> dict[str, str]:
    """Every view of every result, in Danish, with data that fills each of its parts."""
    cpr = "211062-1234"
    plan = _plan(Register.HANDICAP)
    old = Service(service_id="Y-0", municipality=607, citizen=cpr, code="SEL107",
                  target_groups={"1.1"}, start=dt.date(2021, 1, 1), system="Sensum")
    new = Service(service_id="Y-1", municipality=607, citizen=cpr, code="SEL107",
                  target_groups={"1.1"}, start=dt.date(2021, 1, 1), system="Nexus")
    merge = merge_deliveries([
        Delivery(delivery_id="L-1", name="L402", system="Sensum", municipality=607,
                 sent=dt.date(2026, 5, 20), services=[old, old]),
        Delivery(delivery_id="L-2", name="L402", system="Nexus", municipality=607,
                 sent=dt.date(2026, 5, 21), services=[new]),
        Delivery(delivery_id="T-1", name="T402", system="Nexus", municipality=607,
                 sent=dt.date(2026, 5, 22), services=[new]),
        Delivery(delivery_id="L-0", name="L402", system="Sensum", municipality=607,
                 sent=dt.date(2026, 4, 20), services=[old]),
        Delivery(delivery_id="L-9", name="L402", system="Sirius", municipality=607,
                 sent=dt.date(2026, 4, 20), services=[old]),
    ], plan)
    groups = [CaseGroup(name="PPR", early_mover_kind=True, users_mature=True,
                        load_preference=LoadPreference.SPREAD,
                        needs_overview_and_advis_system=False),
              CaseGroup(name="Kontrol")]
    estimate = estimate_cleanup({Complexity.SIMPLE: 1, Complexity.COMPLEX: 1200})
    schedule = estimate.schedule(staff=1, hours_per_day=5, start=dt.date(2026, 3, 2))
    cases = [Case(case_id=f"C-{i}", municipality=607, citizen=None, system="Sensum",
                  opened=dt.date(2020, 1, 1), closed=dt.date(2021, 1, 1) if i else None)
             for i in range(3)]
    conversion = plan_conversion(cases, include_passive=False,
                                 method=ConversionMethod.PARTLY_AUTOMATIC,
                                 minutes_per_case=(5, 10), staff=1, hours_per_day=5,
                                 start=dt.date(2026, 3, 2))
    timeline = plan_timeline(_plan(Register.SMDB))
    views = {
        "timeline": timeline.to_html(as_of=dt.date(2026, 5, 20), language="da"),
        "svg": timeline.to_svg(as_of=dt.date(2026, 5, 20), language="da"),
        "merge": render.html_view(merge, language="da"),
        "decision": render.html_view(choose_scenario(groups[0]), language="da"),
        "tie": render.html_view(choose_scenario(groups[1]), language="da"),
        "scenarios": render.html_view(choose_scenarios(groups), language="da", limit=1),
        "cleanup": render.cleanup_html(estimate, "da", schedule=schedule),
        "conversion": render.html_view(conversion, language="da"),
        "savings": render.html_view(estimate_savings(
            active_before=10, active_after=12, monthly_bill_before=100), language="da"),
    }
    for manual, day in ((2400, dt.date(2016, 1, 29)), (5000, dt.date(2016, 1, 29)),
                        (7000, dt.date(2015, 6, 1)), (2400, dt.date(2014, 6, 1))):
        views[f"notice {manual} {day}"] = render.html_view(notice_period(
            manual_cases=manual, closes_all_itself=True, notice_given=day), language="da")
    return views


@pytest.mark.parametrize("kind", list(_views_in_danish()))
def test_every_view_reads_as_danish(kind: str) -> None:
    view = _views_in_danish()[kind]
    assert 'lang="da"' in view or view.startswith("<svg")
    assert faults(readable(view)) == [], readable(view)


def test_scenarios_tasks_and_labels_read_as_danish() -> None:
    for scenario in Scenario:
        text = scenario.describe(language="da")
        assert faults(text.replace("STS", "").replace("SAPA", "")) == [], text
    for complexity in Complexity:
        for task in complexity.tasks_da:
            assert faults(task) == [], task
            first = task.split()[0]
            assert not first.endswith("e") or first in {"Passivér"}, task
    assert [s.label("da") for s in Severity] == ["FEJL", "ADVARSEL", "INFO"]
    assert faults(rules_table("da").replace("-", " ").split("\n", 1)[0]) == []


def test_holidays_read_in_lower_case_in_a_message() -> None:
    """CM107 names the day off as running text writes it: "(grundlovsdag)"."""
    from casemigrate.workdays import DEFAULT_WORKING_DAYS, WorkingDays, day_off_reason
    calendar = WorkingDays(optional_days_off=DEFAULT_WORKING_DAYS.optional_days_off)
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    names = {day_off_reason(day, calendar, language="da") for day in days
             if day.weekday() < 5} - {None}
    assert {"grundlovsdag", "juleaftensdag", "anden påskedag", "Kristi himmelfartsdag"} <= names
    for name in names:
        message = RULES["CM107"].render({"cutover": days[0], "why": name}, "da")
        assert faults(message) == [], message


def test_demo_reads_as_danish() -> None:
    """The demo in Danish: every section, with Danish numbers and dates in its prose."""
    text = run_demo(seed=3, citizens=60, language="da")
    shown = readable(text.replace("OldCare", "").replace("NewCare", ""))
    assert faults(shown) == [], [line for line in shown.splitlines() if faults(line)]
    for needle in ("Sammenlægning som hos DST", "Oprydning i registerets", "t.; 2 medarbejdere",
                   "Kandidater til masselukning", "Kildens kommunale eksempler",
                   "3.838,35 kr. om måneden", "den 30. juni 2014: 6 måneders varsel",
                   "udløber 30. december 2014", "Hvornår hver gruppe flyttes",
                   "scenarie  grupper  aktive sager  passive sager", "1.883"):
        assert needle in text, needle


def test_open_periods_and_more_read_as_danish() -> None:
    """An open period is a period, not a list, and "og 1 mere" agrees with its count."""
    rule = RULES["CM301"]
    service = Service(service_id="B'", municipality=607, citizen="211062-1234",
                      code="SEL107", target_groups={"1.1"}, start=dt.date(2021, 6, 1),
                      system="Nexus")
    found = merge_deliveries([
        Delivery(delivery_id="L-1", name="L402", system="Sensum", municipality=607,
                 sent=dt.date(2026, 5, 20), services=[Service(
                     service_id="B", municipality=607, citizen="211062-1234", code="SEL107",
                     target_groups={"1.1"}, start=dt.date(2021, 6, 1),
                     end=dt.date(2026, 6, 1), system="Sensum")]),
        Delivery(delivery_id="L-2", name="L402", system="Nexus", municipality=607,
                 sent=dt.date(2026, 6, 10), services=[service]),
    ], _plan(Register.HANDICAP)).findings
    twice = [f for f in found if f.code == rule.code]
    assert [f.message_in("da") for f in twice] == [
        "B (2021-06-01..2026-06-01) og B' (2021-06-01..) tælles begge med fra 2021-06-01 til "
        "2026-06-01"]
    assert RULES["CM314"].render(RULES["CM314"].sample, "da").endswith(
        "fra 2022-05-01 til ubestemt tid")
    from casemigrate.render._base import _say
    assert [_say("and_more", "da", n=n) for n in (1, 2)] == ["og 1 mere", "og 2 flere"]


def test_the_checker_finds_what_it_looks_for() -> None:
    assert faults("lukning saves 0,27 kr") == ["saves"]
    assert faults("3 sager; closing saves 0.27 kr a month") == ["closing", "saves",
                                                                "kr a month"]
    assert faults("1 advarsler") == ["1 advarsler"]
    assert faults("{count} sager") == ["an unfilled template field"]
    assert faults("find_blocking_cases blev ikke kørt") == []
    assert faults("tælles begge med fra 2022-05-01 til videre") == ["til videre"]
    assert faults("A (2021-10-10 og None)") == ["None", "og None"]
    assert faults("... og 1 flere; 0,1–0,1 h") == ["h", "1 flere"]
    assert faults("kode navn alvorlighed; 300,0–500,0 t.") == []


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_plural_and_number_agree_with_any_count(count: int) -> None:
    """The form follows the count in both languages, and the number reads back."""
    danish = RULES["CM205"].render({"count": count}, "da")
    english = RULES["CM205"].render({"count": count}, "en")
    shown_da, noun_da = danish.split()[:2]
    shown_en, noun_en = english.split()[:2]
    assert (noun_da, noun_en) == (("sag", "case") if count == 1 else ("sager", "cases"))
    assert int(shown_da.replace(".", "")) == count == int(shown_en.replace(",", ""))
    assert number(count, "da") == shown_da and number(count, "en") == shown_en


@pytest.mark.parametrize("code", sorted(RULES))
def test_the_danish_rule_page_has_every_section_in_danish(code: str) -> None:
    """Every rule has "What it checks", "Why it matters" and "Example" in Danish."""
    rule = RULES[code]
    for text, english in ((rule.checks_da, rule.checks), (rule.why_da, rule.why),
                          (rule.example_da, rule.example)):
        assert text.strip() and text != english, code
        assert faults(text) == [], (code, text)
    page = rule_page(code, "da")
    for heading in ("Hvad reglen kontrollerer", "Hvorfor det er vigtigt", "Eksempel",
                    "Sådan løses det", "Kilde"):
        assert f"\n{heading}\n" in page, page
    assert "på engelsk" not in page
    shown = page.replace(rule.name, "")
    assert faults(shown.split("\nKilde\n")[0]) == [], shown
