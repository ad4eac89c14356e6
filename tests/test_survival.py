"""Survival clauses (존속 조항): ``survives: true`` binds for ever, ``survives: 3y`` for three years counted
from the day after the end or termination (민법 제157조: the end day itself is not counted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli

CASE = """\
id: survival-mou-2025
title: "비밀유지 존속 시험 협약"
signed: 2025-01-01
parties:
  city: {{name: ○○시, owners: [desk]}}
  library: {{name: △△도서관}}
term: {{start: 2025-01-01, starts_at_midnight: true, length: 1y}}
obligations:
  - {{id: secrecy, clause: "제7조", party: [city, library], text: "비밀유지", survives: {survives}}}
events: {events}
"""


def registry(tmp_path: Path, survives: str, events: str = "[]") -> Path:
    (tmp_path / "contacts.yaml").write_text("desk: {name: 담당, email: desk@example.org}\n", encoding="utf-8")
    path = tmp_path / "survival-mou-2025.yaml"
    path.write_text(CASE.format(survives=survives, events=events), encoding="utf-8")
    return tmp_path


def surviving(folder: Path, as_of: str, *extra: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        cli, ["check", str(folder), "--as-of", as_of, "--format", "json", "--fail-on", "never", *extra]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    return [f for f in findings if f["code"] == "surviving"]


@pytest.mark.parametrize(
    ("as_of", "parties"),
    [
        ("2025-12-31", set()),  # still in force: nothing survives yet
        ("2026-01-01", {"city", "library"}),  # the day after the end
        ("2028-12-31", {"city", "library"}),  # the last day of three years counted from 2026-01-01
        ("2029-01-01", set()),  # the length has run
        ("2041-06-01", set()),  # sixteen years on: long gone
    ],
)
def test_a_survival_length_runs_from_the_day_after_the_end(
    tmp_path: Path, as_of: str, parties: set[str]
) -> None:
    found = surviving(registry(tmp_path, "3y"), as_of)
    assert {f["party"] for f in found} == parties


def test_survival_without_a_length_never_ends(tmp_path: Path) -> None:
    found = surviving(registry(tmp_path, "true"), "2041-06-01")
    assert {f["party"] for f in found} == {"city", "library"}
    assert found[0]["message"] == "○○시: 제7조 의무는 협약 종료(2025-12-31) 후에도 유지"


def test_the_message_and_explain_show_the_count(tmp_path: Path) -> None:
    found = surviving(registry(tmp_path, "36m"), "2026-03-01", "--party", "city")
    (secrecy,) = found
    assert secrecy["message"] == "○○시: 제7조 의무는 협약 종료(2025-12-31) 후에도 2028-12-31까지 유지"
    explain = secrecy["explain"]
    assert any("민법 제157조 초일 불산입" in line and "2026-01-01" in line for line in explain), explain
    assert explain[-1] == "기간의 만료일: 2028-12-31(일)"


def test_survival_counts_from_a_termination(tmp_path: Path) -> None:
    events = '[{date: 2025-06-30, type: terminated, party: city, ref: "해지-1"}]'
    folder = registry(tmp_path, "1y", events)
    assert {f["party"] for f in surviving(folder, "2026-06-30")} == {"city", "library"}
    assert surviving(folder, "2026-07-01") == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [("'yes'", "'yes'"), ("3", "3"), ("3x", "3x"), ("0d", "0d")],
)
def test_a_bad_survival_is_refused_with_an_example(tmp_path: Path, value: str, shown: str) -> None:
    folder = registry(tmp_path, value)
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "survives" in result.output
    assert shown in result.output
    assert "survives: 3y" in result.output
    assert "Traceback" not in result.output
