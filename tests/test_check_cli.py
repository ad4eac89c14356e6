"""`obligations check` and `obligations explain` as an analyst runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli
from obligations.resources import cases_dir, rules_dir
from obligations.rulebook import RuleError, load_rules
from obligations.standing import STANDING_RULES

YOUTH = "youth-shelter-self-reliance-mou-2025"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def check_json(*args: str) -> dict[str, object]:
    code, output = run("check", "--format", "json", *args)
    assert code in (0, 1), output
    document = json.loads(output)
    assert isinstance(document, dict)
    return document


def test_json_matches_the_design_contract() -> None:
    document = check_json("--as-of", "2025-11-01", "--agreement", YOUTH, "--party", "seoul")
    assert document["schema"] == 1
    assert document["as_of"] == "2025-11-01"
    assert document["horizon_days"] == 60
    assert document["errors"] == []
    findings = document["findings"]
    assert isinstance(findings, list)
    notice = findings[0]
    assert {
        k: notice[k] for k in ("code", "severity", "agreement", "party", "obligation", "due", "days_left")
    } == {
        "code": "notice-window",
        "severity": "warning",
        "agreement": YOUTH,
        "party": "seoul",
        "obligation": None,
        "due": "2025-11-28",
        "days_left": 27,
    }
    assert notice["message"] == (
        "서울특별시: 1차 자동 연장(2026-01-01~2026-12-31)을 원하지 않으면 2025-11-28까지 서면으로 통지 "
        "(법정 기한 2025-11-29)"
    )
    assert notice["explain"][-1] == "실제 통지 기한(근무일): 2025-11-28(금)"
    assert any("2025-11-29 토요일" in line for line in notice["explain"])
    assert notice["owners"] == ["youth-counselling"]
    assert {f["party"] for f in findings} == {"seoul"}


def test_finding_ids_are_stable_across_days_in_the_same_term() -> None:
    def ids(day: str) -> set[str]:
        findings = check_json("--as-of", day, "--agreement", YOUTH)["findings"]
        assert isinstance(findings, list)
        return {f["id"] for f in findings if f["code"] == "notice-window"}

    first, later = ids("2025-11-01"), ids("2025-11-25")
    assert len(first) == 3
    assert first == later


def test_english_messages() -> None:
    findings = check_json("--as-of", "2025-11-01", "--agreement", YOUTH, "--party", "seoul", "--lang", "en")[
        "findings"
    ]
    assert isinstance(findings, list)
    assert findings[0]["message"] == (
        "서울특별시: to stop renewal 1 (2026-01-01 to 2026-12-31), give written notice by 2025-11-28 "
        "(legal deadline 2025-11-29)"
    )
    assert findings[0]["explain"][-1] == "act by (a working day): 2025-11-28 (Fri)"


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [("info", 1), ("warning", 1), ("critical", 0), ("never", 0)],
)
def test_exit_code_follows_fail_on(fail_on: str, expected: int) -> None:
    # On 2025-11-01 the youth-shelter MOU has warnings (notice window) and infos, nothing critical.
    code, _ = run("check", "--as-of", "2025-11-01", "--agreement", YOUTH, "--fail-on", fail_on)
    assert code == expected


def test_nothing_to_report_exits_0() -> None:
    # Mid-2025: no deadline within the horizon, and no term has ended yet (a lapsed term stays reported).
    code, output = run("check", "--as-of", "2025-06-15", "--agreement", YOUTH)
    assert code == 0
    assert "해당 기간에 알릴 사항이 없습니다." in output


def test_table_groups_by_agreement_and_sorts_by_date() -> None:
    code, output = run("check", "--as-of", "2025-11-01", env={"NO_COLOR": "1"})
    assert code == 1
    assert "\x1b[" not in output
    headers = [line.rsplit("(", 1)[1].rstrip(")") for line in output.splitlines() if "  (" in line]
    assert headers == ["iaec-membership-plan-2025", YOUTH]  # Gimpo has nothing within 60 days of 2025-11-01
    youth = output.split(YOUTH, 1)[1]
    dates = [line.split()[1] for line in youth.splitlines() if line.split()[:1] in (["경고"], ["참고"])]
    assert len(dates) == 12
    assert dates == sorted(dates)
    assert "D-27" in youth


def test_horizon_option() -> None:
    findings = check_json("--as-of", "2025-10-01", "--agreement", YOUTH, "--horizon", "30d")["findings"]
    assert findings == []  # act-by 2025-11-28 is 58 days away
    findings = check_json("--as-of", "2025-10-01", "--agreement", YOUTH, "--horizon", "2m")["findings"]
    assert isinstance(findings, list)
    assert {f["code"] for f in findings} == {"notice-window"}


def test_a_broken_file_is_reported_and_the_others_still_checked(tmp_path: Path) -> None:
    for name in ("contacts.yaml", f"{YOUTH}.yaml"):
        (tmp_path / name).write_text((cases_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--as-of", "2025-11-01", "--format", "json"])
    assert result.exit_code == 2
    document = json.loads(result.output)
    assert document["errors"] == [
        {
            "file": str(tmp_path / "broken.yaml"),
            "line": 3,
            "message": "invalid YAML: while parsing a flow node "
            "expected the node content, but found '<stream end>'",
        }
    ]
    assert {f["code"] for f in document["findings"]} >= {"notice-window"}


def test_bad_as_of_is_a_usage_error() -> None:
    code, output = run("check", "--as-of", "2025-02-30")
    assert code == 2
    assert "expected a date such as 2025-02-25; got: '2025-02-30'" in output


def test_explain_prints_the_derivation() -> None:
    findings = check_json("--as-of", "2025-11-01", "--agreement", YOUTH, "--party", "seoul")["findings"]
    assert isinstance(findings, list)
    code, output = run("explain", findings[0]["id"], "--as-of", "2025-11-01")
    assert code == 0
    assert output.splitlines()[:2] == [
        "notice-window-47d8e740  연장 거절 통지 기한 (경고)",
        "  청소년쉼터 이용 청소년 자립지원 서울특별시-서울지방고용노동청-한국청소년쉼터협의회 업무 협약"
        f" ({YOUTH}) / 서울특별시 (seoul)",
    ]
    assert "  기한 2025-11-28 (D-27)" in output.splitlines()
    reason = "기한까지 당사자가 통지하지 않으면 협약이 자동으로 연장되는데, 아직 통지 기록이 없습니다."
    assert f"  사유: {reason}" in output.splitlines()
    assert "역산" in output
    assert "법무부·국토교통부 해석" in output and "2025-11-29 토요일" in output
    assert output.rstrip().endswith("실제 통지 기한(근무일): 2025-11-28(금)")


def test_explain_unknown_id() -> None:
    code, output = run("explain", "notice-window-00000000", "--as-of", "2025-11-01")
    assert code == 2
    assert (
        "no finding 'notice-window-00000000' as of 2025-11-01 in 3 agreements, 0 problems — bundled "
        in output
    )


def test_every_rule_is_named_after_a_design_code_with_label_severity_and_reason() -> None:
    codes = {
        "notice-window",
        "renewed",
        "expiring",
        "final-term",
        "expired",
        "role-unfulfilled",
        "due-soon",
        "overdue",
        "role-lapsed",
    }
    codes.add("surviving")
    codes.add("dormant")  # policy.yaml: nothing recorded on the agreement's duties for dormant_after
    rules = load_rules(rules_dir())
    assert {rule.code for rule in rules} == codes
    for rule in rules:
        assert rule.name.split(".")[0] == rule.code
        assert rule.label["ko"] and rule.label["en"]
        assert all(rule.reason[lang] and "\n" not in rule.reason[lang] for lang in ("ko", "en"))


def test_a_rule_with_an_unreadable_condition_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "overdue:\n  fact: {o: duty}\n  label: {ko: x, en: x}\n  severity: critical\n"
        "  reason: {ko: r, en: r}\n"
        "  when: ['o.due => c.day']\n  message: {ko: x, en: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"cannot read condition 'o.due => c.day'"):
        load_rules(tmp_path)


def test_the_command_runs_with_the_collector_on_and_start_up_frozen() -> None:
    """The console entry holds the cyclic collector off while starting; the command itself runs with it on
    (a long single-process run must collect), and what start-up made is frozen out of its way."""
    script = (
        "import gc, sys\n"
        "from obligations.cli import main\n"
        "sys.argv = ['obligations', 'check', '--as-of', '2025-11-01', '--fail-on', 'never']\n"
        "sys.argv += ['--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    print(done.code, gc.isenabled(), gc.get_freeze_count() > 10_000, file=sys.stderr)\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(shown.stdout)["findings"]
    assert shown.stderr.split() == ["0", "True", "True"]


def test_every_status_rule_states_its_reason_in_both_languages() -> None:
    rules = load_rules(rules_dir() / STANDING_RULES)
    assert rules
    for rule in rules:
        assert all(rule.reason[lang] and "\n" not in rule.reason[lang] for lang in ("ko", "en")), rule.name


# -- CSV ----------------------------------------------------------------------------------------------------

SCENARIO_CASES = Path(__file__).parent / "scenarios" / "cases"


def check_csv(*args: str) -> tuple[list[str], list[dict[str, str]]]:
    result = CliRunner().invoke(cli, ["check", "--format", "csv", *args])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel opens the Korean text as Korean
    reader = csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or ()), rows


def test_csv_ends_with_the_period_and_the_legal_deadline_leaving_the_other_columns_in_place() -> None:
    header, _ = check_csv("--as-of", "2025-11-01")
    assert header == [
        "id", "code", "severity", "agreement", "party", "obligation", "due", "days_left", "d", "label",
        "message", "owners", "snoozed_until", "period", "legal",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("paths", "as_of", "expected"),
    [
        # Notice by 2025-11-29, a Saturday: the act-by day is Friday 2025-11-28, the legal deadline beside it.
        (
            [],
            "2025-11-01",
            {
                ("notice-window-47d8e740", "2025-11-28", "", "2025-11-29"),
                ("notice-window-92cf0398", "2025-11-28", "", "2025-11-29"),
                ("notice-window-57e06c03", "2025-11-28", "", "2025-11-29"),
                ("overdue-a72505ad", "2025-02-28", "", ""),
                ("overdue-1e3b83c5", "2025-03-31", "", ""),
            },
        ),
        # Occurrences of recurring duties: the period names which one.
        (
            [str(SCENARIO_CASES / "quarterly-report-mou.yaml")],
            "2025-12-20",
            {
                ("overdue-35863637", "2025-07-07", "2025-Q2", ""),
                ("overdue-ed97f866", "2025-10-10", "2025-Q3", ""),
                ("due-soon-bfdce95f", "2026-01-07", "2025-Q4", ""),
            },
        ),
    ],
)
def test_csv_rows_carry_the_period_and_legal_deadline_of_the_json(
    paths: list[str], as_of: str, expected: set[tuple[str, str, str, str]]
) -> None:
    _, rows = check_csv("--as-of", as_of, *paths)
    shown = {(row["id"], row["due"], row["period"], row["legal"]) for row in rows}
    assert expected <= shown
    assert {row for row in shown if row[2] or row[3]} == {row for row in expected if row[2] or row[3]}
    document = check_json("--as-of", as_of, *paths)
    findings = document["findings"]
    assert isinstance(findings, list)
    # Every row says what the JSON says (an empty cell for null).
    assert shown == {(f["id"], f["due"] or "", f["period"] or "", f["legal"] or "") for f in findings}
