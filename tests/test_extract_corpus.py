"""The corpus: agreements in the house styles public bodies write, each with its expected draft.

Each ``fixtures/agreements/NAME.txt`` (but the one non-agreement) has ``expected/NAME.yaml``: ``family``, the
drafting family it stands for (``benchmarks/extract_bench.py`` reports accuracy per family); ``fill``, the
values an analyst gives for the TODO lines the text leaves open (beyond id, source and owners); and
``draft``, every field of the filled draft with party keys replaced by names and obligations keyed by id.
The table test compares them field by field; the validation test loads every filled draft as a case file;
the recall test checks that no sentence about a date or deadline is lost between text and draft.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_support import ANALYST, FIXTURES, differences, draft_facts, draft_of, fill_todos, todo_fields

from obligations.extract.source import Lines, Span, squeeze
from obligations.extract.structure import read_layout
from obligations.loading import load_agreement

NOT_AGREEMENTS = {"report-not-an-agreement.txt"}
CORPUS = sorted(path.name for path in FIXTURES.glob("*.txt") if path.name not in NOT_AGREEMENTS)
# Drafts with a ``schedule`` (recurring duties): the corpus covers every recurring-duty phrase.
WITH_SCHEDULE = [
    "caps-count-six-months.txt",
    "caps-longest-years.txt",
    "dates-compact-dots.txt",
    "dates-spaced-long-style.txt",
    "deemed-renewal-cap-twice.txt",
    "deemed-renewal-objection-weeks.txt",
    "deemed-renewal-same-conditions.txt",
    "gangseo-prose-roles-capped.txt",
    "gap-eul-byeong-articles-per-party.txt",
    "heldout-company-joint-fields-cap-limit.txt",
    "heldout-cooperation-titles-deemed-thereafter.txt",
    "heldout-deemed-articles-of-duties.txt",
    "heldout-deemed-recontract.txt",
    "heldout-designation-headings-ga-items-termination-intent.txt",
    "heldout-designation-with-name-headings.txt",
    "heldout-effect-until-date-extend-as-stated.txt",
    "heldout-ends-before-months-continued-extension.txt",
    "heldout-five-parties-designation-colon-rows.txt",
    "heldout-five-parties-notice-until-end-day.txt",
    "heldout-four-parties-cap-not-exceed.txt",
    "heldout-four-parties-name-headings-survival-article.txt",
    "heldout-four-parties-once-only-thirty-days-before.txt",
    "heldout-full-name-article-titles-recontract-by-consent.txt",
    "heldout-joint-fields-survival-named-article.txt",
    "heldout-labelled-term-deemed-gaeshin-named.txt",
    "heldout-mou-untitled-articles-prose.txt",
    "heldout-notice-electronic-or-written-one-off-due.txt",
    "heldout-parties-at-signature-only.txt",
    "heldout-party-list-top-survival-article-valid.txt",
    "heldout-preamble-names-heads-offices.txt",
    "heldout-prose-must-endings.txt",
    "heldout-quarter-next-month.txt",
    "heldout-report-next-quarter-first-month.txt",
    "heldout-reports-year-end-plan.txt",
    "heldout-role-table-designation-and-name-columns.txt",
    "heldout-signing-two-years-intent-in-writing.txt",
    "heldout-six-month-units-four-times-duties.txt",
    "heldout-survival-privacy-until-five-years.txt",
    "heldout-three-parties-cap-until.txt",
    "heldout-total-extension-years-document-notice.txt",
    "heldout-untitled-articles-items-thereafter.txt",
    "heldout-validity-recontract-twice.txt",
    "heldout-zero-padded-dates-consult.txt",
    "no-renewal-extension-by-consultation.txt",
    "recurring-reports-schedules.txt",
    "renewal-unit-yearly-notify.txt",
    "reports-plan-before-period.txt",
    "reports-year-end-and-quarter.txt",
    "roles-paragraph-gap-eul-byeong.txt",
    "roles-paragraph-per-party.txt",
    "seongdong-gap-eul-paren-items.txt",
    "survival-without-duration.txt",
    "three-parties-monthly-count-cap.txt",
]
FAMILIES = {
    "automatic-renewal",
    "deemed-renewal",
    "renewal-by-unit",
    "renewal-caps",
    "notice-lead",
    "no-renewal",
    "roles-per-article",
    "roles-per-paragraph",
    "roles-in-prose",
    "roles-in-table",
    "survival",
    "recurring-reports",
    "date-styles",
    "many-parties",
}


def expected(name: str) -> dict[str, Any]:
    path = FIXTURES / "expected" / (Path(name).stem + ".yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def filled(name: str) -> str:
    return fill_todos(draft_of(name), {**ANALYST, **expected(name)["fill"]})


def test_the_corpus_covers_the_styles_the_issue_names() -> None:
    assert all((FIXTURES / "expected" / (Path(name).stem + ".yaml")).exists() for name in CORPUS)
    drafts = {name: expected(name)["draft"] for name in CORPUS}
    assert len(drafts) >= 40
    families = [expected(name)["family"] for name in CORPUS]
    assert set(families) == FAMILIES
    assert min(families.count(family) for family in FAMILIES) >= 2
    assert {len(draft["parties"]) for draft in drafts.values()} == {2, 3, 4, 5}
    assert sum(1 for draft in drafts.values() if draft["renewal"] is None) >= 8
    renewals = [draft["renewal"] for draft in drafts.values() if draft["renewal"]]
    assert {None, 1, 2, 3, 4} <= {renewal["max_renewals"] for renewal in renewals}
    assert {"30d", "45d", "60d", "2w", "1m", "2m", "3m"} <= {
        renewal["notice"]["lead"] for renewal in renewals
    }
    assert {"6m", "1y", "2y", "3y"} <= {renewal["length"] for renewal in renewals}
    obligations = [item for draft in drafts.values() for item in draft["obligations"].values()]
    assert {True, "2y", "3y"} <= {item["survives"] for item in obligations if "survives" in item}
    schedules = {
        (item["schedule"]["every"], item["schedule"]["due"]) for item in obligations if "schedule" in item
    }
    assert {
        ("month", "10"),
        ("month", "end"),
        ("quarter", "end"),
        ("quarter", "end+15d"),
        ("half-year", "end"),
        ("half-year", "end+20d"),
        ("year", "01-31"),
        ("year", "12-31"),
    } <= schedules
    with_schedule = [
        name
        for name, draft in drafts.items()
        if any("schedule" in item for item in draft["obligations"].values())
    ]
    assert with_schedule == WITH_SCHEDULE


@pytest.mark.parametrize("name", CORPUS)
def test_draft_equals_its_expected_draft_field_by_field(name: str) -> None:
    found = differences(draft_facts(yaml.safe_load(filled(name))), expected(name)["draft"])
    assert not found, f"{name}:\n" + "\n".join(found)


@pytest.mark.parametrize("name", CORPUS)
def test_draft_leaves_open_exactly_what_its_fill_gives(name: str) -> None:
    left = set(todo_fields(draft_of(name))) - {"id", "source", "owners", "review"}
    assert left == set(expected(name)["fill"])


def _load(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    agreement, _, problems = load_agreement(path)
    assert agreement is not None or problems
    return [str(problem) for problem in problems]


@pytest.mark.parametrize("name", CORPUS)
def test_filled_draft_validates(name: str, tmp_path: Path) -> None:
    assert _load(filled(name), tmp_path) == []


# ---------------------------------------------------------------------------------------------------------
# Recall: what a sentence speaks of is listed here on its own, not taken from the extractor.

SPEAKS_OF_RENEWAL = re.compile(r"연장|갱신|재계약|재협약")
SPEAKS_OF_A_DEADLINE = re.compile(
    r"해지|해제|통지|통보|존속|제출|보고|점검|신청|평가|만료|효력|유효|(?:종료|만료)\S*\s*(?:된\s*)?후"
)
PRINTS_A_DATE = re.compile(r"\d{4}\s*(?:년|\.|-)\s*\d{1,2}|[’'‘`]\s*\d{2}\s*\.\s*\d{1,2}\s*\.")
SENTENCE_END = re.compile(r"(?<=[다함음임됨요])\.\s+")
VALUE_COMMENT = re.compile(r"^(?P<indent>\s*)(?!#)(?P<key>[^:#]+):.*?  # L(?P<line>\d+):")
QUOTED = re.compile(r"# TODO: review — L(?P<line>\d+): (?P<text>.*)$")


def sentences(name: str) -> list[tuple[frozenset[int], str]]:
    """Every sentence of the text (preamble, articles, table rows, closing) with the lines it spans."""
    layout = read_layout(Lines.of((FIXTURES / name).read_text(encoding="utf-8")))
    spans = [layout.preamble, *layout.closing]
    for article in layout.articles:
        for unit in article.walk():
            spans.append(unit.text)
            spans += [Span(" | ".join(c for c in row.cells if c), (row.line,) * 999) for row in unit.rows]
    found = []
    for span in spans:
        start = 0
        for end in [m.end() for m in SENTENCE_END.finditer(span.text)] + [len(span.text)]:
            piece = span.text[start:end]
            first = start + len(piece) - len(piece.lstrip())
            if piece.strip():
                found.append((frozenset(span.lines[first : first + len(piece.strip())]), piece.strip()))
            start = end
    return found


def cited_and_quoted(draft: str) -> tuple[dict[str, set[int]], set[tuple[int, str]]]:
    """The lines each top-level section's values cite, and the (line, sentence) pairs TODO lines quote."""
    cited: dict[str, set[int]] = {}
    quoted = set()
    section = ""
    for line in draft.splitlines():
        if re.match(r"^[a-z_]+:", line):
            section = line.split(":")[0]
        if match := VALUE_COMMENT.match(line):
            cited.setdefault(section if match["indent"] else match["key"], set()).add(int(match["line"]))
        elif match := QUOTED.search(line):
            quoted.add((int(match["line"]), match["text"]))
    return cited, quoted


@pytest.mark.parametrize("name", CORPUS)
def test_every_sentence_about_a_date_or_deadline_is_drafted_or_quoted(name: str) -> None:
    """A sentence about renewal is used by the renewal or quoted; any other such sentence is cited by some
    value or quoted; and "renewal: none" stands only in a draft whose text never speaks of renewal."""
    draft = draft_of(name)
    cited, quoted = cited_and_quoted(draft)
    every_line = set().union(*cited.values())
    lost = []
    for lines, text in sentences(name):
        is_quoted = (min(lines), squeeze(text)) in quoted
        if SPEAKS_OF_RENEWAL.search(text):
            if not (cited.get("renewal", set()) & lines or is_quoted):
                lost.append(f"L{min(lines)} (renewal): {text}")
        elif (SPEAKS_OF_A_DEADLINE.search(text) or PRINTS_A_DATE.search(text)) and not (
            every_line & lines or is_quoted
        ):
            lost.append(f"L{min(lines)}: {text}")
    assert not lost, f"{name}: sentences neither drafted nor quoted:\n" + "\n".join(lost)
    speaks_of_renewal = any(SPEAKS_OF_RENEWAL.search(text) for _, text in sentences(name))
    assert ("# renewal: none" in draft) == (
        not speaks_of_renewal and expected(name)["draft"]["renewal"] is None
    )
