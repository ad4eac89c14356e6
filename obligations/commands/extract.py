"""``obligations extract FILE``: a draft case file (YAML) from a Korean agreement (HWP, HWPX, DOCX, PDF or
text); ``obligations extract DIR --output-dir DRAFTS``: a draft for each agreement in a folder, and the
worklist of what each draft still needs reviewed.

Exit 0 with the draft on standard output (or in ``--output``); exit 2 when the file cannot be read or is not
an agreement, with one sentence on standard error saying why. For a folder: exit 0 when every agreement
file was drafted (or its draft kept), 2 when any could not be read or was not an agreement — the others are
drafted all the same.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from obligations.extract import NotAnAgreement, UnreadableText, draft_case_file, read_document
from obligations.extract.documents import MAX_DOCUMENT_BYTES
from obligations.extract.worklist import (
    WORKLIST,
    Entry,
    draft_folder,
    summary,
    worklist_csv,
    worklist_table,
)
from obligations.textfile import FileRefused, read_limited
from obligations.views.table import render, use_colour


@click.command()
@click.argument("source", metavar="FILE|DIR", type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the draft to this file instead of standard output.",
)
@click.option(
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="For a folder: write a draft per agreement here, and the worklist (worklist.csv).",
)
@click.option("--force", is_flag=True, help="With --output-dir: redraft files whose draft is there already.")
@click.option(
    "--text",
    "show_text",
    is_flag=True,
    help="Print the text as read from the file, with the line numbers the draft cites, instead of a draft.",
)
@click.option(
    "--ocr",
    is_flag=True,
    help="Read a scanned PDF (no text layer) by OCR: Tesseract's Korean model (tesseract-ocr-kor).",
)
def extract(
    source: Path, output: Path | None, output_dir: Path | None, force: bool, show_text: bool, ocr: bool
) -> None:
    """Print a draft case file (YAML) for the agreement in FILE: .hwp, .hwpx, .docx, .pdf or text (UTF-8,
    CP949); or, with --output-dir, write one for each agreement file in the folder DIR.

    Every value quotes the line it was read from; what the text does not say is left as a '# TODO:' line.
    """
    if str(source) != "-" and source.is_dir():
        if output is not None or show_text:
            _fail(f"{source}: is a directory; --output and --text are for one file (use --output-dir)")
        if output_dir is None:
            _fail(
                f"{source}: is a directory; to draft each agreement in it, say where the drafts go: "
                "--output-dir drafts/"
            )
        _folder(source, output_dir, force, ocr)
        return
    if output_dir is not None:
        _fail(f"{source}: --output-dir is for a folder of agreements; for one file use --output")
    if force:
        _fail("--force is for --output-dir: it redrafts a folder's files whose drafts are there already")
    name = "<stdin>" if str(source) == "-" else str(source)
    try:
        # The bounded reader: regular files only, never more than one byte past the limit.
        raw = (
            sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
            if str(source) == "-"
            else read_limited(source, "agreement texts", MAX_DOCUMENT_BYTES)
        )
    except FileRefused as error:
        _fail(f"{name}: {error.reason}")
    try:
        if show_text:
            document = read_document(raw, name, ocr)
            out = _numbered(document.text, document.apart)
        else:
            drafted = draft_case_file(raw, name, ocr)
            document, out = drafted.document, drafted.text
    except UnreadableText as error:
        _fail(str(error))
    except NotAnAgreement as error:
        _fail(f"{name}: {error}")
    for note in document.notes:
        click.echo(f"{name}: {note}", err=True)
    if output is None:
        click.echo(out, nl=False)
    else:
        try:
            output.write_text(out, encoding="utf-8")
        except OSError as error:
            _fail(f"{output}: cannot write the draft: {error.strerror or error}")
    if not show_text:
        what = (
            "an 'amended' event drafted (the text amends an agreement)"
            if drafted.amendment
            else "draft written"
        )
        click.echo(f"{name}: {what}; {drafted.todos} TODO line(s) to fill or review", err=True)


def _numbered(text: str, apart: tuple[str, ...]) -> str:
    """The lines the draft cites, numbered; then, unnumbered, what was kept out of the draft (notes …)."""
    out = "".join(f"{n:4d}  {line}\n" for n, line in enumerate(text.splitlines(), 1))
    if apart:
        out += "\n-- kept out of the draft (footnotes, endnotes, headers, footers) --\n"
        out += "".join(f"   -  {line}\n" for line in apart)
    return out


def _folder(folder: Path, output_dir: Path, force: bool, ocr: bool) -> None:
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{output_dir}: cannot make the folder for the drafts: {error.strerror or error}")

    def progress(entry: Entry, notes: tuple[str, ...]) -> None:
        for note in notes:
            click.echo(f"{entry.file}: {note}", err=True)
        said = f"{len(entry.todos)} TODO line(s)" if entry.draft else entry.note
        click.echo(f"{entry.file}: {entry.status.value}; {said}", err=True)

    try:
        entries = draft_folder(folder, output_dir, force=force, ocr=ocr, progress=progress)
    except OSError as error:
        _fail(f"{folder}: cannot list the folder: {error.strerror or error}")
    if not any(entry.draft or entry.status.failed for entry in entries):
        _fail(f"{folder}: no agreement files (.hwp, .hwpx, .docx, .pdf, .txt) in the folder")
    worklist = output_dir / WORKLIST
    try:
        worklist.write_bytes(worklist_csv(entries))
    except OSError as error:
        _fail(f"{worklist}: cannot write the worklist: {error.strerror or error}")
    click.echo(render(worklist_table(entries)), color=use_colour())
    click.echo(f"{summary(entries)}; worklist: {worklist}")
    if any(entry.status.failed for entry in entries):
        raise SystemExit(2)


def _fail(message: str) -> NoReturn:
    click.echo(f"obligations extract: {message}", err=True)
    raise SystemExit(2)
