"""What the extractor found, each value with the line it came from; and what it could not find.

The renderer (:mod:`obligations.extract.draft`) writes a :class:`Cited` value with a comment quoting its line,
and a :class:`Todo` as a ``# TODO:`` line where the value belongs, so that an analyst can check the one and
fill in the other without reading the whole text again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from obligations.duration import Duration

T = TypeVar("T")


@dataclass(frozen=True)
class Cited(Generic[T]):
    """A value and the line of the text it was read from; ``note`` says how it was read, when not obvious."""

    value: T
    line: int | None
    note: str = ""


@dataclass(frozen=True)
class Todo:
    """A field the text does not determine: ``field`` is its key in the case file, ``what`` what to put."""

    field: str
    what: str


@dataclass(frozen=True)
class PartyFound:
    """A party named in the preamble, ``서울특별시(이하 “서울시”라 한다)``."""

    key: str
    name: str
    short: str | None
    line: int
    key_note: str  # how the key was made, for the analyst to review
    # Where the name was read when no preamble lists the parties: "the party list (협약 당사자)", "the
    # signatures"; the name there is the head's title (광진구청장), made the body's name for review.
    read_from: str = ""


@dataclass
class TermFound:
    clause: str
    start: Cited[str | dt.date] | None = None  # "signed" or a date
    starts_at_midnight: Cited[bool] | None = None
    length: Cited[Duration] | None = None
    end: Cited[str] | None = None  # "2025-12" (that month's last day) or "2025-12-31"
    todos: list[Todo] = field(default_factory=list)


@dataclass
class NoticeFound:
    lead: Cited[Duration | None]
    form: Cited[str]
    by: Cited[tuple[str, ...]] | None  # () means any party (협약 당사자 일방)
    todos: list[Todo] = field(default_factory=list)


@dataclass
class RenewalFound:
    clause: str
    automatic: Cited[bool]
    notice: NoticeFound
    length: Cited[Duration] | None = None
    max_renewals: Cited[int | None] | None = None
    todos: list[Todo] = field(default_factory=list)


@dataclass
class ScheduleFound:
    """A recurring duty: ``every`` (month, quarter, half-year, year, 2y, 3y) and ``due`` in each period."""

    every: Cited[str]
    due: Cited[str] | None = None  # end, end+Nd, MM-DD or DD
    todos: list[Todo] = field(default_factory=list)


@dataclass
class ObligationFound:
    id: str
    clause: str
    parties: Cited[tuple[str, ...]]
    text: Cited[str]
    survives: Cited[bool | Duration] | None = None  # True: no end; a length: counted from the end
    schedule: ScheduleFound | None = None
    due: Cited[str] | None = None  # a one-off duty: the day it is due by, "2025-12-31"


@dataclass
class Extraction:
    """Everything read from one agreement, in the order of the case file."""

    title: Cited[str] | None
    signed: Cited[dt.date] | None
    parties: list[PartyFound]
    term: TermFound | None
    renewal: RenewalFound | None
    obligations: list[ObligationFound]
    notes: dict[str, str] = field(default_factory=dict)  # section → why it is absent, e.g. no renewal
    todos: list[Todo] = field(default_factory=list)  # top-level fields left to fill
