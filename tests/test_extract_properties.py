"""Properties of the Korean date reader (a day printed in any style and spacing reads back as itself) and of
the renewal grammar (every combination of the ways agreements word a renewal reads as what it says)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from obligations.duration import Duration
from obligations.extract.korean_dates import DayStyle, find_days, find_months, print_day, read_day
from obligations.extract.read import read_agreement
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


# The renewal grammar: who may stop it, how long before the end, in what form, how long each renewal lasts
# and how the text says it happens by itself, and a cap. Each part in the wordings agreements use.
UNITS = {"일": "d", "주": "w", "개월": "m", "월": "m"}
LEADS = st.sampled_from(list(UNITS)).flatmap(
    lambda unit: st.tuples(st.integers(1, 90 if unit == "일" else 6), st.just(unit))
)
WHO = st.sampled_from(
    [
        ("어느 일방이 {form}해지 의사를 통지하지 아니하면", ()),
        ("어느 기관도 {form}해지를 통보하지 아니하면", ()),
        ("당사자 일방의 {form}갱신 거절 의사표시가 없는 한", ()),
        ("별도의 {form}해지 통보가 없으면", ()),
        ("가 또는 나가 {form}이의를 제기하지 아니하면", ("party-1", "party-2")),
    ]
)
FORMS = st.sampled_from([("서면으로 ", "written"), ("", "any")])
RENEWS = st.sampled_from(
    [
        "{n}년씩 자동 연장된다",
        "{n}년 단위로 자동 갱신된다",
        "{n}년간 연장된 것으로 본다",
        "{n}년간 동일한 내용으로 연장된 것으로 보며, 그 이후에도 같다",
        "자동으로 {n}년 연장되며",
        "{n}년씩 연장된 것으로 간주한다",
        "{n}년 단위로 연장한다",
        "{n}년 단위로 갱신된다",
        "같은 기간으로 연장된 것으로 본다",
    ]
)
CAPS = st.sampled_from(
    ["", " 다만, 연장은 {k}회에 한한다.", " 연장은 최대 {k}회로 한다.", " 갱신은 {k}회를 초과할 수 없다."]
)


@given(
    st.integers(1, 3), LEADS, WHO, FORMS, RENEWS, st.integers(1, 3), CAPS, st.integers(1, 5), st.booleans()
)
def test_every_wording_of_a_renewal_reads_as_what_it_says(
    term_years: int,
    lead: tuple[int, str],
    who: tuple[str, tuple[str, ...]],
    form: tuple[str, str],
    renews: str,
    years: int,
    cap: str,
    count: int,
    same_item: bool,
) -> None:
    condition = who[0].format(form=form[0])
    renews_by_itself = f"이 협약은 {renews.format(n=years)}.{cap.format(k=count)}"
    renewal = f"기간 만료 {lead[0]}{lead[1]} 전까지 {condition} {renews_by_itself}"
    clause = (
        f"이 협약의 기간은 체결일로부터 {term_years}년으로 한다." + (" " if same_item else "\n② ") + renewal
    )
    text = (
        "가-나 업무협약\n가구(이하 “가”)와 나구(이하 “나”)는 다음과 같이 협약한다.\n"
        f"제1조(협약기간) ① {clause}\n2025. 1. 2.\n"
    )
    found = read_agreement(Lines.of(text)).renewal
    assert found is not None, text
    assert found.length is not None and found.max_renewals is not None and found.notice.by is not None
    length = term_years if renews.startswith("같은") else years
    assert found.length.value == Duration(years=length), text
    assert found.max_renewals.value == (count if cap else None), text
    assert found.notice.lead.value == Duration.parse(f"{lead[0]}{UNITS[lead[1]]}"), text
    assert (found.notice.form.value, found.notice.by.value) == (form[1], who[1]), text
