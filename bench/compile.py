"""Compile speed: the seed routine once warm (model to document, and to JSON text), and
compile throughput at 1x, 10x and 100x corpus sizes; then each figure of issue "Instant"
beside its baseline from the same run:

- compile in process (parse, expand, lint, compile, JSON text: ``dsl.pipeline.compile_file``)
  against parsing alone (``dsl.syntax.parser.parse``), on a corpus of generated routines;
- a long routine at 10,000 and 50,000 lines: compile time (growth should be 5x), as the
  command compiles (JSON pieces written to a file) and through ``compile_file``, and the
  peak memory of ``stretch compile LONG -o OUT`` in a fresh process (its maximum resident
  set size, ``getrusage``), against the same process compiling a one-page routine;
- ``stretch compile --out-dir`` of a 1,000-file library against ``stretch lint`` of it,
  at -j1 and at the default parallelism (fresh processes, as a user runs them).

The in-process and 1,000-file ratios are printed in wall time and in processor time (the
first run of each, the warm-up, left out of both).

    python bench/compile.py [--runs 5] [--routines 200] [--files 1000] [--skip-files]
                            [--sizes 1,10,100]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import generate_library, long_routine, routine_text  # noqa: E402
from timing import alternate  # noqa: E402

from dsl.pipeline import compile_file  # noqa: E402
from dsl.syntax.parser import parse, parse_file  # noqa: E402
from dsl.timeline.compiler import compile_routine, dumps_compiled  # noqa: E402

_PEAK = """
import resource, subprocess, sys
child = subprocess.run(sys.argv[1:], capture_output=True)
if child.returncode:
    sys.exit(child.stderr.decode()[-2000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(command: list[str], ok_codes: tuple[int, ...] = (0, 1)) -> float:
    """Run a command in a fresh process; its processor time (user and system, its worker
    processes included), in seconds."""
    before = _children_cpu()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(command[:4])}... exited {result.returncode}:\n"
                         f"{result.stderr[-2000:]}")
    return _children_cpu() - before


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cpu_timed(work: Callable[[], object], spent: list[float]) -> Callable[[], object]:
    """``work``, adding the processor time each call takes to ``spent``: on a shared
    machine, wall time counts the moments other work had the cores; processor time does
    not (it is the cost itself), so each figure is printed both ways."""

    def timed() -> object:
        started = time.process_time()
        result = work()
        spent.append(time.process_time() - started)
        return result

    return timed


def peak_mb(command: list[str]) -> float:
    """The largest resident set of a command run in a fresh process, in megabytes."""
    result = subprocess.run([sys.executable, "-c", _PEAK, *command], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return int(result.stdout) / 1024


def per_call_ms(work: Callable[[], object], repeat: int, runs: int) -> float:
    """Median over ``runs`` of the mean time of ``repeat`` calls, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        timings.append((time.perf_counter() - started) / repeat * 1000)
    return statistics.median(timings)


def seed_and_throughput(runs: int, sizes: str) -> None:
    seed = parse_file(ROOT / "examples" / "hip-and-hamstring.stretch").routine
    assert seed is not None
    for _ in range(50):  # warm up
        dumps_compiled(compile_routine(seed))
    document_ms = per_call_ms(lambda: compile_routine(seed), 200, runs)
    text_ms = per_call_ms(lambda: dumps_compiled(compile_routine(seed)), 200, runs)
    print(f"seed routine, warm: compile to document {document_ms:.3f} ms, "
          f"to JSON text {text_ms:.3f} ms (`dumps_compiled`, as `stretch compile`; median of "
          f"{runs} runs; target under 1 ms)")
    for size in (int(s) for s in sizes.split(",") if s):
        routines = []
        for index in range(20 * size):
            parsed = parse(routine_text(index))
            assert parsed.routine is not None
            routines.append(parsed.routine)
        timings = []
        for _ in range(max(3, runs // 2)):
            started = time.perf_counter()
            for routine in routines:
                dumps_compiled(compile_routine(routine))
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        print(f"{size:>4}x: {len(routines):>6,} routines compiled in {median:.3f} s = "
              f"{len(routines) / median:,.0f} routines/s")


def in_process(folder: Path, routines: int, runs: int) -> None:
    paths = []
    for index in range(routines):
        path = folder / f"routine-{index:04d}.stretch"
        path.write_text(routine_text(index), encoding="utf-8")
        paths.append(path)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    lines = sum(t.count("\n") for t in texts)
    cpu: dict[str, list[float]] = {"parse": [], "compile": []}
    found = alternate({
        "parse": cpu_timed(lambda: [parse(text) for text in texts], cpu["parse"]),
        "compile": cpu_timed(lambda: [compile_file(path) for path in paths], cpu["compile"]),
    }, runs)
    parse_cpu, compile_cpu = (statistics.median(cpu[name][1:]) for name in ("parse", "compile"))
    print(f"in process, {routines} routines ({lines:,} lines), median of {runs}:")
    print(f"  parse {found['parse']:.3f} s; compile to JSON text {found['compile']:.3f} s = "
          f"{found['compile'] / found['parse']:.2f}x parse (target: at most 2x); "
          f"processor time {parse_cpu:.3f} s and {compile_cpu:.3f} s = "
          f"{compile_cpu / parse_cpu:.2f}x")


_ONE_COMPILE = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from dsl.pipeline import compile_file, compile_pieces

compile_file(Path(sys.argv[1]) / "examples" / "hip-and-hamstring.stretch")  # warm up
started = time.perf_counter()
if sys.argv[3] == "command":  # as `stretch compile -o` does, in this process
    result = compile_pieces(Path(sys.argv[2]))
    assert result.pieces is not None, result.errors
    with open(sys.argv[4], "wb") as out:
        for piece in result.pieces:
            out.write(piece)
else:
    assert compile_file(Path(sys.argv[2])).text is not None
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def growth(folder: Path, runs: int) -> None:
    """Each compile in a fresh process (after a warm-up compile), so one size's memory does
    not weigh on the other's time; the sizes alternate."""
    sizes = (10_000, 50_000)
    paths = {}
    for size in sizes:
        paths[size] = folder / f"long-{size}.stretch"
        paths[size].write_text(long_routine(size), encoding="utf-8")

    def once(size: int, kind: str) -> tuple[float, float]:
        result = subprocess.run(
            [sys.executable, "-c", _ONE_COMPILE, str(ROOT), str(paths[size]), kind,
             str(folder / "long.json")], capture_output=True, text=True, check=True)
        seconds, peak = result.stdout.split()
        return float(seconds), int(peak) / 1024

    for kind, label in (("command", "as `stretch compile -o` (pieces to a file)"),
                        ("api", "`compile_file` (its text, whole)")):
        found: dict[int, list[tuple[float, float]]] = {size: [] for size in sizes}
        for _ in range(runs):
            for size in sizes:
                found[size].append(once(size, kind))
        small, large = (statistics.median(t for t, _ in found[size]) for size in sizes)
        print(f"long routine, {label}, fresh processes, median of {runs}: 10,000 lines "
              f"{small:.3f} s, 50,000 lines {large:.3f} s = {large / small:.2f}x "
              f"(linear: 5x, within 10%); peak (maxrss) at 50,000 lines "
              f"{max(p for _, p in found[50_000]):.0f} MB")
    stretch = [sys.executable, "-m", "dsl", "compile"]
    small_peak = peak_mb([*stretch, str(ROOT / "examples" / "hip-and-hamstring.stretch"),
                          "-o", str(folder / "small.json")])
    peaks = [peak_mb([*stretch, str(paths[50_000]), "-o", str(folder / "long.json")])
             for _ in range(3)]
    print(f"  peak memory (maxrss of `stretch compile -o`, fresh process): 50,000 lines "
          f"{max(peaks):.0f} MB, one-page routine {small_peak:.0f} MB (target: under 120 MB)")


def many_files(folder: Path, count: int, runs: int) -> None:
    library = folder / "library"
    generate_library(library, count)
    stretch = [sys.executable, "-m", "dsl"]
    builds = iter(range(1_000_000))
    for label, jobs in (("-j1", ["-j1"]), ("default", [])):
        cpu: dict[str, list[float]] = {"lint": [], "compile": []}

        def compile_fresh(jobs: list[str] = jobs, spent: list[float] = cpu["compile"]) -> None:
            # A clean build into a new folder each time: replacing files is slower on a
            # file system mounted with `discard` (see docs/performance.md), and removing
            # the previous build would be timed with it.
            out = folder / f"out-{next(builds)}"
            spent.append(run([*stretch, "compile", str(library), "--out-dir", str(out), *jobs]))

        def lint(jobs: list[str] = jobs, spent: list[float] = cpu["lint"]) -> None:
            spent.append(run([*stretch, "lint", "--format", "concise", str(library), *jobs]))

        found = alternate({"lint": lint, "compile": compile_fresh}, runs)
        lint_cpu, compile_cpu = (statistics.median(cpu[name][1:]) for name in ("lint", "compile"))
        print(f"{count:,} files, {label}, median of {runs}: lint {found['lint']:.3f} s, "
              f"compile --out-dir {found['compile']:.3f} s = "
              f"{found['compile'] / found['lint']:.2f}x lint (target: at most 1.5x); "
              f"processor time {lint_cpu:.3f} s and {compile_cpu:.3f} s = "
              f"{compile_cpu / lint_cpu:.2f}x")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--routines", type=int, default=200)
    options.add_argument("--files", type=int, default=1000)
    options.add_argument("--sizes", default="1,10,100",
                         help="corpus sizes for the throughput lines (20 routines each 1x)")
    options.add_argument("--skip-files", action="store_true",
                         help="leave out the 1,000-file comparison (the slowest part)")
    args = options.parse_args()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    folder = Path(tempfile.mkdtemp(prefix="stretch-compile-bench-"))
    try:
        seed_and_throughput(args.runs, args.sizes)
        in_process(folder, args.routines, args.runs)
        growth(folder, args.runs)
        if not args.skip_files:
            many_files(folder, args.files, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
