"""``obligations notify`` end to end on the bundled cases, through the command line and a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from notify_support import Handler, free_port, smtp_server

from obligations.cli import cli
from obligations.notify.settings import KEYS

AS_OF = ["--as-of", "2025-11-01"]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No mail setting from the machine running the tests; state (default ledger, outbox) under tmp_path."""
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    return {"OBLIGATIONS_MAIL_FROM": "obligations@example.org", "OBLIGATIONS_SMTP_TIMEOUT": "20"}


def smtp_env(env: dict[str, str], port: int) -> dict[str, str]:
    return {**env, "OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(port)}


def test_bundled_cases_mail_each_owner_once(tmp_path: Path, env: dict[str, str]) -> None:
    handler = Handler()
    ledger = ["--ledger", str(tmp_path / "ledger.sqlite")]
    with smtp_server(handler) as server:
        first = CliRunner().invoke(cli, ["notify", *AS_OF, *ledger], env=smtp_env(env, server.port))
        second = CliRunner().invoke(cli, ["notify", *AS_OF, *ledger], env=smtp_env(env, server.port))
    assert first.exit_code == 0, first.output
    assert first.output.count("\n") == 1  # quiet on success: one summary line
    assert first.output.startswith("notify 2025-11-01: sent 2 digest(s)")
    assert second.exit_code == 0 and "sent 0 digest(s)" in second.output and "already mailed" in second.output
    received = handler.by_recipient()
    assert sorted(received) == ["lifelong-edu-policy@example.org", "youth-counselling@example.org"]
    assert [len(v) for v in received.values()] == [1, 1]
    youth = received["youth-counselling@example.org"][0].message
    plain = youth.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "■ 청소년쉼터 이용 청소년 자립지원" in plain
    assert "2025-11-28 (D-27) 연장 거절 통지 기한" in plain
    assert "notice-window-47d8e740" in plain


def test_dry_run_prints_the_digests_and_records_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    ledger = tmp_path / "ledger.sqlite"
    result = CliRunner().invoke(cli, ["notify", *AS_OF, "--dry-run", "--ledger", str(ledger)], env=env)
    assert result.exit_code == 0, result.output
    assert "To: 청소년정책과 청소년상담팀 <youth-counselling@example.org>" in result.output
    assert "연장 거절 통지 기한" in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("notify 2025-11-01: would send 2 digest(s)")
    assert not ledger.exists() and not (tmp_path / "state").exists()


def test_without_an_smtp_host_digests_go_to_the_outbox(tmp_path: Path, env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["notify", *AS_OF], env=env)
    assert result.exit_code == 0, result.output
    outbox = tmp_path / "state" / "obligations" / "outbox"
    assert f"to outbox {outbox}" in result.output
    files = sorted(p.name for p in outbox.glob("*.eml"))
    assert files == [
        "2025-11-01-lifelong-edu-policy@example.org-1.eml",
        "2025-11-01-youth-counselling@example.org-1.eml",
    ]
    assert (tmp_path / "state" / "obligations" / "ledger.sqlite").exists()
    explicit = tmp_path / "out"
    again = CliRunner().invoke(cli, ["notify", *AS_OF, "--outbox", str(explicit)], env=env)
    assert (
        again.exit_code == 0 and list(explicit.glob("*.eml")) == []
    )  # already delivered to the first outbox


def test_server_down_exits_1_with_a_summary_and_the_next_run_delivers(
    tmp_path: Path, env: dict[str, str]
) -> None:
    port = free_port()
    ledger = ["--ledger", str(tmp_path / "ledger.sqlite")]
    down = CliRunner().invoke(cli, ["notify", *AS_OF, *ledger], env=smtp_env(env, port))
    assert down.exit_code == 1
    assert "pending: youth-counselling@example.org: cannot reach 127.0.0.1" in down.output
    assert "(undelivered since " in down.output and ", attempt 1)" in down.output
    assert "NOT DELIVERED: 2 pending (retried next run), 0 refused" in down.output
    handler = Handler()
    with smtp_server(handler, port=port):
        up = CliRunner().invoke(cli, ["notify", *AS_OF, *ledger], env=smtp_env(env, port))
    assert up.exit_code == 0, up.output
    assert len(handler.received) == 2


def test_a_damaged_ledger_exits_2_and_sends_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_bytes(b"garbage" * 1000)
    handler = Handler()
    with smtp_server(handler) as server:
        result = CliRunner().invoke(
            cli, ["notify", *AS_OF, "--ledger", str(ledger)], env=smtp_env(env, server.port)
        )
    assert result.exit_code == 2
    assert f"obligations notify: the ledger {ledger} is damaged" in result.output
    assert handler.received == []


def test_bad_settings_exit_2(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["notify", *AS_OF], env={**env, "OBLIGATIONS_SMTP_SECURITY": "ssl"})
    assert result.exit_code == 2
    assert "OBLIGATIONS_SMTP_SECURITY 'ssl' is not one of none, starttls, tls" in result.output


def test_two_processes_at_once_send_one_digest_per_recipient(tmp_path: Path, env: dict[str, str]) -> None:
    handler = Handler(delay=0.3)
    command = [sys.executable, "-c", "from obligations.cli import main; main()", "notify", *AS_OF]
    command += ["--ledger", str(tmp_path / "ledger.sqlite")]
    with smtp_server(handler) as server:
        full_env = {**os.environ, **smtp_env(env, server.port)}
        runs = [
            subprocess.Popen(command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in "ab"
        ]
        outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert {k: len(v) for k, v in handler.by_recipient().items()} == {
        "lifelong-edu-policy@example.org": 1,
        "youth-counselling@example.org": 1,
    }


def test_a_broken_case_file_exits_2_and_the_others_are_still_mailed(
    tmp_path: Path, env: dict[str, str]
) -> None:
    from obligations.resources import cases_dir

    registry = tmp_path / "registry"
    registry.mkdir()
    for name in ("contacts.yaml", "youth-shelter-self-reliance-mou-2025.yaml"):
        (registry / name).write_text((cases_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    (registry / "broken.yaml").write_text("id: broken\nsigned: 2025-02-30\n", encoding="utf-8")
    outbox = tmp_path / "out"
    result = CliRunner().invoke(cli, ["notify", str(registry), *AS_OF, "--outbox", str(outbox)], env=env)
    assert result.exit_code == 2, result.output
    assert f"input: {registry / 'broken.yaml'}:2: signed: expected a date such as 2025-02-25" in result.output
    assert [p.name for p in outbox.glob("*.eml")] == ["2025-11-01-youth-counselling@example.org-1.eml"]
