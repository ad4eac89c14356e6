"""The JSON documents other programs read (docs/json-output.md): ``check``, ``status`` and ``explain``.

``schema`` is 1; fields may be added, none is renamed or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import orjson

from obligations.checking import Report
from obligations.findings import Finding, InputProblem, Severity
from obligations.notify.ledger import RunRecord
from obligations.registry import Registry
from obligations.standing import Standing
from obligations.views.words import days

SCHEMA = 1


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "code": finding.code,
        "severity": finding.severity.value,
        "agreement": finding.agreement,
        "party": finding.party,
        "obligation": finding.obligation,
        "period": finding.period,
        "due": _iso(finding.due),
        "days_left": finding.days_left,
        "message": finding.message,
        "explain": list(finding.explain),
        # Added fields: who is told, a snooze in force, the D-N the table shows, a notice's legal deadline.
        "label": finding.label,
        "owners": list(finding.owners),
        "snoozed_until": _iso(finding.snoozed_until),
        "d": days(finding.days_left),
        "legal": _iso(finding.legal),
    }


def problem_json(problem: InputProblem) -> dict[str, Any]:
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return {"file": problem.file, "line": problem.line, "message": message}


def registry_json(registry: Registry) -> dict[str, Any]:
    """What was read: the paths given (none: the bundled sample registry) and how much of it."""
    return {
        "paths": [str(path) for path in registry.roots],
        "bundled": not registry.roots,
        "agreements": len(registry.admitted),
        "problems": len(registry.problems),
    }


def _dump(document: dict[str, Any]) -> str:
    """Indented like ``json.dumps(indent=2, ensure_ascii=False)``, byte for byte; orjson because the standard
    library's encoder falls back to pure Python when it indents, a tenth of the check of a large registry."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()


def report_json(report: Report, findings: Iterable[Finding]) -> bytes:
    """The document as UTF-8 (indented like ``_dump``), written as it is: a large registry's document is
    not copied again to be decoded and encoded."""
    return orjson.dumps(
        {
            "schema": SCHEMA,
            "as_of": report.as_of.isoformat(),
            "horizon_days": report.horizon_days,
            "findings": [finding_json(finding) for finding in findings],
            "errors": [problem_json(problem) for problem in report.problems],
            "registry": registry_json(report.registry),
        },
        option=orjson.OPT_INDENT_2,
    )


def standing_json(row: Standing) -> dict[str, Any]:
    term = None
    if row.term is not None:
        term = {
            "number": row.term,
            "max_renewals": row.max_renewals,
            "renews": row.renews,
            "start": _iso(row.term_start),
            "end": _iso(row.term_end),
        }
    following = None
    if row.next is not None:
        following = {
            "date": row.next.date.isoformat(),
            "days_left": row.next.days_left,
            "d": days(row.next.days_left),
            "code": row.next.code,
            "label": row.next.label,
            "what": row.next.what,
            "explain": list(row.next.explain),
        }
    return {
        "id": row.agreement,
        "title": row.title,
        "kind": row.kind,
        "file": str(row.file),
        "state": row.state.value,
        "term": term,
        "renewal": {"state": row.renewal.value, "by": row.stopped_by, "on": _iso(row.stopped_on)},
        "next": following,
        "findings": {severity.value: row.findings.get(severity, 0) for severity in _BY_URGENCY},
        "owners": list(row.owners),
    }


_BY_URGENCY = (Severity.CRITICAL, Severity.WARNING, Severity.INFO)


def status_json(report: Report, rows: Sequence[Standing], last_run: RunRecord | None = None) -> str:
    return _dump(
        {
            "schema": SCHEMA,
            "as_of": report.as_of.isoformat(),
            "agreements": [standing_json(row) for row in rows],
            "errors": [problem_json(problem) for problem in report.problems],
            "registry": registry_json(report.registry),
            "last_run": run_json(last_run) if last_run is not None else None,
        }
    )


def run_json(run: RunRecord) -> dict[str, Any]:
    """The last nightly ``notify`` run as ``status --format json`` gives it (times with their UTC offset)."""
    return {
        "started": run.started.isoformat(timespec="seconds"),
        "finished": run.finished.isoformat(timespec="seconds"),
        "as_of": run.as_of.isoformat(),
        "delivered": run.delivered,
        "pending": run.pending,
        "refused": run.refused,
        "unread": list(run.unread),
        "problems": run.problems,
    }


def explanation_json(finding: Finding) -> str:
    return _dump({"schema": SCHEMA, **finding_json(finding), "reason": finding.reason})
