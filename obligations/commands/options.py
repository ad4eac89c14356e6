"""Options shared by the commands that read a registry (DESIGN.md "Command line")."""

from __future__ import annotations

from pathlib import Path

import click

from obligations.asof import DEFAULT_HORIZON
from obligations.commands.params import DAY, LENGTH
from obligations.notify.settings import MailSettings, SettingsError, load_settings

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


def settings_or_exit(config: Path | None) -> MailSettings:
    try:
        return load_settings(config)
    except SettingsError as error:
        raise click.UsageError(str(error)) from error
