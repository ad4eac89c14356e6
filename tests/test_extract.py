"""``obligations extract``: drafts from agreement texts, compared with the hand-written case files.

The two MOUs of the seed report (its 붙임1, cut out verbatim as fixtures) must give drafts
that, once their TODO lines are filled the way an analyst fills them, load without problems and agree with
``cases/`` on every field the text determines. Titles are compared exactly: the extractor joins heading
lines with a space, closes letter-spaced words (``업 무 협 약 서``), writes ``A - B`` as ``A-B`` and names
the agreement (``…업무협약``) rather than the paper (``…업무협약서``); see ``parties.read_title``.
"""

from __future__ import annotations

import datetime as dt
import doctest
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from extract_support import ANALYST, FIXTURES, Fill, differences, draft_of, fill_todos, todo_fields

from obligations.commands.extract import extract
from obligations.extract import NotAnAgreement, draft_case_file, read_agreement
from obligations.extract.korean_dates import KoreanDateError, find_days, find_months, read_day
from obligations.extract.source import Lines, UnreadableText, squeeze
from obligations.extract.structure import read_layout

CASES = Path(__file__).resolve().parents[1] / "cases"
SEEDS = [
    ("seoul-gimpo-seoullearn-mou.txt", "seoul-gimpo-seoullearn-mou-2025.yaml"),
    ("youth-shelter-self-reliance-mou.txt", "youth-shelter-self-reliance-mou-2025.yaml"),
]

# ---------------------------------------------------------------------------------------------------------
# Helpers: draft, fill the TODO lines as an analyst would, load, and reduce to the fields the text determines.


def load(path: Path) -> Any:
    from obligations.loading import load_agreement

    agreement, _, problems = load_agreement(path)
    assert not problems, "\n".join(map(str, problems))
    assert agreement is not None
    return agreement


def load_filled(name: str, tmp_path: Path, extra: Fill | None = None) -> Any:
    path = tmp_path / (Path(name).stem + ".yaml")
    path.write_text(fill_todos(draft_of(name), {**ANALYST, **(extra or {})}), encoding="utf-8")
    return load(path)


def facts(agreement: Any) -> dict[str, Any]:
    """The fields an agreement's text determines, with party keys replaced by party names."""
    name = {key: party.name for key, party in agreement.parties.items()}

    def names(keys: tuple[str, ...]) -> list[str] | str:
        return sorted(name[key] for key in keys) or "any"

    term, renewal = agreement.term, agreement.renewal
    return {
        "title": agreement.title,
        "signed": agreement.signed,
        "parties": sorted(name.values()),
        "term": {
            "clause": term.clause,
            "start": term.start,
            "starts_at_midnight": term.starts_at_midnight,
            "first_day_counts": term.first_day_counts,
            "length": str(term.length) if term.length else None,
            "end": term.end,
        },
        "renewal": None
        if renewal is None
        else {
            "clause": renewal.clause,
            "automatic": renewal.automatic,
            "length": str(renewal.length),
            "max_renewals": renewal.max_renewals,
            "notice.lead": str(renewal.notice.lead) if renewal.notice.lead else None,
            "notice.form": renewal.notice.form,
            "notice.by": names(renewal.notice.by),
        },
        "obligations": {
            item.clause: {"party": names(item.party), "text": squeeze(item.text), "survives": item.survives}
            for item in agreement.obligations
        },
    }


# ---------------------------------------------------------------------------------------------------------
# The seed's two MOUs against the hand-written case files.


@pytest.mark.parametrize(("fixture", "case"), SEEDS)
def test_seed_draft_equals_the_case_file_on_every_field_the_text_determines(
    fixture: str, case: str, tmp_path: Path
) -> None:
    drafted = facts(load_filled(fixture, tmp_path))
    expected = facts(load(CASES / case))
    found = differences(drafted, expected)
    assert not found, f"{fixture} vs cases/{case}:\n" + "\n".join(found)


@pytest.mark.parametrize(("fixture", "case"), SEEDS)
def test_seed_draft_leaves_only_what_the_text_cannot_say(fixture: str, case: str) -> None:
    fields = todo_fields(draft_of(fixture))
    assert sorted(set(fields)) == ["id", "owners", "review", "source"]


def test_every_value_of_the_seed_draft_cites_its_source_line() -> None:
    draft = draft_of("seoul-gimpo-seoullearn-mou.txt")
    lines = (FIXTURES / "seoul-gimpo-seoullearn-mou.txt").read_text(encoding="utf-8").splitlines()
    assert "  length: 1y  # L47: 제4조(협약기간) 본 협약의 기간은 체결일로부터 1년으로 하며, 어느" in draft
    assert "signed: 2025-02-25  # L73: 2025년 2월 25일" in draft
    for match in re.finditer(r"# L(\d+): (.*?)(?: — |$)", draft, re.MULTILINE):
        number, quoted = int(match[1]), match[2].rstrip("…")
        assert squeeze(lines[number - 1]).startswith(quoted), f"L{number} is not {quoted!r}"


def test_seed_draft_reads_max_3_years_as_three_renewals_and_names_the_other_reading() -> None:
    draft = draft_of("youth-shelter-self-reliance-mou.txt")
    line = next(line for line in draft.splitlines() if "max_renewals:" in line)
    assert line.startswith("  max_renewals: 3  # L58:")
    assert "the other reading: 3년 in all" in line


def test_seed_draft_is_yaml_whose_only_missing_required_field_is_the_id() -> None:
    data = yaml.safe_load(draft_of("youth-shelter-self-reliance-mou.txt"))
    assert "id" not in data
    assert data["parties"]["seoul"] == {"name": "서울특별시"}
    assert data["renewal"]["notice"] == {"lead": "1m", "form": "written", "by": "any"}


# ---------------------------------------------------------------------------------------------------------
# The variants of the corpus (test_extract_corpus.py), on points the table does not show.


def test_variant_obligations_are_exactly_the_roles_and_surviving_duties() -> None:
    found = read_agreement(Lines.of((FIXTURES / "four-parties-dated-period.txt").read_text(encoding="utf-8")))
    assert [item.clause for item in found.obligations] == [
        "제2조 ① 1.",
        "제2조 ① 2.",
        "제2조 ② 1.",
        "제2조 ② 2.",
        "제2조 ③ 1.",
        "제2조 ④ 1.",
        "제2조 ⑤",
        "제4조",
    ]


def test_what_the_text_leaves_open_becomes_a_todo_never_a_guess() -> None:
    draft = draft_of("iso-date-open-questions.txt")
    assert sorted(set(todo_fields(draft))) == ["by", "id", "owners", "review", "source", "start"]
    assert re.search(r"^term:\n  clause: \"제2조 ①\"\n  end: 2026-02-28 .*\n  # TODO: start — ", draft, re.M)


def test_n_years_each_up_to_m_years_is_m_over_n_renewals_naming_the_other_reading() -> None:
    draft = draft_of("iso-date-open-questions.txt")
    line = next(line for line in draft.splitlines() if "max_renewals:" in line)
    assert line.startswith("  max_renewals: 2  # L8: ② 이 협약은 2년씩 최대 4년 자동 연장된다.")
    assert line.endswith(
        "“최대 4년” read as 2 renewals of 2년 (the other reading: 4년 in all, the first term included)"
    )


def test_a_cap_that_is_not_a_whole_number_of_renewals_is_a_todo() -> None:
    text = _agreement("제1조(기간) 체결일로부터 2년으로 하며, 2년씩 최대 3년 자동 연장된다.")
    draft = draft_case_file(text.encode(), "t.txt").text
    assert "max_renewals:" not in draft
    assert "  # TODO: max_renewals — “최대 3년” with renewals of 2년: the number of renewals allowed" in draft


def test_extension_by_agreement_is_not_an_automatic_renewal() -> None:
    draft = draft_of("four-parties-dated-period.txt")
    assert "\nrenewal:" not in draft
    assert "renewal: none" not in draft
    assert "# renewal: not drafted — 제3조 ② (L21) speaks of extension but not of an automatic one" in draft
    assert "# TODO: review — L21: 협약기간의 연장이 필요한 경우 각 기관이 협의하여 연장할 수 있다.\n" in draft


@pytest.mark.parametrize(
    "clause",
    [
        "협약기간 만료 시 쌍방 이견이 없으면 재협약한 것으로 한다.",
        "기간이 끝나면 같은 내용으로 갱신하는 것을 원칙으로 한다.",
        "이 협약의 연장 여부는 만료 전에 정한다.",
    ],
)
def test_a_renewal_sentence_the_grammar_does_not_read_is_quoted_never_none(clause: str) -> None:
    text = _agreement(f"제1조(기간) ① 체결일로부터 1년으로 한다.\n② {clause}")
    draft = draft_case_file(text.encode(), "t.txt").text
    assert "renewal: none" not in draft
    assert f"# TODO: review — L4: {clause}\n" in draft


def test_words_of_a_limit_the_grammar_does_not_read_leave_the_cap_open_never_unlimited() -> None:
    text = _agreement(
        "제1조(기간) ① 체결일로부터 1년으로 한다.\n"
        "② 이 협약은 1년씩 자동 연장되며, 연장 횟수는 가가 예산 사정을 고려하여 정한다."
    )
    draft = draft_case_file(text.encode(), "t.txt").text
    assert "max_renewals: null" not in draft
    assert (
        "  # TODO: max_renewals — “연장 횟수” in L4 may limit the renewals: their number (or null)\n" in draft
    )


def test_renewal_none_is_written_only_when_no_sentence_speaks_of_extension() -> None:
    draft = draft_case_file(_agreement("제1조(기간) 체결일로부터 1년으로 한다.").encode(), "t.txt").text
    assert "# renewal: none — no sentence of the text speaks of extension (연장, 갱신, 재계약)\n" in draft


def test_a_termination_clause_that_became_no_field_is_quoted_where_the_renewal_goes() -> None:
    draft = draft_of("roles-paragraph-per-party.txt")
    renewal_part = draft[draft.index("# renewal: none") : draft.index("obligations:")]
    assert renewal_part.splitlines()[1] == (
        "# TODO: review — L14: 구 또는 도서관은 상대방이 협약을 위반한 경우 1개월 전에 서면으로 통보하고 "
        "이 협약을 해지할 수 있다."
    )


@pytest.mark.parametrize(
    ("clause", "survives"),
    [
        ("이 조의 의무는 협약 종료 후 3년간 존속한다.", "3y"),
        ("제1항의 의무는 이 협약이 종료된 후 2년간 존속한다.", "2y"),
        ("이 의무는 협약이 만료된 후에도 18개월간 유효하다.", "18m"),
        ("본 조는 협약이 종료된 후에도 그 효력이 유지된다.", "true"),
        ("이 조의 의무는 협약기간이 만료된 후에도 존속한다.", "true"),
        ("제1항의 비밀유지 의무는 협약 종료일로부터 2년간 존속한다.", "2y"),
        ("이 의무는 협약이 만료된 날부터 6개월간 유지된다.", "6m"),
    ],
)
def test_a_duty_survives_for_the_length_the_text_states_or_without_end(clause: str, survives: str) -> None:
    text = _agreement(
        f"제1조(기간) 체결일로부터 1년으로 한다.\n제2조(비밀유지) 각 기관은 비밀을 지킨다. {clause}"
    )
    draft = draft_case_file(text.encode(), "t.txt").text
    assert f"    survives: {survives}  # L4: " in draft


@pytest.mark.parametrize(
    ("body", "roles"),
    [
        (
            "제1조(협력 내용) 가는 사업비를 지원하고, 나는 멘토를 모집하여 배치한다.",
            [(("party-1",), "사업비를 지원"), (("party-2",), "멘토를 모집하여 배치")],
        ),
        (
            "제1조(역할) ① 가는 장비를 설치하고 유지관리하며, 장애 현황을 나에게 통보한다.",
            [(("party-1",), "장비를 설치하고 유지관리"), (("party-1",), "장애 현황을 나에게 통보")],
        ),
        (
            "제1조(가의 역할) ① 가는 운영비를 지원한다.\n② 공간을 제공",
            [(("party-1",), "운영비를 지원"), (("party-1",), "공간을 제공")],
        ),
        (
            "제1조(역할) ① 가의 역할은 다음 각 호와 같다.\n1. 학생 모집\n"
            "② 나의 역할은 다음 각 호와 같다.\n1. 실습실 개방",
            [(("party-1",), "학생 모집"), (("party-2",), "실습실 개방")],
        ),
        (
            "제1조(협력 사항) 가와 나는 다음 각 호의 사항에 대하여 상호 협력한다.\n1. 프로그램 공동 기획",
            [(("party-1", "party-2"), "프로그램 공동 기획")],
        ),
        (
            "제1조(역할) ① 가는 사무국을 운영한다.\n② 가와 나는 강좌를 공동으로 개설한다.",
            [(("party-1",), "사무국을 운영"), (("party-1", "party-2"), "강좌를 공동으로 개설")],
        ),
        (
            "제1조(역할 분담) 역할은 다음과 같다.\n연번 | 기관 | 역할\n"
            "1 | 가 | 청년 모집\n2 | 나 | 주택 공급",
            [(("party-1",), "청년 모집"), (("party-2",), "주택 공급")],
        ),
        (
            "제1조(기관별 역할) 각 기관의 역할은 다음과 같다.\n"
            "1. 가: 사업 총괄 및 예산 지원\n2. 나 : 강사 파견",
            [(("party-1",), "사업 총괄 및 예산 지원"), (("party-2",), "강사 파견")],
        ),
        (
            "제1조(가의 협력사항)\n1. 수요 조사\n제2조(나의 협력사항)\n1. 강사 파견",
            [(("party-1",), "수요 조사"), (("party-2",), "강사 파견")],
        ),
        (
            "제1조(역할)\n1. 가(가구)의 역할\n가. 임차료 지원\n2. 나(나구)의 역할\n가. 교육 운영",
            [(("party-1",), "임차료 지원"), (("party-2",), "교육 운영")],
        ),
        (
            "제1조(기관별 역할)\n기관 | 주요 역할\n가구(가) | 대상자 선정\n나구(나) | 장비 설치",
            [(("party-1",), "대상자 선정"), (("party-2",), "장비 설치")],
        ),
    ],
    ids=[
        "two-subjects-one-sentence",
        "shared-object",
        "article-of-one-party",
        "heading-role-is-as-follows",
        "two-parties-head-a-list",
        "two-parties-subject-of-prose",
        "table-with-row-numbers",
        "party-colon-role",
        "designation-with-full-name-heading",
        "article-of-one-party-cooperation-items",
        "table-name-with-designation-cell",
    ],
)
def test_roles_in_prose_belong_to_the_subject_of_each_clause(
    body: str, roles: list[tuple[tuple[str, ...], str]]
) -> None:
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.parties.value, o.text.value) for o in found.obligations] == roles


@pytest.mark.parametrize("heading", ["1. 가구", "1. 가", "1. “가”"])
def test_a_party_named_alone_on_its_line_heads_the_items_under_it(heading: str) -> None:
    body = (
        f"제2조(기관별 역할) 각 기관은 다음의 역할을 수행한다.\n{heading}\n가. 공간 제공\n나. 홍보\n"
        "2. 나구\n가. 강사 파견"
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.clause, o.parties.value, o.text.value) for o in found.obligations] == [
        ("제2조 1. 가", ("party-1",), "공간 제공"),
        ("제2조 1. 나", ("party-1",), "홍보"),
        ("제2조 2. 가", ("party-2",), "강사 파견"),
    ]


def test_roles_under_a_heading_that_names_no_party_are_left_for_the_analyst_never_dropped() -> None:
    body = (
        "제2조(기관별 역할) 각 기관은 다음의 역할을 수행한다.\n1. 다구청\n가. 공간 제공\n나. 홍보\n"
        "2. 나구\n가. 강사 파견"
    )
    draft = draft_case_file(_agreement(body).encode(), "t.txt").text
    todo = (
        "# TODO: party — L4 “다구청” heads these roles but names no party of the text: the key of the party"
    )
    assert draft.count(todo) == 2
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.id, o.parties.value, o.text.value) for o in found.obligations] == [
        ("role-1", (), "공간 제공"),
        ("role-2", (), "홍보"),
        ("party-2-1", ("party-2",), "강사 파견"),
    ]
    alone = _agreement(body.replace("2. 나구", "2. 성북구청"))
    assert [o.parties.value for o in read_agreement(Lines.of(alone)).obligations] == [(), (), ()]


_UNLISTED = """청년 업무협약서

{parties}
양 기관은 상호 협력하기 위하여 다음과 같이 협약을 체결한다.

제1조(목적) 이 협약은 협력 사항을 정한다.

제2조(협약기간) 이 협약의 유효기간은 체결한 날부터 1년으로 한다.

2025. 7. 15.

{signatures}
"""


@pytest.mark.parametrize(
    ("parties", "signatures", "read_from"),
    [
        (
            "협약 당사자\n갑: 서울특별시 은평구청장\n을: 서울과학기술대학교 총장\n",
            "갑 서울특별시 은평구청장 (인)",
            "the party list",
        ),
        (
            "□ 협약 당사자\n ○ 갑 : 서울특별시 은평구청장\n ○ 을 : 서울과학기술대학교 총장\n",
            "",
            "the party list",
        ),
        ("", "서울특별시 은평구청장 김미경 (인)     서울과학기술대학교 총장 (인)", "the signatures"),
        ("", "서울특별시 은평구청장 (인)\n\n서울과학기술대학교 총장 (서명)", "the signatures"),
        ("", "서울특별시 은평구     서울과학기술대학교\n구청장 (인)         총장 (인)", "the signatures"),
        (
            "협약 당사자\n구분 | 기관명 | 대표자\n갑 | 서울특별시 은평구 | 구청장\n"
            "을 | 서울과학기술대학교 | 총장\n",
            "",
            "the party list",
        ),
    ],
)
def test_parties_no_preamble_names_are_read_from_the_list_or_the_signatures_for_review(
    parties: str, signatures: str, read_from: str
) -> None:
    draft = draft_case_file(_UNLISTED.format(parties=parties, signatures=signatures).encode(), "t.txt").text
    data = yaml.safe_load(draft)
    assert data["title"] == "청년 업무협약"
    assert [party["name"] for party in data["parties"].values()] == [
        "서울특별시 은평구",
        "서울과학기술대학교",
    ]
    assert draft.count("# TODO: review — no preamble names the parties: ") == 2
    assert f"서울특별시 은평구 is read from {read_from}" in draft


def test_heads_named_in_the_preamble_are_their_bodies() -> None:
    text = (
        "성동구-한양대학교 협약서\n서울특별시 성동구청장(이하 “갑”)과 한양대학교 총장(이하 “을”)은 "
        "다음과 같이 협약을 체결한다.\n제1조(기간) 이 협약의 유효기간은 체결한 날부터 1년으로 한다.\n"
        "2025. 1. 2.\n"
    )
    found = read_agreement(Lines.of(text))
    assert [(p.key, p.name, p.short) for p in found.parties] == [
        ("seongdong", "서울특별시 성동구", "갑"),
        ("university", "한양대학교", "을"),
    ]


@pytest.mark.parametrize("subject", ["세 기관은", "참여기관은", "협약 당사자들은"])
def test_every_party_may_be_the_subject_in_other_words(subject: str) -> None:
    body = f"제2조(협력사항) {subject} 다음 각 호의 사항에 대하여 상호 협력한다.\n1. 공동 발굴"
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.parties.value, o.text.value) for o in found.obligations] == [
        (("party-1", "party-2"), "공동 발굴")
    ]


def test_a_table_row_may_give_a_designation_then_the_name_then_the_role() -> None:
    body = (
        "제2조(역할 분담) 기관별 역할은 다음과 같다.\n구분 | 기관명 | 주요 역할\n"
        "가 | 가구 | 공간 제공\n나 | 나구 | 홍보"
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.parties.value, o.text.value) for o in found.obligations] == [
        (("party-1",), "공간 제공"),
        (("party-2",), "홍보"),
    ]


def test_a_text_naming_its_parties_nowhere_is_still_refused() -> None:
    text = _UNLISTED.format(parties="", signatures="(인)")
    with pytest.raises(NotAnAgreement, match="found no parties"):
        read_agreement(Lines.of(text))


def test_a_survival_clause_naming_articles_keeps_those_articles_in_force() -> None:
    body = (
        "제1조(기간) 체결일로부터 1년으로 한다.\n제2조(비밀유지) 각 기관은 비밀을 누설하지 아니한다.\n"
        "제3조(개인정보) 각 기관은 개인정보를 보호한다.\n"
        "제4조(효력의 존속) 제2조 및 제3조의 의무는 이 협약이 종료되거나 해지된 이후에도 3년간 존속한다."
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.id, o.clause, str(o.survives.value) if o.survives else None) for o in found.obligations] == [
        ("confidentiality", "제2조", "3y"),
        ("personal-data", "제3조", "3y"),
    ]


def test_a_survival_clause_naming_a_paragraph_of_another_article_keeps_that_paragraph() -> None:
    body = (
        "제1조(기간) 체결일로부터 1년으로 한다.\n제2조(자료) ① 각 기관은 자료를 공유한다.\n"
        "② 각 기관은 받은 자료를 반환하여야 한다.\n"
        "제3조(효력의 존속) 제2조 제2항은 협약 종료 후에도 효력을 가진다."
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [
        (o.clause, o.text.value, o.survives.value if o.survives else None) for o in found.obligations
    ] == [
        ("제2조 ②", "각 기관은 받은 자료를 반환하여야 한다.", True),
    ]


def test_party_keys_are_readable_and_unique() -> None:
    data = yaml.safe_load(draft_of("four-parties-dated-period.txt"))
    assert list(data["parties"]) == [
        "seoul",
        "seoul-education-office",
        "lifelong-learning-institute",
        "gangnam",
    ]


# ---------------------------------------------------------------------------------------------------------
# Named edge cases of the text's layout.


def _agreement(body: str) -> str:
    return (
        "가-나 업무협약\n가구(이하 “가”)와 나구(이하 “나”)는 다음과 같이 협약한다.\n"
        + body
        + "\n2025. 1. 2.\n"
    )


def test_hwp_break_inside_a_word_is_joined_without_a_space() -> None:
    text = "제1조(목적) 본 협약은 김포시 청\n\n소년의 교육 지원을 \n\n목적으로 한다."
    assert (
        read_layout(Lines.of(text)).articles[0].text.text
        == "본 협약은 김포시 청소년의 교육 지원을 목적으로 한다."
    )


def test_plain_text_break_is_a_space() -> None:
    text = "제1조(목적) 본 협약은 김포시\n청소년의 교육 지원을\n목적으로 한다."
    assert (
        read_layout(Lines.of(text)).articles[0].text.text
        == "본 협약은 김포시 청소년의 교육 지원을 목적으로 한다."
    )


def test_da_at_the_start_of_a_line_is_the_end_of_a_word_not_an_item() -> None:
    text = "제1조(역할) ① 각 기관은 다음과 같이 협력한\n다. 세부 사항은 따로 정한다.\n② 다음을 수행한다."
    article = read_layout(Lines.of(text)).articles[0]
    assert [unit.clause for unit in article.walk()] == ["제1조", "제1조 ①", "제1조 ②"]
    assert article.children[0].text.text.endswith("협력한 다. 세부 사항은 따로 정한다.")


def test_a_cited_article_of_a_law_does_not_start_an_article() -> None:
    text = "서울시와 김포시는 「교육기본법」\n제4조, 제9조에 따라 협약한다.\n제1조(목적) 목적으로 한다."
    layout = read_layout(Lines.of(text))
    assert [article.label for article in layout.articles] == ["제1조"]


def test_an_item_after_a_sentence_on_the_same_line_starts_there() -> None:
    layout = read_layout(Lines.of("제4조(기간) ① 기간은 1년으로 한다. ② 자동 연장된다."))
    assert [unit.text.text for unit in layout.articles[0].children] == [
        "기간은 1년으로 한다.",
        "자동 연장된다.",
    ]


def test_the_closing_formula_does_not_belong_to_the_last_article() -> None:
    layout = read_layout(Lines.of(_agreement("제1조(비밀) 비밀을 지킨다.\n위와 같이 협약을 체결한다.")))
    assert layout.articles[0].text.text == "비밀을 지킨다."
    assert [span.text for span in layout.closing] == ["위와 같이 협약을 체결한다.", "2025. 1. 2."]


def test_short_names_in_straight_quotes_and_without_ra_handa() -> None:
    found = read_agreement(Lines.of(_agreement("제1조(기간) 체결일로부터 1년으로 한다.")))
    assert [(party.name, party.short) for party in found.parties] == [("가구", "가"), ("나구", "나")]


def test_a_short_name_for_all_the_parties_is_no_party_s_own() -> None:
    text = (
        "다-라-마 업무협약\n"
        "다구, 라대학교 및 마공단 서울지역본부(이하 “참여기관”이라 한다)는 다음과 같이 협약한다.\n"
        "제1조(기간) 체결일로부터 1년으로 한다.\n2025. 1. 2.\n"
    )
    found = read_agreement(Lines.of(text))
    assert [(party.name, party.short) for party in found.parties] == [
        ("다구", None),
        ("라대학교", None),
        ("마공단 서울지역본부", None),
    ]


@pytest.mark.parametrize(
    ("clause", "term"),
    [
        ("① 협약기간: 협약 체결일 ~ 2026. 12. 31.", ("signed", "2026-12-31", None, None)),
        ("협약기간은 2025년 11월 1일부터 2년으로 한다.", (dt.date(2025, 11, 1), None, "2y", True)),
        ("이 협약은 2025. 3. 1.(토)부터 1년간 효력을 가진다.", (dt.date(2025, 3, 1), None, "1y", True)),
    ],
    ids=["signing-day-tilde-end", "start-day-and-length", "start-day-weekday-and-length"],
)
def test_term_from_a_day_to_an_end_or_for_a_length(clause: str, term: tuple[Any, ...]) -> None:
    found = read_agreement(Lines.of(_agreement(f"제1조(협약기간) {clause}")))
    assert found.term is not None
    got = found.term
    assert (
        got.start.value if got.start else None,
        got.end.value if got.end else None,
        str(got.length.value) if got.length else None,
        got.starts_at_midnight.value if got.starts_at_midnight else None,
    ) == term


def test_a_weekday_that_contradicts_the_date_is_a_todo() -> None:
    text = _agreement("제1조(기간) 체결일로부터 1년으로 한다.").replace("2025. 1. 2.", "2025.2.7.(목)")
    draft = draft_case_file(text.encode(), "t.txt").text
    assert "\nsigned:" not in draft
    assert "# TODO: signed — L4 reads '2025.2.7.(목)' but 2025-02-07 is a 금요일: check the date" in draft


def test_a_joint_item_beside_the_roles_belongs_to_all_parties() -> None:
    body = "\n".join(
        [
            "제1조(역할) 1. 가의 역할",
            "가. 공간 제공",
            "2. 나의 역할",
            "가. 강사 지원",
            "3. 기타 상호 협력",
            "제2조(기간) 1년",
        ]
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.clause, o.parties.value) for o in found.obligations] == [
        ("제1조 1. 가", ("party-1",)),
        ("제1조 2. 가", ("party-2",)),
        ("제1조 3.", ("party-1", "party-2")),
    ]


# ---------------------------------------------------------------------------------------------------------
# Dates, as tables (properties in test_extract_properties.py).

DAY_STYLES = [
    ("2025년 2월 25일", dt.date(2025, 2, 25)),
    ("2025년  2월   25일", dt.date(2025, 2, 25)),
    ("2025. 2. 25.", dt.date(2025, 2, 25)),
    ("2025. 2. 25", dt.date(2025, 2, 25)),
    ("2025.2.6.(목)", dt.date(2025, 2, 6)),
    ("2025.2.6.(목요일)", dt.date(2025, 2, 6)),
    ("’25. 8. 29.(금)", dt.date(2025, 8, 29)),
    ("'25. 8. 29.", dt.date(2025, 8, 29)),
    ("2025-02-25", dt.date(2025, 2, 25)),
    ("'25.3.4", dt.date(2025, 3, 4)),
    ("2025. 3. 4.(화)", dt.date(2025, 3, 4)),
    ("2025년 3월 4일(화요일)", dt.date(2025, 3, 4)),
    ("2025. 03. 04.", dt.date(2025, 3, 4)),
    ("2024. 2. 29.", dt.date(2024, 2, 29)),
]


@pytest.mark.parametrize(("text", "day"), DAY_STYLES)
def test_read_day_reads_each_style(text: str, day: dt.date) -> None:
    assert read_day(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025년 2월 30일", "is not a day of the calendar"),
        ("2025. 2. 29.", "is not a day of the calendar"),
        ("2025.2.6.(금)", "2025-02-06 is a 목요일"),
        ("2025년 2월", "expected one date such as"),
        ("체결일 2025. 2. 25.", "expected one date such as"),
    ],
)
def test_read_day_refuses_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(KoreanDateError, match=re.escape(message)):
        read_day(text)


def test_find_days_in_running_text_skips_phone_numbers_and_months() -> None:
    text = "’25.2.25.(화) 09:50 김포시청 ☎2133-3910, 유효 기간은 2025년 12월까지, 2025. 4. 1.부터"
    assert [found.day for found in find_days(text)] == [dt.date(2025, 2, 25), dt.date(2025, 4, 1)]
    assert [found.iso for found in find_months(text)] == ["2025-12"]


# ---------------------------------------------------------------------------------------------------------
# Texts that are not agreements.


def test_the_report_around_the_mous_is_not_an_agreement() -> None:
    text = (FIXTURES / "report-not-an-agreement.txt").read_text(encoding="utf-8")
    with pytest.raises(NotAnAgreement, match=r"found no articles \(제1조\(목적\) …\) and no parties"):
        read_agreement(Lines.of(text))


def test_articles_without_parties_are_not_an_agreement() -> None:
    with pytest.raises(NotAnAgreement, match=r"^not an agreement: found no parties"):
        read_agreement(Lines.of("운영 규정\n제1조(목적) 이 규정은 운영을 정한다.\n"))


def test_text_neither_utf8_nor_cp949_names_the_byte_and_line() -> None:
    expected = (
        "a.txt: line 2: not UTF-8: byte 0xff cannot be decoded, nor CP949 (EUC-KR); save the text as UTF-8"
    )
    with pytest.raises(UnreadableText, match=re.escape(expected)):
        draft_case_file("MOU\n협약 제1조".encode() + b"\xff\xfe", "a.txt")


# ---------------------------------------------------------------------------------------------------------
# The command.


def test_cli_prints_the_draft_and_exits_0() -> None:
    result = CliRunner().invoke(extract, [str(FIXTURES / "seoul-gimpo-seoullearn-mou.txt")])
    assert result.exit_code == 0, result.output
    assert "\nsigned: 2025-02-25  # L73: 2025년 2월 25일\n" in result.stdout
    assert "\n  length: 1y  # L47: " in result.stdout
    assert (
        "# TODO: id — a unique id in the registry ([a-z0-9-]+); proposed: seoul-gimpo-mou-2025"
        in result.stdout
    )
    assert result.stderr.endswith("draft written; 7 TODO line(s) to fill or review\n")


def test_cli_writes_the_draft_to_output(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(extract, [str(FIXTURES / "three-parties-count-cap.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "max_renewals: 2  # L21: 연장은 최대 2회로 한다." in out.read_text(encoding="utf-8")


def test_cli_reads_standard_input() -> None:
    text = (FIXTURES / "two-parties-article-roles.txt").read_bytes()
    result = CliRunner().invoke(extract, ["-"], input=text)
    assert result.exit_code == 0, result.output
    assert "<stdin>" in result.stdout.splitlines()[0]


def test_cli_not_an_agreement_exits_2_saying_what_was_not_found() -> None:
    result = CliRunner().invoke(extract, [str(FIXTURES / "report-not-an-agreement.txt")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "report-not-an-agreement.txt: not an agreement: found no articles" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reads_cp949_text_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mou-cp949.txt"
    text = (FIXTURES / "seoul-gimpo-seoullearn-mou.txt").read_text(encoding="utf-8")
    path.write_bytes(
        text.replace("｢", "「").replace("｣", "」").encode("cp949")
    )  # half-width 「」 are not in CP949
    result = CliRunner().invoke(extract, [str(path)])
    assert result.exit_code == 0, result.output
    assert "\nsigned: 2025-02-25  # L73: 2025년 2월 25일\n" in result.stdout
    assert result.stderr.startswith(f"{path}: read as CP949 (EUC-KR), not UTF-8\n")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.txt", "cannot read the file: No such file or directory"),
        (lambda tmp: tmp, "is a directory"),
        (
            lambda tmp: (tmp / "nul.txt", (tmp / "nul.txt").write_bytes(b"\x00\x01"))[0],
            "binary data (a NUL byte)",
        ),
    ],
    ids=["missing", "directory", "binary"],
)
def test_cli_unreadable_file_exits_2(make: Callable[[Path], Path], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(extract, [str(make(tmp_path))])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_is_registered_in_the_obligations_group() -> None:
    from obligations.cli import cli

    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "youth-shelter-self-reliance-mou.txt")])
    assert result.exit_code == 0, result.output
    assert "\n  end: 2025-12  # L55: " in result.stdout


def test_an_untitled_article_of_one_paragraph_per_party_holds_their_roles_in_prose() -> None:
    body = "\n".join(
        [
            "제1조 이 협약은 가와 나가 협력하는 데 필요한 사항을 정한다.",
            "제2조 ① 가는 부지를 제공하고, 홍보를 지원한다.",
            "② 나는 설비를 설치하고 유지관리하며, 매월 5일까지 전월 실적을 가에게 보고한다.",
            "제3조 이 협약의 내용을 변경하는 경우에는 가와 나가 서면으로 합의하여야 한다.",
        ]
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.clause, o.parties.value, o.text.value) for o in found.obligations] == [
        ("제2조 ①", ("party-1",), "부지를 제공"),
        ("제2조 ①", ("party-1",), "홍보를 지원"),
        ("제2조 ②", ("party-2",), "설비를 설치하고 유지관리"),
        ("제2조 ②", ("party-2",), "매월 5일까지 전월 실적을 가에게 보고"),
    ]


def test_a_role_due_once_by_a_printed_day_has_that_due_and_no_schedule() -> None:
    body = "\n".join(
        [
            "제1조(나의 역할)",
            "1. 2025. 12. 31.까지 결과보고서 제출",
            "2. 매월 5일까지 실적 제출",
            "3. 2025년 3월 1일부터 운영",
        ]
    )
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.text.value, o.due.value if o.due else None) for o in found.obligations] == [
        ("2025. 12. 31.까지 결과보고서 제출", "2025-12-31"),
        ("매월 5일까지 실적 제출", None),
        ("2025년 3월 1일부터 운영", None),
    ]
    assert found.obligations[1].schedule is not None


@pytest.mark.parametrize(
    ("sentence", "survives"),
    [
        ("제1항의 의무는 협약 종료 후 5년이 경과할 때까지 존속한다.", "5y"),
        ("이 조의 의무는 협약이 만료된 후 3년이 되는 날까지 유지된다.", "3y"),
    ],
)
def test_a_duty_surviving_until_years_have_passed(sentence: str, survives: str) -> None:
    body = f"제1조(비밀유지) ① 가와 나는 알게 된 정보를 누설하지 아니한다.\n② {sentence}\n제2조(기간) 1년"
    found = read_agreement(Lines.of(_agreement(body)))
    assert [(o.clause, str(o.survives.value) if o.survives else None) for o in found.obligations] == [
        ("제1조", survives)
    ]


def test_a_paper_tag_after_the_title_is_not_part_of_it() -> None:
    text = _agreement("제1조(기간) 1년").replace("가-나 업무협약", "가-나 업무협약서(MOU)")
    assert read_agreement(Lines.of(text)).title is not None
    assert read_agreement(Lines.of(text)).title.value == "가-나 업무협약"  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------------------
# The examples in the docstrings are part of the documentation; they must stay true.


@pytest.mark.parametrize(
    "module",
    ["korean_dates", "source", "structure", "parties", "keys", "term", "schedule", "recall", "read"],
)
def test_docstring_examples(module: str) -> None:
    imported = __import__(f"obligations.extract.{module}", fromlist=["_"])
    failures, tried = doctest.testmod(imported, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


# ---------------------------------------------------------------------------------------------------------
# Other ways agreements state their term and renewal.


@pytest.mark.parametrize(
    ("clause", "term", "renewal"),
    [
        (
            "이 협약은 서명한 날부터 효력을 발생하며, 유효기간은 1년으로 한다. 다만, 협약 만료 1개월 전까지 "
            "어느 일방의 서면 해지 통보가 없는 경우 1년간 자동 연장되며, 이후에도 같다.",
            ("signed", "1y"),
            ("1y", None, "1m", "written", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 3년으로 한다. 기간 만료일 2개월 전까지 "
            "각 기관의 별도의 의사표시가 없으면 같은 기간으로 자동 갱신되며, 갱신은 1회에 한한다.",
            ("signed", "3y"),
            ("3y", 1, "2m", "any", ()),
        ),
        (
            "이 협약의 유효기간은 협약 체결일부터 1년으로 한다. 협약기간 만료 1개월 전까지 어느 일방이 "
            "서면으로 종료를 통지하지 아니하면 이 협약은 동일한 조건으로 1년간 연장된 것으로 본다.",
            ("signed", "1y"),
            ("1y", None, "1m", "written", ()),
        ),
        (
            "이 협약은 체결일부터 6개월간 효력을 가진다. 가 또는 나가 기간 만료 2주 전까지 이의를 제기하지 "
            "아니하면 같은 기간으로 연장된 것으로 보며, 연장은 2회에 한한다.",
            ("signed", "6m"),
            ("6m", 2, "2w", "any", ("party-1", "party-2")),
        ),
        (
            "이 협약의 기간은 체결일로부터 2년으로 한다. 협약기간이 만료되는 경우 1년 단위로 연장한다. "
            "연장을 원하지 아니하는 기관은 기간 만료 2월 전까지 상대 기관에 그 뜻을 서면으로 알려야 한다.",
            ("signed", "2y"),
            ("1y", None, "2m", "written", ()),
        ),
        (
            "이 협약은 서명일로부터 2년간 유효하며, 만료일 3개월 전까지 당사자 일방의 갱신 거절 의사표시가 "
            "없는 한 2년 단위로 갱신된다.",
            ("signed", "2y"),
            ("2y", None, "3m", "any", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 1년으로 한다. 만료 45일 전까지 별도의 해지 통보가 없으면 1년씩 "
            "자동 연장되며, 연장은 최장 4년까지로 한다.",
            ("signed", "1y"),
            ("1y", 4, "45d", "any", ()),
        ),
        (
            "이 협약의 계약기간은 체결일로부터 1년으로 한다. 계약기간 만료 30일 전까지 당사자 일방이 "
            "서면으로 재계약 거부 의사를 표시하지 않는 한 같은 기간으로 재계약된 것으로 보며, "
            "3회를 넘지 못한다.",
            ("signed", "1y"),
            ("1y", 3, "30d", "written", ()),
        ),
        (
            "이 협약은 체결한 날부터 2년간 유효하며, 유효기간이 만료되는 때에는 1년을 단위로 자동 연장된다. "
            "다만, 총 협약기간은 5년을 초과할 수 없다.",
            ("signed", "2y"),
            ("1y", 3, "None", "any", "<absent>"),
        ),
        (
            "이 협약의 기간은 협약일로부터 2년으로 한다. 만료 2개월 전까지 쌍방 이의가 없을 때에는 자동 "
            "연장되며, 연장 기간은 1년으로 한다.",
            ("signed", "2y"),
            ("1y", None, "2m", "any", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 1년으로 한다. 이 협약은 기간 만료 시 1년씩 자동 갱신되며, "
            "갱신하지 않으려는 기관은 만료일부터 역산하여 30일 전까지 상대방에게 문서로 통보하여야 한다.",
            ("signed", "1y"),
            ("1y", None, "30d", "written", ()),
        ),
        (
            "본 협약의 유효기간은 협약 체결일로부터 1년으로 한다. 유효기간 만료일 2개월 전까지 가 또는 나가 "
            "재협약 거부 의사를 서면으로 통보하지 아니하면 같은 기간으로 재협약된 것으로 보며, 재협약은 최대 "
            "2차례로 한다.",
            ("signed", "1y"),
            ("1y", 2, "2m", "written", ("party-1", "party-2")),
        ),
        (
            "이 협약의 기간은 체결일로부터 2년으로 한다. 기간 만료 30일 이전에 어느 기관도 종료를 통보하지 "
            "않는 경우 1년간 자동으로 연장된다. 다만, 연장은 한 차례에 한한다.",
            ("signed", "2y"),
            ("1y", 1, "30d", "any", ()),
        ),
        (
            "이 협약은 협약 체결일부터 효력이 발생하며, 2년간 유효하다. 다만, 협약 만료일 2개월 전까지 "
            "별도의 의사표시가 없는 경우에는 그 기간을 1년씩 연장하는 것으로 한다.",
            ("signed", "2y"),
            ("1y", None, "2m", "any", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 1년으로 한다. 만료 1개월 전까지 어느 일방이 종료를 요청하지 "
            "않는 한 1년씩 연장된다.",
            ("signed", "1y"),
            ("1y", None, "1m", "any", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 1년으로 한다. 기간 만료 1개월 전까지 어느 한 쪽이라도 종료 "
            "의사를 문서로 통보하지 않는 한 자동으로 1년 연장되며, 이후에도 같다. 단, 총 연장기간은 "
            "3년을 넘을 수 없다.",
            ("signed", "1y"),
            ("1y", 3, "1m", "written", ()),
        ),
        (
            "이 협약의 기간은 체결일로부터 1년으로 한다. 다만, 협약 만료 1개월 전까지 상호 이의가 없는 "
            "때에는 6개월씩 연장되며, 연장은 최대 4회로 한다.",
            ("signed", "1y"),
            ("6m", 4, "1m", "any", ()),
        ),
        (
            "이 협약의 기간은 협약 체결일로부터 만 2년으로 한다. 협약 만료 3개월 전까지 당사자 간 별도 "
            "합의가 없으면 이 협약은 자동으로 1년 연장되며, 이후에도 같다.",
            ("signed", "2y"),
            ("1y", None, "3m", "any", ()),
        ),
    ],
    ids=[
        "length-before-the-verb",
        "same-length-once",
        "deemed-without-jadong",
        "deemed-weeks-named-parties-twice",
        "by-unit-notice-in-next-sentence-wol-months",
        "gaeshin-by-unit-refusal",
        "longest-years-cap",
        "deemed-recontract-cap-not-exceeded",
        "unit-with-eul-cap-in-all",
        "agreement-day-both-sides-length-stated-apart",
        "notice-reckoned-back-by-whoever-does-not-wish",
        "recontract-at-most-two-times-chare",
        "native-count-once",
        "extension-stated-as-what-shall-be",
        "unless-termination-requested",
        "total-of-renewals-in-years",
        "mutual-no-objection-six-months-four-times",
        "full-years-unless-the-parties-agree-otherwise",
    ],
)
def test_term_and_renewal_phrasings(
    clause: str, term: tuple[str, str], renewal: tuple[str, int | None, str, str, tuple[str, ...]]
) -> None:
    found = read_agreement(Lines.of(_agreement(f"제1조(협약기간) {clause}")))
    assert found.term is not None and found.renewal is not None
    start, length = found.term.start, found.term.length
    assert (start.value if start else None, str(length.value if length else None)) == term
    notice = found.renewal.notice
    assert (
        str(found.renewal.length.value if found.renewal.length else None),
        found.renewal.max_renewals.value if found.renewal.max_renewals else "<absent>",
        str(notice.lead.value),
        notice.form.value,
        notice.by.value if notice.by else "<absent>",
    ) == renewal


def test_a_text_holding_two_agreements_is_refused_with_where_each_begins() -> None:
    text = "\n".join(
        (FIXTURES / name).read_text(encoding="utf-8")
        for name in ("seoul-gimpo-seoullearn-mou.txt", "youth-shelter-self-reliance-mou.txt")
    )
    with pytest.raises(NotAnAgreement, match=r"^the text holds 2 agreements \(제1조 at L13, L89\); cut each"):
        read_agreement(Lines.of(text))
