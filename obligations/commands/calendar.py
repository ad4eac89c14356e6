"""``obligations calendar [PATH...] --output FILE.ics``: key dates for analysts' calendars.

Re-exporting to the same file keeps every event's UID and raises its SEQUENCE when its date moved, so
clients that subscribed to (or re-import) the file update events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.commands.options import (
    as_of_option,
    config_option,
    lang_option,
    open_registry,
    output_option,
    paths_argument,
    settings_or_exit,
)
from obligations.keydates import key_dates
from obligations.views.calendar import CalendarError, build_calendar, read_previous, write_calendar
from obligations.views.words import registry_line


@click.command()
@paths_argument
@as_of_option
@output_option("The .ics file to write; an earlier export there is read first to keep its event numbers.")
@lang_option
@config_option
def calendar(
    paths: tuple[Path, ...], as_of: dt.date | None, output: Path, lang: str, config: Path | None
) -> None:
    """Write act-by dates, renewals, expiries and due dates as all-day events with reminders (iCalendar)."""
    registry = open_registry(paths, settings_or_exit(config))
    for problem in registry.problems:
        click.echo(str(problem), err=True)
    try:
        previous = read_previous(output)
        names = {key: contact.name for key, contact in registry.contacts.items()}
        data, stats = build_calendar(
            key_dates(registry, as_of or today_in_seoul(), lang), previous, owner_names=names, lang=lang
        )
        write_calendar(output, data)
    except CalendarError as error:
        click.echo(f"obligations calendar: {error}", err=True)
        raise SystemExit(2) from error
    changes = f"{stats.new} new, {stats.moved} moved, {stats.cancelled} cancelled"
    click.echo(f"{output}: {stats.events} event(s); {changes}; {registry_line(registry, 'en')}")
    if registry.problems:
        raise SystemExit(2)
