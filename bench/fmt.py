"""Formatting throughput: routine lines per second that `dsl.format.formatter.format_text` turns
into canonical text, self-checks included (each file is parsed twice and printed twice),
beside plain parsing for scale. Prints the median of several runs.

    python bench/fmt.py [--lines 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import routine_texts

from dsl.format.formatter import format_text
from dsl.syntax.parser import parse


def median_seconds(work: Callable[[], None], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=20_000, help="lines in the corpus")
    options.add_argument("--runs", type=int, default=5)
    args = options.parse_args()

    texts = routine_texts(args.lines)
    lines = sum(t.count("\n") for t in texts)
    parse(texts[0])  # build the parser outside the timings

    def parse_all() -> None:
        for text in texts:
            parse(text)

    def format_all() -> None:
        for text in texts:
            if format_text(text).formatted is None:
                raise SystemExit("corpus routine has problems")

    for label, work in (("parse", parse_all), ("fmt (with self-checks)", format_all)):
        median = median_seconds(work, args.runs)
        print(f"{label:>24}: {lines:,} lines in {len(texts):,} routines: median "
              f"{median:.3f} s over {args.runs} runs = {lines / median:,.0f} lines/s")


if __name__ == "__main__":
    main()
