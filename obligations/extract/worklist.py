"""A folder of agreements drafted at once (``extract DIR --output-dir drafts/``), and the onboarding
worklist: what each draft still needs reviewed.

Each agreement file (``.hwp``, ``.hwpx``, ``.docx``, ``.pdf``, ``.txt``) in the folder becomes a draft named
after it (``협약서.hwp`` → ``협약서.yaml``; ``협약서.hwp.yaml`` and ``협약서.pdf.yaml`` when two files share
the name). A 변경협약 (an amendment of an agreement) is drafted as the ``amended`` event it asks for,
listed as ``amendment``. A file that cannot be read, or is not an agreement, is listed with the reason and the
others go on.
A draft already in the output folder is kept (an analyst may have started on it) and its TODO lines are
counted as they stand now, so that running again after adding files updates the worklist.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from rich.table import Table

from obligations.extract import Draft, NotAnAgreement, UnreadableText, draft_case_file
from obligations.extract.documents import MAX_DOCUMENT_BYTES
from obligations.textfile import FileRefused, read_limited

AGREEMENT_SUFFIXES = (".hwp", ".hwpx", ".docx", ".pdf", ".txt")
WORKLIST = "worklist.csv"
_TODO = re.compile(r"^\s*# TODO: (?P<field>[a-z_.]+[a-z_])\b")


class Status(Enum):
    DRAFTED = "drafted"
    KEPT = "kept"  # a draft was there already; not read again without --force
    AMENDMENT = "amendment"  # a 변경협약: its draft is an 'amended' event for the original's case file
    UNREADABLE = "unreadable"
    NOT_AN_AGREEMENT = "not an agreement"
    SKIPPED = "skipped"  # not an agreement file by its name: a spreadsheet, a picture, a folder

    @property
    def failed(self) -> bool:
        return self in (Status.UNREADABLE, Status.NOT_AN_AGREEMENT)


@dataclass(frozen=True)
class Entry:
    """One file of the folder: what became of it, and what its draft still needs."""

    file: Path
    status: Status
    draft: Path | None = None
    todos: tuple[str, ...] = ()  # the field of each '# TODO:' line, in the draft's order
    note: str = ""

    @property
    def fields(self) -> str:
        """``id, source, owners ×2, review ×3``: the TODO fields, each once, with how many lines."""
        counts = Counter(self.todos)
        return ", ".join(f"{field} ×{counts[field]}" if counts[field] > 1 else field for field in counts)


def todo_fields(draft: str) -> tuple[str, ...]:
    return tuple(match["field"] for line in draft.splitlines() if (match := _TODO.match(line)))


def draft_names(files: Sequence[Path]) -> dict[Path, str]:
    """Each file's draft name: its stem, or its whole name when another file has the same stem.

    Stems are compared without case, since Windows and macOS folders do.

    >>> sorted(draft_names([Path("a.hwp"), Path("A.pdf"), Path("b.txt")]).values())
    ['A.pdf.yaml', 'a.hwp.yaml', 'b.yaml']
    """
    shared = Counter(file.stem.lower() for file in files)
    return {file: f"{file.name if shared[file.stem.lower()] > 1 else file.stem}.yaml" for file in files}


def draft_folder(
    folder: Path,
    output: Path,
    *,
    force: bool = False,
    ocr: bool = False,
    progress: Callable[[Entry, tuple[str, ...]], None] = lambda entry, notes: None,
) -> list[Entry]:
    """Draft every agreement file of ``folder`` into ``output``; one entry per file, in name order.

    ``progress`` hears of each file as it is done, with the reader's notes (CP949, OCR, dropped lines).
    """
    children = sorted(
        (
            path
            for path in folder.iterdir()
            if not path.name.startswith((".", "~$"))  # hidden files, Office's lock files
            and path.resolve() != output.resolve()  # the drafts' own folder, when inside
        ),
        key=lambda path: path.name,
    )
    agreements = [
        path for path in children if path.suffix.lower() in AGREEMENT_SUFFIXES and not path.is_dir()
    ]
    names = draft_names(agreements)
    entries = []
    for path in children:
        notes: tuple[str, ...] = ()
        if path not in names:
            what = "a folder (not entered)" if path.is_dir() else f"not {', '.join(AGREEMENT_SUFFIXES)}"
            entry = Entry(path, Status.SKIPPED, note=what)
        else:
            entry, notes = _draft_one(path, output / names[path], force, ocr)
        progress(entry, notes)
        entries.append(entry)
    return entries


def _draft_one(path: Path, target: Path, force: bool, ocr: bool) -> tuple[Entry, tuple[str, ...]]:
    if target.exists() and not force:
        try:
            kept = target.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            return Entry(path, Status.UNREADABLE, note=f"{target}: {error.strerror or error}"), ()
        return Entry(
            path, Status.KEPT, target, todo_fields(kept), "draft already there (--force redrafts)"
        ), ()
    try:
        drafted: Draft = draft_case_file(
            read_limited(path, "agreement texts", MAX_DOCUMENT_BYTES), str(path), ocr
        )
    except FileRefused as error:
        return Entry(path, Status.UNREADABLE, note=error.reason), ()
    except UnreadableText as error:
        return Entry(path, Status.UNREADABLE, note=str(error).removeprefix(f"{path}: ")), ()
    except NotAnAgreement as error:
        return Entry(path, Status.NOT_AN_AGREEMENT, note=str(error).removeprefix("not an agreement: ")), ()
    except Exception as error:  # a fault of the reader on this file must not stop the other files
        return Entry(path, Status.UNREADABLE, note=f"{type(error).__name__}: {error} (please report)"), ()
    try:
        target.write_text(drafted.text, encoding="utf-8")
    except OSError as error:
        return Entry(path, Status.UNREADABLE, note=f"cannot write {target}: {error.strerror or error}"), ()
    notes = drafted.document.notes
    status = Status.AMENDMENT if drafted.amendment else Status.DRAFTED
    said = ("an 'amended' event: append it under the amended agreement's events", *notes)
    note = "; ".join(said if drafted.amendment else notes)
    return Entry(path, status, target, todo_fields(drafted.text), note), notes


# ---------------------------------------------------------------------------------------------------------
# The worklist, as a CSV file and as a table

COLUMNS = ("file", "status", "todo_lines", "todo_fields", "draft", "note")


def _row(entry: Entry, draft: str) -> tuple[str, ...]:
    todos = str(len(entry.todos)) if entry.draft else ""
    return (entry.file.name, entry.status.value, todos, entry.fields, draft, entry.note)


def worklist_csv(entries: Iterable[Entry]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Korean names as Korean; drafts by their path."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180, what Excel writes
    writer.writerow(COLUMNS)
    writer.writerows(_row(entry, str(entry.draft or "")) for entry in entries)
    return text.getvalue().encode("utf-8-sig")


def worklist_table(entries: Sequence[Entry]) -> Table:
    """The worklist for the terminal: drafts by their name (the folder is said once, below the table)."""
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("file", "status", "TODO", "to review", "draft", "note"):
        table.add_column(column, justify="right" if column == "TODO" else "left", overflow="fold")
    for entry in entries:
        table.add_row(*_row(entry, entry.draft.name if entry.draft else ""))
    return table


def summary(entries: Sequence[Entry]) -> str:
    """``12 file(s): 9 drafted, 1 kept, 1 unreadable, 1 not an agreement; 41 TODO line(s) to review``."""
    counts = Counter(entry.status for entry in entries)
    said = ", ".join(f"{counts[status]} {status.value}" for status in Status if counts[status])
    todos = sum(len(entry.todos) for entry in entries)
    return f"{len(entries)} file(s): {said}; {todos} TODO line(s) to review"
