"""A 변경협약서 is drafted as the ``amended`` event it asks for, never as a new case file.

Each ``fixtures/amendments/NAME.txt`` has ``expected/NAME.yaml``: ``original``, the corpus agreement it
amends (``fixtures/agreements/…``); ``amends``, that agreement's title and signing date as the amendment
prints them; ``fill``, what an analyst writes for the TODO lines (the obligation id at a deleted clause, a
party the text does not name); ``review``, the lines of the change sentences that became no key; ``event``,
the filled event field by field; ``shows``, a finding that ``check`` gives only with the amendment.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from extract_support import ANALYST, FIXTURES, draft_of, fill_todos

from obligations.cli import cli
from obligations.extract import OCR_MARK, NotAnAgreement, UnreadableText, draft_case_file, mark_ocr
from obligations.extract.amendment import is_amendment
from obligations.extract.source import Lines
from obligations.extract.structure import read_layout
from obligations.loading import load_agreement

AMENDMENTS = Path(__file__).parent / "fixtures" / "amendments"
TEXTS = sorted(path.name for path in AMENDMENTS.glob("*.txt"))
_KEY_TODO = re.compile(r"^(?P<indent>\s*)# TODO: (?P<field>[a-z_.]+) — (?P<what>.*)$")
# The test's own reading of "a sentence that states a change" (independent of the extractor's grammar).
_CHANGE_WORDS = re.compile(r"변경|연장|신설|삭제|폐지|수정|증액|(?:으로|로) 한다|다음과 같이 한다")
_INTRODUCES = re.compile(r"다음(?:과 같이| 각? ?(?:호|항|목|조))\S*(?: \S+){0,2}\.$")
_NOT_CHANGES = re.compile(
    r"(?:변경 전|현행) \| 변경|부터 (?:효력|시행|적용)|원 협약에 따른다|보관한다|증명하기"
    r"|(?:다음|아래) 표와 같이"
)


CONTACTS = "analyst: {name: 협약 담당, email: analyst@example.org}\n"


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (AMENDMENTS / "expected" / f"{Path(name).stem}.yaml").read_text(encoding="utf-8")
    )
    return data


def snippet(name: str) -> str:
    return draft_case_file((AMENDMENTS / name).read_bytes(), name).text


def filled_event(name: str) -> str:
    """The snippet with its TODO lines filled as the expected file says, and its review lines read."""
    fill = expected(name)["fill"]
    out = []
    for line in snippet(name).splitlines():
        match = _KEY_TODO.match(line)
        if match is None:
            out.append(line)
        elif match["field"] != "review":
            assert match["field"] in fill, (
                f"{name}: the snippet leaves {match['field']!r} open: {match['what']}"
            )
            out.append(f"{match['indent']}{match['field']}: {fill[match['field']]}")
    return "\n".join(out) + "\n"


def original_case(name: str) -> str:
    """The agreement the amendment amends, as an analyst completes the draft of it."""
    original = expected(name)["original"]
    fill = yaml.safe_load((FIXTURES / "expected" / f"{Path(original).stem}.yaml").read_text(encoding="utf-8"))
    return fill_todos(draft_of(original), {**ANALYST, **{"id": "original", **fill["fill"]}})


def amended_case(name: str) -> str:
    """The original case file with the drafted event appended under its ``events:``."""
    case = original_case(name)
    assert case.count("events: []\n") == 1
    event = "".join(f"  {line}\n" for line in filled_event(name).splitlines() if not line.startswith("#"))
    return case.replace("events: []\n", "events:\n" + event)


def test_the_corpus_covers_every_kind_of_change() -> None:
    assert len(TEXTS) >= 8
    events = [expected(name)["event"] for name in TEXTS]
    keys = {key for event in events for key in event["changes"]}
    assert keys == {
        "term.end",
        "term.length",
        "renewal.automatic",
        "renewal.length",
        "renewal.max_renewals",
        "renewal.notice.lead",
        "renewal.notice.form",
        "renewal.notice.by",
        "obligations.add",
        "obligations.remove",
    }
    parties = {
        len(yaml.safe_load(original_case(name))["parties"]) for name in TEXTS
    }  # the amendment names the same parties as its original
    assert parties == {2, 3, 4}
    assert sum(1 for event in events if len(event["changes"]) >= 3) >= 4
    assert sum(1 for name in TEXTS if expected(name)["review"]) >= 4  # changes no key can hold


@pytest.mark.parametrize("name", TEXTS)
def test_drafted_event_equals_its_expected_event_field_by_field(name: str) -> None:
    (event,) = yaml.safe_load(filled_event(name))
    wanted = expected(name)["event"]
    assert event.keys() == wanted.keys()
    for field in ("date", "type", "ref"):
        assert event[field] == wanted[field], field
    assert event["changes"].keys() == wanted["changes"].keys()
    for key, value in wanted["changes"].items():
        assert event["changes"][key] == value, key


@pytest.mark.parametrize("name", TEXTS)
def test_header_names_the_original_and_where_the_event_goes(name: str) -> None:
    header = [line for line in snippet(name).splitlines() if line.startswith("#")]
    amends = expected(name)["amends"]
    assert f"# It amends 「{amends['title']}」, signed {amends['signed']} (L3)." in header
    signed = yaml.safe_load(original_case(name))["signed"]
    assert f"# Its case file is the one with 'signed: {signed.isoformat()}' and that title." in header
    assert any("under `events:`" in line for line in header)
    assert any("obligations record amended --agreement ID" in line for line in header)
    assert "kind: agreement" not in snippet(name)


@pytest.mark.parametrize("name", TEXTS)
def test_every_change_sentence_is_drafted_or_quoted(name: str) -> None:
    text = snippet(name)
    cited = {int(n) for n in re.findall(r"# L(\d+):", text)}
    quoted = [int(n) for n in re.findall(r"# TODO: review — L(\d+):", text)]
    # A key left to the analyst (obligations.remove, a cap in years) quotes its line too.
    removed = {int(n) for n in re.findall(r"# TODO: [a-z_]+\.[a-z_.]+ — .*\(L(\d+)\b", text)}
    assert quoted == expected(name)["review"]
    lines = (AMENDMENTS / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        body = re.sub(r"^제\d+조\([^)]*\)\s*", "", line)  # an article's title is not a sentence of it
        if _CHANGE_WORDS.search(body) and not _NOT_CHANGES.search(body) and number > 3:
            # "제4조를 다음과 같이 한다." is drafted by the values read from the new text on the next line.
            introduces = _INTRODUCES.search(body) and number + 1 in cited
            assert introduces or number in cited | set(quoted) | removed, f"{name}: L{number} lost: {line}"
    for number in quoted:
        assert number not in cited, f"L{number} both drafted and quoted"


def test_a_change_no_key_holds_is_quoted_whole() -> None:
    text = snippet("gangseo-comparison-table.txt")
    assert "  # TODO: review — L8: 사업비 | 1천만원 | 2천만원" in text
    assert "  # TODO: review — L9: 참여 인원 | 30명 | 50명" in text
    text = snippet("seoul-gimpo-term-and-forum.txt")
    sentence = "원 협약에 따른 서울시의 지원 사업비를 연 5천만원에서 연 8천만원으로 변경한다."
    assert f"  # TODO: review — L14: {sentence}" in text
    assert "    # TODO: obligations.remove — [ids] of the obligations at 제3조 ② 3. of the original" in text


@pytest.mark.parametrize("name", TEXTS)
def test_the_event_appended_to_the_original_case_file_loads(name: str, tmp_path: Path) -> None:
    path = tmp_path / "original.yaml"
    path.write_text(amended_case(name), encoding="utf-8")
    agreement, _, problems = load_agreement(path)
    assert problems == []
    assert agreement is not None
    (event,) = agreement.events
    assert event.type == "amended" and event.changes is not None
    assert event.date == expected(name)["event"]["date"]


def _check(case: str, tmp_path: Path, as_of: dt.date) -> list[dict[str, Any]]:
    folder = tmp_path / f"registry-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "original.yaml").write_text(case, encoding="utf-8")
    (folder / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", str(folder), "--as-of", as_of.isoformat(), "--horizon", "1200d", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize("name", TEXTS)
def _key(finding: dict[str, Any]) -> tuple[str, str | None, str, str]:
    return finding["code"], finding["obligation"], finding["party"], finding["due"]


@pytest.mark.parametrize("name", TEXTS)
def test_check_and_explain_show_the_amended_date(name: str, tmp_path: Path) -> None:
    """``shows``: a finding (code, obligation, party, due) that ``check`` gives on the day only with the
    amendment, and whose ``explain`` cites it; or, ``absent``, one that the amendment takes away (a notice
    only one party may now give)."""
    shows = expected(name)["shows"]
    as_of = shows.get("as_of", expected(name)["event"]["date"])
    before = {_key(f) for f in _check(original_case(name), tmp_path, as_of)}
    after = _check(amended_case(name), tmp_path, as_of)
    found = [
        f
        for f in after
        if (f["code"], f["obligation"], f["due"])
        == (shows["code"], shows.get("obligation"), shows["due"].isoformat())
        and f["party"] == shows.get("party", f["party"])
    ]
    if shows.get("absent"):
        assert not found and any(key[0] == shows["code"] and key[2] == shows["party"] for key in before)
        return
    assert found, f"{name}: no {shows} in {sorted(_key(f) for f in after)}"
    assert _key(found[0]) not in before
    event = expected(name)["event"]
    amendment = f"변경협약({event['date'].isoformat()}, {event['ref']})"
    assert any(step.startswith(amendment) for step in found[0]["explain"]), found[0]["explain"]
    result = CliRunner().invoke(
        cli,
        [
            "explain",
            found[0]["id"],
            str(tmp_path / "registry-1"),
            "--as-of",
            as_of.isoformat(),
            "--horizon",
            "1200d",
        ],
    )
    assert result.exit_code == 0, result.output
    assert amendment in result.stdout


@pytest.mark.parametrize("name", TEXTS)
def test_the_printed_command_records_the_same_event(name: str, tmp_path: Path) -> None:
    """When every change maps to a --set key, the header's command records exactly the drafted event."""
    header = [line[4:] for line in snippet(name).splitlines() if line.startswith("#   ")]
    if not header:
        assert expected(name)["review"] or expected(name)["fill"], f"{name}: settled but no command"
        return
    assert not expected(name)["review"] and not expected(name)["fill"]
    argv = shlex.split(" ".join(part.rstrip(" \\") for part in header))
    assert argv[:3] == ["obligations", "record", "amended"]
    (tmp_path / "original.yaml").write_text(original_case(name), encoding="utf-8")
    (tmp_path / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    argv = [arg if arg != "ID" else "original" for arg in argv[3:]]
    result = CliRunner().invoke(cli, ["record", "amended", *argv, str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((tmp_path / "original.yaml").read_text(encoding="utf-8"))["events"][-1]
    assert recorded == expected(name)["event"]


@pytest.mark.parametrize("path", sorted((FIXTURES).glob("*.txt")), ids=lambda path: path.name)
def test_an_agreement_is_never_taken_for_an_amendment(path: Path) -> None:
    assert not is_amendment(read_layout(Lines.of(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("name", TEXTS)
def test_an_amendment_is_recognised(name: str) -> None:
    assert is_amendment(read_layout(Lines.of((AMENDMENTS / name).read_text(encoding="utf-8"))))


def test_extract_prints_the_event_and_says_it_is_an_amendment() -> None:
    path = AMENDMENTS / "youth-shelter-partial-change.txt"
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == snippet("youth-shelter-partial-change.txt").replace(
        "youth-shelter-partial-change.txt", str(path)
    )
    said = "an 'amended' event drafted (the text amends an agreement); 1 TODO line(s) to fill or review"
    assert result.stderr == f"{path}: {said}\n"
    assert (
        "\n- date: 2025-10-15  # L15: 2025년 10월 15일 — no day it takes effect is stated: the signing date\n"
        in (result.stdout)
    )


def test_the_folder_lists_an_amendment_and_writes_its_event(tmp_path: Path) -> None:
    folder = tmp_path / "협약서함"
    folder.mkdir()
    for name in ("gangseo-comparison-table.txt", "seoul-gimpo-term-and-forum.txt"):
        (folder / name).write_bytes((AMENDMENTS / name).read_bytes())
    (folder / "no-renewal-term-only.txt").write_bytes((FIXTURES / "no-renewal-term-only.txt").read_bytes())
    drafts = tmp_path / "drafts"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--output-dir", str(drafts)])
    assert result.exit_code == 0, result.output
    rows = (drafts / "worklist.csv").read_text(encoding="utf-8-sig").splitlines()
    statuses = {row.split(",")[0]: row.split(",")[1:4] for row in rows[1:]}
    assert statuses == {
        "gangseo-comparison-table.txt": ["amendment", "2", "review ×2"],
        "no-renewal-term-only.txt": ["drafted", "5", '"id'],
        "seoul-gimpo-term-and-forum.txt": ["amendment", "2", '"obligations.remove'],
    }
    assert (drafts / "gangseo-comparison-table.yaml").read_text(encoding="utf-8") == snippet(
        "gangseo-comparison-table.txt"
    ).replace("gangseo-comparison-table.txt", str(folder / "gangseo-comparison-table.txt"))
    assert "1 drafted, 2 amendment" in result.stdout


def _draft_of_text(text: str) -> str:
    return draft_case_file(text.encode("utf-8"), "변경협약서.txt").text


PREAMBLE = (
    "서울특별시-김포시 업무협약 변경협약서\n"
    "서울특별시(이하 “서울시”라 한다)와 김포시는 2025. 2. 25. 체결한 「서울특별시-김포시 업무협약」을 "
    "다음과 같이 변경한다.\n"
)


def test_a_sentence_with_one_replacement_no_key_holds_is_quoted_though_another_became_one() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(협약기간) 원 협약 제4조 중 “2025. 12. 31.”을 “2026. 6. 30.”으로, "
        "“교육지원정책과”를 “교육플랫폼과”로 각각 한다.\n2025. 8. 1.\n"
    )
    assert "    term.end: 2026-06-30  # L3: " in draft
    assert "  # TODO: review — L3: 원 협약 제4조 중 “2025. 12. 31.”을 “2026. 6. 30.”으로, " in draft
    assert "#   obligations record amended" not in draft  # a change is left to the analyst


def test_an_amendment_whose_changes_no_key_holds_drafts_no_changes_but_quotes_them() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(사업비) 서울시의 지원 사업비를 5천만원에서 8천만원으로 증액한다.\n2025. 8. 1.\n"
    )
    assert "\n  changes:" not in draft
    assert (
        "  # TODO: changes — no change read: e.g. changes: {term.end: 2026-06-30} (see the review lines)"
        in draft
    )
    assert "  # TODO: review — L3: 서울시의 지원 사업비를 5천만원에서 8천만원으로 증액한다." in draft
    assert (
        "\n- date: 2025-08-01  # L4: 2025. 8. 1. — no day it takes effect is stated: the signing date\n"
        in draft
    )


def test_an_amendment_without_a_date_leaves_the_date_to_fill_inside_the_item() -> None:
    draft = _draft_of_text(PREAMBLE + "제1조(협약기간) 원 협약의 협약기간을 2026. 6. 30.까지로 연장한다.\n")
    assert "\n- type: amended\n  # TODO: date — the day the amendment takes effect" in draft
    filled = re.sub(r"(?m)^  # TODO: date — .*$", "  date: 2025-09-01", draft)
    (event,) = yaml.safe_load(filled)
    assert event["date"] == dt.date(2025, 9, 1) and event["changes"] == {"term.end": dt.date(2026, 6, 30)}


def test_an_amendment_read_by_ocr_marks_every_value_for_review() -> None:
    marked = mark_ocr(snippet("youth-shelter-partial-change.txt"))
    assert "    term.end: 2026-06-30  # L5: " in marked
    assert [line.split(":")[0].strip() for line in marked.splitlines() if line.endswith(OCR_MARK)] == [
        "- date",
        "ref",
        "term.end",
        "renewal.notice.lead",
    ]


# One change sentence each, as the table of docs/extract.md gives them: the changes drafted, or None when the
# sentence is quoted for review (no key holds it, or its words could name two).
PHRASES = [
    ("제1조(협약기간) 원 협약의 협약기간을 2026. 6. 30.까지로 연장한다.", {"term.end": dt.date(2026, 6, 30)}),
    ("제1조(협약기간) 원 협약의 유효기간을 2026년 12월까지로 변경한다.", {"term.end": "2026-12"}),
    ("제1조(협약기간) 원 협약의 협약기간을 2년으로 변경한다.", {"term.length": "2y"}),
    ("제1조(협약기간의 변경) 원 협약 제4조 중 “1년”을 “2년”으로 한다.", {"term.length": "2y"}),
    ("제1조(연장) 원 협약 제4조 중 “1년씩”을 “2년씩”으로 한다.", {"renewal.length": "2y"}),
    ("제1조(자동연장) 자동연장 기간을 1년으로 변경한다.", {"renewal.length": "1y"}),
    ("제1조(자동연장) 자동연장 횟수는 최대 2회로 한다.", {"renewal.max_renewals": 2}),
    ("제1조(해지 통보) 원 협약 제5조 중 “30일”을 “60일”로 한다.", {"renewal.notice.lead": "60d"}),
    (
        "제1조(자동연장) 원 협약 제4조 중 ‘1년씩 최대 3년’을 ‘1년씩 최대 5년’으로 한다.",
        {"renewal.max_renewals": 5},
    ),
    (
        "제1조(통보) 원 협약 제4조 중 “갑이 서면으로 통보하지”를 “어느 기관도 서면으로 통보하지”로 한다.",
        {"renewal.notice.by": "any"},
    ),
    (
        "제1조(해지) 해지 통보는 만료 3개월 전까지 서면으로 하여야 한다.",
        {"renewal.notice.lead": "3m", "renewal.notice.form": "written"},
    ),
    ("제1조(자동연장) 원 협약에 따른 협약은 자동으로 연장되지 아니한다.", {"renewal.automatic": False}),
    ("제1조(자동연장의 폐지) 원 협약 제4조 제2항의 자동연장 규정을 삭제한다.", {"renewal.automatic": False}),
    ("제1조(협약기간) 원 협약의 협약기간을 1년 연장한다.", None),
    ("제1조(기간) 원 협약 제4조(협약기간 및 자동연장) 중 “1년”을 “2년”으로 한다.", None),
    ("제1조(명칭) 원 협약 중 “김포시”를 “경기도 김포시”로 한다.", None),
]


@pytest.mark.parametrize(("sentence", "changes"), PHRASES, ids=[p[0][:24] for p in PHRASES])
def test_each_way_of_stating_a_change(sentence: str, changes: dict[str, Any] | None) -> None:
    draft = _draft_of_text(PREAMBLE + sentence + "\n2025. 8. 1.\n")
    (event,) = yaml.safe_load(draft)
    body = re.sub(r"^제1조\([^)]*\) ", "", sentence)
    quoted = f"  # TODO: review — L3: {body}" in draft
    if changes is None:
        assert "changes" not in event and quoted
    else:
        assert event["changes"] == changes and not quoted


def test_a_length_of_nothing_is_quoted_not_drafted() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(해지 통보) 원 협약 제5조 중 “30일”을 “0일”로 한다.\n2025. 8. 1.\n"
    )
    assert "renewal.notice.lead" not in draft
    assert "  # TODO: review — L3: 원 협약 제5조 중 “30일”을 “0일”로 한다." in draft


MUTATIONS = [
    "“",
    "”",
    "「",
    "」",
    "(",
    ")",
    "제3조",
    "제2항",
    "신설한다.",
    "삭제한다",
    "‘1년’을 ",
    "‘0년’으로 한다",
]
MUTATIONS += [" | ", "①", "1.", "가.", "(1)", "까지", "부터 효력", "2025. 2. 30.", "\n", "0일 전까지", "0회"]


def test_a_mangled_amendment_is_drafted_or_refused_never_a_traceback() -> None:
    """Seeded mutations of the corpus (cut, inserted pieces of the grammar, repeated runs): every text gives
    an event that YAML reads, or is refused with a reason."""
    rnd = random.Random(2026)
    texts = [(AMENDMENTS / name).read_text(encoding="utf-8") for name in TEXTS]
    for _ in range(400):
        chars = list(rnd.choice(texts))
        for _ in range(rnd.randint(1, 8)):
            at = rnd.randrange(len(chars) + 1)
            if rnd.random() < 0.4 and chars:
                del chars[at % len(chars) : at % len(chars) + rnd.randint(1, 20)]
            elif rnd.random() < 0.7:
                chars[at:at] = list(rnd.choice(MUTATIONS))
            else:
                start = rnd.randrange(len(chars) or 1)
                chars[at:at] = chars[start : start + rnd.randint(1, 40)]
        try:
            drafted = draft_case_file("".join(chars).encode("utf-8"), "mangled.txt")
        except (NotAnAgreement, UnreadableText):
            continue
        if drafted.amendment:
            (event,) = yaml.safe_load(drafted.text)
            assert event["type"] == "amended"


def test_a_new_article_without_quotes_adds_a_duty_per_clause_of_its_subject() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(조의 신설) 원 협약에 다음과 같이 제7조의2를 신설한다.\n"
        "제7조의2(공동 포럼) ① 서울시와 김포시는 매년 11월 30일까지 공동 포럼을 개최한다. "
        "② 김포시는 포럼 결과를 매년 12월 31일까지 서울시에 보고한다.\n2025. 8. 1.\n"
    )
    (event,) = yaml.safe_load(draft)
    assert event["changes"] == {
        "obligations.add": [
            {
                "id": "joint-added-1",
                "clause": "제7조의2 ①",
                "party": ["seoul", "gimpo"],
                "text": "매년 11월 30일까지 공동 포럼을 개최",
                "schedule": {"every": "year", "due": "11-30"},
            },
            {
                "id": "gimpo-added-1",
                "clause": "제7조의2 ②",
                "party": "gimpo",
                "text": "포럼 결과를 매년 12월 31일까지 서울시에 보고",
                "schedule": {"every": "year", "due": "12-31"},
            },
        ]
    }
    assert "# TODO: review" not in draft


def test_items_inserted_as_a_list_of_their_own_are_the_duties_of_the_article_they_join() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(역할 추가) 원 협약 제3조(김포시의 역할)에 다음 호를 신설한다.\n"
        "1. 교육 콘텐츠 제공\n2. 학습 멘토를 매월 10일까지 배치\n2025. 8. 1.\n"
    )
    (event,) = yaml.safe_load(draft)
    assert event["changes"]["obligations.add"] == [
        {"id": "gimpo-added-1", "clause": "제3조 1.", "party": "gimpo", "text": "교육 콘텐츠 제공"},
        {
            "id": "gimpo-added-2",
            "clause": "제3조 2.",
            "party": "gimpo",
            "text": "학습 멘토를 매월 10일까지 배치",
            "schedule": {"every": "month", "due": "10"},
        },
    ]
    assert (
        "        party: gimpo  # L5: 2. 학습 멘토를 매월 10일까지 배치 — the party of the article it joins"
        in draft
    )


def test_a_role_article_replaced_whole_adds_its_new_duties_and_leaves_the_old_ones_to_remove() -> None:
    draft = _draft_of_text(
        PREAMBLE + "제1조(김포시의 역할) 원 협약 제3조를 다음과 같이 한다.\n"
        "“제3조(김포시의 역할) 1. 교육지원사업 운영 계획 수립 "
        "2. 운영 실적을 매 반기 종료 후 20일 이내에 보고”\n"
        "2025. 8. 1.\n"
    )
    (event,) = yaml.safe_load(
        re.sub(r"(?m)^    # TODO: obligations\.remove — .*$", "    obligations.remove: [x]", draft)
    )
    assert [
        (item["clause"], item["party"], item["text"]) for item in event["changes"]["obligations.add"]
    ] == [
        ("제3조 1.", "gimpo", "교육지원사업 운영 계획 수립"),
        ("제3조 2.", "gimpo", "운영 실적을 매 반기 종료 후 20일 이내에 보고"),
    ]
    assert (
        "    # TODO: obligations.remove — [ids] of the obligations at 제3조 of the original, "
        "from its case file (L3: 원 협약 제3조를 다음과 같이 한다.)" in draft
    )
