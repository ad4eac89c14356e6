"""The text of a legacy HWP file (한글 5.0 binary, ``.hwp``), after Hancom's published format
"한글문서파일형식 5.0" (revision 1.3).

The file is an OLE compound file, read with ``olefile``. Its ``FileHeader`` stream says whether the
sections are compressed and whether the document can be read at all: a password, DRM, or a distribution
document (배포용 문서, whose text sits encrypted in ``ViewText``) cannot, and is refused. The text is in
``BodyText/Section0``, ``Section1`` … — raw DEFLATE when compressed — as a sequence of records, each
``tag`` (bits 0–9), ``level`` (bits 10–19) and ``size`` (bits 20–31; 0xFFF: the size follows as UINT32).
A record's children are the records after it one level deeper, so a paragraph (``PARA_HEADER``) holds its
text (``PARA_TEXT``) and the controls anchored in it (``CTRL_HEADER``), and a table control holds its
cells, each a ``LIST_HEADER`` followed by the cell's paragraphs.

What comes out is what the HWPX reader gives: one line per body paragraph, then one line per row of each
table anchored in it, the cells joined by `` | ``. Footnotes, endnotes, headers and footers are set apart:
they are returned beside the body, never inside it, so that a page header or a note never becomes a
field. Drawings (text boxes), equations, hidden comments and the ``PrvText`` preview are not read.

Bounds: the sections unpack to at most :data:`MAX_SECTION_BYTES` in all (``decompressobj`` is never asked
for more, so a decompression bomb costs that much and no more), hold at most :data:`MAX_RECORDS`
paragraphs and controls, and nest at most :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from obligations.extract.source import UnreadableText

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP3_SIGNATURE = b"HWP Document File V3"  # HWP 3.x (1990s) is not a compound file at all
MAX_SECTION_BYTES = 16 << 20  # a few pages of text with their layout records are well under a megabyte
MAX_RECORDS = 200_000  # paragraphs and controls; an agreement has a few hundred
MAX_DEPTH = 32  # tables in cells in tables …; an agreement nests two or three

_SIGNATURE = b"HWP Document File"
# FileHeader properties (표 3 파일 인식 정보): bit 0 compressed, 1 password, 2 distribution, 4 DRM.
_COMPRESSED, _PASSWORD, _DISTRIBUTION, _DRM = 1 << 0, 1 << 1, 1 << 2, 1 << 4
_REFUSED = (
    (_PASSWORD, "protected by a password"),
    (_DRM, "protected by DRM"),
    (_DISTRIBUTION, "a distribution document (배포용 문서), whose text is encrypted"),
)

# Record tags (표 57 본문의 데이터 레코드): HWPTAG_BEGIN (0x10) + 50 …
_PARA_HEADER, _PARA_TEXT, _CTRL_HEADER, _LIST_HEADER, _TABLE = 66, 67, 71, 72, 77
_KEPT = frozenset({_PARA_HEADER, _PARA_TEXT, _CTRL_HEADER, _LIST_HEADER, _TABLE})
# Control ids, stored as a little-endian UINT32 of MAKE_4CHID('t','b','l',' '): the bytes read reversed.
_TABLE_ID, _FOOTNOTE_ID, _ENDNOTE_ID, _HEADER_ID, _FOOTER_ID = b" lbt", b"  nf", b"  ne", b"daeh", b"toof"
_ASIDE = {_FOOTNOTE_ID: "각주", _ENDNOTE_ID: "미주", _HEADER_ID: "머리말", _FOOTER_ID: "꼬리말"}

# PARA_TEXT control characters (표 6 제어 문자): these take one code unit; every other code below 32 is
# an inline or extended control of 8 units (its code, 6 units of parameters or pointer, its code again).
_ONE_UNIT = {0: "", 10: " ", 13: "", 24: "-", 25: "", 26: "", 27: "", 28: "", 29: "", 30: " ", 31: " "}
_TAB = 9  # an inline control of 8 units, read as a space as the HWPX reader reads <hp:tab/>
_SECTION = re.compile(r"Section(\d+)")


@dataclass(frozen=True)
class HwpText:
    """The body's lines, and the lines of footnotes, endnotes, headers and footers set apart from it."""

    body: tuple[str, ...]
    apart: tuple[str, ...]


def read_hwp(raw: bytes, name: str) -> HwpText:
    """The text of the HWP 5.0 file ``raw``; :class:`UnreadableText` says why not."""
    import olefile  # imported here: most runs read text files

    try:
        ole = olefile.OleFileIO(io.BytesIO(raw))
    except Exception as error:  # olefile raises OSError, ValueError, struct.error … on damaged files
        raise UnreadableText(f"{name}: a damaged compound file (HWP): {error}") from None
    with ole:
        try:
            if not ole.exists("FileHeader"):
                raise UnreadableText(
                    f"{name}: a compound file but not HWP (no FileHeader stream; a .doc or .xls?); "
                    "save it as HWPX, DOCX or PDF"
                )
            compressed = _file_header(ole.openstream("FileHeader").read(256), name)
            sections = sorted(
                (int(match[1]), path)
                for path in ole.listdir(streams=True, storages=False)
                if len(path) == 2 and path[0] == "BodyText" and (match := _SECTION.fullmatch(path[1]))
            )
            if not sections:
                raise UnreadableText(f"{name}: an HWP file without BodyText/Section0; is it damaged?")
            budget = _Budget(MAX_SECTION_BYTES)
            streams = [
                (f"BodyText/Section{number}", _stream(ole, path, compressed, budget, name))
                for number, path in sections
            ]
        except UnreadableText:
            raise
        except Exception as error:  # a FAT or directory that points outside the file, a loop …
            raise UnreadableText(f"{name}: a damaged compound file (HWP): {error}") from None
    reader = _Reader(name)
    for where, data in streams:
        reader.section(where, data)
    return HwpText(tuple(reader.body), tuple(reader.apart))


def _file_header(header: bytes, name: str) -> bool:
    """Whether the sections are compressed; refuses what is not HWP 5 or cannot be read as text."""
    if not header.startswith(_SIGNATURE) or len(header) < 40:
        raise UnreadableText(f"{name}: the FileHeader is not HWP's ('HWP Document File'); is it damaged?")
    version, properties = struct.unpack_from("<II", header, 32)
    major = version >> 24
    if major != 5:
        raise UnreadableText(
            f"{name}: HWP version {major}.{(version >> 16) & 0xFF}; only HWP 5.x is read: "
            "save it as HWPX or PDF (한글: 파일 → 다른 이름으로 저장 → HWPX)"
        )
    for flag, what in _REFUSED:
        if properties & flag:
            raise UnreadableText(
                f"{name}: the HWP file is {what}, so its text cannot be read; ask the sender for "
                "an unprotected copy, or open it in 한글 and save it as HWPX or PDF"
            )
    return bool(properties & _COMPRESSED)


@dataclass
class _Budget:
    """What the sections may still unpack to, together."""

    left: int


def _stream(ole: Any, path: list[str], compressed: bool, budget: _Budget, name: str) -> bytes:
    where = "/".join(path)
    stored: int = ole.get_size(path)
    if stored > MAX_SECTION_BYTES:  # compressed or not; checked before olefile reads any of it
        raise UnreadableText(
            f"{name}: {where} is stored as {stored >> 20} MB, more than {MAX_SECTION_BYTES >> 20} MB; "
            "an agreement is a few pages (is the file damaged?)"
        )
    if not compressed:
        if stored > budget.left:
            raise UnreadableText(_too_large(name, where))
        budget.left -= stored
        data: bytes = ole.openstream(path).read()
        return data
    packed: bytes = ole.openstream(path).read()
    inflater = zlib.decompressobj(-15)  # raw DEFLATE: no zlib header, no checksum
    try:
        # Never more than one byte past the budget: a bomb is found having cost the budget, not the bomb.
        data = inflater.decompress(packed, budget.left + 1)
    except zlib.error as error:
        raise UnreadableText(f"{name}: {where} is damaged (its compressed data: {error})") from None
    if len(data) > budget.left:
        raise UnreadableText(_too_large(name, where))
    if not inflater.eof:
        raise UnreadableText(f"{name}: {where} is damaged (its compressed data ends early)")
    budget.left -= len(data)
    return data


def _too_large(name: str, where: str) -> str:
    return (
        f"{name}: {where} unpacks past {MAX_SECTION_BYTES >> 20} MB of text records; "
        "an agreement is a few pages (a decompression bomb?)"
    )


# ---------------------------------------------------------------------------------------------------------
# Records


@dataclass
class _Record:
    tag: int
    level: int
    data: bytes
    children: list[_Record] = field(default_factory=list)


def _records(data: bytes, where: str, name: str) -> Iterator[tuple[int, int, int, int]]:
    """``(tag, level, start, end)`` of each record in the section, ``data[start:end]`` its payload."""
    offset = 0
    while offset < len(data):
        if offset + 4 > len(data):
            raise UnreadableText(f"{name}: {where} is damaged (a record header cut short at byte {offset})")
        (header,) = struct.unpack_from("<I", data, offset)
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        offset += 4
        if size == 0xFFF:  # the real size follows
            if offset + 4 > len(data):
                raise UnreadableText(f"{name}: {where} is damaged (a record size cut short at byte {offset})")
            (size,) = struct.unpack_from("<I", data, offset)
            offset += 4
        if offset + size > len(data):
            raise UnreadableText(
                f"{name}: {where} is damaged (a record of {size} bytes at byte {offset - 4} "
                f"runs past the end, {len(data)} bytes)"
            )
        yield tag, level, offset, offset + size
        offset += size


def _tree(data: bytes, where: str, name: str, count: list[int]) -> list[_Record]:
    """The section's records as a tree: each record's children are the records one level deeper after it.

    Records of other tags (char shapes, line segments, drawings …) are skipped but their levels are
    checked, so that a stream whose levels jump is found damaged whatever the tags.
    """
    roots: list[_Record] = []
    path: list[_Record] = []  # the last kept record at each level
    previous = -1
    for tag, level, start, end in _records(data, where, name):
        if level > previous + 1 or level > MAX_DEPTH:
            what = f"nested {level} deep" if level > MAX_DEPTH else f"level {level} after level {previous}"
            raise UnreadableText(f"{name}: {where} is damaged (a record at byte {start} is {what})")
        previous = level
        del path[level:]
        if tag not in _KEPT or len(path) < level:  # a skipped record, or under one (a text box)
            continue
        count[0] += 1
        if count[0] > MAX_RECORDS:
            raise UnreadableText(
                f"{name}: more than {MAX_RECORDS:,} paragraphs and controls; an agreement has a few hundred"
            )
        record = _Record(tag, level, data[start:end])
        (path[-1].children if path else roots).append(record)
        path.append(record)
    return roots


class _Reader:
    """Walks the records of each section into body lines and lines set apart."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.body: list[str] = []
        self.apart: list[str] = []
        self._count = [0]

    def section(self, where: str, data: bytes) -> None:
        for record in _tree(data, where, self.name, self._count):
            if record.tag == _PARA_HEADER:
                self.body += self._paragraph(record)

    def _paragraph(self, paragraph: _Record) -> list[str]:
        """The paragraph's text as one line, then one line per row of each table anchored in it.

        Notes, headers and footers anchored in it go to :attr:`apart`, each line labelled (``각주: …``).
        """
        text = ""
        rows: list[str] = []
        for child in paragraph.children:
            if child.tag == _PARA_TEXT:
                text = _text(child.data)
            elif child.tag == _CTRL_HEADER:
                control = child.data[:4]
                if control == _TABLE_ID:
                    rows += self._table(child)
                elif control in _ASIDE:
                    for line in self._lists(child.children):
                        if line.strip():
                            self.apart.append(f"{_ASIDE[control]}: {line.strip()}")
        return [*([text] if text or not rows else []), *rows]

    def _lists(self, records: Sequence[_Record]) -> Iterator[str]:
        for record in records:
            if record.tag == _PARA_HEADER:
                yield from self._paragraph(record)

    def _table(self, control: _Record) -> list[str]:
        """The caption's lines, if any; then one line per row, its cells' text joined by `` | ``.

        The paragraph lists under a table control are its caption (before the TABLE record, when it has
        one) and then its cells, row by row; the TABLE record says how many cells each row has (표 75).
        """
        caption: list[str] = []
        cells: list[list[str]] = []
        row_sizes: list[int] = []
        columns, seen_table = 1, False
        for child in control.children:
            if child.tag == _TABLE:
                seen_table = True
                if len(child.data) >= 18:
                    rows, columns = struct.unpack_from("<HH", child.data, 4)
                    if len(child.data) >= 18 + 2 * rows:
                        row_sizes = list(struct.unpack_from(f"<{rows}H", child.data, 18))
            elif child.tag == _LIST_HEADER and seen_table:
                cells.append([])
            elif child.tag == _PARA_HEADER:
                (cells[-1] if cells else caption).extend(self._paragraph(child))
        texts = [" ".join(line.strip() for line in lines if line.strip()) for lines in cells]
        if sum(row_sizes) != len(texts):  # row sizes missing or damaged: the columns of the grid
            row_sizes = [max(columns, 1)] * -(-len(texts) // max(columns, 1))
        out, start = [line for line in caption if line.strip()], 0
        for size in row_sizes:
            out.append(" | ".join(texts[start : start + size]))
            start += size
        return out


def _text(data: bytes) -> str:
    """The characters of a PARA_TEXT record (UTF-16LE), controls removed, tabs and line breaks as spaces."""
    units = struct.unpack(f"<{len(data) // 2}H", data[: len(data) // 2 * 2])
    kept: list[int] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if unit >= 32:
            kept.append(unit)
            index += 1
        elif unit in _ONE_UNIT:
            kept += [ord(char) for char in _ONE_UNIT[unit]]
            index += 1
        else:  # an inline or extended control: 8 units; what it holds is in the records after it
            if unit == _TAB:
                kept.append(0x20)
            index += 8
    # Lone surrogates (a damaged pair) become U+FFFD rather than an error.
    return struct.pack(f"<{len(kept)}H", *kept).decode("utf-16-le", errors="replace")
