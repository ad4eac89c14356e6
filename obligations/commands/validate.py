"""``obligations validate [PATH...]``: is every case file readable, complete and consistent?"""

from __future__ import annotations

from pathlib import Path

import click

from obligations.commands.options import paths_argument
from obligations.registry import load_registry


@click.command()
@paths_argument
def validate(paths: tuple[Path, ...]) -> None:
    """Check case files (default: the bundled registry) without evaluating them.

    Prints one line per valid file; otherwise every problem as FILE:LINE: FIELD: MESSAGE, and exits 2.
    """
    registry = load_registry(paths)
    for case in registry.cases:
        agreement = case.agreement
        click.echo(
            f"ok  {case.path}  {agreement.id}: {len(agreement.parties)} parties, "
            f"{len(agreement.obligations)} obligations, {len(agreement.events)} events"
        )
    for problem in registry.problems:
        click.echo(str(problem), err=True)
    if registry.problems:
        files = len({problem.file for problem in registry.problems})
        click.echo(f"{len(registry.problems)} problem(s) in {files} file(s)", err=True)
        raise SystemExit(2)
    if not registry.files:
        click.echo("no case files (*.yaml) found", err=True)
        raise SystemExit(2)
