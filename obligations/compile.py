"""Compile an agreement, as known on the as-of day, into plain facts per party for the rule engine.

Compilation does the date arithmetic (Civil Act periods, working days) and reads the events: which term is
in force (:mod:`obligations.terms`), when each deadline falls, what has been recorded. It does not judge:
whether a window is open, a term has lapsed or a role is unfulfilled on the as-of day is decided by the
rules in ``rules/``. What a fact holds, and what it keeps for its findings, is :mod:`obligations.facts`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date

from obligations.amendments import Duty, citation, cited, duties_on, in_effect, reading_on
from obligations.dates import Derived, NoticeDeadline, Step, Term, act_deadline, explain_renewal_cap, term_end
from obligations.duration import Duration
from obligations.facts import FOREVER, NONE, ONCE, Compiled, Context, Fact, day_number, words_of
from obligations.model import Agreement, Event, Obligation, Schedule
from obligations.occurrences import last_due_by, settled_periods
from obligations.policy_duties import compile_policy
from obligations.recurrence import (
    last_period_ending_by,
    occurrence_due,
    period,
    period_containing,
    term_label,
)
from obligations.terms import (
    Chain,
    chain_on,
    end_of,
    following_term,
    renewals_left,
    term_holding,
    terms_up_to_now,
)
from obligations.workdays import WorkdayCalendar


def compile_agreement(
    agreement: Agreement, as_of: date, calendar: WorkdayCalendar, *, until: date
) -> Compiled:
    """The facts of ``agreement`` on ``as_of``; ``until`` is the last day of the horizon, the latest due day
    of a recurring duty's occurrence that is compiled (an open occurrence due later does not matter yet)."""
    # Events dated after the as-of day are not yet known on that day; nor are amendments.
    events = tuple(sorted((event for event in agreement.events if event.date <= as_of), key=lambda e: e.date))
    read = reading_on(agreement, as_of)
    chain = chain_on(agreement, events, as_of, calendar) if agreement.term is not None else None
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
                recent = recent or terms_up_to_now(compiled.agreement, chain)
                _lapses(compiled, obligation, party, events, chain, recent, as_of, duty.owed_until)
            if obligation.schedule is not None:
                last = until if duty.owed_until is None else min(until, duty.owed_until)
                _occurrences(compiled, fact, obligation, obligation.schedule, events, chain, calendar, last)
        if duty.added is not None:
            _cite_addition(compiled, duty.added, obligation.id)
    if agreement.policy is not None:  # the body's own rules for its agreements (policy.yaml)
        compile_policy(compiled, agreement.policy, events, calendar, until)
    return compiled


def _cite_addition(compiled: Compiled, amendment: Event, obligation: str) -> None:
    """The dates of a duty an amendment added name it (its term end is the agreement's, not the duty's)."""
    step = citation(amendment, f"의무 '{obligation}' 추가", f"duty '{obligation}' added")
    for fact in compiled.facts:
        if fact.get("obligation") == obligation:
            derivations = compiled.contexts[fact["ref"]].derivations
            derivations.update({k: cited(v, (step,)) for k, v in derivations.items() if k != "end"})


def _ref(*parts: object) -> str:
    return ":".join(str(part) for part in parts)


def _term_fact(compiled: Compiled, chain: Chain, party: str) -> None:
    agreement = compiled.agreement
    term = chain.current
    end = chain.ended_on or term.end.date
    derived_end = end_of(chain)
    renewal = agreement.renewal
    context = words_of(agreement, party)
    context.words.update(start=term.start.isoformat(), end=end.isoformat(), term=str(term.index))
    context.derivations["end"] = derived_end
    if renewal is not None and renewal.max_renewals is not None:
        cap = explain_renewal_cap(renewal.max_renewals, renewal.length)
        context.derivations["end"] = Derived(derived_end.date, (cap, *derived_end.steps))
    left = renewals_left(agreement, term)
    compiled.add(
        {
            "kind": "term",
            "ref": _ref("term", party, term.index),
            "party": party,
            "term": term.index,
            "start": day_number(term.start),
            "end": day_number(end),
            "automatic": int(renewal is not None and renewal.automatic),
            "renewals_left": left,
            "stopped": int(chain.stopped_by is not None),
            # Another term follows this one: renewals are left and no notice or termination stopped them.
            "follows": int(left != 0 and chain.stopped_by is None),
        },
        context,
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
    if renewal.automatic and deadline is not None and renewals_left(agreement, current) != 0:
        following = following_term(chain.first, renewal.length, current.index + 1, renewal.clause)
        notice_on = day_number(chain.stopped_by.date) if chain.stopped_by is not None else NONE
        boundaries.append((following, deadline, notice_on))
    for into, notice, notice_on in boundaries:
        context = words_of(agreement, party)
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
    context = words_of(agreement, party)
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
        context.derivations["end"] = end_of(chain)
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

    ``recent`` are the terms looked at: the last :data:`obligations.terms.MOST_LAPSED_TERMS`
    (:func:`obligations.terms.terms_up_to_now`).
    """
    closing = _closing(events, obligation, party)
    dated = sorted(e.date for e in closing if e.type == "fulfilled")
    base = compiled.contexts[_ref("duty", obligation.id, party, chain.current.index)]
    for term in recent:
        k = term.index
        if term.start > as_of:
            continue
        # The term in force ends early when terminated; its period keeps the dates the agreement gave it.
        ended = end_of(chain) if k == chain.current.index else term.end
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
    last_owed = None if chain is None else last_period_ending_by(every, anchor, end_of(chain).date)
    settled = settled_periods(schedule, anchor, first, last_owed, _closing(events, obligation, party))
    last = last_due_by(schedule, anchor, first, until)
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
                "term": term_holding(agreement, chain, occurrence.end) if chain is not None else duty["term"],
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


def _binding_until(end: Derived, obligation: Obligation) -> Derived:
    """The last day a surviving duty binds: its length counted from the day after the end or termination
    ("종료 후 3년간": 민법 제157조, the end day itself not counted)."""
    assert isinstance(obligation.survives, Duration)
    counted = term_end(end.date, obligation.survives, clause=obligation.clause)
    return Derived(counted.date, (*end.steps, *counted.steps))


def horizon_end(as_of: date, horizon: Duration) -> date:
    """The last day inside the horizon, counted like any period (the as-of day not counted, 민법 제157조):
    ``60d`` from 2025-11-01 is 2025-12-31."""
    return term_end(as_of, horizon).date
