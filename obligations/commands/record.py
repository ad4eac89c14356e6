"""``obligations record``: append what happened to an agreement's case file, changing nothing else.

    $ obligations record notice-given --agreement youth-shelter-self-reliance-mou-2025 --party seoul \\
          --date 2025-11-20 --form written --ref 청소년정책과-1234
    $ obligations record amended --agreement youth-shelter-self-reliance-mou-2025 --date 2025-09-01 \\
          --set term.end=2026-06-30 --set renewal.notice.lead=2m --ref "변경협약서(2025. 9. 1.) 제1조"

The event is checked by the same loader as every case file before the file is touched; an unknown
agreement, party or obligation, or an event already recorded, exits 2 and leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from dataclasses import replace
from pathlib import Path

import click

from obligations.asof import today_in_seoul
from obligations.checking import run_check
from obligations.commands.options import (
    config_option,
    no_such_agreement,
    open_registry,
    paths_argument,
    settings_or_exit,
)
from obligations.commands.params import DAY
from obligations.loading import load_agreement
from obligations.model import CHANGE_EXAMPLES, Agreement
from obligations.recording import RecordError, append_event, changes_text, event_line, write_atomically
from obligations.registry import CaseFile, Registry

EVENT_TYPES = ("fulfilled", "notice-given", "terminated", "waived", "amended")


@click.command()
@click.argument("event_type", metavar="TYPE", type=click.Choice(EVENT_TYPES))
@click.option("--agreement", "agreement_id", required=True, help="The agreement's id.")
@click.option("--obligation", default=None, help="The obligation's id (fulfilled, waived).")
@click.option("--party", default=None, help="The party's key (who did it or gave notice).")
@click.option("--date", "day", type=DAY, default=None, help="When it happened (default: today in Seoul).")
@click.option(
    "--period", default=None, help="The period of a recurring duty: 2025, 2025-H1, 2025-Q3, 2025-07."
)
@click.option("--form", type=click.Choice(["written", "any"]), default=None, help="Form of a notice.")
@click.option("--ref", required=True, help="The document that records it, e.g. 청소년정책과-1234.")
@click.option("--note", default=None, help="A short note.")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="FIELD=VALUE",
    help="What an amendment (변경협약) changes from --date on, e.g. term.end=2026-06-30 or "
    "renewal.notice.lead=2m; repeat for each field.",
)
@click.option("--dry-run", is_flag=True, help="Print the change to the file; write nothing.")
@click.option(
    "--as-of",
    type=DAY,
    default=None,
    help="The day on which to compare findings before and after (default: the later of --date and today).",
)
@paths_argument
@config_option
def record(
    event_type: str,
    agreement_id: str,
    obligation: str | None,
    party: str | None,
    day: dt.date | None,
    period: str | None,
    form: str | None,
    ref: str,
    note: str | None,
    settings: tuple[str, ...],
    dry_run: bool,
    as_of: dt.date | None,
    paths: tuple[Path, ...],
    config: Path | None,
) -> None:
    """Append a TYPE event (fulfilled, notice-given, terminated, waived, amended) to an agreement's file."""
    _not_after_today(day)
    registry = open_registry(paths, settings_or_exit(config))
    case = _case(registry, agreement_id)
    day = day or today_in_seoul()
    fields = {"date": day.isoformat(), "type": event_type, "obligation": obligation, "party": party}
    fields.update(period=period, form=form, ref=ref, note=note, changes=_changes(event_type, settings))
    item = event_line({key: value for key, value in fields.items() if value is not None})
    before = case.path.read_bytes()
    text = before.decode("utf-8")
    try:
        after = append_event(text, item)
    except RecordError as error:
        raise click.UsageError(f"{case.path}: {error}") from error
    updated = _checked(case, after)
    as_of = as_of or max(day, today_in_seoul())
    resolved = _resolved(registry, case, updated, as_of)
    if dry_run:
        diff = difflib.unified_diff(
            text.splitlines(keepends=True), after.splitlines(keepends=True), str(case.path), str(case.path)
        )
        click.echo("".join(diff), nl=False)
    else:
        write_atomically(case.path, after.encode("utf-8"))
    click.echo(f"{'would record' if dry_run else 'recorded'} in {case.path}: {item}")
    if resolved:
        click.echo(f"resolves as of {as_of}: {', '.join(resolved)}")
    else:
        click.echo(f"resolves no finding reported as of {as_of}")


def _changes(event_type: str, settings: tuple[str, ...]) -> str | None:
    """The ``changes`` of an amendment from its ``--set`` options, as YAML; None without any."""
    if not settings:
        return None
    if event_type != "amended":
        raise click.UsageError(
            f"--set gives the changes of an 'amended' event; a '{event_type}' event has none"
        )
    pairs = []
    for setting in settings:
        key, equals, value = setting.partition("=")
        key = key.strip()
        if not equals or key not in CHANGE_EXAMPLES:
            fields = ", ".join(CHANGE_EXAMPLES)
            raise click.UsageError(
                f"--set {setting!r}: expected FIELD=VALUE with FIELD one of {fields}; "
                "e.g. --set term.end=2026-06-30"
            )
        pairs.append((key, value.strip()))
    try:
        return changes_text(pairs)
    except RecordError as error:
        raise click.UsageError(str(error)) from None


def _not_after_today(day: dt.date | None) -> None:
    """Refuse an event dated after today in Seoul: an event is recorded once it has happened, and one from
    the future (2062 typed for 2026) would close findings that are still open, for years, without a word."""
    today = today_in_seoul()
    if day is not None and day > today:
        raise click.BadParameter(
            f"{day.isoformat()} is after today ({today.isoformat()}, Asia/Seoul); an event is recorded "
            f"once it has happened. A typo? Give the day it happened, e.g. --date {today.isoformat()}",
            param_hint="--date",
        )


def _case(registry: Registry, agreement_id: str) -> CaseFile:
    case = next((c for c in registry.cases if c.agreement.id == agreement_id), None)
    if case is None:
        raise no_such_agreement(registry, agreement_id)
    return case


def _checked(case: CaseFile, text: str) -> Agreement:
    """The agreement as the new text reads, through the normal loader; exit 2 if it does not read, if the
    event is already recorded, or if the append did not add exactly that one event."""
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / case.path.name
        candidate.write_text(text, encoding="utf-8", newline="")
        agreement, _, problems = load_agreement(candidate, case.agreement.policy)
    if agreement is None:
        shown = "; ".join(str(problem).replace(str(candidate), str(case.path)) for problem in problems)
        raise click.UsageError(f"not recorded, the event would not be valid: {shown}")
    new = agreement.events[-1]
    if new in case.agreement.events:
        raise click.UsageError(f"not recorded: {case.path} already has this event ({new.type} on {new.date})")
    if agreement.events[:-1] != case.agreement.events:
        raise click.UsageError(f"not recorded: {case.path} would not read back with the event appended")
    return agreement


def _resolved(registry: Registry, case: CaseFile, updated: Agreement, as_of: dt.date) -> list[str]:
    """Findings of this agreement reported before the event and no longer after it, on ``as_of``."""
    only = [case.agreement.id]
    before = run_check(as_of=as_of, agreements=only, registry=registry).findings
    cases = [replace(c, agreement=updated) if c is case else c for c in registry.cases]
    after = run_check(as_of=as_of, agreements=only, registry=replace(registry, cases=cases)).findings
    still = {finding.id for finding in after}
    return [finding.id for finding in before if finding.id not in still]
