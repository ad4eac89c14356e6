"""A real browser for the report's tests: Debian's chromium and a Korean font, found or installed the way
.ci/browser_check.py does (CI runs as root), driven headless from the command line."""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import logging
import re
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

_CHECK = Path(__file__).resolve().parents[1] / ".ci" / "browser_check.py"

# Appended to a copy of the page (the report itself has no script): the box of every text of every
# timeline, as the browser laid it out, written into the page for --dump-dom to carry out.
MEASURE = """<script>
const timelines = [...document.querySelectorAll("svg.timeline")].map((svg) => {
  const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  return {
    section: svg.closest("section")?.id ?? "",
    box: box(svg.getBoundingClientRect()),
    labels: [...svg.querySelectorAll("text")].map(
      (t) => ({text: t.textContent, ...box(t.getBoundingClientRect())})
    ),
  };
});
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify(timelines);
document.body.append(out);
</script>"""


def _browser_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("browser_check", _CHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def chromium() -> str:
    found: str = _browser_check().browser()
    return found


def _run(page: Path, profile: Path, *flags: str) -> str:
    result = subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={profile}", *flags, page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def printed_pages(page: Path, folder: Path) -> list[str]:
    """The text of each A4 sheet Chromium prints of ``page`` (no header or footer), whitespace removed."""
    pdf = folder / f"{page.stem}.pdf"
    _run(page, folder / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # CJK fonts without a FontBBox: noise only
    return [
        re.sub(r"\s+", "", "".join(item.get_text() for item in sheet if isinstance(item, LTTextContainer)))
        for sheet in extract_pages(pdf)
    ]


def timeline_labels(page: Path, folder: Path, width: int) -> list[dict[str, Any]]:
    """Per timeline: its section id, its box and the box of each of its texts, in a window ``width`` wide."""
    measured = folder / f"{page.stem}-measured.html"
    measured.write_text(page.read_text("utf-8").replace("</body>", MEASURE + "</body>"), "utf-8")
    dom = _run(measured, folder / "profile", f"--window-size={width},2000", "--dump-dom")
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    timelines: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return timelines
