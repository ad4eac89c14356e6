"""The chain of terms an agreement runs through, as its renewals, its amendments and its events decide it.

The term in force on a day is found by arithmetic from the anchor (the original term, or the base an
amendment set: :class:`obligations.amendments.Base`), not by walking the renewals, so daily renewals since
1900 cost what yearly ones do. The compiler (:mod:`obligations.compile`), the loader's checks and the views
all count terms here, so that none of them counts dates of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from itertools import pairwise

from obligations.amendments import Base, InForce, in_effect, reading_on, rebase
from obligations.dates import Derived, NoticeDeadline, Step, Term, first_term, renewal_term
from obligations.duration import Duration
from obligations.model import Agreement, Event, Renewal
from obligations.workdays import WorkdayCalendar

# The terms a role's lapses are looked for in, counting back from the term in force: a long chain of short
# renewals costs no more than a hundred terms (decades of yearly ones).
MOST_LAPSED_TERMS = 100


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


def chain_on(
    agreement: Agreement, events: tuple[Event, ...], as_of: date, calendar: WorkdayCalendar
) -> Chain:
    """The term in force on the as-of day under the readings of the agreement in force by then: each
    amendment takes the chain of the reading before it, on its date, as its base
    (:func:`obligations.amendments.rebase`)."""
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


def term_holding(agreement: Agreement, chain: Chain, day: date) -> int:
    """The number of the term (0 = the original) that ``day`` falls in, up to the term in force; by
    arithmetic from the anchor, like :func:`chain_on`."""
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
    current = chain_on(agreement, known, end, WorkdayCalendar()).current
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
def following_term(first: Term, length: Duration, index: int, clause: str | None) -> Term:
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
    left = renewals_left(agreement, current)
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


def terms_up_to_now(agreement: Agreement, chain: Chain) -> tuple[Term, ...]:
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


def _notice_counts(agreement: Agreement, base: Base, event: Event) -> bool:
    """A notice that stops a renewal, judged by the notice clause of its own day
    (see :class:`obligations.amendments.Base`)."""
    return event.type == "notice-given" and base.accepts(event, stops_renewal(agreement, event))


def stops_renewal(agreement: Agreement, event: Event) -> bool:
    """A notice-given event the agreement accepts: by a party allowed to give it, in the required form."""
    if event.type != "notice-given" or agreement.renewal is None:
        return False
    notice = agreement.renewal.notice
    allowed = not notice.by or event.party in notice.by
    # A notice recorded without its form is taken at its word; one recorded as not written does not meet 서면.
    form_ok = notice.form == "any" or event.form != "any"
    return allowed and form_ok


def renewals_left(agreement: Agreement, term: Term) -> int:
    """How many automatic renewals may still follow ``term``: -1 without a cap, 0 when none can."""
    renewal = agreement.renewal
    if renewal is None or not renewal.automatic:
        return 0
    return -1 if renewal.max_renewals is None else max(renewal.max_renewals - term.index, 0)


def end_of(chain: Chain) -> Derived:
    """The last day of the term in force, or the day a termination ended it, with its derivation."""
    return _terminated(chain.current, chain) if chain.ended_on else chain.current.end


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
