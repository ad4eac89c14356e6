"""A seeded mutation fuzzer over the bundled files: whatever the bytes, no exception escapes, every problem
names its file (and, where the file has lines, a line), and a file that loads can be checked.

Mutations: byte flips, truncation, wrong types per field, extreme values, tags, aliases, merge keys and raw
control characters, applied to the bundled case files, contacts.yaml and a holidays.yaml. In-process and
seeded, so a failure is reproducible from its variant number.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from obligations.checking import CheckDay, calendar_fact, check_agreements, rulebook
from obligations.compile import horizon_end
from obligations.duration import Duration
from obligations.findings import InputProblem
from obligations.loading import load_agreement
from obligations.registry import CaseFile, Registry, load_registry
from obligations.resources import cases_dir
from obligations.rulebook import definitions

SEED = 20251101
VARIANTS = 1200
CASES = sorted(p for p in cases_dir().glob("*.yaml") if p.name != "contacts.yaml")
HOLIDAYS = 'add:\n  - {date: 2026-10-09, name: 임시공휴일, reason: "관보"}\n'  # plus remove: below
HOLIDAYS += "remove:\n  - {date: 2026-05-01, reason: r}\n"
SOURCES = {p.name: p.read_bytes() for p in [*CASES, cases_dir() / "contacts.yaml"]} | {
    "holidays.yaml": HOLIDAYS.encode()
}
# Values that are the wrong type or beyond a bound for some field, and YAML that must be refused.
ODD_VALUES = [
    "true", "1", "3.0", "'3'", "-1", "null", "[]", "{}", "9999-12-31", "0001-01-01", "2199-12-31",
    "1900-01-01", "99999y", "5000y", "١y", "0d", "36600d", "100y", "1" + "0" * 5000, "2025-02-30", "'yes'",
    "!!python/object/apply:os.system [echo]", "!!binary aGk=", "*nowhere", "&a x", "\"\x07\"", "~", "\"\"",
    "{<<: {a: 1}}", "2025-13", "2199-12", "1899-12", "-1e400", ".nan", "0x10",
]  # fmt: skip
INSERTS = [
    b"\x00", b"\x07", b"\x1b", b"\xc2\x80", b"\xff", b"\xbc\xad", b"<<: *x\n", b"!!str ", b"&a ", b"*a ",
    b"\n<<: {id: x}\n", b"\t", b"\r", b"\xef\xbb\xbf", b"]", b"{", b"---\n", b"...\n", b"? ", b"%YAML 1.1\n",
]  # fmt: skip
_VALUE_LINE = re.compile(rb"^(\s*(?:- )?[a-z_]+:) (.+)$", re.MULTILINE)


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _insert(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(INSERTS) + data[at:]


def _odd_value(rng: random.Random, data: bytes) -> bytes:
    """One field's value replaced by a value of the wrong type, an extreme one, a tag, an alias…"""
    fields = list(_VALUE_LINE.finditer(data))
    if not fields:
        return data
    field = rng.choice(fields)
    value = rng.choice(ODD_VALUES).encode()
    return data[: field.start(2)] + value + data[field.end(2) :]


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [_flip, _truncate, _insert, _odd_value, _odd_value]


def variants() -> list[tuple[int, str, bytes]]:
    rng = random.Random(SEED)
    names = sorted(SOURCES)
    out = []
    for number in range(VARIANTS):
        name = rng.choice(names)
        data = SOURCES[name]
        for _ in range(rng.randint(1, 3)):
            data = rng.choice(MUTATIONS)(rng, data)
        out.append((number, name, data))
    return out


def test_no_mutated_file_escapes_as_an_exception_and_every_problem_is_placed(tmp_path: Path) -> None:
    loaded = []
    for number, name, data in variants():
        path = tmp_path / f"{number}-{name}"
        path.write_bytes(data)
        where = f"variant {number} of {name}"
        if name in ("holidays.yaml", "contacts.yaml"):  # read beside no case file, as a registry does
            folder = tmp_path / f"{number}"
            folder.mkdir()
            path = folder / name
            path.write_bytes(data)
            problems = load_registry([folder]).problems
        else:
            agreement, document, problems = load_agreement(path)
            if agreement is not None and document is not None:
                loaded.append(CaseFile(path, agreement, document))
        for problem in problems:
            assert problem.file == str(path), where
            assert problem.line is not None and problem.line >= 1, f"{where}: {problem}"
            assert problem.message, where
    # Every file that loads is checked without a failure: validate refuses exactly what check cannot compute.
    assert len(loaded) > 50
    for as_of in (dt.date(1900, 1, 1), dt.date(2025, 11, 1), dt.date(2199, 12, 31)):
        assert _check(loaded, as_of) == [], as_of


def _check(cases: list[CaseFile], as_of: dt.date) -> list[str]:
    """The problems of checking ``cases`` on ``as_of`` with the longest horizon."""
    rules = rulebook()
    registry = Registry(cases=cases)
    until = horizon_end(as_of, Duration(years=100))
    calendar = calendar_fact(as_of, until, registry.calendar)
    day = CheckDay(
        as_of, until, registry, "ko", {r.name: r for r in rules}, definitions(rules, calendar), calendar
    )
    return [str(outcome) for outcome in check_agreements(cases, day) if isinstance(outcome, InputProblem)]


@pytest.mark.parametrize("number", [0, 1, 2])
def test_the_fuzzer_is_seeded(number: int) -> None:
    assert variants()[number] == variants()[number]
