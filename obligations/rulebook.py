"""The rulebook: ``rules/*.yaml`` read into durable_rules definitions, and engine matches into findings.

A rule is written as a short list of comparisons, each on one line, in the words of the facts that
:mod:`obligations.compile` produces; the rule's fact has the alias named by ``fact`` and ``c`` is the
calendar of the as-of day (``day``, ``wd`` its working-day number, ``until`` the last day of the horizon,
``since`` as many days back)::

    notice-window:
      fact: {r: renewal}
      when:
        - r.notice_on == 0
        - r.legal >= c.day
        - r.act_by <= c.until
      critical_when:
        - r.act_by_wd <= c.wd + 7

Each line becomes a durable_rules condition; ``any: [...]`` is an or. The calendar's values are bound when
the ruleset is built for a day (``r.act_by_wd <= c.wd + 7`` on 2025-11-01 becomes
``{"$lte": {"act_by_wd": 1448}}``), so every condition is a comparison with a constant that the engine
evaluates on the fact itself (see :meth:`Rule.definition` for why not a join). ``critical_when`` adds a
second engine rule, ``notice-window!critical``, that holds only when the first does and the extra lines hold
too: a finding's severity is the highest of the rules that fired, so the engine, not Python, decides both
whether and how urgently to flag.
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
CALENDAR_FIELDS = ("day", "wd", "until", "since")  # see obligations.checking.calendar_fact
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
    reason: dict[str, str]  # why the rule fires, one line in each language (shown by ``explain``)
    alias: str
    kind: str
    when: tuple[str, ...]
    critical_when: tuple[str, ...]
    due: str | None  # the fact field that holds the finding's date
    # The fact field that tells one occurrence of the same duty from another: the key of the finding's id
    # with the code, agreement, party and obligation (``term`` for what is owed once per term).
    occurrence: str
    explain: tuple[str, ...]  # the derivations (by name) printed for the finding
    message: dict[str, str]
    source: Path

    def definition(self, calendar: Mapping[str, int], extra: Sequence[str] = ()) -> dict[str, Any]:
        """The durable_rules definition for the day whose calendar fact is ``calendar``.

        ``c.until`` and the like are bound to that day's values here, so that the engine compares each
        fact with constants in its alpha network: durable_rules 2.0.28 mis-evaluates ``$and``/``$or`` in
        join (beta) nodes and can crash (upstream jruizgit/rules#381, fix #386 never released; reproduced
        in tests/test_engine.py), and the adapter refuses such joins.
        """
        lines = [*self.when, *extra]
        conditions = [{"kind": self.kind}, *(_condition(line, self.alias, calendar) for line in lines)]
        return {"all": [{self.alias: {"$and": conditions}}]}


def _operand(match: re.Match[str], calendar: Mapping[str, int]) -> Any:
    if match["int"] is not None:
        return int(match["int"])
    if match["str"] is not None:
        return match["str"]
    offset = int(match["offset"] or 0) * (1 if match["sign"] != "-" else -1)
    return calendar[match["ref_field"]] + offset


def _condition(line: Any, alias: str, calendar: Mapping[str, int]) -> dict[str, Any]:
    if isinstance(line, dict) and set(line) == {"any"}:
        return {"$or": [_condition(item, alias, calendar) for item in line["any"]]}
    match = _COMPARISON.match(str(line))
    if match is None:
        raise RuleError(
            f"cannot read condition {line!r}; write e.g. 'r.act_by <= c.until' or 'r.notice_on == 0'"
        )
    if match["alias"] != alias:
        raise RuleError(f"condition {line!r} must compare a field of {alias!r} (the rule's fact)")
    if match["ref"] not in (None, CALENDAR):
        raise RuleError(f"condition {line!r} may compare only with a constant or the calendar {CALENDAR!r}")
    if match["ref"] is not None and match["ref_field"] not in CALENDAR_FIELDS:
        raise RuleError(f"condition {line!r}: the calendar has {', '.join(CALENDAR_FIELDS)}")
    operator = _OPERATORS[match["op"]]
    operand = _operand(match, calendar)
    return {match["field"]: operand} if operator is None else {operator: {match["field"]: operand}}


def load_rules(folder: Path) -> list[Rule]:
    rules: list[Rule] = []
    for path in sorted(folder.glob("*.yaml")):
        # libyaml: the same data as yaml.safe_load, a tenth of a second sooner at every start.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
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
        reason=dict(body["reason"]),
        alias=alias,
        kind=kind,
        when=tuple(body["when"]),
        critical_when=tuple(body.get("critical_when", ())),
        due=body.get("due"),
        occurrence=body.get("occurrence", "term"),
        explain=tuple(body.get("explain", ())),
        message=dict(body["message"]),
        source=path,
    )
    # Read every condition now: a typo fails when the rules are loaded, not in the nightly run.
    rule.definition(dict.fromkeys(CALENDAR_FIELDS, 0), rule.critical_when)
    return rule


def definitions(rules: Sequence[Rule], calendar: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Engine rules by name for the day of ``calendar``: each rule, and its escalation where it has one."""
    result = {rule.name: rule.definition(calendar) for rule in rules}
    for rule in rules:
        if rule.critical_when:
            result[rule.name + ESCALATED] = rule.definition(calendar, rule.critical_when)
    return result


def finding_id(code: str, agreement: str, party: str, obligation: str | None, occurrence: str) -> str:
    """The same for the same code, agreement, party, obligation and occurrence, on every day it is reported.

    ``occurrence`` is what tells one occurrence of a duty from another, whatever term the agreement is in:
    the term's number for what is owed once per term (a notice window, a role in a term, a lapsed term),
    the period of a recurring duty's occurrence ("2025-H2"), the day of the record an evidence clock runs
    from, and ``"0"`` for what is owed once (a one-off due, a duty that survives the end) — the key the
    ids of the first term always had, so that they did not change when occurrences stopped being keyed
    by the term in force. A finding thus keeps its id, its ledger entries and its snoozes when the
    agreement renews or is amended while it is still open.
    """
    key = "|".join((code, agreement, party, obligation or "", occurrence))
    return f"{code}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def day_of(number: int) -> date:
    return date.fromordinal(number)
