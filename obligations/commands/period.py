"""``obligations period``: the Civil Act date calculator analysts use, printing a date and its derivation.

    $ obligations period notice 2025-12-31 1m
    2025-11-28
    1. 만료일 2025-12-31(수)부터 거꾸로 1개월 전까지(역산)
    ...

Text output is the date on the first line, then the numbered derivation. ``--format json`` prints
``{"date": "YYYY-MM-DD", "explain": [...]}``; for ``notice`` also ``"legal"`` (docs/json-output.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from obligations.commands.params import CALENDAR, DAY, LENGTH
from obligations.dates import Derived, act_deadline, notice_deadline, term_end
from obligations.duration import Duration
from obligations.workdays import WorkdayCalendar

F = TypeVar("F", bound=Callable[..., Any])


def _output_options(command: F) -> F:
    """The options every ``period`` command shares: holidays file, output format, language."""
    command = click.option(
        "--holidays",
        "calendar",
        type=CALENDAR,
        default=None,
        help="Holiday overrides file (add or remove a date, with a reason).",
    )(command)
    command = click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output format.",
    )(command)
    command = click.option(
        "--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language."
    )(command)
    return command


@click.group()
def period() -> None:
    """Compute a period's end or a notice deadline by the Civil Act (민법 제155조–제161조), explained."""


@period.command("end")
@click.argument("start", type=DAY)
@click.argument("length", type=LENGTH)
@click.option("--starts-at-midnight", is_flag=True, help="The period starts at 00:00 (민법 제157조 단서).")
@click.option("--first-day-counts", is_flag=True, help="The agreement counts the first day (민법 제155조).")
@click.option("--act", is_flag=True, help="A deadline to act: move off closed days (민법 제161조).")
@_output_options
def end_command(
    start: dt.date,
    length: Duration,
    starts_at_midnight: bool,
    first_day_counts: bool,
    act: bool,
    calendar: WorkdayCalendar | None,
    output_format: str,
    lang: str,
) -> None:
    """The last day of a period of LENGTH (1y, 6m, 2w, 30d, 1y 6m) starting on START (YYYY-MM-DD).

    With --act, the deadline to act after 민법 제161조 (Saturdays, Sundays and holidays move it later).
    """
    end = term_end(start, length, starts_at_midnight=starts_at_midnight, first_day_counts=first_day_counts)
    if not act:
        _emit(end, {}, output_format, lang)
        return
    deadline = act_deadline(end, calendar or WorkdayCalendar())
    _emit(deadline, {"term_end": end.date.isoformat()}, output_format, lang)


@period.command("notice")
@click.argument("expiry", type=DAY)
@click.argument("lead", type=LENGTH)
@_output_options
def notice_command(
    expiry: dt.date, lead: Duration, calendar: WorkdayCalendar | None, output_format: str, lang: str
) -> None:
    """The deadline for a notice due LEAD before EXPIRY ("만료 1개월 전까지"), counted backward.

    The legal deadline is the day before the day LEAD before EXPIRY (민법 제157조 counted backward, as the
    Ministries of Justice and of Land read it: expiry 2020-09-30, 1m → 2020-08-29). Prints the last working
    day on or before it (the act-by date); the legal deadline is never moved later. See docs/dates.md.
    """
    deadline = notice_deadline(expiry, lead, calendar or WorkdayCalendar())
    _emit(deadline.act_by, {"legal": deadline.legal.date.isoformat()}, output_format, lang)


def _emit(result: Derived, extra: dict[str, str], output_format: str, lang: str) -> None:
    """Print the date then the numbered derivation; or JSON: ``date``, the ``extra`` fields, ``explain``."""
    lines = result.lines(lang)
    if output_format == "json":
        document = {"date": result.date.isoformat(), **extra, "explain": lines}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    click.echo(result.date.isoformat())
    for number, line in enumerate(lines, start=1):
        click.echo(f"{number}. {line}")
