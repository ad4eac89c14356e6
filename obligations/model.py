"""The case-file model (DESIGN.md "Case file"): one agreement or plan per file, and ``contacts.yaml``.

The models only accept what the format names; an unknown key is an error, because a typo such as
``lenght: 1y`` must never pass silently and leave an agreement without its term. References between parts
of a file (parties, obligations) are checked here too; references to ``contacts.yaml`` are checked by the
registry (:mod:`obligations.registry`), which is the first place that sees both.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from obligations.dates import in_range, parse_day, parse_month_end
from obligations.duration import Duration

# A key names a party, an owner or an obligation inside files; ids of agreements follow DESIGN.md.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date such as 2025-02-25, without a time; got: '{value}'")
    if isinstance(value, dt.date):
        return in_range(value)
    return parse_day(str(value))


def _month_or_day(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return in_range(value)
    return parse_month_end(str(value))


def _duration(value: Any) -> Duration:
    return value if isinstance(value, Duration) else Duration.parse(value)


_iso = PlainSerializer(lambda day: day.isoformat(), return_type=str)
Day = Annotated[dt.date, BeforeValidator(_day), _iso]
# "2025-12" is the last day of December 2025 (유효 기간은 2025년 12월까지); a full date is itself.
MonthOrDay = Annotated[dt.date, BeforeValidator(_month_or_day), _iso]
Length = Annotated[Duration, BeforeValidator(_duration), PlainSerializer(str, return_type=str)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Party(_Strict):
    name: Line
    owners: tuple[Key, ...] = ()


def _start(value: Any) -> str | dt.date:
    return "signed" if value == "signed" else _day(value)


class Term(_Strict):
    """The original term. ``start`` is the signing day unless a date is given."""

    clause: Line | None = None  # the article that sets the term, e.g. "제4조"; quoted in explanations
    start: Annotated[str | dt.date, BeforeValidator(_start), PlainSerializer(str, return_type=str)] = "signed"
    starts_at_midnight: StrictBool = False  # 민법 제157조 단서: "YYYY. M. D.부터" starts at 00:00
    first_day_counts: StrictBool = False  # the agreement itself says the first day counts (민법 제155조)
    length: Length | None = None
    end: MonthOrDay | None = None

    @model_validator(mode="after")
    def _length_or_end(self) -> Term:
        if (self.length is None) == (self.end is None):
            both = "both" if self.length is not None else "neither"
            raise ValueError(
                f"a term has either 'length' or 'end', got {both}; e.g. 'length: 1y' or 'end: 2025-12'"
            )
        return self


class Notice(_Strict):
    """How a party stops the next automatic renewal (해지/갱신 거절 의사표시)."""

    lead: Length | None = None  # None: no lead stated, so notice may come up to the last day of the term
    form: Literal["written", "any"] = "any"
    # "any" (협약 당사자 일방) is kept as the empty tuple: no party is excluded.
    by: Annotated[
        tuple[Key, ...],
        BeforeValidator(lambda value: () if value == "any" else value),
        PlainSerializer(lambda keys: list(keys) or "any"),
    ] = ()


class Renewal(_Strict):
    clause: Line | None = None
    automatic: StrictBool = True
    length: Length
    max_renewals: Annotated[StrictInt, Field(ge=0, le=100)] | None = None  # None = unlimited
    notice: Notice = Notice()


class Obligation(_Strict):
    id: Key
    clause: Line
    party: Annotated[
        tuple[Key, ...],
        BeforeValidator(lambda value: (value,) if isinstance(value, str) else value),
        Field(min_length=1),
    ]
    text: Text
    evidence_every: Length | None = None
    due: MonthOrDay | None = None
    survives: StrictBool = False


class Event(_Strict):
    date: Day
    type: Literal["fulfilled", "notice-given", "terminated", "amended"]
    obligation: Key | None = None
    party: Key | None = None
    form: Literal["written", "any"] | None = None
    ref: Line | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _what_the_type_needs(self) -> Event:
        if self.type == "fulfilled" and self.obligation is None:
            raise ValueError("a 'fulfilled' event names its obligation, e.g. 'obligation: city-space'")
        if self.type in ("notice-given", "terminated") and self.party is None:
            raise ValueError(f"a '{self.type}' event names the party that gave it, e.g. 'party: city'")
        return self


class Agreement(_Strict):
    id: Key
    title: Line
    kind: Literal["agreement", "plan"] = "agreement"
    source: Line | None = None
    signed: Day
    parties: dict[Key, Party] = Field(min_length=1)
    term: Term | None = None
    renewal: Renewal | None = None
    obligations: tuple[Obligation, ...] = ()
    events: tuple[Event, ...] = ()

    @model_validator(mode="after")
    def _term_for_agreements(self) -> Agreement:
        if self.kind == "agreement" and self.term is None:
            raise ValueError("an agreement has a term, e.g. 'term: {length: 1y}'; only a plan may have none")
        if self.renewal is not None and self.term is None:
            raise ValueError("'renewal' needs a 'term' to renew")
        return self

    def obligation(self, key: str) -> Obligation | None:
        return next((item for item in self.obligations if item.id == key), None)


class Contact(_Strict):
    name: Line
    email: Annotated[
        str, StringConstraints(pattern=r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$", max_length=254)
    ]
    phone: Line | None = None
    people: tuple[Line, ...] = ()  # as printed: "과장 최소정 ☎2133-3960"


class Contacts(_Strict):
    contacts: dict[Key, Contact]


Location = tuple[str | int, ...]


def reference_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """References inside one file that do not resolve, as (field location, message)."""
    parties = sorted(agreement.parties)
    known = ", ".join(parties)
    problems: list[tuple[Location, str]] = []

    def unknown_party(key: str, where: Location) -> None:
        if key not in agreement.parties:
            problems.append((where, f"unknown party {key!r}; the parties of this file are: {known}"))

    term = agreement.term
    if term is not None and term.end is not None:
        start = agreement.signed if term.start == "signed" else term.start
        if isinstance(start, dt.date) and term.end < start:
            message = f"the term ends ({term.end}) before it starts ({start}); e.g. 'end: 2025-12'"
            problems.append((("term", "end"), message))
    seen: set[str] = set()
    for i, item in enumerate(agreement.obligations):
        if item.id in seen:
            problems.append(
                (("obligations", i, "id"), f"duplicate obligation id {item.id!r}; ids are unique")
            )
        seen.add(item.id)
        for key in item.party:
            unknown_party(key, ("obligations", i, "party"))
    if agreement.renewal is not None:
        for key in agreement.renewal.notice.by:
            unknown_party(key, ("renewal", "notice", "by"))
    for i, event in enumerate(agreement.events):
        if event.party is not None:
            unknown_party(event.party, ("events", i, "party"))
        if event.obligation is None:
            continue
        obligation = agreement.obligation(event.obligation)
        if obligation is None:
            problems.append(
                (
                    ("events", i, "obligation"),
                    f"unknown obligation {event.obligation!r}; known: {', '.join(sorted(seen))}",
                )
            )
        elif (
            event.party is not None
            and event.party in agreement.parties
            and event.party not in obligation.party
        ):
            problems.append(
                (
                    ("events", i, "party"),
                    f"{event.party!r} is not a party of obligation {obligation.id!r} "
                    f"(its parties: {', '.join(obligation.party)})",
                )
            )
    return problems
