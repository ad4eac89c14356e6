"""One notify run: plan the digests from the ledger, deliver them, record what was accepted.

The order is what makes it safe: take the run lock, open (and check) the ledger, read what was mailed,
deliver one digest, record it in its own transaction, then the next. A crash between delivery and record
can at worst repeat one digest (at-least-once); nothing that failed is ever recorded as sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import platformdirs

from obligations.findings import Finding
from obligations.model import Agreement, Contact
from obligations.notify.delivery import OutboxTransport, Outcome, SmtpTransport, Status, Transport
from obligations.notify.ledger import Ledger, Mailed, Pending, Snooze, ledger_path
from obligations.notify.lock import RunLock
from obligations.notify.plan import Digest, Plan, make_plan
from obligations.notify.settings import MailSettings
from obligations.views.digest import preview, render


@dataclass(frozen=True)
class RunOptions:
    as_of: date
    lang: str = "ko"
    dry_run: bool = False
    outbox: Path | None = None  # --outbox: write .eml files here instead of using SMTP
    ledger: Path | None = None  # --ledger
    wait: float = 120.0  # how long to wait for another run's lock or a busy ledger, in seconds


@dataclass
class RunResult:
    as_of: date
    destination: str
    outcomes: list[Outcome] = field(default_factory=list)
    items: int = 0  # in the digests the server accepted
    resolved: int = 0
    snoozed: int = 0
    already_told: int = 0
    problems: list[str] = field(default_factory=list)
    preview: str = ""
    dry_run: bool = False
    pending: dict[str, Pending] = field(default_factory=dict)  # the ledger's pending entries after the run

    def count(self, digest: Digest) -> None:
        """A digest the server accepted (or, in a dry run, would be sent): the summary counts its items."""
        self.items += len(digest.items)
        self.resolved += len(digest.resolved)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is not Status.SENT]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.problems

    def summary(self) -> str:
        sent = len(self.outcomes) - len(self.failed)
        verb = "would send" if self.dry_run else "sent"
        line = f"notify {self.as_of.isoformat()}: {verb} {sent} digest(s) "
        line += f"({self.items} item(s), {self.resolved} resolved) to {self.destination}"
        if self.already_told:
            line += f"; {self.already_told} already mailed, not repeated"
        if self.snoozed:
            line += f"; {self.snoozed} snoozed"
        if self.failed:
            pending = sum(o.status is Status.PENDING for o in self.failed)
            line += (
                f"; NOT DELIVERED: {pending} pending (retried next run), {len(self.failed) - pending} refused"
            )
        if self.problems:
            line += f"; {len(self.problems)} problem(s)"
        return line

    def details(self) -> list[str]:
        """One line per failure, for stderr."""
        lines = []
        for o in self.failed:
            since = self.pending.get(o.recipient)
            attempts = f" (undelivered since {since.since}, attempt {since.attempts})" if since else ""
            lines.append(f"{o.status.value}: {o.recipient}: {o.detail}{attempts}")
        return lines + [f"problem: {p}" for p in self.problems]


def default_outbox() -> Path:
    return Path(platformdirs.user_state_dir("obligations")) / "outbox"


def _transport(settings: MailSettings, options: RunOptions) -> tuple[Transport, str]:
    if options.outbox is not None or settings.host is None:
        # No SMTP host configured: the job still works out of the box and leaves .eml files to look at.
        folder = options.outbox or settings.outbox or default_outbox()
        return OutboxTransport(folder, options.as_of.isoformat()), f"outbox {folder}"
    return SmtpTransport(settings), f"{settings.host}:{settings.port} ({settings.security})"


def run_notify(
    findings: Iterable[Finding],
    contacts: Mapping[str, Contact],
    checked_agreements: Iterable[str],
    settings: MailSettings,
    options: RunOptions,
    *,
    now: datetime | None = None,
    agreements: Mapping[str, Agreement] | None = None,
) -> RunResult:
    """Mail tonight's digests. Raises :class:`LedgerError` (lock timeout included) before anything is sent
    when the ledger cannot be used. ``agreements`` (by id) give the events that say why an item resolved."""
    now = now or datetime.now().astimezone()
    findings = list(findings)
    checked = list(checked_agreements)
    path = ledger_path(options.ledger, settings.ledger)
    if options.dry_run:
        existing = Ledger.open_existing(path, timeout=options.wait)
        mailed: dict[tuple[str, str], Mailed] = {}
        snoozes: dict[str, Snooze] = {}
        if existing is not None:
            with existing:
                mailed, snoozes = existing.mailed(), existing.active_snoozes(options.as_of)
        plan = _plan(findings, contacts, mailed, snoozes, checked, settings, options, agreements)
        messages = [render(d, settings.mail_from, options.lang, now, agreements) for d in plan.digests]
        result = _result(plan, options, "nobody (dry run)")
        for digest in plan.digests:
            result.count(digest)
        result.preview = preview(messages)
        result.outcomes = [Outcome(d.recipient.address, Status.SENT, "dry run") for d in plan.digests]
        return result
    with RunLock(path, options.wait), Ledger.open(path, timeout=options.wait) as ledger:
        plan = _plan(
            findings,
            contacts,
            ledger.mailed(),
            ledger.active_snoozes(options.as_of),
            checked,
            settings,
            options,
            agreements,
        )
        transport, destination = _transport(settings, options)
        result = _result(plan, options, destination)
        try:
            for digest in plan.digests:
                message = render(digest, settings.mail_from, options.lang, now, agreements)
                outcome = transport.send(message, digest.recipient.address)
                result.outcomes.append(outcome)
                if outcome.status is Status.SENT:
                    result.count(digest)
                    ledger.record_delivery(
                        digest.recipient.address,
                        digest.recipient.name,
                        (item.sent_item() for item in digest.items),
                        (told.finding_id for told in digest.forgotten),
                        as_of=options.as_of,
                        message_id=str(message["Message-ID"]),
                        at=now,
                    )
                else:
                    ledger.record_failure(digest.recipient.address, outcome.detail, at=now)
        finally:
            transport.close()
        planned = {d.recipient.address for d in plan.digests}
        ledger.forget_pending(lambda recipient: recipient not in planned)
        result.pending = {p.recipient: p for p in ledger.pending()}
    return result


def _plan(
    findings: list[Finding],
    contacts: Mapping[str, Contact],
    mailed: Mapping[tuple[str, str], Mailed],
    snoozes: Mapping[str, Snooze],
    checked: list[str],
    settings: MailSettings,
    options: RunOptions,
    agreements: Mapping[str, Agreement] | None,
) -> Plan:
    return make_plan(
        findings,
        contacts,
        mailed,
        snoozes,
        as_of=options.as_of,
        checked_agreements=checked,
        reminder_days=settings.reminder_days,
        agreements=agreements,
    )


def _result(plan: Plan, options: RunOptions, destination: str) -> RunResult:
    return RunResult(
        as_of=options.as_of,
        destination=destination,
        snoozed=plan.snoozed,
        already_told=plan.already_told,
        problems=list(dict.fromkeys(plan.problems)),
        dry_run=options.dry_run,
    )
