"""Rewrite the expected outputs of the compiler and player tests from the current code.

    python tests/regenerate_goldens.py

Run it after a deliberate change (a new field, or an example reformatted by `stretch fmt`,
which moves the source spans), then read the diff before committing it: every other
difference is a regression the tests were right to catch.

It rewrites tests/fixtures/compile/*.json (the seed routine's golden file and one per
routine in tests/fixtures/compile/good/), and in each tests/conformance/<case>/ the compiled
routine.json and the expected.log the reference player produces for inputs.txt; and the
FIT workouts in tests/fixtures/fit/ (`stretch export fit` with its defaults, created at the
fixed time: tests/test_fit.py decodes them when they differ).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dsl.player.scripted import parse_inputs, run  # noqa: E402
from dsl.syntax.parser import parse_file  # noqa: E402
from dsl.timeline.compiler import compile_routine, dumps  # noqa: E402

COMPILE = ROOT / "tests" / "fixtures" / "compile"
CONFORMANCE = ROOT / "tests" / "conformance"
GOLDEN_EXAMPLES = ("hip-and-hamstring",)
FIT = ROOT / "tests" / "fixtures" / "fit"
GOLDEN_WORKOUTS = ("hip-flexor-lunge",)


def compiled_text(path: Path) -> str:
    """The document for a routine file, with its path recorded relative to the repository."""
    parsed = parse_file(path)
    if parsed.plan is not None:  # a session: compiled with the files it names
        from dsl import compile_file

        compiled = compile_file(path, source_path=path.relative_to(ROOT).as_posix())
        if compiled.text is None:
            raise SystemExit(f"{path} does not compile: {compiled.errors}")
        return compiled.text
    if parsed.routine is None or not parsed.ok:
        raise SystemExit(f"{path} does not compile: {parsed.diagnostics}")
    return dumps(compile_routine(parsed.routine, path=path.relative_to(ROOT).as_posix()))


def trace(case: Path) -> str:
    import json

    from dsl.player import switched

    document = json.loads((case / "routine.json").read_text(encoding="utf-8"))
    if document.get("kind") == "session":  # each entry's ids are its part's
        from dsl.player.sessions import playable

        document = playable(document)
    variant = case / "variant.txt"
    if variant.is_file():  # played as that variant, switched as an app does it
        document = switched(document, (variant.read_text("utf-8").strip(),), variant)
    inputs = parse_inputs((case / "inputs.txt").read_text(encoding="utf-8"), "inputs.txt")
    return "".join(event.line() + "\n" for event in run(document, inputs))


def golden_pairs() -> list[tuple[Path, Path]]:
    """(routine file, expected JSON file) for every compile golden."""
    pairs = [(ROOT / "examples" / f"{name}.stretch", COMPILE / f"{name}.json")
             for name in GOLDEN_EXAMPLES]
    pairs += [(path, path.with_suffix(".json"))
              for path in sorted((COMPILE / "good").glob("*.stretch"))]
    return pairs


def workout_bytes(name: str) -> bytes:
    """The FIT workout of an example, as `stretch export fit` writes it by default."""
    import json

    from dsl import compile_file
    from dsl.exports.fit import FIXED_CREATED, fit_bytes

    compiled = compile_file(ROOT / "examples" / f"{name}.stretch")
    if compiled.text is None:
        raise SystemExit(f"{name} does not compile: {compiled.errors}")
    return fit_bytes(json.loads(compiled.text), stamp=FIXED_CREATED)


def conformance_cases() -> list[Path]:
    return sorted(p for p in CONFORMANCE.iterdir() if (p / "routine.stretch").is_file())


def main() -> None:
    os.chdir(ROOT)
    written = 0
    for source, target in golden_pairs():
        target.write_text(compiled_text(source), encoding="utf-8")
        written += 1
    for case in conformance_cases():
        (case / "routine.json").write_text(compiled_text(case / "routine.stretch"),
                                           encoding="utf-8")
        (case / "expected.log").write_text(trace(case), encoding="utf-8")
        written += 2
    FIT.mkdir(exist_ok=True)
    for name in GOLDEN_WORKOUTS:
        (FIT / f"{name}.fit").write_bytes(workout_bytes(name))
        written += 1
    print(f"rewrote {written} files; review them with `git diff` before committing")


if __name__ == "__main__":
    main()
