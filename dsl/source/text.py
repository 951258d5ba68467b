"""Source text, read and normalised once.

A ``Source`` is what the user wrote (``original``, never changed: the formatter and the
diff need it) and the text every later stage reads (``text``): the byte order mark
dropped and every line end (``\\r\\n``, a lone ``\\r``, ``\\n``) made a ``\\n``. Line and
column numbers everywhere are counted in ``text``, as the parser counts them: lines from
1, columns from 1 in characters (a tab is one column, as is any character beyond ASCII).
Because a line end becomes exactly one line end, every line keeps its characters, so the
columns of ``original`` and ``text`` agree.

No other module turns ``\\r`` into line ends itself: that is how the parser, the linter,
the formatter, the diagnostics' excerpts and the SARIF fingerprints all see the same lines.

Bytes become a ``Source`` through ``decode`` (UTF-8 with an optional byte order mark), and
files through ``load`` (the capped ``read_source``): both answer with the P-code diagnostic
that says why there is no text, so every command refuses the same inputs the same way.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

from dsl.diagnostics import Diagnostic
from dsl.model import Span
from dsl.source.files import MAX_SOURCE_SIZE, TooLarge, read_input

BOM = "\ufeff"


class Source:
    """One routine's text: ``original`` as written, ``text`` normalised, with a line index
    built when first asked for (parsing a clean file never needs it)."""

    __slots__ = ("_lines", "_starts", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        written = original.removeprefix(BOM)
        # Old Mac and Windows line ends read like Unix ones; columns do not move.
        if "\r" in written:
            written = written.replace("\r\n", "\n").replace("\r", "\n")
        self.text = written
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None

    def __repr__(self) -> str:
        return f"Source({self.original!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and other.original == self.original

    def __hash__(self) -> int:
        return hash(self.original)

    @property
    def written(self) -> str:
        """The text as written, line ends as they were, without a byte order mark."""
        return self.original.removeprefix(BOM)

    @property
    def lines(self) -> list[str]:
        """The lines of ``text`` without their line ends; a text that ends with a line
        end has an empty last line, as ``str.split`` gives (only ``\\n`` splits: a form
        feed or a line separator inside a line is not a line end in this language)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def line(self, number: int) -> str | None:
        """Line ``number`` (from 1), or None when there is no such line."""
        lines = self.lines
        return lines[number - 1] if 0 < number <= len(lines) else None

    @property
    def line_starts(self) -> list[int]:
        """The offset in ``text`` where each line starts (index 0 is line 1)."""
        if self._starts is None:
            starts = [0]
            for line in self.lines[:-1]:
                starts.append(starts[-1] + len(line) + 1)
            self._starts = starts
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """The line and column of an offset in ``text`` (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset in ``text`` of a line and column; a column past the line's end
        stops at its line end, a line past the last at the end of the text."""
        if line < 1:
            return 0
        if line > len(self.lines):
            return len(self.text)
        return self.line_starts[line - 1] + max(0, min(column - 1, len(self.lines[line - 1])))

    def excerpt(self, span: Span) -> str | None:
        """The line a span starts on, as a diagnostic shows it: a tab is one column for
        the parser, so it is shown as one space to keep the caret under the right
        character. None when the span is not on a line of this text."""
        text = self.line(span.line)
        return None if text is None else text.replace("\t", " ")


def decode(data: bytes, path: str) -> Source | Diagnostic:
    """A file's bytes as a ``Source`` (UTF-8, optional byte order mark), or the diagnostic
    that says why they are not routine text: P124 over ``MAX_SOURCE_SIZE``, P122 with a
    NUL byte, P121 when not UTF-8."""
    if len(data) > MAX_SOURCE_SIZE:
        return too_large(len(data), path)
    problem = undecodable(data, path)
    if problem is not None:
        return problem
    return Source(data.decode("utf-8"))


def read_source(path: str | Path) -> bytes | Diagnostic:
    """The bytes of a routine file (``-`` is standard input), or the diagnostic that says
    why there are none: P123 when it cannot be read, P124 when it is over
    ``MAX_SOURCE_SIZE`` (found while reading, so a pipe or a device that never ends costs
    no more than the limit)."""
    name = display_name(path)
    try:
        return read_input(path, MAX_SOURCE_SIZE)
    except TooLarge as error:
        return too_large(error.size, name, exact=error.exact)
    except OSError as error:
        return Diagnostic(
            "P123", f"cannot read this file: {error.strerror or error}", name,
            Span(1, 1, 1, 1), hint="check the path and the file's permissions",
        )


def load(path: str | Path) -> Source | Diagnostic:
    """Read and decode one file (``-`` is standard input): every command reads its
    routine files here, so all of them refuse the same files with the same diagnostics."""
    data = read_source(path)
    return data if isinstance(data, Diagnostic) else decode(data, display_name(path))


def display_name(path: str | Path) -> str:
    """The name diagnostics give a file: ``<stdin>`` for ``-``."""
    return "<stdin>" if str(path) == "-" else str(path)


def too_large(size: int, path: str, exact: bool = True) -> Diagnostic:
    """P124: a file too large to be a routine. ``exact``: ``size`` is the whole file's
    (else reading a stream stopped after ``size`` bytes, past the limit)."""

    most = f"the most is {MAX_SOURCE_SIZE / 1e6:.0f} MB"
    said = f"{size / 1e6:.1f} MB" if exact else f"more than {MAX_SOURCE_SIZE / 1e6:.0f} MB read"
    return Diagnostic(
        "P124", f"the file is too large for a routine ({said}; {most})", path,
        Span(1, 1, 1, 1), hint="a routine is a few kilobytes: is this the right file?",
    )


def undecodable(data: bytes, path: str) -> Diagnostic | None:
    """A diagnostic for bytes that are not UTF-8 text, or None when they are."""
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _position_of_byte(data, nul)
        return Diagnostic(
            "P122", f"this is not a text file (NUL byte at offset {nul})", path,
            Span(line, column, line, column + 1),
            hint="a routine file is plain UTF-8 text; is this the right file?",
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_of_byte(data, error.start)
        bad = data[error.start]
        return Diagnostic(
            "P121", f"the file is not valid UTF-8: byte 0x{bad:02x} at offset {error.start}",
            path, Span(line, column, line, column + 1),
            hint="save the file as UTF-8 in your editor",
        )
    return None


def _position_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    """The line and column of a byte, counted as the parser counts them."""
    before = Source(data[:offset].decode("utf-8", errors="replace"))
    return before.position(len(before.text))
