"""``obligations extract`` on HWPX, DOCX and PDF files, built in the test session from fixture texts
(legacy .hwp: test_extract_hwp.py; scanned PDFs: test_extract_ocr.py).

HWPX and DOCX keep one paragraph per line and one table row per `` | `` line, so their drafts equal the
text's draft but for the file name; a PDF loses blank lines, so its draft is compared on its facts, and its
running headers, footers and page numbers must not reach any field.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
import yaml
from click.testing import CliRunner
from extract_support import ANALYST, FIXTURES, draft_facts, draft_of, fill_todos
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from obligations.commands.extract import extract
from obligations.extract import UnreadableText, documents, draft_case_file
from obligations.extract.documents import strip_page_furniture

HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"
# An Adobe-Korea1 CID font every PDF reader knows: nothing to embed, no font file on the machine.
KOREAN_FONT = "HYSMyeongJo-Medium"
AS_FILES = [
    "seongdong-gap-eul-paren-items.txt",
    "five-parties-table-roles.txt",
    "gangseo-prose-roles-capped.txt",
    "youth-shelter-self-reliance-mou.txt",
]


def lines_of(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def blocks(lines: list[str]) -> list[str | list[list[str]]]:
    """Lines, with each run of `` | `` lines made a table (a list of rows of cells)."""
    out: list[str | list[list[str]]] = []
    for is_row, run in itertools.groupby(lines, key=lambda line: " | " in line):
        if is_row:
            out.append([[cell.strip() for cell in line.split("|")] for line in run])
        else:
            out.extend(run)
    return out


def hwpx(lines: list[str]) -> bytes:
    """A minimal HWPX: a zip with ``mimetype`` and ``Contents/section0.xml`` (hp:p / hp:run / hp:t)."""

    def paragraph(inner: str) -> str:
        return f"<hp:p><hp:run>{inner}</hp:run></hp:p>"

    def text(line: str) -> str:
        return paragraph(f"<hp:t>{escape(line)}</hp:t>" if line else "")

    body = []
    for block in blocks(lines):
        if isinstance(block, str):
            body.append(text(block))
            continue
        rows = "".join(
            "<hp:tr>"
            + "".join(f"<hp:tc><hp:subList>{text(cell)}</hp:subList></hp:tc>" for cell in row)
            + "</hp:tr>"
            for row in block
        )
        body.append(paragraph(f"<hp:tbl>{rows}</hp:tbl>"))
    section = f'<?xml version="1.0" encoding="UTF-8"?><hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">'
    section += "".join(body) + "</hs:sec>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/hwp+zip")
        archive.writestr("Contents/section0.xml", section)
    return out.getvalue()


def docx_file(lines: list[str]) -> bytes:
    document = docx.Document()
    for block in blocks(lines):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        for row, cells in zip(table.rows, block, strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(lines: list[str], per_page: int = 12) -> bytes:
    """A PDF of the lines, ``per_page`` to a page, each page with a running header, footer and number."""
    if KOREAN_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(KOREAN_FONT))
    out = io.BytesIO()
    page_size = (842, 595)  # A4 landscape: the longest fixture line fits at 7 points
    sheet = canvas.Canvas(out, pagesize=page_size)
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    for number, page in enumerate(pages, 1):
        sheet.setFont(KOREAN_FONT, 7)
        sheet.drawString(40, 560, "마을 평생학습 활성화 업무협약서 (안)")
        y = 520
        for line in page:
            if line.strip():
                sheet.drawString(40, y, line)
            y -= 30
        sheet.drawString(40, 40, "서울특별시 성동구 평생교육과")
        sheet.drawString(400, 25, f"- {number} -")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def without_source_line(draft: str) -> str:
    return draft.split("\n", 1)[1]


@pytest.mark.parametrize("name", AS_FILES)
@pytest.mark.parametrize(("kind", "build"), [("HWPX", hwpx), ("DOCX", docx_file)])
def test_hwpx_and_docx_give_the_texts_draft_line_for_line(name: str, kind: str, build: object) -> None:
    assert callable(build)
    drafted = draft_case_file(build(lines_of(name)), f"mou.{kind.lower()}")
    assert drafted.document.kind == kind
    assert without_source_line(drafted.text) == without_source_line(draft_of(name))


@pytest.mark.parametrize("name", AS_FILES)
def test_pdf_gives_the_texts_facts_and_no_header_footer_or_page_number(name: str) -> None:
    drafted = draft_case_file(pdf(lines_of(name)), "mou.pdf")
    assert drafted.document.kind == "PDF"
    assert drafted.document.notes[0].startswith("dropped ")
    for furniture in ("업무협약서 (안)", "평생교육과", "- 1 -", "- 2 -"):
        assert furniture not in drafted.document.text
    facts = draft_facts(yaml.safe_load(fill_todos(drafted.text, {**ANALYST, "due": "end"})))
    expected = draft_facts(yaml.safe_load(fill_todos(draft_of(name), {**ANALYST, "due": "end"})))
    assert facts == expected


def test_cli_reads_a_pdf_and_says_what_it_dropped(tmp_path: Path) -> None:
    path = tmp_path / "seongdong.pdf"
    path.write_bytes(pdf(lines_of("seongdong-gap-eul-paren-items.txt")))
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 0, result.output
    assert "\nsigned: 2025-06-27  # L" in result.stdout
    assert f"{path}: dropped 6 page header, footer and page-number line(s)\n" in result.stderr
    assert "  end: 2025-12-31  # L" in result.stdout


def test_cli_text_option_prints_the_numbered_lines_the_draft_cites(tmp_path: Path) -> None:
    path = tmp_path / "gangseo.hwpx"
    path.write_bytes(hwpx(lines_of("gangseo-prose-roles-capped.txt")))
    result = CliRunner().invoke(extract, [str(path), "--text"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[14] == "  15  ’25. 8. 14.(목)"
    assert "draft written" not in result.stderr


def test_signatories_under_the_date_do_not_leak_into_fields() -> None:
    draft = draft_of("seongdong-gap-eul-paren-items.txt")
    data = yaml.safe_load(draft)
    assert data["signed"].isoformat() == "2025-06-27"
    assert "구청장" not in yaml.safe_dump(data, allow_unicode=True)
    assert [party["name"] for party in data["parties"].values()] == ["서울특별시 성동구", "(재)성동문화재단"]


# ---------------------------------------------------------------------------------------------------------
# Files refused, each with one sentence and exit 2.


def _refused(raw: bytes, tmp_path: Path, name: str = "mou.bin") -> str:
    path = tmp_path / name
    path.write_bytes(raw)
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    return result.stderr.removeprefix(f"obligations extract: {path}: ").rstrip("\n")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "MAX_UNPACKED_BYTES", 1 << 20)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Contents/section0.xml", b"<a/>" + bytes(2 << 20))
    assert _refused(out.getvalue(), tmp_path).startswith("unpacks to 2 MB, more than 1 MB;")


def test_hwpx_with_a_doctype_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Contents/section0.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    assert _refused(out.getvalue(), tmp_path) == (
        "Contents/section0.xml declares a DOCTYPE, which HWPX never does; refused"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"PK\x03\x04 not really a zip", "a damaged zip archive (HWPX/DOCX): "),
        (b"%PDF-1.4\n%%EOF\n", "cannot read the PDF: "),
    ],
    ids=["damaged-zip", "damaged-pdf"],
)
def test_damaged_files_are_refused(raw: bytes, message: str, tmp_path: Path) -> None:
    assert _refused(raw, tmp_path).startswith(message)


def test_a_zip_that_is_neither_hwpx_nor_docx_is_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _refused(out.getvalue(), tmp_path) == (
        "a zip archive, but neither HWPX (Contents/section0.xml) nor DOCX"
    )


def test_a_pdf_without_text_is_a_scan(tmp_path: Path) -> None:
    out = io.BytesIO()
    blank = canvas.Canvas(out)
    blank.rect(100, 100, 200, 200)  # a drawing, as a scanned page is an image: no text
    blank.showPage()
    blank.save()
    assert _refused(out.getvalue(), tmp_path).startswith("the PDF has no text layer (a scan?)")


def test_a_docx_without_its_document_part_is_refused() -> None:
    with pytest.raises(UnreadableText, match="neither HWPX"):
        documents.read_document(docx_file(["a"]).replace(b"word/document.xml", b"word/documenx.xml"), "x")


# ---------------------------------------------------------------------------------------------------------
# Page furniture, as a table.


@pytest.mark.parametrize(
    ("pages", "kept"),
    [
        ([["제1조(목적) …", "- 1 -"], ["제2조(역할) …", "2 / 10"]], ["제1조(목적) …", "제2조(역할) …"]),
        ([["(3)", "제1조"], ["3쪽", "제2조"]], ["제1조", "제2조"]),
        (  # a title that repeats the running header stays once on the first page
            [["업무협약서", "업무협약서", "제1조"], ["업무협약서", "제2조"], ["업무협약서", "제3조"]],
            ["업무협약서", "제1조", "제2조", "제3조"],
        ),
        (  # a line on one page only is content, even at its edge
            [["서울특별시 성동구", "제1조"], ["제2조"]],
            ["서울특별시 성동구", "제1조", "제2조"],
        ),
        (  # "1." and "가." at the start of a page are items, not page numbers
            [["1. 공간 제공"], ["가. 강사 지원"]],
            ["1. 공간 제공", "가. 강사 지원"],
        ),
    ],
    ids=["page-numbers", "page-number-styles", "title-kept-once", "single-page-line", "items"],
)
def test_strip_page_furniture(pages: list[list[str]], kept: list[str]) -> None:
    assert strip_page_furniture(pages)[0] == kept
