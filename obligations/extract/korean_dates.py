"""Dates as Korean official documents print them, found in running text and read back exactly.

A day is printed in one of these styles (:class:`DayStyle`), optionally followed by the weekday in
parentheses, with any spacing (HWP exports leave ``2025년  2월   25일``):

========== ====================== ==============================================
style      example                where it is used
========== ====================== ==============================================
long       ``2025년 2월 25일``     signature blocks, 협약기간 clauses
dotted     ``2025. 2. 25.``        공문서 작성 기준 (행정업무운영 편람): dots after year, month, day
compact    ``2025.2.6.(목)``       reports, schedules
short      ``’25. 8. 29.(금)``     reports; the apostrophe stands for "20" (’ ' ‘ or `)
iso        ``2025-02-25``          registries, other tools
========== ====================== ==============================================

A month without a day (``2025년 12월``, ``2025. 12.``) is read by :func:`find_months`; agreements use it for
"유효 기간은 2025년 12월까지", meaning the last day of that month.

>>> [found.day.isoformat() for found in find_days("체결 ’25. 8. 29.(금), 시행 2025년 9월 1일")]
['2025-08-29', '2025-09-01']
>>> read_day("2025.2.6.(목)")
datetime.date(2025, 2, 6)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

WEEKDAYS = "월화수목금토일"  # Monday first, as date.weekday() counts
_APOSTROPHES = "’'‘`"
_WEEKDAY = rf"(?:\s*\(\s*(?P<weekday>[{WEEKDAYS}])(?:요일)?\s*\))?"
_DAY = re.compile(
    r"(?:(?P<long_y>(?<!\d)\d{4})\s*년\s*(?P<long_m>\d{1,2})\s*월\s*(?P<long_d>\d{1,2})\s*일"
    rf"|[{_APOSTROPHES}]\s*(?P<short_y>\d{{2}})\s*\.\s*(?P<short_m>\d{{1,2}})\s*\.\s*(?P<short_d>\d{{1,2}})(?!\d)(?:\s*\.)?"
    r"|(?P<dot_y>(?<![\d.])\d{4})\s*\.\s*(?P<dot_m>\d{1,2})\s*\.\s*(?P<dot_d>\d{1,2})(?!\d)(?:\s*\.)?"
    r"|(?P<iso_y>(?<!\d)\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2})(?![\d-]))" + _WEEKDAY
)
_MONTH = re.compile(
    r"(?P<long_y>(?<!\d)\d{4})\s*년\s*(?P<long_m>\d{1,2})\s*월(?!\s*\d{1,2}\s*일)"
    r"|(?P<dot_y>(?<![\d.])\d{4})\s*\.\s*(?P<dot_m>\d{1,2})\s*\.?(?!\s*\d)"
    r"|(?P<iso_y>(?<!\d)\d{4})-(?P<iso_m>\d{2})(?![\d-])"
)


class DayStyle(Enum):
    """How a day is printed (table in the module doc)."""

    LONG = "long"
    DOTTED = "dotted"
    COMPACT = "compact"
    SHORT = "short"
    ISO = "iso"


class KoreanDateError(ValueError):
    """Text that is not one date; the message quotes it and lists the styles that are read."""


EXAMPLES = "2025년 2월 25일, 2025. 2. 25., 2025.2.6.(목), ’25. 8. 29.(금) or 2025-02-25"


@dataclass(frozen=True)
class DayFound:
    """A day in running text: where it is, what it says, and whether a printed weekday agrees with it."""

    start: int
    end: int
    text: str
    day: dt.date | None  # None: printed like a date but impossible (2025년 2월 30일)
    weekday: str | None  # the weekday as printed, e.g. "목"

    @property
    def weekday_agrees(self) -> bool:
        return self.day is None or self.weekday is None or WEEKDAYS[self.day.weekday()] == self.weekday


@dataclass(frozen=True)
class MonthFound:
    start: int
    end: int
    text: str
    year: int
    month: int

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _year_month_day(match: re.Match[str]) -> tuple[int, int, int]:
    for prefix in ("long", "dot", "iso"):
        if match.group(f"{prefix}_y"):
            return (
                int(match.group(f"{prefix}_y")),
                int(match.group(f"{prefix}_m")),
                int(match.group(f"{prefix}_d")),
            )
    # ’25: the apostrophe stands for the century; agreements of public bodies date from 2000 on.
    return 2000 + int(match.group("short_y")), int(match.group("short_m")), int(match.group("short_d"))


def find_days(text: str) -> list[DayFound]:
    """Every day printed in ``text``, in order; impossible ones kept (``day=None``) so callers can say so."""
    found = []
    for match in _DAY.finditer(text):
        year, month, day = _year_month_day(match)
        try:
            value: dt.date | None = dt.date(year, month, day)
        except ValueError:
            value = None
        found.append(DayFound(match.start(), match.end(), match.group(0), value, match.group("weekday")))
    return found


def find_months(text: str) -> list[MonthFound]:
    """Every month printed without a day (``2025년 12월``, ``2025. 12.``), in order.

    >>> [found.iso for found in find_months("유효 기간은 2025년 12월까지로 한다")]
    ['2025-12']
    """
    found = []
    days = [(day.start, day.end) for day in find_days(text)]
    for match in _MONTH.finditer(text):
        if any(start <= match.start() < end for start, end in days):
            continue  # the year and month of a full day, not a month on its own
        prefix = next(p for p in ("long", "dot", "iso") if match.group(f"{p}_y"))
        year, month = int(match.group(f"{prefix}_y")), int(match.group(f"{prefix}_m"))
        if 1 <= month <= 12:
            found.append(MonthFound(match.start(), match.end(), match.group(0), year, month))
    return found


def read_day(text: str) -> dt.date:
    """Exactly one day in any style of the module doc, nothing else around it but spaces.

    >>> read_day("’25. 8. 29.(금)")
    datetime.date(2025, 8, 29)
    >>> read_day("2025년 2월 30일")
    Traceback (most recent call last):
    ...
    obligations.extract.korean_dates.KoreanDateError: '2025년 2월 30일' is not a day of the calendar
    """
    stripped = text.strip()
    found = find_days(stripped)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(stripped):
        raise KoreanDateError(f"expected one date such as {EXAMPLES}; got: {text!r}")
    day = found[0].day
    if day is None:
        raise KoreanDateError(f"{stripped!r} is not a day of the calendar")
    if not found[0].weekday_agrees:
        raise KoreanDateError(f"{stripped!r}: {day.isoformat()} is a {WEEKDAYS[day.weekday()]}요일")
    return day


def print_day(day: dt.date, style: DayStyle, *, weekday: bool = False) -> str:
    """``day`` as a Korean document prints it; the inverse of :func:`read_day`.

    >>> print_day(dt.date(2025, 8, 29), DayStyle.SHORT, weekday=True)
    '’25. 8. 29.(금)'
    """
    if style is DayStyle.SHORT and not 2000 <= day.year <= 2099:
        raise KoreanDateError(f"’YY names a year from 2000 to 2099; got {day.year}")
    text = {
        DayStyle.LONG: f"{day.year}년 {day.month}월 {day.day}일",
        DayStyle.DOTTED: f"{day.year}. {day.month}. {day.day}.",
        DayStyle.COMPACT: f"{day.year}.{day.month}.{day.day}.",
        DayStyle.SHORT: f"’{day.year % 100:02d}. {day.month}. {day.day}.",
        DayStyle.ISO: day.isoformat(),
    }[style]
    return f"{text}({WEEKDAYS[day.weekday()]})" if weekday else text
