"""The model builder's callbacks are typed from the grammar; these tests hold the types to
what Lark really passes them, on every routine in the project.

mypy checks the builder against its annotations, but nothing checks the annotations against
the parser: that a `step` callback gets tokens, amounts, intensities and step details and
nothing else is a fact about the grammar. Here each callback is wrapped to check every child
it receives against its ``children`` annotation while every example and fixture is parsed.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT

import dsl.syntax.parser as syntax_parser
from dsl import model as m
from dsl.syntax.builder import ModelBuilder
from dsl.syntax.grammar import build_parser, lark_parser
from dsl.syntax.standalone import Token

Callback = Callable[[ModelBuilder, list[object]], object]


def rule_callbacks() -> list[str]:
    """The names Lark calls the builder by: every rule and alias not inlined (``_x``)."""
    names = set()
    for rule in lark_parser().rules:
        name = str(rule.alias or rule.origin.name)
        if not name.startswith("_"):
            names.add(name)
    return sorted(names)


def allowed_children(callback: object) -> tuple[type, ...]:
    """The classes a callback's ``children: list[A | B | ...]`` annotation names."""
    hint = typing.get_type_hints(callback)["children"]
    assert typing.get_origin(hint) is list, hint
    (item,) = typing.get_args(hint)
    found: list[type] = []
    for member in _flatten(item):
        assert isinstance(member, type), member
        found.append(member)
    return tuple(found)


def _flatten(hint: object) -> Iterator[object]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        for member in typing.get_args(hint):
            yield from _flatten(member)
    else:
        yield hint


def routine_files() -> list[Path]:
    return sorted({*ROOT.glob("examples/**/*.stretch"), *ROOT.glob("tests/**/*.stretch"),
                   *ROOT.glob("docs/**/*.stretch")})


def test_every_rule_has_a_typed_callback() -> None:
    for name in rule_callbacks():
        callback = getattr(ModelBuilder, name, None)
        assert callable(callback), f"no builder callback for the rule `{name}`"
        assert allowed_children(callback), name


class Checked:
    """A builder class whose callbacks check their children against the annotations of
    ``base``'s callbacks, and what they found."""

    def __init__(self, base: type[ModelBuilder]) -> None:
        self.problems: list[str] = []
        self.called: set[str] = set()
        self.builder = type("CheckingBuilder", (base,), {
            name: self.checked(name, getattr(base, name)) for name in rule_callbacks()})

    def checked(self, name: str, original: Callback) -> Callback:
        allowed = allowed_children(original)

        def callback(builder: ModelBuilder, children: list[object]) -> object:
            self.called.add(name)
            for child in children:
                if not isinstance(child, allowed):
                    self.problems.append(f"{name} got {type(child).__name__} {child!r}"[:120])
            return original(builder, children)
        return callback

    def parse(self, paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> int:
        """Parse the files with the checking builder; how many gave a routine."""
        parser = build_parser(transformer=self.builder())
        monkeypatch.setattr(syntax_parser, "lark_parser", lambda: parser)
        return sum(syntax_parser.parse_file(path).routine is not None for path in paths)


def test_callbacks_get_only_the_children_their_annotations_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    files = routine_files()
    assert len(files) > 50
    checked = Checked(ModelBuilder)
    assert checked.parse(files, monkeypatch) > 40
    assert checked.problems == []
    # Every callback ran, so every annotation was put to the test.
    assert checked.called == set(rule_callbacks())


class _TooNarrow(ModelBuilder):
    def step(self, children: list[Token | m.Amount]) -> m.Step:  # type: ignore[override]
        # Deliberately narrower than the grammar (no intensities or step details).
        return super().step([*children])


def test_an_annotation_narrower_than_the_grammar_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = Checked(_TooNarrow)
    checked.parse([ROOT / "examples" / "hip-and-hamstring.stretch"], monkeypatch)
    assert checked.problems
    assert all(p.startswith(("step got Intensity", "step got Cue")) for p in checked.problems), (
        checked.problems)
