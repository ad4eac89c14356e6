"""Which findings go to whom tonight: routing to owners, and the ledger's rule for mailing again.

A finding is mailed to a recipient when it is new to them, when its date changed since it was last mailed
(a 변경협약 moved a deadline, a termination moved an end), when its severity rose above the severity last
mailed, or when it reached a reminder milestone (by default 30, 14, 7, 3, 1 and 0 days before its date)
that was not yet mailed at this severity. When a run was missed and two milestones passed, only the latest
one is mailed: one reminder, not a burst. A finding mailed before that is no longer reported, for an
agreement that was checked in this run, is listed once as resolved when something closed it (a record, the
end of the agreement: :func:`obligations.views.resolution.closure`); one that became another finding
(due-soon → overdue, …) is told as that other one, and is dropped from the ledger without being listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from obligations.findings import Finding
from obligations.model import Agreement, Contact
from obligations.notify.ledger import Mailed, SentItem, Snooze
from obligations.notify.settings import is_addr_spec
from obligations.rulebook import finding_id
from obligations.views.resolution import BECOMES, closure
from obligations.views.text import one_line

FIRST = "first"  # the milestone key of a first mail sent before any reminder milestone is reached


class Reason(StrEnum):
    NEW = "new"
    BECAME = "became"  # new under this code, but the recipient was told of what it was before (due-soon…)
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
    # Told before and no longer reported, but closed by nothing: it became another finding (told as that
    # one) or aged out. Not listed; the ledger forgets them with the resolved ones.
    dropped: tuple[Mailed, ...] = ()

    @property
    def forgotten(self) -> tuple[Mailed, ...]:
        """What the ledger forgets once this digest is delivered."""
        return (*self.resolved, *self.dropped)


@dataclass(frozen=True)
class Unusable:
    """An owner who cannot be mailed: no contact, no address, or an address that is not usable."""

    owner: str
    address: str | None  # as contacts.yaml gives it; None when there is none


@dataclass
class Plan:
    digests: list[Digest] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # findings no one can be told about
    snoozed: int = 0
    already_told: int = 0  # (finding, recipient) pairs open and mailed before, not repeated tonight
    # For the keepers (obligations.notify.keepers): each owner who cannot be mailed, with the agreements
    # whose findings they miss; and the findings that reach nobody at all, by (agreement, party).
    unusable: dict[Unusable, set[str]] = field(default_factory=dict)
    unreached: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)


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


def recipients_of(
    finding: Finding, contacts: Mapping[str, Contact]
) -> tuple[list[Recipient], list[Unusable], list[str]]:
    """The owners' mailboxes; the owners who cannot be mailed; and a problem line for each of those."""
    found: list[Recipient] = []
    unusable: list[Unusable] = []
    problems: list[str] = []
    if not finding.owners:
        problems.append(f"{finding.id}: no owner to notify ({finding.agreement}, party {finding.party})")
    for key in finding.owners:
        contact = contacts.get(key)
        if contact is None or not contact.email:
            problems.append(f"{finding.id}: owner {key!r} has no e-mail address in contacts.yaml")
            unusable.append(Unusable(key, None))
            continue
        address = contact.email.strip()
        if not is_addr_spec(address):
            problems.append(f"{finding.id}: owner {key!r} has an unusable e-mail address {address!r}")
            unusable.append(Unusable(key, address))
            continue
        found.append(Recipient(address.lower(), one_line(contact.name or key)))
    return found, unusable, problems


def earlier_ids(finding: Finding) -> tuple[str, ...]:
    """The ids ``finding`` had under the codes it may have become from: the due-soon of an overdue, …
    (the same agreement, party, obligation and occurrence)."""
    return tuple(
        finding_id(earlier, finding.agreement, finding.party, finding.obligation, finding.occurrence)
        for earlier, codes in BECOMES.items()
        if finding.code in codes
    )


def make_plan(
    findings: Iterable[Finding],
    contacts: Mapping[str, Contact],
    mailed: Mapping[tuple[str, str], Mailed],
    snoozes: Mapping[str, Snooze],
    *,
    as_of: date,
    checked_agreements: Iterable[str],
    reminder_days: Sequence[int],
    agreements: Mapping[str, Agreement] | None = None,
) -> Plan:
    """``agreements`` (by id) give the events that say whether a finding no longer reported was closed;
    without them, every such finding that did not become another is listed as resolved."""
    plan = Plan()
    findings = list(findings)
    current = {f.id for f in findings}
    # Once per finding (each is a hash per code it may have become from), not again per recipient.
    earlier_of = {finding.id: earlier_ids(finding) for finding in findings}
    superseded = {earlier for ids in earlier_of.values() for earlier in ids}
    per_recipient: dict[str, tuple[Recipient, list[Item], list[Finding]]] = {}
    for finding in findings:
        if finding.id in snoozes or (finding.snoozed_until is not None and as_of < finding.snoozed_until):
            plan.snoozed += 1
            continue
        recipients, unusable, problems = recipients_of(finding, contacts)
        plan.problems.extend(problems)
        for owner in unusable:
            plan.unusable.setdefault(owner, set()).add(finding.agreement)
        if not recipients:
            plan.unreached.setdefault((finding.agreement, finding.party), []).append(finding)
        for recipient in recipients:
            _, items, quiet = per_recipient.setdefault(recipient.address, (recipient, [], []))
            item = decide(finding, mailed.get((finding.id, recipient.address)), as_of, reminder_days)
            if (
                item is not None
                and item.reason is Reason.NEW
                and any((earlier, recipient.address) in mailed for earlier in earlier_of[finding.id])
            ):
                item = replace(item, reason=Reason.BECAME)
            (items.append(item) if item else quiet.append(finding))
    checked = set(checked_agreements)
    resolved: dict[str, list[Mailed]] = {}
    dropped: dict[str, list[Mailed]] = {}
    names: dict[str, str] = {}
    closed: dict[str, bool] = {}  # per finding id: whether something closed it
    for (told_id, address), told in sorted(mailed.items()):
        # Only agreements checked tonight: a run over one file must not "resolve" every other agreement.
        if told_id in current or told.agreement not in checked:
            continue
        if told_id not in closed:
            agreement = agreements.get(told.agreement) if agreements is not None else None
            closed[told_id] = told_id not in superseded and (
                agreements is None or closure(told, agreement, as_of) is not None
            )
        (resolved if closed[told_id] else dropped).setdefault(address, []).append(told)
        names[address] = told.recipient_name
    plan.already_told = sum(len(quiet) for _, _, quiet in per_recipient.values())
    for address in sorted(set(per_recipient) | set(resolved)):
        recipient, items, quiet = per_recipient.get(
            address, (Recipient(address, names.get(address, "")), [], [])
        )
        gone = tuple(resolved.get(address, ()))
        if items or gone:
            plan.digests.append(
                Digest(
                    recipient,
                    as_of,
                    tuple(items),
                    gone,
                    already_told=len(quiet),
                    dropped=tuple(dropped.get(address, ())),
                )
            )
    return plan
