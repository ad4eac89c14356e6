"""`obligations report`: the HTML page parsed back with html.parser — every agreement, every key date as a
text alternative of its timeline, nothing fetched from outside, and case-file text escaped."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from obligations.cli import cli
from obligations.keydates import key_dates
from obligations.registry import load_registry
from obligations.resources import cases_dir

YOUTH = "youth-shelter-self-reliance-mou-2025"
GIMPO = "seoul-gimpo-seoullearn-mou-2025"
IAEC = "iaec-membership-plan-2025"


class Page(HTMLParser):
    """What a reader (and a screen reader) gets: per agreement section, the text alternatives of the
    timeline's marks and the visible text; for the whole page, every src/href and every tag used."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: dict[str, list[str]] = defaultdict(list)  # id -> aria-labels and titles
        self.text: dict[str, list[str]] = defaultdict(list)  # id -> visible text
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.style = ""
        self._section = ""
        self._in_title = self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        if tag == "section":
            self._section = values.get("id") or ""
        self.links += [value or "" for name, value in attrs if name in ("src", "href", "xlink:href")]
        if values.get("aria-label"):
            self.sections[self._section].append(values["aria-label"] or "")
        self._in_title, self._in_style = tag == "title", tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = ""
        self._in_title = self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
            return
        (self.sections if self._in_title else self.text)[self._section].append(data)

    def alternatives(self, section: str) -> str:
        return "\n".join(self.sections[section])


def page_text_of(raw: str, table_class: str) -> list[str]:
    """The visible text of the table with that class."""
    table = raw[raw.index(f'<table class="{table_class}"') :]
    table = table[: table.index("</table>")]
    page = Page(table)
    return [text for texts in page.text.values() for text in texts]


def report(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    output = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", *args, "--output", str(output)])
    assert "Traceback" not in result.output
    page = output.read_text(encoding="utf-8") if output.exists() else ""
    return result.exit_code, result.output, page


def assert_self_contained(page: Page) -> None:
    assert page.links and all(link.startswith("#") for link in page.links), page.links
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed", "base", "use", "image"}
    assert page.style and "url(" not in page.style and "@import" not in page.style


def test_bundled_registry_every_agreement_and_key_date(tmp_path: Path) -> None:
    code, output, raw = report(tmp_path, "--as-of", "2025-11-01")
    assert code == 0, output
    assert output.startswith(
        f"{tmp_path / 'report.html'}: 14 finding(s) as of 2025-11-01; 협약 3건, 입력 문제 0건 — "
    )
    overview = "".join(page_text_of(raw, "overview"))
    for expected in (  # the rows of `obligations status`, soonest next deadline first
        "2025-11-28D-27",
        "청소년쉼터 이용 청소년 자립지원",
        "유효자동 연장",
        "최초 기간 / 최대 3회2025-02-06~2025-12-31",
        "0/3/9",
        "2026-01-23D-83",  # cases/policy.yaml: the keep-or-stop decision before the renewal
        "최초 기간 / 상한 없음2025-02-25~2026-02-25",
        "계획없음",
    ):
        assert expected in overview, expected
    assert overview.index("청소년쉼터") < overview.index("사교육비") < overview.index("국제교육도시연합")
    page = Page(raw)
    assert_self_contained(page)
    assert set(page.sections) >= {YOUTH, GIMPO, IAEC}
    youth = page.alternatives(YOUTH)
    for line in (
        "1차 연장 거절 통지 처리 기한 2025-11-28 (법정 기한 2025-11-29 또는 그 전 마지막 근무일)",
        "1차 연장 거절 법정 통지 기한 2025-11-29",
        "2025-12-31 원 협약기간 종료 — 다음 날 1차 연장 시작",
        "1차 연장 2026-01-01~2026-12-31 (통지가 없으면 자동 연장)",
        "2026-12-31 1차 연장 종료 — 다음 날 2차 연장 시작",
        "2027-12-31 2차 연장 종료 — 다음 날 3차 연장 시작",
        "2028-12-31 3차 연장 종료 — 이어지는 기간 없음 (만료)",  # max_renewals: 3
        "기준일 2025-11-01",
    ):
        assert line in youth, line
    gimpo = page.alternatives(GIMPO)
    assert "1차 연장 거절 통지 처리 기한 2026-02-25 (법정 기한 2026-02-25 또는 그 전 마지막 근무일)" in gimpo
    assert "2026-02-25 원 협약기간 종료 — 다음 날 1차 연장 시작" in gimpo
    iaec = page.alternatives(IAEC)
    assert (
        "2025-02-28 기한: 향후계획 ※ 가입신청서 및 교육도시헌장 동의서 국제교육도시연합 제출 (’25.2월)"
        in iaec
    )
    assert "2025-03-31 기한: 향후계획 ㅇ 1 국제교육도시연합 승인 후 회비 납부 (’25. 3월)" in iaec
    header = "".join(page.text[""])
    assert "기준일: 2025-11-01" in header and "긴급 2" in header and "경고 3" in header and "참고 9" in header
    findings = "".join(page.text[YOUTH])
    assert "청소년정책과 청소년상담팀" in findings  # the owner's name from contacts.yaml
    assert "민법 제161조" in "".join(page.text[IAEC])  # derivations are in the page (folded)


def test_every_calendar_key_date_is_on_the_timeline(tmp_path: Path) -> None:
    """The report and the .ics export read the same compiled facts: no date of one is missing in the other."""
    code, _, raw = report(tmp_path, "--as-of", "2025-11-01")
    assert code == 0
    page = Page(raw)
    for item in key_dates(load_registry([cases_dir()]), date(2025, 11, 1)):
        assert item.date.isoformat() in page.alternatives(item.agreement), item


AGREEMENT = """\
id: {id}
title: "{title}"
signed: {signed}
parties:
  city: {{name: 시, owners: [team]}}
  library: {{name: 도서관}}
term: {{start: {signed}, starts_at_midnight: true, length: 1y}}
renewal: {{length: 1y, max_renewals: {cap}, notice: {{lead: 1m, form: written, by: any}}}}
obligations:
  - {{id: report, clause: "제5조", party: city, text: "결과 보고", due: {due}}}
events: {events}
"""


def generated_registry(folder: Path) -> list[str]:
    folder.mkdir()
    (folder / "contacts.yaml").write_text(
        "contacts:\n  team: {name: 팀, email: team@example.org}\n", encoding="utf-8"
    )
    ids = []
    for n in range(6):
        ident = f"generated-{n}"
        events = "[]"
        if n == 0:  # notice recorded in time: the first renewal is stopped
            events = "[{date: 2024-10-02, type: notice-given, party: library, form: written, ref: 도서관-7}]"
        if n == 1:
            events = "[{date: 2024-05-10, type: fulfilled, obligation: report, party: city, ref: 보고-1}]"
        text = AGREEMENT.format(
            id=ident,
            title=f"생성 협약 {n} <script>alert({n})</script> <img src=http://evil.example/x.png>",
            signed=f"{2024 - n}-01-01",
            cap=(n + 2) % 4,
            due=f"{2024 - n}-05-31",
            events=events,
        )
        (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
        ids.append(ident)
    return ids


def test_a_generated_registry(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    ids = generated_registry(folder)
    code, output, raw = report(tmp_path, str(folder), "--as-of", "2024-11-01", "--lang", "en")
    assert code == 0, output
    page = Page(raw)
    assert_self_contained(page)
    assert "<script>alert" not in raw and "&lt;script&gt;alert(0)&lt;/script&gt;" in raw
    for ident in ids:
        assert ident in page.sections
    for item in key_dates(load_registry([folder]), date(2024, 11, 1)):
        assert item.date.isoformat() in page.alternatives(item.agreement), item
    stopped = page.alternatives("generated-0")
    assert "renewal 1 2025-01-01 to 2025-12-31: stopped by notice of 도서관 (2024-10-02)" in stopped
    assert "2024-12-31 end of original term; nothing follows (expiry)" in stopped
    assert "2024-10-02 notice given: 도서관 도서관-7" in stopped
    assert "due 2023-05-31: 제5조 결과 보고; fulfilled 2024-05-10" in page.alternatives("generated-1")
    assert "due 2020-06-01: 제5조 결과 보고" in page.alternatives("generated-4")  # 05-31 a Sunday


def test_a_broken_case_file_is_listed_and_the_page_still_written(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    generated_registry(folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: x\n", encoding="utf-8")
    code, output, raw = report(tmp_path, str(folder), "--as-of", "2024-11-01")
    assert code == 2
    assert "broken.yaml" in output
    page = Page(raw)
    assert "broken.yaml" in "".join(page.text[""])
    assert "generated-5" in page.sections


def test_an_unwritable_output_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--output", str(tmp_path / "file" / "r.html")])
    assert result.exit_code == 2
    assert result.output.startswith(f"obligations report: cannot write {tmp_path / 'file' / 'r.html'}: ")


class Findings(HTMLParser):
    """The rows of each agreement's findings table as a reader sees them: the visible text of each cell,
    and the derivations as (open, summary, steps)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = defaultdict(list)
        self.derivations: dict[str, list[tuple[bool, str, list[str]]]] = defaultdict(list)
        self.owners: dict[str, str] = {}
        self._section = ""
        self._where: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "section":
            self._section = values.get("id") or ""
        elif tag == "table":
            self._where = ["findings"] if values.get("class") == "findings" else []
        elif self._where and tag == "tr":
            self.rows[self._section].append([])
        elif self._where and tag == "td":
            self.rows[self._section][-1].append("")
        elif self._where and tag == "details":
            self.derivations[self._section].append(("open" in values, "", []))
        elif tag in ("summary", "li") or (tag == "p" and values.get("class") == "owners"):
            self._where.append(tag if tag != "p" else "owners")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._where = []
        elif tag in ("summary", "li", "p") and self._where and self._where[-1] in ("summary", "li", "owners"):
            self._where.pop()

    def handle_data(self, data: str) -> None:
        where = self._where[-1] if self._where else ""
        if where == "owners":
            self.owners[self._section] = self.owners.get(self._section, "") + data
        elif where == "summary":
            opened, summary, steps = self.derivations[self._section][-1]
            self.derivations[self._section][-1] = (opened, summary + data, steps)
        elif where == "li":
            self.derivations[self._section][-1][2].append(data)
        elif where == "findings" and self.rows[self._section] and self.rows[self._section][-1]:
            self.rows[self._section][-1][-1] += data


def test_one_entry_per_deadline_with_the_parties_that_may_act_named_together(tmp_path: Path) -> None:
    code, _, raw = report(tmp_path, "--as-of", "2025-11-01")
    assert code == 0
    page = Findings(raw)
    rows = [row for row in page.rows[YOUTH] if row]
    # Three parties may each stop renewal 1: one entry, not three; nine roles, one entry each.
    assert len(rows) == 1 + 9
    notice = [row for row in rows if "notice-window" in row[2]]
    assert len(notice) == 1
    severity, due, what = notice[0]
    assert (severity, due) == ("경고", "2025-11-28")
    assert what.startswith(
        "연장 거절 통지 기한: 1차 자동 연장(2026-01-01~2026-12-31)을 원하지 않으면 2025-11-28까지 서면으로 "
        "통지 (법정 기한 2025-11-29)"
        "통지할 수 있는 당사자: 서울지방고용노동청, 서울특별시, 한국청소년쉼터협의회"
    )
    assert "notice-window-92cf0398, notice-window-47d8e740, notice-window-57e06c03" in what
    # Every row is told to the same owners: named once above the table, not in a column.
    assert page.owners[YOUTH] == "담당: 청소년정책과 청소년상담팀"
    # Derivations are folded (a closed <details>), one per entry, the notice's seven steps once.
    assert [(opened, summary) for opened, summary, _ in page.derivations[YOUTH]] == [
        (False, "날짜의 근거 (7단계)"),
        *[(False, "날짜의 근거 (2단계)")] * 9,
    ]
    assert page.derivations[YOUTH][0][2][-1] == "실제 통지 기한(근무일): 2025-11-28(금)"


def test_derivations_written_unfolded_on_request(tmp_path: Path) -> None:
    code, _, raw = report(tmp_path, "--as-of", "2025-11-01", "--derivations", "--lang", "en")
    assert code == 0
    page = Findings(raw)
    derivations = [d for section in (YOUTH, IAEC) for d in page.derivations[section]]
    assert derivations and all(opened for opened, _, _ in derivations)
    assert page.derivations[YOUTH][0][1] == "How the date was derived (7 steps)"
