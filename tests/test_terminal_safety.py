"""Control characters never reach a terminal raw.

A routine file (its quoted text, comments, suppression comments) or its file name can
hold escape sequences, bells, line feeds and bidirectional overrides. The text, concise
and github formats show them escaped (``\\x1b``, ``\\u202e``), the caret widened to match;
json and sarif escape them as JSON does. V109 (control-character) flags them in quoted
text, where they would reach the client.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dsl.diagnostics import CONTROL_CHARACTERS, Diagnostic, escape_controls
from dsl.model import Span
from dsl.outputs.github import github_line
from dsl.outputs.text import render_concise, render_text

TITLE = "\x1b]0;owned\x07"  # sets the terminal window's title, then rings the bell
CLEAR = "\x1b[2J"  # clears the screen


def test_escapes_cover_c0_del_c1_and_bidirectional_controls() -> None:
    assert escape_controls("a\x1bb\x07c\x7fd\x9be\u202ef\u2066g") == (
        "a\\x1bb\\x07c\\x7fd\\x9be\\u202ef\\u2066g")
    assert escape_controls("tab\tand\nline feed stay") == "tab\tand\nline feed stay"
    assert escape_controls("one\nline", one_line=True) == "one\\x0aline"
    assert escape_controls("é ☕ 😀 \u200b") == "é ☕ 😀 \u200b"  # printable text is left alone


def test_the_excerpt_is_escaped_and_the_caret_widened() -> None:
    source = f'routine "x"\n  note "{CLEAR}\u202eabc"  # {TITLE}\n'
    diagnostic = Diagnostic("V109", "quoted text contains a control character", "r.stretch",
                            Span(2, 9, 2, 14), severity="warning")
    assert render_text(diagnostic, source) == (
        "warning[V109]: quoted text contains a control character\n"
        "  --> r.stretch:2:9\n"
        "  |\n"
        '2 |   note "\\x1b[2J\\u202eabc"  # \\x1b]0;owned\\x07\n'
        "  |         ^^^^^^^^^^^^^")  # under `\\x1b[2J\\u202e`: 5 characters, 13 shown


def test_a_file_name_cannot_forge_a_line_of_concise_output() -> None:
    forged = "a.stretch:1:1: X999 all is well\nb"
    diagnostic = Diagnostic("P104", f"text must be in double quotes, found `{TITLE}`",
                            forged + ".stretch", Span(2, 3, 2, 4))
    line = render_concise(diagnostic)
    assert "\n" not in line and CONTROL_CHARACTERS.search(line) is None
    assert line == ("a.stretch:1:1: X999 all is well\\x0ab.stretch:2:3: P104 text must be in "
                    "double quotes, found `\\x1b]0;owned\\x07`")
    text = render_text(diagnostic, None)
    assert text.splitlines()[1] == "  --> a.stretch:1:1: X999 all is well\\x0ab.stretch:2:3"


def test_github_commands_escape_control_characters_too() -> None:
    diagnostic = Diagnostic("V109", f"found `{TITLE}`", f"x{CLEAR}.stretch", Span(1, 1, 1, 2),
                            hint="bidi \u202e here")
    line = github_line(diagnostic)
    assert CONTROL_CHARACTERS.search(line) is None and "\n" not in line
    assert line == ("::error file=x\\x1b[2J.stretch,line=1,col=1,endLine=1,endColumn=2,"
                    "title=V109::V109 found `\\x1b]0;owned\\x07`%0Ahelp: bidi \\u202e here")


HOSTILE = (
    f'routine "Calf {TITLE}"\n'
    f"  # {CLEAR} a comment\n"
    f'  hold 30 "Lean \u202e in"  # stretch: ignore[{CLEAR}]\n'
)


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    name = "calf \x1b[31m\nforged.stretch"
    path = tmp_path / name
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [
    ["check"], ["lint"], ["lint", "--format", "concise"], ["lint", "--format", "github"],
    ["fmt"], ["fmt", "--check"], ["compile"],
])
def test_no_command_prints_a_raw_control_character(command: list[str], hostile: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", *command, hostile.name],
                          cwd=hostile.parent, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "FORCE_COLOR": ""})
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert CONTROL_CHARACTERS.search(output) is None, output
    assert "calf \\x1b[31m\\x0aforged.stretch" in output or (
        "calf \\x1b[31m%0Aforged.stretch" in output)  # github escapes the line feed itself


def test_a_clean_routine_with_control_characters_gets_v105_in_every_format(
    tmp_path: Path,
) -> None:
    path = tmp_path / "calf.stretch"
    path.write_text(f'routine "Calf"\n  hold 30s "Lean {TITLE} in"\n', encoding="utf-8")
    for output_format in ("text", "concise", "github", "json", "sarif"):
        done = subprocess.run([sys.executable, "-m", "dsl", "lint", "--format", output_format,
                               path.name], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr  # a warning
        assert "V109" in done.stdout
        assert CONTROL_CHARACTERS.search(done.stdout) is None, output_format
        if output_format in ("json", "sarif"):
            json.loads(done.stdout)  # JSON escapes C0 itself (\u001b); still valid JSON


def test_a_diff_is_escaped_on_a_terminal_and_exact_in_a_pipe(tmp_path: Path) -> None:
    import pty

    path = tmp_path / "calf.stretch"
    path.write_text(f'routine   "Calf"  # {CLEAR}\n  hold 30s\n', encoding="utf-8")
    piped = subprocess.run([sys.executable, "-m", "dsl", "fmt", "--diff", path.name],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert f'-routine   "Calf"  # {CLEAR}\n+routine "Calf"  # {CLEAR}\n' in piped.stdout
    main, terminal = pty.openpty()
    try:
        subprocess.run([sys.executable, "-m", "dsl", "fmt", "--diff", path.name],
                       cwd=tmp_path, stdout=terminal, stderr=subprocess.DEVNULL, timeout=60)
        shown = os.read(main, 1 << 16).decode("utf-8")
    finally:
        os.close(main)
        os.close(terminal)
    assert '+routine "Calf"  # \\x1b[2J' in shown
    assert CONTROL_CHARACTERS.search(shown.replace("\r\n", "\n")) is None


def test_fmt_of_standard_input_keeps_an_escape_sequence_in_a_comment() -> None:
    """The formatted text is data: redirected, it is written exactly (click's echo used to
    strip escape sequences from it, losing part of the user's comment)."""
    source = f'routine "Calf"  # {CLEAR}\n  hold   30s\n'
    done = subprocess.run([sys.executable, "-m", "dsl", "fmt", "-"], input=source,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout == f'routine "Calf"  # {CLEAR}\n  hold 30s\n'
