"""`stretch fmt` against `stretch lint`: routine lines per second on the same library of files,
in the same run, at `-j1` and at the default parallelism, with fmt's self-checks on.

    python bench/fmt.py [--count 1000] [--runs 5] [--lines 20000] [--keep DIR]

Two libraries of the same routines: one already in the canonical layout (what `fmt --check`
sees in CI and what a pre-commit hook mostly sees), and one written untidily (every line
indented twice as deep, extra spaces between words) that formats back to the first, byte
for byte. On each, `stretch fmt --check` and `stretch fmt` (which rewrites the untidy files:
they are put back and flushed to disk before each run, outside the timing) are timed
beside `stretch lint` on the same files, alternately, as a user runs them: a fresh process
from the shell. The ratio is fmt's lines per second over lint's (1.0 or more: fmt is at
least as fast).

Then, in this process, `format_text` (self-checks included) beside parsing alone and
parsing with the lint rules, on a tidy and an untidy corpus of `--lines` lines: where the
time goes (start-up and files left out).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import generate_library, routine_texts  # noqa: E402
from timing import timed_command  # noqa: E402

from dsl.format.formatter import format_text  # noqa: E402
from dsl.lint.checker import check  # noqa: E402
from dsl.syntax.parser import parse  # noqa: E402

STRETCH = [sys.executable, "-m", "dsl"]
_QUOTED_OR_COMMENT = re.compile(r'("(?:[^"\\]|\\.)*"|#.*)')


def canonical(text: str) -> str:
    result = format_text(text)
    if result.formatted is None:
        raise SystemExit(f"corpus routine has problems: {result.diagnostics[0]}")
    return result.formatted


def untidy(tidy: str) -> str:
    """The same routine as a careless author might type it: indented twice as deep, and
    two or three spaces wherever one separates words (never inside quotes or comments,
    which fmt keeps as written)."""
    lines = []
    for number, line in enumerate(tidy.split("\n")):
        body = line.lstrip(" ")
        depth = len(line) - len(body)
        parts = _QUOTED_OR_COMMENT.split(body)
        spaces = "   " if number % 2 else "  "
        parts[::2] = [part.replace(" ", spaces) for part in parts[::2]]
        lines.append(" " * (2 * depth) + "".join(parts))
    return "\n".join(lines)


def make_libraries(folder: Path, count: int) -> tuple[Path, Path, int]:
    """A tidy library and its untidy twin (same names), and their lines."""
    tidy, messy = folder / "tidy", folder / "untidy"
    lines = 0
    for path in generate_library(tidy, count):
        text = canonical(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        twin = messy / path.relative_to(tidy)
        twin.parent.mkdir(parents=True, exist_ok=True)
        rough = untidy(text)
        if rough == text or canonical(rough) != text:
            raise SystemExit(f"the untidy twin of {path.name} does not format back")
        twin.write_text(rough, encoding="utf-8")
        lines += text.count("\n")
    return tidy, messy, lines


def compare_commands(tidy: Path, messy: Path, lines: int, runs: int, work: Path) -> None:
    """Each fmt mode beside lint on the same library, at -j1 and the default, alternately."""
    target = work / "library"
    cases = []  # (library, label, fmt options, exit codes fmt may give)
    for library, name in ((tidy, "tidy"), (messy, "untidy")):
        changes = library == messy
        cases.append((library, f"{name}, fmt --check", ["--check"], (1,) if changes else (0,)))
        cases.append((library, f"{name}, fmt (writing)", [], (0,)))
    jobs_options: list[tuple[str, list[str]]] = [("-j1", ["-j1"]), ("default -j", [])]
    timings: dict[tuple[str, str, str], list[float]] = {}
    for attempt in range(runs + 1):  # the first round warms caches and is not counted
        for library, label, options, codes in cases:
            for jobs_label, jobs in jobs_options:
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(library, target)  # untidy files are put back each time
                # ... and flushed to disk, so that fmt's flush of what it writes does not
                # also pay for this copy (a user's files were written long before).
                os.sync()
                lint = timed_command([*STRETCH, "lint", "--format", "concise", *jobs, str(target)],
                             (0, 1))
                fmt = timed_command([*STRETCH, "fmt", *options, *jobs, str(target)], codes)
                if not options and attempt == 0:
                    _assert_same(target, tidy)
                if attempt:
                    timings.setdefault((label, jobs_label, "lint"), []).append(lint)
                    timings.setdefault((label, jobs_label, "fmt"), []).append(fmt)
    print(f"{'library, command':<26} {'jobs':<11} {'lint lines/s':>13} {'fmt lines/s':>12} "
          f"{'fmt/lint':>9}")
    for _, label, _, _ in cases:
        for jobs_label, _ in jobs_options:
            lint_median = statistics.median(timings[(label, jobs_label, "lint")])
            fmt_median = statistics.median(timings[(label, jobs_label, "fmt")])
            print(f"{label:<26} {jobs_label:<11} {lines / lint_median:>13,.0f} "
                  f"{lines / fmt_median:>12,.0f} {lint_median / fmt_median:>8.2f}x")
    print(f"(medians of {runs} runs each; lint and fmt alternate on the same files)")


def _assert_same(formatted: Path, tidy: Path) -> None:
    for path in tidy.rglob("*.stretch"):
        if (formatted / path.relative_to(tidy)).read_bytes() != path.read_bytes():
            raise SystemExit(f"fmt did not write the canonical text of {path.name}")


def median_seconds(work: Callable[[], None], runs: int) -> float:
    work()  # the first pass imports the rules and fills Lark's caches: not counted
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def compare_in_process(lines_wanted: int, runs: int) -> None:
    tidy = [canonical(text) for text in routine_texts(lines_wanted)]
    messy = [untidy(text) for text in tidy]
    lines = sum(t.count("\n") for t in tidy)

    def parse_all() -> None:
        for text in tidy:
            parse(text)

    def format_all(texts: list[str]) -> Callable[[], None]:
        def work() -> None:
            for text in texts:
                format_text(text)
        return work

    def lint(texts: list[str]) -> Callable[[], None]:
        def work() -> None:
            for text in texts:
                check(parse(text))
        return work

    parse_median = median_seconds(parse_all, runs)
    print(f"in process, {lines:,} lines in {len(tidy):,} routines, median of {runs} runs:")
    print(f"{'parse':>32}: {lines / parse_median:>9,.0f} lines/s")
    for label, work in (("lint, tidy", lint(tidy)),
                        ("fmt, tidy (self-checks on)", format_all(tidy)),
                        ("lint, untidy", lint(messy)),
                        ("fmt, untidy (self-checks on)", format_all(messy))):
        median = median_seconds(work, runs)
        print(f"{label:>32}: {lines / median:>9,.0f} lines/s = {median / parse_median:.2f}x "
              "the time of parsing")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=1000, help="routine files per library")
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--lines", type=int, default=20_000, help="lines for the in-process part")
    options.add_argument("--keep", type=Path, help="generate the libraries here and keep them")
    args = options.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="stretch-fmt-bench-"))
    try:
        tidy, messy, lines = make_libraries(folder, args.count)
        print(f"libraries: {args.count:,} routine files each, {lines:,} lines; "
              f"{os.cpu_count()} cores")
        compare_commands(tidy, messy, lines, args.runs, folder)
        compare_in_process(args.lines, args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
