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
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from obligations.notify.keepers import BUNDLED, KeeperDigest, Kind, Problem
from obligations.notify.ledger import KeeperTold
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


def _listed(digest: KeeperDigest, lang: str) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """(heading, [(mark, subject, lines)]) per kind that has problems tonight, in a fixed order."""
    words = _WORDS[lang]
    marked = [(words["new"], p) for p in digest.new]
    marked += [(words["again"].format(since=since.isoformat()), p) for p, since in digest.again]
    sections = []
    for kind in _KINDS:
        entries = [(mark, one_line(p.subject, 300), _lines(p, lang)) for mark, p in marked if p.kind is kind]
        if entries:
            sections.append((words[kind], entries))
    return sections


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


def text_body(digest: KeeperDigest, lang: str) -> str:
    words = _WORDS[lang]
    lines = [words["greeting"].format(name=digest.recipient.name or digest.recipient.address), ""]
    lines += [words["intro"].format(as_of=digest.as_of.isoformat(), scope=digest.scope), ""]
    for heading, entries in _listed(digest, lang):
        lines.append(f"■ {heading}")
        for mark, about, details in entries:
            lines.append(f"  {mark} {about}")
            lines += [f"      {line}" for line in details]
        lines.append("")
    if digest.resolved:
        lines.append(f"■ {words['resolved']}")
        lines += [f"  - {_resolved_line(told, lang)}" for told in digest.resolved]
        lines.append("")
    if digest.quiet:
        lines += [words["quiet"].format(n=digest.quiet), ""]
    lines += [words["again_note"], _check(digest, lang), "", "-- ", words["footer"]]
    return "\n".join(lines) + "\n"


def html_body(digest: KeeperDigest, lang: str) -> str:
    words = _WORDS[lang]
    e = html.escape
    out = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head>',
        "<body style=\"font-family: 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif; font-size: 14px\">",
        f"<p>{e(words['greeting'].format(name=digest.recipient.name or digest.recipient.address))}</p>",
        f"<p>{e(words['intro'].format(as_of=digest.as_of.isoformat(), scope=digest.scope))}</p>",
    ]
    for heading, entries in _listed(digest, lang):
        out.append(f"<h3>{e(heading)}</h3><ul>")
        for mark, about, details in entries:
            rest = "".join(f"<br>{e(line)}" for line in details)
            out.append(f"<li><b>{e(mark)}</b> <code>{e(about)}</code>{rest}</li>")
        out.append("</ul>")
    if digest.resolved:
        out.append(f"<h3>{e(words['resolved'])}</h3><ul>")
        out += [f"<li>{e(_resolved_line(told, lang))}</li>" for told in digest.resolved]
        out.append("</ul>")
    if digest.quiet:
        out.append(f"<p>{e(words['quiet'].format(n=digest.quiet))}</p>")
    check = _check(digest, lang)
    out.append(f"<p><small>{e(words['again_note'])}<br>{e(check)}<br>{e(words['footer'])}</small></p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def message_id(recipient: str, as_of: date, body: str, domain: str) -> str:
    content = "\n".join((recipient, as_of.isoformat(), body)).encode()
    return f"<{as_of:%Y%m%d}.keeper.{hashlib.sha256(content).hexdigest()[:24]}@{domain}>"


def render(digest: KeeperDigest, sender: Address, lang: str, now: datetime) -> EmailMessage:
    """The message for one keeper; ``now`` (timezone-aware) becomes the Date header."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(digest, lang)
    message["From"] = sender
    message["To"] = Address(
        display_name=one_line(digest.recipient.name, 80), addr_spec=digest.recipient.address
    )
    message["Date"] = format_datetime(now)
    plain, rich = text_body(digest, lang), html_body(digest, lang)
    message["Message-ID"] = message_id(
        digest.recipient.address, digest.as_of, plain + rich, sender.domain or "localhost"
    )
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a machine
    message.set_content(plain, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(rich, subtype="html", charset="utf-8", cte="base64")
    message["Content-Language"] = lang
    return message
