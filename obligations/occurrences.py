"""The occurrences of a recurring duty: which are due by a day, and which the records settle.

Shared by the duties of case files (:mod:`obligations.compile`) and the reviews of the body's policy
(:mod:`obligations.policy_duties`), so that a record settles an occurrence the same way for both.
"""

from __future__ import annotations

from datetime import date

from obligations.model import Event, Schedule
from obligations.recurrence import nominal_due, period, period_containing, period_of_label


def settled_periods(
    schedule: Schedule, anchor: int, first: int, last_owed: int | None, closing: list[Event]
) -> set[int]:
    """The occurrences (by period number) that the events close.

    An event naming its period closes that one; a fulfilment without a period closes the earliest open
    occurrence whose period has begun by the event's date (a report sent early counts for the period under
    way; one sent late for the oldest one still open).
    """
    every = schedule.every
    settled = {period_of_label(every, anchor, e.period).number for e in closing if e.period is not None}
    earliest = first
    for event in (e for e in closing if e.period is None and e.type == "fulfilled"):
        while earliest in settled:
            earliest += 1
        owed = last_owed is None or earliest <= last_owed
        if owed and period(every, anchor, earliest).start <= event.date:
            settled.add(earliest)
    return settled


def last_due_by(schedule: Schedule, anchor: int, first: int, until: date) -> int:
    """The number of the last period whose nominal due day is on or before ``until`` (``first - 1`` if none).

    A due day never falls before its period ends, so the period holding ``until`` bounds the search; it
    falls at most a year and a day after that end, so the search takes at most a few steps back.
    """
    number = period_containing(schedule.every, anchor, until).number
    while number >= first and nominal_due(period(schedule.every, anchor, number), schedule.due).date > until:
        number -= 1
    return number
