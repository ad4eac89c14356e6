"""How well `obligations extract` reads the corpus of agreements, by drafting family.

Each agreement under tests/fixtures/agreements/ is drafted, its TODO lines are filled as its expected file
says an analyst fills them (what the text leaves open), and every field of the result is compared with the
expected draft: a field is right when both hold the same value, wrong when they differ or only one has it.
A *silent none* is a draft that says ``renewal: none`` although a sentence of the text speaks of extension
(연장, 갱신, 재계약). Prints a Markdown table; exits 1 when a family is under the target or a silent none
is found. A TODO line the expected file does not fill (the text said it, the draft did not) is left out,
so its field counts as wrong; a text the extractor refuses counts every field wrong.

The amendments (변경협약서) under tests/fixtures/amendments/ are the family ``amendments``: each is drafted as
the ``amended`` event it asks for, its TODO lines filled as its expected file says, and every field of the
event (date, ref, each change; an added obligation field by field) compared with the expected event.

    python benchmarks/extract_bench.py                     # the whole corpus
    python benchmarks/extract_bench.py --glob 'heldout-*'  # some of it
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from extract_support import ANALYST, FIXTURES, draft_facts, draft_of, fill_todos

from obligations.extract import NotAnAgreement, draft_case_file
from obligations.extract.recall import RENEWAL_WORDS, sentences_of
from obligations.extract.source import Lines
from obligations.extract.structure import read_layout

TARGET = 0.95
AMENDMENTS = FIXTURES.parent / "amendments"
_KEY_TODO = re.compile(r"^(?P<indent>\s*)# TODO: (?P<field>[a-z_.]+) — .*$")


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every field as ``path: value``; a list is one field per item, ``None`` a field of its own."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(leaves(item, f"{path}.{key}" if path else str(key)))
        return found
    if isinstance(value, list):
        return {f"{path}[{item}]": True for item in value} or {path: []}
    return {path: value}


class Filled(Mapping[str, Any]):
    """The analyst's values for a draft's TODO lines; a field the expected file does not give stays empty."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def __getitem__(self, field: str) -> Any:
        return self.values.get(field, "null")

    def __contains__(self, field: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def score(name: str, expected: dict[str, Any]) -> tuple[int, int]:
    """(right, total) fields of the filled draft of ``name`` against its expected draft."""
    wanted = leaves(expected["draft"])
    try:
        filled = fill_todos(draft_of(name), Filled({**ANALYST, **expected["fill"]}))
    except NotAnAgreement:
        return 0, len(wanted)
    drafted = leaves(draft_facts(yaml.safe_load(filled)))
    fields = set(drafted) | set(wanted)
    right = sum(1 for field in set(drafted) & set(wanted) if drafted[field] == wanted[field])
    return right, len(fields)


def score_amendment(name: str, expected: dict[str, Any]) -> tuple[int, int]:
    """(right, total) fields of the filled ``amended`` event of ``name`` against its expected event."""
    wanted = leaves(expected["event"])
    draft = draft_case_file((AMENDMENTS / name).read_bytes(), name).text
    lines = []
    for line in draft.splitlines():
        match = _KEY_TODO.match(line)
        if match is None:
            lines.append(line)
        elif match["field"] in expected["fill"]:
            lines.append(f"{match['indent']}{match['field']}: {expected['fill'][match['field']]}")
    (event,) = yaml.safe_load("\n".join(lines))
    drafted = leaves(event)
    fields = set(drafted) | set(wanted)
    right = sum(1 for field in set(drafted) & set(wanted) if drafted[field] == wanted[field])
    return right, len(fields)


def measured(pattern: str) -> Iterator[tuple[str, int, int, bool]]:
    """(family, right, fields, silent none) of each text whose expected file matches ``pattern``."""
    for path in sorted((FIXTURES / "expected").glob(f"{pattern}.yaml")):
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = path.stem + ".txt"
        yield expected["family"], *score(name, expected), silent_none(name)
    for path in sorted((AMENDMENTS / "expected").glob(f"{pattern}.yaml")):
        expected = yaml.safe_load(path.read_text(encoding="utf-8"))
        yield expected["family"], *score_amendment(path.stem + ".txt", expected), False


def silent_none(name: str) -> bool:
    """The draft says ``renewal: none`` while a sentence of the text speaks of extension."""
    try:
        draft = draft_of(name)
    except NotAnAgreement:
        return False
    layout = read_layout(Lines.of((FIXTURES / name).read_text(encoding="utf-8")))
    speaks = any(RENEWAL_WORDS.search(sentence.text) for sentence in sentences_of(layout))
    return speaks and "# renewal: none" in draft


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glob", default="*", help="the expected files to measure, e.g. 'heldout-*'")
    args = parser.parse_args()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # texts, right, fields, silent
    for text_family, right, total, silent in measured(args.glob):
        for family in (text_family, "all"):
            row = totals[family]
            row[0] += 1
            row[1] += right
            row[2] += total
            row[3] += silent
    if not totals:
        sys.exit(f"no expected draft matches --glob {args.glob!r}; e.g. --glob 'heldout-*'")
    print("| family | texts | fields right | accuracy | silent none |")
    print("| --- | ---: | ---: | ---: | ---: |")
    families = [*sorted(family for family in totals if family != "all"), "all"]
    for family in families:
        texts, right, total, silent = totals[family]
        label = f"**{family}**" if family == "all" else family
        print(f"| {label} | {texts} | {right} / {total} | {right / total:.1%} | {silent} |")
    missed = [family for family in families if totals[family][1] < TARGET * totals[family][2]]
    silent = totals["all"][3]
    if missed or silent:
        print(f"\nunder {TARGET:.0%}: {', '.join(missed) or 'none'}; silent none: {silent}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
