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
