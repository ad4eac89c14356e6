"""Key dates of a registry (act-by dates, term ends, dues) for calendar export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from obligations.compile import Context, Fact, compile_agreement, horizon_end
from obligations.duration import Duration
from obligations.registry import Registry
from obligations.rulebook import day_of

Kind = Literal["act-by", "term-end", "due"]
# Occurrences of recurring duties are exported as far ahead as this (all open ones before it, too).
AHEAD = Duration(years=1)


@dataclass(frozen=True)
class KeyDate:
    uid: str  # stable across exports: the same obligation keeps its uid when its date moves
    kind: Kind
    date: date
    agreement: str
    agreement_title: str
    party: str | None
    obligation: str | None
    summary: str  # one Korean line, e.g. "[통지 기한] 청소년쉼터 … 자동 연장 거절 통지 (서면)"
    description: tuple[str, ...]  # the derivation of the date, line by line
    owners: tuple[str, ...]


def key_dates(registry: Registry, as_of: date) -> list[KeyDate]:
    """Every dated thing the registry knows on ``as_of``: the notice act-by date of each renewal boundary,
    the end of the term in force, each one-off due, and each open occurrence of a recurring duty due within
    a year. One event per agreement and date (not per party): the act-by date of a notice is the same for
    every party that may give it, and an occurrence is one report whoever sends it."""
    result: dict[str, KeyDate] = {}
    for case in registry.cases:
        agreement = case.agreement
        compiled = compile_agreement(agreement, as_of, registry.calendar, until=horizon_end(as_of, AHEAD))
        owners = tuple(
            dict.fromkeys(o for party in agreement.parties for o in registry.owners_of(agreement, party))
        )
        for fact in compiled.facts:
            context = compiled.contexts[fact["ref"]]
            item = _key_date(agreement.id, agreement.title, fact, context, owners)
            if item is not None:
                result.setdefault(item.uid, item)
    return sorted(result.values(), key=lambda item: (item.date, item.uid))


def _key_date(
    agreement: str, title: str, fact: Fact, context: Context, owners: tuple[str, ...]
) -> KeyDate | None:
    words = context.words
    kind: Kind
    if fact["kind"] == "renewal":
        kind, field, obligation = "act-by", "act_by", None
        renewal = f"{words['to_term']}차 자동 연장({words['start']}~{words['end']})"
        what = f"[통지 기한] {title}: {renewal}을 막는 {words['form']}통지"
        uid = f"{agreement}/act-by/term-{fact['to_term']}"
    elif fact["kind"] == "term":
        kind, field, obligation = "term-end", "end", None
        what = f"[만료] {title}: 협약기간 종료 ({words['start']}~{words['end']})"
        uid = f"{agreement}/term-end/term-{fact['term']}"
    elif fact["kind"] == "duty" and fact["due"]:
        kind, field, obligation = "due", "due", str(fact["obligation"])
        what = f"[기한] {title}: {words['clause']} {words['text']}{words['period']}"
        # An occurrence keeps its uid per obligation and period: the same event in every export.
        uid = f"{agreement}/due/{obligation}" + (f"/{fact['period']}" if fact["period"] else "")
    else:
        return None
    derived = context.derivations[field]
    return KeyDate(
        uid=uid,
        kind=kind,
        date=day_of(fact[field]),
        agreement=agreement,
        agreement_title=title,
        party=None,
        obligation=obligation,
        summary=what,
        description=tuple(derived.lines("ko")),
        owners=owners,
    )
