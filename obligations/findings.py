"""Findings: what the rules flag, in the shape every output (table, JSON, mail, calendar) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    """How urgent a finding is; the order is the order of urgency (``--fail-on`` compares with it)."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}


@dataclass(frozen=True)
class Finding:
    """One thing an analyst or owner must know about one party of one agreement on the as-of day.

    ``id`` is stable: the same finding (agreement, code, party, obligation and ``occurrence``: the term for
    what is owed once per term, the period of a recurring duty's occurrence, "0" for what is owed once)
    has the same id on every day it is reported, across renewals too, so that mail is not repeated and a
    snooze keeps holding (:func:`obligations.rulebook.finding_id`).
    """

    id: str
    code: str
    severity: Severity
    agreement: str
    agreement_title: str
    party: str
    party_name: str
    obligation: str | None
    due: date | None
    days_left: int | None
    message: str
    explain: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    term: int = 0
    period: str | None = None  # the occurrence of a recurring duty ("2025-H2") or a lapsed term
    occurrence: str = "0"  # the key of the id besides code, agreement, party and obligation
    label: str = ""
    reason: str = ""  # the rule's one-line reason in the finding's language, shown by `explain`
    snoozed_until: date | None = None
    # The last day the law allows: a notice's legal deadline (its ``due`` is the act-by date before it);
    # None when ``due`` is that day. A snooze may not silence a finding past it (docs/operations.md).
    legal: date | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InputProblem:
    """A case file (or part of one) that could not be read; reported, never skipped."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def unexpected_problem(file: object, error: Exception) -> InputProblem:
    """What the user sees when handling one file failed in a way nobody foresaw: that file's problem,
    with a short reason, while the other files are still checked (a defect to report, not a crash)."""
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if len(reason) > 200:
        reason = reason[:197] + "..."
    return InputProblem(
        str(file),
        None,
        "",
        f"could not be checked ({reason}); the other files were checked; please report it",
    )
