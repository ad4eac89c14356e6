"""Periods and deadlines as the Korean Civil Act counts them (민법 제155조–제161조), each with its derivation.

Every function here is pure and returns a :class:`Derived`: the date and the steps that made it, in Korean and
English, ending with a line that states the date. The policy is docs/dates.md:

- Forward periods (초일 불산입, 제157조): the first day is not counted unless the period starts
  at 00:00 or the agreement says it counts (제155조). Months and years run by the calendar
  (제160조 ①): the period ends the day before the corresponding day of the last month (②), at the
  end of the last month when it was counted from the first of a month (②), or on the last day of
  a month that has no corresponding day (③).
- Deadlines to act (제161조): a last day on a Saturday or a public holiday moves to the next working day.
  Term ends are not moved; :func:`act_deadline` is applied only where something must be done.
- Backward deadlines (역산, "만료 1개월 전까지") are never moved later: the legal deadline is the day
  before the day that lies the lead before the expiry (the ministries' reading), and the act-by date
  is the last working day on or before it. Where month ends allow two readings the earlier is taken.
- Renewals are anchored on the day after the original term's end, so that no renewal drifts.

>>> term_end(dt.date(2025, 2, 28), Duration(months=1)).date
datetime.date(2025, 3, 31)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from obligations.bounds import DAY_RANGE, EARLIEST, LATEST, day_in_range
from obligations.duration import Duration
from obligations.workdays import WEEKEND_NAMES, WorkdayCalendar

ONE_DAY = dt.timedelta(days=1)
DAY_EXAMPLE = "2025-02-25"
MONTH_EXAMPLE = "2025-12"
WEEKDAYS_KO = "월화수목금토일"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKEND_NAMES_EN = {5: "Saturday", 6: "Sunday"}
LANGUAGES = ("ko", "en")
AMBIGUITY_KO = "다른 해석"
"""Every step that names a reading not taken contains these words."""

_DAY_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


class DateInputError(ValueError):
    """A date that cannot be read; the message quotes it and gives an example of a good one."""


# -- derivations --------------------


@dataclass(frozen=True)
class Step:
    """One printable line of a derivation, in Korean and in English."""

    ko: str
    en: str


@dataclass(frozen=True)
class Derived:
    """A computed date with the steps that made it; the last step states the date (checked on creation).

    >>> step = Step("법정 통지 기한: 2025-11-30", "legal deadline: 2025-11-30")
    >>> Derived(dt.date(2025, 11, 30), (step,)).lines("en")
    ['legal deadline: 2025-11-30']
    """

    date: dt.date
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        iso = self.date.isoformat()
        if not self.steps or iso not in self.steps[-1].ko or iso not in self.steps[-1].en:
            raise ValueError(f"a derivation must end with a step that states its date {iso}")

    def lines(self, lang: str = "ko") -> list[str]:
        """The steps as text in ``lang`` ('ko' or 'en'); the last line states the date (ISO)."""
        if lang not in LANGUAGES:
            raise ValueError(f"expected a language such as ko or en; got: {lang!r}")
        return [step.ko if lang == "ko" else step.en for step in self.steps]


def _day(day: dt.date) -> str:
    """``2025-11-30(일)``: the ISO date with its weekday, as a Korean reader checks it."""
    return f"{day.isoformat()}({WEEKDAYS_KO[day.weekday()]})"


def _day_en(day: dt.date) -> str:
    return f"{day.isoformat()} ({WEEKDAYS_EN[day.weekday()]})"  # strftime's %a, without its cost


def _clause(clause: str | None) -> tuple[str, str]:
    return (f" [{clause}]", f" [{clause}]") if clause else ("", "")


# -- named policies --------------------


@dataclass(frozen=True)
class FirstDayRule:
    """Whether the first day of a forward period is counted, and the article that says so."""

    offset_days: int  # the first counted day is the start plus this many days
    ko: str
    en: str


# 민법 제157조 본문: 기간을 일, 주, 월 또는 연으로 정한 때에는 기간의 초일은 산입하지 아니한다.
FIRST_DAY_EXCLUDED = FirstDayRule(
    1,
    "민법 제157조 초일 불산입: 첫날 {start}은 세지 않고 다음 날 {first}부터 계산",
    "Civil Act art. 157 (first day not counted): counting starts the next day, {first}",
)
# 민법 제157조 단서: 그러나 그 기간이 오전 영시로부터 시작하는 때에는 그러하지 아니하다.
FIRST_DAY_FROM_MIDNIGHT = FirstDayRule(
    0,
    "민법 제157조 단서: 오전 0시부터 시작하므로 첫날 {first}부터 계산",
    "Civil Act art. 157 proviso: the period starts at 00:00, so counting starts on {first}",
)
# 민법 제155조: 법령, 재판상의 처분 또는 법률행위에 다른 정한 바가 있으면 그에 따른다.
FIRST_DAY_AGREED = FirstDayRule(
    0,
    "민법 제155조: 협약이 첫날을 산입한다고 정하므로 {first}부터 계산",
    "Civil Act art. 155: the agreement counts the first day, so counting starts on {first}",
)


def first_day_rule(*, starts_at_midnight: bool, first_day_counts: bool) -> FirstDayRule:
    """The rule for the first day: the agreement's own rule (제155조) before the 00:00 proviso (제157조)."""
    if first_day_counts:
        return FIRST_DAY_AGREED
    return FIRST_DAY_FROM_MIDNIGHT if starts_at_midnight else FIRST_DAY_EXCLUDED


@dataclass(frozen=True)
class RollPolicy:
    """Which way a deadline moves off a day the offices are closed, and why."""

    direction: int  # +1: to the next working day; -1: to the previous one
    ko: str
    en: str
    result_ko: str
    result_en: str


# 민법 제161조: 기간의 말일이 토요일 또는 공휴일에 해당한 때에는 기간은 그 익일로 만료한다.
NEXT_WORKDAY = RollPolicy(
    +1,
    "민법 제161조: 기간의 말일이 토요일 또는 공휴일(일요일 포함)이면 그 다음 날로 만료",
    "Civil Act art. 161: a last day on a Saturday or a public holiday moves to the next day",
    "행위 기한(민법 제161조 적용): {day}",
    "deadline to act (Civil Act art. 161 applied): {day}",
)
# 역산한 기한에 제161조를 적용하면 기한이 늦어져 상대방의 준비 기간이 줄어든다: 앞당길 뿐 늦추지 않는다.
PREVIOUS_WORKDAY = RollPolicy(
    -1,
    "역산한 기한은 늦추지 않음(제161조를 적용하지 않음): 휴무일이면 그 전 근무일까지",
    "a deadline counted backward is never moved later (art. 161 not applied): closed days move it earlier",
    "실제 통지 기한(근무일): {day}",
    "act by (a working day): {day}",
)


def _roll(day: dt.date, calendar: WorkdayCalendar, policy: RollPolicy) -> tuple[dt.date, list[Step]]:
    """Move ``day`` off closed days in the policy's direction, naming each day passed over and why."""
    passed: list[Step] = []
    while (reason := calendar.closed_reason(day)) is not None:
        weekend_ko = WEEKEND_NAMES.get(day.weekday())
        weekend_en = WEEKEND_NAMES_EN.get(day.weekday())
        on_weekend = weekend_ko is not None and reason != weekend_ko
        passed.append(
            Step(
                f"{day.isoformat()} {reason}" + (f" ({weekend_ko})" if on_weekend else "") + " — 휴무일",
                f"{day.isoformat()} closed: {reason}" + (f" ({weekend_en})" if on_weekend else ""),
            )
        )
        day += policy.direction * ONE_DAY
    if not passed:
        return day, [
            Step(f"{_day(day)}은 근무일이므로 옮기지 않음", f"{_day_en(day)} is a working day; not moved")
        ]
    return day, [Step(policy.ko, policy.en), *passed]


# -- forward periods (민법 제156조, 제157조, 제160조) --------------------


def _last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _count_months(first: dt.date, months: int) -> tuple[dt.date, list[Step]]:
    """The end of a period of ``months`` calendar months whose first counted day is ``first`` (제160조).

    >>> _count_months(dt.date(2024, 2, 29), 12)[0]  # no 29 February in 2025: 제160조 제3항
    datetime.date(2025, 2, 28)
    """
    # The last month: the one holding the corresponding day; counted from the 1st, the month before it.
    year, month = _shift_month(first.year, first.month, months - (first.day == 1))
    count = Step(
        f"민법 제160조 제1항: {months}개월을 역(曆)에 따라 계산 — 최후의 월은 {year}년 {month}월",
        f"Civil Act art. 160(1): {months} month(s) by the calendar; the last month is {year}-{month:02d}",
    )
    last_of_month = _last_day_of_month(year, month)
    if first.day == 1:
        # 제160조 제2항 반대해석: 월(연)의 처음부터 기산하면 최후의 월의 말일로 만료한다.
        end = last_of_month
        return end, [
            count,
            Step(
                f"민법 제160조 제2항: 기산일 {first}이 월의 처음이므로 최후의 월의 말일 {end}에 만료",
                f"Civil Act art. 160(2): counted from the first of a month, it ends at month end, {end}",
            ),
        ]
    if first.day > last_of_month.day:
        # 제160조 제3항: 최종의 월에 해당일이 없는 때에는 그 월의 말일로 기간이 만료한다.
        return last_of_month, [
            count,
            Step(
                f"민법 제160조 제3항: {year}년 {month}월에는 기산일에 해당한 {first.day}일이 없으므로 "
                f"그 월의 말일 {last_of_month}에 만료",
                f"Civil Act art. 160(3): {year}-{month:02d} has no day {first.day}, so the period ends on "
                f"the last day of that month, {last_of_month}",
            ),
        ]
    corresponding = dt.date(year, month, first.day)
    end = corresponding - ONE_DAY
    return end, [
        count,
        Step(
            f"민법 제160조 제2항: 최후의 월에서 기산일에 해당한 날 {corresponding}의 전날 {end}에 만료",
            f"Civil Act art. 160(2): it ends the day before the corresponding day {corresponding}, on {end}",
        ),
    ]


def _count_days(first: dt.date, days: int, length: Duration) -> tuple[dt.date, Step]:
    """The ``days``-th day counting ``first`` as day one (제156조, 제157조; a week is 7 days, 제160조)."""
    end = first + (days - 1) * ONE_DAY
    article = "민법 제160조(주는 7일)" if length.weeks else "민법 제157조"
    return end, Step(
        f"{article}: {first}부터 세어 {days}일째 되는 날 {end}",
        f"Civil Act art. {160 if length.weeks else 157}: day {days} counting from {first} is {end}",
    )


def term_end(
    start: dt.date,
    length: Duration,
    *,
    starts_at_midnight: bool = False,
    first_day_counts: bool = False,
    clause: str | None = None,
) -> Derived:
    """The last day of a period of ``length`` that starts on ``start``, by 민법 제157조 and 제160조.

    Years and months are counted first, by the calendar; weeks and days are then added one by one.
    The end is reported as computed: 제161조 is for deadlines to act (see :func:`act_deadline`).

    >>> term_end(dt.date(2025, 2, 28), Duration(months=1)).date  # counted from 03-01: the end of March
    datetime.date(2025, 3, 31)
    >>> term_end(dt.date(2024, 2, 28), Duration(years=1)).date  # 2025-02-29 does not exist: 제160조 ③
    datetime.date(2025, 2, 28)
    >>> term_end(dt.date(2023, 2, 28), Duration(years=1)).date  # counted from 2023-03-01: the end of February
    datetime.date(2024, 2, 29)
    >>> term_end(dt.date(2025, 2, 25), Duration(years=1)).date  # the day before the corresponding 02-26
    datetime.date(2026, 2, 25)
    """
    if length.is_zero:
        raise ValueError(f"a period must be longer than zero; got: {str(length)!r}")
    rule = first_day_rule(starts_at_midnight=starts_at_midnight, first_day_counts=first_day_counts)
    first = start + rule.offset_days * ONE_DAY
    clause_ko, clause_en = _clause(clause)
    steps = [
        Step(
            f"기간의 시작: {_day(start)}, 기간 {length.korean()}{clause_ko}",
            f"the period starts on {_day_en(start)}, length {length}{clause_en}",
        ),
        Step(rule.ko.format(start=start, first=first), rule.en.format(start=start, first=first)),
    ]
    end = first - ONE_DAY  # the day before counting starts: nothing counted yet
    if length.total_months:
        end, month_steps = _count_months(first, length.total_months)
        steps.extend(month_steps)
    if length.total_days:
        end, day_step = _count_days(end + ONE_DAY, length.total_days, length)
        steps.append(day_step)
    steps.append(Step(f"기간의 만료일: {_day(end)}", f"the period ends on {_day_en(end)}"))
    return Derived(end, tuple(steps))


def act_deadline(nominal: Derived, calendar: WorkdayCalendar) -> Derived:
    """The deadline to act when the last day of a period is ``nominal`` (민법 제161조).

    A Saturday, Sunday or public holiday moves it to the next day, as often as needed; each day passed over is
    named: 2026-01-30 + 1 month ends on Saturday 2026-02-28 and the deadline is Tuesday 2026-03-03, past
    삼일절 (Sunday 03-01) and its substitute day (03-02).
    """
    day, steps = _roll(nominal.date, calendar, NEXT_WORKDAY)
    result = Step(
        NEXT_WORKDAY.result_ko.format(day=_day(day)), NEXT_WORKDAY.result_en.format(day=_day_en(day))
    )
    return Derived(day, (*nominal.steps, *steps, result))


# -- backward deadlines (역산) --------------------


@dataclass(frozen=True)
class NoticeDeadline:
    """A deadline counted back from an expiry: the legal deadline, and the last working day on or before."""

    legal: Derived
    act_by: Derived


def _months_back(day: dt.date, months: int) -> tuple[dt.date, bool]:
    """The same day of the month ``months`` earlier, or that month's last day if it is shorter (clamped)."""
    year, month = _shift_month(day.year, day.month, -months)
    last = _last_day_of_month(year, month)
    return (last, True) if day.day > last.day else (dt.date(year, month, day.day), False)


# The official reading of "만료 N 전까지" (법무부 법무심의관·국토교통부 주택정책과, 주택임대차보호법 FAQ,
# 2020. 9. 14.): 초일불산입(민법 제157조)에 따라 만료일의 N 전에 해당하는 날의 0시 전까지 — expiry
# 2020-09-30, "1개월 전까지" → before 2020-08-30 00:00, i.e. by 2020-08-29. 상법 제363조 counts a notice
# "2주 전" of a meeting the same way (meeting 3/25 → by 3/10).
BACKWARD_BASIS_KO = "민법 제157조 준용(역산), 법무부·국토교통부 해석(주택임대차보호법 FAQ, 2020. 9. 14.)"
BACKWARD_BASIS_EN = (
    "Civil Act art. 157 applied backward, as the Ministry of Justice and the Ministry of Land read it "
    "(Housing Lease Protection Act FAQ, 2020-09-14)"
)


def lead_before(expiry: dt.date, lead: Duration) -> tuple[dt.date, bool]:
    """The day that lies ``lead`` before ``expiry``: weeks and days off first, then months and years by the
    calendar (the mirror of :func:`term_end`). Where that month has no corresponding day its last day stands
    in (민법 제160조 제3항 by analogy); the flag says so.

    >>> lead_before(dt.date(2025, 12, 31), Duration(months=1))
    (datetime.date(2025, 11, 30), True)
    """
    return _months_back(expiry - lead.total_days * ONE_DAY, lead.total_months)


def _legal_notice_day(expiry: dt.date, lead: Duration) -> tuple[dt.date, list[Step]]:
    """The legal deadline of a notice due "만료 ``lead`` 전까지": the day before the day ``lead`` before it.

    ``legal = (E − lead) − 1 day``. Where E − lead falls on a day the month lacks, the month's last day stands
    in; the other reading (the next month's first day stands in) is one day later, so it is named and never
    taken.
    """
    corresponding, clamped = lead_before(expiry, lead)
    legal = corresponding - ONE_DAY
    missing = (expiry - lead.total_days * ONE_DAY).day  # the day of the month that month lacks
    clamp_ko = f"(그 월에 {missing}일이 없어 말일, 민법 제160조 제3항 준용)" if clamped else ""
    clamp_en = f" (that month has no day {missing}: its last day, art. 160(3) by analogy)" if clamped else ""
    steps = [
        Step(
            f"{BACKWARD_BASIS_KO}: 만료일 {expiry}의 {lead.korean()} 전에 해당하는 날 {corresponding}"
            f"{clamp_ko}의 0시 전까지, 곧 그 전날 {legal}까지 통지해야 함",
            f"{BACKWARD_BASIS_EN}: the notice must arrive before 00:00 of {corresponding}, the day {lead} "
            f"before the expiry {expiry}{clamp_en}, i.e. by the day before, {legal}",
        )
    ]
    if clamped:
        other = corresponding + ONE_DAY  # the next month's first day
        steps.append(
            Step(
                f"월말 때문에 해석이 갈림 — {AMBIGUITY_KO}: 다음 달 첫날 {other}을 해당일로 보면 "
                f"{corresponding}까지이나, 늦춰 잡지 않고 더 이른 {legal}을 택함",
                f"month ends allow two readings — the other reading: taking the next month's first day, "
                f"{other}, as the corresponding day gives {corresponding}; the earlier {legal} is taken",
            )
        )
    return legal, steps


def notice_deadline(
    expiry: dt.date, lead: Duration | None, calendar: WorkdayCalendar, *, clause: str | None = None
) -> NoticeDeadline:
    """The deadline for a notice due "만료 ``lead`` 전까지" (역산), and the working day to act by.

    The legal deadline is the day before the day that lies ``lead`` before the expiry (the ministries'
    reading of 민법 제157조 counted backward; see :func:`_legal_notice_day`). It is never moved later:
    ``act_by`` is the last working day on or before it. With no lead stated the notice is due by the last
    day of the term.

    >>> deadline = notice_deadline(dt.date(2025, 12, 31), Duration(months=1), WorkdayCalendar())
    >>> deadline.legal.date, deadline.act_by.date  # 11-29 is a Saturday
    (datetime.date(2025, 11, 29), datetime.date(2025, 11, 28))
    """
    clause_ko, clause_en = _clause(clause)
    if lead is None or lead.is_zero:
        legal = expiry
        steps = [
            Step(
                f"통지 기간이 정해져 있지 않음: 기간의 말일 {_day(expiry)}까지{clause_ko}",
                f"no notice period stated: due by the last day of the term, {_day_en(expiry)}{clause_en}",
            )
        ]
    else:
        steps = [
            Step(
                f"만료일 {_day(expiry)}부터 거꾸로 {lead.korean()} 전까지(역산){clause_ko}",
                f"due {lead} before the expiry on {_day_en(expiry)}, counted backward{clause_en}",
            )
        ]
        legal, back_steps = _legal_notice_day(expiry, lead)
        steps.extend(back_steps)
    steps.append(Step(f"법정 통지 기한: {_day(legal)}", f"legal deadline: {_day_en(legal)}"))
    legal_derived = Derived(legal, tuple(steps))
    act_by, roll_steps = _roll(legal, calendar, PREVIOUS_WORKDAY)
    result = Step(
        PREVIOUS_WORKDAY.result_ko.format(day=_day(act_by)),
        PREVIOUS_WORKDAY.result_en.format(day=_day_en(act_by)),
    )
    return NoticeDeadline(legal_derived, Derived(act_by, (*steps, *roll_steps, result)))


# -- terms and renewals --------------------


@dataclass(frozen=True)
class Term:
    """One term of an agreement: ``index`` 0 is the original term, ``k`` the k-th renewal.

    ``basis`` names what moved the term's end beside the clause, such as a 변경협약; every term counted from
    it, and every notice deadline counted back from its end, carries these steps too.
    """

    index: int
    start: dt.date
    end: Derived
    basis: tuple[Step, ...] = ()


def first_term(
    start: dt.date,
    *,
    length: Duration | None = None,
    end: dt.date | None = None,
    starts_at_midnight: bool = False,
    first_day_counts: bool = False,
    clause: str | None = None,
) -> Term:
    """The original term, from its ``length`` (counted by :func:`term_end`) or its stated ``end``.

    >>> first_term(dt.date(2025, 3, 14), end=dt.date(2025, 12, 31)).end.lines()[-1]
    '기간의 만료일: 2025-12-31(수)'
    """
    if (length is None) == (end is None):
        raise ValueError("a term needs exactly one of length or end")
    if length is not None:
        derived = term_end(
            start,
            length,
            starts_at_midnight=starts_at_midnight,
            first_day_counts=first_day_counts,
            clause=clause,
        )
        return Term(0, start, derived)
    assert end is not None  # for mypy: exactly one of the two is given
    if end < start:
        raise DateInputError(f"a term cannot end ({end}) before it starts ({start})")
    clause_ko, clause_en = _clause(clause)
    steps = (
        Step(
            f"유효기간: {_day(start)}부터 {_day(end)}까지로 정해져 있음{clause_ko}",
            f"the term is stated: from {_day_en(start)} to {_day_en(end)}{clause_en}",
        ),
        Step(f"기간의 만료일: {_day(end)}", f"the period ends on {_day_en(end)}"),
    )
    return Term(0, start, Derived(end, steps))


def renewal_term(first: Term, renewal_length: Duration, k: int, *, clause: str | None = None) -> Term:
    """The ``k``-th renewal, anchored on the day after the end of ``first``: the original term, or the term
    whose end an amendment moved (then ``first.index`` renewals came before it and ``k`` counts on from it).

    Each renewal starts at 00:00 of the day after the previous end, so its first day counts (제157조 단서).
    Its end is counted from the anchor with ``renewal_length × (k - first.index)`` at once — never by chaining
    ends — so that renewals do not drift around month ends and 29 February. ``k = first.index`` is ``first``.

    >>> original = first_term(dt.date(2023, 12, 30), length=Duration(months=1))  # ends 2024-01-30
    >>> [renewal_term(original, Duration(months=1), k).end.date.isoformat() for k in (1, 2)]
    ['2024-02-29', '2024-03-30']
    """
    n = k - first.index  # renewals counted from the anchor
    if n < 0:
        raise ValueError(f"a renewal number cannot be below {first.index}; got: {k}")
    if n == 0:
        return first
    anchor = first.end.date + ONE_DAY
    start = anchor if n == 1 else _anchored_end(anchor, renewal_length, n - 1) + ONE_DAY
    clause_ko, clause_en = _clause(clause)
    base_ko = "원래 기간" if first.index == 0 else f"제{first.index}차 갱신 기간"
    base_en = "original" if first.index == 0 else f"renewal {first.index}"
    intro = Step(
        f"제{k}차 갱신 기간은 {_day(start)}부터{clause_ko}. {base_ko}의 만료일 {first.end.date}의 "
        f"다음 날 {anchor} 0시를 기준으로 한 번에 계산: {renewal_length.korean()} × {n} = "
        f"{renewal_length.times(n).korean()} (앞 기간에 이어 붙이지 않아 날짜가 밀리지 않음)",
        f"renewal {k} runs from {_day_en(start)}{clause_en}; its end is counted at once from the anchor, "
        f"00:00 of {anchor} (the day after the {base_en} end {first.end.date}), with {renewal_length} × {n}, "
        f"not chained, so that it does not drift",
    )
    end = term_end(anchor, renewal_length.times(n), starts_at_midnight=True)
    return Term(k, start, Derived(end.date, (*first.basis, intro, *end.steps)), first.basis)


def _anchored_end(anchor: dt.date, renewal_length: Duration, k: int) -> dt.date:
    return term_end(anchor, renewal_length.times(k), starts_at_midnight=True).date


def renewal_chain(
    first: Term, renewal_length: Duration | None, max_renewals: int | None, *, through: dt.date
) -> tuple[Term, ...]:
    """Terms 0, 1, … up to the first whose end is on or after ``through``, or up to the cap.

    ``max_renewals`` None means unlimited; no ``renewal_length`` means the agreement does not renew,
    so the chain is ``(first,)``.
    """
    chain = [first]
    if renewal_length is None:
        return tuple(chain)
    while chain[-1].end.date < through and (max_renewals is None or len(chain) <= max_renewals):
        chain.append(renewal_term(first, renewal_length, len(chain)))
    return tuple(chain)


def final_expiry(first: Term, renewal_length: Duration | None, max_renewals: int | None) -> Derived | None:
    """The end of the last possible term; None when renewals are unlimited.

    >>> original = first_term(dt.date(2025, 3, 14), length=Duration(years=1))
    >>> final_expiry(original, Duration(years=1), 3).date
    datetime.date(2029, 3, 14)
    """
    if renewal_length is None or max_renewals == 0:
        return first.end
    if max_renewals is None:
        return None
    last = renewal_term(first, renewal_length, max_renewals)
    return Derived(last.end.date, (explain_renewal_cap(max_renewals, renewal_length), *last.end.steps))


def explain_renewal_cap(max_renewals: int, renewal_length: Duration) -> Step:
    """How a cap such as "1년씩 최대 3년" is read: at most three one-year renewals; names the other reading.

    >>> print(explain_renewal_cap(3, Duration(years=1)).ko)  # doctest: +ELLIPSIS
    '1년씩 최대 3년'은 1년 갱신을 최대 3회 하는 것으로 읽음 ... 다른 해석: 원래 기간을 포함하여 모두 3년...
    """
    total = renewal_length.times(max_renewals)
    return Step(
        f"'{renewal_length.korean()}씩 최대 {total.korean()}'은 {renewal_length.korean()} 갱신을 최대 "
        f"{max_renewals}회 하는 것으로 읽음 (원래 기간 뒤에 최대 {total.korean()} 더). {AMBIGUITY_KO}: 원래 "
        f"기간을 포함하여 모두 {total.korean()}(이 경우 갱신 횟수가 더 적음)",
        f"'{renewal_length} each, at most {total}' is read as at most {max_renewals} renewal(s) of "
        f"{renewal_length} after the original term. The other reading: {total} in total including the "
        f"original term (fewer renewals)",
    )


# -- reading dates --------------------


def parse_day(text: str) -> dt.date:
    """A date written ``YYYY-MM-DD``, within the bounds of :mod:`obligations.bounds`.

    >>> try:
    ...     parse_day("2025-02-30")
    ... except DateInputError as error:
    ...     print(error)
    expected a date such as 2025-02-25; got: '2025-02-30'
    """
    day = _read_day(text)
    if day is None:
        raise DateInputError(f"expected a date such as {DAY_EXAMPLE}; got: {text!r}")
    return in_range(day)


def _read_day(text: str) -> dt.date | None:
    if isinstance(text, str) and _DAY_TEXT.fullmatch(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            pass
    return None


def in_range(day: dt.date) -> dt.date:
    """``day`` itself if the date engine computes it, else :class:`DateInputError` stating the range.

    >>> in_range(dt.date(9999, 12, 31))
    Traceback (most recent call last):
    obligations.dates.DateInputError: expected a date from 1900-01-01 to 2199-12-31; got: '9999-12-31'
    """
    if not day_in_range(day):
        raise DateInputError(f"expected a date {DAY_RANGE}; got: '{day.isoformat()}'")
    return day


def parse_month_end(text: str) -> dt.date:
    """A date ``YYYY-MM-DD``, or a month ``YYYY-MM`` meaning its last day.

    >>> parse_month_end("2024-02")
    datetime.date(2024, 2, 29)
    """
    match = _MONTH_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match and 1 <= int(match[2]) <= 12:
        if not EARLIEST.year <= int(match[1]) <= LATEST.year:
            raise DateInputError(f"expected a month {DAY_RANGE}; got: {text!r}")
        return _last_day_of_month(int(match[1]), int(match[2]))
    day = _read_day(text)
    if day is None:
        message = f"expected a date such as {DAY_EXAMPLE} or a month such as {MONTH_EXAMPLE}; got: {text!r}"
        raise DateInputError(message)
    return in_range(day)
