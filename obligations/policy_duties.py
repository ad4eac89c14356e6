"""The duties of the body's policy (:mod:`obligations.policy`) compiled into facts, per agreement and party.

They become ordinary ``duty`` facts — a due day (an act deadline), the last fulfilment, the first waiver —
so the rules that flag any due (``due-soon``, ``overdue`` in rules/duties.yaml) flag them, the status shows
them as next deadlines and the calendar exports them; ``dormant`` reads a fact of its own (rules/policy.yaml).
Only the body's own parties owe them (:func:`obligations.policy.body_parties`). Every date is derived by the
date engine and begins with the policy's source, which ``explain`` prints.

- ``policy:review``: one occurrence per period of the review schedule whose due day (as the policy names
  it) falls while the agreement is in force; periods and due days are those of recurring duties
  (:mod:`obligations.recurrence`), the due day an act deadline (민법 제161조).
- ``policy:council-signing``: ``after_signing`` after the signing day (초일 불산입, 민법 제157조), an act
  deadline.
- ``policy:council-ending``: ``after_ending`` after the day the agreement ends (the last term, once nothing
  follows it) or is terminated, an act deadline.
- ``policy:renewal-review``: for each automatic renewal, the decision to keep or stop it is due
  ``renewal_review`` before the act-by day of the notice that would stop it, counted back like a notice
  (역산, never moved later). A renewal already stopped by an on-time notice needs no decision.
- ``dormant``: nothing recorded (fulfilled or waived) on the agreement's own obligations for
  ``dormant_after``, counted from the last record, or from the start.

A duty whose due day, as the policy names it, falls before the policy's ``from`` is not owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from obligations.dates import (
    Derived,
    Step,
    Term,
    act_deadline,
    notice_deadline,
    term_end,
)
from obligations.duration import Duration
from obligations.facts import NONE, Compiled, Fact, day_number, words_of
from obligations.model import COUNCIL_ENDING, COUNCIL_SIGNING, RENEWAL_REVIEW, REVIEW, Event, Policy, Schedule
from obligations.occurrences import last_due_by, settled_periods
from obligations.policy import body_parties
from obligations.recurrence import EVERY_KO, nominal_due, period, period_containing
from obligations.terms import Chain, end_of, renewals_left, term_holding, terms_ran
from obligations.workdays import WorkdayCalendar


@dataclass(frozen=True)
class _Duty:
    """One dated policy duty of the agreement, the same for every party that owes it."""

    obligation: str
    key: str  # what tells it apart from the other duties of the same obligation: a period, a term
    number: int  # the period's number (a review) or the term's (a renewal decision); 0 otherwise
    term: int
    named: date  # the due day as the policy names it (``from`` is compared with it)
    due: Derived  # the day to act by, its derivation beginning with the policy's source
    text: str
    period: str = ""
    period_ko: str = ""


@dataclass(frozen=True)
class _Reviews:
    """The reviews owed up to the horizon, and the range of periods owed at all (for settling records)."""

    first: int
    last_owed: int
    duties: tuple[_Duty, ...]


def compile_policy(
    compiled: Compiled, policy: Policy, events: Sequence[Event], calendar: WorkdayCalendar, until: date
) -> None:
    """Add the facts of ``policy`` for ``compiled.agreement`` (the text in force on the as-of day).

    The dates are the agreement's, computed once; which of them a party's records close is the party's.
    """
    agreement, chain = compiled.agreement, compiled.chain
    if chain is None:
        return
    reviews = _reviews(compiled, policy, chain, calendar, until)
    council = _council(compiled, policy, chain, calendar)
    terms, decisions = _decisions(compiled, policy, chain, calendar)
    for party in body_parties(agreement):
        closing = [e for e in events if e.type in ("fulfilled", "waived") and e.party in (None, party)]
        duties = [
            *_open_reviews(policy, agreement.starts.year, reviews, closing),
            *council,
            *_open_decisions(terms, decisions, closing),
        ]
        for duty in duties:
            if policy.effective_from is None or duty.named >= policy.effective_from:
                _add(compiled, policy, chain, party, duty, closing, calendar)
        if policy.dormant_after is not None:
            _dormancy(compiled, policy, chain, party, events)


def _act(policy: Policy, named: Derived, calendar: WorkdayCalendar) -> Derived:
    """The deadline to act for a day the policy names (민법 제161조), citing the policy first."""
    return act_deadline(Derived(named.date, (policy.cited(), *named.steps)), calendar)


def _closed(closing: Sequence[Event], obligation: str) -> tuple[list[Event], list[Event]]:
    """The fulfilments and the waivers of ``obligation`` among the party's closing events."""
    mine = [e for e in closing if e.obligation == obligation]
    return [e for e in mine if e.type == "fulfilled"], [e for e in mine if e.type == "waived"]


# -- policy:review --------------------


def _reviews(
    compiled: Compiled, policy: Policy, chain: Chain, calendar: WorkdayCalendar, until: date
) -> _Reviews:
    """One review per period whose named due day falls while the agreement is in force, from the first
    term's start (or ``from``) to the chain's end; only those due by ``until`` are dated."""
    review = policy.review
    if review is None:
        return _Reviews(0, -1, ())
    agreement = compiled.agreement
    anchor = agreement.starts.year
    start = max(chain.first.start, policy.effective_from or chain.first.start)
    first = _first_due_from(review, anchor, start)
    last_owed = last_due_by(review, anchor, first, end_of(chain).date)
    duties = []
    for number in range(first, min(last_owed, last_due_by(review, anchor, first, until)) + 1):
        occurrence = period(review.every, anchor, number)
        named = nominal_due(occurrence, review.due)
        duties.append(
            _Duty(
                REVIEW,
                occurrence.label,
                number,
                term_holding(agreement, chain, named.date),
                named.date,
                _act(policy, named, calendar),
                f"업무협약 추진 상황 점검·기록 ({EVERY_KO[review.every]})",
                occurrence.label,
                occurrence.korean(),
            )
        )
    return _Reviews(first, last_owed, tuple(duties))


def _open_reviews(policy: Policy, anchor: int, reviews: _Reviews, closing: Sequence[Event]) -> list[_Duty]:
    """The reviews a party's records leave open, settled like the occurrences of a recurring duty (a record
    without a period closes the earliest one open)."""
    if policy.review is None:
        return []
    mine = [e for e in closing if e.obligation == REVIEW]
    settled = settled_periods(policy.review, anchor, reviews.first, reviews.last_owed, mine)
    return [duty for duty in reviews.duties if duty.number not in settled]


def _first_due_from(schedule: Schedule, anchor: int, day: date) -> int:
    """The number of the first period whose named due day is on or after ``day`` (a due day falls on or
    after its period's end, at most a year and a day later: a step or two back from the period of ``day``)."""
    number = period_containing(schedule.every, anchor, day).number
    while nominal_due(period(schedule.every, anchor, number - 1), schedule.due).date >= day:
        number -= 1
    return number


# -- policy:council-signing, policy:council-ending --------------------


def _council(compiled: Compiled, policy: Policy, chain: Chain, calendar: WorkdayCalendar) -> list[_Duty]:
    """The reports to the council: after signing, and after the end once the agreement's end is known."""
    agreement = compiled.agreement
    duties = []
    after = policy.council.after_signing
    if after is not None:
        named = _counted(agreement.signed, after, "체결일", "the signing day")
        text = f"체결 후 {after.korean()} 이내 의회 보고"
        duties.append(_Duty(COUNCIL_SIGNING, "signed", 0, 0, named.date, _act(policy, named, calendar), text))
    after = policy.council.after_ending
    # The agreement ends once nothing follows the term in force: terminated, stopped by notice, or no
    # renewal left (none provided, or the cap reached).
    if after is not None and (chain.stopped_by is not None or renewals_left(agreement, chain.current) == 0):
        end = end_of(chain)
        how = "해지" if chain.ended_on is not None else "종료"
        counted = _counted(end.date, after, f"협약 {how}일", "the day the agreement ends")
        named = Derived(counted.date, (*end.steps, *counted.steps))
        text = f"협약 {how}({end.date}) 후 {after.korean()} 이내 의회 보고"
        term = chain.current.index
        duties.append(
            _Duty(COUNCIL_ENDING, "ended", 0, term, named.date, _act(policy, named, calendar), text)
        )
    return duties


def _counted(anchor: date, length: Duration, what_ko: str, what_en: str) -> Derived:
    """``length`` after ``anchor``, the anchor day not counted (초일 불산입, 민법 제157조)."""
    counted = term_end(anchor, length)
    intro = Step(f"{what_ko} {anchor}부터 {length.korean()} 이내", f"{length} after {what_en}, {anchor}")
    return Derived(counted.date, (intro, *counted.steps))


# -- policy:renewal-review --------------------


def _decisions(
    compiled: Compiled, policy: Policy, chain: Chain, calendar: WorkdayCalendar
) -> tuple[list[Term], list[_Duty]]:
    """A keep-or-stop decision before each automatic renewal — those that happened up to the term in force,
    and the next one while a renewal can still follow — with the terms they fall in."""
    agreement, lead = compiled.agreement, policy.renewal_review
    renewal = agreement.renewal
    if lead is None or renewal is None or not renewal.automatic:
        return [], []
    ran = terms_ran(agreement, chain, calendar, chain.current.index + 1)
    terms = [term for term, _ in ran]
    deadlines = [(i, notice) for i, (_, notice) in enumerate(ran) if notice is not None]
    following = renewals_left(agreement, chain.current) != 0
    if chain.notice is not None and following and chain.stopped_by is None:
        deadlines.append((len(terms) - 1, chain.notice))  # a renewal a notice has stopped needs no decision
    duties = []
    for i, deadline in deadlines:
        k = terms[i].index  # the term the decision falls in; it decides renewal k + 1
        act_by = deadline.act_by
        decide = notice_deadline(act_by.date, lead, calendar)
        steps = (
            policy.cited(),
            Step(
                f"{k + 1}차 자동 연장: 연장 거절 통지 처리 기한 {act_by.date}",
                f"renewal {k + 1}: the notice that stops it is due by {act_by.date}",
            ),
            *act_by.steps,
            Step(
                f"연장 여부(유지·중단) 결정: 그 처리 기한 {act_by.date}부터 {lead.korean()} 전까지 (역산)",
                f"the decision to keep or stop it: {lead} before that act-by day, counted back",
            ),
            *decide.act_by.steps,
        )
        # Counted back from a notice: never moved later (the day to act by is the legal day or before).
        due = Derived(decide.act_by.date, steps)
        text = f"{k + 1}차 자동 연장 여부(유지·중단) 결정 — 통지 기한 {act_by.date}의 {lead.korean()} 전까지"
        duties.append(_Duty(RENEWAL_REVIEW, f"renewal-{k + 1}", i, k, decide.legal.date, due, text))
    return terms, duties


def _open_decisions(
    terms: Sequence[Term], decisions: Sequence[_Duty], closing: Sequence[Event]
) -> list[_Duty]:
    """The decisions a party's records leave open: a record dated in a term closes that term's decision,
    a late one the earliest still open whose term had begun by its date."""
    done, waived = _closed(closing, RENEWAL_REVIEW)
    still = list(decisions)
    for event in sorted(done + waived, key=lambda e: e.date):
        within = [d for d in still if terms[d.number].start <= event.date <= terms[d.number].end.date]
        begun = within or [d for d in still if terms[d.number].start <= event.date]
        if begun:
            still.remove(begun[0])
    return still


# -- facts --------------------


def _add(
    compiled: Compiled,
    policy: Policy,
    chain: Chain,
    party: str,
    duty: _Duty,
    closing: Sequence[Event],
    calendar: WorkdayCalendar,
) -> None:
    """One policy duty of one party as a ``duty`` fact, with the words and the derivations its findings show.

    Reviews and renewal decisions arrive here open (their records are matched to them before); a council
    report is closed by any record of it, as a one-off due is.
    """
    once = duty.obligation in (COUNCIL_SIGNING, COUNCIL_ENDING)
    done, waived = _closed(closing, duty.obligation) if once else ([], [])
    due = duty.due
    end = end_of(chain)
    context = words_of(compiled.agreement, party)
    context.words.update(
        obligation=duty.obligation,
        clause=policy.source or "업무협약 관리 규정",
        text=duty.text,
        end=end.date.isoformat(),
        last_done=max(e.date for e in done).isoformat() if done else "",
        period=f" ({duty.period_ko}분, {duty.period})" if duty.period else "",
        period_en=f" (period {duty.period})" if duty.period else "",
        due=due.date.isoformat(),
    )
    context.derivations.update(due=due, end=end)
    fact: Fact = {
        "kind": "duty",
        "ref": f"duty:{duty.obligation}:{party}:{duty.key}",
        "party": party,
        "obligation": duty.obligation,
        "period": duty.period,
        "occurrence": duty.period or str(duty.term),  # the key of its id (obligations.rulebook.finding_id)
        "term": duty.term,
        "survives": 0,
        "role": 0,
        "term_start": day_number(chain.current.start),
        "term_end": day_number(end.date),
        "done": day_number(max(e.date for e in done)) if done else NONE,
        "done_in_term": 0,
        "due": day_number(due.date),
        "due_wd": calendar.workday_number(due.date),
        "waived": day_number(min(e.date for e in waived)) if waived else NONE,
        "evidence_due": NONE,
    }
    compiled.add(fact, context)


def _dormancy(compiled: Compiled, policy: Policy, chain: Chain, party: str, events: Sequence[Event]) -> None:
    """The fact ``dormant`` reads: since when nothing has been recorded on the agreement's own obligations,
    and the last day of quiet the policy allows (``quiet_until``)."""
    agreement = compiled.agreement
    assert policy.dormant_after is not None
    own = {item.id for item in agreement.obligations}
    records = [e for e in events if e.type in ("fulfilled", "waived") and e.obligation in own]
    last = max(records, key=lambda e: e.date, default=None)
    term = agreement.term
    # The quiet runs from the start (at 00:00 when the term says so), from the day after the last record
    # (초일 불산입, 민법 제157조), or from the day the policy took effect, which it does at 00:00.
    since, midnight = chain.first.start, term is not None and term.starts_at_midnight
    why = Step(
        f"협약의 의무에 관한 기록 없음: 협약 시작일 {since}부터",
        f"nothing recorded on the agreement's duties: counted from its start, {since}",
    )
    if last is not None and last.date >= since:
        ref = f" ({last.ref})" if last.ref else ""
        said = f"{last.date} {last.obligation}{ref}"
        since, midnight = last.date, False
        why = Step(f"마지막 기록: {said}", f"last record: {said}")
    effective = policy.effective_from
    if effective is not None and effective > since:
        since, midnight = effective, True
        why = Step(
            f"규정 시행일 {effective} 0시부터 셈", f"counted from the day the policy took effect, {effective}"
        )
    quiet = term_end(since, policy.dormant_after, starts_at_midnight=midnight)
    end = end_of(chain)
    context = words_of(agreement, party)
    context.words.update(
        since=since.isoformat(),
        quiet=policy.dormant_after.korean(),
        quiet_en=str(policy.dormant_after),
        clause=policy.source or "업무협약 관리 규정",
        end=end.date.isoformat(),
    )
    context.derivations["quiet_until"] = Derived(quiet.date, (policy.cited(), why, *quiet.steps))
    compiled.add(
        {
            "kind": "dormancy",
            "ref": f"dormancy:{party}",
            "party": party,
            "term": chain.current.index,
            "start": day_number(chain.first.start),
            "end": day_number(end.date),
            "since": day_number(since),
            "quiet_until": day_number(quiet.date),
        },
        context,
    )
