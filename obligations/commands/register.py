"""``obligations register [PATH...] --year 2025 --output FILE``: the yearly register (업무협약 관리대장).

    $ obligations register --year 2025 --output 관리대장-2025.xlsx

The format follows the output's suffix (``.xlsx``, ``.csv``, ``.html``) unless ``--format`` names one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from obligations.asof import DEFAULT_HORIZON, today_in_seoul
from obligations.checking import run_check
from obligations.commands.options import (
    as_of_option,
    config_option,
    open_registry,
    output_option,
    paths_argument,
    settings_or_exit,
)
from obligations.duration import Duration
from obligations.views.words import registry_line

FORMATS = ("xlsx", "csv", "html")


@click.command()
@paths_argument
@click.option("--year", type=click.IntRange(1900, 2199), required=True, help="The year of the register.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="xlsx (default), csv or html; without it, the suffix of --output decides.",
)
@output_option("The file to write.")
@as_of_option
@config_option
def register(
    paths: tuple[Path, ...],
    year: int,
    fmt: str | None,
    output: Path,
    as_of: dt.date | None,
    config: Path | None,
) -> None:
    """Write the register of agreements for a year: one row per agreement signed, in force or ended in
    that year (its term and renewals, the year's reviews, council reports, how it ended), and the year's
    findings, as the registry stands on the as-of day (default: today in Seoul).

    Exit 0 when the file was written, 2 when a case file could not be read (the file is still written,
    without it; the problem is listed) or the file cannot be written.
    """
    from obligations.views.register import build_register, register_csv, register_html, write_xlsx

    as_of = as_of or today_in_seoul()
    fmt = fmt or (
        output.suffix.lstrip(".").lower() if output.suffix.lstrip(".").lower() in FORMATS else "xlsx"
    )
    registry = open_registry(paths, settings_or_exit(config))
    # The check looks as far as the year's end, so that the year's dues still ahead are among its findings.
    ahead = Duration(days=max(DEFAULT_HORIZON.total_days, (dt.date(year, 12, 31) - as_of).days))
    checked = run_check(as_of=as_of, horizon=ahead, registry=registry)
    book = build_register(checked, year)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "xlsx":
            write_xlsx(book, output)
        elif fmt == "csv":
            output.write_text(register_csv(book), encoding="utf-8", newline="")
        else:
            output.write_text(register_html(book), encoding="utf-8")
    except OSError as error:
        click.echo(f"obligations register: cannot write {output}: {error.strerror}", err=True)
        raise SystemExit(2) from error
    click.echo(
        f"{output}: {year}년 협약 {len(book.rows)}건, 발견 사항 {len(book.findings)}건 (기준일 {as_of}); "
        f"{registry_line(checked.registry, 'ko')}"
    )
    for problem in checked.problems:
        click.echo(str(problem), err=True)
    if checked.problems:
        raise SystemExit(2)
