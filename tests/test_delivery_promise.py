"""The delivery promise, exactly: at least once; a crash after the server's 250 and before the ledger's
record repeats that one digest, with the Message-ID of the first attempt; the summary counts what the
server accepted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from notify_support import AS_OF, Handler, finding, notify, settings_for, smtp_server

from obligations.notify.ledger import Ledger


class Killed(BaseException):
    """Stands for kill -9 between the server's acceptance and the ledger's record."""


def test_a_digest_repeated_after_a_crash_carries_the_first_message_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = tmp_path / "ledger.sqlite"
    handler = Handler()
    real = Ledger.record_delivery

    def crash(self: Ledger, *args: Any, **kwargs: Any) -> None:
        raise Killed

    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        monkeypatch.setattr(Ledger, "record_delivery", crash)
        with pytest.raises(Killed):
            notify([finding()], settings, ledger)
        monkeypatch.setattr(Ledger, "record_delivery", real)
        assert notify([finding()], settings, ledger).ok  # the next run: the ledger does not know, so again
        assert notify([finding()], settings, ledger).outcomes == []  # now recorded: never a third time
        later = finding(severity=finding().severity, due=AS_OF + timedelta(days=14))
        notify([later], settings, ledger, as_of=AS_OF + timedelta(days=1))
    first, repeated, other_day = (str(r.message["Message-ID"]).strip() for r in handler.received)
    assert first == repeated
    assert other_day != first
    assert first.startswith("<20251101.") and first.endswith("@example.org>")


def test_the_summary_counts_only_what_the_server_accepted(tmp_path: Path) -> None:
    handler = Handler(refuse={"team-b@example.org": "550 5.1.1 No such mailbox"})
    findings = [
        finding("notice-window-00000001", owners=("team-a",)),
        finding("notice-window-00000002", owners=("team-b",)),
        finding("notice-window-00000003", owners=("team-b",)),
    ]
    with smtp_server(handler) as server:
        result = notify(findings, settings_for(server.port, tmp_path), tmp_path / "ledger.sqlite")
    assert result.items == 1
    assert result.summary().startswith(
        "notify 2025-11-01: sent 1 digest(s) (1 item(s), 0 resolved) to 127.0.0.1:"
    )
    assert result.summary().endswith("; NOT DELIVERED: 0 pending (retried next run), 1 refused")
