"""``obligations snooze``: keep one finding out of the digests until a date, with a reason on record.

    obligations snooze notice-window-47d8e740 --as-of 2025-11-01 --until 2025-11-20 --reason "재계약 협의 중"
    obligations snooze --list
    obligations snooze notice-window-47d8e740 --lift

The snooze holds up to the day before ``--until``; on that day the finding is mailed again if it is still
open (with whatever milestone it reached meanwhile). ``check`` shows snoozed findings as such.

The id must be one that ``check`` reports for that registry on the ``--as-of`` day (a typo would otherwise
be recorded and silence nothing), and unless ``--force`` a snooze must end in time to act: ``--until`` may
not be after the finding's day to act by — a notice window's act-by day (the last working day on or before
the legal deadline), a due's due day. ``--until`` is the first day the finding is mailed again, so the
act-by day itself is the latest allowed: later, and the owner would hear nothing on the last day they can act.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.checking import run_check
from obligations.commands.options import (
    as_of_option,
    config_option,
    find_finding,
    ledger_option,
    open_registry,
    paths_argument,
    settings_or_exit,
    wait_option,
)
from obligations.commands.params import DAY
from obligations.findings import Finding
from obligations.locking import LockError
from obligations.notify.ledger import Ledger, LedgerError, ledger_path
from obligations.notify.lock import RunLock
from obligations.views.text import one_line

_FINDING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")


@click.command()
@click.argument("finding_id", required=False)
@paths_argument
@click.option("--until", type=DAY, default=None, help="First day on which the finding is mailed again.")
@click.option("--reason", default=None, help="Why it is snoozed (kept in the ledger, shown by --list).")
@as_of_option
@click.option("--force", is_flag=True, help="Snooze even past the day the finding must be acted on by.")
@click.option("--list", "list_", is_flag=True, help="List the snoozes in the ledger.")
@click.option("--lift", is_flag=True, help="Remove the snooze of FINDING_ID.")
@ledger_option
@config_option
@wait_option("a notify run (or another snooze) holding the ledger")
def snooze(
    finding_id: str | None,
    paths: tuple[Path, ...],
    until: dt.date | None,
    reason: str | None,
    as_of: dt.date | None,
    force: bool,
    list_: bool,
    lift: bool,
    ledger: Path | None,
    config: Path | None,
    wait: float,
) -> None:
    """Snooze FINDING_ID (as printed by check and in the digests) until a date, or list the snoozes.

    PATH is the registry that reports it (default: OBLIGATIONS_REGISTRY, else the bundled sample).
    """
    settings = settings_or_exit(config)
    path = ledger_path(ledger, settings.ledger)
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
            _lift(path, finding_id, wait)
            return
        if until is None:
            raise click.UsageError("--until DATE is required, e.g. --until 2025-11-20")
        text = one_line(reason or "", 500)
        if not text:
            raise click.UsageError("--reason TEXT is required: say why, for whoever reads the ledger later")
        as_of = as_of or today_in_seoul()
        if until <= as_of:
            raise click.BadParameter(
                f"{until.isoformat()} is not after the as-of day ({as_of.isoformat()})", param_hint="--until"
            )
        report = run_check(as_of=as_of, registry=open_registry(paths, settings))
        if not force:
            _in_time_to_act(find_finding(report, finding_id), until, as_of)
        _snooze(path, finding_id, until, text, wait)
    except LedgerError as error:
        click.echo(f"obligations snooze: {error}", err=True)
        raise SystemExit(2) from error
    except LockError as error:
        click.echo(f"obligations snooze: {error}. Nothing was changed; try again", err=True)
        raise SystemExit(2) from error


def _in_time_to_act(finding: Finding, until: dt.date, as_of: dt.date) -> None:
    """Refuse a snooze that keeps the finding quiet on the last day it can be acted on.

    The finding's ``due`` is that day: a notice window's act-by day, a due's due day. ``--until`` is the
    first day it is mailed again, so ``--until`` equal to it is the latest snooze that still ends in time.
    """
    act_by = finding.due
    if act_by is None or until <= act_by:
        return
    if finding.code == "notice-window" and finding.legal is not None:
        day = (
            f"its act-by day {act_by.isoformat()} (the last working day on or before the legal deadline "
            f"{finding.legal.isoformat()})"
        )
    else:
        day = f"its due day {act_by.isoformat()}"
    missed = f"what would be missed: {finding.label} — {finding.message}"
    if act_by <= as_of:
        raise click.UsageError(
            f"not snoozed: {finding.id} is past {day} already, so no snooze ends in time to act; "
            f"{missed}. Use --force to snooze it anyway (docs/operations.md)"
        )
    raise click.UsageError(
        f"not snoozed: {finding.id} would stay silent until {until.isoformat()}, after {day}: the owner "
        f"would hear nothing on the last day they can act. The latest allowed is --until "
        f"{act_by.isoformat()} (mailed again that day); {missed}. Or use --force to snooze anyway "
        "(docs/operations.md)"
    )


def _snooze(path: Path, finding_id: str, until: dt.date, text: str, wait: float) -> None:
    # The ledger's lock, as notify takes it: a snooze never lands in the middle of a run.
    with RunLock(path, wait, holder="obligations snooze"), Ledger.open(path) as opened:
        opened.snooze(finding_id, until, text, at=datetime.now().astimezone())
    click.echo(f"snoozed {finding_id} until {until.isoformat()} (mailed again from that day): {text}")


def _lift(path: Path, finding_id: str, wait: float) -> None:
    with RunLock(path, wait, holder="obligations snooze"), Ledger.open(path) as opened:
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
