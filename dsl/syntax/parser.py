"""Text to model: Lark's LALR parser, then a transformer that builds ``dsl.model``.

The Lark parser is built once per process (its grammar analysis is cached on disk), so
parsing a file costs only lexing, parsing and building the model. Syntax errors become
diagnostics in ``dsl.syntax.errors``; values the grammar accepts but the language does not
(``level: expert``) become diagnostics here, so one file can report several of them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from lark.exceptions import UnexpectedInput

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.source.files import MAX_SOURCE_SIZE, TooLarge, read_input
from dsl.syntax import errors as syntax_errors
from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import lark_parser
from dsl.syntax.lexing import IndentationProblem, Indenter, NumberTooLarge

__all__ = ["MAX_SOURCE_SIZE", "ParsedFile", "parse", "parse_bytes", "parse_file", "read_source"]


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The result of parsing one file: the routine (None if it could not be read), the
    comments (for the formatter), the source text and the diagnostics found on the way."""

    path: str
    source: str
    routine: m.Routine | None
    comments: tuple[m.Comment, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)



# One parser per process, shared: the lock keeps its per-parse state consistent if a
# host (such as a language server) parses from several threads.
_PARSE_LOCK = threading.Lock()


def _has_statement(text: str) -> bool:
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return True
    return False


def parse(text: str, path: str = "<string>") -> ParsedFile:
    """Parse routine source text. Never raises on bad input: problems are diagnostics."""
    if len(text) > MAX_SOURCE_SIZE:
        return ParsedFile(path, "", None, (), (syntax_errors.too_large(len(text), path),))
    text = text.removeprefix("\ufeff")
    # Old Mac and Windows line ends read like Unix ones; columns do not move.
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    if not normalized.endswith("\n"):
        normalized += "\n"  # a comment on the last line still ends with a line break
    if not _has_statement(normalized):
        return ParsedFile(path, text, None, (), (syntax_errors.empty_file(path),))
    if "\0" in normalized:  # even inside quotes: no tool can show or speak it
        return ParsedFile(path, text, None, (), (syntax_errors.nul_character(normalized, path),))
    parser = lark_parser()
    with _PARSE_LOCK:
        indenter = cast(Indenter, parser.options.postlex)
        builder = cast(ModelBuilder, parser.options.transformer)
        indenter.reset(len(normalized))
        builder.reset(path)
        try:
            routine = cast(m.Routine, parser.parse(normalized))
        except (UnexpectedInput, IndentationProblem, NumberTooLarge) as error:
            comments = tuple(indenter.comments)
            diagnostic = syntax_errors.describe(error, normalized, path)
            return ParsedFile(path, text, None, comments, (diagnostic,))
        comments = tuple(indenter.comments)
        problems = tuple(builder.diagnostics)
    return ParsedFile(path, text, routine, comments, problems)


def parse_bytes(data: bytes, path: str = "<bytes>") -> ParsedFile:
    """Decode a file's bytes (UTF-8, optional byte order mark) and parse it."""
    if len(data) > MAX_SOURCE_SIZE:
        return ParsedFile(path, "", None, (), (syntax_errors.too_large(len(data), path),))
    problem = syntax_errors.undecodable(data, path)
    if problem is not None:
        return ParsedFile(path, "", None, (), (problem,))
    return parse(data.decode("utf-8"), path)


def read_source(path: str | Path) -> bytes | Diagnostic:
    """The bytes of a routine file (``-`` is standard input), or the diagnostic that says
    why there are none: P123 when it cannot be read, P124 when it is over
    ``MAX_SOURCE_SIZE`` (found while reading, so a pipe or a device that never ends costs
    no more than the limit)."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        return read_input(path, MAX_SOURCE_SIZE)
    except TooLarge as error:
        return syntax_errors.too_large(error.size, name, exact=error.exact)
    except OSError as error:
        return Diagnostic(
            "P123", f"cannot read this file: {error.strerror or error}", name,
            m.Span(1, 1, 1, 1), hint="check the path and the file's permissions",
        )


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one routine file; ``-`` reads standard input. A file that cannot
    be read is reported as a diagnostic, not raised."""
    data = read_source(path)
    name = "<stdin>" if str(path) == "-" else str(path)
    if isinstance(data, Diagnostic):
        return ParsedFile(name, "", None, (), (data,))
    return parse_bytes(data, name)


