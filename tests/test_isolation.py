"""One bad case file never silences the registry: bounds on dates and lengths, the term in force found by
arithmetic, and every unexpected failure kept at the boundary of the file it happened in."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from notify_support import Handler, smtp_server

from obligations import checking, registry
from obligations import terms as terms_module
from obligations.cli import cli
from obligations.compile import compile_agreement
from obligations.dates import first_term, notice_deadline, renewal_term
from obligations.duration import Duration
from obligations.model import Agreement
from obligations.notify.settings import KEYS
from obligations.resources import cases_dir
from obligations.terms import Chain
from obligations.workdays import WorkdayCalendar

YOUTH = "youth-shelter-self-reliance-mou-2025.yaml"
GIMPO = "seoul-gimpo-seoullearn-mou-2025.yaml"
IAEC = "iaec-membership-plan-2025.yaml"
AS_OF = "2025-11-01"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.output


def bundled(folder: Path) -> Path:
    for name in ("contacts.yaml", YOUTH, GIMPO, IAEC):
        (folder / name).write_text((cases_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def edited(name: str, old: str, new: str, *, new_id: str = "poisoned") -> str:
    text = (cases_dir() / name).read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    return "\n".join(f"id: {new_id}" if ln.startswith("id: ") else ln for ln in text.splitlines()) + "\n"


def findings_of(folder: Path) -> set[tuple[str, str, str]]:
    code, output = run("check", str(folder), "--as-of", AS_OF, "--format", "json")
    assert code == 1, output
    report = json.loads(output)
    assert report["errors"] == []
    return {(f["id"], f["message"], f["severity"]) for f in report["findings"]}


# -- bounds: refused by the model, with the range and an example ------------------------------------------

BEYOND_THE_BOUNDS = [
    pytest.param(
        "signed: 2025-02-06",
        "signed: 9999-12-31",
        "6: signed: expected a date from 1900-01-01 to 2199-12-31; got: '9999-12-31' "
        "(example: signed: 2025-02-25)",
        id="signed in 9999",
    ),
    pytest.param(
        "signed: 2025-02-06",
        "signed: 0001-01-01",
        "6: signed: expected a date from 1900-01-01 to 2199-12-31; got: '0001-01-01' "
        "(example: signed: 2025-02-25)",
        id="signed in year 1",
    ),
    pytest.param(
        "  end: 2025-12 ",
        "  end: 9999-12 ",
        "14: term.end: expected a month from 1900-01-01 to 2199-12-31; got: '9999-12' "
        "(example: end: 2025-12)",
        id="term end in 9999",
    ),
    pytest.param(
        "  length: 1y\n",
        "  length: 99999y\n",
        "18: renewal.length: a length is at most 100 years: 100y, 1200m or 36600d; got: '99999y' "
        "(example: length: 1y)",
        id="renewal of 99999 years",
    ),
    pytest.param(
        "    lead: 1m ",
        "    lead: 5000y ",
        "21: renewal.notice.lead: a length is at most 100 years: 100y, 1200m or 36600d; got: '5000y' "
        "(example: lead: 1m)",
        id="lead of 5000 years",
    ),
    pytest.param(
        "    lead: 1m ",
        "    lead: 1" + "0" * 5000 + "d ",
        "21: renewal.notice.lead: a length is at most 100 years: 100y, 1200m or 36600d; got: '1000000",
        id="a length of 5,000 digits",
    ),
    pytest.param(
        "  length: 1y\n",
        "  length: ١y\n",
        "18: renewal.length: expected a length such as 1y, 6m, 2w, 30d or 1y 6m; got: '١y'",
        id="Arabic-Indic digit",
    ),
    pytest.param(
        "  max_renewals: 3 ",
        "  max_renewals: true ",
        "19: renewal.max_renewals: input should be a valid integer; got: True (example: max_renewals: 3)",
        id="max_renewals true",
    ),
    pytest.param(
        "  max_renewals: 3 ",
        "  max_renewals: '3' ",
        "19: renewal.max_renewals: input should be a valid integer; got: '3' (example: max_renewals: 3)",
        id="max_renewals as text",
    ),
    pytest.param(
        "  max_renewals: 3 ",
        "  max_renewals: 3.0 ",
        "19: renewal.max_renewals: input should be a valid integer; got: 3.0 (example: max_renewals: 3)",
        id="max_renewals as a float",
    ),
    pytest.param(
        "  automatic: true ",
        "  automatic: 'yes' ",
        "17: renewal.automatic: input should be a valid boolean; got: 'yes' (example: automatic: true)",
        id="automatic 'yes'",
    ),
    pytest.param(
        "  automatic: true ",
        "  automatic: 1 ",
        "17: renewal.automatic: input should be a valid boolean; got: 1 (example: automatic: true)",
        id="automatic 1",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), BEYOND_THE_BOUNDS)
def test_values_beyond_the_bounds_are_refused_by_validate_and_check(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    folder = bundled(tmp_path)
    good = findings_of(folder)
    bad = folder / "poisoned.yaml"
    bad.write_text(edited(YOUTH, old, new), encoding="utf-8")
    code, output = run("validate", str(folder))
    assert code == 2
    assert f"{bad}:{expected}" in output
    assert output.count(str(bad)) == 1
    code, output = run("check", str(folder), "--as-of", AS_OF, "--format", "json")
    assert code == 2
    report = json.loads(output)
    assert {(f["id"], f["message"], f["severity"]) for f in report["findings"]} == good
    assert [e["file"] for e in report["errors"]] == [str(bad)]


@pytest.mark.parametrize("command", ["check", "notify", "explain"])
@pytest.mark.parametrize("as_of", ["9999-12-01", "1899-12-31", "2200-01-01"])
def test_as_of_outside_the_bounds_is_a_usage_error(command: str, as_of: str) -> None:
    args = [command, "--as-of", as_of, "--dry-run"] if command == "notify" else [command, "--as-of", as_of]
    if command == "explain":
        args.insert(1, "some-id")
    code, output = run(*args)
    assert code == 2
    assert f"Invalid value for '--as-of': expected a date from 1900-01-01 to 2199-12-31; got: '{as_of}'" in (
        output
    )


def test_the_last_day_in_range_is_checked_with_the_longest_lengths(tmp_path: Path) -> None:
    """The corner the bounds promise: as of 2199-12-31, a 100-year term, renewals and lead, horizon 100y."""
    case = edited(YOUTH, "  end: 2025-12 ", "  length: 100y ").replace("  length: 1y\n", "  length: 100y\n")
    case = case.replace("    lead: 1m ", "    lead: 100y ").replace(
        "signed: 2025-02-06", "signed: 2199-12-31"
    )
    (tmp_path / "edge.yaml").write_text(case, encoding="utf-8")
    (tmp_path / "contacts.yaml").write_text((cases_dir() / "contacts.yaml").read_text(encoding="utf-8"))
    code, output = run(
        "check", str(tmp_path), "--as-of", "2199-12-31", "--horizon", "100y", "--format", "json"
    )
    # The legal deadline (2199-12-30, the day before 100 years before the expiry) has just passed: the
    # first renewal follows, an info finding, so nothing reaches --fail-on warning.
    assert code == 0, output
    report = json.loads(output)
    assert report["errors"] == []
    assert {f["code"] for f in report["findings"]} >= {"renewed"}


# -- the term in force, by arithmetic ---------------------------------------------------------------------


def walked_chain(agreement: Agreement, as_of: dt.date, calendar: WorkdayCalendar) -> tuple[Any, ...]:
    """The reading of the events the chain had before: every term walked, one after the other (the oracle)."""
    events = sorted((e for e in agreement.events if e.date <= as_of), key=lambda e: e.date)
    renewal, term_spec = agreement.renewal, agreement.term
    assert term_spec is not None
    start = agreement.signed if term_spec.start == "signed" else term_spec.start
    assert isinstance(start, dt.date)
    first = first_term(start, length=term_spec.length, end=term_spec.end)
    terms, notices = [first], [None]
    notices_left = [e for e in events if terms_module.stops_renewal(agreement, e)]
    terminated = next((e for e in events if e.type == "terminated"), None)
    while True:
        term = terms[-1]
        if terminated is not None and terminated.date <= term.end.date:
            return term.index, term.end.date, terminated, terminated.date
        if renewal is None or not renewal.automatic:
            return term.index, term.end.date, None, None
        legal = notice_deadline(term.end.date, renewal.notice.lead, calendar).legal.date
        notices.append(None)
        on_time = next((e for e in notices_left if e.date <= legal), None)
        if on_time is not None:
            return term.index, term.end.date, on_time, None
        if (
            renewal.max_renewals is not None and term.index >= renewal.max_renewals
        ) or term.end.date >= as_of:
            return term.index, term.end.date, None, None
        terms.append(renewal_term(first, renewal.length, term.index + 1))


def summary(chain: Chain) -> tuple[Any, ...]:
    return chain.current.index, chain.current.end.date, chain.stopped_by, chain.ended_on


DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))
SHORT = st.sampled_from(["1d", "3d", "1w", "1m", "2m", "3m", "1y", "1y 6m", "2y", "45d"])
EVENT = st.tuples(DAYS, st.sampled_from(["notice-given", "terminated", "fulfilled"]))


@settings(max_examples=300, deadline=None)
# A notice on time for the original term stops the chain there, before a later termination (found by
# hypothesis once: the arithmetic chain took the termination first).
@example(
    signed=dt.date(2000, 1, 1),
    term="1d",
    length="1d",
    lead=None,
    cap=None,
    automatic=True,
    events=[(dt.date(2000, 1, 1), "notice-given"), (dt.date(2000, 1, 3), "terminated")],
    as_of=dt.date(2000, 2, 1),
)
@given(
    signed=DAYS,
    term=SHORT,
    length=SHORT,
    lead=st.none() | SHORT,
    cap=st.none() | st.integers(0, 6),
    automatic=st.booleans(),
    events=st.lists(EVENT, max_size=3),
    as_of=DAYS,
)
def test_the_term_in_force_is_the_one_walking_the_chain_finds(
    signed: dt.date,
    term: str,
    length: str,
    lead: str | None,
    cap: int | None,
    automatic: bool,
    events: list[tuple[dt.date, str]],
    as_of: dt.date,
) -> None:
    agreement = Agreement.model_validate(
        {
            "id": "a",
            "title": "t",
            "signed": signed.isoformat(),
            "parties": {"p": {"name": "P"}},
            "term": {"length": term},
            "renewal": {
                "automatic": automatic,
                "length": length,
                "max_renewals": cap,
                "notice": {"lead": lead},
            },
            "obligations": [{"id": "o", "clause": "c", "party": "p", "text": "x"}],
            "events": [
                {"date": day.isoformat(), "type": kind, "party": "p", "obligation": "o"}
                for day, kind in events
            ],
        }
    )
    calendar = WorkdayCalendar()
    known = tuple(e for e in agreement.events if e.date <= as_of)
    assert summary(terms_module.chain_on(agreement, known, as_of, calendar)) == walked_chain(
        agreement, as_of, calendar
    )


def test_daily_renewals_since_1900_need_a_handful_of_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Constant work whatever the number of renewals: the k-th term is computed, never the ones before."""
    computed: list[int] = []
    real = terms_module.renewal_term

    def counted(first: Any, length: Duration, k: int, **kwargs: Any) -> Any:
        computed.append(k)
        return real(first, length, k, **kwargs)

    monkeypatch.setattr(terms_module, "renewal_term", counted)
    agreement = Agreement.model_validate(
        {
            "id": "daily",
            "title": "daily renewals",
            "signed": "1900-01-01",
            "parties": {"p": {"name": "P"}},
            "term": {"length": "1d"},
            "renewal": {"length": "1d", "notice": {"lead": "100y"}},
            "events": [{"date": "2099-06-01", "type": "notice-given", "party": "p"}],
        }
    )
    compiled = compile_agreement(
        agreement, dt.date(2199, 12, 31), WorkdayCalendar(), until=dt.date(2199, 12, 31)
    )
    term = next(fact for fact in compiled.facts if fact["kind"] == "term")
    # The notice of 2099-06-01 is on time for the term ending 2199-06-02 (its legal deadline is the day
    # before the day 100 years before: 2099-06-01); term k ends on day k counted from the anchor 1900-01-03.
    assert term["term"] == (dt.date(2199, 6, 2) - dt.date(1900, 1, 3)).days + 1
    assert term["stopped"] == 1
    assert len(computed) < 20


# -- the per-file boundary ---------------------------------------------------------------------------------


def failing_for(poisoned: str, real: Callable[..., Any], picks: Callable[..., bool]) -> Callable[..., Any]:
    """``real``, except that it fails, as a defect would, when ``picks`` recognises the poisoned input."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if picks(*args, **kwargs):
            raise OverflowError(f"date value out of range ({poisoned})")
        return real(*args, **kwargs)

    return call


def _is_poisoned_agreement(agreement: Any, *_: Any, **__: Any) -> bool:
    return isinstance(agreement, Agreement) and agreement.id == "poisoned"


def _has_poisoned_group(_: Any, groups: Sequence[Sequence[Mapping[str, Any]]], **__: Any) -> bool:
    return any(fact.get("party") == "poisoned-party" for group in groups for fact in group)


def _poisoned_path(path: Any, *_: Any, **__: Any) -> bool:
    return isinstance(path, Path) and path.name == "poisoned.yaml"


FAILURES = {
    # where the defect strikes: (module, attribute, which input sets it off)
    "loading": (registry, "load_agreement", _poisoned_path),
    "compiling": (checking, "compile_agreement", _is_poisoned_agreement),
    "evaluating": (checking, "evaluate", _has_poisoned_group),
}


@pytest.fixture(params=sorted(FAILURES))
def poisoned_registry(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, set[tuple[str, str, str]]]:
    """The bundled registry, its findings, then a poisoned file beside it that fails in one step."""
    (tmp_path / "registry").mkdir()
    folder = bundled(tmp_path / "registry")
    good = findings_of(folder)
    text = edited(GIMPO, "  seoul:", "  poisoned-party: {name: 독}\n  seoul:")
    (folder / "poisoned.yaml").write_text(text, encoding="utf-8")
    module, name, picks = FAILURES[request.param]
    monkeypatch.setattr(module, name, failing_for("poisoned", getattr(module, name), picks))
    return folder, good


def test_a_file_that_fails_unexpectedly_is_reported_and_the_others_are_checked(
    poisoned_registry: tuple[Path, set[tuple[str, str, str]]],
) -> None:
    folder, good = poisoned_registry
    code, output = run("check", str(folder), "--as-of", AS_OF, "--format", "json")
    assert code == 2
    report = json.loads(output)
    assert report["errors"] == [
        {
            "file": str(folder / "poisoned.yaml"),
            "line": None,
            "message": "could not be checked (OverflowError: date value out of range (poisoned)); "
            "the other files were checked; please report it",
        }
    ]
    assert {(f["id"], f["message"], f["severity"]) for f in report["findings"]} == good


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_notify_still_mails_the_others_and_never_calls_the_failed_files_findings_resolved(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Night 1: every file is sound and mailed. Night 2: one file fails; nobody hears its findings are
    resolved (they were not checked), and a finding new on night 2 in a sound file is still mailed."""
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "registry").mkdir()
    folder = bundled(tmp_path / "registry")
    (folder / "poisoned.yaml").write_text(
        edited(YOUTH, "  seoul:", "  poisoned-party: {name: 독}\n  seoul:"), encoding="utf-8"
    )
    handler = Handler()
    ledger = str(tmp_path / "ledger.sqlite")
    with smtp_server(handler) as server:
        env = {
            "OBLIGATIONS_SMTP_HOST": "127.0.0.1",
            "OBLIGATIONS_SMTP_PORT": str(server.port),
            "OBLIGATIONS_MAIL_FROM": "obligations@example.org",
        }

        def notify(as_of: str) -> Any:
            return CliRunner().invoke(
                cli, ["notify", str(folder), "--as-of", as_of, "--ledger", ledger], env=env
            )

        first = notify("2025-11-01")
        assert first.exit_code == 0, first.output
        module, name, picks = FAILURES[failure]
        monkeypatch.setattr(module, name, failing_for("poisoned", getattr(module, name), picks))
        second = notify("2025-11-28")  # the youth MOU's act-by day: a new, critical finding
    assert second.exit_code == 2, second.output
    assert f"input: {folder / 'poisoned.yaml'}: could not be checked (OverflowError:" in second.output
    assert len(handler.received) == 3  # night 1: two owners; night 2: the youth MOU's owner only
    night_two = handler.received[-1]
    assert night_two.rcpt_tos == ["youth-counselling@example.org"]
    body = night_two.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "해소" not in body  # no "resolved" section: the failed file's findings are still open


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _sparse(path: Path) -> None:
    with path.open("wb") as file:
        file.truncate(2 << 30)


def _writes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


POISONS = {
    "fifo": _fifo,
    "device link": _device,
    "sparse 2 GiB": _sparse,
    "merge key": _writes(b"id: x\nbase: &b {title: t}\nmore:\n  <<: *b\n"),
    "tag on a key": _writes(b"!!python/name:os.system id: x\n"),
    "CP949": _writes("id: 서울\n".encode("cp949")),
    "control character": _writes(b"id: x\ntitle: \x07\n"),
    "date in 9999": _writes(edited(YOUTH, "signed: 2025-02-06", "signed: 9999-12-31").encode()),
    "length of 99999 years": _writes(edited(YOUTH, "  length: 1y\n", "  length: 99999y\n").encode()),
    "max_renewals true": _writes(edited(YOUTH, "  max_renewals: 3 ", "  max_renewals: true ").encode()),
}


@pytest.mark.parametrize("poison", sorted(POISONS))
def test_one_poisoned_file_beside_the_registry_never_stops_the_digests(
    poison: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "registry").mkdir()
    folder = bundled(tmp_path / "registry")
    POISONS[poison](folder / "poisoned.yaml")
    handler = Handler()
    with smtp_server(handler) as server:
        env = {
            "OBLIGATIONS_SMTP_HOST": "127.0.0.1",
            "OBLIGATIONS_SMTP_PORT": str(server.port),
            "OBLIGATIONS_MAIL_FROM": "obligations@example.org",
        }
        args = ["notify", str(folder), "--as-of", AS_OF, "--ledger", str(tmp_path / "ledger.sqlite")]
        result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert f"input: {folder / 'poisoned.yaml'}" in result.output
    # The bundled registry's digests, as when the poisoned file is not there (test_notify_cli).
    assert "sent 2 digest(s) (14 item(s), 0 resolved)" in result.output
    assert sorted(handler.by_recipient()) == [
        "lifelong-edu-policy@example.org",
        "youth-counselling@example.org",
    ]
