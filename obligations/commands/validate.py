"""``obligations validate [PATH...]``: is every case file readable, complete and consistent?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.buckets import in_buckets
from obligations.commands.options import config_option, paths_argument, registry_paths, settings_or_exit
from obligations.commands.progress import progress_line, quiet_option
from obligations.findings import InputProblem
from obligations.loading import field_path
from obligations.registry import Admission, CaseFile, CaseRead, Registry, open_registry, read_case
from obligations.views.words import registry_line


@click.command()
@paths_argument
@config_option
@quiet_option
def validate(paths: tuple[Path, ...], config: Path | None, quiet: bool) -> None:
    """Check case files (PATH, else OBLIGATIONS_REGISTRY, else the bundled sample) without evaluating them.

    Prints one line per valid file; otherwise every problem as FILE:LINE: FIELD: MESSAGE, and exits 2.
    Warnings (a party whose findings reach no owner, an event dated after today in Seoul) are printed but
    do not change the exit status.
    """
    registry = open_registry(registry_paths(paths, settings_or_exit(config)))
    admission = Admission(registry)
    valid: list[str] = []
    warnings: list[str] = []
    # Today is fixed here, once, and sent to the workers: every file is judged against the same day.
    checked = partial(_checked_files, registry, today_in_seoul())
    with progress_line("validating", quiet) as progress:
        # Read in buckets, on every core for a large registry; whether a file joins is decided in file order.
        for read, future in in_buckets(registry.files, checked, progress=progress):
            problems = admission.problems(read)
            registry.problems.extend(problems)
            if not problems:
                parties, obligations, events = read.counts
                valid.append(
                    f"ok  {read.path}  {read.agreement}: {parties} parties, "
                    f"{obligations} obligations, {events} events"
                )
                warnings.extend(f"warning: {warning}" for warning in (*read.warnings, *future))
    for line in valid:
        click.echo(line)
    for line in warnings:
        click.echo(line, err=True)
    for problem in registry.problems:
        click.echo(str(problem), err=True)
    if registry.problems:
        files = len({problem.file for problem in registry.problems})
        click.echo(f"{len(registry.problems)} problem(s) in {files} file(s)", err=True)
        raise SystemExit(2)
    if not registry.files:
        click.echo("no case files (*.yaml) found", err=True)
        raise SystemExit(2)
    click.echo(registry_line(registry, "en"))


def _checked_files(
    registry: Registry, today: dt.date, paths: Sequence[Path]
) -> list[tuple[CaseRead, tuple[InputProblem, ...]]]:
    """Each file read (see :func:`read_case`), with the warnings of its events dated after ``today``."""
    checked = []
    for path in paths:
        read, case = read_case(registry, path)
        checked.append((read, tuple(events_after(case, today)) if case is not None else ()))
    return checked


def events_after(case: CaseFile, today: dt.date) -> Iterator[InputProblem]:
    """The events dated after ``today``: a record of what has not happened yet is most often a typo of the
    year (2062 for 2026), and until that day comes it closes findings that are still open."""
    for i, event in enumerate(case.agreement.events):
        if event.date > today:
            where = ("events", i, "date")
            yield InputProblem(
                str(case.path),
                case.document.line(where),
                field_path(where),
                f"{event.type} dated {event.date.isoformat()}, after today "
                f"({today.isoformat()}, Asia/Seoul); an event is recorded once it has happened — a typo?",
            )
