"""Handing digests over: to an SMTP server, or as ``.eml`` files into an outbox folder.

Each message goes to exactly one envelope recipient, given explicitly; the envelope is never derived from
the headers, so no header can add a recipient. The outcome of every message is one of:

- ``SENT``: the server accepted it (or the file is in the outbox); only now does the ledger record it.
- ``PENDING``: a temporary failure — no connection, a timeout, TLS or login trouble, a 4xx reply. Nothing is
  recorded, so the next run sends it again.
- ``REFUSED``: a 5xx reply for this message (an unknown mailbox). Reported; the other recipients are not
  affected, and the next run tries again, so that a fixed address in contacts.yaml is picked up.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Protocol

from obligations.notify.settings import MailSettings


class Status(StrEnum):
    SENT = "sent"
    PENDING = "pending"
    REFUSED = "refused"


@dataclass(frozen=True)
class Outcome:
    recipient: str
    status: Status
    detail: str = ""


class Transport(Protocol):
    def send(self, message: EmailMessage, recipient: str) -> Outcome: ...

    def close(self) -> None: ...


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}"


def _by_code(recipient: str, code: int, text: bytes | str, what: str) -> Outcome:
    status = Status.REFUSED if 500 <= code < 600 else Status.PENDING
    return Outcome(recipient, status, f"{what}: {_reply(code, text)}")


class SmtpTransport:
    """One SMTP session for the whole run, opened on the first message.

    After a failure of the connection itself every remaining message is left pending at once, instead of
    waiting for one timeout per recipient.
    """

    def __init__(self, settings: MailSettings) -> None:
        assert settings.host is not None
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._broken: str | None = None

    def _context(self) -> ssl.SSLContext:
        # Certificates are always verified; a private CA is added with OBLIGATIONS_SMTP_CAFILE.
        cafile = str(self.settings.cafile) if self.settings.cafile else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.host is not None
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage, recipient: str) -> Outcome:
        if self._broken is not None:
            return Outcome(recipient, Status.PENDING, self._broken)
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.sendmail(self.settings.mail_from.addr_spec, [recipient], message.as_bytes(policy=SMTP))
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(recipient, (550, b"refused"))
            return _by_code(recipient, code, text, "recipient refused")
        except smtplib.SMTPAuthenticationError as error:
            return self._break(recipient, f"login refused: {_reply(error.smtp_code, error.smtp_error)}")
        except smtplib.SMTPSenderRefused as error:
            return _by_code(recipient, error.smtp_code, error.smtp_error, f"sender {error.sender} refused")
        except smtplib.SMTPResponseException as error:
            if isinstance(error, smtplib.SMTPConnectError) or error.smtp_code == 421:
                return self._break(
                    recipient, f"server unavailable: {_reply(error.smtp_code, error.smtp_error)}"
                )
            return _by_code(recipient, error.smtp_code, error.smtp_error, "message refused")
        except smtplib.SMTPNotSupportedError as error:
            return self._break(recipient, f"server does not support what the settings ask: {error}")
        except (smtplib.SMTPException, OSError) as error:
            # OSError covers refused connections, timeouts, DNS and certificate verification failures.
            what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            return self._break(recipient, f"cannot reach {self.settings.host}:{self.settings.port}: {what}")
        return Outcome(recipient, Status.SENT)

    def _break(self, recipient: str, detail: str) -> Outcome:
        self._broken = detail
        self.close()
        return Outcome(recipient, Status.PENDING, detail)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()  # the server is gone already; the messages were accepted or not before
            self._smtp = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class OutboxTransport:
    """Writes ``<as-of>-<recipient>-<n>.eml`` files; each appears whole or not at all (write, then rename)."""

    def __init__(self, folder: Path, stem: str) -> None:
        self.folder = folder
        self.stem = stem

    def send(self, message: EmailMessage, recipient: str) -> Outcome:
        safe = re.sub(r"[^A-Za-z0-9@._-]", "_", recipient)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(message.as_bytes(policy=SMTP))
                file.flush()
                os.fsync(file.fileno())
            n = 1
            while (target := self.folder / f"{self.stem}-{safe}-{n}.eml").exists():
                n += 1
            os.replace(temporary, target)
        except OSError as error:
            return Outcome(
                recipient, Status.PENDING, f"cannot write to the outbox {self.folder}: {error.strerror}"
            )
        return Outcome(recipient, Status.SENT, str(target))

    def close(self) -> None:
        pass
