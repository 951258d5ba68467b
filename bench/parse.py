"""Parse-to-model throughput: how many routine lines per second `dsl.parse` turns into
the model, on one core. Prints the median of several runs at 1x, 10x (and optionally
100x) corpus sizes, so linear growth is visible.

    python bench/parse.py [--lines 2000] [--runs 5] [--sizes 1,10,100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import routine_texts

from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import build_parser, lark_parser
from dsl.syntax.parser import parse


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=2_000, help="lines in the 1x corpus")
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--sizes", default="1,10,100", help="corpus multiples")
    args = options.parse_args()

    started = time.perf_counter()
    build_parser(cache=False, transformer=ModelBuilder())
    uncached = time.perf_counter() - started
    build_parser(cache=True, transformer=ModelBuilder())  # writes the cache if it must
    started = time.perf_counter()
    build_parser(cache=True, transformer=ModelBuilder())
    cached = time.perf_counter() - started
    lark_parser()
    print(f"parser construction: {uncached * 1000:.1f} ms analysing the grammar, "
          f"{cached * 1000:.1f} ms from Lark's cache (what each process pays)")

    for size in (int(s) for s in args.sizes.split(",")):
        texts = routine_texts(args.lines * size)
        lines = sum(t.count("\n") for t in texts)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            for text in texts:
                result = parse(text)
                if result.diagnostics:
                    raise SystemExit(f"corpus routine has problems: {result.diagnostics[0]}")
            timings.append(time.perf_counter() - started)
        median = statistics.median(timings)
        print(
            f"{size:>4}x: {lines:>9,} lines in {len(texts):>6,} routines: "
            f"median {median:.3f} s over {args.runs} runs = {lines / median:,.0f} lines/s "
            f"(best {lines / min(timings):,.0f})"
        )


if __name__ == "__main__":
    main()
