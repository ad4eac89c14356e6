"""``obligations validate [PATH...]``: is every case file readable, complete and consistent?"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from obligations.buckets import in_buckets
from obligations.commands.options import config_option, paths_argument, registry_paths, settings_or_exit
from obligations.commands.progress import progress_line, quiet_option
from obligations.registry import Admission, open_registry, read_cases
from obligations.views.words import registry_line


@click.command()
@paths_argument
@config_option
@quiet_option
def validate(paths: tuple[Path, ...], config: Path | None, quiet: bool) -> None:
    """Check case files (PATH, else OBLIGATIONS_REGISTRY, else the bundled sample) without evaluating them.

    Prints one line per valid file; otherwise every problem as FILE:LINE: FIELD: MESSAGE, and exits 2.
    Warnings (a party whose findings reach no owner) are printed but do not change the exit status.
    """
    registry = open_registry(registry_paths(paths, settings_or_exit(config)))
    admission = Admission(registry)
    valid: list[str] = []
    warnings: list[str] = []
    with progress_line("validating", quiet) as progress:
        # Read in buckets, on every core for a large registry; whether a file joins is decided in file order.
        for read in in_buckets(registry.files, partial(read_cases, registry), progress=progress):
            problems = admission.problems(read)
            registry.problems.extend(problems)
            if not problems:
                parties, obligations, events = read.counts
                valid.append(
                    f"ok  {read.path}  {read.agreement}: {parties} parties, "
                    f"{obligations} obligations, {events} events"
                )
                warnings.extend(f"warning: {warning}" for warning in read.warnings)
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
