"""`obligations record`: an event appended to a case file, and nothing else in the file changed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from obligations.cli import cli
from obligations.recording import append_event
from obligations.resources import cases_dir

YOUTH = "youth-shelter-self-reliance-mou-2025"
GIMPO = "seoul-gimpo-seoullearn-mou-2025"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    for path in cases_dir().glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    return tmp_path


def record(registry: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["record", *args, str(registry)])
    assert "Traceback" not in result.output
    return result


def test_notice_given_is_appended_and_nothing_else_changes(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    before = path.read_text("utf-8")
    result = record(
        registry,
        *("notice-given", "--agreement", YOUTH, "--party", "seoul", "--date", "2025-11-20"),
        *("--form", "written", "--ref", "청소년정책과-1234", "--as-of", "2025-11-20"),
    )
    assert result.exit_code == 0, result.output
    line = '{date: 2025-11-20, type: notice-given, party: seoul, form: written, ref: "청소년정책과-1234"}'
    assert path.read_text("utf-8") == before.replace("events: []\n", f"events:\n  - {line}\n")
    lines = result.output.splitlines()
    assert lines[0] == f"recorded in {path}: {line}"
    # one party's notice stops the renewal for all: every party's notice window closes
    assert lines[1] == (
        "resolves as of 2025-11-20: notice-window-92cf0398, notice-window-47d8e740, notice-window-57e06c03"
    )


def test_fulfilled_appends_after_the_last_item_keeping_comments_and_quoting(registry: Path) -> None:
    path = registry / f"{GIMPO}.yaml"
    original = path.read_text("utf-8").replace(
        "events: []\n",
        "events:   # what happened\n"
        "  - {date: 2025-05-02, type: fulfilled, obligation: seoul-platform-sharing, party: seoul,"
        " ref: 'a-1'}\n"
        "  # a comment inside the list\n"
        "\n",
    )
    original += "# a closing comment\n"
    path.write_text(original, "utf-8")
    result = record(
        registry,
        *("fulfilled", "--agreement", GIMPO, "--obligation", "seoul-platform-sharing", "--party", "seoul"),
        *(
            "--date",
            "2025-08-01",
            "--ref",
            "교육지원정책과-88",
            "--note",
            'said "yes"',
            "--as-of",
            "2025-08-01",
        ),
    )
    assert result.exit_code == 0, result.output
    item = (
        "  - {date: 2025-08-01, type: fulfilled, obligation: seoul-platform-sharing, party: seoul, "
        'ref: "교육지원정책과-88", note: "said \\"yes\\""}\n'
    )
    expected = original.replace("  # a comment inside the list\n", "  # a comment inside the list\n" + item)
    assert path.read_text("utf-8") == expected
    assert result.output.splitlines()[1] == "resolves no finding reported as of 2025-08-01"


def test_crlf_files_keep_their_line_endings(registry: Path) -> None:
    path = registry / f"{GIMPO}.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    result = record(registry, "amended", "--agreement", GIMPO, "--date", "2025-06-01", "--ref", "제1차 변경")
    assert result.exit_code == 0, result.output
    added = 'events:\r\n  - {date: 2025-06-01, type: amended, ref: "제1차 변경"}\r\n'.encode()
    assert path.read_bytes() == before.replace(b"events: []\r\n", added)


def test_terminated_resolves_the_notice_windows(registry: Path) -> None:
    result = record(
        registry,
        *("terminated", "--agreement", YOUTH, "--party", "labor-office", "--date", "2025-11-10"),
        *("--ref", "노동청-7", "--as-of", "2025-11-10"),
    )
    assert result.exit_code == 0, result.output
    resolved = result.output.splitlines()[1].removeprefix("resolves as of 2025-11-10: ").split(", ")
    assert {"notice-window-47d8e740", "notice-window-92cf0398"} <= set(resolved)


def test_dry_run_prints_the_change_and_writes_nothing(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    before = path.read_bytes()
    result = record(
        registry,
        *("notice-given", "--agreement", YOUTH, "--party", "seoul", "--date", "2025-11-20"),
        *("--ref", "청소년정책과-1234", "--dry-run", "--as-of", "2025-11-20"),
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert "-events: []\n+events:\n+  - {date: 2025-11-20, type: notice-given" in result.output
    assert f"would record in {path}: " in result.output


def test_an_exact_duplicate_is_refused(registry: Path) -> None:
    args = ("amended", "--agreement", GIMPO, "--date", "2025-06-01", "--ref", "변경-1")
    assert record(registry, *args).exit_code == 0
    path = registry / f"{GIMPO}.yaml"
    before = path.read_bytes()
    result = record(registry, *args)
    assert result.exit_code == 2
    assert f"Error: not recorded: {path} already has this event (amended on 2025-06-01)" in result.output
    assert path.read_bytes() == before


def test_an_unknown_agreement_names_the_close_ids(registry: Path) -> None:
    result = record(registry, "amended", "--agreement", "seoul-gimpo", "--ref", "x")
    assert result.exit_code == 2
    assert (
        f"Error: Invalid value for --agreement: no agreement 'seoul-gimpo' in 3 agreements, 0 problems — "
        f"{registry}; did you mean '{GIMPO}'?"
    ) in result.output


def test_an_unknown_party_is_refused_before_writing(registry: Path) -> None:
    path = registry / f"{YOUTH}.yaml"
    before = path.read_bytes()
    result = record(registry, "notice-given", "--agreement", YOUTH, "--party", "sesoul", "--ref", "x")
    assert result.exit_code == 2
    assert (
        f"not recorded, the event would not be valid: {path}:70: events[0].party: unknown party 'sesoul'; "
        "the parties of this file are: labor-office, seoul, shelter-council"
    ) in result.output
    assert path.read_bytes() == before


def test_an_unknown_obligation_is_refused(registry: Path) -> None:
    result = record(registry, "fulfilled", "--agreement", GIMPO, "--obligation", "platform", "--ref", "x")
    assert result.exit_code == 2
    assert "events[0].obligation: unknown obligation 'platform'; known: " in result.output


def test_waived_with_a_period_is_left_to_the_model(registry: Path) -> None:
    """``waived`` and ``period`` come with recurring duties: accepted by the command line, judged by the
    model. Either the event is recorded, or the refusal is a clean exit 2 that changes nothing."""
    path = registry / f"{GIMPO}.yaml"
    before = path.read_bytes()
    result = record(
        registry,
        *("waived", "--agreement", GIMPO, "--obligation", "seoul-platform-sharing", "--party", "seoul"),
        *("--period", "2025", "--date", "2025-12-01", "--ref", "면제-1", "--as-of", "2025-12-01"),
    )
    line = (
        '{date: 2025-12-01, type: waived, obligation: seoul-platform-sharing, party: seoul, period: "2025", '
        'ref: "면제-1"}'
    )
    if result.exit_code == 0:
        assert path.read_text("utf-8") == before.decode().replace("events: []\n", f"events:\n  - {line}\n")
    else:
        assert result.exit_code == 2
        assert "not recorded, the event would not be valid: " in result.output
        assert path.read_bytes() == before


def test_a_flow_list_of_events_is_refused_with_advice() -> None:
    text = "id: x\nevents: [{date: 2025-01-01, type: amended}]\n"
    with pytest.raises(ValueError, match="write it as a block list"):
        append_event(text, "{date: 2025-02-01, type: amended}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: x\n", "id: x\nevents:\n  - {E}\n"),
        ("id: x", "id: x\nevents:\n  - {E}\n"),
        ("events: []  # none yet\nid: x\n", "events:  # none yet\n  - {E}\nid: x\n"),
        ("events:\n- {A}\nid: x\n", "events:\n- {A}\n- {E}\nid: x\n"),
        ("events:\n    - {A}\n    - {B}\n\nid: x\n", "events:\n    - {A}\n    - {B}\n    - {E}\n\nid: x\n"),
        ("events:\n  - {A}", "events:\n  - {A}\n  - {E}\n"),
    ],
)
def test_append_event_places_the_line(text: str, expected: str) -> None:
    assert append_event(text, "{E}") == expected


# -- no events from the future ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "day"),
    [
        (date(2026, 12, 1), "2062-12-01"),  # the year's digits swapped
        (date(2026, 12, 1), "2026-12-02"),  # tomorrow
        (date(2025, 12, 31), "2026-01-01"),  # tomorrow, across the year
    ],
)
def test_an_event_dated_after_today_is_refused_and_the_file_is_unchanged(
    registry: Path, monkeypatch: pytest.MonkeyPatch, today: date, day: str
) -> None:
    monkeypatch.setattr("obligations.commands.record.today_in_seoul", lambda: today)
    path = registry / f"{YOUTH}.yaml"
    before = path.read_bytes()
    args = ("--obligation", "seoul-publicity", "--party", "seoul", "--ref", "청소년정책과-9", "--date", day)
    result = record(registry, "fulfilled", "--agreement", YOUTH, *args)
    assert result.exit_code == 2, result.output
    assert (
        f"Error: Invalid value for --date: {day} is after today ({today.isoformat()}, Asia/Seoul); an event "
        f"is recorded once it has happened. A typo? Give the day it happened, e.g. --date {today.isoformat()}"
    ) in " ".join(result.output.split())
    assert path.read_bytes() == before


def test_an_event_dated_today_is_recorded(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("obligations.commands.record.today_in_seoul", lambda: date(2026, 12, 1))
    args = ("--obligation", "seoul-publicity", "--party", "seoul", "--ref", "청소년정책과-9")
    result = record(registry, "fulfilled", "--agreement", YOUTH, *args, "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "{date: 2026-12-01, type: fulfilled, obligation: seoul-publicity" in result.output


def test_the_real_today_in_seoul_refuses_a_typo_of_the_year(registry: Path) -> None:
    args = ("--obligation", "seoul-publicity", "--party", "seoul", "--ref", "청소년정책과-9")
    result = record(registry, "fulfilled", "--agreement", YOUTH, *args, "--date", "2199-12-01")
    assert result.exit_code == 2 and "2199-12-01 is after today" in result.output
