"""``obligations record`` under concurrency and crashes: real processes on real files.

Twelve analysts recording on the same agreement at once must all land; a writer killed at any moment must
leave the old file or the new one, never a mix; where a file cannot be locked nothing is written.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from notify_support import copy_of_bundled_registry

from obligations import locking
from obligations.cli import cli
from obligations.loading import load_agreement
from obligations.locking import FileLock, lock_file_of

YOUTH = "youth-shelter-self-reliance-mou-2025"
OBLIGATIONS = ["seoul-publicity", "seoul-program-link", "seoul-coordination"]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of the bundled registry whose youth MOU already has one event, as a block list: every later
    record is then a pure append of one line."""
    folder = copy_of_bundled_registry(tmp_path / "cases")
    first = record_command(folder, 0)
    assert subprocess.run(first, capture_output=True, check=False).returncode == 0
    return folder


def record_command(registry: Path, n: int, *extra: str) -> list[str]:
    obligation = OBLIGATIONS[n % len(OBLIGATIONS)]
    return [
        sys.executable,
        *("-m", "obligations", "record", "fulfilled", "--agreement", YOUTH, "--obligation", obligation),
        *("--party", "seoul", "--date", f"2025-06-{n % 28 + 1:02d}", "--ref", f"청소년정책과-{1000 + n}"),
        *("--as-of", "2025-07-01", *extra, str(registry)),
    ]


def event_of(n: int) -> str:
    obligation = OBLIGATIONS[n % len(OBLIGATIONS)]
    return (
        f"  - {{date: 2025-06-{n % 28 + 1:02d}, type: fulfilled, obligation: {obligation}, party: seoul, "
        f'ref: "청소년정책과-{1000 + n}"}}\n'
    )


def events_in(path: Path) -> int:
    agreement, _, problems = load_agreement(path)
    assert agreement is not None, problems
    return len(agreement.events)


def test_twelve_processes_recording_at_once_all_land(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    original = path.read_text("utf-8")
    calls = range(1, 13)
    processes = [
        subprocess.Popen(record_command(registry, n), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for n in calls
    ]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert out.decode().startswith(f"recorded in {path}: {{date: 2025-06-"), out.decode()
    after = path.read_text("utf-8")
    lines = after.splitlines(keepends=True)
    appended = lines[len(original.splitlines()) :]
    # the original, byte for byte, then exactly the twelve lines, in whatever order they got the lock
    assert after.startswith(original)
    assert Counter(appended) == Counter(event_of(n) for n in calls)
    assert events_in(path) == 13
    valid = subprocess.run(
        [sys.executable, "-m", "obligations", "validate", str(registry)], capture_output=True, check=False
    )
    assert valid.returncode == 0, valid.stdout.decode() + valid.stderr.decode()
    assert [p.name for p in registry.iterdir() if p.name.endswith(".tmp")] == []


def killed(registry: Path, n: int, moment: Callable[[subprocess.Popen[bytes]], None]) -> str:
    """Start ``record`` of event ``n``, SIGKILL it once ``moment`` returns; ``"old"`` or ``"new"``: what
    the case file is afterwards — never anything else, and always a valid case file."""
    path = registry / f"{YOUTH}.yaml"
    text, count = path.read_text("utf-8"), events_in(path)
    process = subprocess.Popen(
        record_command(registry, n), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    moment(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    now = path.read_text("utf-8")
    assert now in (text, text + event_of(n)), f"event {n}: neither the old file nor the new one"
    assert events_in(path) == count + (now != text)  # and it reads, as every case file must
    return "old" if now == text else "new"


def after(seconds: float, process: subprocess.Popen[bytes]) -> None:
    time.sleep(seconds)


def test_a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new_one(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    started = time.monotonic()
    assert subprocess.run(record_command(registry, 40), capture_output=True, check=False).returncode == 0
    duration = time.monotonic() - started
    # From well before the write (still importing) to after the end: the kills sweep the whole run.
    outcomes = [
        killed(registry, 41 + step, partial(after, duration * (0.3 + step * 0.08))) for step in range(16)
    ]
    assert {"old", "new"} <= set(outcomes), outcomes  # the sweep did kill before and after the write
    # A writer killed between its temporary file and the rename leaves the temporary file; the next
    # record, holding the lock, removes it.
    leftover = registry / f".{path.name}.abcd1234.tmp"
    leftover.write_text("half a file", "utf-8")
    assert subprocess.run(record_command(registry, 99), capture_output=True, check=False).returncode == 0
    assert not leftover.exists()
    assert path.read_text("utf-8").endswith(event_of(99))


def test_a_writer_killed_while_it_holds_the_lock_leaves_the_old_file_or_the_new_one(registry: Path) -> None:
    """The kills aimed inside the critical section: from the moment the writer has the lock (it writes its
    pid into the lock file) through its re-reading, checking and replacing of the file, in 4 ms steps."""
    lock = lock_file_of(registry / f"{YOUTH}.yaml")

    def after_taking_the_lock(process: subprocess.Popen[bytes], delay: float) -> None:
        deadline = time.monotonic() + 120
        while f"pid {process.pid} " not in (lock.read_text("utf-8") if lock.exists() else ""):
            assert time.monotonic() < deadline, "the writer never took the lock"
            time.sleep(0.001)
        time.sleep(delay)

    outcomes = [
        killed(registry, 60 + step, partial(after_taking_the_lock, delay=step * 0.004)) for step in range(12)
    ]
    assert "old" in outcomes, outcomes  # some kills did land between taking the lock and the rename
    # The kernel released each dead writer's lock: the next one does not wait at all.
    done = subprocess.run(record_command(registry, 98, "--wait", "0"), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_a_record_that_cannot_have_the_lock_in_time_records_nothing(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    before = path.read_bytes()
    with FileLock(lock_file_of(path), 0, holder="obligations record"):
        result = subprocess.run(
            record_command(registry, 5, "--wait", "0.5"), capture_output=True, text=True, check=False
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"obligations record: not recorded: {registry}/.{path.name}.lock is held by obligations record, "
        f"pid {os.getpid()} since {result.stderr.split(' since ')[1].split(';')[0]}; waited 0.5 s. "
        "Try again, or wait longer with --wait\n"
    )
    assert path.read_bytes() == before


def test_where_files_cannot_be_locked_nothing_is_written(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What flock answers on an NFS mount with ``nolock`` (ENOLCK) is refused in plain words."""

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    path = registry / f"{YOUTH}.yaml"
    before = path.read_bytes()
    result = CliRunner().invoke(cli, record_command(registry, 6)[3:])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output == (
        f"obligations record: not recorded: the file system of {registry} does not support file locks "
        "(No locks available), so a concurrent writer could be lost; run this on a local disk or a share "
        "that supports locks (see docs/operations.md, 'Network shares'). Try again, or wait longer with "
        "--wait\n"
    )
    assert path.read_bytes() == before


def test_an_id_used_by_two_files_is_refused_naming_both(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    twin = registry / "zz-copy.yaml"
    twin.write_bytes(path.read_bytes())
    before = path.read_bytes()
    result = CliRunner().invoke(cli, record_command(registry, 7)[3:])
    assert result.exit_code == 2
    assert (
        f"not recorded: the id '{YOUTH}' is used by 2 case files ({path}, {twin}); give each agreement its "
        "own id first" in " ".join(result.output.split())
    )
    assert path.read_bytes() == before and twin.read_bytes() == before


def test_a_writer_waiting_on_a_deleted_lock_file_locks_the_one_now_in_its_place(tmp_path: Path) -> None:
    lock = tmp_path / ".x.yaml.lock"
    first = FileLock(lock, 0, holder="first")
    first.acquire()
    waiting = FileLock(lock, 1.5, holder="waiting")
    errors: list[BaseException] = []

    def wait_for_it() -> None:
        try:
            waiting.acquire()
        except locking.LockTimeout as error:
            errors.append(error)

    thread = threading.Thread(target=wait_for_it)
    thread.start()
    time.sleep(0.2)  # the waiting writer has opened the old lock file
    lock.unlink()  # a tidy colleague
    with FileLock(lock, 0, holder="third"):  # a third writer creates and locks the new file
        first.release()  # the old file's lock is free, but it no longer guards anything
        thread.join(timeout=10)
    assert [str(e) for e in errors] == [
        f"{lock} is held by third, pid {os.getpid()}" + str(errors[0]).split(str(os.getpid()))[1]
    ]
