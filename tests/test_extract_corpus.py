"""The corpus: agreements in the house styles public bodies write, each with its expected draft.

Each ``fixtures/agreements/NAME.txt`` (but the one non-agreement) has ``expected/NAME.yaml``: ``fill``, the
values an analyst gives for the TODO lines the text leaves open (beyond id, source and owners), and
``draft``, every field of the filled draft with party keys replaced by names and obligations keyed by id.
The table test compares them field by field; the validation test loads every filled draft as a case file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from extract_support import ANALYST, FIXTURES, differences, draft_facts, draft_of, fill_todos, todo_fields

from obligations.loading import load_agreement

NOT_AGREEMENTS = {"report-not-an-agreement.txt"}
CORPUS = sorted(path.name for path in FIXTURES.glob("*.txt") if path.name not in NOT_AGREEMENTS)
# Drafts with a ``schedule`` (recurring duties): the corpus covers every recurring-duty phrase.
WITH_SCHEDULE = [
    "gangseo-prose-roles-capped.txt",
    "gap-eul-byeong-articles-per-party.txt",
    "recurring-reports-schedules.txt",
    "seongdong-gap-eul-paren-items.txt",
    "three-parties-monthly-count-cap.txt",
]


def expected(name: str) -> dict[str, Any]:
    path = FIXTURES / "expected" / (Path(name).stem + ".yaml")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def filled(name: str) -> str:
    return fill_todos(draft_of(name), {**ANALYST, **expected(name)["fill"]})


def test_the_corpus_covers_the_styles_the_issue_names() -> None:
    drafts = {name: expected(name)["draft"] for name in CORPUS}
    assert len(drafts) >= 15
    assert {len(draft["parties"]) for draft in drafts.values()} == {2, 3, 4, 5}
    assert sum(1 for draft in drafts.values() if draft["renewal"] is None) >= 3
    caps = {draft["renewal"]["max_renewals"] for draft in drafts.values() if draft["renewal"]}
    assert {None, 1, 2, 3} <= caps
    assert all((FIXTURES / "expected" / (Path(name).stem + ".yaml")).exists() for name in CORPUS)
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
