"""The long fuzz run: the properties of tests/test_fuzz.py, for minutes instead of seconds.

Random text, random bytes, mutated example routines and generated valid routines go
through every entry point (tests/fuzzing.py). Prints how many inputs each property and
each entry point got, and every failure with the input that shows it (shrunk). Exits 1
if anything failed.

    python bench/fuzz.py [--minutes 10] [--batch 200]
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import fuzzing  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from strategies import model_routines, routine_sources  # noqa: E402


def properties() -> dict[str, tuple[st.SearchStrategy[Any], Callable[[Any], object]]]:
    return {
        "random text": (st.tuples(fuzzing.random_texts, fuzzing.positions),
                        lambda drawn: fuzzing.exercise(*drawn)),
        "mutated routines": (st.tuples(fuzzing.mutated_routines(), fuzzing.positions),
                             lambda drawn: fuzzing.exercise(*drawn)),
        "random bytes": (fuzzing.random_bytes, fuzzing.exercise_bytes),
        "valid routines": (routine_sources(), fuzzing.exercise_valid),
        "routines built in code": (model_routines, fuzzing.valid_model),
    }


def _counting(name: str, check: Callable[[Any], object],
              tried: Counter[str]) -> Callable[[Any], None]:
    def counted(drawn: Any) -> None:
        tried[name] += 1
        check(drawn)

    return counted


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--minutes", type=float, default=10.0)
    options.add_argument("--batch", type=int, default=200,
                         help="examples per property before moving to the next one")
    args = options.parse_args()

    budget = args.minutes * 60
    started = time.monotonic()
    tried: Counter[str] = Counter()
    failures: dict[str, str] = {}
    long_run = settings(settings.get_profile("fuzz-long"), max_examples=args.batch)
    while time.monotonic() - started < budget:
        for name, (strategy, check) in properties().items():
            if name in failures or time.monotonic() - started >= budget:
                continue

            try:
                long_run(given(strategy)(_counting(name, check, tried)))()
            except Exception:  # a failing property: report it, go on with the others
                failures[name] = traceback.format_exc(limit=-6)
        if len(failures) == len(properties()):
            break

    elapsed = time.monotonic() - started
    print(f"fuzzed for {elapsed / 60:.1f} min")
    print("inputs per property:")
    for name in properties():
        state = "FAILED" if name in failures else "ok"
        print(f"  {name:<24} {tried[name]:>8}  {state}")
    print("calls per entry point:")
    for entry_point, count in sorted(fuzzing.CALLS.items()):
        print(f"  {entry_point:<24} {count:>8}")
    for name, report in failures.items():
        print(f"\n--- {name} failed ---\n{report}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
