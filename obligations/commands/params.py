"""click parameter types shared by the commands: a day, a length, an age, a holiday calendar.

Each refuses a bad value through ``self.fail``, so click reports it with the parameter's name and exits 2
(docs/operations.md); the message quotes the value and gives an example of a good one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

import click

from obligations.dates import DateInputError, parse_day
from obligations.duration import Duration, DurationError
from obligations.notify.health import parse_age
from obligations.registry import read_calendar
from obligations.workdays import CalendarOverrideError, WorkdayCalendar

V = TypeVar("V")


class ParsedType(click.ParamType, Generic[V]):  # type: ignore[type-arg]  # generic only in newer click
    """A value written as text, read by ``parse``, which refuses a bad one by raising ``error``; the error's
    message becomes click's usage error for the parameter. A value that is already a ``kind`` (a default
    given as one) is taken as it is."""

    def __init__(self, name: str, kind: type[V], parse: Callable[[str], V], error: type[Exception]) -> None:
        self.name = name
        self.kind = kind
        self.parse = parse
        self.error = error

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> V:
        if isinstance(value, self.kind):
            return value
        try:
            return self.parse(value)
        except self.error as error:
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


# A date written YYYY-MM-DD: 2025-02-25.
DAY = ParsedType("date", dt.date, parse_day, DateInputError)
# A period length: 1y, 6m, 2w, 30d or a sum such as 1y 6m.
LENGTH = ParsedType("length", Duration, Duration.parse, DurationError)
# How long ago, in wall-clock time: 90s, 30min, 26h, 2d.
AGE = ParsedType("age", dt.timedelta, parse_age, ValueError)
CALENDAR = CalendarType()
