"""Shared by the notify tests: a real SMTP server (aiosmtpd) on 127.0.0.1, findings and contacts."""

from __future__ import annotations

import asyncio
import email
import socket
import ssl
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from obligations.findings import Finding, Severity
from obligations.model import Contact
from obligations.notify.run import RunOptions, RunResult, run_notify
from obligations.notify.settings import MailSettings, load_settings

AS_OF = date(2025, 11, 1)
NOW = datetime(2025, 11, 1, 6, 0, tzinfo=timezone(timedelta(hours=9)))
CONTACTS = {
    "team-a": Contact(name="평생교육과 정책팀", email="team-a@example.org"),
    "team-b": Contact(name="청소년상담팀", email="team-b@example.org"),
    "team-c": Contact(name="교육플랫폼기획팀", email="team-c@example.org"),
}


def finding(
    ident: str = "notice-window-00000001",
    *,
    code: str = "notice-window",
    severity: Severity = Severity.WARNING,
    agreement: str = "youth-mou",
    title: str = "청소년쉼터 이용 청소년 자립지원 업무 협약",
    party: str = "seoul",
    due: date | None = date(2025, 11, 28),
    as_of: date = AS_OF,
    owners: tuple[str, ...] = ("team-a",),
    message: str = "서울특별시: 2025-11-28까지 서면으로 연장 거절 통지",
    label: str = "연장 거절 통지 기한",
) -> Finding:
    return Finding(
        id=ident,
        code=code,
        severity=severity,
        agreement=agreement,
        agreement_title=title,
        party=party,
        party_name="서울특별시",
        obligation=None,
        due=due,
        days_left=(due - as_of).days if due else None,
        message=message,
        owners=owners,
        label=label,
    )


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Handler:
    """Records every accepted message; refuses listed recipients with the reply given."""

    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." or "451 ..."
    delay: float = 0.0  # seconds before accepting DATA, so that two runs overlap
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 Message accepted for delivery"

    def by_recipient(self) -> dict[str, list[Received]]:
        out: dict[str, list[Received]] = {}
        for item in self.received:
            for rcpt in item.rcpt_tos:
                out.setdefault(rcpt, []).append(item)
        return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(handler: Handler, port: int | None = None, **kwargs: Any) -> Iterator[Controller]:
    controller = Controller(
        handler, hostname="127.0.0.1", port=port or free_port(), ready_timeout=30, **kwargs
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def authenticator(user: str, password: str) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
        ok = ok and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535 itself

    return check


def server_tls_context(tmp: Path) -> tuple[ssl.SSLContext, Path]:
    """A self-signed CA (trustme) and a certificate for 127.0.0.1; returns the server context, CA file."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    return context, ca_file


def settings_for(port: int, tmp: Path, **env: str) -> MailSettings:
    values = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(port)}
    values["OBLIGATIONS_MAIL_FROM"] = "의무 알림 <obligations@example.org>"
    values["OBLIGATIONS_SMTP_TIMEOUT"] = "20"
    values.update(env)
    return load_settings(environ=values, cwd=tmp)


def notify(
    findings: Sequence[Finding],
    settings: MailSettings,
    ledger: Path,
    *,
    as_of: date = AS_OF,
    agreements: Sequence[str] | None = None,
    contacts: Mapping[str, Contact] = CONTACTS,
    **options: Any,
) -> RunResult:
    checked = agreements if agreements is not None else sorted({f.agreement for f in findings})
    return run_notify(
        findings,
        contacts,
        checked,
        settings,
        RunOptions(as_of=as_of, ledger=ledger, **options),
        now=datetime.combine(as_of, NOW.timetz()),
    )


def copy_of_bundled_registry(folder: Path) -> Path:
    """The bundled case files and contacts.yaml, copied into ``folder`` (made), to be changed by a test."""
    from obligations.resources import cases_dir

    folder.mkdir(parents=True, exist_ok=True)
    for path in cases_dir().glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def without_mail_settings(tmp_path: Path, monkeypatch: Any) -> None:
    """No setting of the machine running the tests; the default ledger and outbox under ``tmp_path``."""
    from obligations.notify.settings import KEYS

    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
