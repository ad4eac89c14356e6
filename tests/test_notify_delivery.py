"""Digests delivered through a real SMTP server (aiosmtpd on 127.0.0.1): content, repetition, failures."""

from __future__ import annotations

from datetime import date, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from notify_support import (
    AS_OF,
    Handler,
    authenticator,
    finding,
    free_port,
    notify,
    server_tls_context,
    settings_for,
    smtp_server,
)

from obligations.findings import Severity
from obligations.notify.delivery import Status
from obligations.notify.ledger import Ledger


def _text(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None, f"no text/{kind} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content


def test_digest_is_received_with_headers_both_parts_and_korean_text(tmp_path: Path) -> None:
    handler = Handler()
    findings = [  # in the order check lists them
        finding(
            "overdue-00000002",
            code="overdue",
            severity=Severity.CRITICAL,
            due=date(2025, 10, 1),
            label="기한 경과",
        ),
        finding("notice-window-00000001"),
        finding(
            "expiring-00000003",
            code="expiring",
            agreement="other-mou",
            title="서울런 업무협약",
            due=date(2025, 12, 31),
        ),
    ]
    with smtp_server(handler) as server:
        result = notify(findings, settings_for(server.port, tmp_path), tmp_path / "ledger.sqlite")
    assert result.ok, result.details()
    assert [r.rcpt_tos for r in handler.received] == [["team-a@example.org"]]
    received = handler.received[0]
    assert received.mail_from == "obligations@example.org"
    message = received.message
    assert message["To"].addresses == (Address("평생교육과 정책팀", addr_spec="team-a@example.org"),)
    assert message["From"].addresses == (Address("의무 알림", addr_spec="obligations@example.org"),)
    assert (
        str(message["Subject"])
        == "[의무 알림] 2025-11-01 조치 필요 3건, 가장 이른 기한 2025-10-01(D+31), 긴급 1건"
    )
    assert (
        b"=?utf-8?" in received.data.split(b"\r\n\r\n", 1)[0]
    )  # the Korean subject travels RFC 2047-encoded
    assert message["Date"].datetime.utcoffset() == timedelta(hours=9)
    assert str(message["Message-ID"]).endswith("@example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = _text(message, "plain"), _text(message, "html")
    assert "평생교육과 정책팀 담당자님," in plain
    assert "2025-11-28 (D-27) 연장 거절 통지 기한" in plain
    assert "2025-10-01 (D+31) 기한 경과" in plain
    assert "[신규] [긴급]" in plain
    # grouped by agreement, in the order of check
    assert plain.index("청소년쉼터") < plain.index("서울런") and plain.index("D+31") < plain.index("D-27")
    assert "ID: notice-window-00000001" in plain
    assert "<h3>청소년쉼터 이용 청소년 자립지원 업무 협약" in html and "D-27" in html


def test_rerun_on_the_same_day_sends_nothing(tmp_path: Path) -> None:
    handler = Handler()
    findings = [finding(owners=("team-a", "team-b"))]
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        first = notify(findings, settings, ledger)
        second = notify(findings, settings, ledger)
    assert len(first.outcomes) == 2 and first.ok
    assert second.outcomes == [] and second.ok and second.already_told == 2
    assert sorted(handler.by_recipient()) == ["team-a@example.org", "team-b@example.org"]
    assert len(handler.received) == 2
    assert "1 already" not in second.summary() and "2 already mailed" in second.summary()


def test_a_reminder_milestone_sends_again_once(tmp_path: Path) -> None:
    handler = Handler()
    due = date(2025, 11, 28)
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        for day in (date(2025, 11, 1), date(2025, 11, 2), date(2025, 11, 14), date(2025, 11, 15)):
            notify([finding(as_of=day, due=due)], settings, ledger, as_of=day)
    # 27 days left: first mail (milestone 30); 26: nothing; 14: milestone 14; 13: nothing
    assert len(handler.received) == 2
    assert "(D-14)" in _text(handler.received[1].message, "plain")
    assert "[다시 알림]" in _text(handler.received[1].message, "plain")


def test_missed_runs_send_one_reminder_for_the_latest_milestone(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([finding()], settings, ledger)
        late = date(2025, 11, 26)  # 14, 7 and 3 all passed while the job was down
        notify([finding(as_of=late)], settings, ledger, as_of=late)
        notify([finding(as_of=late)], settings, ledger, as_of=late)
    assert len(handler.received) == 2
    with Ledger.open(ledger) as opened:
        told = opened.mailed()[("notice-window-00000001", "team-a@example.org")]
    assert {m for m, _ in told.milestones} == {"30", "3"}


def test_an_escalation_sends_again(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([finding(severity=Severity.WARNING)], settings, ledger)
        notify([finding(severity=Severity.CRITICAL)], settings, ledger)
        notify([finding(severity=Severity.CRITICAL)], settings, ledger)
        notify([finding(severity=Severity.WARNING)], settings, ledger)  # a lower severity is not news
    assert len(handler.received) == 2
    assert "[상향] [긴급]" in _text(handler.received[1].message, "plain")


def test_server_down_fails_records_nothing_and_the_next_run_delivers(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here yet
    ledger = tmp_path / "ledger.sqlite"
    settings = settings_for(port, tmp_path)
    findings = [finding(owners=("team-a", "team-b"))]
    down = notify(findings, settings, ledger)
    assert not down.ok
    assert [o.status for o in down.outcomes] == [Status.PENDING, Status.PENDING]
    assert "cannot reach 127.0.0.1" in down.outcomes[0].detail
    assert "NOT DELIVERED: 2 pending" in down.summary()
    with Ledger.open(ledger) as opened:
        assert opened.mailed() == {}
        assert [p.recipient for p in opened.pending()] == ["team-a@example.org", "team-b@example.org"]
    handler = Handler()
    with smtp_server(handler, port=port):
        up = notify(findings, settings, ledger)
    assert up.ok and len(handler.received) == 2
    with Ledger.open(ledger) as opened:
        assert opened.pending() == []
        assert len(opened.mailed()) == 2


def test_one_recipient_refused_does_not_block_the_others(tmp_path: Path) -> None:
    handler = Handler(refuse={"team-b@example.org": "550 5.1.1 No such mailbox"})
    ledger = tmp_path / "ledger.sqlite"
    findings = [finding(owners=("team-a", "team-b", "team-c"))]
    with smtp_server(handler) as server:
        result = notify(findings, settings_for(server.port, tmp_path), ledger)
    assert sorted(handler.by_recipient()) == ["team-a@example.org", "team-c@example.org"]
    statuses = {o.recipient: o.status for o in result.outcomes}
    assert statuses["team-b@example.org"] is Status.REFUSED
    assert "550 5.1.1 No such mailbox" in result.details()[0]
    with Ledger.open(ledger) as opened:
        assert {r for _, r in opened.mailed()} == {"team-a@example.org", "team-c@example.org"}


def test_a_temporary_refusal_leaves_the_digest_pending(tmp_path: Path) -> None:
    handler = Handler(refuse={"team-a@example.org": "451 4.3.0 Try again later"})
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        first = notify([finding()], settings, ledger)
        handler.refuse.clear()
        second = notify([finding()], settings, ledger)
    assert first.outcomes[0].status is Status.PENDING and "451" in first.outcomes[0].detail
    assert second.ok and len(handler.received) == 1


def test_starttls_with_a_self_signed_certificate_and_login(tmp_path: Path) -> None:
    context, ca_file = server_tls_context(tmp_path)
    handler = Handler()
    env = {
        "OBLIGATIONS_SMTP_SECURITY": "starttls",
        "OBLIGATIONS_SMTP_USER": "nightly",
        "OBLIGATIONS_SMTP_PASSWORD": "s3cret",
        "OBLIGATIONS_SMTP_CAFILE": str(ca_file),
    }
    with smtp_server(
        handler,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator("nightly", "s3cret"),
    ) as server:
        ok = notify([finding()], settings_for(server.port, tmp_path, **env), tmp_path / "a.sqlite")
        wrong = notify(
            [finding()],
            settings_for(server.port, tmp_path, **{**env, "OBLIGATIONS_SMTP_PASSWORD": "wrong"}),
            tmp_path / "b.sqlite",
        )
        untrusted = notify(
            [finding()],
            settings_for(
                server.port, tmp_path, **{k: v for k, v in env.items() if k != "OBLIGATIONS_SMTP_CAFILE"}
            ),
            tmp_path / "c.sqlite",
        )
    assert ok.ok, ok.details()
    assert len(handler.received) == 1
    assert wrong.outcomes[0].status is Status.PENDING and "login refused: 535" in wrong.outcomes[0].detail
    assert untrusted.outcomes[0].status is Status.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.outcomes[0].detail


def test_implicit_tls(tmp_path: Path) -> None:
    context, ca_file = server_tls_context(tmp_path)
    handler = Handler()
    with smtp_server(handler, ssl_context=context) as server:
        env = {"OBLIGATIONS_SMTP_SECURITY": "tls", "OBLIGATIONS_SMTP_CAFILE": str(ca_file)}
        result = notify([finding()], settings_for(server.port, tmp_path, **env), tmp_path / "l.sqlite")
    assert result.ok, result.details()
    assert len(handler.received) == 1


def test_resolved_items_are_listed_once(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "ledger.sqlite"
    gone = finding("notice-window-00000001")
    stays = finding("role-unfulfilled-00000002", code="role-unfulfilled", severity=Severity.INFO, due=None)
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([gone, stays], settings, ledger)
        notify([stays], settings, ledger)  # the notice was given: the finding is no longer reported
        notify([stays], settings, ledger)
    assert len(handler.received) == 2
    second = handler.received[1].message
    assert str(second["Subject"]) == "[의무 알림] 2025-11-01 해소 1건"
    assert "해소된 항목" in _text(second, "plain") and "ID: notice-window-00000001" in _text(second, "plain")


def test_a_run_over_other_files_does_not_resolve_this_agreement(tmp_path: Path) -> None:
    handler = Handler()
    ledger = tmp_path / "ledger.sqlite"
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        notify([finding()], settings, ledger)
        notify([], settings, ledger, agreements=["some-other-mou"])
    assert len(handler.received) == 1


def test_an_owner_without_a_usable_address_is_reported(tmp_path: Path) -> None:
    handler = Handler()
    with smtp_server(handler) as server:
        result = notify(
            [finding(owners=("team-a", "nobody")), finding("x-1", owners=())],
            settings_for(server.port, tmp_path),
            tmp_path / "l.sqlite",
        )
    assert len(handler.received) == 1
    assert not result.ok
    assert result.problems == [
        "notice-window-00000001: owner 'nobody' has no e-mail address in contacts.yaml",
        "x-1: no owner to notify (youth-mou, party seoul)",
    ]


def test_english_digest(tmp_path: Path) -> None:
    handler = Handler()
    with smtp_server(handler) as server:
        notify([finding()], settings_for(server.port, tmp_path), tmp_path / "l.sqlite", lang="en")
    message = handler.received[0].message
    assert str(message["Subject"]) == "[obligations] 2025-11-01 1 to act on, earliest 2025-11-28 (D-27)"
    assert "[NEW] [warning] 2025-11-28 (D-27)" in _text(message, "plain")
    assert message["Content-Language"] == "en"
    assert AS_OF.isoformat() in _text(message, "html")
