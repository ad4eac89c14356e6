"""One notify run at a time per ledger: an advisory lock on ``<ledger>.lock``.

Without it two runs (cron firing while a manual run is still talking to a slow server) would both read
"not yet sent" from the ledger and both mail the same digest. The second run waits for the first up to a
bound, then gives up with a sentence naming the run that holds the lock. Having waited, it reads the ledger
the first run wrote, so it sends only what is still unsent.

``flock`` is released by the kernel when the process dies, so a crashed run never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

from obligations.notify.ledger import LedgerError


class LockTimeout(LedgerError):
    """Another run held the lock for longer than we were willing to wait."""


class RunLock:
    def __init__(self, ledger: Path, wait: float) -> None:
        self.path = ledger.with_name(ledger.name + ".lock")
        self.wait = wait
        self._fd: int | None = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise LedgerError(f"cannot create the lock file {self.path}: {error.strerror}") from error
        deadline = time.monotonic() + self.wait
        pause = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                # flock has no timeout of its own; polling with a growing pause keeps the bound exact.
                if time.monotonic() >= deadline:
                    holder = _read(fd)
                    os.close(fd)
                    raise LockTimeout(
                        f"another notify run holds {self.path} ({holder}); waited {self.wait:g} s. "
                        "Nothing was sent by this run; the other run sends what is due"
                    ) from None
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 1.0)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            f"pid {os.getpid()} since {datetime.now().astimezone().isoformat(timespec='seconds')}".encode(),
            0,
        )
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "holder unknown"
    except OSError:
        return "holder unknown"
