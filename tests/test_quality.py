"""Style and types stay clean: ruff over the project, mypy (strict) over dsl/, tests/ and
bench/."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff() -> None:
    result = run(sys.executable, "-m", "ruff", "check", "dsl", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    assert sorted(config["files"]) == ["bench", "dsl", "tests"]
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
