"""The grammar and the one Lark parser of this process.

The grammar is one file (``grammar.lark``; imports would defeat Lark's cache). The parser is
LALR with the contextual lexer and the indentation post-lexer, and it builds the model while
it parses (``ModelBuilder`` as its transformer), so no parse tree is ever made.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark

from dsl.syntax.builder import ModelBuilder
from dsl.syntax.lexing import Indenter
from dsl.syntax.scanner import RoutineLexer

GRAMMAR_PATH = Path(__file__).with_name("grammar.lark")


@lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The one Lark parser of this process; it builds the model as it parses."""
    return build_parser(cache=True, transformer=ModelBuilder())


def build_parser(
    *, cache: bool = True, strict: bool = False, transformer: ModelBuilder | None = None,
    lark_lexer: bool = False,
) -> Lark:
    """A Lark LALR parser for the grammar. With a ``transformer`` the model is built during
    parsing (no parse tree), which is what makes parsing fast; without, it yields a tree.
    ``lark_lexer`` uses Lark's own contextual lexer instead of ``RoutineLexer`` (which
    gives the same tokens and errors, sooner): the benchmarks' and the tests' reference."""
    # `strict` checks terminals for collisions as Lark's own lexer is built: it needs that lexer.
    plugins = {} if lark_lexer or strict else {"ContextualLexer": RoutineLexer}
    return Lark(
        GRAMMAR_PATH.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        postlex=Indenter(),
        keep_all_tokens=transformer is not None,
        maybe_placeholders=False,
        transformer=transformer,
        cache=cache,
        strict=strict,
        _plugins=plugins,
    )
