"""``obligations record``: append what happened to an agreement's case file, changing nothing else.

    $ obligations record notice-given --agreement youth-shelter-self-reliance-mou-2025 --party seoul \\
          --date 2025-11-20 --form written --ref 청소년정책과-1234
    $ obligations record amended --agreement youth-shelter-self-reliance-mou-2025 --date 2025-09-01 \\
          --set term.end=2026-06-30 --set renewal.notice.lead=2m --ref "변경협약서(2025. 9. 1.) 제1조"

The event is checked by the same loader as every case file before the file is touched; an unknown
agreement, party or obligation, or an event already recorded, exits 2 and leaves the file as it was.
The file's lock is held from reading it to replacing it, so calls at the same time on the same agreement
each append their event in turn; a call that cannot have the lock within ``--wait`` seconds records
nothing and says so (exit 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click

from obligations.asof import today_in_seoul
from obligations.checking import run_check
from obligations.commands.options import (
    config_option,
    no_such_agreement,
    open_registry,
    paths_argument,
    settings_or_exit,
    wait_option,
)
from obligations.commands.params import DAY
from obligations.loading import load_agreement
from obligations.locking import LockError
from obligations.model import CHANGE_EXAMPLES, Agreement, Policy
from obligations.recording import RecordError, append_to_case_file, changes_text, event_line
from obligations.registry import CaseFile, Registry

EVENT_TYPES = ("fulfilled", "notice-given", "terminated", "waived", "amended")


@click.command()
@click.argument("event_type", metavar="TYPE", type=click.Choice(EVENT_TYPES))
@click.option("--agreement", "agreement_id", required=True, help="The agreement's id.")
@click.option("--obligation", default=None, help="The obligation's id (fulfilled, waived).")
@click.option("--party", default=None, help="The party's key (who did it or gave notice).")
@click.option("--date", "day", type=DAY, default=None, help="When it happened (default: today in Seoul).")
@click.option(
    "--period",
    default=None,
    help="The period of a recurring duty (2025, 2025-H1, 2025-Q3, 2025-07) or the term of a role "
    "(2025-01-01/2025-12-31).",
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
@wait_option("another command writing the same case file")
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
    wait: float,
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
    try:
        appended = append_to_case_file(
            case.path, item, lambda before, after: _checked(case, before, after), wait=wait, write=not dry_run
        )
    except RecordError as error:
        raise click.UsageError(f"not recorded: {case.path}: {error}") from error
    except LockError as error:
        _not_recorded(f"{error}. Try again, or wait longer with --wait")
    except OSError as error:
        _not_recorded(f"cannot write {case.path}: {error.strerror}; the file is as it was")
    if dry_run:
        lines = (appended.before.splitlines(keepends=True), appended.after.splitlines(keepends=True))
        click.echo("".join(difflib.unified_diff(*lines, str(case.path), str(case.path))), nl=False)
    # Said as soon as it is true: whatever happens next, the caller knows the event is in the file.
    click.echo(f"{'would record' if dry_run else 'recorded'} in {case.path}: {item}")
    current, updated = appended.checked
    as_of = as_of or max(day, today_in_seoul())
    resolved = _resolved(registry, case, current, updated, as_of)
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


def _not_recorded(why: str) -> NoReturn:
    click.echo(f"obligations record: not recorded: {why}", err=True)
    raise SystemExit(2)


def _case(registry: Registry, agreement_id: str) -> CaseFile:
    """The case file of ``agreement_id``; exit 2 when there is none, or when another file uses the same id
    (the event would land in whichever file happened to be read first)."""
    case = next((c for c in registry.cases if c.agreement.id == agreement_id), None)
    if case is None:
        raise no_such_agreement(registry, agreement_id)
    twins = [path for path in _files_claiming(registry, agreement_id) if path != case.path]
    if twins:
        named = ", ".join(str(path) for path in [case.path, *twins])
        raise click.UsageError(
            f"not recorded: the id {agreement_id!r} is used by {len(twins) + 1} case files ({named}); "
            "give each agreement its own id first, so that the event goes into the right one"
        )
    return case


def _files_claiming(registry: Registry, agreement_id: str) -> list[Path]:
    """The files refused with a problem on their ``id`` that say ``id: agreement_id`` (a duplicate id is
    such a problem): read again, few as they are, so that the id is compared, not a message's words."""
    suspects = dict.fromkeys(Path(p.file) for p in registry.problems if p.field == "id")
    found = []
    for path in suspects:
        agreement, _, _ = load_agreement(path)
        if agreement is not None and agreement.id == agreement_id:
            found.append(path)
    return found


def _checked(case: CaseFile, before: str, after: str) -> tuple[Agreement, Agreement]:
    """The agreement as the file reads now (under the lock) and as it reads with the event appended, both
    through the normal loader; refused (exit 2) if either does not read, if the file now holds another
    agreement, if the event is already recorded, or if the append did not add exactly that one event."""
    current, problems = _read_text(case.path, before, case.agreement.policy)
    if current is None or current.id != case.agreement.id:
        what = "; ".join(problems) or f"it now holds {current.id if current else '?'!r}"
        raise click.UsageError(f"not recorded: {case.path} changed meanwhile and no longer reads: {what}")
    agreement, problems = _read_text(case.path, after, case.agreement.policy)
    if agreement is None:
        raise click.UsageError(f"not recorded, the event would not be valid: {'; '.join(problems)}")
    new = agreement.events[-1]
    if new in current.events:
        raise click.UsageError(f"not recorded: {case.path} already has this event ({new.type} on {new.date})")
    if agreement.events[:-1] != current.events:
        raise click.UsageError(f"not recorded: {case.path} would not read back with the event appended")
    return current, agreement


def _read_text(path: Path, text: str, policy: Policy | None) -> tuple[Agreement | None, list[str]]:
    """``text`` read as the case file at ``path`` would be (its ``policy:`` events checked against
    ``policy``); problems name ``path``."""
    with tempfile.TemporaryDirectory() as folder:
        candidate = Path(folder) / path.name
        candidate.write_text(text, encoding="utf-8", newline="")
        agreement, _, problems = load_agreement(candidate, policy)
    return agreement, [str(problem).replace(str(candidate), str(path)) for problem in problems]


def _resolved(
    registry: Registry, case: CaseFile, current: Agreement, updated: Agreement, as_of: dt.date
) -> list[str]:
    """Findings of this agreement reported before the event (``current``: the file as read under the lock)
    and no longer after it (``updated``), on ``as_of``."""
    only = [case.agreement.id]

    def findings(agreement: Agreement) -> list[str]:
        cases = [replace(c, agreement=agreement) if c.path == case.path else c for c in registry.cases]
        checked = run_check(as_of=as_of, agreements=only, registry=replace(registry, cases=cases))
        return [finding.id for finding in checked.findings]

    still = set(findings(updated))
    return [finding for finding in findings(current) if finding not in still]
