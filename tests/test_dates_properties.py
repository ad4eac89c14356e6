"""Properties of the date engine, checked on generated starts, lengths and expiries (hypothesis)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import LENGTHS

from obligations.dates import (
    AMBIGUITY_KO,
    Derived,
    Term,
    act_deadline,
    final_expiry,
    first_term,
    notice_deadline,
    renewal_chain,
    renewal_term,
    term_end,
)
from obligations.duration import Duration
from obligations.workdays import WorkdayCalendar

ONE_DAY = dt.timedelta(days=1)
CALENDAR = WorkdayCalendar()
# The holidays package knows Korea from 1948 to 2100; keep every computed date inside that range.
DAYS = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2080, 12, 31))
# Lengths as agreements write them: one unit, often a month or a year (the month-end cases).
SIMPLE_LENGTHS = st.one_of(
    st.builds(Duration, years=st.integers(1, 5)),
    st.builds(Duration, months=st.integers(1, 24)),
    st.builds(Duration, weeks=st.integers(1, 8)),
    st.builds(Duration, days=st.integers(1, 120)),
)
ANY_LENGTHS = st.one_of(SIMPLE_LENGTHS, LENGTHS)
FLAGS = st.sampled_from(
    [
        {},
        {"starts_at_midnight": True},
        {"first_day_counts": True},
        {"starts_at_midnight": True, "first_day_counts": True},
    ]
)
PROPERTY = settings(max_examples=500, deadline=None)


def _near_month_end(year: int, month: int, back: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - (1 + back) * ONE_DAY


# Days at or just before a month end (and 28/29 February): where renewals would drift if chained.
NEAR_MONTH_ENDS = st.builds(_near_month_end, st.integers(1960, 2040), st.integers(1, 12), st.integers(0, 3))
ORIGINAL_TERMS = st.one_of(
    st.builds(
        lambda start, length: first_term(start, length=length),
        DAYS.filter(lambda d: d.year <= 2040),
        ANY_LENGTHS,
    ),
    st.builds(
        lambda end, days: first_term(end - days * ONE_DAY, end=end), NEAR_MONTH_ENDS, st.integers(0, 800)
    ),
)


def oracle_end(start: dt.date, length: Duration, *, first_counts: bool) -> dt.date:
    """The Civil Act end written another way, with relativedelta (which clamps to the month end)."""
    first = start if first_counts else start + ONE_DAY
    end = first - ONE_DAY
    if length.total_months:
        corresponding = first + relativedelta(months=length.total_months)
        # 제160조 ②: the day before the corresponding day (counted from the 1st: the month end);
        # 제160조 ③: no corresponding day, and relativedelta stopped at the month end, which is the end.
        exists = first.day == 1 or corresponding.day == first.day
        end = corresponding - ONE_DAY if exists else corresponding
    return end + length.total_days * ONE_DAY


def ends_with_its_date(derived: Derived) -> bool:
    iso = derived.date.isoformat()
    return iso in derived.lines("ko")[-1] and iso in derived.lines("en")[-1]


@PROPERTY
@given(DAYS, ANY_LENGTHS, FLAGS)
def test_term_end_agrees_with_a_relativedelta_oracle(
    start: dt.date, length: Duration, flags: dict[str, bool]
) -> None:
    derived = term_end(start, length, **flags)
    assert derived.date == oracle_end(start, length, first_counts=bool(flags))
    assert ends_with_its_date(derived)


@PROPERTY
@given(DAYS, DAYS, ANY_LENGTHS, FLAGS)
def test_term_end_is_monotone_in_the_start(
    a: dt.date, b: dt.date, length: Duration, flags: dict[str, bool]
) -> None:
    early, late = sorted((a, b))
    assert term_end(early, length, **flags).date <= term_end(late, length, **flags).date


@PROPERTY
@given(DAYS, ANY_LENGTHS)
def test_counting_the_first_day_is_starting_a_day_earlier(start: dt.date, length: Duration) -> None:
    assert term_end(start, length, first_day_counts=True).date == term_end(start - ONE_DAY, length).date


@PROPERTY
@given(DAYS, ANY_LENGTHS)
def test_act_deadline_is_the_first_workday_on_or_after_the_nominal_end(
    start: dt.date, length: Duration
) -> None:
    nominal = term_end(start, length)
    deadline = act_deadline(nominal, CALENDAR)
    assert deadline.date >= nominal.date
    assert CALENDAR.is_workday(deadline.date)
    skipped = (nominal.date + n * ONE_DAY for n in range((deadline.date - nominal.date).days))
    assert not any(CALENDAR.is_workday(day) for day in skipped)  # the first working day, not a later one
    assert ends_with_its_date(deadline)
    assert deadline.steps[: len(nominal.steps)] == nominal.steps


@PROPERTY
@given(DAYS, ANY_LENGTHS)
def test_act_by_is_the_last_workday_on_or_before_the_legal_deadline(expiry: dt.date, lead: Duration) -> None:
    deadline = notice_deadline(expiry, lead, CALENDAR)
    legal, act_by = deadline.legal.date, deadline.act_by.date
    assert act_by <= legal
    assert CALENDAR.is_workday(act_by)
    skipped = (legal - n * ONE_DAY for n in range((legal - act_by).days))
    assert not any(CALENDAR.is_workday(day) for day in skipped)  # the last working day, not an earlier one
    assert ends_with_its_date(deadline.legal)
    assert ends_with_its_date(deadline.act_by)


def _same_date_before(expiry: dt.date, lead: Duration) -> dt.date:
    """E − lead by dateutil (an independent oracle): days and weeks off, then months; relativedelta clamps
    a missing day to the month's last day."""
    return expiry - lead.total_days * ONE_DAY - relativedelta(months=lead.total_months)


# Expiries at month ends too, where E − lead may have no corresponding day.
EXPIRIES = st.one_of(DAYS, NEAR_MONTH_ENDS)


@PROPERTY
@given(EXPIRIES, ANY_LENGTHS)
def test_the_legal_deadline_is_the_day_before_the_day_the_lead_before_expiry(
    expiry: dt.date, lead: Duration
) -> None:
    """The ministries' reading: legal = (E − lead) − 1 day, months by the calendar, clamped to a month end."""
    legal = notice_deadline(expiry, lead, CALENDAR).legal
    assert legal.date == _same_date_before(expiry, lead) - ONE_DAY
    assert legal.date < _same_date_before(expiry, lead)
    assert any("법무부·국토교통부 해석" in line for line in legal.lines("ko"))
    assert any("Ministry of Justice" in line for line in legal.lines("en"))


@PROPERTY
@given(EXPIRIES, ANY_LENGTHS)
def test_a_backward_deadline_leaves_the_full_lead_before_expiry(expiry: dt.date, lead: Duration) -> None:
    """A notice given on the legal deadline starts the lead the next day (제157조); counted forward by the
    same rules (제160조), the whole lead runs out on or before the expiry: the new reading is never later
    than the forward one."""
    legal = notice_deadline(expiry, lead, CALENDAR).legal
    assert term_end(legal.date, lead).date <= expiry


@PROPERTY
@given(EXPIRIES, EXPIRIES, ANY_LENGTHS)
def test_the_legal_deadline_is_monotone_in_the_expiry(one: dt.date, other: dt.date, lead: Duration) -> None:
    early, late = sorted((one, other))
    deadline = notice_deadline(early, lead, CALENDAR)
    later = notice_deadline(late, lead, CALENDAR)
    assert deadline.legal.date <= later.legal.date
    assert deadline.act_by.date <= later.act_by.date


@PROPERTY
@given(EXPIRIES, ANY_LENGTHS)
def test_the_other_reading_is_named_exactly_when_a_month_end_stands_in(
    expiry: dt.date, lead: Duration
) -> None:
    legal = notice_deadline(expiry, lead, CALENDAR).legal
    named = [line for line in legal.lines() if AMBIGUITY_KO in line]
    counted_from = expiry - lead.total_days * ONE_DAY
    clamped = _same_date_before(expiry, lead).day != counted_from.day
    assert len(named) == int(clamped)
    if clamped:  # the other reading is one day later, and never taken
        assert f"{legal.date + ONE_DAY}까지" in named[0]


@PROPERTY
@given(DAYS, st.builds(Duration, weeks=st.integers(0, 8), days=st.integers(1, 400)))
def test_a_backward_deadline_in_days_is_exact(expiry: dt.date, lead: Duration) -> None:
    """30일 전까지: the notice is due the day before the 30th day before the expiry."""
    legal = notice_deadline(expiry, lead, CALENDAR).legal.date
    assert legal == expiry - (lead.total_days + 1) * ONE_DAY


@PROPERTY
@given(ORIGINAL_TERMS, SIMPLE_LENGTHS, st.integers(1, 8))
def test_a_renewal_chain_never_drifts(first: Term, renewal: Duration, k: int) -> None:
    """The k-th renewal ends where the renewal length × k, counted from the anchor (the day after the original
    end, from 00:00), ends; the terms follow one another without gap or overlap."""
    anchor = first.end.date + ONE_DAY
    chain = renewal_chain(first, renewal, k, through=dt.date.max)
    assert len(chain) == k + 1
    for index, term in enumerate(chain[1:], start=1):
        assert term.index == index
        assert term.end.date == oracle_end(anchor, renewal.times(index), first_counts=True)
        assert term.start == chain[index - 1].end.date + ONE_DAY
        assert term.start <= term.end.date
        assert term == renewal_term(first, renewal, index)
        assert ends_with_its_date(term.end)
    final = final_expiry(first, renewal, k)
    assert final is not None
    assert final.date == chain[-1].end.date
    assert ends_with_its_date(final)


@PROPERTY
@given(DAYS, st.integers(1, 60))
def test_workday_number_counts_the_workdays_in_between(day: dt.date, span: int) -> None:
    later = day + span * ONE_DAY
    count = sum(CALENDAR.is_workday(day + n * ONE_DAY) for n in range(1, span + 1))
    assert CALENDAR.workday_number(later) - CALENDAR.workday_number(day) == count


@PROPERTY
@given(DAYS)
def test_workday_number_is_strictly_increasing_over_workdays(day: dt.date) -> None:
    following = CALENDAR.next_workday(day + ONE_DAY)
    current = CALENDAR.previous_workday(day)
    assert CALENDAR.workday_number(following) == CALENDAR.workday_number(current) + 1
