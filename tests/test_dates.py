"""Civil Act periods and deadlines: hand-worked examples, each with the article that decides it."""

from __future__ import annotations

import datetime as dt

import pytest

from obligations.dates import (
    AMBIGUITY_KO,
    DateInputError,
    Derived,
    Step,
    act_deadline,
    explain_renewal_cap,
    final_expiry,
    first_term,
    notice_deadline,
    parse_day,
    parse_month_end,
    renewal_chain,
    renewal_term,
    term_end,
)
from obligations.duration import Duration
from obligations.workdays import HolidayOverride, WorkdayCalendar

D = dt.date.fromisoformat
L = Duration.parse
CALENDAR = WorkdayCalendar()

# -- forward periods: a table of hand-worked examples -----------------------------------------------
# (start, length, flags, expected end, the article that decides it)
MIDNIGHT = {"starts_at_midnight": True}
COUNTS = {"first_day_counts": True}
TERM_ENDS = [
    ("2025-02-28", "1m", {}, "2025-03-31", "제160조 제2항"),  # counted from 03-01: the end of March
    ("2024-02-28", "1y", {}, "2025-02-28", "제160조 제3항"),  # from 2024-02-29; 2025 has no 29 February
    ("2023-02-28", "1y", {}, "2024-02-29", "제160조 제2항"),  # from 2023-03-01: the end of February 2024
    ("2025-02-25", "1y", {}, "2026-02-25", "제160조 제2항"),  # the day before the corresponding 02-26
    ("2024-02-29", "1y", {}, "2025-02-28", "제160조 제2항"),  # leap day signing: from 03-01
    ("2024-02-29", "1y", MIDNIGHT, "2025-02-28", "제160조 제3항"),  # from 02-29 itself: no 2025-02-29
    ("2024-02-29", "4y", MIDNIGHT, "2028-02-28", "제160조 제2항"),  # 2028-02-29 exists: the day before
    ("2025-01-31", "1m", MIDNIGHT, "2025-02-28", "제160조 제3항"),
    ("2025-01-30", "1m", {}, "2025-02-28", "제160조 제3항"),  # from 01-31: February has no 31st
    ("2024-01-30", "1m", {}, "2024-02-29", "제160조 제3항"),
    ("2025-01-27", "1m", {}, "2025-02-27", "제160조 제2항"),  # from 01-28: the day before 02-28
    ("2025-03-14", "10d", {}, "2025-03-24", "제157조 초일 불산입"),
    ("2025-03-14", "10d", COUNTS, "2025-03-23", "제155조"),
    ("2025-03-14", "10d", MIDNIGHT, "2025-03-23", "제157조 단서"),
    ("2025-03-14", "2w", {}, "2025-03-28", "제160조(주는 7일)"),
    ("2025-12-31", "1y", {}, "2026-12-31", "제160조 제2항"),  # year end: from 2026-01-01, a whole year
    ("2025-12-31", "1d", {}, "2026-01-01", "제157조"),
    ("2025-01-01", "1y", MIDNIGHT, "2025-12-31", "제157조 단서"),
    ("2025-11-30", "1m", {}, "2025-12-31", "제160조 제2항"),
    ("2025-03-14", "1y 6m", {}, "2026-09-14", "제160조 제2항"),
    ("2025-01-30", "1m 1d", {}, "2025-03-01", "제160조 제3항"),  # months first (02-28), then one day
    (
        "2025-10-06",
        "1y",
        {},
        "2026-10-06",
        "제157조 초일 불산입",
    ),  # signed on 추석: the first day is not counted
]


@pytest.mark.parametrize(("start", "length", "flags", "expected", "article"), TERM_ENDS)
def test_term_end(start: str, length: str, flags: dict[str, bool], expected: str, article: str) -> None:
    derived = term_end(D(start), L(length), **flags)
    assert derived.date == D(expected)
    assert any(article in line for line in derived.lines())
    assert expected in derived.lines()[-1]


# -- forward periods: named edge cases -------------------------------------------------------------


def test_leap_day_is_the_end_when_counting_starts_on_1_march() -> None:
    assert term_end(D("2023-02-28"), L("1y")).date == D("2024-02-29")


def test_last_day_of_february_in_a_leap_year_without_a_corresponding_day() -> None:
    assert term_end(D("2024-01-30"), L("1m")).date == D("2024-02-29")


def test_year_end_signing_runs_whole_calendar_years() -> None:
    assert term_end(D("2024-12-31"), L("2y")).date == D("2026-12-31")


def test_signing_on_a_holiday_does_not_move_the_start() -> None:
    # 2025-10-06 is 추석; 제157조 leaves out the first day whatever it is, and 제161조 concerns only the last.
    derived = term_end(D("2025-10-06"), L("10d"))
    assert derived.date == D("2025-10-16")
    assert act_deadline(derived, CALENDAR).date == D("2025-10-16")


def test_term_end_is_not_moved_off_a_saturday() -> None:
    assert term_end(D("2026-01-30"), L("1m")).date == D("2026-02-28")  # 제161조 is for deadlines to act


def test_derivation_names_anchor_clause_and_articles() -> None:
    lines = term_end(D("2025-02-28"), L("1m"), clause="제5조 ①").lines()
    assert lines == [
        "기간의 시작: 2025-02-28(금), 기간 1개월 [제5조 ①]",
        "민법 제157조 초일 불산입: 첫날 2025-02-28은 세지 않고 다음 날 2025-03-01부터 계산",
        "민법 제160조 제1항: 1개월을 역(曆)에 따라 계산 — 최후의 월은 2025년 3월",
        "민법 제160조 제2항: 기산일 2025-03-01이 월의 처음이므로 최후의 월의 말일 2025-03-31에 만료",
        "기간의 만료일: 2025-03-31(월)",
    ]


def test_a_zero_length_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than zero"):
        term_end(D("2025-01-01"), Duration())


# -- deadlines to act (민법 제161조) -----------------------------------------------------------------


def test_act_deadline_passes_samiljeol_and_its_substitute() -> None:
    derived = act_deadline(term_end(D("2026-01-30"), L("1m")), CALENDAR)
    assert derived.date == D("2026-03-03")
    lines = derived.lines()
    assert lines[-5:] == [
        "민법 제161조: 기간의 말일이 토요일 또는 공휴일(일요일 포함)이면 그 다음 날로 만료",
        "2026-02-28 토요일 — 휴무일",
        "2026-03-01 삼일절 (일요일) — 휴무일",
        "2026-03-02 삼일절 대체 휴일 — 휴무일",
        "행위 기한(민법 제161조 적용): 2026-03-03(화)",
    ]


def test_act_deadline_across_chuseok_and_its_substitute_day() -> None:
    derived = act_deadline(term_end(D("2025-09-03"), L("1m")), CALENDAR)
    assert derived.date == D("2025-10-10")
    passed = [line.split(" — ")[0] for line in derived.lines() if line.endswith("휴무일")]
    assert passed == [
        "2025-10-03 개천절",
        "2025-10-04 토요일",
        "2025-10-05 추석 전날 (일요일)",
        "2025-10-06 추석",
        "2025-10-07 추석 다음날",
        "2025-10-08 추석 대체 휴일",
        "2025-10-09 한글날",
    ]


def test_act_deadline_past_the_temporary_holiday_2025_01_27_and_seollal() -> None:
    derived = act_deadline(term_end(D("2024-12-26"), L("1m")), CALENDAR)
    assert derived.date == D("2025-01-31")
    assert "2025-01-27 임시공휴일 — 휴무일" in derived.lines()


@pytest.mark.parametrize(
    ("start", "election", "act"),
    [
        ("2025-05-03", "2025-06-03 대통령 선거일", "2025-06-04(수)"),
        ("2026-05-03", "2026-06-03 지방선거일", "2026-06-04(목)"),
    ],
)
def test_act_deadline_on_an_election_day(start: str, election: str, act: str) -> None:
    lines = act_deadline(term_end(D(start), L("1m")), CALENDAR).lines()
    assert lines[-2:] == [f"{election} — 휴무일", f"행위 기한(민법 제161조 적용): {act}"]


def test_act_deadline_on_labour_day_2026_but_not_2025() -> None:
    assert act_deadline(term_end(D("2026-04-01"), L("1m")), CALENDAR).date == D("2026-05-04")
    assert act_deadline(term_end(D("2025-04-01"), L("1m")), CALENDAR).date == D("2025-05-01")


def test_act_deadline_on_constitution_day_2026_but_not_2025() -> None:
    assert act_deadline(term_end(D("2026-06-17"), L("1m")), CALENDAR).date == D("2026-07-20")
    assert act_deadline(term_end(D("2025-06-17"), L("1m")), CALENDAR).date == D("2025-07-17")


def test_act_deadline_at_the_year_end() -> None:
    assert act_deadline(term_end(D("2025-12-31"), L("1d")), CALENDAR).date == D("2026-01-02")


def test_act_deadline_on_a_workday_says_it_is_not_moved() -> None:
    derived = act_deadline(term_end(D("2025-02-25"), L("1y")), CALENDAR)
    assert derived.date == D("2026-02-25")
    assert derived.lines()[-2] == "2026-02-25(수)은 근무일이므로 옮기지 않음"


def test_act_deadline_with_an_override_adding_and_removing_a_day() -> None:
    nominal = term_end(D("2026-04-01"), L("1m"))  # 2026-05-01, 노동절 in the package
    removed = WorkdayCalendar([HolidayOverride(D("2026-05-01"), "", "test", remove=True)])
    assert act_deadline(nominal, removed).date == D("2026-05-01")
    added = WorkdayCalendar([HolidayOverride(D("2026-05-04"), "임시공휴일", "관보")])
    derived = act_deadline(nominal, added)
    assert derived.date == D("2026-05-06")  # 05-04 added, 05-05 어린이날
    assert "2026-05-04 임시공휴일 — 휴무일" in derived.lines()


# -- backward deadlines (역산) -----------------------------------------------------------------------


def test_youth_shelter_notice_is_due_friday_28_november() -> None:
    """Expiry 12-31, "1개월 전까지": 11-31 does not exist, so 11-30 stands in; the notice is due the day
    before, Saturday 11-29, and the act-by date is Friday 11-28."""
    deadline = notice_deadline(D("2025-12-31"), L("1m"), CALENDAR, clause="제7조")
    assert (deadline.legal.date, deadline.act_by.date) == (D("2025-11-29"), D("2025-11-28"))
    assert deadline.act_by.lines() == [
        "만료일 2025-12-31(수)부터 거꾸로 1개월 전까지(역산) [제7조]",
        "민법 제157조 준용(역산), 법무부·국토교통부 해석(주택임대차보호법 FAQ, 2020. 9. 14.): 만료일 "
        "2025-12-31의 1개월 전에 해당하는 날 2025-11-30(그 월에 31일이 없어 말일, 민법 제160조 제3항 준용)의 "
        "0시 전까지, 곧 그 전날 2025-11-29까지 통지해야 함",
        "월말 때문에 해석이 갈림 — 다른 해석: 다음 달 첫날 2025-12-01을 해당일로 보면 2025-11-30까지이나, "
        "늦춰 잡지 않고 더 이른 2025-11-29을 택함",
        "법정 통지 기한: 2025-11-29(토)",
        "역산한 기한은 늦추지 않음(제161조를 적용하지 않음): 휴무일이면 그 전 근무일까지",
        "2025-11-29 토요일 — 휴무일",
        "실제 통지 기한(근무일): 2025-11-28(금)",
    ]
    assert deadline.legal.lines() == deadline.act_by.lines()[:4]


def test_the_ministries_faq_example_expiry_30_september_2020() -> None:
    """주택임대차보호법 FAQ (법무부·국토교통부, 2020-09-14): expiry 2020-09-30, "1개월 전까지" → before
    2020-08-30 00:00, that is by 2020-08-29 (a Saturday, so act by Friday 08-28)."""
    deadline = notice_deadline(D("2020-09-30"), L("1m"), CALENDAR)
    assert (deadline.legal.date, deadline.act_by.date) == (D("2020-08-29"), D("2020-08-28"))
    assert not any(AMBIGUITY_KO in line for line in deadline.legal.lines())
    assert deadline.legal.lines()[1] == (
        "민법 제157조 준용(역산), 법무부·국토교통부 해석(주택임대차보호법 FAQ, 2020. 9. 14.): 만료일 "
        "2020-09-30의 1개월 전에 해당하는 날 2020-08-30의 0시 전까지, 곧 그 전날 2020-08-29까지 통지해야 함"
    )
    assert deadline.legal.lines("en")[1] == (
        "Civil Act art. 157 applied backward, as the Ministry of Justice and the Ministry of Land read it "
        "(Housing Lease Protection Act FAQ, 2020-09-14): the notice must arrive before 00:00 of 2020-08-30, "
        "the day 1m before the expiry 2020-09-30, i.e. by the day before, 2020-08-29"
    )


def test_the_shareholders_meeting_example_two_weeks_before_25_march() -> None:
    """상법 제363조: a meeting on 3/25, notice "2주 전" — counted back from 3/24, the notice is due 3/10."""
    for lead in ("2w", "14d"):
        deadline = notice_deadline(D("2025-03-25"), L(lead), CALENDAR)
        assert (deadline.legal.date, deadline.act_by.date) == (D("2025-03-10"), D("2025-03-10"))


def test_a_month_end_expiry_takes_the_month_end_and_names_the_later_reading() -> None:
    """Expiry 2025-12-31, 1 month: no 11-31, so 11-30 stands in (민법 제160조 제3항 by analogy) and the
    legal deadline is 11-29; the next month's first day standing in would give 11-30, later, so not taken."""
    legal = notice_deadline(D("2025-12-31"), L("1m"), CALENDAR).legal
    assert legal.date == D("2025-11-29")
    (named,) = [line for line in legal.lines() if AMBIGUITY_KO in line]
    assert "2025-12-01" in named
    assert "2025-11-30까지" in named


def test_a_day_that_exists_gives_one_reading() -> None:
    legal = notice_deadline(D("2025-03-01"), L("1m"), CALENDAR).legal
    assert legal.date == D("2025-01-31")
    assert not any(AMBIGUITY_KO in line for line in legal.lines())


# (expiry, lead, legal, act-by, the other reading's legal deadline, or None when there is only one)
NOTICES = [
    ("2025-12-31", "1m", "2025-11-29", "2025-11-28", "2025-11-30"),
    ("2026-08-12", "3m", "2026-05-11", "2026-05-11", None),  # the example
    ("2026-03-31", "1m", "2026-02-27", "2026-02-27", "2026-02-28"),  # no 02-31: 02-28 stands in
    ("2026-03-30", "1m", "2026-02-27", "2026-02-27", "2026-02-28"),
    ("2026-04-30", "1m", "2026-03-29", "2026-03-27", None),  # Sunday 03-29 → Friday
    ("2026-02-28", "1m", "2026-01-27", "2026-01-27", None),
    ("2028-02-28", "1y", "2027-02-27", "2027-02-26", None),
    ("2028-02-29", "1y", "2027-02-27", "2027-02-26", "2027-02-28"),  # 2027 has no 02-29
    ("2026-04-30", "2m", "2026-02-27", "2026-02-27", "2026-02-28"),
    ("2026-12-31", "6m", "2026-06-29", "2026-06-29", "2026-06-30"),
    ("2026-11-30", "1y", "2025-11-29", "2025-11-28", None),
    ("2025-11-08", "1m", "2025-10-07", "2025-10-02", None),  # back across 추석, its eve and 개천절
    ("2025-07-04", "1m", "2025-06-03", "2025-06-02", None),  # the presidential election
    ("2026-07-04", "1m", "2026-06-03", "2026-06-02", None),  # the local election
    ("2025-02-28", "1m", "2025-01-27", "2025-01-24", None),  # the temporary holiday
    ("2026-06-02", "1m", "2026-05-01", "2026-04-30", None),  # 노동절 2026
    ("2026-08-18", "1m", "2026-07-17", "2026-07-16", None),  # 제헌절 2026
    ("2025-12-31", "30d", "2025-11-30", "2025-11-28", None),  # 12-01 is 30 days before: due 11-30
    ("2025-12-31", "14d", "2025-12-16", "2025-12-16", None),
    ("2025-12-31", "2w", "2025-12-16", "2025-12-16", None),
    (
        "2026-01-10",
        "1m 10d",
        "2025-11-29",
        "2025-11-28",
        "2025-11-30",
    ),  # days off first (12-31), then a month
]


@pytest.mark.parametrize(("expiry", "lead", "legal", "act_by", "other"), NOTICES)
def test_notice_deadline(expiry: str, lead: str, legal: str, act_by: str, other: str | None) -> None:
    deadline = notice_deadline(D(expiry), L(lead), CALENDAR)
    assert (deadline.legal.date, deadline.act_by.date) == (D(legal), D(act_by))
    named = [line for line in deadline.legal.lines() if AMBIGUITY_KO in line]
    if other is None:
        assert named == []
    else:
        assert len(named) == 1
        assert f"{other}까지" in named[0]


def test_notice_backward_across_chuseok_names_each_day() -> None:
    lines = notice_deadline(D("2025-11-08"), L("1m"), CALENDAR).act_by.lines()
    assert lines[-6:] == [
        "2025-10-07 추석 다음날 — 휴무일",
        "2025-10-06 추석 — 휴무일",
        "2025-10-05 추석 전날 (일요일) — 휴무일",
        "2025-10-04 토요일 — 휴무일",
        "2025-10-03 개천절 — 휴무일",
        "실제 통지 기한(근무일): 2025-10-02(목)",
    ]


def test_notice_without_a_lead_is_due_on_the_last_day_of_the_term() -> None:
    deadline = notice_deadline(D("2026-02-28"), None, CALENDAR)
    assert (deadline.legal.date, deadline.act_by.date) == (D("2026-02-28"), D("2026-02-27"))
    assert "통지 기간이 정해져 있지 않음" in deadline.legal.lines()[0]


def test_notice_is_never_moved_later_even_with_an_override() -> None:
    calendar = WorkdayCalendar([HolidayOverride(D("2025-11-28"), "임시공휴일", "관보")])
    assert notice_deadline(D("2025-12-31"), L("1m"), calendar).act_by.date == D("2025-11-27")


# -- terms and renewals ------------------------------------------------------------------------------


def test_first_term_from_a_stated_end_explains_it() -> None:
    term = first_term(D("2025-03-14"), end=D("2025-12-31"), clause="제9조")
    assert (term.index, term.start, term.end.date) == (0, D("2025-03-14"), D("2025-12-31"))
    assert term.end.lines()[0] == "유효기간: 2025-03-14(금)부터 2025-12-31(수)까지로 정해져 있음 [제9조]"


def test_first_term_needs_exactly_one_of_length_and_end() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        first_term(D("2025-03-14"))
    with pytest.raises(ValueError, match="exactly one"):
        first_term(D("2025-03-14"), length=L("1y"), end=D("2026-03-13"))
    with pytest.raises(DateInputError, match="cannot end"):
        first_term(D("2025-03-14"), end=D("2025-03-13"))


def test_renewals_are_anchored_not_chained() -> None:
    first = first_term(D("2023-12-30"), length=L("1m"))  # ends 2024-01-30; anchor 2024-01-31
    second = renewal_term(first, L("1m"), 2)
    # Chained, the second renewal would run 03-01..03-31; anchored on the 31st it ends the day before 03-31.
    assert (second.start, second.end.date) == (D("2024-03-01"), D("2024-03-30"))
    assert "2024-01-31 0시를 기준으로 한 번에 계산: 1개월 × 2 = 2개월" in second.end.lines()[0]


def test_renewals_around_29_february_keep_their_anchor() -> None:
    first = first_term(D("2024-02-29"), length=L("1y"))  # counted from 03-01: ends 2025-02-28
    chain = renewal_chain(first, L("1y"), None, through=D("2028-03-01"))
    assert [(t.start.isoformat(), t.end.date.isoformat()) for t in chain] == [
        ("2024-02-29", "2025-02-28"),
        ("2025-03-01", "2026-02-28"),
        ("2026-03-01", "2027-02-28"),
        ("2027-03-01", "2028-02-29"),
        ("2028-03-01", "2029-02-28"),
    ]


def test_renewal_zero_is_the_first_term() -> None:
    first = first_term(D("2025-03-14"), length=L("1y"))
    assert renewal_term(first, L("1y"), 0) is first


def test_renewal_chain_stops_at_the_cap_or_at_through() -> None:
    first = first_term(D("2025-03-14"), length=L("1y"))
    assert len(renewal_chain(first, L("1y"), 3, through=D("2040-01-01"))) == 4
    assert len(renewal_chain(first, L("1y"), None, through=D("2027-03-14"))) == 2  # ends exactly on through
    assert len(renewal_chain(first, L("1y"), None, through=D("2027-03-15"))) == 3
    assert renewal_chain(first, None, 3, through=D("2040-01-01")) == (first,)


def test_final_expiry_of_one_year_renewals_at_most_three_years() -> None:
    first = first_term(D("2025-03-14"), length=L("1y"))
    final = final_expiry(first, L("1y"), 3)
    assert final is not None
    assert final.date == D("2029-03-14")
    assert AMBIGUITY_KO in final.lines()[0]
    assert final_expiry(first, L("1y"), None) is None
    assert final_expiry(first, None, None) is first.end
    assert final_expiry(first, L("1y"), 0) is first.end


def test_renewal_cap_reading_names_the_other_reading() -> None:
    step = explain_renewal_cap(3, L("1y"))
    assert step.ko.startswith("'1년씩 최대 3년'은 1년 갱신을 최대 3회 하는 것으로 읽음")
    assert "다른 해석: 원래 기간을 포함하여 모두 3년" in step.ko
    assert "at most 3 renewal(s) of 1y" in step.en
    assert "3y in total including the original term" in step.en


# -- derivations and input ---------------------------------------------------------------------------


def test_a_derivation_must_end_with_its_date() -> None:
    with pytest.raises(ValueError, match="must end with a step that states its date 2025-11-30"):
        Derived(D("2025-11-30"), (Step("법정 통지 기한", "legal deadline"),))
    with pytest.raises(ValueError, match="must end"):
        Derived(D("2025-11-30"), ())


def test_lines_in_english_and_an_unknown_language() -> None:
    derived = term_end(D("2025-02-25"), L("1y"))
    assert derived.lines("en")[-1] == "the period ends on 2026-02-25 (Wed)"
    with pytest.raises(ValueError, match="expected a language such as ko or en; got: 'fr'"):
        derived.lines("fr")


@pytest.mark.parametrize("text", ["2025-02-30", "2025-2-3", "25-02-03", "2025/02/03", "", "tomorrow"])
def test_parse_day_refuses_with_an_example(text: str) -> None:
    with pytest.raises(DateInputError) as caught:
        parse_day(text)
    assert str(caught.value) == f"expected a date such as 2025-02-25; got: {text!r}"


def test_parse_month_end() -> None:
    assert parse_month_end("2024-02") == D("2024-02-29")
    assert parse_month_end("2025-12") == D("2025-12-31")
    assert parse_month_end("2025-12-15") == D("2025-12-15")
    with pytest.raises(DateInputError) as caught:
        parse_month_end("2025-13")
    assert (
        str(caught.value) == "expected a date such as 2025-02-25 or a month such as 2025-12; got: '2025-13'"
    )
