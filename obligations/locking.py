"""An exclusive lock on a file that several processes write: a case file (``record``) or the ledger
(``notify``, ``snooze``).

The lock is ``flock`` on a side file (``.NAME.lock`` beside a case file, ``LEDGER.lock`` beside the ledger),
never on the file itself: the file is replaced by a rename, and a lock on it would stay with the old inode
while the next writer locked the new one. Whoever holds the lock reads the file, changes it and replaces it;
the next writer waits, then reads what the first one wrote. That is what keeps twelve analysts recording on
the same agreement at once from losing each other's events.

- The wait is bounded: ``flock`` has no timeout of its own, so the lock is tried at growing intervals until
  the deadline; then :class:`LockTimeout` names the holder (pid and since when, written into the lock file).
- ``flock`` is released by the kernel when the process dies, so a killed writer never leaves a stale lock.
- A lock file deleted while someone waited (a tidy colleague) is noticed: the lock is taken again on the
  file now at that path, so two writers never hold locks on two different files.
- Where the file system cannot lock (``ENOLCK``, ``EOPNOTSUPP`` on some network shares) the writer stops
  with :class:`LockUnsupported` instead of writing unprotected.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

# What flock answers on a file system that has no locks (or none that reach the server): an NFS mount with
# "nolock", some SMB/CIFS mounts, FUSE file systems.
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL}


class LockError(RuntimeError):
    """The file could not be locked; nothing was written. The message says why and what to do."""


class LockTimeout(LockError):
    """Another process held the lock for longer than we were willing to wait."""


class LockUnsupported(LockError):
    """The file system does not support locking, so writing could lose another writer's change."""


def lock_file_of(path: Path) -> Path:
    """``.agreement.yaml.lock`` beside ``agreement.yaml``: hidden, so that the registry folder an analyst
    opens shows the case files only (and nobody tidies the lock away while it is held)."""
    return path.with_name(f".{path.name}.lock")


class FileLock:
    """``with FileLock(lock_path, wait, holder="obligations record"):`` — held until the block ends.

    ``holder`` is written into the lock file with the pid and the time, so that whoever waits in vain can
    be told who holds it.
    """

    def __init__(self, path: Path, wait: float, *, holder: str) -> None:
        self.path = path
        self.wait = wait
        self.holder = holder
        self._fd: int | None = None

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        pause = 0.01
        fd = self._open()
        while True:
            if self._try(fd):
                if self._still_at_path(fd):
                    break
                os.close(fd)  # the lock file was replaced while we waited: lock the one at the path now
                fd = self._open()
                continue
            if time.monotonic() >= deadline:
                held_by = _read(fd)
                os.close(fd)
                raise LockTimeout(f"{self.path} is held by {held_by}; waited {self.wait:g} s")
            # A growing pause keeps a dozen waiting writers from spinning, and the bound exact.
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.5)
        self._fd = fd
        since = datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{self.holder}, pid {os.getpid()} since {since}".encode(), 0)
        except OSError:
            pass  # opened read-only (another user's lock file): held all the same, only unnamed

    def _open(self) -> int:
        # 0o666 less the umask: on a registry folder shared by a group (umask 002), every member can lock.
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except PermissionError:
            try:  # flock needs no write access: a lock file another user made still locks (without holder)
                return os.open(self.path, os.O_RDONLY)
            except OSError as error:
                raise LockError(f"cannot open the lock file {self.path}: {error.strerror}") from error
        except OSError as error:
            raise LockError(f"cannot create the lock file {self.path}: {error.strerror}") from error

    def _try(self, fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as error:
            os.close(fd)
            if error.errno in _UNSUPPORTED:
                raise LockUnsupported(
                    f"the file system of {self.path.parent} does not support file locks "
                    f"({error.strerror}), so a concurrent writer could be lost; run this on a local disk "
                    "or a share that supports locks (see docs/operations.md, 'Network shares')"
                ) from error
            raise LockError(f"cannot lock {self.path}: {error.strerror}") from error
        return True

    def _still_at_path(self, fd: int) -> bool:
        try:
            here = os.stat(self.path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
    except OSError:
        return "another process"
