"""Recurring duties: how often a role recurs and by when each time, as an obligation's ``schedule``.

The case file's ``schedule: {every, due}`` names the calendar period and the day in it by which the duty is
due. Read from the role's own text:

========================================== ============ =============
phrase                                     every        due
========================================== ============ =============
``매월``, ``매달``, ``월별``                  month
``매 분기``, ``분기별``, ``분기마다``           quarter
``매 반기``, ``반기별``, ``반기마다``           half-year
``매년``, ``해마다``, ``연 1회``               year
``격년``, ``2년마다``                         2y
``3년마다``                                  3y
``… 종료 후 15일 이내``                                    end+15d
``매년 2월 15일까지``                                      02-15
``매년 2월 말일까지``                                       02-29 (the last day of February)
``… 종료 후 익월 10일까지``, ``다음 분기 첫 달 10일까지``       end+10d
``매월 10일까지``                                          10
``매월 말일까지``, ``분기 말까지``                          end
``매 분기 시작 전까지`` (the next period's plan)             end
========================================== ============ =============

A period without a due day is drafted with ``# TODO: due``; nothing is guessed.

>>> found = read_schedule("사업 실적을 매 분기 종료 후 15일 이내에 보고", 7)
>>> found.every.value, found.due.value if found.due else None
('quarter', 'end+15d')
>>> read_schedule("프로그램 운영", 7) is None
True

A duty that does not recur may be due once, by a day it prints (``2025. 12. 31.까지 결과보고서 제출``): the
obligation's ``due``.

>>> read_due("2025. 12. 31.까지 결과보고서 제출", 9).value
'2025-12-31'
"""

from __future__ import annotations

import calendar
import re

from obligations.extract.found import Cited, ScheduleFound, Todo
from obligations.extract.korean_dates import find_days

_EVERY = (
    (re.compile(r"격년|(?<!\d)2\s*년\s*마다"), "2y"),
    (re.compile(r"(?<!\d)3\s*년\s*마다"), "3y"),
    (re.compile(r"매\s*분기|분기\s*별|분기\s*마다"), "quarter"),
    (re.compile(r"매\s*반기|반기\s*별|반기\s*마다"), "half-year"),
    (re.compile(r"매\s*월|매달|월\s*별|달\s*마다"), "month"),
    (re.compile(r"매\s*년|해\s*마다|연\s*1\s*회|연도\s*별"), "year"),
)
_AFTER_END = re.compile(
    r"(?:종료|마감|말일?)\s*(?:일\s*)?(?:후|로부터|부터)\s*(?P<n>\d{1,3})\s*일\s*(?:이내|까지|안에)"
)
# "매년 1월 31일까지", "매년 2월 말일까지" (that month's last day: 02-29, which a short February
# ends on the 28th)
_DAY_OF_YEAR = re.compile(
    r"매\s*년\s*(?P<month>\d{1,2})\s*월\s*(?:(?P<day>\d{1,2})\s*일|(?P<last>말일?))\s*까지"
)
# "매 분기 종료 후 익월 10일까지", "다음 분기 첫 달 15일까지": that day of the month after the period, N days
# after its last day.
_NEXT_MONTH = re.compile(
    r"(?:익월|다음\s*달|다음\s*(?:분기|반기|연도|해)\s*(?:의\s*)?첫\s*(?:달|월))\s*(?P<n>\d{1,2})\s*일\s*까지"
)
_DAY_OF_MONTH = re.compile(r"매\s*(?:월|달)\s*(?P<day>\d{1,2})\s*일\s*까지")
_AT_END = re.compile(r"(?:말일|말)\s*까지")
# "매 분기 시작 전까지 분기별 계획 제출": due before the next period starts, the last day of each period.
_BEFORE_START = re.compile(r"(?:시작|개시)\s*(?:일\s*)?(?:전|이전)\s*(?:까지|에)")


def read_schedule(text: str, line: int) -> ScheduleFound | None:
    """The schedule the role ``text`` (on ``line``) states, or None when it does not recur."""
    every = next(((key, match) for pattern, key in _EVERY if (match := pattern.search(text))), None)
    if every is None:
        return None
    key, match = every
    found = ScheduleFound(every=Cited(key, line, f"“{match.group(0)}”"))
    if (match := _DAY_OF_YEAR.search(text)) and key == "year":
        month = int(match["month"])
        day = int(match["day"]) if match["day"] else calendar.monthrange(2024, month)[1]  # a leap year
        found.due = Cited(f"{month:02d}-{day:02d}", line, f"“{match.group(0)}”")
    elif (match := _DAY_OF_MONTH.search(text)) and key == "month":
        found.due = Cited(f"{int(match['day']):02d}", line, f"“{match.group(0)}”")
    elif (match := _AFTER_END.search(text)) or (match := _NEXT_MONTH.search(text)):
        found.due = Cited(f"end+{int(match['n'])}d", line, f"“{match.group(0)}”: days after the period ends")
    elif match := _AT_END.search(text):
        found.due = Cited("end", line, f"“{match.group(0)}”: the period's last day")
    elif match := _BEFORE_START.search(text):
        found.due = Cited(
            "end", line, f"“{match.group(0)}”: before the next period starts, the last day of each period"
        )
    else:
        found.todos.append(
            Todo(
                "due",
                "the text says how often but not by when: end, end+Nd (days after the period), "
                "MM-DD (each year) or DD (each month)",
            )
        )
    return found


# "2025. 12. 31.까지 결과보고서 제출", "2025년 12월 31일까지 제출": the day a one-off duty is due by.
_BY_THE_DAY = re.compile(r"\s*(?:\([^()]{1,3}\)\s*)?(?:까지|이내에|이내|안에)")


def read_due(text: str, line: int) -> Cited[str] | None:
    """The one day the role ``text`` is due by (``… 2025. 12. 31.까지``), or None."""
    for day in find_days(text):
        if day.day is not None and day.weekday_agrees and _BY_THE_DAY.match(text, day.end):
            return Cited(day.day.isoformat(), line, f"“{day.text}까지”: due once, by that day")
    return None
