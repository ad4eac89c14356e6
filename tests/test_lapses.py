"""`role-lapsed` as a user meets it: a role expected once per term whose term ended unrecorded, over a
two-term agreement (term 2025, one automatic renewal, two roles): in `check`, `explain`, `status`,
`report`, closed by `record --period`, refused when the period names no term; bounded on long chains."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from two_term import CASE, FIRST_TERM, two_term_registry

from obligations.cli import cli


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return two_term_registry(tmp_path / "cases")


def lapses(folder: Path, day: str, *args: str) -> list[dict[str, object]]:
    code, output = run("check", str(folder), "--as-of", day, "--format", "json", *args)
    assert code in (0, 1), output
    return [f for f in json.loads(output)["findings"] if f["code"] == "role-lapsed"]


def city_space_done(registry: Path, day: str, period: str, as_of: str) -> tuple[int, str]:
    """``record fulfilled`` of the city's role for the term ``period``, dated ``day``."""
    return run(
        "record", "fulfilled", "--agreement", "two-term-mou", "--obligation", "city-space", "--party", "city",
        "--date", day, "--period", period, "--ref", "시-1", "--as-of", as_of, str(registry),
    )  # fmt: skip


def test_the_json_finding_names_the_term_by_its_period_and_carries_its_last_day(registry: Path) -> None:
    found = lapses(registry, "2026-01-02")
    assert {(f["party"], f["obligation"], f["period"], f["due"], f["severity"]) for f in found} == {
        ("city", "city-space", FIRST_TERM, "2025-12-31", "warning"),
        ("centre", "centre-programme", FIRST_TERM, "2025-12-31", "warning"),
    }
    city = next(f for f in found if f["party"] == "city")
    assert city["message"] == (
        "○○시: 제3조 2. 프로그램 운영 공간 제공 — 협약기간 2025-01-01~2025-12-31에 이행 기록 없음"
    )
    assert city["label"] == "역할 미이행 기간"
    assert lapses(registry, "2025-12-31") == []  # the term's last day: not yet lapsed


def test_explain_names_the_term_and_that_no_record_falls_in_it(registry: Path) -> None:
    (city,) = lapses(registry, "2026-01-02", "--party", "city")
    code, output = run("explain", str(city["id"]), str(registry), "--as-of", "2026-01-02", "--lang", "en")
    assert code == 0, output
    assert "no fulfilment of this role is recorded in the term 2025-01-01 to 2025-12-31" in output
    assert f"--period {FIRST_TERM}" in output
    code, output = run("explain", str(city["id"]), str(registry), "--as-of", "2026-01-02")
    assert "협약기간 2025-01-01~2025-12-31에 이 역할의 이행 기록이 없음" in output


def test_a_record_naming_the_term_closes_the_lapse_and_says_so(registry: Path) -> None:
    (city,) = lapses(registry, "2026-01-10", "--party", "city")
    code, output = city_space_done(registry, "2026-01-09", FIRST_TERM, "2026-01-10")
    assert code == 0, output
    assert f"resolves as of 2026-01-10: {city['id']}" in output
    assert f'period: "{FIRST_TERM}"' in (registry / CASE.name).read_text(encoding="utf-8")
    assert [f["party"] for f in lapses(registry, "2026-01-10")] == ["centre"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["waived", "--obligation", "city-space"],
            "a 'waived' event on the role 'city-space' names the term it waives by its first and last days, "
            f"e.g. 'period: {FIRST_TERM}'",
        ),
        (
            ["fulfilled", "--obligation", "city-space", "--period", "2025-01-01/2025-11-30"],
            "period 2025-01-01/2025-11-30 is not a term of this agreement; name a term by its first and last "
            f"days, e.g. 'period: {FIRST_TERM}' (the first term)",
        ),
        (
            ["fulfilled", "--obligation", "city-space", "--period", "2025-H2"],
            f"a role's period is the term it is for, e.g. 'period: {FIRST_TERM}'",
        ),
        (
            ["waived", "--obligation", "city-plan", "--period", FIRST_TERM],
            "obligation 'city-plan' has no 'schedule', so it has no periods",
        ),
    ],
)
def test_a_period_that_names_no_term_is_refused_and_the_file_left_as_it_was(
    registry: Path, arguments: list[str], message: str
) -> None:
    before = (registry / CASE.name).read_bytes()
    code, output = run(
        "record", *arguments, "--agreement", "two-term-mou", "--party", "city", "--date", "2026-01-09",
        "--ref", "시-109", str(registry),
    )  # fmt: skip
    assert code == 2
    assert message in " ".join(output.split())
    assert (registry / CASE.name).read_bytes() == before


def test_a_renewal_term_is_named_by_its_own_days(registry: Path) -> None:
    # A waiver counts for the term it names only (a fulfilment would count for the term it is dated in).
    code, output = run(
        "record", "waived", "--agreement", "two-term-mou", "--obligation", "centre-programme",
        "--party", "centre", "--date", "2026-12-01", "--period", "2026-01-01/2026-12-31", "--ref", "센터-1",
        "--as-of", "2027-01-05", str(registry),
    )  # fmt: skip
    assert code == 0, output
    assert {(f["party"], f["period"]) for f in lapses(registry, "2027-01-05")} == {
        ("city", FIRST_TERM),
        ("city", "2026-01-01/2026-12-31"),
        ("centre", FIRST_TERM),
    }


def test_status_counts_and_report_show_the_lapses(registry: Path, tmp_path: Path) -> None:
    code, output = run("status", str(registry), "--as-of", "2026-01-02", "--format", "json")
    assert code in (0, 1), output
    (row,) = json.loads(output)["agreements"]
    # overdue plan (critical); two lapses (warning); two renewed and two final-term notes (info)
    assert row["findings"] == {"critical": 1, "warning": 2, "info": 4}
    page = tmp_path / "report.html"
    code, output = run("report", str(registry), "--as-of", "2026-01-02", "--output", str(page))
    assert code in (0, 1), output
    assert page.read_text(encoding="utf-8").count("역할 미이행 기간") >= 2


def test_a_long_chain_of_short_renewals_looks_back_a_bounded_number_of_terms(tmp_path: Path) -> None:
    """Daily renewals since 1990 with the role never recorded: the lapses of the last hundred terms are
    reported (the last ninety-nine ended), in a
    time comparable with one term's."""
    folder = tmp_path / "cases"
    folder.mkdir()
    text = (
        "id: daily-mou\ntitle: 매일 연장 협약\nsigned: 1990-01-01\nparties:\n  city: {name: ○○시}\n"
        "term: {clause: 제2조, length: 1d}\n"
        "renewal: {clause: 제2조, automatic: true, length: 1d, notice: {lead: null, form: any, by: any}}\n"
        "obligations:\n  - {id: city-space, clause: 제3조, party: city, text: 공간 제공}\nevents: []\n"
    )
    (folder / "daily-mou.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    found = lapses(folder, "2025-11-01")
    elapsed = time.perf_counter() - started
    assert len(found) == 99  # the hundred terms looked at end with the one in force (2025-11-01)
    assert max(str(f["due"]) for f in found) == "2025-10-31"
    assert min(str(f["due"]) for f in found) == "2025-07-25"
    assert elapsed < 10, elapsed


def test_an_amended_term_is_named_by_the_days_the_amendment_gave_it(registry: Path) -> None:
    """An amendment of 2025-09-01 moves the first term's end to 2026-03-31: that term lapses on its new
    end, and its period (2025-01-01/2026-03-31) is the one a record names."""
    case = registry / CASE.name
    amendment = (
        "events:\n  - {date: 2025-09-01, type: amended, ref: 변경협약서, changes: {term.end: 2026-03-31}}\n"
    )
    case.write_text(case.read_text(encoding="utf-8").replace("events: []\n", amendment), encoding="utf-8")
    amended = "2025-01-01/2026-03-31"
    assert {(f["party"], f["period"], f["due"]) for f in lapses(registry, "2026-04-01")} == {
        ("city", amended, "2026-03-31"),
        ("centre", amended, "2026-03-31"),
    }
    code, output = city_space_done(registry, "2026-04-02", amended, "2026-04-03")
    assert code == 0, output
    assert [f["party"] for f in lapses(registry, "2026-04-03")] == ["centre"]
