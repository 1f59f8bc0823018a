"""The public portfolio site as a reader's browser shows it: headless Chromium lays out the
overview and a Leitlinie's page of a realistic portfolio on a phone (320 px) and a desktop
(1280 px) and looks at the DOM and the computed styles: nothing wider than the screen, one
``h1``, no skipped heading level, no information by colour alone, contrast of at least 4.5:1
for every text."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from board_bot.features.publishing.site import render
from tests.browser import evaluate, measure, screenshot
from tests.unit.test_publishing_site import realistic_portfolio

PAGES = ("index.html", "leitlinie-2.html", "leitlinie-3.html")
WIDTHS = (320, 1280)

#: Runs in the page: what a reader (and an accessibility check) would notice.
CHECKS = r"""
const parse = (text) => {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return null;
  const parts = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
};
const over = (top, below) => ({
  r: top.r * top.a + below.r * (1 - top.a),
  g: top.g * top.a + below.g * (1 - top.a),
  b: top.b * top.a + below.b * (1 - top.a),
  a: 1,
});
// The colour behind an element: its own and its ancestors' backgrounds, over white.
const background = (el) => {
  const layers = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg && bg.a > 0) layers.push(bg);
    if (bg && bg.a === 1) break;
  }
  let colour = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const luminance = (c) => {
  const channel = (v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
};
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const texts = [];
let lowest = 100;
for (const el of document.body.querySelectorAll("*")) {
  if (el.tagName === "SCRIPT" || el.closest("pre#measured")) continue;
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(el);
  if (style.visibility === "hidden" || style.display === "none") continue;
  const bg = background(el);
  const fg = over(parse(style.color), bg);
  const ratio = contrast(fg, bg);
  lowest = Math.min(lowest, ratio);
  if (ratio < 4.5) {
    texts.push(el.tagName + "." + el.className + " " + style.color + " on " +
      JSON.stringify(bg) + " = " + ratio.toFixed(2) + ": " + el.textContent.trim().slice(0, 40));
  }
}
const words = {green: "grün", yellow: "gelb", red: "rot"};
const lights = [...document.querySelectorAll("[class*='light-']")]
  .filter((el) => el.classList.contains("light"));
const width = document.documentElement.clientWidth;
const wide = [...document.body.querySelectorAll("*")]
  .filter((el) => !el.closest("pre#measured"))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, r]) => r.right > width + 0.5 || r.left < -0.5)
  .map(([el, r]) => el.tagName + "." + el.className + " " + Math.round(r.right));
return {
  lang: document.documentElement.getAttribute("lang"),
  h1: document.querySelectorAll("h1").length,
  headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => +h.tagName[1]),
  images_without_alt: [...document.querySelectorAll("img")]
    .filter((i) => !i.hasAttribute("alt")).length,
  svgs_not_hidden: [...document.querySelectorAll("svg")]
    .filter((s) => s.getAttribute("aria-hidden") !== "true").length,
  lights: lights.map((el) => {
    const code = [...el.classList].find((c) => c.startsWith("light-")).slice(6);
    return {code: code, word: words[code], text: el.textContent.replace(/\s+/g, " ").trim(),
            shape: !!el.querySelector("svg circle, svg polygon, svg rect")};
  }),
  low_contrast: texts,
  lowest_contrast: lowest,
  scripts: document.querySelectorAll("script").length,
  skip_link: (document.querySelector("a[href='#inhalt']") || {}).textContent || null,
  skip_target: !!document.getElementById("inhalt"),
  nav_links: [...document.querySelectorAll("nav a")].map((a) => a.getAttribute("href")),
  current: (document.querySelector("nav a[aria-current='page']") || {}).textContent || null,
  progress_texts: [...document.querySelectorAll(".progress-text")].map((e) => e.textContent),
  too_wide: wide.slice(0, 10),
  scroll_width: document.documentElement.scrollWidth,
  width: width,
};
"""


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return render(realistic_portfolio())


@pytest.fixture(scope="module")
def found(files: dict[str, bytes]) -> dict[tuple[str, int], Any]:
    """The checks of every page at every width (Chromium runs once per page and width)."""
    return {
        (page, width): evaluate(files[page].decode(), CHECKS, width, 2000, files=files)
        for page in PAGES
        for width in WIDTHS
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_nothing_is_wider_than_the_screen(files: dict[str, bytes], page: str, width: int) -> None:
    measured = measure(files[page].decode(), width, 2000, files=files)
    assert measured["too_wide"] == [], measured
    assert measured["scroll_width"] <= measured["width"], measured
    assert measured["smallest_font_px"] >= 12


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_the_page_is_accessible(found: dict[tuple[str, int], Any], page: str, width: int) -> None:
    result = found[page, width]
    assert "error" not in result, result
    assert result["lang"] == "de"
    assert result["h1"] == 1
    levels = result["headings"]
    assert levels[0] == 1
    for before, after in pairwise(levels):
        assert after <= before + 1, levels
    assert result["images_without_alt"] == 0
    assert result["svgs_not_hidden"] == 0
    assert result["scripts"] == 1  # the one this test put in to look
    assert result["skip_link"] == "Zum Inhalt springen" and result["skip_target"]
    assert "index.html" in result["nav_links"]
    assert {f"leitlinie-{n}.html" for n in range(1, 5)} <= set(result["nav_links"])
    assert result["current"]
    assert result["too_wide"] == [], result["too_wide"]
    assert result["scroll_width"] <= result["width"]


@pytest.mark.parametrize("page", PAGES)
def test_no_information_by_colour_alone(found: dict[tuple[str, int], Any], page: str) -> None:
    result = found[page, 320]
    assert result["lights"], "no traffic light on the page"
    for light in result["lights"]:
        assert light["word"] in light["text"], light
        assert light["shape"], light
    # Progress is a number in words, the bar only repeats it.
    assert result["progress_texts"]
    assert all(
        t.startswith("Fortschritt: ") and t.endswith("\xa0%") for t in result["progress_texts"]
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_every_text_has_enough_contrast(
    found: dict[tuple[str, int], Any], page: str, width: int
) -> None:
    result = found[page, width]
    assert result["low_contrast"] == []
    assert result["lowest_contrast"] >= 4.5


def test_screenshots(files: dict[str, bytes]) -> None:
    """Pictures to look at (``/tmp/publish-*.png``): a phone and a desktop."""
    for page in ("index.html", "leitlinie-3.html"):
        for width in (390, 1280):
            out = Path(f"/tmp/publish-{page.removesuffix('.html')}-{width}.png")
            out.unlink(missing_ok=True)
            screenshot(files[page].decode(), out, width, 2000, files=files)
            assert out.stat().st_size > 10_000
