"""The keepers' digest as an e-mail: plain text and HTML, Korean by default (``--lang en``).

Problems are grouped by kind (files not read, owners who cannot be mailed, findings that reach nobody,
digests not delivered), each marked new or still there, then the resolved ones, listed this once. As in
the owners' digests, every piece of text from a file is made one line, and escaped in HTML, before it is
shown; the Message-ID is derived from the recipient, the day and the content, so a copy sent again after a
crash can be recognised.
"""

from __future__ import annotations

import hashlib
import html
import shlex
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from functools import partial

from obligations.notify.keepers import BUNDLED, KeeperDigest, Kind, Problem
from obligations.notify.ledger import KeeperTold
from obligations.views import letter
from obligations.views.text import one_line

_WORDS: dict[str, dict[str, str]] = {
    "ko": {
        "tag": "[의무 알림: 등록부 관리]",
        "new_count": "새 문제 {n}건",
        "again_count": "계속 {n}건",
        "resolved_count": "해결 {n}건",
        "greeting": "{name} 님,",
        "intro": "{as_of} 알림 작업에서 담당자에게 전달되지 않는 문제입니다. 등록부: {scope}",
        Kind.UNREAD: "읽지 못한 파일 — 이 파일의 협약은 점검되지 않고, 담당자에게 알림이 가지 않습니다",
        Kind.NO_ADDRESS: "메일을 보낼 수 없는 담당자",
        Kind.UNREACHED: "아무에게도 전달되지 않는 발견 사항",
        Kind.UNDELIVERED: "전달되지 못한 담당자 알림 (다음 실행에서 다시 보냅니다)",
        "missed-unread": "알림을 받지 못하는 담당자: {names}",
        "missed-unread-none": "이 파일에서 담당자를 읽을 수 없습니다",
        "missed-no-address": "관련 협약: {names}",
        "missed-unreached": "발견 사항: {names}",
        "new": "[신규]",
        "again": "[계속, {since}부터]",
        "resolved": "해결된 문제 (이번 한 번만 알립니다)",
        "resolved_line": "{kind}: {subject} ({since}부터)",
        "quiet": "이 밖에 지난 7일 안에 알려 드린 미해결 문제 {n}건은 다시 보내지 않았습니다.",
        "again_note": "해결되지 않은 문제는 7일마다 다시 알립니다.",
        "check": "확인: obligations validate{paths} · 알림 작업 상태: obligations health",
        "footer": "obligations 자동 알림입니다. 이 메일에 회신하지 마십시오.",
    },
    "en": {
        "tag": "[obligations: registry keeper]",
        "new_count": "{n} new problem(s)",
        "again_count": "{n} still open",
        "resolved_count": "{n} resolved",
        "greeting": "Dear {name},",
        "intro": "What the notify run of {as_of} could not bring to anyone. Registry: {scope}",
        Kind.UNREAD: "Files not read: their agreements are not checked, and their owners not alerted",
        Kind.NO_ADDRESS: "Owners who cannot be mailed",
        Kind.UNREACHED: "Findings that reach nobody",
        Kind.UNDELIVERED: "Owners' digests not delivered (sent again by the next run)",
        "missed-unread": "Owners not alerted: {names}",
        "missed-unread-none": "No owner can be read from this file",
        "missed-no-address": "Agreements: {names}",
        "missed-unreached": "Findings: {names}",
        "new": "[NEW]",
        "again": "[STILL OPEN since {since}]",
        "resolved": "Resolved (listed this once)",
        "resolved_line": "{kind}: {subject} (since {since})",
        "quiet": "{n} other open problem(s) mailed within the last 7 days are not repeated.",
        "again_note": "A problem that is still there is mailed again every 7 days.",
        "check": "Check: obligations validate{paths} · state of the nightly job: obligations health",
        "footer": "Sent automatically by obligations. Please do not reply.",
    },
}
_KINDS = (Kind.UNREAD, Kind.NO_ADDRESS, Kind.UNREACHED, Kind.UNDELIVERED)
_SHORT = {
    "ko": {
        Kind.UNREAD: "읽지 못한 파일",
        Kind.NO_ADDRESS: "메일을 보낼 수 없는 담당자",
        Kind.UNREACHED: "아무에게도 전달되지 않는 발견 사항",
        Kind.UNDELIVERED: "전달되지 못한 담당자 알림",
    },
    "en": {
        Kind.UNREAD: "file not read",
        Kind.NO_ADDRESS: "owner who cannot be mailed",
        Kind.UNREACHED: "findings that reach nobody",
        Kind.UNDELIVERED: "digest not delivered",
    },
}


def subject(digest: KeeperDigest, lang: str) -> str:
    """``[의무 알림: 등록부 관리] 2025-11-01 새 문제 1건, 계속 1건, 해결 1건``."""
    words = _WORDS[lang]
    counts = [("new_count", len(digest.new)), ("again_count", len(digest.again))]
    counts.append(("resolved_count", len(digest.resolved)))
    parts = [words[key].format(n=n) for key, n in counts if n]
    return f"{words['tag']} {digest.as_of.isoformat()} " + ", ".join(parts)


def _sections(digest: KeeperDigest, lang: str) -> tuple[letter.Section, ...]:
    """A section per kind that has problems tonight, in a fixed order; each problem marked new or still
    open since the day it was first mailed."""
    words = _WORDS[lang]
    marked = [(words["new"], p) for p in digest.new]
    marked += [(words["again"].format(since=since.isoformat()), p) for p, since in digest.again]
    sections = []
    for kind in _KINDS:
        entries = tuple(_entry(mark, p, lang) for mark, p in marked if p.kind is kind)
        if entries:
            sections.append(letter.Section(words[kind], entries))
    return tuple(sections)


def _entry(mark: str, problem: Problem, lang: str) -> letter.Entry:
    about, lines = one_line(problem.subject, 300), _lines(problem, lang)
    e = html.escape
    item = f"<li><b>{e(mark)}</b> <code>{e(about)}</code>{''.join(f'<br>{e(line)}' for line in lines)}</li>"
    return letter.Entry(f"{mark} {about}", tuple(lines), item)


def _lines(problem: Problem, lang: str) -> list[str]:
    words = _WORDS[lang]
    lines = [one_line(detail, 500) for detail in problem.details]
    names = ", ".join(one_line(name, 120) for name in problem.missed)
    if problem.kind is not Kind.UNDELIVERED and names:
        lines.append(words[f"missed-{problem.kind}"].format(names=names))
    elif problem.kind is Kind.UNREAD:
        lines.append(words["missed-unread-none"])
    return lines


def _resolved_line(told: KeeperTold, lang: str) -> str:
    words = _WORDS[lang]
    return words["resolved_line"].format(
        kind=_SHORT[lang][Kind(told.kind)],
        subject=one_line(told.subject, 300),
        since=told.first_told.isoformat(),
    )


def _check(digest: KeeperDigest, lang: str) -> str:
    """The command that shows the problems again: ``obligations validate`` of the registry read."""
    paths = "" if digest.scope == BUNDLED else "".join(f" {shlex.quote(p)}" for p in digest.scope.split(", "))
    return _WORDS[lang]["check"].format(paths=paths)


def keeper_letter(digest: KeeperDigest, lang: str) -> letter.Letter:
    """The digest as a letter: a section per kind of problem, the registry read named in the introduction,
    and the commands that show the problems again above the footer."""
    words = _WORDS[lang]
    return letter.Letter(
        lang=lang,
        greeting=words["greeting"].format(name=digest.recipient.name or digest.recipient.address),
        intro=words["intro"].format(as_of=digest.as_of.isoformat(), scope=digest.scope),
        sections=_sections(digest, lang),
        resolved_heading=words["resolved"],
        resolved=tuple(_resolved_line(told, lang) for told in digest.resolved),
        quiet=words["quiet"].format(n=digest.quiet) if digest.quiet else "",
        closing=(words["again_note"], _check(digest, lang)),
        footer=words["footer"],
    )


def message_id(digest: KeeperDigest, body: str, domain: str) -> str:
    """As for the owners' digests, from recipient, day and content; ``.keeper.`` tells the two apart."""
    content = "\n".join((digest.recipient.address, digest.as_of.isoformat(), body)).encode()
    return f"<{digest.as_of:%Y%m%d}.keeper.{hashlib.sha256(content).hexdigest()[:24]}@{domain}>"


def render(digest: KeeperDigest, sender: Address, lang: str, now: datetime) -> EmailMessage:
    """The message for one keeper; ``now`` (timezone-aware) becomes the Date header."""
    composed = keeper_letter(digest, lang)
    return composed.message(subject(digest, lang), sender, digest.recipient, now, partial(message_id, digest))
