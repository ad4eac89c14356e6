"""``obligations notify``: the nightly job that mails each owner a digest of what needs action.

Exit 0 when every digest due was delivered and every file was read (one summary line on stdout);
1 when something was not delivered (summary and details on stderr; it is retried by the next run);
2 when a case file could not be read (an input error) — the other files are still checked and
their digests delivered — or when the run could not start: bad usage, bad mail settings, a damaged or
locked ledger, or another run holding the lock too long; nothing is sent then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.checking import run_check
from obligations.commands.options import (
    as_of_option,
    config_option,
    horizon_option,
    lang_option,
    ledger_option,
    paths_argument,
    registry_paths,
    settings_or_exit,
    wait_option,
)
from obligations.commands.progress import progress_line, quiet_option
from obligations.duration import Duration
from obligations.locking import LockError
from obligations.notify.keepers import BUNDLED
from obligations.notify.ledger import LedgerError
from obligations.notify.run import RunOptions, run_notify
from obligations.registry import AgreementsByFile


@click.command()
@paths_argument
@as_of_option
@click.option(
    "--dry-run", is_flag=True, help="Print the digests that would be sent; send and record nothing."
)
@click.option(
    "--outbox",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write .eml files into this folder instead of using SMTP (the default when no SMTP host is set).",
)
@ledger_option
@config_option
@wait_option("another notify run (or a busy ledger)")
@horizon_option
@lang_option
@quiet_option
def notify(
    paths: tuple[Path, ...],
    as_of: dt.date | None,
    dry_run: bool,
    outbox: Path | None,
    ledger: Path | None,
    config: Path | None,
    wait: float,
    horizon: Duration,
    lang: str,
    quiet: bool,
) -> None:
    """Mail each owner one digest of the findings that are new, escalated or at a reminder milestone.

    Reminder milestones: 30, 14, 7, 3, 1 and 0 days before a date (OBLIGATIONS_REMINDER_DAYS). Nothing is
    mailed twice for the same milestone; a message is recorded only once the server accepted it.
    """
    settings = settings_or_exit(config)
    as_of = as_of or today_in_seoul()
    with progress_line("checking", quiet) as progress:
        report = run_check(
            registry_paths(paths, settings), as_of, horizon=horizon, lang=lang, progress=progress
        )
    # Which registry was read, the same however it was named: the keepers' problems are resolved within it.
    scope = ", ".join(str(path.resolve()) for path in report.registry.roots) or BUNDLED
    options = RunOptions(
        as_of=as_of, lang=lang, dry_run=dry_run, outbox=outbox, ledger=ledger, wait=wait, scope=scope
    )
    # Read again only for the items a digest says were resolved (the check streamed the files).
    agreements = AgreementsByFile(report.registry)
    try:
        # Only agreements checked to the end: a finding of a file that failed tonight is not "resolved".
        result = run_notify(
            report.findings,
            report.registry.contacts,
            report.checked,
            settings,
            options,
            agreements=agreements,
            unread=report.problems,
        )
    except LedgerError as error:
        click.echo(f"obligations notify: {error}", err=True)
        raise SystemExit(2) from error
    except LockError as error:
        click.echo(f"obligations notify: {error}. Nothing was sent by this run", err=True)
        raise SystemExit(2) from error
    result.problems[:0] = [f"input: {problem}" for problem in report.problems]
    if dry_run and result.preview:
        click.echo(result.preview)
    if result.ok:
        click.echo(result.summary())
        return
    for line in result.details():
        click.echo(line, err=True)
    click.echo(result.summary(), err=True)
    raise SystemExit(2 if report.problems else 1)
