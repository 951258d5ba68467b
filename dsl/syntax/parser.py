"""Text to model: Lark's LALR parser, then a transformer that builds ``dsl.model``.

The Lark parser is built once per process (its grammar analysis is cached on disk), so
parsing a file costs only lexing, parsing and building the model. Syntax errors become
diagnostics in ``dsl.syntax.errors``; values the grammar accepts but the language does not
(``level: expert``) become diagnostics here, so one file can report several of them.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import cast

import msgspec

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model import plans
from dsl.source.files import MAX_SOURCE_SIZE
from dsl.source.text import Source, decode, display_name, load, too_large
from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import lark_parser
from dsl.syntax.lexing import IndentationProblem, Indenter, NumberTooLarge
from dsl.syntax.standalone import UnexpectedInput

EMPTY = Source("")


class ParsedFile(msgspec.Struct, frozen=True):
    """The result of parsing one file: the routine (None if it could not be read), the
    comments (for the formatter), the source text and the diagnostics found on the way.

    ``text`` is the file's ``Source`` (empty when it could not be read), for lines,
    positions and excerpts."""

    path: str
    text: Source
    routine: m.Routine | None
    comments: tuple[m.Comment, ...]
    diagnostics: tuple[Diagnostic, ...]
    plan: plans.Plan | None = None
    """A session or programme file's plan (``routine`` is then None)."""

    @property
    def source(self) -> str:
        """The text as written: line ends as they were, no byte order mark."""
        return self.text.written

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


# One parser per process, shared: the lock keeps its per-parse state consistent if a
# host (such as a language server) parses from several threads.
_PARSE_LOCK = threading.Lock()


# A line with something on it that is not a comment (``str.isspace`` is ``\s``).
_STATEMENT = re.compile(r"^[^\S\n]*+[^\s#]", re.MULTILINE)


def _has_statement(text: str) -> bool:
    return _STATEMENT.search(text) is not None


_CHECKED_WHOLE = frozenset({"P139", "P140"})
"""Problems of a parameter's uses, which are checked against the whole routine's
declarations: with a syntax error in the file, a declaration may be on the broken line, so
they wait until the file parses (reported otherwise, they would echo the syntax error)."""


def parse(text: str | Source, path: str = "<string>") -> ParsedFile:
    """Parse routine source text. Never raises on bad input: problems are diagnostics."""
    original = text.original if isinstance(text, Source) else text
    if len(original) > MAX_SOURCE_SIZE:  # refused before any work on it
        return ParsedFile(path, EMPTY, None, (), (too_large(len(original), path),))
    source = text if isinstance(text, Source) else Source(text)
    normalized = source.text
    if not normalized.endswith("\n"):
        normalized += "\n"  # a comment on the last line still ends with a line break
    if not _has_statement(normalized):
        from dsl.syntax import errors as syntax_errors  # the error paths only

        return ParsedFile(path, source, None, (), (syntax_errors.empty_file(path),))
    if "\0" in normalized:  # even inside quotes: no tool can show or speak it
        from dsl.syntax import errors as syntax_errors

        problem = syntax_errors.nul_character(source, path)
        return ParsedFile(path, source, None, (), (problem,))
    top, comments, problems, error = _attempt(normalized, path)
    if error is None:
        if isinstance(top, m.Routine):
            return ParsedFile(path, source, top, comments, problems)
        return ParsedFile(path, source, None, comments, problems, top)
    from dsl.syntax.recovery import Reading, recover  # the error paths only

    def next_error(text: str, exact: bool) -> Reading:
        _, _, values, found = _attempt(text, path, exact=exact)
        return Reading(found, values)

    # Parses after the first start a little before where the last one stopped, so a value
    # problem can be found twice.
    every = {(d.code, d.span.line, d.span.column): d
             for d in (*problems, *recover(normalized, error, next_error))
             if d.code not in _CHECKED_WHOLE}
    found = tuple(sorted(every.values(), key=lambda d: (d.span.line, d.span.column)))
    return ParsedFile(path, source, None, comments, found)


def _attempt(text: str, path: str, *, exact: bool = True) -> tuple[
        m.Routine | plans.Plan | None, tuple[m.Comment, ...], tuple[Diagnostic, ...],
        Diagnostic | None]:
    """One run of the parser over the text: the routine (or plan), the comments (up to the first
    syntax error), the builder's value problems (on the statements before the first syntax
    error, if there is one), and the first syntax error (None if none): without ``exact``,
    only where it is."""
    parser = lark_parser()
    with _PARSE_LOCK:
        indenter = cast(Indenter, parser.options.postlex)
        builder = cast(ModelBuilder, parser.options.transformer)
        indenter.reset(len(text))
        builder.reset(path)
        try:
            top = cast("m.Routine | plans.Plan", parser.parse(text))
        except (UnexpectedInput, IndentationProblem, NumberTooLarge) as error:
            comments = tuple(indenter.comments)
            from dsl.syntax import errors as syntax_errors

            values = tuple(builder.diagnostics)
            found = (syntax_errors.describe if exact else syntax_errors.locate)(
                error, text, path)
            return None, comments, values, found
        return top, tuple(indenter.comments), tuple(builder.diagnostics), None


def parse_bytes(data: bytes, path: str = "<bytes>") -> ParsedFile:
    """Decode a file's bytes (UTF-8, optional byte order mark) and parse it."""
    source = decode(data, path)
    if isinstance(source, Diagnostic):
        return ParsedFile(path, EMPTY, None, (), (source,))
    return parse(source, path)


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one routine file; ``-`` reads standard input. A file that cannot
    be read is reported as a diagnostic, not raised."""
    source = load(path)
    name = display_name(path)
    if isinstance(source, Diagnostic):
        return ParsedFile(name, EMPTY, None, (), (source,))
    return parse(source, name)
