"""Helpers for the tests of the views: a small DOM from html.parser, and a large report."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from html.parser import HTMLParser

from casemigrate import CutoverPlan, Finding, Report, plan_timeline, sort_findings
from casemigrate._text import Term
from casemigrate.findings import CHECK_NOT_APPLICABLE
from casemigrate.overlap import BLOCKING_ACTIVE_CASE, DUPLICATE_ACTIVE_CASES
from casemigrate.plan import MILESTONE_OVERDUE

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source"}
SVG_VOID = {"line", "rect", "circle", "path", "stop"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node] = []
        self.texts: list[str] = []
        self._order: list[Node | str] = []

    def __getitem__(self, name: str) -> str:
        value = self.attrs[name]
        assert value is not None
        return value

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """All text below this node, in document order."""
        return "".join(self._text())

    def _text(self) -> Iterator[str]:
        # Texts and children interleave; keep both in order via the recorded sequence.
        for item in self._order:
            if isinstance(item, Node):
                yield from item._text()
            else:
                yield item

    def iter(self) -> Iterator[Node]:
        for child in self.children:
            yield child
            yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None,
                 **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if cls is not None and cls not in node.classes:
                continue
            if any(node.attrs.get(key.replace("_", "-")) != value
                   for key, value in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no {tag} .{cls} {attrs}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.current._order.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        self.current._order.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"stray </{tag}>"
        assert node is self.current, f"</{tag}> closes <{self.current.tag}> too"
        self.current = node.parent or self.root

    def handle_data(self, data: str) -> None:
        self.current.texts.append(data)
        self.current._order.append(data)



def parse(markup: str) -> Node:
    """Parse ``markup``; every element must be closed where it was opened."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> left open"
    return builder.root


C = dt.date(2026, 6, 1)


def big_plan() -> CutoverPlan:
    return CutoverPlan(municipality=607, register="smdb", old_system="KMD <Sag>",
                       new_system="Nyt & bedre", cutover=C, dst_notified=dt.date(2026, 1, 5),
                       cutover_chosen=dt.date(2026, 3, 2),
                       done={"review_open_courses": dt.date(2026, 4, 28)})


@functools.cache
def big_report(language: str = "en", *, errors: int = 18_000) -> Report:
    """A report like a 55,000-case municipality's: thousands of errors, one warning."""
    findings: list[Finding] = []
    for i in range(errors):
        findings.append(Finding.of(BLOCKING_ACTIVE_CASE, (f"OLD-{i:05d}",), case=f"OLD-{i:05d}",
                                   system="KMD <Sag>", deadline="2026-05-22"))
    for i in range(148):
        findings.append(Finding.of(DUPLICATE_ACTIVE_CASES, (f"OLD-{i:05d}", f"NEW-{i:05d}"),
                                   count=2, day="2026-06-03", citizen="211062-****"))
    findings.append(Finding.of(MILESTONE_OVERDUE, ("rereport_active_courses",),
                               title=Term("Re-report the deleted courses from the new system",
                                          da="Genindberet de slettede forløb fra det nye system"),
                               latest="2026-06-15", as_of="2026-06-17"))
    findings.append(Finding.of(CHECK_NOT_APPLICABLE, ("find_reporting_overlap",),
                               check="find_reporting_overlap",
                               reason=Term("no deliveries were given",
                                           da="der er ikke givet nogen leverancer")))
    plan = big_plan()
    return Report(plan=plan, as_of=dt.date(2026, 6, 17), language=language,
                  timeline=plan_timeline(plan), findings=sort_findings(findings),
                  checks=("check_plan",),
                  merge={"services_in": 1200, "kept": 1000, "excluded": 200,
                         "excluded_by_reason": {"ACTIVE_IN_OLD_SYSTEM": 150,
                                                "NOT_LATEST_DELIVERY": 50,
                                                "TEST_DELIVERY": 0},
                         "deliveries_used": ["old", "new"], "findings_by_code": {}})
