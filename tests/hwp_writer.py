"""Test-only writers: an OLE compound file (MS-CFB version 3) and HWP 5.0 documents inside one.

``olefile`` reads compound files but cannot create them, and the PyPI writers found either only read
(``cfb``) or are under the AGPL (``cfbwrite``); this writer is small enough to check against the format:

- 512-byte sectors; the FAT first, then the directory, the mini FAT, the mini stream, then large streams;
- streams under 4,096 bytes live in the mini stream (64-byte mini sectors, chained by the mini FAT), as
  the format requires; larger ones in sectors of their own;
- each storage's children form a red-black tree ordered as the format orders names (shorter first, then
  by upper-cased code units), built balanced, its deepest level red when that level is not full.

The HWP part follows "한글문서파일형식 5.0": a 256-byte FileHeader, DocInfo, and BodyText/SectionN streams of
records (raw DEFLATE when compressed), with paragraphs as Hancom's word processor writes them: the first
holds the section and column definitions; tables, footnotes, headers and footers are extended controls in
the text (8 code units) whose content follows as CTRL_HEADER, TABLE, LIST_HEADER and deeper paragraphs.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Union

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF

Tree = dict[str, Union[bytes, "Tree"]]


# ---------------------------------------------------------------------------------------------------------
# Compound file


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    black: bool = True
    start: int = ENDOFCHAIN
    size: int = 0


def _order(name: str) -> tuple[int, list[int]]:
    """How the format compares sibling names: by length, then by upper-cased UTF-16 code units."""
    units = name.upper().encode("utf-16-le")
    return len(units), list(struct.unpack(f"<{len(units) // 2}H", units))


def compound_file(tree: Tree) -> bytes:
    """A compound file holding ``tree``: names to bytes (streams) or to trees (storages)."""
    root = _Entry("Root Entry", 5)

    def build(parent: _Entry, items: Tree) -> None:
        for name, value in items.items():
            if isinstance(value, bytes):
                parent.children.append(_Entry(name, 2, value, size=len(value)))
            else:
                storage = _Entry(name, 1)
                build(storage, value)
                parent.children.append(storage)

    build(root, tree)
    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entries.append(entry)
        for child in entry.children:
            number(child)

    number(root)
    index = {id(entry): n for n, entry in enumerate(entries)}
    for entry in entries:
        siblings = sorted(entry.children, key=lambda child: _order(child.name))
        entry.child = _red_black(siblings, index)

    # The mini stream: small streams, each padded to whole mini sectors, chained by the mini FAT.
    mini_stream, mini_fat = bytearray(), []
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != 2 or entry.size == 0:
            continue
        if entry.size >= MINI_CUTOFF:
            big.append(entry)
            continue
        first = len(mini_stream) // MINI_SECTOR
        count = -(-entry.size // MINI_SECTOR)
        mini_fat += [*range(first + 1, first + count), ENDOFCHAIN]
        entry.start = first
        mini_stream += entry.data + bytes(count * MINI_SECTOR - entry.size)

    # Regular sectors after the FAT: directory, mini FAT, mini stream, large streams.
    directory = b"".join(_directory_entry(entry) for entry in entries)
    directory += _empty_entries(-len(entries) % (SECTOR // 128))
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    mini_fat_bytes += b"\xff" * (-len(mini_fat_bytes) % SECTOR)
    blobs = [directory, mini_fat_bytes, bytes(mini_stream), *(entry.data for entry in big)]
    counts = [-(-len(blob) // SECTOR) for blob in blobs]
    total = sum(counts)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < total + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "this writer keeps the whole FAT in the header's DIFAT"
    starts = [fat_sectors + sum(counts[:n]) for n in range(len(blobs))]
    fat = [FATSECT] * fat_sectors
    for start, count in zip(starts, counts, strict=True):
        fat += [*range(start + 1, start + count), ENDOFCHAIN] if count else []
    fat += [FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat))

    root.start, root.size = (starts[2], len(mini_stream)) if mini_stream else (ENDOFCHAIN, 0)
    for entry, start in zip(big, starts[3:], strict=True):
        entry.start = start
    # The directory was packed before the starts were known: pack it again.
    directory = b"".join(_directory_entry(entry) for entry in entries)
    directory += _empty_entries(-len(entries) % (SECTOR // 128))
    blobs[0] = directory

    header = bytearray(SECTOR)
    struct.pack_into("<8s16sHHHHH6sIIIIIIIII", header, 0,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, starts[0], 0, MINI_CUTOFF,
        starts[1] if mini_fat else ENDOFCHAIN, counts[1], ENDOFCHAIN, 0)  # fmt: skip
    difat = [*range(fat_sectors), *[FREESECT] * (109 - fat_sectors)]
    struct.pack_into("<109I", header, 76, *difat)
    body = struct.pack(f"<{len(fat)}I", *fat)
    for blob, count in zip(blobs, counts, strict=True):
        body += blob + bytes(count * SECTOR - len(blob))
    return bytes(header) + body


def _red_black(siblings: Sequence[_Entry], index: dict[int, int]) -> int:
    """Link the sorted siblings as a balanced tree; the deepest level red when it is not full."""
    if not siblings:
        return NOSTREAM
    depth = (len(siblings)).bit_length() - 1  # levels below the root of a balanced tree
    full = len(siblings) == (1 << (depth + 1)) - 1

    def link(items: Sequence[_Entry], level: int) -> int:
        if not items:
            return NOSTREAM
        middle = len(items) // 2
        node = items[middle]
        node.left = link(items[:middle], level + 1)
        node.right = link(items[middle + 1 :], level + 1)
        node.black = full or level < depth
        return index[id(node)]

    return link(siblings, 0)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    assert len(name) <= 64, entry.name
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name, len(name), entry.kind, 1 if entry.black else 0, entry.left, entry.right, entry.child,
        bytes(16), 0, 0, 0, entry.start if entry.size or entry.kind == 5 else ENDOFCHAIN, entry.size,
    )  # fmt: skip


def _empty_entries(count: int) -> bytes:
    empty = struct.pack(
        "<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, bytes(16), 0, 0, 0, 0, 0
    )
    return empty * count


# ---------------------------------------------------------------------------------------------------------
# HWP 5.0

VERSION = 0x05000300  # 5.0.3.0
COMPRESSED, PASSWORD, DISTRIBUTION, DRM = 1, 2, 4, 16
PARA_HEADER, PARA_TEXT, PARA_CHAR_SHAPE, PARA_LINE_SEG = 66, 67, 68, 69
CTRL_HEADER, LIST_HEADER, PAGE_DEF, TABLE = 71, 72, 73, 77


def record(tag: int, level: int, data: bytes) -> bytes:
    """A record header (tag, level, size; 0xFFF and a UINT32 for 4,095 bytes and more) and its data."""
    if len(data) >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(data)) + data
    return struct.pack("<I", tag | level << 10 | len(data) << 20) + data


def _control(code: int, control_id: bytes) -> str:
    """An extended control in the text: its code, the id (as the UINT32 stores it), 4 units, its code."""
    packed = control_id[::-1]
    return chr(code) + packed.decode("utf-16-le") + "\0" * 4 + chr(code)


Cell = str | list[list[str]]  # a cell's text (paragraphs split by "\n"), or a table inside the cell


@dataclass
class Paragraph:
    """A body paragraph: its text, and what may be anchored in it."""

    text: str = ""
    table: list[list[Cell]] | None = None
    caption: str | None = None
    footnote: str | None = None
    endnote: str | None = None
    header: str | None = None
    footer: str | None = None


def _paragraph(level: int, text: str, controls: Iterable[bytes] = (), last: bool = False) -> bytes:
    # A tab is an inline control of 8 units (its width and leader in between); a line break (10) is one.
    units = text.replace("\t", "\t" + "\0" * 6 + "\t").encode("utf-16-le")
    count = len(units) // 2 + 1  # the paragraph-end character 13 counts
    header = struct.pack("<IIHBBHHHI", count | (0x80000000 if last else 0), 0, 0, 0, 0, 1, 0, 1, 0)
    out = record(PARA_HEADER, level, header)
    out += record(PARA_TEXT, level + 1, units + b"\r\0")
    out += record(PARA_CHAR_SHAPE, level + 1, struct.pack("<II", 0, 0))
    out += record(PARA_LINE_SEG, level + 1, bytes(36))
    return out + b"".join(controls)


def _list(
    level: int, paragraphs: Sequence[str], cell: tuple[int, int] | None = None, count: int | None = None
) -> bytes:
    """A LIST_HEADER (paragraph count, properties; a cell's address and size) and its paragraphs.

    ``count``: the paragraphs follow, written by the caller (a cell holding a table).
    """
    data = struct.pack("<hHI", len(paragraphs) if count is None else count, 0, 0)
    if cell is not None:
        column, row = cell
        data += struct.pack("<HHHHIIHHHHH", column, row, 1, 1, 8000, 1000, 140, 140, 140, 140, 1)
    out = record(LIST_HEADER, level, data)
    for n, text in enumerate(paragraphs):
        out += _paragraph(level, text, last=n == len(paragraphs) - 1)
    return out


def _table(level: int, rows: Sequence[Sequence[Cell]], caption: str | None = None) -> bytes:
    """A table control: its caption's list (before the TABLE record, as 한글 writes it), then each cell's."""
    out = record(CTRL_HEADER, level, b" lbt" + bytes(42))  # the common object properties: zeros
    if caption is not None:
        out += _list(level + 1, [caption])
    sizes = [len(row) for row in rows]
    table = struct.pack(f"<IHHH8s{len(sizes)}HHH", 0, len(rows), max(sizes), 0, bytes(8), *sizes, 1, 0)
    out += record(TABLE, level + 1, table)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                out += _list(level + 1, cell.split("\n"), (c, r))
                continue
            inner = _paragraph(level + 1, _control(11, b"tbl "), [_table(level + 2, cell)], last=True)
            out += _list(level + 1, [], (c, r), count=1) + inner
    return out


def _aside(level: int, control_id: bytes, text: str) -> bytes:
    return record(CTRL_HEADER, level, control_id[::-1] + bytes(12)) + _list(level + 1, [text])


_CODES = {b"tbl ": 11, b"fn  ": 17, b"en  ": 17, b"head": 16, b"foot": 16}


def section(paragraphs: Sequence[Paragraph]) -> bytes:
    """The records of one section; the first paragraph carries the section definition, as 한글 writes."""
    out = b""
    for n, paragraph in enumerate(paragraphs):
        anchored: list[tuple[bytes, bytes]] = []
        if n == 0:
            page = record(CTRL_HEADER, 1, b"dces" + bytes(32)) + record(PAGE_DEF, 2, bytes(40))
            anchored += [(b"secd", page), (b"cold", record(CTRL_HEADER, 1, b"dloc" + bytes(12)))]
        for control_id, text in (
            (b"head", paragraph.header), (b"foot", paragraph.footer),
            (b"fn  ", paragraph.footnote), (b"en  ", paragraph.endnote),
        ):  # fmt: skip
            if text is not None:
                anchored.append((control_id, _aside(1, control_id, text)))
        if paragraph.table is not None:
            anchored.append((b"tbl ", _table(1, paragraph.table, paragraph.caption)))
        codes = "".join(_control(_CODES.get(cid, 2), cid) for cid, _ in anchored)
        # Controls stand where they were inserted: section definition first, notes after the text.
        leading = "".join(_control(2, cid) for cid, _ in anchored if cid in (b"secd", b"cold"))
        trailing = codes[len(leading) :]
        out += _paragraph(0, leading + paragraph.text + trailing, (body for _, body in anchored),
                          last=n == len(paragraphs) - 1)  # fmt: skip
    return out


def file_header(properties: int = COMPRESSED, version: int = VERSION) -> bytes:
    return struct.pack("<32sIII", b"HWP Document File", version, properties, 0).ljust(256, b"\0")


def doc_info() -> bytes:
    """DOCUMENT_PROPERTIES (section count 1, start numbers 1) and an empty ID_MAPPINGS."""
    return record(16, 0, struct.pack("<7HI3I", 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0)) + record(17, 0, bytes(72))


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def hwp_file(
    sections: Sequence[bytes],
    properties: int = COMPRESSED,
    version: int = VERSION,
    extra: Tree | None = None,
) -> bytes:
    """An HWP 5.0 file of the given section streams (compressed here when ``properties`` says so)."""
    pack = deflate if properties & COMPRESSED else (lambda data: data)
    tree: Tree = {
        "FileHeader": file_header(properties, version),
        "DocInfo": pack(doc_info()),
        "BodyText": {f"Section{n}": pack(data) for n, data in enumerate(sections)},
        "PrvText": "미리보기".encode("utf-16-le"),
        **(extra or {}),
    }
    return compound_file(tree)


def paragraphs_of(lines: Iterable[str]) -> list[Paragraph]:
    """A paragraph per line; a run of `` | `` lines becomes one paragraph holding a table."""
    out = []
    for is_row, run in itertools.groupby(lines, key=lambda line: " | " in line):
        if is_row:
            rows: list[list[Cell]] = [[cell.strip() for cell in line.split("|")] for line in run]
            out.append(Paragraph(table=rows))
        else:
            out += [Paragraph(line) for line in run]
    return out
