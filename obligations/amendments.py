"""Amendments (변경협약): the agreement as it reads from each amendment's date on, with its history kept.

An ``amended`` event may carry ``changes`` keyed by the case file's own field paths (``term.end``,
``renewal.notice.lead``, ``obligations.add`` …). From the event's date on the agreement reads as if the file
had those values; what fell due before that date is judged under the old ones. This module gives

- the *readings* of an agreement: the signed text, then the text as each amendment leaves it, in date order,
  each with the day it takes effect (:func:`readings`, :func:`reading_on`);
- the *duties* known on a day: every obligation the agreement ever had, with the amendment that added it
  (owed from its date) or removed it (owed only for what fell due before its date) (:func:`duties_on`);
- the *base* of each reading's renewals (:class:`Base`, :func:`rebase`): the term in force on the amendment
  date, with the end the amendment gives it, from which later renewals are counted, and the notice deadline
  that was already decided under the old text;
- the problems of a file's amendments, as (field location, message) (:func:`amendment_problems`).

Every date an amendment moves carries a step naming it (date and ``ref``), so ``explain`` cites the 변경협약.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from obligations.dates import Derived, NoticeDeadline, Step, Term, notice_deadline, term_end
from obligations.model import Agreement, Event, Location, Obligation, Renewal
from obligations.recurrence import RecurrenceError, period_of_label, term_of_label
from obligations.workdays import WorkdayCalendar

ONE_DAY = dt.timedelta(days=1)
TERM_KEYS = ("term.end", "term.length")


class AmendmentError(ValueError):
    """An amendment that cannot apply; ``where`` is the field in the event: ``('changes', 'term.end')``."""

    def __init__(self, event: Event, where: Location, message: str) -> None:
        super().__init__(message)
        self.event = event
        self.where = where


def amendments(agreement: Agreement) -> tuple[Event, ...]:
    """The ``amended`` events that carry changes, in date order (the file's order on the same day)."""
    return tuple(sorted((e for e in agreement.events if e.changes is not None), key=lambda e: e.date))


def citation(event: Event, what_ko: str, what_en: str) -> Step:
    """The step that names the amendment in a derivation: ``변경협약(2025-09-01, 변경협약서 제1조): …``."""
    ref = f", {event.ref}" if event.ref else ""
    return Step(
        f"변경협약({event.date.isoformat()}{ref}): {what_ko}", f"amendment ({event.date}{ref}): {what_en}"
    )


def cited(derived: Derived, steps: tuple[Step, ...]) -> Derived:
    """``derived`` with ``steps`` in front (the last step, which states the date, stays last)."""
    return derived if not steps else Derived(derived.date, (*steps, *derived.steps))


# -- the text as amended --------------------


@dataclass(frozen=True)
class Reading:
    """The agreement as it reads from ``since`` on (``None``: from the start), and the amendment behind it."""

    since: dt.date | None
    text: Agreement
    amendment: Event | None = None


def readings(agreement: Agreement) -> tuple[Reading, ...]:
    """The signed text, then the text after each amendment, in date order.

    >>> [r.since for r in readings(Agreement.model_validate(_EXAMPLE))]
    [None, datetime.date(2025, 9, 1)]
    """
    found = [Reading(None, agreement)]
    for event in amendments(agreement):
        found.append(Reading(event.date, amend(found[-1].text, event), event))
    return tuple(found)


def reading_on(agreement: Agreement, day: dt.date) -> tuple[Reading, ...]:
    """The readings that have taken effect by ``day``, the one in force last."""
    return tuple(r for r in readings(agreement) if r.since is None or r.since <= day)


def amend(text: Agreement, event: Event) -> Agreement:
    """``text`` with the changes of ``event``; :class:`AmendmentError` when they cannot apply to it."""
    assert event.changes is not None
    changes = event.changes.given()
    update: dict[str, Any] = {}
    if any(key in changes for key in TERM_KEYS):
        if text.term is None:
            key = next(key for key in TERM_KEYS if key in changes)
            raise AmendmentError(event, ("changes", key), "a plan without a term has no term to change")
        update["term"] = text.term.model_copy(
            update={"end": changes.get("term.end"), "length": changes.get("term.length")}
        )
    renewal = {
        key.removeprefix("renewal."): value for key, value in changes.items() if key.startswith("renewal.")
    }
    if renewal:
        update["renewal"] = _renewal(text, event, renewal)
    removed = set(event.changes.obligations_remove)
    for i, key in enumerate(event.changes.obligations_remove):
        if text.obligation(key) is None:
            known = ", ".join(item.id for item in text.obligations) or "none"
            raise AmendmentError(
                event,
                ("changes", "obligations.remove", i),
                f"unknown obligation {key!r}; the obligations in force on {event.date} are: {known}",
            )
    added = tuple(_owed_from(item, event.date) for item in event.changes.obligations_add)
    for i, item in enumerate(added):
        if any(old.id == item.id for old in text.obligations):
            raise AmendmentError(
                event,
                ("changes", "obligations.add", i, "id"),
                f"obligation {item.id!r} already exists; ids stay unique over the agreement's history, "
                f"so give the new duty its own, e.g. 'id: {item.id}-2'",
            )
    if removed or added:
        update["obligations"] = (*(o for o in text.obligations if o.id not in removed), *added)
    return text.model_copy(update=update)


def _renewal(text: Agreement, event: Event, changes: dict[str, Any]) -> Renewal:
    """The renewal clause as amended, validated like the file's own."""
    if text.renewal is None and "length" not in changes:
        key = f"renewal.{next(iter(changes))}"
        raise AmendmentError(
            event,
            ("changes", key),
            "the agreement has no renewal clause to change; an amendment that adds one gives its length, "
            "e.g. 'renewal.length: 1y'",
        )
    data: dict[str, Any] = text.renewal.model_dump() if text.renewal is not None else {}
    notice = dict(data.get("notice", {}))
    for key, value in changes.items():
        if key.startswith("notice."):
            notice[key.removeprefix("notice.")] = value
        else:
            data[key] = value
    data["notice"] = notice
    try:
        return Renewal.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise AmendmentError(
            event, ("changes",), f"the renewal clause would not be valid: {first['msg']}"
        ) from None


def _owed_from(obligation: Obligation, day: dt.date) -> Obligation:
    """An added recurring duty is owed for the periods from the amendment on, unless it says otherwise."""
    schedule = obligation.schedule
    if schedule is None or schedule.owed_from is not None:
        return obligation
    return obligation.model_copy(update={"schedule": schedule.model_copy(update={"owed_from": day})})


# -- the duties known on a day --------------------


@dataclass(frozen=True)
class Duty:
    """One obligation as it binds on the as-of day: ``added`` by an amendment (owed from its date) or
    ``removed`` by one (owed only for what fell due before its date), or neither."""

    obligation: Obligation
    added: Event | None = None
    removed: Event | None = None

    @property
    def owed_until(self) -> dt.date | None:
        """The last day by which something of a removed duty can have fallen due."""
        return self.removed.date - ONE_DAY if self.removed is not None else None


def duties_on(agreement: Agreement, day: dt.date) -> tuple[Duty, ...]:
    """Every obligation known on ``day``, in the order of the file and then of the amendments.

    A removed duty keeps only what fell due before the removal: its one-off due if that came first, its
    occurrences and a role's lapsed terms (the caller stops them at :attr:`Duty.owed_until`); a role, an
    evidence clock and survival end with it.
    """
    duties = {item.id: Duty(item) for item in agreement.obligations}
    for event in (e for e in amendments(agreement) if e.date <= day):
        assert event.changes is not None
        for key in event.changes.obligations_remove:
            if key in duties:
                duties[key] = replace(duties[key], removed=event)
        for item in event.changes.obligations_add:
            duties[item.id] = Duty(_owed_from(item, event.date), added=event)
    return tuple(duty for duty in map(_still_binding, duties.values()) if duty is not None)


def _still_binding(duty: Duty) -> Duty | None:
    if duty.removed is None:
        return duty
    item = duty.obligation
    # A role expected once per term stays for the lapses of the terms that ended before its removal.
    if (
        item.schedule is None
        and not item.once_per_term
        and (item.due is None or item.due >= duty.removed.date)
    ):
        return None
    return replace(duty, obligation=item.model_copy(update={"survives": False, "evidence_every": None}))


# -- where renewals are counted from --------------------


@dataclass(frozen=True)
class Base:
    """Where a reading counts its renewals from, and what was settled before it took effect.

    ``term`` is the term renewals are counted from (the original, or the term whose end an amendment
    moved); its index is the term's own number, so the k-th renewal keeps its number and its findings
    their ids. ``since`` is the number of the term in force when the reading took effect: whether the terms
    before it renewed was settled under earlier readings, so the chain is searched from it. ``decided`` are
    the notice deadlines that fell (or were met) before an amendment and stay as they were, by the number
    of the term they end; ``renews`` says that the renewal after term ``since`` was decided so (its
    deadline passed with no notice) before the amendment. ``notice_steps`` name the amendments that changed
    the lead; ``earlier`` are the terms that ran before ``term`` under earlier readings, with their deadlines.
    """

    term: Term
    since: int = 0
    decided: Mapping[int, NoticeDeadline] = field(default_factory=dict)
    notice_steps: tuple[Step, ...] = ()
    earlier: tuple[tuple[Term, NoticeDeadline | None], ...] = ()
    renews: bool = False
    # The notices recorded before the reading took effect that the text of their day accepted (its form
    # and the parties it allowed): they are not judged again under an amended notice clause.
    accepted_before: tuple[dt.date, tuple[Event, ...]] | None = None

    def accepts(self, event: Event, now: bool) -> bool:
        """Whether a notice-given ``event`` counts: judged by the text of its own day (``now``: the
        text in force accepts it)."""
        if self.accepted_before is not None and event.date < self.accepted_before[0]:
            return event in self.accepted_before[1]
        return now

    @property
    def floor(self) -> int:
        """The last term that follows whatever the amended text says: the one in force, or the renewal
        already decided after it."""
        return self.since + self.renews

    def notice(self, term: Term, renewal: Renewal, calendar: WorkdayCalendar) -> NoticeDeadline:
        """The deadline of the notice that stops the renewal after ``term``."""
        if term.index in self.decided:
            return self.decided[term.index]
        deadline = notice_deadline(term.end.date, renewal.notice.lead, calendar, clause=renewal.clause)
        steps = (*term.basis, *self.notice_steps)
        if not steps:
            return deadline
        return NoticeDeadline(cited(deadline.legal, steps), cited(deadline.act_by, steps))


@dataclass(frozen=True)
class InForce:
    """What the reading before an amendment says on the amendment's date."""

    term: Term  # the term in force (or the last one, if the chain ended before)
    previous_notice: NoticeDeadline | None  # the deadline that let it begin (None for the original term)
    notice: NoticeDeadline | None  # its notice deadline, if a renewal may follow it
    stopped_on: dt.date | None  # the day a notice or a termination stopped the chain, if one did
    ended_on: dt.date | None  # the termination day
    earlier: tuple[tuple[Term, NoticeDeadline | None], ...]  # the terms that ran before ``term``
    accepted: tuple[Event, ...]  # the notices before the amendment that the text of their day accepted


def rebase(base: Base, before: InForce, text: Agreement, reading: Reading, calendar: WorkdayCalendar) -> Base:
    """The base of ``reading`` (its ``text`` before the amendment is ``text``), given where the previous
    reading stands on the amendment date.

    The term in force on that date takes the amended end (``term.end``; ``term.length`` counted from its
    start; in a renewal term, ``renewal.length``), and renewals after it are counted from there. Its notice
    deadline stays as it was when it passed before the amendment, when a notice met it before the
    amendment, or when the amended lead would put it before the amendment date: an amendment does not
    reach back.
    """
    event = reading.amendment
    assert event is not None and event.changes is not None
    day, changes = event.date, event.changes.given()
    last = before.ended_on or before.term.end.date
    if last < day:
        raise AmendmentError(
            event,
            ("date",),
            f"the amendment is dated {day}, after the agreement ended on {last}; an amendment changes an "
            f"agreement in force, e.g. 'date: {last}'",
        )
    if before.ended_on is not None and any(key in changes for key in (*TERM_KEYS, "renewal.length")):
        key = next(key for key in (*TERM_KEYS, "renewal.length") if key in changes)
        raise AmendmentError(
            event, ("changes", key), f"the agreement was terminated on {before.ended_on}; its end cannot move"
        )
    end = _amended_end(before.term, event, changes, text)
    term = base.term
    if end is not None:
        if end.date < day:
            key = next((key for key in (*TERM_KEYS, "renewal.length") if key in changes), "term.end")
            raise AmendmentError(
                event,
                ("changes", key),
                f"the term in force ({before.term.start} to {before.term.end.date}) would end on {end.date}, "
                f"before the amendment takes effect on {day}; e.g. 'term.end: {before.term.end.date}'",
            )
        moved = citation(event, f"만료일 변경 → {end.date}", f"the term now ends on {end.date}")
        term = Term(before.term.index, before.term.start, end, basis=(*before.term.basis, moved))
        earlier = before.earlier
    else:
        earlier = base.earlier
        if "renewal.length" in changes:  # renewals after the original term, counted with the new length
            counted = citation(
                event, f"갱신 기간 변경 → {changes['renewal.length'].korean()}", "new renewal length"
            )
            term = replace(term, basis=(*term.basis, counted))
    notice_steps = base.notice_steps
    if "renewal.notice.lead" in changes:
        lead = changes["renewal.notice.lead"]
        said = lead.korean() if lead is not None else "정하지 않음"
        notice_steps = (
            *notice_steps,
            citation(event, f"통지 기간 변경 → {said}", f"notice lead now {lead}"),
        )
    index = before.term.index
    decided = {**base.decided, **{t.index: notice for t, notice in before.earlier if notice is not None}}
    if before.previous_notice is not None:
        decided[index - 1] = before.previous_notice
    rebased = Base(term, index, decided, notice_steps, earlier, accepted_before=(day, before.accepted))
    if before.notice is not None and reading.text.renewal is not None:
        in_force = term if end is not None else before.term
        new = rebased.notice(in_force, reading.text.renewal, calendar)
        passed = before.notice.legal.date < day
        met = before.stopped_on is not None and before.stopped_on < day
        if passed or met or new.legal.date < day:
            rebased = replace(rebased, decided={**decided, index: before.notice}, renews=passed and not met)
    return rebased


def in_effect(text: Agreement, base: Base) -> Agreement:
    """``text`` as it binds from its base: a renewal decided before the amendment still follows, even when
    the amendment turns automatic renewal off or lowers the cap below it (then it is the last one)."""
    renewal = text.renewal
    if renewal is None or not base.renews:
        return text
    cap = renewal.max_renewals
    if renewal.automatic and (cap is None or cap >= base.floor):
        return text
    kept = renewal.model_copy(update={"automatic": True, "max_renewals": base.floor})
    return text.model_copy(update={"renewal": kept})


def _amended_end(term: Term, event: Event, changes: dict[str, Any], text: Agreement) -> Derived | None:
    """The end the amendment gives the term in force, or None when it leaves it."""
    if "term.end" in changes:
        end: dt.date = changes["term.end"]
        if end < term.start:
            raise AmendmentError(
                event,
                ("changes", "term.end"),
                f"the term in force starts on {term.start}; it cannot end before, on {end}; "
                f"e.g. 'term.end: {term.end.date}'",
            )
        stated = citation(event, f"유효기간 만료일 변경 → {end}", f"the term is to end on {end}")
        return Derived(end, (stated, Step(f"기간의 만료일: {end}", f"the period ends on {end}")))
    renewal_term = term.index >= 1
    length = changes.get("term.length") or (changes.get("renewal.length") if renewal_term else None)
    if length is None:
        return None
    original = text.term
    assert original is not None
    counted = term_end(
        term.start,
        length,
        starts_at_midnight=renewal_term or original.starts_at_midnight,
        first_day_counts=not renewal_term and original.first_day_counts,
    )
    stated = citation(
        event, f"기간 변경 → 시작일부터 {length.korean()}", f"this term runs {length} from its start"
    )
    return cited(counted, (stated,))


# -- problems --------------------


def amendment_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """What is wrong with a file's amendments as text: changes that cannot apply, obligations added with
    unknown parties, events that name an obligation before it was added or after it was removed.

    Problems that need the chain of terms (an amendment after the end, an end before the amendment) come
    from :func:`rebase` when the agreement is compiled.
    """
    problems: list[tuple[Location, str]] = []
    parties = ", ".join(agreement.parties)
    index = {id(event): i for i, event in enumerate(agreement.events)}
    text = agreement
    added: dict[str, Event] = {}
    removed: dict[str, Event] = {}
    for event in amendments(agreement):
        where: Location = ("events", index[id(event)])
        if agreement.kind == "plan" and event.date < agreement.signed:
            problems.append(
                ((*where, "date"), f"the amendment is dated before the plan ({agreement.signed})")
            )
        try:
            text = amend(text, event)
        except AmendmentError as error:
            problems.append(((*where, *error.where), str(error)))
            return problems  # later amendments read the text this one would have made
        assert event.changes is not None
        for i, item in enumerate(event.changes.obligations_add):
            if item.id in removed:  # its history (what fell due before the removal) keeps the id
                problems.append(
                    (
                        (*where, "changes", "obligations.add", i, "id"),
                        f"obligation {item.id!r} was removed on {removed[item.id].date}; ids stay unique "
                        f"over the agreement's history, so give the new duty its own, e.g. 'id: {item.id}-2'",
                    )
                )
            added[item.id] = event
            problems.extend(
                ((*where, "changes", "obligations.add", i, *at), m) for at, m in _early(item, event)
            )
            for key in item.party:
                if key not in agreement.parties:
                    problems.append(
                        (
                            (*where, "changes", "obligations.add", i, "party"),
                            f"unknown party {key!r}; the parties of this file are: {parties}",
                        )
                    )
        for key in event.changes.obligations_remove:
            removed[key] = event
        by = (event.changes.renewal_notice_by or ()) if text.renewal is not None else ()
        for key in by:
            if key not in agreement.parties:
                problems.append(
                    (
                        (*where, "changes", "renewal.notice.by"),
                        f"unknown party {key!r}; the parties: {parties}",
                    )
                )
    for i, event in enumerate(agreement.events):
        if event.obligation is None:
            continue
        if event.obligation in added and event.date < added[event.obligation].date:
            when = added[event.obligation].date
            problems.append(
                (
                    ("events", i, "obligation"),
                    f"obligation {event.obligation!r} is added by the amendment of {when}; an event dated "
                    f"{event.date} cannot name it (e.g. 'date: {when}')",
                )
            )
        gone = removed.get(event.obligation)
        if gone is not None and event.date >= gone.date and not _closes_what_fell_due(agreement, event, gone):
            problems.append(
                (
                    ("events", i, "obligation"),
                    f"obligation {event.obligation!r} was removed by the amendment of {gone.date}; an event "
                    f"on or after that date can only close what fell due before it (e.g. 'period: …' of an "
                    f"earlier occurrence, or 'date: {gone.date - ONE_DAY}')",
                )
            )
    return problems


def _early(item: Obligation, event: Event) -> list[tuple[Location, str]]:
    """An added duty cannot fall due before the amendment that adds it: the past is judged as it was."""
    day = event.date
    if item.due is not None and item.due < day:
        return [
            (
                ("due",),
                f"an added duty cannot fall due ({item.due}) before the amendment ({day}); e.g. 'due: {day}'",
            )
        ]
    if item.schedule is not None and item.schedule.owed_from is not None and item.schedule.owed_from < day:
        start = item.schedule.owed_from
        return [
            (
                ("schedule", "from"),
                f"an added duty is owed from the amendment ({day}) on, not from {start}; e.g. 'from: {day}'",
            )
        ]
    return []


def _closes_what_fell_due(agreement: Agreement, event: Event, removal: Event) -> bool:
    """Whether a record after a duty's removal settles something that fell due before it (still owed)."""
    if event.type not in ("fulfilled", "waived"):
        return False
    item = next((o for o in agreement.obligations if o.id == event.obligation), None)
    if item is None:
        return False
    if item.due is not None:
        return item.due < removal.date
    if item.once_per_term and event.period is not None:
        days = term_of_label(event.period)  # a role's term that ended before the removal (a lapse)
        return days is not None and days[1] < removal.date
    if item.schedule is None or event.period is None:
        return False
    try:
        return period_of_label(item.schedule.every, agreement.starts.year, event.period).end < removal.date
    except RecurrenceError:
        return False


_EXAMPLE = {
    "id": "example",
    "title": "예시",
    "signed": "2025-03-14",
    "parties": {"city": {"name": "○○시"}},
    "term": {"length": "1y"},
    "events": [{"date": "2025-09-01", "type": "amended", "changes": {"term.end": "2026-06-30"}}],
}
