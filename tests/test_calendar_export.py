"""Calendar export, parsed back with icalendar: stable UIDs across exports, SEQUENCE +1 when a date moves."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Alarm, Calendar, Event

from obligations.cli import cli
from obligations.keydates import KeyDate
from obligations.resources import cases_dir
from obligations.views import calendar as calendar_view
from obligations.views.calendar import CalendarError, build_calendar, read_previous, write_calendar

NOTICE = KeyDate(
    uid="youth-mou-notice-seoul",
    kind="act-by",
    date=date(2025, 11, 28),
    agreement="youth-mou",
    agreement_title="청소년쉼터 이용 청소년 자립지원 업무 협약",
    party="seoul",
    obligation=None,
    summary="[통지 기한] 청소년쉼터 자립지원 협약 자동 연장 거절 통지 (서면)",
    description=(
        "협약만료 2025-12-31부터 거꾸로 1개월 전까지: 2025-11-29(토)",
        "마지막 근무일: 2025-11-28(금)",
    ),
    owners=("youth-counselling",),
)
TERM_END = replace(
    NOTICE,
    uid="youth-mou-term-end",
    kind="term-end",
    date=date(2025, 12, 31),
    summary="[협약 만료] 청소년쉼터",
)


def events(path: Path) -> dict[str, Event]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e.uid): e for e in calendar.walk("VEVENT") if isinstance(e, Event)}


def export(path: Path, key_dates: list[KeyDate]) -> None:
    data, _ = build_calendar(
        key_dates, read_previous(path), owner_names={"youth-counselling": "청소년상담팀"}
    )
    write_calendar(path, data)


def test_events_are_all_day_with_reminders(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    export(path, [NOTICE, TERM_END])
    found = events(path)
    assert set(found) == {"youth-mou-notice-seoul@obligations", "youth-mou-term-end@obligations"}
    notice = found["youth-mou-notice-seoul@obligations"]
    assert notice.start == date(2025, 11, 28) and notice.end == date(2025, 11, 29)
    assert notice.sequence == 0 and str(notice.summary) == NOTICE.summary
    assert "마지막 근무일: 2025-11-28(금)" in str(notice["DESCRIPTION"])
    assert "담당: 청소년상담팀" in str(notice["DESCRIPTION"])
    triggers = [alarm.TRIGGER for alarm in notice.walk("VALARM") if isinstance(alarm, Alarm)]
    # 14, 7, 1 days before and on the day, each at 09:00
    assert triggers == [
        timedelta(days=-14, hours=9),
        timedelta(days=-7, hours=9),
        timedelta(days=-1, hours=9),
        timedelta(hours=9),
    ]


def test_reexport_keeps_uids_and_raises_sequence_only_when_a_date_moves(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    export(path, [NOTICE, TERM_END])
    export(path, [NOTICE, TERM_END])
    same = events(path)
    assert [e.sequence for e in same.values()] == [0, 0]
    export(path, [replace(NOTICE, date=date(2025, 11, 27)), TERM_END])  # e.g. a holiday declared late
    moved = events(path)
    assert set(moved) == set(same)
    assert moved["youth-mou-notice-seoul@obligations"].sequence == 1
    assert moved["youth-mou-notice-seoul@obligations"].start == date(2025, 11, 27)
    assert moved["youth-mou-term-end@obligations"].sequence == 0
    export(path, [replace(NOTICE, date=date(2026, 11, 27)), TERM_END])
    assert events(path)["youth-mou-notice-seoul@obligations"].sequence == 2


def test_an_event_that_disappears_is_cancelled_once_then_dropped(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    export(path, [NOTICE, TERM_END])
    export(path, [TERM_END])  # notice given: no act-by date any more
    cancelled = events(path)["youth-mou-notice-seoul@obligations"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.sequence == 1
    export(path, [TERM_END])
    assert set(events(path)) == {"youth-mou-term-end@obligations"}


def test_an_unreadable_previous_export_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    path.write_text("not a calendar", encoding="utf-8")
    with pytest.raises(CalendarError, match=r"cannot read the previous export .* move it aside"):
        read_previous(path)


def test_text_from_case_files_stays_inside_its_property(tmp_path: Path) -> None:
    path = tmp_path / "deadlines.ics"
    export(path, [replace(NOTICE, summary="통지\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil")])
    assert list(events(path)) == ["youth-mou-notice-seoul@obligations"]


def test_calendar_command_on_the_bundled_cases(tmp_path: Path) -> None:
    output = tmp_path / "deadlines.ics"
    first = CliRunner().invoke(cli, ["calendar", "--as-of", "2025-11-01", "--output", str(output)])
    assert first.exit_code == 0, first.output
    uids = set(events(output))
    assert uids and any(e.start == date(2025, 11, 28) for e in events(output).values())
    second = CliRunner().invoke(cli, ["calendar", "--as-of", "2025-11-01", "--output", str(output)])
    assert second.exit_code == 0
    assert "0 new, 0 moved, 0 cancelled; 3 agreements, 0 problems — bundled sample registry" in second.output
    assert set(events(output)) == uids and all(e.sequence == 0 for e in events(output).values())


YOUTH_TITLE = "청소년쉼터 이용 청소년 자립지원 서울특별시-서울지방고용노동청-한국청소년쉼터협의회 업무 협약"


def summaries(path: Path) -> dict[str, tuple[date, str]]:
    return {uid: (event.start, str(event.summary)) for uid, event in events(path).items()}


def test_a_term_that_renews_is_a_renewal_and_the_notice_reads_naturally(tmp_path: Path) -> None:
    output = tmp_path / "deadlines.ics"
    result = CliRunner().invoke(cli, ["calendar", "--as-of", "2025-11-01", "--output", str(output)])
    assert result.exit_code == 0, result.output
    found = summaries(output)
    youth = "youth-shelter-self-reliance-mou-2025"
    assert found[f"{youth}/act-by/term-1@obligations"] == (
        date(2025, 11, 28),
        f"[통지 기한] {YOUTH_TITLE}: 1차 자동 연장(2026-01-01~2026-12-31)을 원하지 않으면 서면으로 통지",
    )
    assert found[f"{youth}/renewal/term-1@obligations"] == (
        date(2026, 1, 1),
        f"[자동 연장] {YOUTH_TITLE}: 1차 연장 기간 시작 (2026-01-01~2026-12-31, 통지가 없을 때)",
    )
    # the original term renews by itself: no expiry on 2025-12-31
    assert not [uid for uid in found if "/term-end/" in uid]
    assert not [summary for _, summary in found.values() if "[만료]" in summary or "을 막는" in summary]


def test_an_expiry_only_when_nothing_follows_and_english_titles(tmp_path: Path) -> None:
    registry = tmp_path / "cases"
    registry.mkdir()
    for name in ("contacts.yaml", "youth-shelter-self-reliance-mou-2025.yaml"):
        (registry / name).write_bytes((cases_dir() / name).read_bytes())
    case = registry / "youth-shelter-self-reliance-mou-2025.yaml"
    notice = (
        "events:\n  - {date: 2025-11-20, type: notice-given, party: seoul, form: written, ref: 청소년-9}\n"
    )
    case.write_text(case.read_text(encoding="utf-8").replace("events: []", notice), encoding="utf-8")
    output = tmp_path / "deadlines.ics"
    args = ["calendar", str(registry), "--as-of", "2025-11-21", "--lang", "en", "--output", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert summaries(output) == {
        "youth-shelter-self-reliance-mou-2025/term-end/term-0@obligations": (
            date(2025, 12, 31),
            f"[expiry] {YOUTH_TITLE}: the term ends (2025-02-06 to 2025-12-31); nothing follows",
        )
    }
    event = events(output)["youth-shelter-self-reliance-mou-2025/term-end/term-0@obligations"]
    assert [str(c) for c in event["CATEGORIES"].cats] == ["expiry"]
    assert "Owners: 청소년정책과 청소년상담팀" in str(event["DESCRIPTION"])


def test_english_notice_and_renewal_titles(tmp_path: Path) -> None:
    output = tmp_path / "deadlines.ics"
    args = ["calendar", "--as-of", "2025-11-01", "--lang", "en", "--output", str(output)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    found = summaries(output)
    youth = "youth-shelter-self-reliance-mou-2025"
    assert found[f"{youth}/act-by/term-1@obligations"][1] == (
        f"[notice deadline] {YOUTH_TITLE}: give written notice to stop renewal 1 (2026-01-01 to 2026-12-31)"
    )
    assert found[f"{youth}/renewal/term-1@obligations"][1] == (
        f"[renewal] {YOUTH_TITLE}: renewal 1 begins (2026-01-01 to 2026-12-31) unless notice is given"
    )


def test_a_previous_export_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path) -> None:
    """A FIFO left where the export goes would block a plain read forever; it is refused instead."""
    output = tmp_path / "deadlines.ics"
    os.mkfifo(output)
    result = CliRunner().invoke(cli, ["calendar", "--as-of", "2025-11-01", "--output", str(output)])
    assert result.exit_code == 2
    assert "cannot read the previous export" in result.stderr
    assert "not a regular file but a named pipe (FIFO); calendar exports are ordinary files" in result.stderr


def test_a_previous_export_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar_view, "MAX_EXPORT_BYTES", 100)
    output = tmp_path / "deadlines.ics"
    export(output, [NOTICE])
    with pytest.raises(CalendarError, match=r"previous export .*calendar exports are at most"):
        read_previous(output)
