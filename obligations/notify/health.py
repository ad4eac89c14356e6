"""Is the nightly job alive? The last notify run recorded in the ledger, judged for a monitor.

The absence of mail looks the same as "nothing due": a timer disabled, a server down for a week, a job
that fails before it sends anything. ``obligations health`` turns the ledger's record of runs into an exit
code: 0 when the last run finished within ``--max-age`` and left nothing undelivered or unread, 1 otherwise,
with one line naming why. ``status`` and ``report`` show the same record in a sentence.

The age is wall-clock time since the run finished (not the as-of day it checked), so a job that runs every
night with a fixed ``--as-of`` is still seen to run, and one that stopped is seen to have stopped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from obligations.notify.ledger import LedgerError, RunRecord, last_run

_AGE = re.compile(r"^(\d+)(s|min|h|d)$")
_UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400}
AGE_EXAMPLE = "26h (also 90s, 30min, 2d)"


def parse_age(text: str) -> timedelta:
    """``90s``, ``30min``, ``26h``, ``2d``: a whole number and a unit; raises ValueError with an example.

    >>> parse_age("26h")
    datetime.timedelta(days=1, seconds=7200)
    """
    found = _AGE.fullmatch(text.strip())
    if found is None or int(found[1]) == 0:
        hint = "; 'm' could be minutes or months: write 30min" if re.fullmatch(r"\d+m", text.strip()) else ""
        raise ValueError(
            f"{text!r} is not an age; give a whole number above 0 with s, min, h or d, "
            f"e.g. {AGE_EXAMPLE}{hint}"
        )
    return timedelta(seconds=int(found[1]) * _UNITS[found[2]])


def age_text(age: timedelta) -> str:
    """``45 s``, ``12 min``, ``30 h``, ``9 d``: rounded down, in the largest unit that keeps it readable."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


_WORDS = {
    "ko": {
        "none": "알림 작업 실행 기록 없음 ({ledger})",
        "run": "마지막 알림 작업: {finished} 종료({age} 전), {as_of} 기준, 메일 {delivered}건 전달",
        "undelivered": "미전달 {n}건(대기 {pending}, 거부 {refused})",
        "unread": "읽지 못한 파일 {n}개: {files}",
        "stale": "허용 {limit}보다 오래됨",
        "ok": "정상",
        "failed": "이상",
        "unreadable": "알림 기록을 읽을 수 없음: {error}",
    },
    "en": {
        "none": "no notify run recorded in {ledger}",
        "run": "last notify run finished {finished} ({age} ago) as of {as_of}: "
        "{delivered} digest(s) delivered",
        "undelivered": "{n} digest(s) not delivered ({pending} pending, {refused} refused)",
        "unread": "{n} file(s) unread: {files}",
        "stale": "older than --max-age {limit}",
        "ok": "ok",
        "failed": "FAILED",
        "unreadable": "the notify record cannot be read: {error}",
    },
}


@dataclass(frozen=True)
class Verdict:
    healthy: bool
    line: str


def run_sentence(run: RunRecord, now: datetime, lang: str) -> list[str]:
    """The run in words, then what it left behind: each a part of one line."""
    words = _WORDS[lang]
    parts = [
        words["run"].format(
            finished=run.finished.isoformat(sep=" ", timespec="minutes"),
            age=age_text(now - run.finished),
            as_of=run.as_of.isoformat(),
            delivered=run.delivered,
        )
    ]
    if run.undelivered:
        parts.append(words["undelivered"].format(n=run.undelivered, pending=run.pending, refused=run.refused))
    if run.unread:
        files = ", ".join(run.unread[:5]) + (", …" if len(run.unread) > 5 else "")
        parts.append(words["unread"].format(n=len(run.unread), files=files))
    return parts


def judge(
    run: RunRecord | None, ledger: Path, now: datetime, max_age: timedelta, lang: str = "en"
) -> Verdict:
    """Healthy: a run is recorded, it finished within ``max_age`` of ``now``, and it left nothing
    undelivered and no file unread."""
    words = _WORDS[lang]
    if run is None:
        return Verdict(False, f"{words['failed']}: {words['none'].format(ledger=ledger)}")
    parts = run_sentence(run, now, lang)
    stale = now - run.finished > max_age
    if stale:
        parts[0] += f" — {words['stale'].format(limit=age_text(max_age))}"
    healthy = not stale and not run.undelivered and not run.unread
    return Verdict(healthy, f"{words['ok' if healthy else 'failed']}: " + "; ".join(parts))


def last_run_note(ledger: Path, lang: str, now: datetime | None = None) -> str:
    """One sentence for ``status`` and ``report``: when the last nightly run was and what it delivered.
    Never fails: a ledger that cannot be read is said so in the sentence."""
    words = _WORDS[lang]
    try:
        run = last_run(ledger)
    except LedgerError as error:
        return words["unreadable"].format(error=error)
    if run is None:
        return words["none"].format(ledger=ledger)
    return "; ".join(run_sentence(run, now or datetime.now().astimezone(), lang))
