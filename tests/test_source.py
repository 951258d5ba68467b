"""The source stage: ``dsl.source.text.Source`` (bytes to text, one line index, positions,
excerpts), the one reader every command uses, and the rule that no other module
normalises line ends itself."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from typer.testing import CliRunner

from dsl.cli import app
from dsl.diagnostics import Diagnostic
from dsl.lsp.positions import split_lines
from dsl.model import Span
from dsl.outputs.text import render_text
from dsl.source.files import MAX_SOURCE_SIZE
from dsl.source.text import Source, decode, load
from dsl.syntax.parser import parse, parse_bytes

runner = CliRunner()


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(ROOT)


# --- Source ----------------------------------------------------------------------------


@pytest.mark.parametrize("original", [
    "a\nbc\n", "a\r\nbc\r\n", "a\rbc\r", "a\r\nbc\r", "\ufeffa\nbc\n", "\ufeffa\r\nbc\r\n",
])
def test_every_line_end_and_a_byte_order_mark_read_alike(original: str) -> None:
    source = Source(original)
    assert source.original == original  # nothing the user wrote is lost
    assert source.text == "a\nbc\n"
    assert source.lines == ["a", "bc", ""]
    assert source.written == original.removeprefix("\ufeff")


def test_mixed_line_ends_each_end_one_line() -> None:
    # CR then LF is one line end; LF then CR is two; CR CR is two.
    source = Source("a\r\nb\n\rc\r\rd")
    assert source.lines == ["a", "b", "", "c", "", "d"]
    assert [source.line(n) for n in (0, 1, 4, 6, 7)] == [None, "a", "c", "d", None]


def test_only_a_line_end_ends_a_line() -> None:
    # str.splitlines would also break at these; the parser does not.
    text = "a\x0bb\x0cc\x1cd\x85e\u2028f\u2029g"
    assert Source(text).lines == [text]


def test_an_empty_file_has_one_empty_line() -> None:
    source = Source("")
    assert (source.text, source.lines, source.line_starts) == ("", [""], [0])
    assert source.position(0) == (1, 1)
    assert source.offset(1, 1) == 0
    assert source.excerpt(Span(1, 1, 1, 1)) == ""
    assert source.excerpt(Span(2, 1, 2, 1)) is None


def test_positions_at_line_ends_and_past_them() -> None:
    source = Source("ab\r\ncd")  # text "ab\ncd"
    assert source.line_starts == [0, 3]
    assert [source.position(n) for n in range(6)] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]
    assert source.position(99) == (2, 3) and source.position(-5) == (1, 1)
    assert source.offset(1, 3) == 2  # the line end itself
    assert source.offset(1, 40) == 2  # past the line's end: its line end
    assert source.offset(2, 1) == 3
    assert source.offset(3, 1) == 5  # past the last line: the end of the text
    for offset in range(len(source.text) + 1):
        assert source.offset(*source.position(offset)) == offset


def test_columns_count_characters_as_the_parser_does() -> None:
    # A tab is one column, a character beyond ASCII one column, the byte order mark none.
    text = '\ufeffroutine "Café 🧘"\n\thold 5 bananas\n'
    source = Source(text)
    [problem] = parse(text).diagnostics
    line, column = problem.span.line, problem.span.column
    assert source.line(line) is not None
    assert source.text[source.offset(line, column):].startswith("bananas")
    assert source.position(source.text.index("bananas")) == (2, 9)
    assert (line, column) == (2, 9)
    assert source.excerpt(problem.span) == " hold 5 bananas"  # the tab shown as one space
    assert source.position(source.text.index("🧘")) == (1, 15)


def test_decode_keeps_the_original_and_reports_bad_bytes() -> None:
    source = decode(b"\xef\xbb\xbfroutine \"A\"\r\n", "a.stretch")
    assert isinstance(source, Source)
    assert source.original == '\ufeffroutine "A"\r\n'
    problem = decode(b'routine "A"\r\n  caf\xe9', "a.stretch")
    assert isinstance(problem, Diagnostic)
    assert (problem.code, problem.span.line, problem.span.column) == ("P121", 2, 6)
    problem = decode(b'routine "A"\r  x\0', "a.stretch")
    assert isinstance(problem, Diagnostic)
    assert (problem.code, problem.span.line, problem.span.column) == ("P122", 2, 4)


def test_load_reads_through_the_capped_reader(tmp_path: Path) -> None:
    path = tmp_path / "a.stretch"
    path.write_bytes(b'routine "A"\r')
    source = load(path)
    assert isinstance(source, Source) and source.lines == ['routine "A"', ""]
    missing = load(tmp_path / "missing.stretch")
    assert isinstance(missing, Diagnostic) and missing.code == "P123"


def test_the_parsed_file_carries_its_source() -> None:
    parsed = parse_bytes(b'\xef\xbb\xbfroutine "A"\r\n  hold 5 s\r\n')
    assert parsed.source == 'routine "A"\r\n  hold 5 s\r\n'  # as written, as before
    assert parsed.text.original == '\ufeffroutine "A"\r\n  hold 5 s\r\n'
    assert parsed.text.lines == ['routine "A"', "  hold 5 s", ""]


def test_the_language_server_splits_lines_as_the_source_does() -> None:
    # The server indexes the editor's own text (offsets there address the edits), so it
    # keeps its own index; it must end lines exactly where the source does.
    for text in ("a\r\nb\n\rc\r\rd\n", "a\x0bb\u2028c\rd", ""):
        assert split_lines(text) == Source(text).lines


# --- the lone-CR defect ----------------------------------------------------------------


def _with_line_ends(path: Path, end: str, tmp_path: Path) -> Path:
    tmp_path.mkdir()
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes().replace(b"\n", end.encode()))
    return copy


@pytest.mark.parametrize("end", ["\r", "\r\n"])
@pytest.mark.parametrize(("command", "fixture"), [
    ("lint", FIXTURES / "lint" / "rules" / "L101-limit-exceeded" / "bad-cycles.stretch"),
    ("check", FIXTURES / "syntax" / "P103-misspelt-step.stretch"),
])
def test_old_mac_and_windows_files_print_the_same_excerpts(
    command: str, fixture: Path, end: str, tmp_path: Path
) -> None:
    """Regression: a file with lone CR line ends printed no source excerpt at all."""
    unix = _with_line_ends(fixture, "\n", tmp_path / "unix")
    other = _with_line_ends(fixture, end, tmp_path / "other")
    expected = runner.invoke(app, [command, str(unix)])
    result = runner.invoke(app, [command, str(other)])
    assert result.exit_code == expected.exit_code == 1
    assert " | " in expected.output and "^" in expected.output
    assert result.output == expected.output.replace(str(unix), str(other))


def test_sarif_fingerprints_do_not_depend_on_line_ends(tmp_path: Path) -> None:
    """Regression: with lone CR line ends every line after the first had no text to
    fingerprint."""
    import json

    fixture = FIXTURES / "lint" / "rules" / "L101-limit-exceeded" / "bad-cycles.stretch"
    path = tmp_path / fixture.name
    found = []
    for end in (b"\n", b"\r", b"\r\n"):
        path.write_bytes(fixture.read_bytes().replace(b"\n", end))
        result = runner.invoke(app, ["lint", "--format", "sarif", str(path)])
        assert result.exit_code == 1
        results = json.loads(result.stdout)["runs"][0]["results"]
        found.append([r["partialFingerprints"]["stretch/v1"] for r in results])
    assert found[0] and found[0] == found[1] == found[2]


def test_a_lone_cr_file_shows_the_line_with_the_caret_under_the_mistake(
    tmp_path: Path
) -> None:
    path = tmp_path / "hips.stretch"
    path.write_bytes(b'routine "Hips"\r  hold 30 s\r  strech hamstrings\r')
    for command in ("check", "lint"):
        result = runner.invoke(app, [command, str(path)])
        assert result.exit_code == 1
        assert f"--> {path}:3:3\n" in result.output
        assert ("  |\n3 |   strech hamstrings\n  |   ^^^^^^\n") in result.output, result.output


def test_fmt_shows_the_first_line_without_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.stretch"
    path.write_bytes(b'\xef\xbb\xbfroutin "A"\n')
    result = runner.invoke(app, ["fmt", "--check", str(path)])
    assert result.exit_code == 1
    assert '\n1 | routin "A"\n  | ^^^^^^\n' in result.output


def test_the_text_renderer_takes_a_source_or_its_text() -> None:
    problem = Diagnostic("P103", "unknown statement `x`", "a.stretch", Span(2, 3, 2, 4))
    text = 'routine "A"\r  x\r'
    assert render_text(problem, text) == render_text(problem, Source(text))
    assert render_text(problem, text).endswith("\n2 |   x\n  |   ^")


# --- one reader, one limit -------------------------------------------------------------


P124 = "error[P124]: the file is too large for a routine (4.0 MB; the most is 4 MB)"


@pytest.mark.parametrize("command", [
    ["check"], ["lint"], ["compile"], ["fmt"], ["fmt", "--check"], ["play", "--script"],
])
def test_every_command_refuses_an_over_size_file_with_p124(
    command: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "big.stretch"
    with path.open("wb") as handle:  # sparse: nothing is written but the size
        os.truncate(handle.fileno(), MAX_SOURCE_SIZE + 1)
    result = runner.invoke(app, [*command, str(path)])
    assert result.exit_code == 1, result.output
    assert f"{P124}\n  --> {path}:1:1\n" in result.output
    assert "= help: a routine is a few kilobytes: is this the right file?" in result.output


def test_the_language_server_refuses_an_over_size_document() -> None:
    from dsl.lsp.engine import parse_document

    [problem] = parse_document("#" * (MAX_SOURCE_SIZE + 1), "file:///big.stretch").diagnostics
    assert render_text(problem, None).splitlines()[:2] == [P124, "  --> /big.stretch:1:1"]


def test_an_events_file_is_decoded_as_a_routine_is(tmp_path: Path) -> None:
    routine = ROOT / "examples" / "hip-and-hamstring.stretch"
    events = tmp_path / "events.txt"
    events.write_bytes(b"ready@1\rpain@2\r")  # old Mac line ends: two lines
    lone = runner.invoke(app, ["play", str(routine), "--script", "--events-file", str(events)])
    events.write_bytes(b"ready@1\npain@2\n")
    unix = runner.invoke(app, ["play", str(routine), "--script", "--events-file", str(events)])
    assert lone.exit_code == unix.exit_code == 0, lone.output
    assert lone.output == unix.output
    events.write_bytes(b"ready@1\npain@2 caf\xe9\n")
    bad = runner.invoke(app, ["play", str(routine), "--script", "--events-file", str(events)])
    assert bad.exit_code == 2
    assert (f"stretch: error: --events-file: {events}:2:11: the file is not valid UTF-8: "
            "byte 0xe9 at offset 18") in bad.output


# --- nobody else normalises ------------------------------------------------------------

# Modules that hold a carriage return for another reason than reading source text.
_OTHER_REASONS = {
    "dsl/format/highlight.py": "the highlighter's lexer matches line ends as whitespace",
    "dsl/lsp/positions.py": "protocol positions index the editor's own text (see the "
                            "test above: its lines are the source's)",
    "dsl/outputs/github.py": "workflow commands escape a CR in messages",
    "dsl/player/live.py": "the terminal's Enter key and line ends",
}


def test_no_module_outside_the_source_stage_normalises_line_ends() -> None:
    found = []
    for path in sorted((ROOT / "dsl").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("dsl/source/") or name in _OTHER_REASONS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    "\r" in node.value or "\ufeff" in node.value):
                found.append(f"{name}:{node.lineno}: {node.value!r}")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "splitlines"
                    and not any(data in ast.unparse(node) for data in ("read_text", ".doc"))):
                # (the package's own data files and docstrings are not source text)
                found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert found == [], "line ends are the source stage's job (dsl.source.text.Source)"
