"""Reading case files: safe YAML with a line number for every field, and errors an analyst can act on.

Every problem names the file, the line, the field path and the bad value, and shows a good value; all
problems of a file are reported together. Input is treated as hostile: a size limit, no binary, strict
UTF-8, no YAML aliases (an alias bomb expands a few hundred bytes into billions of nodes), safe tags only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from obligations.amendments import AmendmentError, amendment_problems, amendments
from obligations.findings import InputProblem
from obligations.model import (
    CHANGE_EXAMPLES,
    Agreement,
    Event,
    Location,
    Obligation,
    Policy,
    reference_problems,
)
from obligations.policy import EXAMPLES as POLICY_EXAMPLES
from obligations.policy import event_problems
from obligations.recurrence import term_label, term_of_label
from obligations.terms import first_term_of, term_named
from obligations.textfile import FileRefused, NotText, decode_utf8, read_limited, refuse_control_characters
from obligations.workdays import WorkdayCalendar

MAX_NODES = 50_000
MAX_DEPTH = 20  # a case file nests four levels deep; PyYAML itself recurses once per level

M = TypeVar("M", bound=BaseModel)

# One good value per field name, shown with every error about that field.
EXAMPLES = {
    "id": "id: seoul-gimpo-seoullearn-mou-2025",
    "title": 'title: "서울특별시-김포시 업무협약"',
    "kind": "kind: agreement",
    "source": 'source: "평생교육국 현안업무 보고 (2025. 3. 4.) 붙임1"',
    "signed": "signed: 2025-02-25",
    "parties": "parties: {seoul: {name: 서울특별시, owners: [edu-platform-planning]}}",
    "name": "name: 서울특별시",
    "owners": "owners: [edu-platform-planning]",
    "term": "term: {length: 1y}",
    "start": "start: signed",
    "starts_at_midnight": "starts_at_midnight: false",
    "first_day_counts": "first_day_counts: false",
    "length": "length: 1y",
    "end": "end: 2025-12",
    "renewal": "renewal: {automatic: true, length: 1y, max_renewals: 3}",
    "automatic": "automatic: true",
    "max_renewals": "max_renewals: 3",
    "notice": "notice: {lead: 1m, form: written, by: any}",
    "lead": "lead: 1m",
    "form": "form: written",
    "by": "by: any",
    "obligations": 'obligations: [{id: seoul-platform, clause: "제3조 ② 1. 가", party: seoul, text: "…"}]',
    "clause": 'clause: "제3조 ② 1. 가"',
    "party": "party: seoul",
    "text": 'text: "서울런 플랫폼 공동활용 지원"',
    "evidence_every": "evidence_every: 3m",
    "due": "due: 2025-03",
    "schedule": "schedule: {every: half-year, due: end+15d}",
    "every": "every: quarter",
    "from": "from: 2025-07-01",
    "period": "period: 2025-H2",
    "survives": "survives: 3y",
    "events": "events: [{date: 2025-04-02, type: fulfilled, obligation: seoul-platform, party: seoul}]",
    "date": "date: 2025-04-02",
    "type": "type: fulfilled",
    "obligation": "obligation: seoul-platform",
    "ref": 'ref: "교육지원정책과-512"',
    "note": 'note: "1분기 공간 제공"',
    "contacts": "contacts: {edu-platform-planning: {name: 교육플랫폼기획팀, email: platform@example.org}}",
    "email": "email: platform@example.org",
    "phone": "phone: 2133-9277",
    "people": 'people: ["팀장 조은경 ☎9277"]',
    "changes": "changes: {term.end: 2026-06-30, renewal.notice.lead: 2m}",
    **CHANGE_EXAMPLES,
    **{key: text for key, text in POLICY_EXAMPLES.items() if key not in ("source", "from")},
}


class LoadError(Exception):
    """A file that could not be read at all; carries every problem found."""

    def __init__(self, problems: list[InputProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Document:
    """Plain data read from YAML and the line on which each field path starts."""

    path: Path
    data: Any
    lines: dict[Location, int]

    def line(self, location: Location) -> int:
        """The line of the field, or of the nearest enclosing field that is present (a missing key)."""
        for size in range(len(location), -1, -1):
            if location[:size] in self.lines:
                return self.lines[location[:size]]
        return 1


class _SafeLoader(yaml.CSafeLoader):
    """Safe tags only; dates stay text so that the model, not PyYAML, judges 2025-02-30.

    libyaml composes the same nodes, with the same marks, about 15 times faster than PyYAML's Python
    parser; a text it refuses is composed again by :class:`_MessageLoader` for the message.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a value written without one, remembered for short scalars.

        PyYAML tries its regular expressions (int? date? null?) on every scalar, in Python, for libyaml
        too: a third of composing. The keys and words of case files repeat from file to file, so each
        short scalar is resolved once (the tag depends only on the value and how it was written).
        """
        if kind is not yaml.ScalarNode or len(value) > _REMEMBERED_LENGTH:
            return self._tag(kind, value, implicit)
        key = (value, implicit)
        tag = _resolved.get(key)
        if tag is None:
            if len(_resolved) >= _REMEMBERED:
                _resolved.clear()  # a bound on memory; the common words come back at once
            tag = _resolved[key] = self._tag(kind, value, implicit)
        return tag

    def _tag(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]  # untyped stubs


_REMEMBERED, _REMEMBERED_LENGTH = 50_000, 40
_resolved: dict[tuple[str, tuple[bool, bool]], str] = {}


class _MessageLoader(yaml.SafeLoader):
    """PyYAML's own parser: its messages and lines for invalid YAML are the ones case-file errors show."""


def _timestamp_as_text(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_MessageLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=_MessageLoader)


def read_document(path: Path, *, empty: str | None = "a case file is a mapping such as 'id: …'") -> Document:
    """Read one YAML file into plain data and a map of field paths to lines.

    ``empty`` is what an empty file is told; ``None``: an empty file is accepted and holds nothing.
    """
    name = str(path)
    try:
        text = decode_utf8(read_limited(path, "case files"))
        refuse_control_characters(text)
    except FileRefused as error:
        raise LoadError([InputProblem(name, None, "", error.reason)]) from None
    except NotText as error:
        advice = "save the file as UTF-8 (HWP and Excel exports are often EUC-KR/CP949)"
        if error.reason.startswith("binary"):
            advice = "a case file is UTF-8 YAML text"
        elif error.reason.startswith("a raw control"):
            advice = "delete it: YAML files are plain text"
        raise LoadError([InputProblem(name, error.line, "", f"{error.reason}; {advice}")]) from None
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        if empty is None:
            return Document(path, None, {})
        raise LoadError([InputProblem(name, 1, "", f"file is empty; {empty}")])
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        tab = _tab_indented(text)
        if tab is not None:
            message = "a tab is used for indentation; YAML indents with spaces only (use spaces)"
            raise LoadError([InputProblem(name, tab, "", message)]) from None
        mark = error.problem_mark or error.context_mark
        at = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (error.context, error.problem) if p) or "invalid YAML"
        raise LoadError([InputProblem(name, at, "", f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise LoadError([InputProblem(name, None, "", f"invalid YAML: {error}")]) from None
    except RecursionError:
        raise LoadError(
            [InputProblem(name, 1, "", f"nested deeper than a case file can be (over {MAX_DEPTH} levels)")]
        ) from None
    return _Builder(path, text).document(node)


def _tab_indented(text: str) -> int | None:
    """The first line indented with a tab (editors insert them; YAML refuses them), or None."""
    return next((i for i, line in enumerate(text.splitlines(), 1) if _TAB_INDENT.match(line)), None)


_TAB_INDENT = re.compile(r"^ *\t")

_STR = "tag:yaml.org,2002:str"
# YAML's core schema; anything else (!!python/…, !!binary, custom tags) is refused, not silently read.
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class _Builder:
    """Turns a composed YAML node tree into plain data, recording lines and refusing aliases."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.lines: dict[Location, int] = {}
        self.seen: set[int] = set()
        self.loader = _SafeLoader("")

    def fail(self, node: yaml.Node, message: str, location: Location = ()) -> LoadError:
        return LoadError(
            [InputProblem(str(self.path), node.start_mark.line + 1, field_path(location), message)]
        )

    def document(self, node: yaml.Node | None) -> Document:
        if node is None:
            raise LoadError(
                [InputProblem(str(self.path), None, "", "file is empty; a case file is a mapping")]
            )
        return Document(self.path, self.build(node, ()), self.lines)

    def build(self, node: yaml.Node, location: Location) -> Any:
        if id(node) in self.seen:
            raise self.fail(
                node, "YAML aliases (*name) are not allowed in case files; write the value out", location
            )
        self.seen.add(id(node))
        if len(location) > MAX_DEPTH:
            raise self.fail(
                node, f"nested deeper than {MAX_DEPTH} levels; a case file is far flatter", location[:3]
            )
        if len(self.seen) > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES:,} values; a case file is far smaller")
        self.lines.setdefault(location, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                node, f"YAML tag {node.tag!r} is not allowed; case files hold plain values", location
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, "a key must be a plain word such as 'length'", location)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(
                        key_node, "YAML merge keys (<<) are not allowed; write each field out", location
                    )
                if self.text[key_node.start_mark.index] in "!&":  # a tag or an anchor written on the key
                    raise self.fail(
                        key_node,
                        "a key cannot carry a YAML tag or anchor; write it plain, e.g. 'id:'",
                        location,
                    )
                key = self.scalar(key_node, location)
                if not isinstance(key, str | int):
                    key = str(key)
                if key in result:
                    raise self.fail(key_node, f"key {key!r} appears twice in the same mapping", location)
                self.lines[(*location, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*location, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*location, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, location)

    def scalar(self, node: yaml.Node, location: Location) -> Any:
        """A scalar's value from its tag's constructor; construct_object around it only keeps track of
        aliases and recursion, which a scalar never needs (aliases are refused above): same value, faster."""
        if node.tag == _STR:
            return node.value  # what the str constructor returns for a scalar node; most values are text
        construct = self.loader.yaml_constructors.get(node.tag)
        try:
            if construct is None:
                return self.loader.construct_object(node)  # PyYAML's own error for a tag it does not know
            return construct(self.loader, node)
        except (ValueError, OverflowError):  # e.g. an integer of 5,000 digits, which int() refuses
            raise self.fail(
                node, f"a value of {len(str(node.value)):,} characters that cannot be read", location
            ) from None


def field_path(location: Iterable[str | int]) -> str:
    """``('parties', 'city', 'owners', 0)`` → ``parties.city.owners[0]``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value: Any) -> str:
    if value is None:
        return "nothing (the field is empty)"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}...' ({len(str(value)):,} characters)"


_FIELDS = sorted({key.split(":")[0] for key in EXAMPLES})


def _holds(data: Any, part: str | int) -> bool:
    if isinstance(data, dict):
        return part in data
    return isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)


def _data_location(data: Any, loc: tuple[str | int, ...]) -> Location:
    """pydantic's location without its schema tags (``function-before[...]``), i.e. a path into the data."""
    path: list[str | int] = []
    for part in loc:
        if _holds(data, part):
            data = data[part]
        elif isinstance(part, str) and "[" in part:
            continue  # a tag of pydantic's own schema, not a field
        else:
            data = None  # a missing field: the path names it; its line is its parent's
        path.append(part)
    return tuple(path)


def _message(error: Any, location: Location) -> str:
    kind = error["type"]
    field = next((part for part in reversed(location) if isinstance(part, str)), "")
    value = error.get("input")
    if kind == "missing":
        message = "missing"
    elif kind == "extra_forbidden":
        close = difflib.get_close_matches(str(field), [f for f in _FIELDS if f != field], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        if close and close[0] in CHANGE_EXAMPLES:  # the fields an amendment changes: show one written out
            hint += f" (example: {CHANGE_EXAMPLES[close[0]]})"
        return f"unknown key {field!r}{hint} (a typo must not pass silently; see docs/case-files.md)"
    elif kind == "value_error":
        message = str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    elif kind == "string_pattern_mismatch":
        message = (
            f"expected lower-case letters, digits and '-', such as 'seoul-platform'; got: {_shown(value)}"
        )
    elif kind in ("string_too_long", "too_long"):
        message = f"too long ({len(value):,}); at most {error['ctx'].get('max_length')}"
    else:
        message = f"{error['msg'].rstrip('.').lower()}; got: {_shown(value)}"
    if field in EXAMPLES and "e.g." not in message and "such as" not in message:
        message += f" (example: {EXAMPLES[field]})"
    return message


def validate_document(document: Document, model: type[M]) -> tuple[M | None, list[InputProblem]]:
    """Validate plain data against a model; every error placed on its line."""
    name = str(document.path)
    if not isinstance(document.data, dict):
        kind = (
            "a list"
            if isinstance(document.data, list)
            else f"{type(document.data).__name__} {_shown(document.data)}"
        )
        return None, [InputProblem(name, 1, "", f"expected a mapping of fields (id:, title:, …); got {kind}")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as errors:
        problems: dict[Location, InputProblem] = {}
        for error in errors.errors(include_url=False):
            location = _data_location(document.data, error["loc"])
            problems.setdefault(
                location,
                InputProblem(name, document.line(location), field_path(location), _message(error, location)),
            )
        return None, sorted(problems.values(), key=lambda p: (p.line or 0, p.field))


def load_model(path: Path, model: type[M]) -> tuple[M | None, Document | None, list[InputProblem]]:
    """One file read as ``model``: the model, its document (for lines of later checks), and its problems."""
    try:
        document = read_document(path)
    except LoadError as error:
        return None, None, error.problems
    loaded, problems = validate_document(document, model)
    return loaded, document, problems


def load_agreement(
    path: Path, policy: Policy | None = None, *, policy_read: bool = True
) -> tuple[Agreement | None, Document | None, list[InputProblem]]:
    """One case file; references inside it (parties, obligations) are checked too.

    ``policy`` is the policy.yaml that binds the file (None: there is none): the agreement comes back bound
    by it, and events that name its duties (``policy:review``) are checked against it. ``policy_read`` is
    false when a policy.yaml is there but could not be read: such events are then taken as written (the
    policy's own problems are reported with it), so that one broken file does not refuse every other.
    """
    agreement, document, problems = load_model(path, Agreement)
    if agreement is None or document is None:
        return None, document, problems
    found = _in_file_order([*reference_problems(agreement), *_term_problems(agreement)])
    found = found or _amendment_problems(agreement)
    if policy_read:
        found = [*found, *event_problems(agreement, policy)]
    problems = [
        InputProblem(str(path), document.line(where), field_path(where), _with_example(where, message))
        for where, message in found
    ]
    return (None if problems else agreement.under(policy)), document, problems


def _term_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """The periods that events name for a role (a duty once per term), against the chain of terms the
    agreement runs through: the model's checks cannot tell a term, which only the chain knows."""
    problems: list[tuple[Location, str]] = []
    for i, event in enumerate(agreement.events):
        obligation = agreement.ever_obligation(event.obligation) if event.obligation is not None else None
        if (
            obligation is not None
            and obligation.schedule is None
            and obligation.once_per_term
            and (event.period is not None or event.type == "waived")
        ):
            found = _term_period_problems(agreement, obligation, event)
            problems += [(("events", i, *where), message) for where, message in found]
    return problems


def _term_period_problems(
    agreement: Agreement, obligation: Obligation, event: Event
) -> list[tuple[Location, str]]:
    """A role's event that names a period names the term it is for, by its first and last days; a waiver
    of a role must name one (it excuses the role in that term)."""
    if agreement.term is None:
        return [(("period",), "a plan without a term has no terms to name; drop 'period'")]
    first = term_label(first_term_of(agreement).start, first_term_of(agreement).end.date)
    if event.period is None:
        return [
            (
                ("period",),
                f"a 'waived' event on the role {obligation.id!r} names the term it waives by its first and "
                f"last days, e.g. 'period: {first}'",
            )
        ]
    days = term_of_label(event.period)
    if days is None:
        return [(("period",), f"a role's period is the term it is for, e.g. 'period: {first}'")]
    if not term_named(agreement, *days):
        return [
            (
                ("period",),
                f"period {event.period} is not a term of this agreement; name a term by its first and last "
                f"days, e.g. 'period: {first}' (the first term)",
            )
        ]
    return []


def _in_file_order(problems: list[tuple[Location, str]]) -> list[tuple[Location, str]]:
    """The problems of the file's own parts first, then each event's, in the order of the events."""
    return sorted(problems, key=lambda found: _event_index(found[0]))


def _event_index(where: Location) -> int:
    return where[1] if where[:1] == ("events",) and isinstance(where[1], int) else -1


def _amendment_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """What is wrong with the file's amendments (변경협약): first as text, then against the chain of terms
    they change (an amendment after the end, an end moved before the amendment), found by compiling."""
    if not any(event.changes for event in agreement.events):
        return []
    # Imported here: files without amendments (nearly all) do not pay for the compiler at start-up.
    from obligations.compile import compile_agreement

    problems = amendment_problems(agreement)
    if problems or agreement.term is None:
        return problems
    last = amendments(agreement)[-1].date
    try:
        # Which term is in force on a day turns on legal deadlines only, which no holiday moves.
        compile_agreement(agreement, last, WorkdayCalendar(), until=last)
    except AmendmentError as error:
        return [(("events", agreement.events.index(error.event), *error.where), str(error))]
    return []


def _with_example(where: Location, message: str) -> str:
    field = next((part for part in reversed(where) if isinstance(part, str)), "")
    if field in CHANGE_EXAMPLES and "e.g." not in message:
        return f"{message} (example: {CHANGE_EXAMPLES[field]})"
    return message


def dump_yaml(model: BaseModel) -> str:
    """A model as case-file YAML (the inverse of reading it: reading the text gives the model back)."""
    return yaml.safe_dump(
        model.model_dump(mode="json", exclude_defaults=True), allow_unicode=True, sort_keys=False
    )
