"""How far a long run has got, on stderr: ``checking: 2,500/10,000 agreements``, rewritten in place.

Shown only when stderr is a terminal (a nightly job's log gets no carriage returns) and never with --quiet.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from obligations.buckets import Progress

quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress line on the terminal.")


@contextmanager
def progress_line(verb: str, quiet: bool) -> Iterator[Progress | None]:
    """A progress callback for :func:`obligations.buckets.in_buckets` (None when nothing is to be shown);
    the line is wiped when the block ends, so that the command's own output starts on a clean line."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal shown
        shown = True
        click.echo(f"\r{verb}: {done:,}/{total:,} agreements", err=True, nl=False)

    try:
        yield show
    finally:
        if shown:
            click.echo("\r\x1b[K", err=True, nl=False)  # carriage return, then erase to the end of the line
