"""The words every view shares: severities, D-N, the registry that was read, where an agreement stands."""

from __future__ import annotations

from obligations.findings import Severity
from obligations.registry import Registry
from obligations.standing import RenewalState, Standing, State

SEVERITY = {
    "ko": {Severity.CRITICAL: "긴급", Severity.WARNING: "경고", Severity.INFO: "참고"},
    "en": {Severity.CRITICAL: "critical", Severity.WARNING: "warning", Severity.INFO: "info"},
}
STATE = {
    "ko": {State.IN_FORCE: "유효", State.NOT_STARTED: "시작 전", State.ENDED: "종료", State.PLAN: "계획"},
    "en": {State.IN_FORCE: "in force", State.NOT_STARTED: "not yet in force", State.ENDED: "ended",
           State.PLAN: "plan"},
}  # fmt: skip


def days(days_left: int | None) -> str:
    """``D-27`` (27 days ahead), ``D-day``, ``D+3`` (3 days ago): the notation of Korean deadlines, in
    both languages, so that ``check``, ``status``, ``explain`` and the JSON's readers see the same thing."""
    if days_left is None:
        return ""
    if days_left == 0:
        return "D-day"
    return f"D-{days_left}" if days_left > 0 else f"D+{-days_left}"


def registry_line(registry: Registry, lang: str) -> str:
    """``3 agreements, 0 problems — /srv/agreements``: what was read, so that nobody checks the wrong copy."""
    where = ", ".join(str(path) for path in registry.roots)
    count, problems = len(registry.admitted), len(registry.problems)
    if lang == "ko":
        return f"협약 {count}건, 입력 문제 {problems}건 — {where or '내장 예시 등록부'}"
    plural = "agreement" if count == 1 else "agreements"
    problems_word = "problem" if problems == 1 else "problems"
    return f"{count} {plural}, {problems} {problems_word} — {where or 'bundled sample registry'}"


def term_text(row: Standing, lang: str) -> str:
    """``renewal 2 of at most 3``, ``renewal 2, no cap``, ``original term``: the term in force, numbered."""
    if row.term is None:
        return ""
    cap = row.max_renewals
    if lang == "ko":
        number = "최초 기간" if row.term == 0 else f"{row.term}차 연장"
        limit = " / 상한 없음" if cap is None else f" / 최대 {cap}회"
    else:
        number = "original term" if row.term == 0 else f"renewal {row.term}"
        limit = (
            ", no cap" if cap is None else (f" of at most {cap}" if row.term else f", at most {cap} renewals")
        )
    return number + limit if row.renews else number


def renewal_text(row: Standing, lang: str) -> str:
    """``automatic``, ``final term``, ``notice given by gimpo on 2026-02-10``, ``terminated by …``, ``none``:
    what follows the term in force."""
    on = row.stopped_on.isoformat() if row.stopped_on else ""
    if lang == "ko":
        return {
            RenewalState.AUTOMATIC: "자동 연장",
            RenewalState.FINAL_TERM: "마지막 기간",
            RenewalState.NOTICE_GIVEN: f"연장 거절 통지: {row.stopped_by} {on}",
            RenewalState.TERMINATED: f"해지: {row.stopped_by} {on}",
            RenewalState.NONE: "없음",
        }[row.renewal]
    return {
        RenewalState.AUTOMATIC: "automatic",
        RenewalState.FINAL_TERM: "final term",
        RenewalState.NOTICE_GIVEN: f"notice given by {row.stopped_by} on {on}",
        RenewalState.TERMINATED: f"terminated by {row.stopped_by} on {on}",
        RenewalState.NONE: "none",
    }[row.renewal]
