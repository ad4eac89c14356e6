"""Helpers of the extract tests: draft a fixture, fill its TODO lines as an analyst would, reduce to facts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from obligations.extract import draft_case_file

FIXTURES = Path(__file__).parent / "fixtures" / "agreements"

_TODO = re.compile(r"^(?P<indent>\s*)# TODO: (?P<field>[a-z_]+) — (?P<what>.*)$")
Fill = Mapping[str, str | Callable[[str], str]]
ANALYST: Fill = {
    "id": lambda what: what.rsplit("proposed: ", 1)[1],
    "source": '"test fixture"',
    "owners": "[analyst]",
}


def draft_of(name: str) -> str:
    return draft_case_file((FIXTURES / name).read_bytes(), name).text


def todo_fields(draft: str) -> list[str]:
    return [match["field"] for line in draft.splitlines() if (match := _TODO.match(line))]


def fill_todos(draft: str, values: Fill) -> str:
    """Each ``# TODO: field — …`` line becomes ``field: value`` at its indentation; review lines go."""
    out = []
    for line in draft.splitlines():
        match = _TODO.match(line)
        if match is None:
            out.append(line)
        elif match["field"] != "review":
            if match["field"] not in values:
                pytest.fail(f"the draft leaves {match['field']!r} open: {match['what']}")
            value = values[match["field"]]
            out.append(
                f"{match['indent']}{match['field']}: {value(match['what']) if callable(value) else value}"
            )
    return "\n".join(out) + "\n"


def draft_facts(data: dict[str, Any]) -> dict[str, Any]:
    """A filled draft (as YAML data) with party keys replaced by party names, obligations keyed by id:
    what the expected files of the corpus state, field by field."""
    name = {key: party["name"] for key, party in data["parties"].items()}

    def names(value: str | list[str] | None) -> list[str] | str | None:
        if value is None or value == "any":
            return value
        return sorted(name[key] for key in ([value] if isinstance(value, str) else value))

    renewal = data.get("renewal")
    if renewal is not None:
        renewal = {**renewal, "notice": {**renewal["notice"], "by": names(renewal["notice"]["by"])}}
    return {
        "title": data["title"],
        "signed": data["signed"],
        "parties": sorted(name.values()),
        "term": data["term"],
        "renewal": renewal,
        "obligations": {
            item["id"]: {**{k: v for k, v in item.items() if k != "id"}, "party": names(item["party"])}
            for item in data.get("obligations") or []
        },
    }


def differences(draft: Any, expected: Any, path: str = "") -> list[str]:
    """Every field where the two differ, as ``path: draft=… expected=…`` lines."""
    if isinstance(draft, dict) and isinstance(expected, dict):
        lines = []
        for key in sorted(set(draft) | set(expected), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in draft:
                lines.append(f"{where}: missing from the draft (expected: {expected[key]!r})")
            elif key not in expected:
                lines.append(f"{where}: only in the draft ({draft[key]!r})")
            else:
                lines += differences(draft[key], expected[key], where)
        return lines
    return [] if draft == expected else [f"{path}:\n    draft:    {draft!r}\n    expected: {expected!r}"]
