"""Properties of the Korean date reader: a day printed in any style and spacing reads back as itself."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from obligations.extract.korean_dates import DayStyle, find_days, find_months, print_day, read_day
from obligations.extract.source import Lines
from obligations.extract.structure import read_layout
from obligations.extract.term import read_term

# ’YY stands for 20YY (agreements of public bodies date from 2000 on); the other styles print any year.
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
STYLES = st.sampled_from(list(DayStyle))
APOSTROPHES = st.sampled_from("’'‘`")
# HWP exports pad with runs of spaces ("2025년  2월   25일"); ISO dates have no spaces to pad.
PADDING = st.lists(st.integers(min_value=1, max_value=3), min_size=8, max_size=8)


def padded(text: str, runs: list[int]) -> str:
    """Each space of ``text`` widened to a run of ``runs[i]`` spaces."""
    pieces = text.split(" ")
    return "".join(piece + " " * runs[i] for i, piece in enumerate(pieces[:-1])) + pieces[-1]


def printed(day: dt.date, style: DayStyle, weekday: bool, apostrophe: str, runs: list[int]) -> str:
    text = print_day(day, style, weekday=weekday)
    return padded(text.replace("’", apostrophe), runs)


@given(DAYS, STYLES, st.booleans(), APOSTROPHES, PADDING)
def test_a_printed_day_reads_back_as_itself(
    day: dt.date, style: DayStyle, weekday: bool, apostrophe: str, runs: list[int]
) -> None:
    assert read_day(printed(day, style, weekday, apostrophe, runs)) == day


@given(DAYS, STYLES, st.booleans(), PADDING)
def test_a_day_in_running_text_is_found_once_and_exactly(
    day: dt.date, style: DayStyle, weekday: bool, runs: list[int]
) -> None:
    text = printed(day, style, weekday, "’", runs)
    found = find_days(f"제3조 본 협약은 {text}부터 효력이 발생한다. ☎2133-3910")
    assert [(item.day, item.text) for item in found] == [(day, text)]
    assert found[0].weekday_agrees


@given(DAYS, DAYS, STYLES, STYLES)
def test_a_dated_period_is_a_term_from_midnight(
    first: dt.date, second: dt.date, a: DayStyle, b: DayStyle
) -> None:
    start, end = sorted((first, second))
    text = f"제3조(협약기간) 이 협약의 기간은 {print_day(start, a)}부터 {print_day(end, b)}까지로 한다."
    term = read_term(read_layout(Lines.of(text)).articles)
    assert term is not None and term.start is not None and term.end is not None
    assert (term.start.value, term.end.value) == (start, end.isoformat())
    assert term.starts_at_midnight is not None and term.starts_at_midnight.value is True


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12), PADDING)
def test_a_month_until_which_the_term_runs_reads_back(year: int, month: int, runs: list[int]) -> None:
    for text in (f"{year}년 {month}월", f"{year}. {month}."):
        found = find_months(f"유효 기간은 {padded(text, runs)}까지로 한다.")
        assert [item.iso for item in found] == [f"{year:04d}-{month:02d}"]
