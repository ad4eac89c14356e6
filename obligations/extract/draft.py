"""The draft case file: YAML in the format of docs/case-files.md, each value with the line it was read from.

A value read from the text carries a comment quoting its line (``# L47: 본 협약의 기간은 체결일로부터 1년으로
하며,``) and, when the reading is not obvious, how it was read. A value the text does not determine is not
written; a ``# TODO: field — what to fill in`` line stands where it belongs, at its indentation, so that
replacing the line with ``field: value`` completes the file. ``# TODO: review — …`` asks for a check only;
``# TODO: review — Lnn: …`` quotes a sentence about a date or deadline that became no field
(:mod:`obligations.extract.recall`), in the section where it belongs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from obligations.duration import Duration
from obligations.extract.found import Cited, Extraction, ObligationFound, Todo
from obligations.extract.recall import RENEWAL_WORDS, Unused, unused_sentences
from obligations.extract.source import Lines
from obligations.extract.structure import read_layout

_PLAIN = re.compile(r"[a-z][a-z0-9-]*|\d{4}-\d{2}(?:-\d{2})?")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}  # YAML 1.1 reads these as values


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, tuple):
        return "any" if not value else (value[0] if len(value) == 1 else f"[{', '.join(value)}]")
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # Plain when YAML reads it back as the same string (keys, "signed", "2025-12"); else a JSON string,
    # which is valid YAML and keeps Korean text readable.
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


class Writer:
    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.out: list[str] = []

    def comment(self, cited: Cited[Any] | None) -> str:
        if cited is None:
            return ""
        parts = [self.lines.quote(cited.line)] if cited.line else []
        if cited.note:
            parts.append(cited.note)
        return "  # " + " — ".join(parts) if parts else ""

    def line(self, indent: int, text: str, cited: Cited[Any] | None = None) -> None:
        self.out.append(" " * indent + text + self.comment(cited))

    def value(self, indent: int, key: str, cited: Cited[Any] | None, shown: Any = None) -> None:
        if cited is not None:
            self.line(indent, f"{key}: {scalar(cited.value if shown is None else shown)}", cited)

    def todo(self, indent: int, todo: Todo) -> None:
        self.out.append(" " * indent + f"# TODO: {todo.field} — {todo.what}")

    def note(self, indent: int, text: str) -> None:
        self.out.append(" " * indent + f"# {text}")

    def unused(self, indent: int, unused: list[Unused], section: str) -> None:
        for item in unused:
            if item.section == section:
                self.todo(indent, Todo("review", item.sentence.quote()))


def proposed_id(found: Extraction) -> str:
    """``seoul-gimpo-mou-2025``: party keys and the year of signing, for the analyst to accept or change."""
    stem = "-".join(party.key for party in found.parties[:3])
    year = f"-{found.signed.value.year}" if found.signed else ""
    return f"{stem}-mou{year}"


def render_draft(found: Extraction, lines: Lines, source_name: str) -> str:
    """The draft as text; see the module doc for its comments."""
    w = Writer(lines)
    w.note(0, f"Draft case file made by `obligations extract` from {source_name}.")
    w.note(0, "Check each value against the line it quotes (# Lnn: …); replace each '# TODO: field — …' line")
    w.note(
        0,
        "with that field, delete the '# TODO: review' lines once reviewed, then run `obligations validate`.",
    )
    w.todo(0, Todo("id", f"a unique id in the registry ([a-z0-9-]+); proposed: {proposed_id(found)}"))
    unused = unused_sentences(read_layout(lines), found)
    _top(w, found)
    _parties(w, found)
    _term(w, found)
    w.unused(0 if found.term is None else 2, unused, "term")
    _renewal(w, found, unused)
    _obligations(w, found.obligations)
    w.unused(0 if not found.obligations else 2, unused, "obligations")
    if any(item.section == "review" for item in unused):
        w.note(0, "Sentences outside the articles that speak of a date or deadline:")
        w.unused(0, unused, "review")
    w.line(0, "events: []")
    return "\n".join(w.out) + "\n"


def _top(w: Writer, found: Extraction) -> None:
    todos = {todo.field: todo for todo in found.todos}
    if found.title is not None:
        w.value(0, "title", found.title)
    else:
        w.todo(0, todos["title"])
    w.line(0, "kind: agreement")
    w.todo(
        0, Todo("source", 'where the text comes from, e.g. "평생교육국 현안업무 보고 (2025. 3. 4.) 붙임1"')
    )
    if found.signed is not None:
        w.value(0, "signed", found.signed)
    else:
        w.todo(0, todos["signed"])


def _parties(w: Writer, found: Extraction) -> None:
    w.line(0, "parties:")
    keys = ", ".join(f"{party.key} ({party.key_note})" for party in found.parties)
    w.todo(2, Todo("review", f"party keys are not in the text: {keys}; rename before events refer to them"))
    for party in found.parties:
        w.line(2, f"{party.key}:")
        short = f"short name “{party.short}”" if party.short else ""
        if party.read_from:
            w.todo(
                4,
                Todo(
                    "review",
                    f"no preamble names the parties: {party.name} is read from {party.read_from} "
                    "(the body its head signs for); check the name",
                ),
            )
        w.value(4, "name", Cited(party.name, party.line, short))
        w.todo(
            4, Todo("owners", f"keys of contacts.yaml who act for {party.name}, e.g. [edu-platform-planning]")
        )


def _term(w: Writer, found: Extraction) -> None:
    term = found.term
    if term is None:
        w.todo(
            0,
            Todo(
                "term", "no term found (협약기간, 유효기간); e.g. term: {length: 1y} or term: {end: 2025-12}"
            ),
        )
        return
    w.line(0, "term:")
    w.line(2, f"clause: {scalar(term.clause)}")
    w.value(2, "start", term.start)
    w.value(2, "starts_at_midnight", term.starts_at_midnight)
    w.value(2, "length", term.length)
    w.value(2, "end", term.end)
    for todo in term.todos:
        w.todo(2, todo)


def _renewal(w: Writer, found: Extraction, unused: list[Unused]) -> None:
    renewal = found.renewal
    if renewal is None:
        if any(RENEWAL_WORDS.search(item.sentence.text) for item in unused):
            # Never "none" beside a sentence about extension: it is quoted for the analyst to judge.
            why = found.notes.get("renewal", "")
            w.note(0, "renewal: not drafted — " + (why or "the text speaks of extension, as quoted below"))
            w.note(0, "(write renewal: {…} here if one of these sentences renews the agreement by itself)")
        else:
            w.note(0, "renewal: none — no sentence of the text speaks of extension (연장, 갱신, 재계약)")
        w.unused(0, unused, "renewal")
        return
    w.line(0, "renewal:")
    w.line(2, f"clause: {scalar(renewal.clause)}")
    w.value(2, "automatic", renewal.automatic)
    w.value(2, "length", renewal.length)
    w.value(2, "max_renewals", renewal.max_renewals)
    for todo in renewal.todos:
        w.todo(2, todo)
    notice = renewal.notice
    w.line(2, "notice:")
    w.value(4, "lead", notice.lead)
    w.value(4, "form", notice.form)
    w.value(4, "by", notice.by)
    for todo in notice.todos:
        w.todo(4, todo)
    w.unused(2, unused, "renewal")


def _obligations(w: Writer, obligations: list[ObligationFound]) -> None:
    if not obligations:
        w.todo(0, Todo("obligations", "no roles found; each party's duties as [{id, clause, party, text}]"))
        return
    w.line(0, "obligations:")
    write_obligations(w, obligations, 2)


def write_obligations(w: Writer, obligations: list[ObligationFound], indent: int) -> None:
    """Each obligation as an item of a YAML list at ``indent`` (a party the text does not name: a TODO)."""
    for item in obligations:
        w.line(indent, f"- id: {item.id}")
        w.line(indent + 2, f"clause: {scalar(item.clause)}")
        if item.parties.value:
            w.value(indent + 2, "party", item.parties)
        else:
            w.todo(indent + 2, Todo("party", item.parties.note or "the party that owes it: a key or a list"))
        w.value(indent + 2, "text", item.text)
        w.value(indent + 2, "survives", item.survives)
        w.value(indent + 2, "due", item.due)
        if item.schedule is not None:
            w.line(indent + 2, "schedule:")
            w.value(indent + 4, "every", item.schedule.every)
            w.value(indent + 4, "due", item.schedule.due)
            for todo in item.schedule.todos:
                w.todo(indent + 4, todo)
