"""Working days of Korean public offices: weekends, public holidays, and an overrides file.

A day is a working day (근무일) when it is neither a Saturday nor a Sunday nor a public holiday.
Public holidays come from the ``holidays`` package (South Korea, Korean names: lunar holidays,
substitute holidays, election days, temporary holidays; it follows 「관공서의 공휴일에 관한 규정」
and 「공휴일에 관한 법률」), corrected by an overrides file for holidays declared after the
package was released::

    add:
      - {date: 2026-10-09, name: 임시공휴일, reason: "관보 제xxxx호 (declared after the package release)"}
    remove:
      - {date: 2026-05-01, reason: "..."}

Saturdays matter because 민법 제161조 names them beside public holidays; Sundays are public holidays under the
regulation (제2조 제1호). This module only says which days are closed and why; the Civil Act arithmetic lives
in :mod:`obligations.dates`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from calendar import isleap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import holidays

from obligations.bounds import DAY_RANGE, day_in_range

Location = tuple[
    str | int, ...
]  # a field path in a file's plain data, as :mod:`obligations.loading` reads it
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

EPOCH = dt.date(2020, 1, 1)
"""``workday_number`` counts working days from this day (inclusive). Numbering a day costs the holidays of
every year between it and this one, so it lies close to the days that are checked."""

WEEKEND_NAMES = {5: "토요일", 6: "일요일"}
ADD_EXAMPLE = '{date: 2026-10-09, name: 임시공휴일, reason: "관보 제xxxx호"}'
REMOVE_EXAMPLE = '{date: 2026-05-01, reason: "관보 제xxxx호"}'
FILE_EXAMPLE = f"add: [{ADD_EXAMPLE}]"
# The fields each section accepts, and the example quoted when an entry in it is wrong.
SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    # section: (required fields, optional fields, example)
    "add": (("date", "name", "reason"), (), ADD_EXAMPLE),
    "remove": (("date", "reason"), ("name",), REMOVE_EXAMPLE),
}


class CalendarOverrideError(ValueError):
    """A bad entry in a holiday overrides file; ``str()`` is ``file:line: field: message (example: ...)``.

    >>> str(CalendarOverrideError("h.yaml", 3, "add[0].date", "expected a date; got: 'x'", "2026-10-09"))
    "h.yaml:3: add[0].date: expected a date; got: 'x' (example: 2026-10-09)"
    """

    def __init__(self, file: str, line: int | None, field: str, message: str, example: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.example = example
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message} (example: {self.example})"


@dataclass(frozen=True)
class HolidayOverride:
    """One correction to the package's holidays: a day added as a holiday, or (``remove``) taken off."""

    date: dt.date
    name: str
    reason: str
    remove: bool = False


class WorkdayCalendar:
    """Which days Korean public offices are closed, with the reason, and working-day counts.

    >>> calendar = WorkdayCalendar()
    >>> calendar.closed_reason(dt.date(2026, 3, 2))
    '삼일절 대체 휴일'
    >>> calendar.next_workday(dt.date(2026, 2, 28))
    datetime.date(2026, 3, 3)
    >>> calendar.workday_number(dt.date(2026, 3, 3)) - calendar.workday_number(dt.date(2026, 2, 27))
    1
    """

    def __init__(self, overrides: Sequence[HolidayOverride] = ()) -> None:
        self.overrides = tuple(overrides)
        self._added: dict[dt.date, str] = {}
        self._removed: set[dt.date] = set()
        for override in self.overrides:
            if override.date in self._added or override.date in self._removed:
                raise ValueError(f"the holiday override for {override.date} is given twice")
            if override.remove:
                self._removed.add(override.date)
            else:
                self._added[override.date] = override.name
        self._holidays: dict[int, dict[dt.date, str]] = {}
        # One instance for every year: it computes a year's holidays when a day of it is first asked about
        # (the package's ``expand``), ~15 times cheaper than a new instance per year.
        self._package: holidays.HolidayBase | None = None
        # Per year: cumulative working days by day of the year, and working days before the year (from EPOCH).
        self._prefix: dict[int, tuple[int, ...]] = {}
        self._before: dict[int, int] = {EPOCH.year: 0}

    def holiday_name(self, day: dt.date) -> str | None:
        """The Korean name of the public holiday on ``day`` (weekends alone are not holidays here).

        Two holidays on one day are joined with '·' ('부처님오신날·어린이날' on 2025-05-05).
        """
        return self._holidays_of(day.year).get(day)

    def is_workday(self, day: dt.date) -> bool:
        """Not a Saturday, not a Sunday, not a public holiday (after overrides)."""
        return self.closed_reason(day) is None

    def closed_reason(self, day: dt.date) -> str | None:
        """Why offices are closed on ``day``: the holiday's name first, else '토요일' or '일요일'.

        None on a working day.
        """
        return self.holiday_name(day) or WEEKEND_NAMES.get(day.weekday())

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day on or after ``day``."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def previous_workday(self, day: dt.date) -> dt.date:
        """The last working day on or before ``day``."""
        while not self.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def workday_number(self, day: dt.date) -> int:
        """Working days from 2020-01-01 up to and including ``day`` (zero or negative before 2020).

        ``workday_number(b) - workday_number(a)`` is the number of working days in ``(a, b]``:

        >>> calendar = WorkdayCalendar()
        >>> calendar.workday_number(dt.date(2025, 10, 10)) - calendar.workday_number(dt.date(2025, 10, 2))
        1
        """
        return self._workdays_before(day.year) + self._prefix_of(day.year)[day.timetuple().tm_yday - 1]

    # -- per-year tables -------------------------------------------------------------------------------------

    def _holidays_of(self, year: int) -> dict[dt.date, str]:
        table = self._holidays.get(year)
        if table is None:
            if self._package is None:
                self._package = south_korea()
            package = self._package
            _ = dt.date(year, 1, 1) in package  # asking about a day of the year computes that year
            table = {day: "·".join(package.get_list(day)) for day in package if day.year == year}
            for day in self._removed:
                table.pop(day, None)
            table.update((day, name) for day, name in self._added.items() if day.year == year)
            self._holidays[year] = table
        return table

    def _prefix_of(self, year: int) -> tuple[int, ...]:
        prefix = self._prefix.get(year)
        if prefix is None:
            count, counts = 0, []
            for day in _days_of(year):
                count += self.is_workday(day)
                counts.append(count)
            prefix = self._prefix[year] = tuple(counts)
        return prefix

    def _workdays_before(self, year: int) -> int:
        """Working days from EPOCH up to the end of ``year - 1`` (negative: before EPOCH, counted back)."""
        if year not in self._before:
            step = 1 if year > EPOCH.year else -1
            known = year - step
            while known not in self._before:  # fill the gap from the nearest known year, without recursion
                known -= step
            while known != year:
                if step == 1:
                    self._before[known + 1] = self._before[known] + self._workdays_in(known)
                else:
                    self._before[known - 1] = self._before[known] - self._workdays_in(known - 1)
                known += step
        return self._before[year]

    def _workdays_in(self, year: int) -> int:
        """Working days in the whole of ``year``: its weekdays less the holidays on a weekday.

        Counted without a day-by-day table, which only the years whose days are numbered need.
        """
        closed = sum(1 for day in self._holidays_of(year) if day.weekday() < 5)
        return _weekdays_in(year) - closed


def south_korea() -> holidays.HolidayBase:
    """The package's South Korean public holidays, named in Korean, computed a year at a time as asked.

    ``holidays.country_holidays("KR")`` imports the package's ``countries`` folder, whose ``__init__``
    imports every one of its ~250 countries: 0.12 s, an eighth of checking a small registry. The South Korea
    module imports none of them, so it is loaded from its own file alone (the same class, the same days: a
    test compares the two over 1950–2100). Should a release of the package move it, the documented call is
    taken instead.
    """
    module_file = Path(holidays.__file__).parent / "countries" / "south_korea.py"
    spec = importlib.util.spec_from_file_location("holidays.countries.south_korea", module_file)
    if spec is not None and spec.loader is not None and module_file.is_file():
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        country = getattr(module, "SouthKorea", None)
        if isinstance(country, type) and issubclass(country, holidays.HolidayBase):
            return country(language="ko")
    return holidays.country_holidays("KR", language="ko")


def _weekdays_in(year: int) -> int:
    """Mondays to Fridays in ``year``: five in each whole week, then those among the days left over.

    >>> _weekdays_in(2025), _weekdays_in(2024)  # 2025 starts on a Wednesday; 2024, a leap year, on a Monday
    (261, 262)
    """
    first = dt.date(year, 1, 1).weekday()
    days = 366 if isleap(year) else 365
    return days // 7 * 5 + sum(1 for extra in range(days % 7) if (first + extra) % 7 < 5)


def _days_of(year: int) -> Iterator[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


# -- the overrides file -------------------------------------------------------------------------------------


def read_overrides(name: str, data: Any, line: Callable[[Location], int]) -> tuple[HolidayOverride, ...]:
    """The overrides in a file's plain data (``None``: an empty file); ``line`` gives a field's line.

    Reading the file itself (size, encoding, YAML tags and aliases) is :mod:`obligations.loading`'s, as for
    case files. A bad entry raises :class:`CalendarOverrideError` with the file, line, field and an example.
    """
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise CalendarOverrideError(name, 1, "(file)", "expected a mapping with add/remove", FILE_EXAMPLE)
    overrides: dict[dt.date, HolidayOverride] = {}
    for section, entries in data.items():
        if section not in SECTIONS:
            message = f"unknown key; expected one of {', '.join(SECTIONS)}"
            raise CalendarOverrideError(name, line((section,)), str(section), message, FILE_EXAMPLE)
        for where, override, at in _read_section(name, section, entries, line):
            if override.date in overrides:
                message = f"{override.date} is listed more than once; keep one entry per date"
                raise CalendarOverrideError(name, at, f"{where}.date", message, SECTIONS[section][2])
            overrides[override.date] = override
    return tuple(overrides.values())


def _read_section(
    name: str, section: str, entries: Any, line: Callable[[Location], int]
) -> list[tuple[str, HolidayOverride, int]]:
    """The entries of one section, each with its field path and line."""
    example = SECTIONS[section][2]
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise CalendarOverrideError(
            name, line((section,)), section, "expected a list of entries", f"- {example}"
        )
    return [
        (f"{section}[{index}]", _read_entry(name, section, index, item, line), line((section, index)))
        for index, item in enumerate(entries)
    ]


def _read_entry(
    name: str, section: str, index: int, entry: Any, line: Callable[[Location], int]
) -> HolidayOverride:
    required, optional, example = SECTIONS[section]
    where = f"{section}[{index}]"
    if not isinstance(entry, dict):
        raise CalendarOverrideError(
            name, line((section, index)), where, "expected an entry with date and reason", example
        )
    fields: dict[str, str] = {}
    for key, value in entry.items():
        at = line((section, index, key))
        if key not in required + optional:
            message = f"unknown field {key!r}; expected {', '.join(required + optional)}"
            raise CalendarOverrideError(name, at, f"{where}.{key}", message, example)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise CalendarOverrideError(name, at, f"{where}.{key}", "must not be empty", example)
        if not isinstance(value, str | int) or isinstance(value, bool):
            message = f"expected text; got: {value!r}"
            raise CalendarOverrideError(name, at, f"{where}.{key}", message, example)
        fields[key] = str(value).strip()
    for key in required:
        if key not in fields:
            raise CalendarOverrideError(name, line((section, index)), f"{where}.{key}", "missing", example)
    try:
        day = dt.date.fromisoformat(fields["date"]) if _DAY.fullmatch(fields["date"]) else None
    except ValueError:
        day = None
    if day is None or not day_in_range(day):
        expected = "a date such as 2026-10-09" if day is None else f"a date {DAY_RANGE}"
        message = f"expected {expected}; got: {fields['date']!r}"
        raise CalendarOverrideError(name, line((section, index)), f"{where}.date", message, example)
    return HolidayOverride(day, fields.get("name", ""), fields["reason"], remove=section == "remove")
