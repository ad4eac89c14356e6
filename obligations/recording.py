"""Append an event to a case file, changing nothing else in it.

The file is edited as text, not re-dumped from YAML: one line is added at the end of the top-level
``events:`` block list (or ``events: []`` becomes a block list, or an ``events:`` block is added at the end
of the file), so that comments, key order, quoting and line endings stay byte for byte. The new text is
read back through the normal loader before anything is written, and written atomically.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

EVENT_KEYS = ("date", "type", "obligation", "party", "period", "form", "ref", "note", "changes")
_PLAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # keys, ids and dates: safe unquoted in a flow mapping
_EVENTS = re.compile(r"^events[ \t]*:(?P<rest>.*)$")
_TOP_LEVEL = re.compile(r"^[^\s#]")


class RecordError(ValueError):
    """The file cannot take an event by a one-line append; the message says why and what to do."""


def event_line(event: Mapping[str, str]) -> str:
    """``{date: 2025-11-20, type: notice-given, party: seoul, ref: "청소년정책과-1"}``: a flow mapping in the
    order of the case-file format; free text double-quoted (a JSON string is a valid YAML one)."""
    items = []
    for key in EVENT_KEYS:
        value = event.get(key)
        if value is None:
            continue
        if key == "changes":  # already YAML (see changes_text)
            items.append(f"{key}: {value}")
            continue
        plain = key in ("date", "type", "obligation", "party", "form") and _PLAIN.fullmatch(value)
        items.append(f"{key}: {value if plain else json.dumps(value, ensure_ascii=False)}")
    return "{" + ", ".join(items) + "}"


def changes_text(settings: Sequence[tuple[str, str]]) -> str:
    """``[('term.end', '2026-06-30'), ('renewal.notice.lead', '2m')]`` → ``{term.end: 2026-06-30, …}``: each
    value read as YAML (``false``, ``null``, ``[city, library]``, ``{id: …}``) and written back as a flow
    value, text quoted where it is not a plain word, so the event stays one line that reads back the same."""
    return "{" + ", ".join(f"{key}: {_flow(_read_value(key, value))}" for key, value in settings) + "}"


class _TextDates(yaml.SafeLoader):
    """Dates stay text, as the case-file loader keeps them, so the model judges them."""


def _date_as_text(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _date_as_text)


def _read_value(key: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_TextDates)  # a safe loader: plain YAML values only
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise RecordError(f"--set {key}={text}: the value does not read as YAML ({problem})") from None


_PLAIN_VALUE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]*( [0-9A-Za-z][0-9A-Za-z.+-]*)*$")


def _flow(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    text = str(value)
    reads_back = _PLAIN_VALUE.fullmatch(text) and yaml.load(text, Loader=_TextDates) == text
    return text if reads_back else json.dumps(text, ensure_ascii=False)


def append_event(text: str, item: str) -> str:
    """``text`` with ``item`` (an event_line) appended to its top-level ``events`` list."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _EVENTS.match(line.rstrip("\r\n"))), None)
    if start is None:
        ending = "" if not text or text.endswith(("\n", "\r")) else newline
        return f"{text}{ending}events:{newline}  - {item}{newline}"
    rest = _EVENTS.match(lines[start].rstrip("\r\n"))
    assert rest is not None
    value, _, comment = rest["rest"].partition("#")
    if value.strip() == "[]":
        kept = f"  #{comment}" if comment else ""
        lines[start] = f"events:{kept}{newline}  - {item}{newline}"
        return "".join(lines)
    if value.strip():
        raise RecordError(
            "'events' is written on one line (a flow list); write it as a block list, one '- {…}' per line, "
            "to record events with this command (see docs/case-files.md)"
        )
    block = _block_end(lines, start)
    items = [line for line in lines[start + 1 : block] if line.lstrip().startswith("-")]
    indent = items[0][: len(items[0]) - len(items[0].lstrip())] if items else "  "
    last = block
    while last > start + 1 and (not lines[last - 1].strip() or lines[last - 1].startswith("#")):
        last -= 1  # blank lines and comments between the block and the next key stay after it
    if last > 0 and not lines[last - 1].endswith(("\n", "\r")):
        lines[last - 1] += newline
    lines.insert(last, f"{indent}- {item}{newline}")
    return "".join(lines)


def _block_end(lines: list[str], start: int) -> int:
    """The index of the first line after the ``events:`` block: the next top-level key, or the end."""
    for index in range(start + 1, len(lines)):
        if _TOP_LEVEL.match(lines[index]) and not lines[index].startswith("-"):
            return index
    return len(lines)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
