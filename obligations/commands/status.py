"""``obligations status``: one row per agreement or plan — where it stands and what is next.

$ obligations status --as-of 2025-11-01
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from obligations.checking import run_check
from obligations.commands.options import (
    as_of_option,
    config_option,
    lang_option,
    open_registry,
    paths_argument,
    settings_or_exit,
)
from obligations.notify.health import last_run_note
from obligations.notify.ledger import LedgerError, RunRecord, last_run, ledger_path
from obligations.standing import standings
from obligations.views.csv import status_csv
from obligations.views.json import status_json
from obligations.views.table import status_table, use_colour
from obligations.views.words import registry_line


@click.command()
@paths_argument
@as_of_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@config_option
@lang_option
def status(paths: tuple[Path, ...], as_of: dt.date | None, fmt: str, config: Path | None, lang: str) -> None:
    """Where each agreement stands: its term (renewal k of n), renewal, next deadline, open findings, owners.

    Sorted by next deadline; under the table, when the last nightly notify run was and what it delivered.
    Exit 0, or 2 when a case file could not be read (the others are still shown).
    """
    settings = settings_or_exit(config)
    report = run_check(as_of=as_of, lang=lang, registry=open_registry(paths, settings))
    rows = standings(report, lang)
    ledger = ledger_path(None, settings.ledger)
    if fmt == "json":
        click.echo(status_json(report, rows, _last_run(ledger, lang)))
    elif fmt == "csv":
        click.echo(status_csv(rows), nl=False)
        click.echo(registry_line(report.registry, lang), err=True)
    else:
        click.echo(status_table(report, rows, lang), color=use_colour())
        click.echo(last_run_note(ledger, lang))
    if fmt != "json":  # the JSON document lists them under "errors"
        for problem in report.problems:
            click.echo(str(problem), err=True)
    raise SystemExit(2 if report.problems else 0)


def _last_run(ledger: Path, lang: str) -> RunRecord | None:
    """The last notify run for the JSON document (``last_run``); a ledger that cannot be read is said on
    standard error and gives null, so that the document itself is still written."""
    try:
        return last_run(ledger)
    except LedgerError:
        click.echo(last_run_note(ledger, lang), err=True)
        return None
