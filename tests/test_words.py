"""The language's words are listed once (dsl/model/words.py); the grammar, the VS Code
grammar and the Pygments lexer spell the same words, no more and no fewer."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import ROOT

from dsl import model as m
from dsl.format.highlight import token_types
from dsl.model import words

GRAMMAR = (ROOT / "dsl" / "syntax" / "grammar.lark").read_text(encoding="utf-8")
TEXTMATE = ROOT / "editors" / "vscode" / "syntaxes" / "stretch.tmLanguage.json"

# Words the grammar leaves to WORD and the model builder checks against the model's lists
# (levels, signals, limit subjects, ...), so they are not in the grammar file itself.
CHECKED_BY_THE_BUILDER = frozenset((
    *m.LEVELS, *m.SIGNALS, *m.LIMIT_SUBJECTS, *m.PARTNER_MODES, *m.PERIODS,
    *words.FREQUENCY_WORDS, *words.LIMIT_SCOPES, *words.VARIANT_NAMES,
    # Sessions and programmes: days, answers and the units of `within`.
    *words.DAY_WORDS, *words.ANSWERS, *words.ANSWER_UNITS,
))


def _families() -> dict[str, list[str]]:
    """The grammar's keyword-family terminals: ``STEP_KIND: /(?:setup|hold|...)(?!...)/``."""
    return {name: body.split("|")
            for name, body in re.findall(r"^(\w+): /\(\?:([a-z|-]+)\)", GRAMMAR, re.M)}


def test_the_grammar_keyword_families_are_the_word_lists() -> None:
    families = _families()
    assert set(families["STEP_KIND"]) == set(words.STEP_KINDS)
    assert set(families["UNIT"]) == set(words.UNIT_WORDS)
    assert set(families["INTENSITY_WORD"]) == set(words.INTENSITY_WORDS)
    assert set(families["MILD_SENSATION"]) == set(words.MILD_SENSATIONS)
    assert set(families["SIDE"]) == set(words.SIDE_WORDS)
    assert set(families["MEDIA_KIND"]) == set(words.MEDIA_KINDS)
    assert set(families["_TIMES"]) == set(words.TIMES_WORDS)
    assert set(families["_PER"]) == set(words.PER_WORDS)
    duration = re.search(r"^DURATION: /\\d\+\(\?:\\\.\\d\+\)\?\(\?:([a-z|]+)\)", GRAMMAR, re.M)
    assert duration is not None
    assert set(duration.group(1).split("|")) == set(words.DURATION_SUFFIXES)


def test_the_grammar_uses_exactly_the_listed_words() -> None:
    literals = set(re.findall(r'"([a-z][a-z-]*)"', GRAMMAR))
    in_grammar = literals | {w for family in _families().values() for w in family}
    assert in_grammar - words.ALL_WORDS == set()
    assert words.ALL_WORDS - in_grammar - CHECKED_BY_THE_BUILDER == set()
    assert in_grammar >= words.LINE_STARTS


def _patterns(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("match", "begin") and isinstance(v, str)]
        return found + [p for k, v in node.items() if k not in ("match", "begin")
                        for p in _patterns(v)]
    if isinstance(node, list):
        return [p for item in node for p in _patterns(item)]
    return []


def _textmate_words(grammar: Any) -> set[str]:
    """Every word the VS Code grammar's patterns name (character classes and escapes such
    as ``[A-Za-z]`` and ``\\w`` left out)."""
    found: set[str] = set()
    for pattern in _patterns(grammar):
        plain = re.sub(r"\\.", "", re.sub(r"\[[^\]]*\]", "", pattern))
        found |= set(re.findall(r"[a-z]+(?:-[a-z]+)*", plain))
    return found


def test_the_vscode_grammar_colours_every_word_and_no_other() -> None:
    grammar = json.loads(TEXTMATE.read_text(encoding="utf-8"))
    assert _textmate_words(grammar) == set(words.ALL_WORDS)
    # The check sees a word added or dropped.
    steps = next(p for p in grammar["repository"]["values"]["patterns"]
                 if p.get("name") == "keyword.other.step.stretch")
    steps["match"] = steps["match"].replace("|deepen)", "|stretchy)")
    assert _textmate_words(grammar) ^ set(words.ALL_WORDS) == {"stretchy", "deepen"}


@pytest.mark.parametrize("word", sorted(words.ALL_WORDS))
def test_pygments_gives_every_word_a_keyword_colour(word: str) -> None:
    # Where a word is used (after a number for units, before `:` for settings), the lexer
    # marks it as a keyword or a constant, never as a plain name.
    text = {**dict.fromkeys((*words.UNIT_WORDS, *words.ANSWER_UNITS), "5 {}"),
            **dict.fromkeys(words.SETTINGS, "{}:")}.get(word, "{}").format(word)
    kinds = [str(kind) for kind, value in token_types(text) if value.strip()]
    if word == "side":  # `per side`: a plain word on its own, a modifier after `per`
        assert kinds == ["Token.Name"]
        return
    assert kinds and all(k != "Token.Name" for k in kinds), (text, kinds)


def test_a_programme_s_syntax_error_lists_its_own_statements() -> None:
    # The words of sessions and programmes start statements too, but an error in a
    # programme lists them rather than summarising them with a routine's examples.
    from dsl.syntax.parser import parse

    [error] = parse('programme "X"\n  weeks: 6\n  bogus\n').diagnostics
    assert (error.code, error.span.line, error.span.column) == ("P101", 3, 3)
    assert error.message == ("expected `do`, `id`, `note`, `progress`, `stage`, `start`, "
                             "`weeks` or the end of the block, found `bogus`")
    plan_words = {"session", "programme", "do", "set", "progress", "start", "stage", "step",
                  "weeks"}
    assert words.LINE_STARTS - plan_words == words.ROUTINE_LINE_STARTS
