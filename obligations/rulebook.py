"""The rulebook: ``rules/*.yaml`` read into durable_rules definitions, and engine matches into findings.

A rule is written as a short list of comparisons, each on one line, in the words of the facts that
:mod:`obligations.compile` produces; ``c`` is the calendar fact (the as-of day) and the rule's own fact has
the alias named by ``fact``::

    notice-window:
      fact: {r: renewal}
      when:
        - r.notice_on == 0
        - r.legal >= c.day
        - r.act_by <= c.until
      critical_when:
        - r.act_by_wd <= c.wd + 7

Each line becomes a durable_rules condition, e.g.
``{"$lte": {"act_by": {"$add": {"$l": {"c": "wd"}, "$r": 7}}}}``; ``any: [...]`` is an or. ``critical_when`` adds a second engine rule, ``notice-window!critical``, that holds
only when the first does and the extra lines hold too: a finding's severity is the highest of the rules that
fired, so the engine, not Python, decides both whether and how urgently to flag.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from obligations.findings import Severity

CALENDAR = "c"
ESCALATED = "!critical"

_OPERATORS = {"==": None, "!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_COMPARISON = re.compile(
    r"^\s*(?P<alias>[a-z])\.(?P<field>[a-z_]+)\s*(?P<op>==|!=|<=|>=|<|>)\s*"
    r"(?:(?P<int>-?\d+)|'(?P<str>[^']*)'|(?P<ref>[a-z])\.(?P<ref_field>[a-z_]+)(?:\s*(?P<sign>[+-])\s*(?P<offset>\d+))?)\s*$"
)


class RuleError(ValueError):
    """A rule file that cannot be read; names the file, the rule and the line of the condition."""


@dataclass(frozen=True)
class Rule:
    name: str  # the finding code it emits (several rules may emit one code: name = code or code.variant)
    code: str
    label: dict[str, str]
    severity: Severity
    reason: str
    alias: str
    kind: str
    when: tuple[str, ...]
    critical_when: tuple[str, ...]
    due: str | None  # the fact field that holds the finding's date
    explain: tuple[str, ...]  # the derivations (by name) printed for the finding
    message: dict[str, str]
    source: Path

    def definition(self, extra: Sequence[str] = ()) -> dict[str, Any]:
        """The durable_rules definition: the calendar first (it is asserted last, shared/notes fact 7)."""
        lines = [*self.when, *extra]
        conditions = [{"kind": self.kind}, *(_condition(line, self.alias) for line in lines)]
        return {"all": [{CALENDAR: {"kind": "calendar"}}, {self.alias: {"$and": conditions}}]}


def _operand(match: re.Match[str]) -> Any:
    if match["int"] is not None:
        return int(match["int"])
    if match["str"] is not None:
        return match["str"]
    reference = {match["ref"]: match["ref_field"]}
    if match["offset"] is None:
        return reference
    offset = int(match["offset"]) * (1 if match["sign"] == "+" else -1)
    return {"$add": {"$l": reference, "$r": offset}}


def _condition(line: Any, alias: str) -> dict[str, Any]:
    if isinstance(line, dict) and set(line) == {"any"}:
        return {"$or": [_condition(item, alias) for item in line["any"]]}
    match = _COMPARISON.match(str(line))
    if match is None:
        raise RuleError(
            f"cannot read condition {line!r}; write e.g. 'r.act_by <= c.until' or 'r.notice_on == 0'"
        )
    if match["alias"] != alias:
        raise RuleError(f"condition {line!r} must compare a field of {alias!r} (the rule's fact)")
    if match["ref"] not in (None, alias, CALENDAR):
        raise RuleError(f"condition {line!r} may refer only to {alias!r} and the calendar {CALENDAR!r}")
    operator = _OPERATORS[match["op"]]
    operand = _operand(match)
    return {match["field"]: operand} if operator is None else {operator: {match["field"]: operand}}


def load_rules(folder: Path) -> list[Rule]:
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, body in data.items():
            try:
                rules.append(_rule(path, name, body))
            except (KeyError, TypeError, ValueError) as error:
                raise RuleError(f"{path}: rule {name!r}: {error}") from error
    names = [rule.name for rule in rules]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise RuleError(f"rule names appear twice: {', '.join(sorted(duplicates))}")
    return rules


def _rule(path: Path, name: str, body: Mapping[str, Any]) -> Rule:
    ((alias, kind),) = body["fact"].items()
    rule = Rule(
        name=name,
        code=body.get("code", name),
        label=dict(body["label"]),
        severity=Severity(body["severity"]),
        reason=body["reason"],
        alias=alias,
        kind=kind,
        when=tuple(body["when"]),
        critical_when=tuple(body.get("critical_when", ())),
        due=body.get("due"),
        explain=tuple(body.get("explain", ())),
        message=dict(body["message"]),
        source=path,
    )
    rule.definition(rule.critical_when)  # read every condition now: a typo fails at load, not at night
    return rule


def definitions(rules: Sequence[Rule]) -> dict[str, dict[str, Any]]:
    """Engine rules by name: each rule, and its escalation where it has one."""
    result = {rule.name: rule.definition() for rule in rules}
    result.update(
        {rule.name + ESCALATED: rule.definition(rule.critical_when) for rule in rules if rule.critical_when}
    )
    return result


def finding_id(code: str, agreement: str, party: str, obligation: str | None, term: int) -> str:
    """Stable across days: the same code, agreement, party, obligation and term give the same id."""
    key = "|".join((code, agreement, party, obligation or "", str(term)))
    return f"{code}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def day_of(number: int) -> date:
    return date.fromordinal(number)
