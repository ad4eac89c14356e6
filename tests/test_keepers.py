"""Keepers: what a nightly run cannot bring to anyone is mailed to the registry's keepers — once when it
appears, again a week later if still there, once as resolved — through the real outbox and a real SMTP
server (aiosmtpd), with the same ledger and delivery promise as the owners' digests."""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from notify_support import Handler, copy_of_bundled_registry, smtp_server, without_mail_settings

from obligations.cli import cli

YOUTH = "youth-shelter-self-reliance-mou-2025.yaml"
KEEPER = "keeper@example.org"
KEEPER_CONTACT = "registry-keeper:\n  name: 평생교육과 등록부 관리\n  email: keeper@example.org\n"
OWNER = "youth-counselling (청소년정책과 청소년상담팀, youth-counselling@example.org)"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_mail_settings(tmp_path, monkeypatch)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = copy_of_bundled_registry(tmp_path / "cases")
    with (folder / "contacts.yaml").open("a", encoding="utf-8") as contacts:
        contacts.write(KEEPER_CONTACT)
    return folder


def notify(registry: Path, day: str, *args: str, env: dict[str, str] | None = None) -> Result:
    ledger = ["--ledger", str(registry.parent / "ledger.sqlite")]
    environment = {"OBLIGATIONS_KEEPERS": "registry-keeper", **(env or {})}
    result = CliRunner().invoke(
        cli, ["notify", str(registry), "--as-of", day, *ledger, *args], env=environment
    )
    assert "Traceback" not in result.output
    return result


def plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def keeper_mail(outbox: Path, day: str) -> EmailMessage | None:
    files = sorted(outbox.glob(f"{day}-{KEEPER}-*.eml"))
    assert len(files) <= 1
    if not files:
        return None
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert isinstance(parsed, EmailMessage)
    return parsed


def break_term(registry: Path) -> tuple[Path, str]:
    path = registry / YOUTH
    original = path.read_text("utf-8")
    path.write_text(original.replace("  end: 2025-12 ", "  end: 2025-13 "), "utf-8")
    return path, original


def test_a_broken_file_reaches_the_keeper_that_night_once_again_after_a_week_and_resolved_once(
    tmp_path: Path, registry: Path
) -> None:
    outbox = tmp_path / "out"
    path, original = break_term(registry)
    first = notify(registry, "2025-11-01", "--outbox", str(outbox))
    assert first.exit_code == 2  # an unreadable file is an input error; the others were still mailed
    assert "keepers: sent 1 digest(s) (1 problem(s), 0 resolved)" in first.output
    mail = keeper_mail(outbox, "2025-11-01")
    assert mail is not None
    assert mail["Subject"] == "[의무 알림: 등록부 관리] 2025-11-01 새 문제 1건"
    assert mail["To"] == f"평생교육과 등록부 관리 <{KEEPER}>"
    text = plain(mail)
    problem = next(line for line in first.output.splitlines() if line.startswith(f"problem: input: {path}:"))
    line, field_message = problem.removeprefix(f"problem: input: {path}:").split(": ", 1)
    assert text == (
        "평생교육과 등록부 관리 님,\n\n"
        f"2025-11-01 알림 작업에서 담당자에게 전달되지 않는 문제입니다. 등록부: {registry}\n\n"
        "■ 읽지 못한 파일 — 이 파일의 협약은 점검되지 않고, 담당자에게 알림이 가지 않습니다\n"
        f"  [신규] {path}\n"
        f"      {line}: {field_message}\n"
        f"      알림을 받지 못하는 담당자: {OWNER}\n\n"
        "해결되지 않은 문제는 7일마다 다시 알립니다.\n"
        f"확인: obligations validate {registry} · 알림 작업 상태: obligations health\n\n"
        "-- \nobligations 자동 알림입니다. 이 메일에 회신하지 마십시오.\n"
    )
    assert line == "14" and field_message.startswith("term.end: ")
    for day in ("2025-11-02", "2025-11-07"):  # still broken, mailed within the week: not again
        assert notify(registry, day, "--outbox", str(outbox)).exit_code == 2
        assert keeper_mail(outbox, day) is None
    assert notify(registry, "2025-11-08", "--outbox", str(outbox)).exit_code == 2
    again = keeper_mail(outbox, "2025-11-08")
    assert again is not None and again["Subject"] == "[의무 알림: 등록부 관리] 2025-11-08 계속 1건"
    assert f"  [계속, 2025-11-01부터] {path}\n" in plain(again)
    assert notify(registry, "2025-11-09", "--outbox", str(outbox)).exit_code == 2
    assert keeper_mail(outbox, "2025-11-09") is None
    path.write_text(original, "utf-8")
    fixed = notify(registry, "2025-11-10", "--outbox", str(outbox))
    assert fixed.exit_code == 0, fixed.output
    resolved = keeper_mail(outbox, "2025-11-10")
    assert resolved is not None and resolved["Subject"] == "[의무 알림: 등록부 관리] 2025-11-10 해결 1건"
    assert f"■ 해결된 문제 (이번 한 번만 알립니다)\n  - 읽지 못한 파일: {path} (2025-11-01부터)\n" in plain(
        resolved
    )
    assert notify(registry, "2025-11-11", "--outbox", str(outbox)).exit_code == 0
    assert keeper_mail(outbox, "2025-11-11") is None


def test_through_smtp_an_undelivered_keeper_digest_goes_out_with_the_next_run(registry: Path) -> None:
    """An owner without a usable address (whose agreement's findings then reach nobody) and an owner's
    digest refused by the server; the keeper's own digest refused for now (451), then accepted."""
    contacts = registry / "contacts.yaml"
    unusable = "청소년상담@example.org"  # a mailbox no SMTP server without SMTPUTF8 can take
    contacts.write_text(
        contacts.read_text("utf-8").replace("youth-counselling@example.org", unusable), "utf-8"
    )
    handler = Handler(
        refuse={"lifelong-edu-policy@example.org": "550 no such mailbox", KEEPER: "451 try later"}
    )
    with smtp_server(handler) as server:
        env = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(server.port)}
        env["OBLIGATIONS_MAIL_FROM"] = "obligations@example.org"
        first = notify(registry, "2025-11-01", "--lang", "en", env=env)
        assert first.exit_code == 1
        assert f"pending: keeper {KEEPER}: recipient refused: 451 try later" in first.output
        assert "keepers: sent 0 digest(s)" in first.output
        assert handler.received == []
        del handler.refuse[KEEPER]
        second = notify(registry, "2025-11-01", "--lang", "en", env=env)
        assert second.exit_code == 1  # the owner's digest is still refused
        assert "keepers: sent 1 digest(s) (5 problem(s), 0 resolved)" in second.output
        third = notify(registry, "2025-11-01", "--lang", "en", env=env)
        assert "keepers: sent 0 digest(s)" not in third.output and "keepers:" not in third.output
        del handler.refuse["lifelong-edu-policy@example.org"]
        fourth = notify(registry, "2025-11-02", "--lang", "en", env=env)
    received = handler.by_recipient()
    assert len(received[KEEPER]) == 2
    digest = received[KEEPER][0].message
    assert digest["Subject"] == "[obligations: registry keeper] 2025-11-01 5 new problem(s)"
    text = plain(digest)
    youth = "youth-shelter-self-reliance-mou-2025"
    title = "청소년쉼터 이용 청소년 자립지원 서울특별시-서울지방고용노동청-한국청소년쉼터협의회 업무 협약"
    sections = text.split("\n\n")
    assert sections[2] == (
        "■ Owners who cannot be mailed\n"
        "  [NEW] youth-counselling\n"
        f"      unusable e-mail address '{unusable}' in contacts.yaml\n"
        f"      Agreements: {youth}"
    )
    unreached = sections[3].splitlines()
    assert unreached[0] == "■ Findings that reach nobody"
    assert [line for line in unreached if line.startswith("  [NEW]")] == [
        f"  [NEW] {youth} / labor-office",
        f"  [NEW] {youth} / seoul",
        f"  [NEW] {youth} / shelter-council",
    ]
    assert unreached[2:4] == [f"      {title}", "      owners youth-counselling: none can be mailed"]
    assert unreached[4].startswith("      Findings: notice-window-")
    assert re.fullmatch(
        "■ Owners' digests not delivered \\(sent again by the next run\\)\n"
        "  \\[NEW\\] lifelong-edu-policy@example.org\n"
        "      refused: recipient refused: 550 no such mailbox\n"
        "      undelivered since 2\\d{3}-[-0-9T:+]+, attempt 2",  # the first attempt was the night before
        sections[4],
    ), sections[4]
    assert fourth.exit_code == 1  # youth-counselling still has no address
    resolved = plain(received[KEEPER][1].message)
    assert (
        "■ Resolved (listed this once)\n"
        "  - digest not delivered: lifelong-edu-policy@example.org (since 2025-11-01)\n" in resolved
    )
    assert "[NEW]" not in resolved and "[STILL OPEN" not in resolved
    assert "4 other open problem(s) mailed within the last 7 days are not repeated." in resolved


def test_without_keepers_notify_says_the_problems_go_unmailed(tmp_path: Path, registry: Path) -> None:
    break_term(registry)
    result = notify(
        registry, "2025-11-01", "--outbox", str(tmp_path / "out"), env={"OBLIGATIONS_KEEPERS": ""}
    )
    assert result.exit_code == 2
    assert (
        "keepers: none to mail (set OBLIGATIONS_KEEPERS, or keepers in obligations.toml): "
        "the problems above are mailed to nobody"
    ) in result.output
    unknown = notify(
        registry, "2025-11-01", "--outbox", str(tmp_path / "out"), env={"OBLIGATIONS_KEEPERS": "nobody"}
    )
    assert (
        "problem: keeper 'nobody' is not in contacts.yaml; problems are not mailed to them" in unknown.output
    )
    assert "keepers: none to mail" in unknown.output


def test_keepers_in_the_settings_file(tmp_path: Path, registry: Path) -> None:
    break_term(registry)
    (tmp_path / "obligations.toml").write_text('keepers = ["registry-keeper"]\n', "utf-8")
    outbox = tmp_path / "out"
    result = notify(registry, "2025-11-01", "--outbox", str(outbox), env={"OBLIGATIONS_KEEPERS": ""})
    assert "keepers: sent 1 digest(s)" in result.output
    assert keeper_mail(outbox, "2025-11-01") is not None


@pytest.mark.parametrize("value", ["Registry-Keeper", "keeper@example.org", "a,,b"])
def test_a_keeper_must_be_a_contacts_key(registry: Path, value: str) -> None:
    result = notify(registry, "2025-11-01", "--dry-run", env={"OBLIGATIONS_KEEPERS": value})
    assert result.exit_code == 2
    assert (
        "OBLIGATIONS_KEEPERS (from the environment) must list keys of contacts.yaml such as " in result.output
    )


def test_owners_are_read_from_a_file_whose_yaml_is_broken(registry: Path) -> None:
    """The owners a broken file names are found line by line; a file that is not text names nobody."""
    path = registry / YOUTH
    path.write_text(path.read_text("utf-8").replace('title: "', "title: [unclosed "), "utf-8")
    (registry / "binary.yaml").write_bytes(b"\x00\x01\x02\xff")
    result = notify(registry, "2025-11-01", "--dry-run", "--lang", "en")
    assert result.exit_code == 2
    preview = result.output.split("To: 평생교육과 등록부 관리 <keeper@example.org>")[1]
    binary = preview.split(str(registry / "binary.yaml"))[1].split("  [NEW]")[0]
    youth = preview.split(str(path))[1].split("  [NEW]")[0]
    assert "No owner can be read from this file" in binary
    assert f"Owners not alerted: {OWNER}" in youth
    assert "invalid YAML" in youth
    assert "keepers: would send 1 digest(s) (2 problem(s), 0 resolved)" in result.output
