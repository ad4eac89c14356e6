"""Run a check: load the registry, compile each agreement, evaluate the rules, return the findings.

This is DESIGN.md's data flow end to end. The only decisions taken here are about presentation (which
words, which derivations, in which order); whether something is flagged, and how urgently, comes from the
rules that fired in the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from obligations.asof import DEFAULT_HORIZON, today_in_seoul
from obligations.compile import Compiled, Context, Fact, compile_agreement, day_number, horizon_end
from obligations.duration import Duration
from obligations.engine import Match, evaluate
from obligations.findings import Finding, InputProblem, Severity, unexpected_problem
from obligations.registry import CaseFile, Registry, load_registry
from obligations.resources import rules_dir
from obligations.rulebook import ESCALATED, Rule, day_of, definitions, finding_id, load_rules
from obligations.workdays import WorkdayCalendar

T = TypeVar("T")


@dataclass(frozen=True)
class Report:
    as_of: date
    horizon_days: int
    findings: list[Finding]
    problems: list[InputProblem]
    registry: Registry
    checked: tuple[str, ...]  # the agreements whose findings are complete (none of their files failed)


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


@dataclass(frozen=True)
class CheckDay:
    """What checking any agreement on the as-of day needs, computed once for the whole registry."""

    as_of: date
    registry: Registry
    lang: str
    rules: Mapping[str, Rule]
    definitions: Mapping[str, Mapping[str, Any]]
    calendar: Fact


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
    rules = rulebook()
    calendar = calendar_fact(as_of, until, registry.calendar)
    day = CheckDay(
        as_of, registry, lang, {rule.name: rule for rule in rules}, definitions(rules, calendar), calendar
    )
    findings, problems = check_agreements(cases, day)
    checked = tuple(case.agreement.id for case in cases if str(case.path) not in {p.file for p in problems})
    return Report(as_of, (until - as_of).days, findings, [*registry.problems, *problems], registry, checked)


def check_agreements(cases: Sequence[CaseFile], day: CheckDay) -> tuple[list[Finding], list[InputProblem]]:
    """The findings of several agreements, evaluated together; whatever fails is pinned to its own file.

    Evaluating many agreements in one engine call is several times faster than one call each, so the
    agreements are evaluated together; should that call fail, each agreement is checked alone
    (:func:`check_agreement`), and only the one that fails is reported, as its file's problem.
    """
    units: list[tuple[CaseFile, Compiled]] = []
    problems: list[InputProblem] = []
    for case in cases:
        unit = _within_file(case, partial(_compile, case, day))
        if isinstance(unit, InputProblem):
            problems.append(unit)
        else:
            units.append((case, unit))
    try:
        matches = evaluate(day.definitions, [unit.facts for _, unit in units], sentinel=day.calendar)
    except Exception:  # which agreement broke the engine call is found by checking each alone
        outcomes = [check_agreement(case, day) for case, _ in units]
    else:
        by_group: dict[int, list[Match]] = {}
        for match in matches:
            by_group.setdefault(match.group, []).append(match)
        outcomes = [
            _within_file(case, partial(_findings, by_group.get(g, []), unit, day))
            for g, (case, unit) in enumerate(units)
        ]
    findings: list[Finding] = []
    for outcome in outcomes:
        if isinstance(outcome, InputProblem):
            problems.append(outcome)
        else:
            findings.extend(outcome)
    return sorted(findings, key=lambda f: f.agreement), problems


def check_agreement(case: CaseFile, day: CheckDay) -> list[Finding] | InputProblem:
    """One agreement compiled, evaluated and turned into findings: the boundary of one file.

    Nothing met while checking one agreement can stop the others: a failure here is returned as that
    file's problem, with a short reason.
    """

    def check() -> list[Finding]:
        unit = _compile(case, day)
        return _findings(evaluate(day.definitions, [unit.facts], sentinel=day.calendar), unit, day)

    return _within_file(case, check)


def _compile(case: CaseFile, day: CheckDay) -> Compiled:
    return compile_agreement(case.agreement, day.as_of, day.registry.calendar)


def _within_file(case: CaseFile, step: Callable[[], T]) -> T | InputProblem:
    try:
        return step()
    except Exception as error:  # the per-file boundary: the run goes on with the other files
        return unexpected_problem(case.path, error)


def _findings(matches: Sequence[Match], unit: Compiled, day: CheckDay) -> list[Finding]:
    """The findings of one agreement, in date order (the order every output shows)."""
    found: dict[tuple[str, str], Finding] = {}
    for match in matches:
        rule = day.rules[match.rule.removesuffix(ESCALATED)]
        fact = match.facts[rule.alias]
        key = (rule.name, fact["ref"])
        severity = Severity.CRITICAL if match.rule.endswith(ESCALATED) else rule.severity
        if key in found:
            if severity.rank > found[key].severity.rank:
                found[key] = replace(found[key], severity=severity)
            continue
        found[key] = _finding(rule, severity, fact, unit.contexts[fact["ref"]], unit, day)
    order = {item.id: i for i, item in enumerate(unit.agreement.obligations)}
    return sorted(
        found.values(),
        key=lambda f: (f.due or date.max, f.code, f.party, order.get(f.obligation or "", -1)),
    )


def _finding(
    rule: Rule,
    severity: Severity,
    fact: Mapping[str, Any],
    context: Context,
    unit: Compiled,
    day: CheckDay,
) -> Finding:
    agreement, as_of, lang = unit.agreement, day.as_of, day.lang
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
        owners=day.registry.owners_of(agreement, party),
        term=int(fact["term"]),
        label=rule.label[lang],
        reason=rule.reason,
    )
