"""Recurring duties' dates: calendar periods, labels, due forms and 민법 제161조; tables and properties."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obligations import recurrence
from obligations.recurrence import (
    EVERY,
    Due,
    Every,
    RecurrenceError,
    check_label,
    last_period_ending_by,
    nominal_due,
    occurrence_due,
    period,
    period_containing,
    period_of_label,
)
from obligations.workdays import WorkdayCalendar

CALENDAR = WorkdayCalendar()


def test_docstring_examples() -> None:
    failures, tried = doctest.testmod(recurrence, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


@pytest.mark.parametrize(
    ("every", "day", "label", "start", "end"),
    [
        ("month", "2025-02-14", "2025-02", "2025-02-01", "2025-02-28"),
        ("month", "2024-02-29", "2024-02", "2024-02-01", "2024-02-29"),
        ("quarter", "2025-01-01", "2025-Q1", "2025-01-01", "2025-03-31"),
        ("quarter", "2025-06-30", "2025-Q2", "2025-04-01", "2025-06-30"),
        ("quarter", "2025-12-31", "2025-Q4", "2025-10-01", "2025-12-31"),
        ("half-year", "2025-06-30", "2025-H1", "2025-01-01", "2025-06-30"),
        ("half-year", "2025-07-01", "2025-H2", "2025-07-01", "2025-12-31"),
        ("year", "2025-03-14", "2025", "2025-01-01", "2025-12-31"),
        # Multi-year periods run from 1 January of the anchor year (2025 here).
        ("2y", "2025-03-14", "2025/2026", "2025-01-01", "2026-12-31"),
        ("2y", "2026-12-31", "2025/2026", "2025-01-01", "2026-12-31"),
        ("2y", "2027-01-01", "2027/2028", "2027-01-01", "2028-12-31"),
        ("2y", "2024-06-01", "2023/2024", "2023-01-01", "2024-12-31"),
        ("3y", "2027-12-31", "2025", "2025-01-01", "2027-12-31"),
        ("3y", "2028-01-01", "2028", "2028-01-01", "2030-12-31"),
    ],
)
def test_calendar_periods_and_their_labels(every: Every, day: str, label: str, start: str, end: str) -> None:
    found = period_containing(every, 2025, dt.date.fromisoformat(day))
    assert (found.label, found.start.isoformat(), found.end.isoformat()) == (label, start, end)
    assert period_of_label(every, 2025, label) == found


@pytest.mark.parametrize(
    ("every", "label", "message"),
    [
        ("quarter", "2025-Q5", "a year has quarters Q1 to Q4; got: '2025-Q5' (e.g. 2025-Q4)"),
        ("half-year", "2025-H3", "a year has halves H1 and H2; got: '2025-H3' (e.g. 2025-H2)"),
        ("month", "2025-13", "a year has months 01 to 12; got: '2025-13' (e.g. 2025-12)"),
        (
            "2y",
            "2025/2027",
            "a two-year period names two years in a row; got: '2025/2027' (e.g. 2025/2026; a three-year "
            "period is named by its first year alone, e.g. 2025)",
        ),
        (
            "quarter",
            "Q3 2025",
            "expected a period such as 2025 (a year), 2025-H1, 2025-Q3, 2025-07 (a month), 2025/2026 "
            "(two years) or 2025-01-01/2025-12-31 (a term, for a role); got: 'Q3 2025'",
        ),
        (
            "half-year",
            "2025-Q3",
            "this duty recurs every half-year (매 반기); name its period like '2025-H2', not '2025-Q3'",
        ),
        ("year", "2025-07", "this duty recurs every year (매년); name its period like '2025', not '2025-07'"),
        (
            "2y",
            "2026/2027",
            "the 2y periods of this duty start in 2025, 2027, …; '2026/2027' is not one of them "
            "(e.g. '2025/2026')",
        ),
        (
            "3y",
            "2026",
            "the 3y periods of this duty start in 2025, 2028, …; '2026' is not one of them (e.g. '2025')",
        ),
    ],
)
def test_unknown_and_impossible_labels_are_refused_with_an_example(
    every: Every, label: str, message: str
) -> None:
    with pytest.raises(RecurrenceError) as error:
        period_of_label(every, 2025, label)
    assert str(error.value) == message


def test_label_form_is_checked_without_a_schedule() -> None:
    assert [check_label(text) for text in ("2025", "2025-H1", "2025-Q3", "2025-07", "2025/2026")] == [
        "2025",
        "2025-H1",
        "2025-Q3",
        "2025-07",
        "2025/2026",
    ]
    with pytest.raises(RecurrenceError, match="out of range"):
        check_label("0999")


@pytest.mark.parametrize(
    ("every", "label", "due", "nominal", "act"),
    [
        # end: the period's last day; 2025-05-31 is a Saturday, 06-01 a Sunday.
        ("month", "2025-05", "end", "2025-05-31", "2025-06-02"),
        ("quarter", "2025-Q4", "end", "2025-12-31", "2025-12-31"),
        # end+Nd: counted from the period's last day, that day not counted (민법 제157조).
        ("half-year", "2025-H2", "end+15d", "2026-01-15", "2026-01-15"),
        # 2025-10-07 추석 다음날, 10-08 대체공휴일, 10-09 한글날: the 2025-Q3 report moves to 10-10.
        ("quarter", "2025-Q3", "end+7d", "2025-10-07", "2025-10-10"),
        ("3y", "2025", "end+60d", "2028-02-29", "2028-02-29"),
        # MM-DD: the first such day on or after the period's last day.
        ("year", "2025", "12-31", "2025-12-31", "2025-12-31"),
        ("year", "2025", "01-31", "2026-01-31", "2026-02-02"),
        ("year", "2026", "02-29", "2027-02-28", "2027-03-02"),  # no 29 Feb 2027; 03-01 삼일절
        ("year", "2027", "02-29", "2028-02-29", "2028-02-29"),
        ("2y", "2025/2026", "06-30", "2027-06-30", "2027-06-30"),
        # DD: that day of the following month; 2026-02-15 Sunday, 16–18 설날.
        ("month", "2026-01", "15", "2026-02-15", "2026-02-19"),
        ("month", "2025-06", "31", "2025-07-31", "2025-07-31"),
        ("month", "2026-02", "30", "2026-03-30", "2026-03-30"),
        ("month", "2026-01", "30", "2026-02-28", "2026-03-03"),  # 02-28 Sat, 03-01 삼일절, 03-02 대체
        ("month", "2025-12", "10", "2026-01-10", "2026-01-12"),
    ],
)
def test_due_forms(every: Every, label: str, due: str, nominal: str, act: str) -> None:
    occurrence = period_of_label(every, 2025, label)
    assert nominal_due(occurrence, Due.parse(due)).date.isoformat() == nominal
    assert occurrence_due(occurrence, Due.parse(due), CALENDAR).date.isoformat() == act


def test_explanation_names_the_schedule_the_period_and_each_holiday_passed() -> None:
    q3 = period_of_label("quarter", 2025, "2025-Q3")
    lines = occurrence_due(q3, Due.parse("end+7d"), CALENDAR, clause="제3조 ③").lines("ko")
    assert lines[0] == (
        "제3조 ③: 매 분기 반복, 기한 '기간 종료 후 7일 이내' — 이번 회차 2025-Q3 "
        "(2025년 3분기: 2025-07-01~2025-09-30)"
    )
    assert "2025-10-07 추석 다음날 — 휴무일" in lines
    assert "2025-10-09 한글날 — 휴무일" in lines
    assert lines[-1] == "행위 기한(민법 제161조 적용): 2025-10-10(금)"
    clamped = nominal_due(period_of_label("month", 2025, "2026-01"), Due.parse(30)).lines("en")
    assert "2026-02 has no day 30: its last day (Civil Act art. 160(3) applied)" in clamped


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "end+0d",
            "'end+Nd' counts 1 to 366 days after the period ends; got: 'end+0d' (e.g. 'due: end+15d')",
        ),
        ("02-30", "'02-30' is not a day of the year; e.g. 'due: 12-31' (MM-DD)"),
        (32, "a day of the month is 1 to 31; got: '32' (e.g. 'due: 10')"),
        ("end+1m", "expected the due day of each occurrence, e.g. 'end' (the period's last day), 'end+15d'"),
        ("2025-12-31", "expected the due day of each occurrence, e.g. 'end'"),
    ],
)
def test_bad_due_forms(value: object, message: str) -> None:
    with pytest.raises(RecurrenceError) as error:
        Due.parse(value)
    assert str(error.value).startswith(message)


def test_due_forms_fit_only_their_schedules() -> None:
    assert Due.parse("12-31").fits("quarter") == (
        "'due: 12-31' names a day of the year; it fits yearly schedules (year, 2y, 3y), not "
        "'every: quarter' — e.g. 'due: end+15d'"
    )
    assert Due.parse(10).fits("year") == (
        "'due: 10' names a day of the month; it fits 'every: month', not 'every: year' — e.g. 'due: end+15d'"
    )
    assert [Due.parse("12-31").fits(every) for every in ("year", "2y", "3y")] == [None, None, None]
    assert [Due.parse(form).fits("quarter") for form in ("end", "end+30d")] == [None, None]


# -- properties --------------------

EVERIES = st.sampled_from(EVERY)
ANCHORS = st.integers(1990, 2060)
DUES = st.one_of(
    st.just("end"),
    st.integers(1, 366).map(lambda n: f"end+{n}d"),
    st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)).map(lambda d: f"{d:%m-%d}"),
    st.integers(1, 31).map(str),
).map(Due.parse)
NUMBERS = st.integers(-20, 60)


@given(EVERIES, ANCHORS, NUMBERS)
def test_periods_tile_the_calendar_and_round_trip_through_their_labels(
    every: Every, anchor: int, number: int
) -> None:
    this, following = period(every, anchor, number), period(every, anchor, number + 1)
    assert this.start <= this.end and following.start == this.end + dt.timedelta(days=1)
    assert period_containing(every, anchor, this.start) == this == period_containing(every, anchor, this.end)
    assert period_of_label(every, anchor, this.label) == this
    assert last_period_ending_by(every, anchor, this.end) == number
    assert last_period_ending_by(every, anchor, this.end - dt.timedelta(days=1)) == number - 1


@given(EVERIES, ANCHORS, NUMBERS, DUES)
def test_occurrences_are_ordered_one_per_period_each_due_a_working_day_on_or_after_the_nominal_day(
    every: Every, anchor: int, number: int, due: Due
) -> None:
    if due.fits(every) is not None:
        return
    occurrences = [period(every, anchor, n) for n in range(number, number + 4)]
    nominal = [nominal_due(o, due).date for o in occurrences]
    act = [occurrence_due(o, due, CALENDAR).date for o in occurrences]
    assert len({o.label for o in occurrences}) == len(occurrences)
    assert nominal == sorted(nominal) and len(set(nominal)) == len(nominal)  # no two periods share a day
    assert act == sorted(act)
    for occurrence, named, deadline in zip(occurrences, nominal, act, strict=True):
        assert occurrence.end <= named <= deadline
        assert named <= occurrence.end + dt.timedelta(days=366)
        assert CALENDAR.closed_reason(deadline) is None
        assert all(CALENDAR.closed_reason(day) for day in _days(named, deadline))


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    """The days from ``first`` up to, not including, ``last``."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days)]
