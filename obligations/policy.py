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
their ids (:data:`obligations.model.REVIEW` and its kin) as the event's ``obligation``. The file's shape is
:class:`obligations.model.Policy`, beside the case files' own: the agreements it binds hold it.
"""

from __future__ import annotations

import difflib

from obligations.model import POLICY_PREFIX, REVIEW, Agreement, Event, Location, Policy
from obligations.recurrence import LABEL_EXAMPLES, RecurrenceError, period_containing, period_of_label

POLICY = "policy.yaml"
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
