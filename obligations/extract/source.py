"""The agreement text as read: physical lines kept for citing, and spans of joined text that remember them.

Texts converted from HWP break lines in the middle of words and put blank lines between them
(``"…김포시 청"`` / ``""`` / ``"소년의 사교육비…"``). A break that fell on a space keeps that space at the
end of the line (``"…취득한 상대방의 "``), so in such a text a break *without* a trailing space is a break
inside a word and is joined without one. A text that never ends a line with a space (typed or re-saved by
hand) is taken to break only between words. Every character of a joined :class:`Span` remembers its line,
so each extracted value can cite the line it came from (``# L138: …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Spaces that HWP and PDF exports leave in place of the ASCII one; full-width parentheses of article titles.
_SAME_WIDTH = str.maketrans(
    {"\t": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u3000": " ", "（": "(", "）": ")"}
)
_SPACES = re.compile(r"\s+")
_JOINS_WITH_SPACE = tuple(".,;:)」｣”\"'’")


class UnreadableText(ValueError):
    """The file is not text this tool can read; the message says why in plain words."""


def squeeze(text: str) -> str:
    """Irregular spacing reduced to single spaces: ``"2025년  2월   25일"`` → ``"2025년 2월 25일"``."""
    return _SPACES.sub(" ", text.translate(_SAME_WIDTH)).strip()


@dataclass(frozen=True)
class Lines:
    """The physical lines of the text, numbered from 1 as an editor shows them."""

    raw: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Lines:
        return cls(tuple(text.translate(_SAME_WIDTH).splitlines()))

    def __getitem__(self, number: int) -> str:
        return self.raw[number - 1]

    def __len__(self) -> int:
        return len(self.raw)

    @property
    def breaks_inside_words(self) -> bool:
        """True for HWP-style text, whose breaks at a space keep the space at the line's end."""
        return any(line.strip() and line != line.rstrip() for line in self.raw)

    def quote(self, number: int, limit: int = 72) -> str:
        """The line as a comment shows it: spacing squeezed, shortened to ``limit`` characters.

        >>> Lines.of("a\\n본 협약의 기간은   체결일로부터 1년으로 하며, ").quote(2)
        'L2: 본 협약의 기간은 체결일로부터 1년으로 하며,'
        """
        text = squeeze(self[number])
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return f"L{number}: {text}"


@dataclass(frozen=True)
class Span:
    """Text joined from one or more lines; ``lines[i]`` is the line of ``text[i]``.

    >>> span = SpanBuilder(joins_words=True).add("본 조의 비밀유지의", 3).add("무는 유지된다.", 5).build()
    >>> span.text, span.line_at(span.text.index("무는"))
    ('본 조의 비밀유지의무는 유지된다.', 5)
    """

    text: str
    lines: tuple[int, ...]

    @property
    def first_line(self) -> int:
        return self.lines[0] if self.lines else 0

    def line_at(self, index: int) -> int:
        if not self.lines:
            return 0
        return self.lines[min(max(index, 0), len(self.lines) - 1)]

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass
class SpanBuilder:
    """Joins lines into one :class:`Span`, squeezing spaces; ``joins_words`` is the HWP rule (module doc)."""

    joins_words: bool
    chars: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _last_raw: str = ""

    def add(self, raw: str, line: int) -> SpanBuilder:
        piece = raw.translate(_SAME_WIDTH)
        if self.chars and piece.strip() and self._space_between(piece):
            self._put(" ", line)
        for char in piece.strip():
            self._put(char, line)
        if piece.strip():
            self._last_raw = piece
        return self

    def _space_between(self, piece: str) -> bool:
        previous = self._last_raw
        if not self.joins_words or previous != previous.rstrip() or piece != piece.lstrip():
            return True
        # A line ending in punctuation did not break a word, with or without its trailing space.
        return previous.rstrip().endswith(_JOINS_WITH_SPACE)

    def extend(self, span: Span) -> SpanBuilder:
        """Append an already joined span as a new sentence (a space between)."""
        if span:
            self._put(" ", span.first_line)
            for char, line in zip(span.text, span.lines, strict=True):
                self._put(char, line)
            self._last_raw = span.text
        return self

    def _put(self, char: str, line: int) -> None:
        if char.isspace():
            if not self.chars or self.chars[-1] == " ":
                return
            char = " "
        self.chars.append(char)
        self.lines.append(line)

    def build(self) -> Span:
        chars, lines = list(self.chars), list(self.lines)
        while chars and chars[-1] == " ":
            chars.pop()
            lines.pop()
        return Span("".join(chars), tuple(lines))
