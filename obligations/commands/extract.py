"""``obligations extract FILE``: a draft case file (YAML) from the text of a Korean agreement.

Exit 0 with the draft on standard output (or in ``--output``); exit 2 when the file cannot be read or is not
an agreement, with one sentence on standard error saying why.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from obligations.extract import NotAnAgreement, UnreadableText, draft_case_file
from obligations.textfile import MAX_BYTES, FileRefused, read_limited


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, writable=True),
    help="Write the draft to this file instead of standard output.",
)
def extract(file: Path, output: Path | None) -> None:
    """Print a draft case file (YAML) for the agreement in FILE (UTF-8 text, e.g. converted from HWP).

    Every value quotes the line it was read from; what the text does not say is left as a '# TODO:' line.
    """
    name = "<stdin>" if str(file) == "-" else str(file)
    try:
        raw = (
            sys.stdin.buffer.read(MAX_BYTES + 1)
            if str(file) == "-"
            else read_limited(file, "agreement texts")
        )
    except FileRefused as error:
        _fail(f"{name}: {error.reason}")
    if len(raw) > MAX_BYTES:
        _fail(f"{name}: more than 1 MiB; an agreement's text is a few pages (is this the right file?)")
    try:
        draft, todos = draft_case_file(raw, name)
    except (UnreadableText, NotAnAgreement) as error:
        _fail(f"{name}: {error}" if isinstance(error, NotAnAgreement) else str(error))
    if output is None:
        click.echo(draft, nl=False)
    else:
        try:
            output.write_text(draft, encoding="utf-8")
        except OSError as error:
            _fail(f"{output}: cannot write the draft: {error.strerror or error}")
    click.echo(f"{name}: draft written; {todos} TODO line(s) to fill or review", err=True)


def _fail(message: str) -> NoReturn:
    click.echo(f"obligations extract: {message}", err=True)
    raise SystemExit(2)
