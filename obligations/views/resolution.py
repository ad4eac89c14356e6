"""Why a finding that was mailed is no longer reported: read from the events of its case file.

The ledger keeps what an owner was told (code, agreement, date), not the party or obligation; those are
recovered from the finding's stable id (:func:`obligations.rulebook.finding_id`), and the case file's
events then say what happened: who recorded notice on what day, the fulfilment's ref, a termination, or
simply that the date passed (the term ended, the renewal took effect).
"""

from __future__ import annotations

from datetime import date
from functools import cache

from obligations.checking import rulebook
from obligations.model import Agreement, Event
from obligations.notify.ledger import Mailed
from obligations.rulebook import finding_id

RENEWAL_CODES = ("notice-window", "renewed")
TERM_CODES = ("expiring", "final-term", "expired", "surviving")
# A finding's term is at most the renewal cap, which the model bounds at 100.
MOST_TERMS = 102

_WHY = {
    "ko": {
        "fulfilled": "{day} 이행 기록 ({ref})",
        "notice": "{day} {party}의 연장 거절 통지 기록 ({ref})",
        "terminated": "{day} {party}의 해지 기록 ({ref})",
        "renewed": "통지 기한 {due}이 지나 다음 기간으로 자동 연장됨",
        "term_ended": "협약기간이 {due}에 끝남",
        "passed": "기한 {due}이 지나 더 이상 해당하지 않음",
        "gone": "{as_of} 기준 더 이상 해당하지 않음",
        "no_ref": "문서번호 없음",
    },
    "en": {
        "fulfilled": "fulfilled on {day} ({ref})",
        "notice": "{party} recorded notice stopping the renewal on {day} ({ref})",
        "terminated": "{party} recorded termination on {day} ({ref})",
        "renewed": "the notice deadline {due} passed: the next term began by itself",
        "term_ended": "the term ended on {due}",
        "passed": "the date {due} passed",
        "gone": "no longer reported as of {as_of}",
        "no_ref": "no reference",
    },
}


@cache
def rule_label(code: str, lang: str) -> str:
    """The label of a finding code in ``lang`` (the first rule that emits it), or ``""``."""
    return next((rule.label[lang] for rule in rulebook() if rule.code == code), "")


def _identify(told: Mailed, agreement: Agreement) -> tuple[str, str | None] | None:
    """(party, obligation) of the mailed finding, recomputed from its id."""
    policy = agreement.policy.duties() if agreement.policy is not None else ()  # policy.yaml's duties
    obligations: list[str | None] = [None, *(item.id for item in agreement.obligations), *policy]
    for party in agreement.parties:
        for obligation in obligations:
            for term in range(MOST_TERMS):
                if finding_id(told.code, agreement.id, party, obligation, term) == told.finding_id:
                    return party, obligation
    return None


def _latest(events: list[Event]) -> Event | None:
    return max(events, key=lambda event: event.date) if events else None


def why_resolved(told: Mailed, agreement: Agreement | None, as_of: date, lang: str) -> str:
    """One sentence in ``lang`` saying why ``told`` is no longer reported on ``as_of``."""
    words = _WHY[lang]
    if agreement is None:
        return words["gone"].format(as_of=as_of)
    known = [event for event in agreement.events if event.date <= as_of]
    found = _identify(told, agreement)
    party, obligation = found if found is not None else (None, None)

    def said(key: str, event: Event) -> str:
        name = agreement.parties[event.party].name if event.party in agreement.parties else ""
        return words[key].format(day=event.date, party=name, ref=event.ref or words["no_ref"])

    if obligation is not None:
        done = _latest(
            [
                e
                for e in known
                if e.type == "fulfilled" and e.obligation == obligation and e.party in (None, party)
            ]
        )
        if done is not None:
            return said("fulfilled", done)
    if told.code in RENEWAL_CODES:
        notice = _latest([e for e in known if e.type == "notice-given"])
        if notice is not None:
            return said("notice", notice)
    terminated = _latest([e for e in known if e.type == "terminated"])
    if terminated is not None:
        return said("terminated", terminated)
    if told.due is not None and told.due < as_of:
        key = (
            "renewed" if told.code in RENEWAL_CODES else "term_ended" if told.code in TERM_CODES else "passed"
        )
        return words[key].format(due=told.due)
    return words["gone"].format(as_of=as_of)
