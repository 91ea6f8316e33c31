"""The views as a person sees them, parsed: structure, numbers, language, escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from _views import big_plan, big_report, parse
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
    ExclusionReason,
    Finding,
    InvalidArgument,
    InvalidType,
    Register,
    Report,
    Service,
    check_readiness,
    choose_scenario,
    choose_scenarios,
    estimate_cleanup,
    estimate_savings,
    merge_deliveries,
    notice_period,
    plan_conversion,
    plan_timeline,
    sort_findings,
)
from casemigrate import render as r

D = dt.date
C = D(2026, 6, 1)
ALICE = "211062-1234"


@pytest.fixture(scope="module")
def big() -> str:
    return big_report()._repr_html_()


def test_a_big_report_is_a_summary_under_300_kb(big: str) -> None:
    assert len(big.encode()) < 300_000
    page = parse(big)
    head = page.find(cls="cm-headline")
    assert head["data-ok"] == "false"
    assert head.text.startswith("NOT READY")
    tallies = {t["data-severity"]: int(t["data-count"]) for t in page.find_all(cls="cm-tally")}
    assert tallies == {"ERROR": 18_148, "WARNING": 1, "INFO": 1}
    assert "18,148" in head.text
    blocks = page.find_all("section", cls="cm-block")
    # One block per code, worst severity first: the one WARNING is not buried.
    assert [(b["data-severity"], b["data-code"], int(b["data-count"])) for b in blocks] == [
        ("ERROR", "CM204", 148), ("ERROR", "CM206", 18_000), ("WARNING", "CM106", 1),
        ("INFO", "CM001", 1)]


def test_each_block_says_hint_and_source_once_and_lists_at_most_the_limit(big: str) -> None:
    page = parse(big)
    block = page.find("section", cls="cm-block", data_code="CM206")
    rule = RULES["CM206"]
    assert block.find(cls="cm-badge").text == "ERROR"
    assert "blocking-active-case" in block.find(cls="cm-block-head").text
    assert "18,000 findings" in block.find(cls="cm-block-head").text
    assert block.find(cls="cm-hint").text == f"hint: {rule.hint}"
    assert big.count(rule.hint) == 1
    assert block.find(cls="cm-source").text == f"source: {rule.citation}"
    # The message pattern shows the template's fields as placeholders.
    assert [v.text for v in block.find(cls="cm-pattern").find_all("var")] == [
        "case", "system", "deadline"]
    records = block.find("details")
    assert "open" not in records.attrs  # collapsed
    assert records.find("summary").text == "18,000 records (showing 20 of 18,000)"
    items = records.find_all("li")
    assert len(items) == 21
    assert items[0].text.startswith("OLD-00000: OLD-00000 in the old system KMD <Sag> is")
    assert items[-1]["data-more"] == "17980"
    assert items[-1].text == "and 17,980 more"


def test_the_limit_is_a_parameter() -> None:
    page = parse(big_report().to_html(limit_per_code=3))
    block = page.find("section", cls="cm-block", data_code="CM204")
    items = block.find_all("li")
    assert len(items) == 4
    assert items[-1].text == "and 145 more"
    assert items[0].find("code").text == "NEW-00000, OLD-00000"


def test_every_cell_is_aligned_inline_whatever_the_stylesheet(big: str) -> None:
    page = parse(big)
    cells = page.find_all("td") + page.find_all("th")
    assert cells
    for cell in cells:
        assert re.search(r"text-align:(left|right)", cell["style"]), cell.text
    for node in page.find_all("li") + page.find_all("section"):
        assert "text-align:left" in node["style"]


def test_severity_has_a_colour_and_a_word() -> None:
    page = parse(big_report("da")._repr_html_())
    badges = {b["data-severity"]: b for b in page.find_all(cls="cm-badge")}
    assert {k: b.text for k, b in badges.items()} == {
        "ERROR": "FEJL", "WARNING": "ADVARSEL", "INFO": "INFO"}
    colours = {re.search(r"background:(#\w+)", b["style"]).group(1)  # type: ignore[union-attr]
               for b in badges.values()}
    assert len(colours) == 3


def test_danish_labels_and_numbers() -> None:
    page = parse(big_report("da")._repr_html_())
    assert page.find(cls="cm-headline").text.startswith("IKKE KLAR")
    block = page.find("section", cls="cm-block", data_code="CM206")
    assert block.find("summary").text == "18.000 poster (viser 20 af 18.000)"
    assert block.find_all("li")[-1].text == "og 17.980 flere"
    assert block.find(cls="cm-hint").text == f"løsning: {RULES['CM206'].hint_da}"
    headers = [th.text for th in page.find(cls="cm-timeline-table").find_all("th")]
    assert headers == ["milepæl", "tidligst", "senest", "udført", "status", "kilde"]
    merge = [td.text for td in page.find(cls="cm-merge").find_all("td")]
    assert merge[:2] == ["modtagne ydelser", "1.200"]
    assert "– aktiv i det tidligere system: det nye system indberetter den" in merge
    # Rule names (e.g. milestone-overdue) are identifiers, the same in every language.
    text = page.text.replace(page.find("style").text, "").replace("milestone-overdue", "")
    # Citations quote their documents (the library's policies are written in English).
    for cited in page.find_all(cls="cm-source") + page.find_all(cls="cm-citation"):
        text = text.replace(cited.text, "")
    for english in ("hint:", "records", "NOT READY", "showing", "overdue", "source:"):
        assert english not in text


def test_text_follows_the_same_shape() -> None:
    text = str(big_report())
    lines = text.splitlines()
    assert lines[0].startswith("Readiness: SMDB 607 Fredericia, KMD <Sag> -> Nyt & bedre")
    assert lines[1] == "NOT READY: 18,148 errors, 1 warning, 1 info"
    heads = [line for line in lines if re.match(r"^(ERROR|WARNING|INFO) ", line)]
    assert heads == ["ERROR    CM204 duplicate-active-cases (148 findings)",
                     "ERROR    CM206 blocking-active-case (18,000 findings)",
                     "WARNING  CM106 milestone-overdue (1 finding)",
                     "INFO     CM001 check-not-applicable (1 finding)"]
    assert "    ... and 17,995 more" in lines
    assert text.count(RULES["CM206"].hint) == 1
    assert len(text) < 10_000
    assert str(big_report()).count("\n    - ") == 5 + 5 + 1 + 1
    everything = big_report().render(limit_per_code=None)
    assert everything.count("\n    - ") == 18_150
    danish = str(big_report("da")).splitlines()
    assert danish[1] == "IKKE KLAR: 18.148 fejl, 1 advarsel, 1 til orientering"
    assert "FEJL      CM206 blocking-active-case (18.000 fund)" in danish


def test_reprs_are_bounded() -> None:
    report = big_report()
    assert repr(report) == ("<Report SMDB 607 Fredericia cutover 2026-06-01 as of 2026-06-17:"
                            " NOT READY, 18,148 errors, 1 warnings, 1 info>")
    cases = [Case(case_id=f"C-{i}", municipality=607, citizen=ALICE, system="Old",
                  opened=D(2020, 1, 1)) for i in range(14_593)]
    conversion = plan_conversion(cases, include_passive=False, method=ConversionMethod.MANUAL,
                                 minutes_per_case=(5, 10), staff=2, hours_per_day=6,
                                 start=D(2026, 3, 2))
    assert len(repr(conversion)) < 300
    assert repr(conversion).startswith("<ConversionPlan 14,593 cases to convert, 0 left behind")
    assert repr(plan_timeline(big_plan())) == (
        "<Timeline SMDB 607 Fredericia cutover 2026-06-01: 6 milestones, 3 done>")
    view = conversion._repr_html_()
    assert len(view) < 20_000
    assert ALICE not in view and "2110621234" not in view


def test_user_values_are_escaped() -> None:
    page = parse(big_report()._repr_html_())
    assert not page.find_all("script")
    assert not page.find_all("sag")  # "KMD <Sag>" from the plan is text, not an element
    assert "KMD <Sag> → Nyt & bedre" in page.find(cls="cm-headline").text
    decision = choose_scenario(CaseGroup(name="<img src=x onerror=alert(1)>",
                                         others_need_overview=True))
    view = parse(decision._repr_html_())
    assert not view.find_all("img")
    assert view.find("h4").text == "<img src=x onerror=alert(1)>: scenario 3"


def _svg_days(svg: str) -> dict[str, str]:
    page = parse(svg)
    return {g["data-key"]: g["data-status"] for g in page.find_all("g", cls="cm-milestone")}


def test_the_timeline_is_drawn_with_cutover_as_of_and_statuses() -> None:
    timeline = plan_timeline(big_plan())
    svg = timeline.to_svg(as_of=D(2026, 6, 17))
    page = parse(svg)
    root = page.find("svg")
    assert root["viewbox"].startswith("0 0 760 ")
    assert _svg_days(svg) == {
        "notify_dst": "done", "choose_cutover": "done", "close_old_reporting": "overdue",
        "review_open_courses": "done", "delete_active_courses": "overdue",
        "rereport_active_courses": "overdue"}
    assert len(page.find_all("rect", cls="cm-bar")) == 6
    assert len(page.find_all("circle", cls="cm-done")) == 3
    assert len(page.find_all("path", cls="cm-overdue")) == 3
    # Status in words as well as colour.
    rows = {g["data-key"]: g.find("text").text for g in page.find_all("g", cls="cm-milestone")}
    assert rows["delete_active_courses"].endswith("— overdue")
    assert rows["review_open_courses"].endswith("— done 2026-04-28")
    cutover = page.find("g", cls="cm-cutover")
    as_of = page.find("g", cls="cm-as-of")
    assert cutover.find("text").text == "cutover 2026-06-01"
    assert as_of.find("text").text == "as of 2026-06-17"
    cut_x = float(cutover.find("line")["x1"])
    as_of_x = float(as_of.find("line")["x1"])
    assert 10 < cut_x < as_of_x < 750
    # Windows sit where their dates are: the re-report bar starts at the cutover.
    bar = page.find("g", cls="cm-milestone", data_key="rereport_active_courses").find("rect")
    assert float(bar["x"]) == pytest.approx(cut_x, abs=0.2)
    assert not page.find_all("script") and "<foreignObject" not in svg
    # Without as_of nothing is overdue and no line is drawn.
    plain = timeline.to_svg()
    assert "overdue" not in _svg_days(plain).values()
    assert not parse(plain).find_all(cls="cm-as-of")


def test_the_timeline_alone_in_a_notebook_and_in_danish() -> None:
    timeline = plan_timeline(big_plan())
    page = parse(timeline._repr_html_())
    assert len(page.find_all("svg")) == 1
    rows = page.find(cls="cm-timeline-table").find_all("tr", data_status="done")
    assert [row["data-key"] for row in rows] == ["notify_dst", "choose_cutover",
                                                 "review_open_courses"]
    danish = parse(timeline.to_html(as_of=D(2026, 6, 17), language="da"))
    assert danish.find("g", cls="cm-cutover").find("text").text == "skæringsdato 2026-06-01"
    assert "— overskredet" in danish.find("svg").text
    assert "jun." in [t.text for t in danish.find("svg").find_all("text")]
    with pytest.raises(InvalidArgument):
        timeline.to_svg(language="xx")


def svc(sid: str, system: str, start: dt.date, end: dt.date | None = None) -> Service:
    return Service(service_id=sid, municipality=607, citizen=ALICE, code="SEL107",
                   target_groups={"1.1"}, start=start, end=end, system=system)


def test_the_merge_shows_its_ledger_by_reason_in_words() -> None:
    plan = CutoverPlan(municipality=607, register="handicap", old_system="Old",
                       new_system="New", cutover=C)
    sent = [
        Delivery(delivery_id="old", name="L402", system="Old", municipality=607,
                 sent=D(2026, 6, 10), services=[svc("A", "Old", D(2021, 6, 1), D(2023, 1, 1)),
                                                svc("B", "Old", D(2022, 6, 1))]),
        Delivery(delivery_id="new", name="L402", system="New", municipality=607,
                 sent=D(2026, 6, 11), services=[svc("B'", "New", D(2022, 6, 1))]),
        Delivery(delivery_id="test", name="T402", system="New", municipality=607,
                 sent=D(2026, 6, 12), services=[svc("T", "New", D(2022, 6, 1))]),
    ]
    result = merge_deliveries(sent, plan)
    page = parse(result._repr_html_())
    ledger = [[td.text for td in tr.find_all("td")]
              for tr in page.find(cls="cm-merge").find("tbody").find_all("tr")]
    assert ledger == [
        ["services in", "4"], ["kept in the data basis", "2"], ["excluded", "2"],
        ["– active in the old system: the new system reports it", "1"],
        ["· re-created unchanged", "1"],
        ["– in a test delivery (T...): never used for the statistics", "1"]]
    assert "DSTs databehandling ved systemskifte" in page.find(cls="cm-citation").text
    assert repr(result) == ("<MergeResult: 4 services in, 2 kept, 2 excluded "
                            "(ACTIVE_IN_OLD_SYSTEM 1, TEST_DELIVERY 1); 2 deliveries used; "
                            f"{len(result.findings)} findings>")
    report = check_readiness(plan, deliveries=sent, as_of=D(2026, 6, 17))
    merge_rows = parse(report._repr_html_()).find(cls="cm-merge").find_all("td")
    assert [td.text for td in merge_rows][:2] == ["services in", "4"]


def test_a_decision_says_why_and_names_the_unknowns_in_words() -> None:
    decision = choose_scenario(CaseGroup(name="PPR", good_line_of_business_system=True,
                                         early_mover_kind=True))
    page = parse(decision._repr_html_())
    ranking = [[td.text for td in tr.find_all("td")]
               for tr in page.find(cls="cm-ranking").find("tbody").find_all("tr")]
    assert ranking == [[str(s.value), str(p)] for s, p in decision.ranking]
    reasons = [tr.find("td").text for tr in page.find(cls="cm-reasons").find("tbody")
               .find_all("tr")]
    assert reasons == ["a good line-of-business system with the needed advis exists",
                       "a kind of case the source names as an early mover"]
    unknowns = [li.text for li in page.find("ul", cls="cm-unknowns").find_all("li")]
    assert len(unknowns) == len(decision.unknowns) == 9
    assert "users keep KMD Sag for advis and overview" in unknowns
    assert not any("_" in u for u in unknowns)
    assert "Del 1" in page.find(cls="cm-citation").text
    danish = parse(r.html_view(decision, language="da"))
    assert "brugerne beholder KMD Sag til advis og overblik" in danish.text
    assert repr(decision).startswith("<ScenarioDecision 'PPR': scenario ")


def test_a_summary_counts_cases_per_scenario_and_is_bounded() -> None:
    groups = [CaseGroup(name=f"G{i}", active_cases=10, passive_cases=i,
                        others_need_overview=i % 2 == 0) for i in range(50)]
    summary = choose_scenarios(groups)
    page = parse(summary._repr_html_())
    rows = {tr.find("td").text: [td.text for td in tr.find_all("td")[1:]]
            for tr in page.find(cls="cm-by-scenario").find("tbody").find_all("tr")}
    expected = {str(s.value): [str(row["groups"]), f"{row['active_cases']:,}",
                               f"{row['passive_cases']:,}"]
                for s, row in summary.by_scenario.items()}
    assert rows == expected
    assert len(page.find(cls="cm-decisions").find("tbody").find_all("tr")) == 20
    assert page.find("p", cls="cm-more").text == "and 30 more"
    assert len(repr(summary)) < 200


def test_a_cleanup_estimate_shows_hours_per_complexity() -> None:
    estimate = estimate_cleanup({Complexity.SIMPLE: 1000, Complexity.MEDIUM: 30,
                                 Complexity.COMPLEX: 6})
    page = parse(estimate._repr_html_())
    rows = [[td.text for td in tr.find_all("td")]
            for tr in page.find(cls="cm-cleanup").find("tbody").find_all("tr")]
    assert rows == [["simple", "1,000", "3–5 min", "50.0–83.3 h"],
                    ["medium", "30", "4–10 min", "2.0–5.0 h"],
                    ["complex", "6", "15–25 min", "1.5–2.5 h"],
                    ["total", "1,036", "", "53.5–90.8 h"]]
    schedule = estimate.schedule(staff=2, hours_per_day=6, start=D(2026, 3, 2))
    with_schedule = parse(r.cleanup_html(estimate, "da", schedule=schedule))
    facts = [td.text for td in with_schedule.find(cls="cm-schedule").find_all("td")]
    assert facts[2:4] == ["tidligst færdig",
                          f"{schedule.earliest_finish} ({schedule.working_days_low} arbejdsdage)"]
    assert "Estimering af omfanget" in page.find(cls="cm-citation").text
    assert repr(estimate) == ("<CleanupEstimate 1,036 cases (SIMPLE 1,000, MEDIUM 30, "
                              "COMPLEX 6): 53.5-90.8 h>")


def test_notice_and_savings_show_their_figures_and_sources() -> None:
    notice = notice_period(manual_cases=5000, closes_all_itself=True,
                           notice_given=D(2016, 1, 29))
    page = parse(notice._repr_html_())
    facts = [td.text for td in page.find(cls="cm-notice").find_all("td")]
    assert facts[:4] == ["notice", "3 months", "ends on", "2016-04-29"]
    assert page.find(cls="cm-findings").find("code").text == "CM401"
    assert "Opsigelse af manuelle sager" in page.find(cls="cm-citation").text
    savings = estimate_savings(active_before=62_499, active_after=48_342,
                               monthly_bill_before=Decimal("16945.35"))
    page = parse(r.html_view(savings, language="da"))
    facts = [td.text for td in page.find(cls="cm-savings").find_all("td")]
    assert facts == ["aktive sager før → efter", "62.499 → 48.342",
                     "pris pr. aktiv sag pr. måned", "0,2711 kr.",
                     "regning pr. måned før → efter", "16.945,35 kr. → 13.106,96 kr.",
                     "besparelse pr. måned", "3.838,39 kr.",
                     "besparelse pr. år", "46.060,68 kr."]
    assert "Fredericia" in page.find(cls="cm-citation").text


def test_a_conversion_plan_counts_and_never_lists_every_case() -> None:
    cases = [Case(case_id=f"C-{i}", municipality=607, citizen=ALICE, system="Old",
                  opened=D(2020, 1, 1), closed=D(2021, 1, 1) if i % 3 == 0 else None)
             for i in range(300)]
    plan = plan_conversion(cases, include_passive=False,
                           method=ConversionMethod.PARTLY_AUTOMATIC, minutes_per_case=(5, 10),
                           staff=1, hours_per_day=5, start=D(2026, 3, 2))
    page = parse(plan._repr_html_())
    facts = {tr.find_all("td")[0].text: tr.find_all("td")[1].text
             for tr in page.find(cls="cm-conversion").find_all("tr")}
    assert facts["converted"] == "200 (200 active, 0 passive)"
    assert facts["left in the old system"] == "100"
    assert facts["method"] == "partly automatic"
    assert facts["workload"] == "16.7–33.3 h"
    assert "C-17" not in page.text
    assert "Planlæg konverteringen" in page.find(cls="cm-citation").text


def test_every_view_is_well_formed_and_names_its_source() -> None:
    timeline = plan_timeline(big_plan())
    for obj in (timeline, choose_scenarios([CaseGroup(name="A")]),
                estimate_cleanup({Complexity.SIMPLE: 1}),
                estimate_savings(active_before=2, active_after=1, monthly_bill_before=10),
                notice_period(manual_cases=1, closes_all_itself=True,
                              notice_given=D(2016, 1, 29))):
        for language in ("en", "da"):
            page = parse(r.html_view(obj, language=language))
            view = page.find("div", cls="cm-view")
            assert view["lang"] == language
            assert page.find_all(cls="cm-citation") or page.find_all("td")


def test_views_refuse_what_they_cannot_show() -> None:
    with pytest.raises(InvalidType):
        r.html_view(object())
    with pytest.raises(InvalidArgument):
        r.html_view(plan_timeline(big_plan()), language="de")
    with pytest.raises(InvalidArgument) as info:
        check_readiness(big_plan(), as_of=C, language="xx")
    assert info.value.field == "language"


def test_no_view_shows_a_cpr() -> None:
    plan = CutoverPlan(municipality=607, register=Register.SMDB, old_system="Old",
                       new_system="New", cutover=C)
    cases = [Case(case_id="OLD-1", municipality=607, citizen=ALICE, system="Old",
                  opened=D(2024, 2, 1)),
             Case(case_id="NEW-7", municipality=607, citizen=ALICE, system="New", opened=C)]
    report = check_readiness(plan, cases=cases, as_of=D(2026, 6, 3))
    for text in (report._repr_html_(), str(report), repr(report),
                 r.html_view(report, language="da")):
        assert ALICE not in text and "2110621234" not in text
        assert "211062-****" in text or "211062" not in text


_CODES = ("CM204", "CM206", "CM106", "CM001")


def _finding(code: str, i: int) -> Finding:
    values = {
        "CM204": {"count": 2, "day": "2026-06-03"},
        "CM206": {"case": f"OLD-{i}", "system": "Old", "deadline": "2026-05-22"},
        "CM106": {"title": "t", "title_da": "t", "latest": "2026-06-15", "as_of": "2026-06-17"},
        "CM001": {"check": "c", "reason": "r"},
    }[code]
    return Finding.of(code, (f"R-{i}",), **values)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(_CODES), max_size=60), st.integers(1, 5),
       st.sampled_from(["en", "da"]))
def test_views_account_for_every_finding(codes: list[str], limit: int, language: str) -> None:
    """Nothing lost, nothing shown twice: the blocks' counts add up to the findings, each
    block lists at most ``limit`` records and counts the rest, in severity order."""
    findings = sort_findings(_finding(code, i) for i, code in enumerate(codes))
    plan = big_plan()
    report = Report(plan=plan, as_of=D(2026, 6, 17), language=language,
                    timeline=plan_timeline(plan), findings=findings, checks=())
    page = parse(report.to_html(limit_per_code=limit))
    blocks = page.find_all("section", cls="cm-block")
    assert {b["data-code"]: int(b["data-count"]) for b in blocks} == Counter(codes)
    severities = [RULES[b["data-code"]].severity for b in blocks]
    assert severities == sorted(severities)
    for block in blocks:
        count = int(block["data-count"])
        items = block.find_all("li")
        listed = [li for li in items if "cm-more" not in li.classes]
        assert len(listed) == min(count, limit)
        more = [int(li["data-more"]) for li in items if "cm-more" in li.classes]
        assert sum(more) == count - len(listed)
    text = report.render(limit_per_code=limit)
    assert text.count("\n    - ") == sum(min(n, limit) for n in Counter(codes).values())


def test_both_languages_have_every_word() -> None:
    from casemigrate.render._base import _MONTHS, _WORDS, CONSIDERATION_WORDS
    from casemigrate.scenario import CONSIDERATIONS

    assert set(_WORDS["en"]) == set(_WORDS["da"])
    for reason in ExclusionReason:
        assert reason.in_language("da") != reason.in_language("en") == reason.value
    assert set(CONSIDERATION_WORDS["en"]) == set(CONSIDERATION_WORDS["da"]) == set(
        CONSIDERATIONS)
    assert len(_MONTHS["da"]) == len(_MONTHS["en"]) == 12


def test_danish_notice_and_conversion_in_words() -> None:
    notice = notice_period(manual_cases=2400, closes_all_itself=True,
                           notice_given=D(2016, 1, 29))
    facts = [td.text for td in parse(r.html_view(notice, language="da"))
             .find(cls="cm-notice").find_all("td")]
    assert facts == ["varsel", "2 måneder", "udløber", "2016-03-29", "årsag",
                     "under 5.000 sager, og kommunen afslutter selv alle manuelle sager"]


def test_a_plural_field_named_by_its_own_word_reads_once_in_the_pattern() -> None:
    from casemigrate.render._base import _pattern

    text = _pattern(RULES["CM002"].template("en"), html_=False)
    assert text.startswith("‹rows› of ‹table› were refused ‹where› (‹error›); first row "
                           "‹first_row›")
    assert "‹rows› rows" not in text
    html = _pattern(RULES["CM002"].template("en"), html_=True)
    assert html.startswith("<var>rows</var> of <var>table</var> were refused")
    # A plural word that is not the field's name stays: "‹count› cases".
    assert "‹count› cases" in _pattern("{count:# case|# cases} of {x}", html_=False)
