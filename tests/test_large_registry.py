"""A generated registry, streamed in buckets: the same output in one process and in worker processes, and the
same as the golden files. These were first made by the code before streaming existed (commit 329ae53) and the
streamed output matched them byte for byte; they were made again only where later issues changed the output
on purpose (notice deadlines, the evidence clock, new JSON fields), each difference explained in the commit
that did it. The registry is written by tests/synthetic.py."""

from __future__ import annotations

import gc
import io
import os
import sys
import weakref
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from synthetic import GOLDEN_BROKEN, GOLDEN_COMMANDS, GOLDEN_SEED, GOLDEN_SIZE, golden_env, write_registry

from obligations import buckets
from obligations.buckets import in_buckets
from obligations.cli import cli
from obligations.commands.progress import progress_line

GOLDEN = Path(__file__).parent / "fixtures" / "golden"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder that holds ``registry/``, the golden registry of GOLDEN_SIZE agreements."""
    folder = tmp_path_factory.mktemp("large")
    write_registry(folder / "registry", GOLDEN_SIZE, seed=GOLDEN_SEED, broken=GOLDEN_BROKEN)
    return folder


@pytest.fixture(params=["one process", "worker processes"])
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Either the small registry's single process, or two workers given buckets of 37 files, so that
    duplicate ids and broken files fall in buckets other than the files they are compared with."""
    if request.param == "worker processes":
        monkeypatch.setattr(buckets, "PARALLEL_FROM", 2)
        monkeypatch.setattr(buckets, "BUCKET", 37)
        monkeypatch.setattr(buckets, "workers_available", lambda: 2)
    return str(request.param)


@pytest.mark.parametrize("command", sorted(GOLDEN_COMMANDS))
def test_output_is_the_golden_output(
    command: str, registry: Path, processes: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(registry)
    result = CliRunner().invoke(cli, GOLDEN_COMMANDS[command], env=golden_env(tmp_path / "state"))
    assert (result.exit_code, result.stderr) == (
        int((GOLDEN / f"{command}.exit").read_text()),
        (GOLDEN / f"{command}.stderr").read_text(encoding="utf-8"),
    )
    assert result.stdout == (GOLDEN / f"{command}.stdout").read_text(encoding="utf-8")


def _with_process(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in items]


def test_large_work_runs_in_worker_processes_in_the_order_of_the_items(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(buckets, "BUCKET", 10)
    monkeypatch.setattr(buckets, "PARALLEL_FROM", 50)
    done: list[tuple[int, int]] = []
    results = list(in_buckets(range(95), _with_process, workers=2, progress=lambda *n: done.append(n)))
    assert [item for item, _ in results] == list(range(95))
    assert os.getpid() not in {pid for _, pid in results}
    assert done == [(n, 95) for n in range(10, 100, 10)] + [(95, 95)]


def test_small_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(buckets, "PARALLEL_FROM", 50)
    results = list(in_buckets(range(49), _with_process, workers=2))
    assert [item for item, _ in results] == list(range(49))
    assert {pid for _, pid in results} == {os.getpid()}


class _Cycle:
    """Garbage that only the cyclic collector frees (it refers to itself)."""

    def __init__(self) -> None:
        self.me = self


def test_each_bucket_is_worked_with_the_collector_paused_and_its_cycles_freed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(buckets, "BUCKET", 10)
    collecting: list[bool] = []

    def leave_cycles(items: Sequence[int]) -> list[weakref.ref[_Cycle]]:
        collecting.append(gc.isenabled())
        return [weakref.ref(_Cycle()) for _ in items]

    frozen = gc.get_freeze_count()
    cycles = list(in_buckets(range(25), leave_cycles, workers=1))
    assert collecting == [False, False, False]
    assert [cycle() for cycle in cycles] == [None] * 25  # too few for an automatic collection to free them
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_what_the_caller_froze_stays_frozen_after_the_buckets() -> None:
    """The command line freezes its start-up (obligations.cli.main); working buckets must not undo it."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        list(in_buckets(range(5), _with_process, workers=1))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_and_wiped_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_line("checking", quiet=False) as progress:
        assert progress is not None
        progress(250, 1200)
        progress(1200, 1200)
    assert terminal.getvalue() == (
        "\rchecking: 250/1,200 agreements\rchecking: 1,200/1,200 agreements\r\x1b[K"
    )


@pytest.mark.parametrize(("stream", "quiet"), [(_Terminal, True), (io.StringIO, False)])
def test_no_progress_with_quiet_or_off_a_terminal(
    stream: type[io.StringIO], quiet: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = stream()
    monkeypatch.setattr(sys, "stderr", stderr)
    with progress_line("checking", quiet=quiet) as progress:
        assert progress is None
    assert stderr.getvalue() == ""


@pytest.mark.parametrize("command", ["check", "validate"])
def test_quiet_changes_nothing_else(
    command: str, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(registry)
    result = CliRunner().invoke(cli, [*GOLDEN_COMMANDS[command], "--quiet"])
    assert result.stdout == (GOLDEN / f"{command}.stdout").read_text(encoding="utf-8")
