"""The views in a real headless browser: screenshots and measurements of the page.

These tests run Chromium (Debian's ``chromium`` package, or ``CASEMIGRATE_BROWSER``)
and are skipped when no browser is found. CI sets ``CASEMIGRATE_REQUIRE_BROWSER=1`` so
that a missing browser fails there instead of skipping. ``CASEMIGRATE_SCREENSHOTS`` names
a folder to keep the screenshots in.

The page wraps a view the way a notebook does, under a hostile stylesheet (Jupyter's
right-aligned table cells, a narrow output area), and a measuring script of the test's
own writes what it measures into the page, which ``--dump-dom`` returns. The views
themselves contain no script.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from _views import big_plan, big_report

from casemigrate import plan_timeline


def _browser() -> str | None:
    named = os.environ.get("CASEMIGRATE_BROWSER")
    if named:
        return shutil.which(named) or named
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


BROWSER = _browser()
REQUIRED = os.environ.get("CASEMIGRATE_REQUIRE_BROWSER") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(BROWSER is None and not REQUIRED,
                       reason="no Chromium found (install Debian's chromium package)"),
]

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1")

# What Jupyter's stylesheets do to tables, and more: right-aligned cells, a font.
HOSTILE = ("body{margin:0;padding:12px;font-family:serif;background:#fff;color:#111}"
           "table,td,th{text-align:right;border:none}"
           ".output{border:1px dashed #ccc;margin-bottom:24px}")

MEASURE = """
<script>
(() => {
  const rect = (el) => { const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const measure = (out) => {
  const svg = out.querySelector('svg');
  return {
    name: out.dataset.name,
    output: rect(out),
    overflowing: [...out.querySelectorAll('*')].filter(el => {
      const r = el.getBoundingClientRect(); const o = out.getBoundingClientRect();
      return r.width > 0 && (r.right > o.right + 1 || r.left < o.left - 1);
    }).map(el => el.tagName + '.' + (el.getAttribute('class') || '')),
    svg: svg ? rect(svg) : null,
    svgTexts: svg ? [...svg.querySelectorAll('text')].map(t => {
      const b = t.getBBox(); return {x: b.x, w: b.width, text: t.textContent}; }) : [],
    svgWidth: svg ? svg.viewBox.baseVal.width : 0,
    cells: [...out.querySelectorAll('td, th')].map(c => ({
      align: getComputedStyle(c).textAlign, text: c.textContent.slice(0, 40),
      right: c.getAttribute('style').includes('text-align:right')})),
    blocks: [...out.querySelectorAll('section.cm-block')].map(b => ({
      code: b.dataset.code, ...rect(b),
      open: b.querySelector('details').open,
      badge: rect(b.querySelector('.cm-badge')),
      badgeColour: getComputedStyle(b.querySelector('.cm-badge')).backgroundColor})),
    bars: [...out.querySelectorAll('rect.cm-bar')].map(rect),
    cutover: (() => { const l = out.querySelector('.cm-cutover line');
      return l ? rect(l) : null; })(),
    asOf: (() => { const l = out.querySelector('.cm-as-of line');
      return l ? rect(l) : null; })(),
    headline: (() => { const h = out.querySelector('.cm-headline');
      return h ? rect(h) : null; })(),
  }; };
  const m = {
    docScroll: document.documentElement.scrollWidth,
    docClient: document.documentElement.clientWidth,
    pageHeight: document.documentElement.scrollHeight,
    outputs: Object.fromEntries([...document.querySelectorAll('.output')].map(
      out => [out.dataset.name, measure(out)])),
  };
  const pre = document.createElement('pre');
  pre.id = 'metrics';
  pre.textContent = JSON.stringify(m);
  document.body.appendChild(pre);
})();
</script>
"""


def _page(views: list[tuple[str, str, int]]) -> str:
    outputs = "".join(f'<div class="output" data-name="{name}" style="width:{width}px">{view}'
                      "</div>" for name, view, width in views)
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{HOSTILE}</style>'
            f"</head><body>{outputs}{MEASURE}</body></html>")


def _run(args: list[str], profile: str) -> str:
    assert BROWSER is not None, "CASEMIGRATE_REQUIRE_BROWSER=1 but no Chromium was found"
    done = subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def render(views: list[tuple[str, str, int]], *, height: int) -> dict[str, Any]:
    """Load the views in one page, once: measure each, and screenshot the page."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp, "views.html")
        page.write_text(_page(views), encoding="utf-8")
        shot = Path(tmp, "views.png")
        dom = _run([f"--window-size=1024,{height}", f"--screenshot={shot}", "--dump-dom",
                    page.as_uri()], str(Path(tmp, "profile")))
        found = re.search(r'<pre id="metrics">(.*?)</pre>', dom, re.S)
        assert found, dom[-500:]
        metrics: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"')
                                             .replace("&lt;", "<").replace("&gt;", ">")
                                             .replace("&amp;", "&"))
        assert _png_size(shot) == (1024, height)
        assert shot.stat().st_size > 50_000  # a drawn page, not a blank one
        keep = os.environ.get("CASEMIGRATE_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, Path(keep, shot.name))
    return metrics


@pytest.fixture(scope="module")
def page() -> dict[str, Any]:
    """A large report, the timeline alone, and the timeline in a narrow output."""
    timeline = plan_timeline(big_plan())
    as_of = dt.date(2026, 6, 17)
    return render([("report", big_report()._repr_html_(), 960),
                   ("timeline", timeline.to_html(as_of=as_of), 960),
                   ("narrow", timeline.to_svg(as_of=as_of, language="da"), 420)],
                  height=2600)


def _no_overflow(m: dict[str, Any]) -> None:
    assert m["overflowing"] == []


def _cells_aligned(m: dict[str, Any]) -> None:
    assert m["cells"]
    for cell in m["cells"]:
        assert cell["align"] == ("right" if cell["right"] else "left"), cell


def test_the_page_fits_and_shows_everything(page: dict[str, Any]) -> None:
    assert page["docScroll"] <= page["docClient"], "the page scrolls sideways"
    assert page["pageHeight"] < 2600  # so the screenshot shows all of it


def test_a_large_report_in_the_browser(page: dict[str, Any]) -> None:
    m = page["outputs"]["report"]
    _no_overflow(m)
    _cells_aligned(m)
    assert m["output"]["w"] == 962  # 960 and the dashed border
    assert [b["code"] for b in m["blocks"]] == ["CM204", "CM206", "CM106", "CM001"]
    for block in m["blocks"]:
        assert not block["open"]
        assert 40 < block["h"] < 200, block  # collapsed: a few lines, not 18,000 rows
        assert block["badge"]["w"] > 30 and block["badge"]["h"] > 10
    colours = {b["code"]: b["badgeColour"] for b in m["blocks"]}
    assert colours["CM206"] == "rgb(254, 226, 226)"
    assert colours["CM106"] != colours["CM206"] != colours["CM001"]
    # The whole 18,148-finding report fits on about two screens.
    assert m["output"]["h"] < 1600
    assert m["headline"]["h"] > 40
    assert m["svg"]["w"] > 600 and m["svg"]["h"] > 200


def test_the_timeline_in_the_browser(page: dict[str, Any]) -> None:
    m = page["outputs"]["timeline"]
    _no_overflow(m)
    _cells_aligned(m)
    svg = m["svg"]
    assert svg["w"] == 760
    assert len(m["bars"]) == 6
    # Every label stays inside the drawing.
    for text in m["svgTexts"]:
        assert text["x"] >= 0 and text["x"] + text["w"] <= m["svgWidth"] + 0.5, text
    # The re-report window starts at the cutover line; as_of is to its right.
    cut = m["cutover"]["x"] + m["cutover"]["w"] / 2
    assert abs(m["bars"][5]["x"] - cut) < 2
    assert m["asOf"]["x"] > cut


def test_the_timeline_shrinks_to_a_narrow_output(page: dict[str, Any]) -> None:
    m = page["outputs"]["narrow"]
    _no_overflow(m)
    assert m["svg"]["w"] <= 420
    assert m["svg"]["h"] < 300
