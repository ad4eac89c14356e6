"""How a report is shown: the analyst's table, the stable JSON of DESIGN.md, and a finding's explanation."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from itertools import groupby
from typing import Any

import click

from obligations.checking import Report
from obligations.findings import Finding, InputProblem, Severity

SCHEMA = 1
_COLOURS = {Severity.CRITICAL: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SEVERITY_KO = {Severity.CRITICAL: "긴급", Severity.WARNING: "경고", Severity.INFO: "참고"}


def use_colour() -> bool | None:
    """NO_COLOR (no-color.org) switches colour off; otherwise click colours only a terminal."""
    return False if os.environ.get("NO_COLOR") else None


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "code": finding.code,
        "severity": finding.severity.value,
        "agreement": finding.agreement,
        "party": finding.party,
        "obligation": finding.obligation,
        "period": finding.period,
        "due": finding.due.isoformat() if finding.due else None,
        "days_left": finding.days_left,
        "message": finding.message,
        "explain": list(finding.explain),
        # Added fields (DESIGN.md allows new ones): who is told, and a snooze in force.
        "label": finding.label,
        "owners": list(finding.owners),
        "snoozed_until": finding.snoozed_until.isoformat() if finding.snoozed_until else None,
    }


def problem_json(problem: InputProblem) -> dict[str, Any]:
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return {"file": problem.file, "line": problem.line, "message": message}


def report_json(report: Report, findings: Iterable[Finding]) -> str:
    document = {
        "schema": SCHEMA,
        "as_of": report.as_of.isoformat(),
        "horizon_days": report.horizon_days,
        "findings": [finding_json(finding) for finding in findings],
        "errors": [problem_json(problem) for problem in report.problems],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _days(days_left: int | None, lang: str) -> str:
    if days_left is None:
        return ""
    if lang == "ko":
        return "D-day" if days_left == 0 else (f"D-{days_left}" if days_left > 0 else f"D+{-days_left}")
    return "today" if days_left == 0 else (f"in {days_left}d" if days_left > 0 else f"{-days_left}d ago")


def report_table(report: Report, findings: list[Finding], lang: str) -> list[str]:
    """Findings grouped by agreement, each group sorted by date (the order run_check returns)."""
    lines: list[str] = []
    for (agreement, title), group in groupby(findings, key=lambda f: (f.agreement, f.agreement_title)):
        lines.append(click.style(f"{title}  ({agreement})", bold=True))
        for finding in group:
            severity = _SEVERITY_KO[finding.severity] if lang == "ko" else finding.severity.value
            due = finding.due.isoformat() if finding.due else "-"
            snooze = f"  [snoozed until {finding.snoozed_until}]" if finding.snoozed_until else ""
            lines.append(
                "  "
                + click.style(f"{severity:<8}", fg=_COLOURS[finding.severity])
                + f" {due:<10} {_days(finding.days_left, lang):<8} {finding.label}: {finding.message}{snooze}"
                + click.style(f"  [{finding.id}]", dim=True)
            )
        lines.append("")
    if not findings:
        lines.append(
            "해당 기간에 알릴 사항이 없습니다." if lang == "ko" else "Nothing to report in the horizon."
        )
    summary = f"as of {report.as_of}, horizon {report.horizon_days} days: {len(findings)} finding(s)"
    if report.problems:
        summary += f", {len(report.problems)} input problem(s)"
    lines.append(summary)
    return lines


def explanation(finding: Finding) -> list[str]:
    lines = [
        f"{finding.id}  {finding.code} ({finding.severity.value})",
        f"  {finding.agreement_title} ({finding.agreement}) / {finding.party_name} ({finding.party})",
        f"  {finding.message}",
        f"  {finding.reason}",
    ]
    if finding.due:
        lines.append(f"  due {finding.due.isoformat()} ({finding.days_left:+d} days)")
    lines.extend(f"  {number}. {line}" for number, line in enumerate(finding.explain, 1))
    return lines
