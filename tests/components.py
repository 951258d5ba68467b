"""Real components some tests drive (shells, Emacs, a browser, VS Code): find them, and
skip with the reason when one is missing, except in CI, where STRETCH_REQUIRE_COMPONENTS=1
(set by .ci/run, which installs them) turns a missing component into a failure, so those
tests cannot silently stop running."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REQUIRED = os.environ.get("STRETCH_REQUIRE_COMPONENTS") == "1"


def require(name: str, present: bool, install: str) -> None:
    """Skip (locally) or fail (in CI) unless the component is present."""
    if present:
        return
    message = f"{name} is not installed ({install}; .ci/run installs it)"
    if REQUIRED:
        pytest.fail(f"STRETCH_REQUIRE_COMPONENTS=1 but {message}")
    pytest.skip(message)


def program(name: str, install: str) -> str:
    """The full path of a program on PATH, or skip/fail."""
    found = shutil.which(name)
    require(name, found is not None, install)
    assert found is not None
    return found


def stretch_command() -> str:
    """The installed `stretch` script next to this Python (what a shell or editor runs)."""
    script = Path(sys.executable).parent / "stretch"
    assert script.exists(), f"no `stretch` script beside {sys.executable}: pip install -e ."
    return str(script)
