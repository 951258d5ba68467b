"""What fixing costs beside linting, in one process, on the benchmark corpus: plain lint
(parse and check each routine), lint plus building every finding's fix (what the editor's
code actions do), and ``fix_text`` (``stretch lint --fix``: rounds of lint and fix until
nothing is left), each run in turn and timed as a median.

    python bench/fix.py [--count 300] [--runs 7] [--against DIR]

``--against DIR`` also times plain ``stretch lint`` of a library of the same routines with
this checkout's code and with another checkout's (say main, before fixes existed: ``git
worktree add DIR main``), each in a fresh process, in turn: building fixes only when asked
for must leave plain lint as fast as it was.

The corpus is generated routines (bench/corpus.py) and the same routines with fixable
mistakes made in each: the `on pain` handler taken out, a keyword misspelt, and an unused
suppression added.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import routine_text  # noqa: E402
from timing import alternate, timed_command  # noqa: E402

from dsl.lint.checker import check  # noqa: E402
from dsl.lint.fixing import fix_text, fixes  # noqa: E402
from dsl.syntax.parser import parse  # noqa: E402

_HANDLER = re.compile(r"^([ \t]*)on pain[^\n]*\n(?:\1[ \t]+[^\n]*\n)*", re.MULTILINE)


def with_mistakes(text: str) -> str:
    """The routine with fixable mistakes: no `on pain` handler, `hold` misspelt once, and
    a suppression that silences nothing."""
    text = _HANDLER.sub("", text, count=1)
    text = re.sub(r"^(\s+)hold\b", r"\1hodl", text, count=1, flags=re.MULTILINE)
    first, _, rest = text.partition("\n")
    return f"{first}  # stretch: ignore[S106]\n{rest}"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=300)
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--against", type=Path, help="another checkout to time lint with")
    args = options.parse_args()
    clean = [routine_text(i) for i in range(args.count)]
    broken = [with_mistakes(t) for t in clean]
    lines = sum(t.count("\n") for t in clean)
    fixed = sum(fix_text(t).fixed for t in broken)
    print(f"corpus: {args.count} routines, {lines:,} lines; {fixed} fixes to make in the "
          "copies with mistakes")

    def lint(texts: list[str]) -> None:
        for text in texts:
            check(parse(text))

    def lint_and_fixes(texts: list[str]) -> None:
        for text in texts:
            parsed = parse(text)
            fixes(parsed, check(parsed), unsafe=True)

    def fix_all(texts: list[str]) -> None:
        for text in texts:
            fix_text(text)

    for label, texts in (("clean routines", clean), ("routines with mistakes", broken)):
        found = alternate({"lint": partial(lint, texts),
                           "lint + every fix built": partial(lint_and_fixes, texts),
                           "fix_text": partial(fix_all, texts)}, args.runs)
        base = found["lint"]
        print(f"{label}:")
        for name, seconds in found.items():
            print(f"  {name:<24} median {seconds:.3f} s  {seconds / base:.2f}x lint")
    if args.against is not None:
        against(args.against.resolve(), clean, args.runs)


def against(other: Path, texts: list[str], runs: int) -> None:
    """Plain ``stretch lint`` of the routines as files, this checkout's code and another's,
    fresh processes in turn."""
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(texts):
            Path(folder, f"r{number}.stretch").write_text(text, encoding="utf-8")
        timings: dict[str, list[float]] = {"this checkout": [], str(other): []}
        for attempt in range(runs + 1):
            for name, root in (("this checkout", ROOT), (str(other), other)):
                command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(root)!r});"
                           " from dsl.cli import run; run()", "lint", "--format", "concise",
                           folder]
                seconds = timed_command(command, ok_codes=(0, 1))
                if attempt:
                    timings[name].append(seconds)
        base = statistics.median(timings[str(other)])
        print(f"plain stretch lint of the {len(texts)} clean routines ({os.cpu_count()} cores):")
        for name, found in timings.items():
            median = statistics.median(found)
            print(f"  {name:<24} median {median:.3f} s  {median / base:.2f}x {other}")


if __name__ == "__main__":
    main()
