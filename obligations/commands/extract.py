"""``obligations extract FILE``: a draft case file (YAML) from a Korean agreement (HWPX, DOCX, PDF or text).

Exit 0 with the draft on standard output (or in ``--output``); exit 2 when the file cannot be read or is not
an agreement, with one sentence on standard error saying why.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from obligations.extract import NotAnAgreement, UnreadableText, draft_case_file, read_document
from obligations.extract.documents import MAX_DOCUMENT_BYTES
from obligations.textfile import FileRefused, read_limited


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the draft to this file instead of standard output.",
)
@click.option(
    "--text",
    "show_text",
    is_flag=True,
    help="Print the text as read from the file, with the line numbers the draft cites, instead of a draft.",
)
def extract(file: Path, output: Path | None, show_text: bool) -> None:
    """Print a draft case file (YAML) for the agreement in FILE: .hwpx, .docx, .pdf or text (UTF-8, CP949).

    Every value quotes the line it was read from; what the text does not say is left as a '# TODO:' line.
    """
    name = "<stdin>" if str(file) == "-" else str(file)
    try:
        # The bounded reader: regular files only, never more than one byte past the limit.
        raw = (
            sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
            if str(file) == "-"
            else read_limited(file, "agreement texts", MAX_DOCUMENT_BYTES)
        )
    except FileRefused as error:
        _fail(f"{name}: {error.reason}")
    try:
        if show_text:
            document = read_document(raw, name)
            out = "".join(f"{n:4d}  {line}\n" for n, line in enumerate(document.text.splitlines(), 1))
        else:
            drafted = draft_case_file(raw, name)
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
        click.echo(f"{name}: draft written; {drafted.todos} TODO line(s) to fill or review", err=True)


def _fail(message: str) -> NoReturn:
    click.echo(f"obligations extract: {message}", err=True)
    raise SystemExit(2)
