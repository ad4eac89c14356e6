"""The working-day calendar: Korean public holidays, weekends, overrides, working-day numbers."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from obligations.registry import read_calendar
from obligations.workdays import CalendarOverrideError, HolidayOverride, WorkdayCalendar, south_korea

D = dt.date.fromisoformat
CALENDAR = WorkdayCalendar()


def closed_weekdays(calendar: WorkdayCalendar, year: int) -> set[str]:
    """Every Monday–Friday of ``year`` on which offices are closed, as 'YYYY-MM-DD name'."""
    day, found = dt.date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_workday(day):
            found.add(f"{day} {calendar.closed_reason(day)}")
        day += dt.timedelta(days=1)
    return found


# -- whole years as one table (a failure prints the set difference) ----------------------------------


def test_closed_weekdays_of_2025() -> None:
    assert closed_weekdays(CALENDAR, 2025) == {
        "2025-01-01 신정연휴",
        "2025-01-27 임시공휴일",
        "2025-01-28 설날 전날",
        "2025-01-29 설날",
        "2025-01-30 설날 다음날",
        "2025-03-03 삼일절 대체 휴일",
        "2025-05-05 부처님오신날·어린이날",
        "2025-05-06 부처님오신날 대체 휴일·어린이날 대체 휴일",
        "2025-06-03 대통령 선거일",
        "2025-06-06 현충일",
        "2025-08-15 광복절",
        "2025-10-03 개천절",
        "2025-10-06 추석",
        "2025-10-07 추석 다음날",
        "2025-10-08 추석 대체 휴일",
        "2025-10-09 한글날",
        "2025-12-25 기독탄신일",
    }


def test_closed_weekdays_of_2026() -> None:
    assert closed_weekdays(CALENDAR, 2026) == {
        "2026-01-01 신정연휴",
        "2026-02-16 설날 전날",
        "2026-02-17 설날",
        "2026-02-18 설날 다음날",
        "2026-03-02 삼일절 대체 휴일",
        "2026-05-01 노동절",
        "2026-05-05 어린이날",
        "2026-05-25 부처님오신날 대체 휴일",
        "2026-06-03 지방선거일",
        "2026-07-17 제헌절",
        "2026-08-17 광복절 대체 휴일",
        "2026-09-24 추석 전날",
        "2026-09-25 추석",
        "2026-10-05 개천절 대체 휴일",
        "2026-10-09 한글날",
        "2026-12-25 기독탄신일",
    }


def test_a_week_without_holidays_has_five_workdays() -> None:
    week = [D("2025-11-24") + dt.timedelta(days=n) for n in range(7)]
    assert [CALENDAR.is_workday(day) for day in week] == [True] * 5 + [False] * 2


# -- named days -------------------------------------------------------------------------------------


def test_temporary_holiday_2025_01_27() -> None:
    assert CALENDAR.holiday_name(D("2025-01-27")) == "임시공휴일"


@pytest.mark.parametrize(
    ("day", "name"),
    [("2025-06-03", "대통령 선거일"), ("2026-06-03", "지방선거일"), ("2024-04-10", "국회의원 선거일")],
)
def test_election_days_are_holidays(day: str, name: str) -> None:
    assert CALENDAR.holiday_name(D(day)) == name
    assert not CALENDAR.is_workday(D(day))


def test_labour_day_is_a_public_holiday_from_2026_only() -> None:
    assert CALENDAR.holiday_name(D("2026-05-01")) == "노동절"
    assert CALENDAR.is_workday(D("2025-05-01"))


def test_constitution_day_is_a_public_holiday_again_from_2026() -> None:
    assert CALENDAR.holiday_name(D("2026-07-17")) == "제헌절"
    assert CALENDAR.is_workday(D("2025-07-17"))


def test_chuseok_2025_substitute_day() -> None:
    # 추석 전날 fell on Sunday 2025-10-05, so Wednesday 10-08 is its substitute (공휴일에 관한 법률 제3조).
    assert CALENDAR.holiday_name(D("2025-10-08")) == "추석 대체 휴일"


def test_weekends_are_not_holidays_but_are_closed() -> None:
    assert CALENDAR.holiday_name(D("2025-11-29")) is None
    assert CALENDAR.closed_reason(D("2025-11-29")) == "토요일"
    assert CALENDAR.closed_reason(D("2025-11-30")) == "일요일"
    assert CALENDAR.closed_reason(D("2025-11-28")) is None


def test_a_holiday_on_a_sunday_is_named_by_the_holiday() -> None:
    assert CALENDAR.closed_reason(D("2026-03-01")) == "삼일절"


def test_next_and_previous_workday() -> None:
    assert CALENDAR.next_workday(D("2026-02-28")) == D("2026-03-03")
    assert CALENDAR.previous_workday(D("2025-10-08")) == D("2025-10-02")
    assert CALENDAR.next_workday(D("2025-11-28")) == D("2025-11-28")
    assert CALENDAR.previous_workday(D("2025-11-28")) == D("2025-11-28")


# -- working-day numbers ----------------------------------------------------------------------------


def test_workdays_in_october_2025() -> None:
    # 23 weekdays, less 개천절, 추석, 추석 다음날, 추석 대체 휴일 and 한글날.
    assert CALENDAR.workday_number(D("2025-10-31")) - CALENDAR.workday_number(D("2025-09-30")) == 18


def test_workday_number_counts_from_2020_01_01() -> None:
    # 2020-01-01 is 신정 (a Wednesday); 2020-01-02 is the first working day; 2019-12-31 the last before.
    assert CALENDAR.workday_number(D("2020-01-01")) == 0
    assert CALENDAR.workday_number(D("2020-01-02")) == 1
    assert CALENDAR.workday_number(D("2019-12-31")) == 0
    assert CALENDAR.workday_number(D("2019-12-30")) == -1


def test_workday_number_matches_a_count_across_years() -> None:
    start, end = D("1998-11-01"), D("2002-02-10")
    day, count = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        count += CALENDAR.is_workday(day)
    assert CALENDAR.workday_number(end) - CALENDAR.workday_number(start) == count


# -- the package, loaded alone ------------------------------------------------------------------------


def test_the_south_korea_module_alone_gives_the_same_days_as_the_documented_call() -> None:
    alone, documented = south_korea(), holidays.country_holidays("KR", language="ko")
    for year in range(1950, 2101):
        _ = dt.date(year, 1, 1) in alone, dt.date(year, 1, 1) in documented  # computes the year
    assert len(alone) > 2500
    assert dict(alone) == dict(documented)


def test_working_days_do_not_import_every_country() -> None:
    """The other ~250 countries' modules cost a small check an eighth of its time; none is loaded."""
    script = (
        "import sys, datetime\n"
        "from obligations.workdays import WorkdayCalendar\n"
        "calendar = WorkdayCalendar()\n"
        "print(calendar.closed_reason(datetime.date(2025, 10, 6)))\n"
        "print(sorted(name for name in sys.modules if name.startswith('holidays.countries')))\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert shown.stdout.splitlines() == ["추석", "[]"]


# -- overrides ----------------------------------------------------------------------------------------


def test_an_override_adds_and_removes_a_holiday() -> None:
    calendar = WorkdayCalendar(
        [
            HolidayOverride(D("2026-10-02"), "임시공휴일", "관보 제1호"),
            HolidayOverride(D("2026-05-01"), "", "민간 휴일일 뿐", remove=True),
        ]
    )
    assert calendar.holiday_name(D("2026-10-02")) == "임시공휴일"
    assert calendar.is_workday(D("2026-05-01"))
    assert CALENDAR.is_workday(D("2026-10-02"))  # the default calendar is untouched
    later = D("2026-12-31")
    assert calendar.workday_number(later) == CALENDAR.workday_number(later)  # one added, one removed


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_from_file_reads_add_and_remove(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "add:\n"
        '  - {date: 2026-10-02, name: 임시공휴일, reason: "관보 제1호"}\n'
        "remove:\n"
        "  - date: 2026-05-01\n"
        "    reason: 관공서 휴일 아님\n",
    )
    calendar = read_calendar(path)
    assert calendar.overrides == (
        HolidayOverride(D("2026-10-02"), "임시공휴일", "관보 제1호"),
        HolidayOverride(D("2026-05-01"), "", "관공서 휴일 아님", remove=True),
    )
    assert calendar.closed_reason(D("2026-10-02")) == "임시공휴일"
    assert calendar.is_workday(D("2026-05-01"))


def test_an_empty_file_has_no_overrides(tmp_path: Path) -> None:
    assert read_calendar(write(tmp_path, "# nothing yet\n")).overrides == ()


def test_override_error_names_file_line_field_value_and_example(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "add:\n  - {date: 2026-10-09, name: a, reason: b}\n  - {date: 2026-13-01, name: x, reason: y}\n",
    )
    with pytest.raises(CalendarOverrideError) as caught:
        read_calendar(path)
    assert str(caught.value) == (
        f"{path}:3: add[1].date: expected a date such as 2026-10-09; got: '2026-13-01' "
        '(example: {date: 2026-10-09, name: 임시공휴일, reason: "관보 제xxxx호"})'
    )


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("added:\n  - {date: 2026-10-09}\n", 1, "added", "unknown key"),
        ("add:\n  - {date: 2026-10-09, name: a}\n", 2, "add[0].reason", "missing"),
        ("add:\n  - {date: 2026-10-09, name: a, reason: ''}\n", 2, "add[0].reason", "must not be empty"),
        (
            "add:\n  - date: 2026-10-09\n    name: a\n    reason: b\n    note: c\n",
            5,
            "add[0].note",
            "unknown field",
        ),
        ("remove:\n  - {date: 2026/05/01, reason: r}\n", 2, "remove[0].date", "got: '2026/05/01'"),
        ("remove: 2026-05-01\n", 1, "remove", "expected a list"),
        ("add:\n  - 2026-10-09\n", 2, "add[0]", "expected an entry"),
        ("- 2026-10-09\n", 1, "(file)", "expected a mapping"),
        ("add: [\n", 2, "(file)", "invalid YAML"),
        (
            "add:\n  - {date: 2026-10-02, name: a, reason: b}\nremove:\n  - {date: 2026-10-02, reason: c}\n",
            4,
            "remove[0].date",
            "listed more than once",
        ),
    ],
)
def test_override_errors(tmp_path: Path, text: str, line: int, field: str, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CalendarOverrideError) as caught:
        read_calendar(path)
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), line, field)
    assert words in error.message
    assert "(example: " in str(error)
