"""Property tests: nothing a user types crashes a tool.

Random text, random bytes, mutated example routines and generated valid routines go
through every entry point (see ``tests/fuzzing.py``); each must return diagnostics or
output. The suite runs the bounded, derandomized ``ci`` profile; set
``STRETCH_FUZZ_PROFILE=long`` (or run ``python bench/fuzz.py --minutes 10``) for more.
"""

from __future__ import annotations

import fuzzing
from fuzzing import (
    exercise,
    exercise_bytes,
    exercise_valid,
    mutated_routines,
    positions,
    random_bytes,
    random_texts,
    valid_model,
    valid_routines,
)
from hypothesis import given
from hypothesis import strategies as st
from strategies import model_routines, routine_sources

from dsl import model as m

FUZZ = fuzzing.profile()


@FUZZ
@given(random_texts, positions)
def test_random_text_gets_diagnostics_not_exceptions(
    text: str, spots: list[tuple[int, int]]
) -> None:
    exercise(text, spots)


@FUZZ
@given(mutated_routines(), positions)
def test_mutated_routines_get_diagnostics_not_exceptions(
    text: str, spots: list[tuple[int, int]]
) -> None:
    exercise(text, spots)


@FUZZ
@given(random_bytes)
def test_random_bytes_are_decoded_or_refused(data: bytes) -> None:
    exercise_bytes(data)


@FUZZ
@given(routine_sources())
def test_valid_routines_go_through_every_tool(text: str) -> None:
    exercise_valid(text)


@FUZZ
@given(model_routines)
def test_routines_built_in_code_go_through_every_tool(routine: m.Routine) -> None:
    valid_model(routine)


def test_the_strategies_reach_deep_into_the_tools() -> None:
    """The fuzzing is only worth its time if inputs get past the parser: some must be
    compiled and formatted (a strategy that only ever made syntax errors would still pass
    every property above)."""
    fuzzing.CALLS.clear()
    for strategy in (mutated_routines(), valid_routines):
        for text in _samples(strategy, 20):
            exercise(text, compile_via_file=False)
    assert fuzzing.CALLS["compile"] > 0 and fuzzing.CALLS["play"] > 0
    assert fuzzing.CALLS["lsp outline"] > 0


def _samples(strategy: st.SearchStrategy[str], count: int) -> list[str]:
    drawn: list[str] = []

    @FUZZ.__class__(FUZZ, max_examples=count)
    @given(strategy)
    def collect(text: str) -> None:
        drawn.append(text)

    collect()
    return drawn
