"""CSV for spreadsheets: ``check`` and ``status`` as UTF-8 with a byte-order mark, so that Excel opens
Korean text as Korean (without the mark it guesses the legacy code page and shows mojibake)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from obligations.findings import Finding
from obligations.standing import Standing
from obligations.views.json import finding_json, standing_json


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")  # RFC 4180, what Excel writes
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


# New columns go at the end, so that a spreadsheet reading the columns by position keeps working.
FINDING_COLUMNS = (
    "id", "code", "severity", "agreement", "party", "obligation", "due", "days_left", "d", "label",
    "message", "owners", "snoozed_until", "period", "legal",
)  # fmt: skip


def findings_csv(findings: Iterable[Finding]) -> bytes:
    rows = []
    for finding in findings:
        values = finding_json(finding)
        values["owners"] = " ".join(values["owners"])
        rows.append([_cell(values[column]) for column in FINDING_COLUMNS])
    return _table(FINDING_COLUMNS, rows)


STATUS_COLUMNS = (
    "id", "title", "kind", "state", "term", "max_renewals", "term_start", "term_end", "renewal", "renewal_by",
    "renewal_on", "next_date", "next_days_left", "next_d", "next_code", "next_label", "next_what",
    "critical", "warning", "info", "owners", "file",
)  # fmt: skip


def status_csv(rows: Sequence[Standing]) -> bytes:
    lines = []
    for row in rows:
        values = standing_json(row)
        term = values["term"] or {}
        following = values["next"] or {}
        flat = {
            **values,
            "term": term.get("number"),
            "max_renewals": term.get("max_renewals"),
            "term_start": term.get("start"),
            "term_end": term.get("end"),
            "renewal": values["renewal"]["state"],
            "renewal_by": values["renewal"]["by"],
            "renewal_on": values["renewal"]["on"],
            **{
                f"next_{key}": following.get(key)
                for key in ("date", "days_left", "d", "code", "label", "what")
            },
            **values["findings"],
            "owners": " ".join(values["owners"]),
        }
        lines.append([_cell(flat[column]) for column in STATUS_COLUMNS])
    return _table(STATUS_COLUMNS, lines)


def _cell(value: object) -> object:
    """Empty for none; a text that a spreadsheet would run as a formula is quoted (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
