"""Wall time of `stretch lint` on a library of routine files (default 1,000), median of
several runs, beside what a team would do without this project: compile the same library
to JSON and validate it with check-jsonschema against schema/routine.schema.json.

    python bench/lint.py [--count 1000] [--runs 5] [--keep DIR] [--sizes 10,100,1000]

Both are timed as a user runs them: a fresh process from the shell. Target: lint under
2 s on a 2-core machine. check-jsonschema is a separate tool (`pip install
check-jsonschema`); without it, or without the compiler, that line says "skipped".
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from corpus import generate_library  # noqa: E402
from timing import timed_command  # noqa: E402


def timed(command: list[str], runs: int, ok_codes: tuple[int, ...] = (0,)) -> list[float]:
    """Wall times of ``runs`` runs of a command (after one warm-up run: it fills Lark's
    grammar cache and the disk cache)."""
    timed_command(command, ok_codes)
    return [timed_command(command, ok_codes) for _ in range(runs)]


def compile_library(files: list[Path], out: Path) -> list[Path] | None:
    """The library compiled to JSON files, or None when the compiler is not available."""
    if importlib.util.find_spec("dsl.timeline.compiler") is None:
        return None
    from dsl.syntax.parser import parse_file
    from dsl.timeline.compiler import compile_routine, dumps

    written = []
    for path in files:
        parsed = parse_file(path)
        if parsed.routine is None:
            raise SystemExit(f"corpus routine does not parse: {parsed.diagnostics[0]}")
        target = out / (path.stem + ".json")
        target.write_text(dumps(compile_routine(parsed.routine, path=path.name)),
                          encoding="utf-8")
        written.append(target)
    return written


def describe(label: str, timings: list[float]) -> str:
    return (f"{label}: median {statistics.median(timings):.3f} s over {len(timings)} runs "
            f"(best {min(timings):.3f} s, worst {max(timings):.3f} s)")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--count", type=int, default=1000, help="routine files to lint")
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--keep", type=Path, help="generate the library here and keep it")
    options.add_argument("--sizes", default="10,100,1000",
                         help="library sizes for the scaling line (files/s at each)")
    args = options.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="stretch-lint-bench-"))
    try:
        library = folder / "library"
        files = generate_library(library, args.count)
        lines = sum(p.read_text(encoding="utf-8").count("\n") for p in files)
        print(f"library: {len(files):,} routine files, {lines:,} lines; "
              f"{os.cpu_count()} cores")
        stretch = [sys.executable, "-m", "dsl"]
        lint = timed([*stretch, "lint", "--format", "concise", str(library)], args.runs,
                     ok_codes=(0, 1))
        print(describe("stretch lint", lint) + "  (target: under 2 s on 2 cores)")

        for size in (int(n) for n in args.sizes.split(",") if n):
            part = generate_library(folder / f"scale-{size}", size)
            taken = statistics.median(timed(
                [*stretch, "lint", "--format", "concise", str(part[0].parents[1])],
                args.runs, ok_codes=(0, 1)))
            print(f"  scaling: {size:>6,} files in {taken:.3f} s = {size / taken:,.0f} files/s")

        schema = ROOT / "schema" / "routine.schema.json"
        checker = shutil.which("check-jsonschema")
        compiled = compile_library(files, folder) if schema.exists() else None
        if compiled is None:
            print("check-jsonschema: skipped: compiler not available")
        elif checker is None:
            print("check-jsonschema: skipped: not installed (pip install check-jsonschema)")
        else:
            validate = timed([checker, "--schemafile", str(schema),
                              *(str(p) for p in compiled)], args.runs)
            print(describe("check-jsonschema on the compiled JSON", validate))
            ratio = statistics.median(validate) / statistics.median(lint)
            print(f"ratio: check-jsonschema takes {ratio:.1f}x the time of stretch lint "
                  "(and checks only the JSON's shape: no limits, values or references)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
