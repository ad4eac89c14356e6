"""Which findings go to whom tonight: routing to owners, and the ledger's rule for mailing again.

A finding is mailed to a recipient when it is new to them, when its date changed since it was last mailed
(a 변경협약 moved a deadline, a termination moved an end), when its severity rose above the severity last
mailed, or when it reached a reminder milestone (by default 30, 14, 7, 3, 1 and 0 days before its date)
that was not yet mailed at this severity. When a run was missed and two milestones passed, only the latest
one is mailed: one reminder, not a burst. A finding mailed before that is no longer reported, for an
agreement that was checked in this run, is listed once as resolved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from obligations.findings import Finding
from obligations.model import Contact
from obligations.notify.ledger import Mailed, SentItem, Snooze
from obligations.notify.settings import is_addr_spec
from obligations.views.text import one_line

FIRST = "first"  # the milestone key of a first mail sent before any reminder milestone is reached


class Reason(StrEnum):
    NEW = "new"
    CHANGED = "changed"  # the same finding with another date than the one last mailed
    ESCALATED = "escalated"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Item:
    finding: Finding
    reason: Reason
    milestone: str

    def sent_item(self) -> SentItem:
        f = self.finding
        return SentItem(
            f.id, self.milestone, f.severity.value, f.severity.rank, f.code, f.agreement,
            one_line(f.agreement_title), one_line(f.label or f.code), f.due, one_line(f.message),
        )  # fmt: skip


@dataclass(frozen=True)
class Recipient:
    address: str  # a checked addr-spec, lower-cased: the key of the ledger
    name: str  # the display name, already one safe line


@dataclass(frozen=True)
class Digest:
    """One message for one recipient: the items to mail now and the resolved ones to list once."""

    recipient: Recipient
    as_of: date
    items: tuple[Item, ...]
    resolved: tuple[Mailed, ...]
    already_told: int = 0  # open findings this recipient has been told about and that are not repeated


@dataclass
class Plan:
    digests: list[Digest] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # findings no one can be told about
    snoozed: int = 0
    already_told: int = 0  # (finding, recipient) pairs open and mailed before, not repeated tonight


def milestone(days_left: int | None, reminder_days: Sequence[int]) -> str | None:
    """The latest milestone reached: the smallest reminder day ``d`` with ``days_left <= d``.

    >>> milestone(27, (30, 14, 7))
    '30'
    >>> milestone(45, (30, 14, 7)) is None
    True
    """
    if days_left is None:
        return None
    reached = [d for d in reminder_days if days_left <= d]
    return str(min(reached)) if reached else None


def days_left(finding: Finding, as_of: date) -> int | None:
    if finding.days_left is not None:
        return finding.days_left
    return (finding.due - as_of).days if finding.due else None


def decide(finding: Finding, told: Mailed | None, as_of: date, reminder_days: Sequence[int]) -> Item | None:
    """Whether (and why) ``finding`` is mailed to a recipient who was last told ``told``."""
    reached = milestone(days_left(finding, as_of), reminder_days)
    key = reached or FIRST
    if told is None:
        return Item(finding, Reason.NEW, key)
    if finding.due != told.due:
        return Item(finding, Reason.CHANGED, key)
    if finding.severity.rank > told.severity_rank:
        return Item(finding, Reason.ESCALATED, key)
    if reached is not None and reached not in {m for m, _ in told.milestones}:
        return Item(finding, Reason.REMINDER, key)
    return None


def recipients_of(finding: Finding, contacts: Mapping[str, Contact]) -> tuple[list[Recipient], list[str]]:
    """The owners' mailboxes, and a problem line for each owner who cannot be mailed."""
    found: list[Recipient] = []
    problems: list[str] = []
    if not finding.owners:
        problems.append(f"{finding.id}: no owner to notify ({finding.agreement}, party {finding.party})")
    for key in finding.owners:
        contact = contacts.get(key)
        if contact is None or not contact.email:
            problems.append(f"{finding.id}: owner {key!r} has no e-mail address in contacts.yaml")
            continue
        address = contact.email.strip()
        if not is_addr_spec(address):
            problems.append(f"{finding.id}: owner {key!r} has an unusable e-mail address {address!r}")
            continue
        found.append(Recipient(address.lower(), one_line(contact.name or key)))
    return found, problems


def make_plan(
    findings: Iterable[Finding],
    contacts: Mapping[str, Contact],
    mailed: Mapping[tuple[str, str], Mailed],
    snoozes: Mapping[str, Snooze],
    *,
    as_of: date,
    checked_agreements: Iterable[str],
    reminder_days: Sequence[int],
) -> Plan:
    plan = Plan()
    findings = list(findings)
    current = {f.id for f in findings}
    per_recipient: dict[str, tuple[Recipient, list[Item], list[Finding]]] = {}
    for finding in findings:
        if finding.id in snoozes or (finding.snoozed_until is not None and as_of < finding.snoozed_until):
            plan.snoozed += 1
            continue
        recipients, problems = recipients_of(finding, contacts)
        plan.problems.extend(problems)
        for recipient in recipients:
            _, items, quiet = per_recipient.setdefault(recipient.address, (recipient, [], []))
            item = decide(finding, mailed.get((finding.id, recipient.address)), as_of, reminder_days)
            (items.append(item) if item else quiet.append(finding))
    checked = set(checked_agreements)
    resolved: dict[str, list[Mailed]] = {}
    names: dict[str, str] = {}
    for (finding_id, address), told in sorted(mailed.items()):
        # Only agreements checked tonight: a run over one file must not "resolve" every other agreement.
        if finding_id not in current and told.agreement in checked:
            resolved.setdefault(address, []).append(told)
            names[address] = told.recipient_name
    plan.already_told = sum(len(quiet) for _, _, quiet in per_recipient.values())
    for address in sorted(set(per_recipient) | set(resolved)):
        recipient, items, quiet = per_recipient.get(
            address, (Recipient(address, names.get(address, "")), [], [])
        )
        gone = tuple(resolved.get(address, ()))
        if items or gone:
            plan.digests.append(Digest(recipient, as_of, tuple(items), gone, already_told=len(quiet)))
    return plan
