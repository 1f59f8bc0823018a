"""Look at a page as a person does: headless Chromium (Debian's ``chromium``) lays it out at a
given width and a script in the page measures what a reader would notice: how many lines of text
an element takes, whether anything is wider than the screen, the smallest text.

``scripts/test`` installs Chromium where it can; without it these tests skip, unless
``BOARD_BOT_REQUIRE_CHROMIUM=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

REQUIRE_CHROMIUM = os.environ.get("BOARD_BOT_REQUIRE_CHROMIUM") == "1"

#: Runs in the page once it is laid out; writes what it measured into ``#measured``.
_MEASURE = """
<script>
window.addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const lines = (root) => {
    const tops = new Set();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top));
      }
    }
    // Text of one line sits at the same top; a few pixels apart is still one line (emoji).
    const sorted = [...tops].sort((a, b) => a - b);
    return sorted.filter((top, i) => i === 0 || top - sorted[i - 1] > 6).length;
  };
  const wide = [];
  let smallest = 1000;
  for (const el of document.body.querySelectorAll("*")) {
    if (el.tagName === "SCRIPT") continue;
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 0.5 || rect.left < -0.5) wide.push(el.tagName + " " + rect.right);
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (own && rect.width > 0) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    }
  }
  const target = document.querySelector("[data-measure]") || document.body;
  const result = {
    width: width,
    scroll_width: document.documentElement.scrollWidth,
    too_wide: wide.slice(0, 10),
    smallest_font_px: smallest,
    lines: lines(target),
  };
  parent.postMessage(JSON.stringify(result), "*");
});
</script>
"""

#: Headless Chromium lays a window out no narrower than 500 px: the page is measured in a
#: frame of the width asked for, which tells the outer page what it found.
_FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="page.html" width="{width}" height="{height}" style="border:0;display:block"></iframe>
<script>
window.addEventListener("message", (event) => {{
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = event.data;
  document.body.appendChild(out);
}});
</script></body></html>
"""


def chromium() -> str:
    """The Chromium binary, or skip (fail in CI) without it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if REQUIRE_CHROMIUM:
            pytest.fail("chromium is not installed (scripts/test installs it with apt-get)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _run(
    args: list[str],
    page: str,
    frame: str | None = None,
    files: dict[str, bytes] | None = None,
) -> str:
    """Chromium on ``page`` (saved as ``page.html``, with ``files`` beside it: its stylesheet,
    say), or on ``frame`` that shows it."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in (files or {}).items():
            (Path(tmp) / name).write_bytes(data)
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        if frame is not None:
            path = Path(tmp) / "frame.html"
            path.write_text(frame, encoding="utf-8")
        done = subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={tmp}/profile",
                *args,
                path.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return done.stdout


def _in_frame(
    page: str, script: str, width: int, height: int, files: dict[str, bytes] | None
) -> Any:
    """What ``script`` (a ``<script>`` that posts one JSON text to its parent once the page is
    laid out) found in ``page``, laid out at ``width`` CSS pixels."""
    page = page.replace("</body>", script + "</body>") if "</body>" in page else page + script
    dom = _run(
        [
            f"--window-size={max(width, 500) + 20},{height}",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
        page,
        _FRAME.format(width=width, height=height),
        files,
    )
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL)
    assert found is not None, f"the page was not measured: {dom[-500:]!r}"
    return json.loads(html.unescape(found.group(1)))


def measure(
    page: str, width: int, height: int = 900, *, files: dict[str, bytes] | None = None
) -> dict[str, Any]:
    """Lay out ``page`` (a whole HTML document) at ``width`` CSS pixels and measure it: the
    lines of its ``[data-measure]`` element (or its body), whether anything is wider than the
    screen, the smallest font size of any text. ``files`` are put beside the page (by
    relative name), for the stylesheet it links."""
    result: dict[str, Any] = _in_frame(page, _MEASURE, width, height, files)
    return result


def evaluate(
    page: str,
    body: str,
    width: int,
    height: int = 900,
    *,
    files: dict[str, bytes] | None = None,
) -> Any:
    """Lay out ``page`` at ``width`` CSS pixels and run ``body`` (the body of a JavaScript
    function) in it once it is loaded: what it returns, through JSON (``{"error": ...}`` when
    it threw). The page's own DOM and computed styles, as a reader's browser has them."""
    script = (
        "<script>\n"
        'window.addEventListener("load", () => {\n'
        "  let result;\n"
        "  try { result = (() => {\n" + body + "\n})(); }\n"
        "  catch (e) { result = {error: String(e)}; }\n"
        '  parent.postMessage(JSON.stringify(result === undefined ? null : result), "*");\n'
        "});\n"
        "</script>\n"
    )
    return _in_frame(page, script, width, height, files)


def screenshot(
    page: str, out: Path, width: int, height: int, *, files: dict[str, bytes] | None = None
) -> Path:
    """A PNG of ``page`` at ``width`` × ``height`` CSS pixels (``files`` beside it)."""
    _run([f"--window-size={width},{height}", f"--screenshot={out}"], page, files=files)
    assert out.exists(), "chromium wrote no screenshot"
    return out


def chat_page(formatted_body: str) -> str:
    """A message's HTML as a chat client on a phone shows it: the app's sans-serif at 15 px,
    16 px margins, the client's own styles for lists and folded sections."""
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{margin:0;padding:12px 16px;font:15px/1.4 sans-serif}"
        "ul{padding-left:1.4em}</style></head><body>"
        f"{formatted_body}</body></html>"
    )
