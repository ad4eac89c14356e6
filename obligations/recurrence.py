"""Recurring duties (매월, 매 분기, 매 반기, 매년, 격년): calendar periods, labels and each occurrence's due.

A duty written ``schedule: {every: quarter, due: end+15d}`` is owed once per calendar period — quarters are
January–March, April–June, …; half-years January–June and July–December; multi-year periods (``2y``,
``3y``) start on 1 January of the year the agreement's first term starts. A period is named by a label:

=========  ============  ===========================================
every      label         period
=========  ============  ===========================================
month      ``2025-07``   July 2025
quarter    ``2025-Q3``   2025-07-01 to 2025-09-30
half-year  ``2025-H2``   2025-07-01 to 2025-12-31
year       ``2025``      the calendar year 2025
2y         ``2025/2026`` 2025-01-01 to 2026-12-31
3y         ``2025``      2025-01-01 to 2027-12-31 (named by its first year)
=========  ============  ===========================================

A term of the agreement (the period a role without ``evidence_every`` is expected once in) is named by its
first and last days, as an ISO 8601 interval: ``2025-01-01/2025-12-31`` (:func:`term_label`).

The due day of an occurrence is first the nominal day its ``due`` names (:func:`nominal_due`, always on or
after the period's last day: a report on a period follows it), then an act deadline: 민법 제161조 moves a
Saturday or public holiday to the next working day (:func:`occurrence_due`). Everything here is pure;
periods are numbered from the anchor year's January so that ranges of periods are found by arithmetic,
never by walking the calendar.

>>> period = period_of_label("quarter", 2025, "2025-Q3")
>>> period.start, period.end
(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
>>> nominal_due(period, Due.parse("end+15d")).date
datetime.date(2025, 10, 15)
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, get_args

from obligations.dates import Derived, Step, act_deadline, term_end
from obligations.duration import Duration
from obligations.workdays import WorkdayCalendar

Every = Literal["month", "quarter", "half-year", "year", "2y", "3y"]
EVERY: tuple[Every, ...] = get_args(Every)
MONTHS: dict[Every, int] = {"month": 1, "quarter": 3, "half-year": 6, "year": 12, "2y": 24, "3y": 36}
YEAR_LIKE: tuple[Every, ...] = ("year", "2y", "3y")
EVERY_KO: dict[Every, str] = {
    "month": "매월",
    "quarter": "매 분기",
    "half-year": "매 반기",
    "year": "매년",
    "2y": "격년(2년마다)",
    "3y": "3년마다",
}
LABEL_EXAMPLES: dict[Every, str] = {
    "month": "2025-07",
    "quarter": "2025-Q3",
    "half-year": "2025-H2",
    "year": "2025",
    "2y": "2025/2026",
    "3y": "2025",
}
EVERY_EXAMPLE = "every: quarter"
DUE_EXAMPLE = "due: end+15d"
MAX_DAYS_AFTER_END = 366
FIRST_YEAR, LAST_YEAR = 1000, 9990  # leaves room for a 3-year period and a due after it before date.max

_LABEL = re.compile(
    r"(?P<year>\d{4})(?:-Q(?P<quarter>\d+)|-H(?P<half>\d+)|-(?P<month>\d{2})|/(?P<next>\d{4}))?"
)
_TERM_LABEL = re.compile(r"(?P<start>\d{4}-\d{2}-\d{2})/(?P<end>\d{4}-\d{2}-\d{2})")
TERM_LABEL_EXAMPLE = "2025-01-01/2025-12-31"
_AFTER_END = re.compile(r"end\s*\+\s*(?P<days>\d+)\s*d")
_DAY_OF_YEAR = re.compile(r"(?P<month>\d{2})-(?P<day>\d{2})")
_DAY_OF_MONTH = re.compile(r"\d{1,2}")


class RecurrenceError(ValueError):
    """A schedule or a period label that cannot be read; the message quotes it and shows a good one."""


# -- periods --------------------


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period of a schedule; ``number`` 0 is the first period of the anchor year."""

    number: int
    every: Every
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        return {
            "month": f"{year}-{month:02d}",
            "quarter": f"{year}-Q{(month - 1) // 3 + 1}",
            "half-year": f"{year}-H{(month - 1) // 6 + 1}",
            "year": f"{year}",
            "2y": f"{year}/{year + 1}",
            "3y": f"{year}",
        }[self.every]

    def korean(self) -> str:
        """The period as a Korean reader names it: ``2025년 3분기``, ``2025년 하반기``, ``2025~2026년``."""
        year, month = self.start.year, self.start.month
        return {
            "month": f"{year}년 {month}월",
            "quarter": f"{year}년 {(month - 1) // 3 + 1}분기",
            "half-year": f"{year}년 {'상' if month <= 6 else '하'}반기",
            "year": f"{year}년",
            "2y": f"{year}~{year + 1}년",
            "3y": f"{year}~{year + 2}년",
        }[self.every]


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def period(every: Every, anchor_year: int, number: int) -> Period:
    """The ``number``-th period of a schedule whose periods are counted from January of ``anchor_year``.

    >>> period("2y", 2025, 1).label
    '2027/2028'
    """
    size = MONTHS[every]
    first = anchor_year * 12 + number * size
    last = first + size - 1
    start = dt.date(first // 12, first % 12 + 1, 1)
    end = dt.date(last // 12, last % 12 + 1, gregorian.monthrange(last // 12, last % 12 + 1)[1])
    return Period(number, every, start, end)


def period_containing(every: Every, anchor_year: int, day: dt.date) -> Period:
    """The period of the schedule that ``day`` falls in.

    >>> period_containing("half-year", 2025, dt.date(2025, 11, 3)).label
    '2025-H2'
    """
    return period(every, anchor_year, (_month_index(day) - anchor_year * 12) // MONTHS[every])


def last_period_ending_by(every: Every, anchor_year: int, day: dt.date) -> int:
    """The number of the last period that ends on or before ``day``."""
    holding = period_containing(every, anchor_year, day)
    return holding.number if holding.end == day else holding.number - 1


# -- labels --------------------


def _label_kinds(text: str) -> tuple[tuple[Every, ...], int, int]:
    """What a label's form can name: the schedules it fits, the first year and the first month."""
    match = _LABEL.fullmatch(text)
    if match is None:
        raise RecurrenceError(
            f"expected a period such as 2025 (a year), 2025-H1, 2025-Q3, 2025-07 (a month), 2025/2026 "
            f"(two years) or {TERM_LABEL_EXAMPLE} (a term, for a role); got: {text!r}"
        )
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise RecurrenceError(f"the year of period {text!r} is out of range; e.g. 2025-Q3")
    if match["quarter"] is not None:
        if not 1 <= int(match["quarter"]) <= 4:
            raise RecurrenceError(f"a year has quarters Q1 to Q4; got: {text!r} (e.g. {year}-Q4)")
        return ("quarter",), year, 3 * int(match["quarter"]) - 2
    if match["half"] is not None:
        if not 1 <= int(match["half"]) <= 2:
            raise RecurrenceError(f"a year has halves H1 and H2; got: {text!r} (e.g. {year}-H2)")
        return ("half-year",), year, 6 * int(match["half"]) - 5
    if match["month"] is not None:
        if not 1 <= int(match["month"]) <= 12:
            raise RecurrenceError(f"a year has months 01 to 12; got: {text!r} (e.g. {year}-12)")
        return ("month",), year, int(match["month"])
    if match["next"] is not None:
        if int(match["next"]) != year + 1:
            raise RecurrenceError(
                f"a two-year period names two years in a row; got: {text!r} (e.g. {year}/{year + 1}; "
                f"a three-year period is named by its first year alone, e.g. {year})"
            )
        return ("2y",), year, 1
    return ("year", "3y"), year, 1


def term_label(start: dt.date, end: dt.date) -> str:
    """The period naming a term: its first and last days.

    >>> term_label(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    '2025-01-01/2025-12-31'
    """
    return f"{start.isoformat()}/{end.isoformat()}"


def term_of_label(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last days a term period names, or None when ``text`` is not written as one.

    >>> term_of_label("2025-01-01/2025-12-31")
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    >>> term_of_label("2025-H2") is None
    True
    """
    match = _TERM_LABEL.fullmatch(text)
    if match is None:
        return None
    try:
        start, end = dt.date.fromisoformat(match["start"]), dt.date.fromisoformat(match["end"])
    except ValueError as error:
        raise RecurrenceError(
            f"a term period names two real days, e.g. {TERM_LABEL_EXAMPLE}; got: {text!r}"
        ) from error
    if end < start:
        raise RecurrenceError(
            f"a term period ends on or after its first day, e.g. {TERM_LABEL_EXAMPLE}; got: {text!r}"
        )
    return start, end


def check_label(text: str) -> str:
    """A period label as written in an event, checked for its form only (the schedule or the terms are
    checked later): a recurring duty's period, or a term's (``2025-01-01/2025-12-31``).

    >>> check_label("2025-Q5")
    Traceback (most recent call last):
    ...
    obligations.recurrence.RecurrenceError: a year has quarters Q1 to Q4; got: '2025-Q5' (e.g. 2025-Q4)
    """
    if term_of_label(text) is None:
        _label_kinds(text)
    return text


def period_of_label(every: Every, anchor_year: int, text: str) -> Period:
    """The period of a schedule that ``text`` names; a label of another kind or off the schedule's rhythm
    (``2026/2027`` when the two-year periods start in 2025) is refused with an example of a good one."""
    kinds, year, month = _label_kinds(text)
    found = period_containing(every, anchor_year, dt.date(year, month, 1))
    if every not in kinds:
        raise RecurrenceError(
            f"this duty recurs every {every} ({EVERY_KO[every]}); name its period like {found.label!r}, "
            f"not {text!r}"
        )
    if found.start != dt.date(year, month, 1):
        following = anchor_year + MONTHS[every] // 12
        raise RecurrenceError(
            f"the {every} periods of this duty start in {anchor_year}, {following}, …; {text!r} is not one "
            f"of them (e.g. {found.label!r})"
        )
    return found


# -- due days --------------------


DueKind = Literal["end", "after-end", "day-of-year", "day-of-month"]


@dataclass(frozen=True)
class Due:
    """When each occurrence falls due, as the schedule's ``due`` writes it.

    >>> [str(Due.parse(text)) for text in ("end", "end+15d", "12-31", 10)]
    ['end', 'end+15d', '12-31', '10']
    """

    kind: DueKind
    days: int = 0  # after-end: days after the period's last day
    month: int = 0  # day-of-year
    day: int = 0  # day-of-year, day-of-month

    @classmethod
    def parse(cls, value: object) -> Due:
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if text == "end":
            return cls("end")
        if match := _AFTER_END.fullmatch(text):
            days = int(match["days"])
            if not 1 <= days <= MAX_DAYS_AFTER_END:
                raise RecurrenceError(
                    f"'end+Nd' counts 1 to {MAX_DAYS_AFTER_END} days after the period ends; got: {text!r} "
                    f"(e.g. {DUE_EXAMPLE!r})"
                )
            return cls("after-end", days=days)
        if match := _DAY_OF_YEAR.fullmatch(text):
            month, day = int(match["month"]), int(match["day"])
            if not 1 <= month <= 12 or not 1 <= day <= gregorian.monthrange(2000, month)[1]:
                raise RecurrenceError(f"{text!r} is not a day of the year; e.g. 'due: 12-31' (MM-DD)")
            return cls("day-of-year", month=month, day=day)
        if _DAY_OF_MONTH.fullmatch(text):
            if not 1 <= int(text) <= 31:
                raise RecurrenceError(f"a day of the month is 1 to 31; got: {text!r} (e.g. 'due: 10')")
            return cls("day-of-month", day=int(text))
        raise RecurrenceError(
            "expected the due day of each occurrence, e.g. 'end' (the period's last day), 'end+15d' (15 "
            "days after it), '12-31' (a day of the year, for yearly periods) or '10' (a day of the month, "
            f"for monthly ones); got: {value!r}"
        )

    def __str__(self) -> str:
        return {
            "end": "end",
            "after-end": f"end+{self.days}d",
            "day-of-year": f"{self.month:02d}-{self.day:02d}",
            "day-of-month": f"{self.day}",
        }[self.kind]

    def korean(self) -> str:
        return {
            "end": "기간의 말일",
            "after-end": f"기간 종료 후 {self.days}일 이내",
            "day-of-year": f"기간 종료 후 {self.month}월 {self.day}일까지",
            "day-of-month": f"다음 달 {self.day}일까지",
        }[self.kind]

    def fits(self, every: Every) -> str | None:
        """Why this due does not fit a schedule of ``every`` (None when it does)."""
        if self.kind == "day-of-year" and every not in YEAR_LIKE:
            return (
                f"'due: {self}' names a day of the year; it fits yearly schedules (year, 2y, 3y), not "
                f"'every: {every}' — e.g. 'due: end+15d'"
            )
        if self.kind == "day-of-month" and every != "month":
            return (
                f"'due: {self}' names a day of the month; it fits 'every: month', not 'every: {every}' — "
                f"e.g. 'due: end+15d'"
            )
        return None


END = Due("end")


def _clamped(year: int, month: int, day: int) -> tuple[dt.date, bool]:
    """Day ``day`` of the month, or the month's last day when it is shorter (and whether it was)."""
    last = gregorian.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last)), day > last


def _named_day(end: dt.date, due: Due) -> tuple[dt.date, bool]:
    """The day ``due`` names (``MM-DD`` or ``DD``) for a period ending on ``end``, and whether it was clamped:
    the first ``MM-DD`` on or after ``end``; day ``DD`` of the month after ``end``."""
    if due.kind == "day-of-year":
        day, clamped = _clamped(end.year, due.month, due.day)
        return (day, clamped) if day >= end else _clamped(end.year + 1, due.month, due.day)
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    return _clamped(year, month, due.day)


def nominal_due(occurrence: Period, due: Due, *, clause: str | None = None) -> Derived:
    """The day ``due`` names for ``occurrence``, before 민법 제161조 moves it off a closed day.

    Every form falls on or after the period's last day: ``end`` is that day; ``end+Nd`` counts N days from
    it, that day not counted (민법 제157조); ``MM-DD`` is the first such day on or after it (``12-31`` is the
    last day of a yearly period itself; the 2025 occurrence of ``03-31`` is due 2026-03-31); ``DD`` is that
    day of the following month (매월 10일까지 전월분: July's occurrence is due 10 August). Either is the
    month's last day where the month is shorter (민법 제160조 제3항 준용).

    >>> nominal_due(period("month", 2026, 0), Due.parse(30)).date  # January's: no 30 February
    datetime.date(2026, 2, 28)
    """
    where = f"{clause}: " if clause else ""
    intro = Step(
        f"{where}{EVERY_KO[occurrence.every]} 반복, 기한 '{due.korean()}' — 이번 회차 {occurrence.label} "
        f"({occurrence.korean()}: {occurrence.start}~{occurrence.end})",
        f"{where}recurs every {occurrence.every}, due '{due}' — this occurrence: {occurrence.label} "
        f"({occurrence.start} to {occurrence.end})",
    )
    if due.kind == "after-end":
        counted = term_end(occurrence.end, Duration(days=due.days))
        return Derived(counted.date, (intro, *counted.steps))
    if due.kind == "end":
        day = occurrence.end
        return Derived(day, (intro, Step(f"기한: 기간의 말일 {day}", f"due on the period's last day, {day}")))
    day, clamped = _named_day(occurrence.end, due)
    if due.kind == "day-of-year":
        named = Step(
            f"기간의 말일({occurrence.end}) 이후 처음 오는 {due.month}월 {due.day}일",
            f"the first {due} on or after the period's last day ({occurrence.end})",
        )
    else:
        named = Step(
            f"기간이 끝난 다음 달의 {due.day}일",
            f"day {due.day} of the month after the period ({occurrence.end})",
        )
    steps = [named]
    if clamped:
        steps.append(
            Step(
                f"{day.year}년 {day.month}월에는 {due.day}일이 없으므로 그 월의 말일 "
                "(민법 제160조 제3항 준용)",
                f"{day.year}-{day.month:02d} has no day {due.day}: its last day "
                "(Civil Act art. 160(3) applied)",
            )
        )
    steps.append(Step(f"정해진 기한: {day.isoformat()}", f"due day as stated: {day.isoformat()}"))
    return Derived(day, (intro, *steps))


def occurrence_due(
    occurrence: Period, due: Due, calendar: WorkdayCalendar, *, clause: str | None = None
) -> Derived:
    """The deadline to act for ``occurrence``: its nominal day, moved to the next working day (민법 제161조).

    >>> q3 = period_of_label("quarter", 2025, "2025-Q3")  # 10-07 추석, 10-08 대체공휴일, 10-09 한글날
    >>> occurrence_due(q3, Due.parse("end+7d"), WorkdayCalendar()).date
    datetime.date(2025, 10, 10)
    """
    return act_deadline(nominal_due(occurrence, due, clause=clause), calendar)
