"""Reading case files: the seed registry's key facts, a table of bad inputs with their exact messages, and
hostile input that must neither hang nor exhaust memory nor print a traceback."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations import loading
from obligations.cli import cli
from obligations.duration import Duration
from obligations.loading import load_agreement, read_document
from obligations.registry import load_registry
from obligations.resources import cases_dir

YOUTH = cases_dir() / "youth-shelter-self-reliance-mou-2025.yaml"
GIMPO = cases_dir() / "seoul-gimpo-seoullearn-mou-2025.yaml"
IAEC = cases_dir() / "iaec-membership-plan-2025.yaml"


def _roles(path: Path) -> dict[str, int]:
    agreement, _, problems = load_agreement(path)
    assert agreement is not None, problems
    counts: dict[str, int] = {}
    for item in agreement.obligations:
        if not item.survives and item.due is None:
            for party in item.party:
                counts[party] = counts.get(party, 0) + 1
    return counts


def test_bundled_registry_loads_without_problems() -> None:
    registry = load_registry()
    assert registry.problems == []
    assert sorted(case.agreement.id for case in registry.cases) == [
        "iaec-membership-plan-2025",
        "seoul-gimpo-seoullearn-mou-2025",
        "youth-shelter-self-reliance-mou-2025",
    ]
    assert sorted(registry.contacts) == ["edu-platform-planning", "lifelong-edu-policy", "youth-counselling"]
    assert registry.contacts["youth-counselling"].phone == "2133-4127"


def test_youth_shelter_mou_key_facts() -> None:
    agreement, _, _ = load_agreement(YOUTH)
    assert agreement is not None and agreement.term is not None and agreement.renewal is not None
    assert agreement.signed == dt.date(2025, 2, 6)
    assert [p.name for p in agreement.parties.values()] == [
        "서울특별시",
        "서울지방고용노동청",
        "한국청소년쉼터협의회",
    ]
    assert agreement.term.end == dt.date(2025, 12, 31)  # "2025년 12월까지" is the month's last day
    assert agreement.term.length is None
    assert agreement.renewal.length == Duration(years=1)
    assert agreement.renewal.max_renewals == 3
    assert agreement.renewal.notice.lead == Duration(months=1)
    assert agreement.renewal.notice.form == "written"
    assert agreement.renewal.notice.by == ()  # any party
    assert _roles(YOUTH) == {"seoul": 3, "labor-office": 3, "shelter-council": 3}
    security = agreement.obligation("security")
    assert security is not None and security.survives and security.clause == "제3조"
    assert security.party == ("seoul", "labor-office", "shelter-council")


def test_gimpo_mou_key_facts() -> None:
    agreement, _, _ = load_agreement(GIMPO)
    assert agreement is not None and agreement.term is not None and agreement.renewal is not None
    assert agreement.signed == dt.date(2025, 2, 25)
    assert list(agreement.parties) == ["seoul", "gimpo"]
    assert agreement.term.length == Duration(years=1)
    assert agreement.renewal.max_renewals is None  # 매년 자동으로, no cap
    assert agreement.renewal.notice.lead is None  # no lead stated
    # 제3조 ② 1. and 2. per party, and 3. (기타 상호 합의) for both
    assert _roles(GIMPO) == {"seoul": 3, "gimpo": 3}
    confidentiality = agreement.obligation("confidentiality")
    assert confidentiality is not None and confidentiality.survives and confidentiality.clause == "제6조"


def test_iaec_plan_key_facts() -> None:
    agreement, _, _ = load_agreement(IAEC)
    assert agreement is not None
    assert agreement.kind == "plan" and agreement.term is None and agreement.renewal is None
    dues = {item.id: item.due for item in agreement.obligations if item.due}
    assert dues == {"iaec-application": dt.date(2025, 2, 28), "iaec-membership-fee": dt.date(2025, 3, 31)}
    congress = agreement.obligation("iaec-world-congress")
    # "격년 1회 세계총회": one occurrence per two-year period (2025/2026, …), due on its last day.
    assert congress is not None and congress.schedule is not None and congress.evidence_every is None
    assert (congress.schedule.every, str(congress.schedule.due)) == ("2y", "end")


def test_seed_files_invent_no_events() -> None:
    for case in load_registry().cases:
        assert case.agreement.events == (), case.path


GOOD = YOUTH.read_text(encoding="utf-8")


def _edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


BAD_INPUTS = [
    pytest.param(
        _edit("signed: 2025-02-06", "# signed: none"),
        ["2: signed: missing (example: signed: 2025-02-25)"],
        id="missing field",
    ),
    pytest.param(
        _edit("  length: 1y\n", "  lenght: 1y\n"),
        [
            "15: renewal.length: missing (example: length: 1y)",
            "18: renewal.lenght: unknown key 'lenght'; did you mean 'length'? "
            "(a typo must not pass silently; see docs/case-files.md)",
        ],
        id="unknown key",
    ),
    pytest.param(
        _edit(
            '    party: labor-office\n    text: "청소년쉼터 이용 청소년의',
            '    party: labour-office\n    text: "청소년쉼터 이용 청소년의',
        ),
        [
            "39: obligations[3].party: unknown party 'labour-office'; "
            "the parties of this file are: labor-office, seoul, shelter-council"
        ],
        id="unknown party",
    ),
    pytest.param(
        _edit("events: []", "events:\n  - {date: 2025-04-02, type: fulfilled, obligation: seoul-pubicity}"),
        [
            "70: events[0].obligation: unknown obligation 'seoul-pubicity'; known: council-coordination, "
            "council-counselling, council-publicity, labor-coordination, labor-employment-services, "
            "labor-publicity, "
            "security, seoul-coordination, seoul-program-link, seoul-publicity"
        ],
        id="unknown obligation in an event",
    ),
    pytest.param(
        _edit("signed: 2025-02-06", "signed: 2025-02-30"),
        ["6: signed: expected a date such as 2025-02-25; got: '2025-02-30'"],
        id="impossible date",
    ),
    pytest.param(
        _edit("  end: 2025-12", '  length: "1 year"'),
        ["14: term.length: expected a length such as 1y, 6m, 2w, 30d or 1y 6m; got: '1 year'"],
        id="length in words",
    ),
    pytest.param(
        _edit("  end: 2025-12", "  end: 2025-12\n  length: 1y"),
        ["11: term: a term has either 'length' or 'end', got both; e.g. 'length: 1y' or 'end: 2025-12'"],
        id="length and end",
    ),
    pytest.param(
        _edit("  - id: labor-publicity", "  - id: seoul-publicity"),
        ["37: obligations[3].id: duplicate obligation id 'seoul-publicity'; ids are unique"],
        id="duplicate ids",
    ),
    pytest.param(
        "id: x\ntitle: [unclosed\n",
        ["3: invalid YAML: while parsing a flow sequence expected ',' or ']', but got '<stream end>'"],
        id="invalid YAML",
    ),
    pytest.param("", ["1: file is empty; a case file is a mapping such as 'id: …'"], id="empty file"),
    pytest.param(
        "# only a comment\n",
        ["1: file is empty; a case file is a mapping such as 'id: …'"],
        id="comments only",
    ),
    pytest.param("- a\n- b\n", ["1: expected a mapping of fields (id:, title:, …); got a list"], id="a list"),
    pytest.param(
        b"id: \xff\xfe bad\n",
        [
            "1: not UTF-8: byte 0xff cannot be decoded; save the file as UTF-8 "
            "(HWP and Excel exports are often EUC-KR/CP949)"
        ],
        id="invalid UTF-8",
    ),
    pytest.param(
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        ["1: b[0]: YAML aliases (*name) are not allowed in case files; write the value out"],
        id="alias bomb",
    ),
    pytest.param(
        "id: !!python/object/apply:os.system [echo hi]\n",
        [
            "1: id: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
            "case files hold plain values"
        ],
        id="python tag",
    ),
    pytest.param(
        _edit("signed: 2025-02-06", "signed: 2025-02-06\nsigned: 2025-02-07"),
        ["7: key 'signed' appears twice in the same mapping"],
        id="duplicate key",
    ),
    pytest.param(
        _edit("events: []", "events:\n  - {date: 2025-11-20, type: notice-given}"),
        ["70: events[0]: a 'notice-given' event names the party that gave it, e.g. 'party: city'"],
        id="event without its party",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_input_is_reported_with_file_line_field_and_example(
    tmp_path: Path, content: str | bytes, expected: list[str]
) -> None:
    path = tmp_path / "case.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    agreement, _, problems = load_agreement(path)
    assert agreement is None
    assert [str(problem) for problem in problems] == [f"{path}:{line}" for line in expected]


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        _edit("signed: 2025-02-06", "signed: 2025-02-30").replace("kind: agreement", "kind: treaty")
    )
    _, _, problems = load_agreement(path)
    assert [problem.field for problem in problems] == ["kind", "signed"]
    assert "got: 'treaty'" in problems[0].message


def test_megabyte_string_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_edit("title: ", 'title: "' + "가" * 300_000 + '"\n# was: '), encoding="utf-8")
    _, _, problems = load_agreement(path)
    assert [p.field for p in problems] == ["title"]
    assert "300,000" in problems[0].message and len(str(problems[0])) < 300


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary" * 100, "binary data (a NUL byte); a case file is UTF-8 YAML text"),
        (b"id: x\n" + b"#" * 2_000_000, "file is 2,000,006 bytes; case files are at most 1 MiB"),
        (b"a: " + b"[" * 5000 + b"]" * 5000, "nested deeper than a case file can be (over 20 levels)"),
    ],
    ids=["binary", "too big", "deep nesting"],
)
def test_hostile_files_are_refused_quickly(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    _, _, problems = load_agreement(path)
    assert [p.message for p in problems] == [message]


def _registry_dir(tmp_path: Path) -> Path:
    for name in ("contacts.yaml", YOUTH.name, GIMPO.name):
        (tmp_path / name).write_text((cases_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_validate_bundled_registry_exits_0_with_a_line_per_file() -> None:
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 4 and all(line.startswith("ok  ") for line in lines[:3])
    assert lines[3] == "3 agreements, 0 problems — bundled sample registry"


def test_validate_reports_bad_file_and_still_reads_the_others(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    (folder / "broken.yaml").write_text(_edit("signed: 2025-02-06", "signed: 2025-02-30"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2
    assert (
        f"{folder / 'broken.yaml'}:6: signed: expected a date such as 2025-02-25; got: '2025-02-30'"
        in result.output
    )
    assert result.output.count("ok  ") == 2  # both good files are still read and reported
    assert "Traceback" not in result.output


def test_duplicate_agreement_ids_across_files(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    (folder / "copy.yaml").write_text(GOOD, encoding="utf-8")
    registry = load_registry([folder])
    assert [(Path(p.file).name, p.line, p.field) for p in registry.problems] == [
        ("youth-shelter-self-reliance-mou-2025.yaml", 2, "id")
    ]
    assert "duplicate id 'youth-shelter-self-reliance-mou-2025'; also used by" in registry.problems[0].message


def test_unknown_owner_is_an_error_naming_the_known_ones(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    (folder / YOUTH.name).write_text(
        GOOD.replace("owners: [youth-counselling]", "owners: [youth-counseling]")
    )
    problems = load_registry([folder]).problems
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "parties.seoul.owners[0]: unknown owner 'youth-counseling'; "
        f"known owners (from {folder / 'contacts.yaml'}): edu-platform-planning, lifelong-edu-policy, "
        "youth-counselling"
    ]


def test_contacts_under_a_contacts_key_are_read_too(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    top_level = (folder / "contacts.yaml").read_text("utf-8")
    wrapped = "contacts:\n" + "".join(
        f"  {line}" if line.strip() and not line.startswith("#") else line
        for line in top_level.splitlines(keepends=True)
    )
    (folder / "contacts.yaml").write_text(wrapped, "utf-8")
    registry = load_registry([folder])
    assert registry.problems == []
    assert sorted(registry.contacts) == ["edu-platform-planning", "lifelong-edu-policy", "youth-counselling"]


def test_owner_messages_say_which_contacts_file_was_read(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    contacts = folder / "contacts.yaml"
    contacts.write_text("youth-counselling:\n  name: 청소년상담팀\n  email: not-an-address\n", "utf-8")
    problems = [str(p) for p in load_registry([folder / YOUTH.name]).problems]
    assert problems[0].startswith(f"{contacts}:3: youth-counselling.email: ")
    assert problems[1] == (
        f"{folder / YOUTH.name}:8: parties.seoul.owners[0]: unknown owner 'youth-counselling'; "
        f"{contacts} could not be read (its problems are listed with it)"
    )
    contacts.unlink()
    problems = [str(p) for p in load_registry([folder / YOUTH.name]).problems]
    assert problems == [
        f"{folder / YOUTH.name}:8: parties.seoul.owners[0]: unknown owner 'youth-counselling'; "
        f"there is no contacts.yaml beside this file ({contacts}); see docs/case-files.md"
    ]


def test_an_event_before_signing_is_an_error(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    (folder / YOUTH.name).write_text(
        GOOD.replace("events: []", "events:\n  - {date: 2025-01-06, type: amended, ref: x}"), "utf-8"
    )
    problems = [str(p).split(": ", 1)[1] for p in load_registry([folder]).problems]
    assert problems == [
        "events[0].date: the event is dated 2025-01-06, before the agreement was signed (2025-02-06); "
        "e.g. 'date: 2025-02-06'"
    ]


def test_a_tab_used_for_indentation_says_use_spaces(tmp_path: Path) -> None:
    path = tmp_path / "tab.yaml"
    path.write_text("id: x\ntitle: t\nsigned: 2025-01-01\nparties:\n\tcity: {name: c}\n", "utf-8")
    assert [str(p) for p in load_registry([path]).problems] == [
        f"{path}:5: a tab is used for indentation; YAML indents with spaces only (use spaces)"
    ]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert re.search(r"nope\.yaml: no such file or directory", result.output)


def test_a_term_that_ends_before_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(_edit("  end: 2025-12", "  end: 2024-12"), encoding="utf-8")
    _, _, problems = load_agreement(path)
    assert [str(p).split(":", 1)[1] for p in problems] == [
        "14: term.end: the term ends (2024-12-31) before it starts (2025-02-06); e.g. 'end: 2025-12'"
    ]


def test_a_bad_holidays_file_is_reported_with_its_line(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    (folder / "holidays.yaml").write_text("add:\n  - {date: 2026-02-30, name: 임시공휴일, reason: 관보}\n")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2
    assert f"{folder / 'holidays.yaml'}:2: add[0].date: " in result.output
    assert "2026-02-30" in result.output


def test_a_holidays_file_moves_act_by_dates(tmp_path: Path) -> None:
    folder = _registry_dir(tmp_path)
    # Declare Friday 2025-11-28 a holiday: the youth-shelter notice must then go out on Thursday the 27th.
    (folder / "holidays.yaml").write_text("add:\n  - {date: 2025-11-28, name: 임시공휴일, reason: 예시}\n")
    result = CliRunner().invoke(cli, ["check", str(folder), "--as-of", "2025-11-01", "--format", "json"])
    assert '"due": "2025-11-27"' in result.output
    assert "2025-11-28 임시공휴일" in result.output


@pytest.mark.parametrize("remembered", [50_000, 2])  # 2: the remembered tags are forgotten while reading
def test_values_read_the_same_however_often_they_were_read_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, remembered: int
) -> None:
    monkeypatch.setattr(loading, "_REMEMBERED", remembered)
    first = tmp_path / "first.yaml"
    first.write_text("n: 12\nflag: yes\nday: 2025-01-01\nnothing: ~\nword: city\n", encoding="utf-8")
    second = tmp_path / "second.yaml"
    quoted = "n: '12'\nflag: 'yes'\nday: '2025-01-01'\nnothing: '~'\nword: 'city'\n"
    second.write_text(quoted, encoding="utf-8")
    for _ in range(2):  # the second round reads with every tag remembered (or forgotten again)
        assert read_document(first).data == {
            "n": 12,
            "flag": True,
            "day": "2025-01-01",
            "nothing": None,
            "word": "city",
        }
        assert read_document(second).data == {
            "n": "12",
            "flag": "yes",
            "day": "2025-01-01",
            "nothing": "~",
            "word": "city",
        }
