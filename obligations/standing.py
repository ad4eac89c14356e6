"""Where each agreement or plan stands on the as-of day: the rows of ``obligations status``.

A row is read off what the rest of the pipeline produced, never worked out again: the term in force, its
number and dates, and the notice or termination that stopped the chain come from the compiled agreement
(:class:`obligations.terms.Chain` and the term fact); whether the term is in force or has ended, and
which dated things are still ahead, are decided by the engine with ``rules/standing/standing.yaml`` on the
same facts ``check`` evaluates; the open findings are those of the checked :class:`Report`. The only
choice made here is presentation: the earliest of the dates still ahead is the row's next deadline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from obligations.checking import Report, calendar_fact
from obligations.compile import compile_agreement, horizon_end
from obligations.duration import Duration
from obligations.engine import Match, evaluate
from obligations.facts import Compiled
from obligations.findings import Severity
from obligations.resources import rules_dir
from obligations.rulebook import Rule, day_of, definitions, load_rules

STANDING_RULES = "standing"  # the folder under rules/ that holds them
LOOK_AHEAD = Duration(years=4)  # how far ahead the next deadline is looked for (the longest schedule: 3y)


class State(StrEnum):
    """The state of the term in force; a plan is a plan whatever its dates."""

    IN_FORCE = "in-force"
    NOT_STARTED = "not-started"
    ENDED = "ended"
    PLAN = "plan"


class RenewalState(StrEnum):
    """What follows the term in force."""

    AUTOMATIC = "automatic"  # it renews by itself unless a party gives notice
    FINAL_TERM = "final-term"  # it would renew, but the cap is used up
    NOTICE_GIVEN = "notice-given"  # an on-time notice stopped the next renewal
    TERMINATED = "terminated"  # a party ended it early
    NONE = "none"  # no automatic renewal clause (or no term at all)


@dataclass(frozen=True)
class Deadline:
    """The next dated thing ahead for an agreement: when, how far off, and what it is."""

    date: date
    days_left: int
    code: str  # the standing rule that found it: next-notice, next-end, next-due, next-evidence
    label: str
    what: str
    explain: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standing:
    """One row of ``obligations status``."""

    agreement: str
    title: str
    kind: str
    file: Path
    state: State
    renewal: RenewalState
    term: int | None = None  # 0 the original term, k the k-th renewal; None for a plan without a term
    max_renewals: int | None = None  # the cap on renewals; None = no cap (meaningful only if ``renews``)
    renews: bool = False  # the agreement has an automatic renewal clause
    term_start: date | None = None
    term_end: date | None = None
    stopped_by: str | None = None  # the party whose notice or termination stopped the chain
    stopped_on: date | None = None
    next: Deadline | None = None
    findings: dict[Severity, int] = field(default_factory=dict)  # open findings by severity
    owners: tuple[str, ...] = ()


@cache
def standing_rules(folder: Path | None = None) -> tuple[Rule, ...]:
    return tuple(load_rules(folder or rules_dir() / STANDING_RULES))


def standings(report: Report, lang: str = "ko") -> list[Standing]:
    """A row per agreement of the checked registry, sorted by next deadline (none last), then id."""
    registry = report.registry
    # Only the agreements whose check completed: a file that failed is among the report's problems.
    cases = [case for case in registry.cases if case.agreement.id in report.checked]
    # Occurrences of recurring duties are compiled up to ``until``: far enough that the next one of even a
    # three-yearly duty is known, whatever the check's horizon.
    until = horizon_end(report.as_of, LOOK_AHEAD)
    compiled = [compile_agreement(c.agreement, report.as_of, registry.calendar, until=until) for c in cases]
    rules = standing_rules()
    calendar = calendar_fact(report.as_of, report.as_of, registry.calendar)
    matches = evaluate(definitions(rules, calendar), [unit.facts for unit in compiled], sentinel=calendar)
    by_group: dict[int, list[Match]] = {}
    for match in matches:
        by_group.setdefault(match.group, []).append(match)
    counts = {
        case.agreement.id: Counter(f.severity for f in report.findings if f.agreement == case.agreement.id)
        for case in cases
    }
    rows = []
    for index, (case, unit) in enumerate(zip(cases, compiled, strict=True)):
        agreement = case.agreement
        owners = tuple(
            dict.fromkeys(o for party in agreement.parties for o in registry.owners_of(agreement, party))
        )
        rows.append(
            _row(
                unit,
                case.path,
                by_group.get(index, []),
                {rule.name: rule for rule in rules},
                report.as_of,
                lang,
                dict(counts[agreement.id]),
                owners,
            )
        )
    return sorted(rows, key=lambda row: (row.next.date if row.next else date.max, row.agreement))


def _row(
    unit: Compiled,
    path: Path,
    matches: Sequence[Match],
    rules: dict[str, Rule],
    as_of: date,
    lang: str,
    findings: dict[Severity, int],
    owners: tuple[str, ...],
) -> Standing:
    agreement = unit.agreement
    fired = {match.rule for match in matches}
    state = State.PLAN if agreement.kind == "plan" else _state(fired)
    next_deadline = min(
        (_deadline(match, rules[match.rule], unit, as_of, lang) for match in matches if match.rule in _NEXT),
        key=lambda deadline: (deadline.date, _NEXT.index(deadline.code)),
        default=None,
    )
    row = Standing(
        agreement=agreement.id,
        title=agreement.title,
        kind=agreement.kind,
        file=path,
        state=state,
        renewal=RenewalState.NONE,
        next=next_deadline,
        findings=findings,
        owners=owners,
    )
    chain = unit.chain
    if chain is None:
        return row
    term = next(fact for fact in unit.facts if fact["kind"] == "term")
    stopped = chain.stopped_by
    return replace(
        row,
        renewal=_renewal_state(term, stopped.type if stopped else None),
        term=chain.current.index,
        max_renewals=agreement.renewal.max_renewals if agreement.renewal else None,
        renews=bool(term["automatic"]),
        term_start=day_of(term["start"]),
        term_end=day_of(term["end"]),
        stopped_by=stopped.party if stopped else None,
        stopped_on=stopped.date if stopped else None,
    )


# The standing rules that name a state, and those that name a date ahead (ties on a date in this order).
_STATES = {"in-force": State.IN_FORCE, "not-started": State.NOT_STARTED, "ended": State.ENDED}
_NEXT = ("next-notice", "next-due", "next-evidence", "next-end")


def _state(fired: set[str]) -> State:
    (state,) = {_STATES[name] for name in fired if name in _STATES}  # one term fact per party, one state
    return state


def _renewal_state(term: dict[str, int], stopped_by: str | None) -> RenewalState:
    """From the term fact compile produced: ``stopped`` (the chain was stopped by the event ``stopped_by``),
    ``automatic`` and ``renewals_left`` (0 = the cap is used up)."""
    if term["stopped"]:
        return RenewalState.TERMINATED if stopped_by == "terminated" else RenewalState.NOTICE_GIVEN
    if not term["automatic"]:
        return RenewalState.NONE
    return RenewalState.FINAL_TERM if term["renewals_left"] == 0 else RenewalState.AUTOMATIC


def _deadline(match: Match, rule: Rule, unit: Compiled, as_of: date, lang: str) -> Deadline:
    fact = match.facts[rule.alias]
    assert rule.due is not None
    day = day_of(fact[rule.due])
    context = unit.contexts[fact["ref"]]
    explain = [line for name in rule.explain for line in context.derivations[name].lines(lang)]
    return Deadline(
        date=day,
        days_left=(day - as_of).days,
        code=rule.name,
        label=rule.label[lang],
        what=rule.message[lang].format_map(context.words),
        explain=tuple(explain),
    )
