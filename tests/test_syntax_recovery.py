"""Every syntax error of a file at once, each once: no mistake echoes on the lines after it.

The property test breaks k lines (1 to 10) of a valid routine with mistakes from a
catalogue of single-line slips and asserts exactly k diagnostics, one on each broken line.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import routine_sources

from dsl.lint.checker import check
from dsl.lsp import engine, incremental
from dsl.model import STEP_KINDS
from dsl.outputs.text import render_text
from dsl.syntax.parser import parse
from dsl.syntax.recovery import MAX_SYNTAX_ERRORS

# Whole-line slips: each is a syntax error in any block (routine, repeat, a step's cues, a
# list of quoted lines, a `for` group), so it can replace any line that has no block under
# it. They keep the line's indentation.
SLIPS = (
    'hodl 30s "Lean in"',            # misspelt step
    'bogus 30s',                     # unknown word starting a statement
    'hold 30 "Lean in"',             # no unit
    'hold 30s Lean in',              # text not in quotes
    'hold 30s "Lean in',             # no closing quote
    'hold 30s \u201cLean in\u201d',  # typographic quotes
    'hold 30s; "Lean in"',           # stray character
    'hold 30s gentley',              # misspelt intensity
    'hold gently 30s',               # intensity before the amount
    'hold 30s "Lean in" gently',     # text before the intensity
    'hold 3000000000s',              # a number too large
    'position: standing (samasthitih)',  # a detail in parentheses
    'sides: eech',                   # misspelt setting value
    'repeat 3 tims',                 # misspelt word in a repeat
)
# And a cue at its step's own indentation (``_cued_step``).

# Misspellings of the keyword that opens a block: the block's lines stay as they are.
MISSPELT_OPENERS = {
    "repeat": "repaet", "posture": "postur", "indications": "indicatons",
    "contraindications": "contraindicatons", "hold": "hodl", "contract": "contrct",
    "relax": "relx", "inhale": "inhle", "exhale": "exhle", "rest": "rset",
    "release": "relase", "deepen": "deepn", "setup": "stup", "breathe": "breahte",
    "hold-breath": "hold-breth",
}

STEP_WORDS = frozenset(str(kind) for kind in STEP_KINDS)

_STATEMENT = re.compile(r"^([ \t]*)([^ \t#])")
_FIRST_WORD = re.compile(r"^([ \t]*)([A-Za-z][A-Za-z-]*)(.*)$")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _statements(lines: list[str]) -> list[int]:
    return [n for n, line in enumerate(lines) if _STATEMENT.match(line)]


def _opens_block(lines: list[str], statements: list[int], number: int) -> bool:
    later = [n for n in statements if n > number]
    if not later:
        return False
    own, below = _indent(lines[number]), _indent(lines[later[0]])
    return len(below) > len(own)


def _slips_for(lines: list[str], statements: list[int], number: int) -> list[str]:
    """The broken versions of one line that are a single mistake on that line."""
    line = lines[number]
    indent = _indent(line)
    if number == statements[0]:
        return ['routine Calf stretch']  # the title not in quotes
    if _opens_block(lines, statements, number):
        opener = _FIRST_WORD.match(line)
        if opener is None or opener.group(2) not in MISSPELT_OPENERS:
            return []
        return [indent + MISSPELT_OPENERS[opener.group(2)] + opener.group(3)]
    found = [indent + slip for slip in SLIPS]
    parent = _cued_step(lines, statements, number)
    if parent is not None:  # a cue that is its step's last line, at the step's indentation
        found.append(_indent(lines[parent]) + line.lstrip(" \t"))
    return found


def _cued_step(lines: list[str], statements: list[int], number: int) -> int | None:
    """The step a cue or partner line stands under, when it is that step's last line."""
    if not lines[number].lstrip(" \t").startswith(("cue", "partner")):
        return None
    own = len(_indent(lines[number]))
    parent = next((n for n in reversed(statements) if n < number
                   and len(_indent(lines[n])) < own), None)
    later = [n for n in statements if n > number]
    if parent is None or (later and len(_indent(lines[later[0]])) > len(_indent(lines[parent]))):
        return None
    found = _FIRST_WORD.match(lines[parent])
    return parent if found is not None and found.group(2) in STEP_WORDS else None


@st.composite
def broken_routines(draw: st.DrawFn) -> tuple[str, list[int]]:
    """A valid routine with 1 to 10 of its lines broken, and those lines' numbers."""
    text = draw(routine_sources()).lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    statements = _statements(lines)
    eligible = [n for n in statements if _slips_for(lines, statements, n)]
    chosen = draw(st.lists(st.sampled_from(eligible), min_size=1,
                           max_size=min(10, len(eligible)), unique=True))
    broken = list(lines)
    for number in chosen:
        broken[number] = draw(st.sampled_from(_slips_for(lines, statements, number)))
    return "\n".join(broken), sorted(n + 1 for n in chosen)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_routines())
def test_k_broken_lines_give_exactly_k_diagnostics_on_those_lines(
        case: tuple[str, list[int]]) -> None:
    text, broken = case
    parsed = parse(text)
    assert parsed.routine is None
    assert [d.span.line for d in parsed.diagnostics] == broken, (
        text, [(d.code, d.span.line, d.message) for d in parsed.diagnostics])


def test_a_misspelt_block_opener_does_not_make_its_body_an_error() -> None:
    text = ('routine "Calf"\n'
            '  repaet 3:\n'
            '    hold 30s "Lean in"\n'
            '    rest 10s\n'
            '  hold 30s\n')
    [diagnostic] = parse(text).diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("P103", 2, 3)


def test_a_broken_only_child_does_not_leave_its_block_empty() -> None:
    text = ('routine "Calf"\n'
            '  repeat 3:\n'
            '    hold 30 "Lean in"\n'
            '  posture:\n'
            '    Heels down\n')
    diagnostics = parse(text).diagnostics
    assert [(d.code, d.span.line) for d in diagnostics] == [("P102", 3), ("P104", 5)]


def test_a_block_opener_with_no_body_is_reported_once() -> None:
    text = ('routine "Calf"\n'
            '  repeat 3:\n'
            '  hold 30s "Lean in"\n'
            '  hodl 10s\n')
    diagnostics = parse(text).diagnostics
    assert [(d.code, d.span.line) for d in diagnostics] == [("P111", 3), ("P103", 4)]


def test_value_problems_are_reported_beside_syntax_errors() -> None:
    text = ('routine "Calf"\n'
            '  level: expert\n'
            '  hold 30 "Lean in"\n'
            '  partner: maybe\n')
    parsed = parse(text)
    assert parsed.routine is None
    assert [(d.code, d.span.line) for d in parsed.diagnostics] == [
        ("P201", 2), ("P102", 3), ("P202", 4)]


def test_positions_are_those_of_the_text_as_written() -> None:
    text = 'routine "Calf"\r\n  hold 30\r\n\r\n  # a comment\r\n  hold 20s Lean in\r\n'
    diagnostics = parse(text).diagnostics
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [
        ("P102", 2, 10), ("P104", 5, 12)]


def test_a_line_outside_the_routine_and_a_bad_indent_each_once() -> None:
    text = ('routine "Calf"\n'
            '  note "Face a wall"\n'
            '    hold 30s\n'
            'hold 20s\n'
            '  hold 10s\n')
    diagnostics = parse(text).diagnostics
    assert [(d.code, d.span.line) for d in diagnostics] == [("P110", 3), ("P107", 4)]


def _many_errors(count: int) -> str:
    return 'routine "Calf"\n' + "".join(f'  hold {n} "Lean in"\n' for n in range(count))


def test_fifty_syntax_errors_are_all_reported() -> None:
    diagnostics = parse(_many_errors(MAX_SYNTAX_ERRORS)).diagnostics
    assert [d.code for d in diagnostics] == ["P102"] * MAX_SYNTAX_ERRORS
    assert [d.span.line for d in diagnostics] == list(range(2, MAX_SYNTAX_ERRORS + 2))


def test_after_fifty_one_diagnostic_says_where_the_rest_begin() -> None:
    parsed = parse(_many_errors(80), "calf.stretch")
    diagnostics = parsed.diagnostics
    assert len(diagnostics) == MAX_SYNTAX_ERRORS + 1
    last = diagnostics[-1]
    assert (last.code, last.span.line, last.span.column) == ("P128", 52, 11)
    assert render_text(last, parsed.source) == (
        "error[P128]: more syntax errors from here on: stopped after 50\n"
        "  --> calf.stretch:52:11\n"
        "   |\n"
        '52 |   hold 50 "Lean in"\n'
        "   |           ^^^^^^^^^\n"
        "  = help: fix the errors above and check the file again")


def test_a_routine_with_no_header_stops_at_the_first_error() -> None:
    # Without a `routine` line nothing below can be placed: one diagnostic, not one a line.
    diagnostics = parse('hold 30s\nhold 20s\nhodl 10s\n').diagnostics
    assert [d.code for d in diagnostics] == ["P108"]


def test_the_language_server_shows_every_syntax_error_after_edits() -> None:
    uri = "untitled:recovery-test"
    clean = ('routine "Calf"\n'
             '  hold 30s "Lean in"\n'
             '  repeat 2:\n'
             '    hold 20s\n'
             '  rest 10s\n')
    broken = clean.replace("hold 20s", "hold 20").replace("rest 10s", "rset 10s")
    try:
        assert engine.diagnose(clean, uri) == []
        shown = engine.diagnose(broken, uri)  # an edit of a clean version: blocks re-parsed
        assert [(d.code, d.span.line) for d in shown] == [("P102", 4), ("P103", 5)]
        assert shown == check(incremental.parse_text(broken, uri), engine.config_for(uri))
        again = broken.replace("hold 30s", "hold 30")  # an edit of a version with errors
        assert [(d.code, d.span.line) for d in engine.diagnose(again, uri)] == [
            ("P102", 2), ("P102", 4), ("P103", 5)]
    finally:
        engine.forget(uri)


def test_word_order_hint_only_when_the_reordered_step_is_right() -> None:
    # `30` has no unit: reordering would not mend it, so no order is suggested.
    [diagnostic] = parse('routine "Calf"\n  hold gently 30 "Lean in"\n').diagnostics
    assert diagnostic.code == "P101"
    [diagnostic] = parse('routine "Calf"\n  hold at 30% 5s # firm\n').diagnostics
    assert (diagnostic.code, diagnostic.span.column) == ("P126", 15)
    assert diagnostic.hint == "write it as `hold 5s at 30%`"


def test_a_cue_where_cues_belong_is_not_a_slip() -> None:
    text = 'routine "Calf"\n  hold 30s\n    cue "Heel down"\n  cue "Breathe"  # at 20s\n'
    [diagnostic] = parse(text).diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("P125", 4, 3)
    assert diagnostic.hint == 'indent `cue "Breathe"` under the step it goes with'


def test_the_language_server_publishes_every_syntax_error() -> None:
    pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")
    from lsp_client import LspClient

    uri = "untitled:Calf"
    text = ('routine "Calf"\n'
            '  hold 30s "Lean in"\n'
            '  repeat 2:\n'
            '    hold 20s\n'
            '  rest 10s\n')
    client = LspClient()
    try:
        client.initialize()
        assert client.open(uri, text)["diagnostics"] == []
        edits = [  # a unit taken away, then a step misspelt: both shown, each once
            ({"start": {"line": 3, "character": 11}, "end": {"line": 3, "character": 12}}, ""),
            ({"start": {"line": 4, "character": 2}, "end": {"line": 4, "character": 6}}, "rset"),
        ]
        published: dict[str, Any] = {}
        for version, (where, new) in enumerate(edits, start=2):
            published = client.change(uri, version, [{"range": where, "text": new}])
        shown = [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"],
                  d["message"]) for d in published["diagnostics"]]
        assert shown == [
            ("P102", 3, 11, "this amount has no unit, found the end of the line\nhelp: "
             "amounts need a unit: `30s`, `1m30s`, `5 counts` or `3 breaths`"),
            ("P103", 4, 2, "unknown statement `rset`\nhelp: did you mean `rest`?"),
        ]
    finally:
        client.close()
