"""Digest content and safety: header injection, escaping, ordering, milestones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from notify_support import CONTACTS, Handler, finding, notify, settings_for, smtp_server

from obligations.model import Contact
from obligations.notify.plan import milestone
from obligations.views.digest import d_day
from obligations.views.text import one_line

INJECTION = "협약\r\nBcc: evil@example.org\r\nX-Evil: 1\r\n\r\n<b>body</b>"
EXPECTED_HEADERS = {
    "subject", "from", "to", "date", "message-id", "auto-submitted", "content-language",
    "mime-version", "content-type",
}  # fmt: skip


def test_case_file_text_cannot_add_a_header_or_a_recipient(tmp_path: Path) -> None:
    handler = Handler()
    contacts = {**CONTACTS, "team-a": Contact(name="팀\r\nBcc: evil@example.org", email="team-a@example.org")}
    hostile = finding(title=INJECTION, message=INJECTION, label=INJECTION)
    with smtp_server(handler) as server:
        result = notify(
            [hostile], settings_for(server.port, tmp_path), tmp_path / "l.sqlite", contacts=contacts
        )
    assert result.ok
    assert [r.rcpt_tos for r in handler.received] == [["team-a@example.org"]]
    raw = handler.received[0].data
    header_block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    message = handler.received[0].message
    assert {name.lower() for name in message} == EXPECTED_HEADERS
    lines = header_block.lower().split("\r\n")
    assert not [line for line in lines if line.startswith(("bcc:", "x-evil:", "<b>"))]
    assert "evil" not in str(message["Subject"])
    assert message["To"].addresses[0].addr_spec == "team-a@example.org"
    assert message["To"].addresses[0].display_name == "팀 Bcc: evil@example.org"  # one harmless line
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "■ 협약 Bcc: evil@example.org X-Evil: 1 <b>body</b> (youth-mou)" in plain
    assert "<b>body</b>" not in html and "&lt;b&gt;body&lt;/b&gt;" in html


def test_an_owner_address_that_is_not_plain_is_not_used(tmp_path: Path) -> None:
    handler = Handler()
    contacts = {"team-a": Contact.model_construct(name="A", email="a@example.org>,evil@example.org")}
    with smtp_server(handler) as server:
        result = notify(
            [finding()], settings_for(server.port, tmp_path), tmp_path / "l.sqlite", contacts=contacts
        )
    assert handler.received == []
    assert result.problems == [
        "notice-window-00000001: owner 'team-a' has an unusable e-mail address "
        "'a@example.org>,evil@example.org'"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb", "a b"),
        ("a\u2028b\u2029c", "a b c"),  # Unicode line and paragraph separators
        ("left\u202eright", "left right"),  # a bidi override could disguise a date or an address
        ("  many   spaces ", "many spaces"),
        ("x" * 400, "x" * 299 + "…"),
        # Printable text (the common case) is taken as it is; other spaces are runs of spaces like any.
        ("협약 제3조: 통지 (갑)", "협약 제3조: 통지 (갑)"),
        ("a\u00a0b\u3000c", "a b c"),
        ("a\u200bb\x00c", "a b c"),  # zero-width space (Cf) and NUL (Cc)
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(45, None), (31, None), (30, "30"), (27, "30"), (14, "14"), (8, "14"), (7, "7"), (1, "1"), (0, "0"),
     (-5, "0"), (None, None)],
)  # fmt: skip
def test_milestone_is_the_latest_reached(days_left: int | None, expected: str | None) -> None:
    assert milestone(days_left, (30, 14, 7, 3, 1, 0)) == expected


@pytest.mark.parametrize(("left", "label"), [(27, "D-27"), (0, "D-day"), (-3, "D+3"), (None, "")])
def test_d_day(left: int | None, label: str) -> None:
    assert d_day(left) == label


def test_first_mail_before_any_milestone_then_the_30_day_reminder(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "l.sqlite"
    early, later = date(2025, 10, 1), date(2025, 10, 29)
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([finding(as_of=early)], settings, ledger, as_of=early)  # 58 days left: new
        notify([finding(as_of=early)], settings, ledger, as_of=early)
        notify([finding(as_of=later)], settings, ledger, as_of=later)  # 30 days left: reminder
    assert len(handler.received) == 2


def test_configured_reminder_days(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "l.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path, OBLIGATIONS_REMINDER_DAYS="10, 2")
        for day in (date(2025, 11, 1), date(2025, 11, 14), date(2025, 11, 18), date(2025, 11, 26)):
            notify([finding(as_of=day)], settings, ledger, as_of=day)
    # new (27 left); 14 left: no milestone of 10 or 2 yet; 10 left: reminder; 2 left: reminder
    assert len(handler.received) == 3
