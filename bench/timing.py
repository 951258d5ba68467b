"""Timing helpers the benchmarks share: work compared in turn, and commands timed as a user
runs them. The machines are shared and noisy, so what is compared runs alternately (a busy
moment falls on all of it alike) and every figure is a median."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def alternate(works: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median seconds of each piece of work, run in turn ``runs`` times (after a warm-up
    round, not counted: it fills caches and imports what the work needs)."""
    timings: dict[str, list[float]] = {name: [] for name in works}
    for attempt in range(runs + 1):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            if attempt:
                timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(found) for name, found in timings.items()}


def timed_command(command: Sequence[str], ok_codes: tuple[int, ...] = (0,)) -> float:
    """Wall seconds of one run of a command in a fresh process, from the project's folder;
    an unexpected exit code stops the benchmark with the command's output."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(command[:5])}... exited {done.returncode}:\n"
                         f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return elapsed


def alternate_commands(commands: Mapping[str, Sequence[str]], runs: int,
                       cwd: Path) -> dict[str, tuple[float, float]]:
    """Median wall seconds and median CPU seconds (user and system, of the process and its
    children) of each command, run in turn ``runs`` times after a warm-up round. The CPU
    time is what the command itself costs: on a busy machine its wall time also holds the
    time it waited for a core."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for attempt in range(runs + 1):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=cwd)
            elapsed = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if attempt:
                walls[name].append(elapsed)
                cpus[name].append(after.ru_utime - before.ru_utime
                                  + after.ru_stime - before.ru_stime)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]))
            for name in commands}
