"""Shared test helpers. Fixtures live as files under tests/fixtures/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from lsp_client import LspClient

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

# Set STRETCH_UPDATE_FIXTURES=1 to rewrite expected-output files from the current output
# (then read the diff before committing it).
UPDATE = os.environ.get("STRETCH_UPDATE_FIXTURES") == "1"


_ESCAPE = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})")


def invisible_decoded(example: str) -> str:
    """A documented example with each escape (``\\x1b``, ``\\u202e``) made the character
    it stands for: docs never hold invisible characters, so examples that are about
    them write them escaped."""
    return _ESCAPE.sub(lambda e: chr(int(e.group(1) or e.group(2), 16)), example)


def example_paths() -> list[Path]:
    """The example routines (not the sessions and programmes: ``plan_example_paths``)."""
    return [p for p in sorted(EXAMPLES.glob("*.stretch")) if not is_plan(p)]


def plan_example_paths() -> list[Path]:
    """The example sessions and programmes."""
    return [p for p in sorted(EXAMPLES.glob("*.stretch")) if is_plan(p)]


def is_plan(path: Path) -> bool:
    """Whether a file is a session or a programme (its first statement says)."""
    first = next(line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))
    return first.startswith(("session", "programme"))


def pytest_configure(config: pytest.Config) -> None:
    # `slow`: a test that takes seconds (large inputs); it still runs in CI, and
    # `-m "not slow"` leaves it out of a quick local run.
    config.addinivalue_line(
        "markers", "slow: takes seconds (large inputs); deselect with -m 'not slow'")


@pytest.fixture(scope="module")
def server() -> Iterator[LspClient]:
    """An initialised language server over stdio, shared by one test module (modules that
    need another set-up define their own ``server``)."""
    from lsp_client import LspClient

    client = LspClient()
    client.initialize()
    yield client
    client.close()
