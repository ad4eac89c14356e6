"""`obligations status`: one row per agreement or plan, as an analyst reads it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from obligations.cli import cli
from obligations.resources import cases_dir

YOUTH = "youth-shelter-self-reliance-mou-2025"
GIMPO = "seoul-gimpo-seoullearn-mou-2025"
IAEC = "iaec-membership-plan-2025"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def status_json(*args: str) -> dict[str, Any]:
    code, output = run("status", "--format", "json", *args)
    assert code == 0, output
    document = json.loads(output)
    assert isinstance(document, dict)
    return document


def rows(*args: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in status_json(*args)["agreements"]}


def registry_with(tmp_path: Path, events: str = "") -> Path:
    """The youth-shelter MOU and the contacts; ``events`` (YAML list items) in place of ``events: []``."""
    (tmp_path / "contacts.yaml").write_text((cases_dir() / "contacts.yaml").read_text("utf-8"), "utf-8")
    text = (cases_dir() / f"{YOUTH}.yaml").read_text("utf-8")
    if events:
        text = text.replace("events: []\n", "events:\n" + events)
    (tmp_path / f"{YOUTH}.yaml").write_text(text, "utf-8")
    return tmp_path


def test_one_row_per_agreement_sorted_by_next_deadline() -> None:
    document = status_json("--as-of", "2025-11-01")
    assert document["schema"] == 1
    assert document["as_of"] == "2025-11-01"
    assert document["registry"] == {"paths": [], "bundled": True, "agreements": 3, "problems": 0}
    assert [(r["id"], r["next"]["date"], r["next"]["d"]) for r in document["agreements"]] == [
        (YOUTH, "2025-11-28", "D-27"),
        (GIMPO, "2026-01-23", "D-83"),  # cases/policy.yaml: decide on the renewal 30 days before its notice
        (IAEC, "2026-12-31", "D-425"),
    ]


def test_a_row_holds_term_renewal_next_deadline_findings_and_owners() -> None:
    youth = rows("--as-of", "2025-11-01")[YOUTH]
    assert youth["state"] == "in-force"
    assert youth["term"] == {
        "number": 0,
        "max_renewals": 3,
        "renews": True,
        "start": "2025-02-06",
        "end": "2025-12-31",
    }
    assert youth["renewal"] == {"state": "automatic", "by": None, "on": None}
    assert {k: youth["next"][k] for k in ("date", "days_left", "code", "label", "what")} == {
        "date": "2025-11-28",
        "days_left": 27,
        "code": "next-notice",
        "label": "연장 거절 통지 기한",
        "what": "1차 자동 연장을 원하지 않으면 서면으로 통지 (법정 기한 2025-11-29)",
    }
    assert youth["next"]["explain"][-1] == "실제 통지 기한(근무일): 2025-11-28(금)"
    assert youth["findings"] == {"critical": 0, "warning": 3, "info": 9}  # the same day's check
    assert youth["owners"] == ["youth-counselling"]


def test_a_plan_without_a_term() -> None:
    plan = rows("--as-of", "2025-11-01")[IAEC]
    assert (plan["kind"], plan["state"], plan["term"]) == ("plan", "plan", None)
    assert plan["renewal"] == {"state": "none", "by": None, "on": None}
    assert plan["findings"] == {"critical": 2, "warning": 0, "info": 0}
    # the biennial world congress (격년 1회 세계총회) of 2025/2026, beyond check's 60-day horizon
    assert (plan["next"]["code"], plan["next"]["date"]) == ("next-due", "2026-12-31")
    assert plan["next"]["what"].endswith("(2025/2026)") or "2025/2026" in plan["next"]["what"]


def test_renewal_number_and_no_cap_after_renewals() -> None:
    gimpo = rows("--as-of", "2029-03-01")[GIMPO]
    assert gimpo["term"] == {
        "number": 4,
        "max_renewals": None,
        "renews": True,
        "start": "2029-02-26",
        "end": "2030-02-25",
    }
    assert gimpo["renewal"]["state"] == "automatic"


def test_final_term_then_ended() -> None:
    final = rows("--as-of", "2028-03-01")[YOUTH]
    assert (final["state"], final["renewal"]["state"], final["term"]["number"]) == (
        "in-force",
        "final-term",
        3,
    )
    assert (final["next"]["code"], final["next"]["date"]) == ("next-end", "2028-12-31")
    ended = rows("--as-of", "2029-03-01")[YOUTH]
    assert (ended["state"], ended["renewal"]["state"], ended["next"]) == ("ended", "final-term", None)


def test_notice_given_names_who_and_when(tmp_path: Path) -> None:
    registry_with(
        tmp_path,
        "  - {date: 2025-11-20, type: notice-given, party: seoul, form: written, ref: 청소년정책과-1}\n",
    )
    row = rows(str(tmp_path), "--as-of", "2025-12-01")[YOUTH]
    assert row["renewal"] == {"state": "notice-given", "by": "seoul", "on": "2025-11-20"}
    assert (row["next"]["code"], row["next"]["date"], row["next"]["d"]) == ("next-end", "2025-12-31", "D-30")


def test_terminated_early_has_ended(tmp_path: Path) -> None:
    registry_with(tmp_path, "  - {date: 2025-06-30, type: terminated, party: labor-office, ref: 노동청-7}\n")
    row = rows(str(tmp_path), "--as-of", "2025-07-15")[YOUTH]
    assert row["state"] == "ended"
    assert row["renewal"] == {"state": "terminated", "by": "labor-office", "on": "2025-06-30"}
    assert row["term"]["end"] == "2025-06-30"
    assert row["next"] is None


def test_table_has_a_header_and_names_the_registry() -> None:
    code, output = run("status", "--as-of", "2025-11-01", env={"COLUMNS": "120"})
    assert code == 0
    lines = output.splitlines()
    assert lines[0].split() == [
        "다음",
        "기한",
        "다음",
        "할",
        "일",
        "협약",
        "/",
        "담당",
        "상태",
        "/",
        "연장",
        "기간",
        "발견",
    ]
    assert lines[1].split()[:2] == ["2025-11-28", "연장"]
    assert lines[2].split()[0] == "D-27"
    assert max(len(line) for line in lines[:-2]) <= 120
    assert (
        lines[-2]
        == "기준일 2025-11-01; 발견: 긴급/경고/참고 건수; 협약 3건, 입력 문제 0건 — 내장 예시 등록부"
    )
    assert "알림 작업" in lines[-1]  # when the nightly job last ran: tests/test_health.py


def test_table_in_english_names_the_paths_read(tmp_path: Path) -> None:
    registry_with(tmp_path)
    code, output = run("status", str(tmp_path), "--as-of", "2025-11-01", "--lang", "en")
    assert code == 0
    assert output.splitlines()[0].split()[:3] == ["next", "what", "agreement"]
    assert "original term," in output  # wrapped in its column: ", at most 3 renewals"
    assert "automatic" in output
    assert output.splitlines()[-2] == (
        f"as of 2025-11-01; findings: critical/warning/info; 1 agreement, 0 problems — {tmp_path}"
    )


def test_csv_is_utf8_with_a_byte_order_mark() -> None:
    result = CliRunner().invoke(cli, ["status", "--as-of", "2025-11-01", "--format", "csv"])
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["id"] for row in table] == [YOUTH, GIMPO, IAEC]
    assert {k: table[0][k] for k in ("state", "term", "max_renewals", "renewal", "next_date", "next_d")} == {
        "state": "in-force",
        "term": "0",
        "max_renewals": "3",
        "renewal": "automatic",
        "next_date": "2025-11-28",
        "next_d": "D-27",
    }
    assert (table[0]["critical"], table[0]["warning"], table[0]["info"]) == ("0", "3", "9")
    assert "협약 3건, 입력 문제 0건 — 내장 예시 등록부" in result.stderr


def test_a_broken_file_is_reported_and_the_others_shown(tmp_path: Path) -> None:
    registry_with(tmp_path)
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [\n", "utf-8")
    result = CliRunner().invoke(cli, ["status", str(tmp_path), "--as-of", "2025-11-01"])
    assert result.exit_code == 2
    assert f"{tmp_path / 'broken.yaml'}:3: invalid YAML" in result.stderr
    assert f"1 agreement, 1 problem — {tmp_path}" not in result.stdout  # Korean by default
    assert f"협약 1건, 입력 문제 1건 — {tmp_path}" in result.stdout
