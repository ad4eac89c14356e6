"""Run a check: load the registry, compile each agreement, evaluate the rules, return the findings.

This is the data flow end to end (load → compile → evaluate). The only decisions taken here are about
presentation (which words, which derivations, in which order); whether something is flagged, and how
urgently, comes from the rules that fired in the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

from obligations.asof import DEFAULT_HORIZON, today_in_seoul
from obligations.buckets import Progress, in_buckets
from obligations.compile import compile_agreement, horizon_end
from obligations.duration import Duration
from obligations.engine import Match, evaluate
from obligations.facts import Compiled, Context, Fact, day_number
from obligations.findings import Finding, InputProblem, Severity, unexpected_problem
from obligations.registry import Admission, CaseFile, CaseRead, Registry, open_registry, read_case
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

    @property
    def until(self) -> date:
        """The horizon's last day."""
        return self.as_of + timedelta(days=self.horizon_days)


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
    until: date  # the horizon's last day: recurring occurrences due after it are not compiled
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
    progress: Progress | None = None,
    workers: int | None = None,
) -> Report:
    """Check the registry of ``paths`` (or the ``registry`` already loaded) on ``as_of``.

    The case files are streamed: read, compiled and evaluated bucket by bucket (on every core for a large
    registry, :mod:`obligations.buckets`), so that only the findings are kept, never the whole registry;
    ``report.registry`` then holds no cases. ``progress`` is told how many files are done.
    """
    as_of = as_of or today_in_seoul()
    until = horizon_end(as_of, horizon)
    streamed = registry is None
    registry = registry or open_registry(paths)
    rules = rulebook()
    calendar = calendar_fact(as_of, until, registry.calendar)
    day = CheckDay(
        as_of,
        until,
        registry,
        lang,
        {rule.name: rule for rule in rules},
        definitions(rules, calendar),
        calendar,
    )
    if streamed:
        outcomes = _stream(day, agreements, progress, workers)
    else:
        cases = [case for case in registry.cases if not agreements or case.agreement.id in agreements]
        outcomes = list(zip((case.agreement.id for case in cases), check_agreements(cases, day), strict=True))
    findings: list[Finding] = []
    failures: list[InputProblem] = []
    for _, outcome in outcomes:
        if isinstance(outcome, InputProblem):
            failures.append(outcome)
        else:
            findings.extend(outcome)
    # Each agreement's findings are in date order already; a stable sort keeps that order within it.
    findings.sort(key=lambda f: f.agreement)
    checked = tuple(agreement for agreement, outcome in outcomes if not isinstance(outcome, InputProblem))
    problems = [*registry.problems, *failures]
    return Report(as_of, (until - as_of).days, findings, problems, registry, checked)


Outcome = list[Finding] | InputProblem  # an agreement's findings, or the problem that stopped it


def _stream(
    day: CheckDay, agreements: Sequence[str], progress: Progress | None, workers: int | None
) -> list[tuple[str, Outcome]]:
    """The outcome of each agreement that joins the registry, in the order of the files; the problems of
    the files that do not join are added to the registry's."""
    admission = Admission(day.registry)
    outcomes: list[tuple[str, Outcome]] = []
    work = partial(check_files, day, frozenset(agreements))
    for checked in in_buckets(day.registry.files, work, progress=progress, workers=workers):
        problems = admission.problems(checked.read)
        day.registry.problems.extend(problems)
        if checked.read.agreement is not None and checked.outcome is not None and not problems:
            outcomes.append((checked.read.agreement, checked.outcome))
    return outcomes


@dataclass(frozen=True)
class CheckedFile:
    """One case file read and, unless it has problems of its own, checked: what a worker sends back."""

    read: CaseRead
    outcome: Outcome | None  # None: not checked (a problem, a repeated id, not asked)


def check_files(day: CheckDay, wanted: frozenset[str], paths: Sequence[Path]) -> list[CheckedFile]:
    """A bucket of case files read and checked together (``wanted``: only these agreements, if any).

    Whether a file joins the registry is decided afterwards, in the order of all the files
    (:class:`obligations.registry.Admission`); an id seen twice in the bucket is checked only once.
    """
    reads = [read_case(day.registry, path) for path in paths]
    ids: set[str] = set()
    cases: list[CaseFile] = []
    for _, case in reads:
        if case is not None and case.agreement.id not in ids and (not wanted or case.agreement.id in wanted):
            ids.add(case.agreement.id)
            cases.append(case)
    outcomes = dict(zip((case.path for case in cases), check_agreements(cases, day), strict=True))
    return [CheckedFile(read, outcomes.get(read.path)) for read, _ in reads]


def check_agreements(cases: Sequence[CaseFile], day: CheckDay) -> list[Outcome]:
    """The findings of several agreements, evaluated together, one entry per case: its findings, or the
    problem that stopped it, pinned to its own file.

    Evaluating many agreements in one engine call is several times faster than one call each, so the
    agreements are evaluated together; should that call fail, each agreement is checked alone
    (:func:`check_agreement`), and only the one that fails is reported, as its file's problem.
    """
    outcomes: list[Outcome] = []
    units: list[tuple[int, CaseFile, Compiled]] = []  # (position in cases, case, compiled)
    for case in cases:
        unit = _within_file(case, partial(_compile, case, day))
        if isinstance(unit, InputProblem):
            outcomes.append(unit)
        else:
            units.append((len(outcomes), case, unit))
            outcomes.append([])
    try:
        matches = evaluate(day.definitions, [unit.facts for _, _, unit in units], sentinel=day.calendar)
    except Exception:  # which agreement broke the engine call is found by checking each alone
        for i, case, _ in units:
            outcomes[i] = check_agreement(case, day)
    else:
        by_group: dict[int, list[Match]] = {}
        for match in matches:
            by_group.setdefault(match.group, []).append(match)
        for g, (i, case, unit) in enumerate(units):
            outcomes[i] = _within_file(case, partial(_findings, by_group.get(g, []), unit, day))
    return outcomes


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
    return compile_agreement(case.agreement, day.as_of, day.registry.calendar, until=day.until)


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
    period = fact.get("period") or None
    occurrence = str(fact[rule.occurrence])
    return Finding(
        id=finding_id(rule.code, agreement.id, party, obligation, occurrence),
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
        period=period,
        occurrence=occurrence,
        label=rule.label[lang],
        reason=rule.reason[lang],
        legal=day_of(fact["legal"]) if "legal" in fact else None,
    )
