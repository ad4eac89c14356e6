"""``obligations snooze``: keep one finding out of the digests until a date, with a reason on record.

    obligations snooze notice-window-47d8e740 --until 2025-11-20 --reason "재계약 협의 중 (담당 회의 11/19)"
    obligations snooze --list
    obligations snooze notice-window-47d8e740 --lift

The snooze holds up to the day before ``--until``; on that day the finding is mailed again if it is still
open (with whatever milestone it reached meanwhile). ``check`` shows snoozed findings as such.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.commands.options import config_option, ledger_option, settings_or_exit
from obligations.commands.params import DAY
from obligations.notify.ledger import Ledger, LedgerError, ledger_path
from obligations.notify.text import one_line

_FINDING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")


@click.command()
@click.argument("finding_id", required=False)
@click.option("--until", type=DAY, default=None, help="First day on which the finding is mailed again.")
@click.option("--reason", default=None, help="Why it is snoozed (kept in the ledger, shown by --list).")
@click.option("--list", "list_", is_flag=True, help="List the snoozes in the ledger.")
@click.option("--lift", is_flag=True, help="Remove the snooze of FINDING_ID.")
@ledger_option
@config_option
def snooze(
    finding_id: str | None,
    until: dt.date | None,
    reason: str | None,
    list_: bool,
    lift: bool,
    ledger: Path | None,
    config: Path | None,
) -> None:
    """Snooze FINDING_ID (as printed by check and in the digests) until a date, or list the snoozes."""
    path = ledger_path(ledger, settings_or_exit(config).ledger)
    try:
        if list_:
            if finding_id or until or reason or lift:
                raise click.UsageError("--list takes no FINDING_ID, --until, --reason or --lift")
            _list(path)
            return
        if not finding_id:
            raise click.UsageError("give a FINDING_ID (e.g. notice-window-47d8e740), or --list")
        if not _FINDING_ID.fullmatch(finding_id):
            raise click.BadParameter(
                f"{finding_id!r} is not a finding id; ids look like 'notice-window-47d8e740' (see check)",
                param_hint="FINDING_ID",
            )
        if lift:
            _lift(path, finding_id)
            return
        _snooze(path, finding_id, until, reason)
    except LedgerError as error:
        click.echo(f"obligations snooze: {error}", err=True)
        raise SystemExit(2) from error


def _snooze(path: Path, finding_id: str, until: dt.date | None, reason: str | None) -> None:
    if until is None:
        raise click.UsageError("--until DATE is required, e.g. --until 2025-11-20")
    today = today_in_seoul()
    if until <= today:
        raise click.BadParameter(
            f"{until.isoformat()} is not after today ({today.isoformat()})", param_hint="--until"
        )
    text = one_line(reason or "", 500)
    if not text:
        raise click.UsageError("--reason TEXT is required: say why, for whoever reads the ledger later")
    with Ledger.open(path) as opened:
        opened.snooze(finding_id, until, text, at=datetime.now().astimezone())
    click.echo(f"snoozed {finding_id} until {until.isoformat()} (mailed again from that day): {text}")


def _lift(path: Path, finding_id: str) -> None:
    with Ledger.open(path) as opened:
        found = opened.lift(finding_id)
    if not found:
        raise click.BadParameter(f"{finding_id!r} is not snoozed in {path}", param_hint="FINDING_ID")
    click.echo(f"lifted the snooze of {finding_id}")


def _list(path: Path) -> None:
    opened = Ledger.open_existing(path)
    entries = []
    if opened is not None:
        with opened:
            entries = opened.snoozes()
    today = today_in_seoul()
    if not entries:
        click.echo(f"no snoozes in {path}")
        return
    for entry in entries:
        state = "active" if today < entry.until else "expired"
        click.echo(
            f"{entry.finding_id}  until {entry.until.isoformat()}  {state}  {entry.reason}  "
            f"(recorded {entry.created_at})"
        )
