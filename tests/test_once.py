"""The routine is expanded once and checked once per file, whichever way it comes in:
`stretch compile`, the Python API's compile, `stretch lint`, the player loading a routine
and the language server publishing diagnostics. The calls are counted, not timed.

A safety handler's steps are expanded as a routine of their own (its timeline in the JSON),
so a file expands ``1 + handlers`` times: once for the routine, once for each handler.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

import dsl
import dsl.lint.checker
import dsl.timeline.expand
from dsl import model as m
from dsl.cli import app
from dsl.syntax.parser import parse_file

EXAMPLE = EXAMPLES / "hip-and-hamstring.stretch"

# Without safety handlers, so the routine's expansion is the only one (S105 says so).
PLAIN = """routine "Calf"
  sides: each, left first
  switch 5s "Change legs"
  limit contractions 3 per side
  repeat 3:
    contract 5s "Press the ball of the foot into the wall"
    relax 2 breaths "Let go"
    hold 20s "Lean in"
"""


def handlers(path: Path) -> int:
    routine = parse_file(path).routine
    assert routine is not None
    return sum(isinstance(item, m.SafetyHandler) for item in routine.items)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times the expansion and the checker's entry ran (in this process)."""
    counted: Counter[str] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(dsl.timeline.expand, "expand",
                        counting("expand", dsl.timeline.expand.expand))
    monkeypatch.setattr(dsl.lint.checker, "analyse", counting("check", dsl.lint.checker.analyse))
    yield counted


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "calf.stretch"
    path.write_text(PLAIN, encoding="utf-8")
    return path


def test_plain_routine_has_no_handlers(plain: Path) -> None:
    assert handlers(plain) == 0 and parse_file(plain).ok


@pytest.mark.parametrize("example", [EXAMPLE, "plain"], ids=["handlers", "plain"])
def test_stretch_compile_expands_and_checks_once(
    example: Path | str, plain: Path, calls: Counter[str]
) -> None:
    path = plain if example == "plain" else example
    assert isinstance(path, Path)
    result = CliRunner().invoke(app, ["compile", str(path)])
    assert result.exit_code == 0, result.stderr
    assert calls == {"expand": 1 + handlers(path), "check": 1}


def test_api_compile_expands_and_checks_once(plain: Path, calls: Counter[str]) -> None:
    assert dsl.compile_file(plain).document is not None
    assert calls == {"expand": 1, "check": 1}


def test_api_lint_file_expands_and_checks_once(plain: Path, calls: Counter[str]) -> None:
    assert [d.code for d in dsl.lint_file(plain)] == ["S105"]
    assert calls == {"expand": 1, "check": 1}


def test_stretch_lint_expands_and_checks_once(plain: Path, calls: Counter[str]) -> None:
    result = CliRunner().invoke(app, ["lint", str(plain)])
    assert result.exit_code == 0, result.stdout
    assert calls == {"expand": 1, "check": 1}


def test_player_load_expands_and_checks_once(plain: Path, calls: Counter[str]) -> None:
    from dsl.player import load_document

    assert load_document(plain)["timeline"]
    assert calls == {"expand": 1, "check": 1}


def test_syntax_error_is_neither_expanded_nor_compiled(tmp_path: Path,
                                                       calls: Counter[str]) -> None:
    path = tmp_path / "broken.stretch"
    path.write_text('routine "Calf"\n  hold 20 "Lean in"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["compile", str(path)])
    assert result.exit_code == 1
    assert calls == {"check": 1}


# The language server runs in its own process: it is started with the same two functions
# wrapped to write one line per call to a log, and driven through the protocol.
_COUNTING_SERVER = """
import sys
from pathlib import Path

log = Path(sys.argv[1])
import dsl
import dsl.lint.checker
import dsl.timeline.expand

def counting(module, name, label):
    real = getattr(module, name)
    def wrapper(*args, **kwargs):
        with log.open("a", encoding="utf-8") as out:
            out.write(label + "\\n")
        return real(*args, **kwargs)
    setattr(module, name, wrapper)

counting(dsl.timeline.expand, "expand", "expand")
counting(dsl.lint.checker, "analyse", "check")
sys.argv = ["stretch", "lsp"]
from dsl.cli import run
run()
"""


def test_language_server_expands_and_checks_once_per_publish(tmp_path: Path) -> None:
    from lsp_client import LspClient

    log = tmp_path / "calls.log"
    log.touch()
    client = LspClient([sys.executable, "-c", _COUNTING_SERVER, str(log)])
    try:
        client.initialize()
        uri = (tmp_path / "calf.stretch").as_uri()
        published = client.open(uri, PLAIN)["diagnostics"]
        assert [d["code"] for d in published] == ["S105"]
        assert Counter(log.read_text(encoding="utf-8").split()) == {"expand": 1, "check": 1}
        # An edit is published once more: one more expansion and one more check.
        edited = PLAIN.replace("hold 20s", "hold 25s")
        assert len(client.change(uri, 2, [{"text": edited}])["diagnostics"]) == 1
        assert Counter(log.read_text(encoding="utf-8").split()) == {"expand": 2, "check": 2}
        text = EXAMPLE.read_text(encoding="utf-8")
        client.open((tmp_path / "example.stretch").as_uri(), text)
        # Checking does not expand the handlers' steps (only the compiler writes their
        # timelines): the example's routine is expanded once too.
        assert Counter(log.read_text(encoding="utf-8").split()) == {"expand": 3, "check": 3}
    finally:
        client.close()


def test_a_routine_of_exercises_expands_each_exercise_once(calls: Counter[str]) -> None:
    # The routine's expansion expands each exercise (as a routine of its own) once; the
    # checker's contexts and the compiler read those parts, never expanding again.
    path = EXAMPLES / "daily-leg-programme.stretch"
    routine = parse_file(path).routine
    assert routine is not None
    handlers_in_exercises = sum(
        isinstance(item, m.SafetyHandler) for e in routine.exercises for item in e.items)
    result = CliRunner().invoke(app, ["compile", str(path)])
    assert result.exit_code == 0, result.stderr
    assert calls == {"expand": 1 + len(routine.exercises) + handlers(path)
                     + handlers_in_exercises, "check": 1}
