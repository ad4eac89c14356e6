"""`obligations validate` names every event dated after today (Asia/Seoul) as a warning: file, line, date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli
from obligations.resources import cases_dir

YOUTH = "youth-shelter-self-reliance-mou-2025.yaml"
GIMPO = "seoul-gimpo-seoullearn-mou-2025.yaml"
EVENTS = """events:
  - {date: 2025-11-20, type: notice-given, party: seoul, form: written, ref: "청소년정책과-1234"}
  - {date: 2062-12-01, type: fulfilled, obligation: seoul-publicity, party: seoul, ref: "청소년정책과-9"}
  - date: 2026-12-02
    type: fulfilled
    obligation: labor-publicity
    party: labor-office
    ref: "고용노동청-7"
"""


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("obligations.commands.validate.today_in_seoul", lambda: date(2026, 12, 1))
    for name in ("contacts.yaml", YOUTH, GIMPO):
        (tmp_path / name).write_bytes((cases_dir() / name).read_bytes())
    youth = tmp_path / YOUTH
    youth.write_text(youth.read_text("utf-8").replace("events: []\n", EVENTS), "utf-8")
    return tmp_path


def test_every_event_after_today_is_a_warning_with_file_line_and_date(registry: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(registry)])
    assert result.exit_code == 0, result.output  # a warning, not a problem
    warnings = {line for line in result.output.splitlines() if line.startswith("warning: ")}
    path = registry / YOUTH
    why = "after today (2026-12-01, Asia/Seoul); an event is recorded once it has happened — a typo?"
    assert warnings == {
        f"warning: {path}:71: events[1].date: fulfilled dated 2062-12-01, {why}",
        f"warning: {path}:72: events[2].date: fulfilled dated 2026-12-02, {why}",
    }
    assert result.output.count("ok  ") == 2
    assert result.output.splitlines()[-1] == f"2 agreements, 0 problems — {registry}"


def test_an_event_dated_today_is_no_warning(registry: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("obligations.commands.validate.today_in_seoul", lambda: date(2062, 12, 1))
    result = CliRunner().invoke(cli, ["validate", str(registry)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_a_future_event_does_not_hide_a_problem_elsewhere(registry: Path) -> None:
    gimpo = registry / GIMPO
    gimpo.write_text(gimpo.read_text("utf-8").replace("signed: 2025-", "signed: 2025-02-30 #", 1), "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(registry)])
    assert result.exit_code == 2
    assert f"{registry / YOUTH}:71: events[1].date: fulfilled dated 2062-12-01" in result.output
    assert f"{gimpo}:" in result.output and "got: '2025-02-30'" in result.output
