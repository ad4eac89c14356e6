"""The ``obligations`` command line (click). Exit 0 = nothing at or above --fail-on, 1 = findings, 2 = bad
usage or bad input (docs/operations.md)."""

from __future__ import annotations

import sys

import click

from obligations import __version__
from obligations.commands.calendar import calendar
from obligations.commands.check import check, explain
from obligations.commands.extract import extract
from obligations.commands.notify import notify
from obligations.commands.period import period
from obligations.commands.record import record
from obligations.commands.report import report
from obligations.commands.snooze import snooze
from obligations.commands.status import status
from obligations.commands.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="obligations")
def cli() -> None:
    """Check agreements (업무협약/MOU) and plans: notice windows, expiries, renewals, unfulfilled roles."""


cli.add_command(check)
cli.add_command(status)
cli.add_command(record)
cli.add_command(explain)
cli.add_command(validate)
cli.add_command(period)
cli.add_command(notify)
cli.add_command(snooze)
cli.add_command(calendar)
cli.add_command(extract)
cli.add_command(report)


def main() -> None:
    """Console entry point: never a traceback for the user; an unexpected error exits 2 with one line."""
    try:
        cli.main(prog_name="obligations", standalone_mode=True)
    except Exception as error:  # the last guard: the user gets a sentence, not a traceback
        click.echo(f"obligations: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)
