"""`obligations register`: the yearly register (업무협약 관리대장), as Excel and LibreOffice open it.

The registry below holds agreements signed in 2025, running across it, ending in it (by expiry after notice,
and by termination), ended before it, signed after it, renewing through it, and a plan: each year's register
holds exactly those signed, in force or ended in that year.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from obligations.cli import cli
from obligations.views.register import FINDING_HEADERS, HEADERS, display_width

AS_OF = "2026-01-15"

POLICY = """\
source: "○○시 업무협약 관리 조례 제7조·제8조"
review: {every: year, due: 12-31}
council: {after_signing: 50d, after_ending: 30d}
renewal_review: 30d
"""
CONTACTS = "team-a: {name: 교육협력팀, email: team-a@example.org}\n"
PARTIES = "parties:\n  city: {name: ○○시, owners: [team-a]}\n  partner: {name: △△재단}\n"
CASES = {
    "signed-2025": """\
title: "2025년 체결 협약"
signed: 2025-03-14
term: {length: 2y}
events:
  - {date: 2025-04-20, type: fulfilled, obligation: "policy:council-signing", ref: 의회-1}
  - {date: 2025-12-20, type: fulfilled, obligation: "policy:review", period: "2025", ref: 점검-25,
     note: 정상 추진}
""",
    "running-across": """\
title: "2024년부터 3년간 협약"
signed: 2024-06-01
term: {length: 3y}
""",
    "ending-2025": """\
title: "통지로 2025년에 끝난 협약"
signed: 2023-07-01
term: {length: 2y}
renewal: {automatic: true, length: 1y, max_renewals: 1, notice: {lead: 1m, form: written, by: any}}
events:
  - {date: 2025-05-02, type: notice-given, party: partner, form: written, ref: 재단-9, note: 사업 종료}
  - {date: 2025-07-20, type: fulfilled, obligation: "policy:council-ending", ref: 의회-7}
""",
    "terminated-2025": """\
title: "2025년에 해지된 협약"
signed: 2022-01-10
term: {length: 5y}
events:
  - {date: 2025-09-30, type: terminated, party: city, ref: 협력팀-30, note: 목적 달성}
""",
    "ended-2024": """\
title: "2024년에 끝난 협약"
signed: 2022-03-01
term: {length: 2y}
""",
    "signed-2026": """\
title: "2026년 체결 협약"
signed: 2026-01-05
term: {length: 1y}
""",
    "renewing": """\
title: "해마다 연장되는 협약"
signed: 2024-01-01
term: {end: 2024-12}
renewal: {automatic: true, length: 1y, max_renewals: 3, notice: {lead: 1m, form: any, by: any}}
events:
  - {date: 2025-10-20, type: fulfilled, obligation: "policy:renewal-review", ref: 협력팀-77, note: 연장 유지}
""",
}
PLAN = """\
id: plan-2025
title: "2025년 계획"
kind: plan
signed: 2025-01-01
parties:
  city: {name: ○○시, owners: [team-a]}
"""
EXPECTED = {
    2024: {"running-across", "ending-2025", "terminated-2025", "ended-2024", "renewing"},
    2025: {"signed-2025", "running-across", "ending-2025", "terminated-2025", "renewing"},
    2026: {"signed-2025", "running-across", "signed-2026", "renewing"},
}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "policy.yaml").write_text(POLICY, "utf-8")
    (folder / "contacts.yaml").write_text(CONTACTS, "utf-8")
    (folder / "plan-2025.yaml").write_text(PLAN, "utf-8")
    for key, body in CASES.items():
        (folder / f"{key}.yaml").write_text(f"id: {key}\n{PARTIES}{body}", "utf-8")
    return folder


def register(registry: Path, output: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["register", str(registry), "--as-of", AS_OF, "--output", str(output), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def sheet_rows(path: Path, index: int = 0) -> list[list[object]]:
    book = openpyxl.load_workbook(path)
    return [[cell.value for cell in row] for row in book.worksheets[index].iter_rows()]


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_one_row_per_agreement_signed_in_force_or_ended_in_the_year(
    registry: Path, tmp_path: Path, year: int
) -> None:
    output = tmp_path / f"{year}.xlsx"
    said = register(registry, output, "--year", str(year))
    ids = {row[1] for row in sheet_rows(output)[1:]}
    assert ids == EXPECTED[year]
    assert said.startswith(f"{output}: {year}년 협약 {len(EXPECTED[year])}건")


def test_the_workbook_has_korean_headers_a_frozen_header_row_and_real_dates(
    registry: Path, tmp_path: Path
) -> None:
    output = tmp_path / "관리대장-2025.xlsx"
    register(registry, output, "--year", "2025")
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["관리대장 2025", "발견 사항 2025"]
    main, findings = book.worksheets
    assert [cell.value for cell in main[1]] == list(HEADERS)
    assert [cell.value for cell in findings[1]] == list(FINDING_HEADERS)
    assert main.freeze_panes == "A2"
    assert findings.freeze_panes == "A2"
    rows = {row[1].value: row for row in main.iter_rows(min_row=2)}
    signed = rows["signed-2025"]
    for column, day in ((4, dt.date(2025, 3, 14)), (5, dt.date(2025, 3, 14)), (6, dt.date(2027, 3, 14))):
        cell = signed[column]
        assert isinstance(cell.value, dt.datetime)
        assert cell.value.date() == day
        assert cell.is_date
        assert cell.number_format == "yyyy-mm-dd"
    assert rows["running-across"][11].value == dt.datetime(2027, 6, 1)  # its end ahead (no renewal)
    assert rows["renewing"][11].value is None  # it renews by itself: no end yet
    assert rows["terminated-2025"][11].value == dt.datetime(2025, 9, 30)
    # Columns fit their text, Korean characters counting double (capped, the rest wraps).
    widths = {letter: dim.width for letter, dim in main.column_dimensions.items()}
    assert widths["C"] >= min(display_width("통지로 2025년에 끝난 협약"), 60)
    assert widths["B"] >= len("terminated-2025")
    assert widths["E"] >= len("2025-03-14")
    assert all(width <= 62 for width in widths.values())


def test_a_row_tells_the_year_reviews_council_reports_renewals_and_the_ending(
    registry: Path, tmp_path: Path
) -> None:
    output = tmp_path / "2025.xlsx"
    register(registry, output, "--year", "2025")
    rows = {row[1]: dict(zip(HEADERS, row, strict=True)) for row in sheet_rows(output)[1:]}
    signed = rows["signed-2025"]
    assert signed["상대 기관"] == "△△재단"
    assert signed["담당"] == "교육협력팀"
    assert signed["연간 점검 (기록·비고)"] == "2025-12-20 점검 (2025) 점검-25 — 정상 추진"
    assert signed["의회 보고"] == "2025-04-20 체결 보고 의회-1"
    assert signed["종료일"] == dt.datetime(2027, 3, 14)
    assert signed["종료 사유"] == "종료 예정: 기간 만료 (자동 연장 없음)"
    across = rows["running-across"]
    assert across["연간 점검 (기록·비고)"] == "미이행: 점검 (2025) 기한 2025-12-31 (긴급)"
    assert across["의회 보고"] == "미이행: 체결 보고 기한 2024-07-22 (긴급)"
    ending = rows["ending-2025"]
    assert ending["종료일"] == dt.datetime(2025, 7, 1)
    assert ending["종료 사유"] == "종료: 연장 거절 통지 (△△재단 2025-05-02 재단-9) — 사업 종료"
    # 50 days after 2023-07-01 is Sunday 20 August: the report was due on Monday 21 August (민법 제161조).
    assert ending["의회 보고"] == "미이행: 체결 보고 기한 2023-08-21 (긴급)\n2025-07-20 종료 보고 의회-7"
    terminated = rows["terminated-2025"]
    assert terminated["종료 사유"] == "종료: 해지 (○○시 2025-09-30 협력팀-30) — 목적 달성"
    assert (
        terminated["의회 보고"]
        == "미이행: 체결 보고 기한 2022-03-02 (긴급)\n미이행: 종료 보고 기한 2025-10-30 (긴급)"
    )
    renewing = rows["renewing"]
    assert renewing["협약기간·연장"] == "2차 연장 / 최대 3회\n1차 연장 2025-01-01~2025-12-31"
    # The decision recorded in 2025 is the 2025 term's; the one before the first renewal was never made.
    assert renewing["연장 상태"] == (
        "자동 연장\n2025-10-20 연장 여부 결정 협력팀-77 — 연장 유지\n"
        "미이행: 연장 여부 결정 기한 2024-10-29 (긴급)"
    )


def test_the_findings_sheet_holds_the_years_findings_of_the_registers_agreements(
    registry: Path, tmp_path: Path
) -> None:
    output = tmp_path / "2025.xlsx"
    register(registry, output, "--year", "2025")
    listed = {row[8] for row in sheet_rows(output, 1)[1:]}
    # The year is over on the as-of day: the register's check has the default horizon, as this one.
    check = ["check", str(registry), "--as-of", AS_OF, "--format", "json", "--fail-on", "never"]
    result = CliRunner().invoke(cli, check)
    findings = json.loads(result.output)["findings"]
    expected = {
        f["id"]
        for f in findings
        if f["due"] and f["due"].startswith("2025") and f["agreement"] in EXPECTED[2025]
    }
    assert expected  # the 2025 review of running-across, at least
    assert listed == expected


def test_csv_is_utf8_with_a_byte_order_mark_and_the_same_rows(registry: Path, tmp_path: Path) -> None:
    register(registry, tmp_path / "2025.xlsx", "--year", "2025")
    register(registry, tmp_path / "2025.csv", "--year", "2025")
    raw = (tmp_path / "2025.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    expected = [
        [
            cell.date().isoformat() if isinstance(cell, dt.datetime) else "" if cell is None else str(cell)
            for cell in row
        ]
        for row in sheet_rows(tmp_path / "2025.xlsx")[1:]
    ]
    assert rows[1:] == expected


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.cells.append(data)


def test_html_is_one_self_contained_page(registry: Path, tmp_path: Path) -> None:
    (registry / "signed-2025.yaml").write_text(
        (registry / "signed-2025.yaml")
        .read_text("utf-8")
        .replace("2025년 체결 협약", "<script>x</script> 협약"),
        "utf-8",
    )
    register(registry, tmp_path / "2025.html", "--year", "2025")
    page = _Page()
    page.feed((tmp_path / "2025.html").read_text("utf-8"))
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert not any(attrs.get("src") or attrs.get("href") for _, attrs in page.tags)
    assert "<script>x</script> 협약" in page.cells
    assert set(page.cells) >= EXPECTED[2025]


def test_the_workbook_opens_in_libreoffice(registry: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        # .ci/run installs it: in CI a missing LibreOffice is a broken set-up, not a reason to skip.
        assert not os.environ.get("CI"), "CI must install LibreOffice (Debian libreoffice-calc-nogui)"
        pytest.skip("LibreOffice (soffice) is not installed: the headless conversion is not checked here")
    output = tmp_path / "2025.xlsx"
    register(registry, output, "--year", "2025")
    converted = tmp_path / "converted"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",  # comma, double quote, UTF-8
            "--outdir",
            str(converted),
            str(output),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader(io.StringIO((converted / "2025.csv").read_text("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    by_id = {row[1]: row for row in rows[1:]}
    assert set(by_id) == EXPECTED[2025]
    assert by_id["signed-2025"][4:7] == ["2025-03-14", "2025-03-14", "2027-03-14"]  # dates shown as dates


def test_bad_input_is_listed_the_register_still_written_and_exit_2(registry: Path, tmp_path: Path) -> None:
    (registry / "broken.yaml").write_text("id: broken\ntitle: [\n", "utf-8")
    output = tmp_path / "2025.xlsx"
    result = CliRunner().invoke(
        cli, ["register", str(registry), "--year", "2025", "--as-of", AS_OF, "-o", str(output)]
    )
    assert result.exit_code == 2
    assert "broken.yaml:" in result.output
    assert {row[1] for row in sheet_rows(output)[1:]} == EXPECTED[2025]


def test_a_bad_year_or_an_unwritable_output_exits_2(registry: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["register", str(registry), "--year", "25", "-o", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert "25 is not in the range 1900<=x<=2199" in result.output
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    result = CliRunner().invoke(
        cli, ["register", str(registry), "--year", "2025", "--as-of", AS_OF, "-o", str(blocker / "r.xlsx")]
    )
    assert result.exit_code == 2
    assert "obligations register: cannot write" in result.output
