"""``obligations check`` and ``obligations explain``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import click

from obligations.checking import Report, run_check
from obligations.commands.options import (
    as_of_option,
    horizon_option,
    lang_option,
    ledger_option,
    paths_argument,
)
from obligations.commands.progress import progress_line, quiet_option
from obligations.duration import Duration
from obligations.findings import Finding, Severity
from obligations.notify.ledger import LedgerError, Snooze, active_snoozes
from obligations.output import explanation, report_json, report_table, use_colour

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
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="warning", show_default=True)
@ledger_option
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
    lang: str,
    quiet: bool,
) -> None:
    """Evaluate the registry (default: the bundled one) and list what needs action.

    Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 when a file could not be read
    (the other files are still checked).
    """
    with progress_line("checking", quiet) as progress:
        report = run_check(paths, as_of, horizon=horizon, lang=lang, agreements=agreements, progress=progress)
    snoozes = _snoozes(ledger, report.as_of)
    findings = [
        replace(f, snoozed_until=snoozes[f.id].until) if f.id in snoozes else f
        for f in report.findings
        if not parties or f.party in parties
    ]
    if fmt == "json":
        click.echo(report_json(report, findings))
    else:
        for line in report_table(report, findings, lang):
            click.echo(line, color=use_colour())
        for problem in report.problems:
            click.echo(str(problem), err=True)
    raise SystemExit(_exit_code(report, findings, fail_on))


@click.command()
@click.argument("finding_id")
@paths_argument
@as_of_option
@horizon_option
@lang_option
def explain(
    finding_id: str, paths: tuple[Path, ...], as_of: dt.date | None, horizon: Duration, lang: str
) -> None:
    """Print how every date behind a finding was derived (article by article, holiday by holiday)."""
    report = run_check(paths, as_of, horizon=horizon, lang=lang)
    finding = next((f for f in report.findings if f.id == finding_id), None)
    if finding is None:
        known = ", ".join(f.id for f in report.findings) or "none"
        raise click.UsageError(f"no finding {finding_id!r} as of {report.as_of}; findings that day: {known}")
    for line in explanation(finding):
        click.echo(line)
