"""Compile speed: the seed routine once warm (model to document, and to JSON text), and
compile throughput at 1x, 10x and 100x corpus sizes, so linear growth is visible.

    python bench/compile.py [--runs 7] [--routines 20] [--sizes 1,10,100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import routine_text  # noqa: E402

from dsl.syntax.parser import parse, parse_file  # noqa: E402
from dsl.timeline.compiler import compile_routine, dumps  # noqa: E402


def per_call_ms(work: object, repeat: int, runs: int) -> float:
    """Median over ``runs`` of the mean time of ``repeat`` calls, in milliseconds."""
    assert callable(work)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        for _ in range(repeat):
            work()
        timings.append((time.perf_counter() - started) / repeat * 1000)
    return statistics.median(timings)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--routines", type=int, default=20, help="routines in the 1x corpus")
    options.add_argument("--sizes", default="1,10,100")
    args = options.parse_args()

    seed = parse_file(ROOT / "examples" / "hip-and-hamstring.stretch").routine
    assert seed is not None
    for _ in range(50):  # warm up
        dumps(compile_routine(seed))
    document_ms = per_call_ms(lambda: compile_routine(seed), 200, args.runs)
    text_ms = per_call_ms(lambda: dumps(compile_routine(seed)), 200, args.runs)
    print(f"seed routine, warm: compile to document {document_ms:.3f} ms, "
          f"to JSON text {text_ms:.3f} ms (median of {args.runs} runs; target under 1 ms)")

    for size in (int(s) for s in args.sizes.split(",")):
        routines = []
        for index in range(args.routines * size):
            parsed = parse(routine_text(index))
            assert parsed.routine is not None
            routines.append(parsed.routine)
        timings = []
        for _ in range(max(3, args.runs // 2)):
            started = time.perf_counter()
            for routine in routines:
                dumps(compile_routine(routine))
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        print(f"{size:>4}x: {len(routines):>6,} routines compiled in {median:.3f} s = "
              f"{len(routines) / median:,.0f} routines/s")


if __name__ == "__main__":
    main()
