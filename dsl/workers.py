"""Spreading work on many files over worker processes: ``stretch lint`` and ``stretch
compile`` share this one mechanism, so ``--jobs`` means the same for both.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

PARALLEL_THRESHOLD = 64
"""Below this many files, one process is faster than starting workers."""


def default_workers() -> int:
    """Worker processes when ``--jobs`` is not given: one per core, at most 8."""
    return min(os.cpu_count() or 1, 8)


def run_each(
    work: Callable[[Task], Result], tasks: Sequence[Task], jobs: int | None, *,
    here: Callable[[Task], bool] = lambda task: False,
    prepare: Callable[[], object] | None = None,
    in_process: Callable[[Sequence[Task]], list[Result]] | None = None,
    each: Callable[[Result], object] | None = None,
) -> list[Result]:
    """``work`` on every task, the results in the order of the tasks.

    With ``jobs`` None, tasks are spread over ``default_workers()`` processes when there
    are at least ``PARALLEL_THRESHOLD`` of them; ``jobs=1`` keeps everything in this
    process, and any other number uses that many workers from two tasks. Tasks for which
    ``here`` is true (standard input, which only this process can read) always run here.
    ``prepare`` runs once before the workers start, so forked workers inherit what it
    builds (the parser). ``work`` must be a module-level function (it is sent by name).
    ``in_process`` does all the tasks when they stay in this process (default: ``work`` on
    each, in turn). ``each`` is called on every result as soon as it is ready, in the order
    of the tasks (``stretch compile`` starts flushing an output to disk while the next ones
    are made); an ``in_process`` function is given its tasks only, and calls it itself.
    """
    workers = jobs if jobs is not None else default_workers()
    parallel = [task for task in tasks if not here(task)]
    if workers <= 1 or len(parallel) < (PARALLEL_THRESHOLD if jobs is None else 2):
        if in_process is not None:
            return in_process(tasks)
        return [_seen(work(task), each) for task in tasks]
    if prepare is not None:
        prepare()
    chunk = max(1, len(parallel) // (workers * 4))
    # Imported here: multiprocessing costs ~10 ms of start-up that one file does not need.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = iter(pool.map(work, parallel, chunksize=chunk))
        return [_seen(work(task) if here(task) else next(done), each) for task in tasks]


def _seen(result: Result, each: Callable[[Result], object] | None) -> Result:
    if each is not None:
        each(result)
    return result
