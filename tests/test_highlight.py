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
# Every form of sessions and programmes, as the language's description gives them.
PLANS = (HIGHLIGHT / "session.stretch", HIGHLIGHT / "programme.stretch")


def sources() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in (*example_paths(), *PLANS)]
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
    files = [*example_paths(), *PLANS]
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


# --- sessions and programmes --------------------------------------------------------------


def _plan_lines(scopes: list[str], *numbers: int) -> list[str]:
    return [s for s in scopes if int(s.split(":", 1)[0]) in numbers]


def test_the_textmate_grammar_scopes_a_session(tmp_path: Path) -> None:
    text = (HIGHLIGHT / "session.stretch").read_text(encoding="utf-8")
    scopes = _scopes(_node_ready(), text, tmp_path)
    colon = "punctuation.separator.key-value.stretch"
    do, ref = "keyword.other.statement.do.stretch", "entity.name.label.id.stretch"
    variant = "entity.name.tag.variant.stretch"
    assert _plan_lines(scopes, 2, 6, 8, 10, 14, 15, 16) == [
        '2:1 "session" keyword.control.block.stretch',
        '2:9 "\\"" punctuation.definition.string.begin.stretch',
        '2:10 "Morning Legs" string.quoted.double.stretch',
        '2:22 "\\"" punctuation.definition.string.end.stretch',
        '6:3 "limit" keyword.other.statement.stretch', '6:9 "cycles" constant.language.stretch',
        '6:16 "3" constant.numeric.stretch',
        '6:18 "per" keyword.other.modifier.stretch',
        '6:22 "session" keyword.other.modifier.stretch',
        f'8:3 "do" {do}', f'8:6 "box-breathing" {ref}',
        '8:35 "#" punctuation.definition.comment.stretch',
        '8:37 "a routine (or a session) by its id:" comment.line.number-sign.stretch',
        f'10:3 "do" {do}',
        '10:6 "\\"" punctuation.definition.string.begin.stretch',
        '10:7 "calf-wall-stretch.stretch" string.quoted.double.stretch',
        '10:32 "\\"" punctuation.definition.string.end.stretch',
        '10:35 "#" punctuation.definition.comment.stretch',
        '10:37 "or by a path relative to this file" comment.line.number-sign.stretch',
        f'14:3 "do" {do}', f'14:6 "towel-hamstring-three-ways" {ref}',
        '14:32 ":" punctuation.separator.colon.stretch',
        '15:5 "variant" keyword.other.variant.stretch', f'15:12 ":" {colon}',
        f'15:14 "harder" {variant}', '15:20 "," punctuation.separator.comma.stretch',
        f'15:22 "calf" {variant}', '15:26 "/" punctuation.separator.exercise.stretch',
        f'15:27 "easier" {variant}',
        '16:5 "set" keyword.other.statement.stretch',
        '16:9 "hold" variable.other.parameter.stretch', f'16:13 ":" {colon}',
        '16:15 "40s" constant.numeric.duration.stretch',
    ]


def test_the_textmate_grammar_scopes_a_programme(tmp_path: Path) -> None:
    text = (HIGHLIGHT / "programme.stretch").read_text(encoding="utf-8")
    scopes = [s for s in _scopes(_node_ready(), text, tmp_path)
              if "comment" not in s and "punctuation.definition.string" not in s]
    colon, comma = "punctuation.separator.key-value.stretch", "punctuation.separator.comma.stretch"
    setting = "support.type.property-name.setting.stretch"
    modifier = "keyword.other.modifier.stretch"
    day, number = "constant.language.stretch", "constant.numeric.stretch"
    stage, rule = "entity.name.section.stage.stretch", "keyword.control.stage-rule.stretch"
    assert _plan_lines(scopes, 4, 5, 6, 9, 10, 11, 13, 15) == [
        f'4:3 "weeks" {setting}', f'4:8 ":" {colon}', f'4:10 "6" {number}',
        f'5:3 "start" {setting}', f'5:8 ":" {colon}',
        '5:10 "2026-12-07" constant.numeric.date.stretch',
        '6:3 "do" keyword.other.statement.do.stretch',
        '6:6 "morning-legs" entity.name.label.id.stretch',
        f'6:19 "on" {modifier}', f'6:22 "mon" {day}', f'6:25 "," {comma}',
        f'6:27 "wed" {day}', f'6:30 "," {comma}', f'6:32 "fri" {day}',
        f'6:36 "at" {modifier}', '6:39 "07:30" constant.numeric.time.stretch',
        f'6:44 "," {comma}', '6:46 "18:00" constant.numeric.time.stretch',
        '9:3 "progress" keyword.other.statement.stretch',
        '9:12 "rounds" variable.other.parameter.stretch', f'9:18 ":" {colon}',
        f'9:20 "1" {number}', f'9:21 "," {comma}', '9:23 "+" keyword.operator.stretch',
        f'9:24 "1" {number}', f'9:26 "every" {modifier}', f'9:32 "2" {number}',
        f'9:34 "weeks" {modifier}', f'9:40 "up" {modifier}', f'9:43 "to" {modifier}',
        f'9:46 "3" {number}',
        '10:3 "start" keyword.other.statement.stretch',
        '10:9 "stage" keyword.other.statement.stretch', f'10:14 ":" {colon}',
        f'10:16 "early" {stage}',
        '11:3 "stage" keyword.control.block.stretch', f'11:9 "early" {stage}',
        '11:16 "Gentle range" string.quoted.double.stretch',
        '11:29 ":" punctuation.separator.colon.stretch',
        f'13:5 "move up" {rule}', f'13:13 "after" {modifier}', f'13:19 "3" {number}',
        f'13:21 "sessions" {modifier}', f'13:30 "when" {modifier}', f'13:35 "pain" {day}',
        f'13:40 "at" {modifier}', f'13:43 "most" {modifier}', f'13:48 "2" {number}',
        f'13:49 "," {comma}', f'13:51 "effort" {day}', f'13:58 "at" {modifier}',
        f'13:61 "most" {modifier}', f'13:66 "5" {number}', f'13:67 "," {comma}',
        f'13:69 "settled" {day}', f'13:77 "within" {modifier}', f'13:84 "24" {number}',
        '13:87 "hours" keyword.other.unit.stretch',
        f'15:5 "step back" {rule}', f'15:15 "when" {modifier}', f'15:20 "not" {modifier}',
        f'15:24 "settled" {day}', f'15:32 "within" {modifier}', f'15:39 "2" {number}',
        '15:41 "days" keyword.other.unit.stretch',
    ]


def test_the_lexer_colours_the_forms_of_sessions_and_programmes() -> None:
    text = ('  do towel-hamstring:\n    variant: harder, calf/easier\n    set hold: 40s\n'
            '  do box-breathing on mon, fri at 07:30 "after a walk"\n'
            '  start: 2026-12-07\n  progress hold: 20s, +5s every 2 weeks up to 45s\n'
            '  start stage: early\n  stage early "Gentle":\n'
            '    move up after 3 sessions when settled within 24 hours\n'
            '    step back when pain at least 5\n  limit cycles 3 per session\n')
    pairs = [(str(kind).removeprefix("Token."), value) for kind, value in token_types(text)
             if value.strip() and not str(kind).startswith("Token.Literal.String")]
    reserved, label, constant = "Keyword.Reserved", "Name.Label", "Name.Constant"
    builtin, number, punctuation = "Name.Builtin", "Literal.Number", "Punctuation"
    assert pairs == [
        (reserved, "do"), (label, "towel-hamstring"), (punctuation, ":"),
        (reserved, "variant"), (punctuation, ":"), (constant, "harder"), (punctuation, ","),
        ("Name", "calf"), (punctuation, "/"), (constant, "easier"),
        (reserved, "set"), ("Name.Variable", "hold"), (punctuation, ":"), (number, "40s"),
        (reserved, "do"), (label, "box-breathing"), (reserved, "on"), (constant, "mon"),
        (punctuation, ","), (constant, "fri"), (builtin, "at"), (number, "07:30"),
        ("Keyword.Declaration", "start"), (punctuation, ":"), (number, "2026-12-07"),
        (reserved, "progress"), ("Name.Variable", "hold"), (punctuation, ":"), (number, "20s"),
        (punctuation, ","), ("Operator", "+"), (number, "5s"), (builtin, "every"),
        (number, "2"), (builtin, "weeks"), (builtin, "up"), (builtin, "to"), (number, "45s"),
        (reserved, "start"), (reserved, "stage"), (punctuation, ":"), (label, "early"),
        (reserved, "stage"), (label, "early"), (punctuation, ":"),
        (reserved, "move"), (reserved, "up"), (builtin, "after"), (number, "3"),
        (builtin, "sessions"), (builtin, "when"), (constant, "settled"), (builtin, "within"),
        (number, "24"), ("Keyword.Type", "hours"),
        (reserved, "step"), (reserved, "back"), (builtin, "when"), (constant, "pain"),
        (builtin, "at"), (builtin, "least"), (number, "5"),
        (reserved, "limit"), (constant, "cycles"), (number, "3"), (builtin, "per"),
        (builtin, "session"),
    ]
