"""``obligations validate [PATH...]``: is every case file readable, complete and consistent?"""

from __future__ import annotations

from pathlib import Path

import click

from obligations.commands.options import config_option, open_registry, paths_argument, settings_or_exit
from obligations.registry import unreached_parties
from obligations.views.words import registry_line


@click.command()
@paths_argument
@config_option
def validate(paths: tuple[Path, ...], config: Path | None) -> None:
    """Check case files (PATH, else OBLIGATIONS_REGISTRY, else the bundled sample) without evaluating them.

    Prints one line per valid file; otherwise every problem as FILE:LINE: FIELD: MESSAGE, and exits 2.
    Warnings (a party whose findings reach no owner) are printed but do not change the exit status.
    """
    registry = open_registry(paths, settings_or_exit(config))
    for case in registry.cases:
        agreement = case.agreement
        click.echo(
            f"ok  {case.path}  {agreement.id}: {len(agreement.parties)} parties, "
            f"{len(agreement.obligations)} obligations, {len(agreement.events)} events"
        )
    for warning in unreached_parties(registry):
        click.echo(f"warning: {warning}", err=True)
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
