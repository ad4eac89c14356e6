"""The ``obligations`` command line (click). Exit 0 = nothing at or above --fail-on, 1 = findings, 2 = bad
usage or bad input (docs/operations.md, "Exit status")."""

from __future__ import annotations

import gc
import importlib
import sys

import click

from obligations import __version__

# Each command's module is imported only when that command runs (or help lists it), so that
# `obligations --version` or `obligations period` do not pay for the rule engine, pydantic and the rest.
COMMANDS = {
    "calendar": "obligations.commands.calendar:calendar",
    "check": "obligations.commands.check:check",
    "explain": "obligations.commands.check:explain",
    "extract": "obligations.commands.extract:extract",
    "health": "obligations.commands.health:health",
    "notify": "obligations.commands.notify:notify",
    "period": "obligations.commands.period:period",
    "record": "obligations.commands.record:record",
    "register": "obligations.commands.register:register",
    "report": "obligations.commands.report:report",
    "snooze": "obligations.commands.snooze:snooze",
    "status": "obligations.commands.status:status",
    "validate": "obligations.commands.validate:validate",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        module, _, attribute = COMMANDS[name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="obligations")
def cli() -> None:
    """Check agreements (업무협약/MOU) and plans: notice windows, expiries, renewals, unfulfilled roles."""
    if not gc.isenabled():  # held off by main() while starting: see there
        gc.freeze()
        gc.enable()


def main() -> None:
    """Console entry point: never a traceback for the user; an unexpected error exits 2 with one line."""
    # Start-up creates some 10^5 objects that live as long as the process (modules, pydantic's schemas, the
    # rules) and no garbage: the cyclic collector waits until the command's module is imported (click
    # resolves the command before it calls ``cli``), and what exists then is frozen out of its way. Python's
    # gc.freeze recipe for a process that forks: the worker processes of a large check do not touch, and so
    # do not copy, the pages they inherit.
    gc.disable()
    try:
        cli.main(prog_name="obligations", standalone_mode=True)
    except Exception as error:  # the last guard: the user gets a sentence, not a traceback
        click.echo(f"obligations: internal error: {type(error).__name__}: {error}", err=True)
        sys.exit(2)
