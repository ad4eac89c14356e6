"""The body's own rules for its agreements: ``policy.yaml`` beside ``contacts.yaml`` (docs/policy.md).

Local councils pass ordinances on managing 업무협약 because agreements are signed and then
forgotten (대전시 업무협약 관리 조례: 추진 상황 연 1회 이상 점검, 해지 시 의회 보고;
증평군 조례안: 체결 후 50일 이내 의회 보고). Such an ordinance binds the body that keeps the
registry, not its counterparts, so its duties fall on the body's own party of each agreement
(:func:`body_parties`) and are owned by that party's owners::

    source: "○○시 업무협약 관리 조례 제7조·제8조"
    from: 2025-07-01                    # the ordinance takes effect: what fell due before is not owed
    review: {every: year, due: 12-31}   # policy:review
    council: {after_signing: 50d, after_ending: 30d}   # policy:council-signing, policy:council-ending
    renewal_review: 30d                 # policy:renewal-review
    dormant_after: 12m                  # finding `dormant`

Every part is optional. The duties become ordinary obligation facts (:mod:`obligations.policy_duties`), so
the rules that flag any due (``due-soon``, ``overdue``) flag them too; they are recorded like any duty, with
their ids below as the event's ``obligation``.
"""

from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from obligations.dates import Step
from obligations.model import (
    POLICY_PREFIX,
    Agreement,
    Day,
    Event,
    Length,
    Line,
    Location,
    Schedule,
    _Strict,
)
from obligations.recurrence import LABEL_EXAMPLES, RecurrenceError, period_containing, period_of_label

POLICY = "policy.yaml"
REVIEW = "policy:review"
COUNCIL_SIGNING = "policy:council-signing"
COUNCIL_ENDING = "policy:council-ending"
RENEWAL_REVIEW = "policy:renewal-review"
# One good value per field, shown with every error about that field of policy.yaml.
EXAMPLES = {
    "source": 'source: "○○시 업무협약 관리 조례 제7조·제8조"',
    "from": "from: 2025-07-01",
    "review": "review: {every: year, due: 12-31}",
    "council": "council: {after_signing: 50d, after_ending: 30d}",
    "after_signing": "after_signing: 50d",
    "after_ending": "after_ending: 30d",
    "renewal_review": "renewal_review: 30d",
    "dormant_after": "dormant_after: 12m",
}


class Council(_Strict):
    """Reports to the local council (지방의회 보고) the ordinance requires."""

    after_signing: Length | None = None  # "체결 후 50일 이내 의회 보고"
    after_ending: Length | None = None  # "종료·해지 후 30일 이내 의회 보고"


class Policy(_Strict):
    """``policy.yaml``: what the body must do about each of its agreements."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, serialize_by_alias=True)

    source: Line | None = None  # the ordinance and its articles, cited by every date it sets
    # "from" is a Python keyword: the day the ordinance took effect (부칙 시행일); a duty that fell due
    # before it is not owed.
    effective_from: Annotated[Day | None, Field(alias="from")] = None
    review: Schedule | None = None  # 추진 상황 점검, as a recurring schedule: {every: year, due: 12-31}
    council: Council = Council()
    renewal_review: Length | None = None  # decide keep or stop this long before each notice act-by date
    dormant_after: Length | None = None  # nothing recorded on the agreement's own duties for this long

    @model_validator(mode="after")
    def _one_from(self) -> Policy:
        if self.review is not None and self.review.owed_from is not None:
            raise ValueError(
                "the policy's reviews are owed from the policy's own 'from' (the day it took effect), not "
                "from one of their own; e.g. 'from: 2025-07-01' at the top level and "
                "'review: {every: year, due: 12-31}'"
            )
        return self

    def duties(self) -> tuple[str, ...]:
        """The obligation ids of the duties this policy sets, as events name them."""
        named = {
            REVIEW: self.review,
            COUNCIL_SIGNING: self.council.after_signing,
            COUNCIL_ENDING: self.council.after_ending,
            RENEWAL_REVIEW: self.renewal_review,
        }
        return tuple(key for key, part in named.items() if part is not None)

    def cited(self) -> Step:
        """The first step of every date the policy sets: where the duty comes from."""
        if self.source is None:
            return Step(
                "근거: 기관의 업무협약 관리 규정 (policy.yaml, 출처 미기재)",
                "under the body's own rules for its agreements (policy.yaml; no source given)",
            )
        return Step(f"근거: {self.source} (policy.yaml)", f"under {self.source} (policy.yaml)")


def body_parties(agreement: Agreement) -> tuple[str, ...]:
    """The body's own parties: those with owners in the registry's contacts.

    The policy is the body's, and the parties it manages are the ones whose owners it names; a counterpart
    without owners owes nothing under the body's ordinance. An agreement where no party has owners has no
    party the policy can bind (the registry warns about it).
    """
    return tuple(key for key, party in agreement.parties.items() if party.owners)


def event_problems(agreement: Agreement, policy: Policy | None) -> list[tuple[Location, str]]:
    """Events that name a policy duty (``obligation: policy:…``) but do not fit the policy that binds the
    file, as (field location, message)."""
    problems: list[tuple[Location, str]] = []
    for i, event in enumerate(agreement.events):
        if event.obligation is None or not event.obligation.startswith(POLICY_PREFIX):
            continue
        problems += [
            (("events", i, *where), text) for where, text in _event_problems(agreement, policy, event)
        ]
    return problems


def _event_problems(agreement: Agreement, policy: Policy | None, event: Event) -> list[tuple[Location, str]]:
    duty = event.obligation
    assert duty is not None
    if agreement.kind != "agreement":
        return [(("obligation",), f"{duty!r} is a duty of the policy, which binds agreements, not plans")]
    if policy is None:
        return [
            (
                ("obligation",),
                f"{duty!r} is a duty of the body's policy, but no {POLICY} is read beside this file; add one "
                f"(e.g. 'review: {{every: year, due: 12-31}}') or name one of the file's own obligations",
            )
        ]
    if duty not in policy.duties():
        known = policy.duties()
        close = difflib.get_close_matches(duty, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [
            (
                ("obligation",),
                f"unknown policy duty {duty!r}{hint} ({POLICY} sets: {', '.join(known) or 'none'})",
            )
        ]
    ours = body_parties(agreement)
    if event.party is not None and event.party in agreement.parties and event.party not in ours:
        return [
            (
                ("party",),
                f"{event.party!r} is not the body's own party, which the policy binds (the parties with "
                f"owners: {', '.join(ours) or 'none'}); e.g. 'party: {ours[0] if ours else 'seoul'}'",
            )
        ]
    return _period_problems(agreement, policy, event, duty)


def _period_problems(
    agreement: Agreement, policy: Policy, event: Event, duty: str
) -> list[tuple[Location, str]]:
    """A review names its period like any recurring duty; the other policy duties have none."""
    if duty != REVIEW:
        if event.period is None:
            return []
        return [(("period",), f"{duty!r} is not recurring, so it has no periods; drop 'period'")]
    assert policy.review is not None
    every, anchor = policy.review.every, agreement.starts.year
    if event.period is None:
        if event.type != "waived":
            return []  # a review without a period settles the earliest one open
        example = period_containing(every, anchor, event.date).label
        return [(("period",), f"a 'waived' review names the period it waives, e.g. 'period: {example}'")]
    try:
        period_of_label(every, anchor, event.period)
    except RecurrenceError as error:
        return [(("period",), f"{error} (the policy's reviews recur every {every}: {LABEL_EXAMPLES[every]})")]
    return []
