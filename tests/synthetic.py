"""Synthetic registries in the case-file format, the same for the same seed (benchmarks and tests use them).

Every agreement varies what the format allows: a term by length or by end (a date or a month), with or
without a midnight start; an automatic renewal or none, with or without a cap and a notice lead, notice by
any party or by named ones; obligations with a one-off due date, an evidence cadence or surviving the term,
for one party or several; and events (fulfilments, notices, terminations, amendments) before and after the
as-of day. A few plans have no term at all.

``broken`` > 0 makes every ``broken``-th file unreadable in one of several ways (bad YAML, an unknown key,
an impossible date, a duplicate id), so that input errors are part of what is compared.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

OWNERS = 40  # contact keys; a registry of ten thousand agreements has a few dozen teams, not thousands
_PARTY_NAMES = ("서울특별시", "김포시", "한국청소년쉼터협의회", "서울지방고용노동청", "○○도서관", "△△대학교")
_LENGTHS = ("6m", "1y", "1y", "2y", "3y", "18m", "90d", "2w")
_RENEWALS = ("1y", "1y", "2y", "6m")
_LEADS = (None, "1m", "2m", "30d", "2w", "3m")
_EVERY = ("1m", "3m", "6m", "1y", "2y")
_FIRST = date(2019, 1, 1)
_LAST = date(2025, 10, 31)


def contacts() -> dict[str, Any]:
    return {
        "contacts": {
            f"team-{n:02d}": {"name": f"교육정책과 {n}팀", "email": f"team-{n:02d}@example.org"}
            for n in range(OWNERS)
        }
    }


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max((last - first).days, 1)))


def _term(rng: random.Random, signed: date) -> dict[str, Any]:
    term: dict[str, Any] = {"clause": f"제{rng.randint(2, 9)}조"}
    if rng.random() < 0.15:
        term["start"] = _day(rng, signed, signed + timedelta(days=60))
    if rng.random() < 0.1:
        term["starts_at_midnight"] = True
    if rng.random() < 0.05:
        term["first_day_counts"] = True
    if rng.random() < 0.7:
        term["length"] = rng.choice(_LENGTHS)
    elif rng.random() < 0.5:
        end = _day(rng, signed + timedelta(days=120), signed + timedelta(days=1500))
        term["end"] = f"{end.year}-{end.month:02d}"
    else:
        term["end"] = _day(rng, signed + timedelta(days=120), signed + timedelta(days=1500))
    return term


def _renewal(rng: random.Random, parties: list[str]) -> dict[str, Any]:
    notice: dict[str, Any] = {
        "lead": rng.choice(_LEADS),
        "form": rng.choice(("written", "any")),
        "by": "any" if rng.random() < 0.8 else rng.sample(parties, rng.randint(1, len(parties))),
    }
    return {
        "clause": f"제{rng.randint(2, 9)}조 ②",
        "automatic": rng.random() < 0.9,
        "length": rng.choice(_RENEWALS),
        "max_renewals": None if rng.random() < 0.4 else rng.randint(0, 5),
        "notice": notice,
    }


def _obligation(rng: random.Random, n: int, parties: list[str], signed: date) -> dict[str, Any]:
    obligation: dict[str, Any] = {
        "id": f"duty-{n}",
        "clause": f"제3조 {n + 1}.",
        "party": rng.choice(parties) if len(parties) == 1 or rng.random() < 0.8 else rng.sample(parties, 2),
        "text": f"협약 이행 사항 {n + 1}: 프로그램 운영 및 자료 공유",
    }
    roll = rng.random()
    if roll < 0.25:
        due = _day(rng, signed, signed + timedelta(days=900))
        obligation["due"] = due if rng.random() < 0.5 else f"{due.year}-{due.month:02d}"
    elif roll < 0.6:
        obligation["evidence_every"] = rng.choice(_EVERY)
    elif roll < 0.7:
        obligation["survives"] = True
    return obligation


def _events(
    rng: random.Random, signed: date, parties: list[str], obligations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for obligation in obligations:
        duty_parties = obligation["party"] if isinstance(obligation["party"], list) else [obligation["party"]]
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            event: dict[str, Any] = {
                "date": _day(rng, signed, date(2026, 3, 1)),
                "type": "fulfilled",
                "obligation": obligation["id"],
                "ref": f"문서-{rng.randint(1, 9999)}",
            }
            if rng.random() < 0.7:
                event["party"] = rng.choice(duty_parties)
            events.append(event)
    roll = rng.random()
    if roll < 0.15:
        notice = {"date": _day(rng, signed, date(2026, 3, 1)), "type": "notice-given"}
        notice.update(party=rng.choice(parties), form=rng.choice(("written", "any")), note="재연장 없음")
        events.append(notice)
    elif roll < 0.2:
        end = {"date": _day(rng, signed, date(2026, 3, 1)), "type": "terminated"}
        events.append({**end, "party": rng.choice(parties), "ref": "해지-1"})
    if rng.random() < 0.1:
        events.append({"date": _day(rng, signed, _LAST), "type": "amended", "note": "변경 협약"})
    return sorted(events, key=lambda e: e["date"])


def agreement(rng: random.Random, number: int) -> dict[str, Any]:
    """One agreement (or plan) as the plain data of a case file."""
    signed = _day(rng, _FIRST, _LAST)
    keys = [f"party-{k}" for k in range(rng.randint(1, 4))]
    parties: dict[str, Any] = {}
    for k, key in enumerate(keys):
        party: dict[str, Any] = {"name": f"{_PARTY_NAMES[k % len(_PARTY_NAMES)]} {number}"}
        if k == 0 or rng.random() < 0.5:
            party["owners"] = [f"team-{rng.randrange(OWNERS):02d}"]
        parties[key] = party
    plan = rng.random() < 0.05
    data: dict[str, Any] = {
        "id": f"synthetic-{number:06d}",
        "title": f"합성 업무협약 {number}",
        "kind": "plan" if plan else "agreement",
        "source": "benchmarks: synthetic registry",
        "signed": signed,
        "parties": parties,
    }
    if not plan:
        data["term"] = _term(rng, signed)
        if rng.random() < 0.7:
            data["renewal"] = _renewal(rng, keys)
    obligations = [_obligation(rng, n, keys, signed) for n in range(rng.randint(1, 8))]
    data["obligations"] = obligations
    data["events"] = _events(rng, signed, keys, obligations)
    return data


def _broken(text: str, number: int, way: int) -> str:
    """One of four ways a real case file goes wrong."""
    if way == 0:
        return text.replace("parties:", "parties: [", 1)  # YAML that does not parse
    if way == 1:
        return text.replace("title:", "tilte:", 1)  # an unknown key (a typo)
    if way == 2:
        return text.replace("signed: ", "signed: 2025-02-30  # ", 1)  # an impossible date
    return text.replace(f"id: synthetic-{number:06d}", "id: synthetic-000001", 1)  # a duplicate id


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)


def write_registry(folder: Path, size: int, *, seed: int = 11, broken: int = 0) -> list[Path]:
    """``size`` case files and a contacts.yaml in ``folder``; the same seed gives the same bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contacts.yaml").write_text(_dump(contacts()), encoding="utf-8")
    rng = random.Random(seed)
    paths: list[Path] = []
    for number in range(1, size + 1):
        text = _dump(agreement(rng, number))
        if broken and number % broken == 0:
            text = _broken(text, number, (number // broken) % 4)
        path = folder / f"synthetic-{number:06d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# The golden outputs (tests/test_large_registry.py): one registry, the commands run on it, their output.
GOLDEN_SIZE = 300
GOLDEN_SEED = 11
GOLDEN_BROKEN = 37  # every 37th file is broken: 8 files, each way twice
GOLDEN_AS_OF = "2025-11-01"
GOLDEN_COMMANDS = {
    "check": ["check", "registry", "--as-of", GOLDEN_AS_OF, "--format", "json", "--fail-on", "never"],
    "notify": ["notify", "registry", "--as-of", GOLDEN_AS_OF, "--dry-run", "--ledger", "ledger.sqlite"],
    "validate": ["validate", "registry"],
}


def golden_env(state: Path) -> dict[str, str]:
    """No mail settings of the machine; the state folder (default outbox, ledger) in ``state``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("OBLIGATIONS_")}
    return {**env, "XDG_STATE_HOME": str(state), "OBLIGATIONS_MAIL_FROM": "obligations@example.org"}


def write_golden(folder: Path) -> None:
    """Run each golden command with the ``obligations`` this interpreter imports; keep stdout and stderr.

    To make them from another version of the code: ``PYTHONPATH=/path/to/that/tree python tests/synthetic.py
    tests/fixtures/golden``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        write_registry(work / "registry", GOLDEN_SIZE, seed=GOLDEN_SEED, broken=GOLDEN_BROKEN)
        for command, arguments in GOLDEN_COMMANDS.items():
            result = subprocess.run(
                [sys.executable, "-m", "obligations", *arguments],
                cwd=work,
                env=golden_env(work / "state"),
                capture_output=True,
                text=True,
                check=False,
            )
            (folder / f"{command}.stdout").write_text(result.stdout, encoding="utf-8")
            (folder / f"{command}.stderr").write_text(result.stderr, encoding="utf-8")
            (folder / f"{command}.exit").write_text(f"{result.returncode}\n", encoding="utf-8")


if __name__ == "__main__":
    write_golden(Path(sys.argv[1]))
