"""The layout of a notify letter, the same for the owners' digests and the keepers': a greeting, an
introduction, headed sections of entries, the resolved ones listed once, the line that says what was held
back, the closing lines and the footer; rendered as plain text and as HTML, and sent as one message with
both.

A letter knows no words of its own: each digest writes them (:mod:`obligations.views.digest`,
:mod:`obligations.views.keeper_digest`), makes every piece of case-file text one line first
(:func:`obligations.views.text.one_line`), and lays out its own entries. The letter escapes each text for
HTML, except an entry's ``html``, which its digest built and escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from obligations.notify.plan import Recipient
from obligations.views.text import one_line

_BODY_STYLE = "font-family: 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif; font-size: 14px"


@dataclass(frozen=True)
class Entry:
    """One item of a section: in text, its head line and the lines indented under it; in HTML, the element
    its digest made of it (a list item, or a table row in a section of ``rows``)."""

    head: str
    lines: tuple[str, ...]
    html: str


@dataclass(frozen=True)
class Section:
    """A heading and its entries. ``aside`` follows the heading in brackets (smaller in HTML): the id of the
    agreement whose title is the heading."""

    heading: str
    entries: tuple[Entry, ...]
    aside: str = ""
    rows: bool = False  # the entries are the rows of a table in HTML, else the items of a list


@dataclass(frozen=True)
class Letter:
    """What one recipient is told in one message, in the order it is read."""

    lang: str
    greeting: str
    intro: str
    sections: tuple[Section, ...]
    resolved_heading: str
    resolved: tuple[str, ...]  # one line each of what was resolved since the last letter, listed this once
    quiet: str  # what is held back because it was told already; empty when nothing is
    closing: tuple[str, ...]  # the lines above the footer: the commands that show more
    footer: str

    def _sections(self) -> tuple[Section, ...]:
        if not self.resolved:
            return self.sections
        listed = (Entry(f"- {line}", (), f"<li>{html.escape(line)}</li>") for line in self.resolved)
        return (*self.sections, Section(self.resolved_heading, tuple(listed)))

    def text(self) -> str:
        lines = [self.greeting, "", self.intro, ""]
        for section in self._sections():
            lines.append(f"■ {section.heading}" + (f" ({section.aside})" if section.aside else ""))
            for entry in section.entries:
                lines.append(f"  {entry.head}")
                lines += [f"      {line}" for line in entry.lines]
            lines.append("")
        if self.quiet:
            lines += [self.quiet, ""]
        lines += [*self.closing, "", "-- ", self.footer]
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        e = html.escape
        out = [
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8"></head>',
            f'<body style="{_BODY_STYLE}">',
            f"<p>{e(self.greeting)}</p>",
            f"<p>{e(self.intro)}</p>",
        ]
        for section in self._sections():
            aside = f" <small>({e(section.aside)})</small>" if section.aside else ""
            opening, closing = ('<table cellpadding="4">', "</table>") if section.rows else ("<ul>", "</ul>")
            out.append(f"<h3>{e(section.heading)}{aside}</h3>{opening}")
            out += [entry.html for entry in section.entries]
            out.append(closing)
        if self.quiet:
            out.append(f"<p>{e(self.quiet)}</p>")
        out.append(f"<p><small>{'<br>'.join(e(line) for line in (*self.closing, self.footer))}</small></p>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"

    def message(
        self,
        subject: str,
        sender: Address,
        recipient: Recipient,
        now: datetime,
        message_id: Callable[[str, str], str],
    ) -> EmailMessage:
        """The letter as one message, plain text and HTML; ``now`` must be timezone-aware (it becomes the
        Date header); ``message_id(body, domain)`` names the message from its content."""
        message = EmailMessage(policy=SMTP)
        message["Subject"] = subject
        message["From"] = sender
        message["To"] = Address(display_name=one_line(recipient.name, 80), addr_spec=recipient.address)
        message["Date"] = format_datetime(now)
        plain, rich = self.text(), self.html()
        message["Message-ID"] = message_id(plain + rich, sender.domain or "localhost")
        # RFC 3834: tells vacation responders and ticket systems not to answer a machine.
        message["Auto-Submitted"] = "auto-generated"
        # base64, not 8bit: Korean text then passes any relay, with or without 8BITMIME.
        message.set_content(plain, subtype="plain", charset="utf-8", cte="base64")
        message.add_alternative(rich, subtype="html", charset="utf-8", cte="base64")
        # After add_alternative, which moves every Content-* header of the message into its first part.
        message["Content-Language"] = self.lang
        return message
