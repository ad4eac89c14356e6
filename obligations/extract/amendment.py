"""Amendments (변경협약서): the ``amended`` event a 변경협약 asks for, drafted instead of a new case file.

A 변경협약 changes an agreement already in the registry, so its draft is an event to append under that
agreement's ``events:`` (docs/amendments.md), not a case file. It is told from an agreement by its title
(``… 업무협약 변경협약서``, ``… 협약 일부 변경 협약``, ``변경 업무협약서``, ``수정협약``) or by a preamble
that changes another agreement (``「○○ 업무협약」(2025. 2. 25. 체결)의 일부를 다음과 같이 변경한다``).

What it changes is read with the readers of agreements, applied to the new text the amendment gives:

- a new article or clause in quotes (``제4조를 다음과 같이 한다. “제4조(협약기간) …”``) and an added item
  (``제5조(갑의 역할)에 다음 호를 신설한다. 4. …``): the term and renewal readers
  (:mod:`~obligations.extract.term`), else the role reader (:mod:`~obligations.extract.roles`) with the
  party of the article it joins, and its schedule (:mod:`~obligations.extract.schedule`);
- a word replaced (``제4조 중 ‘1년’을 ‘2년’으로 한다``): the new word, read as a date, a length, a notice
  lead or a cap, and placed by what the article and the sentence speak of (협약기간 → term, 연장 → renewal,
  통보 → notice); a sentence that speaks of both is quoted, not guessed;
- a change stated in prose (``협약기간을 2026. 6. 30.까지로 연장한다``, ``자동연장 조항을 삭제한다``);
- a clause deleted (``제3조 제2항 제3호를 삭제한다``): ``obligations.remove`` is left as a TODO naming the
  clause, because only the case file says which obligation id stands there.

The event's date is the day the amendment takes effect (``이 변경협약은 2025. 9. 1.부터 효력이 발생한다``),
else the day it was signed, and the draft says which. Recall as for agreements
(:mod:`~obligations.extract.recall`): every sentence that states a change and became no ``changes`` key is
quoted in a ``# TODO: review — Lnn: …`` line.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from obligations.duration import Duration, DurationError
from obligations.extract.draft import Writer, scalar, write_obligations
from obligations.extract.found import Cited, ObligationFound, PartyFound, TermFound, Todo
from obligations.extract.keys import role_key
from obligations.extract.korean_dates import DayFound, find_days, find_months
from obligations.extract.parties import read_parties, read_signed, read_title
from obligations.extract.recall import SENTENCE_END
from obligations.extract.roles import ROLE_OF, PartyNames, prose_roles, role_of
from obligations.extract.schedule import read_schedule
from obligations.extract.source import Lines, Span, squeeze
from obligations.extract.structure import CIRCLED, HANGUL_ORDER, TABLE_CELLS, Layout, Level, Unit
from obligations.extract.term import (
    ANY_PARTY,
    CAP_COUNT,
    CAP_TIME,
    EACH,
    LEAD,
    LEAD_AFTER_END,
    LENGTH_OF_RENEWAL,
    count_of,
    duration_of,
    read_renewal,
    read_term,
    renewals_within,
)

# "… 업무협약 변경협약서", "… 협약 일부 변경 협약", "변경 업무협약서", "수정협약", "협약 변경서".
_TITLE = re.compile(r"(?:변경|수정)\s*(?:업무\s*)?협약|협약\s*(?:일부\s*)?(?:변경|수정)")
# "「…」의 일부를 다음과 같이 변경한다", "원 협약을 다음과 같이 변경하기로 한다".
_CHANGES_ANOTHER = re.compile(
    r"(?:협약|」|”)\S*\s*(?:의\s*)?(?:일부\s*)?(?:를|을)?\s*다음과\s*같이\s*(?:변경|수정|개정)"
)
# The original's title in its quotes (「…」, 『…』, “…”, "…"), one pair at a time: a short name before it
# ("갑"이라 한다) is quoted too, so quotation marks never span a parenthesis (brackets may: 「(재)… 협약」).
_QUOTED_TITLE = re.compile(
    "|".join(
        rf"{a}(?P<t{i}>[^{b}{inside}]*협약[^{b}{inside}]*){b}"
        for i, (a, b, inside) in enumerate(
            (("「", "」", ""), ("『", "』", ""), ("“", "”", "()"), ('"', '"', "()"))
        )
    )
)
_SIGNED_WORD = re.compile(r"체결|서명|협약한")
# "이 변경협약은 2025. 9. 1.부터 효력이 발생한다", "… 서명한 날부터 시행한다".
_TAKES_EFFECT = re.compile(r"부터\s*(?:그\s*)?(?:효력|시행|적용|발효)")
_FROM_SIGNING = re.compile(r"(?:체결|서명|협약)\S*\s*(?:날|일)\s*(?:로\s*)?부터\s*$")
# A sentence that states a change (변경, 연장, 신설, 삭제, ‘A’을 ‘B’로 한다 …); the rule that keeps the rest
# as it was ("변경되지 아니한 사항은 원 협약에 따른다"), the purpose and the date it takes effect are none.
_STATES_CHANGE = re.compile(
    r"변경|연장|단축|신설|추가|삭제|폐지|개정|바꾸|바꾼|고친|수정|증액|감액|조정|대체|(?:으로|로)\s*한다|새로\s*둔다"
)
_NOT_A_CHANGE = re.compile(
    r"증명|날인|보관한다|(?:다음|아래)\s*(?:각\s*)?(?:표|호)와\s*같이|변경되지\s*(?:아니|않)|원\s*협약(?:서)?(?:의\s*\S+)?에\s*따른다|목적|부터\s*(?:그\s*)?(?:효력|시행|적용|발효)"
)
_TERM_WORDS = re.compile(r"협약\s*기간|유효\s*기간|기간|만료일")
_RENEWAL_WORDS = re.compile(r"자동|연장\s*(?:기간|단위|횟수)|갱신|씩|단위")
_NOTICE_WORDS = re.compile(r"통보|통지|의사\s*표시|해지|거절")
_ROLE_WORDS = re.compile(r"역할|임무|업무|의무|분담|협력")
# ‘1년’을 ‘2년’으로 한다: the old words, then the new.
_Q = "‘’'“”\""
_REPLACED = re.compile(
    rf"[{_Q}](?P<old>[^{_Q}]{{1,60}})[{_Q}]\s*(?:을|를)\s*[{_Q}](?P<new>[^{_Q}]{{1,80}})[{_Q}]\s*"
    rf"(?:으로|로)\s*(?:,|각각\s*)?\s*(?:한다|하며|하고|변경|바꾸|바꾼|수정|고친|고치|(?=[{_Q}]))"
)
# A new text in quotes (an article or clause as it now reads): “제4조(협약기간) 이 협약의 기간은 ….”
_NEW_TEXT = re.compile(r"[“\"](?P<body>[^”\"]{12,})[”\"]")
_ARTICLE_HEAD = re.compile(r"\s*제\s*(?P<n>\d+)\s*조(?P<sub>의\s*\d+)?\s*(?:\(\s*(?P<title>[^)]*?)\s*\))?\s*")
# "제5조(갑의 역할)에 다음 호를 신설한다", "제3조에 제4항을 신설한다", "제7조의2를 다음과 같이 신설".
_CLAUSE_REF = (
    r"제\s*(?P<article>\d+)\s*조(?P<sub>의\s*\d+)?\s*(?:\(\s*(?P<title>[^)]*?)\s*\))?"
    r"(?:\s*제\s*(?P<paragraph>\d+)\s*항)?(?:\s*제\s*(?P<item>\d+)\s*호)?(?:\s*(?P<letter>[가-하])\s*목)?"
    r"(?:\s*\(\s*(?P<heading>[^)]*?)\s*\))?"
)
_INSERTS = re.compile(rf"{_CLAUSE_REF}\S*\s*(?:.{{0,24}}?)(?:신설|추가|새로\s*둔)")
_DELETES = re.compile(rf"{_CLAUSE_REF}\s*(?:을|를)?\s*(?:삭제|폐지)")
_TARGET = re.compile(_CLAUSE_REF)
_FOLLOWS = re.compile(r"다음(?:과\s*같이|\s*(?:각\s*)?(?:조|항|호|목))\S*\s*\S*\s*\.?\s*$")
# The markers of inserted items: ④, 4., 라., 4).
_ITEM_MARK = re.compile(
    rf"(?:(?<=[\s{_Q}])|^)(?P<mark>[{CIRCLED}]|\d{{1,2}}\.(?!\s*\d)|[{HANGUL_ORDER}]\.|\d{{1,2}}\)|\(\d{{1,2}}\))\s*"
)
# Changes stated in prose.
_LENGTH = re.compile(r"(?<![\d.])(?P<n>\d{1,3})\s*(?P<unit>년|개월)(?!\s*\d{1,2}\s*월)")
_COUNT = re.compile(r"(?P<n>\d{1,2})\s*회")
_NOT_AUTOMATIC = re.compile(
    r"자동\s*(?:으로\s*)?(?:연장|갱신)\S*\s*(?:\S+\s+){0,4}?(?:삭제|폐지)|자동\s*(?:으로\s*)?(?:연장|갱신)\S*\s*(?:되지|하지)\s*(?:아니|않)"
)
_WRITTEN = re.compile(r"서면")
_ADDED_TO = re.compile(r"\s*(?:의\s*)?(?:추가|신설|보완|변경)$")
_BEFORE = re.compile(r"(?P<n>\d+)\s*(?P<unit>개월|일|주)\s*(?:이\s*)?전")
_TABLE_HEADER = re.compile(r"변경\s*전|변경\s*후|현\s*행|개정\s*(?:안|후)|종\s*전")


@dataclass(frozen=True)
class Original:
    """The agreement the amendment changes, as the text names it: its title and signing date as printed."""

    title: str
    signed: str | None  # "2025. 2. 25." as printed
    day: dt.date | None
    line: int


@dataclass
class Change:
    """A ``changes`` key (``term.end``, ``renewal.notice.lead`` …) and its value, citing its line; the
    obligations an amendment adds are kept apart (:attr:`AmendmentFound.added`), as the draft writes them."""

    key: str
    value: Cited[Any]


@dataclass
class AmendmentFound:
    """Everything read from one amendment, in the order of the event."""

    title: Cited[str] | None
    original: Original | None
    signed: Cited[dt.date] | None
    effective: Cited[dt.date] | None
    parties: list[PartyFound]
    changes: list[Change] = field(default_factory=list)
    added: list[ObligationFound] = field(default_factory=list)
    pending: list[Todo] = field(
        default_factory=list
    )  # keys the analyst settles: obligations.remove, a cap in years
    unmapped: list[tuple[int, str]] = field(default_factory=list)  # (line, sentence) that became no key
    todos: list[Todo] = field(default_factory=list)  # the signing date, when it does not read

    @property
    def settled(self) -> bool:
        """Every change the text states became a key with a value: the event needs no analyst's mapping."""
        return (
            not self.unmapped
            and not self.pending
            and all(item.parties.value and not (item.schedule and item.schedule.todos) for item in self.added)
        )


def is_amendment(layout: Layout) -> bool:
    """Whether the text amends another agreement: by its title, or by a preamble that changes one."""
    # Letter-spaced titles (변 경 협 약 서) are common, so the title is read without its spaces.
    title = "".join(layout.lines[n] for n in layout.title_lines)
    if _TITLE.search(re.sub(r"\s+", "", title)):
        return True
    first = layout.articles[0].full_text() if layout.articles else ""
    return any(
        _CHANGES_ANOTHER.search(text) and _QUOTED_TITLE.search(text) for text in (layout.preamble.text, first)
    )


# -- reading --------------------------------------------------------------------------------------------


@dataclass
class _Reader:
    names: PartyNames
    found: AmendmentFound
    # The ranges of each span (by identity: the spans live as long as the reading) that became keys.
    used: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def use(self, span: Span, start: int, end: int) -> None:
        self.used.setdefault(id(span), []).append((start, end))

    def is_used(self, span: Span, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.used.get(id(span), []))

    def change(self, key: str, value: Any, span: Span, at: int, note: str = "") -> None:
        self.found.changes = [c for c in self.found.changes if c.key != key]
        self.found.changes.append(Change(key, Cited(value, span.line_at(at), note)))


def read_amendment(layout: Layout) -> AmendmentFound:
    """The original agreement, the dates and every change the amendment states; see the module doc."""
    parties = read_parties(layout.preamble)
    signed, signed_todos = read_signed(layout.closing, [layout.preamble])
    found = AmendmentFound(
        title=read_title(layout.lines, layout.title_lines),
        original=None,
        signed=signed,
        effective=None,
        parties=parties,
        todos=signed_todos,
    )
    reader = _Reader(PartyNames(parties), found)
    spans = list(_spans(layout))
    for span, _ in spans:
        _read_original(reader, span)
        _read_effective(reader, span)
    for span, title in spans:
        _read_changes(reader, span, title)
    _ids(found)
    for span, title in spans:
        for start, end in _sentences(span):
            text = span.text[start:end]
            if _states_change(text, title) and not reader.is_used(span, start, end):
                found.unmapped.append((span.line_at(start), squeeze(text)))
    return found


def _states_change(text: str, article_title: str | None) -> bool:
    """Whether a sentence states a change. Every sentence of an amendment's articles does (``제2조(해지)
    해지 통보는 만료 3개월 전까지 서면으로 하여야 한다`` states the new rule without a verb of changing), but
    the purpose, the day it takes effect, the rule that the rest stays and the closing formula; outside
    the articles (``None``), only a sentence with a verb of changing."""
    if _NOT_A_CHANGE.search(text):
        return False
    return article_title is not None or bool(_STATES_CHANGE.search(text))


def _spans(layout: Layout) -> Iterator[tuple[Span, str | None]]:
    """Each piece of text with the title of the article it stands in (preamble and closing: None)."""
    yield layout.preamble, None
    for article in layout.articles:
        inserted: set[int] = set()  # units read as the items an insertion above them adds
        for unit in article.walk():
            if id(unit) in inserted:
                continue
            if unit.children and _INSERTS.search(unit.text.text):
                # "…에 다음 호를 신설한다." then "1. …": the structure reader opened a list of the amendment's
                # own, but the items are the new text of the original.
                items = [item for item in unit.walk() if item is not unit]
                inserted |= {id(item) for item in items}
                yield _joined(unit.text, *(_marked(item) for item in items)), article.title
                continue
            yield unit.text, article.title
            for row in unit.rows:
                text = TABLE_CELLS.join(row.cells)
                yield Span(text, (row.line,) * len(text)), article.title
    yield from ((span, None) for span in layout.closing)


def _marked(unit: Unit) -> Span:
    """An item's text with its marker in front (``1. 교육 콘텐츠 제공``), each character on its line."""
    head = f"{unit.label} "
    return Span(head + unit.text.text, (unit.line,) * len(head) + unit.text.lines)


def _joined(*spans: Span) -> Span:
    text = " ".join(span.text for span in spans)
    lines: tuple[int, ...] = ()
    for span in spans:
        lines += span.lines + (span.lines[-1:] if span.lines else ())  # the space after it
    return Span(text, lines[: len(text)])


def _sentences(span: Span) -> Iterator[tuple[int, int]]:
    start = 0
    for end in [m.end() for m in SENTENCE_END.finditer(span.text)] + [len(span.text)]:
        if span.text[start:end].strip():
            yield start, end
        start = end


def _read_original(reader: _Reader, span: Span) -> None:
    """The first quoted title: 「서울특별시-김포시 업무협약」(2025. 2. 25. 체결), 2025. 2. 25. 체결한 「…」"""
    if reader.found.original is not None:
        return
    for match in _QUOTED_TITLE.finditer(span.text):
        if not _CHANGES_ANOTHER.search(span.text) and not _SIGNED_WORD.search(span.text):
            continue
        after = span.text[match.end() : match.end() + 32]
        before = span.text[max(0, match.start() - 32) : match.start()]
        day: DayFound | None = None
        if _SIGNED_WORD.search(after.split(")")[0]) and (days := find_days(after.split(")")[0])):
            day = days[0]
        elif _SIGNED_WORD.search(before) and (days := find_days(before)):
            day = days[-1]
        title = next(value for value in match.groups() if value)
        reader.found.original = Original(
            squeeze(title),
            day.text.strip() if day else None,
            day.day if day else None,
            span.line_at(match.start()),
        )
        # The sentence that names the original and says it is changed states no change of its own.
        reader.use(span, max(0, match.start() - 64), match.end() + 64)
        return


def _read_effective(reader: _Reader, span: Span) -> None:
    """``…부터 효력이 발생한다``: the day named before it, or the signing day (``서명한 날부터``)."""
    for match in _TAKES_EFFECT.finditer(span.text):
        before = span.text[max(0, match.start() - 40) : match.start()]
        days = [day for day in find_days(before) if day.day is not None]
        at = max(0, match.start() - 40)
        if days and before[days[-1].end :].strip() == "":
            day = days[-1].day
            assert day is not None
            reader.found.effective = Cited(
                day, span.line_at(at + days[-1].start), "“…부터 효력”: the day it takes effect"
            )
            return
        if _FROM_SIGNING.search(before) and reader.found.signed is not None:
            reader.found.effective = Cited(
                reader.found.signed.value,
                span.line_at(match.start()),
                "takes effect on signing: the signing date",
            )
            return


def _read_changes(reader: _Reader, span: Span, title: str | None) -> None:
    text = span.text
    article_title = title or ""
    if TABLE_CELLS in text:
        _table_row(reader, span, article_title)
        return
    unplaced: set[tuple[int, int]] = set()
    for match in _REPLACED.finditer(text):
        sentence = _sentence_around(text, match.start())
        context = f"{article_title} {text[sentence[0] : match.start()]} {match['old']}"
        if _replaced_value(reader, span, match["old"], match["new"], match.start("new"), context):
            reader.use(span, match.start(), match.end())
        else:
            unplaced.add(sentence)
    # "‘A’를 ‘B’로, ‘C’를 ‘D’로 각각 한다": a sentence with one replacement no key holds is quoted, even when
    # another of its replacements became a key.
    for start, end in sorted(unplaced):
        if reader.is_used(span, start, end):
            reader.found.unmapped.append((span.line_at(start), squeeze(text[start:end])))
            reader.use(span, start, end)
    for match in _INSERTS.finditer(text):
        if reader.is_used(span, match.start(), match.end()):
            continue
        _inserted(reader, span, match, article_title)
    for match in _NEW_TEXT.finditer(text):
        if reader.is_used(span, match.start(), match.end()):
            continue
        # "제4조를 다음과 같이 한다. “…”": the sentence before the quotes names the clause it replaces.
        sentence = _sentence_around(text, match.start())
        if sentence[0] > 0 and _FOLLOWS.search(text, 0, sentence[0]):
            sentence = _sentence_around(text, sentence[0] - 1)
        target = _TARGET.search(text, sentence[0], match.start())
        added = len(reader.found.added)
        if _new_text(reader, span, match.start("body"), match.end("body"), target, article_title):
            reader.use(span, sentence[0], match.end())
            if target is not None and len(reader.found.added) > added:
                # A role clause replaced whole: its new duties are added and the old ones go.
                _removed(reader, _clause_name(target), span, sentence[0], text[sentence[0] : match.start()])
    for match in _DELETES.finditer(text):
        if not reader.is_used(span, match.start(), match.end()):
            _deleted(reader, span, match, article_title)
    for start, end in _sentences(span):
        if not reader.is_used(span, start, end):
            _stated(reader, span, start, end, title)


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    start = 0
    for end in [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]:
        if at < end:
            return start, end
        start = end
    return start, len(text)


def _length(match: re.Match[str] | None) -> Duration | None:
    """The length a match of ``n`` and ``unit`` names; None for no match, or for none at all (``0일``), which
    no case file takes: the sentence is then quoted for review."""
    if match is None or int(match["n"]) == 0:
        return None
    return duration_of(match["n"], match["unit"])


def _where(context: str) -> str | None:
    """What the words around a change speak of: the notice, the renewal or the term; None if two or none."""
    if _NOTICE_WORDS.search(context):
        return "notice"
    kinds = {
        kind for kind, words in (("renewal", _RENEWAL_WORDS), ("term", _TERM_WORDS)) if words.search(context)
    }
    return kinds.pop() if len(kinds) == 1 else None


def _table_row(reader: _Reader, span: Span, article_title: str) -> None:
    """A row of a table of changes (신구대조표): ``구분 | 변경 전 | 변경 후``, then ``협약기간 | … | …``."""
    cells = span.text.split(TABLE_CELLS)
    if _TABLE_HEADER.search(span.text) or len(cells) < 3:
        reader.use(span, 0, len(span.text))
        return
    old, new = cells[-2], cells[-1]
    context = f"{article_title} {' '.join(cells[:-2])} {old}"
    if _replaced_value(reader, span, old, new, len(span.text) - len(new), context):
        reader.use(span, 0, len(span.text))


def _replaced_value(reader: _Reader, span: Span, old: str, new: str, at: int, context: str) -> bool:
    """‘1년’을 ‘2년’으로 한다: the new words as the key the context names; False when they name none."""
    note = f"“{old}” → “{new}”"
    where = _where(context)
    if _notice_replaced(reader, span, old, new, at, where):
        return True
    if (days := [d for d in find_days(new) if d.day is not None]) and where != "notice":
        reader.change("term.end", days[-1].day, span, at, note)
        return True
    if (months := find_months(new)) and where != "notice":
        reader.change("term.end", months[-1].iso, span, at, f"{note}: the last day of that month")
        return True
    if cap := CAP_TIME.search(new):
        _cap_in_years(reader, span, old, new, at, cap)
        return True
    if (count := _COUNT.search(new)) and where == "renewal":
        reader.change("renewal.max_renewals", int(count["n"]), span, at, note)
        return True
    if (length := _length(_LENGTH.search(new))) and where in ("renewal", "term"):
        reader.change(f"{where}.length", length, span, at, note)
        return True
    return False


def _notice_replaced(reader: _Reader, span: Span, old: str, new: str, at: int, where: str | None) -> bool:
    """The notice that stops a renewal, as the new words state it: its lead (``만료 2개월 전까지`` reads as a
    lead wherever it stands; a term or a renewal is never "N개월 전"), its form (``서면``, newly) and who
    may give it (``서울시가 …``, ``어느 기관도 …``)."""
    note = f"“{old}” → “{new}”"
    lead = _length(LEAD_AFTER_END.search(new) or LEAD.search(new) or _BEFORE.search(new))
    if lead is None and where == "notice":
        lead = _length(re.fullmatch(r"\s*(?P<n>\d+)\s*(?P<unit>개월|일|주)\s*", new))  # ‘30일’ → ‘60일’
    if lead is None and where != "notice" and not _NOTICE_WORDS.search(new):
        return False
    said = False
    if lead is not None:
        reader.change("renewal.notice.lead", lead, span, at, note)
        said = True
    if _WRITTEN.search(new) and not _WRITTEN.search(old):
        reader.change("renewal.notice.form", "written", span, at, note)
        said = True
    if _NOTICE_WORDS.search(new):
        if ANY_PARTY.search(new) and not ANY_PARTY.search(old):
            reader.change("renewal.notice.by", (), span, at, f"{note}: any party")
            said = True
        elif (named := reader.names.named_in(new)) and named != reader.names.named_in(old):
            reader.change("renewal.notice.by", named, span, at, f"{note}: the parties it names")
            said = True
    return said


def _cap_in_years(reader: _Reader, span: Span, old: str, new: str, at: int, cap: re.Match[str]) -> None:
    """``‘최대 3년’을 ‘최대 5년’으로``: a cap in years is a number of renewals only with their length, which
    the original states; when the new words do not (``1년씩 최대 5년``), the analyst counts them."""
    each = EACH.search(new) or EACH.search(old)
    years = duration_of(cap["n"], cap["unit"])
    count = renewals_within(years, duration_of(each["n"], each["unit"])) if each else None
    if each is not None and count is not None:
        reader.change(
            "renewal.max_renewals", count, span, at, f"“{new}”: {count} renewals of {each.group(0)}"
        )
        return
    reader.found.pending.append(
        Todo(
            "renewal.max_renewals",
            f"“{old}” → “{new}” (L{span.line_at(at)}): how many renewals of the original's length make "
            f"{years.korean()} (e.g. {cap['n']} when it renews 1년씩)",
        )
    )


def _unit_of(span: Span, start: int, end: int, label: str = "", parent: Unit | None = None) -> Unit:
    """A piece of the amendment's text as a unit the readers of agreements take."""
    piece = Span(span.text[start:end], span.lines[start:end])
    unit = Unit(Level.SUBPARAGRAPH if label else Level.ARTICLE, 1, label, piece.first_line, parent=parent)
    unit._text = piece
    return unit


def _new_text(
    reader: _Reader,
    span: Span,
    start: int,
    end: int,
    target: re.Match[str] | None,
    article_title: str,
    inserted: bool = False,
) -> bool:
    """A clause or article as it now reads (``inserted``: added to the original): its term and renewal, by
    the readers of agreements; else the roles it adds, when its article is about roles (or is not named)."""
    head = _ARTICLE_HEAD.match(span.text, start)
    title = (head["title"] or "") if head else _heading_of(target)
    body_start = head.end() if head else start
    unit = _unit_of(span, body_start, end)
    try:
        term = read_term([unit])
        renewal, _ = read_renewal([unit], term, reader.names)
    except DurationError:  # "0년", "0일 전까지": no length a case file takes; the new text is quoted
        return False
    drafted = False
    if term is not None:
        drafted |= _term_changes(reader, term)
    if renewal is not None:
        reader.found.changes = [c for c in reader.found.changes if not c.key.startswith("renewal.")]
        for key, cited in (
            ("renewal.automatic", renewal.automatic),
            ("renewal.length", renewal.length),
            ("renewal.max_renewals", renewal.max_renewals),
            ("renewal.notice.lead", renewal.notice.lead),
            ("renewal.notice.form", renewal.notice.form),
            ("renewal.notice.by", renewal.notice.by),
        ):
            if cited is not None:
                line = cited.line or unit.line
                reader.found.changes.append(Change(key, Cited(cited.value, line, cited.note)))
        drafted = True
    about_roles = _ROLE_WORDS.search(title) or (inserted and not title)
    first = span.text[body_start:end].lstrip(' “"')
    if mark := _ITEM_MARK.match(first):
        first = first[mark.end() :]
    if not drafted and (about_roles or reader.names.subject(first)):
        drafted = _added_roles(reader, span, body_start, end, target, head, (title, article_title))
    return drafted


def _heading_of(target: re.Match[str] | None) -> str:
    """The title a clause reference gives: ``제5조(갑의 역할)``, ``제3조 제2항 제1호(“서울시”의 역할)``."""
    if target is None:
        return ""
    return str(target["heading"] or target["title"] or "")


def _term_changes(reader: _Reader, term: TermFound) -> bool:
    """The end or the length the term reader read (its start is no change key: an amendment speaks from its
    own date)."""
    for key, cited in (("term.end", term.end), ("term.length", term.length)):
        if cited is not None:
            reader.found.changes = [c for c in reader.found.changes if not c.key.startswith("term.")]
            reader.found.changes.append(Change(key, cited))
            return True
    return False


def _inserted(reader: _Reader, span: Span, match: re.Match[str], article_title: str) -> None:
    """``제5조(갑의 역할)에 다음 호를 신설한다. 4. …``: the items after the sentence, as the article's roles
    (or its term and renewal)."""
    _, sentence_end = _sentence_around(span.text, match.start())
    quoted = _NEW_TEXT.match(
        span.text, sentence_end + (len(span.text[sentence_end:]) - len(span.text[sentence_end:].lstrip()))
    )
    if quoted:
        start, end = quoted.start("body"), quoted.end("body")
    else:
        start, end = sentence_end, len(span.text)
    if not span.text[start:end].strip():
        return
    if _new_text(reader, span, start, end, match, article_title, inserted=True):
        reader.use(span, match.start(), end)


def _added_roles(
    reader: _Reader,
    span: Span,
    start: int,
    end: int,
    target: re.Match[str] | None,
    head: re.Match[str] | None,
    titles: tuple[str, str],
) -> bool:
    """Each item of the new text as the role reader reads it: of the party its article is about (``제5조(갑의
    역할)``), or of the subject of its sentence (``을은 … 보고한다``). ``titles``: the title of the clause it
    joins and that of the amendment's article."""
    title, article_title = titles
    number, sub = (
        (head["n"], head["sub"]) if head else (target["article"], target["sub"]) if target else ("", "")
    )
    label = f"제{int(number)}조{(sub or '').replace(' ', '')}" if number else "변경협약"
    article = Unit(Level.ARTICLE, 1, label, span.line_at(start), title)
    if target is not None and target["paragraph"]:
        article = Unit(
            Level.PARAGRAPH, 1, CIRCLED[int(target["paragraph"]) - 1], article.line, parent=article
        )
    if target is not None and target["item"]:
        article = Unit(Level.SUBPARAGRAPH, 1, f"{int(target['item'])}.", article.line, parent=article)
    # "제2조(강남구의 역할 추가)": the amendment's title names the party when the clause it joins does not.
    heading = ROLE_OF.match(title) or ROLE_OF.match(_ADDED_TO.sub("", article_title))
    owner = reader.names.key(heading["who"]) if heading else None
    marks = list(_ITEM_MARK.finditer(span.text, start, end))
    pieces = (
        [
            (m["mark"], m.end(), marks[i + 1].start() if i + 1 < len(marks) else end)
            for i, m in enumerate(marks)
        ]
        if marks and not span.text[start : marks[0].start()].strip()
        else [("", start, end)]
    )
    found = []
    for mark, a, b in pieces:
        b = a + len(span.text[a:b].rstrip(" ”\"’'"))
        # A 목 is named without its dot (제3조 ② 1. 다), as the structure reader names it; new text without an
        # item marker is the clause it is inserted as.
        if mark:
            unit = _unit_of(span, a, b, mark[0] if mark[0] in HANGUL_ORDER else mark, parent=article)
        else:
            unit = _unit_of(span, a, b, article.label, parent=article.parent)
        roles = prose_roles(unit, reader.names, owner) if reader.names.subject(unit.text.text) else []
        if not roles and owner is not None:
            roles = [role_of(unit, (owner,), note="the party of the article it joins", named_at=unit.line)]
        if not roles:
            roles = [
                ObligationFound(
                    "",
                    unit.clause,
                    Cited((), None, f"the text names no party for {unit.clause}: a key or a list"),
                    Cited(unit.text.text.rstrip(". "), unit.line),
                )
            ]
        found += roles
    for role in found:
        role.schedule = read_schedule(role.text.value, role.text.line or 0)
    reader.found.added += found
    return bool(found)


def _ids(found: AmendmentFound) -> None:
    """``seoul-added-1``: ids that an agreement's own roles (``seoul-1``) never take."""
    taken: set[str] = set()
    for role in found.added:
        stem = role_key(role.parties.value or ("party",), set()).rsplit("-", 1)[0]
        role.id = role_key((f"{stem}-added",), taken)
        taken.add(role.id)


def _clause_name(match: re.Match[str]) -> str:
    """``제3조 제2항 제3호`` → ``제3조 ② 3.``, as case files name clauses."""
    parts = [f"제{int(match['article'])}조" + (match["sub"] or "").replace(" ", "")]
    if match["paragraph"]:
        parts.append(CIRCLED[int(match["paragraph"]) - 1])
    if match["item"]:
        parts.append(f"{int(match['item'])}.")
    if match["letter"]:
        parts.append(match["letter"])
    return " ".join(parts)


def _deleted(reader: _Reader, span: Span, match: re.Match[str], article_title: str) -> None:
    """A clause deleted: the automatic renewal when the words say so; else the obligations standing there."""
    start, end = _sentence_around(span.text, match.start())
    sentence = span.text[start:end]
    if (
        _RENEWAL_WORDS.search(f"{match['title'] or ''} {sentence}")
        and "자동" in f"{match['title'] or ''} {sentence} {article_title}"
    ):
        reader.change(
            "renewal.automatic",
            False,
            span,
            match.start(),
            f"“{squeeze(match.group(0))}”: the automatic renewal goes",
        )
    else:
        _removed(reader, _clause_name(match), span, start, sentence)
    reader.use(span, start, end)


def _removed(reader: _Reader, clause: str, span: Span, start: int, sentence: str) -> None:
    """``obligations.remove`` for a clause: a TODO, since only the case file says which id stands there."""
    reader.found.pending.append(
        Todo(
            "obligations.remove",
            f"[ids] of the obligations at {clause} of the original, from its case file "
            f"(L{span.line_at(start)}: {squeeze(sentence)})",
        )
    )


def _stated(reader: _Reader, span: Span, start: int, end: int, title: str | None) -> None:
    """Changes stated in prose: ``협약기간을 2026. 6. 30.까지로 연장한다``, ``자동연장 조항을 삭제한다``."""
    text = span.text[start:end]
    if not _states_change(text, title):
        return
    context = f"{title or ''} {text}"

    def said(key: str, value: Any, match: re.Match[str]) -> bool:
        reader.change(key, value, span, start + match.start(), f"“{match.group(0)}”")
        return True

    drafted = False
    if match := _NOT_AUTOMATIC.search(text):
        drafted = said("renewal.automatic", False, match)
    elif _NOTICE_WORDS.search(text):
        if (lead := LEAD_AFTER_END.search(text) or LEAD.search(text)) and (length := _length(lead)):
            drafted = said("renewal.notice.lead", length, lead)
        if match := _WRITTEN.search(text):
            drafted = said("renewal.notice.form", "written", match)
    else:
        renewal = _RENEWAL_WORDS.search(text) or "연장" in text
        if renewal and (match := CAP_COUNT.search(text)):
            drafted = said("renewal.max_renewals", count_of(match["n"] or match["m"]), match)
        if (match := LENGTH_OF_RENEWAL.search(text)) and (length := _length(match)):
            drafted = said("renewal.length", length, match)
        elif _TERM_WORDS.search(context) and not _RENEWAL_WORDS.search(text):
            # "협약기간을 2026. 6. 30.까지로 연장한다", "협약기간을 2년으로 변경한다": read as a term is.
            term = read_term([_unit_of(span, start, end)])
            drafted = term is not None and _term_changes(reader, term)
    if drafted:
        reader.use(span, start, end)


# -- the draft ------------------------------------------------------------------------------------------


def render_amendment(found: AmendmentFound, lines: Lines, source_name: str) -> str:
    """The ``amended`` event as a YAML list item, with a header saying where it goes."""
    w = Writer(lines)
    w.note(0, f"Amendment (변경협약) drafted by `obligations extract` from {source_name}:")
    w.note(0, "an 'amended' event for the case file of the agreement it amends, not a new case file.")
    original = found.original
    if original is not None:
        signed = f", signed {original.signed}" if original.signed else ", no signing date given"
        w.note(0, f"It amends 「{original.title}」{signed} (L{original.line}).")
        if original.day is not None:
            w.note(0, f"Its case file is the one with 'signed: {original.day.isoformat()}' and that title.")
    else:
        w.todo(0, Todo("review", "the text names no agreement it amends (「…」): find it before appending"))
    w.note(0, "Append the item below under `events:` of that agreement's case file (or record it with")
    w.note(
        0, "`obligations record amended --agreement ID --set FIELD=VALUE …`); check each value against the"
    )
    w.note(0, "line it quotes, replace each TODO line (field — what to put) with that field, and delete the")
    w.note(0, "review lines (TODO: review) once read.")
    command = record_command(found)
    if command:
        w.note(0, "The same event as a command (every change the text states maps to a --set key):")
        for part in command:
            w.note(0, f"  {part}")
    day = found.effective or (
        Cited(found.signed.value, found.signed.line, "no day it takes effect is stated: the signing date")
        if found.signed is not None
        else None
    )
    if day is not None:
        w.line(0, f"- date: {day.value.isoformat()}", day)
        w.line(2, "type: amended")
    else:
        w.line(0, "- type: amended")
        w.todo(2, Todo("date", "the day the amendment takes effect (…부터 효력), else the day it was signed"))
    if found.title is not None:
        w.line(2, f"ref: {scalar(_ref(found))}", found.title)
    else:
        w.todo(2, Todo("ref", 'the amendment\'s title and date, e.g. "변경협약서(2025. 9. 1.) 제1조"'))
    if not found.changes and not found.added and not found.pending:
        w.todo(
            2, Todo("changes", "no change read: e.g. changes: {term.end: 2026-06-30} (see the review lines)")
        )
    else:
        w.line(2, "changes:")
        for change in found.changes:
            w.line(4, f"{change.key}: {_flow(change.value.value)}", change.value)
        if found.added:
            w.line(4, "obligations.add:")
            write_obligations(w, found.added, 6)
        for todo in found.pending:
            w.todo(4, todo)
    for todo in found.todos:
        w.todo(2, Todo("review", f"the amendment's own signing date: {todo.what}"))
    for line, sentence in found.unmapped:
        w.todo(2, Todo("review", f"L{line}: {sentence}"))
    return "\n".join(w.out) + "\n"


def _ref(found: AmendmentFound) -> str:
    assert found.title is not None
    return f"{found.title.value}({_printed(found)})" if found.signed else found.title.value


def _printed(found: AmendmentFound) -> str:
    assert found.signed is not None
    day = found.signed.value
    return f"{day.year}. {day.month}. {day.day}."


def _flow(value: Any) -> str:
    """A change's value as the event and ``--set`` read it (YAML flow style): parties always as a list."""
    if isinstance(value, tuple) and value:
        return "[" + ", ".join(value) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    return scalar(value)


def _party(keys: tuple[str, ...]) -> str | list[str]:
    """One party as its key, several as a list, as the case file writes ``party``."""
    return keys[0] if len(keys) == 1 else list(keys)


def _obligation_value(item: ObligationFound) -> dict[str, Any]:
    value: dict[str, Any] = {
        "id": item.id,
        "clause": item.clause,
        "party": _party(item.parties.value),
        "text": item.text.value,
    }
    if item.schedule is not None:
        value["schedule"] = {
            "every": item.schedule.every.value,
            **({"due": item.schedule.due.value} if item.schedule.due else {}),
        }
    return value


def record_command(found: AmendmentFound) -> list[str]:
    """``obligations record amended …`` with a ``--set`` per change, as lines to continue with ``\\``;
    none when a change is left to the analyst (a review line, an obligation id, a party)."""
    if not found.settled or not (found.changes or found.added):
        return []
    day = found.effective or found.signed
    parts = [
        "obligations record amended --agreement ID" + (f" --date {day.value.isoformat()}" if day else "")
    ]
    parts += ["--set " + shlex.quote(f"{change.key}={_flow(change.value.value)}") for change in found.changes]
    if found.added:
        parts.append(
            "--set "
            + shlex.quote(f"obligations.add={_flow([_obligation_value(item) for item in found.added])}")
        )
    if found.title is not None:
        parts.append("--ref " + shlex.quote(_ref(found)))
    return [f"{part} \\" for part in parts[:-1]] + parts[-1:]
