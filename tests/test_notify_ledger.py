"""The ledger and the run lock: nothing sent twice, through locks, damage and concurrent runs."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from notify_support import AS_OF, Handler, finding, notify, settings_for, smtp_server

from obligations.notify.ledger import Ledger, LedgerError, active_snoozes
from obligations.notify.lock import LockTimeout, RunLock
from obligations.notify.run import RunResult


def test_a_locked_ledger_is_a_clear_error_and_nothing_is_sent(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    Ledger.open(ledger).close()
    holder = sqlite3.connect(ledger, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    handler = Handler()
    try:
        with smtp_server(handler) as server:
            settings = settings_for(server.port, tmp_path)
            with pytest.raises(
                LedgerError, match=r"ledger .* is locked by another program .*nothing was sent"
            ):
                notify([finding()], settings, ledger, wait=0.2)
            assert handler.received == []
            holder.execute("ROLLBACK")
            notify([finding()], settings, ledger)
            notify([finding()], settings, ledger)
    finally:
        holder.close()
    assert len(handler.received) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database, it is a note someone saved here" * 100, "is damaged .*not a database"),
        # SQLite would take an empty file for a new database and everything would be mailed again
        (b"", r"is damaged \(the file is empty \(0 bytes\)\); nothing was sent"),
    ],
)
def test_a_damaged_ledger_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_bytes(content)
    handler = Handler()
    with smtp_server(handler) as server, pytest.raises(LedgerError, match=message):
        notify([finding()], settings_for(server.port, tmp_path), ledger)
    assert handler.received == []


def test_a_truncated_ledger_is_refused_before_sending(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    handler = Handler()
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([finding(f"notice-window-{n:08d}") for n in range(200)], settings, ledger)
        data = ledger.read_bytes()
        ledger.write_bytes(data[: len(data) // 2])  # e.g. a disk that filled up during a copy
        with pytest.raises(LedgerError, match=r"damaged|malformed"):
            notify([finding("notice-window-00000001")], settings, ledger)
    assert len(handler.received) == 1


def test_another_sqlite_file_is_not_taken_for_a_ledger(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (n INTEGER)")
    with pytest.raises(LedgerError, match="not an obligations ledger"):
        Ledger.open(other)


def test_a_ledger_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    Ledger.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(LedgerError, match="newer version of obligations"):
        Ledger.open(path)


def test_two_concurrent_runs_send_one_digest_per_recipient(tmp_path: Path) -> None:
    handler = Handler(delay=0.3)  # the first run is still delivering when the second starts
    ledger = tmp_path / "ledger.sqlite"
    findings = [finding(owners=("team-a", "team-b", "team-c"))]
    start = threading.Barrier(2, timeout=30)
    results: list[RunResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(notify(findings, settings, ledger, wait=60))
        except BaseException as error:  # surfaced below; a thread must not swallow it
            errors.append(error)

    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    assert sorted(len(r.outcomes) for r in results) == [0, 3]
    assert {k: len(v) for k, v in handler.by_recipient().items()} == {
        "team-a@example.org": 1,
        "team-b@example.org": 1,
        "team-c@example.org": 1,
    }


def test_a_run_that_cannot_get_the_lock_in_time_gives_up_clearly(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    handler = Handler()
    with (
        RunLock(ledger, wait=0),
        smtp_server(handler) as server,
        pytest.raises(LockTimeout, match=r"ledger.sqlite.lock is held by obligations notify, pid \d+ since"),
    ):
        notify([finding()], settings_for(server.port, tmp_path), ledger, wait=0.3)
    assert handler.received == []


def test_dry_run_records_nothing_and_creates_no_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    handler = Handler()
    with smtp_server(handler) as server:
        result = notify([finding()], settings_for(server.port, tmp_path), ledger, dry_run=True)
    assert handler.received == [] and not ledger.exists()
    assert "To: 평생교육과 정책팀 <team-a@example.org>" in result.preview
    assert "2025-11-28 (D-27)" in result.preview
    assert result.summary().startswith("notify 2025-11-01: would send 1 digest(s)")


def test_active_snoozes_without_a_ledger_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "state" / "ledger.sqlite"
    assert active_snoozes(path, AS_OF) == {}
    assert not path.exists() and not path.parent.exists()


def test_active_snoozes_hold_until_the_day_before(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger.open(path) as ledger:
        ledger.snooze("notice-window-1", date(2025, 11, 20), "협의 중", at=datetime.now())
    assert set(active_snoozes(path, date(2025, 11, 19))) == {"notice-window-1"}
    assert active_snoozes(path, date(2025, 11, 20)) == {}
    assert active_snoozes(path, date(2025, 11, 1))["notice-window-1"].reason == "협의 중"
