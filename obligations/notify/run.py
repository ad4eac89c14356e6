"""One notify run: plan the digests from the ledger, deliver them, record what was accepted.

The order is what makes it safe: take the run lock, open (and check) the ledger, read what was mailed,
deliver one digest, record it in its own transaction, then the next. A crash between delivery and record
can at worst repeat one digest (at-least-once); nothing that failed is ever recorded as sent.

The owners' digests go first; then the keepers' digest (:mod:`obligations.notify.keepers`) of what the
run could not bring to anyone, tonight's undelivered digests included; last, the run itself is recorded
(when it started and finished, what it delivered and left behind) for ``obligations health``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import platformdirs

from obligations.findings import Finding, InputProblem
from obligations.model import Agreement, Contact
from obligations.notify import keepers
from obligations.notify.delivery import OutboxTransport, Outcome, SmtpTransport, Status, Transport
from obligations.notify.keepers import KeeperDigest, Problem
from obligations.notify.ledger import KeeperTold, Ledger, Mailed, Pending, RunRecord, Snooze, ledger_path
from obligations.notify.lock import RunLock
from obligations.notify.plan import Digest, Plan, make_plan
from obligations.notify.settings import MailSettings
from obligations.views import keeper_digest
from obligations.views.digest import preview, render


@dataclass(frozen=True)
class RunOptions:
    as_of: date
    lang: str = "ko"
    dry_run: bool = False
    outbox: Path | None = None  # --outbox: write .eml files here instead of using SMTP
    ledger: Path | None = None  # --ledger
    wait: float = 120.0  # how long to wait for another run's lock or a busy ledger, in seconds
    scope: str = ""  # the registry read: a keeper's problem is resolved only by a run over the same one


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
    keepers: int = 0  # keepers who can be mailed
    unseen: int = 0  # problems of this run for the keepers
    keeper_outcomes: list[Outcome] = field(default_factory=list)
    keeper_items: int = 0  # problems mailed (new, or again after a week) in the keepers' accepted digests
    keeper_resolved: int = 0

    def count(self, digest: Digest) -> None:
        """A digest the server accepted (or, in a dry run, would be sent): the summary counts its items."""
        self.items += len(digest.items)
        self.resolved += len(digest.resolved)

    def count_keeper(self, digest: KeeperDigest) -> None:
        self.keeper_items += len(digest.new) + len(digest.again)
        self.keeper_resolved += len(digest.resolved)

    @property
    def failed(self) -> list[Outcome]:
        """The owners' digests not delivered."""
        return [o for o in self.outcomes if o.status is not Status.SENT]

    @property
    def keepers_failed(self) -> list[Outcome]:
        return [o for o in self.keeper_outcomes if o.status is not Status.SENT]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.keepers_failed and not self.problems

    def summary(self) -> str:
        sent = len(self.outcomes) - len(self.failed)
        verb = "would send" if self.dry_run else "sent"
        line = f"notify {self.as_of.isoformat()}: {verb} {sent} digest(s) "
        line += f"({self.items} item(s), {self.resolved} resolved) to {self.destination}"
        if self.already_told:
            line += f"; {self.already_told} already mailed, not repeated"
        if self.snoozed:
            line += f"; {self.snoozed} snoozed"
        if self.keeper_outcomes:
            kept = len(self.keeper_outcomes) - len(self.keepers_failed)
            line += f"; keepers: {verb} {kept} digest(s) ({self.keeper_items} problem(s), "
            line += f"{self.keeper_resolved} resolved)"
        failed = self.failed + self.keepers_failed
        if failed:
            pending = sum(o.status is Status.PENDING for o in failed)
            line += f"; NOT DELIVERED: {pending} pending (retried next run), {len(failed) - pending} refused"
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
        lines += [f"{o.status.value}: keeper {o.recipient}: {o.detail}" for o in self.keepers_failed]
        lines += [f"problem: {p}" for p in self.problems]
        if self.unseen and not self.keepers:
            lines.append(
                "keepers: none to mail (set OBLIGATIONS_KEEPERS, or keepers in obligations.toml): "
                "the problems above are mailed to nobody"
            )
        return lines


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
    unread: Sequence[InputProblem] = (),
) -> RunResult:
    """Mail tonight's digests. Raises :class:`LedgerError` or :class:`~obligations.locking.LockError`
    before anything is sent when the ledger cannot be used. ``agreements`` (by id) give the events that
    say why an item resolved; ``unread`` are the problems of the files that could not be read (for the
    keepers, and the run's record)."""
    started = datetime.now().astimezone()
    now = now or started
    findings = list(findings)
    checked = list(checked_agreements)
    path = ledger_path(options.ledger, settings.ledger)
    if options.dry_run:
        return _dry_run(findings, contacts, checked, settings, options, now, agreements, unread, path)
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
            planned = {d.recipient.address for d in plan.digests}
            ledger.forget_pending(lambda recipient: recipient not in planned)
            result.pending = {p.recipient: p for p in ledger.pending()}
            problems = _unseen(plan, result, contacts, unread)
            for keeper in _keeper_digests(
                problems, contacts, ledger.keeper_told(), settings, options, result
            ):
                outcome = transport.send(
                    keeper_digest.render(keeper, settings.mail_from, options.lang, now),
                    keeper.recipient.address,
                )
                result.keeper_outcomes.append(outcome)
                if outcome.status is Status.SENT:
                    result.count_keeper(keeper)
                    resolved = (told.problem for told in keeper.resolved)
                    ledger.record_keeper_delivery(
                        keeper.recipient.address, keeper.recipient.name, keeper.told(), resolved
                    )
        finally:
            transport.close()
        ledger.record_run(_record(result, started, options, unread))
    return result


def _dry_run(
    findings: list[Finding],
    contacts: Mapping[str, Contact],
    checked: list[str],
    settings: MailSettings,
    options: RunOptions,
    now: datetime,
    agreements: Mapping[str, Agreement] | None,
    unread: Sequence[InputProblem],
    path: Path,
) -> RunResult:
    """What a run would send, from the ledger as it is (read-only; none is created); nothing recorded."""
    existing = Ledger.open_existing(path, timeout=options.wait)
    mailed: dict[tuple[str, str], Mailed] = {}
    snoozes: dict[str, Snooze] = {}
    told: list[KeeperTold] = []
    if existing is not None:
        with existing:
            mailed, snoozes = existing.mailed(), existing.active_snoozes(options.as_of)
            told = existing.keeper_told()
    plan = _plan(findings, contacts, mailed, snoozes, checked, settings, options, agreements)
    messages = [render(d, settings.mail_from, options.lang, now, agreements) for d in plan.digests]
    result = _result(plan, options, "nobody (dry run)")
    for digest in plan.digests:
        result.count(digest)
    result.outcomes = [Outcome(d.recipient.address, Status.SENT, "dry run") for d in plan.digests]
    for keeper in _keeper_digests(
        _unseen(plan, result, contacts, unread), contacts, told, settings, options, result
    ):
        messages.append(keeper_digest.render(keeper, settings.mail_from, options.lang, now))
        result.keeper_outcomes.append(Outcome(keeper.recipient.address, Status.SENT, "dry run"))
        result.count_keeper(keeper)
    result.preview = preview(messages)
    return result


def _unseen(
    plan: Plan, result: RunResult, contacts: Mapping[str, Contact], unread: Sequence[InputProblem]
) -> list[Problem]:
    """Everything tonight's run could not bring to anyone, for the keepers."""
    return [
        *keepers.unread_files(unread, contacts),
        *keepers.unusable_owners(plan.unusable, contacts),
        *keepers.unreached_findings(plan.unreached),
        *keepers.undelivered_digests(result.failed, result.pending),
    ]


def _keeper_digests(
    problems: list[Problem],
    contacts: Mapping[str, Contact],
    told: list[KeeperTold],
    settings: MailSettings,
    options: RunOptions,
    result: RunResult,
) -> list[KeeperDigest]:
    """The keepers' digests of tonight; a keeper who cannot be mailed is a problem of the run."""
    recipients, problems_with_keepers = keepers.keeper_recipients(settings.keepers, contacts)
    result.problems += problems_with_keepers
    result.keepers, result.unseen = len(recipients), len(problems)
    return keepers.plan_keepers(problems, recipients, told, as_of=options.as_of, scope=options.scope)


def _record(
    result: RunResult, started: datetime, options: RunOptions, unread: Sequence[InputProblem]
) -> RunRecord:
    outcomes = result.outcomes + result.keeper_outcomes
    return RunRecord(
        started=started,
        finished=datetime.now().astimezone(),
        as_of=options.as_of,
        scope=options.scope,
        delivered=sum(o.status is Status.SENT for o in outcomes),
        pending=sum(o.status is Status.PENDING for o in outcomes),
        refused=sum(o.status is Status.REFUSED for o in outcomes),
        unread=tuple(dict.fromkeys(problem.file for problem in unread)),
        problems=len(result.problems),
    )


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
