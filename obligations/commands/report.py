"""``obligations report [PATH...] --output FILE.html``: the registry on one page, with timelines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from obligations.checking import run_check
from obligations.commands.options import (
    as_of_option,
    config_option,
    horizon_option,
    lang_option,
    open_registry,
    output_option,
    paths_argument,
    settings_or_exit,
)
from obligations.duration import Duration
from obligations.notify.health import last_run_note
from obligations.notify.ledger import ledger_path
from obligations.views.report import render_report, write_report
from obligations.views.words import registry_line


@click.command()
@paths_argument
@as_of_option
@horizon_option
@lang_option
@config_option
@output_option("The .html file to write (one self-contained page: no scripts, fonts or images to fetch).")
@click.option(
    "--derivations",
    is_flag=True,
    help="Write every date's derivation unfolded, so that it is printed too (folded by default).",
)
def report(
    paths: tuple[Path, ...],
    as_of: dt.date | None,
    horizon: Duration,
    lang: str,
    config: Path | None,
    output: Path,
    derivations: bool,
) -> None:
    """Write an HTML report: counts, an overview, and per agreement its timeline, key dates and findings.

    One entry per deadline, the parties that may act on it named together; each date's derivation folded
    (click to show; printed only when shown, or with --derivations). In print, one A4 sheet per agreement.

    Exit 0 when the page was written, 2 when a case file could not be read (the page is still written,
    with the other agreements and the problem listed) or the page cannot be written.
    """
    settings = settings_or_exit(config)
    checked = run_check(as_of=as_of, horizon=horizon, lang=lang, registry=open_registry(paths, settings))
    page = render_report(checked, lang, derivations, last_run_note(ledger_path(None, settings.ledger), lang))
    try:
        write_report(output, page)
    except OSError as error:
        click.echo(f"obligations report: cannot write {output}: {error.strerror}", err=True)
        raise SystemExit(2) from error
    summary = f"{len(checked.findings)} finding(s) as of {checked.as_of}"
    click.echo(f"{output}: {summary}; {registry_line(checked.registry, lang)}")
    for problem in checked.problems:
        click.echo(str(problem), err=True)
    if checked.problems:
        raise SystemExit(2)
