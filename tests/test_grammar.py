"""The grammar is LALR with no hidden conflicts or terminal collisions."""

from __future__ import annotations

from lark import Lark

from dsl.syntax.grammar import build_parser, lark_parser


def test_grammar_builds_in_strict_mode() -> None:
    # strict=True raises on any shift/reduce conflict and on regex collisions between
    # terminals (it needs the interegular package, a test dependency).
    parser = build_parser(cache=False, strict=True)
    assert isinstance(parser, Lark)
    assert parser.options.parser == "lalr"


def test_process_parser_is_built_once() -> None:
    assert lark_parser() is lark_parser()
    assert lark_parser().options.parser == "lalr"
