"""Key dates as an iCalendar file (RFC 5545) that analysts subscribe to or import.

Each act-by date, term end and due date is an all-day VEVENT with VALARM reminders at 09:00 some days
before. A calendar client recognises an event it already has by its UID and takes a new version only when
its SEQUENCE is higher (RFC 5545 3.8.7.4), so:

- the UID comes from the obligation, not from the date: it is the same in every export;
- SEQUENCE starts at 0 and rises by one each time the event's date (or its summary) changes, judged
  against the previous export, which is read back from the output file before it is replaced;
- an event that disappeared (notice given, agreement ended) is exported once more as CANCELLED with a
  higher SEQUENCE, so that importing clients remove it; the export after that leaves it out.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from obligations.keydates import KeyDate
from obligations.textfile import read_limited
from obligations.views.text import one_line

PRODID = "-//obligations//agreement key dates//KO"
# Days before the date on which a reminder rings, at 09:00: a notice deadline gets the most warning,
# because missing it renews the agreement for another term.
# A renewal needs no action (it follows by itself) and rings once, on the day.
ALARM_DAYS: dict[str, tuple[int, ...]] = {
    "act-by": (14, 7, 1, 0),
    "due": (7, 1, 0),
    "term-end": (30, 7, 0),
    "renewal": (0,),
}
CATEGORY = {
    "ko": {"act-by": "통지 기한", "due": "이행 기한", "term-end": "협약 만료", "renewal": "자동 연장"},
    "en": {"act-by": "notice deadline", "due": "due", "term-end": "expiry", "renewal": "renewal"},
}
OWNERS = {"ko": "담당", "en": "Owners"}


class CalendarError(RuntimeError):
    """The previous export cannot be read, or the new one cannot be written."""


@dataclass(frozen=True)
class Previous:
    """What the previous export said about one UID."""

    day: date
    sequence: int
    summary: str
    cancelled: bool


@dataclass(frozen=True)
class ExportStats:
    events: int
    new: int
    moved: int
    cancelled: int


def uid_of(key_date: KeyDate) -> str:
    return key_date.uid if "@" in key_date.uid else f"{key_date.uid}@obligations"


MAX_EXPORT_BYTES = 128 << 20  # about 1 KiB an event: a registry's twelve months fit many times over


def read_previous(path: Path) -> dict[str, Previous]:
    """The events of an earlier export at ``path`` ({} when there is none).

    Read like every input: a regular file only (a FIFO there is refused at once, never waited on), and at
    most :data:`MAX_EXPORT_BYTES`.
    """
    if not path.exists():
        return {}
    try:
        calendar = Calendar.from_ical(read_limited(path, "calendar exports", MAX_EXPORT_BYTES))
        previous: dict[str, Previous] = {}
        for event in calendar.walk("VEVENT"):
            if not isinstance(event, Event):
                continue
            start = event.start
            day = start.date() if isinstance(start, datetime) else start
            status = str(event.status or "CONFIRMED").upper()
            previous[str(event.uid)] = Previous(
                day, event.sequence, str(event.summary or ""), status == "CANCELLED"
            )
    except (OSError, ValueError, KeyError) as error:  # FileRefused is a ValueError: its reason is shown
        raise CalendarError(
            f"cannot read the previous export {path} to keep its event numbers ({error}); "
            "move it aside to start a new calendar"
        ) from error
    return previous


def _alarm(days: int, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    # Relative to the start of an all-day event (00:00 local): n days before, plus 9 hours = 09:00.
    alarm.add("trigger", timedelta(days=-days, hours=9))
    alarm.add("description", summary)
    return alarm


def _event(uid: str, day: date, sequence: int, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # DTEND is exclusive for all-day events
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def build_calendar(
    key_dates: Sequence[KeyDate],
    previous: Mapping[str, Previous],
    *,
    owner_names: Mapping[str, str] | None = None,
    now: datetime | None = None,
    lang: str = "ko",
) -> tuple[bytes, ExportStats]:
    """The calendar, and what changed since ``previous``; ``owner_names`` maps owner keys to the names
    shown in each event's description (contacts.yaml); ``lang`` is that of the key dates' summaries."""
    names = owner_names or {}
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "업무협약 기한 (obligations)")
    calendar.add("x-wr-timezone", "Asia/Seoul")
    new = moved = cancelled = 0
    seen: set[str] = set()
    for key_date in sorted(key_dates, key=lambda k: (k.date, k.uid)):
        uid = uid_of(key_date)
        if uid in seen:
            continue  # one event per obligation even if the source listed it twice
        seen.add(uid)
        summary = one_line(key_date.summary, 250)
        before = previous.get(uid)
        if before is None:
            sequence, new = 0, new + 1
        elif before.day != key_date.date or before.summary != summary or before.cancelled:
            sequence, moved = before.sequence + 1, moved + (before.day != key_date.date)
        else:
            sequence = before.sequence
        event = _event(uid, key_date.date, sequence, summary, stamp)
        event.add("status", "CONFIRMED")
        event.add("categories", [CATEGORY[lang].get(key_date.kind, key_date.kind)])
        lines = [one_line(line, 500) for line in key_date.description]
        lines.append(f"{key_date.agreement}" + (f" / {key_date.party}" if key_date.party else ""))
        if key_date.owners:
            lines.append(
                f"{OWNERS[lang]}: " + ", ".join(one_line(names.get(key, key)) for key in key_date.owners)
            )
        event.add("description", "\n".join(lines))
        for days in ALARM_DAYS.get(key_date.kind, (7, 1)):
            event.add_component(_alarm(days, summary))
        calendar.add_component(event)
    for uid, before in sorted(previous.items()):
        if uid not in seen and not before.cancelled:
            event = _event(uid, before.day, before.sequence + 1, before.summary, stamp)
            event.add("status", "CANCELLED")
            calendar.add_component(event)
            cancelled += 1
    return calendar.to_ical(), ExportStats(len(seen), new, moved, cancelled)


def write_calendar(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically: a subscribed client never fetches half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        raise CalendarError(f"cannot write {path}: {error.strerror}") from error
