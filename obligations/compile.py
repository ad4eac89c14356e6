"""Compile an agreement, as known on the as-of day, into plain facts per party for the rule engine.

Compilation does the date arithmetic (Civil Act periods, working days) and reads the events: which term is
in force, when each deadline falls, what has been recorded. It does not judge: whether a window is open,
a term has lapsed or a role is unfulfilled on the as-of day is decided by the rules in ``rules/``.

Facts are flat mappings of integers and strings (dates as day numbers, ``date.toordinal()``), because
durable_rules compares mixed types silently as strings (shared/notes fact 12). ``0`` means "none" for a day.
Every fact carries a ``ref``; :class:`Compiled` keeps, per ref, the derivation of each of its dates and the
words the messages need, so that a finding can explain itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from obligations.dates import (
    Derived,
    NoticeDeadline,
    Step,
    Term,
    act_deadline,
    explain_renewal_cap,
    first_term,
    notice_deadline,
    renewal_term,
    term_end,
)
from obligations.duration import Duration
from obligations.model import Agreement, Event, Obligation
from obligations.workdays import WorkdayCalendar

Fact = dict[str, Any]
NONE = 0  # "no such day" in a fact
FOREVER = date.max.toordinal()  # the end of a plan without a term


def day_number(day: date) -> int:
    return day.toordinal()


@dataclass
class Context:
    """What a finding about one fact needs beyond the fact: words for messages and date derivations."""

    words: dict[str, str] = field(default_factory=dict)
    derivations: dict[str, Derived] = field(default_factory=dict)


@dataclass
class Compiled:
    agreement: Agreement
    facts: list[Fact] = field(default_factory=list)
    contexts: dict[str, Context] = field(default_factory=dict)
    chain: Chain | None = None  # the renewal chain as the events decided it (None for a plan without a term)

    def add(self, fact: Fact, context: Context) -> None:
        self.facts.append(fact)
        self.contexts[fact["ref"]] = context


@dataclass(frozen=True)
class Chain:
    """The terms the agreement has actually run through up to the as-of day, as the events decide them."""

    terms: tuple[Term, ...]
    # the notice deadline of each term (None: no automatic renewal after it)
    notices: tuple[NoticeDeadline | None, ...]
    stopped_by: Event | None  # the on-time notice or the termination that ended the chain
    ended_on: date | None  # termination day, when terminated early

    @property
    def current(self) -> Term:
        return self.terms[-1]


def compile_agreement(agreement: Agreement, as_of: date, calendar: WorkdayCalendar) -> Compiled:
    compiled = Compiled(agreement)
    # Events dated after the as-of day are not yet known on that day.
    events = tuple(event for event in agreement.events if event.date <= as_of)
    if agreement.term is None:
        for obligation in agreement.obligations:
            for party in obligation.party:
                _duty(compiled, obligation, party, events, None, calendar)
        return compiled
    chain = compiled.chain = _chain(agreement, events, as_of, calendar)
    for party in agreement.parties:
        _term_fact(compiled, chain, party)
        _renewal_facts(compiled, chain, party, calendar)
    for obligation in agreement.obligations:
        for party in obligation.party:
            _duty(compiled, obligation, party, events, chain, calendar)
    return compiled


def _first(agreement: Agreement) -> Term:
    term = agreement.term
    assert term is not None
    start = agreement.signed if term.start == "signed" else term.start
    assert isinstance(start, date)
    return first_term(
        start,
        length=term.length,
        end=term.end,
        starts_at_midnight=term.starts_at_midnight,
        first_day_counts=term.first_day_counts,
        clause=term.clause,
    )


def _chain(agreement: Agreement, events: tuple[Event, ...], as_of: date, calendar: WorkdayCalendar) -> Chain:
    """Run the renewal chain forward from the anchor until the term that holds the as-of day.

    A renewal happens unless a valid notice was recorded on or before the notice deadline of the term it
    follows (a notice after that deadline counts for the next term), the cap is reached, or a party
    terminated the agreement.
    """
    renewal = agreement.renewal
    first = _first(agreement)
    terms = [first]
    notices: list[NoticeDeadline | None] = []
    notices_left = sorted((e for e in events if _stops_renewal(agreement, e)), key=lambda e: e.date)
    terminated = next((e for e in sorted(events, key=lambda e: e.date) if e.type == "terminated"), None)
    while True:
        term = terms[-1]
        if terminated is not None and terminated.date <= term.end.date:
            notices.append(None)
            return Chain(tuple(terms), tuple(notices), terminated, terminated.date)
        if renewal is None or not renewal.automatic:
            notices.append(None)
            return Chain(tuple(terms), tuple(notices), None, None)
        deadline = notice_deadline(term.end.date, renewal.notice.lead, calendar, clause=renewal.clause)
        notices.append(deadline)
        on_time = next((e for e in notices_left if e.date <= deadline.legal.date), None)
        if on_time is not None:
            return Chain(tuple(terms), tuple(notices), on_time, None)
        notices_left = [e for e in notices_left if e.date > deadline.legal.date]
        cap_reached = renewal.max_renewals is not None and term.index >= renewal.max_renewals
        if cap_reached or term.end.date >= as_of:
            return Chain(tuple(terms), tuple(notices), None, None)
        terms.append(renewal_term(first, renewal.length, term.index + 1, clause=renewal.clause))


@dataclass(frozen=True)
class NextTerm:
    """A renewal that has not begun on the as-of day, with the notice deadline (of the term before it)
    that stops it; ``stopped`` when a notice recorded on time already did."""

    term: Term
    notice: NoticeDeadline
    stopped: bool


def next_terms(
    agreement: Agreement, chain: Chain, calendar: WorkdayCalendar, most: int
) -> tuple[NextTerm, ...]:
    """The renewals that may still follow the chain — up to the cap, and at most ``most`` of them — or the
    one a recorded notice stopped. The same date functions as the chain, so views never count dates."""
    renewal = agreement.renewal
    if renewal is None or not renewal.automatic or chain.ended_on is not None:
        return ()
    first, current = chain.terms[0], chain.current
    deadline = chain.notices[-1]
    assert deadline is not None
    if chain.stopped_by is not None:
        stopped = renewal_term(first, renewal.length, current.index + 1, clause=renewal.clause)
        return (NextTerm(stopped, deadline, stopped=True),)
    left = _renewals_left(agreement, current)
    count = most if left < 0 else min(left, most)
    following: list[NextTerm] = []
    before = current
    for k in range(current.index + 1, current.index + 1 + count):
        if following:
            deadline = notice_deadline(before.end.date, renewal.notice.lead, calendar, clause=renewal.clause)
        before = renewal_term(first, renewal.length, k, clause=renewal.clause)
        following.append(NextTerm(before, deadline, stopped=False))
    return tuple(following)


def _stops_renewal(agreement: Agreement, event: Event) -> bool:
    """A notice-given event the agreement accepts: by a party allowed to give it, in the required form."""
    if event.type != "notice-given" or agreement.renewal is None:
        return False
    notice = agreement.renewal.notice
    allowed = not notice.by or event.party in notice.by
    # A notice recorded without its form is taken at its word; one recorded as not written does not meet 서면.
    form_ok = notice.form == "any" or event.form != "any"
    return allowed and form_ok


def _renewals_left(agreement: Agreement, term: Term) -> int:
    renewal = agreement.renewal
    if renewal is None or not renewal.automatic:
        return 0
    return -1 if renewal.max_renewals is None else max(renewal.max_renewals - term.index, 0)


def _ref(*parts: object) -> str:
    return ":".join(str(part) for part in parts)


def _term_fact(compiled: Compiled, chain: Chain, party: str) -> None:
    agreement = compiled.agreement
    term = chain.current
    end = chain.ended_on or term.end.date
    derived_end = _end_of(chain)
    renewal = agreement.renewal
    context = _words(agreement, party)
    context.words.update(start=term.start.isoformat(), end=end.isoformat(), term=str(term.index))
    context.derivations["end"] = derived_end
    if renewal is not None and renewal.max_renewals is not None:
        cap = explain_renewal_cap(renewal.max_renewals, renewal.length)
        context.derivations["end"] = Derived(derived_end.date, (cap, *derived_end.steps))
    compiled.add(
        {
            "kind": "term",
            "ref": _ref("term", party, term.index),
            "party": party,
            "term": term.index,
            "start": day_number(term.start),
            "end": day_number(end),
            "automatic": int(renewal is not None and renewal.automatic),
            "renewals_left": _renewals_left(agreement, term),
            "stopped": int(chain.stopped_by is not None),
        },
        context,
    )


def _terminated(term: Term, chain: Chain) -> Derived:
    event = chain.stopped_by
    assert event is not None
    assert chain.ended_on is not None
    ref = f" ({event.ref})" if event.ref else ""
    return Derived(
        chain.ended_on,
        (
            *term.end.steps,
            Step(
                f"{event.party} 해지 통보{ref}로 {chain.ended_on.isoformat()}에 종료",
                f"terminated by {event.party}{ref} on {chain.ended_on.isoformat()}",
            ),
        ),
    )


def _renewal_facts(compiled: Compiled, chain: Chain, party: str, calendar: WorkdayCalendar) -> None:
    """The renewal the current term ends in (if one can follow) and the one that began it (if any)."""
    agreement = compiled.agreement
    renewal = agreement.renewal
    if renewal is None or not renewal.automatic or chain.ended_on is not None:
        return
    current = chain.current
    may_notify = int(not renewal.notice.by or party in renewal.notice.by)
    # (the term a renewal starts, the notice deadline that decided it, the on-time notice recorded)
    boundaries: list[tuple[Term, NoticeDeadline, int]] = []
    if current.index >= 1:
        previous = chain.notices[-2]
        assert previous is not None
        boundaries.append((current, previous, NONE))
    deadline = chain.notices[-1]
    if deadline is not None and _renewals_left(agreement, current) != 0:
        following = renewal_term(chain.terms[0], renewal.length, current.index + 1, clause=renewal.clause)
        notice_on = day_number(chain.stopped_by.date) if chain.stopped_by is not None else NONE
        boundaries.append((following, deadline, notice_on))
    for into, notice, notice_on in boundaries:
        context = _words(agreement, party)
        context.words.update(
            start=into.start.isoformat(),
            end=into.end.date.isoformat(),
            to_term=str(into.index),
            legal=notice.legal.date.isoformat(),
            act_by=notice.act_by.date.isoformat(),
            form="서면으로 " if renewal.notice.form == "written" else "",
            form_en="written " if renewal.notice.form == "written" else "",
            notice_on=chain.stopped_by.date.isoformat() if chain.stopped_by is not None else "",
        )
        context.derivations.update(act_by=notice.act_by, legal=notice.legal, end=into.end)
        compiled.add(
            {
                "kind": "renewal",
                "ref": _ref("renewal", party, into.index),
                "party": party,
                "term": into.index - 1,
                "to_term": into.index,
                "starts": day_number(into.start),
                "ends": day_number(into.end.date),
                "legal": day_number(notice.legal.date),
                "act_by": day_number(notice.act_by.date),
                "act_by_wd": calendar.workday_number(notice.act_by.date),
                "notice_on": notice_on,
                "may_notify": may_notify,
            },
            context,
        )


def _duty(
    compiled: Compiled,
    obligation: Obligation,
    party: str,
    events: tuple[Event, ...],
    chain: Chain | None,
    calendar: WorkdayCalendar,
) -> None:
    agreement = compiled.agreement
    term = chain.current if chain is not None else None
    start = term.start if term is not None else agreement.signed
    end = (chain.ended_on or term.end.date) if chain is not None and term is not None else None
    done = [
        e.date
        for e in events
        if e.type == "fulfilled" and e.obligation == obligation.id and e.party in (None, party)
    ]
    done_in_term = [day for day in done if day >= start]
    context = _words(agreement, party)
    context.words.update(
        obligation=obligation.id,
        clause=obligation.clause,
        text=obligation.text,
        end=end.isoformat() if end else "",
        last_done=max(done).isoformat() if done else "",
    )
    fact: Fact = {
        "kind": "duty",
        "ref": _ref("duty", obligation.id, party, term.index if term else 0),
        "party": party,
        "obligation": obligation.id,
        "term": term.index if term else 0,
        "survives": int(obligation.survives),
        "role": int(obligation.due is None and not obligation.survives),
        "term_start": day_number(start),
        "term_end": day_number(end) if end else FOREVER,
        "done": day_number(max(done)) if done else NONE,
        "done_in_term": len(done_in_term),
        "due": NONE,
        "due_wd": NONE,
        "evidence_due": NONE,
    }
    if chain is not None:
        context.derivations["end"] = _end_of(chain)
    if obligation.due is not None:
        due_text = obligation.due.isoformat()
        stated = Step(f"{obligation.clause}: 기한 {due_text}", f"{obligation.clause}: due {due_text}")
        nominal = Derived(obligation.due, (stated,))
        due = act_deadline(nominal, calendar)
        fact.update(due=day_number(due.date), due_wd=calendar.workday_number(due.date))
        context.words.update(due=due.date.isoformat())
        context.derivations["due"] = due
    if obligation.evidence_every is not None:
        anchor = max(done_in_term) if done_in_term else start
        evidence = term_end(anchor, obligation.evidence_every, clause=obligation.clause)
        fact["evidence_due"] = day_number(evidence.date)
        context.words.update(evidence_due=evidence.date.isoformat(), every=obligation.evidence_every.korean())
        context.derivations["evidence_due"] = evidence
    compiled.add(fact, context)


def _end_of(chain: Chain) -> Derived:
    return _terminated(chain.current, chain) if chain.ended_on else chain.current.end


def _words(agreement: Agreement, party: str) -> Context:
    return Context(
        words={
            "agreement": agreement.id,
            "title": agreement.title,
            "party": party,
            "party_name": agreement.parties[party].name,
        }
    )


def horizon_end(as_of: date, horizon: Duration) -> date:
    """The last day inside the horizon, counted like any period (the as-of day not counted, 민법 제157조):
    ``60d`` from 2025-11-01 is 2025-12-31."""
    return term_end(as_of, horizon).date
