"""Every syntax diagnostic: code, position and wording, from fixture files.

Each ``tests/fixtures/syntax/<CODE>-<case>.stretch`` has a ``.expected`` file holding the
exact text ``stretch check`` prints for it. A new case is a new pair of files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, UPDATE

from dsl.outputs.text import render_text
from dsl.syntax.errors import MESSAGES
from dsl.syntax.parser import parse, parse_file

CASES = sorted((FIXTURES / "syntax").glob("*.stretch"))


def rendered(path: Path) -> str:
    parsed = parse_file(path)
    relative = path.relative_to(FIXTURES.parent.parent).as_posix()
    blocks = [render_text(d, parsed.source).replace(str(path), relative)
              for d in parsed.diagnostics]
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_diagnostic_matches_expected_text(path: Path) -> None:
    expected_path = path.with_suffix(".expected")
    actual = rendered(path)
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_name_states_its_code(path: Path) -> None:
    code = path.stem.split("-")[0]
    codes = [d.code for d in parse_file(path).diagnostics]
    # P128 follows the fifty errors it counts; every other code comes first.
    assert (codes[-1:] if code == "P128" else codes[:1]) == [code]


@pytest.mark.parametrize(
    ("code", "example"),
    [(message.code, example) for message in MESSAGES for example in message.examples],
)
def test_every_matching_example_gets_its_own_code(code: str, example: str) -> None:
    # The examples drive Lark's match_examples; each must land on its own message.
    diagnostics = parse(example).diagnostics
    assert [d.code for d in diagnostics] == [code]


def test_every_message_family_has_a_fixture() -> None:
    covered = {p.stem.split("-")[0] for p in CASES}
    assert {m.code for m in MESSAGES} <= covered


def test_nul_character_in_text_passed_to_the_api() -> None:
    [diagnostic] = parse('routine "x"\n  hold 30s \0\n').diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("P112", 2, 12)
    assert diagnostic.message == "the file contains a NUL character"


def test_did_you_mean_for_a_misspelt_keyword_in_a_setting() -> None:
    [diagnostic] = parse('routine "x"\n  sides: eech\n').diagnostics
    assert diagnostic.code == "P115"
    assert diagnostic.hint == "did you mean `each`?"
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 10)


def test_value_problems_are_all_reported_not_just_the_first() -> None:
    diagnostics = parse('routine "x"\n  level: expert\n  partner: maybe\n').diagnostics
    assert [(d.code, d.span.line) for d in diagnostics] == [("P201", 2), ("P202", 3)]


def test_every_terminal_of_the_grammar_has_words() -> None:
    """No message may show a grammar-internal name such as `_per`: every terminal is a
    literal keyword or has an explicit entry in the table of words."""
    from dsl.syntax.errors import _TERMINAL_WORDS, terminal_words
    from dsl.syntax.grammar import lark_parser

    terminals = [t for t in lark_parser().terminals if not t.name.startswith("__IGNORE")]
    for terminal in terminals:
        if terminal.pattern.type == "re":
            assert terminal.name in _TERMINAL_WORDS, terminal.name
        assert terminal_words(terminal.name), terminal.name
    for declared in ("_INDENT", "_DEDENT", "$END"):
        assert terminal_words(declared), declared
    assert terminal_words("NO_SUCH_TERMINAL") is None  # left out, never shown by name


@pytest.mark.parametrize("text", [
    'routine "Calf"\n  limit hold 10s-20s\n', 'routine "Calf"\n  frequency: 3 times\n',
    'routine "Calf"\n  frequency: 3 x\n', 'routine "Calf"\n  repeat 3 times times:\n',
])
def test_no_message_names_a_grammar_internal_terminal(text: str) -> None:
    import re

    [diagnostic] = parse(text).diagnostics
    assert not re.search(r"`_|__ANON|[A-Z]{2,}_[A-Z]", diagnostic.message), diagnostic.message


@pytest.mark.parametrize(("line", "column", "message", "fixed"), [
    ("hold\tgently 1m30s \"Lean in\"", 15, "the intensity comes after the amount",
     'hold 1m30s gently "Lean in"'),
    ("hold gently 5 counts", 15, "the intensity comes after the amount",
     "hold 5 counts gently"),
    ('hold "Lean in" 10-30s to mild tension', 18,
     "the text comes last, after the amount and the intensity",
     'hold 10-30s to mild tension "Lean in"'),
    ("contract at 30% 6s", 19, "the intensity comes after the amount", "contract 6s at 30%"),
])
def test_a_step_out_of_order_gets_the_line_in_order(line: str, column: int, message: str,
                                                      fixed: str) -> None:
    [diagnostic] = parse(f'routine "Calf"\n  {line}\n').diagnostics
    assert (diagnostic.code, diagnostic.span.line, diagnostic.span.column) == ("P126", 2, column)
    assert diagnostic.message == message
    assert diagnostic.hint == f"write it as `{fixed}`"
    assert parse(f'routine "Calf"\n  {fixed}\n').diagnostics == ()


def test_an_unknown_word_mid_block_gets_the_same_help_as_first_in_a_block() -> None:
    first = parse('routine "Calf"\n  repeat 2:\n    relx 10s\n').diagnostics
    later = parse('routine "Calf"\n  repeat 2:\n    hold 30s\n    relx 10s\n').diagnostics
    assert [(d.code, d.message, d.hint) for d in first] == [(d.code, d.message, d.hint)
                                                          for d in later] == [
        ("P103", "unknown statement `relx`", "did you mean `relax`?")]
