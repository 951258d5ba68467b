"""`dsl.workers.run_each`: the one process pool `stretch lint` and `stretch compile` share."""

from __future__ import annotations

import os
from collections.abc import Sequence

from dsl.workers import PARALLEL_THRESHOLD, run_each


def where(task: str) -> tuple[str, int]:
    return task, os.getpid()


def test_results_come_back_in_the_order_of_the_tasks_from_the_workers() -> None:
    tasks = [f"t{i}" for i in range(20)]
    results = run_each(where, tasks, jobs=2)
    assert [task for task, _ in results] == tasks
    assert os.getpid() not in {pid for _, pid in results}  # every task ran in a worker


def test_tasks_marked_here_run_in_this_process() -> None:
    tasks = ["a", "-", "b", "c"]
    results = run_each(where, tasks, jobs=2, here=lambda task: task == "-")
    assert [task for task, _ in results] == tasks
    assert results[1][1] == os.getpid()
    assert {pid for task, pid in results if task != "-"} - {os.getpid()}


def test_one_job_or_a_small_run_stays_in_this_process() -> None:
    for jobs, count in ((1, 100), (None, PARALLEL_THRESHOLD - 1), (2, 1)):
        results = run_each(where, [str(i) for i in range(count)], jobs=jobs)
        assert {pid for _, pid in results} == {os.getpid()}, (jobs, count)


def test_the_in_process_runner_does_the_tasks_that_stay_here() -> None:
    batches: list[Sequence[str]] = []

    def all_at_once(tasks: Sequence[str]) -> list[tuple[str, int]]:
        batches.append(tasks)
        return [(task.upper(), 0) for task in tasks]

    assert run_each(where, ["a", "b"], jobs=1, in_process=all_at_once) == [("A", 0), ("B", 0)]
    assert batches == [["a", "b"]]
