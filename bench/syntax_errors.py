"""What reporting every syntax error costs: `dsl.parse` of routines with mistakes in them
beside the same routines without, in the same run: the corpus's routines with one `hold`
step each misspelt (`hodl`), then the whole corpus as one long routine with ``--errors``
misspelt steps spread through it. Prints medians of interleaved runs and the ratio to the
clean parse.

    python bench/syntax_errors.py [--lines 2000] [--runs 5] [--errors 1,5,20,50]

A routine with one error costs about three parses (up to the error, on from it, and the
mended text for its value problems) plus the small parses that pick the mending; each
further error adds a parse from the item before it to the next error.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import routine_texts
from timing import alternate

from dsl.syntax.parser import parse


def broken(text: str, errors: int) -> tuple[str, int]:
    """The routine with up to ``errors`` of its `hold` steps misspelt, spread through it."""
    lines = text.split("\n")
    holds = [n for n, line in enumerate(lines) if line.lstrip().startswith("hold ")]
    step = max(len(holds) // max(errors, 1), 1)
    chosen = holds[::step][:errors]
    for number in chosen:
        lines[number] = lines[number].replace("hold ", "hodl ", 1)
    return "\n".join(lines), len(chosen)


def items(text: str) -> str:
    """A routine's lines after its `routine` line (its items, with their comments)."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("routine"))
    return "".join(line + "\n" for line in lines[start + 1:] if line.strip())


def parse_all(texts: list[str], expected: int | None) -> None:
    for text in texts:
        found = len(parse(text).diagnostics)
        if expected is not None and found != expected:
            raise SystemExit(f"expected {expected} diagnostics, found {found}:\n{text}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=2_000, help="lines in the corpus")
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--errors", default="1,5,20,50", help="errors in the long file")
    args = options.parse_args()

    clean = [t if t.endswith("\n") else t + "\n" for t in routine_texts(args.lines)]
    long_file = 'routine "Long"\n' + "".join(map(items, clean))
    pairs = [broken(t, 1) for t in clean]
    texts = [text for text, count in pairs if count == 1]
    originals = [t for t, (_, count) in zip(clean, pairs, strict=True) if count == 1]
    found = alternate({"with errors": partial(parse_all, texts, 1),
                       "clean": partial(parse_all, originals, 0)}, args.runs)
    print(f"  1 error in each of {len(texts)} routines: {found['with errors'] * 1000:.1f} ms, "
          f"clean {found['clean'] * 1000:.1f} ms (medians of {args.runs}): "
          f"{found['with errors'] / found['clean']:.2f}x")
    for errors in (int(e) for e in args.errors.split(",")):
        one, count = broken(long_file, errors)
        found = alternate({"with errors": partial(parse_all, [one], count),
                           "clean": partial(parse_all, [long_file], 0)}, args.runs)
        print(f"{count:>3} errors in one file of {long_file.count(chr(10)):,} lines: "
              f"{found['with errors'] * 1000:.1f} ms, clean {found['clean'] * 1000:.1f} ms "
              f"(medians of {args.runs}): {found['with errors'] / found['clean']:.2f}x")

if __name__ == "__main__":
    main()
