"""The text of an agreement file, whatever it was saved as: HWP, HWPX, DOCX, PDF or plain text.

The kind is told by the file's first bytes, not by its name, so that standard input and misnamed files read
the same. Each reader gives lines the extractor numbers and cites (``# L12: …``):

- HWPX (Hancom's zip of XML, ``Contents/section0.xml`` …): each paragraph ``hp:p`` is a line, its text the
  ``hp:t`` runs; each row of a table is a line, its cells joined by `` | ``.
- DOCX (python-docx): paragraphs and table rows in document order, the same way; page headers and footers
  are parts of their own and are not read.
- PDF (pdfminer.six): the text lines of each page; page numbers standing alone (``- 3 -``, ``3 / 10``) and
  lines repeated at the top or bottom of most pages (running headers and footers) are dropped, so that they
  never reach a field.
- Text: UTF-8, or CP949 (the Korean Windows code page HWP exports often use), which is said in a note.
- HWP 5.0 (한글's binary ``.hwp``, an OLE compound file): :mod:`~obligations.extract.hwp`; paragraphs and
  table rows as in HWPX; footnotes, endnotes, headers and footers set apart (:attr:`Document.apart`).
- PDF without a text layer (a scan): refused, or read by OCR when asked (:mod:`~obligations.extract.ocr`).

Zip parts are read only up to :data:`MAX_UNPACKED_BYTES` in all (a zip bomb is refused before it is unpacked:
``zipfile`` never inflates a member past its declared size), and XML with a DOCTYPE is refused, which rules
out entity expansion.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from obligations.extract import hwp
from obligations.extract.source import UnreadableText
from obligations.textfile import MAX_BYTES, NotText, decode_utf8

MAX_DOCUMENT_BYTES = (
    32 << 20
)  # a PDF or HWPX with a scanned seal or logo is a few MB; 32 MB is the wrong file
MAX_UNPACKED_BYTES = 64 << 20  # the XML of a few pages is well under a megabyte once unpacked

_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"

# A page number alone on its line: "3", "- 3 -", "3 / 10", "(3/10)", "3쪽", "- 3/10 -".
_PAGE_NUMBER = re.compile(r"^[-–—(\[]?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*(?:쪽|페이지)?\s*[-–—)\]]?$")
_EDGE = 3  # how many lines at the top and at the bottom of a page may be running headers or footers


@dataclass(frozen=True)
class Document:
    """The text read from a file, what kind of file it was, and notes for the user (CP949, dropped lines).

    ``apart`` holds what the file keeps outside its body (an HWP file's footnotes, headers and footers): it
    is shown by ``extract --text`` but never read into the draft. ``ocr`` says the text was read from
    images, so every value drawn from it needs a second look.
    """

    text: str
    kind: str
    notes: tuple[str, ...] = ()
    apart: tuple[str, ...] = ()
    ocr: bool = False


def read_document(raw: bytes, name: str, ocr: bool = False) -> Document:
    """The text of ``raw`` (the bytes of the file ``name``); :class:`UnreadableText` says why not.

    ``ocr``: a PDF without a text layer is read from its page images (Tesseract's Korean model).
    """
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise UnreadableText(f"{name}: more than {MAX_DOCUMENT_BYTES >> 20} MB; is this the agreement?")
    if raw.startswith(hwp.OLE_SIGNATURE):
        document = _hwp(raw, name)
    elif raw.startswith(hwp.HWP3_SIGNATURE):
        raise UnreadableText(
            f"{name}: an HWP 3.x file (before 2002), which this tool cannot read; "
            "open it in 한글 and save it as HWPX or PDF (파일 → 다른 이름으로 저장 → HWPX)"
        )
    elif _PDF in raw[:1024]:
        document = _pdf(raw, name, ocr)
    elif raw.startswith(_ZIP):
        document = _zipped(raw, name)
    else:
        document = _plain(raw, name)
    if len(document.text.encode()) > MAX_BYTES:
        raise UnreadableText(
            f"{name}: more than 1 MiB of text; an agreement's text is a few pages (is this the right file?)"
        )
    return document


# ---------------------------------------------------------------------------------------------------------
# Plain text


def _plain(raw: bytes, name: str) -> Document:
    if len(raw) > MAX_BYTES:
        raise UnreadableText(
            f"{name}: more than 1 MiB; an agreement's text is a few pages (is this the right file?)"
        )
    try:
        return Document(decode_utf8(raw), "text")
    except NotText as error:
        if error.reason.startswith("binary") and name.lower().endswith(".hwp"):
            raise UnreadableText(
                f"{name}: named .hwp but not an HWP 5.0 file (it does not start as a compound file does); "
                "is it damaged, or another kind of file renamed?"
            ) from None
        if error.reason.startswith("binary"):
            raise UnreadableText(
                f"{name}: {error}; expected an agreement as HWP, HWPX, DOCX, PDF or text"
            ) from None
        try:
            text = raw.decode("cp949")
        except UnicodeDecodeError:
            raise UnreadableText(f"{name}: {error}, nor CP949 (EUC-KR); save the text as UTF-8") from None
        return Document(text, "text", ("read as CP949 (EUC-KR), not UTF-8",))


# ---------------------------------------------------------------------------------------------------------
# HWP 5.0


def _hwp(raw: bytes, name: str) -> Document:
    text = hwp.read_hwp(raw, name)
    notes: tuple[str, ...] = ()
    if text.apart:
        notes = (f"{len(text.apart)} footnote, endnote, header and footer line(s) kept out of the draft "
                 "(see --text)",)  # fmt: skip
    return Document("\n".join(text.body), "HWP", notes, text.apart)


# ---------------------------------------------------------------------------------------------------------
# HWPX and DOCX: zip archives of XML


def _zipped(raw: bytes, name: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnreadableText(f"{name}: a damaged zip archive (HWPX/DOCX): {error}") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableText(
            f"{name}: unpacks to {unpacked >> 20} MB, more than {MAX_UNPACKED_BYTES >> 20} MB; "
            "an agreement is a few pages (a zip bomb?)"
        )
    with archive:
        if any(_SECTION.fullmatch(part) for part in names):
            return Document("\n".join(_hwpx_lines(archive, name)), "HWPX")
        if "word/document.xml" in names:
            return Document("\n".join(_docx_lines(raw, name)), "DOCX")
    raise UnreadableText(f"{name}: a zip archive, but neither HWPX (Contents/section0.xml) nor DOCX")


_SECTION = re.compile(r"Contents/section(\d+)\.xml")


def _local(tag: str) -> str:
    """``{http://www.hancom.co.kr/hwpml/2011/paragraph}p`` → ``p``: HWPX versions differ in namespaces."""
    return tag.rsplit("}", 1)[-1]


def _hwpx_lines(archive: zipfile.ZipFile, name: str) -> Iterator[str]:
    parts = sorted(
        (int(match[1]), part) for part in archive.namelist() if (match := _SECTION.fullmatch(part))
    )
    for _, part in parts:
        data = archive.read(part)
        if b"<!DOCTYPE" in data:
            raise UnreadableText(f"{name}: {part} declares a DOCTYPE, which HWPX never does; refused")
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise UnreadableText(f"{name}: {part} is not well-formed XML: {error}") from None
        for child in root:
            if _local(child.tag) == "p":
                yield from _paragraph_lines(child)


def _paragraph_lines(paragraph: ElementTree.Element) -> list[str]:
    """The paragraph's text as one line, then one line per row of each table anchored in it."""
    text: list[str] = []
    rows: list[str] = []
    for run in paragraph:
        if _local(run.tag) != "run":
            continue
        for item in run:
            tag = _local(item.tag)
            if tag == "t":
                text.append(_run_text(item))
            elif tag == "tbl":
                rows += _table_rows(item)
    return [*(["".join(text)] if text or not rows else []), *rows]


def _run_text(element: ElementTree.Element) -> str:
    """``<hp:t>A<hp:tab/>B</hp:t>`` → ``A B``: tabs and line breaks inside a run are spaces."""
    pieces = [element.text or ""]
    for child in element:
        pieces += [" " if _local(child.tag) in ("tab", "lineBreak") else "", child.tail or ""]
    return "".join(pieces)


def _table_rows(table: ElementTree.Element) -> list[str]:
    rows = []
    for row in table:
        if _local(row.tag) != "tr":
            continue
        cells = []
        for cell in row:
            if _local(cell.tag) != "tc":
                continue
            lines = [
                line
                for sub in cell
                if _local(sub.tag) == "subList"
                for paragraph in sub
                if _local(paragraph.tag) == "p"
                for line in _paragraph_lines(paragraph)
            ]
            cells.append(" ".join(line.strip() for line in lines if line.strip()))
        rows.append(" | ".join(cells))
    return rows


def _docx_lines(raw: bytes, name: str) -> Iterator[str]:
    import docx  # python-docx: imported here, since most runs read text files
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors … on damaged files
        raise UnreadableText(f"{name}: cannot read the DOCX: {error}") from None
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            yield block.text
            continue
        for row in block.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                    continue
                seen.add(id(cell._tc))
                cells.append(" ".join(line.strip() for line in cell.text.splitlines() if line.strip()))
            yield " | ".join(cells)


# ---------------------------------------------------------------------------------------------------------
# PDF


def _pdf(raw: bytes, name: str, ocr: bool) -> Document:
    from pdfminer.high_level import extract_text  # imported here: pdfminer takes a while to import

    try:
        text = extract_text(io.BytesIO(raw))
    except Exception as error:  # pdfminer raises its own and built-in errors on damaged or encrypted files
        raise UnreadableText(f"{name}: cannot read the PDF: {type(error).__name__}: {error}") from None
    pages = [page.splitlines() for page in text.split("\f")]
    lines, dropped = strip_page_furniture(pages)
    read_by_ocr = not any(line.strip() for line in lines)
    if read_by_ocr and not ocr:
        raise UnreadableText(
            f"{name}: the PDF has no text layer (a scan?); ask for the HWPX, or read it by OCR "
            "with --ocr (Tesseract's Korean model)"
        )
    if read_by_ocr:
        from obligations.extract.ocr import ocr_pages

        pages = ocr_pages(raw, name)
        lines, dropped = strip_page_furniture(pages)
        if not any(line.strip() for line in lines):
            raise UnreadableText(f"{name}: OCR found no text on the {len(pages)} page(s) of the scan")
    notes: tuple[str, ...] = ()
    if dropped:
        notes = (f"dropped {dropped} page header, footer and page-number line(s)",)
    if read_by_ocr:
        notes += (f"read by OCR from {len(pages)} scanned page(s): every value is marked '# OCR: review'",)
    return Document("\n".join(lines), "PDF (OCR)" if read_by_ocr else "PDF", notes, ocr=read_by_ocr)


def strip_page_furniture(pages: list[list[str]]) -> tuple[list[str], int]:
    """The lines of all pages without page numbers and running headers and footers; and how many went.

    A running header or footer is a line among the first or last few of a page that stands, the same, at the
    edge of more than half the pages (and of two at least). Digits are not ignored: "제1조" and "제2조" at the
    tops of two pages are articles, not a header.

    >>> pages = [["시행계획", "제1조(목적) …", "- 1 -"], ["시행계획", "제2조(역할) …", "- 2 -"]]
    >>> strip_page_furniture(pages)
    (['제1조(목적) …', '제2조(역할) …'], 4)
    """
    edges: Counter[str] = Counter()
    for page in pages:
        content = [line for line in page if line.strip()]
        edges.update({_shape(line) for line in content[:_EDGE] + content[-_EDGE:]})
    running = {shape for shape, count in edges.items() if count >= 2 and count * 2 > len(pages)}
    kept: list[str] = []
    dropped = 0
    for page in pages:
        lines = [line for line in page if not _PAGE_NUMBER.match(line.strip())]
        dropped += len(page) - len(lines)
        top, bottom = _edge_span(lines, running), _edge_span(lines[::-1], running)
        middle = lines[top : len(lines) - bottom] if top + bottom < len(lines) else []
        dropped += sum(1 for line in lines if line.strip()) - sum(1 for line in middle if line.strip())
        kept += middle
    return kept, dropped


def _shape(line: str) -> str:
    return " ".join(line.split())


def _edge_span(lines: list[str], running: set[str]) -> int:
    """How many lines from the start are blank or a running header, stopping at the first that is not.

    Each running line goes once: a title that repeats the running header under it stays.
    """
    count, seen = 0, set()
    for line in lines[: _EDGE * 2]:
        shape = _shape(line)
        if line.strip() and (shape not in running or shape in seen):
            break
        seen.add(shape)
        count += 1
    return count
