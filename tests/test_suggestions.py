""""Did you mean": one function (dsl/suggestions.py) for every stage, and no other copy."""

from __future__ import annotations

import ast

import pytest
from conftest import ROOT

from dsl.lint.config import ConfigError, from_table
from dsl.lint.docs import suggestion as rule_suggestion
from dsl.suggestions import closest, did_you_mean, suggestion
from dsl.syntax.parser import parse


def test_the_closest_choice_keeps_its_own_spelling_and_ignores_case() -> None:
    assert closest("s14", ["S104", "S105", "L101"]) == "S104"
    assert closest("HOLD", ["hold", "hold-breath"]) == "hold"
    assert closest("xyz", ["hold"]) is None


def test_the_cutoff_says_how_alike_a_word_must_be() -> None:
    assert closest("selct", ["select"], cutoff=0.6) == "select"
    assert closest("sl", ["select"], cutoff=0.6) is None
    assert closest("sl", ["select"], cutoff=0.5) == "select"


def test_the_hint_is_worded_once() -> None:
    assert did_you_mean("hlod", ["hold", "rest"]) == "did you mean `hold`?"
    assert did_you_mean("zzz", ["hold"]) is None
    assert suggestion("calves") == "did you mean `calves`?"
    assert suggestion(None) is None


def test_every_stage_words_it_the_same() -> None:
    parsed = parse('routine "r"\n  level: beginer\n')
    [problem] = parsed.diagnostics
    assert problem.hint == "did you mean `beginner`?"
    assert rule_suggestion("s14") == "did you mean `S104`?"
    assert rule_suggestion("untimed-hodl") == "did you mean `untimed-hold`?"
    with pytest.raises(ConfigError, match=r"unknown setting `selct` \(did you mean `select`\?\)"):
        from_table({"selct": []}, ROOT / "pyproject.toml")


def test_no_other_module_matches_words_or_words_the_hint() -> None:
    found = []
    for path in sorted((ROOT / "dsl").rglob("*.py")):
        if path.name == "suggestions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "get_close_matches":
                found.append(f"{path.name}:{node.lineno}: get_close_matches")
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and "did you mean `" in node.value):
                found.append(f"{path.name}:{node.lineno}: words the hint")
    assert found == []
