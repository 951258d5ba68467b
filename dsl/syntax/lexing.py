"""Indentation and comments: the step between Lark's lexer and its LALR parser.

Lark lexes a line break together with any comments and blank lines after it into one
``_NL`` token. This post-lexer reads the indentation of the next line from that token and
emits ``_INDENT``/``_DEDENT`` tokens, and collects the comments for the formatter.

Indentation may use spaces or tabs, but consistently: a nested line's indentation must
start with its parent's (so ``"  "`` then ``"  \\t"`` is fine, ``"\\t"`` after ``"  "`` is
not). That is Python's rule, and it makes tab width irrelevant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dsl.model import Comment
from dsl.syntax.standalone import Token

MAX_DEPTH = 50
"""How deeply blocks may nest. Real routines use three or four levels; the limit keeps
everything after the parser (expansion, formatting, comparison) safely non-recursive-deep."""


MAX_WHOLE_DIGITS = 9
"""Numbers have at most this many digits before the decimal point (up to 999,999,999).
Real routines need four; the bound keeps every sum and product of amounts finite (a
310-digit number is already too large for a float) and Python's int() within its limit."""

_COMMENT = re.compile(r"#[^\n]*")
_WHOLE_PARTS = re.compile(r"(?<![\d.])\d+")
_NUMBER_TOKENS = frozenset({"NUMBER", "DURATION", "PERCENT"})


class IndentationProblem(Exception):
    """A line whose indentation cannot be read; the parser turns it into a diagnostic."""

    def __init__(self, kind: str, line: int, width: int, previous: int | None = None) -> None:
        super().__init__(kind)
        # "dedent" (matches no outer block), "mixed" (tabs vs spaces) or "deep" (too deep)
        self.kind = kind
        self.line = line
        self.width = width  # columns of indentation, for the caret
        self.previous = previous  # the line whose indentation this one contradicts


class NumberTooLarge(Exception):
    """A number with more than MAX_WHOLE_DIGITS digits; the parser reports it as P118."""

    def __init__(self, token: Token) -> None:
        super().__init__(str(token))
        self.token = token


class Indenter:
    """Lark post-lexer: ``_NL`` tokens in, ``_NL``/``_INDENT``/``_DEDENT`` out."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.comments: list[Comment] = []
        self.text_length = 0

    def reset(self, text_length: int) -> None:
        self.comments = []
        self.text_length = text_length

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        # Each stack entry: (indentation string, line it was first seen on).
        stack: list[tuple[str, int]] = [("", 1)]
        seen_statement = False
        last: Token | None = None
        for token in stream:
            if token.type in _NUMBER_TOKENS and _too_large(str(token)):
                raise NumberTooLarge(token)
            if token.type != "_NL":
                seen_statement = True
                last = token
                yield token
                continue
            indent, next_line = self._read_break(token, seen_statement)
            if not seen_statement:
                continue  # blank lines and comments before the first statement
            yield token
            last = token
            if indent is None:
                continue  # the break runs to the end of the file
            current = stack[-1][0]
            if indent == current:
                continue
            if indent.startswith(current):
                if len(stack) > MAX_DEPTH:
                    raise IndentationProblem("deep", next_line, len(indent), stack[-1][1])
                stack.append((indent, next_line))
                yield _borrowed("_INDENT", indent, token)
                continue
            while indent != stack[-1][0]:
                if not stack[-1][0].startswith(indent) or len(stack) == 1:
                    kind = "mixed" if _mixes(indent, stack) else "dedent"
                    raise IndentationProblem(kind, next_line, len(indent), stack[-1][1])
                stack.pop()
                yield _borrowed("_DEDENT", indent, token)
        if last is not None and last.type != "_NL":
            yield _synthetic("_NL", "\n", last)
        for _ in stack[1:]:
            yield _synthetic("_DEDENT", "", last)

    def _read_break(self, token: Token, seen_statement: bool) -> tuple[str | None, int]:
        """Collect the comments inside a line break; return the next line's indentation
        (None at the end of the file) and that line's number."""
        # Counted, not split: a break can be millions of blank lines long.
        text = str(token)
        line = token.line or 1
        if "#" in text:
            counted_to = newlines = 0
            for comment in _COMMENT.finditer(text):
                start = comment.start()
                newlines += text.count("\n", counted_to, start)
                counted_to = start
                if newlines == 0:
                    own_line, column = not seen_statement, token.column or 1
                else:
                    own_line, column = True, start - text.rfind("\n", 0, start)
                # Only spaces and tabs end a comment: a form feed, a vertical tab or any
                # other character the author put there is part of its words.
                self.comments.append(
                    Comment(line + newlines, column, comment.group().rstrip(" \t"), own_line))
        next_line = line + text.count("\n")
        end = token.end_pos if token.end_pos is not None else self.text_length
        last_part = text[text.rfind("\n") + 1:]
        if end >= self.text_length or last_part.lstrip(" \t").startswith("#"):
            return None, next_line
        return last_part, next_line


def _too_large(number: str) -> bool:
    """More than MAX_WHOLE_DIGITS digits before a decimal point (leading zeros aside)."""
    if len(number) <= MAX_WHOLE_DIGITS:
        return False  # the usual case, without a regular expression
    return any(len(part.lstrip("0")) > MAX_WHOLE_DIGITS for part in _WHOLE_PARTS.findall(number))


def _mixes(indent: str, stack: list[tuple[str, int]]) -> bool:
    used = set(indent) | {c for entry, _ in stack for c in entry}
    return len(used) > 1


def _synthetic(kind: str, value: str, near: Token | None) -> Token:
    if near is None:
        return Token(kind, value, 0, 1, 1, 1, 1, 0)
    return _borrowed(kind, value, near)


def _borrowed(kind: str, value: str, near: Token) -> Token:
    """A token at ``near``'s place (Lark's ``Token.new_borrow_pos``)."""
    return Token(kind, value, near.start_pos, near.line, near.column, near.end_line,
                 near.end_column, near.end_pos)
