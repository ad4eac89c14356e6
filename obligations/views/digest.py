"""A digest as an e-mail: one message per recipient, plain text and HTML, Korean by default.

Headers are built only from checked values (the recipient's addr-spec, the configured sender, the date and
counts); every piece of case-file text that appears in a header or in the body is first made one line by
:func:`one_line`, and in HTML escaped, so a title with CR/LF and "Bcc:" cannot add a header or a recipient.
The envelope is never read back from the headers (see :mod:`obligations.notify.delivery`).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from functools import partial
from typing import TypeVar

from obligations.findings import Finding, Severity
from obligations.model import Agreement
from obligations.notify.ledger import Mailed
from obligations.notify.plan import Digest, Item, Reason, days_left
from obligations.views import letter
from obligations.views.resolution import rule_label, why_resolved
from obligations.views.text import one_line

_WORDS = {
    "ko": {
        "tag": "[의무 알림]",
        "action": "조치 필요 {n}건",
        "nearest": "가장 이른 기한 {day}({d_day})",
        "info_count": "참고 {n}건",
        "critical_count": "긴급 {n}건",
        "resolved_count": "해소 {n}건",
        "greeting": "{name} 담당자님,",
        "intro": "{as_of} 기준으로 알려 드릴 항목입니다.",
        "resolved": "해소된 항목 (이번 한 번만 알립니다)",
        "quiet": "이 밖에 이미 알려 드린 미해결 항목 {n}건은 다시 보내지 않았습니다.",
        "explain": "날짜의 근거 보기: obligations explain <ID>",
        "snooze": '알림 미루기: obligations snooze <ID> --until YYYY-MM-DD --reason "사유"',
        "footer": "obligations 자동 알림입니다. 이 메일에 회신하지 마십시오.",
        Reason.NEW: "신규",
        Reason.BECAME: "전환",
        Reason.CHANGED: "변경됨",
        Reason.ESCALATED: "상향",
        Reason.REMINDER: "다시 알림",
        Severity.INFO: "참고",
        Severity.WARNING: "경고",
        Severity.CRITICAL: "긴급",
        "no_date": "기한 없음",
        "parties": "통지할 수 있는 당사자: {names} — 어느 한 곳의 통지로 연장이 막히므로 한 건으로 알립니다.",
    },
    "en": {
        "tag": "[obligations]",
        "action": "{n} to act on",
        "nearest": "earliest {day} ({d_day})",
        "info_count": "{n} for information",
        "critical_count": "{n} critical",
        "resolved_count": "{n} resolved",
        "greeting": "Dear {name},",
        "intro": "What needs your attention as of {as_of}.",
        "resolved": "Resolved (listed this once)",
        "quiet": "{n} other open item(s) you were already told about are not repeated.",
        "explain": "How a date was computed: obligations explain <ID>",
        "snooze": 'Snooze an item: obligations snooze <ID> --until YYYY-MM-DD --reason "why"',
        "footer": "Sent automatically by obligations. Please do not reply.",
        Reason.NEW: "NEW",
        Reason.BECAME: "BECAME",
        Reason.CHANGED: "CHANGED",
        Reason.ESCALATED: "ESCALATED",
        Reason.REMINDER: "REMINDER",
        Severity.INFO: "info",
        Severity.WARNING: "warning",
        Severity.CRITICAL: "critical",
        "no_date": "no date",
        "parties": "Parties that may give this notice: {names}. Notice from any one of them stops "
        "the renewal, so this is one item.",
    },
}
T = TypeVar("T")
_COLOURS = {Severity.INFO: "#555555", Severity.WARNING: "#b35900", Severity.CRITICAL: "#b00020"}


def d_day(left: int | None) -> str:
    """The Korean office countdown: ``D-27``, ``D-day``, ``D+3`` (three days late)."""
    if left is None:
        return ""
    return "D-day" if left == 0 else (f"D-{left}" if left > 0 else f"D+{-left}")


# Codes whose findings exist once per party for one renewal: the owner gets one item naming every party.
PER_RENEWAL = ("notice-window", "renewed")


def deadline_key(finding: Finding) -> tuple[str, ...]:
    """Findings with the same key are one deadline, told as one item: the findings of one renewal, one per
    party that may give the notice (a notice from any one of them stops it). Any other finding is its own."""
    f = finding
    return (f.agreement, f.code, str(f.term)) if f.code in PER_RENEWAL else (f.id,)


def shared_message(findings: Sequence[Finding]) -> str:
    """The message of the findings of one deadline: as it is for one; for several, without the party's name
    that every rule's message begins with (:func:`parties_line` names them all)."""
    first = findings[0]
    if len(findings) == 1:
        return one_line(first.message, 1000)
    return one_line(first.message.removeprefix(f"{first.party_name}: "), 1000)


def parties_line(findings: Sequence[Finding], lang: str) -> str:
    """For several findings of one deadline, the line that names every party and says why there is one
    item; empty for one."""
    if len(findings) == 1:
        return ""
    names = ", ".join(one_line(f.party_name) for f in findings)
    return _WORDS[lang]["parties"].format(names=names)


@dataclass(frozen=True)
class Entry:
    """One item as the reader sees it: one finding, or the findings of one deadline merged (see
    :func:`deadline_key`)."""

    items: tuple[Item, ...]
    # Derived from ``items`` once, when the entry is made: the subject, the sections and each row read
    # them again, for tens of thousands of entries in a large registry's run.
    findings: tuple[Finding, ...] = field(init=False)
    severity: Severity = field(init=False)

    def __post_init__(self) -> None:
        findings = tuple(item.finding for item in self.items)
        # object.__setattr__: the dataclass is frozen, and these are set once here.
        object.__setattr__(self, "findings", findings)
        object.__setattr__(self, "severity", max((f.severity for f in findings), key=lambda s: s.rank))

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def needs_action(self) -> bool:
        return self.severity.rank >= Severity.WARNING.rank

    @property
    def message(self) -> str:
        return shared_message(self.findings)

    def parties(self, lang: str) -> str:
        return parties_line(self.findings, lang)


def by_deadline(things: Iterable[T], finding: Callable[[T], Finding]) -> list[tuple[T, ...]]:
    """``things`` (findings, or what carries one) grouped by :func:`deadline_key`, each group in the place
    of its first, in the order given."""
    merged: dict[tuple[str, ...], list[T]] = {}
    for thing in things:
        merged.setdefault(deadline_key(finding(thing)), []).append(thing)
    return [tuple(group) for group in merged.values()]


def entries(digest: Digest) -> list[Entry]:
    """The digest's items in the order ``check`` lists them (the findings' order), the findings of one
    deadline merged into the place of the first."""
    return [Entry(items) for items in by_deadline(digest.items, lambda item: item.finding)]


def groups(listed: Iterable[Entry]) -> list[tuple[str, str, list[Entry]]]:
    """Entries (see :func:`entries`) by agreement (id, title, entries), agreements and entries in the order
    of ``check``."""
    by_agreement: dict[str, list[Entry]] = {}
    for entry in listed:
        by_agreement.setdefault(entry.first.agreement, []).append(entry)
    return [(key, one_line(items[0].first.agreement_title), items) for key, items in by_agreement.items()]


def subject(digest: Digest, lang: str, listed: Sequence[Entry] | None = None) -> str:
    """What needs action (warning and critical) and its earliest date, then the rest counted apart:
    ``[의무 알림] 2025-11-01 조치 필요 1건, 가장 이른 기한 2025-11-28(D-27), 참고 9건``. ``listed`` are the
    digest's :func:`entries`, when the caller has them already."""
    words = _WORDS[lang]
    listed = entries(digest) if listed is None else listed
    action = [entry for entry in listed if entry.needs_action]
    parts = []
    if action:
        parts.append(words["action"].format(n=len(action)))
        dated = [entry.first for entry in action if entry.first.due is not None]
        if dated:
            nearest = min(dated, key=lambda f: f.due or date.max)
            assert nearest.due is not None
            left = d_day(days_left(nearest, digest.as_of))
            parts.append(words["nearest"].format(day=nearest.due.isoformat(), d_day=left))
        critical = sum(entry.severity is Severity.CRITICAL for entry in action)
        if critical:
            parts.append(words["critical_count"].format(n=critical))
    if len(listed) > len(action):
        parts.append(words["info_count"].format(n=len(listed) - len(action)))
    if digest.resolved:
        parts.append(words["resolved_count"].format(n=len(digest.resolved)))
    return f"{words['tag']} {digest.as_of.isoformat()} " + ", ".join(parts)


def _entry(entry: Entry, as_of: date, lang: str) -> letter.Entry:
    """One entry: its marks (reason, severity), day to act by, label, message and ids; in HTML a table row,
    the marks in the colour of the severity."""
    words = _WORDS[lang]
    f = entry.first
    when = f"{f.due.isoformat()} ({d_day(days_left(f, as_of))})" if f.due else str(words["no_date"])
    marks = f"[{words[entry.items[0].reason]}] [{words[entry.severity]}]"
    label = one_line(f.label or f.code)
    ids = ", ".join(item.finding.id for item in entry.items)
    message = [line for line in (entry.message, entry.parties(lang)) if line]
    e = html.escape
    row = (
        f'<tr><td style="color: {_COLOURS[entry.severity]}; white-space: nowrap"><b>{e(marks)}</b></td>'
        f'<td style="white-space: nowrap">{e(when)}</td>'
        f"<td><b>{e(label)}</b><br>{'<br>'.join(e(line) for line in message)}"
        f"<br><small>ID: <code>{e(ids)}</code></small></td></tr>"
    )
    return letter.Entry(f"{marks} {when} {label}", (*message, f"ID: {ids}"), row)


def _resolved_line(told: Mailed, as_of: date, lang: str, agreements: Mapping[str, Agreement] | None) -> str:
    due = f" ({told.due.isoformat()})" if told.due else ""
    why = why_resolved(told, (agreements or {}).get(told.agreement), as_of, lang)
    label = rule_label(told.code, lang) or told.label
    return (
        f"{one_line(told.agreement_title)}: {one_line(label)}{due} — {one_line(why)} — ID: {told.finding_id}"
    )


def owner_letter(
    digest: Digest,
    lang: str,
    agreements: Mapping[str, Agreement] | None = None,
    listed: Sequence[Entry] | None = None,
) -> letter.Letter:
    """The digest as a letter: a section per agreement (its title, its id aside), its entries in a table.
    ``listed`` are the digest's :func:`entries`, when the caller has them already."""
    words = _WORDS[lang]
    return letter.Letter(
        lang=lang,
        greeting=words["greeting"].format(name=digest.recipient.name or digest.recipient.address),
        intro=words["intro"].format(as_of=digest.as_of.isoformat()),
        sections=tuple(
            letter.Section(
                title, tuple(_entry(entry, digest.as_of, lang) for entry in of_one), agreement, rows=True
            )
            for agreement, title, of_one in groups(entries(digest) if listed is None else listed)
        ),
        resolved_heading=words["resolved"],
        resolved=tuple(_resolved_line(told, digest.as_of, lang, agreements) for told in digest.resolved),
        quiet=words["quiet"].format(n=digest.already_told) if digest.already_told else "",
        closing=(words["explain"], words["snooze"]),
        footer=words["footer"],
    )


def message_id(digest: Digest, body: str, domain: str) -> str:
    """The same for the same digest: recipient, as-of day and content. A digest sent again because a crash
    came between the server's acceptance and the ledger's record carries the Message-ID of the first
    attempt, so that mail systems and readers can recognise the copy."""
    content = "\n".join((digest.recipient.address, digest.as_of.isoformat(), body)).encode()
    return f"<{digest.as_of:%Y%m%d}.{hashlib.sha256(content).hexdigest()[:24]}@{domain}>"


def render(
    digest: Digest,
    sender: Address,
    lang: str,
    now: datetime,
    agreements: Mapping[str, Agreement] | None = None,
) -> EmailMessage:
    """The message for ``digest``; ``now`` must be timezone-aware (it becomes the Date header);
    ``agreements`` (by id) are read for the events that say why an item was resolved."""
    listed = entries(digest)  # once for the subject and the body
    composed = owner_letter(digest, lang, agreements, listed)
    return composed.message(
        subject(digest, lang, listed), sender, digest.recipient, now, partial(message_id, digest)
    )


def preview(messages: Sequence[EmailMessage]) -> str:
    """What ``--dry-run`` prints: each message's main headers and its plain-text part."""
    out = []
    for message in messages:
        plain = message.get_body(("plain",))
        body = plain.get_content() if plain is not None else ""
        out.append(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{body}")
    return ("\n" + "=" * 72 + "\n").join(out)
