"""Start-up: wall time of short commands as a user runs them, from a fresh process.

By default the project is installed (not editable, so byte code is compiled as a user's
install would be) into a new virtual environment under a temporary folder, and each
command is timed there; `--here` times the `stretch` of the current environment instead.

    python bench/startup.py [--runs 11] [--here]

Targets: `stretch --version` under 80 ms, `stretch lint` of one routine under 200 ms.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "examples" / "hip-and-hamstring.stretch")
COMMANDS = [
    ("--version",), ("check", SEED), ("lint", SEED), ("compile", SEED), ("fmt", "--check", SEED),
]


def median_ms(command: list[str], runs: int) -> float:
    timings = []
    for attempt in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        if attempt:  # the first run fills the disk cache and Lark's grammar cache
            timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=11)
    options.add_argument("--here", action="store_true", help="use this environment's stretch")
    args = options.parse_args()

    folder = None
    if args.here:
        found = shutil.which("stretch")
        if found is None:
            raise SystemExit("no `stretch` on PATH: pip install the project first")
        stretch, python = found, sys.executable
    else:
        folder = Path(tempfile.mkdtemp(prefix="stretch-startup-"))
        print(f"installing the project into a fresh virtual environment in {folder} ...")
        venv.create(folder, with_pip=True)
        python = str(folder / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True)
        stretch = str(folder / "bin" / "stretch")
    try:
        baseline = median_ms([python, "-c", "pass"], args.runs)
        print(f"python -c pass: {baseline:.0f} ms (the interpreter alone)")
        for words in COMMANDS:
            taken = median_ms([stretch, *words], args.runs)
            shown = " ".join(w if w != SEED else "<seed routine>" for w in words)
            print(f"stretch {shown}: median {taken:.0f} ms over {args.runs} runs")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
