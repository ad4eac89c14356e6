"""Digests as an owner reads them, on the bundled registry through `obligations notify` and a real SMTP
server: items in the order of `check`, the subject, one notice item per renewal, English throughout, and
resolved items that say why."""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from notify_support import Handler, smtp_server

from obligations.cli import cli
from obligations.notify.settings import KEYS
from obligations.resources import cases_dir

YOUTH_OWNER = "youth-counselling@example.org"
YOUTH = "youth-shelter-self-reliance-mou-2025.yaml"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    return {
        "OBLIGATIONS_MAIL_FROM": "obligations@example.org",
        "OBLIGATIONS_SMTP_TIMEOUT": "20",
        "OBLIGATIONS_LEDGER": str(tmp_path / "ledger.sqlite"),
    }


def mail(env: dict[str, str], *args: str) -> dict[str, EmailMessage]:
    """Run notify; the message each recipient got."""
    handler = Handler()
    with smtp_server(handler) as server:
        smtp = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(server.port)}
        result = CliRunner().invoke(cli, ["notify", *args], env={**env, **smtp})
    assert result.exit_code == 0, result.output
    return {item.rcpt_tos[0]: item.message for item in handler.received}


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def test_order_subject_and_one_notice_item_per_renewal(env: dict[str, str]) -> None:
    message = mail(env, "--as-of", "2025-11-01")[YOUTH_OWNER]
    # 12 findings: 3 notice findings (one per party) read as one item, so 1 needs action and 9 are 참고.
    assert (
        str(message["Subject"])
        == "[의무 알림] 2025-11-01 조치 필요 1건, 가장 이른 기한 2025-11-28(D-27), 참고 9건"
    )
    body = plain(message).replace("\r\n", "\n")
    assert (
        "  [신규] [경고] 2025-11-28 (D-27) 연장 거절 통지 기한\n"
        "      1차 자동 연장(2026-01-01~2026-12-31)을 원하지 않으면 2025-11-28까지 서면으로 통지 "
        "(법정 기한 2025-11-29)\n"
        "      통지할 수 있는 당사자: 서울지방고용노동청, 서울특별시, 한국청소년쉼터협의회"
        " — 어느 한 곳의 통지로 연장이 막히므로 한 건으로 알립니다.\n"
        "      ID: notice-window-92cf0398, notice-window-47d8e740, notice-window-57e06c03\n"
    ) in body
    check = CliRunner().invoke(cli, ["check", "--as-of", "2025-11-01", "--format", "json"])
    in_check = [f["id"] for f in json.loads(check.output)["findings"] if "youth" in f["agreement"]]
    ids = [i for line in body.splitlines() if line.strip().startswith("ID: ") for i in line[10:].split(", ")]
    assert ids == in_check  # the same order as check (clause order within a day and code)


def test_english_digest_with_resolved_items_that_say_why(tmp_path: Path, env: dict[str, str]) -> None:
    registry = tmp_path / "cases"
    shutil.copytree(cases_dir(), registry, ignore=shutil.ignore_patterns("scenarios"))
    mail(env, str(registry), "--as-of", "2025-11-01")
    case = registry / YOUTH
    text = case.read_text(encoding="utf-8").replace(
        "events: []",
        "events:\n"
        "  - {date: 2025-11-15, type: fulfilled, obligation: seoul-publicity, party: seoul, ref: 청소년-12}\n"
        "  - {date: 2025-11-20, type: notice-given, party: labor-office, form: written, ref: 고용-77}\n",
    )
    case.write_text(text, encoding="utf-8")
    message = mail(env, str(registry), "--as-of", "2025-11-21", "--lang", "en")[YOUTH_OWNER]
    # (strip: Python folds a subject of this length before its first word; clients unfold it the same)
    assert str(message["Subject"]).strip() == (
        "[obligations] 2025-11-21 3 to act on, earliest 2025-12-31 (D-40), 4 resolved"
    )
    body = plain(message).replace("\r\n", "\n")
    assert "Dear 청소년정책과 청소년상담팀," in body
    resolved = body[body.index("■ Resolved (listed this once)") :].splitlines()[1:5]
    title = "청소년쉼터 이용 청소년 자립지원 서울특별시-서울지방고용노동청-한국청소년쉼터협의회 업무 협약"
    notice = (
        "notice window (2025-11-28) — 서울지방고용노동청 recorded notice stopping the renewal on 2025-11-20 "
        "(고용-77)"
    )
    assert sorted(resolved) == sorted(
        [
            f"  - {title}: {notice} — ID: notice-window-47d8e740",
            f"  - {title}: {notice} — ID: notice-window-57e06c03",
            f"  - {title}: {notice} — ID: notice-window-92cf0398",
            f"  - {title}: role unfulfilled (2025-12-31) — fulfilled on 2025-11-15 (청소년-12) "
            "— ID: role-unfulfilled-aa0d05ca",
        ]
    )
    for korean_label in ("연장 거절 통지 기한", "역할 이행 기록 없음", "만료 예정", "해소", "신규", "참고"):
        assert korean_label not in body
    assert "[NEW] [warning] 2025-12-31 (D-40) expiring" in body
