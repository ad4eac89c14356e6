"""The layout of an agreement: title, preamble (전문), articles 제N조(제목) with their items, closing.

Items nest in the order Korean legislation and agreements use (법제처 「법령 입안·심사 기준」):
항 ①②…, 호 1. 2. …, 목 가. 나. 다. …, and below them the markers of 공문서 (행정업무운영 편람):
``1)``, ``가)``, ``(1)``, ``(가)``. A list may start at any of these levels (an article of 호 without 항, or
``1)`` right under ①); a marker of a deeper style opens a list under the item above it.
A marker is taken as one only when it continues its list (``다.`` after ``나.``) or starts a new one
(``가.``), because an HWP line break can leave ``다.`` of ``협력한다.`` at the start of a line.

A clause is named as the case files name it: ``제3조 ② 1. 가`` (the 호 keeps its dot, the 목 does not),
``제3조 ② 3.``, ``제4조``, ``제2조 ① 1)``, ``제3조 (2)``.

>>> layout = read_layout(Lines.of("협약서\\n갑(이하 “갑”)과 을은 협약한다.\\n제1조(목적) 본 협약은 …\\n"
...                               "제2조(역할) ① 갑은 다음의 사항을 수행한다.\\n1. 공간 제공\\n2025. 3. 4."))
>>> [(a.label, a.title) for a in layout.articles]
[('제1조', '목적'), ('제2조', '역할')]
>>> [item.clause for item in layout.articles[1].walk()]
['제2조', '제2조 ①', '제2조 ① 1.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum

from obligations.extract.korean_dates import find_days
from obligations.extract.source import Lines, Span, SpanBuilder, squeeze

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
HANGUL_ORDER = "가나다라마바사아자차카타파하"


class Level(IntEnum):
    """Depth of a unit; an item hangs under the nearest open unit of a smaller level."""

    ARTICLE = 0  # 조
    PARAGRAPH = 1  # 항 ①
    SUBPARAGRAPH = 2  # 호 1.
    ITEM = 3  # 목 가.
    NUMBER_PAREN = 4  # 1)
    HANGUL_PAREN = 5  # 가)
    NUMBER_ENCLOSED = 6  # (1)
    HANGUL_ENCLOSED = 7  # (가)


_ARTICLE = re.compile(r"제\s*(?P<number>\d+)\s*조(?:\s*\(\s*(?P<title>[^)]*?)\s*\))?(?P<rest>.*)$")
_NUMBER = re.compile(r"(?P<number>\d{1,2})\.(?!\s*\d{1,2}\s*\.)\s*(?P<rest>\S.*)$")
_HANGUL = re.compile(rf"(?P<letter>[{HANGUL_ORDER}])\.\s+(?P<rest>\S.*)$")
# 1) 가) (1) (가): the number or letter, then the text on the same line.
_PAREN_STYLES = (
    (re.compile(r"(?P<number>\d{1,2})\)\s*(?P<rest>\S.*)$"), Level.NUMBER_PAREN),
    (re.compile(rf"(?P<letter>[{HANGUL_ORDER}])\)\s*(?P<rest>\S.*)$"), Level.HANGUL_PAREN),
    (re.compile(r"\((?P<number>\d{1,2})\)\s*(?P<rest>\S.*)$"), Level.NUMBER_ENCLOSED),
    (re.compile(rf"\((?P<letter>[{HANGUL_ORDER}])\)\s*(?P<rest>\S.*)$"), Level.HANGUL_ENCLOSED),
)
# A list of the parties above the preamble, under a heading or not: "□ 협약 당사자",
# "갑: 서울특별시 광진구청장", "○ 을 : 건국대학교 산학협력단장", "갑 | 서울특별시 도봉구 | 구청장".
# It is not part of the title.
BULLET = r"[□■○◦●▪·•\-]?\s*"
_PARTY_LIST_LINE = re.compile(rf"^{BULLET}(?:(?:협약\s*)?당사자\s*[:：]?$|[갑을병정무기]\s*[:：|])")
_CIRCLED_INSIDE = re.compile(rf"(?<=[.다])\s+(?=[{CIRCLED}])")
# The closing formula after the last article: "본 협약의 체결을 증명하고 …", "이를 증명하기 위하여 …".
_CLOSING = re.compile(r"^(?:(?:본|이|위)\s*협약.{0,30}(?:증명|대표자|서명|날인)|이를\s*증명|위와\s*같이)")
_SIGNING_LABEL = re.compile(r"^(?:협약\s*)?(?:체결일|협약일|서명일|체결\s*일자)\s*[:：]?\s*")


@dataclass(frozen=True)
class Row:
    """A row of a table (cells separated by `` | `` in the text, as the HWPX and DOCX readers write them)."""

    line: int
    cells: tuple[str, ...]


TABLE_CELLS = " | "


@dataclass
class Unit:
    """An article or an item: its marker, its own text (without the marker), and the units under it."""

    level: Level
    ordinal: int
    label: str  # 제4조, ②, 1., 가
    line: int
    title: str = ""  # articles only: 협약기간
    rows: list[Row] = field(default_factory=list)  # table rows under the unit's text (역할 분담 표)
    parent: Unit | None = field(default=None, repr=False)
    children: list[Unit] = field(default_factory=list)
    builder: SpanBuilder | None = field(default=None, repr=False)
    _text: Span | None = field(default=None, repr=False)

    @property
    def text(self) -> Span:
        if self._text is None:
            self._text = self.builder.build() if self.builder else Span("", ())
        return self._text

    @property
    def clause(self) -> str:
        """``제3조 ② 1. 가``."""
        labels: list[str] = []
        unit: Unit | None = self
        while unit is not None:
            labels.append(unit.label)
            unit = unit.parent
        return " ".join(reversed(labels))

    @property
    def article(self) -> Unit:
        unit = self
        while unit.parent is not None:
            unit = unit.parent
        return unit

    def walk(self) -> Iterator[Unit]:
        """This unit and every unit under it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Unit]:
        if not self.children:
            yield self
        for child in self.children:
            yield from child.leaves()

    def full_text(self) -> str:
        """The unit with everything under it, markers included, as one line of text."""
        parts = (
            [self.text.text] if self.level is Level.ARTICLE else [f"{self.label} {self.text.text}".strip()]
        )
        parts += [child.full_text() for child in self.children]
        return " ".join(part for part in parts if part)


@dataclass
class Layout:
    lines: Lines
    title_lines: list[int]
    preamble: Span
    articles: list[Unit]
    closing: list[Span]  # paragraphs after the last article: formula, date, signatures
    party_list: list[int]  # lines of a list of the parties between the title and the preamble, if any
    restarts: list[int]  # lines where a second 제1조(…) begins: the text holds more than one agreement


@dataclass
class _Marker:
    level: Level
    ordinal: int
    label: str
    rest: str
    title: str = ""


def _marker(text: str) -> _Marker | None:
    """The list marker that ``text`` starts with, if any.

    ``text`` has no leading space; its trailing space is kept in ``rest`` because it tells a break between
    words from a break inside one (:mod:`obligations.extract.source`).
    """
    if text and text[0] in CIRCLED:
        return _Marker(Level.PARAGRAPH, CIRCLED.index(text[0]) + 1, text[0], text[1:].lstrip())
    if match := _ARTICLE.match(text):
        rest = match["rest"].lstrip()
        if match["title"] is None and (not rest.strip() or rest[0] in ",·및에의와과"):
            return None  # "제4조, 제9조 및 …" cites articles of a law; it does not start one
        number = int(match["number"])
        return _Marker(Level.ARTICLE, number, f"제{number}조", rest, squeeze(match["title"] or ""))
    if match := _NUMBER.match(text):
        return _Marker(Level.SUBPARAGRAPH, int(match["number"]), f"{int(match['number'])}.", match["rest"])
    if match := _HANGUL.match(text):
        letter = match["letter"]
        return _Marker(Level.ITEM, HANGUL_ORDER.index(letter) + 1, letter, match["rest"])
    for pattern, level in _PAREN_STYLES:
        if match := pattern.match(text):
            digits: str | None = match.groupdict().get("number")
            ordinal = int(digits) if digits else HANGUL_ORDER.index(match["letter"]) + 1
            label = text[: text.index(")") + 1]
            return _Marker(level, ordinal, label, match["rest"])
    return None


def _is_date_line(text: str) -> bool:
    stripped = _SIGNING_LABEL.sub("", text.strip())
    days = find_days(stripped)
    return len(days) == 1 and days[0].start == 0 and days[0].end == len(stripped)


def _preamble_start(lines: Lines, first_article: int) -> int:
    """The line where the preamble naming the parties begins; lines above it are the title."""
    for number in range(1, first_article):
        if "(이하" in lines[number].replace(" ", ""):
            return number
    # No defined short names: the preamble is the first paragraph that ends a sentence (…협약한다.).
    for number in range(1, first_article):
        if re.search(r"다\.\s*$", lines[number]):
            start = number
            while start > 1 and lines[start - 1].strip() and not lines[start - 1].rstrip().endswith("다."):
                start -= 1
            return start
    return first_article


class _Reader:
    """One pass over the lines after the title, building articles and their items."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.joins_words = lines.breaks_inside_words
        self.preamble = SpanBuilder(self.joins_words)
        self.articles: list[Unit] = []
        self.open: list[Unit] = []  # the article and the items open under it, outermost first
        self.loose: list[SpanBuilder] = []  # paragraphs after an article that no marker opened
        self.after_date = False
        self.restarts: list[int] = []

    def read(self, first: int) -> None:
        for number in range(first, len(self.lines) + 1):
            raw = self.lines[number]
            if not raw.strip():
                continue
            for piece in _CIRCLED_INSIDE.split(raw):
                self._piece(piece, number)

    def _current_text(self) -> str:
        if self.loose:
            return self.loose[-1].build().text
        if self.open:
            return (
                self.open[-1].text.text
                if self.open[-1].builder is None
                else self.open[-1].builder.build().text
            )
        return self.preamble.build().text

    def _piece(self, raw: str, number: int) -> None:
        text = raw.strip()
        if TABLE_CELLS in text and self.open and not self.loose:
            self.open[-1].rows.append(Row(number, tuple(squeeze(cell) for cell in text.split("|"))))
            return
        marker = _marker(raw.lstrip())
        if marker is not None and self._opens(marker, number):
            return
        if _is_date_line(text) or self.after_date:
            # The signing date stands on its own line; the signatures under it are paragraphs of their own.
            self.after_date = _is_date_line(text)
            self.loose.append(SpanBuilder(self.joins_words).add(raw, number))
            return
        ends_sentence = bool(re.search(r"(?:다\.|\.)$", self._current_text()))
        indented = raw[:1].isspace()
        if self.open and ends_sentence and (indented or _CLOSING.match(text)):
            self.loose.append(SpanBuilder(self.joins_words).add(raw, number))
            return
        self._continue(raw, number)

    def _continue(self, raw: str, number: int) -> None:
        if self.loose:
            self.loose[-1].add(raw, number)
        elif self.open:
            builder = self.open[-1].builder
            assert builder is not None
            builder.add(raw, number)
        else:
            self.preamble.add(raw, number)

    def _opens(self, marker: _Marker, number: int) -> bool:
        """Open a unit for ``marker`` if it continues or starts a list here; False: it is plain text."""
        if marker.level is Level.ARTICLE:
            previous = self.articles[-1].ordinal if self.articles else None
            if previous is not None and marker.ordinal != previous + 1:
                if marker.ordinal == 1 and marker.title:
                    self.restarts.append(number)
                return False
            if previous is None and marker.ordinal != 1 and not marker.title:
                return False
            self._close_loose_into_article()
            unit = Unit(Level.ARTICLE, marker.ordinal, marker.label, number, marker.title)
            unit.builder = SpanBuilder(self.joins_words)
            self.articles.append(unit)
            self.open = [unit]
            rest = marker.rest
            inner = _marker(rest) if rest.strip() else None
            if inner is not None and inner.level is not Level.ARTICLE and inner.ordinal == 1:
                self._opens(inner, number)  # 제3조(협력내용) ① 양 기관은 …: the first item shares the line
            elif rest.strip():
                unit.builder.add(rest, number)
            return True
        if not self.open:
            return False
        same = [unit for unit in self.open if unit.level is marker.level]
        if same:
            if same[-1].ordinal != marker.ordinal - 1:
                return False
            parent = same[-1].parent
        elif marker.ordinal == 1:
            parent = next(unit for unit in reversed(self.open) if unit.level < marker.level)
        else:
            return False
        assert parent is not None
        self._close_loose_into_article()
        unit = Unit(marker.level, marker.ordinal, marker.label, number, parent=parent)
        unit.builder = SpanBuilder(self.joins_words).add(marker.rest, number)
        parent.children.append(unit)
        self.open = [*self.open[: self.open.index(parent) + 1], unit]
        return True

    def _close_loose_into_article(self) -> None:
        """Paragraphs between two articles (or before an item) belong to the open unit, not to the closing."""
        if not self.loose or not self.open:
            return
        builder = self.open[-1].builder
        assert builder is not None
        for paragraph in self.loose:
            builder.extend(paragraph.build())
        self.loose = []


def read_layout(lines: Lines) -> Layout:
    """Split the text into title lines, preamble, articles (with items) and closing paragraphs."""
    first_article = next(
        (
            n
            for n in range(1, len(lines) + 1)
            if (m := _marker(lines[n].strip())) and m.level is Level.ARTICLE
        ),
        len(lines) + 1,
    )
    start = _preamble_start(lines, first_article)
    listed = next((n for n in range(1, start) if _PARTY_LIST_LINE.match(lines[n].strip())), start)
    title_lines = [
        n for n in range(1, listed) if lines[n].strip() and not lines[n].strip().startswith("붙임")
    ]
    reader = _Reader(lines)
    reader.read(start)
    return Layout(
        lines=lines,
        title_lines=title_lines,
        preamble=reader.preamble.build(),
        articles=reader.articles,
        closing=[paragraph.build() for paragraph in reader.loose],
        party_list=[n for n in range(listed, start) if lines[n].strip()],
        restarts=reader.restarts,
    )
