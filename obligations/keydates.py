"""Key dates of a registry for calendar export: act-by dates of notices, renewals, expiries and dues.

A term that renews by itself does not end for the reader: its boundary is shown as the next term's start
(a renewal); an expiry is shown only where nothing follows (cap reached, notice recorded, no automatic
renewal). A renewal already stopped by a recorded notice has neither an act-by date nor a start any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from obligations.compile import compile_agreement, horizon_end
from obligations.duration import Duration
from obligations.facts import Context, Fact
from obligations.registry import Registry
from obligations.rulebook import day_of

Kind = Literal["act-by", "renewal", "term-end", "due"]
# Occurrences of recurring duties are exported as far ahead as this (all open ones before it, too).
AHEAD = Duration(years=1)

TITLES = {
    "ko": {
        "act-by": "[통지 기한] {title}: {to_term}차 자동 연장({start}~{end})을 원하지 않으면 {form}통지",
        "renewal": "[자동 연장] {title}: {to_term}차 연장 기간 시작 ({start}~{end}, 통지가 없을 때)",
        "term-end": "[만료] {title}: 협약기간 종료 ({start}~{end}), 이어지는 기간 없음",
        "due": "[기한] {title}: {clause} {text}{period}",
    },
    "en": {
        "act-by": "[notice deadline] {title}: give {form_en}notice to stop renewal {to_term} "
        "({start} to {end})",
        "renewal": "[renewal] {title}: renewal {to_term} begins ({start} to {end}) unless notice is given",
        "term-end": "[expiry] {title}: the term ends ({start} to {end}); nothing follows",
        "due": "[due] {title}: {clause} {text}{period_en}",
    },
}


@dataclass(frozen=True)
class KeyDate:
    uid: str  # stable across exports: the same obligation keeps its uid when its date moves
    kind: Kind
    date: date
    agreement: str
    agreement_title: str
    party: str | None
    obligation: str | None
    summary: str  # one line in the export's language, e.g. "[자동 연장] 청소년쉼터 …: 1차 연장 기간 시작 (…)"
    description: tuple[str, ...]  # the derivation of the date, line by line
    owners: tuple[str, ...]


def key_dates(registry: Registry, as_of: date, lang: str = "ko") -> list[KeyDate]:
    """Every dated thing the registry knows on ``as_of``: the notice act-by date and the start of each
    renewal, the end of a term that nothing follows, each one-off due, and each open occurrence of a recurring
    duty due within a year. One event per agreement and date (not per party): the act-by date of a notice is
    the same for every party that may give it, and an occurrence is one report whoever sends it."""
    result: dict[str, KeyDate] = {}
    for case in registry.cases:
        agreement = case.agreement
        compiled = compile_agreement(agreement, as_of, registry.calendar, until=horizon_end(as_of, AHEAD))
        owners = tuple(
            dict.fromkeys(o for party in agreement.parties for o in registry.owners_of(agreement, party))
        )
        for fact in compiled.facts:
            context = compiled.contexts[fact["ref"]]
            for item in _key_dates(agreement.id, agreement.title, fact, context, owners, lang):
                result.setdefault(item.uid, item)
    return sorted(result.values(), key=lambda item: (item.date, item.uid))


def _key_dates(
    agreement: str, title: str, fact: Fact, context: Context, owners: tuple[str, ...], lang: str
) -> list[KeyDate]:
    words = {**context.words, "title": title}
    # (kind, the fact's day field, the derivation shown, obligation, uid)
    found: list[tuple[Kind, str, str, str | None, str]] = []
    if fact["kind"] == "renewal" and not fact["notice_on"]:
        term = fact["to_term"]
        found.append(("act-by", "act_by", "act_by", None, f"{agreement}/act-by/term-{term}"))
        found.append(("renewal", "starts", "legal", None, f"{agreement}/renewal/term-{term}"))
    elif fact["kind"] == "term" and not fact["follows"]:  # the same field the expiring rule reads
        found.append(("term-end", "end", "end", None, f"{agreement}/term-end/term-{fact['term']}"))
    elif fact.get("due") and "obligation" in fact:
        obligation = str(fact["obligation"])
        # An occurrence keeps its uid per obligation and period: the same event in every export.
        uid = f"{agreement}/due/{obligation}" + (f"/{fact['period']}" if fact.get("period") else "")
        found.append(("due", "due", "due", obligation, uid))
    return [
        KeyDate(
            uid=uid,
            kind=kind,
            date=day_of(fact[field]),
            agreement=agreement,
            agreement_title=title,
            party=None,
            obligation=obligation,
            summary=TITLES[lang][kind].format_map(words),
            description=tuple(context.derivations[derivation].lines(lang)),
            owners=owners,
        )
        for kind, field, derivation, obligation, uid in found
    ]
