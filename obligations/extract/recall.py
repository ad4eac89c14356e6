"""Recall first: every sentence that speaks of a date or a deadline either became a field or is quoted.

A draft may be incomplete; it may never assert an absence the text contradicts. So every sentence that
speaks of extension (연장, 갱신, 재계약), notice or termination (통지, 통보, 해지, 해제), survival (존속,
종료 후), a report or an inspection (제출, 보고, 점검, 신청, 평가), the life of the agreement (만료, 효력,
유효), or that holds a date, is checked against the fields read from it. A sentence is *used* when, for each
thing it speaks of, a field of the kind that thing belongs to cites one of its lines: a sentence about
extension is used only by a renewal field, one about survival only by an obligation that survives, one
about a report only by an obligation. Every other such sentence is quoted in a ``# TODO: review — Lnn: …``
line in the section where it belongs, and the draft writes ``renewal: none`` only when no sentence of the
text speaks of extension at all.

>>> from obligations.extract.source import Lines
>>> from obligations.extract.structure import read_layout
>>> layout = read_layout(Lines.of("제1조(기간) 기간은 1년으로 한다. 다만, 협의하여 연장할 수 있다."))
>>> [(s.line, s.text, s.topics) for s in sentences_of(layout)]
[(1, '다만, 협의하여 연장할 수 있다.', ('renewal',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from obligations.extract.found import Cited, Extraction
from obligations.extract.korean_dates import find_days, find_months
from obligations.extract.source import Span, squeeze
from obligations.extract.structure import Layout, Unit

ANY_FIELD = ("term", "renewal", "obligations", "signed")
# What a sentence may speak of, and the section of the draft whose fields can use it (in that order of
# preference for where the TODO line goes).
TOPICS: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("renewal", re.compile(r"연장|갱신|재\s*계약|재\s*협약"), ("renewal",)),
    (
        "survival",
        re.compile(
            r"존속|(?:종료|만료|해지|해제|끝난)\S*\s*(?:된\s*)?(?:후|이후|뒤)"
            r"(?:에도|\s*(?:로부터\s*)?\d+\s*(?:년|개월)\s*(?:간|동안))"
        ),
        ("surviving",),
    ),
    ("notice", re.compile(r"해지|해제|통지|통보|의사\s*표시"), ("renewal", "obligations")),
    ("duty", re.compile(r"제출|보고|점검|신청|평가"), ("obligations",)),
    ("term", re.compile(r"만료|효력|유효|협약\s*기간"), ANY_FIELD),
)
# The section a TODO goes to, by the first topic the sentence speaks of that no field used.
SECTION_OF_TOPIC = {
    "renewal": "renewal",
    "notice": "renewal",
    "survival": "obligations",
    "duty": "obligations",
    "term": "term",
    "date": "term",
}
# Sentences end at "…한다." "…함." (a period after a verb or noun ending); dates' dots never end one.
SENTENCE_END = re.compile(r"(?<=[다함음임됨요])\.\s+")
RENEWAL_WORDS = TOPICS[0][1]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text that speaks of a date or deadline, with the lines it spans."""

    text: str
    lines: frozenset[int]
    line: int  # the first
    topics: tuple[str, ...]
    in_articles: bool

    def quote(self) -> str:
        return f"L{self.line}: {self.text}"


def topics_of(text: str) -> tuple[str, ...]:
    """What ``text`` speaks of among :data:`TOPICS`, and ``date`` when it prints a day or a month (any field
    may use a date)."""
    found = [name for name, pattern, _ in TOPICS if pattern.search(text)]
    if find_days(text) or find_months(text):
        found.append("date")
    return tuple(found)


def _split(span: Span) -> Iterator[tuple[str, frozenset[int], int]]:
    start = 0
    ends = [match.end() for match in SENTENCE_END.finditer(span.text)] + [len(span.text)]
    for end in ends:
        text = span.text[start:end].strip()
        if text:
            first = start + (len(span.text[start:end]) - len(span.text[start:end].lstrip()))
            lines = frozenset(span.lines[first : first + len(text)])
            yield text, lines, span.line_at(first)
        start = end


def _spans(layout: Layout) -> Iterator[tuple[Span, bool]]:
    yield layout.preamble, False
    for article in layout.articles:
        for unit in article.walk():
            yield from ((span, True) for span in _unit_spans(unit))
    yield from ((span, False) for span in layout.closing)


def _unit_spans(unit: Unit) -> Iterator[Span]:
    yield unit.text
    for row in unit.rows:
        text = " | ".join(cell for cell in row.cells if cell)
        yield Span(text, (row.line,) * len(text))


def sentences_of(layout: Layout) -> list[Sentence]:
    """Every sentence of ``layout`` that speaks of one of :data:`TOPICS`, in document order."""
    found = []
    for span, in_articles in _spans(layout):
        for text, lines, line in _split(span):
            if topics := topics_of(text):
                found.append(Sentence(squeeze(text), lines, line, topics, in_articles))
    return found


def _lines(*values: Any) -> set[int]:
    return {value.line for value in values if isinstance(value, Cited) and value.line}


def cited_lines(found: Extraction) -> dict[str, set[int]]:
    """The lines each section's fields were read from."""
    term, renewal = found.term, found.renewal
    sections: dict[str, set[int]] = {
        "signed": _lines(found.signed),
        "term": _lines(term.start, term.length, term.end, term.starts_at_midnight) if term else set(),
        "renewal": set(),
        "obligations": set(),
        "surviving": set(),
    }
    if renewal is not None:
        notice = renewal.notice
        sections["renewal"] = _lines(
            renewal.automatic, renewal.length, renewal.max_renewals, notice.lead, notice.form, notice.by
        )
    for item in found.obligations:
        lines = _lines(item.parties, item.text, item.survives)
        if item.schedule is not None:
            lines |= _lines(item.schedule.every, item.schedule.due)
        sections["obligations"] |= lines
        if item.survives is not None:
            sections["surviving"] |= lines
    return sections


@dataclass(frozen=True)
class Unused:
    """A sentence no field used, and the section of the draft where it is quoted."""

    sentence: Sentence
    section: str  # term, renewal, obligations or review (outside the articles)
    topic: str


def unused_sentences(layout: Layout, found: Extraction) -> list[Unused]:
    """The sentences that speak of one of :data:`TOPICS` for which no field of the right kind cites them."""
    cited = cited_lines(found)
    unused = []
    for sentence in sentences_of(layout):
        for topic in sentence.topics:
            covering = next((sections for name, _, sections in TOPICS if name == topic), ANY_FIELD)
            if not any(cited[section] & sentence.lines for section in covering):
                # A sentence about extension is quoted where the renewal goes wherever it stands, so that
                # the draft never says "renewal: none" beside it.
                where_it_belongs = sentence.in_articles or topic == "renewal"
                section = SECTION_OF_TOPIC[topic] if where_it_belongs else "review"
                unused.append(Unused(sentence, section, topic))
                break
    return unused
