"""What closed a finding that was mailed and is no longer reported: read from the events of its case file.

A digest lists under "해소된 항목" (resolved) only what was closed: by a record (a fulfilment, a waiver, a
notice that stops the renewal), or because it ended with the agreement (a termination, the end of the
term, the end of a survival, an amendment that took the duty away). What nobody did is never "resolved":
a finding that became another (a due that turned overdue, a notice window whose deadline passed into a
renewal, a role whose term closed into a lapse, a term that expired) is told as what it became
(:data:`BECOMES`, :func:`obligations.notify.plan.make_plan`), and an informational finding that simply
ages out of the look-back (a renewal, an expiry, a while ago) closes nothing (:func:`closure` is None).

The ledger keeps what an owner was told (code, agreement, date), not the party or obligation; those are
recovered from the finding's stable id (:func:`obligations.rulebook.finding_id`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from obligations.checking import rulebook
from obligations.model import Agreement, Event, Obligation
from obligations.notify.ledger import Mailed
from obligations.recurrence import EVERY, MAX_DAYS_AFTER_END, period, period_containing
from obligations.rulebook import finding_id
from obligations.terms import first_term_of, term_number_on

RENEWAL_CODES = ("notice-window", "renewed")
# What a finding turns into when its date passes and nobody acted: the same duty, party and occurrence
# (the same key of the id) under the code it became.
BECOMES: dict[str, tuple[str, ...]] = {
    "due-soon": ("overdue",),
    "notice-window": ("renewed",),
    "role-unfulfilled": ("role-lapsed",),
    "expiring": ("expired",),
    "final-term": ("expired",),
}
# Informational findings reported for a while after their date (rules/renewal.yaml, rules/term.yaml: the
# look-back of one horizon): when they stop, nothing was closed.
AGE_OUT = ("renewed", "expired")
# A finding's term is at most the renewal cap, which the model bounds at 100, when there is a cap.
MOST_TERMS = 102

_WHY = {
    "ko": {
        "fulfilled": "{day} 이행 기록 ({ref})",
        "waived": "{day} 면제 기록 ({ref})",
        "notice": "{day} {party}의 연장 거절 통지 기록 ({ref})",
        "terminated": "{day} {party}의 해지 기록 ({ref})",
        "ended": "협약기간이 끝나 더 이상 이행할 필요가 없음",
        "survival_ended": "종료 후 존속 기간이 끝남",
        "amended": "사건 파일이 바뀌어 이 의무나 당사자가 더 이상 없음",
        "gone": "{as_of} 기준 더 이상 해당하지 않음",
        "no_ref": "문서번호 없음",
    },
    "en": {
        "fulfilled": "fulfilled on {day} ({ref})",
        "waived": "waived on {day} ({ref})",
        "notice": "{party} recorded notice stopping the renewal on {day} ({ref})",
        "terminated": "{party} recorded termination on {day} ({ref})",
        "ended": "the term ended: nothing more is owed",
        "survival_ended": "the time it survives the end has run out",
        "amended": "the case file changed: this duty or party is no longer in it",
        "gone": "no longer reported as of {as_of}",
        "no_ref": "no reference",
    },
}


@dataclass(frozen=True)
class Closure:
    """What closed a finding: ``why`` is a key of the sentences above; a record's day, party and ref."""

    why: str
    event: Event | None = None


@cache
def rule_label(code: str, lang: str) -> str:
    """The label of a finding code in ``lang`` (the first rule that emits it), or ``""``."""
    return next((rule.label[lang] for rule in rulebook() if rule.code == code), "")


def _occurrences(told: Mailed, agreement: Agreement, obligation: Obligation | None) -> Iterator[str]:
    """The keys the told finding's id may have been made with (see ``finding_id``): term numbers ("0" for
    what is owed once; with no cap, also those about the finding's date), the periods of a recurring duty
    that fall due on its date, the records an evidence clock or a quiet spell may run from."""
    yield from (str(term) for term in range(MOST_TERMS))
    if told.due is not None:
        # Past a cap of 100 (no cap): the terms about the finding's date, the one holding it and each beside.
        holding = term_number_on(agreement, told.due)
        yield from (str(term) for term in range(max(MOST_TERMS, holding - 1), holding + 2))
    if told.due is not None and (obligation is None or obligation.schedule is not None):
        # A recurring duty's periods (of any length for a duty of the policy, whose schedule is not the
        # file's) that can fall due on the finding's date: at most a year and a day after they end.
        anchor = agreement.starts.year
        kinds = EVERY if obligation is None or obligation.schedule is None else (obligation.schedule.every,)
        for every in kinds:
            first = period_containing(every, anchor, told.due - timedelta(days=MAX_DAYS_AFTER_END + 1))
            last = period_containing(every, anchor, told.due)
            yield from (period(every, anchor, n).label for n in range(first.number, last.number + 1))
    if told.code == "dormant":  # a quiet spell runs from the start, the last record, or the policy's day
        begun = {e.date for e in agreement.events}
        if agreement.term is not None:
            begun.add(first_term_of(agreement).start)
        if agreement.policy is not None and agreement.policy.effective_from is not None:
            begun.add(agreement.policy.effective_from)
        yield from (str(day.toordinal()) for day in begun)
    if obligation is None:
        return
    if obligation.evidence_every is not None:
        yield from (str(e.date.toordinal()) for e in agreement.events if e.obligation == obligation.id)


def identify(told: Mailed, agreement: Agreement) -> tuple[str, str | None] | None:
    """(party, obligation) of the mailed finding, recomputed from its id; None when the case file no
    longer has them. The obligations are the file's and the duties of its policy (policy.yaml)."""
    items = {item.id: item for item in agreement.obligations}
    policy = agreement.policy.duties() if agreement.policy is not None else ()
    keys: list[str | None] = [None, *items, *policy]
    for party in agreement.parties:
        for key in keys:
            for occurrence in _occurrences(told, agreement, items.get(key) if key else None):
                if finding_id(told.code, agreement.id, party, key, occurrence) == told.finding_id:
                    return party, key
    return None


def _latest(events: list[Event]) -> Event | None:
    return max(events, key=lambda event: event.date) if events else None


def closure(told: Mailed, agreement: Agreement | None, as_of: date) -> Closure | None:
    """What closed ``told`` by ``as_of`` — a record, or the end of the agreement or of the duty — or None
    when nothing did (an informational finding that aged out of the look-back).

    A finding that became another is recognised before this is asked, from tonight's findings.
    """
    if agreement is None:
        return Closure("gone")
    known = [event for event in agreement.events if event.date <= as_of]
    found = identify(told, agreement)
    if found is None:
        return Closure("amended")
    party, key = found
    if key is not None:
        record = _latest(
            [
                e
                for e in known
                if e.type in ("fulfilled", "waived") and e.obligation == key and e.party in (None, party)
            ]
        )
        if record is not None:
            return Closure(record.type, record)
    if told.code == "dormant":  # quiet no more: a record on any of the agreement's own duties
        record = _latest([e for e in known if e.type == "fulfilled" and e.obligation is not None])
        if record is not None:
            return Closure("fulfilled", record)
    if told.code in RENEWAL_CODES:
        notice = _latest([e for e in known if e.type == "notice-given"])
        if notice is not None:
            return Closure("notice", notice)
    terminated = _latest([e for e in known if e.type == "terminated"])
    if terminated is not None:
        return Closure("terminated", terminated)
    if told.code == "surviving":
        item = next((o for o in agreement.obligations if o.id == key), None)
        return Closure("survival_ended" if item is not None and item.binds_after_end else "amended")
    if told.code == "role-unfulfilled":
        return Closure("ended")  # a role is owed while the agreement is in force (rules/duties.yaml)
    if told.code in AGE_OUT:
        return None
    return Closure("gone")


def why_resolved(told: Mailed, agreement: Agreement | None, as_of: date, lang: str) -> str:
    """One sentence in ``lang`` saying what closed ``told`` by ``as_of``."""
    words = _WHY[lang]
    closed = closure(told, agreement, as_of) or Closure("gone")
    event = closed.event
    if event is None:
        return words[closed.why].format(as_of=as_of)
    parties = agreement.parties if agreement is not None else {}
    name = parties[event.party].name if event.party in parties else ""
    return words[closed.why].format(day=event.date, party=name, ref=event.ref or words["no_ref"])
