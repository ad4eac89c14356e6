"""The notify ledger: what was mailed to whom, what is still pending, and which findings are snoozed.

One SQLite file (``--ledger``, ``OBLIGATIONS_LEDGER``, or :func:`default_ledger_path`). It is what makes the
nightly job at-least-once and never repetitive:

- ``sent`` has one row per (finding, recipient, milestone, severity) that a server accepted. Its primary
  key is the promise "never twice for the same milestone": a row is written only after the SMTP server (or
  the outbox) took the message, so a failed delivery leaves nothing behind and is retried by the next run.
- ``mailed`` keeps, per (finding, recipient), the highest severity mailed and what the item said, so that
  an escalation is recognised and a finding that has since gone away can be listed once as resolved.
- ``pending`` says which recipients' digests could not be delivered, since when and why. The next run
  rebuilds those digests from the findings of its own day rather than replaying yesterday's text.
- ``snoozes``: ``obligations snooze``.
- ``keeper_told``: which problems (a file not read, an owner without address, …) each keeper was mailed,
  and on which day last, so that a problem is mailed when it appears, again a week later if still there,
  and once as resolved (:mod:`obligations.notify.keepers`).
- ``runs``: one row per finished run — when it started and finished, what it delivered, what it left
  pending and which files it could not read — for ``obligations health``, ``status`` and ``report``.

Every failure to open, read or write the file is a :class:`LedgerError` with a sentence for the operator.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import platformdirs

from obligations.notify.settings import SettingsError, load_settings

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS mailed (
    finding_id TEXT NOT NULL, recipient TEXT NOT NULL, recipient_name TEXT NOT NULL,
    severity TEXT NOT NULL, severity_rank INTEGER NOT NULL,
    code TEXT NOT NULL, agreement TEXT NOT NULL, agreement_title TEXT NOT NULL, label TEXT NOT NULL,
    due TEXT, message TEXT NOT NULL, first_sent TEXT NOT NULL, last_sent TEXT NOT NULL,
    PRIMARY KEY (finding_id, recipient)
);
CREATE TABLE IF NOT EXISTS sent (
    finding_id TEXT NOT NULL, recipient TEXT NOT NULL, milestone TEXT NOT NULL, severity TEXT NOT NULL,
    as_of TEXT NOT NULL, sent_at TEXT NOT NULL, message_id TEXT NOT NULL,
    PRIMARY KEY (finding_id, recipient, milestone, severity)
);
CREATE TABLE IF NOT EXISTS pending (
    recipient TEXT PRIMARY KEY, since TEXT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snoozes (
    finding_id TEXT PRIMARY KEY, until TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS keeper_told (
    problem TEXT NOT NULL, recipient TEXT NOT NULL, recipient_name TEXT NOT NULL, kind TEXT NOT NULL,
    subject TEXT NOT NULL, scope TEXT NOT NULL, first_told TEXT NOT NULL, last_told TEXT NOT NULL,
    PRIMARY KEY (problem, recipient)
);
CREATE TABLE IF NOT EXISTS runs (
    started TEXT NOT NULL, finished TEXT NOT NULL, as_of TEXT NOT NULL, scope TEXT NOT NULL,
    delivered INTEGER NOT NULL, pending INTEGER NOT NULL, refused INTEGER NOT NULL,
    unread TEXT NOT NULL, problems INTEGER NOT NULL
);
"""
# The highest severity mailed is kept (an escalation is judged against it); the rest is the latest text.
_UPSERT_MAILED = """
INSERT INTO mailed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (finding_id, recipient) DO UPDATE SET
    recipient_name = excluded.recipient_name,
    severity = CASE WHEN excluded.severity_rank > severity_rank THEN excluded.severity ELSE severity END,
    severity_rank = MAX(severity_rank, excluded.severity_rank),
    code = excluded.code, agreement = excluded.agreement, agreement_title = excluded.agreement_title,
    label = excluded.label, due = excluded.due, message = excluded.message, last_sent = excluded.last_sent
"""


class LedgerError(RuntimeError):
    """The ledger cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Snooze:
    until: date
    reason: str


@dataclass(frozen=True)
class SnoozeEntry:
    finding_id: str
    until: date
    reason: str
    created_at: str


@dataclass(frozen=True)
class Mailed:
    """What one recipient was last told about one finding."""

    finding_id: str
    recipient: str
    recipient_name: str
    severity: str
    severity_rank: int
    code: str
    agreement: str
    agreement_title: str
    label: str
    due: date | None
    message: str
    milestones: frozenset[tuple[str, str]]  # (milestone, severity) pairs already mailed


@dataclass(frozen=True)
class SentItem:
    """One item of an accepted digest, as the ledger records it."""

    finding_id: str
    milestone: str
    severity: str
    severity_rank: int
    code: str
    agreement: str
    agreement_title: str
    label: str
    due: date | None
    message: str


@dataclass(frozen=True)
class Pending:
    recipient: str
    since: str
    attempts: int
    last_error: str


@dataclass(frozen=True)
class KeeperTold:
    """One problem as one keeper was last mailed about it (``first_told``, ``last_told``: as-of days)."""

    problem: str
    recipient: str
    recipient_name: str
    kind: str
    subject: str
    scope: str  # the registry the problem was found in: only a run over the same one can resolve it
    first_told: date
    last_told: date


@dataclass(frozen=True)
class RunRecord:
    """One notify run that finished: wall-clock times, and what it left behind."""

    started: datetime
    finished: datetime
    as_of: date
    scope: str
    delivered: int  # digests the server accepted, owners' and keepers'
    pending: int  # digests not delivered, retried by the next run
    refused: int  # digests refused by the server (5xx)
    unread: tuple[str, ...]  # files that could not be read
    problems: int  # other problems: owners without address, findings that reach nobody

    @property
    def undelivered(self) -> int:
        return self.pending + self.refused


def default_ledger_path() -> Path:
    """``$XDG_STATE_HOME/obligations/ledger.sqlite`` (``~/.local/state/…`` on Linux): state, not config."""
    return Path(platformdirs.user_state_dir("obligations")) / "ledger.sqlite"


def ledger_path(explicit: Path | None = None, configured: Path | None = None) -> Path:
    """``--ledger`` wins, then ``OBLIGATIONS_LEDGER`` (environment or obligations.toml), then the default."""
    return explicit or configured or default_ledger_path()


def _describe(path: Path, error: sqlite3.Error) -> str:
    text = str(error)
    if "locked" in text or "busy" in text:
        return (
            f"the ledger {path} is locked by another program ({text}); nothing was sent. "
            "Wait for it to finish, or find the process holding the file"
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _damaged(path, text)
    return f"the ledger {path} cannot be used: {text}; nothing was sent"


def _create(path: Path) -> None:
    """A new, empty ledger, built beside ``path`` and linked into place whole: a ledger file is never seen
    half made (a 0-byte file is refused as damaged), and of two runs creating it at once, one wins."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            _create_tables(connection)
            connection.execute("COMMIT")
        finally:
            connection.close()
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _create_tables(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _refuse_if_not_a_ledger_file(path: Path) -> None:
    """A 0-byte file (SQLite would take it for a new, empty ledger and mail everything again) or something
    that is not a regular file is refused like a damaged ledger, before anything is sent."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise LedgerError(f"the ledger {path} cannot be used: {error.strerror}; nothing was sent") from error
    if not stat.S_ISREG(status.st_mode):
        raise LedgerError(f"the ledger {path} is not a regular file; nothing was sent. Use another --ledger")
    if status.st_size == 0:
        raise LedgerError(_damaged(path, "the file is empty (0 bytes)"))


def _damaged(path: Path, what: str) -> str:
    return (
        f"the ledger {path} is damaged ({what}); nothing was sent. Move it aside and run again: the next "
        "run will mail every open finding once more, because what was mailed before is not known"
    )


class Ledger:
    """An open ledger: :meth:`open` (creates the file) or :meth:`open_existing` (read-only, may be None)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: Path, *, timeout: float = 30.0) -> Ledger:
        """Open for writing, creating the file and its folder; checks that the file is sound and writable
        before anything is sent, so that a ledger problem can never come after a delivery."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(path):
                _create(path)
        except OSError as error:
            raise LedgerError(f"cannot create the ledger {path}: {error.strerror}") from error
        except sqlite3.Error as error:
            raise LedgerError(_describe(path, error)) from error
        _refuse_if_not_a_ledger_file(path)
        ledger = cls._connect(path, f"file:{path}", timeout)
        with ledger._guard():
            ledger._check()
            # BEGIN IMMEDIATE takes the write lock now: a file locked by another program fails here.
            ledger._db.execute("BEGIN IMMEDIATE")
            _create_tables(ledger._db)
            ledger._db.execute("COMMIT")
        return ledger

    @classmethod
    def open_existing(cls, path: Path, *, timeout: float = 5.0) -> Ledger | None:
        """Open read-only; ``None`` when there is no ledger yet (the file is never created here)."""
        if not os.path.lexists(path):
            return None
        _refuse_if_not_a_ledger_file(path)
        ledger = cls._connect(path, f"file:{path}?mode=ro", timeout)
        with ledger._guard():
            ledger._check()
        return ledger

    @classmethod
    def _connect(cls, path: Path, uri: str, timeout: float) -> Ledger:
        try:
            # isolation_level=None: transactions are explicit, so each accepted digest commits on its own.
            connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        except sqlite3.Error as error:
            raise LedgerError(_describe(path, error)) from error
        return cls(path, connection)

    def _check(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"the ledger {self.path} was written by a newer version of obligations (schema {version}); "
                "upgrade obligations or use another --ledger"
            )
        result = self._db.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {result}")
        if version == 0 and self._tables() - {"sqlite_sequence"}:
            raise LedgerError(
                f"{self.path} is an SQLite file but not an obligations ledger; use another --ledger"
            )

    def _tables(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise LedgerError(_describe(self.path, error)) from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            yield self._db
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- mail ------------------------------------------------------------------------------------

    def mailed(self) -> dict[tuple[str, str], Mailed]:
        """Every (finding id, recipient) mailed so far, with the milestones already sent."""
        if "mailed" not in self._tables():  # an existing ledger opened read-only before its first run
            return {}
        with self._guard():
            sent: dict[tuple[str, str], set[tuple[str, str]]] = {}
            for finding_id, recipient, milestone, severity in self._db.execute(
                "SELECT finding_id, recipient, milestone, severity FROM sent"
            ):
                sent.setdefault((finding_id, recipient), set()).add((milestone, severity))
            rows = self._db.execute(
                "SELECT finding_id, recipient, recipient_name, severity, severity_rank, code, agreement, "
                "agreement_title, label, due, message FROM mailed"
            ).fetchall()
        told: dict[tuple[str, str], Mailed] = {}
        for fid, recipient, name, severity, rank, code, agreement, title, label, due, message in rows:
            told[(fid, recipient)] = Mailed(
                fid, recipient, name, severity, rank, code, agreement, title, label,
                date.fromisoformat(due) if due else None, message, frozenset(sent.get((fid, recipient), ())),
            )  # fmt: skip
        return told

    def record_delivery(
        self,
        recipient: str,
        recipient_name: str,
        items: Iterable[SentItem],
        resolved: Iterable[str],
        *,
        as_of: date,
        message_id: str,
        at: datetime,
    ) -> None:
        """A server accepted ``recipient``'s digest: record its items, forget the resolved ones (they were
        listed once, now), and clear the recipient's pending entry — all in one transaction."""
        stamp = at.isoformat(timespec="seconds")
        with self._transaction() as db:
            for item in items:
                db.execute(
                    "INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        item.finding_id,
                        recipient,
                        item.milestone,
                        item.severity,
                        as_of.isoformat(),
                        stamp,
                        message_id,
                    ),
                )
                due = item.due.isoformat() if item.due else None
                db.execute(
                    _UPSERT_MAILED,
                    (
                        item.finding_id, recipient, recipient_name, item.severity, item.severity_rank,
                        item.code, item.agreement, item.agreement_title, item.label, due, item.message,
                        stamp, stamp,
                    ),
                )  # fmt: skip
            for finding_id in resolved:
                db.execute("DELETE FROM sent WHERE finding_id = ? AND recipient = ?", (finding_id, recipient))
                db.execute(
                    "DELETE FROM mailed WHERE finding_id = ? AND recipient = ?", (finding_id, recipient)
                )
            db.execute("DELETE FROM pending WHERE recipient = ?", (recipient,))

    def record_failure(self, recipient: str, error: str, *, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO pending VALUES (?, ?, 1, ?) ON CONFLICT (recipient) DO UPDATE SET "
                "attempts = attempts + 1, last_error = excluded.last_error",
                (recipient, at.isoformat(timespec="seconds"), error),
            )

    def forget_pending(self, obsolete: Callable[[str], bool]) -> None:
        """Drop pending entries of recipients who have nothing to be sent any more (all snoozed, resolved
        or rerouted): a pending entry only says that a digest is still owed."""
        gone = [p.recipient for p in self.pending() if obsolete(p.recipient)]
        if gone:
            with self._transaction() as db:
                db.executemany("DELETE FROM pending WHERE recipient = ?", [(r,) for r in gone])

    def pending(self) -> list[Pending]:
        if "pending" not in self._tables():
            return []
        with self._guard():
            rows = self._db.execute(
                "SELECT recipient, since, attempts, last_error FROM pending ORDER BY recipient"
            )
            return [Pending(*row) for row in rows]

    # -- keepers ---------------------------------------------------------------------------------

    def keeper_told(self) -> list[KeeperTold]:
        if "keeper_told" not in self._tables():
            return []
        with self._guard():
            rows = self._db.execute(
                "SELECT problem, recipient, recipient_name, kind, subject, scope, first_told, last_told "
                "FROM keeper_told ORDER BY recipient, kind, subject"
            ).fetchall()
        return [
            KeeperTold(
                problem,
                recipient,
                name,
                kind,
                subject,
                scope,
                date.fromisoformat(first),
                date.fromisoformat(last),
            )
            for problem, recipient, name, kind, subject, scope, first, last in rows
        ]

    def record_keeper_delivery(
        self, recipient: str, name: str, told: Iterable[KeeperTold], resolved: Iterable[str]
    ) -> None:
        """A keeper's digest was accepted: the problems it mailed (new or again) and the resolved ones it
        listed, which are forgotten now — in one transaction."""
        with self._transaction() as db:
            for item in told:
                db.execute(
                    "INSERT INTO keeper_told VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (problem, recipient) DO UPDATE SET "
                    "recipient_name = excluded.recipient_name, subject = excluded.subject, "
                    "scope = excluded.scope, last_told = excluded.last_told",
                    (
                        item.problem, recipient, name, item.kind, item.subject, item.scope,
                        item.first_told.isoformat(), item.last_told.isoformat(),
                    ),
                )  # fmt: skip
            db.executemany(
                "DELETE FROM keeper_told WHERE problem = ? AND recipient = ?",
                [(problem, recipient) for problem in resolved],
            )

    # -- runs ------------------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.started.isoformat(timespec="seconds"), run.finished.isoformat(timespec="seconds"),
                    run.as_of.isoformat(), run.scope, run.delivered, run.pending, run.refused,
                    json.dumps(list(run.unread), ensure_ascii=False), run.problems,
                ),
            )  # fmt: skip

    def last_run(self) -> RunRecord | None:
        """The run that finished last, or None before the first. Runs hold the ledger's lock one after the
        other, so the last row written is the last run to finish (whatever the clock's offset said)."""
        if "runs" not in self._tables():
            return None
        with self._guard():
            row = self._db.execute("SELECT * FROM runs ORDER BY rowid DESC LIMIT 1").fetchone()
        if row is None:
            return None
        started, finished, as_of, scope, delivered, pending, refused, unread, problems = row
        return RunRecord(
            datetime.fromisoformat(started), datetime.fromisoformat(finished), date.fromisoformat(as_of),
            scope, delivered, pending, refused, tuple(json.loads(unread)), problems,
        )  # fmt: skip

    # -- snoozes ---------------------------------------------------------------------------------

    def snooze(self, finding_id: str, until: date, reason: str, *, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO snoozes VALUES (?, ?, ?, ?) ON CONFLICT (finding_id) DO UPDATE SET "
                "until = excluded.until, reason = excluded.reason, created_at = excluded.created_at",
                (finding_id, until.isoformat(), reason, at.isoformat(timespec="seconds")),
            )

    def lift(self, finding_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM snoozes WHERE finding_id = ?", (finding_id,)).rowcount > 0

    def snoozes(self) -> list[SnoozeEntry]:
        if "snoozes" not in self._tables():
            return []
        with self._guard():
            rows = self._db.execute(
                "SELECT finding_id, until, reason, created_at FROM snoozes ORDER BY until, finding_id"
            )
            return [
                SnoozeEntry(fid, date.fromisoformat(until), reason, at) for fid, until, reason, at in rows
            ]

    def active_snoozes(self, as_of: date) -> dict[str, Snooze]:
        """A snooze holds up to the day before ``until``: on ``until`` the finding is mailed again."""
        return {s.finding_id: Snooze(s.until, s.reason) for s in self.snoozes() if as_of < s.until}


def active_snoozes(path: Path | None, as_of: date) -> dict[str, Snooze]:
    """The snoozes in force on ``as_of`` (for ``check``); ``{}`` when there is no ledger. Never creates one.

    ``path`` None means the ledger notify would use: ``OBLIGATIONS_LEDGER`` or the default location.
    Raises :class:`LedgerError` when the file exists but cannot be read.
    """
    if path is None:
        try:
            configured = load_settings().ledger
        except SettingsError:
            configured = None  # a bad mail setting is notify's error to report, not check's
        path = ledger_path(None, configured)
    ledger = Ledger.open_existing(path)
    if ledger is None:
        return {}
    with ledger:
        return ledger.active_snoozes(as_of)


def last_run(path: Path) -> RunRecord | None:
    """The last notify run recorded in the ledger at ``path``; None when there is none (or no ledger).
    Never creates a ledger; raises :class:`LedgerError` when the file exists but cannot be read."""
    ledger = Ledger.open_existing(path)
    if ledger is None:
        return None
    with ledger:
        return ledger.last_run()
