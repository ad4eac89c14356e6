"""``obligations extract --ocr`` on a scanned PDF: a page image of a fixture agreement (Korean text drawn
with Pillow and a Noto CJK font), wrapped in a PDF by reportlab, with no text layer.

OCR is not exact, so the draft is checked on what a reader of the scan must find — the parties, the signing
date, the term — and on every value being marked for review. The test needs the ``tesseract`` program, its
Korean model and a CJK font (Debian: tesseract-ocr, tesseract-ocr-kor, fonts-noto-cjk), which .ci/run
installs; elsewhere it is skipped when they are missing, but never in CI.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from extract_support import FIXTURES
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from test_extract_documents import pdf

from obligations.commands.extract import extract

AGREEMENT = "seongdong-gap-eul-paren-items.txt"
DPI = 300
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-kor"


def _cjk_font() -> str | None:
    found = (
        shutil.which("fc-match")
        and subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK KR:lang=ko"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    )
    return found if found and "CJK" in found else None


def _tesseract_has_korean() -> bool:
    program = shutil.which("tesseract")
    if program is None:
        return False
    listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, check=False)
    return "kor" in listed.stdout.split()


FONT = _cjk_font()
if not (FONT and _tesseract_has_korean()):
    if os.environ.get("CI"):
        raise RuntimeError(f"CI must install what the OCR test needs: {INSTALL} fonts-noto-cjk")
    pytestmark = pytest.mark.skip(reason=f"needs {INSTALL} fonts-noto-cjk")


def scanned_pdf(lines: list[str]) -> bytes:
    """One page: the lines drawn as an image at 300 dpi, 14-point text, as a scanner would give them."""
    assert FONT is not None
    font = ImageFont.truetype(FONT, 40, index=1)  # index 1 of the collection: the Korean (KR) faces
    width = int(max(font.getlength(line) for line in lines)) + 300
    height = 60 * len(lines) + 300
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((150, 150 + 60 * number), line, font=font, fill=0)
    png = io.BytesIO()
    image.save(png, "PNG")
    out = io.BytesIO()
    size = (width * 72 / DPI, height * 72 / DPI)
    page = canvas.Canvas(out, pagesize=size)
    page.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, *size)
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "협약서-스캔.pdf"
    path.write_bytes(scanned_pdf((FIXTURES / AGREEMENT).read_text(encoding="utf-8").splitlines()))
    return path


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(extract, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def test_a_scan_is_refused_without_ocr_saying_so(scan: Path) -> None:
    assert _run(scan) == (
        2,
        "",
        f"obligations extract: {scan}: the PDF has no text layer (a scan?); "
        "ask for the HWPX, or read it by OCR with --ocr (Tesseract's Korean model)\n",
    )


def test_ocr_reads_the_scan_and_marks_every_value_for_review(scan: Path) -> None:
    code, draft, err = _run(scan, "--ocr")
    assert code == 0, err
    assert f"{scan}: read by OCR from 1 scanned page(s): every value is marked '# OCR: review'" in err
    lines = draft.splitlines()
    assert lines[1].startswith("# The text was read by OCR from a scanned PDF")
    # What a reader of the scan must find, read through OCR noise:
    assert re.search(r'^    name: "서울특별시 성동구"', draft, re.MULTILINE)
    assert re.search(r'^    name: "\(재\)성동문화재단"', draft, re.MULTILINE)
    assert re.search(r"^signed: 2025-06-27 ", draft, re.MULTILINE)
    assert re.search(r"^  end: 2025-12-31 ", draft, re.MULTILINE)
    values = [line for line in lines if re.match(r"^\s*(- )?[a-z_]+: \S", line)]
    assert len(values) >= 8
    unmarked = [line for line in values if not line.endswith("  # OCR: review")]
    assert unmarked == ["kind: agreement", "events: []"]


def test_text_shows_what_ocr_read(scan: Path) -> None:
    code, out, _ = _run(scan, "--ocr", "--text")
    assert code == 0
    assert "2025. 6. 27." in out
    assert "제3조(협약기간) 이 협약의 기간은 협약 체결일부터 2025년 12월 31일까지로 한다." in out


def test_a_pdf_with_a_text_layer_is_read_from_it_even_with_ocr(tmp_path: Path) -> None:
    path = tmp_path / "mou.pdf"
    path.write_bytes(pdf((FIXTURES / AGREEMENT).read_text(encoding="utf-8").splitlines()))
    code, draft, err = _run(path, "--ocr")
    assert code == 0
    assert "OCR" not in draft + err


def test_without_tesseract_ocr_names_the_packages(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _run(scan, "--ocr") == (
        2,
        "",
        "obligations extract: --ocr needs the tesseract program and its Korean model, "
        f"which are not installed; on Debian or Ubuntu: {INSTALL}\n",
    )


def test_without_the_korean_model_ocr_names_its_package(
    scan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A machine with tesseract-ocr but not tesseract-ocr-kor: its tesseract lists English only.
    program = tmp_path / "tesseract"
    program.write_text(
        '#!/bin/sh\necho "List of available languages in /usr/share/tessdata/ (2):"\necho eng\necho osd\n'
    )
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert _run(scan, "--ocr") == (
        2,
        "",
        "obligations extract: --ocr needs Tesseract's Korean model (kor), which is not installed; "
        "on Debian or Ubuntu: apt-get install tesseract-ocr-kor\n",
    )
