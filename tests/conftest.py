"""Shared test helpers. Fixtures live as files under tests/fixtures/."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = ROOT / "examples"

# Set STRETCH_UPDATE_FIXTURES=1 to rewrite expected-output files from the current output
# (then read the diff before committing it).
UPDATE = os.environ.get("STRETCH_UPDATE_FIXTURES") == "1"


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.stretch"))
