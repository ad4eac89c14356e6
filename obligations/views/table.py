"""The analyst's tables (``check``, ``status``) and a finding's explanation, laid out by ``rich``.

Columns are fitted to the terminal (``COLUMNS``, else the terminal's width, else 120): long messages wrap
inside their column, never past it, and Korean wide characters take their two cells. The full text of a
message is always in ``explain`` and the JSON. Styles are written as ANSI codes; ``click.echo`` removes
them when the output is not a terminal or ``NO_COLOR`` is set.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from collections.abc import Sequence
from itertools import groupby

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from obligations.checking import Report
from obligations.findings import Finding, Severity
from obligations.standing import Standing
from obligations.views.words import SEVERITY, STATE, days, registry_line, renewal_text, term_text

_COLOURS = {Severity.CRITICAL: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_TITLE_CELLS = 28  # a short title: enough to recognise an agreement, the id says which one exactly


def use_colour() -> bool | None:
    """NO_COLOR (no-color.org) switches colour off; otherwise click colours only a terminal."""
    return False if os.environ.get("NO_COLOR") else None


def _width() -> int:
    """``COLUMNS`` when set; else the terminal's width; else (a pipe, a file, a test) 120 columns."""
    if os.environ.get("COLUMNS", "").isdigit() or sys.stdout.isatty():
        return max(shutil.get_terminal_size((_PIPE_WIDTH, 24)).columns, 40)
    return _PIPE_WIDTH


_PIPE_WIDTH = 120


def render(renderable: RenderableType) -> str:
    console = Console(
        file=io.StringIO(),
        width=_width(),
        force_terminal=True,
        color_system="standard",
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable)
    assert isinstance(console.file, io.StringIO)
    output = console.file.getvalue()
    return "\n".join(_TRAILING.sub(r"\1", line) for line in output.rstrip("\n").splitlines())


_TRAILING = re.compile(r"\s+((?:\x1b\[[0-9;]*m)*)$")  # padding at a line's end, before any style codes


def _table(*headers: str) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


_CHECK_HEADERS = {
    "ko": ("심각도", "기한", "D-N", "구분", "내용 (ID)"),
    "en": ("severity", "due", "D-N", "finding", "message (id)"),
}


def report_table(report: Report, findings: list[Finding], lang: str) -> str:
    """Findings grouped by agreement, each group in date order (the order run_check returns); each
    finding's id on the line under its message, to copy into ``explain`` or ``snooze``."""
    table = _table(*_CHECK_HEADERS[lang])
    table.columns[0].no_wrap = table.columns[1].no_wrap = table.columns[2].no_wrap = True
    table.columns[3].max_width = 14
    table.columns[4].ratio = 1
    for (agreement, title), group in groupby(findings, key=lambda f: (f.agreement, f.agreement_title)):
        table.add_row("", "", "", "", Text(f"{title}  ({agreement})", style="bold"))
        for finding in group:
            message = Text(finding.message)
            if finding.snoozed_until:
                until = finding.snoozed_until.isoformat()
                message.append(f"  [알림 보류 ~{until}]" if lang == "ko" else f"  [snoozed until {until}]")
            message.append(f"\n{finding.id}", style="dim")
            table.add_row(
                Text(SEVERITY[lang][finding.severity], style=_COLOURS[finding.severity]),
                finding.due.isoformat() if finding.due else "-",
                days(finding.days_left),
                finding.label,
                message,
            )
        table.add_section()
    lines = [render(table)] if findings else []
    if not findings:
        lines.append(
            "해당 기간에 알릴 사항이 없습니다." if lang == "ko" else "Nothing to report in the horizon."
        )
    if lang == "ko":
        summary = f"기준일 {report.as_of}, {report.horizon_days}일 이내: 발견 {len(findings)}건"
    else:
        summary = f"as of {report.as_of}, horizon {report.horizon_days} days: {len(findings)} finding(s)"
    lines.append(f"{summary}; {registry_line(report.registry, lang)}")
    return "\n".join(lines)


_STATUS_HEADERS = {
    "ko": ("다음 기한", "다음 할 일", "협약 / 담당", "상태 / 연장", "기간", "발견"),
    "en": ("next", "what", "agreement / owners", "state / renewal", "term", "findings"),
}
_STATUS_LEGEND = {
    "ko": "발견: 긴급/경고/참고 건수",
    "en": "findings: critical/warning/info",
}


def _shortened(text: str, style: str = "") -> Text:
    """One line, cut with '…' at the column's edge (the full text is in the JSON and ``explain``)."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def status_table(report: Report, rows: Sequence[Standing], lang: str) -> str:
    """One row per agreement or plan, soonest next deadline first; each cell at most a few lines."""
    table = _table(*_STATUS_HEADERS[lang])
    table.expand = True
    next_, what_, agreement_, state_, term_, findings_ = table.columns
    next_.no_wrap = findings_.no_wrap = True
    what_.ratio, agreement_.ratio = 3, 2
    what_.min_width = agreement_.min_width = 14
    state_.max_width, term_.max_width = 16, 14
    for row in rows:
        following = row.next
        when: RenderableType = "-"
        what: RenderableType = ""
        if following is not None:
            when = f"{following.date.isoformat()}\n{days(following.days_left)}"
            what = Group(Text(following.label, style="bold"), _shortened(following.what))
        term = term_text(row, lang)
        if row.term_start and row.term_end:
            term += f"\n{row.term_start}~\n{row.term_end}"
        counts = Text()
        for i, severity in enumerate((Severity.CRITICAL, Severity.WARNING, Severity.INFO)):
            count = row.findings.get(severity, 0)
            counts.append("/" if i else "")
            counts.append(str(count), style=_COLOURS[severity] if count else "")
        table.add_row(
            when,
            what,
            Group(
                Text(row.agreement, overflow="fold"),
                _shortened(row.title, style="dim"),
                Text(" ".join(row.owners), style="italic", overflow="fold"),
            ),
            f"{STATE[lang][row.state]}\n{renewal_text(row, lang)}",
            term,
            counts,
        )
        table.add_section()
    lines = [render(table)] if rows else []
    as_of = f"기준일 {report.as_of}" if lang == "ko" else f"as of {report.as_of}"
    lines.append(f"{as_of}; {_STATUS_LEGEND[lang]}; {registry_line(report.registry, lang)}")
    return "\n".join(lines)


_EXPLAIN_WORDS = {
    "ko": {"due": "기한", "reason": "사유"},
    "en": {"due": "due", "reason": "why"},
}


def explanation(finding: Finding, lang: str) -> list[str]:
    """A finding in full, in one language, with the same D-N as the table, then every derivation step."""
    words = _EXPLAIN_WORDS[lang]
    lines = [
        f"{finding.id}  {finding.label} ({SEVERITY[lang][finding.severity]})",
        f"  {finding.agreement_title} ({finding.agreement}) / {finding.party_name} ({finding.party})",
        f"  {finding.message}",
    ]
    lines.append(f"  {words['reason']}: {finding.reason}")
    if finding.due:
        lines.append(f"  {words['due']} {finding.due.isoformat()} ({days(finding.days_left)})")
    lines.extend(f"  {number}. {line}" for number, line in enumerate(finding.explain, 1))
    return lines
