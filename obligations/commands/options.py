"""Options shared by the commands that read a registry, and the registry they read."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from obligations.asof import DEFAULT_HORIZON
from obligations.commands.params import DAY, LENGTH
from obligations.notify.settings import MailSettings, SettingsError, load_settings
from obligations.views.words import registry_line

if TYPE_CHECKING:
    from obligations.checking import Report
    from obligations.findings import Finding
    from obligations.registry import Registry

FC = TypeVar("FC", bound=Callable[..., object])  # a command's function, as click decorates it

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
as_of_option = click.option(
    "--as-of",
    type=DAY,
    default=None,
    help="The day to check as of (YYYY-MM-DD); default: today in Asia/Seoul.",
)
lang_option = click.option(
    "--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True, help="Language of messages."
)
horizon_option = click.option(
    "--horizon", type=LENGTH, default=str(DEFAULT_HORIZON), show_default=True, help="How far ahead to look."
)
ledger_option = click.option(
    "--ledger",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Ledger file (default: OBLIGATIONS_LEDGER, else the user's state directory).",
)
config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Settings file (default: ./obligations.toml when present); environment variables win over it.",
)


def output_option(help: str) -> Callable[[FC], FC]:
    """``--output``/``-o``: the one file a command writes (``help`` says which)."""
    path = click.Path(path_type=Path, dir_okay=False)
    return click.option("--output", "-o", type=path, required=True, help=help)


def wait_option(holder: str) -> Callable[[FC], FC]:
    """``--wait``: how long a command waits for a lock that ``holder`` (a run, a command) may hold."""
    return click.option(
        "--wait",
        type=click.FloatRange(0, 3600),
        default=120.0,
        show_default=True,
        help=f"Seconds to wait for {holder} before giving up.",
    )


def settings_or_exit(config: Path | None) -> MailSettings:
    try:
        return load_settings(config)
    except SettingsError as error:
        raise click.UsageError(str(error)) from error


def registry_paths(paths: Sequence[Path], settings: MailSettings) -> tuple[Path, ...]:
    """What a command reads: the PATHs given, else OBLIGATIONS_REGISTRY (environment, or the settings
    file), else () — the bundled sample registry (docs/operations.md, "Which registry is read")."""
    if not paths and settings.registry is not None:
        return (settings.registry,)
    return tuple(paths)


def open_registry(paths: Sequence[Path], settings: MailSettings) -> Registry:
    """The registry a command reads, every case file loaded (see :func:`registry_paths`)."""
    from obligations.registry import load_registry  # only the commands that need every case file

    return load_registry(registry_paths(paths, settings))


def close_matches(value: str, known: Iterable[str]) -> str:
    """``; did you mean 'seoul'?`` — or the known values when none is close (a short list)."""
    known = sorted(set(known))
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    close += [key for key in known if value in key and key not in close][: 3 - len(close)]
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"; known: {shown or 'none'}"


def no_such_agreement(registry: Registry, agreement: str) -> click.BadParameter:
    ids = [case.agreement.id for case in registry.cases]
    return click.BadParameter(
        f"no agreement {agreement!r} in {registry_line(registry, 'en')}{close_matches(agreement, ids)}",
        param_hint="--agreement",
    )


def check_filters(registry: Registry, agreements: Sequence[str], parties: Sequence[str]) -> None:
    """A filter that names nothing would silence a cron job by a typo: refused (exit 2), with the close
    matches."""
    ids = [case.agreement.id for case in registry.cases]
    for agreement in agreements:
        if agreement not in ids:
            raise no_such_agreement(registry, agreement)
    chosen = [case.agreement for case in registry.cases if not agreements or case.agreement.id in agreements]
    keys = [key for agreement in chosen for key in agreement.parties]
    for party in parties:
        if party not in keys:
            raise click.BadParameter(
                f"no party {party!r} in the agreements checked{close_matches(party, keys)}",
                param_hint="--party",
            )


def find_finding(report: Report, finding_id: str) -> Finding:
    """The finding reported with that id on the report's day, or exit 2 naming the close ids."""
    finding = next((f for f in report.findings if f.id == finding_id), None)
    if finding is None:
        ids = [f.id for f in report.findings]
        raise click.BadParameter(
            f"no finding {finding_id!r} as of {report.as_of} in {registry_line(report.registry, 'en')}"
            f"{close_matches(finding_id, ids)}",
            param_hint="FINDING_ID",
        )
    return finding
