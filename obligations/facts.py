"""Facts: what the compiler hands the rule engine, and what each finding needs to explain itself.

Facts are flat mappings of integers and strings (dates as day numbers, ``date.toordinal()``), because
durable_rules compares mixed types silently as strings (obligations/engine.py, defect 12). ``0`` means
"none" for a day.
Every fact carries a ``ref``; :class:`Compiled` keeps, per ref, the derivation of each of its dates and the
words the messages need, so that a finding can explain itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from obligations.dates import Derived
from obligations.model import Agreement
from obligations.terms import Chain

Fact = dict[str, Any]
NONE = 0  # "no such day" in a fact
FOREVER = date.max.toordinal()  # the end of a plan without a term
# The occurrence of what is owed once (a one-off due, a duty that survives the end): see
# obligations.rulebook.finding_id, which keys ids by it.
ONCE = "0"


def day_number(day: date) -> int:
    """A day as a fact holds it (see the module's note on why not a date)."""
    return day.toordinal()


@dataclass
class Context:
    """What a finding about one fact needs beyond the fact: words for messages and date derivations."""

    words: dict[str, str] = field(default_factory=dict)
    derivations: dict[str, Derived] = field(default_factory=dict)


@dataclass
class Compiled:
    agreement: Agreement
    facts: list[Fact] = field(default_factory=list)
    contexts: dict[str, Context] = field(default_factory=dict)
    chain: Chain | None = None  # the renewal chain as the events decided it (None for a plan without a term)

    def add(self, fact: Fact, context: Context) -> None:
        self.facts.append(fact)
        self.contexts[fact["ref"]] = context


def words_of(agreement: Agreement, party: str) -> Context:
    """The words every finding about ``party`` in ``agreement`` names: the agreement and the party."""
    return Context(
        words={
            "agreement": agreement.id,
            "title": agreement.title,
            "party": party,
            "party_name": agreement.parties[party].name,
        }
    )
