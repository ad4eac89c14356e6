"""The title, the parties with their short names, and the signing date.

Parties are named in the preamble (전문) as a list ending in a subject particle:
``서울특별시(이하 “서울시”라 한다)와 김포시는 …``,
``서울특별시(이하 “서울시”라 한다), 서울지방고용노동청(이하 “고용노동청”이라 한다), … (…)는``.
A short name may be quoted with curly or straight quotes or 「」, with or without ``라 한다``; it may be a
designation, ``(이하 "갑"이라 한다)``, ``"을"``, ``"병"``. A name may have spaces: ``서울특별시 성동구``.

>>> from obligations.extract.source import SpanBuilder
>>> preamble = "(재)서울평생교육진흥원(이하 '진흥원')과 서울특별시(이하 \\"서울시\\"라 함) 및 강남구는 …"
>>> found = read_parties(SpanBuilder(False).add(preamble, 1).build())
>>> [(p.name, p.short) for p in found]
[('(재)서울평생교육진흥원', '진흥원'), ('서울특별시', '서울시'), ('강남구', None)]
>>> preamble = '이에 서울특별시 성동구(이하 "갑"이라 한다)와 경기도 김포시는 다음과 같이 협약한다.'
>>> [(p.name, p.short, p.key) for p in read_parties(SpanBuilder(False).add(preamble, 1).build())]
[('서울특별시 성동구', '갑', 'seongdong'), ('경기도 김포시', None, 'gimpo')]
"""

from __future__ import annotations

import datetime as dt
import re

from obligations.extract.found import Cited, PartyFound, Todo
from obligations.extract.keys import party_key
from obligations.extract.korean_dates import WEEKDAYS, find_days
from obligations.extract.source import Lines, Span, squeeze
from obligations.extract.structure import BULLET, Layout

_QUOTES_OPEN = "“”\"'‘’「『"
_QUOTES_CLOSE = "“”\"'‘’」』"
_PREFIX = (
    r"(?:\((?:재|사|주|학|사복|의)\)\s*|㈜\s*|(?:재단|사단|사회복지|학교|의료|특수)법인\s*|주식회사\s*)?"
)
# A name may run over several words when the first ones name a region or a body that the last one belongs
# to: 서울특별시 성동구, 경기도 김포시, 한국토지주택공사 경기지역본부, 이화여자대학교 목동병원,
# 한국폴리텍대학 서울강서캠퍼스, 한국산업기술진흥원 서울사무소.
# Other words before a name ("이에", "위하여") never end this way, so they do not join it.
_BODY_WORD = (
    r"[가-힣]+(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구|공사|공단|교육청|재단|대학교|대학"
    r"|진흥원|연구원|협회|은행)\s+(?!및\s)"
)
_PARTY = re.compile(
    rf"(?P<name>{_PREFIX}(?:{_BODY_WORD})*[가-힣A-Za-z0-9·][가-힣A-Za-z0-9·\-]*)"
    rf"(?:\s*\(\s*이하\s*[{_QUOTES_OPEN}]?\s*(?P<short>[^{_QUOTES_CLOSE})]+?)\s*[{_QUOTES_CLOSE}]?\s*"
    r"(?:(?:이)?라\s*(?:한다|함|칭한다|칭함|부른다)\.?)?\s*\))?"
)
# "A, B 및 C(이하 “참여기관”이라 한다)는": a short name for all of them, not for the last one.
_COLLECTIVE = re.compile(r"^(?:참여|협약|협력|관계|각)?\s*(?:기관|당사자|단체)(?:들)?$")
_AND = re.compile(r"\s*(?:,|、)\s*|\s*및\s+|(?:와|과)\s+")
_SUBJECT = re.compile(r"(?:은|는|이|가)(?=[\s｢「(])|\s*(?:간에|간의|사이에|사이의|상호\s*간)")
_NOT_NAMES = {"본", "이", "위", "협약", "본협약", "각", "양", "상호"}


def _particle_split(name: str) -> tuple[str, str]:
    """``김포시는`` → (``김포시``, ``는``); a name without an attached particle is returned whole."""
    for particle in ("은", "는", "이", "가", "와", "과"):
        if name.endswith(particle) and len(name) > 2:
            return name[: -len(particle)], particle
    return name, ""


def _parties_at(text: str, position: int) -> list[tuple[str, str | None, int]] | None:
    """The list of parties starting at ``position``, if one ends in a subject particle there."""
    parties: list[tuple[str, str | None, int]] = []
    while True:
        match = _PARTY.match(text, position)
        if match is None:
            return None
        name, short, end = match["name"], match["short"], match.end()
        if short is None:
            name, particle = _particle_split(name)
            if particle in ("와", "과") and text[end : end + 1] == " ":
                parties.append((name, None, match.start()))
                position = end + 1
                continue
            if particle in ("은", "는", "이", "가"):
                parties.append((name, None, match.start()))
                return parties
        if name in _NOT_NAMES or len(name) < 2:
            return None
        if short and _COLLECTIVE.match(squeeze(short)):
            short = None
        parties.append((name, squeeze(short) if short else None, match.start()))
        if _SUBJECT.match(text, end):
            return parties
        if separator := _AND.match(text, end):
            position = separator.end()
            continue
        return None


def read_parties(preamble: Span) -> list[PartyFound]:
    """The parties named in the preamble, in order, each with a key (:mod:`obligations.extract.keys`)."""
    text = preamble.text
    first_sentence = text.split("다.")[0]
    starts = [0, *(m.end() for m in re.finditer(r"[\s,]+", first_sentence))]
    for start in starts:
        listed = _parties_at(text, start)
        if listed and len(listed) >= 2:
            # "서울특별시 성동구청장(이하 “갑”)과 한양대학교 총장(이하 “을”)은": heads sign for their bodies.
            bodies = [(body_of_office(name) or name, short, offset) for name, short, offset in listed]
            return _found([(name, short, preamble.line_at(offset)) for name, short, offset in bodies], "")
    return []


# Who signs for a body is its head, so a list of parties or a signature names the head's office:
# attached to the body (서울특별시 광진구청장, 성남시장, 마포경찰서장, 한국정보화진흥협회장) or a word of its
# own (서울과학기술대학교 총장, 경기도성남교육지원청 교육장). The body is the name without the office.
_OFFICES = (
    r"(?:총장|학장|교육장|이사장|원장|관장|회장|대표(?:이사)?|센터장|소장|본부장|지사장|단장|위원장"
    r"|청장|사장)"
)
_OFFICE_WORD = re.compile(rf"\s+{_OFFICES}$")
# "구청장 (인)" under "서울특별시 중랑구": the office alone, its body on the line above.
_OFFICE_ALONE = re.compile(rf"^(?:구청장|시장|군수|도지사|교육감|서장|{_OFFICES})$")
_OFFICE_ATTACHED = (
    (re.compile(r"구청장$"), "구"),
    (re.compile(r"군수$"), "군"),
    (re.compile(r"(?<=시)장$"), ""),
    (re.compile(r"(?<=도)지사$"), ""),
    (re.compile(r"교육감$"), "교육청"),
    (re.compile(r"(?<=청)장$"), ""),
    # …협회장, …센터장, …경찰서장, …산학협력단장, …도서관장, …과학원장: a body's name, then 장.
    (re.compile(r"([가-힣](?:협회|센터|서|관|원|단|회|소|사|부|교))장$"), r"\1"),
)
# "(인)", "(서명)", "(직인)" after a signature.
_SEAL = re.compile(r"\s*[(（]\s*(?:인|서명|직인|날인)\s*[)）]|\s+인$")
# "갑: 서울특별시 광진구청장", "○ 을 : 건국대학교 산학협력단장", "갑 | 서울특별시 도봉구 | 구청장" (a table
# under 구분 | 기관명 | 대표자: the name is the second cell).
_LISTED = re.compile(
    rf"^{BULLET}(?P<short>[갑을병정무기])\s*(?:[:：]\s*(?P<who>\S.*)|\|\s*(?P<cell>[^|]+)(?:\|.*)?)$"
)
# "갑 서울특별시 광진구청장 (인)": a signature may start with the party's designation.
_DESIGNATED = re.compile(r"^(?P<short>[갑을병정무기])\s+(?P<who>\S.*)$")
_PERSON = re.compile(r"^[가-힣]{2,4}$|^[가-힣]?○+$|^[가-힣]?O+$")


def body_of_office(who: str) -> str | None:
    """``서울특별시 광진구청장`` → ``서울특별시 광진구``; ``서울과학기술대학교 총장 김○○`` →
    ``서울과학기술대학교``; None when ``who`` names no office.

    >>> offices = ("성남시장 (인)", "건국대학교 산학협력단장", "마포경찰서장 홍길동", "서울특별시교육감")
    >>> offices += ("협력한다",)
    >>> [body_of_office(office) for office in offices]
    ['성남시', '건국대학교 산학협력단', '마포경찰서', '서울특별시교육청', None]
    """
    who = squeeze(_SEAL.sub("", who)).strip()
    words = who.split()
    # A person's name after the office: "서울특별시 은평구청장 김미경".
    if len(words) > 1 and _PERSON.match(words[-1]) and re.search(r"(?:장|군수|지사|교육감)$", words[-2]):
        who = " ".join(words[:-1])
    if match := _OFFICE_WORD.search(who):
        return who[: match.start()]
    for office, body in _OFFICE_ATTACHED:
        if office.search(who):
            name = office.sub(body, who)
            return name if len(name.replace(" ", "")) >= 2 else None
    return None


def _office_alone(piece: str) -> bool:
    words = squeeze(_SEAL.sub("", piece)).split()
    return bool(words) and _OFFICE_ALONE.match(words[0]) is not None and len(words) <= 2


def _found(listed: list[tuple[str, str | None, int]], read_from: str) -> list[PartyFound]:
    taken: set[str] = set()
    parties = []
    for name, short, line in listed:
        key, how = party_key(name, short, taken)
        taken.add(key)
        parties.append(PartyFound(key, name, short, line, how, read_from))
    return parties


def read_party_list(layout: Layout) -> list[PartyFound]:
    """The parties of a list above the preamble, ``갑: 서울특별시 광진구청장`` (협약 당사자), by the body each
    head stands for."""
    listed = []
    for number in layout.party_list:
        if match := _LISTED.match(layout.lines[number].strip()):
            who = match["who"] or match["cell"]
            name = body_of_office(who) or squeeze(_SEAL.sub("", who))
            listed.append((name, match["short"], number))
    return _found(listed, "the party list") if len(listed) >= 2 else []


def read_signatories(layout: Layout) -> list[PartyFound]:
    """The parties as they sign under the signing date, when no preamble names them: each signature is a
    head's office (``서울특별시 은평구청장 (인)``), several to a line when spaced apart."""
    lines = sorted({line for span in layout.closing for line in span.lines})
    dated = next((n for n in lines if _is_signing_date(layout.lines[n])), None)
    if dated is None:
        return []
    listed: list[tuple[str, str | None, int]] = []
    signing = [n for n in lines if n > dated and layout.lines[n].strip()]
    for above, number in zip([0, *signing], signing, strict=False):
        pieces = _signatures(layout.lines[number])
        if above and pieces and all(_office_alone(piece) for piece in pieces):
            # Each body's name stands over its head's office: "서울특별시 중랑구 / 구청장 (인)".
            names = _signatures(layout.lines[above])
            if len(names) == len(pieces):
                listed += [(squeeze(name), None, above) for name in names]
            continue
        for piece in pieces:
            match = _DESIGNATED.match(piece)
            who, short = (match["who"], match["short"]) if match else (piece, None)
            if (name := body_of_office(who)) is not None:
                listed.append((name, short, number))
    return _found(listed, "the signatures") if len(listed) >= 2 else []


def _signatures(line: str) -> list[str]:
    """The signatures on a line, spaced apart: ``갑 서울특별시 광진구청장 (인)     을 …``."""
    return [piece for piece in re.split(r"\s{2,}|\t", line.strip()) if piece]


def _is_signing_date(text: str) -> bool:
    text = _SIGNING_LABEL.sub("", text.strip())
    days = find_days(text)
    return len(days) == 1 and days[0].start == 0 and days[0].end == len(text)


def _collapse_letter_spacing(text: str) -> str:
    """``업   무   협   약   서`` → ``업무협약서``: three or more single syllables in a row are one word."""
    words, out, run = text.split(), [], []
    for word in [*words, ""]:
        if len(word) == 1 and "가" <= word <= "힣":
            run.append(word)
            continue
        out.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if word:
            out.append(word)
    return " ".join(out)


# A tag naming the paper after the title, "…업무협약서(MOU)", "…협약서(안)": the kind of document,
# not its name.
_PAPER_TAG = re.compile(r"(?<=협약)\s*\(\s*(?:MOU|MOA|mou|안|초안|양해각서)\s*\)\s*$")


def read_title(lines: Lines, numbers: list[int]) -> Cited[str] | None:
    """The heading above the preamble as one line.

    Heading lines are joined with a space; letter-spaced words are closed up; ``서울특별시 - 김포시``
    becomes ``서울특별시-김포시``; the document word ``협약서`` becomes ``협약``, because the case file names
    the agreement, not the paper it is written on (the seed's ``업 무 협 약 서`` is the registry's
    "…업무협약"); a tag after it naming the kind of paper (``(MOU)``, ``(안)``) is dropped.
    """
    if not numbers:
        return None
    text = _collapse_letter_spacing(" ".join(squeeze(lines[n]) for n in numbers))
    text = re.sub(r"\s*[-–—]\s*", "-", text)
    text = re.sub(r"협약서(?=\s*$|\s*\()", "협약", text)
    text = _PAPER_TAG.sub("", text).strip()
    first, last = numbers[0], numbers[-1]
    where = f"lines {first}–{last} joined" if last != first else ""
    return Cited(text, first, where) if text else None


_SIGNING_LABEL = re.compile(r"^(?:협약\s*)?(?:체결일|협약일|서명일|체결\s*일자)\s*[:：]?\s*")


def read_signed(closing: list[Span], everything: list[Span]) -> tuple[Cited[dt.date] | None, list[Todo]]:
    """The signing date: the date standing alone under the closing formula (or labelled 체결일)."""
    candidates = [span for span in closing if span] + [
        span for span in everything if span and _SIGNING_LABEL.match(span.text)
    ]
    for span in candidates:
        text = _SIGNING_LABEL.sub("", span.text)
        days = find_days(text)
        if len(days) != 1 or days[0].start != 0 or days[0].end != len(text):
            continue
        found = days[0]
        line = span.line_at(0)
        if found.day is None:
            return None, [Todo("signed", f"L{line} reads {found.text!r}, which is not a day of the calendar")]
        if not found.weekday_agrees:
            weekday = WEEKDAYS[found.day.weekday()]
            return None, [
                Todo(
                    "signed",
                    f"L{line} reads {found.text!r} but {found.day} is a {weekday}요일: check the date",
                )
            ]
        return Cited(found.day, line), []
    return None, [
        Todo(
            "signed", "no signing date found under the articles; the date the parties signed, e.g. 2025-02-25"
        )
    ]
