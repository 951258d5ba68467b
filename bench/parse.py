"""Parse-to-model throughput: how many routine lines per second `dsl.parse` turns into
the model, on one core, beside raw Lark on the same grammar in the same run (Lark's own
contextual lexer and the same indentation post-lexer, building Lark's parse tree: what
using Lark directly would cost). Prints medians of interleaved runs at 1x, 10x (and
optionally 100x) corpus sizes, so linear growth is visible, and the ratio to raw Lark.

    python bench/parse.py [--lines 2000] [--runs 5] [--sizes 1,10,100]

Target: parsing costs at most 1.15x raw Lark.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import routine_texts
from timing import alternate

from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import build_parser, lark_parser, reference_parser
from dsl.syntax.lexing import Indenter
from dsl.syntax.parser import parse


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=2_000, help="lines in the 1x corpus")
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--sizes", default="1,10,100", help="corpus multiples")
    args = options.parse_args()

    started = time.perf_counter()
    reference_parser(cache=False)
    analysed = time.perf_counter() - started
    reference_parser(cache=True)  # writes Lark's cache if it must
    started = time.perf_counter()
    reference_parser(cache=True)
    cached = time.perf_counter() - started
    started = time.perf_counter()
    build_parser(transformer=ModelBuilder())
    generated = time.perf_counter() - started
    lark_parser()
    print(f"parser construction: {analysed * 1000:.1f} ms for Lark to analyse the grammar, "
          f"{cached * 1000:.1f} ms from Lark's cache, {generated * 1000:.1f} ms for the "
          f"generated parser (what each process pays)")

    raw = reference_parser(cache=True)  # Lark itself: a tree, Lark's lexer
    indenter = raw.options.postlex
    assert isinstance(indenter, Indenter)

    def raw_lark(texts: list[str]) -> None:
        for text in texts:
            indenter.reset(len(text))
            raw.parse(text)

    def ours(texts: list[str]) -> None:
        for text in texts:
            result = parse(text)
            if result.diagnostics:
                raise SystemExit(f"corpus routine has problems: {result.diagnostics[0]}")

    for size in (int(s) for s in args.sizes.split(",")):
        # Every routine ends with a line break, so both parsers read the same text.
        texts = [t if t.endswith("\n") else t + "\n" for t in routine_texts(args.lines * size)]
        lines = sum(t.count("\n") for t in texts)
        found = alternate({"parse": partial(ours, texts), "raw Lark": partial(raw_lark, texts)},
                          args.runs)
        median, baseline = found["parse"], found["raw Lark"]
        print(
            f"{size:>4}x: {lines:>9,} lines in {len(texts):>6,} routines: "
            f"parse {lines / median:,.0f} lines/s, raw Lark {lines / baseline:,.0f} lines/s "
            f"(medians of {args.runs}): parse costs {median / baseline:.2f}x raw Lark "
            "(target 1.15)"
        )

if __name__ == "__main__":
    main()
