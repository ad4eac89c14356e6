"""Run a check: load the registry, compile each agreement, evaluate the rules, return the findings.

This is DESIGN.md's data flow end to end. The only decisions taken here are about presentation (which
words, which derivations, in which order); whether something is flagged, and how urgently, comes from the
rules that fired in the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from obligations.asof import DEFAULT_HORIZON, today_in_seoul
from obligations.compile import Compiled, Context, Fact, compile_agreement, day_number, horizon_end
from obligations.duration import Duration
from obligations.engine import Match, evaluate
from obligations.findings import Finding, InputProblem, Severity
from obligations.registry import Registry, load_registry
from obligations.resources import rules_dir
from obligations.rulebook import ESCALATED, Rule, day_of, definitions, finding_id, load_rules
from obligations.workdays import WorkdayCalendar


@dataclass(frozen=True)
class Report:
    as_of: date
    horizon_days: int
    findings: list[Finding]
    problems: list[InputProblem]
    registry: Registry


@cache
def rulebook(folder: Path | None = None) -> tuple[Rule, ...]:
    return tuple(load_rules(folder or rules_dir()))


def calendar_fact(as_of: date, until: date, calendar: WorkdayCalendar) -> Fact:
    """The as-of day as a fact: asserted last in every state, the first pattern of every rule."""
    horizon = (until - as_of).days
    return {
        "kind": "calendar",
        "day": day_number(as_of),
        "wd": calendar.workday_number(as_of),
        "until": day_number(until),
        "since": day_number(as_of) - horizon,
    }


def run_check(
    paths: Sequence[Path] = (),
    as_of: date | None = None,
    *,
    horizon: Duration = DEFAULT_HORIZON,
    lang: str = "ko",
    agreements: Sequence[str] = (),
    registry: Registry | None = None,
) -> Report:
    as_of = as_of or today_in_seoul()
    registry = registry or load_registry(paths)
    until = horizon_end(as_of, horizon)
    cases = [case for case in registry.cases if not agreements or case.agreement.id in agreements]
    compiled = [compile_agreement(case.agreement, as_of, registry.calendar) for case in cases]
    rules = rulebook()
    calendar = calendar_fact(as_of, until, registry.calendar)
    matches = evaluate(definitions(rules, calendar), [unit.facts for unit in compiled], sentinel=calendar)
    findings = _findings(matches, compiled, {rule.name: rule for rule in rules}, registry, as_of, lang)
    return Report(as_of, (until - as_of).days, findings, list(registry.problems), registry)


def _findings(
    matches: Sequence[Match],
    compiled: Sequence[Compiled],
    rules: dict[str, Rule],
    registry: Registry,
    as_of: date,
    lang: str,
) -> list[Finding]:
    found: dict[tuple[str, int, str], Finding] = {}
    for match in matches:
        rule = rules[match.rule.removesuffix(ESCALATED)]
        fact = match.facts[rule.alias]
        key = (rule.name, match.group, fact["ref"])
        severity = Severity.CRITICAL if match.rule.endswith(ESCALATED) else rule.severity
        if key in found:
            if severity.rank > found[key].severity.rank:
                found[key] = replace(found[key], severity=severity)
            continue
        unit = compiled[match.group]
        found[key] = _finding(rule, severity, fact, unit.contexts[fact["ref"]], unit, registry, as_of, lang)
    order = {
        (unit.agreement.id, item.id): i
        for unit in compiled
        for i, item in enumerate(unit.agreement.obligations)
    }
    return sorted(
        found.values(),
        key=lambda f: (
            f.agreement,
            f.due or date.max,
            f.code,
            f.party,
            order.get((f.agreement, f.obligation or ""), -1),
        ),
    )


def _finding(
    rule: Rule,
    severity: Severity,
    fact: Mapping[str, Any],
    context: Context,
    unit: Compiled,
    registry: Registry,
    as_of: date,
    lang: str,
) -> Finding:
    agreement = unit.agreement
    party = str(fact["party"])
    due = day_of(fact[rule.due]) if rule.due and fact[rule.due] > 0 else None
    words = {**context.words, "due": due.isoformat() if due else ""}
    explain: list[str] = []
    for name in rule.explain:
        if name in context.derivations:
            explain.extend(context.derivations[name].lines(lang))
    obligation = fact.get("obligation")
    return Finding(
        id=finding_id(rule.code, agreement.id, party, obligation, int(fact["term"])),
        code=rule.code,
        severity=severity,
        agreement=agreement.id,
        agreement_title=agreement.title,
        party=party,
        party_name=agreement.parties[party].name,
        obligation=obligation,
        due=due,
        days_left=(due - as_of).days if due else None,
        message=rule.message[lang].format_map(words),
        explain=tuple(explain),
        owners=registry.owners_of(agreement, party),
        term=int(fact["term"]),
        label=rule.label[lang],
        reason=rule.reason,
    )
