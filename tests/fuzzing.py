"""The fuzzing harness: hostile inputs, and every entry point run over them.

``exercise(text)`` feeds one text to every tool a user can reach (parse, check and lint
reports, compile, format, the player, and the language server's diagnostics, formatting,
positions, hover, completion and outline) and asserts that each returns normally with
sound diagnostics or output. The strategies draw the inputs: random text, mutations of
the example routines and test fixtures, and valid routines from ``strategies.py``.

``tests/test_fuzz.py`` runs these properties a bounded number of times in the suite;
``bench/fuzz.py`` runs them for minutes.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from strategies import model_routines, routine_sources

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.format.formatter import format_bytes, format_routine, format_text
from dsl.lint.checker import FileResult, check
from dsl.lsp import completion, engine, hover, symbols
from dsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, Position, units
from dsl.outputs import render as render_report
from dsl.outputs.text import render_concise, render_text
from dsl.pipeline import blocking, compile_file
from dsl.player.scripted import run as play
from dsl.syntax.parser import ParsedFile, parse, parse_bytes
from dsl.timeline.compiler import RoutineTooLong, compile_routine, dumps
from dsl.timeline.contract import load_schema

ROOT = Path(__file__).resolve().parents[1]

# --- settings profiles -------------------------------------------------------------------

_COMMON: dict[str, Any] = {
    "deadline": None,
    "database": None,  # no example database: a CI run and a local run behave the same
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much],
}
settings.register_profile("fuzz-ci", max_examples=120, derandomize=True, **_COMMON)
settings.register_profile("fuzz-long", max_examples=5_000, **_COMMON)

PROFILE_VARIABLE = "STRETCH_FUZZ_PROFILE"


def profile() -> settings:
    """The fuzz settings: ``ci`` (the default: bounded, derandomized so every run tries the
    same inputs) or ``long`` (random, many more examples), from ``STRETCH_FUZZ_PROFILE``."""
    name = os.environ.get(PROFILE_VARIABLE, "ci")
    if name not in ("ci", "long"):
        raise ValueError(f"{PROFILE_VARIABLE} is `ci` or `long`, not `{name}`")
    return settings.get_profile(f"fuzz-{name}")


# --- how often each entry point ran ------------------------------------------------------

CALLS: Counter[str] = Counter()
"""Inputs each entry point was given (``bench/fuzz.py`` prints it)."""


def _called(entry_point: str) -> None:
    CALLS[entry_point] += 1


# --- strategies --------------------------------------------------------------------------

# Every character that can be in a Python string read from UTF-8 (no lone surrogates).
ANY_CHARACTER = st.characters(blacklist_categories=["Cs"])

# Pieces of routine text, so random text gets past the first line now and then.
FRAGMENTS = [
    "routine", '"', '"Title"', "hold", "hold-breath", "contract", "relax", "rest", "setup",
    "release", "deepen", "inhale", "exhale", "breathe", "repeat", "up to", "for", "times",
    "x", "on pain", "on", "cue", "partner", "at", "gently", "to mild tension", "limit",
    "cycles", "contractions", "effort", "per side", "sides:", "each", "alternating",
    "left", "right", "only", "switch", "tempo:", "1 count = 1s", "targets:", "(", ")", ",",
    "-", ":", "%", "=", "30s", "1m30s", "5", "2.5", "0", "999999999", "counts", "breaths",
    "s", "m", "min", "note", "image", "video", "variant", "easier", "posture",
    "indications", "contraindications", "level:", "beginner", "frequency:", "daily",
    "id:", "equipment:", "none", "# comment", "# stretch: ignore[L101]",
    "# stretch: ignore-file", " ", "  ", "\t", "\n", "\r\n", "\r", "\n  ", "\n    ",
    "\x00", "\ufeff", "\u2028", "\x0c", "\\", '\\"', "é", "🧘", "\u200b", "\u0301",
]

random_texts = st.one_of(
    st.text(ANY_CHARACTER, max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_CHARACTER, max_size=3)),
             max_size=80).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(
        lambda parts: 'routine "R"\n  ' + "".join(parts)),
)


@lru_cache(maxsize=1)
def seed_texts() -> tuple[str, ...]:
    """Routines to mutate: the examples and every routine among the test fixtures."""
    paths = sorted((ROOT / "examples").glob("*.stretch"))
    paths += sorted((ROOT / "tests" / "fixtures").rglob("*.stretch"))
    texts = []
    for path in paths:
        data = path.read_bytes()
        texts.append(data.decode("utf-8", errors="replace"))
    return tuple(texts)


INSERTS = st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_CHARACTER, min_size=1, max_size=4))


@st.composite
def mutated_routines(draw: st.DrawFn) -> str:
    """An example routine or fixture with a few random edits: lines deleted, duplicated,
    swapped or re-indented, text inserted or replaced, the end cut off."""
    text = draw(st.sampled_from(seed_texts()))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        operation = draw(st.integers(0, 7))
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if operation == 0:
            del lines[index]
        elif operation == 1:
            lines.insert(index, lines[index])
        elif operation == 2:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == 3:
            stripped = lines[index].lstrip(" \t")
            lines[index] = draw(st.sampled_from(["", " ", "  ", "   ", "\t", "      ", " \t"])
                                ) + stripped
        else:
            position = draw(st.integers(0, len(text)))
            if operation == 4:
                text = text[:position] + draw(INSERTS) + text[position:]
            elif operation == 5:
                text = text[:position] + draw(INSERTS) + text[position + 1:]
            elif operation == 6:
                text = text[:position]
            else:
                text = text[:position] + draw(INSERTS) + " " + text[position:]
            continue
        text = "\n".join(lines)
    return text


valid_routines = st.one_of(routine_sources(), model_routines.map(format_routine))

random_bytes = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from(seed_texts()), st.binary(min_size=1, max_size=4),
              st.integers(0, 10_000)).map(
        lambda t: (t[0].encode("utf-8")[:t[2]] + t[1] + t[0].encode("utf-8")[t[2]:])),
)

positions = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=3)


# --- the properties ----------------------------------------------------------------------

_CODE = re.compile(r"^[A-Z]\d{3}$")


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema())


def line_count(text: str) -> int:
    """Lines as the parser counts them (CR, LF and CRLF end a line; a BOM is dropped)."""
    normalized = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return len(normalized.split("\n"))


def assert_sound(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic], text: str) -> None:
    """Every diagnostic has a stable code, a plain message and a place inside the file."""
    lines = line_count(text)
    for d in diagnostics:
        assert _CODE.match(d.code), d
        assert d.message and d.message == d.message.strip(), d
        assert "\n" not in d.message, d
        assert d.severity in ("error", "warning", "info"), d
        assert 1 <= d.span.line <= lines + 1, (d, lines)
        assert d.span.column >= 1, d
        assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column) or (
            d.span.end_line == 0), d
        for related in d.related:
            if related.path is None:
                assert 1 <= related.span.line <= lines + 1, (d, related)


def exercise_parsed(parsed: ParsedFile, text: str, *, compile_via_file: bool = True) -> None:
    """Every entry point after parsing: check, reports, compile, format, player."""
    assert_sound(parsed.diagnostics, text)
    _called("check")
    found = check(parsed)
    assert_sound(found, text)
    for d in found:
        render_text(d, parsed.source)
        render_concise(d)
    _called("lint reports")
    files = [FileResult(parsed.path, parsed.source, tuple(found))]
    for name in ("text", "concise", "json", "github", "sarif"):
        assert isinstance(render_report(name, files), str)
    if parsed.routine is not None and not blocking(tuple(found)):
        _called("compile")
        try:
            document = compile_routine(parsed.routine, path="fuzz.stretch")
        except RoutineTooLong:
            document = None  # documented: the linter reports it as L103 first
        if document is not None:
            errors = sorted(str(e.message) for e in _validator().iter_errors(document))
            assert not errors, errors[:3]
            dumps(document)
            _called("play")
            events = list(play(document, [], auto_ready=1.0, max_seconds=100_000.0))
            assert events and events[-1].name == "end", events[-1:]
    if compile_via_file:
        _compile_file(text)


def _compile_file(text: str) -> None:
    """``compile_file`` reads the file's bytes: it reports what lint reports for them."""
    _called("compile_file")
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.stretch"
        path.write_bytes(data)
        result = compile_file(path, source_path="fuzz.stretch")
        expected = check(parse_bytes(data, str(path)))
    assert [d.code for d in result.diagnostics if d.code != "C001"] == [
        d.code for d in expected]
    if result.text is not None:
        assert result.document is not None and not blocking(result.diagnostics)


def exercise_format(text: str) -> None:
    """The formatter returns text that reads back, or diagnostics; never raises."""
    _called("fmt")
    result = format_text(text)  # UnsafeFormatting here is a bug: it is not caught
    assert_sound(result.diagnostics, text)
    if result.formatted is not None:
        assert format_text(result.formatted).formatted == result.formatted
    else:
        assert result.diagnostics


def exercise_language_server(text: str, spots: list[tuple[int, int]]) -> None:
    """What the language server computes for a document: diagnostics and their ranges in
    every position encoding, formatting, hover, completion and the outline."""
    uri = "untitled:Untitled-1"
    _called("lsp diagnose")
    found = engine.diagnose(text, uri)
    assert_sound(found, text)
    _called("lsp format")
    engine.format_document(text, uri)
    for encoding in (UTF16, UTF8, UTF32):
        index = LineIndex(text, encoding)
        for d in found:
            _inside(index, index.range(d.span).start)
            _inside(index, index.range(d.span).end)
        index.end()
    index = LineIndex(text)
    lines = [index.line_text(n) for n in range(1, len(index.lines) + 1)]
    _called("lsp hover/completion")
    for line, character in [*spots, *((d.span.line - 1, d.span.column - 1) for d in found)]:
        row, column = index.column(Position(line, character))
        assert 1 <= row <= len(lines) and column >= 1
        hover.hover(lines, row, column, None)
        completion.complete(lines, row, column, None)
    parsed = engine.parse_document(text, uri)
    if parsed.routine is not None:
        _called("lsp outline")
        symbols.outline(parsed.routine)


def _inside(index: LineIndex, position: Position) -> None:
    assert 0 <= position.line < len(index.lines), position
    assert 0 <= position.character <= units(index.lines[position.line], index.encoding)


def exercise(text: str, spots: Sequence[tuple[int, int]] = (), *,
             compile_via_file: bool = True) -> ParsedFile:
    """Run every entry point over one text."""
    _called("parse")
    parsed = parse(text, "fuzz.stretch")
    exercise_parsed(parsed, text, compile_via_file=compile_via_file)
    exercise_format(text)
    exercise_language_server(text, list(spots))
    return parsed


def exercise_bytes(data: bytes) -> None:
    """Bytes as a file holds them: decoded or refused with a diagnostic, never raised."""
    _called("parse_bytes")
    parsed = parse_bytes(data, "fuzz.stretch")
    text = data.decode("utf-8", errors="replace")
    if parsed.source or not parsed.diagnostics:
        exercise_parsed(parsed, parsed.source, compile_via_file=False)
    else:
        assert [d.code for d in parsed.diagnostics] in (["P121"], ["P122"], ["P120"]), (
            parsed.diagnostics)
        assert_sound(parsed.diagnostics, text)
    _called("fmt")
    result = format_bytes(data, "fuzz.stretch")
    assert result.formatted is not None or result.diagnostics


def exercise_valid(text: str) -> None:
    """A valid routine: no syntax problems, and formatting it keeps its meaning."""
    parsed = exercise(text, compile_via_file=False)
    assert parsed.ok and parsed.routine is not None, [d.message for d in parsed.diagnostics]
    result = format_text(text)
    assert result.formatted is not None
    assert parse(result.formatted).routine == parsed.routine


def valid_model(routine: m.Routine) -> None:
    """A routine built in code prints to text that every entry point accepts."""
    exercise_valid(format_routine(routine))
