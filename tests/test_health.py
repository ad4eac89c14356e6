"""``obligations health`` on ledgers written by real notify runs: never run, fresh, stale, undelivered,
a file unread; ``--max-age``; and the same record in ``status`` and ``report``."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from notify_support import Handler, copy_of_bundled_registry, free_port, smtp_server, without_mail_settings

from obligations.cli import cli

AS_OF = ["--as-of", "2025-11-01"]
RUN = r"last notify run finished \d{4}-\d\d-\d\d \d\d:\d\d\+\d\d:\d\d \(\d+ s ago\) as of 2025-11-01"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_mail_settings(tmp_path, monkeypatch)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = copy_of_bundled_registry(tmp_path / "cases")
    return folder


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output
    return result


def notify(registry: Path, ledger: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return invoke("notify", str(registry), *AS_OF, "--ledger", str(ledger), *args, env=env)


def health(ledger: Path, *args: str) -> Result:
    return invoke("health", "--ledger", str(ledger), "--lang", "en", *args)


def test_never_run(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    result = health(ledger)
    assert (result.exit_code, result.output) == (1, f"FAILED: no notify run recorded in {ledger}\n")
    assert not ledger.exists()


def test_fresh_after_a_run_that_delivered_everything(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 0
    result = health(ledger)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(f"ok: {RUN}: 2 digest\\(s\\) delivered\n", result.output), result.output
    korean = invoke("health", "--ledger", str(ledger))
    assert korean.exit_code == 0 and korean.output.startswith("정상: 마지막 알림 작업: ")
    assert "2025-11-01 기준, 메일 2건 전달" in korean.output


def test_stale_when_the_last_run_finished_longer_ago_than_max_age(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 0
    time.sleep(2.1)
    result = health(ledger, "--max-age", "2s")
    assert result.exit_code == 1
    assert re.fullmatch(
        "FAILED: last notify run finished .* \\((2|3) s ago\\) as of 2025-11-01: 2 digest\\(s\\) delivered "
        "— older than --max-age 2 s\n",
        result.output,
    ), result.output
    assert health(ledger, "--max-age", "1min").exit_code == 0


def test_undelivered_digests_until_a_run_delivers_them(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    port = free_port()
    env = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(port)}
    env["OBLIGATIONS_SMTP_TIMEOUT"] = "10"
    assert notify(registry, ledger, env=env).exit_code == 1  # the server is down
    down = health(ledger)
    assert down.exit_code == 1
    assert re.fullmatch(
        f"FAILED: {RUN}: 0 digest\\(s\\) delivered; "
        "2 digest\\(s\\) not delivered \\(2 pending, 0 refused\\)\n",
        down.output,
    ), down.output
    handler = Handler()
    with smtp_server(handler, port=port):
        assert notify(registry, ledger, env=env).exit_code == 0
    assert len(handler.received) == 2
    assert health(ledger).exit_code == 0


def test_a_file_unread(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    broken = registry / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", "utf-8")
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 2
    result = health(ledger)
    assert result.exit_code == 1
    assert re.fullmatch(
        f"FAILED: {RUN}: 2 digest\\(s\\) delivered; 1 file\\(s\\) unread: {re.escape(str(broken))}\n",
        result.output,
    ), result.output
    broken.unlink()
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 0
    assert health(ledger).exit_code == 0


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("26", ""),
        ("30m", "; 'm' could be minutes or months: write 30min"),
        ("0h", ""),
        ("1.5h", ""),
        ("-1d", ""),
        ("h", ""),
        ("2 days", ""),
    ],
)
def test_max_age_must_be_a_whole_number_with_a_unit(tmp_path: Path, value: str, hint: str) -> None:
    result = health(tmp_path / "ledger.sqlite", "--max-age", value)
    assert result.exit_code == 2
    assert (
        f"Invalid value for '--max-age': {value!r} is not an age; give a whole number above 0 with s, min, "
        f"h or d, e.g. 26h (also 90s, 30min, 2d){hint}" in " ".join(result.output.split())
    )


@pytest.mark.parametrize("value", ["90s", "30min", "26h", "2d"])
def test_max_age_units(tmp_path: Path, value: str) -> None:
    assert health(tmp_path / "ledger.sqlite", "--max-age", value).exit_code == 1  # read, then: never run


def test_a_damaged_ledger_exits_2(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    ledger.write_bytes(b"garbage" * 1000)
    result = health(ledger)
    assert result.exit_code == 2
    assert result.output.startswith(f"obligations health: the ledger {ledger} is damaged")


def test_status_and_report_say_when_the_last_run_was(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    env = {"OBLIGATIONS_LEDGER": str(ledger)}
    before = invoke("status", str(registry), *AS_OF, "--lang", "en", env=env)
    assert before.output.splitlines()[-1] == f"no notify run recorded in {ledger}"
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 0
    after = invoke("status", str(registry), *AS_OF, "--lang", "en", env=env)
    assert after.exit_code == 0
    assert re.fullmatch(f"{RUN}: 2 digest\\(s\\) delivered", after.output.splitlines()[-1])
    page = tmp_path / "report.html"
    written = invoke("report", str(registry), *AS_OF, "--output", str(page), env=env)
    assert written.exit_code == 0, written.output
    assert re.search(
        r'<p class="meta">마지막 알림 작업: .* 종료\(\d+ s 전\), 2025-11-01 기준, 메일 2건 전달</p>',
        page.read_text("utf-8"),
    )


def test_status_json_gives_the_last_run(tmp_path: Path, registry: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    env = {"OBLIGATIONS_LEDGER": str(ledger)}
    before = invoke("status", str(registry), *AS_OF, "--format", "json", env=env)
    assert json.loads(before.output)["last_run"] is None
    assert notify(registry, ledger, "--outbox", str(tmp_path / "out")).exit_code == 0
    after = json.loads(invoke("status", str(registry), *AS_OF, "--format", "json", env=env).output)
    run = after["last_run"]
    assert {key: run[key] for key in ("as_of", "delivered", "pending", "refused", "unread", "problems")} == {
        "as_of": "2025-11-01",
        "delivered": 2,
        "pending": 0,
        "refused": 0,
        "unread": [],
        "problems": 0,
    }
    assert run["started"] <= run["finished"]
