"""Recurring duties end to end: the case-file contract (schedule, period, waived), validate, check, explain,
calendar and notify through the command line, and the properties of occurrences as compiled."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from notify_support import Handler, smtp_server

from obligations.cli import cli
from obligations.compile import compile_agreement
from obligations.loading import load_agreement
from obligations.model import Agreement
from obligations.notify.settings import KEYS
from obligations.resources import cases_dir
from obligations.workdays import WorkdayCalendar

CASES = Path(__file__).parent / "scenarios" / "cases"
HALF = (CASES / "half-year-report-mou.yaml").read_text(encoding="utf-8")
QUARTERLY = (CASES / "quarterly-report-mou.yaml").read_text(encoding="utf-8")
OTHER_DUTY = """  - id: gap-space
    clause: "제2조 ① 1)"
    party: gap
    text: "사업 공간 제공"
    due: 2025-06
"""


def _half(old: str, new: str) -> str:
    assert old in HALF, old
    return HALF.replace(old, new, 1)


def _events(*lines: str) -> str:
    return _half("events: []", "events:\n" + "".join(f"  - {line}\n" for line in lines))


BAD_INPUTS = [
    pytest.param(
        _half("every: half-year", "every: quarterly"),
        [
            "15: obligations[0].schedule.every: expected one of month, quarter, half-year, year, 2y, 3y "
            "(분기별 = quarter, 반기별 = half-year, 격년 = 2y); got: 'quarterly' (e.g. 'every: quarter')"
        ],
        id="unknown every",
    ),
    pytest.param(
        _half("due: end+15d", "due: 15 days after"),
        [
            "16: obligations[0].schedule.due: expected the due day of each occurrence, e.g. 'end' (the "
            "period's last day), 'end+15d' (15 days after it), '12-31' (a day of the year, for yearly "
            "periods) or '10' (a day of the month, for monthly ones); got: '15 days after'"
        ],
        id="due in words",
    ),
    pytest.param(
        _half("due: end+15d", "due: 12-31"),
        [
            "14: obligations[0].schedule: 'due: 12-31' names a day of the year; it fits yearly schedules "
            "(year, 2y, 3y), not 'every: half-year' — e.g. 'due: end+15d'"
        ],
        id="MM-DD on a half-year",
    ),
    pytest.param(
        _half("due: end+15d", "due: 10"),
        [
            "14: obligations[0].schedule: 'due: 10' names a day of the month; it fits 'every: month', not "
            "'every: half-year' — e.g. 'due: end+15d'"
        ],
        id="DD on a half-year",
    ),
    pytest.param(
        _half("    schedule:\n", "    due: 2025-12\n    schedule:\n"),
        [
            "10: obligations[0]: an obligation has either a one-off 'due' or a recurring 'schedule', not "
            "both; e.g. 'schedule: {every: half-year, due: end+15d}'"
        ],
        id="schedule and due",
    ),
    pytest.param(
        _half("from: 2025-07-01", "from: 2025-06-31"),
        ["17: obligations[0].schedule.from: expected a date such as 2025-02-25; got: '2025-06-31'"],
        id="impossible from",
    ),
    pytest.param(
        _events("{date: 2026-01-12, type: fulfilled, obligation: eul-half-year-report, period: 2025-Q5}"),
        ["19: events[0].period: a year has quarters Q1 to Q4; got: '2025-Q5' (e.g. 2025-Q4)"],
        id="impossible quarter",
    ),
    pytest.param(
        _events("{date: 2026-01-12, type: fulfilled, obligation: eul-half-year-report, period: 2025-13}"),
        ["19: events[0].period: a year has months 01 to 12; got: '2025-13' (e.g. 2025-12)"],
        id="impossible month",
    ),
    pytest.param(
        _events("{date: 2026-01-12, type: fulfilled, obligation: eul-half-year-report, period: 2H 2025}"),
        [
            "19: events[0].period: expected a period such as 2025 (a year), 2025-H1, 2025-Q3, 2025-07 "
            "(a month), 2025/2026 (two years) or 2025-01-01/2025-12-31 (a term, for a role); got: '2H 2025'"
        ],
        id="unknown label",
    ),
    pytest.param(
        _events("{date: 2026-01-12, type: fulfilled, obligation: eul-half-year-report, period: 2025-Q4}"),
        [
            "19: events[0].period: this duty recurs every half-year (매 반기); name its period like "
            "'2025-H2', not '2025-Q4'"
        ],
        id="label of another schedule",
    ),
    pytest.param(
        _events("{date: 2025-07-12, type: fulfilled, obligation: eul-half-year-report, period: 2025-H1}"),
        [
            "19: events[0].period: period 2025-H1 ends (2025-06-30) before occurrences of "
            "'eul-half-year-report' are owed (from 2025-07-01); the first is 2025-H2"
        ],
        id="period before from",
    ),
    pytest.param(
        _events("{date: 2026-02-01, type: waived, obligation: eul-half-year-report, period: 2026-H1}"),
        [
            "19: events[0]: a 'waived' event closes a due without fulfilment and carries the record that "
            "says so, e.g. 'ref: \"교육지원정책과-612\"'"
        ],
        id="waived without ref",
    ),
    pytest.param(
        _events("{date: 2026-02-01, type: waived, obligation: eul-half-year-report, ref: 갑-31}"),
        [
            "19: events[0].period: a 'waived' event on the recurring duty 'eul-half-year-report' names the "
            "period it waives, e.g. 'period: 2026-H1'"
        ],
        id="waived without period",
    ),
    pytest.param(
        _events("{date: 2026-02-01, type: notice-given, party: gap, period: 2026-H1}"),
        [
            "19: events[0]: only 'fulfilled' and 'waived' events name a period, e.g. 'period: 2025-H2'; "
            "a 'notice-given' event has none"
        ],
        id="period on a notice",
    ),
    pytest.param(
        _half(
            "events: []",
            OTHER_DUTY + "events:\n  - {date: 2025-06-01, type: fulfilled, "
            "obligation: gap-space, period: 2025-H1}\n",
        ),
        [
            "24: events[0].period: obligation 'gap-space' has no 'schedule', so it has no periods; drop "
            "'period' or give the obligation one, e.g. 'schedule: {every: quarter, due: end+15d}'"
        ],
        id="period on a one-off duty",
    ),
    pytest.param(
        _half(
            "events: []",
            OTHER_DUTY.replace("    due: 2025-06\n", "")
            + "events:\n  - {date: 2025-06-01, type: waived, obligation: gap-space, ref: 갑-9}\n",
        ),
        [
            "23: events[0].period: a 'waived' event on the role 'gap-space' names the term it waives by its "
            "first and last days, e.g. 'period: 2025-03-14/2027-03-14'"
        ],
        id="waiver of a role without its term",
    ),
    pytest.param(
        _half(
            "events: []",
            OTHER_DUTY.replace("    due: 2025-06\n", "")
            + "events:\n  - {date: 2025-06-01, type: waived, obligation: gap-space, "
            "period: 2025-01-01/2025-12-31, ref: 갑-9}\n",
        ),
        [
            "23: events[0].period: period 2025-01-01/2025-12-31 is not a term of this agreement; name a term "
            "by its first and last days, e.g. 'period: 2025-03-14/2027-03-14' (the first term)"
        ],
        id="waiver of a role naming no term",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_schedules_and_periods_are_reported_with_line_field_and_example(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.startswith(str(path))] == [
        f"{path}:{line}" for line in expected
    ]


def test_a_typo_in_from_is_an_unknown_key_with_the_right_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_half("from: 2025-07-01", "form: 2025-07-01"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert (
        f"{path}:17: obligations[0].schedule.form: unknown key 'form'; did you mean 'from'?" in result.output
    )


def test_the_reference_example_validates_and_keeps_its_schedule_when_written_back(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        _events(
            "{date: 2026-01-12, type: fulfilled, obligation: eul-half-year-report, party: eul, "
            'period: 2025-H2, ref: "을기관-12"}',
            "{date: 2026-02-01, type: waived, obligation: eul-half-year-report, period: 2026-H1, "
            'ref: "갑-31", note: "양 기관 합의"}',
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    agreement, _, _ = load_agreement(path)
    assert agreement is not None
    dumped = agreement.model_dump(mode="json", exclude_defaults=True)
    assert dumped["obligations"][0]["schedule"] == {
        "every": "half-year",
        "due": "end+15d",
        "from": "2025-07-01",
    }
    assert Agreement.model_validate(dumped) == agreement


# -- check, explain, calendar, notify through the command line --------------------


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """The bundled contacts and the quarterly-report test agreement, its owners in contacts.yaml."""
    folder = tmp_path / "registry"
    folder.mkdir()
    contacts = (cases_dir() / "contacts.yaml").read_text(encoding="utf-8")
    (folder / "contacts.yaml").write_text(contacts, encoding="utf-8")
    owned = QUARTERLY.replace("agency: {name: △△재단}", "agency: {name: △△재단, owners: [youth-counselling]}")
    (folder / "quarterly-report-mou.yaml").write_text(owned, encoding="utf-8")
    return folder


def _record(folder: Path, *events: str) -> None:
    path = folder / "quarterly-report-mou.yaml"
    text = path.read_text(encoding="utf-8").replace("events: []", "events:")
    path.write_text(text + "".join(f"\n  - {event}" for event in events) + "\n", encoding="utf-8")


def _check(folder: Path, as_of: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(cli, ["check", str(folder), "--as-of", as_of, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.output)["findings"]
    assert isinstance(findings, list)
    return findings


def test_check_names_the_period_in_json_and_table(registry: Path) -> None:
    _record(registry, "{date: 2025-07-04, type: fulfilled, obligation: quarterly-report, period: 2025-Q2}")
    (finding,) = _check(registry, "2025-10-01")
    assert {k: finding[k] for k in ("code", "severity", "obligation", "period", "due", "days_left")} == {
        "code": "due-soon",
        "severity": "critical",  # 10-03 개천절 and 10-06…10-09 추석·한글날 leave two working days
        "obligation": "quarterly-report",
        "period": "2025-Q3",
        "due": "2025-10-10",
        "days_left": 9,
    }
    assert finding["message"] == (
        "△△재단: 제3조 ③ 매 분기 종료 후 7일 이내 사업 실적 보고 (2025년 3분기분, 2025-Q3) — 2025-10-10까지"
    )
    table = CliRunner().invoke(
        cli, ["check", str(registry), "--as-of", "2025-10-01", "--lang", "en"], env={"COLUMNS": "200"}
    )
    assert "(period 2025-Q3) — due 2025-10-10" in table.output


def test_an_open_occurrence_keeps_its_id_across_the_renewal(registry: Path) -> None:
    _record(
        registry,
        "{date: 2025-07-04, type: fulfilled, obligation: quarterly-report, period: 2025-Q2}",
        "{date: 2025-10-10, type: fulfilled, obligation: quarterly-report, period: 2025-Q3}",
    )

    def overdue(as_of: str) -> set[str]:
        return {str(f["id"]) for f in _check(registry, as_of) if f["period"] == "2025-Q4"}

    before, after = overdue("2026-05-20"), overdue("2026-07-01")  # the renewal starts on 2026-06-03
    assert len(before) == 1 and before == after


def test_explain_shows_the_schedule_the_period_and_the_holidays_passed(registry: Path) -> None:
    (finding,) = [f for f in _check(registry, "2025-10-01") if f["period"] == "2025-Q3"]
    result = CliRunner().invoke(cli, ["explain", str(finding["id"]), str(registry), "--as-of", "2025-10-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[2] == (
        "  △△재단: 제3조 ③ 매 분기 종료 후 7일 이내 사업 실적 보고 (2025년 3분기분, 2025-Q3) — 2025-10-10까지"
    )
    assert "  1. 제3조 ③: 매 분기 반복, 기한 '기간 종료 후 7일 이내' — 이번 회차 2025-Q3 " in result.output
    for holiday in (
        "2025-10-07 추석 다음날 — 휴무일",
        "2025-10-08 추석 대체 휴일 — 휴무일",
        "2025-10-09 한글날 — 휴무일",
    ):
        assert holiday in result.output
    assert lines[-1].endswith("행위 기한(민법 제161조 적용): 2025-10-10(금)")


def _calendar_events(path: Path) -> dict[str, Event]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e.uid): e for e in calendar.walk("VEVENT") if isinstance(e, Event)}


def test_calendar_carries_each_open_occurrence_of_the_next_twelve_months(
    registry: Path, tmp_path: Path
) -> None:
    _record(registry, "{date: 2025-07-04, type: fulfilled, obligation: quarterly-report, period: 2025-Q2}")
    output = tmp_path / "deadlines.ics"
    first = CliRunner().invoke(
        cli, ["calendar", str(registry), "--as-of", "2025-09-15", "--output", str(output)]
    )
    assert first.exit_code == 0, first.output
    occurrences = {uid: event.start for uid, event in _calendar_events(output).items() if "/due/" in uid}
    # Owed while the term in force runs (to 2026-06-02): 2026-Q2 ends after it and is not yet owed.
    assert occurrences == {
        "quarterly-report-mou/due/quarterly-report/2025-Q3@obligations": dt.date(2025, 10, 10),
        "quarterly-report-mou/due/quarterly-report/2025-Q4@obligations": dt.date(2026, 1, 7),
        "quarterly-report-mou/due/quarterly-report/2026-Q1@obligations": dt.date(2026, 4, 7),
    }
    summary = str(
        _calendar_events(output)["quarterly-report-mou/due/quarterly-report/2025-Q3@obligations"].summary
    )
    assert summary.endswith("매 분기 종료 후 7일 이내 사업 실적 보고 (2025년 3분기분, 2025-Q3)")
    _record(registry, "{date: 2025-10-02, type: fulfilled, obligation: quarterly-report, period: 2025-Q3}")
    second = CliRunner().invoke(
        cli, ["calendar", str(registry), "--as-of", "2025-10-05", "--output", str(output)]
    )
    assert second.exit_code == 0 and "0 new, 0 moved, 1 cancelled" in second.output
    again = _calendar_events(output)
    assert str(again["quarterly-report-mou/due/quarterly-report/2025-Q3@obligations"].status) == "CANCELLED"
    assert again["quarterly-report-mou/due/quarterly-report/2025-Q4@obligations"].sequence == 0


def test_notify_mails_each_occurrence_with_its_period(
    registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    handler = Handler()
    ledger = ["--ledger", str(tmp_path / "ledger.sqlite")]
    with smtp_server(handler) as server:
        env = {
            "OBLIGATIONS_MAIL_FROM": "obligations@example.org",
            "OBLIGATIONS_SMTP_HOST": "127.0.0.1",
            "OBLIGATIONS_SMTP_PORT": str(server.port),
        }
        result = CliRunner().invoke(cli, ["notify", str(registry), "--as-of", "2025-10-01", *ledger], env=env)
    assert result.exit_code == 0, result.output
    ((message,),) = handler.by_recipient().values()
    plain = message.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    overdue_ids = {str(f["id"]) for f in _check(registry, "2025-10-01")}
    assert "(2025년 2분기분, 2025-Q2) — 기한 2025-07-07 경과" in plain
    assert "(2025년 3분기분, 2025-Q3) — 2025-10-10까지" in plain
    assert all(finding_id in plain for finding_id in overdue_ids) and len(overdue_ids) == 2


# -- properties of compiled occurrences --------------------

CALENDAR = WorkdayCalendar()
MONTHLY, _, _ = load_agreement(CASES / "monthly-figures-mou.yaml")
LABELS = [f"2025-{m:02d}" for m in (11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]


def _open_dues(agreement: Agreement, as_of: dt.date) -> dict[str, tuple[int, int]]:
    compiled = compile_agreement(agreement, as_of, CALENDAR, until=as_of + dt.timedelta(days=400))
    return {str(f["period"]): (f["due"], f["due_wd"]) for f in compiled.facts if f.get("period")}


@settings(max_examples=40, deadline=None)
@given(
    st.dates(dt.date(2025, 12, 1), dt.date(2027, 3, 1)),
    st.sets(st.sampled_from(LABELS), max_size=6),
    st.sampled_from(LABELS),
)
def test_settling_an_occurrence_never_changes_another_ones_due(
    as_of: dt.date, settled: set[str], label: str
) -> None:
    assert MONTHLY is not None
    events = [
        {"date": "2025-11-20", "type": "fulfilled", "obligation": "monthly-figures", "period": p}
        for p in settled
    ]
    before = MONTHLY.model_validate({**MONTHLY.model_dump(by_alias=True), "events": events})
    after = MONTHLY.model_validate(
        {
            **MONTHLY.model_dump(by_alias=True),
            "events": [
                *events,
                {
                    "date": "2025-11-21",
                    "type": "waived",
                    "obligation": "monthly-figures",
                    "period": label,
                    "ref": "x",
                },
            ],
        }
    )
    open_before, open_after = _open_dues(before, as_of), _open_dues(after, as_of)
    assert label not in open_after
    assert not settled & set(open_before)
    assert open_after == {p: due for p, due in open_before.items() if p != label}
    assert sorted(open_before) == sorted(open_before, key=lambda p: open_before[p])  # ordered by due
