"""The term (협약기간), its automatic renewal (자동 연장) and the notice that stops one (해지 의사표시).

Term, one of (first match in document order, article text before item text):

- ``체결일로부터 1년`` / ``6개월``, ``서명한 날부터 시작하여 3년간`` → ``length`` from signing;
- ``유효 기간은 2025년 12월까지`` → ``end: 2025-12`` (the last day of that month);
- ``협약 체결일부터 2025년 12월 31일까지`` → ``start: signed`` and that ``end``;
- ``2025. 3. 1.부터 2026. 2. 28.까지``, ``2025년 9월 1일부터 2026년 8월 31일까지``,
  ``2025. 3. 4.(화) ~ 2026. 3. 3.(화)로 한다`` → ``start`` and ``end`` dates; ``starts_at_midnight``
  because a period that begins on a named day begins at 00:00 of it (민법 제157조 단서).

Renewal, when the text says it happens by itself: ``자동``; deemed, ``연장된 것으로 본다`` (``보며``,
``간주한다``, ``재계약된 것으로 본다``); or stated as what happens, ``1년 단위로 연장한다``, ``2년 단위로
갱신된다`` — never an extension the parties may agree (``협의하여 연장할 수 있다``):

- ``매년`` → ``length: 1y``; ``N년씩``, ``N개월씩``, ``N년(을) 단위로``, ``N년간 … 연장`` → that length;
  ``같은 기간`` → the term's length;
- ``최대 N회`` (or ``N차례``, ``N번``, ``두 차례``), ``N회에 한하여``, ``N회까지``,
  ``연장은 N회를 초과할 수 없다``, ``N회를 넘지 못한다`` → ``max_renewals: N``;
  ``N년씩 최대 M년`` (or ``최장``) → M/N renewals ("1년씩 최대 3년 자동 연장" reads as at most three
  one-year renewals; the other reading, M years in all with the first term, is named in the comment);
  ``총 협약기간은 M년을 초과할 수 없다`` → (M − term)/N, the first term included;
  ``총 연장기간은 M년을 넘을 수 없다`` → M/N, the renewals alone; not a whole
  number → a TODO; nothing → ``max_renewals: null`` (unlimited).
- notice: ``만료 1개월 전까지``, ``만료일 30일 전까지``, ``2개월 전까지``, ``만료 2월 전까지`` (월 for
  months), ``3주 전까지`` → ``lead``; none → ``lead: null`` (up to the last day); ``서면`` →
  ``form: written``; ``일방``, ``어느 한 쪽``, ``어느 기관도``, ``연장을 원하지 아니하는 기관``,
  ``별도의 (해지) 의사표시/통보`` → ``by: any``; else the parties the notice clause names.
  The notice may stand in another item of the renewal's article
  (``③ … 만료 2개월 전까지 상대 기관에 서면으로 통지하여야 한다.``).

>>> from obligations.extract.structure import read_layout
>>> from obligations.extract.source import Lines
>>> layout = read_layout(Lines.of("제1조(기간) 본 협약의 기간은 체결일로부터 2년으로 한다."))
>>> term = read_term(layout.articles)
>>> term.clause, str(term.length.value), term.start.value
('제1조', '2y', 'signed')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from obligations.duration import Duration
from obligations.extract.found import Cited, NoticeFound, RenewalFound, TermFound, Todo
from obligations.extract.korean_dates import find_days, find_months
from obligations.extract.roles import PartyNames
from obligations.extract.structure import Unit

_UNITS = {"년": "y", "개월": "m", "월": "m", "주": "w", "일": "d"}
_SIGNING_DAY = r"(?:협약\s*)?(?:체결일|서명일|체결한\s*날|서명한\s*날|체결\s*일자|협약일|협약한\s*날)"
_SIGNING = rf"{_SIGNING_DAY}\s*(?:로\s*)?부터"
# "체결일로부터 1년", "서명한 날부터 시작하여 3년간"; never the year of a date
# ("체결일부터 2025년 12월 31일까지").
_LENGTH_FROM_SIGNING = re.compile(
    rf"{_SIGNING}[^\d.]{{0,20}}?(?<!\d)(?P<n>\d{{1,3}})\s*(?P<unit>년|개월|주|일)(?!\s*\d{{1,2}}\s*월)"
)
# "협약 체결일부터 2025. 12. 31.까지", "협약기간: 협약 체결일 ~ 2026. 12. 31.": the signing day, then
# the end.
_SIGNING_BEFORE = re.compile(rf"(?:{_SIGNING}\s*[~∼〜\-–]?|{_SIGNING_DAY}\s*[~∼〜\-–])\s*$")
# "2025년 11월 1일부터 2년으로 한다", "2025. 3. 1.부터 1년간": a start day and a length.
_LENGTH_FROM_DAY = re.compile(
    r"\s*(?:\(\S{1,2}\)\s*)?(?:로\s*)?부터\s*(?:시작하여\s*)?(?P<n>\d{1,3})\s*(?P<unit>년|개월|주|일)(?!\s*\d)"
)
# "유효기간은 1년으로 한다" (the start, if any, is named elsewhere: "서명한 날부터 효력을 발생하며").
# An amendment says it as a change: "협약기간을 2년으로 변경한다".
LENGTH_STATED = re.compile(
    r"기간\s*(?:은|을|를)\s*(?P<n>\d+)\s*(?P<unit>년|개월|주|일)\s*(?:간\s*)?(?:으로|로)"
)
_STARTS_AT_SIGNING = re.compile(rf"{_SIGNING}\s*(?:그\s*)?(?:효력|시행|발효)")
_TERM_WORDS = re.compile(r"기간|유효|효력|존속")
# "2025. 4. 1.부터 2026. 3. 31.까지", "2025. 4. 1. ~ 2026. 3. 31.까지": two days joined, the second "까지".
_PERIOD_JOIN = re.compile(r"\s*(?:부터\s*[~∼〜\-–]?|[~∼〜\-–])\s*")
UNTIL = re.compile(r"\s*(?:말일)?\s*까지")
_TILDE = re.compile(r"[~∼〜\-–]")

# A renewal happens by itself when the text says so (자동), deems it (연장된 것으로 본다/보며/간주한다),
# or states it as what happens (1년 단위로 연장한다, 2년 단위로 갱신된다, 1년씩 연장하는 것으로 한다)
# rather than as what the parties may agree (협의하여 연장할 수 있다, 연장은 협의하여 정한다).
_AUTOMATIC = re.compile(
    r"자동\S*\s*(?:으로\s*)?(?:\S+\s+){0,3}?(?:연장|갱신)"
    r"|(?:연장|갱신|재\s*계약|재\s*협약)된\s*것으로\s*(?:본다|보며|보고|보아|봄|간주)"
    r"|(?:연장|갱신)(?:된다|한다|되며|하며|(?:되는|하는)\s*것으로\s*(?:한다|하며|함))"
)
# "협의하여 연장할 수 있다", "요청하면 연장한다"; never a request the text says is not made ("종료를
# 요청하지 않는 한 1년씩 연장된다").
_AGREED = re.compile(r"협의|합의|(?:요청|신청)(?!\s*(?:하지|이\s*없|가\s*없))|할\s*수\s*있|재\s*계약")
_EXTENDED = re.compile(r"연장|갱신|재\s*계약|재\s*협약")
EACH = re.compile(r"(?P<n>\d+)\s*(?P<unit>년|개월)\s*(?:씩|간씩|(?:을|를)?\s*단위\s*로)")
# "1년간 자동 연장되며": the length before the renewal verb; "최대 3년 자동 연장" is a cap, not a length.
_NOT_A_CAP = r"(?<!최대)(?<!최대 )(?<!최장)(?<!최장 )(?<!\d)"
_LENGTH_BEFORE = re.compile(
    rf"{_NOT_A_CAP}(?P<n>\d+)\s*(?P<unit>년|개월)\s*(?:간|동안)?\s*(?:자동\S*\s*)?(?:연장|갱신)"
)
# "1년간 동일한 내용으로 연장된 것으로 본다": up to three words between, none of them a lead's ("1개월 전까지
# … 갱신 거절") or the end of the sentence.
_LENGTH_WORDS_BEFORE = re.compile(
    rf"{_NOT_A_CAP}(?P<n>\d+)\s*(?P<unit>년|개월)\s*(?:간|동안)\s*"
    r"(?:(?![^\s]*(?:전|까지|이내|한다))[^\s.\d]+\s+){1,3}?(?:자동\S*\s*)?(?:연장|갱신)"
)
# "자동 연장되며, 연장 기간은 1년으로 한다"
# (never the sum of the renewals: "총 연장기간은 3년을 넘을 수 없다", "연장기간은 통산 3년")
LENGTH_OF_RENEWAL = re.compile(
    r"(?<!총)(?<!총\s)(?<!전체\s)(?<!통산\s)(?:연장|갱신)\s*(?:기간|시의\s*기간)\S*\s*(?P<n>\d+)\s*(?P<unit>년|개월)"
)
_YEARLY = re.compile(r"매년|매\s*1\s*년")
_SAME_LENGTH = re.compile(r"(?:동일한?|같은|종전과\s*같은)\s*기간")
# A count of renewals: "2회", "2차례", "2번", in figures or in words ("두 차례", "한 번").
_NATIVE_COUNTS = {"한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5}
_COUNT = r"(?:\d+|(?<![가-힣])(?:한|두|세|네|다섯))"
_TIMES = r"\s*(?:회|차례|번)"
CAP_COUNT = re.compile(
    rf"최대\s*(?P<n>{_COUNT}){_TIMES}|(?P<m>{_COUNT}){_TIMES}\s*(?:에\s*한(?:하여|해|한다|함|정)|까지|를\s*한도로"
    r"|(?:를|을)?\s*(?:초과|넘)(?:할\s*수\s*없|을\s*수\s*없|하지\s*못|지\s*못))"
)


# "총 협약기간은 5년을 초과할 수 없다", "전체 기간은 3년 이내로 한다": the first term included.
_CAP_IN_ALL = re.compile(
    r"(?:총|전체|통산)\s*(?:협약\s*|유효\s*)?기간\S*\s*(?P<n>\d+)\s*(?P<unit>년|개월)\s*"
    r"(?:을|를)?\s*(?:초과|넘|이내|까지)"
)
# "총 연장기간은 3년을 넘을 수 없다", "연장기간은 통산 3년 이내로 한다": the renewals alone, the first term
# not included.
_CAP_OF_RENEWALS = re.compile(
    r"(?:(?:총|전체|통산)\s*(?:자동\s*)?(?:연장|갱신)\s*기간\S*|(?:연장|갱신)\s*기간\S*\s*(?:총|통산|합계))"
    r"\s*(?P<n>\d+)\s*(?P<unit>년|개월)\s*(?:을|를)?\s*(?:초과|넘|이내|까지)"
)
# Words that limit the renewals in some way the patterns above may not read.
_LIMIT_WORDS = re.compile(
    r"[^\s,.]*\s*(?:초과|넘(?:을|지|어|는)|한도|최대|최장|횟수|통산|한정|한하여|한한다)"
)
CAP_TIME = re.compile(r"(?:최대|최장|통산|총)\s*(?P<n>\d+)\s*(?P<unit>년|개월)")
# The lead: "만료 1개월 전까지", "만료일 45일 전까지", "만료 2주 전", and "만료 2월 전까지" (월 for months, as
# older agreements write it; after 만료 it cannot be a month of the calendar).
LEAD_AFTER_END = re.compile(
    r"(?:만료|종료)[^.,]{0,12}?(?<!\d)(?P<n>\d+)\s*(?P<unit>개월|월|일|주)\s*(?:이\s*)?전"
)
LEAD = re.compile(r"(?<![\d년월.])(?<!월\s)(?P<n>\d+)\s*(?P<unit>개월|일|주)\s*(?:이\s*)?전\s*(?:까지|에)")
_WRITTEN = re.compile(r"서면|문서로")
# Who may stop it: anyone ("일방", "어느 기관도", "연장을 원하지 아니하는 기관", "별도의 해지 통보",
# "당사자 간 별도 합의가 없으면": a renewal no agreement stops is stopped by any party wanting otherwise),
# else the parties the clause names.
ANY_PARTY = re.compile(
    r"일방|어느\s*(?:한\s*)?(?:쪽|기관|당사자|측)|당사자\s*중|각\s*기관|양\s*기관|어느\s*누구"
    r"|쌍방|상호\s*(?:간에?\s*)?(?:이의|이견)|양\s*(?:당사자|측)|(?:아니하|않)\S*\s*(?:기관|당사자|측|쪽)"
    r"|별도(?:의)?\s*(?:\S+\s*){0,2}?(?:의사\s*표시|통보|통지|합의)|당사자\s*간"
)
_NOTICE_WORDS = re.compile(r"통보|통지|의사\s*표시|해지|거절|이의|알려|알리|밝히")


def count_of(word: str) -> int:
    """``2`` → 2, ``두`` → 2: a count in figures or in native Korean words."""
    return int(word) if word.isdigit() else _NATIVE_COUNTS[word]


def duration_of(n: str, unit: str) -> Duration:
    return Duration.parse(f"{int(n)}{_UNITS[unit]}")


def _units(articles: list[Unit]) -> Iterator[Unit]:
    for article in articles:
        yield from article.walk()


def _cited_line(unit: Unit, index: int) -> int:
    return unit.text.line_at(index) if unit.text else unit.line


def _term_in(unit: Unit) -> TermFound | None:
    text = unit.text.text
    if not _TERM_WORDS.search(text):
        return None
    term = TermFound(clause=unit.clause)
    days = [day for day in find_days(text) if day.day is not None]
    for first, second in itertools.pairwise(days):
        joined = text[first.end : second.start]
        # "…부터 …까지", or "… ~ …" with or without 까지 ("2025. 3. 4.(화) ~ 2026. 3. 3.(화)로 한다").
        if _PERIOD_JOIN.fullmatch(joined) and (UNTIL.match(text, second.end) or _TILDE.search(joined)):
            assert first.day is not None and second.day is not None
            line = _cited_line(unit, first.start)
            term.start = Cited(first.day, line)
            term.starts_at_midnight = Cited(
                True, line, "“…부터”: begins at 00:00 of that day (민법 제157조 단서)"
            )
            term.end = Cited(second.day.isoformat(), _cited_line(unit, second.start))
            return term
    for day in days:
        if match := _LENGTH_FROM_DAY.match(text, day.end):
            assert day.day is not None
            line = _cited_line(unit, day.start)
            term.start = Cited(day.day, line)
            term.starts_at_midnight = Cited(
                True, line, "“…부터”: begins at 00:00 of that day (민법 제157조 단서)"
            )
            term.length = Cited(duration_of(match["n"], match["unit"]), _cited_line(unit, match.start("n")))
            return term
    if match := _STARTS_AT_SIGNING.search(text):
        term.start = Cited("signed", _cited_line(unit, match.start()))
    if match := _LENGTH_FROM_SIGNING.search(text):
        line = _cited_line(unit, match.start())
        term.start = Cited("signed", line)
        term.length = Cited(duration_of(match["n"], match["unit"]), line)
        return term
    if match := LENGTH_STATED.search(text):
        term.length = Cited(duration_of(match["n"], match["unit"]), _cited_line(unit, match.start()))
        return _with_start(term, unit, match.start())
    for month in find_months(text):
        if UNTIL.match(text, month.end):
            term.end = Cited(month.iso, _cited_line(unit, month.start), "the last day of that month")
            return _with_start(term, unit, month.start)
    for day in days:
        if UNTIL.match(text, day.end) or _SIGNING_BEFORE.search(text[: day.start]):
            assert day.day is not None
            term.end = Cited(day.day.isoformat(), _cited_line(unit, day.start))
            return _with_start(term, unit, day.start)
    return None


def _with_start(term: TermFound, unit: Unit, end_at: int) -> TermFound:
    """``협약 체결일부터 2025년 12월 31일까지``: the term runs from the signing day; else a TODO."""
    if match := _SIGNING_BEFORE.search(unit.text.text[:end_at]):
        term.start = Cited("signed", _cited_line(unit, match.start()))
    if term.start is None:
        term.todos.append(
            Todo(
                "start",
                "the text names no start of the term; 'signed' if it takes effect on signing, or a date",
            )
        )
    return term


def read_term(articles: list[Unit]) -> TermFound | None:
    """The term of the first unit that states one; None when no unit does."""
    for unit in _units(articles):
        if (term := _term_in(unit)) is not None:
            return term
    return None


def read_renewal(
    articles: list[Unit], term: TermFound | None, names: PartyNames
) -> tuple[RenewalFound | None, str]:
    """The automatic renewal, or None and a note saying why there is none (for the draft's comment)."""
    extended: Unit | None = None
    for unit in _units(articles):
        text = unit.text.text
        if (match := _AUTOMATIC.search(text)) and not _agreed(text, match):
            return _renewal_in(unit, match.start(), term, names), ""
        if extended is None and _EXTENDED.search(text) and _TERM_WORDS.search(text):
            extended = unit
    if extended is not None:
        return None, (
            f"{extended.clause} (L{extended.line}) speaks of extension but not of an automatic one; "
            "an extension agreed later is a new case file or an 'amended' event"
        )
    return None, ""


def _agreed(text: str, match: re.Match[str]) -> bool:
    """An extension the parties may agree (``협의하여 연장할 수 있다``), said in the sentence of ``match``."""
    if match.group(0).startswith("자동") or re.search(r"것으로\s*(?:본|보|봄|간주)", match.group(0)):
        return False
    start = max(text.rfind(". ", 0, match.start()), 0)
    end = text.find(". ", match.end())
    return bool(_AGREED.search(text[start : end if end >= 0 else len(text)]))


def _renewal_in(unit: Unit, at: int, term: TermFound | None, names: PartyNames) -> RenewalFound:
    text = unit.text.text
    line = _cited_line(unit, at)
    renewal = RenewalFound(
        clause=unit.clause,
        automatic=Cited(True, line),
        notice=_notice_in(unit, names),
    )
    if (
        (match := EACH.search(text))
        or (match := _LENGTH_BEFORE.search(text))
        or (match := _LENGTH_WORDS_BEFORE.search(text))
        or (match := LENGTH_OF_RENEWAL.search(text))
    ):
        renewal.length = Cited(duration_of(match["n"], match["unit"]), _cited_line(unit, match.start()))
    elif match := _YEARLY.search(text):
        renewal.length = Cited(
            Duration(years=1), _cited_line(unit, match.start()), "“매년”: one year at a time"
        )
    elif (match := _SAME_LENGTH.search(text)) and term is not None and term.length is not None:
        renewal.length = Cited(
            term.length.value, _cited_line(unit, match.start()), f"“{match.group(0)}”: as the term"
        )
    else:
        renewal.todos.append(Todo("length", "how long each renewal lasts, e.g. 1y; the text does not say"))
    _read_cap(renewal, unit, term)
    return renewal


def _read_cap(renewal: RenewalFound, unit: Unit, term: TermFound | None) -> None:
    text = unit.text.text
    if match := CAP_COUNT.search(text):
        count = count_of(match["n"] or match["m"])
        renewal.max_renewals = Cited(count, _cited_line(unit, match.start()), f"“{match.group(0)}”")
        return
    if match := _CAP_OF_RENEWALS.search(text):
        _read_cap_of_renewals(renewal, unit, match)
        return
    if match := _CAP_IN_ALL.search(text):
        _read_cap_in_all(renewal, unit, match, term)
        return
    if match := CAP_TIME.search(text):
        cap = duration_of(match["n"], match["unit"])
        length = renewal.length.value if renewal.length else None
        renewals = renewals_within(cap, length)
        if length is not None and renewals is not None:
            renewal.max_renewals = Cited(
                renewals,
                _cited_line(unit, match.start()),
                f"“{match.group(0)}” read as {renewals} renewals of {length.korean()} "
                f"(the other reading: {cap.korean()} in all, the first term included)",
            )
        else:
            renewal.todos.append(
                Todo(
                    "max_renewals",
                    f"“{match.group(0)}” with renewals of {length.korean() if length else 'unknown length'}: "
                    "the number of renewals allowed (or null)",
                )
            )
        return
    if match := _LIMIT_WORDS.search(text):
        # Words of a limit the grammar did not read: never assert "unlimited" beside them.
        renewal.todos.append(
            Todo(
                "max_renewals",
                f"“{match.group(0)}” in L{_cited_line(unit, match.start())} may limit the renewals: "
                "their number (or null)",
            )
        )
        return
    renewal.max_renewals = Cited(None, None, "no cap stated: unlimited")


def _read_cap_of_renewals(renewal: RenewalFound, unit: Unit, match: re.Match[str]) -> None:
    """``총 연장기간은 3년을 넘을 수 없다`` with renewals of 1년: three renewals."""
    cap = duration_of(match["n"], match["unit"])
    length = renewal.length.value if renewal.length else None
    renewals = renewals_within(cap, length)
    if renewals is None:
        renewal.todos.append(
            Todo("max_renewals", f"“{match.group(0)}”: the number of renewals allowed (or null)")
        )
        return
    assert length is not None
    renewal.max_renewals = Cited(
        renewals,
        _cited_line(unit, match.start()),
        f"“{match.group(0)}”: {renewals} renewals of {length.korean()}, the renewals alone",
    )


def _read_cap_in_all(renewal: RenewalFound, unit: Unit, match: re.Match[str], term: TermFound | None) -> None:
    """``총 협약기간은 5년을 초과할 수 없다``: the first term and every renewal together."""
    cap = duration_of(match["n"], match["unit"])
    first = term.length.value if term and term.length else None
    length = renewal.length.value if renewal.length else None
    rest = Duration(months=cap.total_months - first.total_months) if first and not first.total_days else None
    renewals = renewals_within(rest, length) if rest and rest.total_months > 0 else None
    if renewals is None:
        renewal.todos.append(
            Todo("max_renewals", f"“{match.group(0)}” in all: the number of renewals allowed (or null)")
        )
        return
    assert first is not None and length is not None
    renewal.max_renewals = Cited(
        renewals,
        _cited_line(unit, match.start()),
        f"“{match.group(0)}” in all: {first.korean()} and {renewals} renewals of {length.korean()}",
    )


def renewals_within(cap: Duration, length: Duration | None) -> int | None:
    """How many renewals of ``length`` make up ``cap`` exactly (``최대 4년`` of ``2년씩`` → 2), else None."""
    if length is None or length.weeks or length.days or cap.weeks or cap.days or not length.total_months:
        return None
    count, rest = divmod(cap.total_months, length.total_months)
    return count if count and not rest else None


def _notice_in(unit: Unit, names: PartyNames) -> NoticeFound:
    """The notice in the renewal's own unit, each part of it otherwise from another unit of the same article
    that speaks of notice (``③ … 만료 2개월 전까지 … 서면으로 통지하여야 한다``)."""
    units = [unit] + [
        other for other in unit.article.walk() if other is not unit and _NOTICE_WORDS.search(other.text.text)
    ]

    def first(*patterns: re.Pattern[str]) -> tuple[Unit, re.Match[str]] | None:
        return next(
            (
                (where, match)
                for where in units
                for pattern in patterns
                if (match := pattern.search(where.text.text))
            ),
            None,
        )

    if found := first(LEAD_AFTER_END, LEAD):
        where, match = found
        lead: Cited[Duration | None] = Cited(
            duration_of(match["n"], match["unit"]), _cited_line(where, match.start()), f"“{match.group(0)}”"
        )
    else:
        lead = Cited(None, None, "no lead stated: a notice counts up to the last day of the term")
    if found := first(_WRITTEN):
        where, match = found
        form = Cited("written", _cited_line(where, match.start()), f"“{match.group(0)}”")
    else:
        form = Cited("any", None, "no form stated")
    notice = NoticeFound(lead=lead, form=form, by=None)
    if found := first(ANY_PARTY):
        where, match = found
        notice.by = Cited((), _cited_line(where, match.start()), f"“{match.group(0)}”")
    else:
        notice.by = _named_notice(units, names)
    if notice.by is None:
        notice.todos.append(Todo("by", "who may stop the renewal: any, or a list of party keys"))
    return notice


def _named_notice(units: list[Unit], names: PartyNames) -> Cited[tuple[str, ...]] | None:
    """The parties named in the first unit that speaks of notice (``갑 또는 을이 해지를 통보하지 …``)."""
    for unit in units:
        if _NOTICE_WORDS.search(unit.text.text) and (named := names.named_in(unit.text.text)):
            return Cited(named, unit.line, "the parties named in the clause")
    return None
