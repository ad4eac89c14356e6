"""A large registry worked through in buckets of files, on every core, in the order of the files.

Only one bucket of agreements is alive at a time in each process: memory stays flat however large the
registry, and holds beyond that only what the work returns (the findings). Below :data:`PARALLEL_FROM`
files everything runs in the calling process, where starting workers would cost more than they save.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

BUCKET = 250  # files per bucket: big enough that one engine call per bucket pays, small enough to stay flat
PARALLEL_FROM = 600  # files; below this a single process is faster than starting workers

Progress = Callable[[int, int], None]  # (files done, files in all)


def workers_available() -> int:
    """The cores this process may run on (not every core of the machine, under a CPU affinity mask)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def in_buckets(
    items: Sequence[T],
    work: Callable[[Sequence[T]], list[R]],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Iterator[R]:
    """``work`` applied to consecutive buckets of ``items``; its results yielded in the order of the items.

    ``work`` returns one result per item and must be picklable (a module-level function, or a
    ``functools.partial`` of one): in worker processes it is sent once to each worker, not with every bucket.
    ``workers`` defaults to the cores available; 1 keeps everything in this process.
    """
    workers = workers or workers_available()
    buckets = [items[start : start + BUCKET] for start in range(0, len(items), BUCKET)]
    if workers < 2 or len(items) < PARALLEL_FROM:
        results: Iterator[list[R]] = map(partial(collected_after, work), buckets)
    else:
        results = _in_workers(work, buckets, min(workers, len(buckets)))
    done = 0
    for bucket, result in zip(buckets, results, strict=True):
        yield from result
        done += len(bucket)
        if progress is not None:
            progress(done, len(items))


def _in_workers(
    work: Callable[[Sequence[T]], list[R]], buckets: list[Sequence[T]], workers: int
) -> Iterator[list[R]]:
    # Imported here: multiprocessing costs a small registry's check more start-up than the check itself.
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(work,))
    try:
        # map() keeps the order of the buckets, whichever worker finishes first.
        yield from pool.map(_run_bucket, buckets)
    finally:
        pool.shutdown(cancel_futures=True)


_work: Callable[[Sequence[Any]], list[Any]] | None = None  # in a worker process: its work, set at its start


def _start_worker(work: Callable[[Sequence[Any]], list[Any]]) -> None:
    global _work
    _work = work


def _run_bucket(bucket: Sequence[Any]) -> list[Any]:
    assert _work is not None, "a worker runs buckets only after _start_worker"
    return collected_after(_work, bucket)


def collected_after(work: Callable[[Sequence[T]], list[R]], bucket: Sequence[T]) -> list[R]:
    """``work(bucket)`` with Python's cyclic garbage collector paused, and run once when it is done.

    A bucket's work allocates about a million short-lived containers (YAML nodes, plain data, models,
    facts) and next to no reference cycles, which reference counting alone frees. Left automatic, the
    collector runs hundreds of times per bucket, and in its older generations traverses every object alive,
    the imported modules' and the loaded rules' included: a quarter of a check's time. So what is alive
    before the bucket is frozen (left out of collections), the collector is off while the bucket is worked,
    and one collection after it frees the cycles it left; memory stays as flat. The collector is left as
    found: on if it was, and nothing frozen if nothing was (the command line freezes its start-up, see
    :func:`obligations.cli.main`, and that stays so).
    """
    frozen = gc.get_freeze_count()
    gc.freeze()
    paused = gc.isenabled()
    gc.disable()
    try:
        return work(bucket)
    finally:
        if paused:
            gc.enable()
        gc.collect()
        if not frozen:
            gc.unfreeze()
