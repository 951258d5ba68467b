"""Every example routine parses cleanly (the compiler and linter tests check the rest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import example_paths

from dsl.syntax.parser import parse_file


def test_there_are_at_least_five_examples() -> None:
    assert len(example_paths()) >= 5


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_example_parses_without_diagnostics(path: Path) -> None:
    parsed = parse_file(path)
    assert parsed.diagnostics == ()
    assert parsed.routine is not None and parsed.routine.body
