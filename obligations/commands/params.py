"""click parameter types shared by the commands: a day, a length, a holiday calendar.

Each refuses a bad value through ``self.fail``, so click reports it with the parameter's name and exits 2
(DESIGN.md "Command line"); the message quotes the value and gives an example of a good one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from obligations.dates import DateInputError, parse_day
from obligations.duration import Duration, DurationError
from obligations.registry import read_calendar
from obligations.workdays import CalendarOverrideError, WorkdayCalendar


class DayType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A date written ``YYYY-MM-DD``: ``2025-02-25``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_day(value)
        except DateInputError as error:
            self.fail(str(error), param, ctx)


class LengthType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A period length: ``1y``, ``6m``, ``2w``, ``30d`` or a sum such as ``1y 6m``."""

    name = "length"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Duration:
        if isinstance(value, Duration):
            return value
        try:
            return Duration.parse(value)
        except DurationError as error:
            self.fail(str(error), param, ctx)


class CalendarType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A holiday overrides file (``holidays.yaml``), read into a :class:`WorkdayCalendar`."""

    name = "file"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> WorkdayCalendar:
        if isinstance(value, WorkdayCalendar):
            return value
        try:
            return read_calendar(Path(value))
        except CalendarOverrideError as error:
            if error.field == "(file)":  # the file itself: missing, not a regular file, not UTF-8 YAML
                self.fail(
                    f"cannot read the holiday overrides file {error.file!r}: {error.message}", param, ctx
                )
            self.fail(str(error), param, ctx)


DAY = DayType()
LENGTH = LengthType()
CALENDAR = CalendarType()
