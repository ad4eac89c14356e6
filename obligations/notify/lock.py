"""The ledger's lock: one writer at a time per ledger, on ``<ledger>.lock``.

Without it two notify runs (cron firing while a manual run is still talking to a slow server) would both
read "not yet sent" from the ledger and both mail the same digest. The second run waits for the first up to
``--wait``, then gives up with a sentence naming the run that holds the lock. Having waited, it reads the
ledger the first run wrote, so it sends only what is still unsent. ``snooze`` takes the same lock to change
the snoozes, so it never writes in the middle of a run. The lock itself is :mod:`obligations.locking`.
"""

from __future__ import annotations

from pathlib import Path

from obligations.locking import FileLock, LockError, LockTimeout, LockUnsupported

__all__ = ["LockError", "LockTimeout", "LockUnsupported", "RunLock", "ledger_lock_file"]


def ledger_lock_file(ledger: Path) -> Path:
    return ledger.with_name(ledger.name + ".lock")


class RunLock(FileLock):
    """``with RunLock(ledger, wait):`` — the ledger is this process's until the block ends."""

    def __init__(self, ledger: Path, wait: float, *, holder: str = "obligations notify") -> None:
        super().__init__(ledger_lock_file(ledger), wait, holder=holder)
