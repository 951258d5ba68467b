"""The grammar is LALR with no hidden conflicts or terminal collisions, and the grammar
checked that way is the one that reads routines."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import lark
import msgspec
import pytest
import regenerate_parser
from conftest import ROOT, example_paths, is_plan
from lark import Lark, Token, Tree

from dsl import model as m
from dsl.syntax import standalone
from dsl.syntax.grammar import lark_parser, reference_parser
from dsl.syntax.lexing import Indenter
from dsl.syntax.parser import parse

ROUTINES = example_paths() + sorted(
    p for p in (ROOT / "tests" / "conformance").glob("*/routine.stretch") if not is_plan(p))
"""The routines of the project (the conformance suite's session case is not one)."""


def _steps(value: object) -> list[m.Step]:
    """Every step anywhere in a model (body, repeats, handlers, groups, the steps a
    variant puts in a step's place)."""
    if isinstance(value, m.Step):
        return [value, *_steps(value.details)]
    if isinstance(value, tuple):
        return [step for item in value for step in _steps(item)]
    if isinstance(value, msgspec.Struct):
        return [step for name in value.__struct_fields__
                for step in _steps(getattr(value, name))]
    return []


@pytest.fixture(scope="module")
def strict_parser() -> Lark:
    # strict=True raises on any shift/reduce conflict and on regex collisions between
    # terminals (it needs the interegular package, a test dependency).
    return reference_parser(strict=True)


def test_grammar_builds_in_strict_mode(strict_parser: Lark) -> None:
    assert strict_parser.options.parser == "lalr"
    assert strict_parser.options.strict


@pytest.mark.parametrize("path", ROUTINES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_strict_grammar_reads_the_steps_the_parser_builds(
    strict_parser: Lark, path: Path
) -> None:
    """The strict parse tree has a step, of the same kind on the same line, for each step
    of the model that ``parse`` builds (with the process parser)."""
    text = path.read_text(encoding="utf-8")
    parsed = parse(text)
    assert parsed.diagnostics == () and parsed.routine is not None
    written = sorted((step.span.line, step.kind) for step in _steps(parsed.routine))
    indenter = cast(Indenter, strict_parser.options.postlex)
    indenter.reset(len(text))
    tree = strict_parser.parse(text)
    kinds = [cast(Token, node.children[0]) for node in tree.find_data("step")]
    assert sorted((kind.line, str(kind)) for kind in kinds) == written
    assert written
    (routine,) = tree.find_data("routine")
    # Every token is kept, as in the generated parser: the keyword, then the title.
    title = cast(Token, routine.children[1])
    assert title.type == "STRING" and title[1:-1].replace('\\"', '"') == parsed.routine.title


def test_process_parser_is_built_once_and_builds_the_model() -> None:
    assert lark_parser() is lark_parser()
    assert lark_parser().options.parser == "lalr"
    # It builds the model as it parses: no parse tree is made.
    parsed = parse('routine "Calf"\n  hold 30s "Lean in"\n')
    assert parsed.routine is not None and not isinstance(parsed.routine, Tree)
    assert parsed.routine.title == "Calf"
    [step] = _steps(parsed.routine)
    assert (step.kind, step.text, step.span.line, step.span.column) == ("hold", "Lean in", 2, 3)


def test_the_generated_parser_is_made_from_this_grammar() -> None:
    digest = regenerate_parser.grammar_digest(
        (ROOT / "dsl" / "syntax" / "grammar.lark").read_text(encoding="utf-8"))
    assert digest == standalone.GRAMMAR_SHA256, (
        "grammar.lark changed: run `python tests/regenerate_parser.py`")


@pytest.mark.skipif(lark.__version__ != standalone.__version__,
                    reason="the generated parser was written by another version of Lark")
def test_the_generated_parser_is_what_the_generator_writes() -> None:
    # The states are numbered in a fixed order, so the same grammar gives the same file.
    assert regenerate_parser.generate() == regenerate_parser.STANDALONE.read_text(
        encoding="utf-8"), "run `python tests/regenerate_parser.py`"


def test_the_state_numbering_does_not_depend_on_the_run() -> None:
    # Lark numbers states by sets hashed by identity; the generator renumbers them.
    first = regenerate_parser.canonical(reference_parser().parser.parser._parse_table)
    second = regenerate_parser.canonical(reference_parser().parser.parser._parse_table)
    assert first.serialize({}) == second.serialize({})  # type: ignore[no-untyped-call]
