"""Highlighting: the Pygments lexer (docs tools) and the VS Code extension's TextMate
grammar both give every token of every example and doc example a real token type/scope."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, example_paths
from pygments.token import Error, is_token_subtype
from test_docs import blocks

from dsl.format.highlight import StretchLexer, token_types

VSCODE = ROOT / "editors" / "vscode"
HIGHLIGHT = FIXTURES / "highlight"


def sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in example_paths()]
    return found + blocks()


@pytest.mark.parametrize(("where", "text"), sources(), ids=[w for w, _ in sources()])
def test_the_lexer_knows_every_token(where: str, text: str) -> None:
    errors = [value for kind, value in token_types(text) if is_token_subtype(kind, Error)]
    assert errors == []


def test_the_lexer_marks_what_the_language_does_not_allow() -> None:
    text = (HIGHLIGHT / "unknown-characters.stretch").read_text(encoding="utf-8")
    errors = [value for kind, value in token_types(text) if is_token_subtype(kind, Error)]
    assert errors == ["@", "“", "”"]


def test_the_lexer_tells_the_parts_of_a_step_apart() -> None:
    pairs = [(str(kind), value) for kind, value in token_types(
        '  contract 6-10 counts at 20-40% "Push \\"now\\""  # hard\n') if value.strip()]
    assert pairs == [
        ("Token.Keyword", "contract"), ("Token.Literal.Number", "6"), ("Token.Operator", "-"),
        ("Token.Literal.Number", "10"), ("Token.Keyword.Type", "counts"),
        ("Token.Name.Builtin", "at"), ("Token.Literal.Number", "20"), ("Token.Operator", "-"),
        ("Token.Literal.Number", "40%"), ("Token.Literal.String.Double", '"'),
        ("Token.Literal.String.Double", "Push "), ("Token.Literal.String.Escape", '\\"'),
        ("Token.Literal.String.Double", "now"), ("Token.Literal.String.Escape", '\\"'),
        ("Token.Literal.String.Double", '"'), ("Token.Comment.Single", "# hard"),
    ]


def test_pygments_finds_the_lexer_by_name_and_file_name() -> None:
    if not any(e.name == "stretch" for e in entry_points(group="pygments.lexers")):
        pytest.skip("the pygments.lexers entry point is not installed yet "
                    "(pyproject.toml, then pip install -e .)")
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename

    assert isinstance(get_lexer_by_name("stretch"), StretchLexer)
    assert isinstance(get_lexer_for_filename("calf.stretch"), StretchLexer)


# --- the VS Code extension ----------------------------------------------------------------


def test_the_extension_wires_language_grammar_and_server() -> None:
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    contributes = package["contributes"]
    [language] = contributes["languages"]
    assert language["id"] == "stretch" and language["extensions"] == [".stretch"]
    assert (VSCODE / language["configuration"]).is_file()
    [grammar] = contributes["grammars"]
    assert grammar["scopeName"] == "source.stretch"
    tm = json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))
    assert tm["scopeName"] == "source.stretch"
    assert package["activationEvents"] == ["onLanguage:stretch"]
    assert (VSCODE / package["main"]).is_file()
    assert "vscode-languageclient" in package["dependencies"]
    default = contributes["configuration"]["properties"]["stretch.server.command"]["default"]
    assert default == ["stretch", "lsp"]
    config = json.loads((VSCODE / "language-configuration.json").read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"


def _node_ready() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (VSCODE / "node_modules" / "vscode-textmate").is_dir():
        pytest.skip("the extension's npm packages are not installed: "
                    "npm ci --prefix editors/vscode")
    return node


def _tokenize(node: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(VSCODE / "test" / "grammar.test.js"), *map(str, files)],
        capture_output=True, text=True, timeout=60, cwd=VSCODE,
    )


def test_the_textmate_grammar_scopes_every_token(tmp_path: Path) -> None:
    node = _node_ready()
    files = list(example_paths())
    for number, (_, block) in enumerate(blocks()):
        files.append(tmp_path / f"doc-{number:02d}.stretch")
        files[-1].write_text(block, encoding="utf-8")
    done = _tokenize(node, files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith(f"{len(files)} files tokenized: 0 unscoped tokens\n")


def test_the_textmate_check_fails_on_an_unscoped_token() -> None:
    node = _node_ready()
    bad = HIGHLIGHT / "unknown-characters.stretch"
    done = _tokenize(node, [bad])
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f'{bad}:3:3: no scope for "contrct"',
        f'{bad}:3:14: no scope for "@ “"',
        f'{bad}:3:18: no scope for "”"',
        "1 file tokenized: 3 unscoped tokens",
    ]


def test_the_extension_client_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, "--check", str(VSCODE / "extension.js")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def _scopes(node: str, text: str, tmp_path: Path) -> list[str]:
    """Each token of ``text`` (not white space) as ``line:col "text" innermost-scope``."""
    file = tmp_path / "forms.stretch"
    file.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [node, str(VSCODE / "test" / "grammar.test.js"), "--scopes", str(file)],
        capture_output=True, text=True, timeout=60, cwd=VSCODE,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines()


_VARIANT_FORMS = """\
routine "Towel hamstring"
  hold 30s "Lean"
    variant harder: 60s
    variant chair: left 30s, right 45s
    variant long: {hold}
    variant easier: leave out
    variant harder:
      hold 20s
  variant harder only:
    hold 20s "Deeper"
"""


def test_the_textmate_grammar_scopes_variants_that_change_steps(tmp_path: Path) -> None:
    scopes = _scopes(_node_ready(), _VARIANT_FORMS, tmp_path)
    variant, name = "keyword.other.variant.stretch", "entity.name.tag.variant.stretch"
    colon = "punctuation.separator.key-value.stretch"
    assert [s for s in scopes if s.split(" ", 1)[0].split(":")[0] in "3456789"] == [
        f'3:5 "variant" {variant}', f'3:13 "harder" {name}', f'3:19 ":" {colon}',
        '3:21 "60s" constant.numeric.duration.stretch',
        f'4:5 "variant" {variant}', f'4:13 "chair" {name}', f'4:18 ":" {colon}',
        '4:20 "left" constant.language.stretch', '4:25 "30s" constant.numeric.duration.stretch',
        '4:28 "," punctuation.separator.comma.stretch',
        '4:30 "right" constant.language.stretch',
        '4:36 "45s" constant.numeric.duration.stretch',
        f'5:5 "variant" {variant}', f'5:13 "long" {name}', f'5:17 ":" {colon}',
        '5:19 "{hold}" variable.other.placeholder.stretch',
        f'6:5 "variant" {variant}', f'6:13 "easier" {name}', f'6:19 ":" {colon}',
        '6:21 "leave" keyword.control.leave-out.stretch',
        '6:27 "out" keyword.control.leave-out.stretch',
        f'7:5 "variant" {variant}', f'7:13 "harder" {name}', f'7:19 ":" {colon}',
        '8:7 "hold" keyword.other.step.stretch', '8:12 "20s" constant.numeric.duration.stretch',
        f'9:3 "variant" {variant}', f'9:11 "harder" {name}',
        '9:18 "only" keyword.control.block.only.stretch',
        '9:22 ":" punctuation.separator.colon.stretch',
    ]


def test_leave_out_is_a_keyword_only_after_a_variant_s_colon(tmp_path: Path) -> None:
    # Elsewhere (in a quoted text, or as a stray word) it is no keyword.
    scopes = _scopes(_node_ready(), 'routine "X"\n  note "leave out"\n  leave out\n', tmp_path)
    assert '2:9 "leave out" string.quoted.double.stretch' in scopes
    assert not any("leave-out" in s for s in scopes)
    assert '3:3 "leave out" source.stretch' in scopes  # no scope: only after `variant NAME:`


def test_the_lexer_colours_leave_out_as_keywords() -> None:
    pairs = [(str(kind), value) for kind, value in token_types(
        "    variant easier: leave out\n") if value.strip()]
    assert pairs == [
        ("Token.Keyword.Reserved", "variant"), ("Token.Name.Constant", "easier"),
        ("Token.Punctuation", ":"), ("Token.Keyword.Reserved", "leave"),
        ("Token.Keyword.Reserved", "out"),
    ]
