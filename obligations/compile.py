"""Compile an agreement, as known on the as-of day, into plain facts per party for the rule engine.

Compilation does the date arithmetic (Civil Act periods, working days) and reads the events: which term is
in force, when each deadline falls, what has been recorded. It does not judge: whether a window is open,
a term has lapsed or a role is unfulfilled on the as-of day is decided by the rules in ``rules/``.

Facts are flat mappings of integers and strings (dates as day numbers, ``date.toordinal()``), because
durable_rules compares mixed types silently as strings (obligations/engine.py, defect 12). ``0`` means
"none" for a day.
Every fact carries a ``ref``; :class:`Compiled` keeps, per ref, the derivation of each of its dates and the
words the messages need, so that a finding can explain itself.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from obligations.amendments import (
    Base,
    Duty,
    InForce,
    citation,
    cited,
    duties_on,
    in_effect,
    reading_on,
    rebase,
)
from obligations.dates import (
    Derived,
    NoticeDeadline,
    Step,
    Term,
    act_deadline,
    explain_renewal_cap,
    first_term,
    renewal_term,
    term_end,
)
from obligations.duration import Duration
from obligations.model import Agreement, Event, Obligation, Renewal, Schedule
from obligations.recurrence import (
    last_period_ending_by,
    nominal_due,
    occurrence_due,
    period,
    period_containing,
    period_of_label,
    term_label,
)
from obligations.workdays import WorkdayCalendar

Fact = dict[str, Any]
NONE = 0  # "no such day" in a fact
FOREVER = date.max.toordinal()  # the end of a plan without a term
# The occurrence of what is owed once (a one-off due, a duty that survives the end): see
# obligations.rulebook.finding_id, which keys ids by it.
ONCE = "0"
# The terms a role's lapses are looked for in, counting back from the term in force: a long chain of short
# renewals costs no more than a hundred terms (decades of yearly ones).
MOST_LAPSED_TERMS = 100


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
    """The term the agreement is in on the as-of day, as the renewals and the events decide it."""

    first: Term
    current: Term
    previous_notice: NoticeDeadline | None  # the notice deadline that let the current term begin
    notice: NoticeDeadline | None  # the current term's notice deadline (None: no automatic renewal after it)
    stopped_by: Event | None  # the on-time notice or the termination that ended the chain
    ended_on: date | None  # termination day, when terminated early
    base: Base | None = None  # where renewals are counted from (None: the original term, nothing amended)

    def notice_after(self, term: Term, renewal: Renewal, calendar: WorkdayCalendar) -> NoticeDeadline:
        """The deadline of the notice that stops the renewal after ``term``, as amended."""
        return (self.base or Base(self.first)).notice(term, renewal, calendar)


def compile_agreement(
    agreement: Agreement, as_of: date, calendar: WorkdayCalendar, *, until: date
) -> Compiled:
    """The facts of ``agreement`` on ``as_of``; ``until`` is the last day of the horizon, the latest due day
    of a recurring duty's occurrence that is compiled (an open occurrence due later does not matter yet)."""
    # Events dated after the as-of day are not yet known on that day; nor are amendments.
    events = tuple(sorted((event for event in agreement.events if event.date <= as_of), key=lambda e: e.date))
    read = reading_on(agreement, as_of)
    chain = _chain(agreement, events, as_of, calendar) if agreement.term is not None else None
    # The text in force on the as-of day: amendments applied, and what they could not undo kept.
    base = chain.base if chain is not None else None
    compiled = Compiled(in_effect(read[-1].text, base) if base is not None else read[-1].text)
    compiled.chain = chain
    if chain is not None:
        for party in agreement.parties:
            _term_fact(compiled, chain, party)
            _renewal_facts(compiled, chain, party, calendar)
    duties = duties_on(agreement, as_of) if len(read) > 1 else tuple(map(Duty, agreement.obligations))
    recent: tuple[Term, ...] = ()
    for duty in duties:
        obligation = duty.obligation
        for party in obligation.party:
            since = duty.added.date if duty.added is not None else None
            fact = _duty(compiled, obligation, party, events, chain, calendar, since)
            if duty.removed is not None:
                fact["role"] = 0  # no longer expected; only the lapses of terms ended before remain
            if chain is not None and obligation.once_per_term:
                # The same terms for every role and party: counted once.
                recent = recent or _terms_up_to_now(compiled.agreement, chain)
                _lapses(compiled, obligation, party, events, chain, recent, as_of, duty.owed_until)
            if obligation.schedule is not None:
                last = until if duty.owed_until is None else min(until, duty.owed_until)
                _occurrences(compiled, fact, obligation, obligation.schedule, events, chain, calendar, last)
        if duty.added is not None:
            _cite_addition(compiled, duty.added, obligation.id)
    if agreement.policy is not None:  # the body's own rules for its agreements (policy.yaml)
        from obligations.policy_duties import compile_policy  # it builds on this module: imported here

        compile_policy(compiled, agreement.policy, events, calendar, until)
    return compiled


def _cite_addition(compiled: Compiled, amendment: Event, obligation: str) -> None:
    """The dates of a duty an amendment added name it (its term end is the agreement's, not the duty's)."""
    step = citation(amendment, f"의무 '{obligation}' 추가", f"duty '{obligation}' added")
    for fact in compiled.facts:
        if fact.get("obligation") == obligation:
            derivations = compiled.contexts[fact["ref"]].derivations
            derivations.update({k: cited(v, (step,)) for k, v in derivations.items() if k != "end"})


def first_term_of(agreement: Agreement) -> Term:
    """The original term of an agreement that has one."""
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
    """The term in force on the as-of day under the readings of the agreement in force by then: each
    amendment takes the chain of the reading before it, on its date, as its base (:func:`rebase`)."""
    read = reading_on(agreement, as_of)
    base = Base(first_term_of(agreement))
    for before, reading in pairwise(read):
        assert reading.since is not None
        text = in_effect(before.text, base)
        known = tuple(e for e in events if e.date < reading.since)
        prior = _chain_from(text, base, known, reading.since, calendar)
        earlier = terms_ran(text, prior, calendar, _EARLIER)[:-1]
        stopped = prior.stopped_by.date if prior.stopped_by is not None else None
        accepted = tuple(e for e in known if _notice_counts(text, base, e))
        in_force = InForce(
            prior.current, prior.previous_notice, prior.notice, stopped, prior.ended_on, earlier, accepted
        )
        base = rebase(base, in_force, before.text, reading, calendar)
    return _chain_from(in_effect(read[-1].text, base), base, events, as_of, calendar)


_EARLIER = 8  # terms run under earlier readings that are kept for the timeline


def _chain_from(
    agreement: Agreement, base: Base, events: tuple[Event, ...], as_of: date, calendar: WorkdayCalendar
) -> Chain:
    """The term in force on the as-of day, found from the base by arithmetic, not by walking the renewals.

    A renewal happens unless a valid notice was recorded on or before the notice deadline of the term it
    follows (a notice after that deadline counts for the next term), the cap is reached, or a party
    terminated the agreement. Each of these ends the chain at the first term where it applies, and that
    term is found directly (:func:`_first_index`), so daily renewals since 1900 cost what yearly ones do.
    """
    renewal = agreement.renewal
    first = base.term
    terminated = min((e for e in events if e.type == "terminated"), key=lambda e: e.date, default=None)
    if renewal is None or not renewal.automatic:
        # No renewal from here on; the term in force when an amendment turned renewal off stays.
        held = (
            first
            if renewal is None
            else renewal_term(first, renewal.length, base.since, clause=renewal.clause)
        )
        ended = terminated if terminated is not None and terminated.date <= held.end.date else None
        before = base.decided.get(held.index - 1)
        return Chain(first, held, before, None, ended, ended.date if ended else None, base)

    length, lead, cap, clause = renewal.length, renewal.notice.lead, renewal.max_renewals, renewal.clause
    # The terms before the one in force when the reading took effect were settled under earlier readings;
    # a term that has begun stays, even when an amendment lowers the cap below its number.
    lowest = base.since
    cap = None if cap is None else max(cap, lowest)

    @cache
    def term(k: int) -> Term:
        return renewal_term(first, length, k, clause=clause)

    @cache
    def deadline(k: int) -> NoticeDeadline:
        return base.notice(term(k), renewal, calendar)

    def ends_by(day: date) -> int | None:
        """The first term (up to the cap) that ends on or after ``day``."""
        return _first_index(
            lambda k: term(k).end.date >= day, _renewals_until(first, length, day), cap, lowest
        )

    # The term holding the as-of day, or the last the cap allows; on-time notices and terminations only
    # matter up to it. At one term a termination counts before a notice, and a notice before the cap.
    last = ends_by(as_of)
    if last is None:  # the last renewal the cap allows ended before the as-of day
        assert cap is not None
        last = cap
    cut = ends_by(terminated.date) if terminated is not None else None
    notices = sorted((e for e in events if _notice_counts(agreement, base, e)), key=lambda e: e.date)
    on_time = None
    if notices:
        # The deadline lies about one lead before the term's end: start the search near there.
        estimate = _renewals_until(first, length, _plus_roughly(notices[0].date, lead))
        on_time = _first_index(lambda k: deadline(k).legal.date >= notices[0].date, estimate, last, lowest)
    # Whichever stops the chain at an earlier term wins; at the same term the termination does.
    if terminated is not None and cut is not None and cut <= last and (on_time is None or cut <= on_time):
        before_cut = _deadline_before(cut, deadline, base)
        return Chain(first, term(cut), before_cut, None, terminated, terminated.date, base)
    if on_time is not None:
        before = _deadline_before(on_time, deadline, base)
        return Chain(first, term(on_time), before, deadline(on_time), notices[0], None, base)
    return Chain(first, term(last), _deadline_before(last, deadline, base), deadline(last), None, None, base)


def _term_holding(agreement: Agreement, chain: Chain, day: date) -> int:
    """The number of the term (0 = the original) that ``day`` falls in, up to the term in force; by
    arithmetic from the anchor, like :func:`_chain`."""
    renewal = agreement.renewal
    if renewal is None or day <= chain.first.end.date:
        earlier = chain.base.earlier if chain.base is not None else ()
        return next((term.index for term, _ in earlier if day <= term.end.date), chain.first.index)
    k = _first_index(
        lambda k: renewal_term(chain.first, renewal.length, k).end.date >= day,
        _renewals_until(chain.first, renewal.length, day),
        chain.current.index,
        chain.first.index,
    )
    return chain.current.index if k is None else k


def term_named(agreement: Agreement, start: date, end: date) -> bool:
    """Whether ``start``..``end`` are the first and last days of a term of ``agreement`` — the original or a
    renewal, as the events and amendments known on ``end`` run the chain — as ``term_label`` names them."""
    if agreement.term is None or end < start:
        return False
    known = tuple(sorted((e for e in agreement.events if e.date <= end), key=lambda e: e.date))
    # Which terms there are does not depend on holidays (only act-by days do): the plain calendar will do.
    current = _chain(agreement, known, end, WorkdayCalendar()).current
    return (current.start, current.end.date) == (start, end)


def term_number_on(agreement: Agreement, day: date) -> int:
    """The number of the term (0 = the original) that holds ``day`` as the agreement's dates run, whatever
    its events: the last term the cap allows for a day after it, 0 for a day before the first term's end or
    an agreement that does not renew by itself."""
    renewal = agreement.renewal
    if agreement.term is None or renewal is None or not renewal.automatic:
        return 0
    first = first_term_of(agreement)
    if day <= first.end.date:
        return 0
    length = renewal.length
    k = _first_index(
        lambda k: renewal_term(first, length, k).end.date >= day,
        _renewals_until(first, length, day),
        renewal.max_renewals,
    )
    return k if k is not None else (renewal.max_renewals or 0)


def _deadline_before(k: int, deadline: Callable[[int], NoticeDeadline], base: Base) -> NoticeDeadline | None:
    """The deadline that let term ``k`` begin: the previous term's, or one kept from an earlier reading."""
    if k - 1 in base.decided:
        return base.decided[k - 1]
    return deadline(k - 1) if k > base.term.index else None


# The mean Gregorian month (146,097 days in 4,800 months): an estimate of how many renewals reach a day.
_MEAN_MONTH_DAYS = 146_097 / 4_800


def _renewals_until(first: Term, length: Duration, day: date) -> int:
    """About how many renewals it takes to end on or after ``day``: within a step or two of the truth."""
    per_renewal = length.total_months * _MEAN_MONTH_DAYS + length.total_days
    return first.index + max(0, math.ceil(((day - first.end.date).days) / per_renewal))


def _plus_roughly(day: date, lead: Duration | None) -> date:
    if lead is None:
        return day
    return day + timedelta(days=round(lead.total_months * _MEAN_MONTH_DAYS + lead.total_days))


def _first_index(
    holds: Callable[[int], bool], estimate: int, limit: int | None, lowest: int = 0
) -> int | None:
    """The smallest ``k`` in ``lowest..limit`` (``None``: no limit) for which ``holds`` is true, or ``None``.

    ``holds`` is monotone (false up to some k, true from there on), so a few steps from a close
    ``estimate`` settle it: constant time however many renewals came before.
    """
    k = max(lowest, estimate if limit is None else min(estimate, limit))
    while k > lowest and holds(k - 1):
        k -= 1
    while not holds(k):
        if k == limit:
            return None
        k += 1
    return k


@lru_cache(maxsize=8)
def _following_term(first: Term, length: Duration, index: int, clause: str | None) -> Term:
    """The term the next renewal would start: the same for every party, so computed once per agreement."""
    return renewal_term(first, length, index, clause=clause)


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
    first, current = chain.first, chain.current
    deadline = chain.notice
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
            deadline = chain.notice_after(before, renewal, calendar)
        before = renewal_term(first, renewal.length, k, clause=renewal.clause)
        following.append(NextTerm(before, deadline, stopped=False))
    return tuple(following)


def terms_ran(
    agreement: Agreement, chain: Chain, calendar: WorkdayCalendar, most: int
) -> tuple[tuple[Term, NoticeDeadline | None], ...]:
    """The last ``most`` terms the chain ran through, up to the one in force (``chain.current`` itself, last),
    each with the notice deadline that let the next one begin (None for the one in force: see
    :func:`next_terms`). Counted from the anchor like the chain, so a long run costs no more."""
    renewal = agreement.renewal
    current = chain.current
    earlier = chain.base.earlier if chain.base is not None else ()
    if renewal is None or current.index == chain.first.index:
        return (*earlier, (current, None))[-most:]
    ran: list[tuple[Term, NoticeDeadline | None]] = []
    for k in range(max(chain.first.index, current.index - most + 1), current.index):
        term = renewal_term(chain.first, renewal.length, k, clause=renewal.clause)
        ran.append((term, chain.notice_after(term, renewal, calendar)))
    return (*earlier, *ran, (current, None))[-most:]


def _notice_counts(agreement: Agreement, base: Base, event: Event) -> bool:
    """A notice that stops a renewal, judged by the notice clause of its own day (see :class:`Base`)."""
    return event.type == "notice-given" and base.accepts(event, _stops_renewal(agreement, event))


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
    renewals_left = _renewals_left(agreement, term)
    compiled.add(
        {
            "kind": "term",
            "ref": _ref("term", party, term.index),
            "party": party,
            "term": term.index,
            "start": day_number(term.start),
            "end": day_number(end),
            "automatic": int(renewal is not None and renewal.automatic),
            "renewals_left": renewals_left,
            "stopped": int(chain.stopped_by is not None),
            # Another term follows this one: renewals are left and no notice or termination stopped them.
            "follows": int(renewals_left != 0 and chain.stopped_by is None),
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
    if renewal is None or chain.ended_on is not None:
        return
    current = chain.current
    may_notify = int(not renewal.notice.by or party in renewal.notice.by)
    # (the term a renewal starts, the notice deadline that decided it, the on-time notice recorded)
    boundaries: list[tuple[Term, NoticeDeadline, int]] = []
    # The renewal that began the current term happened, even if an amendment has since turned renewal off.
    if current.index >= 1 and chain.previous_notice is not None:
        boundaries.append((current, chain.previous_notice, NONE))
    deadline = chain.notice
    if renewal.automatic and deadline is not None and _renewals_left(agreement, current) != 0:
        following = _following_term(chain.first, renewal.length, current.index + 1, renewal.clause)
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


def _closing(events: tuple[Event, ...], obligation: Obligation, party: str) -> list[Event]:
    """The fulfilments and waivers of ``obligation`` that count for ``party``, in date order."""
    return [
        e
        for e in events
        if e.type in ("fulfilled", "waived") and e.obligation == obligation.id and e.party in (None, party)
    ]


def _duty(
    compiled: Compiled,
    obligation: Obligation,
    party: str,
    events: tuple[Event, ...],
    chain: Chain | None,
    calendar: WorkdayCalendar,
    since: date | None = None,
) -> Fact:
    """The fact of one obligation of one party: its one-off due, its role, its evidence clock; ``since``:
    the day an amendment added it."""
    agreement = compiled.agreement
    term = chain.current if chain is not None else None
    start = term.start if term is not None else agreement.signed
    end = (chain.ended_on or term.end.date) if chain is not None and term is not None else None
    closing = _closing(events, obligation, party)
    done = [e.date for e in closing if e.type == "fulfilled"]
    waived = [e.date for e in closing if e.type == "waived"]
    # A record dated in the term, or one naming the term's period (a late record for it, or a waiver).
    named = term_label(term.start, term.end.date) if term is not None else None
    done_in_term = [
        e
        for e in closing
        if (e.type == "fulfilled" and e.date >= start) or (named is not None and e.period == named)
    ]
    context = _words(agreement, party)
    context.words.update(
        obligation=obligation.id,
        clause=obligation.clause,
        text=obligation.text,
        end=end.isoformat() if end else "",
        last_done=max(done).isoformat() if done else "",
        period="",
        period_en="",
        binding="",
        binding_en="",
    )
    fact: Fact = {
        "kind": "duty",
        "ref": _ref("duty", obligation.id, party, term.index if term else 0),
        "party": party,
        "obligation": obligation.id,
        "period": "",
        "occurrence": ONCE,
        "term": term.index if term else 0,
        "survives": int(obligation.binds_after_end),
        "survives_until": FOREVER,
        "role": int(
            obligation.due is None and obligation.schedule is None and not obligation.binds_after_end
        ),
        "term_start": day_number(start),
        "term_end": day_number(end) if end else FOREVER,
        "done": day_number(max(done)) if done else NONE,
        "done_in_term": len(done_in_term),
        "due": NONE,
        "due_wd": NONE,
        "waived": day_number(min(waived)) if waived and obligation.schedule is None else NONE,
        "evidence_due": NONE,
    }
    if chain is not None:
        context.derivations["end"] = _end_of(chain)
        if isinstance(obligation.survives, Duration):
            binding = _binding_until(context.derivations["end"], obligation)
            fact["survives_until"] = day_number(binding.date)
            until = binding.date.isoformat()
            context.words.update(binding=f" {until}까지", binding_en=f" until {until}")
            context.derivations["survives_until"] = binding
    if obligation.due is not None:
        due_text = obligation.due.isoformat()
        stated = Step(f"{obligation.clause}: 기한 {due_text}", f"{obligation.clause}: due {due_text}")
        nominal = Derived(obligation.due, (stated,))
        due = act_deadline(nominal, calendar)
        fact.update(due=day_number(due.date), due_wd=calendar.workday_number(due.date))
        context.words.update(due=due.date.isoformat())
        context.derivations["due"] = due
    if obligation.evidence_every is not None:
        # The clock runs from the last record, or from the start of the agreement: a renewal does not reset
        # it, so a role with no record stays flagged across renewals until one arrives.
        anchor = max(done) if done else since or agreement.starts
        evidence = term_end(anchor, obligation.evidence_every, clause=obligation.clause)
        fact["evidence_due"] = day_number(evidence.date)
        context.words.update(evidence_due=evidence.date.isoformat(), every=obligation.evidence_every.korean())
        context.derivations["evidence_due"] = evidence
    compiled.add(fact, context)
    return fact


def _lapses(
    compiled: Compiled,
    obligation: Obligation,
    party: str,
    events: tuple[Event, ...],
    chain: Chain,
    recent: tuple[Term, ...],
    as_of: date,
    owed_until: date | None,
) -> None:
    """One fact per term (begun by the as-of day, and ended by ``owed_until`` for a role an amendment
    removed) of a role expected once per term, with the records that fall in it: ``done`` counts the
    fulfilments dated in the term, ``closed`` is the day of the first fulfilment or waiver naming the
    term's period (0 = none). Whether the term lapsed is the rule's call.

    ``recent`` are the terms looked at: the last :data:`MOST_LAPSED_TERMS` (:func:`_terms_up_to_now`).
    """
    closing = _closing(events, obligation, party)
    dated = sorted(e.date for e in closing if e.type == "fulfilled")
    base = compiled.contexts[_ref("duty", obligation.id, party, chain.current.index)]
    for term in recent:
        k = term.index
        if term.start > as_of:
            continue
        # The term in force ends early when terminated; its period keeps the dates the agreement gave it.
        ended = _end_of(chain) if k == chain.current.index else term.end
        if owed_until is not None and ended.date > owed_until:
            break
        label = term_label(term.start, term.end.date)
        done = bisect_right(dated, ended.date) - bisect_left(dated, term.start)
        closed = min((e.date for e in closing if e.period == label), default=None)
        last = dated[bisect_right(dated, ended.date) - 1] if bisect_right(dated, ended.date) else None
        context = Context(dict(base.words), dict(base.derivations))
        context.words.update(period=label, start=term.start.isoformat(), end=ended.date.isoformat())
        context.derivations["lapse"] = _lapse_derivation(ended, term.start, label, last)
        compiled.add(
            {
                "kind": "lapse",
                "ref": _ref("lapse", obligation.id, party, k),
                "party": party,
                "obligation": obligation.id,
                "term": k,
                "period": label,
                "start": day_number(term.start),
                "end": day_number(ended.date),
                "done": done,
                "closed": day_number(closed) if closed else NONE,
            },
            context,
        )


def _terms_up_to_now(agreement: Agreement, chain: Chain) -> tuple[Term, ...]:
    """The last :data:`MOST_LAPSED_TERMS` terms the chain ran through, up to the one in force (last): those
    settled before an amendment as they ran, the others counted from the anchor like the chain."""
    renewal = agreement.renewal
    current = chain.current
    earlier = tuple(term for term, _ in chain.base.earlier) if chain.base is not None else ()
    lowest = max(chain.first.index, current.index - MOST_LAPSED_TERMS + 1)
    renewed = tuple(
        renewal_term(chain.first, renewal.length, k, clause=renewal.clause)
        for k in range(lowest, current.index)
        if renewal is not None
    )
    return (*earlier, *renewed, current)[-MOST_LAPSED_TERMS:]


def _lapse_derivation(ended: Derived, start: date, label: str, last: date | None) -> Derived:
    """The term's end, then that no record falls in the term, and how to record one for it.

    Only the last step of the term's end (its date, or the termination that ended it) is repeated: a lapse
    is reported for every unrecorded term of every role and party, and the whole derivation of each term's
    end is what `explain` shows for the term's own findings (expiring, renewed, expired).
    """
    end = ended.date.isoformat()
    before_ko = f" (마지막 기록 {last.isoformat()})" if last else ""
    before_en = f" (last record {last.isoformat()})" if last else ""
    return Derived(
        ended.date,
        (
            ended.steps[-1],
            Step(
                f"협약기간 {start.isoformat()}~{end}에 이 역할의 이행 기록이 없음{before_ko}. "
                f"이 기간분을 기록하려면 --period {label}",
                f"no fulfilment of this role is recorded in the term {start.isoformat()} to {end}"
                f"{before_en}; to record one for it, --period {label}",
            ),
        ),
    )


def _occurrences(
    compiled: Compiled,
    duty: Fact,
    obligation: Obligation,
    schedule: Schedule,
    events: tuple[Event, ...],
    chain: Chain | None,
    calendar: WorkdayCalendar,
    until: date,
) -> None:
    """One fact per open occurrence of a recurring duty that matters on the as-of day: not settled, and due
    by ``until`` (so within the horizon, or overdue). Settled and later occurrences make no fact.

    An occurrence is owed for each period that ends on or after ``schedule.owed_from`` (default: the start of
    the agreement) and on or before the end of the term in force (or the termination day); a missed one
    stays owed after the agreement renews or ends, until it is fulfilled or waived.
    """
    agreement = compiled.agreement
    party = str(duty["party"])
    anchor = agreement.starts.year
    every = schedule.every
    first = period_containing(every, anchor, schedule.owed_from or agreement.starts).number
    last_owed = None if chain is None else last_period_ending_by(every, anchor, _end_of(chain).date)
    settled = _settled(schedule, anchor, first, last_owed, _closing(events, obligation, party))
    last = _last_due_by(schedule, anchor, first, until)
    base = compiled.contexts[duty["ref"]]
    for number in range(first, last + 1 if last_owed is None else min(last, last_owed) + 1):
        if number in settled:
            continue
        occurrence = period(every, anchor, number)
        due = occurrence_due(occurrence, schedule.due, calendar, clause=obligation.clause)
        context = Context(dict(base.words), dict(base.derivations))
        context.words.update(
            due=due.date.isoformat(),
            period=f" ({occurrence.korean()}분, {occurrence.label})",
            period_en=f" (period {occurrence.label})",
        )
        context.derivations["due"] = due
        compiled.add(
            {
                **duty,
                "ref": _ref("duty", obligation.id, party, occurrence.label),
                "period": occurrence.label,
                "occurrence": occurrence.label,
                "term": _term_holding(agreement, chain, occurrence.end)
                if chain is not None
                else duty["term"],
                "survives": 0,
                "role": 0,
                "done": NONE,
                "done_in_term": 0,
                "due": day_number(due.date),
                "due_wd": calendar.workday_number(due.date),
                "waived": NONE,
            },
            context,
        )


def _settled(
    schedule: Schedule, anchor: int, first: int, last_owed: int | None, closing: list[Event]
) -> set[int]:
    """The occurrences (by period number) that the events close.

    An event naming its period closes that one; a fulfilment without a period closes the earliest open
    occurrence whose period has begun by the event's date (a report sent early counts for the period under
    way; one sent late for the oldest one still open).
    """
    every = schedule.every
    settled = {period_of_label(every, anchor, e.period).number for e in closing if e.period is not None}
    earliest = first
    for event in (e for e in closing if e.period is None and e.type == "fulfilled"):
        while earliest in settled:
            earliest += 1
        owed = last_owed is None or earliest <= last_owed
        if owed and period(every, anchor, earliest).start <= event.date:
            settled.add(earliest)
    return settled


def _last_due_by(schedule: Schedule, anchor: int, first: int, until: date) -> int:
    """The number of the last period whose nominal due day is on or before ``until`` (``first - 1`` if none).

    A due day never falls before its period ends, so the period holding ``until`` bounds the search; it
    falls at most a year and a day after that end, so the search takes at most a few steps back.
    """
    number = period_containing(schedule.every, anchor, until).number
    while number >= first and nominal_due(period(schedule.every, anchor, number), schedule.due).date > until:
        number -= 1
    return number


def _binding_until(end: Derived, obligation: Obligation) -> Derived:
    """The last day a surviving duty binds: its length counted from the day after the end or termination
    ("종료 후 3년간": 민법 제157조, the end day itself not counted)."""
    assert isinstance(obligation.survives, Duration)
    counted = term_end(end.date, obligation.survives, clause=obligation.clause)
    return Derived(counted.date, (*end.steps, *counted.steps))


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
