"""Start-up: wall time of one-file commands as a user runs them, beside two baselines timed in
the same run: the interpreter alone (`python -c pass`) and yamllint (default configuration)
on the same routine written as YAML (`bench/hip-and-hamstring.yaml`).

By default the project and yamllint (the `bench` extra) are installed, not editable, into a
new virtual environment under a temporary folder, so byte code is compiled as a user's
install has it; `--here` times the `stretch` and `yamllint` of the current environment.
The routine and the YAML file are copied to a folder of their own first, so neither tool
finds a project configuration to read.

Every round runs each command once, in turn, so a burst of load on a shared machine falls
on all of them alike; the first round only warms the disk cache and is not counted.

    python bench/startup.py [--runs 21] [--here]

Targets: `stretch lint` and `stretch compile` of one routine at most 8x `python -c pass`
and no slower than yamllint.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from timing import alternate_commands  # noqa: E402

SEED = ROOT / "examples" / "hip-and-hamstring.stretch"
YAML = ROOT / "bench" / "hip-and-hamstring.yaml"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=21)
    options.add_argument("--here", action="store_true",
                         help="use this environment's stretch and yamllint")
    args = options.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="stretch-startup-"))
    try:
        if args.here:
            python = sys.executable
            found = shutil.which("stretch"), shutil.which("yamllint")
            if found[0] is None or found[1] is None:
                raise SystemExit("needs `stretch` and `yamllint` on PATH: "
                                 "pip install -e '.[bench]'")
            stretch, yamllint = found[0], found[1]
        else:
            print(f"installing the project and yamllint into a fresh environment in {folder} ...")
            venv.create(folder / "env", with_pip=True)
            python = str(folder / "env" / "bin" / "python")
            subprocess.run([python, "-m", "pip", "install", "-q", f"{ROOT}[bench]"], check=True)
            stretch = str(folder / "env" / "bin" / "stretch")
            yamllint = str(folder / "env" / "bin" / "yamllint")
        work = folder / "work"
        work.mkdir()
        routine, document = str(work / SEED.name), str(work / YAML.name)
        shutil.copy(SEED, routine)
        shutil.copy(YAML, document)
        commands: dict[str, list[str]] = {
            "python -c pass": [python, "-c", "pass"],
            "yamllint <routine as YAML>": [yamllint, document],
            "stretch --version": [stretch, "--version"],
            "stretch lint <routine>": [stretch, "lint", routine],
            "stretch compile <routine>": [stretch, "compile", routine, "-o",
                                          str(work / "routine.json")],
            "stretch check <routine>": [stretch, "check", routine],
            "stretch fmt --check <routine>": [stretch, "fmt", "--check", routine],
        }
        seconds = alternate_commands(commands, args.runs, work)
        walls = {name: wall * 1000 for name, (wall, _) in seconds.items()}
        cpus = {name: cpu * 1000 for name, (_, cpu) in seconds.items()}
        print(f"medians of {args.runs} interleaved runs (wall time; CPU time beside it, "
              "which a busy machine disturbs less):")
        for name in commands:
            print(f"  {name:31} {walls[name]:6.1f} ms {_ratios(walls, name)}"
                  f"  | CPU {cpus[name]:6.1f} ms {_ratios(cpus, name)}")
        for name in ("stretch lint <routine>", "stretch compile <routine>"):
            print(f"{name}: {_ratios(walls, name)} (targets 8x, 1x); CPU {_ratios(cpus, name)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _ratios(medians: dict[str, float], name: str) -> str:
    return (f"{medians[name] / medians['python -c pass']:5.1f}x python -c pass"
            f" {medians[name] / medians['yamllint <routine as YAML>']:5.2f}x yamllint")


if __name__ == "__main__":
    main()
