"""The record path's fast ways give what the plain ways give.

``finding_maker`` builds findings as ``Finding.of`` does, ``sort_findings`` and
``sorted_total`` order as a sort by their whole key does, and the rules that group
records by strings per municipality find what they find one municipality at a time.
"""

from __future__ import annotations

import datetime as dt
import operator
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemigrate import (
    RULES,
    Case,
    Finding,
    InvalidArgument,
    Service,
    Severity,
    find_duplicate_active_cases,
    find_service_overlaps,
)
from casemigrate._keys import sorted_total
from casemigrate.findings import _tie_key, finding_maker, sort_findings

D = dt.date
RULE_LIST = [RULES[code] for code in sorted(RULES)]
# Ids that collide, ids that are CPR numbers (masked as subjects), and near misses.
IDS = ["A", "B", "b", "S-1", "S-10", "2110621234", "211062-1234", "211062-****",
       "3210621234", "0101001234x", ""]
subject_ids = st.sampled_from(IDS) | st.text(max_size=12)
values = st.none() | st.integers(-5, 5) | st.text(max_size=6) | st.dates(D(1969, 1, 1),
                                                                          D(9999, 12, 31))


def _outcome(build: Any) -> tuple[str, Any]:
    try:
        finding = build()
    except Exception as error:  # the same error, whichever it is
        return "raised", (type(error), str(error), getattr(error, "field", None))
    return "built", finding


def _same(a: tuple[str, Any], b: tuple[str, Any]) -> None:
    assert a[0] == b[0], (a, b)
    if a[0] == "raised":
        assert a[1] == b[1]
        return
    made, expected = a[1], b[1]
    assert made == expected
    assert type(made) is Finding and made.rule is expected.rule
    assert (made.code, made.severity, made.subjects) == (
        expected.code, expected.severity, expected.subjects)
    assert list(made.details.items()) == list(expected.details.items())
    for language in ("en", "da"):
        assert _outcome(lambda: made.message_in(language)) == _outcome(  # noqa: B023
            lambda: expected.message_in(language))  # noqa: B023
    assert repr(made) == repr(expected)


@st.composite
def rule_and_values(draw: st.DrawFn) -> tuple[Any, tuple[str, ...], tuple[Any, ...]]:
    rule = draw(st.sampled_from(RULE_LIST))
    needed = sorted(rule.fields)
    extra = draw(st.lists(st.sampled_from(["count", "later", "zz", "system"]), unique=True))
    fields = [*needed, *(f for f in extra if f not in needed)]
    draw(st.randoms()).shuffle(fields)
    filled = tuple(rule.sample[f] if f in rule.sample and draw(st.booleans()) else draw(values)
                   for f in fields)
    return rule, tuple(fields), filled


@settings(max_examples=40)
@given(rule_and_values(), st.lists(subject_ids | st.integers(0, 3), max_size=5))
def test_finding_maker_builds_what_finding_of_builds(
    drawn: tuple[Any, tuple[str, ...], tuple[Any, ...]], subjects: list[Any],
) -> None:
    rule, fields, filled = drawn
    named = dict(zip(fields, filled, strict=True))
    expected = _outcome(lambda: Finding.of(rule, subjects, **named))
    make = finding_maker(rule, *fields)
    _same(_outcome(lambda: make(subjects, *filled)), expected)
    _same(_outcome(lambda: make(tuple(subjects), *filled)), _outcome(
        lambda: Finding.of(rule, tuple(subjects), **named)))


@settings(max_examples=40)
@given(rule_and_values(), subject_ids | st.integers(0, 3), subject_ids | st.none())
def test_a_pair_maker_builds_what_finding_of_builds(
    drawn: tuple[Any, tuple[str, ...], tuple[Any, ...]], first: Any, second: Any,
) -> None:
    rule, fields, filled = drawn
    named = dict(zip(fields, filled, strict=True))
    make = finding_maker(rule, *fields, pair=True)
    _same(_outcome(lambda: make(first, second, *filled)),
          _outcome(lambda: Finding.of(rule, (first, second), **named)))


def test_a_pair_maker_masks_an_id_that_is_a_cpr_number_and_orders_the_pair() -> None:
    rule = RULES["CM301"]
    make = finding_maker(rule, *sorted(rule.fields), "later", pair=True)
    sample = [rule.sample[f] for f in sorted(rule.fields)]
    assert make("S-2", "2110621234", *sample, "S-2").subjects == ("211062-****", "S-2")
    assert make("S-2", "S-1", *sample, "S-2").subjects == ("S-1", "S-2")
    assert make("S-1", "S-1", *sample, "S-1").subjects == ("S-1",)
    assert "2110621234" not in str(make("2110621234", "x", *sample, "x"))


def test_finding_maker_checks_the_fields_once() -> None:
    rule = RULES["CM204"]
    with pytest.raises(InvalidArgument, match=r"CM204 needs the values \['day'\]") as caught:
        finding_maker(rule, "count")
    assert caught.value.field == "details"
    with pytest.raises(InvalidArgument, match="named twice"):
        finding_maker(rule, "count", "day", "count")
    made = finding_maker("CM204", "count", "day")  # a code, as Finding.of takes
    assert made(["b", "a"], 2, D(2026, 1, 1)).subjects == ("a", "b")


_WHOLE_KEY = operator.attrgetter("severity", "code", "subjects")


def _reference_sort(findings: list[Finding]) -> list[Finding]:
    """One sort by the whole key, its ties sorted by message and details."""
    ordered = sorted(findings, key=_WHOLE_KEY)
    out: list[Finding] = []
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or _WHOLE_KEY(ordered[index]) != _WHOLE_KEY(ordered[start]):
            out += sorted(ordered[start:index], key=_tie_key)
            start = index
    return out


findings_st = st.lists(st.builds(
    lambda code, subjects, severity, count, day: Finding.of(
        RULES[code], subjects, severity=severity, count=count, day=day),
    st.sampled_from(["CM204", "CM205", "CM501"]),
    st.lists(st.sampled_from(["a", "b", "c"]), max_size=2),
    st.none() | st.sampled_from(list(Severity)), st.integers(1, 4),
    st.sampled_from([D(2026, 1, 1), D(2026, 1, 2)]),
), max_size=40)
# Runs of three or more ties, in every order.
ties_st = st.lists(st.builds(
    lambda count, day: Finding.of(RULES["CM204"], ("a", "b"), count=count, day=day),
    st.integers(1, 9), st.sampled_from([D(2026, 1, 1), D(2026, 1, 2)]),
), max_size=12)


@settings(max_examples=80)
@given(findings_st | ties_st)
def test_sort_findings_orders_as_one_sort_by_the_whole_key(findings: list[Finding]) -> None:
    """Many ties (few codes, subjects and values): the very objects, in the same order."""
    got = sort_findings(findings)
    expected = _reference_sort(findings)
    assert [id(f) for f in got] == [id(f) for f in expected]


@settings(max_examples=80)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 9)),
                max_size=40))
def test_sorted_total_breaks_ties_of_the_cheap_key_by_the_full_one(
    items: list[tuple[int, int, int]],
) -> None:
    def cheap(item: tuple[int, int, int]) -> int:
        return item[0]

    def full(item: tuple[int, int, int]) -> tuple[int, int]:
        return item[1], item[2]

    got = sorted_total(items, cheap, full)
    expected = sorted(items, key=lambda item: (cheap(item), full(item)))
    assert [id(i) for i in got] == [id(i) for i in expected]


MUNICIPALITIES = [607, 101, 851]
CITIZENS = ["211062-1234", "010203-4321"]


cases_st = st.lists(st.builds(
    lambda i, where, citizen, system, opened, days: Case(
        case_id=f"C{i % 7}", municipality=where, citizen=citizen, system=system,
        opened=opened, closed=None if days is None else opened + dt.timedelta(days=days)),
    st.integers(0, 10**6), st.sampled_from(MUNICIPALITIES), st.sampled_from([*CITIZENS, None]),
    st.sampled_from(["Old", "New"]), st.dates(D(2025, 1, 1), D(2026, 6, 1)),
    st.none() | st.integers(0, 400),
), max_size=25)


@settings(max_examples=60)
@given(cases_st, st.randoms())
def test_duplicates_are_found_one_municipality_at_a_time(cases: list[Case],
                                                         rnd: random.Random) -> None:
    """Grouped per municipality, interleaved in any order: as if run on each alone."""
    rnd.shuffle(cases)
    as_of = D(2026, 1, 1)
    found = find_duplicate_active_cases(cases, as_of=as_of)
    each = [f for where in MUNICIPALITIES
            for f in find_duplicate_active_cases(
                [c for c in cases if c.municipality.code == where], as_of=as_of)
            if f.code == "CM204"]
    assert [f for f in found if f.code == "CM204"] == list(sort_findings(each))


services_st = st.lists(st.builds(
    lambda i, where, citizen, code, system, start, days: Service(
        service_id=f"S{i % 9}", municipality=where, citizen=citizen, code=code,
        target_groups={"1.1"}, start=start, system=system,
        end=None if days is None else start + dt.timedelta(days=days)),
    st.integers(0, 10**6), st.sampled_from(MUNICIPALITIES), st.sampled_from(CITIZENS),
    st.sampled_from(["SEL85", "SEL107"]), st.sampled_from(["Old", "New"]),
    st.dates(D(2026, 4, 1), D(2026, 7, 1)), st.none() | st.integers(0, 60),
), max_size=25)


@settings(max_examples=60)
@given(services_st, st.booleans(), st.randoms())
def test_overlaps_are_found_one_municipality_at_a_time(services: list[Service],
                                                       within_system: bool,
                                                       rnd: random.Random) -> None:
    rnd.shuffle(services)
    cutover = D(2026, 6, 1)
    found = find_service_overlaps(services, cutover=cutover, within_system=within_system)
    each = [f for where in MUNICIPALITIES
            for f in find_service_overlaps(
                [s for s in services if s.municipality.code == where], cutover=cutover,
                within_system=within_system)]
    assert found == sort_findings(each)


def test_the_findings_of_a_service_share_its_period() -> None:
    """One period per service and sweep: equal to a fresh one, shown the same way."""
    def svc(sid: str, system: str, start: dt.date, end: dt.date | None) -> Service:
        return Service(service_id=sid, municipality=607, citizen=CITIZENS[0], code="SEL85",
                       target_groups={"1.1"}, start=start, end=end, system=system)

    long = svc("L", "Old", D(2020, 1, 1), D(2026, 5, 31))
    found = find_service_overlaps(
        [long, svc("A", "New", D(2021, 1, 1), None), svc("B", "New", D(2022, 1, 1), None)],
        cutover=D(2026, 6, 1), within_system=True)
    assert [(f.code, f.subjects) for f in found] == [
        ("CM301", ("A", "L")), ("CM301", ("B", "L")), ("CM302", ("A", "L")),
        ("CM302", ("B", "L")), ("CM314", ("A", "B"))]
    first, second = found[0].details["old_period"], found[1].details["old_period"]
    assert first is second and first == (D(2020, 1, 1), D(2026, 5, 31))
    assert str(first) == "2020-01-01..2026-05-31"
    assert found[4].details["earlier_period"] is found[0].details["new_period"]
    assert found[0].message == ("L (2020-01-01..2026-05-31) and A (2021-01-01..) are both "
                                "counted from 2021-01-01 to 2026-05-31")
