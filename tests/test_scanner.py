"""The parser stretch runs reads exactly as Lark does: ``RoutineLexer`` gives the tokens
and errors of Lark's own contextual lexer, and the generated stand-alone parser
(``dsl/syntax/standalone.py``) parses as Lark itself does.

The reference is Lark itself, built from ``grammar.lark`` with its own lexer
(``reference_parser``); ours is the generated parser with ``RoutineLexer`` (``build_parser``).
Both parsers run every text with a post-lexer that records each token (type, text and
every position) before the indenter sees it; the records, and the error raised if any,
must be equal. The texts: every routine and fixture in the project (many with syntax
errors), valid generated routines, mutated routines and random text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from unittest import mock

import lark.exceptions
import pytest
from conftest import ROOT
from fuzzing import mutated_routines, random_texts, seed_texts, valid_routines
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from dsl.syntax import parser as parsing
from dsl.syntax import standalone
from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import build_parser, lark_parser, reference_parser
from dsl.syntax.lexing import IndentationProblem, Indenter, NumberTooLarge
from dsl.syntax.scanner import RoutineLexer
from dsl.syntax.standalone import Token

Record = tuple[str, str, int | None, int | None, int | None, int | None, int | None, int | None]


class Recorder(Indenter):
    """The indenter, noting every token the lexer gives it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Record] = []

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        return super().process(self._note(stream))

    def _note(self, stream: Iterator[Token]) -> Iterator[Token]:
        for token in stream:
            self.seen.append((token.type, str(token), token.start_pos, token.line,
                              token.column, token.end_line, token.end_column, token.end_pos))
            yield token


@cache
def recording_parser(lark_itself: bool) -> Lark | standalone.Lark:
    parser = reference_parser() if lark_itself else build_parser()
    recorder = Recorder()
    parser.options.postlex = parser.parser.lexer.postlexer = recorder  # type: ignore[assignment]
    return parser


# What an error says (its objects, such as the parser state, differ between parsers).
_ERROR_FIELDS = ("line", "column", "pos_in_stream", "char", "allowed", "expected", "accepts",
                 "token", "kind", "width", "previous")


def run(lark_itself: bool, text: str) -> tuple[list[Record], object]:
    """Every token the lexer gave and how the parse ended, as comparable values."""
    parser = recording_parser(lark_itself)
    recorder = parser.options.postlex
    assert isinstance(recorder, Recorder)
    recorder.seen = []
    recorder.reset(len(text))
    try:
        parser.parse(text)
        ended: object = "parsed"
    except (standalone.UnexpectedInput, lark.exceptions.UnexpectedInput, IndentationProblem,
            NumberTooLarge) as error:
        # Lark lists what it expected in the order of a set: compare the lines as a set,
        # and the error's fields as values (sets compare whatever their order).
        ended = (type(error).__name__, sorted(str(error).splitlines()),
                 [(name, getattr(error, name, None)) for name in _ERROR_FIELDS])
    return recorder.seen, ended


def assert_same(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    assert run(False, text) == run(True, text)


def test_the_parser_uses_the_routine_lexer() -> None:
    assert isinstance(lark_parser().parser.lexer.lexer, RoutineLexer)


@pytest.mark.parametrize("path", sorted(
    [*ROOT.glob("examples/*.stretch"), *ROOT.glob("tests/fixtures/**/*.stretch")]),
    ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_routine_in_the_project_lexes_as_lark_lexes_it(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("text", [
    'routine "x"\n  repeat upto 3:\n    hold 30s\n',  # a keyword inside a word: `up` `to`
    'routine "x"\n  sides: each\n  hold 30s each\n',
    'routine "x"\n  hold 30sx\n', 'routine "x"\n  hold 5sec3s\n', 'routine "x"\n  hold 1.5.5s\n',
    'routine "x"\n  hold 30 %\n', 'routine "x"\n  hold é\n', 'routine "x"\n\thold 30s\n',
    'routine "x"\n  hold "a\\"b" # c\n  # d\n\n  rest 5s   \n',
    'routine "x"\n  hold\f30s\n', 'routine "x"\n  hold "unterminated\n',
    'routine', 'routine "x" : \n', '"x"\n', 'hold 30s\n', '  routine "x"\n',
])
def test_edge_cases_lex_as_lark_lexes_them(text: str) -> None:
    assert_same(text)


@settings(max_examples=150, deadline=None)
@given(st.one_of(valid_routines, mutated_routines(), random_texts))
def test_generated_texts_lex_as_lark_lexes_them(text: str) -> None:
    assert_same(text)


def test_the_diagnostics_are_the_same_with_either_lexer() -> None:
    reference = build_parser(transformer=ModelBuilder(), lark_lexer=True)
    for text in seed_texts():
        ours = parsing.parse(text)
        with mock.patch.object(parsing, "lark_parser", lambda: reference):
            theirs = parsing.parse(text)
        assert (ours.diagnostics, ours.comments, repr(ours.routine)) == (
            theirs.diagnostics, theirs.comments, repr(theirs.routine))
