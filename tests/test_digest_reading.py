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
from two_term import CASE, two_term_registry

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


# -- A year of nightly digests over a two-term agreement (issue 24) --------------------
OWNER = "youth-counselling@example.org"  # owns both parties of the test agreement


@pytest.fixture
def two_term(tmp_path: Path) -> Path:
    return two_term_registry(tmp_path / "two-term")


def nightly(env: dict[str, str], folder: Path, day: str) -> tuple[str, str]:
    """(subject, plain body) of the owner's digest on ``day``; ("", "") when none was sent."""
    message = mail(env, str(folder), "--as-of", day).get(OWNER)
    if message is None:
        return "", ""
    return str(message["Subject"]), plain(message).replace("\r\n", "\n")


def items(body: str) -> list[str]:
    """The ids of the items listed (not the resolved ones)."""
    listed = body.split("■ 해소된 항목", 1)[0]
    return [
        i for line in listed.splitlines() if line.strip().startswith("ID: ") for i in line[10:].split(", ")
    ]


def resolved(body: str) -> list[str]:
    if "■ 해소된 항목" not in body:
        return []
    part = body.split("■ 해소된 항목", 1)[1].split("\n\n", 1)[0]
    return [line for line in part.splitlines()[1:] if line.startswith("  - ")]


def check_ids(folder: Path, day: str, code: str) -> list[str]:
    output = CliRunner().invoke(cli, ["check", str(folder), "--as-of", day, "--format", "json"]).output
    return [f["id"] for f in json.loads(output)["findings"] if f["code"] == code]


def test_what_nobody_did_is_never_resolved_it_is_told_as_what_it_became(
    env: dict[str, str], two_term: Path
) -> None:
    due_soon = check_ids(two_term, "2025-03-01", "due-soon")
    subject, body = nightly(env, two_term, "2025-03-01")
    assert due_soon and set(due_soon) <= set(items(body))
    # The plan turns overdue: told as overdue, not "resolved".
    subject, body = nightly(env, two_term, "2025-04-01")
    assert "해소" not in subject and resolved(body) == []
    overdue = check_ids(two_term, "2025-04-01", "overdue")
    assert items(body) == overdue and "[전환] [긴급] 2025-03-31 (D+1) 기한 경과" in body
    # The notice windows open, then pass into a renewal: the renewal is told, nothing is resolved.
    nightly(env, two_term, "2025-11-01")
    subject, body = nightly(env, two_term, "2025-12-01")
    assert "해소" not in subject and resolved(body) == []
    assert set(check_ids(two_term, "2025-12-01", "renewed")) <= set(items(body))
    # The first term closes with both roles unrecorded: told as lapses of that term.
    nightly(env, two_term, "2025-12-30")
    subject, body = nightly(env, two_term, "2026-01-02")
    assert "해소" not in subject and resolved(body) == []
    lapsed = check_ids(two_term, "2026-01-02", "role-lapsed")
    assert len(lapsed) == 2 and set(lapsed) <= set(items(body))
    assert "협약기간 2025-01-01~2025-12-31에 이행 기록 없음" in body
    assert (
        body.count("[전환] [경고] 2025-12-31 (D+2) 역할 미이행 기간") == 2
    )  # what the term-closing notes became
    # The overdue plan kept its id across the renewal: not told again, not resolved, not new.
    assert check_ids(two_term, "2026-01-02", "overdue") == overdue
    assert overdue[0] not in body
    # The final term expires: told as expired.
    nightly(env, two_term, "2026-11-15")
    subject, body = nightly(env, two_term, "2027-01-02")
    assert "해소" not in subject and resolved(body) == []
    assert "기한" + " 2025-03-31이 지나" not in body


def test_resolved_lists_only_what_a_record_closed_and_the_summary_counts_it(
    env: dict[str, str], two_term: Path
) -> None:
    nightly(env, two_term, "2026-01-02")
    case = two_term / CASE.name
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "events: []",
            "events:\n"
            "  - {date: 2026-01-05, type: fulfilled, obligation: city-space, party: city,"
            " period: 2025-01-01/2025-12-31, ref: 시-105}\n"
            "  - {date: 2026-01-05, type: waived, obligation: city-plan, party: city, ref: 시-면제-7}\n",
        ),
        encoding="utf-8",
    )
    handler = Handler()
    with smtp_server(handler) as server:
        smtp = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(server.port)}
        result = CliRunner().invoke(
            cli, ["notify", str(two_term), "--as-of", "2026-01-06"], env={**env, **smtp}
        )
    assert result.exit_code == 0, result.output
    assert "(0 item(s), 2 resolved)" in result.output
    message = handler.received[0].message
    assert str(message["Subject"]) == "[의무 알림] 2026-01-06 해소 2건"
    title = "두 기간 협약 예시 (시험용)"
    assert sorted(resolved(plain(message).replace("\r\n", "\n"))) == sorted(
        [
            f"  - {title}: 기한 경과 (2025-03-31) — 2026-01-05 면제 기록 (시-면제-7) — ID: overdue-b35dd814",
            f"  - {title}: 역할 미이행 기간 (2025-12-31) — 2026-01-05 이행 기록 (시-105) "
            "— ID: role-lapsed-a362e70a",
        ]
    )


def test_a_termination_ends_what_ended_with_the_agreement(env: dict[str, str], two_term: Path) -> None:
    nightly(env, two_term, "2025-11-01")
    case = two_term / CASE.name
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "events: []",
            "events:\n  - {date: 2025-11-03, type: terminated, party: centre, ref: 센터-해지}\n",
        ),
        encoding="utf-8",
    )
    subject, body = nightly(env, two_term, "2025-11-04")
    lines = resolved(body)
    # The two notice windows end with the agreement; the overdue plan and the roles' term-closing notes
    # are still owed or became lapses of the term the termination ended.
    assert len(lines) == 2 and all("2025-11-03 △△센터의 해지 기록 (센터-해지)" in line for line in lines)
    assert all("연장 거절 통지 기한" in line for line in lines)
    assert "해소 2건" in subject
    assert set(check_ids(two_term, "2025-11-04", "role-lapsed")) <= set(items(body))


def test_a_snooze_holds_across_the_renewal(env: dict[str, str], two_term: Path) -> None:
    nightly(env, two_term, "2025-12-30")
    (overdue,) = check_ids(two_term, "2025-12-30", "overdue")
    # --force: the plan's due day has passed, and a snooze is never after a due day unless forced.
    snooze = CliRunner().invoke(
        cli,
        [
            "snooze",
            overdue,
            "--until",
            "2026-02-01",
            "--reason",
            "계획 수립 중",
            "--as-of",
            "2025-12-30",
            "--force",
            str(two_term),
        ],
        env=env,
    )
    assert snooze.exit_code == 0, snooze.output
    handler = Handler()
    with smtp_server(handler) as server:
        smtp = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(server.port)}
        result = CliRunner().invoke(
            cli, ["notify", str(two_term), "--as-of", "2026-01-02"], env={**env, **smtp}
        )
    assert check_ids(two_term, "2026-01-02", "overdue") == [overdue]
    assert "1 snoozed" in result.output, result.output
    assert overdue not in plain(handler.received[0].message)
