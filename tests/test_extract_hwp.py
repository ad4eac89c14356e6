"""``obligations extract`` on legacy .hwp files (HWP 5.0), built in the test session by tests/hwp_writer.py.

A fixture agreement written as .hwp drafts exactly as its text does; tables read as `` | `` rows; notes,
headers and footers stay out of the body; protected, damaged and oversized files are refused in one sentence.
"""

from __future__ import annotations

import re
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from extract_support import FIXTURES, draft_of
from hwp_writer import (
    COMPRESSED,
    DISTRIBUTION,
    DRM,
    PARA_HEADER,
    PASSWORD,
    Paragraph,
    compound_file,
    deflate,
    doc_info,
    file_header,
    hwp_file,
    paragraphs_of,
    record,
    section,
)

from obligations.commands.extract import extract
from obligations.extract import draft_case_file, read_document
from obligations.extract import hwp as hwp_reader

AGREEMENTS = sorted(
    path.name for path in FIXTURES.glob("*.txt") if path.name != "report-not-an-agreement.txt"
)
NOTED = [
    Paragraph("협약서", header="머리말: 서울특별시 평생교육과", footer="- 쪽 -"),
    Paragraph("제1조(목적) 본문\t탭 뒤\n줄바꿈 뒤 𠀀", footnote="각주의 말", endnote="미주의 말"),
    Paragraph(table=[["기관", "역할"], ["서울시", "사업비 지원\n둘째 문단"], ["교육청", ""]]),
    Paragraph("끝"),
]


def lines_of(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def _run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(extract, [str(path), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", AGREEMENTS)
def test_an_agreement_saved_as_hwp_drafts_as_its_text_does(name: str) -> None:
    drafted = draft_case_file(hwp_file([section(paragraphs_of(lines_of(name)))]), "mou.hwp")
    assert drafted.document.kind == "HWP"
    assert drafted.text.split("\n", 1)[1] == draft_of(name).split("\n", 1)[1]


def test_uncompressed_sections_and_several_sections_read_in_order() -> None:
    lines = lines_of("five-parties-table-roles.txt")
    # Section10 after Section2: sections are ordered by number, not by name.
    parts = [lines[:4], lines[4:8], *([[]] * 8), lines[8:]]
    raw = hwp_file([section(paragraphs_of(part or [""])) for part in parts], properties=0)
    body = read_document(raw, "mou.hwp").text.splitlines()
    assert [line for line in body if line] == [line for line in lines if line]


def test_tables_notes_headers_and_controls() -> None:
    document = read_document(hwp_file([section(NOTED)]), "mou.hwp")
    assert document.text.splitlines() == [
        "협약서",
        "제1조(목적) 본문 탭 뒤 줄바꿈 뒤 𠀀",
        "기관 | 역할",
        "서울시 | 사업비 지원 둘째 문단",
        "교육청 | ",
        "끝",
    ]
    assert document.apart == (
        "머리말: 머리말: 서울특별시 평생교육과",
        "꼬리말: - 쪽 -",
        "각주: 각주의 말",
        "미주: 미주의 말",
    )
    assert document.notes == (
        "4 footnote, endnote, header and footer line(s) kept out of the draft (see --text)",
    )


def test_cli_text_prints_the_body_numbered_and_the_notes_apart(tmp_path: Path) -> None:
    path = tmp_path / "협약.hwp"
    path.write_bytes(hwp_file([section(NOTED)]))
    code, out, err = _run(path, "--text")
    assert code == 0
    assert out == (
        "   1  협약서\n"
        "   2  제1조(목적) 본문 탭 뒤 줄바꿈 뒤 𠀀\n"
        "   3  기관 | 역할\n"
        "   4  서울시 | 사업비 지원 둘째 문단\n"
        "   5  교육청 | \n"
        "   6  끝\n"
        "\n-- kept out of the draft (footnotes, endnotes, headers, footers) --\n"
        "   -  머리말: 머리말: 서울특별시 평생교육과\n"
        "   -  꼬리말: - 쪽 -\n"
        "   -  각주: 각주의 말\n"
        "   -  미주: 미주의 말\n"
    )
    assert (
        err == f"{path}: 4 footnote, endnote, header and footer line(s) kept out of the draft (see --text)\n"
    )


def test_a_tables_caption_comes_first_and_a_table_in_a_cell_reads_into_that_cell() -> None:
    nested = Paragraph(
        "제2조(역할)",
        table=[["기관", "역할"], ["서울시", [["1", "사업비 지원"], ["2", "홍보"]]], ["김포시", "공간 제공"]],
        caption="<표 1> 기관별 역할",
    )
    assert read_document(hwp_file([section([nested])]), "x.hwp").text.splitlines() == [
        "제2조(역할)",
        "<표 1> 기관별 역할",
        "기관 | 역할",
        "서울시 | 1 | 사업비 지원 2 | 홍보",
        "김포시 | 공간 제공",
    ]


def test_a_record_of_4095_bytes_and_more_uses_the_extended_size() -> None:
    long = "가" * 3000  # 6,000 bytes of text: the size field says 0xFFF and the size follows
    assert (
        read_document(hwp_file([section([Paragraph(long), Paragraph("끝")])]), "x.hwp").text == f"{long}\n끝"
    )


# ---------------------------------------------------------------------------------------------------------
# The compound file itself, as olefile reads it when strict


@pytest.mark.parametrize("sizes", [[0, 1, 63, 64, 4095], [4096, 5000, 100_000], [10] * 20])
def test_the_test_writer_makes_compound_files_olefile_accepts_when_strict(sizes: list[int]) -> None:
    streams = {f"S{n}": bytes([n]) * size for n, size in enumerate(sizes)}
    raw = compound_file({"Storage": dict(streams), "Top": b"top"})
    with olefile.OleFileIO(raw, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert sorted(ole.listdir()) == sorted([["Storage", name] for name in streams] + [["Top"]])
        for name, data in streams.items():
            assert ole.openstream(["Storage", name]).read() == data
        _assert_red_black(ole, ole.root.sid_child)
        _assert_red_black(ole, ole.direntries[ole.root.sid_child].sid_child)


def _assert_red_black(ole: olefile.OleFileIO, root: int) -> None:
    """Sibling trees are ordered by (length, upper-cased name), no red node has a red child, and every
    path down has the same number of black nodes."""

    def walk(sid: int, red_parent: bool) -> tuple[int, list[tuple[int, str]]]:
        if sid == olefile.NOSTREAM:
            return 1, []
        entry = ole.direntries[sid]
        red = entry.color == 0  # the format: 0 red, 1 black
        assert not (red and red_parent), entry.name
        left_black, left = walk(entry.sid_left, red)
        right_black, right = walk(entry.sid_right, red)
        assert left_black == right_black, entry.name
        return left_black + (0 if red else 1), [*left, (len(entry.name), entry.name.upper()), *right]

    _, order = walk(root, red_parent=True)  # the root of a tree is black
    assert order == sorted(order)


# ---------------------------------------------------------------------------------------------------------
# Refused, each in one sentence, exit 2


def _refused(raw: bytes, tmp_path: Path, name: str = "mou.hwp") -> str:
    path = tmp_path / name
    path.write_bytes(raw)
    code, out, err = _run(path)
    assert (code, out) == (2, ""), err
    return err.removeprefix(f"obligations extract: {path}: ").rstrip("\n")


UNREADABLE = (
    "cannot be read; ask the sender for an unprotected copy, or open it in 한글 and save it as HWPX or PDF"
)


@pytest.mark.parametrize(
    ("flag", "what"),
    [
        (PASSWORD, "protected by a password"),
        (DRM, "protected by DRM"),
        (DISTRIBUTION, "a distribution document (배포용 문서), whose text is encrypted"),
    ],
)
def test_protected_files_are_refused(flag: int, what: str, tmp_path: Path) -> None:
    raw = hwp_file([section([Paragraph("본문")])], properties=COMPRESSED | flag)
    assert _refused(raw, tmp_path) == f"the HWP file is {what}, so its text {UNREADABLE}"


@pytest.mark.parametrize(
    ("section_stream", "message"),
    [
        (b"\x00garbage that is not deflate" * 4, "BodyText/Section0 is damaged (its compressed data: "),
        (deflate(section(NOTED * 20))[:200], "BodyText/Section0 is damaged (its compressed data ends early)"),
    ],
    ids=["not-deflate", "cut-short"],
)
def test_damaged_compressed_sections_are_refused(section_stream: bytes, message: str, tmp_path: Path) -> None:
    raw = _with_raw_section(section_stream)
    assert _refused(raw, tmp_path).startswith(message)


def _with_raw_section(stream: bytes, properties: int = COMPRESSED) -> bytes:
    return compound_file(
        {"FileHeader": file_header(properties), "DocInfo": doc_info(), "BodyText": {"Section0": stream}}
    )


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (
            record(PARA_HEADER, 0, bytes(22))[:-5],
            "a record of 22 bytes at byte 0 runs past the end, 21 bytes",
        ),
        (record(PARA_HEADER, 0, bytes(22)) + b"\x01\x02", "a record header cut short at byte 26"),
        (struct.pack("<I", PARA_HEADER | 0xFFF << 20) + b"\x01", "a record size cut short at byte 4"),
        (
            record(PARA_HEADER, 0, bytes(22)) + record(67, 2, b"a\0"),
            "a record at byte 30 is level 2 after level 0",
        ),
    ],
    ids=["record-past-end", "header-cut", "extended-size-cut", "level-jump"],
)
def test_damaged_records_are_refused(stream: bytes, message: str, tmp_path: Path) -> None:
    assert (
        _refused(_with_raw_section(stream, properties=0), tmp_path)
        == f"BodyText/Section0 is damaged ({message})"
    )


def test_a_decompression_bomb_is_refused_having_unpacked_no_more_than_the_bound(tmp_path: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = record(PARA_HEADER, 0, bytes(4000)) * 256  # 1 MB of valid records
    bomb = b"".join(packer.compress(chunk) for _ in range(64)) + packer.flush()  # 64 MB unpacked
    assert len(bomb) < 1 << 20
    raw = _with_raw_section(bomb)
    started = time.process_time()
    tracemalloc.start()
    try:
        message = _refused(raw, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - started < 5
    assert peak < 40 << 20  # the 16 MB bound, and a copy or two; never the 64 MB of the bomb
    assert message == (
        "BodyText/Section0 unpacks past 16 MB of text records; "
        "an agreement is a few pages (a decompression bomb?)"
    )


def test_a_section_stored_larger_than_the_bound_is_refused_before_it_is_read(tmp_path: Path) -> None:
    raw = bytearray(hwp_file([section([Paragraph("가" * 3000)])], properties=0))
    entry = raw.find("Section0".encode("utf-16-le"))  # its directory entry: the size is at byte 120
    struct.pack_into("<Q", raw, entry + 120, 3 << 30)
    assert _refused(bytes(raw), tmp_path) == (
        "BodyText/Section0 is stored as 3072 MB, more than 16 MB; "
        "an agreement is a few pages (is the file damaged?)"
    )


def test_too_many_records_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hwp_reader, "MAX_RECORDS", 100)
    raw = hwp_file([section([Paragraph(str(n)) for n in range(60)])])
    assert _refused(raw, tmp_path) == "more than 100 paragraphs and controls; an agreement has a few hundred"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x00\x01\x02binary, named .hwp",
         "named .hwp but not an HWP 5.0 file (it does not start as a compound file does); "
         "is it damaged, or another kind of file renamed?"),
        (b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05",
         "an HWP 3.x file (before 2002), which this tool cannot read; "
         "open it in 한글 and save it as HWPX or PDF (파일 → 다른 이름으로 저장 → HWPX)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "a damaged compound file (HWP): "),
        (compound_file({"WordDocument": b"x" * 100}),
         "a compound file but not HWP (no FileHeader stream; a .doc or .xls?); save it as HWPX, DOCX or PDF"),
        (compound_file({"FileHeader": b"not an hwp header".ljust(256, b"\0")}),
         "the FileHeader is not HWP's ('HWP Document File'); is it damaged?"),
        (hwp_file([section([Paragraph("x")])], version=0x04000000),
         "HWP version 4.0; only HWP 5.x is read: "
         "save it as HWPX or PDF (한글: 파일 → 다른 이름으로 저장 → HWPX)"),
        (compound_file({"FileHeader": file_header(), "DocInfo": b""}),
         "an HWP file without BodyText/Section0; is it damaged?"),
    ],
    ids=["not-ole", "hwp3", "damaged-ole", "doc", "not-hwp-header", "version-4", "no-sections"],
)  # fmt: skip
def test_files_that_are_not_readable_hwp_are_refused(raw: bytes, message: str, tmp_path: Path) -> None:
    assert _refused(raw, tmp_path).startswith(message)


# -- a file written by Hancom's word processor, not by our writer ----------------------------------------

HANCOM = Path(__file__).parent / "fixtures" / "hwp" / "hancom-2005-sample.hwp"


def test_a_file_saved_by_hancom_reads_as_its_body_text() -> None:
    result = CliRunner().invoke(extract, ["--text", str(HANCOM)])
    assert result.exit_code == 0, result.output
    # `--text` numbers each line: "   5  본문 …"; the numbered lines are the body.
    numbered = (re.fullmatch(r"\s*\d+  (.*)", line) for line in result.stdout.splitlines())
    lines = [match[1].strip() for match in numbered if match and match[1].strip()]
    assert lines[0] == "한글 2005 예제 파일입니다."
    assert "머리말입니다" in lines
    assert any(
        line.startswith("본문 내용입니다. 본 문서는") and line.endswith("HWPML에 관하여 설명한다.")
        for line in lines
    )
    # The 2x2 table: one line per row, cells joined, a cell's two paragraphs joined by a space.
    assert "A0 | B0" in lines
    assert "A1 | B10 B11" in lines
    assert lines[-1] == "다음 페이지"
    assert "다음 문단" in lines
    # Control characters (section and column definitions, page breaks, auto numbers) never reach the text.
    assert not any(ord(char) < 32 for line in lines for char in line)
