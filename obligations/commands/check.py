"""``obligations check`` and ``obligations explain``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import click

from obligations.checking import Report, run_check
from obligations.commands.options import (
    as_of_option,
    check_filters,
    config_option,
    find_finding,
    horizon_option,
    lang_option,
    ledger_option,
    open_registry,
    paths_argument,
    registry_paths,
    settings_or_exit,
)
from obligations.commands.progress import progress_line, quiet_option
from obligations.duration import Duration
from obligations.findings import Finding, Severity
from obligations.notify.ledger import LedgerError, Snooze, active_snoozes
from obligations.views.words import registry_line

FAIL_ON = ["info", "warning", "critical", "never"]


def _snoozes(ledger: Path | None, as_of: dt.date) -> dict[str, Snooze]:
    """The snoozes notify honours, to show them; an unreadable ledger is reported, not fatal to a check."""
    try:
        return active_snoozes(ledger, as_of)
    except LedgerError as error:
        click.echo(f"obligations check: snoozes not shown: {error}", err=True)
        return {}


def _exit_code(report: Report, findings: list[Finding], fail_on: str) -> int:
    """2 when input could not be read, 1 when a finding (not snoozed) is at or above --fail-on, else 0."""
    if report.problems:
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    return int(any(f.severity.rank >= threshold and f.snoozed_until is None for f in findings))


@click.command()
@paths_argument
@as_of_option
@horizon_option
@click.option("--party", "parties", multiple=True, help="Only findings of this party key (repeatable).")
@click.option("--agreement", "agreements", multiple=True, help="Only this agreement id (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True)
@ledger_option
@config_option
@lang_option
@quiet_option
def check(
    paths: tuple[Path, ...],
    as_of: dt.date | None,
    horizon: Duration,
    parties: tuple[str, ...],
    agreements: tuple[str, ...],
    fmt: str,
    fail_on: str,
    ledger: Path | None,
    config: Path | None,
    lang: str,
    quiet: bool,
) -> None:
    """Evaluate the registry and list what needs action (PATH, else OBLIGATIONS_REGISTRY, else the
    bundled sample registry).

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 when a file could not be read
    (the other files are still checked) or a --party or --agreement names nothing in the registry.
    """
    settings = settings_or_exit(config)
    with progress_line("checking", quiet) as progress:
        if agreements or parties:
            # A filter is checked against the registry first (a typo must not silence a cron job), so
            # every case file is loaded; without one the files are streamed (only findings are kept).
            registry = open_registry(paths, settings)
            check_filters(registry, agreements, parties)
            report = run_check(
                as_of=as_of, horizon=horizon, lang=lang, agreements=agreements, registry=registry
            )
        else:
            report = run_check(
                registry_paths(paths, settings), as_of, horizon=horizon, lang=lang, progress=progress
            )
    snoozes = _snoozes(ledger, report.as_of)
    findings = [
        replace(f, snoozed_until=snoozes[f.id].until) if f.id in snoozes else f
        for f in report.findings
        if not parties or f.party in parties
    ]
    # Each format's view is imported only for it: rich (the table) and orjson (JSON, CSV) cost start-up.
    if fmt == "json":
        from obligations.views.json import report_json

        # Bytes, not text: a large registry's document is not copied once more to be decoded and encoded.
        click.echo(report_json(report, findings))
    elif fmt == "csv":
        from obligations.views.csv import findings_csv

        click.echo(findings_csv(findings), nl=False)
        click.echo(registry_line(report.registry, lang), err=True)
    else:
        from obligations.views.table import report_table, use_colour

        click.echo(report_table(report, findings, lang), color=use_colour())
    if fmt != "json":  # the JSON document lists them under "errors"
        for problem in report.problems:
            click.echo(str(problem), err=True)
    raise SystemExit(_exit_code(report, findings, fail_on))


@click.command()
@click.argument("finding_id")
@paths_argument
@as_of_option
@horizon_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
@lang_option
def explain(
    finding_id: str,
    paths: tuple[Path, ...],
    as_of: dt.date | None,
    horizon: Duration,
    fmt: str,
    config: Path | None,
    lang: str,
) -> None:
    """Print how every date behind a finding was derived (article by article, holiday by holiday)."""
    registry = open_registry(paths, settings_or_exit(config))
    report = run_check(as_of=as_of, horizon=horizon, lang=lang, registry=registry)
    finding = find_finding(report, finding_id)
    if fmt == "json":
        from obligations.views.json import explanation_json  # see check

        click.echo(explanation_json(finding))
        return
    from obligations.views.table import explanation

    for line in explanation(finding, lang):
        click.echo(line)
