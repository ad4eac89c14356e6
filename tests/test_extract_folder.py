"""``obligations extract DIR --output-dir DRAFTS``: a draft per agreement file, the others listed with the
reason, and the onboarding worklist as a table and as a CSV file Excel opens."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from extract_support import FIXTURES, todo_fields
from hwp_writer import hwp_file, paragraphs_of, section
from test_extract_documents import hwpx, lines_of

from obligations.commands.extract import extract
from obligations.extract import draft_case_file

GOOD = {
    "성동-협약.txt": "seongdong-gap-eul-paren-items.txt",
    "김포.hwp": "seoul-gimpo-seoullearn-mou.txt",
    "노원 거점.hwpx": "five-parties-table-roles.txt",
}


def _folder(tmp_path: Path, bad: bool = True) -> Path:
    folder = tmp_path / "협약서"
    folder.mkdir()
    shutil.copy(FIXTURES / GOOD["성동-협약.txt"], folder / "성동-협약.txt")
    (folder / "김포.hwp").write_bytes(hwp_file([section(paragraphs_of(lines_of(GOOD["김포.hwp"])))]))
    (folder / "노원 거점.hwpx").write_bytes(hwpx(lines_of(GOOD["노원 거점.hwpx"])))
    (folder / ".DS_Store").write_bytes(b"\0\1")  # hidden: not listed
    (folder / "~$김포.hwp").write_bytes(b"\0\1")  # an Office lock file: not listed
    if bad:
        shutil.copy(FIXTURES / "report-not-an-agreement.txt", folder / "보고서.txt")
        (folder / "깨진.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        (folder / "예산.xlsx").write_bytes(b"PK\3\4")
        (folder / "old").mkdir()
    return folder


def _run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(extract, [str(arg) for arg in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _worklist(drafts: Path) -> list[dict[str, str]]:
    raw = (drafts / "worklist.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_a_folder_gives_a_draft_per_agreement_and_the_worklist(tmp_path: Path) -> None:
    folder, drafts = _folder(tmp_path), tmp_path / "drafts"
    code, out, err = _run(folder, "--output-dir", drafts)
    assert code == 2  # some files could not be drafted; the others were
    assert sorted(path.name for path in drafts.iterdir()) == [
        "worklist.csv", "김포.yaml", "노원 거점.yaml", "성동-협약.yaml",
    ]  # fmt: skip
    for name in GOOD:
        expected = draft_case_file((folder / name).read_bytes(), str(folder / name)).text
        assert (drafts / f"{Path(name).stem}.yaml").read_text(encoding="utf-8") == expected
    rows = {row["file"]: row for row in _worklist(drafts)}
    assert {name: row["status"] for name, row in rows.items()} == {
        "김포.hwp": "drafted",
        "깨진.pdf": "unreadable",
        "노원 거점.hwpx": "drafted",
        "보고서.txt": "not an agreement",
        "성동-협약.txt": "drafted",
        "예산.xlsx": "skipped",
        "old": "skipped",
    }
    for name in GOOD:
        draft = (drafts / f"{Path(name).stem}.yaml").read_text(encoding="utf-8")
        assert rows[name]["draft"] == str(drafts / f"{Path(name).stem}.yaml")
        assert rows[name]["todo_lines"] == str(len(todo_fields(draft))) != "0"
        assert rows[name]["todo_fields"].split(", ")[:2] == ["id", "source"]
    assert rows["깨진.pdf"]["note"].startswith("cannot read the PDF: ")
    assert rows["보고서.txt"]["note"].startswith("found no articles (제1조(목적) …) and no parties")
    assert rows["예산.xlsx"]["note"] == "not .hwp, .hwpx, .docx, .pdf, .txt"
    assert rows["old"]["note"] == "a folder (not entered)"
    assert rows["예산.xlsx"]["todo_lines"] == rows["예산.xlsx"]["draft"] == ""
    todos = sum(int(row["todo_lines"] or 0) for row in rows.values())
    assert out.splitlines()[-1] == (
        f"7 file(s): 3 drafted, 1 unreadable, 1 not an agreement, 2 skipped; {todos} TODO line(s) to review; "
        f"worklist: {drafts / 'worklist.csv'}"
    )
    table = out.splitlines()[0].split()
    assert table == ["file", "status", "TODO", "to", "review", "draft", "note"]
    assert f"{folder / '깨진.pdf'}: unreadable; cannot read the PDF: " in err


def test_every_file_drafted_is_exit_0_and_existing_drafts_are_kept_unless_forced(tmp_path: Path) -> None:
    folder, drafts = _folder(tmp_path, bad=False), tmp_path / "drafts"
    assert _run(folder, "--output-dir", drafts)[0] == 0
    # The analyst fills the first TODO of one draft; a second run keeps it and counts what is left.
    draft = drafts / "김포.yaml"
    started = draft.read_text(encoding="utf-8")
    first_todo = next(line for line in started.splitlines() if line.startswith("# TODO: id"))
    draft.write_text(started.replace(first_todo, "id: gimpo-mou"), encoding="utf-8")
    assert _run(folder, "--output-dir", drafts)[0] == 0
    row = {row["file"]: row for row in _worklist(drafts)}["김포.hwp"]
    assert (row["status"], row["todo_lines"]) == ("kept", str(len(todo_fields(started)) - 1))
    assert row["note"] == "draft already there (--force redrafts)"
    assert "id: gimpo-mou" in draft.read_text(encoding="utf-8")
    assert _run(folder, "--output-dir", drafts, "--force")[0] == 0
    assert draft.read_text(encoding="utf-8") == started
    assert {row["status"] for row in _worklist(drafts)} == {"drafted"}


def test_files_sharing_a_name_get_drafts_named_after_the_whole_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "seongdong-gap-eul-paren-items.txt", folder / "협약.txt")
    (folder / "협약.hwp").write_bytes(
        hwp_file([section(paragraphs_of(lines_of("seongdong-gap-eul-paren-items.txt")))])
    )
    assert _run(folder, "--output-dir", folder)[0] == 0  # the drafts beside the files: .yaml is not read
    assert sorted(path.name for path in folder.iterdir()) == [
        "worklist.csv", "협약.hwp", "협약.hwp.yaml", "협약.txt", "협약.txt.yaml",
    ]  # fmt: skip
    assert [row["status"] for row in _worklist(folder)] == ["drafted", "drafted"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{folder}"],
         "{folder}: is a directory; to draft each agreement in it, say where the drafts go: "
         "--output-dir drafts/"),
        (["{folder}", "--text"],
         "{folder}: is a directory; --output and --text are for one file (use --output-dir)"),
        (["{file}", "--output-dir", "{out}"],
         "{file}: --output-dir is for a folder of agreements; for one file use --output"),
        (["{file}", "--force"],
         "--force is for --output-dir: it redrafts a folder's files whose drafts are there already"),
        (["{empty}", "--output-dir", "{out}"],
         "{empty}: no agreement files (.hwp, .hwpx, .docx, .pdf, .txt) in the folder"),
    ],
    ids=["no-output-dir", "text-of-a-folder", "output-dir-for-a-file", "force-for-a-file", "empty-folder"],
)  # fmt: skip
def test_misuse_is_said_in_one_sentence(args: list[str], message: str, tmp_path: Path) -> None:
    places = {
        "folder": _folder(tmp_path, bad=False),
        "file": FIXTURES / "seongdong-gap-eul-paren-items.txt",
        "empty": tmp_path / "empty",
        "out": tmp_path / "out",
    }
    places["empty"].mkdir()
    (places["empty"] / "readme.md").write_text("x")
    code, out, err = _run(*(arg.format(**places) for arg in args))
    assert (code, out) == (2, "")
    # The empty folder's other files are listed first, as they are looked at.
    assert err.splitlines()[-1] == f"obligations extract: {message.format(**places)}"
    assert len(err.splitlines()) == (2 if "empty" in args[0] else 1)
    assert not (tmp_path / "out" / "worklist.csv").exists()
