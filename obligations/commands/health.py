"""``obligations health``: exit 0 when the nightly notify job ran recently and left nothing behind.

    $ obligations health --max-age 26h
    ok: last notify run finished 2025-11-01 06:31+09:00 (3 h ago) as of 2025-11-01: 4 digest(s) delivered

Exit 1 names why not: no run recorded, the last one too long ago, digests not delivered, files unread.
Exit 2: bad usage, or a ledger that cannot be read. Meant for a monitor: a systemd ``OnFailure=`` unit, a
cron line that mails the keeper, a monitoring agent (docs/operations.md, "Is the job alive?").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from obligations.commands.options import config_option, lang_option, ledger_option, settings_or_exit
from obligations.commands.params import AGE
from obligations.notify.health import judge
from obligations.notify.ledger import LedgerError, last_run, ledger_path


@click.command()
@ledger_option
@click.option(
    "--max-age",
    type=AGE,
    default="26h",
    show_default=True,
    help="How long ago the last run may have finished: a whole number with s, min, h or d.",
)
@config_option
@lang_option
def health(ledger: Path | None, max_age: timedelta, config: Path | None, lang: str) -> None:
    """Did the last notify run finish within --max-age, and deliver everything and read every file?

    Exit 0 (one line on stdout) if so; 1 (the line names why not) otherwise; 2 on bad usage or a ledger
    that cannot be read.
    """
    path = ledger_path(ledger, settings_or_exit(config).ledger)
    try:
        run = last_run(path)
    except LedgerError as error:
        click.echo(f"obligations health: {error}", err=True)
        raise SystemExit(2) from error
    verdict = judge(run, path, datetime.now().astimezone(), max_age, lang)
    click.echo(verdict.line, err=not verdict.healthy)
    raise SystemExit(0 if verdict.healthy else 1)
