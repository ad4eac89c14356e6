"""``obligations period``: exact output, JSON shape, and exit 2 with an example on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from obligations.commands.period import period

YOUTH_SHELTER_TEXT = """\
2025-11-28
1. 만료일 2025-12-31(수)부터 거꾸로 1개월 전까지(역산)
2. 민법 제157조 준용(역산), 법무부·국토교통부 해석(주택임대차보호법 FAQ, 2020. 9. 14.): 만료일 2025-12-31의 \
1개월 전에 해당하는 날 2025-11-30(그 월에 31일이 없어 말일, 민법 제160조 제3항 준용)의 0시 전까지, 곧 \
그 전날 2025-11-29까지 통지해야 함
3. 월말 때문에 해석이 갈림 — 다른 해석: 다음 달 첫날 2025-12-01을 해당일로 보면 2025-11-30까지이나, 늦춰 \
잡지 않고 더 이른 2025-11-29을 택함
4. 법정 통지 기한: 2025-11-29(토)
5. 역산한 기한은 늦추지 않음(제161조를 적용하지 않음): 휴무일이면 그 전 근무일까지
6. 2025-11-29 토요일 — 휴무일
7. 실제 통지 기한(근무일): 2025-11-28(금)
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(period, list(args))
    return result.exit_code, result.output


def test_youth_shelter_notice_text() -> None:
    assert run("notice", "2025-12-31", "1m") == (0, YOUTH_SHELTER_TEXT)


def test_youth_shelter_notice_json() -> None:
    code, output = run("notice", "2025-12-31", "1m", "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert list(document) == ["date", "legal", "explain"]
    assert (document["date"], document["legal"]) == ("2025-11-28", "2025-11-29")
    assert document["explain"] == [line.split(". ", 1)[1] for line in YOUTH_SHELTER_TEXT.splitlines()[1:]]


def test_period_is_registered_on_the_obligations_command() -> None:
    from obligations.cli import cli

    result = CliRunner().invoke(cli, ["period", "notice", "2025-12-31", "1m"])
    assert (result.exit_code, result.output) == (0, YOUTH_SHELTER_TEXT)


def test_end_json_is_the_term_end() -> None:
    code, output = run("end", "2026-01-30", "1m", "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert list(document) == ["date", "explain"]
    assert document["date"] == "2026-02-28"
    assert document["explain"][-1] == "기간의 만료일: 2026-02-28(토)"


def test_end_with_act_is_the_article_161_deadline() -> None:
    code, output = run("end", "2026-01-30", "1m", "--act", "--format", "json", "--lang", "en")
    assert code == 0
    document = json.loads(output)
    assert (document["date"], document["term_end"]) == ("2026-03-03", "2026-02-28")
    assert document["explain"][-4:] == [
        "2026-02-28 closed: 토요일",
        "2026-03-01 closed: 삼일절 (Sunday)",
        "2026-03-02 closed: 삼일절 대체 휴일",
        "deadline to act (Civil Act art. 161 applied): 2026-03-03 (Tue)",
    ]


def test_end_flags_change_the_first_counted_day() -> None:
    assert run("end", "2025-03-14", "10d")[1].splitlines()[0] == "2025-03-24"
    assert run("end", "2025-03-14", "10d", "--first-day-counts")[1].splitlines()[0] == "2025-03-23"
    assert run("end", "2025-03-14", "10d", "--starts-at-midnight")[1].splitlines()[0] == "2025-03-23"


def test_end_text_in_english() -> None:
    code, output = run("end", "2025-02-28", "1m", "--lang", "en")
    assert code == 0
    assert output.splitlines() == [
        "2025-03-31",
        "1. the period starts on 2025-02-28 (Fri), length 1m",
        "2. Civil Act art. 157 (first day not counted): counting starts the next day, 2025-03-01",
        "3. Civil Act art. 160(1): 1 month(s) by the calendar; the last month is 2025-03",
        "4. Civil Act art. 160(2): counted from the first of a month, it ends at month end, 2025-03-31",
        "5. the period ends on 2025-03-31 (Mon)",
    ]


def test_a_bad_date_exits_2_with_an_example() -> None:
    code, output = run("end", "2025-02-30", "1m")
    assert code == 2
    assert "Invalid value for 'START': expected a date such as 2025-02-25; got: '2025-02-30'" in output


def test_a_bad_length_exits_2_with_an_example() -> None:
    code, output = run("notice", "2025-12-31", "1 year")
    assert code == 2
    assert (
        "Invalid value for 'LEAD': expected a length such as 1y, 6m, 2w, 30d or 1y 6m; got: '1 year'"
        in output
    )


def test_holidays_file_adds_a_day(tmp_path: Path) -> None:
    overrides = tmp_path / "holidays.yaml"
    overrides.write_text(
        'add:\n  - {date: 2025-11-28, name: 임시공휴일, reason: "관보 제1호"}\n', encoding="utf-8"
    )
    code, output = run("notice", "2025-12-31", "1m", "--holidays", str(overrides))
    assert code == 0
    assert output.splitlines()[0] == "2025-11-27"
    assert "7. 2025-11-28 임시공휴일 — 휴무일" in output.splitlines()


def test_a_bad_holidays_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    overrides = tmp_path / "holidays.yaml"
    overrides.write_text("add:\n  - {date: 2025-11-31, name: x, reason: y}\n", encoding="utf-8")
    code, output = run("end", "2025-10-31", "1m", "--act", "--holidays", str(overrides))
    assert code == 2
    assert f"{overrides}:2: add[0].date: expected a date such as 2026-10-09; got: '2025-11-31'" in output


def test_a_missing_holidays_file_exits_2(tmp_path: Path) -> None:
    code, output = run("end", "2025-10-31", "1m", "--act", "--holidays", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "cannot read the holiday overrides file" in output
